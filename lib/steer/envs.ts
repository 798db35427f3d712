/**
 * The environments of the steering analog (spec/steering.md §8.2, all [OURS]): no MuJoCo, no downloaded
 * data, just two point-mass double integrators that run identically in Node and the browser.
 *
 * E1. ReachN (locomotion analog, dense reward, D4RL-style normalized score)
 *   state x ∈ [-1,1]^d, v ∈ R^d, goal g ∈ [-1,1]^d; observation (x, v, g), dimension 3d; action a ∈ [-1,1]^d.
 *   v ← (1−c)v + dt·F·B·a;  x ← clip(x + dt·v), a velocity component is zeroed when it hits a wall.
 *   r = −‖x−g‖ − 0.05‖a‖²; horizon 60, no early termination; start and goal uniform per episode.
 *   dt = 0.1, F = 2, c = 0.1. B = I, or a fixed random rotation for the coupled variant (Reach6c).
 * E1'. LedgeN (a task where small action errors are catastrophic, issue 13 §4, [OURS]; hopper / walker2d
 *   fall and end their episodes, which is what makes a small perturbation expensive in MuJoCo): the ReachN
 *   double integrator with one face of the box replaced by a cliff. Axis 0 ends at a ledge x_0 = +1; the
 *   goal lies on the ledge's lip, g_0 = 1 − m with m uniform in [0.05, 0.3), the other goal components
 *   uniform in [-1, 1); the start has x_0 uniform in [-1, 0), the rest uniform in [-1, 1). Crossing
 *   x_0 > 1 is a fall: the point drops into the ravine (x_0 = 1.5, v = 0) and the state is absorbing,
 *   every step from the fall on costs `ledgeFallCost(d)` = 2√d + 0.05·d (the worst on-ledge reward, the
 *   box's diameter plus the full action cost) and no action moves it. The other faces are walls as in
 *   ReachN. Reward on the ledge, horizon and normalized score as ReachN. The episode keeps its length
 *   (an absorbing state with a per-step penalty, not an early stop), so every rule is scored on 60
 *   steps and a fall costs more the earlier it happens.
 * E2. PointMaze (AntMaze analog, sparse success)
 *   the same double integrator in d = 2 inside a grid of unit cells, with axis-separated wall collision;
 *   start cells drawn per episode (seeded) from the far half of the maze, fixed goal cell; success within
 *   0.5 cell of the goal; horizon 500; the observation
 *   (x, y, vx, vy) excludes the goal, as in D4RL AntMaze.
 *
 * Layout of a state buffer: ReachN keeps the state in its observation layout [x(d), v(d), g(d)], so the
 * state *is* the observation; PointMaze keeps [x, y, vx, vy] (the observation) and the goal lives in the
 * environment. Steps work in place on flat Float64Arrays at an offset (a batch of n states is one
 * n·obsDim array), so a rollout over many episodes needs no per-step allocation.
 *
 * Action bounds (§2.7): policies are composed on unsquashed Gaussians; the environment clips each
 * component to [-1, 1] before applying it, and the action-cost term of the reward uses the clipped action.
 *
 * Choices where the spec is silent [OURS]:
 * - the reward's distance term uses the position *after* the step;
 * - Reach6c's rotation B: Gram–Schmidt on a Gaussian 6×6 matrix from a fixed seed, with det B = +1;
 * - reset draws x then g, each component uniform in [-1, 1) from `rng.next()`; v = 0;
 * - the maze start cell is drawn uniformly from `env.startCells`: the open cells whose BFS distance to the
 *   goal is at least half the largest one (the D4RL evaluation start cell is one of them), so 25
 *   episodes are not one outcome (issue 13 §5; a fixed start with a deterministic policy gives 25 copies
 *   of one episode); the position is the cell's centre plus a uniform jitter of ±0.1 cell per axis
 *   (D4RL also perturbs the start); the goal is the goal cell's centre, fixed;
 * - maze coordinates: x is the column axis, y the row axis, cell (r, c) covers [c, c+1) × [r, r+1);
 *   the agent is a point (no radius); a move into a wall cell (or off the grid) along one axis is undone
 *   and that velocity component is zeroed, x axis first, then y;
 * - maze reward is 1 when within the success radius of the goal after the step, else 0, and the
 *   episode ends at the first success (success is what is scored).
 */
