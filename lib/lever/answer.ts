/**
 * One answer of LEVER for any layout, end to end (issue 11): the whole pipeline of the experiment
 * (spec/lever.md §2–§8) for one layout seed, one objective and one composition setting — train that
 * layout's library as the experiment builds it for a seed (every reward system × the chosen budgets,
 * with snapshots), π2vec LSTD successor features, the reward regressor, the hnswlib index, retrieval,
 * composition, its rollout, the from-scratch baseline and the exact optimum.
 *
 * The one implementation behind `lever answer` (cli/commands/answer.ts) and the Search page's module
 * Worker (src/components/lever-answer-worker.js): both call `answer` with the same parameters and get
 * the same JSON, timings aside. Every stage is the experiment's own function (library/runs.ts
 * `trainRun`, pi2vec/embedding.ts `embedLibrary`, experiment/regressors.ts `fitRegressors`,
 * experiment/run.ts `prepareContext`/`retrieve`/`jobStrategies`, compose/strategy.ts), so the reward,
 * the chosen policies and the baseline equal those of `lever experiment` on a library of this seed
 * and budgets (`lever library --seeds S --specs X1`, then `lever experiment --library DIR --seeds S
 * --specs X1`; test/lever/answer.test.ts checks it).
 *
 * A layout the build computed need not be trained again: `shipped` (the runs of
 * src/data/library-<key>-<seed>.bin, lib/lever/artefacts.ts `decodeLibraryRuns`) stands in for
 * training when it holds every run of the plan with exactly the plan's parameters (`runHasParams`), so
 * the answer is the same number for number; `librarySource` says which happened.
 *
 * Pure: no DOM, fs or process. `onProgress({stage, done, total})` after each unit of work (a training
 * run, a policy's embedding, a stage); `signal` (AbortSignal) is checked between units and the run
 * rejects with an `AnswerCancelled`; `pause()` is awaited between units (a Worker passes a macrotask so
 * a cancel message can arrive while a run is in flight).
 */
import type {HnswlibModule} from "hnswlib-wasm";
import {parseComposeMethod, type ComposeMethod} from "./compose/compose.js";
import {parseStrategy, planCombinations, type Strategy} from "./compose/strategy.js";
import {greedyRollout} from "./env/gridworld.js";
import type {Cell, Spec, SpecSet} from "./env/layout.js";
import {customSpec, parseSpecs, parseSpecSet} from "./env/layout.js";
import {optimum} from "./env/optimum.js";
import {parseGoldPenalty, REWARD_SYSTEMS, type GoldPenalty} from "./env/rewards.js";
import {resolveExperimentSettings} from "./experiment/params.js";
import {fitRegressors} from "./experiment/regressors.js";
import {jobStrategies, prepareContext, retrieve, type Candidate, type ExperimentContext} from "./experiment/run.js";
import type {ExperimentJob} from "./experiment/jobs.js";
import {runParamsFor} from "./library/params.js";
import {greedyPath, runHasParams, runId, trainRun, type Run} from "./library/runs.js";
import {embedLibrary} from "./pi2vec/embedding.js";
import {decomposeQuery, parseDecompositionMode, type DecompositionMode} from "./retrieval/decompose.js";
import {buildIndex, disposeIndex, type HnswIndex} from "./retrieval/hnsw.js";
import {EMBED_DIM} from "./retrieval/text-embed.js";

// ---------------------------------------------------------------------------------------------
// Parameters

/** The spec set of each grid size: 8 → grid8 ([v3]), 16 → grid16, 32 → grid32 ([main]). */
export const ANSWER_SPEC_SETS: Readonly<Record<number, string>> = {8: "grid8", 16: "grid16", 32: "grid32"};
export const ANSWER_SIZES: readonly number[] = [8, 16, 32];
/** Largest layout seed: CPython's Random(seed) takes any non-negative integer; we stop at 2^53 − 1. */
export const ANSWER_SEED_MAX = Number.MAX_SAFE_INTEGER;

