/**
 * The "Search and compose" pipeline of LEVER (spec/lever.md §4, §6, §7), as the page runs it in the
 * browser: decomposition → retrieval per sub-query → candidates → composition strategy → scoring.
 *
 *   1. `retrieveCandidates`: every sub-query is embedded (lib/lever/retrieval/text-embed.ts) and searched in the policy
 *      index within the layout seed, top-k (5) with cosine strictly > threshold (0.7), §4 and §7.4. The
 *      same search runs exactly (the reference's IndexFlatIP) to report recall@k.
 *   2. `planCombinations` (§7.4):
 *      - targeted [main]: pool every sub-query's candidates, rank by the regressor's prediction on the
 *        library embedding, compose the top 2 overall (no SF training);
 *      - exhaustive: the Cartesian product of all candidate lists (≤ 5^m combinations);
 *      - hybrid: the product of each list's top-k by the regressor.
 *   3. `runStrategy`: compose each combination (lib/lever/compose/compose.ts: qsum §7.1, gpi [OURS], exnonzero §7.2),
 *      roll it out on the target env, and score it (§7.3): featurize its path (§3.1), fit successor
 *      features on its transitions, embed with the experiment's canonical states, predict with the
 *      regressor. The highest *predicted* combination wins (strict >, first maximum in combination
 *      order); its *actual* reward is what is reported.
 *
 * Scoring uses LSTD successor features (lib/lever/pi2vec/successor.ts (b), computed by `lstdEmbedding` with one
 * vector solve) instead of the reference's 50-epoch MLP [OURS]: deterministic, a few ms per path. Identical paths get identical scores,
 * so scores are memoised by action sequence (many Q-sums of different policies roll out the same path).
 *
 * Pure (no DOM, no fs): the same code runs in the page, in Node and in the tests.
 */
import type {ComposeMethod, QTable} from "./compose/compose.js";
import {_backtrackBounds, _exNonZero, _gpi, _pruneEdges, _qsum, _rolloutComposed, _unionCounts, parseComposeMethod} from "./compose/compose.js";
import type {FeatureMatrix, Transitions} from "./pi2vec/features.js";
import {episodeFeatures, transitionsFrom} from "./pi2vec/features.js";
import type {GridWorld} from "./env/gridworld.js";
import type {Cell} from "./env/layout.js";
import {optimum} from "./env/optimum.js";
import type {FlatVectors, HnswIndex, PolicyEntryKey, PolicyHit} from "./retrieval/hnsw.js";
import {DEFAULT_TOP_K, EXPERIMENT_THRESHOLD, searchPolicies} from "./retrieval/hnsw.js";
import {canonicalMean, lstdEmbedding} from "./pi2vec/successor.js";
import {embedText} from "./retrieval/text-embed.js";

export type Strategy = "targeted" | "exhaustive" | "hybrid";
export const STRATEGIES: readonly Strategy[] = ["targeted", "exhaustive", "hybrid"];

export function parseStrategy(value: unknown): Strategy {
  if (typeof value === "string" && (STRATEGIES as readonly string[]).includes(value)) return value as Strategy;
  throw new RangeError(`invalid strategy: ${JSON.stringify(value)} (accepted: ${STRATEGIES.join(", ")})`);
}

/** The reference's `policy_seed` string: 3 → "0003". */
export const seedKey = (seed: number): string => String(seed).padStart(4, "0");

// ---------------------------------------------------------------------------------------------
// 1. Retrieval

export interface RetrievalOptions {
  /** Layout seed: only that seed's policies are searched (§4 filter). */
  seed: number;
  /** Top-k before thresholding (5). */
  k?: number;
  /** Keep cosine strictly greater than this (0.7 in the experiments). */
  threshold?: number;
}

