/**
 * π2vec state featurisation (spec/lever.md §3.1): the reference's `state_to_vector(grid, hazard_steps)`
 * on our int8 grids, plus the per-episode feature matrix and the (s, s') transition pairs that the
 * successor-feature model trains on (§3.2, §3.4).
 *
 * Faithful to the reference, quirks included (§3.1, §11 item 6): the gold count is a raw count, walls
 * are out-of-bounds or blocks only, the lever flag is "no cell equals 2", the exit vector is zero when
 * no 10 is on the grid (the agent stands on it), GMAX = 200 when N = 64 and 50 otherwise. Every value
 * is computed in float64 and rounded once to float32, as numpy does when it builds the float32 head,
 * so the vectors should match the reference bit for bit.
 */
import {CELL} from "../env/layout.js";
import type {GridWorld} from "../env/gridworld.js";
import {KIND_BLOCK, KIND_EXIT, KIND_GOLD, KIND_HAZARD, KIND_LEVER, N_ACTIONS} from "../env/gridworld.js";

/** Number of head features (§3.1 table; the reference's `STATE_HEAD_LEN = 21` is stale). */
export const HEAD_LEN = 20;
/** Feature dimension for every grid size except 64 (20 head + GMAX = 50 tail). */
export const FEATURE_DIM = 70;

/** Names of the 20 head features, in order (§3.1). */
export const HEAD_FEATURES: readonly string[] = [
  "x",
  "y",
  "gold_dx",
  "gold_dy",
  "gold_dist",
  "gold_count",
  "exit_dx",
  "exit_dy",
  "exit_dist",
  "wall_up",
  "wall_down",
  "wall_left",
  "wall_right",
  "lever_dx",
  "lever_dy",
  "lever_dist",
  "lever_collected",
  "hazard_density",
  "hazard_dist",
  "hazard_steps",
];

/** GMAX of §3.1: 200 when N = 64, else 50 (so 32×32 keeps the 70-d vector). */
export function gmax(size: number): number {
  return size === 64 ? 200 : 50;
}

/** Length of a state vector for an N×N grid: 20 + GMAX (70, or 220 for N = 64). */
export function featureDim(size: number): number {
  return HEAD_LEN + gmax(size);
}

/** A row-major matrix of feature vectors: `rows` × `dim`. */
export interface FeatureMatrix {
  data: Float32Array;
  rows: number;
  dim: number;
}

/** Consecutive pairs (s_t, s_{t+1}) as two row-major n × dim matrices. */
export interface Transitions {
  s: Float32Array;
  next: Float32Array;
  n: number;
  dim: number;
}

function validateGrid(grid: Int8Array, size: number): void {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`invalid size: ${size} (expected a positive integer)`);
  if (!(grid instanceof Int8Array) || grid.length !== size * size) {
    throw new RangeError(`invalid grid: length ${grid?.length} for a ${size}×${size} grid (expected ${size * size})`);
  }
}

/**
 * `state_to_vector(grid, hazard_steps)` of §3.1 → Float32Array(20 + GMAX).
 *
 * `grid` is the N×N int8 grid in row-major order (cell codes of §1.1); `hazardSteps` is the
 * cumulative hazard count of that state (null/undefined → feature 19 is 0, as the reference does when
 * it is not given). Throws RangeError when the grid has no agent (the reference raises ValueError).
 */
export function stateToVector(grid: Int8Array, size: number, hazardSteps?: number | null, out?: Float32Array): Float32Array {
  validateGrid(grid, size);
  const dim = featureDim(size);
  if (out !== undefined && out.length !== dim) throw new RangeError(`invalid output length: ${out.length} (expected ${dim})`);
  if (hazardSteps != null && !Number.isFinite(hazardSteps)) throw new RangeError(`invalid hazardSteps: ${hazardSteps}`);
  return _stateToVector(grid, size, hazardSteps ?? null, out ?? new Float32Array(dim));
}

