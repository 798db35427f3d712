/**
 * The study matrix of the steering analog (spec/steering.md §8.7) and the run of one unit: train (or
 * reuse) the frozen actor and the goal-conditioned prior, evaluate every rule on the same episodes
 * (common random numbers, §5/§8.6), select α* with the KL budget (§4), find the hindsight oracle (§4),
 * label each rule Help / Frozen / Hurt against the frozen actor (§5), check the PoE ≡ KL-Reg identity
 * on every evaluated state (§2.4), and hash the frozen actor before and after (§7 C3).
 *
 * Pure: no fs, no process. The Node side (runtime/steer.ts) spreads `planStudy` units over
 * worker threads, grouped by `modelKey` so that units sharing a trained actor and prior land in the
 * same worker, where `runUnit` reuses them from a small in-process cache.
 *
 * | study | cells                                             | units          | configs | eps |
 * |-------|---------------------------------------------------|----------------|---------|-----|
 * | A     | Reach3/6/6c/8 × medium                            | × 3 seeds = 12 | 13      | 25  |
 * | B     | Reach3/6/6c × {medium-replay, medium-expert}      | × 3 = 18       | 13      | 25  |
 * | R     | Reach3/6/6c/8 × medium × {clean, noisy-oc(.3),    | × 3 = 60       | 12      | 25  |
 * |       |   noisy-oc(1), noisy-cal(1), random}              |                |         |     |
 * | M     | maze-large × {maze-play, maze-diverse}            | × 3 = 6        | 13      | 25  |
 *
 * 13 configs (§6.3): Frozen, Prior-only, Additive(0.5), PoE × 5 α, KL-Reg × 5 (β = α/(1−α)).
 * R's 12 (§8.7): Frozen, Prior-only, Additive × 5 α, PoE × 5 α.
 *
 * Choices where the spec is silent [OURS], each also listed in the report:
 * - Seeds: every stream is Rng(deriveSeed(baseSeed, env, dataset, replicate, stream)); the study is
 *   *not* part of the hash, so study R's clean condition reuses study A's datasets, actors, priors and
 *   evaluation episodes (same numbers), and R's conditions are compared on the same episodes.
 * - Study R's episode total is 4 × 5 × 3 × 12 × 25 = 18,000; the §8.7 table's 19,800 does not factor
 *   into its own listed rows and configs, so we keep the listed configs.
 * - Study M uses the maze-large layout (envs.ts MAZE_DIAGNOSTIC: on maze-medium a goal-blind BC actor
 *   still reaches the goal in some units, which would make C10 vacuous).
 * - Calibration states (§4.2): N_cal dataset rows drawn without replacement (all rows if fewer), each
 *   with its own episode's goal (Reach: the goal field of the observation; maze: the evaluation goal,
 *   the only deployment goal); prior corruption drawn per row from its own stream.
 * - The selector's label is the label of PoE(α*) (the frozen actor itself, a tie, when α* = 0); the
 *   oracle's label is the label of PoE(α_oracle), reported but never used for a claim (it is hindsight).
 * - Stored per-episode scores and means are rounded to 1e-4 points; labels, intervals and the oracle
 *   are computed from the unrounded scores.
 */
import {PROFILE_SCOPES, PROFILES, type Profile, type StudyScale} from "../core/profile.js";
import {deriveSeed, Rng} from "../core/rng.js";
import type {ComposeSpec, DiagGaussians} from "./gauss.js";
import {alphaToBeta, identityGap} from "./gauss.js";
import type {MazeDatasetName, OfflineDataset, ReachDatasetName} from "./datasets.js";
import {makeMazeDataset, makeReachDataset} from "./datasets.js";
import type {Env, MazeName, ReachName} from "./envs.js";
import {MAZE_DIAGNOSTIC, makeMaze, makeReach, REACH_VARIANTS} from "./envs.js";
import type {GaussianMLP} from "./mlp.js";
import {act, weightsHash} from "./mlp.js";
import type {PriorCondition, SteeringPrior} from "./priors.js";
import {conditionLabel, makePrior, priorGaussians} from "./priors.js";
import type {EvaluationResult} from "./rollout.js";
import {Rollout} from "./rollout.js";
import {ALPHA_GRID, budgetGrid, divergenceCurve, headlineBudget, isNearOracle, klBudgetSelect, oracle, selectFromCurve} from "./select.js";
import type {Label} from "./stats.js";
import {classify, pairedInterval} from "./stats.js";
import type {Trained} from "./train.js";
import {_priorInputs, priorInDim, trainActor, trainPrior} from "./train.js";

