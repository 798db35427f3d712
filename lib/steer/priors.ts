/**
 * Prior conditions: the clean goal-conditioned prior and its degraded and random variants
 * (spec/steering.md §3). The paper names only "degraded" and "random" priors [PAPER]; the construction
 * is unknown, so every variant of the §3 table is pre-registered here [OURS]:
 *
 * | condition                | mean                                   | std                        |
 * |--------------------------|----------------------------------------|----------------------------|
 * | clean                    | μp (learned GCBC)                      | σp (learned)               |
 * | noisy-overconfident(η)   | μp + η·ξ_t, ξ_t ∼ N(0, I) i.i.d./step  | σp unchanged               |
 * | noisy-calibrated(η)      | μp + η·ξ_t                             | √(σp² + η²)                |
 * | biased(η)                | μp + η·u_ep, u_ep a random unit vector  | σp                         |
 * |                          | fixed per episode                      |                            |
 * | random                   | untrained copy of the prior network    | its own head output (≈ 1)  |
 * |                          | (default init, log-std bias 0)         |                            |
 * | random-confident (ext.)  | the random network's mean              | the actor's median σ0      |
 *
 * Priors that can actually hurt [OURS, issue 13 §3]: the `random` prior's mean is ≈ 0.1 in magnitude
 * against the actor's ≈ 0.3, and the reward penalises ‖a‖², so it acts as a brake rather than an
 * adversary. These variants make the prior wrong in ways precision weighting cannot simply ignore:
 *
 * | condition                | mean                                   | std                        |
 * |--------------------------|----------------------------------------|----------------------------|
 * | random-scaled            | the random network's mean × k, k so    | its own head output (≈ 1)  |
 * |                          | that median |μ| = the actor's median |μ0| |                          |
 * | wrong-goal               | the clean prior queried at the goal    | σp at that input           |
 * |                          | reflected through the centre (−g)      |                            |
 * | confident-wrong          | as wrong-goal                          | ½ × the actor's median σ0  |
 * | drift(η)                 | μp + o_t, o_t an AR(1) offset per      | σp                         |
 * |                          | episode: o_0 ∼ N(0, η²/d·I),           |                            |
 * |                          | o_t = φ·o_{t−1} + √(1−φ²)·η/√d·ξ_t,    |                            |
 * |                          | φ = 0.95 (≈ 20-step memory)            |                            |
 *
 * `biased(η)` (a constant offset per episode) and `drift(η)` are the persistent degradations: the
 * double integrator averages per-step i.i.d. noise out over a few steps, but not an offset that stays.
 * The medians for random-scaled and confident-wrong are taken on the states passed in the context
 * (the experiments pass the selector's calibration states).
 *
 * Noise grid η ∈ {0.1, 0.3, 1.0} action units (§3). Every corruption draws from its own per-episode
 * stream, Rng(episodeSeed, PRIOR_STREAM), independent of the environment's and the action sampler's
 * streams, so all rules evaluated on an episode see the same prior noise (common random numbers, §5).
 * Per episode, biased(η) first draws u_ep (d normals, normalised); noisy variants draw d normals per
 * step, row by row.
 *
 * Choices where the spec is silent [OURS]: the random network reuses the clean prior's input
 * normalisation (it is "a copy of the prior network"), with fresh weights from the Rng passed in; the
 * actor's "median σ0" is the median over all (state, dimension) entries of σ0 on the states given
 * (the experiments pass dataset states); noise is added to the unsquashed mean (§2.7).
 */
import {Rng} from "../core/rng.js";
import type {DiagGaussians} from "./gauss.js";
import type {GaussianMLP} from "./mlp.js";
import {act, createMLP} from "./mlp.js";

export type PriorCondition =
  | {kind: "clean"}
  | {kind: "noisy-overconfident"; eta: number}
  | {kind: "noisy-calibrated"; eta: number}
  | {kind: "biased"; eta: number}
  | {kind: "random"}
  | {kind: "random-confident"}
  | {kind: "random-scaled"}
  | {kind: "wrong-goal"}
  | {kind: "confident-wrong"}
  | {kind: "drift"; eta: number};

