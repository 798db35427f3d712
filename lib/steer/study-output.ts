/**
 * A study's output document (format "steer-study/1"): its parameters, its unit results in plan order,
 * the study-level identity gaps and frozen-hash check, and the build's summary of the per-unit labels:
 * Help/Frozen/Hurt counts per rule, overall and per environment, dataset and prior condition, beside
 * the paper's split (spec/steering.md §5, §6.1). The CLI and the steer loader write it; the pages
 * re-pool a selection of its units with summary.ts.
 *
 * Pure: no fs, no process.
 */
import type {Split} from "./stats.js";
import {mean} from "../core/stats.js";
import type {PlanOptions, StudyId, StudyProfile} from "./studies.js";
import {checkStudy, PAPER_SPLIT_A, planStudy, STUDIES, studyParams} from "./studies.js";
import type {UnitResult} from "./study-unit.js";
import {round4, runUnit} from "./study-unit.js";

export const STUDY_FORMAT = "steer-study/1";

function emptySplit(): Split {
  return {help: 0, frozen: 0, hurt: 0};
}

function countLabels(units: readonly UnitResult[], key: "labels" | "labelsWelch"): Record<string, Split> {
  const out: Record<string, Split> = {};
  for (const u of units) {
    for (const [rule, label] of Object.entries(u[key])) (out[rule] ??= emptySplit())[label]++;
  }
  return out;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/** Mean over units of each config's mean score; a unit lacking a config counts 0. */
function meanScores(units: readonly UnitResult[]): Record<string, number> {
  const configs = new Set(units.flatMap((u) => Object.keys(u.means)));
  return Object.fromEntries([...configs].map((k) => [k, round4(mean(units.map((u) => u.means[k] ?? 0)))]));
}

export interface GroupSummary {
  units: number;
  counts: Record<string, Split>;
  meanScores: Record<string, number>;
  /** Mean over units of each sampled-action config's mean score (study-unit.ts `sampled`). */
  sampledMeanScores: Record<string, number>;
  nearOracle: number;
  alphaStar: Record<string, number>;
}

function groupSummary(units: readonly UnitResult[]): GroupSummary {
  const alphaStar: Record<string, number> = {};
  for (const u of units) alphaStar[String(u.alphaStar)] = (alphaStar[String(u.alphaStar)] ?? 0) + 1;
  const sampledIds = new Set(units.flatMap((u) => Object.keys(u.sampled?.means ?? {})));
  const sampledMeanScores = Object.fromEntries([...sampledIds].map((k) => [k, round4(mean(units.map((u) => u.sampled?.means[k] ?? 0)))]));
  return {units: units.length, counts: countLabels(units, "labels"), meanScores: meanScores(units), sampledMeanScores, nearOracle: units.filter((u) => u.oracle.nearOracle).length, alphaStar};
}

export interface StudySummary extends GroupSummary {
  /** Welch-variant counts per rule. */
  countsWelch: Record<string, Split>;
  byEnv: Record<string, GroupSummary>;
  byDataset: Record<string, GroupSummary>;
  byCondition: Record<string, GroupSummary>;
  /** The study's headline split(s) (§5) beside the paper's where it has one. */
  headline: {rule: string; split: Split}[];
  paperSplit: Split | null;
}

/** Help/Frozen/Hurt counts per rule, overall and per environment, dataset and prior condition. */
export function summarizeStudy(units: readonly UnitResult[]): StudySummary {
  const by = (k: (u: UnitResult) => string) => Object.fromEntries([...groupBy(units, k)].map(([g, us]) => [g, groupSummary(us)]));
  const study = units[0]?.study;
  const base = groupSummary(units);
  const headline = study ? STUDIES[study].headline.map((rule) => ({rule, split: base.counts[rule] ?? emptySplit()})) : [];
  return {
    ...base,
    countsWelch: countLabels(units, "labelsWelch"),
    byEnv: by((u) => u.env),
    byDataset: by((u) => u.dataset),
    byCondition: by((u) => u.condition),
    headline,
    paperSplit: study === "A" ? {...PAPER_SPLIT_A} : null,
  };
}

export interface StudyOutput {
  format: typeof STUDY_FORMAT;
  study: StudyId;
  title: string;
  profile: StudyProfile;
  params: ReturnType<typeof studyParams>;
  /** Evaluation episodes actually run, and the paper's count where it gives one. */
  episodes: number;
  paperEpisodes: number | null;
  paper: string;
  units: UnitResult[];
  /** Largest identity gaps over every evaluated state of every unit (§2.4). */
  identity: {maxMeanAbsDiff: number; maxCovRatioErr: number};
  /** True when every unit's frozen actor hashed identically before and after (§7 C3). */
  frozenUnchanged: boolean;
  summary: StudySummary;
  note: string;
}

export const ANALOG_NOTE = "Analog, not a replication: ReachN / PointMaze stand in for D4RL MuJoCo / AntMaze (spec/steering.md §8.9); absolute scores and the exact splits do not carry over.";

/** Assemble a study's output from its unit results (any order; sorted back into plan order by id). */
export function assembleStudy(study: StudyId, profile: StudyProfile, units: readonly UnitResult[], options: PlanOptions = {}): StudyOutput {
  checkStudy(study);
  const order = new Map(planStudy(study, profile, options).map((u, i) => [u.id, i]));
  const sorted = units.slice().sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity));
  let maxMeanAbsDiff = 0;
  let maxCovRatioErr = 0;
  for (const u of sorted) {
    maxMeanAbsDiff = Math.max(maxMeanAbsDiff, u.identity.maxMeanAbsDiff);
    maxCovRatioErr = Math.max(maxCovRatioErr, u.identity.maxCovRatioErr);
  }
  const def = STUDIES[study];
  return {
    format: STUDY_FORMAT,
    study,
    title: def.title,
    profile,
    params: studyParams(study, profile, options),
    episodes: sorted.reduce((s, u) => s + u.configs.length * (u.scores.frozen?.length ?? 0), 0),
    paperEpisodes: def.paperEpisodes,
    paper: def.paper,
    units: sorted,
    identity: {maxMeanAbsDiff, maxCovRatioErr},
    frozenUnchanged: sorted.every((u) => u.hashes.unchanged),
    summary: summarizeStudy(sorted),
    note: ANALOG_NOTE,
  };
}

/** Run a whole study in this thread (sync; the Node side uses worker threads instead). */
export function runStudySync(study: StudyId, profile: StudyProfile, options: PlanOptions & {onUnit?: (r: UnitResult, done: number, total: number) => void} = {}): StudyOutput {
  const plan = planStudy(study, profile, options);
  const results: UnitResult[] = [];
  for (const u of plan) {
    const r = runUnit(u);
    results.push(r);
    options.onUnit?.(r, results.length, plan.length);
  }
  return assembleStudy(study, profile, results, options);
}