import {deriveSeed, Rng} from "../core/rng.js";

// ---------------------------------------------------------------------------------------------------
// ReachN (§8.2 E1)
// ---------------------------------------------------------------------------------------------------

/** Dynamics constants shared by ReachN and PointMaze (§8.2). */
export const DYNAMICS = Object.freeze({
  /** Time step dt. */
  dt: 0.1,
  /** Force scale F. */
  force: 2,
  /** Velocity drag c per step. */
  drag: 0.1,
});

/** ReachN constants (§8.2 E1). */
export const REACH = Object.freeze({
  horizon: 60,
  /** Weight of the action cost 0.05‖a‖². */
  actionCost: 0.05,
  /** Scripted expert gains (§8.3): a = clip(Kp(g−x) − Kd v). */
  kp: 4,
  kd: 2,
});

export type ReachName = "Reach2" | "Reach3" | "Reach6" | "Reach6c" | "Reach8" | "Ledge3" | "Ledge6c";

/**
 * The variants of §8.2 and the LedgeN variants (header, E1'): action dimension, coupling, whether axis 0
 * ends at a cliff, and the D4RL environment each stands in for.
 */
export const REACH_VARIANTS: Readonly<Record<ReachName, {dim: number; coupled: boolean; ledge: boolean; analog: string}>> = Object.freeze({
  Reach2: {dim: 2, coupled: false, ledge: false, analog: "visual demo"},
  Reach3: {dim: 3, coupled: false, ledge: false, analog: "hopper"},
  Reach6: {dim: 6, coupled: false, ledge: false, analog: "halfcheetah"},
  Reach6c: {dim: 6, coupled: true, ledge: false, analog: "walker2d"},
  Reach8: {dim: 8, coupled: false, ledge: false, analog: "ant"},
  Ledge3: {dim: 3, coupled: false, ledge: true, analog: "hopper (falls)"},
  Ledge6c: {dim: 6, coupled: true, ledge: true, analog: "walker2d (falls)"},
});

export const REACH_NAMES: readonly ReachName[] = ["Reach2", "Reach3", "Reach6", "Reach6c", "Reach8", "Ledge3", "Ledge6c"];

/** LedgeN constants (header, E1'). */
export const LEDGE = Object.freeze({
  /** The cliff: x_0 > edge is a fall. */
  edge: 1,
  /** Where a fallen point lies (x_0), off every dataset state of the ledge. */
  ravine: 1.5,
  /** The goal's distance m from the edge, uniform in [marginMin, marginMax). */
  marginMin: 0.05,
  marginMax: 0.3,
});

/** Per-step cost of the fallen (absorbing) state: 2√d + 0.05·d, the worst reward a step on the ledge can have. */
export function ledgeFallCost(d: number): number {
  return 2 * Math.sqrt(d) + REACH.actionCost * d;
}

/** Seed of every fixed, environment-defining random quantity (Reach6c's B, the reference-return episodes). */
export const ENV_SEED = 2604_22873;

/**
 * Reference returns for the normalized score (§8.2, like D4RL's REF_MIN_SCORE / REF_MAX_SCORE):
 * random = mean return of 1,000 episodes with uniform random actions, expert = mean return of 1,000
 * episodes of the noise-free scripted expert (`reachExpertAction`), both with fixed seeds
 * (`referenceReturns(env, 1000, ENV_SEED)`). Stored as constants; test/steer/envs.test.ts recomputes them.
 */
export const REACH_REFS: Readonly<Record<ReachName, {random: number; expert: number}>> = Object.freeze({
  Reach2: {random: -67.8316653179394, expert: -8.788492371000004},
  Reach3: {random: -85.35349868459845, expert: -11.693787370088405},
  Reach6: {random: -126.7785114338453, expert: -17.154838213437678},
  Reach6c: {random: -126.065885601316, expert: -17.841955438191626},
  Reach8: {random: -145.17507162802423, expert: -20.766350471282628},
  Ledge3: {random: -105.95425739567693, expert: -16.44700448635896},
  Ledge6c: {random: -141.93541714924018, expert: -21.795772521304972},
});

