/**
 * Evaluation of a composition rule with a frozen actor and a prior (spec/steering.md §5, §8.6):
 * N episodes run side by side as one batch, with common random numbers across rules.
 *
 * Per step, for the batch of n episodes: the actor's Gaussians at the observations and the prior's at
 * (observation, real goal) come from mlp.ts `act`, the prior is corrupted per its §3 condition
 * (priors.ts), the two are composed by gauss.ts `compose` (§2), and the action is
 * - deterministic mode (§8.6, the D4RL convention): the composed mean;
 * - stochastic mode (§2.4 "stochastic evaluation"): one draw from the composed Gaussian (gauss.ts
 *   `sampleDiag`), except the additive blend, which samples the mixture (1−α)π0 + αp
 *   (`sampleBlendMixture`, §2.5);
 * then clipped to [-1,1] by the environment (§2.7). Nothing here writes to the actor: its weights hash
 * is the same before and after (§7 C3; test/steer/rollout.test.ts).
 *
 * Common random numbers (§5, §8.6): episode i has seed s_i = deriveSeed(seed, "episode", i) and three
 * independent streams Rng(s_i, 1) for the reset (start and goal), Rng(s_i, 2) for action sampling and
 * Rng(s_i, PRIOR_STREAM = 3) for prior corruption. The same `seed` therefore gives every rule the same
 * starts, goals and prior noise, and two evaluations of the same rule are bit-identical.
 *
 * Scores: Reach, the D4RL normalized score of the episode return (§6.4); maze, 100 × success (success
 * = within 0.5 cell of the goal at some step ≤ 500; the episode stops at the first success).
 *
 * Entry points: `evaluate(options)` (sync), and `new Rollout(options)` with `step()` for animation.
 */
import {deriveSeed, Rng} from "../core/rng.js";
import type {ComposeSpec, DiagGaussians} from "./gauss.js";
import {compose, sampleBlendMixture, sampleDiag} from "./gauss.js";
import type {Env} from "./envs.js";
import {_mazeStep, _reachReset, _reachStep, mazeReset, normalizedScore} from "./envs.js";
import type {GaussianMLP, Workspace} from "./mlp.js";
import {act, createWorkspace} from "./mlp.js";
import type {SteeringPrior} from "./priors.js";
import {_wrongGoalInputs, PriorCorruption} from "./priors.js";
import {mean} from "../core/stats.js";
import {_priorInputs, actorInDim, goalDimOf, priorInDim} from "./train.js";

export type EvalMode = "deterministic" | "stochastic";

/** Stream ids inside an episode seed (see the header). */
export const RESET_STREAM = 1;
export const ACTION_STREAM = 2;

/** Evaluation episodes per (unit, config) (§5, §8.6). */
export const EVAL_EPISODES = 25;

export interface EvaluateOptions {
  env: Env;
  /** The frozen actor (never modified). */
  actor: GaussianMLP;
  /** The deployed prior (priors.ts), or a bare network, read as the clean prior. */
  prior: SteeringPrior | GaussianMLP;
  /** The composition rule (gauss.ts ComposeSpec). */
  rule: ComposeSpec;
  /** Evaluation seed shared by every rule of a unit (common random numbers). */
  seed: number;
  /** Episodes N. Default 25. */
  episodes?: number;
  /** Default "deterministic". */
  mode?: EvalMode;
  /** Keep the executed (pre-clip) actions and the positions for plots and identity checks. Default false. */
  record?: boolean;
  /**
   * Called once per step, before composition, with the actor's Gaussians, the (corrupted) prior's
   * Gaussians and the batch states they were computed at (n rows each, including episodes that have
   * ended). The arrays are the rollout's own buffers, overwritten on the next step: read, never write.
   */
  onStep?: (actor: DiagGaussians, prior: DiagGaussians, states: Float64Array) => void;
}

export interface EvaluationResult {
  rule: ComposeSpec;
  mode: EvalMode;
  seed: number;
  episodes: number;
  /** Per-episode score: normalized score (Reach) or 100·success (maze). */
  scores: Float64Array;
  /** Per-episode undiscounted return. */
  returns: Float64Array;
  /** Maze: 1 if the episode reached the goal; null for Reach. */
  success: Uint8Array | null;
  /** Steps taken per episode. */
  lengths: Int32Array;
  /** record: actions before clipping, N×H×d (zeros after a maze episode ends); else null. */
  actions: Float64Array | null;
  /** record: positions, N×(H+1)×goalDim (held at the final position after a maze episode ends); else null. */
  positions: Float64Array | null;
}

/** The seed of evaluation episode i (§8.6). */
export function episodeSeed(seed: number, i: number): number {
  return deriveSeed(seed, "episode", i);
}