// ---------------------------------------------------------------------------------------------------
// The matrix as data (§8.7)
// ---------------------------------------------------------------------------------------------------

export type StudyId = "A" | "B" | "R" | "M";
export const STUDY_IDS: readonly StudyId[] = ["A", "B", "R", "M"];
export type StudyProfile = Profile;
export const STUDY_PROFILES: readonly StudyProfile[] = PROFILES;
export const STUDY_FORMAT = "steer-study/1";

/** One evaluated configuration: a composition rule with its id in the output ("poe-0.5", …). */
export interface ConfigSpec {
  /** "frozen", "prior", "additive-α", "poe-α", "klreg-α" (KL-Reg keyed by the α it matches, β = α/(1−α)). */
  id: string;
  family: "frozen" | "prior" | "additive" | "poe" | "klreg";
  /** α (PoE, additive, and the α that KL-Reg's β matches); null for frozen / prior. */
  alpha: number | null;
  /** β = α/(1−α) for KL-Reg, else null. */
  beta: number | null;
  rule: ComposeSpec;
}

/** The size of a run: one object per profile (lib/core/profile.ts says what each profile computes). */
export type ProfileScale = StudyScale;

export const PROFILE_SCALES: Readonly<Record<StudyProfile, Readonly<ProfileScale>>> = Object.freeze({paper: PROFILE_SCOPES.paper.steer, quick: PROFILE_SCOPES.quick.steer});

function config(family: ConfigSpec["family"], alpha: number | null = null): ConfigSpec {
  switch (family) {
    case "frozen":
      return {id: "frozen", family, alpha: null, beta: null, rule: {rule: "frozen"}};
    case "prior":
      return {id: "prior", family, alpha: null, beta: null, rule: {rule: "prior"}};
    case "additive":
      return {id: `additive-${alpha}`, family, alpha, beta: null, rule: {rule: "additive", alpha: alpha as number}};
    case "poe":
      return {id: `poe-${alpha}`, family, alpha, beta: null, rule: {rule: "poe", alpha: alpha as number}};
    case "klreg": {
      const beta = alphaToBeta(alpha as number);
      return {id: `klreg-${alpha}`, family, alpha, beta, rule: {rule: "klreg", beta}};
    }
  }
}

/** The 13 configs of §6.3: Frozen, Prior-only, Additive(0.5), PoE × 5, KL-Reg × 5. */
export const CONFIGS_13: readonly ConfigSpec[] = Object.freeze([
  config("frozen"), config("prior"), config("additive", 0.5),
  ...ALPHA_GRID.map((a) => config("poe", a)), ...ALPHA_GRID.map((a) => config("klreg", a)),
]);

/** Study R's 12 configs (§8.7): Frozen, Prior-only, Additive × 5, PoE × 5. */
export const CONFIGS_R: readonly ConfigSpec[] = Object.freeze([
  config("frozen"), config("prior"), ...ALPHA_GRID.map((a) => config("additive", a)), ...ALPHA_GRID.map((a) => config("poe", a)),
]);

export type StudyEnv = ReachName | MazeName;
export type StudyDataset = ReachDatasetName | MazeDatasetName;

export interface StudyDef {
  id: StudyId;
  title: string;
  envs: readonly StudyEnv[];
  datasets: readonly StudyDataset[];
  conditions: readonly PriorCondition[];
  configs: readonly ConfigSpec[];
  /** Config ids whose Help/Frozen/Hurt split is the study's headline (§5 "Headline configs"). */
  headline: readonly string[];
  /** Episodes in the paper (§6.1), or null where the paper gives none. */
  paperEpisodes: number | null;
  /** What the paper reports for this study, in its words (§6.1). */
  paper: string;
}

