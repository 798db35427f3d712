/**
 * Composition of library policies for a target task (spec/lever.md §7): one entry point, `compose`,
 * dispatching to
 * - `qsum` (§7.1, the reference default) and `gpi` [OURS] on Q-tables (lib/lever/compose/qsum.ts);
 * - `exnonzero` (§7.2, [main] only) on visit counts (lib/lever/compose/exnonzero.ts).
 * Strategies over many combinations (targeted / exhaustive / hybrid, §7.4) are
 * lib/lever/compose/strategy.ts.
 */
import type {GridWorld} from "../env/gridworld.js";
import {checkEnv, checkTables, type ComposedPath, type QTable} from "./common.js";
import {exNonZero, type ExNonZeroOptions, type ExNonZeroResult, type PlanCache} from "./exnonzero.js";
import {_gpi, _qsum, _rolloutComposed} from "./qsum.js";

export type ComposeMethod = "qsum" | "gpi" | "exnonzero";
export const COMPOSE_METHODS: readonly ComposeMethod[] = ["qsum", "gpi", "exnonzero"];

export function parseComposeMethod(value: unknown): ComposeMethod {
  if (typeof value === "string" && (COMPOSE_METHODS as readonly string[]).includes(value)) return value as ComposeMethod;
  throw new RangeError(`invalid composition method: ${JSON.stringify(value)} (accepted: ${COMPOSE_METHODS.join(", ")})`);
}

// ---------------------------------------------------------------------------------------------
// Public entry point

export interface ComposeInput {
  /** The target env: layout, target reward system and gold penalty of the setup (§8.2). */
  env: GridWorld;
  /** Library Q-tables (qsum, gpi), each nStates·4. */
  tables?: readonly QTable[];
  /** Library cumulative visit counts (exnonzero), each nStates·4 (lib/lever/library/runs.ts `runCounts`). */
  counts?: readonly Uint32Array[];
  /** exnonzero: reuse step 5's DP across calls on the same env (same results, see `PlanCache`). */
  plans?: PlanCache;
}

export interface ComposeOptions extends ExNonZeroOptions {
  method: ComposeMethod;
}

export interface QComposition extends ComposedPath {
  method: "qsum" | "gpi";
  /** The composed Q-table. */
  q: Float64Array;
  /** Time to combine the tables and to roll out (ms). */
  composeMs: number;
  rolloutMs: number;
}

export interface ExNonZeroComposition extends ExNonZeroResult {
  method: "exnonzero";
}

export type Composition = QComposition | ExNonZeroComposition;

/**
 * Compose library policies for a target env (§7): validates the input and options, then dispatches to
 * qsum (§7.1; Q-tables), gpi ([OURS]; Q-tables) or exnonzero (§7.2; visit counts). Returns the
 * composed candidate's real reward on the target env and its transitions (for SF scoring, §7.3).
 */
export function compose(input: ComposeInput, options: ComposeOptions & {method: "exnonzero"}): ExNonZeroComposition;
export function compose(input: ComposeInput, options: ComposeOptions & {method: "qsum" | "gpi"}): QComposition;
export function compose(input: ComposeInput, options: ComposeOptions): Composition;
export function compose(input: ComposeInput, options: ComposeOptions): Composition {
  if (input === null || typeof input !== "object") throw new RangeError(`invalid composition input: expected {env, tables?, counts?}`);
  if (options === null || typeof options !== "object") throw new RangeError(`invalid composition options: expected {method, ...}`);
  const method = parseComposeMethod(options.method);
  const {env} = input;
  checkEnv(env);
  if (method === "exnonzero") {
    if (input.counts === undefined) throw new RangeError(`invalid composition input: method exnonzero needs counts (the libraries' visit counts)`);
    return {method, ...exNonZero(env, input.counts, options, input.plans)};
  }
  if (input.tables === undefined) throw new RangeError(`invalid composition input: method ${method} needs tables (the libraries' Q-tables)`);
  checkTables(input.tables, "Q-table", env.nStates);
  const t0 = performance.now();
  const q = method === "qsum" ? _qsum(input.tables) : _gpi(input.tables);
  const t1 = performance.now();
  const roll = _rolloutComposed(env, q);
  const t2 = performance.now();
  return {method, q, ...roll, composeMs: t1 - t0, rolloutMs: t2 - t1};
}
