/**
 * One job of the LEVER experiment and the whole run (spec/lever.md §8, `full_experiment.py`): for every spec, mode (trivial →
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
import {runStrategy, planCombinations, type ComposeSource, type PlanOptions, type Ranked, type RunOptions, type Strategy, type StrategyResult} from "../compose/strategy.js";
import {scorePath, type ScoreContext} from "../compose/score.js";
import type {GridWorld} from "../env/gridworld.js";
import {greedyRollout} from "../env/gridworld.js";
import type {Run} from "../library/runs.js";
import {runCounts, runEnv, runQ, seed4} from "../library/runs.js";
import type {LibraryEmbedding, LibraryPolicy} from "../pi2vec/embedding.js";
import {canonicalMean} from "../pi2vec/sf-lstd.js";
import type {DecompositionMode} from "../retrieval/decompose.js";
import {DECOMPOSITION_MODES} from "../retrieval/decompose.js";
import {searchPolicies, type FlatVectors, type HnswIndex, type PolicyEntryKey} from "../retrieval/hnsw.js";
import {describeRewardSystem, embedText, EMBED_DIM} from "../retrieval/text-embed.js";
import {decomposeSetups, experimentJobs, jobKey, type ExperimentJob, type TimedDecomposition} from "./jobs.js";
import {modeSet, resolveExperimentParams, type ExperimentParams} from "./params.js";
import {regressorFor, type Regressors} from "./regressors.js";
import {pandasCell} from "../../core/py.js";
import {summarizeTfs, tfsOverSeeds, type TfsSample} from "./tfs.js";

// ---------------------------------------------------------------------------------------------
// Columns (§8.3)

/** The reference's CSV columns, in order (§8.3). */
export const RESULT_COLUMNS = [
  "setup",
  "spec",
  "seed",
  "query",
  "scratch_reward",
  "scratch_time_s",
  "targeted_reward",
  "exhaustive_reward",
  "hybrid_reward",
  "decomp_time",
  "targeted_time",
  "exhaustive_time",
  "hybrid_time",
] as const;

/** Our additions, after the reference's columns: [S]'s policy lists, then per-stage timings (s). */
export const EXTRA_COLUMNS = [
  "targeted_policies",
  "exhaustive_policies",
  "hybrid_policies",
  "search_time",
  "targeted_scoring_time",
  "targeted_composition_time",
  "exhaustive_combinations",
  "exhaustive_sf_fits",
  "exhaustive_composition_time",
  "exhaustive_sf_time",
  "hybrid_combinations",
  "hybrid_sf_fits",
  "hybrid_scoring_time",
  "hybrid_composition_time",
  "hybrid_sf_time",
  "candidates",
  // ExNonZero's pruned % of the targeted union (§7.2 step 4). Our successor order is by action index
  // (right, down, right×2, down×2), the reference's the order edges were first inserted in training
  // (not recorded by visit counts): this column can differ from what the reference would log for the
  // same union, while paths and rewards do not (lib/lever/compose/exnonzero.ts `ExNonZeroPrune`).
  "targeted_pruned_pct",
  // TFS over training seeds (tfs.ts; params tfsSpecs/tfsSeeds): empty on rows outside tfsSpecs.
  "scratch_seeds",
  "scratch_median",
  "scratch_q1",
  "scratch_q3",
  "scratch_failures",
  "scratch_first_failed",
] as const;

export const EXPERIMENT_COLUMNS = [...RESULT_COLUMNS, ...EXTRA_COLUMNS] as const;
/** Columns that hold wall times (excluded from shard/merge equality unless timing is "zero"). */
export const TIME_COLUMNS: readonly string[] = EXPERIMENT_COLUMNS.filter((c) => /time/.test(c));

export type ExperimentRow = Record<(typeof EXPERIMENT_COLUMNS)[number], string | number>;

/** The reference's float64 columns (§8.3): every one but the text labels setup, spec, seed and query. */
export const REFERENCE_FLOAT_COLUMNS: readonly string[] = RESULT_COLUMNS.filter((c) => !["setup", "spec", "seed", "query"].includes(c));

/**
 * A row as the reference's pandas `to_csv` writes its columns: each reference float column as
 * Python's `repr` (`100.0`, `110.80999999999999`, `1e-05`) and NaN (nothing composed) as an empty
 * field (lib/core/py.ts `pandasCell`); our extra columns as they are. Text cells (a row read back from
 * a shard) pass through unchanged, so writing a row twice gives the same bytes.
 */