/** Kernel of `stateToVector` (no validation); writes into `out` and returns it. */
export function _stateToVector(grid: Int8Array, n: number, hazardSteps: number | null, out: Float32Array): Float32Array {
  const nn = n * n;
  // Agent: first cell equal to 7 in row-major order (np.argwhere), x = col, y = row.
  let agent = -1;
  for (let i = 0; i < nn; i++) {
    if (grid[i] === CELL.agent) {
      agent = i;
      break;
    }
  }
  if (agent < 0) throw new RangeError("invalid grid: no agent (cell value 7)");
  const ay = (agent / n) | 0;
  const ax = agent - ay * n;

  // One row-major pass: exit (first 10), lever (first 2), golds, hazards.
  let exitX = ax;
  let exitY = ay;
  let exitFound = false;
  let leverX = 0;
  let leverY = 0;
  let leverFound = false;
  let golds = 0;
  let bestGoldD2 = Infinity;
  let goldDx = 0;
  let goldDy = 0;
  let hazards = 0;
  let bestHazD2 = Infinity;
  // Manhattan distances to every gold (integers), sorted later; at most N² entries.
  const manhattan = new Int32Array(nn);
  for (let i = 0; i < nn; i++) {
    const v = grid[i];
    if (v === CELL.empty) continue;
    const r = (i / n) | 0;
    const c = i - r * n;
    const dx = c - ax;
    const dy = r - ay;
    if (v === CELL.gold) {
      manhattan[golds++] = Math.abs(dx) + Math.abs(dy);
      // Nearest by Euclidean distance; strict < keeps the first in row-major order (np.argmin).
      const d2 = dx * dx + dy * dy;
      if (d2 < bestGoldD2) {
        bestGoldD2 = d2;
        goldDx = dx;
        goldDy = dy;
      }
    } else if (v === CELL.hazard) {
      hazards++;
      const d2 = dx * dx + dy * dy;
      if (d2 < bestHazD2) bestHazD2 = d2;
    } else if (v === CELL.exit && !exitFound) {
      exitFound = true;
      exitX = c;
      exitY = r;
    } else if (v === CELL.lever && !leverFound) {
      leverFound = true;
      leverX = c;
      leverY = r;
    }
  }

  // Sorting the integer distances gives the same order as sorting the float32 quotients (monotone map).
  const m = manhattan.subarray(0, golds).sort();
  return _writeFeatures(out, n, grid, CELL.block, ax, ay, golds, goldDx, goldDy, bestGoldD2, exitX, exitY, leverFound, leverX, leverY, hazards, bestHazD2, hazardSteps, m);
}

/**
 * The 20 head features and the Manhattan tail of §3.1 from the quantities both featurizers extract
 * (agent, nearest gold, exit, lever, hazards; `manhattanSorted` ascending, first `golds` entries).
 * One function, so the grid scan and the incremental featurizer compute every value by the same
 * float64 expression and round it once to float32. `cells[i] === blockCode` marks a wall.
 */
