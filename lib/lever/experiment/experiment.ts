/**
 * The LEVER experiment (spec/lever.md §8, `full_experiment.py`): for every spec, mode (trivial →
 * double → triple), setup and seed, the train-from-scratch baseline (TFS) against targeted (TC),
 * exhaustive (EC) and hybrid top-k (HC) composition of retrieved library policies (§7.4).
 *
 * Pure: no fs, no process. The caller decodes the library runs of one spec set, embeds them
 * (lib/lever/pi2vec/embedding.ts `embedLibrary`) and fits the regressors (`fitRegressors`); `runExperiment` (or
 * `runJob`, one (spec, mode, setup, seed) at a time, for worker threads and shards) returns rows with
 * the reference's CSV columns (§8.3) plus the chosen policies and per-stage timings.
 *
 * Faithful defaults ([main], the ExNonZero tables): no spec filter in retrieval (§11 item 7 leakage),
 * targeted = top-2 of the pooled candidates by regressor (§7.4), exhaustive = the Cartesian product
 * scored by §7.3, hybrid k = 3, strict `>` keeps the first maximum. [v3] rule (the support-limited
 * ExZero regime): spec filter, one best candidate per sub-query, base/pair/trip canonical sets and
 * regressors per mode (§5). Timing semantics of §8.4: no method time includes the decomposition or the
 * final evaluation; exnonzero targeted_time is only union + bounds + prune.
 *
 * decomp_time is the time of our deterministic parser (lib/lever/retrieval/decompose.ts), microseconds; the
 * reference's was a hosted LLM call (≈5–25 s), which the paper tables add to every method time.
 */
import type {Composition, ComposeMethod, ExNonZeroOptions} from "../compose/compose.js";
import {compose, parseComposeMethod} from "../compose/compose.js";
import type {DecompositionMode} from "../retrieval/decompose.js";
import {decomposeQuery, DECOMPOSITION_MODES, parseDecompositionMode, REFERENCE_QUERIES} from "../retrieval/decompose.js";
import {greedyRollout} from "../env/gridworld.js";
import {EXPERIMENT_THRESHOLD, DEFAULT_TOP_K, searchPolicies, type PolicyEntryKey} from "../retrieval/hnsw.js";
import type {Run} from "../library/runs.js";
import {runCounts, runEnv, runQ} from "../library/runs.js";
import type {LibraryEmbedding, LibraryPolicy, PolicyRule, SfMethod} from "../pi2vec/embedding.js";
import {parseSfMethod} from "../pi2vec/embedding.js";
import type {GoldPenalty} from "../env/rewards.js";
import {parseGoldPenalty} from "../env/rewards.js";
import type {LstdParams, PsiParams} from "../pi2vec/successor.js";
import {describeRewardSystem, embedText, EMBED_DIM} from "../retrieval/text-embed.js";
import {pathKey, scorePath, type ScoreContext} from "../compose/score.js";
import {fitRegressors, regressorFor, regressorGroups, regressorReport, type Regressors} from "./regressors.js";

export {fitRegressors, regressorFor, regressorGroups, regressorReport, type Regressors};
import {canonicalMean} from "../pi2vec/successor.js";

export {composedFeatures} from "../compose/score.js";
export {canonicalMean, lstdEmbedding} from "../pi2vec/successor.js";

// ---------------------------------------------------------------------------------------------
// Columns (§8.3)

/** The reference's CSV columns, in order (§8.3). */
export const RESULT_COLUMNS = [
  "setup", "spec", "seed", "query", "scratch_reward", "scratch_time_s", "targeted_reward", "exhaustive_reward",
  "hybrid_reward", "decomp_time", "targeted_time", "exhaustive_time", "hybrid_time",
] as const;