/** What an answer is asked for; the names are the CLI's flags and the Search page's URL keys. */
export interface AnswerParams {
  /** Grid size: 8, 16 or 32. */
  size: number;
  /** Layout seed (any non-negative integer; the build ships 0–4). */
  seed: number;
  /**
   * Training budgets of the library, e.g. "X1" or "X1,X5,X10"; the first is the answer's spec (its
   * baseline and canonical states). May be empty when `episodes` is given.
   */
  spec: string;
  /** A custom budget of this many episodes (env/layout.ts `customSpec`, named E<episodes>), after the named ones. */
  episodes?: number | null;
  /** The objective in words. */
  query: string;
  /** Decomposition mode (trivial). */
  mode?: DecompositionMode;
  /** Composition (default: the experiment's, exnonzero on [main], qsum on [v3]). */
  method?: ComposeMethod;
  /** Strategy (exhaustive). */
  strategy?: Strategy;
  /** Hybrid top-k (3). */
  k?: number;
  /** Gold-exit penalty of the target env (default: the reference table's for the size and method). */
  goldPenalty?: GoldPenalty;
}

export interface ResolvedAnswerParams extends Required<Omit<AnswerParams, "episodes">> {
  /** The custom budget's episodes (null: none). */
  episodes: number | null;
  specSet: string;
  /** The library's budgets, in the order given, the custom one (E<episodes>) last. */
  specs: string[];
}

/** The library's budgets: the named specs, then the custom one. */
function answerSpecs(set: SpecSet, spec: string, episodes: number | null): Spec[] {
  const named = spec.trim() === "" && episodes !== null ? [] : parseSpecs(spec, set);
  return episodes === null ? named : [...named, customSpec(set, episodes)];
}

/** Validate and complete the parameters; one-line RangeErrors naming the parameter and what is accepted. */
export function resolveAnswerParams(p: AnswerParams): ResolvedAnswerParams {
  if (!ANSWER_SIZES.includes(p.size)) throw new RangeError(`invalid size: ${JSON.stringify(p.size)} (accepted: ${ANSWER_SIZES.join(", ")})`);
  if (!Number.isSafeInteger(p.seed) || p.seed < 0) throw new RangeError(`invalid seed: ${JSON.stringify(p.seed)} (expected an integer from 0 to ${ANSWER_SEED_MAX})`);
  const set = parseSpecSet(ANSWER_SPEC_SETS[p.size]);
  if (typeof p.spec !== "string") throw new RangeError(`invalid spec: ${JSON.stringify(p.spec)} (accepted: X1, X5, X10 or a list such as X1,X5)`);
  const episodes = p.episodes ?? null;
  const specs = answerSpecs(set, p.spec, episodes).map((s) => s.name);
  if (new Set(specs).size !== specs.length) throw new RangeError(`invalid spec: ${JSON.stringify(p.spec)} names a budget twice`);
  if (typeof p.query !== "string" || p.query.trim() === "") throw new RangeError('invalid query: empty (write an objective, e.g. "collect gold and reach the exit")');
  const mode = parseDecompositionMode(p.mode ?? "trivial");
  const method = parseComposeMethod(p.method ?? (set.variant === "main" ? "exnonzero" : "qsum"));
  if (method === "exnonzero" && set.variant !== "main") throw new RangeError(`invalid method exnonzero for size ${p.size}: [v3] moves make the visit graph cyclic (spec §7.2; accepted: qsum, gpi)`);
  const strategy = parseStrategy(p.strategy ?? "exhaustive");
  const k = p.k ?? 3;
  if (!Number.isInteger(k) || k < 1 || k > 5) throw new RangeError(`invalid k: ${JSON.stringify(k)} (expected an integer from 1 to 5)`);
  const goldPenalty = parseGoldPenalty(p.goldPenalty ?? resolveExperimentSettings(set, {params: {method}}).params.goldPenalty);
  const named = episodes === null ? specs : specs.slice(0, -1);
  return {size: p.size, seed: p.seed, spec: named.join(","), episodes, specs, query: p.query, mode, method, strategy, k, goldPenalty, specSet: set.name};
}

// ---------------------------------------------------------------------------------------------
// Progress and cancellation

/** The stages, in order, as the progress callback and the timings name them. */
export const ANSWER_STAGES = ["library", "embedding", "regressor", "index", "retrieval", "composition", "scratch", "optimum"] as const;
export type AnswerStage = (typeof ANSWER_STAGES)[number];

/** What each stage does, for progress bars. */
export const STAGE_LABELS: Readonly<Record<AnswerStage, string>> = {
  library: "training the library (SARSA)",
  embedding: "π2vec successor features (LSTD)",
  regressor: "fitting the reward regressor",
  index: "building the hnswlib index",
  retrieval: "retrieving policies",
  composition: "composing and scoring",
  scratch: "from-scratch baseline",
  optimum: "exact optimum",
};