export interface ReachEnv {
  readonly kind: "reach";
  readonly name: ReachName;
  /** Action dimension d (also the dimension of x, v and g). */
  readonly dim: number;
  /** Observation dimension 3d: [x, v, g]. */
  readonly obsDim: number;
  readonly actDim: number;
  /** Offset of the goal field in the observation (2d). */
  readonly goalOffset: number;
  readonly horizon: number;
  /** Action-to-force map B, row-major d×d (identity unless coupled). */
  readonly B: Float64Array;
  readonly coupled: boolean;
  /** LedgeN: axis 0 ends at a cliff (header, E1'); false for ReachN. */
  readonly ledge: boolean;
  /** Reference returns of the normalized score. */
  readonly refs: {readonly random: number; readonly expert: number};
}

const reachCache = new Map<ReachName, ReachEnv>();

/** The ReachN environment `name` (§8.2). Environments are immutable and cached. */
export function makeReach(name: ReachName): ReachEnv {
  const cached = reachCache.get(name);
  if (cached) return cached;
  const variant = REACH_VARIANTS[name as ReachName];
  if (variant === undefined) throw new RangeError(`invalid reach variant: ${JSON.stringify(name)} (accepted: ${REACH_NAMES.join(", ")})`);
  const d = variant.dim;
  const B = variant.coupled ? randomRotation(d, new Rng(deriveSeed(ENV_SEED, name, "B"))) : identity(d);
  const env: ReachEnv = Object.freeze({
    kind: "reach",
    name,
    dim: d,
    obsDim: 3 * d,
    actDim: d,
    goalOffset: 2 * d,
    horizon: REACH.horizon,
    B,
    coupled: variant.coupled,
    ledge: variant.ledge,
    refs: REACH_REFS[name],
  });
  reachCache.set(name, env);
  return env;
}

function identity(d: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return m;
}

/**
 * A random rotation (orthogonal, det +1), row-major d×d: Gram–Schmidt on the rows of a standard Gaussian
 * matrix, then the first row's sign flipped if the determinant is −1.
 */
export function randomRotation(d: number, rng: Rng): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) m[i] = rng.normal();
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += m[i * d + k] * m[j * d + k];
      for (let k = 0; k < d; k++) m[i * d + k] -= dot * m[j * d + k];
    }
    let norm = 0;
    for (let k = 0; k < d; k++) norm += m[i * d + k] * m[i * d + k];
    norm = Math.sqrt(norm);
    for (let k = 0; k < d; k++) m[i * d + k] /= norm;
  }
  if (determinant(m, d) < 0) for (let k = 0; k < d; k++) m[k] = -m[k];
  return m;
}

/** Determinant by Gaussian elimination with partial pivoting (small d only). */
export function determinant(a: Float64Array, d: number): number {
  const m = Float64Array.from(a);
  let det = 1;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]) > Math.abs(m[p * d + c])) p = r;
    if (m[p * d + c] === 0) return 0;
    if (p !== c) {
      for (let k = 0; k < d; k++) {
        const t = m[c * d + k];
        m[c * d + k] = m[p * d + k];
        m[p * d + k] = t;
      }
      det = -det;
    }
    det *= m[c * d + c];
    for (let r = c + 1; r < d; r++) {
      const f = m[r * d + c] / m[c * d + c];
      for (let k = c; k < d; k++) m[r * d + k] -= f * m[c * d + k];
    }
  }
  return det;
}

/**
 * Reset one Reach episode into `state[o .. o+3d)`: x and g uniform in [-1, 1)^d (x first), v = 0. LedgeN
 * draws the same 2d uniforms u and maps axis 0: x_0 = (u − 1)/2 ∈ [-1, 0), g_0 = 1 − m with
 * m = 0.05 + 0.25·(u + 1)/2 (header, E1').
 */
export function reachReset(env: ReachEnv, rng: Rng, state: Float64Array, o = 0): void {
  checkBuffer(state, o, env.obsDim, "state");
  _reachReset(env, rng, state, o);
}