function _writeFeatures(
  out: Float32Array,
  n: number,
  cells: ArrayLike<number>,
  blockCode: number,
  ax: number,
  ay: number,
  golds: number,
  goldDx: number,
  goldDy: number,
  bestGoldD2: number,
  exitX: number,
  exitY: number,
  leverFound: boolean,
  leverX: number,
  leverY: number,
  hazards: number,
  bestHazD2: number,
  hazardSteps: number | null,
  manhattanSorted: ArrayLike<number>,
): Float32Array {
  const nn = n * n;
  const G = gmax(n);
  const diag = Math.SQRT2 * n; // np.sqrt(2) * N
  const blocked = (r: number, c: number) => r < 0 || r >= n || c < 0 || c >= n || cells[r * n + c] === blockCode;
  const exDx = exitX - ax;
  const exDy = exitY - ay;
  const lvDx = leverFound ? leverX - ax : 0;
  const lvDy = leverFound ? leverY - ay : 0;

  out[0] = ax / n;
  out[1] = ay / n;
  out[2] = golds > 0 ? goldDx / n : 0;
  out[3] = golds > 0 ? goldDy / n : 0;
  out[4] = golds > 0 ? Math.sqrt(bestGoldD2) / diag : 0;
  out[5] = golds; // raw count (quirk, §11 item 6)
  out[6] = exDx / n;
  out[7] = exDy / n;
  out[8] = Math.sqrt(exDx * exDx + exDy * exDy) / diag;
  out[9] = blocked(ay - 1, ax) ? 1 : 0; // up
  out[10] = blocked(ay + 1, ax) ? 1 : 0; // down
  out[11] = blocked(ay, ax - 1) ? 1 : 0; // left
  out[12] = blocked(ay, ax + 1) ? 1 : 0; // right
  out[13] = lvDx / n;
  out[14] = lvDy / n;
  out[15] = leverFound ? Math.sqrt(lvDx * lvDx + lvDy * lvDy) / diag : 0;
  out[16] = leverFound ? 0 : 1;
  out[17] = hazards / nn;
  out[18] = hazards > 0 ? Math.sqrt(bestHazD2) / diag : 0;
  out[19] = hazardSteps === null ? 0 : hazardSteps / nn;

  // Tail: Manhattan distances / (2N), ascending, truncated / zero-padded to GMAX.
  const take = Math.min(golds, G);
  for (let k = 0; k < take; k++) out[HEAD_LEN + k] = manhattanSorted[k] / (2 * n);
  for (let k = take; k < G; k++) out[HEAD_LEN + k] = 0;
  return out;
}

/**
 * `_stateToVector(env.renderGrid(), n, hazardSteps)` of the env's current state, without rendering or
 * scanning the N² grid (deliberate performance inlining of the hot path of §7.3 scoring and episode
 * featurisation). The layout is static, so the gold, hazard, exit and lever cells are listed once in
 * row-major order; a state only changes the agent cell (which hides whatever lies under it), the golds
 * taken and the lever flag. Every feature is computed by the same float64 expression as
 * `_stateToVector` and rounded once to float32, so the vectors are bit-identical (proved on random
 * rollouts in test/lever/pi2vec/features-equivalence.test.ts).
 */
export class StateFeaturizer {
  readonly env: GridWorld;
  readonly n: number;
  readonly dim: number;
  private readonly goldCells: Int32Array;
  private readonly goldOrdinal: Int32Array;
  private readonly hazardCells: Int32Array;
  private readonly exitCells: Int32Array;
  private readonly leverCells: Int32Array;
  private readonly manhattan: Int32Array;

  constructor(env: GridWorld) {
    const n = env.size;
    const nn = n * n;
    this.env = env;
    this.n = n;
    this.dim = featureDim(n);
    const golds: number[] = [];
    const hazards: number[] = [];
    const exits: number[] = [];
    const levers: number[] = [];
    // The cells renderGrid draws as gold, hazard, exit and lever, in row-major order.
    for (let s = 0; s < nn; s++) {
      const k = env.kind[s];
      if (k === KIND_GOLD) golds.push(s);
      else if (k === KIND_HAZARD) hazards.push(s);
      else if (k === KIND_EXIT) exits.push(s);
      else if (k === KIND_LEVER) levers.push(s);
    }
    this.goldCells = Int32Array.from(golds);
    this.goldOrdinal = Int32Array.from(golds, (s) => env.goldIndex[s]);
    this.hazardCells = Int32Array.from(hazards);
    this.exitCells = Int32Array.from(exits);
    this.leverCells = Int32Array.from(levers);
    this.manhattan = new Int32Array(golds.length);
  }