export interface SubQueryRetrieval {
  subQuery: string;
  /** Hits of the HNSW index (re-ranked exactly, see lib/lever/retrieval/hnsw.ts `search`). */
  hits: PolicyHit[];
  /** Hits of the exact search (the reference's IndexFlatIP). */
  exact: PolicyHit[];
  /** |hits ∩ exact| / |exact| over the top-k before thresholding (1 when both are empty). */
  recall: number;
  /** Embedding + HNSW search time, and exact search time (ms). */
  ms: number;
  exactMs: number;
}

export function retrieveCandidates(
  index: HnswIndex | FlatVectors,
  exact: FlatVectors,
  entries: readonly PolicyEntryKey[],
  subQueries: readonly string[],
  options: RetrievalOptions,
): SubQueryRetrieval[] {
  const {seed, k = DEFAULT_TOP_K, threshold = EXPERIMENT_THRESHOLD} = options;
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`invalid seed: ${seed}`);
  const filter = {k, seed: seedKey(seed)};
  return subQueries.map((subQuery) => {
    const t0 = performance.now();
    const q = embedText(subQuery);
    const top = searchPolicies(index, entries, q, {...filter, threshold: -2});
    const t1 = performance.now();
    const truth = searchPolicies(exact, entries, q, {...filter, threshold: -2});
    const t2 = performance.now();
    const truthIds = new Set(truth.map((h) => h.id));
    const recall = truth.length ? top.filter((h) => truthIds.has(h.id)).length / truth.length : 1;
    const keep = (hs: PolicyHit[]) => hs.filter((h) => h.score > threshold).map((h, rank) => ({...h, rank}));
    return {subQuery, hits: keep(top), exact: keep(truth), recall, ms: t1 - t0, exactMs: t2 - t1};
  });
}

// ---------------------------------------------------------------------------------------------
// 2. Combinations

/** A retrieved policy: id (insertion index), the sub-query it answers, cosine and regressor prediction. */
export interface Candidate {
  id: number;
  subQuery: number;
  score: number;
  /** Regressor prediction on the policy's library embedding (used to rank, §7.4). */
  predicted: number;
}

/** Candidates per sub-query, each list in retrieval order. */
export function candidatesOf(retrieval: readonly SubQueryRetrieval[], predictLibrary: (id: number) => number): Candidate[][] {
  return retrieval.map((r, i) => r.hits.map((h) => ({id: h.id, subQuery: i, score: h.score, predicted: predictLibrary(h.id)})));
}

/** Stable sort by prediction, descending (ties keep retrieval order). */
function byPrediction(list: readonly Candidate[]): Candidate[] {
  return list.map((c, i) => ({c, i})).sort((a, b) => b.c.predicted - a.c.predicted || a.i - b.i).map((x) => x.c);
}

/** Cartesian product, first list varying slowest (itertools.product order). */
export function cartesian<T>(lists: readonly (readonly T[])[]): T[][] {
  let out: T[][] = [[]];
  for (const list of lists) {
    const next: T[][] = [];
    for (const prefix of out) for (const x of list) next.push([...prefix, x]);
    out = next;
  }
  return out;
}

/**
 * The combinations a strategy evaluates (§7.4), as lists of candidates. Sub-queries without candidates
 * are skipped (the reference's product would be empty and it would crash; we compose the others).
 * Targeted pools all lists, drops repeated policies (first occurrence kept), and takes the top 2.
 */
export function planCombinations(candidates: readonly (readonly Candidate[])[], strategy: Strategy, k = 3): Candidate[][] {
  parseStrategy(strategy);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`invalid k: ${k} (expected an integer ≥ 1)`);
  const lists = candidates.filter((l) => l.length > 0);
  if (lists.length === 0) return [];
  if (strategy === "targeted") {
    const seen = new Set<number>();
    const pooled = lists.flat().filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
    return [byPrediction(pooled).slice(0, 2)];
  }
  if (strategy === "exhaustive") return cartesian(lists);
  return cartesian(lists.map((l) => byPrediction(l).slice(0, k)));
}

// ---------------------------------------------------------------------------------------------
// 3. Composition and scoring

