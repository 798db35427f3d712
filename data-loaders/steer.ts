/** Loader: src/data/steer.json, the steering studies and claims of the build profile (runtime/steer.ts). */
import {currentProfile} from "../runtime/profile.js";
import {steerArtefact} from "../runtime/steer.js";

export function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  return steerArtefact(currentProfile(), log);
}
