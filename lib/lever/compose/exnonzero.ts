/**
 * ExNonZeroDiscount (spec/lever.md §7.2, [main] only) over the libraries' cumulative visit DAGs:
 * union, count bounds, backtrack bounds, pruning, then the exact stateful DP of
 * lib/lever/env/optimum.ts on the surviving edges, evaluated by stepping the env along the path. It is
 * model-based planning with the true target reward on the library's support, not Q-reuse (§11 item 9).
 *
 * Visit counts are the libraries' cumulative `counts` (lib/lever/library/runs.ts `runCounts`),
 * indexed s·4+a for the transition s→next[s·4+a], s ≠ s'. Since [main] moves are deterministic, the
 * DAG edge (s→s') and the pair (s, a) are the same thing.
 *
 * Public functions validate and throw one-line RangeErrors; the `_`-prefixed kernels loop and trust
 * their input (Arquero/Plot style).
 */
import type {GridWorld} from "../env/gridworld.js";
import {KIND_EXIT, KIND_GOLD, KIND_HAZARD, KIND_LEVER, KIND_PLAIN, N_ACTIONS} from "../env/gridworld.js";
import {fullOptimum, optimum, pathAllowed, type OptimumResult} from "../env/optimum.js";
import {pow} from "../../core/detmath.js";
import {roundPy2} from "../../core/py.js";
import {checkCounts, checkMainEnv, shape, type ComposedPath} from "./common.js";

export interface ExNonZeroOptions {
  /** Step 4, pruning by the backtrack bounds (default true, faithful). false: the DP runs on the whole union. */
  prune?: boolean;
  /**
   * Step 3 edge rewards: `true` (faithful) evaluates them in backtrack order on ONE shared env state, so
   * only the first edge evaluated into a gold or lever cell gets its bonus (the cell is then cleared);
   * `false` evaluates every edge on a fresh (reset) state.
   */
  statefulBounds?: boolean;
  /**
   * The min in L(s,a): `"all"` (faithful) takes min over all 4 actions of nmin[s'], which is 0 unless all
   * 4 were tried at s'; `"tried"` takes the min over the tried actions only (0 if none).
   */
  lowerMin?: "all" | "tried";
  /** α of the bound formulas (the reference passes the SARSA learning rate, 0.1). */
  alpha?: number;
  /** γ of the bound formulas (the reference passes 0.99). */
  gamma?: number;
}

export interface ResolvedExNonZeroOptions {
  prune: boolean;
  statefulBounds: boolean;
  lowerMin: "all" | "tried";
  alpha: number;
  gamma: number;
}

export interface ExNonZeroBounds {
  /** U(s,a) per edge s·4+a, rounded to 2 dp; 0 for edges not reached backwards from the exit and untried actions. */
  upper: Float64Array;
  /** L(s,a) per edge, rounded to 2 dp; 0 likewise. */
  lower: Float64Array;
  /** The step-3 reward r of each reached edge as evaluated (statefully, in backtrack order); 0 otherwise. */
  reward: Float64Array;
  /** 1 for edges whose bounds were computed (their head was reached backwards from the exit). */
  reached: Uint8Array;
  /** Backtrack order of evaluation: edge ids s·4+a in the order their rewards were evaluated. */
  order: Int32Array;
  /** Topological position of each node (networkx-style Kahn generations, see `topologicalPositions`). */
  topo: Int32Array;
}

export interface ExNonZeroPrune {
  /** Surviving edges: allowed[s·4+a] = 1 (the mask handed to the DP). */
  allowed: Uint8Array;
  edgesBefore: number;
  edgesAfter: number;
  /**
   * 100·(E_before − E_after)/E_before, rounded to 2 dp as Python's round (0 when E_before = 0).
   * Successor order: ours visits successors by action index (right, down, right×2,
   * down×2) and sorts predecessors by a topological order built the same way; the reference's networkx
   * graph keeps the order edges were first inserted during training, which the visit counts do not record.
   * The order decides which pairs are compared first, so this percentage can differ from the reference's
   * for the same union; paths and rewards do not (they reproduce the reference's per seed, spec §9.4).
   */
  prunedPct: number;
  /** Number of queue pops of the pruning BFS (nodes can be popped more than once, see `pruneEdges`). */
  pops: number;
}

