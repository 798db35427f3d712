/**
 * Browser-side summaries of the shipped study outputs (data-loaders/steer.ts → study-unit.ts UnitResult)
 * for the "Graceful degradation" and "Where steering helps" pages: filter units, pool their per-episode
 * scores, and recompute means, paired intervals against the frozen actor (spec/steering.md §5) and
 * Help/Frozen/Hurt labels, the score-vs-α curves of every rule, the selector's D(α) curves (§4) and
 * label splits. Pure: no DOM, no fs.
 *
 * Pooling [OURS]: when several units are selected (environments, seeds), their episodes are
 * concatenated in unit order and the comparison with the frozen actor stays paired episode by episode
 * (each unit's configs share common random numbers). The per-unit labels of the build are unchanged;
 * a pooled label is a summary of the selection, not one of the study's units.
 */
import {labelFromInterval, meanInterval, pairedInterval} from "./stats.js";
import {mean} from "../core/stats.js";
import type {Label, MeanInterval, Split} from "./stats.js";

/** The unit fields these summaries read (a subset of study-unit.ts UnitResult, so tests can build them). */
export interface SummaryUnit {
  id: string;
  env: string;
  dataset: string;
  seed: number;
  condition: string;
  dim: number;
  metric: "normalized" | "success";
  configs: {id: string; family: "frozen" | "prior" | "additive" | "poe" | "klreg"; alpha: number | null; beta: number | null}[];
  scores: Record<string, number[]>;
  alphaStar: number;
  alphaOracle: number;
  selector: {alpha: number; budget: number; curve: number[]};
  labels: Record<string, Label>;
  labelsWelch: Record<string, Label>;
}

/** "all" (or undefined) matches every value. */
export interface UnitFilter {
  env?: string;
  dataset?: string;
  condition?: string;
  seed?: number | "all";
}

/** Units matching every given field of the filter, in their original order. */
export function filterUnits<U extends SummaryUnit>(units: readonly U[], filter: UnitFilter = {}): U[] {
  const ok = (want: unknown, have: unknown) => want === undefined || want === "all" || want === have;
  return units.filter((u) => ok(filter.env, u.env) && ok(filter.dataset, u.dataset) && ok(filter.condition, u.condition) && ok(filter.seed, u.seed));
}

/** Distinct values of one field, in first-seen order. */
export function distinct<U extends SummaryUnit, K extends keyof U>(units: readonly U[], key: K): U[K][] {
  return [...new Set(units.map((u) => u[key]))];
}

/** The per-episode scores of one config, concatenated over units; null if any unit lacks the config. */
export function pooledScores(units: readonly SummaryUnit[], configId: string): number[] | null {
  const out: number[] = [];
  for (const u of units) {
    const s = u.scores[configId];
    if (!s) return null;
    for (const x of s) out.push(x);
  }
  return out;
}

export type CurveRule = "poe" | "klreg" | "additive";

export interface CurveRow {
  rule: CurveRule;
  alpha: number;
  /** Mean score of the rule at α over the pooled episodes. */
  mean: number;
  /** The rule's mean ± the paired interval's half-width (so the bar shows the Δ uncertainty around the mean). */
  lo: number;
  hi: number;
  /** Paired Δ = mean(rule − frozen) and its 95% interval. */
  delta: number;
  deltaLo: number;
  deltaHi: number;
  /** §5 label of the pooled comparison (paired interval, |Δ| ≥ 1 point). */
  label: Label;
  /**
   * "evaluated": scores of this config; "identity": KL-Reg drawn from PoE(α) because the study did not
   * evaluate KL-Reg (deterministic PoE(α) ≡ KL-Reg(α/(1−α)), claim C2); "endpoint": α = 0 is the frozen
   * actor and α = 1 the prior's mean action for every rule.
   */
  source: "evaluated" | "identity" | "endpoint";
  n: number;
}

export interface Degradation {
  units: number;
  episodes: number;
  metric: "normalized" | "success" | "mixed";
  frozen: MeanInterval;
  prior: MeanInterval | null;
  rows: CurveRow[];
}

