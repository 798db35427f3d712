/**
 * Exact optimum of a target reward over monotone paths (spec/lever.md §7.2 step 5, §9.4).
 *
 * The stateful DP `best_path_dp_stateful` of the reference, run on the complete [main] move graph of a
 * layout (every in-bounds, non-block move; blocked moves only waste reward, so optimal paths never use
 * them). Labels are (cell, remaining gold count, lever flag): monotone paths never revisit a cell, so a
 * gold cell still holds its gold on first arrival and a count is enough. Cells are processed in
 * row-major order, which is a topological order because every [main] move increases r·N + c.
 * Edges ending at the exit or a hazard are terminal and update the best end; other labels relax with a
 * strict `>`. The reported reward is the real environment's sum along the reconstructed path.
 *
 * The same routine runs on a restricted edge set (`allowed`) for the ExNonZero composition later.
 */
import {ACTION_NAMES, type GridWorld, KIND_EXIT, KIND_GOLD, KIND_HAZARD, KIND_LEVER, N_ACTIONS} from "./gridworld.js";
import type {Cell} from "./layout.js";

export interface OptimumResult {
  /** Environment reward summed along the path (the reported value). */
  reward: number;
  /**
   * DP value of the best end: `reward` up to float summation order, except under a lever reward on a
   * layout without a lever, where the DP starts with the lever flag set (spec §7.2 step 5) and counts
   * +80 at the exit where the environment pays +20 (value = reward + 60; pinned in optimum-mutants.test.ts).
   * `reward` is what is reported.
   */
  value: number;
  path: Cell[];
  actions: number[];
}

export interface OptimumOptions {
  /** Optional mask over (state, action): only edges with allowed[s·4+a] ≠ 0 are used. */
  allowed?: Uint8Array | Uint32Array | Int32Array;
}

export function optimum(env: GridWorld, options: OptimumOptions = {}): OptimumResult {
  if (env.variant !== "main") throw new RangeError(`invalid variant for the optimum solver: ${env.variant} (accepted: main; [v3] moves make the graph cyclic)`);
  const {allowed} = options;
  const nS = env.nStates;
  const G = env.totalGold;
  const rs = env.rewards;
  const hasLever = env.lever >= 0;
  const nG = G + 1;
  const nLabels = nS * nG * 2;
  const value = new Float64Array(nLabels).fill(-Infinity);
  const parent = new Int32Array(nLabels).fill(-1); // previous label index
  const parentAction = new Int8Array(nLabels).fill(-1);
  const label = (s: number, g: number, l: number) => (s * nG + g) * 2 + l;
  const start = label(env.start, G, hasLever ? 0 : 1);
  value[start] = 0;
  let bestEndValue = -Infinity;
  let bestEndParent = -1;
  let bestEndAction = -1;
  let bestEndState = -1;
  /** A terminal edge (into the exit or a hazard) competes for the best end with a strict `>`. */
  const end = (v: number, from: number, a: number, t: number) => {
    if (v > bestEndValue) {
      bestEndValue = v;
      bestEndParent = from;
      bestEndAction = a;
      bestEndState = t;
    }
  };
  const stepCost = env.stepCost;
  const legacy = env.goldExitPenaltyLegacy;

  for (let s = 0; s < nS; s++) {
    const k0 = env.kind[s];
    if (s !== env.start && (k0 === KIND_EXIT || k0 === KIND_HAZARD)) continue; // terminal cells have no out-edges
    for (let g = 0; g <= G; g++) {
      for (let l = 0; l < 2; l++) {
        const from = label(s, g, l);
        const v0 = value[from];
        if (v0 === -Infinity) continue;
        for (let a = 0; a < N_ACTIONS; a++) {
          const t = env.next[s * N_ACTIONS + a];
          if (t < 0) continue;
          if (allowed && !allowed[s * N_ACTIONS + a]) continue;
          const k = env.kind[t];
          if (k === KIND_HAZARD) {
            end(v0 - 100, from, a, t);
            continue;
          }
          let r = 0;
          let g2 = g;
          let l2 = l;
          if (k === KIND_LEVER && l === 0) {
            l2 = 1;
            if (rs.lever) r += 20;
          }
          if (k === KIND_GOLD && g2 > 0) {
            g2--;
            if (rs.gold) r += 5;
          }
          if (rs.hazard) r -= 2 * env.hazardNeighbours[t];
          if (k === KIND_EXIT) {
            r += env.exitBonus;
            if (rs.gold) r += g2 === 0 ? 100 : legacy ? -20 : (-10 * g2) / G;
            if (rs.lever) r += l2 ? 80 : 20;
            end(v0 + r - stepCost, from, a, t);
            continue;
          }
          const to = label(t, g2, l2);
          const v = v0 + r - stepCost;
          if (v > value[to]) {
            value[to] = v;
            parent[to] = from;
            parentAction[to] = a;
          }
        }
      }
    }
  }
  if (bestEndParent < 0) return {reward: NaN, value: -Infinity, path: [], actions: []};
  const actions: number[] = [bestEndAction];
  for (let cur = bestEndParent; cur !== start; cur = parent[cur]) {
    if (cur < 0) throw new Error("optimum: broken parent chain");
    actions.push(parentAction[cur]);
  }
  actions.reverse();
  // Evaluate with the real environment (§7.2 step 6).
  env.reset();
  let reward = 0;
  const path: Cell[] = [env.rowCol(env.start)];
  for (const a of actions) {
    reward += env.step(a);
    path.push(env.rowCol(env.pos));
  }
  if (env.pos !== bestEndState) throw new Error("optimum: replay diverged from the DP path");
  return {reward, value: bestEndValue, path, actions};
}

