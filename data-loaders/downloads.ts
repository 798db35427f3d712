/** Loader: src/data/downloads.json, the manifest of the policy library, tables and indices (runtime/downloads.ts). */
import {provenance} from "../cli/provenance.js";
import {downloadsArtefact} from "../runtime/downloads.js";
import {currentProfile} from "../runtime/profile.js";

export function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  const {commit, dirty} = provenance();
  return downloadsArtefact(currentProfile(), {commit, dirty}, log);
}