export type PriorKind = PriorCondition["kind"];
export const PRIOR_KINDS: readonly PriorKind[] = [
  "clean",
  "noisy-overconfident",
  "noisy-calibrated",
  "biased",
  "random",
  "random-confident",
  "random-scaled",
  "wrong-goal",
  "confident-wrong",
  "drift",
];

/** drift(η): the AR(1) coefficient φ of the per-episode offset (memory ≈ 1/(1−φ) = 20 steps) [OURS]. */
export const DRIFT_PHI = 0.95;

/** confident-wrong: its σ as a fraction of the actor's median σ0 (ρ = σ0²/σp² ≈ 4) [OURS]. */
export const CONFIDENT_WRONG_SIGMA = 0.5;

/** The §3 noise grid η, in action units. */
export const NOISE_GRID: readonly number[] = Object.freeze([0.1, 0.3, 1.0]);

/** Stream id of the prior-corruption generator inside an episode's seed (see rollout.ts). */
export const PRIOR_STREAM = 3;

/** A prior as deployed: which network is queried and how its output is corrupted (§3). */
export interface SteeringPrior {
  readonly condition: PriorCondition;
  /** The network queried: the clean GCBC prior, or an untrained copy for random / random-confident. */
  readonly model: GaussianMLP;
  /** random-confident: the constant variance (the actor's median σ0)²; confident-wrong: (½ median σ0)²; otherwise null. */
  readonly fixedVariance: number | null;
  /** random-scaled: the factor k applied to the random network's mean; otherwise absent or null. */
  readonly meanScale?: number | null;
  /** wrong-goal, confident-wrong: where the goal sits in the prior's input (it is replaced by −g); otherwise absent or null. */
  readonly goalSlice?: {offset: number; dim: number} | null;
}

/** A short label, e.g. "noisy-overconfident(0.3)". */
export function conditionLabel(c: PriorCondition): string {
  return "eta" in c ? `${c.kind}(${c.eta})` : c.kind;
}

/** Validate a condition object (RangeError on an unknown kind or a bad η). */
export function checkCondition(c: PriorCondition): void {
  if (c === null || typeof c !== "object" || !(PRIOR_KINDS as readonly string[]).includes((c as {kind: string}).kind)) {
    throw new RangeError(`invalid prior condition: ${JSON.stringify(c)} (accepted kinds: ${PRIOR_KINDS.join(", ")})`);
  }
  if ("eta" in c && !(c.eta >= 0 && c.eta < Infinity)) throw new RangeError(`invalid eta: ${c.eta} (expected a finite number ≥ 0)`);
}

/** An untrained copy of `clean` (§3 "random"): same architecture and input normalisation, default init from `rng`. */
export function randomPriorModel(clean: GaussianMLP, rng: Rng): GaussianMLP {
  return createMLP({inDim: clean.inDim, outDim: clean.outDim, hidden: clean.hidden}, rng, {shift: clean.inputShift, scale: clean.inputScale});
}