/** Our additions, after the reference's columns: [S]'s policy lists, then per-stage timings (s). */
export const EXTRA_COLUMNS = [
  "targeted_policies", "exhaustive_policies", "hybrid_policies",
  "search_time", "targeted_scoring_time", "targeted_composition_time",
  "exhaustive_combinations", "exhaustive_sf_fits", "exhaustive_composition_time", "exhaustive_sf_time",
  "hybrid_combinations", "hybrid_sf_fits", "hybrid_scoring_time", "hybrid_composition_time", "hybrid_sf_time",
  "candidates", "targeted_pruned_pct",
] as const;

export const EXPERIMENT_COLUMNS = [...RESULT_COLUMNS, ...EXTRA_COLUMNS] as const;
/** Columns that hold wall times (excluded from shard/merge equality unless timing is "zero"). */
export const TIME_COLUMNS: readonly string[] = EXPERIMENT_COLUMNS.filter((c) => /time/.test(c));

export type ExperimentRow = Record<(typeof EXPERIMENT_COLUMNS)[number], string | number>;

// ---------------------------------------------------------------------------------------------
// Parameters

/** Every setting of the experiment, with the faithful [main] values as defaults. */
export interface ExperimentParams {
  /** Composition method: exnonzero (§7.2, [main] tables), qsum (§7.1), gpi ([OURS]). */
  method: ComposeMethod;
  /** Gold-exit penalty of the target env: the 16×16 tables used `legacy` (−20), 32×32 ExNonZero `fractional`. */
  goldPenalty: GoldPenalty;
  /** Hybrid top-k per sub-query (3). */
  hybridTopK: number;
  /** SF estimator for composed candidates: `mlp` (faithful, lr 3e-5) or `lstd` ([OURS], fast). */
  sf: SfMethod;
  /** [main]: pooled top-2 targeted, one canonical set/regressor; [v3]: best per sub-query, base/pair/trip. */
  rule: PolicyRule;
  /** Restrict retrieval to the job's spec ([v3]); false = the [main] leakage of §11.7 (faithful for main). */
  specFilter: boolean;
  /** Retrieval top-k (5) and strict cosine threshold (0.7), §4. */
  topK: number;
  threshold: number;
  /** Reuse the score of a composed path already scored in the same strategy of the same job. */
  memo: boolean;
  /** `wall`: measured times; `zero`: every time column 0 (deterministic output, e.g. shard equality). */
  timing: "wall" | "zero";
  /** Base seed of the MLP SF models. */
  seed: number;
  psi?: PsiParams;
  lstd?: LstdParams;
  exnonzero?: ExNonZeroOptions;
}

export const DEFAULT_EXPERIMENT_PARAMS: ExperimentParams = {
  method: "exnonzero",
  goldPenalty: "legacy",
  hybridTopK: 3,
  sf: "mlp",
  rule: "main",
  specFilter: false,
  topK: DEFAULT_TOP_K,
  threshold: EXPERIMENT_THRESHOLD,
  memo: true,
  timing: "wall",
  seed: 0,
};

/** Defaults + overrides, validated (one-line RangeErrors naming the option). */
export function resolveExperimentParams(p: Partial<ExperimentParams> = {}): ExperimentParams {
  const o = {...DEFAULT_EXPERIMENT_PARAMS, ...p};
  parseComposeMethod(o.method);
  parseGoldPenalty(o.goldPenalty);
  parseSfMethod(o.sf);
  if (o.rule !== "main" && o.rule !== "v3") throw new RangeError(`invalid policy rule: ${JSON.stringify(o.rule)} (accepted: main, v3)`);
  if (!Number.isInteger(o.hybridTopK) || o.hybridTopK < 1) throw new RangeError(`invalid hybrid top-k: ${o.hybridTopK} (expected a positive integer)`);
  if (!Number.isInteger(o.topK) || o.topK < 1) throw new RangeError(`invalid top-k: ${o.topK} (expected a positive integer)`);
  if (!Number.isFinite(o.threshold)) throw new RangeError(`invalid threshold: ${o.threshold}`);
  if (o.timing !== "wall" && o.timing !== "zero") throw new RangeError(`invalid timing: ${JSON.stringify(o.timing)} (accepted: wall, zero)`);
  if (typeof o.specFilter !== "boolean" || typeof o.memo !== "boolean") throw new RangeError("invalid specFilter/memo: expected booleans");
  return o;
}

