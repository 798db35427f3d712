/** Loader: src/data/reproduce.json, the paper's experiment beside the reference (runtime/reproduce.ts). */
import {currentProfile} from "../runtime/profile.js";
import {reproduceArtefact} from "../runtime/reproduce.js";

export function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  return reproduceArtefact(currentProfile(), log);
}