export interface ComposeContext {
  /** Target env: the layout of the seed, the target reward system, the gold penalty. */
  env: GridWorld;
  method: ComposeMethod;
  /** Q-table (nStates·4) and cumulative visit counts of a library policy by id. */
  q: (id: number) => QTable;
  counts: (id: number) => Uint32Array;
  /** The experiment's canonical states (§3.3) for the SF embedding. */
  canonical: FeatureMatrix;
  /** Regressor on a π2vec embedding (§5). */
  predict: (embedding: ArrayLike<number>) => number;
}

export interface ComposedCandidate {
  ids: number[];
  /** Real env reward along the path (NaN when exnonzero finds no path). */
  reward: number;
  done: boolean;
  found: boolean;
  path: Cell[];
  actions: Uint8Array;
  /** Regressor prediction of the composed policy's SF embedding (§7.3); NaN if not scored. */
  predicted: number;
  /** ExNonZero only: % of the union's edges removed by pruning (§7.2 step 4). */
  prunedPct?: number;
  /** Composition + rollout (or ExNonZero) time, and scoring time (0 when memoised), ms. */
  composeMs: number;
  scoreMs: number;
}

/** Compose one combination and roll it out on the target env (not scored). */
export function composeCombination(ctx: ComposeContext, ids: readonly number[], dpCache?: Map<string, number[]>): ComposedCandidate {
  if (ids.length === 0) throw new RangeError("invalid combination: no policies");
  const method = parseComposeMethod(ctx.method);
  const t0 = performance.now();
  let out: Omit<ComposedCandidate, "composeMs" | "scoreMs" | "predicted">;
  if (method === "exnonzero") {
    out = {ids: [...ids], ...exNonZeroCached(ctx.env, ids.map(ctx.counts), dpCache)};
  } else {
    const tables = ids.map(ctx.q);
    const q = method === "qsum" ? _qsum(tables) : _gpi(tables);
    const r = _rolloutComposed(ctx.env, q);
    out = {ids: [...ids], reward: r.reward, done: r.done, found: true, path: r.path, actions: r.actions};
  }
  return {...out, predicted: NaN, composeMs: performance.now() - t0, scoreMs: 0};
}

/** The faithful ExNonZero options (spec §7.2). */
const EXNONZERO_FAITHFUL = {prune: true, statefulBounds: true, lowerMin: "all", alpha: 0.1, gamma: 0.99} as const;

/**
 * ExNonZero (lib/lever/compose/compose.ts `_exNonZero`, steps 1–6 with the faithful options), with the DP of step 5
 * memoised by the pruned edge mask: different combinations often prune to the same graph (24 of 81 on
 * a 16×16 hybrid search), and the DP is the costly step. Same result as `_exNonZero`.
 */
export function exNonZeroCached(env: GridWorld, countsList: readonly Uint32Array[], cache?: Map<string, number[]>): {reward: number; done: boolean; found: boolean; path: Cell[]; actions: Uint8Array; prunedPct: number} {
  if (!cache) {
    const r = _exNonZero(env, countsList, EXNONZERO_FAITHFUL);
    return {reward: r.reward, done: r.done, found: r.found, path: r.path, actions: r.actions, prunedPct: r.prunedPct};
  }
  const union = _unionCounts(countsList);
  const b = _backtrackBounds(env, union, EXNONZERO_FAITHFUL);
  const {allowed, prunedPct} = _pruneEdges(env, union, b.upper, b.lower);
  let key = "";
  for (let i = 0; i < allowed.length; i += 4096) key += String.fromCharCode(...allowed.subarray(i, i + 4096));
  let actions = cache.get(key);
  if (actions === undefined) {
    actions = optimum(env, {allowed}).actions;
    cache.set(key, actions);
  }
  const found = actions.length > 0;
  let reward = found ? 0 : NaN;
  const states = [env.reset()];
  if (found) {
    for (const a of actions) {
      reward += env.step(a);
      states.push(env.pos);
    }
  }
  return {reward, done: found && env.done, found, path: found ? states.map((x) => env.rowCol(x)) : [], actions: Uint8Array.from(actions), prunedPct};
}

