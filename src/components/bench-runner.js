// Runs lib/core/bench.ts in a module Web Worker (bench-worker.js) so the page stays responsive while
// the reader's browser is timed. measure({repeats, warmup, onProgress}) resolves to
// {sarsa, optimum, wallMs}; each call uses a fresh worker, terminated when it answers.
export function measure({repeats = 7, warmup = 3, onProgress = () => {}} = {}) {
  const worker = new Worker(import.meta.resolve("./bench-worker.js"), {type: "module", name: "bench-worker"});
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    worker.onmessage = ({data}) => {
      if (data.type === "progress") onProgress(data.stage);
      else {
        worker.terminate();
        if (data.type === "result") resolve({sarsa: data.sarsa, optimum: data.optimum, wallMs: performance.now() - t0});
        else reject(new Error(data.message));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || "the benchmark worker failed to load"));
    };
    worker.postMessage({repeats, warmup});
  });
}