export const STUDIES: Readonly<Record<StudyId, StudyDef>> = Object.freeze({
  A: {
    id: "A", title: "Four \"environments\", medium data", envs: ["Reach3", "Reach6", "Reach6c", "Reach8"], datasets: ["medium"],
    conditions: [{kind: "clean"}], configs: CONFIGS_13, headline: ["poe-0.5", "selector"], paperEpisodes: 3900,
    paper: "four D4RL MuJoCo environments, 3,900 episodes, Help/Frozen/Hurt = 4/5/3 over 12 units",
  },
  B: {
    id: "B", title: "Harder cells, full α sweep", envs: ["Reach3", "Reach6", "Reach6c"], datasets: ["medium-replay", "medium-expert"],
    conditions: [{kind: "clean"}], configs: CONFIGS_13, headline: ALPHA_GRID.map((a) => `poe-${a}`), paperEpisodes: 5850,
    paper: "six harder cells, 5,850 episodes; medium-expert Hurt in all 9 cells at every α; medium-replay strongly α-responsive",
  },
  R: {
    id: "R", title: "Robustness to degraded and random priors", envs: ["Reach3", "Reach6", "Reach6c", "Reach8"], datasets: ["medium"],
    conditions: [{kind: "clean"}, {kind: "noisy-overconfident", eta: 0.3}, {kind: "noisy-overconfident", eta: 1}, {kind: "noisy-calibrated", eta: 1}, {kind: "random"}],
    configs: CONFIGS_R, headline: ["poe-0.5", "selector", "additive-0.5", "prior"], paperEpisodes: null,
    paper: "under degraded and random priors PoE/KL-Reg stay anchored to the frozen actor while additive and prior-only collapse",
  },
  M: {
    id: "M", title: "Maze diagnostics (AntMaze analog)", envs: [MAZE_DIAGNOSTIC], datasets: ["maze-play", "maze-diverse"],
    conditions: [{kind: "clean"}], configs: CONFIGS_13, headline: ["poe-0.5", "selector"], paperEpisodes: null,
    paper: "two AntMaze diagnostics: the BC frozen actor solves zero episodes and every composition rule inherits zero",
  },
});

/** The paper's Help/Frozen/Hurt split of the 12 study-A units (§5, §6.1; "illustrative"). */
export const PAPER_SPLIT_A = Object.freeze({help: 4, frozen: 5, hurt: 3});

// ---------------------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------------------

/** Everything `runUnit` needs: plain JSON, so it can be posted to a worker thread. */
export interface UnitSpec {
  study: StudyId;
  /** "A/Reach3/medium/s0/clean". */
  id: string;
  env: StudyEnv;
  dataset: StudyDataset;
  /** Replicate index 0, 1, 2 (a new dataset, actor and prior each). */
  seed: number;
  /** Base seed of every derived stream (CLI --seed, default 0). */
  baseSeed: number;
  condition: PriorCondition;
  configs: readonly ConfigSpec[];
  episodes: number;
  trainSteps: number;
  hidden: readonly number[];
  datasetEpisodes: number;
  mazeTransitions: number;
  calStates: number;
  /** Selector budget ε = budgetFactor · d nats per state (§4.7 headline: 0.1). */
  budgetFactor: number;
}

export interface PlanOptions {
  /** Base seed (default 0). */
  baseSeed?: number;
  /** Override parts of the profile's scale (tests use tiny runs). */
  scale?: Partial<ProfileScale>;
}

export function checkStudy(study: string): asserts study is StudyId {
  if (!(STUDY_IDS as readonly string[]).includes(study)) throw new RangeError(`invalid study: ${JSON.stringify(study)} (accepted: ${STUDY_IDS.join(", ")})`);
}

export function checkProfile(profile: string): asserts profile is StudyProfile {
  if (!(STUDY_PROFILES as readonly string[]).includes(profile)) throw new RangeError(`invalid profile: ${JSON.stringify(profile)} (accepted: ${STUDY_PROFILES.join(", ")})`);
}

