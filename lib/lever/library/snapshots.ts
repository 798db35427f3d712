/**
 * Which snapshots of a library run become library policies (spec/lever.md §3.2).
 *
 * - [main] rule: CSV rows int(p·(rows−1)) for p ∈ {0.2, 0.6, 0.8}, labels 20/60/80.
 * - [v3] rule: the max-, min- and median-unique-value snapshots (distinct episodes, exact tie rules),
 *   then 60% of the remaining snapshots except episode 0, sampled like pandas
 *   `DataFrame.sample(frac=0.6, random_state=seed)` (lib/core/py.ts `pandasSampleIndices`).
 *
 * Everything here works on plain rows ({episode, reward}) so that it can be fed from our library
 * runs (`runSnapshotRows`) or from the reference's CSVs alike.
 */
import type {Variant} from "../env/layout.js";
import {pandasSampleIndices, pyRound} from "../../core/py.js";
import type {Run} from "./runs.js";
import {seed4} from "./runs.js";

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
  return `${spec}_${reward}_${seed4(seed)}_${label}`;
}

/** The policy seed as the reference parses it: the second-to-last '_' token of the name (§3.2). */
export function policySeedFromName(name: string): number {
  const parts = name.split("_");
  const seed = parts.length >= 2 ? Number(parts[parts.length - 2]) : NaN;
  if (!Number.isInteger(seed)) throw new RangeError(`invalid policy name: ${JSON.stringify(name)} (no seed token)`);
  return seed;
}

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
export const MAIN_PERCENTAGES: readonly (readonly [number, string])[] = [
  [0.2, "20"],
  [0.6, "60"],
  [0.8, "80"],
];

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
    const candidates = byEpisode(
      all.filter((i) => rows[i].reward === value),
      latest,
    );
    let pick = candidates.find((i) => !used.has(rows[i].episode));
    if (pick === undefined)
      pick = byEpisode(
        all.filter((i) => !used.has(rows[i].episode)),
        latest,
      )[0];
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
