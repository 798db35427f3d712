/**
 * Offline datasets of the steering analog (spec/steering.md §8.3 and §8.2 E2, all [OURS]), generated
 * from seeded scripted behaviour policies instead of downloaded D4RL files.
 *
 * ReachN datasets (§8.3), episode counts in brackets (defaults; `episodes` rescales them):
 *   random [300]          uniform actions in [-1,1]^d
 *   medium [300]          the miscalibrated "medium" controller (`MEDIUM_POLICY`)
 *   medium-replay [300]   20 stages × 15 episodes, competence κ = s/19 rising linearly from 0 to 1;
 *                         stage action κ·a_medium + (1−κ)·a_random (an action blend)
 *   medium-expert [600]   the union medium ∪ expert (bit-identical to those two datasets, same seed)
 *   expert [300]          the scripted expert a = clip(Kp(g−x) − Kd·v) + N(0, 0.1²), Kp = 4, Kd = 2
 * PointMaze datasets (§8.2 E2):
 *   maze-play             a noisy BFS-waypoint controller between hand-picked landmark cells
 *   maze-diverse          the same controller between uniformly random pairs of open cells
 *   Both: independent segments of ≤ 150 steps, 40,000 transitions (the last segment is cut to fit);
 *   no segment goes from an evaluation start cell (envs.ts `startCells`) to the evaluation goal cell (the
 *   task needs stitching).
 *
 * The medium controller (§8.3): u = k·R_θ(g − x) (reduced gain k < Kp = 4, no damping (LedgeN: −Kd·v), direction rotated
 * by a fixed θ in a fixed random plane of R^d), a = clip(clip(Bᵀu) + N(0, 0.5²)). The knobs were tuned
 * once per variant so the controller scores 40–55 normalized, then frozen in `MEDIUM_POLICY`. The plane
 * is a property of the environment variant (seeded by ENV_SEED), so all dataset seeds share the same
 * systematic error; the seed changes the sampled episodes only.
 *
 * Storage: flat row-major Float64Arrays with explicit dims, one row per transition (D4RL field names):
 * observations (n×obsDim), actions (n×actDim, the executed action, i.e. clipped to [-1,1]), rewards,
 * terminals, timeouts, plus `achieved` (n×goalDim, the position after the transition: x_{t+1}, used
 * for hindsight relabeling, §8.4), `goals` (n×goalDim, the goal the behaviour policy was pursuing:
 * the environment goal for Reach, the segment target for the maze), `timesteps` (t within the episode)
 * and `episodeStarts` (E+1 boundaries, episode e is rows [starts[e], starts[e+1])).
 *
 * Seeding: component c of dataset seed s draws everything (resets, actions, noise) from
 * Rng(deriveSeed(s, env, c)), c ∈ {random, medium, replay, expert, maze-play, maze-diverse}.
 *
 * Choices where the spec is silent [OURS]: expert noise is added after the clip and the result clipped
 * again; medium-replay blends actions (not a per-step mixture); maze segments start at the segment's
 * start cell centre ± 0.1 with v = 0; the maze controller steers to the centre of the next cell on a
 * BFS shortest path (the target centre once in the target cell) with a = clip(4(w − p) − 2v) + N(0, 0.3²);
 * maze rewards are the evaluation goal's sparse reward (the D4RL AntMaze convention); terminals mark a
 * segment that reached its target, timeouts one cut at 150 steps (or at the dataset size).
 */
import {cos as dmCos, sin as dmSin} from "../core/detmath.js";
import {deriveSeed, Rng} from "../core/rng.js";
import type {MazeEnv, ReachEnv, ReachName} from "./envs.js";
import {_mazeStep, _reachReset, _reachStep, bfsDistances, ENV_SEED, MAZE, mazeReset, randomRotation, reachExpertAction} from "./envs.js";
import {mean} from "../core/stats.js";

export type ReachDatasetName = "random" | "medium" | "medium-replay" | "medium-expert" | "expert";
export type MazeDatasetName = "maze-play" | "maze-diverse";
export const REACH_DATASETS: readonly ReachDatasetName[] = ["random", "medium", "medium-replay", "medium-expert", "expert"];
export const MAZE_DATASETS: readonly MazeDatasetName[] = ["maze-play", "maze-diverse"];