export interface ExNonZeroResult extends ComposedPath {
  /** false when the (pruned) union has no path from the start to a terminal cell; reward is then NaN. */
  found: boolean;
  /** DP value of the best end (equals reward up to float summation order). */
  dpValue: number;
  /** % of the union's edges pruned (see ExNonZeroPrune.prunedPct: depends on our successor order, not on the result). */
  prunedPct: number;
  edgesBefore: number;
  edgesAfter: number;
  pops: number;
  /** Steps 1–4 (union, count bounds, backtrack bounds, prune): what the reference's targeted_time measures (§8.4). */
  unionBoundsPruneMs: number;
  /** Steps 5–6: the stateful DP and the evaluation rollout (excluded from the reference's timer). */
  dpMs: number;
  options: ResolvedExNonZeroOptions;
}

function resolveExNonZeroOptions(options: ExNonZeroOptions): ResolvedExNonZeroOptions {
  if (options === null || typeof options !== "object") throw new RangeError(`invalid ExNonZero options: expected an object`);
  const {prune = true, statefulBounds = true, lowerMin = "all", alpha = 0.1, gamma = 0.99} = options;
  if (typeof prune !== "boolean") throw new RangeError(`invalid prune: ${JSON.stringify(prune)} (accepted: true, false)`);
  if (typeof statefulBounds !== "boolean") throw new RangeError(`invalid statefulBounds: ${JSON.stringify(statefulBounds)} (accepted: true, false)`);
  if (lowerMin !== "all" && lowerMin !== "tried") throw new RangeError(`invalid lowerMin: ${JSON.stringify(lowerMin)} (accepted: all, tried)`);
  if (typeof alpha !== "number" || !(alpha > 0 && alpha <= 1)) throw new RangeError(`invalid alpha: ${alpha} (accepted: 0 < alpha ≤ 1)`);
  if (typeof gamma !== "number" || !(gamma >= 0 && gamma <= 1)) throw new RangeError(`invalid gamma: ${gamma} (accepted: 0 ≤ gamma ≤ 1)`);
  return {prune, statefulBounds, lowerMin, alpha, gamma};
}

/**
 * Step 1 (§7.2): the union of the DAGs — all N² nodes, the union of the edges, edge counts summed.
 * Returns the summed counts per edge s·4+a as a Float64Array (exact integers; 0 = no edge).
 */
export function unionCounts(env: GridWorld, countsList: readonly Uint32Array[]): Float64Array {
  checkMainEnv(env);
  checkCounts(env, countsList);
  return _unionCounts(countsList);
}

export function _unionCounts(countsList: readonly Uint32Array[]): Float64Array {
  const union = new Float64Array(countsList[0].length);
  for (const counts of countsList) for (let e = 0; e < union.length; e++) union[e] += counts[e];
  return union;
}

/**
 * Topological positions of the union graph's nodes, as networkx's `topological_sort` produces them
 * (Kahn's algorithm by generations): generation 0 = every node of in-degree 0 in index order; each
 * following generation lists the nodes whose in-degree drops to 0 while the previous one is scanned,
 * in scan order. The reference's successor order is the order edges were first inserted during
 * training, which the counts do not record; we scan successors by action index (right, down, right×2,
 * down×2). Only the predecessor order of step 3 depends on this.
 */
export function topologicalPositions(env: GridWorld, union: Float64Array): Int32Array {
  const nS = env.nStates;
  const next = env.next;
  const indeg = new Int32Array(nS);
  for (let e = 0; e < union.length; e++) if (union[e] > 0) indeg[next[e]]++;
  const pos = new Int32Array(nS).fill(-1);
  let gen = new Int32Array(nS);
  let genLen = 0;
  for (let s = 0; s < nS; s++) if (indeg[s] === 0) gen[genLen++] = s;
  let nextGen = new Int32Array(nS);
  let p = 0;
  while (genLen > 0) {
    let nextLen = 0;
    for (let i = 0; i < genLen; i++) {
      const s = gen[i];
      pos[s] = p++;
      for (let a = 0; a < N_ACTIONS; a++) {
        const e = s * N_ACTIONS + a;
        if (union[e] > 0 && --indeg[next[e]] === 0) nextGen[nextLen++] = next[e];
      }
    }
    [gen, nextGen] = [nextGen, gen];
    genLen = nextLen;
  }
  // Cannot happen for [main] (every move increases r·N + c); kept as an assertion.
  if (p !== nS) throw new RangeError(`invalid counts: the visit graph has a cycle (${nS - p} nodes unsorted)`);
  return pos;
}

