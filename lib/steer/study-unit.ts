/**
 * The run of one unit of a study (spec/steering.md §8.7): take the unit's frozen actor and
 * goal-conditioned prior (trained, or reused from the process cache: study-models.ts), evaluate every
 * rule on the same episodes (common random numbers, §5/§8.6), select α* with the KL budget (§4), find
 * the hindsight oracle (§4), label each rule Help / Frozen / Hurt against the frozen actor (§5), check
 * the PoE ≡ KL-Reg identity on every evaluated state (§2.4), and hash the frozen actor before and after
 * (§7 C3).
 *
 * Choices where the spec is silent [OURS], each also listed in the report:
 * - The deployed prior's corruption on the calibration states is drawn per row from its own stream.
 * - The selector's label is the label of PoE(α*) (the frozen actor itself, a tie, when α* = 0); the
 *   oracle's label is the label of PoE(α_oracle), reported but never used for a claim (it is hindsight).
 * - Stored per-episode scores and means are rounded to 1e-4 points; labels, intervals and the oracle
 *   are computed from the unrounded scores.
 * - Sampled evaluation (issue 13 §2): besides the mean action (where PoE(α) and KL-Reg(α/(1−α))
 *   coincide, §2.4), Frozen, PoE(α) and KL-Reg(α/(1−α)) at every α of the grid are also evaluated with
 *   sampled actions (rollout.ts stochastic mode) on the same episodes: the same per-episode action
 *   streams, so PoE's and KL-Reg's draws use the same standard normals and differ only by the
 *   covariance scale 1+β. Only means, the paired PoE − KL-Reg interval and labels vs sampled Frozen are
 *   stored, with the entropy gap H(PoE) − H(KL-Reg) = (d/2)·ln(1+β) nats per state.
 * - ρ = σ0²/σp² (the prior's precision relative to the actor's; its effective PoE weight is
 *   βρ/(1+βρ), §2.2) is measured on the calibration states with the deployed (corrupted) prior:
 *   median and quartiles over (state, dimension) entries.
 * - The selector's primary budget is calibrated per unit from the frozen actor's spread on held-out
 *   states (select.ts `calibratedBudget`, issue 13 §5); α* at the fixed headline ε = 0.1·d is kept as
 *   `selector.fixed`, with its own oracle gap and label.
 *
 * Pure: no fs, no process.
 */
import {deriveSeed, Rng} from "../core/rng.js";
import type {DiagGaussians} from "./gauss.js";
import {identityGap} from "./gauss.js";
import {log1p} from "../core/detmath.js";
import type {Env} from "./envs.js";
import {REACH_VARIANTS} from "./envs.js";
import type {GaussianMLP} from "./mlp.js";
import {act, weightsHash} from "./mlp.js";
import type {SteeringPrior} from "./priors.js";
import {conditionLabel, makePrior, median, priorGaussians} from "./priors.js";
import type {EvaluationResult} from "./rollout.js";
import {Rollout} from "./rollout.js";
import {ALPHA_GRID, budgetGrid, calibratedBudget, divergenceCurve, headlineBudget, isNearOracle, isStrictlyNearOracle, klBudgetSelect, oracle, selectFromCurve} from "./select.js";
import type {Label} from "./stats.js";
import {classify, pairedInterval} from "./stats.js";
import {mean} from "../core/stats.js";
import type {ConfigSpec, StudyDataset, StudyEnv, StudyId, UnitSpec} from "./studies.js";
import {checkStudy, unitSeed} from "./studies.js";
import {modelsFor} from "./study-models.js";