/**
 * §7.3 with LSTD successor features: featurize the path's grids (§3.1) by replaying its actions on the
 * target env, fit ψ on the consecutive pairs, embed with the canonical states, predict. A path with no
 * transitions (ExNonZero found nothing) scores −∞.
 */
export function scoreActions(ctx: Pick<ComposeContext, "env" | "canonical" | "predict">, actions: ArrayLike<number>): {embedding: Float32Array | null; predicted: number} {
  if (actions.length === 0) return {embedding: null, predicted: -Infinity};
  const embedding = lstdEmbedding(transitionsFrom(episodeFeatures(ctx.env, actions)), canonicalMean(ctx.canonical));
  return {embedding, predicted: ctx.predict(embedding)};
}

export interface StrategyResult {
  strategy: Strategy;
  method: ComposeMethod;
  /** Every evaluated combination in order (targeted: the single one). */
  evaluated: ComposedCandidate[];
  /** Index into `evaluated` of the chosen combination, −1 if none. */
  best: number;
  /** Distinct paths among the evaluated combinations (the number of SF fits). */
  uniquePaths: number;
  /** Total time (ms): composition, rollouts and scoring of every combination. */
  ms: number;
}

/**
 * Run a strategy (§7.4) over planned combinations. Targeted composes its single combination without
 * SF scoring (the reference ranks by the library regressor only); exhaustive and hybrid score every
 * combination and keep the first maximum of the prediction.
 */
export function runStrategy(ctx: ComposeContext, combinations: readonly (readonly Candidate[])[], strategy: Strategy): StrategyResult {
  parseStrategy(strategy);
  const t0 = performance.now();
  const memo = new Map<string, number>();
  const dpCache = new Map<string, number[]>();
  const evaluated: ComposedCandidate[] = [];
  let best = -1;
  for (const combo of combinations) {
    const c = composeCombination(ctx, combo.map((x) => x.id), dpCache);
    if (strategy !== "targeted") {
      const key = c.actions.join("");
      let p = memo.get(key);
      if (p === undefined) {
        const s0 = performance.now();
        p = scoreActions(ctx, c.actions).predicted;
        memo.set(key, p);
        c.scoreMs = performance.now() - s0;
      }
      c.predicted = p;
      if (best < 0 || p > evaluated[best].predicted) best = evaluated.length;
    } else {
      best = 0;
    }
    evaluated.push(c);
  }
  return {strategy, method: ctx.method, evaluated, best, uniquePaths: strategy === "targeted" ? 0 : memo.size, ms: performance.now() - t0};
}

// ---------------------------------------------------------------------------------------------
// Helpers for the pages

/**
 * Column-wise z-scores of an n × d row-major matrix (constant columns → 0), e.g. to project or
 * index π2vec embeddings whose raw dimensions have very different scales (the gold count is raw).
 */
export function standardize(data: ArrayLike<number>, n: number, d: number): {data: Float32Array; mean: Float64Array; std: Float64Array} {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1 || data.length !== n * d) throw new RangeError(`invalid matrix: ${data.length} values for ${n}×${d}`);
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n || 1;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) {
    const dx = data[i * d + j] - mean[j];
    std[j] += dx * dx;
  }
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j] / (n || 1));
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = std[j] > 1e-12 ? (data[i * d + j] - mean[j]) / std[j] : 0;
  return {data: out, mean, std};
}

/** Linear model from shipped coefficients (y = intercept + coef·x). */
export function linearPredictor(coef: ArrayLike<number>, intercept: number): (x: ArrayLike<number>) => number {
  const d = coef.length;
  return (x) => {
    if (x.length !== d) throw new RangeError(`invalid embedding length: ${x.length} (expected ${d})`);
    let s = intercept;
    for (let j = 0; j < d; j++) s += coef[j] * x[j];
    return s;
  };
}
