/**
 * Train-from-scratch (TFS) over several training seeds (issue 10 item 4). The reference's TFS of a
 * cell is one unseeded SARSA run; ours is one seeded run, the library's (training seed 0: the
 * reference-comparable first seed, `scratch_reward`). A single greedy policy that gets stuck moves a
 * cell's mean by 60–250, so beside it we train the cell's setup again from scratch with further
 * training seeds (same layout, reward, episodes and ε schedule; only the training stream differs)
 * and report the median, the quartiles and the failures over all of them.
 *
 * A failure is a greedy rollout (§2.3) that does not end on the exit: it runs out of steps (stuck
 * against a block or the border) or enters a hazard.
 *
 * Pure: no fs, no process. `trainRun` is the library's own training kernel.
 */
import {greedyRollout} from "../env/gridworld.js";
import type {GoldPenalty} from "../env/rewards.js";
import {runEnv, trainRun, type RunMeta} from "../library/runs.js";

/** One training seed of a cell: the greedy reward on the target env and whether it reached the exit. */
export interface TfsSample {
  trainSeed: number;
  reward: number;
  failed: boolean;
}

/** Robust summary of a cell's TFS samples (type-7 quantiles, as numpy's default and pandas'). */
export interface TfsSummary {
  n: number;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  failures: number;
}

/** Quantile p of sorted values by linear interpolation (numpy's default "linear", R type 7). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function summarizeTfs(samples: readonly TfsSample[]): TfsSummary {
  const r = samples.map((s) => s.reward).sort((a, b) => a - b);
  return {
    n: r.length,
    median: quantileSorted(r, 0.5),
    q1: quantileSorted(r, 0.25),
    q3: quantileSorted(r, 0.75),
    min: r.length ? r[0] : NaN,
    max: r.length ? r[r.length - 1] : NaN,
    failures: samples.filter((s) => s.failed).length,
  };
}

/**
 * The setup of `meta` (a library run of the target reward) trained from scratch with each training
 * seed of `trainSeeds`, evaluated greedily on the target env with `goldPenalty` (the table's). Training
 * seed `meta.trainSeed` is the library run itself and is not trained again when `first` (its Q-table) is given.
 */
export function tfsOverSeeds(meta: RunMeta, trainSeeds: readonly number[], goldPenalty: GoldPenalty, first?: Float64Array): TfsSample[] {
  const env = runEnv(meta, goldPenalty, meta.reward);
  return trainSeeds.map((trainSeed) => {
    const q = trainSeed === meta.trainSeed && first ? first : trainRun({...meta, trainSeed, keep: "policies"}).qFinal;
    const roll = greedyRollout(env, q, false);
    const failed = !(roll.done && env.pos === env.exit);
    return {trainSeed, reward: roll.total, failed};
  });
}