/**
 * The step-3 reward of moving into t, as the reference's `_get_reward` computes it on the shared
 * env (§7.2 step 3): plain and hazard cells give the static −2·(hazard neighbours)·[hazard] − step cost
 * (no −100: the hazard check lives in `step`, not `_get_reward`); gold, lever and exit cells go through
 * `enterSpecial`, which clears a gold/lever cell on first entry and reads the persistent gold count and
 * lever flag at the exit. (Our env also marks gold taken when gold ∉ C, which the reference does not;
 * that state is only read when gold ∈ C, so the rewards are the same.)
 */
function edgeReward(env: GridWorld, t: number, fresh: boolean): number {
  const k = env.kind[t];
  if (k === KIND_PLAIN || k === KIND_HAZARD) return env.plainReward[t];
  if (k === KIND_GOLD || k === KIND_LEVER || k === KIND_EXIT) {
    if (fresh) env.reset();
    return env.enterSpecial(t, k);
  }
  return env.blockReward; // unreachable: edges into blocks do not exist (checkCounts rejects them)
}

/**
 * Steps 2–3 (§7.2): iteration bounds from counts (nmax = count, nmin = 1 if count > 0, untried 0),
 * then backtrack bounds by BFS backwards from the exit. Each node is enqueued once; when a node t is
 * popped, each predecessor s (sorted by descending topological position) is enqueued if new, and the
 * edge s→t gets, with r its reward evaluated on the shared env state (see `edgeReward`),
 *   U(s,a) = round₂( r·(1 − (1−α)^nmax[s][a]) + α·γ·max_a' nmax[t][a'] )
 *   L(s,a) = round₂( r·(1 − (1−α)^nmin[s][a]) + α·γ·min_a' nmin[t][a'] ),
 * the min running over all 4 actions (faithful) or the tried ones (`lowerMin: "tried"`). The powers are
 * written as the reference's alternating-sign expression, (−1)^(n−1)·r·((α−1)^n + (−1)^(n−1)), which
 * equals r·(1 − (1−α)^n) but keeps its float rounding, because the result is rounded to 2 dp.
 * The env is reset first and left in the mutated state (the caller resets it before evaluating).
 */
export function backtrackBounds(env: GridWorld, union: Float64Array, options: ExNonZeroOptions = {}): ExNonZeroBounds {
  checkMainEnv(env);
  const o = resolveExNonZeroOptions(options);
  checkUnion(env, union);
  return _backtrackBounds(env, union, o);
}

function checkUnion(env: GridWorld, union: Float64Array): void {
  if (!(union instanceof Float64Array)) throw new RangeError(`invalid union: expected a Float64Array (from unionCounts)`);
  if (union.length !== env.nStates * N_ACTIONS) throw new RangeError(`counts shape mismatch: ${shape(env.nStates)} vs ${shape(union.length / N_ACTIONS)} (env vs union)`);
}

