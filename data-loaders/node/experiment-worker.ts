// Worker thread for the experiment: loads the library context once per thread (runs, embedding,
// regressors), then runs one (spec, mode, setup, seed) job per message and posts its row back.
import {parentPort} from "node:worker_threads";
import {runJob} from "../../lib/experiment.js";
import {loadContext} from "./experiment-run.js";

parentPort!.on("message", (msg: {index: number; params: Parameters<typeof handle>[0]}) => {
  try {
    parentPort!.postMessage({index: msg.index, row: handle(msg.params)});
  } catch (error) {
    parentPort!.postMessage({index: msg.index, error: error instanceof Error ? error.message : String(error)});
  }
});

function handle(p: {ctx: Parameters<typeof loadContext>[0]; job: Parameters<typeof runJob>[1]; decomposition: Parameters<typeof runJob>[2]; params: Parameters<typeof runJob>[3]}) {
  return runJob(loadContext(p.ctx), p.job, p.decomposition, p.params);
}
