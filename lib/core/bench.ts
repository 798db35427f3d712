/**
 * Benchmarks (pure: the same code measures in Node and in the browser). Timed results are reported,
 * never asserted in tests: machines here are shared and noisy, so we report medians over repeats.
 */
import {GridWorld} from "../lever/env/gridworld.js";
import {SPEC_SETS, sampleLayout} from "../lever/env/layout.js";
import {optimum} from "../lever/env/optimum.js";
import {transitionsFrom} from "../lever/pi2vec/features.js";
import {trainRun} from "../lever/library/runs.js";
import {canonicalStatesFromRuns, snapshotFeatures} from "../lever/pi2vec/canonical.js";
import {Rng} from "./rng.js";
import {train} from "../lever/library/sarsa.js";
import type {FeatureMatrix, Transitions} from "../lever/pi2vec/features.js";
import {embed, psiParameterCount, trainPsi, type PsiArchitecture, type PsiParams} from "../lever/pi2vec/sf-mlp.js";
import {embedLstd, lstd} from "../lever/pi2vec/sf-lstd.js";

export interface SarsaBench {
  /** Median over repeats of environment steps per second (single thread). */
  stepsPerSecond: number;
  /** All repeats, steps per second. */
  samples: number[];
  stepsPerRun: number;
  medianSeconds: number;
  protocol: string;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * SARSA throughput on 16×16, X1 (30,000 episodes, ε-decay 0.99995), path-gold, layout seed 0, the
 * reference update rule, snapshots every 1,000 episodes with greedy evaluation (as in library runs).
 * `warmup` untimed runs, then `repeats` timed runs with different training seeds; the median is reported.
 */
export function benchSarsa(repeats = 15, warmup = 10): SarsaBench {
  const set = SPEC_SETS.grid16;
  const spec = set.specs[0];
  const env = new GridWorld(sampleLayout(16, 0, set.counts), "path-gold");
  const params = {episodes: spec.episodes, epsDecay: spec.epsDecay, gamma: 0.99, saveEvery: spec.saveEvery};
  // Warm-up runs let the JIT reach its optimised tier (a 30,000-episode run lasts only ~25 ms).
  for (let i = 0; i < warmup; i++) train(env, {...params, seed: 1000 + i}, {onSnapshot: () => {}});
  const samples: number[] = [];
  const seconds: number[] = [];
  let stepsPerRun = 0;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const res = train(env, {...params, seed: i}, {onSnapshot: () => {}});
    const dt = (performance.now() - t0) / 1000;
    samples.push(res.steps / dt);
    seconds.push(dt);
    stepsPerRun = res.steps;
  }
  return {
    stepsPerSecond: median(samples),
    samples,
    stepsPerRun,
    medianSeconds: median(seconds),
    protocol: `16×16 grid16 layout seed 0, path-gold, X1 (30,000 episodes), reference SARSA rule, snapshots every 1,000 episodes; ${warmup} warm-up + ${repeats} timed runs (training seeds 0..${repeats - 1}), median; single thread; steps include every environment step of training (snapshot evaluation time counted, its steps not)`,
  };
}

/** Exact monotone-path optimum (stateful DP) on 16×16 and 32×32 layouts: median milliseconds per solve. */
export function benchOptimum(repeats = 9): {ms16: number; ms32: number} {
  const run = (size: number) => {
    const env = new GridWorld(sampleLayout(size, 0, SPEC_SETS.grid16.counts), "path-gold-hazard-lever", {goldPenalty: "legacy"});
    optimum(env);
    const t: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      optimum(env);
      t.push(performance.now() - t0);
    }
    return median(t);
  };
  return {ms16: run(16), ms32: run(32)};
}

export interface SuccessorBench {
  /** Median milliseconds: LSTD fit + embedding. */
  lstdMs: number;
  /** Median milliseconds: MLP training (all epochs) + embedding. */
  mlpMs: number;
  /** The MLP that was timed (lib/lever/pi2vec/sf-mlp.ts): its network, trainable parameters and settings. */
  mlp: {architecture: PsiArchitecture; parameters: number; hidden: number[]; lr: number; epochs: number; batchSize: number};
  transitions: number;
  canonical: number;
  repeats: number;
}

/**
 * Time LSTD vs the MLP on one policy's transitions with performance.now: one untimed warm-up each,
 * then `repeats` timed runs (the MLP with seeds 0..repeats−1); medians in ms. `psiParams` chooses the
 * network (`architecture`, by default [v3] as `trainPsi`), reported in `mlp`.
 */
export function benchSuccessor(transitions: Transitions, canonical: FeatureMatrix, repeats = 5, psiParams: PsiParams = {}): SuccessorBench {
  const timeIt = (f: () => unknown) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  embedLstd(lstd(transitions), canonical);
  embed(trainPsi(transitions, {...psiParams, epochs: 2}).model, canonical);
  const l: number[] = [];
  const m: number[] = [];
  let timed = trainPsi(transitions, {...psiParams, epochs: 0});
  for (let r = 0; r < repeats; r++) {
    l.push(timeIt(() => embedLstd(lstd(transitions), canonical)));
    m.push(timeIt(() => embed((timed = trainPsi(transitions, {...psiParams, seed: r})).model, canonical)));
  }
  const p = timed.params;
  const mlp = {architecture: p.architecture, parameters: psiParameterCount(timed.model), hidden: [...p.hidden], lr: p.lr, epochs: p.epochs, batchSize: p.batchSize};
  return {lstdMs: median(l), mlpMs: median(m), mlp, transitions: transitions.n, canonical: canonical.rows, repeats};
}

/**
 * Successor features for one typical library policy: grid16 X1 path-gold seed 0, the 60 % snapshot
 * (the [main] policy rule), 128 canonical states drawn from that run. LSTD vs the reference's MLP of
 * that rule, the [main] network (BatchNorm, 639,686 parameters, lr 1e-3; spec §3.4).
 */
export function benchTypicalSuccessor(repeats = 5): SuccessorBench {
  const set = SPEC_SETS.grid16;
  const spec = set.specs[0];
  const run = trainRun({
    specSet: "grid16",
    spec: "X1",
    size: 16,
    variant: "main",
    reward: "path-gold",
    seed: 0,
    counts: set.counts,
    episodes: spec.episodes,
    epsDecay: spec.epsDecay,
    saveEvery: spec.saveEvery,
    gamma: 0.99,
    alpha: 0.1,
    rule: "reference",
    goldPenalty: "fractional",
    keep: "policies",
    trainSeed: 0,
  });
  const snapshot = run.meta.kept[1];
  const canonical = canonicalStatesFromRuns([run], new Rng(0), {total: 128});
  return benchSuccessor(transitionsFrom(snapshotFeatures(run, snapshot)), canonical, repeats, {architecture: "main"});
}
