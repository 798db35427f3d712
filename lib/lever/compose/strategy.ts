/**
 * The composition strategies of LEVER (spec/lever.md §7.4), once, for every caller: the experiment
 * (lib/lever/experiment/run.ts), the hybrid k-sweep (sweep.ts), the CLI and the Search page.
 *
 *   1. `planCombinations`: which combinations of retrieved candidates a strategy evaluates —
 *      targeted ([main]: the top 2 of all sub-queries' candidates pooled, ranked by the regressor's
 *      prediction on the library embedding; [v3]: the best of each sub-query), exhaustive (the
 *      Cartesian product of the candidate lists, itertools.product order) or hybrid (the product of
 *      each list's top-k by prediction).
 *   2. `composeCombination`: compose one combination on the target env (lib/lever/compose/compose.ts:
 *      qsum §7.1, gpi [OURS], exnonzero §7.2).
 *   3. `runStrategy`: compose every planned combination; exhaustive and hybrid score each composed path
 *      with the injected scorer (§7.3, lib/lever/compose/score.ts) and keep the first maximum (strict
 *      `>`, as the reference); targeted is not scored (the reference ranks by the library regressor).
 *
 * Faithful defaults are those of the reference's `full_experiment.py` ([main]); the Search page's
 * former variants are named options, each shown on the page:
 *   - `dedupeTargeted`: targeted drops a policy retrieved by two sub-queries before taking the top 2
 *     (faithful: false — the reference can compose a policy with itself);
 *   - `skipEmpty`: sub-queries without candidates are left out of the products (faithful: false — one
 *     empty list makes the product empty, so exhaustive and hybrid compose nothing);
 *   - `memoPlanning`: ExNonZero's DP is reused across combinations that prune to the same graph (same
 *     results, less time; faithful: false, so measured times are the reference's work);
 *   - `targetedSingle`: [main] targeted composes a lone retrieved candidate by itself (faithful: false —
 *     the reference needs its top 2 and returns no result when only one candidate was retrieved);
 *   - `acceptUnscored`: exhaustive/hybrid accept the first combination even when its predicted score is
 *     −∞ or NaN (faithful: false — the reference keeps a combination only when its score is strictly
 *     greater than the best so far, which starts at −∞, so such a combination is skipped, and a run
 *     where every score is −∞/NaN has no result).
 * Scores of identical composed paths are reused within a run (`memoScores`, default true: the score
 * is a function of the path — the MLP's seed includes the path — so this changes only time).
 */
import type {GridWorld} from "../env/gridworld.js";
import type {Cell} from "../env/layout.js";
import type {PolicyRule} from "../pi2vec/embedding.js";
import type {QTable} from "./common.js";
import {compose, parseComposeMethod, type ComposeMethod} from "./compose.js";
import type {ExNonZeroOptions, PlanCache} from "./exnonzero.js";
import {pathKey} from "./score.js";

export type Strategy = "targeted" | "exhaustive" | "hybrid";
export const STRATEGIES: readonly Strategy[] = ["targeted", "exhaustive", "hybrid"];

export function parseStrategy(value: unknown): Strategy {
  if (typeof value === "string" && (STRATEGIES as readonly string[]).includes(value)) return value as Strategy;
  throw new RangeError(`invalid strategy: ${JSON.stringify(value)} (accepted: ${STRATEGIES.join(", ")})`);
}

// ---------------------------------------------------------------------------------------------
// 1. Plans

/** A retrieved library policy: its id (insertion index in the library) and the regressor's prediction. */
export interface Ranked {
  id: number;
  /** Regressor prediction on the policy's library embedding (§5), which ranks candidates (§7.4). */
  predicted: number;
}

export interface PlanOptions {
  /** [main] (faithful): targeted = pooled top 2; [v3]: the best candidate of each sub-query. */
  rule?: PolicyRule;
  /** Hybrid: candidates kept per sub-query (3). */
  hybridTopK?: number;
  /** Page variant: targeted keeps the first occurrence of a repeated policy (default false). */
  dedupeTargeted?: boolean;
  /** Page variant: sub-queries without candidates are left out (default false: nothing to compose). */
  skipEmpty?: boolean;
  /** [main] targeted with one retrieved candidate composes it alone (default false: no result, as the reference). */
  targetedSingle?: boolean;
}