/** The profile's scale with overrides applied and validated. */
export function scaleOf(profile: StudyProfile, overrides: Partial<ProfileScale> = {}): ProfileScale {
  checkProfile(profile);
  const s = {...PROFILE_SCALES[profile], ...overrides};
  for (const k of ["seeds", "episodes", "trainSteps", "datasetEpisodes", "mazeTransitions", "calStates"] as const) {
    if (!Number.isInteger(s[k]) || s[k] < 1) throw new RangeError(`invalid ${k}: ${s[k]} (expected a positive integer)`);
  }
  if (s.episodes < 2) throw new RangeError(`invalid episodes: ${s.episodes} (the paired interval needs at least 2)`);
  return s;
}

/** The parameters a study ran with: written next to its results so the file describes itself. */
export function studyParams(study: StudyId, profile: StudyProfile, options: PlanOptions = {}) {
  checkStudy(study);
  const s = scaleOf(profile, options.scale);
  const def = STUDIES[study];
  return {
    study, profile, baseSeed: options.baseSeed ?? 0, ...s, hidden: s.hidden.slice(),
    envs: def.envs.slice(), datasets: def.datasets.slice(), conditions: def.conditions.map(conditionLabel),
    configs: def.configs.map((c) => c.id), alphaGrid: ALPHA_GRID.slice(), budget: "0.1·d nats per state (§4.7 headline)",
    labelRule: "paired 95% t-interval over common-random-number episodes, |Δ| ≥ 1 point (§5); Welch variant reported",
  };
}

/** The independent units of a study (§8.7), in a fixed order: env, dataset, seed, condition. */
export function planStudy(study: StudyId, profile: StudyProfile, options: PlanOptions = {}): UnitSpec[] {
  checkStudy(study);
  const s = scaleOf(profile, options.scale);
  const baseSeed = options.baseSeed ?? 0;
  if (!Number.isInteger(baseSeed) || baseSeed < 0) throw new RangeError(`invalid seed: ${baseSeed} (expected a non-negative integer)`);
  const def = STUDIES[study];
  const units: UnitSpec[] = [];
  for (const env of def.envs) {
    for (const dataset of def.datasets) {
      for (let seed = 0; seed < s.seeds; seed++) {
        for (const condition of def.conditions) {
          units.push({
            study, id: `${study}/${env}/${dataset}/s${seed}/${conditionLabel(condition)}`, env, dataset, seed, baseSeed, condition,
            configs: def.configs, episodes: s.episodes, trainSteps: s.trainSteps, hidden: s.hidden.slice(), datasetEpisodes: s.datasetEpisodes,
            mazeTransitions: s.mazeTransitions, calStates: s.calStates, budgetFactor: 0.1,
          });
        }
      }
    }
  }
  return units;
}

/** Units with equal keys share a dataset, a frozen actor and a clean prior (and evaluation episodes). */
export function modelKey(u: UnitSpec): string {
  const maze = u.env.startsWith("maze");
  return JSON.stringify([u.env, u.dataset, u.seed, u.baseSeed, u.trainSteps, u.hidden, maze ? u.mazeTransitions : u.datasetEpisodes, u.calStates]);
}

/** Total evaluation episodes of a plan (configs × episodes per unit). */
export function planEpisodes(units: readonly UnitSpec[]): number {
  return units.reduce((s, u) => s + u.configs.length * u.episodes, 0);
}

/** A rough relative cost of a unit (environment steps × 2 forward passes), for scheduling. */
export function unitCost(u: UnitSpec): number {
  const H = u.env.startsWith("maze") ? 500 : 60;
  return u.configs.length * u.episodes * H;
}

// ---------------------------------------------------------------------------------------------------
// Models (trained once per process per modelKey)
// ---------------------------------------------------------------------------------------------------

interface Models {
  env: Env;
  dataset: OfflineDataset;
  actor: Trained;
  prior: Trained;
  /** Calibration inputs (§4.2): actor inputs n×obsDim and prior inputs n×priorInDim. */
  calActorIn: Float64Array;
  calPriorIn: Float64Array;
  calRows: number;
}

