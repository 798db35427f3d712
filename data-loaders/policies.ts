/**
 * Loaders: src/data/policies.bin (`main`) and src/data/policy-tables-<key>.bin (`tables`), the library
 * policies of the build profile with their embeddings, regressors and tables (runtime/policies.ts).
 */
import {policiesArtefact, policyTablesArtefact} from "../runtime/policies.js";
import {currentProfile} from "../runtime/profile.js";

type Log = (line: string) => void;
const stderr: Log = (l) => process.stderr.write(l + "\n");

export function main(log: Log = stderr): Promise<Uint8Array> {
  return policiesArtefact(currentProfile(), log);
}

export function tables(key: string, log: Log = stderr): Promise<Uint8Array> {
  return policyTablesArtefact(currentProfile(), key, log);
}
