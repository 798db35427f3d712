/** `lever sweep` (spec/lever.md §8.6): the hybrid top-k sweep, with the experiment's flags and `--k`. */
import {SWEEP_METHOD} from "../../lib/lever/experiment/params.js";
import {runSweepNode} from "../../runtime/experiment.js";
import {capWorkers, int, list, parseFlags, print, text, UsageError} from "../args.js";
import {EXPERIMENT_FLAGS, runOptions} from "./experiment.js";

export const usage = `sweep     the experiment's flags (--method defaults to ${SWEEP_METHOD}) [--k 2,3,4]: the hybrid top-k sweep (spec §8.6)`;

/** `lever sweep --spec-set NAME --out DIR [--k 2,3,4] [...]`. */
export async function run(argv: string[]): Promise<void> {
  const {values} = parseFlags("sweep", argv, {...EXPERIMENT_FLAGS, k: {type: "string", value: "2,3,4"}});
  if (values.shard !== undefined) throw new UsageError("lever sweep: --shard is not supported (the k range depends on every run's candidates)");
  const o = runOptions("sweep", values, {method: SWEEP_METHOD});
  const ks = values.k !== undefined ? list("k", text(values, "k"), "2,3,4", (k) => int("k", k, 1, 5)) : undefined;
  print(await runSweepNode({...o, ks, workers: capWorkers("sweep", o.workers)}));
}