  /** Features of the env's current state into `out` (length dim); returns out. */
  write(hazardSteps: number | null, out: Float32Array): Float32Array {
    const env = this.env;
    const n = this.n;
    const agent = env.pos;
    const ay = (agent / n) | 0;
    const ax = agent - ay * n;

    let golds = 0;
    let bestGoldD2 = Infinity;
    let goldDx = 0;
    let goldDy = 0;
    const manhattan = this.manhattan;
    const gc = this.goldCells;
    for (let q = 0; q < gc.length; q++) {
      const cell = gc[q];
      if (cell === agent || !env.goldPresent(this.goldOrdinal[q])) continue;
      const r = (cell / n) | 0;
      const dx = cell - r * n - ax;
      const dy = r - ay;
      const m = Math.abs(dx) + Math.abs(dy);
      // Insertion into the ascending Manhattan list (integers: the same order as a typed-array sort).
      let p = golds++;
      while (p > 0 && manhattan[p - 1] > m) {
        manhattan[p] = manhattan[p - 1];
        p--;
      }
      manhattan[p] = m;
      const d2 = dx * dx + dy * dy;
      if (d2 < bestGoldD2) {
        bestGoldD2 = d2;
        goldDx = dx;
        goldDy = dy;
      }
    }
    let hazards = 0;
    let bestHazD2 = Infinity;
    const hc = this.hazardCells;
    for (let q = 0; q < hc.length; q++) {
      const cell = hc[q];
      if (cell === agent) continue;
      hazards++;
      const r = (cell / n) | 0;
      const dx = cell - r * n - ax;
      const dy = r - ay;
      const d2 = dx * dx + dy * dy;
      if (d2 < bestHazD2) bestHazD2 = d2;
    }
    let exitX = ax;
    let exitY = ay;
    for (let q = 0; q < this.exitCells.length; q++) {
      const cell = this.exitCells[q];
      if (cell === agent) continue;
      exitY = (cell / n) | 0;
      exitX = cell - exitY * n;
      break;
    }
    let leverFound = false;
    let leverX = 0;
    let leverY = 0;
    if (!env.leverCollected) {
      for (let q = 0; q < this.leverCells.length; q++) {
        const cell = this.leverCells[q];
        if (cell === agent) continue;
        leverFound = true;
        leverY = (cell / n) | 0;
        leverX = cell - leverY * n;
        break;
      }
    }

    return _writeFeatures(out, n, env.kind, KIND_BLOCK, ax, ay, golds, goldDx, goldDy, bestGoldD2, exitX, exitY, leverFound, leverX, leverY, hazards, bestHazD2, hazardSteps, manhattan);
  }
}

/**
 * The feature matrix of an episode with runs of identical consecutive rows stored once: `data` holds
 * `rows` distinct-from-their-neighbour rows, row k repeated `counts[k]` times in the full matrix
 * (Σ counts = steps + 1). A blocked move leaves the state unchanged, so a rollout pushing into a wall
 * for hundreds of steps costs one row. `expandRuns` gives the full (steps + 1) × dim matrix.
 */
export interface FeatureRuns {
  data: Float32Array;
  counts: Int32Array;
  rows: number;
  dim: number;
  /** Number of actions replayed (transitions = steps). */
  steps: number;
}

/**
 * Replay `actions` from `env.reset()` and featurise every state as `episodeFeatures` does
 * (`hazardSteps` true: the env's cumulative hazard count; false: feature 19 = 0, as §7.3 scoring),
 * run-length encoded (see FeatureRuns). A blocked move repeats the previous row without featurising;
 * any other move is featurised and merged into the previous run if equal to it (`!==` on every value,
 * as lib/lever/pi2vec/sf-lstd.ts compares transitions). No action validation beyond the episode's end.
 */
export function _episodeFeatureRuns(env: GridWorld, actions: ArrayLike<number>, hazardSteps: boolean, featurizer: StateFeaturizer = new StateFeaturizer(env)): FeatureRuns {
  const dim = featurizer.dim;
  const T = actions.length;
  let data = new Float32Array(Math.min(T + 1, 4 * env.size + 8) * dim);
  let counts = new Int32Array(data.length / dim);
  env.reset();
  featurizer.write(hazardSteps ? env.hazardSteps : null, data.subarray(0, dim));
  counts[0] = 1;
  let k = 0;
  for (let t = 0; t < T; t++) {
    if (env.done) throw new RangeError(`invalid actions: the episode ended after step ${t} of ${T}`);
    const before = env.pos;
    env.step(actions[t]);
    if (env.pos === before && !env.done) {
      counts[k]++;
      continue;
    }
    if ((k + 2) * dim > data.length) {
      const grown = new Float32Array(Math.min(2 * data.length, (T + 1) * dim));
      grown.set(data);
      data = grown;
      const c2 = new Int32Array(grown.length / dim);
      c2.set(counts);
      counts = c2;
    }
    const o = (k + 1) * dim;
    featurizer.write(hazardSteps ? env.hazardSteps : null, data.subarray(o, o + dim));
    let equal = true;
    for (let j = 0; j < dim; j++) {
      if (data[o + j] !== data[o - dim + j]) {
        equal = false;
        break;
      }
    }
    if (equal) counts[k]++;
    else counts[++k] = 1;
  }
  return {data, counts, rows: k + 1, dim, steps: T};
}