export interface AnswerProgress {
  stage: AnswerStage;
  /** Units done and total in this stage (runs, policies, or 0/1). */
  done: number;
  total: number;
  /** What the stage is doing when it differs from STAGE_LABELS (e.g. loading the build's runs instead of training). */
  label?: string;
}

/** The library stage's label when the build's runs stand in for training. */
export const LOADING_LABEL = "loading the build's library (no training)";

export interface AnswerOptions {
  /** Called after each unit of work; return false to cancel. */
  onProgress?: (p: AnswerProgress) => boolean | void;
  /** Cancels the run at the next unit of work. */
  signal?: AbortSignal;
  /** Awaited between units of work (e.g. a macrotask, so that a Worker can receive a cancel message). */
  pause?: () => Promise<void>;
  /**
   * hnswlib-wasm (the page's factory, or runtime/hnsw-node.ts in Node): retrieval then searches an
   * hnswlib index re-ranked exactly; without it, the exact flat search (the same hits by construction).
   */
  hnswlib?: HnswlibModule;
  /** Layouts already trained (`createAnswerCache`): a new query on the same layout retrains nothing. */
  cache?: AnswerCache;
  /**
   * Runs the build computed, by run id (`decodeLibraryRuns`): used instead of training when they hold
   * every run of the layout's plan with the plan's exact parameters; otherwise the library is trained.
   */
  shipped?: ReadonlyMap<string, Run>;
}

/** What a layout's library leaves for later answers: its runs, embedding, regressors (the context) and index. */
interface LayoutState {
  ctx: ExperimentContext;
  index?: HnswIndex;
  layoutAttempts: number;
  source: LibrarySource;
}

/** Where the library's runs came from: trained by this answer, or the build's shipped runs. */
export type LibrarySource = "trained" | "build";

/** The last few layouts' libraries, by (spec set, seed, budgets); evicted indexes are freed. */
export interface AnswerCache {
  get(key: string): LayoutState | undefined;
  set(key: string, state: LayoutState): void;
}

export function createAnswerCache(limit = 2): AnswerCache {
  const entries = new Map<string, LayoutState>();
  return {
    get(key) {
      const s = entries.get(key);
      if (s) {
        entries.delete(key);
        entries.set(key, s); // most recent last
      }
      return s;
    },
    set(key, state) {
      entries.delete(key);
      entries.set(key, state);
      while (entries.size > limit) {
        const [oldest, s] = entries.entries().next().value!;
        entries.delete(oldest);
        if (s.index) disposeIndex(s.index);
      }
    },
  };
}

/** Thrown when a run is cancelled (signal aborted, or onProgress returned false). */
export class AnswerCancelled extends Error {
  constructor(stage: AnswerStage) {
    super(`answer cancelled during ${stage}`);
    this.name = "AnswerCancelled";
  }
}

// ---------------------------------------------------------------------------------------------
// The answer

export interface AnswerCandidate {
  id: number;
  policy: string;
  reward: string;
  /** Cosine of the description with the sub-query (§4), and the regressor's prediction (§5). */
  cosine: number;
  predicted: number;
  /** The policy's own greedy reward in its training env (the regressor's target). */
  actual: number;
}

export interface Answer {
  format: "lever-answer/1";
  params: ResolvedAnswerParams;
  /** The target reward system (the query's objectives). */
  target: string;
  subQueries: string[];
  /** Retrieved candidates per sub-query, in retrieval order. */
  candidates: AnswerCandidate[][];
  /** The chosen combination's policy names ([] when nothing could be composed). */
  policies: string[];
  /** Its reward on the target env (null when nothing was composed or exnonzero found no path). */
  reward: number | null;
  /** Its rollout as [row, col] cells. */
  path: Cell[];
  done: boolean;
  /** Regressor prediction of the chosen composed path (exhaustive and hybrid; null for targeted). */
  predicted: number | null;
  /** Every composed combination in plan order: its policies, prediction (§7.3) and reward (null: no path / not scored). */
  evaluated: {policies: string[]; predicted: number | null; reward: number | null}[];
  /** Index of the chosen one in `evaluated` (−1: nothing composed). */
  best: number;
  /** Combinations composed and paths scored. */
  combinations: number;
  scored: number;
  /** The library's run of the target reward system from scratch (trained here if the library lacks it). */
  scratchReward: number;
  scratchPath: Cell[];
  scratchTrainedSeconds: number;
  /** Exact optimum over monotone paths (null on [v3] layouts: cyclic moves). */
  optimumReward: number | null;
  optimumPath: Cell[];
  library: {runs: number; policies: number; steps: number; layoutAttempts: number};
  /** "build": the runs were loaded from the build's files (the library stage then only looks them up); "trained": trained here. */
  librarySource: LibrarySource;
  /** The library came from the cache of an earlier answer on this layout (its stages then take 0 ms). */
  cachedLibrary: boolean;
  /** hnswlib's recall@k against exact search, per sub-query (null without hnswlib). */
  recall: number[] | null;
  /** Wall time of each stage, ms (where measured: the only fields that differ between Node and a browser). */
  timings: Record<AnswerStage | "total", number>;
}