export const FAITHFUL_PLAN: Readonly<Required<PlanOptions>> = {rule: "main", hybridTopK: 3, dedupeTargeted: false, skipEmpty: false, targetedSingle: false};

function resolvePlanOptions(options: PlanOptions): Required<PlanOptions> {
  const o = {...FAITHFUL_PLAN, ...options};
  if (o.rule !== "main" && o.rule !== "v3") throw new RangeError(`invalid policy rule: ${JSON.stringify(o.rule)} (accepted: main, v3)`);
  if (!Number.isInteger(o.hybridTopK) || o.hybridTopK < 1) throw new RangeError(`invalid hybrid top-k: ${o.hybridTopK} (expected a positive integer)`);
  if (typeof o.dedupeTargeted !== "boolean" || typeof o.skipEmpty !== "boolean" || typeof o.targetedSingle !== "boolean")
    throw new RangeError("invalid dedupeTargeted/skipEmpty/targetedSingle: expected booleans");
  return o;
}

/** Stable sort by prediction, descending: Python's `sorted(..., reverse=True)` keeps ties in order. */
export function byPrediction<C extends Ranked>(list: readonly C[]): C[] {
  return list
    .map((c, i) => ({c, i}))
    .sort((a, b) => b.c.predicted - a.c.predicted || a.i - b.i)
    .map((x) => x.c);
}

/**
 * Cartesian product in itertools.product order (first list slowest). Like `product()`, no lists give
 * one empty combination; any empty list gives none.
 */
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
 * The combinations a strategy evaluates (§7.4), as lists of candidates, from the candidates of each
 * sub-query in retrieval order. No sub-queries (or, with `skipEmpty`, none with candidates) plan
 * nothing; targeted plans nothing when no candidate was retrieved, and [main] targeted nothing when only
 * one was (the reference composes its top 2; `targetedSingle` composes the one alone).
 */
export function planCombinations<C extends Ranked>(candidates: readonly (readonly C[])[], strategy: Strategy, options: PlanOptions = {}): C[][] {
  parseStrategy(strategy);
  const o = resolvePlanOptions(options);
  const lists = o.skipEmpty ? candidates.filter((l) => l.length > 0) : candidates;
  if (lists.length === 0) return [];
  if (strategy === "targeted") {
    let chosen: C[];
    if (o.rule === "main") {
      let pooled = lists.flat();
      if (o.dedupeTargeted) {
        const seen = new Set<number>();
        pooled = pooled.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
      }
      chosen = byPrediction(pooled).slice(0, 2);
      if (chosen.length < 2 && !o.targetedSingle) return [];
    } else {
      chosen = lists.filter((l) => l.length > 0).map((l) => byPrediction(l)[0]);
    }
    return chosen.length > 0 ? [chosen] : [];
  }
  if (strategy === "exhaustive") return cartesian(lists);
  return cartesian(lists.map((l) => byPrediction(l).slice(0, o.hybridTopK)));
}

// ---------------------------------------------------------------------------------------------
// 2. Composition

/** The target env and where each library policy's Q-table and visit counts come from. */
export interface ComposeSource {
  /** Target env: the layout of the seed, the target reward system, the gold penalty. */
  env: GridWorld;
  method: ComposeMethod;
  /** ExNonZero options (faithful defaults, lib/lever/compose/exnonzero.ts). */
  exnonzero?: ExNonZeroOptions;
  /** Q-table (nStates·4) and cumulative visit counts of a library policy by id. */
  q: (id: number) => QTable;
  counts: (id: number) => Uint32Array;
}

export interface ComposedCandidate<C extends Ranked = Ranked> {
  combination: C[];
  /** Real env reward along the path (NaN when exnonzero finds no path). */
  reward: number;
  done: boolean;
  found: boolean;
  path: Cell[];
  actions: Uint8Array;
  /** Regressor prediction of the composed path's SF embedding (§7.3); NaN when not scored. */
  predicted: number;
  /** ExNonZero only: % of the union's edges removed by pruning (§7.2 step 4). */
  prunedPct?: number;
  /** Wall time of the whole composition (combine + rollout, or ExNonZero steps 1–6), ms. */
  composeMs: number;
  /** What the reference's targeted timer measures (§8.4): qsum/gpi the combine, exnonzero steps 1–4, ms. */
  methodMs: number;
  /** Scoring time including the memo lookup (0 for targeted), ms. */
  scoreMs: number;
}

