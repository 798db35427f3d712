// Runs lib/lever/answer.ts in a module Web Worker (lever-answer-worker.js) so the page never freezes.
// One run at a time: a newer run cancels the one in flight (the worker stops it at its next unit of
// work) and its promise resolves to null at once; cancel() does the same without a new run.

/**
 * A runner. run(params, onProgress) resolves to {answer, ms} (ms: round trip), or null when cancelled or
 * superseded; rejects with the worker's one-line error. terminate() when the page cell is invalidated.
 */
export function createAnswerRunner() {
  const worker = new Worker(import.meta.resolve("./lever-answer-worker.js"), {type: "module", name: "lever-answer-worker"});
  let current = null;
  let nextId = 1;
  const settle = (value) => {
    const c = current;
    current = null;
    c?.resolve(value);
  };
  worker.onmessage = (event) => {
    const msg = event.data;
    if (!current || msg.id !== current.id) return; // a cancelled run's late messages
    if (msg.type === "progress") current.onProgress?.(msg);
    else if (msg.type === "result") settle({answer: msg.answer, ms: performance.now() - current.t0});
    else if (msg.type === "cancelled") settle(null);
    else if (msg.type === "error") {
      const c = current;
      current = null;
      c.reject(new Error(msg.message));
    }
  };
  worker.onerror = (event) => {
    event.preventDefault?.();
    const c = current;
    current = null;
    c?.reject(new Error(`answer worker failed: ${event.message ?? "could not load the module"}`));
  };
  const cancel = () => {
    if (!current) return;
    worker.postMessage({type: "cancel", id: current.id});
    settle(null);
  };
  return {
    run(params, onProgress) {
      cancel();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        current = {id, resolve, reject, onProgress, t0: performance.now()};
        worker.postMessage({type: "run", id, params});
      });
    },
    cancel,
    /** True while a run is in flight. */
    get busy() {
      return current !== null;
    },
    terminate() {
      settle(null);
      worker.terminate();
    },
  };
}