const ALPHAS_OF = (units: readonly SummaryUnit[], family: string): number[] => {
  const sets = units.map((u) => new Set(u.configs.filter((c) => c.family === family && c.alpha !== null).map((c) => c.alpha as number)));
  if (sets.length === 0) return [];
  return [...sets[0]].filter((a) => sets.every((s) => s.has(a))).sort((a, b) => a - b);
};

/**
 * Score against α for PoE, KL-Reg (β = α/(1−α)) and Additive A over the selected units, each point with
 * its paired interval against the frozen actor, plus the frozen and prior-only means with their
 * t-intervals. The curves start at α = 0 (the frozen actor) and end at α = 1 (the prior's mean action).
 */
export function degradationCurves(units: readonly SummaryUnit[], minEffect = 1): Degradation {
  if (units.length === 0) throw new RangeError("invalid selection: no units");
  const frozenScores = pooledScores(units, "frozen");
  if (!frozenScores || frozenScores.length < 2) throw new RangeError("invalid selection: the frozen actor needs at least 2 episodes");
  const priorScores = pooledScores(units, "prior");
  const frozen = meanInterval(frozenScores);
  const prior = priorScores ? meanInterval(priorScores) : null;
  const rows: CurveRow[] = [];
  const point = (rule: CurveRule, alpha: number, scores: number[], source: CurveRow["source"]): CurveRow => {
    const iv = pairedInterval(scores, frozenScores);
    const m = mean(scores);
    const half = iv.hi - iv.estimate;
    return {rule, alpha, mean: m, lo: m - half, hi: m + half, delta: iv.estimate, deltaLo: iv.lo, deltaHi: iv.hi, label: labelFromInterval(iv, minEffect), source, n: scores.length};
  };
  const poeAlphas = ALPHAS_OF(units, "poe");
  const klAlphas = new Set(ALPHAS_OF(units, "klreg"));
  for (const rule of ["poe", "klreg", "additive"] as const) {
    const alphas = rule === "klreg" ? poeAlphas : ALPHAS_OF(units, rule);
    if (alphas.length === 0) continue;
    rows.push({...point(rule, 0, frozenScores, "endpoint"), lo: frozen.mean, hi: frozen.mean, deltaLo: 0, deltaHi: 0});
    for (const a of alphas) {
      const own = rule !== "klreg" || klAlphas.has(a);
      const id = `${own ? rule : "poe"}-${a}`;
      const s = pooledScores(units, id);
      if (s) rows.push(point(rule, a, s, own ? "evaluated" : "identity"));
    }
    if (priorScores) {
      const end = point(rule, 1, priorScores, "endpoint");
      rows.push({...end, lo: end.mean, hi: end.mean});
    }
  }
  const metrics = new Set(units.map((u) => u.metric));
  return {units: units.length, episodes: frozenScores.length, metric: metrics.size === 1 ? units[0].metric : "mixed", frozen, prior, rows};
}

export interface SelectorRow {
  unit: string;
  env: string;
  seed: number;
  alpha: number;
  /** D(α) in nats per state (α = 0: 0). */
  divergence: number;
  budget: number;
  /** D(α)/ε: the selector takes the largest α with ratio ≤ 1. */
  ratio: number;
}

export interface SelectorMark {
  unit: string;
  env: string;
  alphaStar: number;
  alphaOracle: number;
  budget: number;
  /** D/ε at α* and at the oracle's α (0 when α = 0). */
  ratioStar: number;
  ratioOracle: number;
}

/** The selector's divergence curves D(α) (§4.3), one per unit, with α = 0 prepended (D = 0). */
export function selectorCurves(units: readonly SummaryUnit[], grid: readonly number[] = [0.1, 0.3, 0.5, 0.7, 0.9]): {rows: SelectorRow[]; marks: SelectorMark[]} {
  const rows: SelectorRow[] = [];
  const marks: SelectorMark[] = [];
  for (const u of units) {
    const {curve, budget} = u.selector;
    if (curve.length !== grid.length) throw new RangeError(`shape mismatch: ${u.id} has ${curve.length} D(α) values, the grid ${grid.length}`);
    const at = (a: number) => (a === 0 ? 0 : (curve[grid.indexOf(a)] ?? NaN));
    rows.push({unit: u.id, env: u.env, seed: u.seed, alpha: 0, divergence: 0, budget, ratio: 0});
    grid.forEach((a, i) => rows.push({unit: u.id, env: u.env, seed: u.seed, alpha: a, divergence: curve[i], budget, ratio: curve[i] / budget}));
    marks.push({unit: u.id, env: u.env, alphaStar: u.selector.alpha, alphaOracle: u.alphaOracle, budget, ratioStar: at(u.selector.alpha) / budget, ratioOracle: at(u.alphaOracle) / budget});
  }
  return {rows, marks};
}