const MODEL_CACHE_SIZE = 4;
const modelCache = new Map<string, Models>();

/** Drop every cached model (tests; also frees memory between unrelated runs). */
export function clearModelCache(): void {
  modelCache.clear();
}

function stream(u: UnitSpec, name: string): number {
  return deriveSeed(u.baseSeed, u.env, u.dataset, u.seed, name);
}

function makeEnv(name: StudyEnv): Env {
  return name.startsWith("maze") ? makeMaze(name as MazeName) : makeReach(name as ReachName);
}

function modelsFor(u: UnitSpec): {models: Models; cached: boolean} {
  const key = modelKey(u);
  const hit = modelCache.get(key);
  if (hit) return {models: hit, cached: true};
  const env = makeEnv(u.env);
  const dsSeed = stream(u, "dataset");
  const dataset = env.kind === "reach"
    ? makeReachDataset(env, u.dataset as ReachDatasetName, dsSeed, {episodes: u.datasetEpisodes})
    : makeMazeDataset(env, u.dataset as MazeDatasetName, dsSeed, {transitions: u.mazeTransitions});
  const actor = trainActor(env, dataset, new Rng(stream(u, "actor")), {steps: u.trainSteps, hidden: u.hidden});
  const prior = trainPrior(env, dataset, new Rng(stream(u, "prior")), {steps: u.trainSteps, hidden: u.hidden});
  // Calibration rows: a partial Fisher–Yates draw without replacement.
  const n = Math.min(u.calStates, dataset.size);
  const idx = new Int32Array(dataset.size);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  const rng = new Rng(stream(u, "calibration"));
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(idx.length - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  const D = env.obsDim;
  const calActorIn = new Float64Array(n * D);
  for (let r = 0; r < n; r++) calActorIn.set(dataset.observations.subarray(idx[r] * D, (idx[r] + 1) * D), r * D);
  const calPriorIn = new Float64Array(n * priorInDim(env));
  if (env.kind === "reach") calPriorIn.set(calActorIn); // the observation carries the episode's goal
  else _priorInputs(env, calActorIn, env.goal, n, calPriorIn);
  const models: Models = {env, dataset, actor, prior, calActorIn, calPriorIn, calRows: n};
  modelCache.set(key, models);
  while (modelCache.size > MODEL_CACHE_SIZE) modelCache.delete(modelCache.keys().next().value as string);
  return {models, cached: false};
}

// ---------------------------------------------------------------------------------------------------
// One unit
// ---------------------------------------------------------------------------------------------------

/** Help / Frozen / Hurt counts. */
export interface Split {
  help: number;
  frozen: number;
  hurt: number;
}

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
    /** §4.6 sensitivity: α* with D measured on KL-Reg, and on the mean term only; α* per budget of the §4.7 grid. */
    sensitivity: {klreg: number; mean: number; byBudget: {budget: number; alpha: number}[]};
  };
  oracle: {alpha: number; score: number; selectedScore: number; gap: number; halfWidth: number; nearOracle: boolean};
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
  /** Whether this unit trained its models or reused them from the process cache (scheduling info only). */
  trained: boolean;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

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
  const prior = makePrior(priorT.model, u.condition, {rng: new Rng(stream(u, "random-prior")), actor, actorInputs: models.calActorIn});

  // KL-budget selector on the calibration states (§4): no rewards, no interaction.
  const calN = models.calRows;
  const calSeeds = Array.from({length: calN}, (_, r) => deriveSeed(stream(u, "calibration-noise"), r));
  const calActor = act(actor, models.calActorIn);
  const calPrior = priorGaussians(prior, models.calPriorIn, calSeeds);
  const budget = u.budgetFactor === 0.1 ? headlineBudget(d) : u.budgetFactor * d;
  const sel = klBudgetSelect(calActor, calPrior, {budget});
  const klCurve = divergenceCurve(calActor, calPrior, ALPHA_GRID, "klreg");
  const meanCurve = divergenceCurve(calActor, calPrior, ALPHA_GRID, "mean");
  const byBudget = budgetGrid(d).map((b) => ({budget: b, alpha: selectFromCurve(ALPHA_GRID, sel.curve, b).alpha}));

  const acc: GapAcc = {mean: 0, ratio: 0, batches: 0, states: 0};
  for (const a of ALPHA_GRID) trackGap(acc, calActor, calPrior, a);

  // Every config on the same episodes (common random numbers, §5).
  const evalSeed = stream(u, "eval");
  const hasKl = u.configs.some((c) => c.family === "klreg");
  const results = new Map<string, EvaluationResult>();
  for (const c of u.configs) {
    const record = hasKl && (c.family === "poe" || c.family === "klreg");
    results.set(c.id, rollConfig(env, actor, prior, c, evalSeed, u.episodes, record, acc));
  }
  const scoresOf = (id: string) => (results.get(id) as EvaluationResult).scores;
  const meanOf = (id: string) => {
    const s = scoresOf(id);
    let t = 0;
    for (let i = 0; i < s.length; i++) t += s[i];
    return t / s.length;
  };
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

  const actorAfter = weightsHash(actor);
  const scores: Record<string, number[]> = {};
  const means: Record<string, number> = {};
  for (const c of u.configs) {
    scores[c.id] = Array.from(scoresOf(c.id), round4);
    means[c.id] = round4(meanOf(c.id));
  }
  return {
    id: u.id, study: u.study, env: u.env, analog: env.kind === "reach" ? REACH_VARIANTS[env.name].analog : "antmaze",
    dataset: u.dataset, seed: u.seed, condition: conditionLabel(u.condition), dim: d, metric: env.kind === "reach" ? "normalized" : "success",
    configs: u.configs.map(({id, family, alpha, beta}) => ({id, family, alpha, beta})),
    scores, means, alphaStar: sel.alpha, alphaOracle: orc.alpha,
    selector: {
      alpha: sel.alpha, budget, curve: Array.from(sel.curve), calStates: calN,
      sensitivity: {klreg: selectFromCurve(ALPHA_GRID, klCurve, budget).alpha, mean: selectFromCurve(ALPHA_GRID, meanCurve, budget).alpha, byBudget},
    },
    oracle: {
      alpha: orc.alpha, score: round4(orc.score), selectedScore: round4(selectedScore), gap: round4(orc.score - selectedScore), halfWidth: round4(halfWidth),
      nearOracle: isNearOracle(orc.score, selectedScore, halfWidth),
    },
    labels, labelsWelch, deltas,
    identity: {maxMeanAbsDiff: acc.mean, maxCovRatioErr: acc.ratio, statesChecked: acc.states, maxActionDiff, maxScoreDiff},
    hashes: {actorTrained: actorT.hash, actorBefore, actorAfter, prior: weightsHash(priorT.model), unchanged: actorBefore === actorAfter && actorAfter === actorT.hash},
    trained: !cached,
  };
}

