/**
 * Q-value composition (spec/lever.md §7.1): Q_comb = Σ_i Q_i elementwise, no normalisation (the
 * reference default), or [OURS] GPI, Q_comb = max_i Q_i; then a greedy rollout on the target env
 * (§2.3). With γ=0 libraries the sum is the "support-limited" ExZero regime.
 */
import type {GridWorld} from "../env/gridworld.js";
import {greedyAction} from "../env/gridworld.js";
import {checkEnv, checkTables, shape, tableRows, type ComposedPath, type QTable} from "./common.js";

/** Q_comb = Σ_i Q_i, elementwise over the (nStates, 4) tables, no normalisation (spec §7.1). */
export function qsum(tables: readonly QTable[]): Float64Array {
  checkTables(tables, "Q-table");
  return _qsum(tables);
}

export function _qsum(tables: readonly QTable[]): Float64Array {
  const out = Float64Array.from(tables[0]);
  const n = out.length;
  for (let i = 1; i < tables.length; i++) {
    const t = tables[i];
    for (let j = 0; j < n; j++) out[j] += t[j];
  }
  return out;
}

/**
 * [OURS] Generalized policy improvement: Q_comb(s,a) = max_i Q_i(s,a), so the greedy action is the best
 * action of the best library policy at each state. Not in the reference (which only sums, §7.1).
 */
export function gpi(tables: readonly QTable[]): Float64Array {
  checkTables(tables, "Q-table");
  return _gpi(tables);
}

export function _gpi(tables: readonly QTable[]): Float64Array {
  const out = Float64Array.from(tables[0]);
  const n = out.length;
  for (let i = 1; i < tables.length; i++) {
    const t = tables[i];
    for (let j = 0; j < n; j++) if (t[j] > out[j]) out[j] = t[j];
  }
  return out;
}

/** Greedy rollout of a composed Q-table on the target env (§2.3): reset, argmax (ties → action 0), ≤ N² steps. */
export function rolloutComposed(env: GridWorld, q: QTable): ComposedPath {
  checkEnv(env);
  const rows = tableRows(q, "Q-table", 0);
  if (rows !== env.nStates) throw new RangeError(`Q-table shape mismatch: ${shape(env.nStates)} vs ${shape(rows)} (env vs table)`);
  return _rolloutComposed(env, q);
}

export function _rolloutComposed(env: GridWorld, q: QTable): ComposedPath {
  // greedyRollout's loop (same summation order, so the same total), keeping the per-step rewards.
  const maxSteps = env.maxSteps;
  const states = new Int32Array(maxSteps + 1);
  const actions = new Uint8Array(maxSteps);
  const rewards = new Float64Array(maxSteps);
  let s = env.reset();
  states[0] = s;
  let n = 0;
  let total = 0;
  while (env.steps < maxSteps) {
    const a = greedyAction(q, s);
    const r = env.step(a);
    total += r;
    rewards[n] = r;
    actions[n] = a;
    s = env.pos;
    states[++n] = s;
    if (env.done) break;
  }
  const st = states.slice(0, n + 1);
  return {
    reward: total,
    done: env.done,
    steps: n,
    states: st,
    actions: actions.slice(0, n),
    rewards: rewards.slice(0, n),
    path: Array.from(st, (x) => env.rowCol(x)),
  };
}
