/**
 * What every composition method shares (spec/lever.md §7): Q-tables and visit counts as flat
 * (nStates·4) arrays indexed s·4+a, their shape checks (one-line RangeErrors), and the composed path a
 * candidate takes on the target env.
 */
import type {GridWorld} from "../env/gridworld.js";
import {N_ACTIONS} from "../env/gridworld.js";
import type {Cell} from "../env/layout.js";

/** A library Q-table, flat (nStates·4), indexed s·4+a. */
export type QTable = Float64Array | Float32Array;

// ---------------------------------------------------------------------------------------------
// Shape checks

export const shape = (rows: number) => `${rows}×${N_ACTIONS}`;

/** Number of rows (states) of a flat (nStates·4) table, or a RangeError naming the table. */
export function tableRows(t: unknown, what: "Q-table" | "counts", i: number): number {
  const ok = what === "counts" ? t instanceof Uint32Array : t instanceof Float64Array || t instanceof Float32Array;
  if (!ok) {
    const got = t === null ? "null" : typeof t === "object" ? (t.constructor?.name ?? "object") : typeof t;
    throw new RangeError(`invalid ${what} ${i}: expected ${what === "counts" ? "a Uint32Array" : "a Float64Array or Float32Array"}, got ${got}`);
  }
  const n = (t as ArrayLike<number>).length;
  if (n === 0 || n % N_ACTIONS !== 0) throw new RangeError(`invalid ${what} ${i}: length ${n} is not a positive multiple of ${N_ACTIONS} actions`);
  return n / N_ACTIONS;
}

/**
 * Checks a non-empty list of same-shape tables; returns nStates. With `envRows`, every table must also
 * match the env ("Q-table shape mismatch: 256×4 vs 1024×4 (env vs table 1)").
 */
export function checkTables(tables: readonly unknown[], what: "Q-table" | "counts", envRows?: number): number {
  if (!Array.isArray(tables) || tables.length === 0) throw new RangeError(`invalid ${what} list: expected a non-empty array`);
  const rows0 = envRows ?? tableRows(tables[0], what, 0);
  const ref = envRows === undefined ? `${what === "counts" ? "counts" : "table"} 0` : "env";
  for (let i = 0; i < tables.length; i++) {
    const rows = tableRows(tables[i], what, i);
    if (rows !== rows0) throw new RangeError(`${what} shape mismatch: ${shape(rows0)} vs ${shape(rows)} (${ref} vs ${what === "counts" ? "counts" : "table"} ${i})`);
  }
  return rows0;
}

/** Counts must match the env and only count real moves (in bounds, not into a block). */
export function checkCounts(env: GridWorld, countsList: readonly Uint32Array[]): void {
  checkTables(countsList, "counts", env.nStates);
  const next = env.next;
  for (let i = 0; i < countsList.length; i++) {
    const c = countsList[i];
    for (let e = 0; e < c.length; e++) {
      if (c[e] > 0 && next[e] < 0) {
        const [r, col] = env.rowCol((e / N_ACTIONS) | 0);
        throw new RangeError(`invalid counts ${i}: edge (${r},${col}) action ${e % N_ACTIONS} leaves the grid or enters a block (count ${c[e]})`);
      }
    }
  }
}

export function checkEnv(env: unknown): asserts env is GridWorld {
  if (env === null || typeof env !== "object" || !((env as GridWorld).next instanceof Int32Array)) throw new RangeError(`invalid env: expected a GridWorld`);
}

export function checkMainEnv(env: GridWorld): void {
  checkEnv(env);
  if (env.variant !== "main") {
    throw new RangeError(`invalid variant for ExNonZero: ${env.variant} (accepted: main; [v3] moves make the visit graph cyclic, spec §7.2)`);
  }
}

// ---------------------------------------------------------------------------------------------
// A composed candidate: the path it takes on the target env

/**
 * What a composed candidate did on the target env: the real env reward summed along its path and the
 * transitions (states[t] --actions[t]--> states[t+1]), which §7.3 featurizes for SF scoring.
 */
export interface ComposedPath {
  /** Environment reward summed along the path (the reported composed reward). */
  reward: number;
  /** Whether the path ended in a terminal cell (exit or hazard). */
  done: boolean;
  /** Number of env steps (= actions.length). */
  steps: number;
  /** Visited states, start first (length steps + 1). Blocked moves repeat a state. */
  states: Int32Array;
  actions: Uint8Array;
  /** Per-step env rewards. */
  rewards: Float64Array;
  /** states as [row, col] cells. */
  path: Cell[];
}
