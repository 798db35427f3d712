/**
 * The interactive side of Part II (spec/steering.md §2–§3, §8.1 "the interactive demo responds in under a
 * second"): everything the two browser pages compute, as pure functions that run unchanged on the main
 * thread, in a Web Worker and in Node (tests, loaders).
 *
 * - `runLive`: N Reach2 episodes of one composition rule with a frozen actor and a (possibly degraded)
 *   prior, plus the frozen actor on the same episodes (common random numbers, §5), with trajectories,
 *   per-episode scores, the mean and its 95% t-interval, and the paired difference to Frozen; and the two
 *   views of §2.4 at the chosen α (`views`): PoE(α) and KL-Reg(α/(1−α)) with mean actions (equal) and
 *   with sampled actions (the covariance factor 1+β now matters), the sampled Frozen, and the entropy
 *   gap (d/2)·ln(1+β).
 * - `identityReport`: the §2.4 identity on a batch of states, diagonal (gauss.ts `identityGap`) and full
 *   covariance (`poeFull` / `klRegFull` on correlated versions of the same Gaussians).
 * - `sampleStates`, `expertsAt`: a seeded batch of Reach2 states and the two experts' Gaussians there.
 *
 * Rule names as the pages show them: frozen, prior, poe (α), klreg (β = α/(1−α), §2.4), additive (A,
 * linear blend, §2.5) and residual (B, §2.5). All randomness is seeded: episode i of `seed` uses the
 * streams of rollout.ts (`episodeSeed(seed, i)`), the random prior's network is initialised from
 * Rng(deriveSeed(seed, "live", "random-prior")) [OURS].
 */
import {deriveSeed, Rng} from "../core/rng.js";
import type {ComposeSpec, DiagGaussians, FullGaussian} from "./gauss.js";
import {alphaToBeta, checkAlpha, identityGap, klRegFull, poeFull} from "./gauss.js";
import {log1p} from "../core/detmath.js";
import type {ReachEnv} from "./envs.js";
import type {GaussianMLP, MLPJson} from "./mlp.js";
import {act, fromJSON, weightsHash} from "./mlp.js";
import type {PriorCondition, SteeringPrior} from "./priors.js";
import {checkCondition, makePrior, priorGaussians} from "./priors.js";
import {Rollout} from "./rollout.js";
import {meanInterval} from "./stats.js";

/** The rules offered on the live page (§2.1–§2.5). */
export type LiveRule = "frozen" | "prior" | "poe" | "klreg" | "additive" | "residual";
export const LIVE_RULES: readonly LiveRule[] = ["frozen", "prior", "poe", "klreg", "additive", "residual"];

/** Human labels of the rules, with the spec's provenance tags. */
export const RULE_LABELS: Readonly<Record<LiveRule, string>> = Object.freeze({
  frozen: "Frozen actor",
  prior: "Prior only",
  poe: "PoE(α)",
  klreg: "KL-Reg(β = α/(1−α))",
  additive: "Additive A (blend)",
  residual: "Additive B (residual)",
});

/** The two trained networks of a live page, as deserialised from the steer-models loader. */
export interface LiveModels {
  env: ReachEnv;
  actor: GaussianMLP;
  /** The clean goal-conditioned prior (§8.4). */
  prior: GaussianMLP;
}

export interface LiveOptions {
  rule: LiveRule;
  /** α ∈ [0, 1]: the PoE coefficient, KL-Reg's β = α/(1−α), the additive weight. Ignored by frozen and prior. */
  alpha: number;
  /** The prior condition (§3). */
  condition: PriorCondition;
  /** Episodes N (1–1000). */
  episodes: number;
  /** Evaluation seed (non-negative integer); the same seed gives every rule the same starts and goals. */
  seed: number;
}