export interface UnitResult {
  id: string;
  study: StudyId;
  env: StudyEnv;
  /** The D4RL environment the variant stands in for (§8.2), or "antmaze". */
  analog: string;
  dataset: StudyDataset;
  seed: number;
  /** Prior condition label, e.g. "noisy-overconfident(0.3)". */
  condition: string;
  /** Action dimension d. */
  dim: number;
  /** "normalized" (D4RL-style score, Reach) or "success" (100 × success, maze). */
  metric: "normalized" | "success";
  configs: {id: string; family: ConfigSpec["family"]; alpha: number | null; beta: number | null}[];
  /** Per-episode scores of every config, same episodes for every config (rounded to 1e-4). */
  scores: Record<string, number[]>;
  /** Mean score per config (rounded to 1e-4). */
  means: Record<string, number>;
  /** The KL-budget selector's α* (§4), 0 = the frozen actor. */
  alphaStar: number;
  /** The hindsight oracle's α over {0} ∪ grid (§4). */
  alphaOracle: number;
  selector: {
    alpha: number;
    /** ε in nats per state. */
    budget: number;
    /** D(α) on the calibration states, PoE (primary). */
    curve: number[];
    calStates: number;
    /** How ε was set: "calibrated" (per unit, from the actor's held-out spread) or "fixed" (0.1·d, or budgetFactor·d). */
    budgetRule: "calibrated" | "fixed";
    /** Mean σ0² of the frozen actor over the held-out states (context for the calibration). */
    heldOutVariance: number;
    /** Held-out states and consecutive pairs the calibrated budget was measured on. */
    heldOutStates: number;
    heldOutPairs: number;
    /** The fixed headline budget ε = 0.1·d and its α*, score, oracle gap and label (sensitivity, issue 13 §5). */
    fixed: {budget: number; alpha: number; score: number; gap: number; nearOracleStrict: boolean; label: Label};
    /** §4.6 sensitivity: α* with D measured on KL-Reg, and on the mean term only; α* per budget of the §4.7 grid. */
    sensitivity: {klreg: number; mean: number; byBudget: {budget: number; alpha: number}[]};
  };
  /** α* against the hindsight oracle: `nearOracle` is §4's lenient test (gap ≤ max(2 points, CI half-width)). */
  oracle: {alpha: number; score: number; selectedScore: number; gap: number; halfWidth: number; nearOracle: boolean};
  /** The strict test (issue 13 §5, select.ts `isStrictlyNearOracle`): the oracle gap is at most 1 point. */
  nearOracleStrict: boolean;
  /** Help/Frozen/Hurt per rule vs the frozen actor (paired, §5): every config but frozen, plus "selector" and "oracle". */
  labels: Record<string, Label>;
  /** The same with Welch's unpaired interval (§5 secondary report). */
  labelsWelch: Record<string, Label>;
  /** Paired Δ = mean(config − frozen) with its 95% interval, per labelled rule (rounded to 1e-4). */
  deltas: Record<string, {estimate: number; lo: number; hi: number}>;
  identity: {
    /** Largest |μ_PoE(α) − μ_KL(α/(1−α))| over the evaluated and calibration states, every α of the grid. */
    maxMeanAbsDiff: number;
    /** Largest |Σ_PoE/Σ_KL − (1+β)|, same states. */
    maxCovRatioErr: number;
    /** Number of (state, α) batches checked: rollout states of every PoE config plus the calibration states. */
    statesChecked: number;
    /** Largest |a_PoE(α) − a_KL(β)| over the executed action sequences (null when KL-Reg is not evaluated). */
    maxActionDiff: number | null;
    /** Largest |score_PoE − score_KL| over episodes and α (null when KL-Reg is not evaluated). */
    maxScoreDiff: number | null;
  };
  hashes: {actorTrained: string; actorBefore: string; actorAfter: string; prior: string; unchanged: boolean};
  /** ρ = σ0²/σp² of the deployed prior on the calibration states: median and quartiles over (state, dimension). */
  rho: {median: number; q25: number; q75: number};
  /** Sampled-action evaluation of Frozen, PoE(α) and KL-Reg(α/(1−α)) at every α of the grid (see the header). */
  sampled: SampledResult;
  /** Whether this unit trained its models or reused them from the process cache (scheduling info only). */
  trained: boolean;
}

/** Sampled-action evaluation (issue 13 §2), keys "frozen", "poe-α", "klreg-α". */
export interface SampledResult {
  /** Mean score per config with sampled actions (rounded to 1e-4). */
  means: Record<string, number>;
  /** Help/Frozen/Hurt of each sampled PoE / KL-Reg config vs the sampled frozen actor (paired, §5). */
  labels: Record<string, Label>;
  /** Per α: paired mean difference PoE(α) − KL-Reg(α/(1−α)), sampled, with its 95% interval. */
  poeMinusKlreg: Record<string, {estimate: number; lo: number; hi: number}>;
  /** Per α: H(PoE) − H(KL-Reg) = (d/2)·ln(1+β) nats per state. */
  entropyGap: Record<string, number>;
}

