// Web Worker (module) for the embeddings page's projections: UMAP and t-SNE take 0.3–1 s in a browser,
// which froze the page on every slider change (issue 11 §1). Loaded by lever-projection-runner.js as
// new Worker(import.meta.resolve("./lever-projection-worker.js"), {type: "module"}); Framework builds
// this file and druid.js into the site with content hashes, so nothing is fetched from elsewhere.
//
// A run goes iteration by iteration and yields to the worker's event loop every SLICE_MS, so that a
// newer run (or a cancel) is seen within a slice: the older run then stops, and the worker is reused
// (terminating and restarting a worker costs the page's main thread tens of milliseconds).
//
// Protocol: {type: "run", id, X (Float64Array, n×dim row-major), n, dim, method, params}
//           → {type: "result", id, coords (Float64Array 2n, transferred), computeMs, iterations}
//           or {type: "error", id, message};  {type: "cancel"} stops the run in flight (no answer).
import {projectSteps} from "./lever-projection.js";

const SLICE_MS = 40;
let latest = 0;

/** Resolve after the worker's pending messages have been handled (a macrotask, not clamped like setTimeout). */
const tick = () =>
  new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

async function run({id, X, n, dim, method, params}) {
  const t0 = performance.now();
  const steps = projectSteps(X, n, dim, method, params);
  let sliceStart = performance.now();
  let computeMs = 0;
  let iterations = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) {
      const coords = step.value;
      computeMs += performance.now() - sliceStart;
      self.postMessage({type: "result", id, coords, computeMs, wallMs: performance.now() - t0, iterations}, [coords.buffer]);
      return;
    }
    iterations = step.value;
    if (performance.now() - sliceStart >= SLICE_MS) {
      computeMs += performance.now() - sliceStart;
      await tick();
      if (latest !== id) {
        steps.return();
        return;
      }
      sliceStart = performance.now();
    }
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "cancel") {
    latest = 0;
    return;
  }
  if (msg.type !== "run") {
    self.postMessage({type: "error", id: msg.id, message: `lever-projection-worker: unknown message type ${JSON.stringify(msg.type)}`});
    return;
  }
  latest = msg.id;
  run(msg).catch((error) => self.postMessage({type: "error", id: msg.id, message: String(error?.message ?? error)}));
};