/** Run the whole pipeline for one layout seed and one objective (see the module comment). */
export async function answer(params: AnswerParams, options: AnswerOptions = {}): Promise<Answer> {
  const p = resolveAnswerParams(params);
  const {onProgress, signal, pause} = options;
  const t00 = performance.now();
  const timings = Object.fromEntries([...ANSWER_STAGES, "total"].map((s) => [s, 0])) as Answer["timings"];
  const step = async (stage: AnswerStage, done: number, total: number, label?: string) => {
    if (onProgress?.({stage, done, total, ...(label ? {label} : {})}) === false || signal?.aborted) throw new AnswerCancelled(stage);
    await pause?.();
    if (signal?.aborted) throw new AnswerCancelled(stage);
  };
  const set: SpecSet = parseSpecSet(p.specSet);
  const specs: Spec[] = answerSpecs(set, p.spec, p.episodes);
  const settings = resolveExperimentSettings(set, {params: {method: p.method, goldPenalty: p.goldPenalty, hybridTopK: p.k}});
  const ep = settings.params;

  // The decomposition first: a query that cannot be decomposed fails before any training.
  const decomposition = decomposeQuery(p.query, p.mode);
  const target = decomposition.objectives.join("-");
  const job: ExperimentJob = {spec: specs[0].name, mode: p.mode, setup: target, query: p.query, seed: p.seed};

  const cacheKey = `${set.name}|${p.seed}|${p.specs.join(",")}`;
  const cached = options.cache?.get(cacheKey);
  let state: LayoutState;
  let t0: number;
  if (cached) {
    state = cached;
    for (const stage of ["library", "embedding", "regressor"] as const) await step(stage, 1, 1);
  } else {
    // 1. The layout's library, as the experiment's builder lays it out (spec → reward → seed).
    t0 = performance.now();
    const plans = runParamsFor({specSet: set, specs, seeds: [p.seed], rewards: [...REWARD_SYSTEMS]});
    const found = plans.map((rp) => options.shipped?.get(runId(rp)));
    const source: LibrarySource = found.every((r, i) => r !== undefined && runHasParams(r.meta, plans[i])) ? "build" : "trained";
    const label = source === "build" ? LOADING_LABEL : undefined;
    await step("library", 0, plans.length, label);
    const runs: Run[] = [];
    for (const [i, rp] of plans.entries()) {
      runs.push(source === "build" ? found[i]! : trainRun(rp));
      if (source === "trained" || runs.length === plans.length) await step("library", runs.length, plans.length, label);
    }
    timings.library = performance.now() - t0;

    // 2. π2vec embeddings of the library's policies (the experiment's embedding settings).
    t0 = performance.now();
    let cancelled = false;
    const embedding = embedLibrary(runs, {method: settings.librarySf, rule: ep.rule, canonical: settings.canonical, seed: settings.embedSeed}, (done, total) => {
      cancelled = onProgress?.({stage: "embedding", done, total}) === false || signal?.aborted === true;
      return !cancelled;
    });
    if (cancelled) throw new AnswerCancelled("embedding");
    timings.embedding = performance.now() - t0;
    await step("embedding", embedding.policies.length, embedding.policies.length);

    // 3. Reward regressors (§5) and the experiment's context.
    t0 = performance.now();
    const ctx = prepareContext(runs, embedding, fitRegressors(embedding, {kind: settings.regressor, bySpec: settings.regressorBySpec}));
    timings.regressor = performance.now() - t0;
    state = {ctx, layoutAttempts: runs[0].meta.layoutAttempts, source};
    await step("regressor", 1, 1);
  }
  const {ctx} = state;

  // 4. The hnswlib index over the policies' description vectors (§4).
  t0 = performance.now();
  if (options.hnswlib && !state.index) state.index = buildIndex(options.hnswlib, ctx.descriptions, EMBED_DIM);
  const index = options.hnswlib ? state.index : undefined;
  timings.index = performance.now() - t0;
  // Kept for later answers on this layout; without a cache, the index is freed at the end.
  if (options.cache && !cached) options.cache.set(cacheKey, state);
  try {
    await step("index", 1, 1);

    // 5. Retrieval per sub-query (hnswlib when given; the exact search gives its recall).
    t0 = performance.now();
    const r = retrieve(ctx, job, decomposition.subQueries, ep, index);
    let recall: number[] | null = null;
    if (index) {
      const exact = retrieve(ctx, job, decomposition.subQueries, ep);
      recall = exact.candidates.map((list, i) => {
        const got = new Set(r.candidates[i].map((c) => c.id));
        return list.length ? list.filter((c) => got.has(c.id)).length / list.length : 1;
      });
    }
    timings.retrieval = performance.now() - t0;
    await step("retrieval", 1, 1);

    // 6. The from-scratch baseline: the library's run of the target, or one trained like it.
    t0 = performance.now();
    const scratchKey = `${job.spec}|${target}|${p.seed}`;
    if (!ctx.runByKey.has(scratchKey)) {
      const [rp] = runParamsFor({specSet: set, specs: [specs[0]], seeds: [p.seed], rewards: [target]});
      ctx.runByKey.set(scratchKey, trainRun(rp));
    }
    const scratchRun = ctx.runByKey.get(scratchKey)!;
    const s = jobStrategies(ctx, job, ep);
    const scratchReward = greedyRollout(s.env, scratchRun.qFinal, false).total;
    const scratchPath = greedyPath(s.env, scratchRun.qFinal).path;
    timings.scratch = performance.now() - t0;
    await step("scratch", 1, 1);

    // 7. Composition (§7) with the experiment's strategy runner, scored by §7.3.
    t0 = performance.now();
    const result = s.run(planCombinations(r.candidates, p.strategy, s.plan), p.strategy);
    const chosen = result.best >= 0 ? result.evaluated[result.best] : undefined;
    timings.composition = performance.now() - t0;
    await step("composition", 1, 1);

    // 8. The exact optimum ([main] only).
    t0 = performance.now();
    const best = s.env.variant === "main" ? optimum(s.env) : null;
    timings.optimum = performance.now() - t0;
    await step("optimum", 1, 1);

    timings.total = performance.now() - t00;
    const candidate = (c: Candidate): AnswerCandidate => ({id: c.id, policy: c.policy.name, reward: c.policy.reward, cosine: c.score, predicted: c.predicted, actual: c.policy.target});
    return {
      format: "lever-answer/1",
      params: p,
      target,
      subQueries: [...decomposition.subQueries],
      candidates: r.candidates.map((list) => list.map(candidate)),
      policies: chosen ? chosen.combination.map((c) => c.policy.name) : [],
      reward: chosen?.found ? chosen.reward : null,
      path: chosen?.found ? chosen.path : [],
      done: chosen?.done ?? false,
      predicted: chosen && Number.isFinite(chosen.predicted) ? chosen.predicted : null,
      evaluated: result.evaluated.map((c) => ({policies: c.combination.map((x) => x.policy.name), predicted: Number.isFinite(c.predicted) ? c.predicted : null, reward: c.found ? c.reward : null})),
      best: result.best,
      combinations: result.evaluated.length,
      scored: result.scored,
      scratchReward,
      scratchPath,
      scratchTrainedSeconds: scratchRun.meta.time,
      optimumReward: best ? best.reward : null,
      optimumPath: best ? best.path : [],
      library: {runs: ctx.runs.length, policies: ctx.embedding.policies.length, steps: ctx.runs.reduce((a, x) => a + x.meta.steps, 0), layoutAttempts: state.layoutAttempts},
      cachedLibrary: cached !== undefined,
      librarySource: state.source,
      recall,
      timings,
    };
  } finally {
    if (index && !options.cache) disposeIndex(index);
  }
}

/**
 * The answer without its measured fields (timings, training seconds) and where its library came from
 * (this session's cache, the build's files): what must agree between Node and a browser.
 */
export function answerNumbers(a: Answer): Omit<Answer, "timings" | "scratchTrainedSeconds" | "cachedLibrary" | "librarySource"> {
  const {timings: _t, scratchTrainedSeconds: _s, cachedLibrary: _c, librarySource: _l, ...rest} = a;
  return rest;
}