/** The full feature matrix of run-length encoded rows (each row repeated counts[k] times). */
export function expandRuns(runs: FeatureRuns): FeatureMatrix {
  const {dim, rows, counts} = runs;
  const total = runs.steps + 1;
  const data = new Float32Array(total * dim);
  let r = 0;
  for (let k = 0; k < rows; k++) {
    const row = runs.data.subarray(k * dim, (k + 1) * dim);
    for (let c = 0; c < counts[k]; c++) data.set(row, r++ * dim);
  }
  return {data, rows: total, dim};
}

/**
 * Replay `actions` from `env.reset()` and featurise the grid before the first step and after every
 * step (§2.2 `episode_states.npy`): a (T+1) × dim matrix. The hazard count of each state is the env's
 * cumulative `hazardSteps` at that state, as the reference records it in `episode_hazard_counts.npy`
 * (0, or 1 at a final hazard state). Actions after the episode has ended are an error.
 * The env is left at the end of the episode.
 */
export function episodeFeatures(env: GridWorld, actions: ArrayLike<number>): FeatureMatrix {
  const n = env.size;
  const dim = featureDim(n);
  const T = actions.length;
  for (let t = 0; t < T; t++) {
    const a = actions[t];
    if (!Number.isInteger(a) || a < 0 || a >= N_ACTIONS) throw new RangeError(`invalid action at step ${t}: ${a} (accepted: 0, 1, 2, 3)`);
  }
  const data = new Float32Array((T + 1) * dim);
  const f = new StateFeaturizer(env); // = _stateToVector(env.renderGrid(), …), without the N² scan
  env.reset();
  f.write(env.hazardSteps, data.subarray(0, dim));
  for (let t = 0; t < T; t++) {
    if (env.done) throw new RangeError(`invalid actions: the episode ended after step ${t} of ${T}`);
    env.step(actions[t]);
    f.write(env.hazardSteps, data.subarray((t + 1) * dim, (t + 2) * dim));
  }
  return {data, rows: T + 1, dim};
}

/**
 * Consecutive pairs (s_t, s_{t+1}) of a feature matrix (§3.2 `transitions`). Blocked moves give
 * s_t = s_{t+1}; there is no terminal marker (the reference does no terminal masking, §3.4).
 */
export function transitionsFrom(features: FeatureMatrix): Transitions {
  const {data, rows, dim} = features;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(dim) || dim < 1 || data.length !== rows * dim) {
    throw new RangeError(`invalid feature matrix: ${data.length} values for ${rows}×${dim}`);
  }
  const n = Math.max(0, rows - 1);
  return {s: data.slice(0, n * dim), next: data.slice(dim, (n + 1) * dim), n, dim};
}

/** One-line RangeErrors for malformed transitions / state matrices (successor-feature inputs). */
export function validateTransitions(t: Transitions): void {
  const {s, next, n, dim} = t;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(dim) || dim < 1 || s.length !== n * dim || next.length !== n * dim) {
    throw new RangeError(`invalid transitions: s ${s.length} and next ${next.length} values for ${n}×${dim}`);
  }
}

export function validateStates(m: FeatureMatrix, dim: number): void {
  if (m.dim !== dim || m.data.length !== m.rows * m.dim) throw new RangeError(`invalid states: ${m.rows}×${m.dim} (${m.data.length} values), expected dim ${dim}`);
  if (m.rows < 1) throw new RangeError("invalid states: no rows");
}
