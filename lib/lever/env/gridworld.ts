/**
 * The reference LEVER GridWorld (spec/lever.md §1), on flat typed arrays.
 *
 * [main] (default): actions right, down, right×2, down×2; jumps skip the cells they pass; blocked and
 * out-of-bounds moves stay with reward −1; entering a hazard gives −100 and ends the episode; the
 * reward rules of §1.3. [v3]: actions right, down, left, up, block reward −0.1, path step cost 0.1 and
 * BFS-distance shaping (§1.4).
 *
 * The static structure (move targets, cell kinds, hazard-neighbour counts, BFS maps) is compiled once
 * per layout; the per-episode state (position, gold taken, lever flag) is a handful of numbers plus an
 * epoch-stamped array, so `reset()` is O(1). The training kernel (sarsa.ts) calls `step` millions of
 * times per second.
 */
import type {Cell, Layout, Variant} from "./layout.js";
import {bfsDistances, CELL} from "./layout.js";
import type {GoldPenalty, RewardSystem} from "./rewards.js";
import {parseRewardSystem} from "./rewards.js";

export const N_ACTIONS = 4;
/** [main] moves as (dRow, dCol): right, down, right×2, down×2. */
export const MAIN_MOVES: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 0],
  [0, 2],
  [2, 0],
];
/** [v3] moves: right, down, left, up. */
export const V3_MOVES: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 0],
  [0, -1],
  [-1, 0],
];
export const ACTION_NAMES: Record<Variant, readonly string[]> = {
  main: ["right", "down", "right×2", "down×2"],
  v3: ["right", "down", "left", "up"],
};

/** Cell kinds used by the step function. */
export const KIND_PLAIN = 0;
export const KIND_GOLD = 1;
export const KIND_LEVER = 2;
export const KIND_EXIT = 3;
export const KIND_HAZARD = 4;
export const KIND_BLOCK = 5;

export interface EnvOptions {
  variant?: Variant;
  /** Gold-exit penalty: `fractional` (default; training) or `legacy` (−20; the 16×16 tables). */
  goldPenalty?: GoldPenalty;
  /**
   * [v3] shaping when a BFS distance is unreachable: `skip` the term (v3, default) or use N² ([S]).
   */
  unreachable?: "skip" | "n2";
}

export class GridWorld {
  readonly layout: Layout;
  readonly size: number;
  readonly nStates: number;
  readonly variant: Variant;
  readonly rewards: RewardSystem;
  readonly goldPenalty: GoldPenalty;
  readonly start: number;
  readonly exit: number;
  readonly maxSteps: number;
  /** Move target per (state, action), −1 when out of bounds or a block (the agent stays). */
  readonly next: Int32Array;
  /** Cell kind per state (KIND_*). */
  readonly kind: Uint8Array;
  /** Number of 4-neighbours holding a hazard. */
  readonly hazardNeighbours: Uint8Array;
  /** Gold ordinal per cell, −1 if none. */
  readonly goldIndex: Int32Array;
  readonly goldCells: Int32Array;
  readonly lever: number;
  readonly totalGold: number;
  readonly blockReward: number;
  readonly stepCost: number;
  /** Exit bonus that does not depend on state: 100·[path] + 100·[hazard]. */
  readonly exitBonus: number;
  readonly goldExitPenaltyLegacy: boolean;
  // [v3] BFS shaping maps (4-neighbour, blocks and hazards impassable; −1 unreachable).
  readonly distExit: Int32Array | null = null;
  readonly distLever: Int32Array | null = null;
  /** One map per gold ordinal, concatenated: distGold[g·nStates + s]. */
  readonly distGold: Int32Array | null = null;
  readonly unreachableAsN2: boolean;
  readonly isV3: boolean;
  /** Reward of an ordinary [main] move onto a plain cell (no gold, lever, exit): a per-cell constant. */
  readonly plainReward: Float64Array;

  // Episode state.
  pos = 0;
  done = false;
  steps = 0;
  leverCollected = false;
  goldRemaining = 0;
  hazardSteps = 0;
  private epoch = 1;
  private readonly goldTakenAt: Int32Array;
  /** nearestGold memo: value per state, valid while its stamp equals ngVersion. */
  private ngVersion = 1;
  private readonly ngStamp: Float64Array;
  private readonly ngValue: Int32Array;

