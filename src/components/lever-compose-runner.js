// Runs the Search page's composition in a module Web Worker (lever-compose-worker.js), so the page never
// freezes. A newer request cancels an older one still running: the worker is terminated and a fresh
// one started with the same tables (a reader who moves a slider wants the newest answer, not a queue).

/**
 * A runner for one library's tables (the policy-tables container's bytes and the library key; the worker
 * decodes them with lib/lever/artefacts.ts). run(request) resolves to
 * {result, ms (round trip), computeMs (inside the worker)}, or to null when a newer request superseded
 * it; terminate() when the page cell is invalidated.
 */
export function createComposeRunner(bytes, key) {
  let worker = null;
  let current = null;
  let nextId = 1;
  const start = () => {
    worker = new Worker(import.meta.resolve("./lever-compose-worker.js"), {type: "module", name: "lever-compose-worker"});
    worker.onmessage = (event) => {
      const msg = event.data;
      if (msg.type === "ready" || !current || msg.id !== current.id) return;
      const {resolve, reject, t0} = current;
      current = null;
      if (msg.type === "error") reject(new Error(msg.message));
      else resolve({result: msg.result, ms: performance.now() - t0, computeMs: msg.computeMs});
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      const failed = current;
      current = null;
      failed?.reject(new Error(`composition worker failed: ${event.message ?? "could not load the module"}`));
    };
    worker.postMessage({type: "init", bytes, key});
  };
  start();
  return {
    run(request) {
      if (current) {
        // Cancel: the old computation cannot be interrupted inside the worker, so replace the worker.
        worker.terminate();
        current.resolve(null);
        current = null;
        start();
      }
      const id = nextId++;
      return new Promise((resolve, reject) => {
        current = {id, resolve, reject, t0: performance.now()};
        worker.postMessage({type: "run", id, request});
      });
    },
    terminate() {
      worker.terminate();
      current?.resolve(null);
      current = null;
    },
  };
}
