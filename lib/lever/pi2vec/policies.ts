/**
 * Which snapshots become library policies (spec/lever.md §3.2) and which states are canonical (§3.3).
 *
 * - [main] rule: CSV rows int(p·(rows−1)) for p ∈ {0.2, 0.6, 0.8}, labels 20/60/80.
 * - [v3] rule: the max-, min- and median-unique-value snapshots (distinct episodes, exact tie rules),
 *   then 60% of the remaining snapshots except episode 0, sampled like pandas
 *   `DataFrame.sample(frac=0.6, random_state=seed)`. That sampler is numpy's legacy
 *   `RandomState(seed)`: MT19937 seeded by `init_genrand(seed)`, and `choice(n, k, replace=False)` =
 *   `permutation(n)[:k]`, whose shuffle draws j ∈ [0, i] by masked rejection (`random_interval`).
 *   Ported here and checked against numpy 2.4 (test/lever/pi2vec/policies.test.ts fixtures).
 * - Canonical states: the [main] scheme (128 states split over the reward systems present, one
 *   random time index from each of the first k shuffled episodes of a reward) and the [v3]
 *   base/pair/trip sets. The reference uses the unseeded global `random`; we draw from an `Rng`.
 *
 * Everything here works on plain rows ({episode, reward}) so that it can be fed from our library
 * runs (`runSnapshotRows`) or from the reference's CSVs alike.
 */
import {episodeFeatures, featureDim} from "./features.js";
import type {FeatureMatrix} from "./features.js";
import type {Run} from "../library/runs.js";
import {runActions, runEnv} from "../library/runs.js";
import type {Variant} from "../env/layout.js";
import {MT19937, type Rng} from "../../core/rng.js";

// ---------------------------------------------------------------------------------------------
// Rows, names, labels

/** One row of `episode_rewards.csv` (§2.2). */
export interface SnapshotRow {
  episode: number;
  /** Greedy reward after that episode, as stored in the CSV (see `csvReward`). */
  reward: number;
  /** Cumulative training time (s). */
  time?: number;
}

/** A selected library policy. */
export interface PolicyPick {
  /** Index into the rows given to the selector (= snapshot index for `runSnapshotRows`). */
  row: number;
  episode: number;
  /** The regressor label of §3.2: the row's greedy reward. */
  reward: number;
  /** "20" | "60" | "80" [main]; "20" | "60" | "100" | "ep<episode>" [v3]. */
  label: string;
  /** "<spec>_<reward>_<seed4>_<label>". */
  name: string;
}

export interface PolicyOwner {
  spec: string;
  reward: string;
  seed: number;
}

/** "<spec>_<reward>_<seed4>_<label>" (§3.2). */
export function policyName(owner: PolicyOwner, label: string | number): string {
  const {spec, reward, seed} = owner;
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`invalid seed: ${seed} (expected a non-negative integer)`);
  return `${spec}_${reward}_${String(seed).padStart(4, "0")}_${label}`;
}

/** The policy seed as the reference parses it: the second-to-last '_' token of the name (§3.2). */
export function policySeedFromName(name: string): number {
  const parts = name.split("_");
  const seed = parts.length >= 2 ? Number(parts[parts.length - 2]) : NaN;
  if (!Number.isInteger(seed)) throw new RangeError(`invalid policy name: ${JSON.stringify(name)} (no seed token)`);
  return seed;
}

/**
 * Python's `round(x, ndigits)` (round half to even on exact ties), for ndigits ∈ {0, 3}: the CSV
 * rewards are `int(round(x))` [main] and `round(x, 3)` [v3] (§2.2), and v3's tie rules compare those.
 */
export function pyRound(x: number, ndigits = 0): number {
  if (!Number.isFinite(x)) return x;
  if (ndigits === 0) {
    const f = Math.floor(x);
    const d = x - f;
    if (d === 0.5) return f % 2 === 0 ? f : f + 1;
    return Math.round(x);
  }
  if (ndigits !== 3) throw new RangeError(`invalid ndigits: ${ndigits} (supported: 0, 3)`);
  // An exact tie at 3 decimals needs 1000·x = k + ½ exactly, i.e. x = j/16 (then 1000·x is exact).
  if (Number.isInteger(x * 16)) {
    const y = x * 1000;
    const f = Math.floor(y);
    if (y - f === 0.5) return (f % 2 === 0 ? f : f + 1) / 1000;
  }
  // Otherwise toFixed rounds the exact binary value to the nearest decimal, as CPython does.
  return Number(x.toFixed(3));
}

