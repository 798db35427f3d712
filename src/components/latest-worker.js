// One request at a time to a module Web Worker, the newest winning: the plumbing the page runners share
// (lever-answer-runner.js, lever-projection-runner.js). start() settles the request in flight to null
// (superseded) and posts {type: "run", id, ...message}; messages of an older id are dropped; a worker
// that fails to load rejects the request in flight and every later one with a one-line error.
// Each runner keeps its own message handler (what a result is) and its own cancel protocol.

/**
 * The shared state of a runner around `new Worker(url, {type: "module", name})`:
 *   - onMessage(handler): handler(msg, request) for messages of the request in flight only;
 *   - start(message, extra): a promise for a new request (`extra` is kept on the request, e.g. onProgress);
 *   - settle(value) / fail(error): end the request in flight; `current`, `busy`; terminate().
 */
export function createLatestRunner(url, name) {
  const worker = new Worker(url, {type: "module", name});
  let current = null;
  let nextId = 1;
  let failure = null;
  const settle = (value) => {
    const request = current;
    current = null;
    request?.resolve(value);
  };
  const fail = (error) => {
    const request = current;
    current = null;
    request?.reject(error);
  };
  worker.onerror = (event) => {
    event.preventDefault?.();
    failure = new Error(`${name} failed: ${event.message ?? "could not load the module"}`);
    fail(failure);
  };
  return {
    worker,
    get current() {
      return current;
    },
    get busy() {
      return current !== null;
    },
    settle,
    fail,
    onMessage(handler) {
      worker.onmessage = (event) => {
        const msg = event.data;
        if (current && msg.id === current.id) handler(msg, current); // else: a superseded request's late message
      };
    },
    start(message, extra = {}) {
      if (failure) return Promise.reject(failure);
      settle(null);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        current = {...extra, id, resolve, reject, t0: performance.now()};
        worker.postMessage({...message, type: "run", id});
      });
    },
    terminate() {
      settle(null);
      worker.terminate();
    },
  };
}