export interface LiveResult {
  options: LiveOptions;
  /** The composition actually applied (with β for KL-Reg). */
  spec: ComposeSpec;
  episodes: number;
  horizon: number;
  /** Per-episode normalized score of the rule. */
  scores: Float64Array;
  /** Per-episode normalized score of the frozen actor on the same episodes. */
  frozenScores: Float64Array;
  /** Positions of the rule's episodes, N×(H+1)×d. */
  positions: Float64Array;
  /** Positions of the frozen actor's episodes (same starts and goals), N×(H+1)×d. */
  frozenPositions: Float64Array;
  /** Goals, N×d. */
  goals: Float64Array;
  mean: number;
  /** 95% Student-t interval of the mean score (df = N − 1; zero width for N = 1). */
  lo: number;
  hi: number;
  /** Paired mean difference rule − frozen and its 95% t-interval (§5). */
  delta: number;
  deltaLo: number;
  deltaHi: number;
  /** The two views of §2.4 at this α, deterministic and sampled (see the header). */
  views: LiveViews;
  /** weightsHash of the actor before and after the run (§7 C3: equal). */
  actorHashBefore: string;
  actorHashAfter: string;
}

/** PoE(α) vs KL-Reg(α/(1−α)) on the same episodes, with mean actions and with sampled actions. */
export interface LiveViews {
  alpha: number;
  beta: number;
  /** H(PoE) − H(KL-Reg) = (d/2)·ln(1+β) nats per state (∞ at α = 1). */
  entropyGap: number;
  /** Mean scores with mean actions (equal by §2.4). */
  deterministic: {poe: number; klreg: number};
  /** Mean scores with sampled actions (same action streams for every rule). */
  sampled: {frozen: number; poe: number; klreg: number};
  /** Sampled PoE − KL-Reg: paired mean difference and its 95% t-interval. */
  sampledGap: {mean: number; lo: number; hi: number};
}

/** Deserialise the loader's models (mlp.ts `fromJSON` checks each hash). */
export function liveModels(env: ReachEnv, actor: MLPJson | GaussianMLP, prior: MLPJson | GaussianMLP): LiveModels {
  const a = "format" in actor ? fromJSON(actor) : actor;
  const p = "format" in prior ? fromJSON(prior) : prior;
  if (a.inDim !== env.obsDim || a.outDim !== env.dim) throw new RangeError(`actor shape mismatch: ${a.inDim}→${a.outDim} for ${env.name}`);
  if (p.inDim !== env.obsDim || p.outDim !== env.dim) throw new RangeError(`prior shape mismatch: ${p.inDim}→${p.outDim} for ${env.name}`);
  return {env, actor: a, prior: p};
}

/** The composition for a rule name and α (§2). KL-Reg uses β = α/(1−α) (∞ at α = 1: the point mass at μp). */
export function ruleSpec(rule: LiveRule, alpha: number): ComposeSpec {
  checkAlpha(alpha);
  switch (rule) {
    case "frozen":
      return {rule: "frozen"};
    case "prior":
      return {rule: "prior"};
    case "poe":
      return {rule: "poe", alpha};
    case "klreg":
      return {rule: "klreg", beta: alphaToBeta(alpha)};
    case "additive":
      return {rule: "additive", alpha};
    case "residual":
      return {rule: "residual", alpha};
    default:
      throw new RangeError(`invalid rule: ${JSON.stringify(rule)} (accepted: ${LIVE_RULES.join(", ")})`);
  }
}

/** The deployed prior for a condition; random priors get a network seeded from `seed` (see the header). */
export function livePrior(models: LiveModels, condition: PriorCondition, seed: number): SteeringPrior {
  checkCondition(condition);
  const {env} = models;
  // random-scaled / random-confident / confident-wrong read the actor's statistics on 500 sampled states [OURS].
  const needsStats = condition.kind === "random-scaled" || condition.kind === "random-confident" || condition.kind === "confident-wrong";
  const states = needsStats ? sampleStates(env, 500, deriveSeed(seed, "live", "prior-stats")) : undefined;
  return makePrior(models.prior, condition, {
    rng: new Rng(deriveSeed(seed, "live", "random-prior")),
    actor: models.actor,
    actorInputs: states,
    goal: {offset: env.goalOffset, dim: env.dim},
  });
}