/** Median of a non-empty array (a sorted copy; the input is not modified). */
export function median(xs: ArrayLike<number>): number {
  if (xs.length === 0) throw new RangeError("invalid inputs: no rows");
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** Median over all (row, dimension) entries of the model's σ at `inputs` (n×inDim). */
export function medianStd(model: GaussianMLP, inputs: Float64Array): number {
  const g = act(model, inputs);
  if (g.variance.length === 0) throw new RangeError("invalid inputs: no rows");
  return median(Float64Array.from(g.variance, Math.sqrt));
}

/** Median over all (row, dimension) entries of |μ| of the model at `inputs`. */
export function medianAbsMean(model: GaussianMLP, inputs: Float64Array): number {
  const g = act(model, inputs);
  if (g.mean.length === 0) throw new RangeError("invalid inputs: no rows");
  return median(Float64Array.from(g.mean, Math.abs));
}

/** Copy of the prior inputs (n rows of width `width`) with the goal slice replaced by −g (wrong-goal priors). */
export function _wrongGoalInputs(slice: {offset: number; dim: number}, inputs: Float64Array, width: number, out: Float64Array): void {
  out.set(inputs);
  const n = inputs.length / width;
  for (let r = 0; r < n; r++) for (let i = 0; i < slice.dim; i++) out[r * width + slice.offset + i] = -inputs[r * width + slice.offset + i];
}

export interface PriorContext {
  /** Initialisation stream of the random network (random, random-confident). */
  rng?: Rng;
  /** The frozen actor and the states at which its median σ0 (random-confident, confident-wrong) and median |μ0| (random-scaled) are taken. */
  actor?: GaussianMLP;
  actorInputs?: Float64Array;
  /** The prior's inputs at the same states (random-scaled; default `actorInputs`, which is the same for Reach). */
  priorInputs?: Float64Array;
  /** Where the goal sits in the prior's input (wrong-goal, confident-wrong), e.g. Reach {offset: 2d, dim: d}. */
  goal?: {offset: number; dim: number};
}

/** Build the deployed prior for a condition from the clean GCBC prior (§3). */
export function makePrior(clean: GaussianMLP, condition: PriorCondition, context: PriorContext = {}): SteeringPrior {
  checkCondition(condition);
  switch (condition.kind) {
    case "clean":
    case "noisy-overconfident":
    case "noisy-calibrated":
    case "biased":
      return {condition, model: clean, fixedVariance: null};
    case "drift":
      return {condition, model: clean, fixedVariance: null};
    case "wrong-goal":
    case "confident-wrong": {
      const goal = context.goal;
      if (!goal || !(Number.isInteger(goal.offset) && Number.isInteger(goal.dim) && goal.offset >= 0 && goal.dim >= 1 && goal.offset + goal.dim <= clean.inDim)) {
        throw new RangeError(`missing or invalid goal slice: ${condition.kind} needs {offset, dim} inside the prior's ${clean.inDim} inputs`);
      }
      if (condition.kind === "wrong-goal") return {condition, model: clean, fixedVariance: null, goalSlice: goal};
      if (!context.actor || !context.actorInputs) throw new RangeError("missing actor or actorInputs: confident-wrong needs the actor's median σ0");
      const s = CONFIDENT_WRONG_SIGMA * medianStd(context.actor, context.actorInputs);
      return {condition, model: clean, fixedVariance: s * s, goalSlice: goal};
    }
    case "random":
    case "random-confident":
    case "random-scaled": {
      if (!context.rng) throw new RangeError(`missing rng: the ${condition.kind} prior needs an Rng to initialise its network`);
      const model = randomPriorModel(clean, context.rng);
      if (condition.kind === "random") return {condition, model, fixedVariance: null};
      if (!context.actor || !context.actorInputs) throw new RangeError(`missing actor or actorInputs: ${condition.kind} needs the actor's statistics`);
      if (condition.kind === "random-scaled") {
        const k = medianAbsMean(context.actor, context.actorInputs) / medianAbsMean(model, context.priorInputs ?? context.actorInputs);
        return {condition, model, fixedVariance: null, meanScale: Number.isFinite(k) ? k : 1};
      }
      const s = medianStd(context.actor, context.actorInputs);
      return {condition, model, fixedVariance: s * s};
    }
  }
}

/**
 * Per-episode corruption state for a batch of episodes (row r ↔ episode r). Created once per rollout;
 * `apply` is called on the prior's Gaussians at every step and modifies them in place.
 */
export class PriorCorruption {
  readonly condition: PriorCondition;
  private readonly dim: number;
  private readonly rngs: Rng[];
  /** biased: u_ep per row, n×d. */
  private readonly bias: Float64Array | null;
  private readonly fixedVariance: number | null;
  private readonly meanScale: number | null;
  /** drift: the current offset o_t per row, n×d. */
  private readonly drift: Float64Array | null;
  private driftStarted = false;

  /** `episodeSeeds[r]` seeds row r's stream: Rng(episodeSeeds[r], PRIOR_STREAM). */
  constructor(prior: SteeringPrior, dim: number, episodeSeeds: ArrayLike<number>) {
    checkCondition(prior.condition);
    this.condition = prior.condition;
    this.dim = dim;
    this.fixedVariance = prior.fixedVariance;
    this.meanScale = prior.meanScale ?? null;
    this.rngs = Array.from({length: episodeSeeds.length}, (_, r) => new Rng(episodeSeeds[r], PRIOR_STREAM));
    this.bias = null;
    this.drift = null;
    const n = episodeSeeds.length;
    if (prior.condition.kind === "biased") {
      const u = new Float64Array(n * dim);
      for (let r = 0; r < n; r++) unitVector(this.rngs[r], u, r * dim, dim);
      this.bias = u;
    } else if (prior.condition.kind === "drift") {
      // o_0 ∼ N(0, η²/d · I): the stationary law of the AR(1), so ‖o_t‖ ≈ η at every step.
      const sd = prior.condition.eta / Math.sqrt(dim);
      const o = new Float64Array(n * dim);
      for (let r = 0; r < n; r++) for (let i = r * dim; i < (r + 1) * dim; i++) o[i] = sd * this.rngs[r].normal();
      this.drift = o;
    }
  }

  /** The per-episode unit vectors u_ep of biased(η) (n×d), or null for other conditions. */
  biasDirections(): Float64Array | null {
    return this.bias ? Float64Array.from(this.bias) : null;
  }

  /** Corrupt the prior's Gaussians for one step (rows = episodes), in place (§3). */
  apply(g: DiagGaussians): void {
    const d = this.dim;
    const n = this.rngs.length;
    if (g.dim !== d || g.mean.length !== n * d) throw new RangeError(`shape mismatch: prior batch ${g.mean.length / g.dim}×${g.dim}, corruption ${n}×${d}`);
    const c = this.condition;
    switch (c.kind) {
      case "clean":
      case "random":
      case "wrong-goal":
        return;
      case "random-confident":
      case "confident-wrong":
        g.variance.fill(this.fixedVariance as number);
        return;
      case "random-scaled": {
        const k = this.meanScale ?? 1;
        for (let i = 0; i < n * d; i++) g.mean[i] *= k;
        return;
      }
      case "drift": {
        // The first call applies o_0; each later call first advances o by one AR(1) step.
        const o = this.drift as Float64Array;
        if (this.driftStarted) {
          const innov = Math.sqrt(1 - DRIFT_PHI * DRIFT_PHI) * (c.eta / Math.sqrt(d));
          for (let r = 0; r < n; r++) {
            const rng = this.rngs[r];
            for (let i = r * d; i < (r + 1) * d; i++) o[i] = DRIFT_PHI * o[i] + innov * rng.normal();
          }
        }
        this.driftStarted = true;
        for (let i = 0; i < n * d; i++) g.mean[i] += o[i];
        return;
      }
      case "biased": {
        const u = this.bias as Float64Array;
        for (let i = 0; i < n * d; i++) g.mean[i] += c.eta * u[i];
        return;
      }
      case "noisy-overconfident":
      case "noisy-calibrated": {
        const eta2 = c.eta * c.eta;
        for (let r = 0; r < n; r++) {
          const rng = this.rngs[r];
          for (let i = r * d; i < (r + 1) * d; i++) {
            g.mean[i] += c.eta * rng.normal();
            if (c.kind === "noisy-calibrated") g.variance[i] += eta2;
          }
        }
        return;
      }
    }
  }
}

function unitVector(rng: Rng, out: Float64Array, o: number, d: number): void {
  let norm = 0;
  do {
    norm = 0;
    for (let i = 0; i < d; i++) {
      out[o + i] = rng.normal();
      norm += out[o + i] * out[o + i];
    }
  } while (norm === 0);
  norm = Math.sqrt(norm);
  for (let i = 0; i < d; i++) out[o + i] /= norm;
}

/**
 * The deployed prior's Gaussians at n input rows, each row treated as its own episode with seed
 * seeds[r] (one corruption draw per row): for the calibration states of the KL-budget selector (§4.2).
 */
export function priorGaussians(prior: SteeringPrior, inputs: Float64Array, seeds: ArrayLike<number>): DiagGaussians {
  let x = inputs;
  if (prior.goalSlice) {
    x = new Float64Array(inputs.length);
    _wrongGoalInputs(prior.goalSlice, inputs, prior.model.inDim, x);
  }
  const g = act(prior.model, x);
  const n = g.mean.length / g.dim;
  if (seeds.length !== n) throw new RangeError(`shape mismatch: ${n} rows vs ${seeds.length} seeds`);
  new PriorCorruption(prior, g.dim, seeds).apply(g);
  return g;
}
