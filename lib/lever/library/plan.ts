/**
 * The policy libraries the site is built from, per build profile (lib/core/profile.ts): spec set and
 * specs, every seed of the set, all eight reward systems.
 */
import {PROFILE_SCOPES, type Profile} from "../../core/profile.js";
import {parseSpecs, parseSpecSet, type Spec, type SpecSet} from "../env/layout.js";

export interface LibraryPlan {
  specSet: SpecSet;
  specs: Spec[];
}

export function libraryPlan(profile: Profile): LibraryPlan[] {
  return PROFILE_SCOPES[profile].libraries.map(({specSet, specs}) => {
    const set = parseSpecSet(specSet);
    return {specSet: set, specs: parseSpecs(specs.join(","), set)};
  });
}
