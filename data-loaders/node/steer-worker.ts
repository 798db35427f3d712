// Worker thread for the steering studies: runs one job (a group of units that share a trained actor
// and prior, see lib/steer/studies.ts modelKey) per message and posts the unit results back, each
// with its wall time in ms (kept out of the deterministic results).
import {parentPort} from "node:worker_threads";
import {runUnit, type UnitSpec} from "../../lib/steer/studies.js";

parentPort!.on("message", (job: {index: number; params: {units: UnitSpec[]}}) => {
  try {
    const results = job.params.units.map((u) => {
      const t0 = performance.now();
      const result = runUnit(u);
      return {result, ms: performance.now() - t0};
    });
    parentPort!.postMessage({index: job.index, results});
  } catch (error) {
    parentPort!.postMessage({index: job.index, error: error instanceof Error ? error.message : String(error)});
  }
});
