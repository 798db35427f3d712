/**
 * The hybrid top-k sweep (spec/lever.md §8.6, `hybrid_k_sweep.py`): for every job, retrieve once and
 * evaluate the hybrid strategy for each k (lib/lever/compose/strategy.ts), then average per k with
 * the reference's columns.
 */
import {planCombinations} from "../compose/strategy.js";
import type {ExperimentJob, TimedDecomposition} from "./jobs.js";
import {resolveExperimentParams, type ExperimentParams} from "./params.js";
import {jobStrategies, retrieve, type ExperimentContext} from "./run.js";

/** The reference's float64 columns of hybrid_k_sweep.csv (k and the run counts are integers). */
export const SWEEP_FLOAT_COLUMNS: readonly string[] = ["avg_reward", "avg_time_s", "avg_hybrid_time_s", "avg_decomp_time_s", "avg_search_time_s", "avg_combo_time_s"];

export const SWEEP_COLUMNS = ["k", "avg_reward", "avg_time_s", "avg_hybrid_time_s", "avg_decomp_time_s", "avg_search_time_s", "avg_combo_time_s", "runs_used", "runs_total", "min_candidates"] as const;

export interface SweepRun {
  job: ExperimentJob;
  k: number;
  reward: number;
  policies: string[];
  searchSeconds: number;
  comboSeconds: number;
  decompSeconds: number;
}

/**
 * For every job: retrieve once (top-5 > 0.7 per sub-query), rank by regressor, and for each k evaluate
 * the product of the per-sub-query top-k by §7.3 (best predicted → its actual reward). `ks` defaults to
 * 2..(global minimum candidates − 1), as the reference. Returns the per-run results and the summary
 * rows with the reference's columns (time = search + combinations + decomp).
 *
 * As the reference's `hybrid_k_sweep.py`, a run where some sub-query retrieved no candidate is left
 * out entirely: it is not a run of the sweep (not in `runs_total` nor `runs_used`) and its zero does
 * not set `min_candidates`. `skipped` lists those runs' jobs.
 */
export function sweepK(
  ctx: ExperimentContext,
  jobs: readonly ExperimentJob[],
  decompositions: Record<string, TimedDecomposition>,
  params: Partial<ExperimentParams> = {},
  ks?: readonly number[],
  onProgress?: (done: number, total: number) => void,
): {runs: SweepRun[]; summary: Record<(typeof SWEEP_COLUMNS)[number], number>[]; minCandidates: number; skipped: ExperimentJob[]} {
  const p = resolveExperimentParams(params);
  const retrieved = jobs.map((job) => {
    const d = decompositions[`${job.mode}|${job.setup}`];
    if (!d) throw new RangeError(`no decomposition for ${job.mode}|${job.setup}`);
    return {job, d, r: retrieve(ctx, job, d.subQueries, p)};
  });
  const complete = (x: (typeof retrieved)[number]) => x.r.candidates.length > 0 && x.r.candidates.every((c) => c.length > 0);
  const prepared = retrieved.filter(complete);
  const skipped = retrieved.filter((x) => !complete(x)).map((x) => x.job);
  const minCandidates = prepared.length > 0 ? Math.min(...prepared.flatMap((x) => x.r.candidates.map((c) => c.length))) : 0;
  const kList = ks ?? Array.from({length: Math.max(0, minCandidates - 2)}, (_, i) => i + 2);
  for (const k of kList) if (!Number.isInteger(k) || k < 1) throw new RangeError(`invalid k: ${k} (expected a positive integer)`);
  const runs: SweepRun[] = [];
  let done = 0;
  for (const {job, d, r} of prepared) {
    const s = jobStrategies(ctx, job, p);
    for (const k of kList) {
      const res = s.run(planCombinations(r.candidates, "hybrid", {...s.plan, hybridTopK: k}), "hybrid");
      const best = res.evaluated[res.best];
      const zero = p.timing === "zero";
      runs.push({
        job,
        k,
        reward: best ? best.reward : NaN,
        policies: best ? best.combination.map((c) => c.policy.name) : [],
        searchSeconds: zero ? 0 : r.seconds,
        comboSeconds: zero ? 0 : (res.composeMs + res.scoreMs) / 1000,
        decompSeconds: zero ? 0 : d.seconds,
      });
    }
    onProgress?.(++done, prepared.length);
  }
  const summary = kList.map((k) => {
    const rs = runs.filter((x) => x.k === k);
    const used = rs.filter((x) => Number.isFinite(x.reward));
    const avg = (f: (x: SweepRun) => number) => (used.length ? used.reduce((a, x) => a + f(x), 0) / used.length : NaN);
    const hybrid = avg((x) => x.searchSeconds + x.comboSeconds);
    const decomp = avg((x) => x.decompSeconds);
    return {
      k,
      avg_reward: avg((x) => x.reward),
      avg_time_s: hybrid + decomp,
      avg_hybrid_time_s: hybrid,
      avg_decomp_time_s: decomp,
      avg_search_time_s: avg((x) => x.searchSeconds),
      avg_combo_time_s: avg((x) => x.comboSeconds),
      runs_used: used.length,
      runs_total: rs.length,
      min_candidates: minCandidates,
    };
  });
  return {runs, summary, minCandidates, skipped};
}