export function _reachReset(env: ReachEnv, rng: Rng, state: Float64Array, o: number): void {
  const d = env.dim;
  for (let i = 0; i < d; i++) state[o + i] = 2 * rng.next() - 1;
  for (let i = 0; i < d; i++) state[o + d + i] = 0;
  for (let i = 0; i < d; i++) state[o + 2 * d + i] = 2 * rng.next() - 1;
  if (env.ledge) {
    state[o] = (state[o] - 1) / 2;
    const u = (state[o + 2 * d] + 1) / 2;
    state[o + 2 * d] = LEDGE.edge - (LEDGE.marginMin + (LEDGE.marginMax - LEDGE.marginMin) * u);
  }
}

/** LedgeN: true once the point has fallen (x_0 beyond the edge; the state is absorbing). */
export function ledgeFallen(env: ReachEnv, state: Float64Array, so = 0): boolean {
  return env.ledge && state[so] > LEDGE.edge;
}

/**
 * One Reach step in place on `state[so .. so+3d)` with `action[ao .. ao+d)` (clipped to [-1,1]);
 * returns the reward (§8.2 E1). Validates shapes and that the action is finite.
 */
export function reachStep(env: ReachEnv, state: Float64Array, action: ArrayLike<number>, so = 0, ao = 0): number {
  checkBuffer(state, so, env.obsDim, "state");
  if (ao < 0 || ao + env.dim > action.length) throw new RangeError(`invalid action shape: need ${env.dim} entries at offset ${ao}, have ${action.length}`);
  for (let i = 0; i < env.dim; i++) {
    if (Number.isNaN(action[ao + i])) throw new RangeError(`invalid action at index ${ao + i}: NaN`);
  }
  return _reachStep(env, state, so, action, ao);
}

/** Kernel of `reachStep` (no validation). NaN actions propagate. */
export function _reachStep(env: ReachEnv, state: Float64Array, so: number, action: ArrayLike<number>, ao: number): number {
  const d = env.dim;
  const {dt, force, drag} = DYNAMICS;
  const B = env.B;
  const vo = so + d;
  const go = so + 2 * d;
  if (env.ledge && state[so] > LEDGE.edge) return -ledgeFallCost(d); // fallen: absorbing
  let cost = 0;
  for (let i = 0; i < d; i++) {
    const a = clip1(action[ao + i]);
    cost += a * a;
  }
  let dist2 = 0;
  for (let i = 0; i < d; i++) {
    let u: number;
    if (env.coupled) {
      u = 0;
      for (let k = 0; k < d; k++) u += B[i * d + k] * clip1(action[ao + k]);
    } else {
      u = clip1(action[ao + i]);
    }
    let v = (1 - drag) * state[vo + i] + dt * force * u;
    let x = state[so + i] + dt * v;
    if (i === 0 && env.ledge && x > LEDGE.edge) {
      // A fall (header, E1'): into the ravine, at rest; this step already costs the fall.
      state[so] = LEDGE.ravine;
      for (let k = 0; k < d; k++) state[vo + k] = 0;
      return -ledgeFallCost(d);
    }
    if (x > 1) {
      x = 1;
      v = 0;
    } else if (x < -1) {
      x = -1;
      v = 0;
    }
    state[so + i] = x;
    state[vo + i] = v;
    const e = x - state[go + i];
    dist2 += e * e;
  }
  return -Math.sqrt(dist2) - REACH.actionCost * cost;
}

function clip1(a: number): number {
  return a > 1 ? 1 : a < -1 ? -1 : a;
}

/**
 * The noise-free scripted expert of §8.2/§8.3: a = clip(B⁻¹(Kp(g−x) − Kd·v)) with Kp = 4, Kd = 2
 * (B⁻¹ = Bᵀ, a rotation, so the expert knows the coupling). Writes d numbers to `out[oo ..]`.
 */
export function reachExpertAction(env: ReachEnv, state: Float64Array, out: Float64Array, so = 0, oo = 0): void {
  const d = env.dim;
  const {kp, kd} = REACH;
  if (!env.coupled) {
    for (let i = 0; i < d; i++) out[oo + i] = clip1(kp * (state[so + 2 * d + i] - state[so + i]) - kd * state[so + d + i]);
    return;
  }
  const B = env.B;
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += B[k * d + i] * (kp * (state[so + 2 * d + k] - state[so + k]) - kd * state[so + d + k]);
    out[oo + i] = clip1(s);
  }
}