  constructor(layout: Layout, rewardSystem: RewardSystem | string, options: EnvOptions = {}) {
    const rs = typeof rewardSystem === "string" ? parseRewardSystem(rewardSystem) : rewardSystem;
    const n = layout.size;
    const nS = n * n;
    this.layout = layout;
    this.size = n;
    this.nStates = nS;
    this.variant = options.variant ?? "main";
    this.rewards = rs;
    this.goldPenalty = options.goldPenalty ?? "fractional";
    this.goldExitPenaltyLegacy = this.goldPenalty === "legacy";
    this.unreachableAsN2 = options.unreachable === "n2";
    const idx = (c: Cell) => c[0] * n + c[1];
    this.start = idx(layout.start);
    this.exit = idx(layout.exit);
    this.maxSteps = nS;
    const v3 = this.variant === "v3";
    this.isV3 = v3;
    this.blockReward = v3 ? -0.1 : -1.0;
    this.stepCost = (rs.path ? (v3 ? 0.1 : 1.0) : 0) + (rs.gold ? 0.01 : 0) + (rs.hazard ? 0.1 : 0) + (rs.lever ? 0.1 : 0);
    this.exitBonus = (rs.path ? 100 : 0) + (rs.hazard ? 100 : 0);

    const kind = new Uint8Array(nS);
    for (const c of layout.blocks) kind[idx(c)] = KIND_BLOCK;
    for (const c of layout.hazards) kind[idx(c)] = KIND_HAZARD;
    this.goldIndex = new Int32Array(nS).fill(-1);
    this.goldCells = new Int32Array(layout.golds.length);
    layout.golds.forEach((c, g) => {
      kind[idx(c)] = KIND_GOLD;
      this.goldIndex[idx(c)] = g;
      this.goldCells[g] = idx(c);
    });
    this.lever = layout.lever ? idx(layout.lever) : -1;
    if (this.lever >= 0) kind[this.lever] = KIND_LEVER;
    kind[this.exit] = KIND_EXIT;
    this.kind = kind;
    this.totalGold = layout.golds.length;
    this.goldTakenAt = new Int32Array(this.totalGold);
    this.ngStamp = new Float64Array(this.nStates);
    this.ngValue = new Int32Array(this.nStates);

    const hn = new Uint8Array(nS);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        let k = 0;
        if (r > 0 && kind[(r - 1) * n + c] === KIND_HAZARD) k++;
        if (r < n - 1 && kind[(r + 1) * n + c] === KIND_HAZARD) k++;
        if (c > 0 && kind[r * n + c - 1] === KIND_HAZARD) k++;
        if (c < n - 1 && kind[r * n + c + 1] === KIND_HAZARD) k++;
        hn[r * n + c] = k;
      }
    }
    this.hazardNeighbours = hn;
    // Same operations, in the same order, as the general path of step(): bit-identical rewards.
    this.plainReward = new Float64Array(nS);
    for (let s = 0; s < nS; s++) this.plainReward[s] = (rs.hazard ? 0 - 2 * hn[s] : 0) - this.stepCost;

    const moves = v3 ? V3_MOVES : MAIN_MOVES;
    const next = new Int32Array(nS * N_ACTIONS);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        for (let a = 0; a < N_ACTIONS; a++) {
          const r2 = r + moves[a][0];
          const c2 = c + moves[a][1];
          const ok = r2 >= 0 && r2 < n && c2 >= 0 && c2 < n && kind[r2 * n + c2] !== KIND_BLOCK;
          next[(r * n + c) * N_ACTIONS + a] = ok ? r2 * n + c2 : -1;
        }
      }
    }
    this.next = next;

    if (v3) {
      const walls = new Uint8Array(nS);
      for (let s = 0; s < nS; s++) walls[s] = kind[s] === KIND_BLOCK || kind[s] === KIND_HAZARD ? 1 : 0;
      this.distExit = bfsDistances(n, walls, this.exit);
      this.distLever = this.lever >= 0 ? bfsDistances(n, walls, this.lever) : null;
      const dg = new Int32Array(this.totalGold * nS);
      for (let g = 0; g < this.totalGold; g++) dg.set(bfsDistances(n, walls, this.goldCells[g]), g * nS);
      this.distGold = dg;
    }
    this.reset();
  }

  /** Start a new episode (O(1): gold state is epoch-stamped). Returns the start state. */
  reset(): number {
    this.pos = this.start;
    this.done = false;
    this.steps = 0;
    // As the reference's reset: the flag starts false even without a lever (exit pays +20 then).
    this.leverCollected = false;
    this.goldRemaining = this.totalGold;
    this.hazardSteps = 0;
    this.epoch++;
    this.ngVersion++;
    return this.pos;
  }

  /** Whether the gold of ordinal g is still on the grid in this episode. */
  goldPresent(g: number): boolean {
    return this.goldTakenAt[g] !== this.epoch;
  }

  /**
   * One environment step (§1.2 main / §1.4 v3). Updates `pos`, `done`, `steps` and the gold/lever
   * state, and returns the reward. Calling step after `done` is the caller's responsibility.
   */
  step(action: number): number {
    this.steps++;
    const prev = this.pos;
    const t = this.next[prev * N_ACTIONS + action];
    if (t < 0) return this.blockReward; // out of bounds or block: stay, not done
    const k = this.kind[t];
    this.pos = t;
    if (k === KIND_HAZARD) {
      this.hazardSteps++;
      this.done = true;
      return -100;
    }
    if (this.isV3) return this.rewardV3(prev, t, k);
    if (k === KIND_PLAIN) return this.plainReward[t];
    return this.enterSpecial(t, k);
  }

  /**
   * [main] reward of an ordinary move onto a gold, lever or exit cell t (kind k), updating the gold,
   * lever and done state. `pos` must already be t. Split out of step() so that the training kernel can
   * inline the common cases (blocked, plain, hazard) and share this one.
   */
  enterSpecial(t: number, k: number): number {
    const rs = this.rewards;
    let r = 0;
    if (k === KIND_LEVER && !this.leverCollected) {
      this.leverCollected = true;
      if (rs.lever) r += 20;
    } else if (k === KIND_GOLD) {
      const g = this.goldIndex[t];
      if (this.goldTakenAt[g] !== this.epoch) {
        this.goldTakenAt[g] = this.epoch;
        this.goldRemaining--;
        this.ngVersion++;
        if (rs.gold) r += 5;
      }
    }
    if (rs.hazard) r -= 2 * this.hazardNeighbours[t];
    if (k === KIND_EXIT) {
      this.done = true;
      r += this.exitTerms();
    }
    return r - this.stepCost;
  }

  /** Exit bonuses of §1.3 given the current gold/lever state. */
  private exitTerms(): number {
    const rs = this.rewards;
    let r = this.exitBonus;
    if (rs.gold) {
      if (this.goldRemaining === 0) r += 100;
      else r += this.goldExitPenaltyLegacy ? -20 : (-10 * this.goldRemaining) / this.totalGold;
    }
    if (rs.lever) r += this.leverCollected ? 80 : 20;
    return r;
  }

  /** Δd = d(prev) − d(curr) for a BFS map, or 0 (skipped) when either is unreachable [v3]. */
  private delta(d: Int32Array, prev: number, curr: number): number {
    let a = d[prev];
    let b = d[curr];
    if (a < 0 || b < 0) {
      if (!this.unreachableAsN2) return 0;
      if (a < 0) a = this.nStates;
      if (b < 0) b = this.nStates;
    }
    return a - b;
  }

  /** Distance from s to the nearest remaining gold (min over remaining golds' maps), −1 if none reachable. */
  private nearestGold(s: number): number {
    // Memoised per state until the gold set changes (a new episode or a collected gold): the v3
    // shaping asks for it twice per step, and the answer only changes when a gold is taken.
    if (this.ngStamp[s] === this.ngVersion) return this.ngValue[s];
    const best = this.nearestGoldScan(s);
    this.ngStamp[s] = this.ngVersion;
    this.ngValue[s] = best;
    return best;
  }

  private nearestGoldScan(s: number): number {
    const dg = this.distGold!;
    const nS = this.nStates;
    let best = -1;
    for (let g = 0; g < this.totalGold; g++) {
      if (this.goldTakenAt[g] === this.epoch) continue;
      const d = dg[g * nS + s];
      if (d >= 0 && (best < 0 || d < best)) best = d;
    }
    if (best < 0 && this.unreachableAsN2) return this.nStates;
    return best;
  }

  /** [v3] reward of an ordinary move prev → t (§1.4). */
  private rewardV3(prev: number, t: number, k: number): number {
    const rs = this.rewards;
    let r = 0;
    if (k === KIND_LEVER && !this.leverCollected) {
      this.leverCollected = true;
      if (rs.lever) r += 20;
    }
    const g = k === KIND_GOLD ? this.goldIndex[t] : -1;
    const goldHere = g >= 0 && this.goldTakenAt[g] !== this.epoch;
    if (rs.gold) {
      if (this.goldRemaining > 0) {
        // Nearest remaining gold, counted before collecting the current cell.
        const a = this.nearestGold(prev);
        const b = this.nearestGold(t);
        if (a >= 0 && b >= 0) r += a - b;
      } else if (!rs.path && (!rs.lever || this.leverCollected)) {
        r += this.delta(this.distExit!, prev, t);
      }
    }
    if (goldHere) {
      this.goldTakenAt[g] = this.epoch;
      this.goldRemaining--;
      this.ngVersion++;
      if (rs.gold) r += 5;
    }
    if (rs.lever && this.distLever) {
      if (!this.leverCollected) r += this.delta(this.distLever, prev, t);
      else if (!rs.path) r += this.delta(this.distExit!, prev, t);
    }
    if (rs.hazard && !rs.path && (!rs.gold || this.goldRemaining === 0) && (!rs.lever || this.leverCollected)) {
      r += this.delta(this.distExit!, prev, t);
    }
    if (rs.path) r += this.delta(this.distExit!, prev, t);
    if (rs.hazard) r += 2 * (this.hazardNeighbours[prev] - this.hazardNeighbours[t]);
    if (k === KIND_EXIT) {
      this.done = true;
      r += this.exitTerms();
    }
    return r - this.stepCost;
  }

  /** The reference's int8 grid for the current state (§1.1): agent 7, taken gold/lever cleared. */
  renderGrid(out: Int8Array = new Int8Array(this.nStates)): Int8Array {
    const nS = this.nStates;
    for (let s = 0; s < nS; s++) {
      switch (this.kind[s]) {
        case KIND_BLOCK:
          out[s] = CELL.block;
          break;
        case KIND_HAZARD:
          out[s] = CELL.hazard;
          break;
        case KIND_GOLD:
          out[s] = this.goldTakenAt[this.goldIndex[s]] === this.epoch ? CELL.empty : CELL.gold;
          break;
        case KIND_LEVER:
          out[s] = this.leverCollected ? CELL.empty : CELL.lever;
          break;
        case KIND_EXIT:
          out[s] = CELL.exit;
          break;
        default:
          out[s] = CELL.empty;
      }
    }
    out[this.pos] = CELL.agent;
    return out;
  }

  rowCol(s: number): Cell {
    return [(s / this.size) | 0, s % this.size];
  }
}

