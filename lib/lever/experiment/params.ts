/**
 * Every setting of the LEVER experiment (spec/lever.md §8), with the faithful [main] values as
 * defaults, and their validation; and `experimentDefaults`, the one place that says what a run
 * launched on a spec set (the CLI, the loaders, `lever reproduce`) uses for every setting not given.
 */
import type {ComposeMethod} from "../compose/compose.js";
import type {ExNonZeroOptions} from "../compose/exnonzero.js";
import {parseComposeMethod} from "../compose/compose.js";
import type {SpecSet} from "../env/layout.js";
import type {DecompositionMode} from "../retrieval/decompose.js";
import {DEFAULT_TOP_K, EXPERIMENT_THRESHOLD} from "../retrieval/hnsw.js";
import type {PolicyRule, SfMethod} from "../pi2vec/embedding.js";
import {parseSfMethod} from "../pi2vec/embedding.js";
import {LIBRARY_EMBEDDING} from "../pi2vec/params.js";
import type {RegressorKind} from "../pi2vec/regressor.js";
import type {GoldPenalty} from "../env/rewards.js";
import {parseGoldPenalty} from "../env/rewards.js";
import type {LstdParams} from "../pi2vec/sf-lstd.js";
import type {PsiParams} from "../pi2vec/sf-mlp.js";

/** Every setting of the experiment, with the faithful [main] values as defaults. */
export interface ExperimentParams {
  /** Composition method: exnonzero (§7.2, [main] tables), qsum (§7.1), gpi ([OURS]). */
  method: ComposeMethod;
  /** Gold-exit penalty of the target env: the 16×16 tables used `legacy` (−20), 32×32 ExNonZero `fractional`. */
  goldPenalty: GoldPenalty;
  /** Hybrid top-k per sub-query (3). */
  hybridTopK: number;
  /** SF estimator for composed candidates: `mlp` (faithful: the [main] BatchNorm network, lr 1e-3; [v3]: lr 3e-5) or `lstd` ([OURS], fast). */
  sf: SfMethod;
  /** [main]: pooled top-2 targeted, one canonical set/regressor; [v3]: best per sub-query, base/pair/trip. */
  rule: PolicyRule;
  /** Restrict retrieval to the job's spec ([v3]); false = the [main] leakage of §11.7 (faithful for main). */
  specFilter: boolean;
  /** Retrieval top-k (5) and strict cosine threshold (0.7), §4. */
  topK: number;
  threshold: number;
  /**
   * Reuse the score of a composed path already scored in the same strategy of the same job: one SF fit
   * per distinct path instead of the reference's one per combination (same choices and rewards, less
   * time; faithful: false, so `*_sf_fits` and the EC/HC times count the reference's work).
   */
  memo: boolean;
  /** Reuse ExNonZero's DP across combinations that prune alike (same rewards, less time; lib/lever/compose/strategy.ts). */
  memoPlanning: boolean;
  /** Targeted drops a policy retrieved by two sub-queries before taking the top 2 (not the reference's). */
  dedupeTargeted: boolean;
  /** Leave sub-queries without candidates out of the exhaustive/hybrid products (the reference's product is empty). */
  skipEmpty: boolean;
  /** [main] targeted composes a lone retrieved candidate alone (the reference returns no result; lib/lever/compose/strategy.ts). */
  targetedSingle: boolean;
  /** Exhaustive/hybrid accept a first combination scored −∞/NaN (the reference skips it: strict > from −∞). */
  acceptUnscored: boolean;
  /** Score composed paths with the env's hazard count as feature 19 (the reference uses 0, §7.3). */
  scoreHazardSteps: boolean;
  /**
   * TFS over training seeds (lib/lever/experiment/tfs.ts): rows of these specs also train their setup
   * from scratch with training seeds 0 … tfsSeeds − 1 (0 is the library's run, the reference-comparable
   * first seed) and report the median, quartiles and failures. Default: no spec (the reference's one run).
   */
  tfsSpecs: string[];
  tfsSeeds: number;
  /** `wall`: measured times; `zero`: every time column 0 (deterministic output, e.g. shard equality). */
  timing: "wall" | "zero";
  /** Base seed of the MLP SF models. */
  seed: number;
  psi?: PsiParams;
  lstd?: LstdParams;
  exnonzero?: ExNonZeroOptions;
}