/** The configs evaluated with sampled actions: Frozen, PoE(α) and KL-Reg(α/(1−α)) over the grid. */
export function sampledConfigs(): ConfigSpec[] {
  const out: ConfigSpec[] = [{id: "frozen", family: "frozen", alpha: null, beta: null, rule: {rule: "frozen"}}];
  for (const a of ALPHA_GRID) out.push({id: `poe-${a}`, family: "poe", alpha: a, beta: null, rule: {rule: "poe", alpha: a}});
  for (const a of ALPHA_GRID) {
    const beta = a / (1 - a);
    out.push({id: `klreg-${a}`, family: "klreg", alpha: a, beta, rule: {rule: "klreg", beta}});
  }
  return out;
}

/** Entropy gap of §2.4 in nats per state: H(PoE(α)) − H(KL-Reg(α/(1−α))) = (d/2)·ln(1+β) = −(d/2)·ln(1−α). */
export function entropyGap(d: number, alpha: number): number {
  return 0.5 * d * log1p(alpha / (1 - alpha));
}

/** Stored scores and means are rounded to 1e-4 points (see the header). */
export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Running maxima of the §2.4 identity gaps. */
interface GapAcc {
  mean: number;
  ratio: number;
  batches: number;
  states: number;
}

function trackGap(acc: GapAcc, actor: DiagGaussians, prior: DiagGaussians, alpha: number): void {
  const g = identityGap(actor, prior, alpha);
  if (g.maxMeanGap > acc.mean) acc.mean = g.maxMeanGap;
  if (g.maxRatioGap > acc.ratio) acc.ratio = g.maxRatioGap;
  acc.batches++;
  acc.states += actor.mean.length / actor.dim;
}

/**
 * Roll out one config; for PoE configs also check the identity at that α on every step's states, using
 * the rollout's own actor Gaussians and (corrupted) prior Gaussians (Rollout `onStep`), which are the
 * values both rules are composed from.
 */
function rollConfig(env: Env, actor: GaussianMLP, prior: SteeringPrior, c: ConfigSpec, seed: number, episodes: number, record: boolean, acc: GapAcc): EvaluationResult {
  if (c.family !== "poe") return new Rollout({env, actor, prior, rule: c.rule, seed, episodes, record}).run();
  const alpha = c.alpha as number;
  const onStep = (gA: DiagGaussians, gP: DiagGaussians) => trackGap(acc, gA, gP, alpha);
  return new Rollout({env, actor, prior, rule: c.rule, seed, episodes, record, onStep}).run();
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Math.abs(a[i] - b[i]);
    if (!(x <= m)) m = x; // NaN propagates as a failure
  }
  return m;
}

