/**
 * Every setting of the LEVER experiment (spec/lever.md §8), with the faithful [main] values as
 * defaults, and their validation.
 */
import type {ComposeMethod} from "../compose/compose.js";
import type {ExNonZeroOptions} from "../compose/exnonzero.js";
import {parseComposeMethod} from "../compose/compose.js";
import type {DecompositionMode} from "../retrieval/decompose.js";
import {DEFAULT_TOP_K, EXPERIMENT_THRESHOLD} from "../retrieval/hnsw.js";
import type {PolicyRule, SfMethod} from "../pi2vec/embedding.js";
import {parseSfMethod} from "../pi2vec/embedding.js";
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
  /** SF estimator for composed candidates: `mlp` (faithful, lr 3e-5) or `lstd` ([OURS], fast). */
  sf: SfMethod;
  /** [main]: pooled top-2 targeted, one canonical set/regressor; [v3]: best per sub-query, base/pair/trip. */
  rule: PolicyRule;
  /** Restrict retrieval to the job's spec ([v3]); false = the [main] leakage of §11.7 (faithful for main). */
  specFilter: boolean;
  /** Retrieval top-k (5) and strict cosine threshold (0.7), §4. */
  topK: number;
  threshold: number;
  /** Reuse the score of a composed path already scored in the same strategy of the same job. */
  memo: boolean;
  /** Reuse ExNonZero's DP across combinations that prune alike (same rewards, less time; lib/lever/compose/strategy.ts). */
  memoPlanning: boolean;
  /** Targeted drops a policy retrieved by two sub-queries before taking the top 2 (not the reference's). */
  dedupeTargeted: boolean;
  /** Leave sub-queries without candidates out of the exhaustive/hybrid products (the reference's product is empty). */
  skipEmpty: boolean;
  /** Score composed paths with the env's hazard count as feature 19 (the reference uses 0, §7.3). */
  scoreHazardSteps: boolean;
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
  memo: true,
  memoPlanning: false,
  dedupeTargeted: false,
  skipEmpty: false,
  scoreHazardSteps: false,
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
  if (o.timing !== "wall" && o.timing !== "zero") throw new RangeError(`invalid timing: ${JSON.stringify(o.timing)} (accepted: wall, zero)`);
  for (const key of ["specFilter", "memo", "memoPlanning", "dedupeTargeted", "skipEmpty", "scoreHazardSteps"] as const) {
    if (typeof o[key] !== "boolean") throw new RangeError(`invalid ${key}: ${JSON.stringify(o[key])} (accepted: true, false)`);
  }
  return o;
}



/** The canonical set / embedding / regressor of a mode: [main] one set "all"; [v3] base, pair, trip. */
export function modeSet(rule: PolicyRule, mode: DecompositionMode): string {
  if (rule === "main") return "all";
  return mode === "trivial" ? "base" : mode === "double" ? "pair" : "trip";
}