export function _backtrackBounds(env: GridWorld, union: Float64Array, o: ResolvedExNonZeroOptions): ExNonZeroBounds {
  const nS = env.nStates;
  const nE = nS * N_ACTIONS;
  const next = env.next;
  const {alpha, gamma} = o;
  const fresh = !o.statefulBounds;
  const topo = topologicalPositions(env, union);

  // Step 2: per-node max of nmax and min of nmin over the 4 actions (nmax = count, nmin = [count > 0]).
  const nodeMax = new Float64Array(nS);
  const nodeMin = new Float64Array(nS);
  for (let s = 0; s < nS; s++) {
    let mx = 0;
    let mn = Infinity;
    for (let a = 0; a < N_ACTIONS; a++) {
      const c = union[s * N_ACTIONS + a];
      if (c > mx) mx = c;
      const m = c > 0 ? 1 : 0;
      if (o.lowerMin === "all" || m > 0) mn = Math.min(mn, m);
    }
    nodeMax[s] = mx;
    nodeMin[s] = mn === Infinity ? 0 : mn;
  }

  // Predecessor lists (CSR): edges e = s·4+a grouped by head next[e].
  const predStart = new Int32Array(nS + 1);
  for (let e = 0; e < nE; e++) if (union[e] > 0) predStart[next[e] + 1]++;
  for (let s = 0; s < nS; s++) predStart[s + 1] += predStart[s];
  const predEdge = new Int32Array(predStart[nS]);
  const fill = predStart.slice(0, nS);
  for (let e = 0; e < nE; e++) if (union[e] > 0) predEdge[fill[next[e]]++] = e;

  const upper = new Float64Array(nE);
  const lower = new Float64Array(nE);
  const reward = new Float64Array(nE);
  const reached = new Uint8Array(nE);
  const order = new Int32Array(predStart[nS]);
  let nOrder = 0;
  const state = new Uint8Array(nS); // 0 new, 1 queued, 2 visited: each node is enqueued once
  const queue = new Int32Array(nS);
  let head = 0;
  let tail = 0;
  queue[tail++] = env.exit;
  state[env.exit] = 1;
  let maxIn = 0;
  for (let s = 0; s < nS; s++) maxIn = Math.max(maxIn, predStart[s + 1] - predStart[s]);
  const preds = new Int32Array(maxIn);
  const ag = alpha * gamma;
  const am1 = alpha - 1;
  const powNeg1 = powTable(-1);
  const powAm1 = powTable(am1);
  // nmin = 1 for every tried edge: its two powers are constants of the call.
  const nmin = 1;
  const sMin = pow(-1, nmin - 1);
  const powMin = pow(am1, nmin);
  env.reset();
  while (head < tail) {
    const t = queue[head++];
    state[t] = 2;
    // Predecessors by descending topological position of their source (insertion sort: distinct
    // sources have distinct positions, so this is the order any sort gives; at most 4 in [main]).
    let np = 0;
    for (let i = predStart[t]; i < predStart[t + 1]; i++) {
      const e = predEdge[i];
      const key = topo[(e / N_ACTIONS) | 0];
      let p = np++;
      while (p > 0 && topo[(preds[p - 1] / N_ACTIONS) | 0] < key) {
        preds[p] = preds[p - 1];
        p--;
      }
      preds[p] = e;
    }
    for (let pi = 0; pi < np; pi++) {
      const e = preds[pi];
      const s = (e / N_ACTIONS) | 0;
      if (state[s] === 0) {
        state[s] = 1;
        queue[tail++] = s;
      }
      const r = edgeReward(env, t, fresh);
      const nmax = union[e];
      const sMax = powFrom(powNeg1, -1, nmax - 1);
      upper[e] = roundPy2(sMax * r * (powFrom(powAm1, am1, nmax) + sMax) + ag * nodeMax[t]);
      lower[e] = roundPy2(sMin * r * (powMin + sMin) + ag * nodeMin[t]);
      reward[e] = r;
      reached[e] = 1;
      order[nOrder++] = e;
    }
  }
  return {upper, lower, reward, reached, order: order.slice(0, nOrder), topo};
}

// detmath `pow` is a pure function, and the bounds raise two bases (−1 and α−1) to integer counts, so
// its values are tabulated per base for integer exponents 0 ≤ y < POW_TABLE, filled on first use
// (deliberate performance inlining: the fdlibm pow dominated the bounds). Other exponents, and a zero
// base (whose sign a Map key cannot tell), call pow directly. NaN marks an entry not yet computed.
const POW_TABLE = 1 << 16;
const powTables = new Map<number, Float64Array>();
function powTable(x: number): Float64Array | null {
  if (x === 0 || !Number.isFinite(x)) return null;
  let t = powTables.get(x);
  if (t === undefined) {
    if (powTables.size >= 8) powTables.clear();
    powTables.set(x, (t = new Float64Array(POW_TABLE).fill(NaN)));
  }
  return t;
}
function powFrom(table: Float64Array | null, x: number, y: number): number {
  if (table === null || !(y >= 0 && y < POW_TABLE) || Math.floor(y) !== y) return pow(x, y);
  let v = table[y];
  if (v !== v) v = table[y] = pow(x, y);
  return v;
}

