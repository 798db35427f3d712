/**
 * The policy library (spec/lever.md §2): one training run per (spec, reward system, seed), with
 * snapshots every `saveEvery` episodes. This module is pure: it trains one run and encodes it as a
 * binary container; the Node builder (runtime/library-build.ts) spreads runs over worker
 * threads and writes the files and the manifest.
 */
import {decodeContainer, encodeContainer} from "../../core/container.js";
import {GridWorld, greedyRollout, N_ACTIONS} from "../env/gridworld.js";
import type {Layout, Spec, SpecSet, Variant} from "../env/layout.js";
import {sampleLayout} from "../env/layout.js";
import type {GoldPenalty} from "../env/rewards.js";
import {deriveSeed} from "../../core/rng.js";
import type {UpdateRule} from "./sarsa.js";
import {Trainer} from "./sarsa.js";

/** Which snapshots keep their Q-table and visit counts (every snapshot keeps reward, time, actions). */
export type KeepRule = "policies" | "all";

export interface RunParams {
  specSet: string;
  spec: Spec["name"];
  size: number;
  variant: Variant;
  reward: string;
  /** Layout seed (0..4); the training stream seed is derived from it and the run's identity. */
  seed: number;
  counts: SpecSet["counts"];
  episodes: number;
  epsDecay: number;
  saveEvery: number;
  gamma: number;
  alpha: number;
  rule: UpdateRule;
  goldPenalty: GoldPenalty;
  keep: KeepRule;
  /** Base seed of all training streams in a library (default 0). */
  trainSeed: number;
}

export interface RunMeta extends RunParams {
  id: string;
  /** Episodes at which snapshots were taken (e.g. 0, 1000, …). */
  snapshotEpisodes: number[];
  /** Indices into snapshotEpisodes whose Q-table and counts are stored. */
  kept: number[];
  finalReward: number;
  /** Cumulative training time (s), per-episode loop only (as the reference logs it). */
  time: number;
  steps: number;
  /** Wall time of the whole run including snapshots and evaluation (s). */
  wallTime: number;
  layoutAttempts: number;
}

export interface Run {
  meta: RunMeta;
  /** Per snapshot: greedy reward, cumulative time. */
  rewards: Float64Array;
  times: Float64Array;
  /** kept.length × nStates × 4 */
  q: Float64Array;
  counts: Uint32Array;
  /** Snapshot training-episode actions: actions[actionOffsets[i] .. actionOffsets[i+1]). */
  actionOffsets: Uint32Array;
  actions: Uint8Array;
  qFinal: Float64Array;
  countsFinal: Uint32Array;
}

/** The reference's 4-digit seed string (`policy_seed`, file and policy names): 3 → "0003". */
export function seed4(seed: number): string {
  return String(seed).padStart(4, "0");
}

export function runId(p: Pick<RunParams, "specSet" | "spec" | "reward" | "seed">): string {
  return `${p.specSet}/${p.spec}_${p.reward}_${seed4(p.seed)}`;
}

/**
 * [main] policy rule (§3.2): rows int(p·(rows−1)) of the rewards CSV for p ∈ {0.2, 0.6, 0.8}, where
 * the CSV has one row per snapshot plus a final row. Returns snapshot indices.
 */
export function mainPolicySnapshots(nSnapshots: number): number[] {
  const rows = nSnapshots + 1;
  return [0.2, 0.6, 0.8].map((p) => Math.trunc(p * (rows - 1)));
}