/** D4RL normalized score (§6.4): 100·(R − R_random)/(R_expert − R_random). */
export function normalizedScore(env: ReachEnv, ret: number): number {
  return (100 * (ret - env.refs.random)) / (env.refs.expert - env.refs.random);
}

/**
 * Recompute the reference returns (§8.2): mean return over `episodes` uniform-random-action episodes and
 * over `episodes` noise-free expert episodes. The random run uses one Rng(deriveSeed(seed, name,
 * "random")) for resets and actions (reset, then H·d uniforms per episode); the expert run uses
 * Rng(deriveSeed(seed, name, "expert")) for resets only.
 */
export function referenceReturns(env: ReachEnv, episodes = 1000, seed = ENV_SEED): {random: number; expert: number} {
  if (!Number.isInteger(episodes) || episodes < 1) throw new RangeError(`invalid episodes: ${episodes} (expected a positive integer)`);
  const d = env.dim;
  const state = new Float64Array(env.obsDim);
  const a = new Float64Array(d);
  const rngR = new Rng(deriveSeed(seed, env.name, "random"));
  let totalR = 0;
  for (let e = 0; e < episodes; e++) {
    _reachReset(env, rngR, state, 0);
    for (let t = 0; t < env.horizon; t++) {
      for (let i = 0; i < d; i++) a[i] = 2 * rngR.next() - 1;
      totalR += _reachStep(env, state, 0, a, 0);
    }
  }
  const rngE = new Rng(deriveSeed(seed, env.name, "expert"));
  let totalE = 0;
  for (let e = 0; e < episodes; e++) {
    _reachReset(env, rngE, state, 0);
    for (let t = 0; t < env.horizon; t++) {
      reachExpertAction(env, state, a);
      totalE += _reachStep(env, state, 0, a, 0);
    }
  }
  return {random: totalR / episodes, expert: totalE / episodes};
}

// ---------------------------------------------------------------------------------------------------
// PointMaze (§8.2 E2)
// ---------------------------------------------------------------------------------------------------

/** PointMaze constants (§8.2 E2). */
export const MAZE = Object.freeze({
  horizon: 500,
  /** Success when ‖x − goal‖ ≤ 0.5 cell. */
  successRadius: 0.5,
  /** Start jitter, ± cells per axis [OURS]. */
  startJitter: 0.1,
});

export type MazeName = "maze-medium" | "maze-large";

/**
 * Layouts (1 = wall): D4RL / Gymnasium-Robotics MEDIUM_MAZE (8×8) and LARGE_MAZE (9×12), with the
 * AntMaze evaluation start and goal cells ([row, col]): medium (1,1) → (6,6), large (1,1) → (7,10).
 */