/**
 * Step 4 (§7.2): pruning by BFS from the start over the current edges (successors in action order).
 * A popped node with exactly one successor enqueues it with no visited/queued check. At a node with ≠ 1
 * successors, for every ordered pair (n1, n2), n1 ≠ n2, neither edge already marked at this node: if
 * U(node→n2) ≤ L(node→n1) mark node→n2, else enqueue n2 if it is neither queued nor visited; the marked
 * edges are deleted when the node is done. (So a surviving successor is enqueued only if some pair
 * (n1, n2) with n2 = it was compared; one whose every comparison was skipped is never explored.)
 *
 * No loop guard: on a DAG this terminates. A node can be popped more than once only through
 * single-successor predecessors; pops(v) ≤ 1 + Σ pops(u) over single-successor predecessors u, and
 * single-successor edges form in-trees, so pops(v) ≤ (size of v's in-tree) ≤ V and the total is O(V²).
 * Re-processing a node removes nothing new (every surviving pair was already compared and kept). Only a
 * cycle could loop forever, and [main] graphs cannot have one: every move increases r·N + c ([v3] is
 * rejected up front).
 */
export function pruneEdges(env: GridWorld, union: Float64Array, bounds: Pick<ExNonZeroBounds, "upper" | "lower">): ExNonZeroPrune {
  checkMainEnv(env);
  checkUnion(env, union);
  const nE = env.nStates * N_ACTIONS;
  if (!(bounds?.upper instanceof Float64Array) || !(bounds.lower instanceof Float64Array) || bounds.upper.length !== nE || bounds.lower.length !== nE) {
    throw new RangeError(`invalid bounds: expected {upper, lower} Float64Arrays of ${nE} values (from backtrackBounds)`);
  }
  return _pruneEdges(env, union, bounds.upper, bounds.lower);
}

export function _pruneEdges(env: GridWorld, union: Float64Array, upper: Float64Array, lower: Float64Array): ExNonZeroPrune {
  const nS = env.nStates;
  const nE = nS * N_ACTIONS;
  const next = env.next;
  const allowed = new Uint8Array(nE);
  let edgesBefore = 0;
  for (let e = 0; e < nE; e++) if (union[e] > 0) (allowed[e] = 1), edgesBefore++;
  const queued = new Int32Array(nS); // copies currently in the queue
  const visited = new Uint8Array(nS);
  const queue: number[] = [env.start];
  queued[env.start] = 1;
  const succ = new Int32Array(N_ACTIONS); // edge ids of the current node's successors
  const removed = new Uint8Array(N_ACTIONS);
  let head = 0;
  while (head < queue.length) {
    const node = queue[head++];
    queued[node]--;
    visited[node] = 1;
    let k = 0;
    for (let a = 0; a < N_ACTIONS; a++) if (allowed[node * N_ACTIONS + a]) succ[k++] = node * N_ACTIONS + a;
    if (k === 1) {
      const t = next[succ[0]];
      queue.push(t);
      queued[t]++;
      continue;
    }
    removed.fill(0);
    for (let i = 0; i < k; i++) {
      const l1 = lower[succ[i]];
      for (let j = 0; j < k; j++) {
        if (i === j || removed[i] || removed[j]) continue;
        if (upper[succ[j]] <= l1) {
          removed[j] = 1;
        } else {
          const t = next[succ[j]];
          if (queued[t] === 0 && !visited[t]) {
            queue.push(t);
            queued[t]++;
          }
        }
      }
    }
    for (let i = 0; i < k; i++) if (removed[i]) allowed[succ[i]] = 0;
  }
  let edgesAfter = 0;
  for (let e = 0; e < nE; e++) edgesAfter += allowed[e];
  const prunedPct = edgesBefore > 0 ? roundPy2((100 * (edgesBefore - edgesAfter)) / edgesBefore) : 0;
  return {allowed, edgesBefore, edgesAfter, prunedPct, pops: head};
}