export function trainRun(params: RunParams, layout?: Layout): Run {
  const wall0 = performance.now();
  const sampled = layout ? {...layout, attempts: -1} : sampleLayout(params.size, params.seed, params.counts, params.variant);
  const env = new GridWorld(sampled, params.reward, {variant: params.variant, goldPenalty: params.goldPenalty});
  const nS = env.nStates;
  const nSnap = params.saveEvery > 0 ? Math.floor((params.episodes - 1) / params.saveEvery) + 1 : 0;
  const kept = params.keep === "all" ? Array.from({length: nSnap}, (_, i) => i) : mainPolicySnapshots(nSnap).filter((i) => i < nSnap);
  const keptSlot = new Int32Array(nSnap).fill(-1);
  kept.forEach((k, j) => (keptSlot[k] = j));
  const rewards = new Float64Array(nSnap);
  const times = new Float64Array(nSnap);
  const q = new Float64Array(kept.length * nS * N_ACTIONS);
  const counts = new Uint32Array(kept.length * nS * N_ACTIONS);
  const actionOffsets = new Uint32Array(nSnap + 1);
  let actions = new Uint8Array(Math.max(1024, nSnap * 32));
  const snapshotEpisodes: number[] = [];
  let i = 0;
  const trainer = new Trainer(
    env,
    {
      episodes: params.episodes,
      alpha: params.alpha,
      gamma: params.gamma,
      epsStart: 1.0,
      epsDecay: params.epsDecay,
      epsMin: 0.01,
      saveEvery: params.saveEvery,
      rule: params.rule,
      seed: deriveSeed(params.trainSeed, params.specSet, params.spec, params.reward, params.seed),
    },
    {
      onSnapshot(s) {
        snapshotEpisodes.push(s.episode);
        rewards[i] = s.reward;
        times[i] = s.time;
        const slot = keptSlot[i];
        if (slot >= 0) {
          q.set(s.q, slot * nS * N_ACTIONS);
          counts.set(s.counts, slot * nS * N_ACTIONS);
        }
        const start = actionOffsets[i];
        if (start + s.actions.length > actions.length) {
          const grown = new Uint8Array(Math.max(actions.length * 2, start + s.actions.length));
          grown.set(actions);
          actions = grown;
        }
        actions.set(s.actions, start);
        actionOffsets[i + 1] = start + s.actions.length;
        i++;
      },
    },
  );
  trainer.runEpisodes(params.episodes);
  const fin = trainer.finish();
  const meta: RunMeta = {
    ...params,
    id: runId(params),
    snapshotEpisodes,
    kept,
    finalReward: fin.finalReward,
    time: fin.time,
    steps: fin.steps,
    wallTime: (performance.now() - wall0) / 1000,
    layoutAttempts: sampled.attempts,
  };
  return {
    meta,
    rewards,
    times,
    q,
    counts,
    actionOffsets,
    actions: actions.slice(0, actionOffsets[nSnap]),
    qFinal: fin.q,
    countsFinal: fin.counts,
  };
}

/**
 * True when a run was trained with exactly these parameters (every field of `params`, compared by
 * value): a stored run (a library file, the build's shipped runs) may then stand in for `trainRun(params)`.
 */
export function runHasParams(meta: RunMeta, params: RunParams): boolean {
  const same = (a: unknown, b: unknown): boolean => {
    if (a === b) return true;
    if (!a || !b || typeof a !== "object" || typeof b !== "object") return false;
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  };
  return (Object.keys(params) as (keyof RunParams)[]).every((k) => same(meta[k], params[k]));
}

export function encodeRun(run: Run): Uint8Array {
  const {meta, ...sections} = run;
  return encodeContainer(meta, sections);
}

export function decodeRun(bytes: Uint8Array | ArrayBuffer): Run {
  const {meta, sections: s} = decodeContainer<RunMeta>(bytes);
  return {
    meta,
    rewards: s.rewards as Float64Array,
    times: s.times as Float64Array,
    q: s.q as Float64Array,
    counts: s.counts as Uint32Array,
    actionOffsets: s.actionOffsets as Uint32Array,
    actions: s.actions as Uint8Array,
    qFinal: s.qFinal as Float64Array,
    countsFinal: s.countsFinal as Uint32Array,
  };
}

/** The Q-table of a kept snapshot (by snapshot index), or the final one for index = number of snapshots. */
export function runQ(run: Run, snapshot: number): Float64Array {
  const nSnap = run.meta.snapshotEpisodes.length;
  if (snapshot === nSnap) return run.qFinal;
  const slot = run.meta.kept.indexOf(snapshot);
  if (slot < 0) throw new RangeError(`snapshot ${snapshot} of ${run.meta.id} has no stored Q-table (kept: ${run.meta.kept.join(", ")})`);
  const n = run.qFinal.length;
  return run.q.subarray(slot * n, (slot + 1) * n);
}

export function runCounts(run: Run, snapshot: number): Uint32Array {
  const nSnap = run.meta.snapshotEpisodes.length;
  if (snapshot === nSnap) return run.countsFinal;
  const slot = run.meta.kept.indexOf(snapshot);
  if (slot < 0) throw new RangeError(`snapshot ${snapshot} of ${run.meta.id} has no stored counts (kept: ${run.meta.kept.join(", ")})`);
  const n = run.countsFinal.length;
  return run.counts.subarray(slot * n, (slot + 1) * n);
}

export function runActions(run: Run, snapshot: number): Uint8Array {
  return run.actions.subarray(run.actionOffsets[snapshot], run.actionOffsets[snapshot + 1]);
}

/** The run's environment (layout re-sampled from its seed) for evaluation or replay. */
export function runEnv(meta: RunMeta, goldPenalty: GoldPenalty = meta.goldPenalty, reward: string = meta.reward): GridWorld {
  const layout = sampleLayout(meta.size, meta.seed, meta.counts, meta.variant);
  return new GridWorld(layout, reward, {variant: meta.variant, goldPenalty});
}

/** Greedy path (as [row, col] cells) of a Q-table in an environment. */
export function greedyPath(env: GridWorld, q: Float64Array): {reward: number; path: [number, number][]; done: boolean} {
  const r = greedyRollout(env, q);
  return {reward: r.total, path: r.states.map((s) => env.rowCol(s)), done: r.done};
}