/** The reward as the reference's CSV stores it: `int(round(x))` [main], `round(x, 3)` [v3] (§2.2). */
export function csvReward(x: number, variant: Variant): number {
  return variant === "v3" ? pyRound(x, 3) : pyRound(x, 0);
}

/**
 * Rows of a library run in the form the selectors take: one row per snapshot (episodes 0, 1000, …),
 * rewards rounded as the reference's CSV. `withFinal` appends the final row (episode = total
 * episodes, no snapshot), which the [main] rule counts and [v3] drops (§3.2).
 */
export function runSnapshotRows(run: Run, withFinal = false, round = true): SnapshotRow[] {
  const {snapshotEpisodes, variant, episodes, finalReward, time} = run.meta;
  const r = (x: number) => (round ? csvReward(x, variant) : x);
  const rows: SnapshotRow[] = snapshotEpisodes.map((episode, i) => ({episode, reward: r(run.rewards[i]), time: run.times[i]}));
  if (withFinal) rows.push({episode: episodes, reward: r(finalReward), time});
  return rows;
}

// ---------------------------------------------------------------------------------------------
// [main] rule (§3.2)

/** The [main] percentages and their labels. */
export const MAIN_PERCENTAGES: readonly (readonly [number, string])[] = [[0.2, "20"], [0.6, "60"], [0.8, "80"]];

/** Row indices int(p·(rows−1)) for p ∈ {0.2, 0.6, 0.8}; rows counts the final row (31 → 6, 18, 24). */
export function mainPolicyRows(rows: number): number[] {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`invalid row count: ${rows} (expected a positive integer)`);
  return MAIN_PERCENTAGES.map(([p]) => Math.trunc(p * (rows - 1)));
}

/**
 * [main] `process_states` selection for one (spec, reward, seed): `rows` are all CSV rows including
 * the final one. Names "<spec>_<reward>_<seed4>_<20|60|80>".
 */
export function selectMainPolicies(rows: readonly SnapshotRow[], owner: PolicyOwner): PolicyPick[] {
  return mainPolicyRows(rows.length).map((row, k) => {
    const label = MAIN_PERCENTAGES[k][1];
    return {row, episode: rows[row].episode, reward: rows[row].reward, label, name: policyName(owner, label)};
  });
}

// ---------------------------------------------------------------------------------------------
// numpy legacy RandomState (MT19937) and pandas sample


/**
 * numpy's legacy `np.random.RandomState(seed)` for an integer seed 0 ≤ seed < 2³²: MT19937 seeded with
 * `init_genrand(seed)` (numpy's `mt19937_seed`, not CPython's init_by_array), and the methods pandas'
 * `sample` reaches: `permutation`, `shuffle`, `choice(n, k, replace=False)`.
 */
export class NumpyRandomState extends MT19937 {
  constructor(seed: number) {
    super();
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`invalid seed: ${seed} (expected an integer in [0, 2^32))`);
    // numpy's legacy seeding of an integer: init_genrand(seed) (nextUint32 is numpy's random_raw()).
    this.initGenrand(seed >>> 0);
  }

  /** numpy's `random_interval(max)`: uniform in [0, max] by rejection on the smallest covering bit mask. */
  randomInterval(max: number): number {
    if (!Number.isInteger(max) || max < 0 || max > 0xffffffff) throw new RangeError(`invalid interval bound: ${max}`);
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v = (this.nextUint32() & mask) >>> 0;
    while (v > max) v = (this.nextUint32() & mask) >>> 0;
    return v;
  }

  /** Legacy `shuffle` of a 1-d array in place: for i = n−1 … 1, swap x[i] with x[random_interval(i)]. */
  shuffle<T extends {length: number; [i: number]: unknown}>(x: T): T {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /** `permutation(n)`: shuffle of arange(n). */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid permutation length: ${n}`);
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    return this.shuffle(a);
  }

  /** `choice(n, size=k, replace=False)` without weights: `permutation(n)[:k]`. */
  choice(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`invalid sample size: ${k} of ${n} (expected 0 ≤ k ≤ n without replacement)`);
    return this.permutation(n).slice(0, k);
  }
}

/**
 * Positions chosen by pandas `DataFrame.sample(frac=frac, random_state=seed)` on a frame of n rows, in
 * the order pandas returns them: k = round(frac·n) (Python round), then
 * `RandomState(seed).choice(n, k, replace=False)`. With `count: "floor"`, k = int(frac·n), which is
 * `sample(n=int(0.6·len))` as in the [S] variant (§10).
 */
export function pandasSampleIndices(n: number, frac: number, seed: number, count: "round" | "floor" = "round"): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid row count: ${n}`);
  if (!(frac >= 0 && frac <= 1)) throw new RangeError(`invalid frac: ${frac} (expected 0 ≤ frac ≤ 1)`);
  const k = count === "floor" ? Math.trunc(frac * n) : pyRound(frac * n, 0);
  return new NumpyRandomState(seed).choice(n, k);
}

