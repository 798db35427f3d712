/**
 * Canonical states (spec/lever.md §3.3): the states every policy's successor features are evaluated
 * on. The [main] scheme draws 128 states split over the reward systems present, one random time index
 * from each of the first k shuffled episodes of a reward; [v3] has base/pair/trip sets. The reference
 * uses the unseeded global `random`; we draw from an `Rng`.
 */
import type {Rng} from "../../core/rng.js";
import type {Run} from "../library/runs.js";
import {runActions, runEnv} from "../library/runs.js";
import type {FeatureMatrix} from "./features.js";
import {episodeFeatures, featureDim} from "./features.js";

/** One recorded episode (a snapshot's `episode_states.npy`) of a reward system. */
export interface EpisodeRef {
  reward: string;
  /** Number of states, T + 1. */
  length: number;
}

/** A canonical state: which episode (index into the refs) and which time index. */
export interface CanonicalPick {
  episode: number;
  t: number;
}

/** Split `total` over `k` groups: ⌊total/k⌋ each, the remainder to the first groups (§3.3). */
export function splitEvenly(total: number, k: number): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`invalid total: ${total}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`invalid group count: ${k}`);
  const base = Math.floor(total / k);
  const rem = total % k;
  return Array.from({length: k}, (_, i) => base + (i < rem ? 1 : 0));
}

/** The [v3] canonical sets (§3.3): reward systems in the order that receives the remainder. */
export const V3_CANONICAL_SETS = {
  base: ["path", "gold", "hazard", "lever"],
  pair: ["path", "gold", "hazard", "lever", "path-gold", "hazard-lever"],
  trip: ["path", "gold", "hazard", "lever", "path-gold-hazard"],
} as const satisfies Record<string, readonly string[]>;
export type V3CanonicalSet = keyof typeof V3_CANONICAL_SETS;

/**
 * `create_canonical_states` (§3.3): split `total` over `rewards` (remainder to the first), and for each
 * reward shuffle all its episodes and take one uniformly random time index from each of the first
 * `count` episodes. [main]: `rewards` = the reward systems present (8 → 16 each of 128); [v3]: one of
 * `V3_CANONICAL_SETS`. A reward with fewer episodes than its share contributes what it has (the
 * reference warns). The reference draws from the unseeded global `random`; we draw from `rng`
 * (one Fisher–Yates shuffle per reward, then one `rng.int(length)` per episode taken).
 */
export function sampleCanonical(episodes: readonly EpisodeRef[], rewards: readonly string[], total: number, rng: Rng): CanonicalPick[] {
  if (rewards.length === 0) throw new RangeError("invalid reward list: empty");
  for (const e of episodes) {
    if (!Number.isInteger(e.length) || e.length < 1) throw new RangeError(`invalid episode length: ${e.length} (expected ≥ 1)`);
  }
  const shares = splitEvenly(total, rewards.length);
  const picks: CanonicalPick[] = [];
  rewards.forEach((reward, r) => {
    const own: number[] = [];
    episodes.forEach((e, i) => {
      if (e.reward === reward) own.push(i);
    });
    rng.shuffle(own);
    for (let k = 0; k < Math.min(shares[r], own.length); k++) {
      const i = own[k];
      picks.push({episode: i, t: rng.int(episodes[i].length)});
    }
  });
  return picks;
}

/** A snapshot of a library run, as an episode source for canonical sampling. */
export interface RunEpisode extends EpisodeRef {
  run: Run;
  snapshot: number;
}

/** Every recorded snapshot episode of the given runs, runs in order and snapshots ascending. */
export function runEpisodes(runs: readonly Run[]): RunEpisode[] {
  const out: RunEpisode[] = [];
  for (const run of runs) {
    const nSnap = run.meta.snapshotEpisodes.length;
    for (let i = 0; i < nSnap; i++) out.push({run, snapshot: i, reward: run.meta.reward, length: runActions(run, i).length + 1});
  }
  return out;
}

/** Feature matrix (T+1 rows) of a run's snapshot episode, replayed in the run's environment. */
export function snapshotFeatures(run: Run, snapshot: number): FeatureMatrix {
  return episodeFeatures(runEnv(run.meta), runActions(run, snapshot));
}

/**
 * Canonical state matrix (k × dim) from library runs: `sampleCanonical` over `runEpisodes(runs)`,
 * then each pick featurised with its step's hazard count. `rewards` defaults to the reward systems of
 * the runs in first-seen order ([main]); pass `V3_CANONICAL_SETS[set]` for [v3].
 */
export function canonicalStatesFromRuns(runs: readonly Run[], rng: Rng, options: {total?: number; rewards?: readonly string[]} = {}): FeatureMatrix {
  if (runs.length === 0) throw new RangeError("invalid runs: empty");
  const size = runs[0].meta.size;
  if (runs.some((r) => r.meta.size !== size)) throw new RangeError("invalid runs: mixed grid sizes");
  const total = options.total ?? 128;
  const rewards = options.rewards ?? [...new Set(runs.map((r) => r.meta.reward))];
  const eps = runEpisodes(runs);
  const picks = sampleCanonical(eps, rewards, total, rng);
  const dim = featureDim(size);
  const data = new Float32Array(picks.length * dim);
  picks.forEach((p, k) => {
    const f = snapshotFeatures(eps[p.episode].run, eps[p.episode].snapshot);
    data.set(f.data.subarray(p.t * dim, (p.t + 1) * dim), k * dim);
  });
  return {data, rows: picks.length, dim};
}
