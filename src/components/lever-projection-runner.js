// Runs the embeddings page's projections in a module Web Worker (lever-projection-worker.js), so the page
// never freezes. A newer request cancels an older one still running: the older promise resolves null
// at once, and the worker drops the older run at its next time slice (it yields every 40 ms) and starts
// the newer one. Unlike lever-compose-runner.js, the worker is kept, not terminated and restarted:
// a restart costs the main thread tens of milliseconds per slider step.

/**
 * A projection runner. run({X, n, dim, method, params}) resolves to {coords (Float64Array 2n), ms
 * (round trip), computeMs (inside the worker, excluding the time it yielded), iterations}, or to null
 * when a newer request superseded it. `busy` is true while a request is in flight; cancel() drops it;
 * terminate() when the page is left.
 */
export function createProjectionRunner() {
  const worker = new Worker(import.meta.resolve("./lever-projection-worker.js"), {type: "module", name: "lever-projection-worker"});
  let current = null;
  let nextId = 1;
  let failure = null;
  const settle = (value) => {
    const c = current;
    current = null;
    c?.resolve(value);
  };
  worker.onmessage = (event) => {
    const msg = event.data;
    if (!current || msg.id !== current.id) return; // an answer to a superseded request
    const {resolve, reject, t0} = current;
    current = null;
    if (msg.type === "error") reject(new Error(msg.message));
    else resolve({coords: msg.coords, ms: performance.now() - t0, computeMs: msg.computeMs, iterations: msg.iterations});
  };
  worker.onerror = (event) => {
    event.preventDefault?.();
    failure = new Error(`projection worker failed: ${event.message ?? "could not load the module"}`);
    const failed = current;
    current = null;
    failed?.reject(failure);
  };
  return {
    get busy() {
      return current !== null;
    },
    run({X, n, dim, method, params}) {
      if (failure) return Promise.reject(failure);
      settle(null);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        current = {id, resolve, reject, t0: performance.now()};
        worker.postMessage({type: "run", id, X, n, dim, method, params});
      });
    },
    cancel() {
      settle(null);
      worker.postMessage({type: "cancel"});
    },
    terminate() {
      worker.terminate();
      settle(null);
    },
  };
}