/** Run one unit of a study (see the header). Deterministic: the same spec gives the same result. */
export function runUnit(u: UnitSpec): UnitResult {
  checkStudy(u.study);
  const {models, cached} = modelsFor(u);
  const {env, actor: actorT, prior: priorT} = models;
  const actor = actorT.model;
  const actorBefore = weightsHash(actor);
  const d = env.actDim;

  // The deployed prior for this condition (§3).
  const goal = env.kind === "reach" ? {offset: env.goalOffset, dim: env.dim} : {offset: env.obsDim, dim: env.goalDim};
  const prior = makePrior(priorT.model, u.condition, {rng: new Rng(unitSeed(u, "random-prior")), actor, actorInputs: models.calActorIn, priorInputs: models.calPriorIn, goal});

  // KL-budget selector on the calibration states (§4): no rewards, no interaction.
  const calN = models.calRows;
  const calSeeds = Array.from({length: calN}, (_, r) => deriveSeed(unitSeed(u, "calibration-noise"), r));
  const calActor = act(actor, models.calActorIn);
  const calPrior = priorGaussians(prior, models.calPriorIn, calSeeds);
  const fixedBudget = u.budgetFactor === 0.1 ? headlineBudget(d) : u.budgetFactor * d;
  const held = act(actor, models.heldActorIn);
  const heldVar = mean(held.variance);
  const calibrated = u.budgetRule !== "fixed";
  const budget = calibrated ? calibratedBudget(held, models.heldPairs) : fixedBudget;
  const sel = klBudgetSelect(calActor, calPrior, {budget});
  const fixedAlpha = selectFromCurve(ALPHA_GRID, sel.curve, fixedBudget).alpha;
  const klCurve = divergenceCurve(calActor, calPrior, ALPHA_GRID, "klreg");
  const meanCurve = divergenceCurve(calActor, calPrior, ALPHA_GRID, "mean");
  const byBudget = budgetGrid(d).map((b) => ({budget: b, alpha: selectFromCurve(ALPHA_GRID, sel.curve, b).alpha}));

  const ratios = calActor.variance.map((v, i) => v / calPrior.variance[i]);
  const sortedRatios = Float64Array.from(ratios).sort();
  const quantile = (q: number) => sortedRatios[Math.min(sortedRatios.length - 1, Math.floor(q * sortedRatios.length))];
  const rho = {median: round4(median(ratios)), q25: round4(quantile(0.25)), q75: round4(quantile(0.75))};

  const acc: GapAcc = {mean: 0, ratio: 0, batches: 0, states: 0};
  for (const a of ALPHA_GRID) trackGap(acc, calActor, calPrior, a);

  // Every config on the same episodes (common random numbers, §5).
  const evalSeed = unitSeed(u, "eval");
  const hasKl = u.configs.some((c) => c.family === "klreg");
  const results = new Map<string, EvaluationResult>();
  for (const c of u.configs) {
    const record = hasKl && (c.family === "poe" || c.family === "klreg");
    results.set(c.id, rollConfig(env, actor, prior, c, evalSeed, u.episodes, record, acc));
  }
  const scoresOf = (id: string) => (results.get(id) as EvaluationResult).scores;
  const meanOf = (id: string) => mean(scoresOf(id));
  if (!results.has("frozen")) throw new RangeError(`invalid unit ${u.id}: no frozen config`);

  // Behavioural identity (§7 C2): deterministic PoE(α) vs KL-Reg(α/(1−α)).
  let maxActionDiff: number | null = null;
  let maxScoreDiff: number | null = null;
  if (hasKl) {
    maxActionDiff = 0;
    maxScoreDiff = 0;
    for (const c of u.configs) {
      if (c.family !== "poe" || !results.has(`klreg-${c.alpha}`)) continue;
      const p = results.get(c.id) as EvaluationResult;
      const k = results.get(`klreg-${c.alpha}`) as EvaluationResult;
      maxActionDiff = Math.max(maxActionDiff, maxAbsDiff(p.actions as Float64Array, k.actions as Float64Array));
      maxScoreDiff = Math.max(maxScoreDiff, maxAbsDiff(p.scores, k.scores));
    }
  }

  // Oracle over {0} ∪ grid (§4), selected vs oracle.
  const candIds = ["frozen", ...ALPHA_GRID.map((a) => `poe-${a}`)];
  const orc = oracle([0, ...ALPHA_GRID], candIds.map(meanOf));
  const selId = sel.alpha === 0 ? "frozen" : `poe-${sel.alpha}`;
  const orcId = orc.alpha === 0 ? "frozen" : `poe-${orc.alpha}`;
  const gapInterval = pairedInterval(scoresOf(orcId), scoresOf(selId));
  const halfWidth = gapInterval.tCrit * gapInterval.se;
  const selectedScore = meanOf(selId);
  const fixedId = fixedAlpha === 0 ? "frozen" : `poe-${fixedAlpha}`;
  const fixedScore = meanOf(fixedId);

  // Help / Frozen / Hurt (§5).
  const frozen = scoresOf("frozen");
  const labels: Record<string, Label> = {};
  const labelsWelch: Record<string, Label> = {};
  const deltas: Record<string, {estimate: number; lo: number; hi: number}> = {};
  const labelled: [string, string][] = [...u.configs.filter((c) => c.family !== "frozen").map((c) => [c.id, c.id] as [string, string]), ["selector", selId], ["oracle", orcId]];
  for (const [name, id] of labelled) {
    const p = classify(scoresOf(id), frozen);
    labels[name] = p.label;
    labelsWelch[name] = classify(scoresOf(id), frozen, {method: "welch"}).label;
    deltas[name] = {estimate: round4(p.interval.estimate), lo: round4(p.interval.lo), hi: round4(p.interval.hi)};
  }

  // Sampled-action evaluation (issue 13 §2): same episodes and action streams as every other rule.
  const sampledScores = new Map<string, Float64Array>();
  for (const c of sampledConfigs()) {
    sampledScores.set(c.id, new Rollout({env, actor, prior, rule: c.rule, seed: evalSeed, episodes: u.episodes, mode: "stochastic"}).run().scores);
  }
  const sFrozen = sampledScores.get("frozen") as Float64Array;
  const sampled: SampledResult = {means: {}, labels: {}, poeMinusKlreg: {}, entropyGap: {}};
  for (const [id, sc] of sampledScores) {
    sampled.means[id] = round4(mean(sc));
    if (id !== "frozen") sampled.labels[id] = classify(sc, sFrozen).label;
  }
  for (const a of ALPHA_GRID) {
    const iv = pairedInterval(sampledScores.get(`poe-${a}`) as Float64Array, sampledScores.get(`klreg-${a}`) as Float64Array);
    sampled.poeMinusKlreg[String(a)] = {estimate: round4(iv.estimate), lo: round4(iv.lo), hi: round4(iv.hi)};
    sampled.entropyGap[String(a)] = round4(entropyGap(d, a));
  }

  const actorAfter = weightsHash(actor);
  const scores: Record<string, number[]> = {};
  const means: Record<string, number> = {};
  for (const c of u.configs) {
    scores[c.id] = Array.from(scoresOf(c.id), round4);
    means[c.id] = round4(meanOf(c.id));
  }
  return {
    id: u.id,
    study: u.study,
    env: u.env,
    analog: env.kind === "reach" ? REACH_VARIANTS[env.name].analog : "antmaze",
    dataset: u.dataset,
    seed: u.seed,
    condition: conditionLabel(u.condition),
    dim: d,
    metric: env.kind === "reach" ? "normalized" : "success",
    configs: u.configs.map(({id, family, alpha, beta}) => ({id, family, alpha, beta})),
    scores,
    means,
    alphaStar: sel.alpha,
    alphaOracle: orc.alpha,
    selector: {
      alpha: sel.alpha,
      budget,
      curve: Array.from(sel.curve),
      calStates: calN,
      budgetRule: calibrated ? "calibrated" : "fixed",
      heldOutVariance: heldVar,
      heldOutStates: held.mean.length / d,
      heldOutPairs: models.heldPairs.length,
      fixed: {
        budget: fixedBudget,
        alpha: fixedAlpha,
        score: round4(fixedScore),
        gap: round4(orc.score - fixedScore),
        nearOracleStrict: isStrictlyNearOracle(orc.score, fixedScore),
        label: classify(scoresOf(fixedId), frozen).label,
      },
      sensitivity: {klreg: selectFromCurve(ALPHA_GRID, klCurve, budget).alpha, mean: selectFromCurve(ALPHA_GRID, meanCurve, budget).alpha, byBudget},
    },
    oracle: {
      alpha: orc.alpha,
      score: round4(orc.score),
      selectedScore: round4(selectedScore),
      gap: round4(orc.score - selectedScore),
      halfWidth: round4(halfWidth),
      nearOracle: isNearOracle(orc.score, selectedScore, halfWidth),
    },
    nearOracleStrict: isStrictlyNearOracle(orc.score, selectedScore),
    labels,
    labelsWelch,
    deltas,
    identity: {maxMeanAbsDiff: acc.mean, maxCovRatioErr: acc.ratio, statesChecked: acc.states, maxActionDiff, maxScoreDiff},
    hashes: {actorTrained: actorT.hash, actorBefore, actorAfter, prior: weightsHash(priorT.model), unchanged: actorBefore === actorAfter && actorAfter === actorT.hash},
    rho,
    sampled,
    trained: !cached,
  };
}