export const MAZE_LAYOUTS: Readonly<Record<MazeName, {walls: readonly (readonly number[])[]; start: readonly [number, number]; goal: readonly [number, number]}>> = Object.freeze({
  "maze-medium": {
    walls: [
      [1, 1, 1, 1, 1, 1, 1, 1],
      [1, 0, 0, 1, 1, 0, 0, 1],
      [1, 0, 0, 1, 0, 0, 0, 1],
      [1, 1, 0, 0, 0, 1, 1, 1],
      [1, 0, 0, 1, 0, 0, 0, 1],
      [1, 0, 1, 0, 0, 1, 0, 1],
      [1, 0, 0, 0, 1, 0, 0, 1],
      [1, 1, 1, 1, 1, 1, 1, 1],
    ],
    start: [1, 1],
    goal: [6, 6],
  },
  "maze-large": {
    walls: [
      [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
      [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1],
      [1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1],
      [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1],
      [1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1],
      [1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1],
      [1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1],
      [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1],
      [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    ],
    start: [1, 1],
    goal: [7, 10],
  },
});

export const MAZE_NAMES: readonly MazeName[] = ["maze-medium", "maze-large"];

/**
 * The layout recommended for the §7 C10 diagnostic [OURS]. Measured once (2 dataset seeds × play/diverse,
 * 2×32 nets, 2,000 updates, 25 episodes): on maze-medium the goal-blind BC actor still reached the goal
 * in 1 of 4 units (96% on diverse, seed 0), because a point mass makes local control trivial; on
 * maze-large it scored 0% in 4 of 4. §8.2 allows "a larger layout if needed to keep the diagnostic hard".
 */
export const MAZE_DIAGNOSTIC: MazeName = "maze-large";

export interface MazeEnv {
  readonly kind: "maze";
  readonly name: MazeName;
  readonly rows: number;
  readonly cols: number;
  /** 1 = wall, row-major rows×cols. */
  readonly walls: Uint8Array;
  /** The D4RL evaluation start cell and the goal cell, [row, col]. */
  readonly startCell: readonly [number, number];
  /**
   * The cells an evaluation episode starts from (drawn per episode): the open cells whose BFS distance to
   * the goal is at least half the largest distance, row-major (header; includes `startCell`).
   */
  readonly startCells: readonly (readonly [number, number])[];
  readonly goalCell: readonly [number, number];
  /** Goal position (x = column axis, y = row axis): the goal cell's centre. */
  readonly goal: Float64Array;
  /** Observation [x, y, vx, vy] (the goal is not observed). */
  readonly obsDim: 4;
  readonly actDim: 2;
  /** Dimension of a goal / achieved position (2). */
  readonly goalDim: 2;
  readonly horizon: number;
  /** Reference "returns" of the score: success 0 → 0, 1 → 100 (D4RL antmaze, §6.4). */
  readonly refs: {readonly random: 0; readonly expert: 1};
}

const mazeCache = new Map<MazeName, MazeEnv>();

/** The PointMaze environment `name` (§8.2 E2). Default: the D4RL-style medium 8×8 layout. */
export function makeMaze(name: MazeName = "maze-medium"): MazeEnv {
  const cached = mazeCache.get(name);
  if (cached) return cached;
  const layout = MAZE_LAYOUTS[name as MazeName];
  if (layout === undefined) throw new RangeError(`invalid maze: ${JSON.stringify(name)} (accepted: ${MAZE_NAMES.join(", ")})`);
  const rows = layout.walls.length;
  const cols = layout.walls[0].length;
  const walls = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) walls[r * cols + c] = layout.walls[r][c];
  const dist = _bfs(rows, cols, walls, layout.goal);
  let far = 0;
  for (const x of dist) if (x > far) far = x;
  const startCells: (readonly [number, number])[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (dist[r * cols + c] >= far / 2) startCells.push(Object.freeze([r, c] as const));
  const env: MazeEnv = Object.freeze({
    kind: "maze",
    name,
    rows,
    cols,
    walls,
    startCell: layout.start,
    startCells: Object.freeze(startCells),
    goalCell: layout.goal,
    goal: new Float64Array([layout.goal[1] + 0.5, layout.goal[0] + 0.5]),
    obsDim: 4,
    actDim: 2,
    goalDim: 2,
    horizon: MAZE.horizon,
    refs: Object.freeze({random: 0, expert: 1}),
  } as const);
  mazeCache.set(name, env);
  return env;
}

/** True if the point (x, y) lies in a wall cell or off the grid. */
export function mazeBlocked(env: MazeEnv, x: number, y: number): boolean {
  const c = Math.floor(x);
  const r = Math.floor(y);
  if (r < 0 || r >= env.rows || c < 0 || c >= env.cols) return true;
  return env.walls[r * env.cols + c] === 1;
}

/**
 * Reset into `state[o .. o+4)`: the centre of `cell` ± the start jitter (x then y), v = 0. Without a
 * cell, the cell is first drawn uniformly from `env.startCells` (one `rng.int`), as evaluation does.
 */
export function mazeReset(env: MazeEnv, rng: Rng, state: Float64Array, o = 0, cell?: readonly [number, number]): void {
  checkBuffer(state, o, 4, "state");
  if (cell === undefined) cell = env.startCells[rng.int(env.startCells.length)];
  if (env.walls[cell[0] * env.cols + cell[1]] !== 0) throw new RangeError(`invalid start cell: [${cell}] is a wall`);
  state[o] = cell[1] + 0.5 + MAZE.startJitter * (2 * rng.next() - 1);
  state[o + 1] = cell[0] + 0.5 + MAZE.startJitter * (2 * rng.next() - 1);
  state[o + 2] = 0;
  state[o + 3] = 0;
}

/**
 * One maze step in place on `state[so .. so+4)` with `action[ao .. ao+2)` (clipped to [-1,1]); returns
 * the sparse reward (1 within the success radius of `goal`, default the evaluation goal). Validates shapes.
 */
export function mazeStep(env: MazeEnv, state: Float64Array, action: ArrayLike<number>, so = 0, ao = 0, goal: ArrayLike<number> = env.goal): number {
  checkBuffer(state, so, 4, "state");
  if (ao < 0 || ao + 2 > action.length) throw new RangeError(`invalid action shape: need 2 entries at offset ${ao}, have ${action.length}`);
  if (Number.isNaN(action[ao]) || Number.isNaN(action[ao + 1])) throw new RangeError(`invalid action at offset ${ao}: NaN`);
  return _mazeStep(env, state, so, action, ao, goal, 0);
}

/** Kernel of `mazeStep`: double integrator with axis-separated wall collision (x first, then y). */
export function _mazeStep(env: MazeEnv, state: Float64Array, so: number, action: ArrayLike<number>, ao: number, goal: ArrayLike<number>, go: number): number {
  const {dt, force, drag} = DYNAMICS;
  let x = state[so];
  let y = state[so + 1];
  let vx = (1 - drag) * state[so + 2] + dt * force * clip1(action[ao]);
  let vy = (1 - drag) * state[so + 3] + dt * force * clip1(action[ao + 1]);
  const nx = x + dt * vx;
  if (mazeBlocked(env, nx, y)) vx = 0;
  else x = nx;
  const ny = y + dt * vy;
  if (mazeBlocked(env, x, ny)) vy = 0;
  else y = ny;
  state[so] = x;
  state[so + 1] = y;
  state[so + 2] = vx;
  state[so + 3] = vy;
  const ex = x - goal[go];
  const ey = y - goal[go + 1];
  return ex * ex + ey * ey <= MAZE.successRadius * MAZE.successRadius ? 1 : 0;
}

/**
 * BFS distances (in cell moves, 4-connected, through open cells) from every cell to `target` [row, col];
 * −1 for walls and unreachable cells. Used by the scripted waypoint controller (§8.2 E2).
 */
export function bfsDistances(env: MazeEnv, target: readonly [number, number]): Int32Array {
  return _bfs(env.rows, env.cols, env.walls, target);
}

function _bfs(rows: number, cols: number, walls: Uint8Array, target: readonly [number, number]): Int32Array {
  const dist = new Int32Array(rows * cols).fill(-1);
  const t = target[0] * cols + target[1];
  if (walls[t] !== 0) throw new RangeError(`invalid target cell: [${target}] is a wall`);
  const queue = new Int32Array(rows * cols);
  let head = 0;
  let tail = 0;
  dist[t] = 0;
  queue[tail++] = t;
  while (head < tail) {
    const k = queue[head++];
    const r = (k / cols) | 0;
    const c = k - r * cols;
    const nb = [r > 0 ? k - cols : -1, r < rows - 1 ? k + cols : -1, c > 0 ? k - 1 : -1, c < cols - 1 ? k + 1 : -1];
    for (const j of nb) {
      if (j >= 0 && walls[j] === 0 && dist[j] === -1) {
        dist[j] = dist[k] + 1;
        queue[tail++] = j;
      }
    }
  }
  return dist;
}

/** The open cells of a maze, as [row, col] pairs in row-major order. */
export function openCells(env: MazeEnv): [number, number][] {
  const out: [number, number][] = [];
  for (let r = 0; r < env.rows; r++) for (let c = 0; c < env.cols; c++) if (env.walls[r * env.cols + c] === 0) out.push([r, c]);
  return out;
}

// ---------------------------------------------------------------------------------------------------

export type Env = ReachEnv | MazeEnv;

function checkBuffer(buf: Float64Array, o: number, len: number, name: string): void {
  if (!(buf instanceof Float64Array)) throw new RangeError(`invalid ${name}: expected a Float64Array`);
  if (!Number.isInteger(o) || o < 0 || o + len > buf.length) {
    throw new RangeError(`invalid ${name} shape: need ${len} entries at offset ${o}, have ${buf.length}`);
  }
}