/** Episodes per component dataset (§8.3). medium-expert has twice this; medium-replay has 20 stages. */
export const DATASET_EPISODES = 300;
export const REPLAY_STAGES = 20;
/** Expert behaviour noise σ (§8.3). */
export const EXPERT_NOISE = 0.1;

/** Medium controller knobs per Reach variant (§8.3: θ ≈ 50–60°, reduced gain, σ = 0.5; tuned to 40–55 normalized). */
/** The medium controller's knobs: rotation θ, gain k, behaviour noise σ and (LedgeN only) a damping Kd. */
export interface MediumKnobs {
  thetaDeg: number;
  gain: number;
  noise: number;
  /** Velocity damping −Kd·v (0, i.e. none, for ReachN as §8.3 says). */
  damping?: number;
}

export const MEDIUM_POLICY: Readonly<Record<ReachName, MediumKnobs>> = Object.freeze({
  Reach2: {thetaDeg: 55, gain: 1.5, noise: 0.5},
  Reach3: {thetaDeg: 55, gain: 2, noise: 0.5},
  Reach6: {thetaDeg: 60, gain: 2, noise: 0.5},
  Reach6c: {thetaDeg: 60, gain: 2.5, noise: 0.5},
  Reach8: {thetaDeg: 60, gain: 3, noise: 0.5},
  // LedgeN [OURS]: a damped controller (an undamped one overshoots the lip and falls in every episode);
  // θ = 30°, tuned once to ≈ 40 normalized with a fall in 34–39% of episodes (200 episodes, seed 5).
  Ledge3: {thetaDeg: 30, gain: 1.5, noise: 0.5, damping: 1},
  Ledge6c: {thetaDeg: 30, gain: 2, noise: 0.5, damping: 1},
});

/** Maze dataset constants (§8.2 E2). */
export const MAZE_DATA = Object.freeze({
  transitions: 40_000,
  maxSegment: 150,
  /** Behaviour noise σ of the waypoint controller [OURS]. */
  noise: 0.3,
  kp: 4,
  kd: 2,
});

/**
 * Hand-picked landmark cells ([row, col]) of the maze-play dataset [OURS]: dead ends and junctions,
 * excluding the evaluation goal cell (as in AntMaze "play", whose hand-picked goals are not the
 * evaluation goal), so that a goal-blind BC actor is not funnelled into the goal.
 */
export const PLAY_LANDMARKS: Readonly<Record<MazeEnv["name"], readonly (readonly [number, number])[]>> = Object.freeze({
  "maze-medium": [
    [1, 1],
    [1, 6],
    [2, 4],
    [3, 2],
    [4, 1],
    [4, 6],
    [5, 3],
    [6, 1],
    [5, 6],
  ],
  "maze-large": [
    [1, 1],
    [1, 4],
    [1, 10],
    [3, 1],
    [3, 6],
    [3, 10],
    [5, 4],
    [5, 8],
    [7, 1],
    [7, 6],
    [7, 8],
  ],
});

export interface OfflineDataset {
  readonly env: string;
  readonly name: string;
  readonly seed: number;
  /** Number of transitions n. */
  readonly size: number;
  readonly obsDim: number;
  readonly actDim: number;
  /** Dimension of positions / goals (d for Reach, 2 for the maze). */
  readonly goalDim: number;
  readonly observations: Float64Array;
  readonly actions: Float64Array;
  readonly rewards: Float64Array;
  readonly terminals: Uint8Array;
  readonly timeouts: Uint8Array;
  /** Position after each transition, n×goalDim (hindsight goals, §8.4). */
  readonly achieved: Float64Array;
  /** The goal the behaviour policy pursued, n×goalDim. */
  readonly goals: Float64Array;
  /** Time step within the episode, n. */
  readonly timesteps: Int32Array;
  /** Episode boundaries, length E+1. */
  readonly episodeStarts: Int32Array;
}