function isSteeringPrior(p: SteeringPrior | GaussianMLP): p is SteeringPrior {
  return (p as SteeringPrior).condition !== undefined;
}

/** A rollout of N episodes that can be advanced one step at a time (for animation) or run to the end. */
export class Rollout {
  readonly env: Env;
  readonly actor: GaussianMLP;
  readonly prior: SteeringPrior;
  readonly rule: ComposeSpec;
  readonly mode: EvalMode;
  readonly seed: number;
  readonly n: number;
  /** Steps taken so far. */
  t = 0;
  /** Batch state: n×obsDim (Reach: [x, v, g]; maze: [x, y, vx, vy]). */
  readonly states: Float64Array;
  readonly returns: Float64Array;
  readonly done: Uint8Array;
  readonly success: Uint8Array;
  readonly lengths: Int32Array;
  private readonly actionRngs: Rng[];
  private readonly corruption: PriorCorruption;
  private readonly priorIn: Float64Array;
  private readonly wsA: Workspace;
  private readonly wsP: Workspace;
  private readonly gA: DiagGaussians;
  private readonly gP: DiagGaussians;
  private readonly gC: DiagGaussians;
  private readonly a: Float64Array;
  private readonly record: boolean;
  private readonly actions: Float64Array | null;
  private readonly positions: Float64Array | null;
  private readonly onStep: EvaluateOptions["onStep"];