export const DEFAULT_EXPERIMENT_PARAMS: ExperimentParams = {
  method: "exnonzero",
  goldPenalty: "legacy",
  hybridTopK: 3,
  sf: "mlp",
  rule: "main",
  specFilter: false,
  topK: DEFAULT_TOP_K,
  threshold: EXPERIMENT_THRESHOLD,
  memo: false,
  memoPlanning: false,
  dedupeTargeted: false,
  skipEmpty: false,
  targetedSingle: false,
  acceptUnscored: false,
  scoreHazardSteps: false,
  tfsSpecs: [],
  tfsSeeds: 1,
  timing: "wall",
  seed: 0,
};

/** Defaults + overrides, validated (one-line RangeErrors naming the option). */
export function resolveExperimentParams(p: Partial<ExperimentParams> = {}): ExperimentParams {
  const o = {...DEFAULT_EXPERIMENT_PARAMS, ...p};
  parseComposeMethod(o.method);
  parseGoldPenalty(o.goldPenalty);
  parseSfMethod(o.sf);
  if (o.rule !== "main" && o.rule !== "v3") throw new RangeError(`invalid policy rule: ${JSON.stringify(o.rule)} (accepted: main, v3)`);
  if (!Number.isInteger(o.hybridTopK) || o.hybridTopK < 1) throw new RangeError(`invalid hybrid top-k: ${o.hybridTopK} (expected a positive integer)`);
  if (!Number.isInteger(o.topK) || o.topK < 1) throw new RangeError(`invalid top-k: ${o.topK} (expected a positive integer)`);
  if (!Number.isFinite(o.threshold)) throw new RangeError(`invalid threshold: ${o.threshold}`);
  if (!Array.isArray(o.tfsSpecs) || o.tfsSpecs.some((x) => typeof x !== "string")) throw new RangeError(`invalid tfsSpecs: ${JSON.stringify(o.tfsSpecs)} (expected a list of spec names)`);
  if (!Number.isInteger(o.tfsSeeds) || o.tfsSeeds < 1 || o.tfsSeeds > 1000) throw new RangeError(`invalid tfsSeeds: ${o.tfsSeeds} (expected an integer 1..1000)`);
  if (o.timing !== "wall" && o.timing !== "zero") throw new RangeError(`invalid timing: ${JSON.stringify(o.timing)} (accepted: wall, zero)`);
  for (const key of ["specFilter", "memo", "memoPlanning", "dedupeTargeted", "skipEmpty", "targetedSingle", "acceptUnscored", "scoreHazardSteps"] as const) {
    if (typeof o[key] !== "boolean") throw new RangeError(`invalid ${key}: ${JSON.stringify(o[key])} (accepted: true, false)`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// The defaults of a launched run

/**
 * SF scoring of composed candidates in launched runs (the CLI, the loaders, `lever reproduce`): the
 * closed-form LSTD successor features [OURS], about 1000× faster than the faithful MLP ψθ (the [main] BatchNorm network, lr 1e-3,
 * §3.4) that `--sf mlp` selects and that `lever reproduce` also runs on a documented subset, comparing
 * the two. This is the one deliberate departure of `experimentDefaults` from DEFAULT_EXPERIMENT_PARAMS,
 * whose `sf` stays the faithful `mlp` (so `runJob`/`runExperiment` without options are the reference's
 * experiment).
 */
export const LAUNCHED_SF: SfMethod = "lstd";

/**
 * Memoised scoring in launched runs (one SF fit per distinct composed path): with LSTD, the reference's
 * one fit per combination would add minutes to the build for the same rewards. The second deliberate
 * departure of `experimentDefaults`; every time comparison states the fit counts (compare.ts `timeNote`)
 * and `--memo off` runs the reference's count.
 */
export const LAUNCHED_MEMO = true;

/** The hybrid k-sweep's composition method (§8.6: the reference's sweep is Q-sum 16×16). */
export const SWEEP_METHOD: ComposeMethod = "qsum";

/** Gold-exit penalty of each reference table (§0, §9): legacy for [main] except 32×32 ExNonZero; fractional for [v3]. */
export function defaultGoldPenalty(set: SpecSet, method: ComposeMethod): GoldPenalty {
  if (set.variant === "v3") return "fractional";
  return set.size === 32 && method === "exnonzero" ? "fractional" : "legacy";
}

/** Everything that decides a launched run's rows besides its jobs: the params and the library context. */
export interface ExperimentSettings {
  params: ExperimentParams;
  /** SF method of the library embeddings (§3): always the scoring one, `params.sf` (one estimator end to end). */
  librarySf: SfMethod;
  /** Reward regressor (§5): linear (OLS) for the [main] rule, gbrt for [v3]. */
  regressor: RegressorKind;
  /** One regressor per spec ([v3]) or one for the library ([main]). */
  regressorBySpec: boolean;
  /** Canonical states per spec (§3.3: 128). */
  canonical: number;
  /** Seed of the library embeddings (0). */
  embedSeed: number;
  /**
   * Embed (and fit the regressor on) only the library policies of these seeds; null = every seed. A
   * stated subset for the costly MLP library embedding: retrieval stays within the job's seed, so the
   * jobs of these seeds see the same candidates, while the regressor is fitted on fewer policies.
   */
  embedSeeds: number[] | null;
}

/** Settings given explicitly (flags, a reproduce step, a test); `undefined` means "the default". */
export interface ExperimentOverrides extends Partial<Omit<ExperimentSettings, "params">> {
  params?: Partial<ExperimentParams>;
}

/**
 * The defaults of a run on `set` with composition `method` and policy `rule` (default: the set's
 * variant): DEFAULT_EXPERIMENT_PARAMS with the reference table's gold penalty, the rule's spec filter
 * ([v3] only) and LAUNCHED_SF scoring; the rule's regressor; the library embedding of
 * lib/lever/pi2vec/params.ts (LSTD, 128 canonical states, seed 0).
 */
export function experimentDefaults(set: SpecSet, {method = DEFAULT_EXPERIMENT_PARAMS.method, rule = set.variant}: {method?: ComposeMethod; rule?: PolicyRule} = {}): ExperimentSettings {
  return {
    params: {...DEFAULT_EXPERIMENT_PARAMS, method, goldPenalty: defaultGoldPenalty(set, method), sf: LAUNCHED_SF, memo: LAUNCHED_MEMO, rule, specFilter: rule === "v3"},
    librarySf: LAUNCHED_SF,
    regressor: rule === "main" ? "linear" : "gbrt",
    regressorBySpec: rule === "v3",
    canonical: LIBRARY_EMBEDDING.canonical,
    embedSeed: LIBRARY_EMBEDDING.seed,
    embedSeeds: null,
  };
}

/** `experimentDefaults` for the overrides' method and rule, with the overrides applied and validated. */
export function resolveExperimentSettings(set: SpecSet, o: ExperimentOverrides = {}): ExperimentSettings {
  const given = definedOnly(o.params ?? {});
  const d = experimentDefaults(set, {method: given.method, rule: given.rule});
  const canonical = o.canonical ?? d.canonical;
  const embedSeed = o.embedSeed ?? d.embedSeed;
  if (!Number.isInteger(canonical) || canonical < 1) throw new RangeError(`invalid canonical states: ${canonical} (expected a positive integer)`);
  if (!Number.isInteger(embedSeed) || embedSeed < 0) throw new RangeError(`invalid embedding seed: ${embedSeed} (expected a non-negative integer)`);
  const params = resolveExperimentParams({...d.params, ...given});
  // One estimator end to end (issue 10 item 2): the regressor that scores composed candidates is fitted
  // on library embeddings of the same SF estimator, as the reference (MLP ψθ for both, §3.4, §5, §7.3).
  const librarySf = parseSfMethod(o.librarySf ?? params.sf);
  if (librarySf !== params.sf)
    throw new RangeError(
      `invalid library SF ${librarySf} with scoring SF ${params.sf}: the regressor is fitted on the library's embeddings and must see the estimator that scores candidates (give the same --library-sf and --sf)`,
    );
  const embedSeeds = o.embedSeeds ?? d.embedSeeds;
  if (embedSeeds !== null && (!Array.isArray(embedSeeds) || embedSeeds.length === 0 || embedSeeds.some((x) => !Number.isInteger(x) || x < 0)))
    throw new RangeError(`invalid embedding seeds: ${JSON.stringify(embedSeeds)} (expected null or a non-empty list of non-negative integers)`);
  return {params, librarySf, regressor: o.regressor ?? d.regressor, regressorBySpec: o.regressorBySpec ?? d.regressorBySpec, canonical, embedSeed, embedSeeds};
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The canonical set / embedding / regressor of a mode: [main] one set "all"; [v3] base, pair, trip. */
export function modeSet(rule: PolicyRule, mode: DecompositionMode): string {
  if (rule === "main") return "all";
  return mode === "trivial" ? "base" : mode === "double" ? "pair" : "trip";
}