function checkOptions(o: LiveOptions): void {
  if (!(LIVE_RULES as readonly string[]).includes(o.rule)) throw new RangeError(`invalid rule: ${JSON.stringify(o.rule)} (accepted: ${LIVE_RULES.join(", ")})`);
  checkAlpha(o.alpha);
  checkCondition(o.condition);
  if (!Number.isInteger(o.episodes) || o.episodes < 1 || o.episodes > 1000) throw new RangeError(`invalid episodes: ${o.episodes} (expected an integer in 1–1000)`);
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new RangeError(`invalid seed: ${o.seed} (expected a non-negative integer)`);
}

/**
 * Run N Reach2 episodes of `options.rule` and of the frozen actor (same seed: same starts, goals and
 * prior noise), deterministic evaluation (§8.6). Synchronous; a Reach2 batch of 25 episodes takes a
 * few milliseconds.
 */
export function runLive(models: LiveModels, options: LiveOptions): LiveResult {
  checkOptions(options);
  const {env, actor} = models;
  const actorHashBefore = weightsHash(actor);
  const prior = livePrior(models, options.condition, options.seed);
  const spec = ruleSpec(options.rule, options.alpha);
  const n = options.episodes;
  const d = env.dim;
  const rollout = new Rollout({env, actor, prior, rule: spec, seed: options.seed, episodes: n, record: true});
  const goals = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) goals[i * d + c] = rollout.states[i * env.obsDim + env.goalOffset + c];
  const res = rollout.run();
  const frozen = spec.rule === "frozen" ? res : new Rollout({env, actor, prior, rule: {rule: "frozen"}, seed: options.seed, episodes: n, record: true}).run();
  const {mean, lo, hi} = meanInterval(res.scores);
  const diff = res.scores.map((s, i) => s - frozen.scores[i]);
  const dm = meanInterval(diff);
  // The two views at this α (§2.4): equal with mean actions, different in spread when sampled.
  const beta = alphaToBeta(options.alpha);
  const run = (rule: ComposeSpec, mode: "deterministic" | "stochastic") => new Rollout({env, actor, prior, rule, seed: options.seed, episodes: n, mode}).run().scores;
  const poeSpec: ComposeSpec = {rule: "poe", alpha: options.alpha};
  const klSpec: ComposeSpec = {rule: "klreg", beta};
  const sPoe = run(poeSpec, "stochastic");
  const sKl = run(klSpec, "stochastic");
  const gap = meanInterval(sPoe.map((x, i) => x - sKl[i]));
  const views: LiveViews = {
    alpha: options.alpha,
    beta,
    entropyGap: beta === Infinity ? Infinity : 0.5 * d * log1p(beta),
    deterministic: {poe: meanInterval(run(poeSpec, "deterministic")).mean, klreg: meanInterval(run(klSpec, "deterministic")).mean},
    sampled: {frozen: meanInterval(run({rule: "frozen"}, "stochastic")).mean, poe: meanInterval(sPoe).mean, klreg: meanInterval(sKl).mean},
    sampledGap: {mean: gap.mean, lo: gap.lo, hi: gap.hi},
  };
  return {
    options,
    spec,
    episodes: n,
    horizon: env.horizon,
    scores: res.scores,
    frozenScores: frozen.scores,
    positions: res.positions as Float64Array,
    frozenPositions: spec.rule === "frozen" ? Float64Array.from(res.positions as Float64Array) : (frozen.positions as Float64Array),
    goals,
    mean,
    lo,
    hi,
    delta: dm.mean,
    deltaLo: dm.lo,
    deltaHi: dm.hi,
    views,
    actorHashBefore,
    actorHashAfter: weightsHash(actor),
  };
}

// ---------------------------------------------------------------------------------------------------
// States and the identity (§2.4)
// ---------------------------------------------------------------------------------------------------

/**
 * n Reach states [x, v, g] from `seed` [OURS]: x and g uniform in [-1, 1)^d, v uniform in [-0.5, 0.5)^d
 * (the range of velocities the medium dataset visits most).
 */
export function sampleStates(env: ReachEnv, n: number, seed: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`invalid n: ${n} (expected a positive integer)`);
  const rng = new Rng(deriveSeed(seed, "live", "states"));
  const d = env.dim;
  const D = env.obsDim;
  const s = new Float64Array(n * D);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) s[r * D + i] = 2 * rng.next() - 1;
    for (let i = 0; i < d; i++) s[r * D + d + i] = rng.next() - 0.5;
    for (let i = 0; i < d; i++) s[r * D + 2 * d + i] = 2 * rng.next() - 1;
  }
  return s;
}