export interface ReachDatasetOptions {
  /** Episodes per component (default 300, §8.3). medium-replay uses round(episodes/20) per stage (≥ 1). */
  episodes?: number;
}

/** A growable transition buffer (capacity known up front for Reach; the maze cuts at a fixed size). */
class Builder {
  n = 0;
  readonly observations: Float64Array;
  readonly actions: Float64Array;
  readonly rewards: Float64Array;
  readonly terminals: Uint8Array;
  readonly timeouts: Uint8Array;
  readonly achieved: Float64Array;
  readonly goals: Float64Array;
  readonly timesteps: Int32Array;
  readonly starts: number[] = [0];
  constructor(
    readonly capacity: number,
    readonly obsDim: number,
    readonly actDim: number,
    readonly goalDim: number,
  ) {
    this.observations = new Float64Array(capacity * obsDim);
    this.actions = new Float64Array(capacity * actDim);
    this.rewards = new Float64Array(capacity);
    this.terminals = new Uint8Array(capacity);
    this.timeouts = new Uint8Array(capacity);
    this.achieved = new Float64Array(capacity * goalDim);
    this.goals = new Float64Array(capacity * goalDim);
    this.timesteps = new Int32Array(capacity);
  }
  endEpisode(): void {
    if (this.starts[this.starts.length - 1] !== this.n) this.starts.push(this.n);
  }
  finish(env: string, name: string, seed: number): OfflineDataset {
    const n = this.n;
    return {
      env,
      name,
      seed,
      size: n,
      obsDim: this.obsDim,
      actDim: this.actDim,
      goalDim: this.goalDim,
      observations: this.observations.slice(0, n * this.obsDim),
      actions: this.actions.slice(0, n * this.actDim),
      rewards: this.rewards.slice(0, n),
      terminals: this.terminals.slice(0, n),
      timeouts: this.timeouts.slice(0, n),
      achieved: this.achieved.slice(0, n * this.goalDim),
      goals: this.goals.slice(0, n * this.goalDim),
      timesteps: this.timesteps.slice(0, n),
      episodeStarts: Int32Array.from(this.starts),
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// ReachN behaviour policies (§8.3)
// ---------------------------------------------------------------------------------------------------

/** A Reach behaviour policy: writes the executed action (in [-1,1]^d) for the state at `so` into out[0..d). */
export type ReachBehaviour = (state: Float64Array, so: number, rng: Rng, out: Float64Array) => void;

/** Uniform random actions (D4RL "random"). */
export function randomBehaviour(env: ReachEnv): ReachBehaviour {
  const d = env.dim;
  return (_state, _so, rng, out) => {
    for (let i = 0; i < d; i++) out[i] = 2 * rng.next() - 1;
  };
}

/** The noisy scripted expert (§8.3): clip(expert + N(0, 0.1²)). */
export function expertBehaviour(env: ReachEnv, noise = EXPERT_NOISE): ReachBehaviour {
  const d = env.dim;
  return (state, so, rng, out) => {
    reachExpertAction(env, state, out, so, 0);
    for (let i = 0; i < d; i++) out[i] = clip1(out[i] + noise * rng.normal());
  };
}

/** The fixed rotation plane (u, w) of the medium controller's direction error, from ENV_SEED (§8.3). */
export function mediumPlane(env: ReachEnv): [Float64Array, Float64Array] {
  const d = env.dim;
  const q = randomRotation(d, new Rng(deriveSeed(ENV_SEED, env.name, "medium-plane")));
  return [q.slice(0, d), q.slice(d, 2 * d)];
}

/**
 * The noise-free part of the medium controller (§8.3): clip(Bᵀ·k·R_θ(g − x)), R_θ the rotation by θ in
 * the plane (u, w): R = I + sinθ(wuᵀ − uwᵀ) + (cosθ − 1)(uuᵀ + wwᵀ).
 */
export function mediumMean(env: ReachEnv, knobs: MediumKnobs = MEDIUM_POLICY[env.name]): (state: Float64Array, so: number, out: Float64Array) => void {
  const d = env.dim;
  const {thetaDeg, gain, damping = 0} = knobs;
  const th = (thetaDeg * Math.PI) / 180;
  const cos = dmCos(th);
  const sin = dmSin(th);
  const [u, w] = mediumPlane(env);
  const e = new Float64Array(d);
  const B = env.B;
  return (state, so, out) => {
    let pu = 0;
    let pw = 0;
    for (let i = 0; i < d; i++) {
      e[i] = state[so + 2 * d + i] - state[so + i];
      pu += u[i] * e[i];
      pw += w[i] * e[i];
    }
    const cu = cos * pu - sin * pw - pu;
    const cw = sin * pu + cos * pw - pw;
    for (let i = 0; i < d; i++) e[i] = gain * (e[i] + cu * u[i] + cw * w[i]);
    if (damping !== 0) for (let i = 0; i < d; i++) e[i] -= damping * state[so + d + i];
    for (let i = 0; i < d; i++) {
      let z = e[i];
      if (env.coupled) {
        z = 0;
        for (let k = 0; k < d; k++) z += B[k * d + i] * e[k];
      }
      out[i] = clip1(z);
    }
  };
}

/** The medium behaviour policy (§8.3): clip(mediumMean + N(0, σ²)), σ = 0.5. */
export function mediumBehaviour(env: ReachEnv, knobs: MediumKnobs = MEDIUM_POLICY[env.name]): ReachBehaviour {
  const d = env.dim;
  const mean = mediumMean(env, knobs);
  const noise = knobs.noise;
  return (state, so, rng, out) => {
    mean(state, so, out);
    for (let i = 0; i < d; i++) out[i] = clip1(out[i] + noise * rng.normal());
  };
}

/** Medium-replay stage policy (§8.3): κ·a_medium + (1−κ)·a_random, both drawn every step (medium first). */
export function replayBehaviour(env: ReachEnv, kappa: number): ReachBehaviour {
  if (!(kappa >= 0 && kappa <= 1)) throw new RangeError(`invalid kappa: ${kappa} (expected 0 ≤ κ ≤ 1)`);
  const d = env.dim;
  const med = mediumBehaviour(env);
  const tmp = new Float64Array(d);
  return (state, so, rng, out) => {
    med(state, so, rng, tmp);
    for (let i = 0; i < d; i++) out[i] = kappa * tmp[i] + (1 - kappa) * (2 * rng.next() - 1);
  };
}

/** Roll `episodes` episodes of `policy` into the builder, resets and actions from `rng`. */
function collectReach(env: ReachEnv, b: Builder, policy: ReachBehaviour, episodes: number, rng: Rng): void {
  const d = env.dim;
  const D = env.obsDim;
  const state = new Float64Array(D);
  const a = new Float64Array(d);
  for (let e = 0; e < episodes; e++) {
    _reachReset(env, rng, state, 0);
    for (let t = 0; t < env.horizon; t++) {
      const k = b.n++;
      b.observations.set(state, k * D);
      policy(state, 0, rng, a);
      b.actions.set(a, k * d);
      b.rewards[k] = _reachStep(env, state, 0, a, 0);
      for (let i = 0; i < d; i++) {
        b.achieved[k * d + i] = state[i];
        b.goals[k * d + i] = state[2 * d + i];
      }
      b.timesteps[k] = t;
      b.timeouts[k] = t === env.horizon - 1 ? 1 : 0;
    }
    b.endEpisode();
  }
}

/**
 * Generate the Reach dataset `name` for dataset seed `seed` (§8.3). Deterministic: the same (env, name,
 * seed, episodes) gives bit-identical arrays.
 */
export function makeReachDataset(env: ReachEnv, name: ReachDatasetName, seed: number, options: ReachDatasetOptions = {}): OfflineDataset {
  const {episodes = DATASET_EPISODES} = options;
  if (!Number.isInteger(episodes) || episodes < 1) throw new RangeError(`invalid episodes: ${episodes} (expected a positive integer)`);
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`invalid seed: ${seed} (expected a non-negative integer)`);
  const d = env.dim;
  const H = env.horizon;
  const stream = (c: string) => new Rng(deriveSeed(seed, env.name, c));
  const perStage = Math.max(1, Math.round(episodes / REPLAY_STAGES));
  let total: number;
  switch (name) {
    case "random":
    case "medium":
    case "expert":
      total = episodes;
      break;
    case "medium-replay":
      total = perStage * REPLAY_STAGES;
      break;
    case "medium-expert":
      total = 2 * episodes;
      break;
    default:
      throw new RangeError(`invalid reach dataset: ${JSON.stringify(name)} (accepted: ${REACH_DATASETS.join(", ")})`);
  }
  const b = new Builder(total * H, env.obsDim, d, d);
  if (name === "random") collectReach(env, b, randomBehaviour(env), episodes, stream("random"));
  if (name === "medium" || name === "medium-expert") collectReach(env, b, mediumBehaviour(env), episodes, stream("medium"));
  if (name === "expert" || name === "medium-expert") collectReach(env, b, expertBehaviour(env), episodes, stream("expert"));
  if (name === "medium-replay") {
    const rng = stream("replay");
    for (let s = 0; s < REPLAY_STAGES; s++) collectReach(env, b, replayBehaviour(env, s / (REPLAY_STAGES - 1)), perStage, rng);
  }
  return b.finish(env.name, name, seed);
}

// ---------------------------------------------------------------------------------------------------
// PointMaze (§8.2 E2)
// ---------------------------------------------------------------------------------------------------

export interface MazeDatasetOptions {
  /** Total transitions (default 40,000). */
  transitions?: number;
  /** Maximum segment length (default 150). */
  maxSegment?: number;
  /** Behaviour noise σ (default 0.3). */
  noise?: number;
}

/**
 * The scripted BFS-waypoint controller (§8.2 E2), noise-free part: steer to the centre of the next cell
 * on a shortest path to `target` (`dist` = bfsDistances(env, target)); inside the target cell, to its
 * centre. a = clip(Kp(w − p) − Kd·v), written to out[0..2).
 */
export function waypointAction(env: MazeEnv, dist: Int32Array, target: readonly [number, number], state: Float64Array, so: number, out: Float64Array): void {
  const {cols} = env;
  const x = state[so];
  const y = state[so + 1];
  const r = Math.floor(y);
  const c = Math.floor(x);
  let wr = target[0];
  let wc = target[1];
  const k = r * cols + c;
  const here = r >= 0 && r < env.rows && c >= 0 && c < cols ? dist[k] : -1;
  if (here > 0) {
    const cand = [
      [r - 1, c],
      [r + 1, c],
      [r, c - 1],
      [r, c + 1],
    ];
    for (const [nr, nc] of cand) {
      if (nr < 0 || nr >= env.rows || nc < 0 || nc >= cols) continue;
      if (dist[nr * cols + nc] === here - 1) {
        wr = nr;
        wc = nc;
        break;
      }
    }
  }
  out[0] = clip1(MAZE_DATA.kp * (wc + 0.5 - x) - MAZE_DATA.kd * state[so + 2]);
  out[1] = clip1(MAZE_DATA.kp * (wr + 0.5 - y) - MAZE_DATA.kd * state[so + 3]);
}

/**
 * Generate a maze dataset (§8.2 E2) for dataset seed `seed`. Segments: pick (start, target) cells —
 * two distinct landmarks (maze-play) or two distinct open cells (maze-diverse), never (eval start,
 * eval goal) — reset at the start cell, run the noisy waypoint controller until within the success
 * radius of the target centre or `maxSegment` steps, and append.
 */
export function makeMazeDataset(env: MazeEnv, name: MazeDatasetName, seed: number, options: MazeDatasetOptions = {}): OfflineDataset {
  const {transitions = MAZE_DATA.transitions, maxSegment = MAZE_DATA.maxSegment, noise = MAZE_DATA.noise} = options;
  if (name !== "maze-play" && name !== "maze-diverse") {
    throw new RangeError(`invalid maze dataset: ${JSON.stringify(name)} (accepted: ${MAZE_DATASETS.join(", ")})`);
  }
  if (!Number.isInteger(transitions) || transitions < 1) throw new RangeError(`invalid transitions: ${transitions} (expected a positive integer)`);
  if (!Number.isInteger(maxSegment) || maxSegment < 1) throw new RangeError(`invalid maxSegment: ${maxSegment} (expected a positive integer)`);
  if (!(noise >= 0 && noise < Infinity)) throw new RangeError(`invalid noise: ${noise} (expected a finite number ≥ 0)`);
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`invalid seed: ${seed} (expected a non-negative integer)`);
  const rng = new Rng(deriveSeed(seed, env.name, name));
  const cells: (readonly [number, number])[] = name === "maze-play" ? PLAY_LANDMARKS[env.name].slice() : [];
  if (name === "maze-diverse") for (let r = 0; r < env.rows; r++) for (let c = 0; c < env.cols; c++) if (env.walls[r * env.cols + c] === 0) cells.push([r, c]);
  const distCache = new Map<number, Int32Array>();
  const b = new Builder(transitions, 4, 2, 2);
  const state = new Float64Array(4);
  const a = new Float64Array(2);
  const target = new Float64Array(2);
  const r2 = MAZE.successRadius * MAZE.successRadius;
  const [gr, gc] = env.goalCell;
  const isStart = (c: readonly [number, number]) => env.startCells.some((s) => s[0] === c[0] && s[1] === c[1]);
  while (b.n < transitions) {
    let from: readonly [number, number];
    let to: readonly [number, number];
    do {
      from = cells[rng.int(cells.length)];
      to = cells[rng.int(cells.length)];
    } while ((from[0] === to[0] && from[1] === to[1]) || (to[0] === gr && to[1] === gc && isStart(from)));
    const key = to[0] * env.cols + to[1];
    let dist = distCache.get(key);
    if (dist === undefined) distCache.set(key, (dist = bfsDistances(env, to)));
    target[0] = to[1] + 0.5;
    target[1] = to[0] + 0.5;
    mazeReset(env, rng, state, 0, from);
    for (let t = 0; t < maxSegment && b.n < transitions; t++) {
      const k = b.n++;
      b.observations.set(state, k * 4);
      waypointAction(env, dist, to, state, 0, a);
      a[0] = clip1(a[0] + noise * rng.normal());
      a[1] = clip1(a[1] + noise * rng.normal());
      b.actions.set(a, k * 2);
      b.rewards[k] = _mazeStep(env, state, 0, a, 0, env.goal, 0);
      b.achieved[k * 2] = state[0];
      b.achieved[k * 2 + 1] = state[1];
      b.goals[k * 2] = target[0];
      b.goals[k * 2 + 1] = target[1];
      b.timesteps[k] = t;
      const ex = state[0] - target[0];
      const ey = state[1] - target[1];
      if (ex * ex + ey * ey <= r2) {
        b.terminals[k] = 1;
        break;
      }
      if (t === maxSegment - 1 || b.n === transitions) b.timeouts[k] = 1;
    }
    b.endEpisode();
  }
  return b.finish(env.name, name, seed);
}

// ---------------------------------------------------------------------------------------------------
// Summaries
// ---------------------------------------------------------------------------------------------------

/** Undiscounted return of each episode (length E). */
export function episodeReturns(ds: OfflineDataset): Float64Array {
  const E = ds.episodeStarts.length - 1;
  const out = new Float64Array(E);
  for (let e = 0; e < E; e++) {
    let s = 0;
    for (let k = ds.episodeStarts[e]; k < ds.episodeStarts[e + 1]; k++) s += ds.rewards[k];
    out[e] = s;
  }
  return out;
}

/** Mean of `episodeReturns`. */
export function meanEpisodeReturn(ds: OfflineDataset): number {
  return mean(episodeReturns(ds));
}

/** Index of the episode holding each transition (length n). */
export function episodeIndex(ds: OfflineDataset): Int32Array {
  const out = new Int32Array(ds.size);
  const st = ds.episodeStarts;
  for (let e = 0; e + 1 < st.length; e++) out.fill(e, st[e], st[e + 1]);
  return out;
}

function clip1(a: number): number {
  return a > 1 ? 1 : a < -1 ? -1 : a;
}
