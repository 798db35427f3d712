// Web Worker (module) that times this project's kernels in the reader's browser: SARSA training
// throughput and the exact optimum DP, by the same functions `npx lever bench` times in Node
// (lib/core/bench.ts). Loaded by bench-runner.js through import.meta.resolve (Framework builds it and
// its imports into /_import/ with content hashes: nothing is fetched from another origin).
//
// Protocol: {type: "run", repeats, warmup} → {type: "progress", stage} …, then
//           {type: "result", sarsa, optimum} (or {type: "error", message}).
import {benchOptimum, benchSarsa} from "../lib/core/bench.js";

self.onmessage = (event) => {
  const {repeats, warmup} = event.data;
  try {
    self.postMessage({type: "progress", stage: `SARSA: ${warmup} warm-up + ${repeats} timed runs of 30,000 episodes`});
    const sarsa = benchSarsa(repeats, warmup);
    self.postMessage({type: "progress", stage: "optimum DP: 16×16 and 32×32"});
    const optimum = benchOptimum(repeats);
    self.postMessage({type: "result", sarsa, optimum});
  } catch (error) {
    self.postMessage({type: "error", message: String(error?.message ?? error)});
  }
};
