/**
 * Build profiles (Node only). `LEVER_PROFILE=quick` is what CI builds in minutes; the default `paper`
 * profile is what the papers ran. Every loader reads its scale from here, so one variable switches
 * the whole site.
 */
import {parseSpecSet, type Spec, type SpecSet} from "../lib/lever/env/layout.js";

export type Profile = "quick" | "paper";

export function currentProfile(): Profile {
  const p = process.env.LEVER_PROFILE ?? "paper";
  if (p !== "quick" && p !== "paper") throw new RangeError(`invalid LEVER_PROFILE: ${JSON.stringify(p)} (accepted: quick, paper)`);
  return p;
}

export interface LibraryPlan {
  specSet: SpecSet;
  specs: Spec[];
}

/** The policy libraries the site is built from. */
export function libraryPlan(profile: Profile): LibraryPlan[] {
  const g16 = parseSpecSet("grid16");
  const g32 = parseSpecSet("grid32");
  if (profile === "quick") return [{specSet: g16, specs: g16.specs.filter((s) => s.name === "X1")}];
  return [
    {specSet: g16, specs: g16.specs},
    {specSet: g32, specs: g32.specs},
  ];
}