export function pandasRow<R extends Record<string, unknown>>(row: R, floats: readonly string[] = REFERENCE_FLOAT_COLUMNS): R {
  const out: Record<string, unknown> = {...row};
  for (const c of floats) if (c in out) out[c] = pandasCell(out[c]);
  return out as R;
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

/** A retrieved candidate: its library policy, and the regressor's prediction on its library embedding. */
export interface Candidate extends Ranked {
  policy: LibraryPolicy;
  /** Cosine of the policy's description with the sub-query (§4). */
  score: number;
}

/** Retrieval for one job: per sub-query the top-k within the seed (and spec) above the threshold. */
export interface Retrieval {
  candidates: Candidate[][];
  seconds: number;
}

/**
 * `db`: where to search, by default the exact flat vectors (the reference's IndexFlatIP); an hnswlib
 * index over `ctx.descriptions` (lib/lever/answer.ts) gives the same hits, re-ranked exactly.
 */
export function retrieve(ctx: ExperimentContext, job: ExperimentJob, subQueries: readonly string[], p: ExperimentParams, db?: HnswIndex | FlatVectors): Retrieval {
  const t0 = performance.now();
  const flat = db ?? {vectors: ctx.descriptions, dim: EMBED_DIM};
  const set = modeSet(p.rule, job.mode);
  const model = regressorFor(ctx.regressors, job.spec, set);
  const emb = ctx.embedding.embeddings[set];
  const d = ctx.embedding.dim;
  const candidates = subQueries.map((q) =>
    searchPolicies(flat, ctx.entries, embedText(q), {k: p.topK, threshold: p.threshold, seed: seed4(job.seed), spec: p.specFilter ? job.spec : undefined}).map((h) => {
      const policy = ctx.embedding.policies[h.id];
      return {id: h.id, policy, score: h.score, predicted: model.predict(emb.subarray(policy.index * d, (policy.index + 1) * d))};
    }),
  );
  return {candidates, seconds: (performance.now() - t0) / 1000};
}

/** The strategy module's view of a job: target env, library tables by policy id, and the §7.3 scorer. */
export interface JobStrategies {
  env: GridWorld;
  source: ComposeSource;
  run: (combinations: readonly (readonly Candidate[])[], strategy: Strategy) => StrategyResult<Candidate>;
  plan: PlanOptions;
}

/** Target env of a job (layout of the seed, reward = setup, gold penalty option) and its strategy runner. */
export function jobStrategies(ctx: ExperimentContext, job: ExperimentJob, p: ExperimentParams): JobStrategies {
  const {spec, mode, setup, seed} = job;
  const scratch = runOf(ctx, spec, setup, seed);
  const env = runEnv(scratch.meta, p.goldPenalty, setup);
  const policy = (id: number) => ctx.embedding.policies[id];
  const source: ComposeSource = {
    env,
    method: p.method,
    exnonzero: p.exnonzero,
    q: (id) => runQ(policyRun(ctx, policy(id)), policy(id).snapshot),
    counts: (id) => runCounts(policyRun(ctx, policy(id)), policy(id).snapshot),
  };
  const set = modeSet(p.rule, mode);
  const scoreCtx: ScoreContext = {
    env,
    canonical: ctx.embedding.canonical[spec][set],
    cbar: ctx.cbar.get(`${spec}|${set}`)!,
    regressor: regressorFor(ctx.regressors, spec, set),
    seedParts: [spec, mode, setup, seed],
  };
  const scoreOptions = {sf: p.sf, seed: p.seed, rule: p.rule, psi: p.psi, lstd: p.lstd, hazardSteps: p.scoreHazardSteps};
  const runOptions: RunOptions = {score: (actions) => scorePath(scoreCtx, actions, scoreOptions), memoScores: p.memo, memoPlanning: p.memoPlanning, acceptUnscored: p.acceptUnscored};
  return {
    env,
    source,
    run: (combinations, strategy) => runStrategy(source, combinations, strategy, runOptions),
    plan: {rule: p.rule, hybridTopK: p.hybridTopK, dedupeTargeted: p.dedupeTargeted, skipEmpty: p.skipEmpty, targetedSingle: p.targetedSingle},
  };
}

/** TFS samples per cell, computed once per process (a cell's setup recurs in several modes). */
const tfsMemo = new Map<string, TfsSample[]>();

/** The TFS columns of a row: over training seeds 0 … tfsSeeds − 1 when the spec is in tfsSpecs, else empty. */
function tfsColumns(scratch: Run, p: ExperimentParams): Record<string, number | string> {
  const empty = {scratch_seeds: "", scratch_median: "", scratch_q1: "", scratch_q3: "", scratch_failures: "", scratch_first_failed: ""};
  if (!p.tfsSpecs.includes(scratch.meta.spec)) return empty;
  const key = `${scratch.meta.id}|${scratch.meta.trainSeed}|${p.tfsSeeds}|${p.goldPenalty}`;
  let samples = tfsMemo.get(key);
  if (!samples) {
    const seeds = Array.from({length: p.tfsSeeds}, (_, i) => scratch.meta.trainSeed + i);
    samples = tfsOverSeeds(scratch.meta, seeds, p.goldPenalty, scratch.qFinal);
    tfsMemo.set(key, samples);
  }
  const t = summarizeTfs(samples);
  return {scratch_seeds: t.n, scratch_median: t.median, scratch_q1: t.q1, scratch_q3: t.q3, scratch_failures: t.failures, scratch_first_failed: samples[0].failed ? 1 : 0};
}

/** The chosen combination's reward and policy names (NaN and [] when nothing was composed). */
function chosen(r: StrategyResult<Candidate>): {reward: number; policies: string[]} {
  const b = r.evaluated[r.best];
  return b ? {reward: b.reward, policies: b.combination.map((c) => c.policy.name)} : {reward: NaN, policies: []};
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
  const {spec, setup, seed} = job;
  // 1. Target env and the TFS baseline (the library's run of the target reward from scratch).
  const scratch = runOf(ctx, spec, setup, seed);
  const s = jobStrategies(ctx, job, p);
  const scratchReward = greedyRollout(s.env, scratch.qFinal, false).total;
  const scratchTime = scratch.meta.time;

  // 2. Retrieval per sub-query (search + regressor predictions on the library embeddings).
  const r = retrieve(ctx, job, decomposition.subQueries, p);

  // 3. Targeted (§7.4): [main] top 2 of the pooled candidates; [v3] the best per sub-query.
  const t0 = performance.now();
  const targetedPlan = planCombinations(r.candidates, "targeted", s.plan);
  const targetedScoring = (performance.now() - t0) / 1000;
  const targeted = s.run(targetedPlan, "targeted");
  const tc = targeted.evaluated[0];
  // §8.4: exnonzero = run_pruning_multi only; qsum/gpi = combine (the rollout is the evaluation).
  const targetedComposition = tc ? tc.methodMs / 1000 : 0;
  const targetedMethodSeconds = p.method === "exnonzero" ? targetedComposition : r.seconds + targetedScoring + targetedComposition;

  // 4. Exhaustive: the Cartesian product of all candidate lists.
  const ex = s.run(planCombinations(r.candidates, "exhaustive", s.plan), "exhaustive");
  // 5. Hybrid top-k: per sub-query the k best by prediction, then the product.
  const h0 = performance.now();
  const hybridPlan = planCombinations(r.candidates, "hybrid", s.plan);
  const hybridScoring = (performance.now() - h0) / 1000;
  const hy = s.run(hybridPlan, "hybrid");
  const exBest = chosen(ex);
  const hyBest = chosen(hy);

  const zero = p.timing === "zero";
  const t = (x: number) => (zero ? 0 : round6(x));
  return {
    setup,
    spec,
    seed: seed4(seed),
    query: job.query,
    scratch_reward: scratchReward,
    // From the library's log (the run's measured training time), so 0 under timing "zero" like every
    // other time column: the rows then depend only on the library's content, not on when it was trained.
    scratch_time_s: zero ? 0 : scratchTime,
    targeted_reward: tc ? tc.reward : NaN,
    exhaustive_reward: exBest.reward,
    hybrid_reward: hyBest.reward,
    decomp_time: t(decomposition.seconds),
    targeted_time: t(targetedMethodSeconds),
    exhaustive_time: t(r.seconds + (ex.composeMs + ex.scoreMs) / 1000),
    hybrid_time: t(r.seconds + hybridScoring + (hy.composeMs + hy.scoreMs) / 1000),
    targeted_policies: JSON.stringify(chosen(targeted).policies),
    exhaustive_policies: JSON.stringify(exBest.policies),
    hybrid_policies: JSON.stringify(hyBest.policies),
    search_time: t(r.seconds),
    targeted_scoring_time: t(targetedScoring),
    targeted_composition_time: t(targetedComposition),
    exhaustive_combinations: ex.evaluated.length,
    exhaustive_sf_fits: ex.scored,
    exhaustive_composition_time: t(ex.composeMs / 1000),
    exhaustive_sf_time: t(ex.scoreMs / 1000),
    hybrid_combinations: hy.evaluated.length,
    hybrid_sf_fits: hy.scored,
    hybrid_scoring_time: t(hybridScoring),
    hybrid_composition_time: t(hy.composeMs / 1000),
    hybrid_sf_time: t(hy.scoreMs / 1000),
    candidates: JSON.stringify(r.candidates.map((c) => c.length)),
    targeted_pruned_pct: tc?.prunedPct ?? "",
    ...tfsColumns(scratch, p),
  } as ExperimentRow;
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
