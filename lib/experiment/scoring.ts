/**
 * Scoring a composed candidate (spec/lever.md §7.3): featurize the composed policy's path on the
 * target env with hazard_steps = None (→ 0), fit successor features on its consecutive pairs, embed
 * with the experiment's canonical states and predict the return with the reward regressor.
 *
 * Two SF estimators, both from lib/successor.ts:
 * - `mlp` (faithful): a fresh ψθ per candidate, lr 3e-5 (PSI_LR.composed, §3.4), 50 epochs, batch 8,
 *   seeded (the reference's is not), then `embed`.
 * - `lstd` ([OURS], the fast default for large sweeps): the TD fixed point of the same Bellman target.
 *   `embedLstd(lstd(tr), C)` = M·c̄ with Mᵀ = (A+λI)⁻¹B; we only need that one vector, so
 *   `lstdEmbedding` computes e = Bᵀy with (A+λI)ᵀy = c̄ — one 70×70 solve with a single right-hand
 *   side instead of 70, the same quantity up to float rounding (deliberate inlining for speed; the
 *   equality with lib/successor.ts is a test in test/experiment/scoring.test.ts).
 */
import type {FeatureMatrix, Transitions} from "../features.js";
import {_stateToVector, featureDim, transitionsFrom} from "../features.js";
import type {GridWorld} from "../gridworld.js";
import type {SfMethod} from "../pi2vec.js";
import type {Model} from "../regressor.js";
import {deriveSeed} from "../rng.js";
import {embed, PSI_LR, trainPsi, type LstdParams, type PsiParams} from "../successor.js";

/**
 * Features of a composed path (§7.3 step 2): replay `actions` from `env.reset()`, featurizing the grid
 * before the first step and after every step with hazard_steps = None (feature 19 = 0, §11 item 6).
 */
export function composedFeatures(env: GridWorld, actions: ArrayLike<number>): FeatureMatrix {
  const n = env.size;
  const dim = featureDim(n);
  const T = actions.length;
  const data = new Float32Array((T + 1) * dim);
  const grid = new Int8Array(n * n);
  env.reset();
  _stateToVector(env.renderGrid(grid), n, null, data.subarray(0, dim));
  for (let t = 0; t < T; t++) {
    if (env.done) throw new RangeError(`invalid composed path: the episode ended after step ${t} of ${T}`);
    const before = env.pos;
    env.step(actions[t]);
    // A blocked move leaves the grid unchanged: copy the previous row instead of re-featurizing.
    if (env.pos === before && !env.done) data.copyWithin((t + 1) * dim, t * dim, (t + 1) * dim);
    else _stateToVector(env.renderGrid(grid), n, null, data.subarray((t + 1) * dim, (t + 2) * dim));
  }
  return {data, rows: T + 1, dim};
}

/** Mean canonical state c̄ (float64), the only thing a linear ψ's embedding needs. */
export function canonicalMean(canonical: FeatureMatrix): Float64Array {
  const {data, rows, dim} = canonical;
  if (rows < 1) throw new RangeError("invalid canonical states: none");
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) mean[j] += data[r * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= rows;
  return mean;
}

/**
 * LSTD successor-feature embedding M·c̄ (see the module comment; lib/successor.ts `lstd` has the
 * derivation). A = mean_t φ_t(φ_t − γφ_{t+1})ᵀ + λI, B = mean_t φ_tφ_tᵀ, e = Bᵀy with Aᵀy = c̄.
 * Gaussian elimination with partial pivoting; returns a Float32Array like `embedLstd`.
 */