/** Help/Frozen/Hurt counts of one rule (or a list of rules) over units, from the build's per-unit labels (paired or Welch). */
export function labelSplit(units: readonly SummaryUnit[], rule: string | readonly string[], key: "labels" | "labelsWelch" = "labels"): Split {
  // A list (e.g. PoE at every α) counts unit × rule cells.
  const rules = typeof rule === "string" ? [rule] : rule;
  const s: Split = {help: 0, frozen: 0, hurt: 0};
  for (const u of units) {
    for (const r of rules) {
      const l = u[key][r];
      if (l) s[l]++;
    }
  }
  return s;
}

export interface SplitRow {
  group: string;
  source: string;
  label: Label;
  count: number;
}

/** Long rows {group, source, label, count} for a stacked bar chart of splits. */
export function splitRows(entries: readonly {group: string; source: string; split: Split}[]): SplitRow[] {
  return entries.flatMap(({group, source, split}) => (["help", "frozen", "hurt"] as const).map((label) => ({group, source, label, count: split[label]})));
}

export interface RuleMean {
  unit: string;
  config: string;
  family: string;
  alpha: number | null;
  mean: number;
}

/** Mean score of every config of every unit (the maze diagnostic's success bars). */
export function ruleMeans(units: readonly SummaryUnit[]): RuleMean[] {
  return units.flatMap((u) => u.configs.map((c) => ({unit: u.id, config: c.id, family: c.family, alpha: c.alpha, mean: mean(u.scores[c.id] ?? [NaN])})));
}

export interface SeedSpread {
  /** The replicate seeds present, ascending. */
  seeds: number[];
  /** The split of the rule's labels within each seed (units of that seed only), in `seeds` order. */
  perSeed: Split[];
  /** The split over every unit (the sum of `perSeed`). */
  total: Split;
  /** Per label: the smallest and largest per-seed count, and the sample standard deviation over seeds (0 for one seed). */
  min: Split;
  max: Split;
  sd: Split;
}

/**
 * Seed-to-seed spread of a rule's Help/Frozen/Hurt counts (issue 13 §5): the units are grouped by
 * replicate seed, each seed's split is counted, and the spread of each label's count across seeds is
 * reported beside the total. A count whose spread is as large as the count itself is not a finding.
 * `rule` may be a list: the counts are then summed over its rules (unit × rule cells).
 */
export function seedSpread(units: readonly SummaryUnit[], rule: string | readonly string[], key: "labels" | "labelsWelch" = "labels"): SeedSpread {
  const seeds = [...new Set(units.map((u) => u.seed))].sort((a, b) => a - b);
  const perSeed = seeds.map((s) =>
    labelSplit(
      units.filter((u) => u.seed === s),
      rule,
      key,
    ),
  );
  const labels = ["help", "frozen", "hurt"] as const;
  const stat = (f: (xs: number[]) => number): Split => {
    const out: Split = {help: 0, frozen: 0, hurt: 0};
    for (const l of labels) out[l] = f(perSeed.map((p) => p[l]));
    return out;
  };
  const sd = (xs: number[]) => {
    if (xs.length < 2) return 0;
    const m = mean(xs);
    let v = 0;
    for (const x of xs) v += (x - m) * (x - m);
    return Math.sqrt(v / (xs.length - 1));
  };
  return {
    seeds,
    perSeed,
    total: stat((xs) => xs.reduce((a, b) => a + b, 0)),
    min: stat((xs) => (xs.length ? Math.min(...xs) : 0)),
    max: stat((xs) => (xs.length ? Math.max(...xs) : 0)),
    sd: stat(sd),
  };
}