// ---------------------------------------------------------------------------------------------
// Setups, jobs and decompositions (§8.1)

export interface Setup {
  setup: string;
  query: string;
}

/** Setups of each mode, in the reference's order (§8.1). */
export const MODE_SETUPS: Readonly<Record<DecompositionMode, readonly Setup[]>> = {
  trivial: [REFERENCE_QUERIES.Q1, REFERENCE_QUERIES.Q2, REFERENCE_QUERIES.Q3].map((q) => ({setup: q.target, query: q.query})),
  double: [REFERENCE_QUERIES.Q2, REFERENCE_QUERIES.Q3].map((q) => ({setup: q.target, query: q.query})),
  triple: [REFERENCE_QUERIES.Q3].map((q) => ({setup: q.target, query: q.query})),
};

export interface ExperimentJob {
  spec: string;
  mode: DecompositionMode;
  setup: string;
  query: string;
  seed: number;
}

/** The job list in output order: spec → mode → setup → seed (one CSV per spec and mode). */
export function experimentJobs(specs: readonly string[], seeds: readonly number[], modes: readonly DecompositionMode[] = DECOMPOSITION_MODES): ExperimentJob[] {
  const jobs: ExperimentJob[] = [];
  for (const spec of specs) for (const mode of modes) for (const {setup, query} of MODE_SETUPS[parseDecompositionMode(mode)]) for (const seed of seeds) jobs.push({spec, mode, setup, query, seed});
  return jobs;
}

export function jobKey(j: Pick<ExperimentJob, "spec" | "mode" | "setup" | "seed">): string {
  return `${j.spec}/${j.mode}/${j.setup}/${seed4(j.seed)}`;
}

export function seed4(seed: number): string {
  return String(seed).padStart(4, "0");
}

export interface TimedDecomposition {
  subQueries: string[];
  /** Seconds spent decomposing (our parser; the reference's was an LLM call, §6). */
  seconds: number;
}