/**
 * The frozen actor's and the deployed prior's Gaussians at the given states (one row per state). Each
 * state is its own "episode" for the prior's corruption, with seed deriveSeed(seed, "live", "prior", r).
 */
export function expertsAt(models: LiveModels, condition: PriorCondition, states: Float64Array, seed: number): {actor: DiagGaussians; prior: DiagGaussians} {
  const n = states.length / models.env.obsDim;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`invalid states shape: ${states.length} entries for obsDim ${models.env.obsDim}`);
  const prior = livePrior(models, condition, seed);
  const seeds = Array.from({length: n}, (_, r) => deriveSeed(seed, "live", "prior", r));
  return {actor: act(models.actor, states), prior: priorGaussians(prior, states, seeds)};
}

/** A full-covariance Gaussian with the diagonal's variances and correlation ρ between dimensions 0 and 1 (others uncorrelated). */
export function correlated(mean: ArrayLike<number>, variance: ArrayLike<number>, rho: number): FullGaussian {
  if (!(rho > -1 && rho < 1)) throw new RangeError(`invalid rho: ${rho} (expected −1 < ρ < 1)`);
  const d = mean.length;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) cov[i * d + i] = variance[i];
  if (d >= 2) cov[1] = cov[d] = rho * Math.sqrt(variance[0] * variance[1]);
  return {dim: d, mean: Float64Array.from(mean), cov};
}

export interface IdentityReport {
  alpha: number;
  beta: number;
  states: number;
  /** Diagonal (gauss.ts identityGap): max |μ_PoE − μ_KL| and max |σ²_PoE/σ²_KL − (1+β)|. */
  meanGap: number;
  ratioGap: number;
  /** Full covariance (each state's Gaussians correlated with a seeded ρ ∈ (−0.9, 0.9) per expert): max |μ_PoE − μ_KL| and max |Σ_PoE,ij/Σ_KL,ij − (1+β)| over entries with |Σ_KL,ij| > 1e-12·max. */
  fullMeanGap: number;
  fullRatioGap: number;
}

/**
 * The §2.4 identity on a batch: diagonal gaps from `identityGap` (both sides by their own formulas), and
 * full-covariance gaps from `poeFull` and `klRegFull` on correlated versions of the same Gaussians.
 * α must be in [0, 1) (the covariance ratio is undefined at β = ∞).
 */
export function identityReport(actor: DiagGaussians, prior: DiagGaussians, alpha: number, seed = 0): IdentityReport {
  const g = identityGap(actor, prior, alpha);
  const d = actor.dim;
  const n = actor.mean.length / d;
  const rng = new Rng(deriveSeed(seed, "live", "rho"));
  let fullMeanGap = 0;
  let fullRatioGap = 0;
  for (let r = 0; r < n; r++) {
    const sl = (a: Float64Array) => a.subarray(r * d, (r + 1) * d);
    const a = correlated(sl(actor.mean), sl(actor.variance), 1.8 * rng.next() - 0.9);
    const p = correlated(sl(prior.mean), sl(prior.variance), 1.8 * rng.next() - 0.9);
    const P = poeFull(a, p, alpha);
    const K = klRegFull(a, p, g.beta);
    for (let i = 0; i < d; i++) fullMeanGap = Math.max(fullMeanGap, Math.abs(P.mean[i] - K.mean[i]));
    let scale = 0;
    for (let i = 0; i < d * d; i++) scale = Math.max(scale, Math.abs(K.cov[i]));
    for (let i = 0; i < d * d; i++) {
      if (Math.abs(K.cov[i]) <= 1e-12 * scale) continue;
      fullRatioGap = Math.max(fullRatioGap, Math.abs(P.cov[i] / K.cov[i] - (1 + g.beta)));
    }
  }
  return {alpha, beta: g.beta, states: n, meanGap: g.maxMeanGap, ratioGap: g.maxRatioGap, fullMeanGap, fullRatioGap};
}