/**
 * ExNonZeroDiscount (§7.2, `run_pruning_multi` then the DP and the evaluation), steps 1–6:
 * 1. union of the DAGs (counts summed); 2. count bounds; 3. backtrack bounds on the shared env state;
 * 4. pruning (all timed together as `unionBoundsPruneMs`, the reference's targeted_time, §8.4);
 * 5. the exact stateful DP over the surviving edges — lib/lever/env/optimum.ts with the pruned edge mask;
 * 6. evaluation: step a reset env along the DP's actions, summing the real env reward.
 *
 * The env is the target env (layout + target reward system + gold penalty); it is used as the
 * reference's shared copy in step 3 (the reference's shallow copy shares its grid with the env) and
 * reset before steps 5–6. Deviation: optimum() reconstructs a hazard-terminal best end correctly,
 * where the reference's reconstruction (which always starts from the exit) would break (§11 item 9);
 * a best end is a hazard only when no exit path is worth more than −100.
 */
export function exNonZero(env: GridWorld, countsList: readonly Uint32Array[], options: ExNonZeroOptions = {}, plans?: PlanCache): ExNonZeroResult {
  checkMainEnv(env);
  const o = resolveExNonZeroOptions(options);
  checkCounts(env, countsList);
  if (plans !== undefined && !(plans instanceof Map)) throw new RangeError("invalid plan cache: expected a Map");
  return _exNonZero(env, countsList, o, plans);
}

/**
 * Step 5's DP results keyed by the pruned edge mask, for one target env: different combinations often
 * prune to the same graph (24 of 81 on a 16×16 hybrid search), and the DP is the costly step. Reusing
 * an entry gives the same path as recomputing it (the DP is a function of env and mask); only the
 * measured dpMs changes, which is why the experiment leaves it off by default (faithful timing).
 */
export type PlanCache = Map<string, OptimumResult>;

function maskKey(allowed: Uint8Array): string {
  let key = "";
  for (let i = 0; i < allowed.length; i += 4096) key += String.fromCharCode(...allowed.subarray(i, i + 4096));
  return key;
}

export function _exNonZero(env: GridWorld, countsList: readonly Uint32Array[], o: ResolvedExNonZeroOptions, plans?: PlanCache): ExNonZeroResult {
  const t0 = performance.now();
  const union = _unionCounts(countsList); // step 1
  let pr: ExNonZeroPrune;
  if (o.prune) {
    const b = _backtrackBounds(env, union, o); // steps 2–3
    pr = _pruneEdges(env, union, b.upper, b.lower); // step 4
  } else {
    const allowed = new Uint8Array(union.length);
    let n = 0;
    for (let e = 0; e < union.length; e++) if (union[e] > 0) (allowed[e] = 1), n++;
    pr = {allowed, edgesBefore: n, edgesAfter: n, prunedPct: 0, pops: 0};
  }
  const t1 = performance.now();
  // Step 5. Exact shortcut [OURS]: when every edge of the complete graph's optimal path survives
  // pruning, the DP on the pruned subgraph returns that same path (its labels reach the same values,
  // and the relaxations that set them come first in the same order), so the cached full optimum is
  // reused. Otherwise run the DP on the pruned graph (it resets the env and replays its path).
  const key = plans ? maskKey(pr.allowed) : "";
  let dp = plans?.get(key);
  if (dp === undefined) {
    const full = fullOptimum(env);
    dp = full.actions.length > 0 && pathAllowed(env, full.actions, pr.allowed) ? full : optimum(env, {allowed: pr.allowed});
    plans?.set(key, dp);
  }
  const found = dp.actions.length > 0;
  // Step 6: step a reset env along the DP's actions, summing the real env reward.
  const nT = dp.actions.length;
  const states = new Int32Array(found ? nT + 1 : 0);
  const rewards = new Float64Array(nT);
  let reward = found ? 0 : NaN;
  if (found) {
    states[0] = env.reset();
    for (let i = 0; i < nT; i++) {
      rewards[i] = env.step(dp.actions[i]);
      reward += rewards[i];
      states[i + 1] = env.pos;
    }
  }
  const t2 = performance.now();
  return {
    reward,
    done: found && env.done,
    steps: nT,
    states,
    actions: Uint8Array.from(dp.actions),
    rewards,
    path: Array.from(states, (s) => env.rowCol(s)),
    found,
    dpValue: dp.value,
    prunedPct: pr.prunedPct,
    edgesBefore: pr.edgesBefore,
    edgesAfter: pr.edgesAfter,
    pops: pr.pops,
    unionBoundsPruneMs: t1 - t0,
    dpMs: t2 - t1,
    options: o,
  };
}