// ---------------------------------------------------------------------------------------------------
// Summaries and the study object
// ---------------------------------------------------------------------------------------------------

function emptySplit(): Split {
  return {help: 0, frozen: 0, hurt: 0};
}

function countLabels(units: readonly UnitResult[], key: "labels" | "labelsWelch"): Record<string, Split> {
  const out: Record<string, Split> = {};
  for (const u of units) {
    for (const [rule, label] of Object.entries(u[key])) (out[rule] ??= emptySplit())[label]++;
  }
  return out;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}

function meanScores(units: readonly UnitResult[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const u of units) for (const [k, v] of Object.entries(u.means)) sums[k] = (sums[k] ?? 0) + v;
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, round4(v / units.length)]));
}

export interface GroupSummary {
  units: number;
  counts: Record<string, Split>;
  meanScores: Record<string, number>;
  nearOracle: number;
  alphaStar: Record<string, number>;
}

function groupSummary(units: readonly UnitResult[]): GroupSummary {
  const alphaStar: Record<string, number> = {};
  for (const u of units) alphaStar[String(u.alphaStar)] = (alphaStar[String(u.alphaStar)] ?? 0) + 1;
  return {units: units.length, counts: countLabels(units, "labels"), meanScores: meanScores(units), nearOracle: units.filter((u) => u.oracle.nearOracle).length, alphaStar};
}