export function lstdEmbedding(tr: Transitions, cbar: Float64Array, params: LstdParams = {}): Float32Array {
  const gamma = params.gamma ?? 0.99;
  const ridge = params.ridge ?? 1e-6;
  const {s, next, n, dim} = tr;
  if (n < 1) throw new RangeError("invalid transitions: none to fit");
  if (cbar.length !== dim) throw new RangeError(`invalid canonical mean: length ${cbar.length} (expected ${dim})`);
  const A = new Float64Array(dim * dim);
  const B = new Float64Array(dim * dim);
  const u = new Float64Array(dim);
  const v = new Float64Array(dim);
  // Runs of identical consecutive transitions (a rollout pushing into a wall repeats one pair up to
  // N² times, §9.5 note) are accumulated once with their multiplicity.
  const same = (t: number) => {
    const o = t * dim;
    const p = o - dim;
    for (let j = 0; j < dim; j++) if (s[o + j] !== s[p + j] || next[o + j] !== next[p + j]) return false;
    return true;
  };
  for (let t = 0; t < n; ) {
    let w = 1;
    while (t + w < n && same(t + w)) w++;
    const o = t * dim;
    for (let j = 0; j < dim; j++) {
      u[j] = s[o + j] - gamma * next[o + j];
      v[j] = s[o + j];
    }
    for (let i = 0; i < dim; i++) {
      const fi = w * v[i];
      if (fi === 0) continue;
      const r = i * dim;
      for (let j = 0; j < dim; j++) {
        A[r + j] += fi * u[j];
        B[r + j] += fi * v[j];
      }
    }
    t += w;
  }
  // Aᵀ (averaged, plus ridge), augmented with c̄: solve in place.
  const m = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) m[i * dim + j] = A[j * dim + i] / n + (i === j ? ridge : 0);
  const y = Float64Array.from(cbar);
  for (let c = 0; c < dim; c++) {
    let p = c;
    let best = Math.abs(m[c * dim + c]);
    for (let r = c + 1; r < dim; r++) {
      const v = Math.abs(m[r * dim + c]);
      if (v > best) (best = v), (p = r);
    }
    if (best === 0) continue; // singular column: leave y[c] as is (ridge > 0 prevents this)
    if (p !== c) {
      for (let j = c; j < dim; j++) {
        const t = m[c * dim + j];
        m[c * dim + j] = m[p * dim + j];
        m[p * dim + j] = t;
      }
      const t = y[c];
      y[c] = y[p];
      y[p] = t;
    }
    const piv = m[c * dim + c];
    for (let r = c + 1; r < dim; r++) {
      const f = m[r * dim + c] / piv;
      if (f === 0) continue;
      for (let j = c; j < dim; j++) m[r * dim + j] -= f * m[c * dim + j];
      y[r] -= f * y[c];
    }
  }
  for (let c = dim - 1; c >= 0; c--) {
    let sum = y[c];
    for (let j = c + 1; j < dim; j++) sum -= m[c * dim + j] * y[j];
    const piv = m[c * dim + c];
    y[c] = piv === 0 ? 0 : sum / piv;
  }
  const e = new Float32Array(dim);
  for (let k = 0; k < dim; k++) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += (B[j * dim + k] / n) * y[j];
    e[k] = sum;
  }
  return e;
}

export interface ScoreOptions {
  sf: SfMethod;
  /** Base seed of the MLP's initialisation and shuffles (derived per candidate path). */
  seed: number;
  psi?: PsiParams;
  lstd?: LstdParams;
}

export interface ScoreContext {
  env: GridWorld;
  canonical: FeatureMatrix;
  /** canonicalMean(canonical), precomputed. */
  cbar: Float64Array;
  regressor: Model;
  /** Parts mixed into the MLP seed (spec, setup, seed …), so every job draws its own stream. */
  seedParts: readonly (string | number)[];
}

/**
 * §7.3: the regressor's predicted return of a composed path (its actions on ctx.env). A path with no
 * transitions (nothing to fit) scores −Infinity, so it is never preferred.
 */
export function scorePath(ctx: ScoreContext, actions: Uint8Array, o: ScoreOptions): number {
  if (actions.length === 0) return -Infinity;
  const tr = transitionsFrom(composedFeatures(ctx.env, actions));
  let e: Float32Array;
  if (o.sf === "lstd") {
    e = lstdEmbedding(tr, ctx.cbar, o.lstd);
  } else {
    const seed = deriveSeed(o.seed, "psi-composed", ...ctx.seedParts, pathKey(actions));
    const {model} = trainPsi(tr, {...o.psi, lr: o.psi?.lr ?? PSI_LR.composed, seed});
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