/** One decomposition per (mode, setup), reused for every seed (§8.1). Keys `${mode}|${setup}`. */
export function decomposeSetups(modes: readonly DecompositionMode[] = DECOMPOSITION_MODES): Record<string, TimedDecomposition> {
  const out: Record<string, TimedDecomposition> = {};
  for (const mode of modes) {
    for (const {setup, query} of MODE_SETUPS[mode]) {
      const t0 = performance.now();
      const d = decomposeQuery(query, mode);
      out[`${mode}|${setup}`] = {subQueries: [...d.subQueries], seconds: (performance.now() - t0) / 1000};
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Regressors (§5)

/** The canonical set / embedding / regressor of a mode: [main] one set "all"; [v3] base, pair, trip. */
export function modeSet(rule: PolicyRule, mode: DecompositionMode): string {
  if (rule === "main") return "all";
  return mode === "trivial" ? "base" : mode === "double" ? "pair" : "trip";
}

// ---------------------------------------------------------------------------------------------
// Context

export interface ExperimentContext {
  runs: readonly Run[];
  embedding: LibraryEmbedding;
  regressors: Regressors;
  /** Run per `${spec}|${reward}|${seed}`. */
  runByKey: Map<string, Run>;
  /** Description vectors per policy, insertion order (§4), and the search keys. */
  descriptions: Float32Array;
  entries: PolicyEntryKey[];
  /** Canonical-state means per `${spec}|${set}` (LSTD scoring). */
  cbar: Map<string, Float64Array>;
}

/** Index the library once: runs by identity, the description vectors of every policy (§4). */
export function prepareContext(runs: readonly Run[], embedding: LibraryEmbedding, regressors: Regressors): ExperimentContext {
  const runByKey = new Map<string, Run>();
  for (const r of runs) runByKey.set(`${r.meta.spec}|${r.meta.reward}|${r.meta.seed}`, r);
  const byReward = new Map<string, Float32Array>();
  const descriptions = new Float32Array(embedding.policies.length * EMBED_DIM);
  const entries: PolicyEntryKey[] = [];
  for (const p of embedding.policies) {
    if (!byReward.has(p.reward)) byReward.set(p.reward, embedText(describeRewardSystem(p.reward)));
    descriptions.set(byReward.get(p.reward)!, p.index * EMBED_DIM);
    entries.push({seed: seed4(p.seed), spec: p.spec});
  }
  const cbar = new Map<string, Float64Array>();
  for (const [spec, sets] of Object.entries(embedding.canonical)) for (const [set, c] of Object.entries(sets)) cbar.set(`${spec}|${set}`, canonicalMean(c));
  return {runs, embedding, regressors, runByKey, descriptions, entries, cbar};
}

function runOf(ctx: ExperimentContext, spec: string, reward: string, seed: number): Run {
  const r = ctx.runByKey.get(`${spec}|${reward}|${seed}`);
  if (!r) throw new RangeError(`library has no run ${spec}/${reward}/seed ${seed4(seed)}`);
  return r;
}

function policyRun(ctx: ExperimentContext, p: LibraryPolicy): Run {
  return runOf(ctx, p.spec, p.reward, p.seed);
}

// ---------------------------------------------------------------------------------------------
// One (spec, mode, setup, seed)

/** A retrieved candidate: library policy and its regressor score on its library embedding. */
interface Candidate {
  policy: LibraryPolicy;
  score: number;
}

interface StrategyResult {
  reward: number;
  policies: string[];
  combinations: number;
  sfFits: number;
  scoringSeconds: number;
  compositionSeconds: number;
  sfSeconds: number;
}

/** Retrieval for one job: per sub-query the top-k within the seed (and spec) above the threshold. */
export interface Retrieval {
  candidates: Candidate[][];
  seconds: number;
}

export function retrieve(ctx: ExperimentContext, job: ExperimentJob, subQueries: readonly string[], p: ExperimentParams): Retrieval {
  const t0 = performance.now();
  const flat = {vectors: ctx.descriptions, dim: EMBED_DIM};
  const set = modeSet(p.rule, job.mode);
  const model = regressorFor(ctx.regressors, job.spec, set);
  const emb = ctx.embedding.embeddings[set];
  const d = ctx.embedding.dim;
  const candidates = subQueries.map((q) =>
    searchPolicies(flat, ctx.entries, embedText(q), {k: p.topK, threshold: p.threshold, seed: seed4(job.seed), spec: p.specFilter ? job.spec : undefined}).map((h) => {
      const policy = ctx.embedding.policies[h.id];
      return {policy, score: model.predict(emb.subarray(policy.index * d, (policy.index + 1) * d))};
    }),
  );
  return {candidates, seconds: (performance.now() - t0) / 1000};
}

/** Stable sort by regressor score, descending (Python `sorted(..., reverse=True)` keeps ties in order). */
function byScore(cs: readonly Candidate[]): Candidate[] {
  return cs.map((c, i) => ({c, i})).sort((a, b) => b.c.score - a.c.score || a.i - b.i).map((x) => x.c);
}

/** Cartesian product in itertools.product order (last position varies fastest). */
export function cartesian<T>(lists: readonly (readonly T[])[]): T[][] {
  let out: T[][] = [[]];
  for (const l of lists) out = out.flatMap((prefix) => l.map((x) => [...prefix, x]));
  return lists.length === 0 ? [] : out;
}

function composeCombo(ctx: ExperimentContext, env: ReturnType<typeof runEnv>, combo: readonly LibraryPolicy[], p: ExperimentParams): Composition {
  if (p.method === "exnonzero") {
    return compose({env, counts: combo.map((x) => runCounts(policyRun(ctx, x), x.snapshot))}, {method: "exnonzero", ...p.exnonzero});
  }
  return compose({env, tables: combo.map((x) => runQ(policyRun(ctx, x), x.snapshot))}, {method: p.method});
}

/** Exhaustive / hybrid: score every combination by §7.3, keep the first maximum (strict `>`). */
function bestCombination(ctx: ExperimentContext, env: ReturnType<typeof runEnv>, combos: LibraryPolicy[][], score: ScoreContext, p: ExperimentParams): StrategyResult {
  const memo = new Map<string, number>();
  let best = -Infinity;
  let bestReward = NaN;
  let bestPolicies: string[] = [];
  let compositionSeconds = 0;
  let sfSeconds = 0;
  let sfFits = 0;
  for (const combo of combos) {
    const t0 = performance.now();
    const c = composeCombo(ctx, env, combo, p);
    const t1 = performance.now();
    const key = pathKey(c.actions);
    let s = p.memo ? memo.get(key) : undefined;
    if (s === undefined) {
      s = scorePath(score, c.actions, {sf: p.sf, seed: p.seed, psi: p.psi, lstd: p.lstd});
      sfFits++;
      if (p.memo) memo.set(key, s);
    }
    const t2 = performance.now();
    compositionSeconds += (t1 - t0) / 1000;
    sfSeconds += (t2 - t1) / 1000;
    if (bestPolicies.length === 0 || s > best) {
      best = s;
      bestReward = c.reward;
      bestPolicies = combo.map((x) => x.name);
    }
  }
  return {reward: bestReward, policies: bestPolicies, combinations: combos.length, sfFits, scoringSeconds: 0, compositionSeconds, sfSeconds};
}

/** Python's round(x, 6) for the *_time columns (ties at 6 dp are measure-zero for wall times). */
export function round6(x: number): number {
  return Number(x.toFixed(6));
}

/**
 * One row of the experiment (§8.2): target env, TFS baseline, retrieval, targeted, exhaustive and
 * hybrid. `decomposition` is the (mode, setup)'s shared one (`decomposeSetups`).
 */
export function runJob(ctx: ExperimentContext, job: ExperimentJob, decomposition: TimedDecomposition, params: Partial<ExperimentParams> = {}): ExperimentRow {
  const p = resolveExperimentParams(params);
  const {spec, mode, setup, seed} = job;
  // 1. Target env (layout of the seed, reward = setup, gold penalty option) and the TFS baseline.
  const scratch = runOf(ctx, spec, setup, seed);
  const env = runEnv(scratch.meta, p.goldPenalty, setup);
  const scratchReward = greedyRollout(env, scratch.qFinal, false).total;
  const scratchTime = scratch.meta.time;

  // 2. Retrieval per sub-query (search + regressor scores on the library embeddings).
  const r = retrieve(ctx, job, decomposition.subQueries, p);
  const set = modeSet(p.rule, mode);
  const score: ScoreContext = {
    env,
    canonical: ctx.embedding.canonical[spec][set],
    cbar: ctx.cbar.get(`${spec}|${set}`)!,
    regressor: regressorFor(ctx.regressors, spec, set),
    seedParts: [spec, mode, setup, seed],
  };

  // 3. Targeted (§7.4): [main] top-2 of the pooled candidates; [v3] the best per sub-query.
  const t0 = performance.now();
  const chosen = p.rule === "main" ? byScore(r.candidates.flat()).slice(0, 2) : r.candidates.filter((c) => c.length > 0).map((c) => byScore(c)[0]);
  const t1 = performance.now();
  let targetedReward = NaN;
  let targetedMethodSeconds = 0;
  let targetedComposition = 0;
  let targetedPruned: number | string = "";
  if (chosen.length > 0) {
    const c = composeCombo(ctx, env, chosen.map((x) => x.policy), p);
    targetedReward = c.reward;
    // §8.4: exnonzero = run_pruning_multi only; qsum/gpi = combine (the rollout is the evaluation).
    targetedComposition = c.method === "exnonzero" ? c.unionBoundsPruneMs / 1000 : c.composeMs / 1000;
    if (c.method === "exnonzero") targetedPruned = c.prunedPct;
  }
  const targetedScoring = (t1 - t0) / 1000;
  targetedMethodSeconds = p.method === "exnonzero" ? targetedComposition : r.seconds + targetedScoring + targetedComposition;

  // 4. Exhaustive: the Cartesian product of all filtered candidates.
  const ex = bestCombination(ctx, env, cartesian(r.candidates.map((c) => c.map((x) => x.policy))), score, p);
  // 5. Hybrid top-k: per sub-query the k best by regressor, then the product.
  const h0 = performance.now();
  const hybridLists = r.candidates.map((c) => byScore(c).slice(0, p.hybridTopK).map((x) => x.policy));
  const hybridScoring = (performance.now() - h0) / 1000;
  const hy = bestCombination(ctx, env, cartesian(hybridLists), score, p);

  const zero = p.timing === "zero";
  const t = (x: number) => (zero ? 0 : round6(x));
  return {
    setup,
    spec,
    seed: seed4(seed),
    query: job.query,
    scratch_reward: scratchReward,
    scratch_time_s: scratchTime, // from the library's log: deterministic for given library files
    targeted_reward: targetedReward,
    exhaustive_reward: ex.reward,
    hybrid_reward: hy.reward,
    decomp_time: t(decomposition.seconds),
    targeted_time: t(targetedMethodSeconds),
    exhaustive_time: t(r.seconds + ex.compositionSeconds + ex.sfSeconds),
    hybrid_time: t(r.seconds + hybridScoring + hy.compositionSeconds + hy.sfSeconds),
    targeted_policies: JSON.stringify(chosen.map((x) => x.policy.name)),
    exhaustive_policies: JSON.stringify(ex.policies),
    hybrid_policies: JSON.stringify(hy.policies),
    search_time: t(r.seconds),
    targeted_scoring_time: t(targetedScoring),
    targeted_composition_time: t(targetedComposition),
    exhaustive_combinations: ex.combinations,
    exhaustive_sf_fits: ex.sfFits,
    exhaustive_composition_time: t(ex.compositionSeconds),
    exhaustive_sf_time: t(ex.sfSeconds),
    hybrid_combinations: hy.combinations,
    hybrid_sf_fits: hy.sfFits,
    hybrid_scoring_time: t(hybridScoring),
    hybrid_composition_time: t(hy.compositionSeconds),
    hybrid_sf_time: t(hy.sfSeconds),
    candidates: JSON.stringify(r.candidates.map((c) => c.length)),
    targeted_pruned_pct: targetedPruned,
  };
}

// ---------------------------------------------------------------------------------------------
// Whole experiment

export interface ExperimentPlan {
  specs: readonly string[];
  seeds: readonly number[];
  modes?: readonly DecompositionMode[];
}

/** Rows per spec and mode (one reference CSV each). */
export type ExperimentResults = Record<string, Partial<Record<DecompositionMode, ExperimentRow[]>>>;

/**
 * Run every job of the plan in order (modes trivial → double → triple per spec, §8.1).
 * `onProgress(done, total, job)` may return false to stop early.
 */
export function runExperiment(
  ctx: ExperimentContext,
  plan: ExperimentPlan,
  params: Partial<ExperimentParams> = {},
  onProgress?: (done: number, total: number, job: ExperimentJob) => boolean | void,
): ExperimentResults {
  const p = resolveExperimentParams(params);
  const modes = plan.modes ?? DECOMPOSITION_MODES;
  const decomps = decomposeSetups(modes);
  const jobs = experimentJobs(plan.specs, plan.seeds, modes);
  const rows = new Map<string, ExperimentRow>();
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i];
    rows.set(jobKey(job), runJob(ctx, job, decomps[`${job.mode}|${job.setup}`], p));
    if (onProgress?.(i + 1, jobs.length, job) === false) break;
  }
  return groupRows(jobs, rows);
}

/** Group rows (by job key) into per-spec, per-mode lists in job order; jobs without a row are skipped. */
export function groupRows(jobs: readonly ExperimentJob[], rows: ReadonlyMap<string, ExperimentRow>): ExperimentResults {
  const out: ExperimentResults = {};
  for (const job of jobs) {
    const row = rows.get(jobKey(job));
    if (!row) continue;
    ((out[job.spec] ??= {})[job.mode] ??= []).push(row);
  }
  return out;
}

/** The CSV file name of a mode (§8.1). */
export function resultFileName(mode: DecompositionMode): string {
  return `full_experiment_results_${mode}.csv`;
}

// ---------------------------------------------------------------------------------------------
// Hybrid top-k sweep (§8.6, hybrid_k_sweep.py)

export const SWEEP_COLUMNS = [
  "k", "avg_reward", "avg_time_s", "avg_hybrid_time_s", "avg_decomp_time_s", "avg_search_time_s", "avg_combo_time_s", "runs_used", "runs_total", "min_candidates",
] as const;

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
 */
export function sweepK(
  ctx: ExperimentContext,
  jobs: readonly ExperimentJob[],
  decompositions: Record<string, TimedDecomposition>,
  params: Partial<ExperimentParams> = {},
  ks?: readonly number[],
  onProgress?: (done: number, total: number) => void,
): {runs: SweepRun[]; summary: Record<(typeof SWEEP_COLUMNS)[number], number>[]; minCandidates: number} {
  const p = resolveExperimentParams(params);
  const prepared = jobs.map((job) => {
    const d = decompositions[`${job.mode}|${job.setup}`];
    if (!d) throw new RangeError(`no decomposition for ${job.mode}|${job.setup}`);
    return {job, d, r: retrieve(ctx, job, d.subQueries, p)};
  });
  const minCandidates = Math.min(...prepared.flatMap((x) => x.r.candidates.map((c) => c.length)));
  const kList = ks ?? Array.from({length: Math.max(0, minCandidates - 2)}, (_, i) => i + 2);
  for (const k of kList) if (!Number.isInteger(k) || k < 1) throw new RangeError(`invalid k: ${k} (expected a positive integer)`);
  const runs: SweepRun[] = [];
  let done = 0;
  for (const {job, d, r} of prepared) {
    const scratch = runOf(ctx, job.spec, job.setup, job.seed);
    const env = runEnv(scratch.meta, p.goldPenalty, job.setup);
    const set = modeSet(p.rule, job.mode);
    const score: ScoreContext = {env, canonical: ctx.embedding.canonical[job.spec][set], cbar: ctx.cbar.get(`${job.spec}|${set}`)!, regressor: regressorFor(ctx.regressors, job.spec, set), seedParts: [job.spec, job.mode, job.setup, job.seed]};
    for (const k of kList) {
      const lists = r.candidates.map((c) => byScore(c).slice(0, k).map((x) => x.policy));
      const res = bestCombination(ctx, env, cartesian(lists), score, p);
      const zero = p.timing === "zero";
      runs.push({job, k, reward: res.reward, policies: res.policies, searchSeconds: zero ? 0 : r.seconds, comboSeconds: zero ? 0 : res.compositionSeconds + res.sfSeconds, decompSeconds: zero ? 0 : d.seconds});
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
  return {runs, summary, minCandidates};
}