// ---------------------------------------------------------------------------------------------
// [v3] rule (§3.2)

export interface V3SelectOptions {
  /** Fraction of the remaining snapshots sampled (0.6). */
  frac?: number;
  /** "round": pandas `sample(frac=…)` as [v3] (default); "floor": `int(frac·n)` as [S]. */
  count?: "round" | "floor";
  /** "sample": the order pandas returns (v3, default); "episode": sorted by episode ([S]). */
  order?: "sample" | "episode";
}

/**
 * [v3] `process_states` selection for one (spec, reward, seed). `rows` are the CSV rows that have a
 * snapshot directory (the final row is dropped), in CSV order.
 *
 * 1. Over the sorted unique reward values: max = last, min = first, mid = values[⌊len/2⌋] (the upper
 *    median for an even count, always an attained value).
 * 2. In the order max, min, mid, each takes, among rows with exactly that reward and an episode not yet
 *    used, the latest episode (max, min) or the earliest (mid). If every such row is used, it takes the
 *    latest (max, min) / earliest (mid) among all unused rows; if none is left, it is skipped.
 *    Labels: min 20, mid 60, max 100.
 * 3. The random pool = unused rows with episode ≠ 0, in CSV order; pandas
 *    `pool.sample(frac=0.6, random_state=seed)` picks the extras, labelled "ep<episode>".
 * Output order: min, mid, max, then the extras.
 */
export function selectV3Policies(rows: readonly SnapshotRow[], owner: PolicyOwner, options: V3SelectOptions = {}): PolicyPick[] {
  const {frac = 0.6, count = "round", order = "sample"} = options;
  if (count !== "round" && count !== "floor") throw new RangeError(`invalid count rule: ${JSON.stringify(count)} (accepted: round, floor)`);
  if (order !== "sample" && order !== "episode") throw new RangeError(`invalid order: ${JSON.stringify(order)} (accepted: sample, episode)`);
  for (const r of rows) {
    if (!Number.isInteger(r.episode) || !Number.isFinite(r.reward)) throw new RangeError(`invalid row: ${JSON.stringify(r)}`);
  }
  if (rows.length === 0) return [];
  const values = [...new Set(rows.map((r) => r.reward))].sort((a, b) => a - b);
  const plan: [key: "max" | "min" | "mid", value: number, latest: boolean, label: string][] = [
    ["max", values[values.length - 1], true, "100"],
    ["min", values[0], true, "20"],
    ["mid", values[values.length >> 1], false, "60"],
  ];
  const used = new Set<number>();
  const chosen = new Map<string, number>();
  // Stable sort by episode (pandas sort_values on one column is stable for equal keys in practice;
  // episodes are distinct per run, so ties do not arise).
  const byEpisode = (idx: number[], latest: boolean) => idx.sort((a, b) => (latest ? rows[b].episode - rows[a].episode : rows[a].episode - rows[b].episode));
  const all = rows.map((_, i) => i);
  for (const [key, value, latest] of plan) {
    const candidates = byEpisode(all.filter((i) => rows[i].reward === value), latest);
    let pick = candidates.find((i) => !used.has(rows[i].episode));
    if (pick === undefined) pick = byEpisode(all.filter((i) => !used.has(rows[i].episode)), latest)[0];
    if (pick === undefined) continue;
    used.add(rows[pick].episode);
    chosen.set(key, pick);
  }
  const picks: PolicyPick[] = [];
  for (const key of ["min", "mid", "max"] as const) {
    const i = chosen.get(key);
    if (i === undefined) continue;
    const label = plan.find((p) => p[0] === key)![3];
    picks.push({row: i, episode: rows[i].episode, reward: rows[i].reward, label, name: policyName(owner, label)});
  }
  const pool = all.filter((i) => !used.has(rows[i].episode) && rows[i].episode !== 0);
  const sampled = Array.from(pandasSampleIndices(pool.length, frac, owner.seed, count), (p) => pool[p]);
  if (order === "episode") byEpisode(sampled, false);
  for (const i of sampled) {
    const label = `ep${rows[i].episode}`;
    picks.push({row: i, episode: rows[i].episode, reward: rows[i].reward, label, name: policyName(owner, label)});
  }
  return picks;
}

// ---------------------------------------------------------------------------------------------
// Canonical states (§3.3)

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
