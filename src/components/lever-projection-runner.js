// Runs the embeddings page's projections in a module Web Worker (lever-projection-worker.js), so the page
// never freezes. A newer request cancels an older one still running: the older promise resolves null
// at once, and the worker drops the older run at its next time slice (it yields every 40 ms) and starts
// the newer one. The worker is kept, not terminated and restarted to cancel:
// a restart costs the main thread tens of milliseconds per slider step.
import {createLatestRunner} from "./latest-worker.js";

/**
 * A projection runner. run({X, n, dim, method, params}) resolves to {coords (Float64Array 2n), ms
 * (round trip), computeMs (inside the worker, excluding the time it yielded), iterations}, or to null
 * when a newer request superseded it. `busy` is true while a request is in flight; cancel() drops it;
 * terminate() when the page is left.
 */
export function createProjectionRunner() {
  const runner = createLatestRunner(import.meta.resolve("./lever-projection-worker.js"), "lever-projection-worker");
  runner.onMessage((msg, request) => {
    if (msg.type === "error") runner.fail(new Error(msg.message));
    else runner.settle({coords: msg.coords, ms: performance.now() - request.t0, computeMs: msg.computeMs, iterations: msg.iterations});
  });
  return {
    get busy() {
      return runner.busy;
    },
    run({X, n, dim, method, params}) {
      return runner.start({X, n, dim, method, params});
    },
    cancel() {
      runner.settle(null);
      runner.worker.postMessage({type: "cancel"});
    },
    terminate: runner.terminate,
  };
}
