/**
 * Cost of one composition step (spec/steering.md §7 C3 "O(d) per step"): ns per state for the
 * product of experts (gauss.ts `_poe`) on a batch of 25 states at several action dimensions d,
 * median of 7 timed blocks after a warm-up. Reported (steer.json `composeCost`, claim C3), never
 * asserted: timings depend on the machine.
 */
import {_poe} from "./gauss.js";

export function measureComposeCost(dims: readonly number[] = [2, 4, 8, 16, 32, 64, 128], n = 25): {dim: number; nsPerState: number; nsPerDim: number}[] {
  return dims.map((d) => {
    const len = n * d;
    const m0 = new Float64Array(len).map((_, i) => Math.sin(i));
    const v0 = new Float64Array(len).fill(0.04);
    const mp = new Float64Array(len).map((_, i) => Math.cos(i));
    const vp = new Float64Array(len).fill(0.25);
    const om = new Float64Array(len);
    const ov = new Float64Array(len);
    const reps = Math.max(200, Math.round(2e6 / len));
    for (let r = 0; r < reps; r++) _poe(m0, v0, mp, vp, 0.5, om, ov, 0, len); // warm-up
    const samples: number[] = [];
    for (let b = 0; b < 7; b++) {
      const t = performance.now();
      for (let r = 0; r < reps; r++) _poe(m0, v0, mp, vp, 0.3 + (r & 1) * 0.2, om, ov, 0, len);
      samples.push(((performance.now() - t) * 1e6) / (reps * n));
    }
    samples.sort((a, b) => a - b);
    const ns = samples[3];
    return {dim: d, nsPerState: Math.round(ns * 100) / 100, nsPerDim: Math.round((ns / d) * 1000) / 1000};
  });
}