/** Compose one combination on the target env (not scored). */
export function composeCombination<C extends Ranked>(src: ComposeSource, combination: readonly C[], plans?: PlanCache): ComposedCandidate<C> {
  if (combination.length === 0) throw new RangeError("invalid combination: no policies");
  const method = parseComposeMethod(src.method);
  const ids = combination.map((c) => c.id);
  const t0 = performance.now();
  const c = method === "exnonzero" ? compose({env: src.env, counts: ids.map(src.counts), plans}, {...src.exnonzero, method}) : compose({env: src.env, tables: ids.map(src.q)}, {method});
  const composeMs = performance.now() - t0;
  return {
    combination: [...combination],
    reward: c.reward,
    done: c.done,
    found: c.method === "exnonzero" ? c.found : true,
    path: c.path,
    actions: c.actions,
    predicted: NaN,
    prunedPct: c.method === "exnonzero" ? c.prunedPct : undefined,
    composeMs,
    methodMs: c.method === "exnonzero" ? c.unionBoundsPruneMs : c.composeMs,
    scoreMs: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Strategies

export interface RunOptions {
  /** §7.3: the predicted return of a composed path (its actions on the target env). */
  score: (actions: Uint8Array) => number;
  /** Reuse the score of an identical path within the run (default true; changes only time). */
  memoScores?: boolean;
  /** Reuse ExNonZero's DP across combinations that prune alike (default false, faithful timing). */
  memoPlanning?: boolean;
  /** Accept the first combination even when its score is −∞/NaN (default false: skipped, as the reference). */
  acceptUnscored?: boolean;
}

export interface StrategyResult<C extends Ranked = Ranked> {
  strategy: Strategy;
  method: ComposeMethod;
  /** Every evaluated combination in plan order (targeted: at most one). */
  evaluated: ComposedCandidate<C>[];
  /** Index into `evaluated` of the chosen combination, −1 when nothing was planned. */
  best: number;
  /** Number of scorer calls (the SF fits; fewer than combinations when paths repeat). */
  scored: number;
  /** Summed composition and scoring times, and the total wall time, ms. */
  composeMs: number;
  scoreMs: number;
  ms: number;
}

/**
 * Run a strategy (§7.4) over planned combinations. Targeted composes its single combination without
 * scoring; exhaustive and hybrid score every combination and keep the first maximum of the prediction:
 * as the reference, a combination is chosen when its score is strictly greater than the best so far,
 * which starts at −∞, so a −∞ or NaN score is never chosen (`best` stays −1 when every score is; with
 * `acceptUnscored` the first combination is taken whatever its score).
 */
export function runStrategy<C extends Ranked>(src: ComposeSource, combinations: readonly (readonly C[])[], strategy: Strategy, options: RunOptions): StrategyResult<C> {
  parseStrategy(strategy);
  if (typeof options?.score !== "function") throw new RangeError("invalid scorer: expected a function of a path's actions");
  const {score, memoScores = true, memoPlanning = false, acceptUnscored = false} = options;
  const t0 = performance.now();
  const memo = new Map<string, number>();
  const plans: PlanCache | undefined = memoPlanning ? new Map() : undefined;
  const evaluated: ComposedCandidate<C>[] = [];
  let best = -1;
  let scored = 0;
  let composeMs = 0;
  let scoreMs = 0;
  for (const combo of combinations) {
    const c = composeCombination(src, combo, plans);
    composeMs += c.composeMs;
    if (strategy === "targeted") {
      best = 0;
    } else {
      const s0 = performance.now();
      const key = memoScores ? pathKey(c.actions) : "";
      let p = memoScores ? memo.get(key) : undefined;
      if (p === undefined) {
        p = score(c.actions);
        scored++;
        if (memoScores) memo.set(key, p);
      }
      c.predicted = p;
      c.scoreMs = performance.now() - s0;
      scoreMs += c.scoreMs;
      const bestScore = best < 0 ? -Infinity : evaluated[best].predicted;
      if (p > bestScore || (best < 0 && acceptUnscored)) best = evaluated.length;
    }
    evaluated.push(c);
  }
  return {strategy, method: src.method, evaluated, best, scored, composeMs, scoreMs, ms: performance.now() - t0};
}