/** Greedy action: argmax over the Q row, ties to the lowest action index (§1.7). */
export function greedyAction(q: Float64Array | Float32Array, s: number): number {
  const o = s * N_ACTIONS;
  let best = 0;
  let v = q[o];
  for (let a = 1; a < N_ACTIONS; a++) {
    if (q[o + a] > v) {
      v = q[o + a];
      best = a;
    }
  }
  return best;
}

export interface Rollout {
  total: number;
  steps: number;
  done: boolean;
  /** Visited states, start first. */
  states: number[];
  actions: number[];
}

/** Greedy evaluation (§2.3): reset, argmax actions for up to N² steps, summing rewards until done. */
export function greedyRollout(env: GridWorld, q: Float64Array | Float32Array, record = true): Rollout {
  let s = env.reset();
  let total = 0;
  const states = record ? [s] : [];
  const actions: number[] = [];
  while (env.steps < env.maxSteps) {
    const a = greedyAction(q, s);
    total += env.step(a);
    s = env.pos;
    if (record) {
      states.push(s);
      actions.push(a);
    }
    if (env.done) break;
  }
  return {total, steps: env.steps, done: env.done, states, actions};
}

export function greedyReturn(env: GridWorld, q: Float64Array | Float32Array): number {
  return greedyRollout(env, q, false).total;
}

export interface ReplayStep {
  reward: number;
  done: boolean;
  position: Cell;
}

/** Step a reset env through a list of actions, stopping at the first terminal step. */
export function replay(env: GridWorld, actions: readonly number[]): {steps: ReplayStep[]; total: number} {
  env.reset();
  const steps: ReplayStep[] = [];
  let total = 0;
  for (const a of actions) {
    if (!Number.isInteger(a) || a < 0 || a >= N_ACTIONS) throw new RangeError(`invalid action: ${a} (accepted: 0, 1, 2, 3)`);
    const reward = env.step(a);
    total += reward;
    steps.push({reward, done: env.done, position: env.rowCol(env.pos)});
    if (env.done) break;
  }
  return {steps, total};
}