/**
 * `optimum(env)` of a layout given by a user (CLI `lever optimum`), where optimum() alone would mislead.
 * The solver is exact for [main] layouts, whose start is [0, 0] and exit [N−1, N−1] (spec §1.1); a [v3]
 * layout read from a file looks like any other, and its cyclic moves have no exact solver here. When
 * no monotone path reaches the exit without entering a hazard, optimum() returns a hazard death or no
 * path at all (reward NaN). Both are RangeErrors here, saying why.
 */
export function layoutOptimum(env: GridWorld): OptimumResult {
  const {size: n, start, exit} = env.layout;
  // A [v3] environment goes straight to optimum(), which rejects its variant.
  if (env.variant === "main" && (start[0] !== 0 || start[1] !== 0 || exit[0] !== n - 1 || exit[1] !== n - 1)) {
    throw new RangeError(
      `not a [main] layout: start [${start.join(", ")}], exit [${exit.join(", ")}] (the exact solver needs start [0, 0] and exit [${n - 1}, ${n - 1}]; [v3] moves make the graph cyclic)`,
    );
  }
  if (env.variant === "main" && !exitReachable(env)) {
    throw new RangeError(`the exit [${exit.join(", ")}] cannot be reached from the start [${start.join(", ")}] by [main] moves (${ACTION_NAMES.main.join(", ")}) that avoid hazards and blocks`);
  }
  return optimum(env);
}

/** Whether a monotone [main] path leads from the start to the exit without entering a hazard (a row-major sweep, as in the DP). */
function exitReachable(env: GridWorld): boolean {
  const reached = new Uint8Array(env.nStates);
  reached[env.start] = 1;
  for (let s = 0; s < env.nStates; s++) {
    if (!reached[s] || (s !== env.start && (env.kind[s] === KIND_EXIT || env.kind[s] === KIND_HAZARD))) continue;
    for (let a = 0; a < N_ACTIONS; a++) {
      const t = env.next[s * N_ACTIONS + a];
      if (t >= 0 && env.kind[t] !== KIND_HAZARD) reached[t] = 1;
    }
  }
  return reached[env.exit] === 1;
}

const fullOptima = new WeakMap<GridWorld, OptimumResult>();

/** `optimum(env)` on the complete move graph, computed once per environment object (it is immutable). */
export function fullOptimum(env: GridWorld): OptimumResult {
  let r = fullOptima.get(env);
  if (!r) fullOptima.set(env, (r = optimum(env)));
  return r;
}

/** Whether every (state, action) step of `actions` from the start is allowed by the mask. */
export function pathAllowed(env: GridWorld, actions: readonly number[], allowed: ArrayLike<number>): boolean {
  let s = env.start;
  for (const a of actions) {
    if (!allowed[s * N_ACTIONS + a]) return false;
    s = env.next[s * N_ACTIONS + a];
    if (s < 0) return false;
  }
  return true;
}