  constructor(options: EvaluateOptions) {
    const {env, actor, rule, seed, episodes = EVAL_EPISODES, mode = "deterministic", record = false} = options;
    if (!Number.isInteger(episodes) || episodes < 1) throw new RangeError(`invalid episodes: ${episodes} (expected a positive integer)`);
    if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`invalid seed: ${seed} (expected a non-negative integer)`);
    if (mode !== "deterministic" && mode !== "stochastic") throw new RangeError(`invalid mode: ${JSON.stringify(mode)} (accepted: deterministic, stochastic)`);
    const prior: SteeringPrior = isSteeringPrior(options.prior) ? options.prior : {condition: {kind: "clean"}, model: options.prior, fixedVariance: null};
    const d = env.actDim;
    if (actor.inDim !== actorInDim(env) || actor.outDim !== d) {
      throw new RangeError(`actor shape mismatch: ${actor.inDim}→${actor.outDim}, ${env.name} needs ${actorInDim(env)}→${d}`);
    }
    if (prior.model.inDim !== priorInDim(env) || prior.model.outDim !== d) {
      throw new RangeError(`prior shape mismatch: ${prior.model.inDim}→${prior.model.outDim}, ${env.name} needs ${priorInDim(env)}→${d}`);
    }
    this.env = env;
    this.actor = actor;
    this.prior = prior;
    this.rule = rule;
    this.mode = mode;
    this.seed = seed;
    const n = (this.n = episodes);
    const D = env.obsDim;
    this.states = new Float64Array(n * D);
    this.returns = new Float64Array(n);
    this.done = new Uint8Array(n);
    this.success = new Uint8Array(n);
    this.lengths = new Int32Array(n);
    const seeds = Array.from({length: n}, (_, i) => episodeSeed(seed, i));
    for (let i = 0; i < n; i++) {
      const rr = new Rng(seeds[i], RESET_STREAM);
      if (env.kind === "reach") _reachReset(env, rr, this.states, i * D);
      else mazeReset(env, rr, this.states, i * D);
    }
    this.actionRngs = seeds.map((s) => new Rng(s, ACTION_STREAM));
    this.corruption = new PriorCorruption(prior, d, seeds);
    // Reach's prior reads the observation itself, unless a wrong-goal prior needs its own copy (priors.ts).
    this.priorIn = env.kind === "reach" && !prior.goalSlice ? this.states : new Float64Array(n * priorInDim(env));
    this.wsA = createWorkspace(actor, n);
    this.wsP = createWorkspace(prior.model, n);
    const gauss = (): DiagGaussians => ({dim: d, mean: new Float64Array(n * d), variance: new Float64Array(n * d)});
    this.gA = gauss();
    this.gP = gauss();
    this.gC = gauss();
    this.a = new Float64Array(n * d);
    this.record = record;
    this.onStep = options.onStep;
    const H = env.horizon;
    const gd = goalDimOf(env);
    this.actions = record ? new Float64Array(n * H * d) : null;
    this.positions = record ? new Float64Array(n * (H + 1) * gd) : null;
    if (record) this.recordPositions();
  }

  /** True once every episode has ended (horizon reached, or maze success). */
  get finished(): boolean {
    if (this.t >= this.env.horizon) return true;
    for (let i = 0; i < this.n; i++) if (!this.done[i]) return false;
    return true;
  }

  /** Advance every running episode by one step. Returns false (and does nothing) once finished. */
  step(): boolean {
    if (this.finished) return false;
    const {env, n, states, a} = this;
    const d = env.actDim;
    const D = env.obsDim;
    act(this.actor, states, this.gA, this.wsA);
    if (env.kind === "maze") _priorInputs(env, states, env.goal, n, this.priorIn);
    const slice = this.prior.goalSlice;
    if (slice) _wrongGoalInputs(slice, env.kind === "maze" ? this.priorIn : states, this.prior.model.inDim, this.priorIn);
    act(this.prior.model, this.priorIn, this.gP, this.wsP);
    this.corruption.apply(this.gP);
    if (this.onStep) this.onStep(this.gA, this.gP, states);
    compose(this.gA, this.gP, this.rule, this.gC);
    if (this.mode === "deterministic") {
      a.set(this.gC.mean);
    } else {
      for (let i = 0; i < n; i++) {
        const lo = i * d;
        const hi = lo + d;
        const out = a.subarray(lo, hi);
        if (this.rule.rule === "additive") {
          sampleBlendMixture(rowOf(this.gA, lo, hi), rowOf(this.gP, lo, hi), this.rule.alpha, this.actionRngs[i], out);
        } else {
          sampleDiag(rowOf(this.gC, lo, hi), this.actionRngs[i], out);
        }
      }
    }
    const t = this.t;
    for (let i = 0; i < n; i++) {
      if (this.done[i]) continue;
      if (this.actions) this.actions.set(a.subarray(i * d, (i + 1) * d), (i * env.horizon + t) * d);
      let r: number;
      if (env.kind === "reach") {
        r = _reachStep(env, states, i * D, a, i * d);
      } else {
        r = _mazeStep(env, states, i * D, a, i * d, env.goal, 0);
        if (r > 0) {
          this.success[i] = 1;
          this.done[i] = 1;
        }
      }
      this.returns[i] += r;
      this.lengths[i]++;
    }
    this.t++;
    if (this.record) this.recordPositions();
    return true;
  }

  private recordPositions(): void {
    const pos = this.positions as Float64Array;
    const gd = goalDimOf(this.env);
    const H = this.env.horizon;
    const D = this.env.obsDim;
    for (let i = 0; i < this.n; i++) {
      for (let c = 0; c < gd; c++) pos[(i * (H + 1) + this.t) * gd + c] = this.states[i * D + c];
    }
  }

  /** Run to the end and return the result. */
  run(): EvaluationResult {
    while (this.step());
    return this.result();
  }

  /** The result so far (scores of unfinished episodes count their partial returns). */
  result(): EvaluationResult {
    const {env, n} = this;
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = env.kind === "reach" ? normalizedScore(env, this.returns[i]) : 100 * this.success[i];
    if (this.positions && this.t < env.horizon) {
      // Hold the final positions for the steps not taken (finished maze episodes).
      const gd = goalDimOf(env);
      for (let i = 0; i < n; i++) {
        for (let s = this.t + 1; s <= env.horizon; s++) {
          for (let c = 0; c < gd; c++) this.positions[(i * (env.horizon + 1) + s) * gd + c] = this.positions[(i * (env.horizon + 1) + this.t) * gd + c];
        }
      }
    }
    return {
      rule: this.rule,
      mode: this.mode,
      seed: this.seed,
      episodes: n,
      scores,
      returns: Float64Array.from(this.returns),
      success: env.kind === "maze" ? Uint8Array.from(this.success) : null,
      lengths: Int32Array.from(this.lengths),
      actions: this.actions ? Float64Array.from(this.actions) : null,
      positions: this.positions ? Float64Array.from(this.positions) : null,
    };
  }
}

function rowOf(g: DiagGaussians, lo: number, hi: number): DiagGaussians {
  return {dim: g.dim, mean: g.mean.subarray(lo, hi), variance: g.variance.subarray(lo, hi)};
}

/** Evaluate one rule over N episodes (sync). See the header for modes, seeds and scores. */
export function evaluate(options: EvaluateOptions): EvaluationResult {
  return new Rollout(options).run();
}

/** Evaluate several rules on the same episodes (same seed, so common random numbers across rules). */
export function evaluateRules(options: Omit<EvaluateOptions, "rule">, rules: readonly ComposeSpec[]): EvaluationResult[] {
  return rules.map((rule) => evaluate({...options, rule}));
}

/** Mean of the per-episode scores. */
export function meanScore(result: EvaluationResult): number {
  return mean(result.scores);
}
