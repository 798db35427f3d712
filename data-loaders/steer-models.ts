/** Loader: src/data/steer-models.json, the live page's Reach2 actor and prior (runtime/steer-models.ts). */
import {steerModelsArtefact} from "../runtime/steer-models.js";

export function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  return steerModelsArtefact(log);
}
