/** Loader: src/data/policy-index.hnsw, the policy vector DB of the build profile (runtime/policy-index.ts). */
import {policyIndexArtefact} from "../runtime/policy-index.js";
import {currentProfile} from "../runtime/profile.js";

export function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<Uint8Array> {
  return policyIndexArtefact(currentProfile(), log);
}
