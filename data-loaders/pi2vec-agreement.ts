/** Loader: src/data/pi2vec-agreement.json, LSTD vs MLP successor features (runtime/pi2vec-agreement.ts). */
import {agreementArtefact} from "../runtime/pi2vec-agreement.js";
import {currentProfile} from "../runtime/profile.js";

export function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  return agreementArtefact(currentProfile(), log);
}
