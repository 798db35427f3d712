/** Loader: src/data/library.json, the policy libraries of the build profile (runtime/library-summary.ts). */
import {libraryArtefact} from "../runtime/library-summary.js";
import {currentProfile} from "../runtime/profile.js";

export function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  return libraryArtefact(currentProfile(), log);
}
