/**
 * Scoring a composed candidate (spec/lever.md §7.3): featurize the composed policy's path on the
 * target env with hazard_steps = None (→ 0), fit successor features on its consecutive pairs, embed
 * with the experiment's canonical states and predict the return with the reward regressor.
 *
 * Two SF estimators, lib/lever/pi2vec/sf-mlp.ts and sf-lstd.ts:
 * - `mlp` (faithful): a fresh ψθ per candidate, the network of the rule (§3.4: [main] with BatchNorm and
 *   lr 1e-3, [v3] without and lr 3e-5 for composed policies), 50 epochs, batch 8, seeded (the
 *   reference's is not), then `embed`.
 * - `lstd` ([OURS], the fast default for large sweeps): the TD fixed point of the same Bellman target.
 *   `embedLstd(lstd(tr), C)` = M·c̄ with Mᵀ = (A+λI)⁻¹B; we only need that one vector, so
 *   `lstdEmbedding` computes e = Bᵀy with (A+λI)ᵀy = c̄ — one 70×70 solve with a single right-hand
 *   side instead of 70, the same quantity up to float rounding (deliberate inlining for speed; the
 *   equality with lib/lever/pi2vec/sf-lstd.ts is a test in test/lever/pi2vec/features-equivalence.test.ts).
 */
import type {FeatureMatrix, FeatureRuns} from "../pi2vec/features.js";
import {_episodeFeatureRuns, expandRuns, StateFeaturizer, transitionsFrom} from "../pi2vec/features.js";
import type {GridWorld} from "../env/gridworld.js";
import type {PolicyRule, SfMethod} from "../pi2vec/embedding.js";
import type {Model} from "../pi2vec/regressor.js";
import {deriveSeed} from "../../core/rng.js";
import {embed, trainPsi, type PsiParams} from "../pi2vec/sf-mlp.js";
import {lstdEmbeddingRuns, type LstdParams} from "../pi2vec/sf-lstd.js";

/**
 * Features of a composed path (§7.3 step 2): replay `actions` from `env.reset()`, featurizing the grid
 * before the first step and after every step with hazard_steps = None (feature 19 = 0, §11 item 6).
 */
export function composedFeatures(env: GridWorld, actions: ArrayLike<number>): FeatureMatrix {
  return expandRuns(composedFeatureRuns(env, actions));
}

/**
 * `composedFeatures` run-length encoded (lib/lever/pi2vec/features.ts `FeatureRuns`): blocked moves, which leave the
 * grid unchanged, repeat the previous row instead of being featurized or stored.
 */
export function composedFeatureRuns(env: GridWorld, actions: ArrayLike<number>, hazardSteps = false): FeatureRuns {
  try {
    return _episodeFeatureRuns(env, actions, hazardSteps, featurizerOf(env));
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(e.message.replace("invalid actions:", "invalid composed path:"));
    throw e;
  }
}

// One featurizer per env (its layout lists are static), shared by every candidate of a job.
const featurizers = new WeakMap<GridWorld, StateFeaturizer>();
function featurizerOf(env: GridWorld): StateFeaturizer {
  let f = featurizers.get(env);
  if (!f) featurizers.set(env, (f = new StateFeaturizer(env)));
  return f;
}

export interface ScoreOptions {
  sf: SfMethod;
  /** Base seed of the MLP's initialisation and shuffles (derived per candidate path). */
  seed: number;
  /** The library's rule, which picks the MLP's network (§3.4): "main" (default) or "v3". */
  rule?: PolicyRule;
  psi?: PsiParams;
  lstd?: LstdParams;
  /**
   * Feature 19 of the path's states: false (faithful, §7.3 `hazard_steps=None` → 0) or true, the env's
   * cumulative hazard count as in library featurization (the Search page's former scoring).
   */
  hazardSteps?: boolean;
}

export interface ScoreContext {
  env: GridWorld;
  canonical: FeatureMatrix;
  /** canonicalMean(canonical), precomputed. */
  cbar: Float64Array;
  regressor: Pick<Model, "predict">;
  /** Parts mixed into the MLP seed (spec, setup, seed …), so every job draws its own stream. */
  seedParts: readonly (string | number)[];
}

/**
 * §7.3: the regressor's predicted return of a composed path (its actions on ctx.env). A path with no
 * transitions (nothing to fit) scores −Infinity, so it is never preferred.
 */
export function scorePath(ctx: ScoreContext, actions: Uint8Array, o: ScoreOptions): number {
  if (actions.length === 0) return -Infinity;
  const runs = composedFeatureRuns(ctx.env, actions, o.hazardSteps ?? false);
  let e: Float32Array;
  if (o.sf === "lstd") {
    // = lstdEmbedding(transitionsFrom(composedFeatures(env, actions)), c̄), bit for bit (lib/lever/pi2vec/sf-lstd.ts).
    e = lstdEmbeddingRuns(runs, ctx.cbar, o.lstd);
  } else {
    const tr = transitionsFrom(expandRuns(runs));
    const seed = deriveSeed(o.seed, "psi-composed", ...ctx.seedParts, pathKey(actions));
    const {model} = trainPsi(tr, {...o.psi, architecture: o.psi?.architecture ?? o.rule ?? "main", use: o.psi?.use ?? "composed", seed});
    e = embed(model, ctx.canonical);
  }
  return ctx.regressor.predict(e);
}

/** A compact key of an action sequence (memoisation of identical composed paths). */
export function pathKey(actions: Uint8Array): string {
  let s = "";
  for (let i = 0; i < actions.length; i++) s += String.fromCharCode(48 + actions[i]);
  return s;
}