export interface StudySummary extends GroupSummary {
  /** Welch-variant counts per rule. */
  countsWelch: Record<string, Split>;
  byEnv: Record<string, GroupSummary>;
  byDataset: Record<string, GroupSummary>;
  byCondition: Record<string, GroupSummary>;
  /** The study's headline split(s) (§5) beside the paper's where it has one. */
  headline: {rule: string; split: Split}[];
  paperSplit: Split | null;
}

/** Help/Frozen/Hurt counts per rule, overall and per environment, dataset and prior condition. */
export function summarizeStudy(units: readonly UnitResult[]): StudySummary {
  const by = (k: (u: UnitResult) => string) => Object.fromEntries([...groupBy(units, k)].map(([g, us]) => [g, groupSummary(us)]));
  const study = units[0]?.study;
  const base = groupSummary(units);
  const headline = study ? STUDIES[study].headline.map((rule) => ({rule, split: base.counts[rule] ?? emptySplit()})) : [];
  return {
    ...base, countsWelch: countLabels(units, "labelsWelch"),
    byEnv: by((u) => u.env), byDataset: by((u) => u.dataset), byCondition: by((u) => u.condition),
    headline, paperSplit: study === "A" ? {...PAPER_SPLIT_A} : null,
  };
}

export interface StudyOutput {
  format: typeof STUDY_FORMAT;
  study: StudyId;
  title: string;
  profile: StudyProfile;
  params: ReturnType<typeof studyParams>;
  /** Evaluation episodes actually run, and the paper's count where it gives one. */
  episodes: number;
  paperEpisodes: number | null;
  paper: string;
  units: UnitResult[];
  /** Largest identity gaps over every evaluated state of every unit (§2.4). */
  identity: {maxMeanAbsDiff: number; maxCovRatioErr: number};
  /** True when every unit's frozen actor hashed identically before and after (§7 C3). */
  frozenUnchanged: boolean;
  summary: StudySummary;
  note: string;
}

export const ANALOG_NOTE = "Analog, not a replication: ReachN / PointMaze stand in for D4RL MuJoCo / AntMaze (spec/steering.md §8.9); absolute scores and the exact splits do not carry over.";

/** Assemble a study's output from its unit results (any order; sorted back into plan order by id). */
export function assembleStudy(study: StudyId, profile: StudyProfile, units: readonly UnitResult[], options: PlanOptions = {}): StudyOutput {
  checkStudy(study);
  const order = new Map(planStudy(study, profile, options).map((u, i) => [u.id, i]));
  const sorted = units.slice().sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity));
  let maxMeanAbsDiff = 0;
  let maxCovRatioErr = 0;
  for (const u of sorted) {
    maxMeanAbsDiff = Math.max(maxMeanAbsDiff, u.identity.maxMeanAbsDiff);
    maxCovRatioErr = Math.max(maxCovRatioErr, u.identity.maxCovRatioErr);
  }
  const def = STUDIES[study];
  return {
    format: STUDY_FORMAT, study, title: def.title, profile, params: studyParams(study, profile, options),
    episodes: sorted.reduce((s, u) => s + u.configs.length * (u.scores.frozen?.length ?? 0), 0), paperEpisodes: def.paperEpisodes, paper: def.paper,
    units: sorted, identity: {maxMeanAbsDiff, maxCovRatioErr}, frozenUnchanged: sorted.every((u) => u.hashes.unchanged),
    summary: summarizeStudy(sorted), note: ANALOG_NOTE,
  };
}

/** Run a whole study in this thread (sync; the Node side uses worker threads instead). */
export function runStudySync(study: StudyId, profile: StudyProfile, options: PlanOptions & {onUnit?: (r: UnitResult, done: number, total: number) => void} = {}): StudyOutput {
  const plan = planStudy(study, profile, options);
  const results: UnitResult[] = [];
  for (const u of plan) {
    const r = runUnit(u);
    results.push(r);
    options.onUnit?.(r, results.length, plan.length);
  }
  return assembleStudy(study, profile, results, options);
}
