/**
 * Loaders: src/data/library.json (`main`), the policy libraries of the build profile
 * (runtime/library-summary.ts); src/data/library-<key>-<seed>.bin (`runs`), one layout seed's runs
 * (runtime/library.ts `libraryRunsArtefact`), with `--key` and `--seed` from Framework's route.
 */
import {parseArgs} from "node:util";
import {libraryRunsArtefact} from "../runtime/library.js";
import {libraryArtefact} from "../runtime/library-summary.js";
import {currentProfile} from "../runtime/profile.js";

export function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  return libraryArtefact(currentProfile(), log);
}

export function runs(argv: string[], log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<Uint8Array> {
  const {values} = parseArgs({args: argv, options: {key: {type: "string"}, seed: {type: "string"}}});
  const seed = Number(values.seed);
  if (!values.key || !/^\d+$/.test(values.seed ?? "") || !Number.isSafeInteger(seed))
    throw new RangeError(`invalid library runs route: --key=${values.key} --seed=${values.seed} (expected e.g. library-grid16-0.bin)`);
  return libraryRunsArtefact(currentProfile(), values.key, seed, log);
}
