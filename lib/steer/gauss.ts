/**
 * Gaussian composition rules for steering a frozen actor with a goal-conditioned prior
 * (spec/steering.md §2; arXiv 2604.22873).
 *
 * Both experts are diagonal Gaussians over actions a ∈ R^d [PAPER]. A batch of n of them (one per
 * state) is stored as two flat row-major Float64Arrays of length n·d plus the explicit dimension d
 * (`DiagGaussians`); row k occupies indices [k·d, (k+1)·d). Every public function validates shapes and
 * values up front (RangeError) and then calls an underscore kernel that loops over the flat arrays; the
 * kernels are exported for hot paths (one control step composes O(d) numbers) and do no checking.
 *
 * Rules (§2.1–§2.5), with labels as in the spec:
 * - frozen-only, prior-only                      [PAPER names; DERIVED forms]   §2.1
 * - PoE(α):  π0^(1−α) · p^α                      [PAPER name; DERIVED closed form] §2.2
 * - KL-Reg(β): argmax β·E_π[log p] − KL(π‖π0), i.e. π0 · p^β   [PAPER name; DERIVED form] §2.3
 * - additive A (linear blend / mixture moments), additive B (residual)   [OURS]   §2.5
 * The identity PoE(α) ≡ KL-Reg(α/(1−α)) in the mean, with Σ_PoE = (1+β)·Σ_KL (§2.4), is checked by
 * `identityGap` (diagonal) and by the full-covariance versions `poeFull` / `klRegFull`. Where 1+β comes
 * from [DERIVED]: PoE(α) is exactly argmax_π α·E_π[log p] + (1−α)·E_π[log π0] + H(π), while
 * β·E_π[log p] − KL(π‖π0) = (1+β)·(α·E_π[log p] + (1−α)·E_π[log π0] + H(π)/(1+β)): KL-Reg weights the
 * entropy by 1/(1+β) = 1−α instead of 1, a colder posterior with the same mean and covariance ÷ (1+β).
 * identity-numeric.ts checks both kernels against these definitions numerically (quadrature,
 * numerical maximisation), independently of the closed forms.
 *
 * Edge cases (all exact, not limits of floating-point formulas):
 * - PoE α = 0 returns a bit-for-bit copy of the frozen actor; α = 1 a copy of the prior (§2.1).
 * - KL-Reg β = 0 returns a copy of the frozen actor; β = ∞ (α = 1) returns the point mass at μp:
 *   mean μp, variance 0 (§2.4 "Limits"). A finite β so large that β·λp overflows is treated as ∞.
 * - KL with a zero variance (a point mass, e.g. KL-Reg at β = ∞) is +∞ unless both sides are the same
 *   point mass (then 0); entropy of a point mass is −∞.
 */
import {log, log1p} from "../core/detmath.js";
import type {Rng} from "../core/rng.js";

/** A batch of n diagonal Gaussians over R^d, row-major: row k is [k·dim, (k+1)·dim). */
export interface DiagGaussians {
  /** Action dimension d (a positive integer). */
  readonly dim: number;
  /** Means μ, length n·d. */
  readonly mean: Float64Array;
  /** Per-dimension variances σ², length n·d. */
  readonly variance: Float64Array;
}

/** One full-covariance Gaussian over R^d (used to check the identity beyond the diagonal case, §2.4). */
export interface FullGaussian {
  /** Dimension d (a positive integer). */
  readonly dim: number;
  /** Mean μ, length d. */
  readonly mean: Float64Array;
  /** Covariance Σ, row-major d×d, symmetric positive definite (except KL-Reg's β = ∞ point mass: all zeros). */
  readonly cov: Float64Array;
}

/** The composition rules of §2, as accepted by `compose`. */
export type ComposeSpec = {rule: "frozen"} | {rule: "prior"} | {rule: "poe"; alpha: number} | {rule: "klreg"; beta: number} | {rule: "additive"; alpha: number} | {rule: "residual"; alpha: number};

export const RULES: readonly ComposeSpec["rule"][] = ["frozen", "prior", "poe", "klreg", "additive", "residual"];

// ---------------------------------------------------------------------------------------------------
// Construction and validation
// ---------------------------------------------------------------------------------------------------

/** Wrap mean/variance arrays as a batch of diagonal Gaussians, checking the shape (not the values). */
export function diagGaussians(mean: Float64Array, variance: Float64Array, dim: number): DiagGaussians {
  const g = {dim, mean, variance};
  checkShape(g, "gaussians");
  return g;
}

/** Number of Gaussians (states) in a batch. */
export function countOf(g: DiagGaussians): number {
  return g.mean.length / g.dim;
}

function checkShape(g: DiagGaussians, name: string): void {
  if (!Number.isInteger(g.dim) || g.dim < 1) throw new RangeError(`invalid ${name} dim: ${g.dim} (expected a positive integer)`);
  if (!(g.mean instanceof Float64Array) || !(g.variance instanceof Float64Array)) {
    throw new RangeError(`invalid ${name}: mean and variance must be Float64Arrays`);
  }
  if (g.mean.length !== g.variance.length) {
    throw new RangeError(`invalid ${name} shape: mean has ${g.mean.length} entries, variance ${g.variance.length}`);
  }
  if (g.mean.length % g.dim !== 0) {
    throw new RangeError(`invalid ${name} shape: ${g.mean.length} entries are not a multiple of dim ${g.dim}`);
  }
}

function shapeOf(g: DiagGaussians): string {
  return `${g.mean.length / g.dim}×${g.dim}`;
}

function checkSameShape(a: DiagGaussians, nameA: string, b: DiagGaussians, nameB: string): void {
  if (a.dim !== b.dim || a.mean.length !== b.mean.length) {
    throw new RangeError(`shape mismatch: ${nameA} ${shapeOf(a)} vs ${nameB} ${shapeOf(b)}`);
  }
}

/** Composition inputs: finite means, finite variances > 0. */
function checkValues(g: DiagGaussians, name: string): void {
  const {mean, variance} = g;
  for (let i = 0; i < mean.length; i++) {
    if (!Number.isFinite(mean[i])) throw new RangeError(`invalid ${name} mean at index ${i}: ${mean[i]} (expected a finite number)`);
    const v = variance[i];
    if (!(v > 0 && v < Infinity)) throw new RangeError(`invalid ${name} variance at index ${i}: ${v} (expected a finite number > 0)`);
  }
}

/** KL / entropy inputs: finite means, variances ≥ 0 (0 = point mass). */
function checkValuesAllowPointMass(g: DiagGaussians, name: string): void {
  const {mean, variance} = g;
  for (let i = 0; i < mean.length; i++) {
    if (!Number.isFinite(mean[i])) throw new RangeError(`invalid ${name} mean at index ${i}: ${mean[i]} (expected a finite number)`);
    const v = variance[i];
    if (!(v >= 0 && v < Infinity)) throw new RangeError(`invalid ${name} variance at index ${i}: ${v} (expected a finite number ≥ 0)`);
  }
}

/** Validate an (actor, prior) pair: same shape, finite means, finite variances > 0. Throws RangeError. */
export function checkActorPrior(actor: DiagGaussians, prior: DiagGaussians): void {
  checkShape(actor, "actor");
  checkShape(prior, "prior");
  checkSameShape(actor, "actor", prior, "prior");
  checkValues(actor, "actor");
  checkValues(prior, "prior");
}

/** An output batch: given `out` is checked against the inputs' shape (it may alias an input); otherwise a new one. */
function outputFor(like: DiagGaussians, out: DiagGaussians | undefined): DiagGaussians {
  if (out === undefined) return {dim: like.dim, mean: new Float64Array(like.mean.length), variance: new Float64Array(like.mean.length)};
  checkShape(out, "out");
  checkSameShape(out, "out", like, "input");
  return out;
}

/** α ∈ [0, 1] (PoE coefficient, additive weight). */
export function checkAlpha(alpha: number): void {
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`invalid alpha: ${alpha} (expected 0 ≤ α ≤ 1)`);
}

/** β ∈ [0, ∞] (KL-Reg prior weight; ∞ allowed). */
export function checkBeta(beta: number): void {
  if (!(beta >= 0)) throw new RangeError(`invalid beta: ${beta} (expected β ≥ 0, ∞ allowed)`);
}

// ---------------------------------------------------------------------------------------------------
// α ↔ β (§2.4)
// ---------------------------------------------------------------------------------------------------

/** β = α/(1−α) (§2.4). α = 0 → 0, α = 1 → ∞. */
export function alphaToBeta(alpha: number): number {
  checkAlpha(alpha);
  if (alpha === 1) return Infinity;
  return alpha / (1 - alpha);
}

/** α = β/(1+β) (§2.4). β = ∞ → 1. */
export function betaToAlpha(beta: number): number {
  checkBeta(beta);
  if (beta === Infinity) return 1;
  return beta / (1 + beta);
}

// ---------------------------------------------------------------------------------------------------
// Kernels (no validation; indices [start, end) of flat arrays; outputs may alias inputs)
// ---------------------------------------------------------------------------------------------------

/** Copy a mean/variance range (frozen-only and prior-only, §2.1). */
export function _copy(mean: Float64Array, variance: Float64Array, outMean: Float64Array, outVar: Float64Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    outMean[i] = mean[i];
    outVar[i] = variance[i];
  }
}

/**
 * PoE(α), §2.2: Λ = (1−α)λ0 + αλp, σ² = 1/Λ, μ = [(1−α)λ0μ0 + αλpμp]/Λ, per dimension.
 * α = 0 and α = 1 copy the actor / the prior exactly.
 */
export function _poe(mu0: Float64Array, var0: Float64Array, muP: Float64Array, varP: Float64Array, alpha: number, outMean: Float64Array, outVar: Float64Array, start: number, end: number): void {
  if (alpha === 0 || alpha === 1) {
    if (alpha === 0) _copy(mu0, var0, outMean, outVar, start, end);
    else _copy(muP, varP, outMean, outVar, start, end);
    return;
  }
  const wa = 1 - alpha;
  for (let i = start; i < end; i++) {
    const m0 = mu0[i];
    const mp = muP[i];
    const a = wa / var0[i]; // (1−α)λ0
    const b = alpha / varP[i]; // αλp
    const prec = a + b;
    outMean[i] = (a * m0 + b * mp) / prec;
    outVar[i] = 1 / prec;
  }
}

/**
 * KL-Reg(β), §2.3: π_β ∝ π0 · p^β, so Λ = λ0 + βλp, σ² = 1/Λ, μ = (λ0μ0 + βλpμp)/Λ.
 * β = 0 copies the actor; β = ∞ (or β·λp overflowing) gives the point mass at μp (variance 0).
 */
export function _klReg(mu0: Float64Array, var0: Float64Array, muP: Float64Array, varP: Float64Array, beta: number, outMean: Float64Array, outVar: Float64Array, start: number, end: number): void {
  if (beta === 0) {
    _copy(mu0, var0, outMean, outVar, start, end);
    return;
  }
  for (let i = start; i < end; i++) {
    const m0 = mu0[i];
    const mp = muP[i];
    const a = 1 / var0[i]; // λ0
    const b = beta / varP[i]; // βλp
    if (b === Infinity) {
      outMean[i] = mp;
      outVar[i] = 0;
      continue;
    }
    const prec = a + b;
    outMean[i] = (a * m0 + b * mp) / prec;
    outVar[i] = 1 / prec;
  }
}

/**
 * Additive A (§2.5, [OURS]): linear blend μ = (1−α)μ0 + αμp, with the variance of the mixture
 * (1−α)π0 + αp: (1−α)σ0² + ασp² + α(1−α)(μ0−μp)². Exact at α = 0 and α = 1 without special cases.
 */
export function _additiveBlend(
  mu0: Float64Array,
  var0: Float64Array,
  muP: Float64Array,
  varP: Float64Array,
  alpha: number,
  outMean: Float64Array,
  outVar: Float64Array,
  start: number,
  end: number,
): void {
  const wa = 1 - alpha;
  for (let i = start; i < end; i++) {
    const m0 = mu0[i];
    const mp = muP[i];
    const v0 = var0[i];
    const vp = varP[i];
    const dm = m0 - mp;
    outMean[i] = wa * m0 + alpha * mp;
    outVar[i] = wa * v0 + alpha * vp + alpha * wa * dm * dm;
  }
}

/**
 * Additive B (§2.5, [OURS]): residual μ = μ0 + αμp. The spec fixes only the mean; for the variance we
 * take a = a0 + α·ap with independent draws, i.e. σ² = σ0² + α²σp² [OURS].
 */
export function _additiveResidual(
  mu0: Float64Array,
  var0: Float64Array,
  muP: Float64Array,
  varP: Float64Array,
  alpha: number,
  outMean: Float64Array,
  outVar: Float64Array,
  start: number,
  end: number,
): void {
  const a2 = alpha * alpha;
  for (let i = start; i < end; i++) {
    const m0 = mu0[i];
    const mp = muP[i];
    const v0 = var0[i];
    const vp = varP[i];
    outMean[i] = m0 + alpha * mp;
    outVar[i] = v0 + a2 * vp;
  }
}

/** 2·KL contribution of one dimension, N(mp, vp) ‖ N(mq, vq), with the point-mass conventions of the header. */
function klTerm2(mp: number, vp: number, mq: number, vq: number): number {
  const dm = mp - mq;
  if (vp === 0 || vq === 0) {
    if (vp === 0 && vq === 0 && dm === 0) return 0;
    return Infinity;
  }
  const r = vp / vq;
  // r − 1 − ln r. Near r = 1, x = r − 1 is exact (Sterbenz) and log1p(x) accurate, but x − log1p(x) still
  // cancels: its absolute error stays within |x|·2⁻⁵², its relative error grows as x → 0 (≈ 4e-8 at x = 3e-9;
  // gauss-mutants.test.ts pins the bound). A series in x would fix that; not needed for the KL budgets here.
  const x = r - 1;
  const f = r > 0.5 && r < 2 ? x - log1p(x) : x - log(r);
  return f + (dm * dm) / vq;
}

/**
 * KL(p‖q) between diagonal Gaussians over one row [start, end) (§4.3):
 * ½ Σ_i [ r_i − 1 − ln r_i + (μp,i − μq,i)²/σq,i² ],  r_i = σp,i²/σq,i².
 */
export function _klDiagRow(muP: Float64Array, varP: Float64Array, muQ: Float64Array, varQ: Float64Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s += klTerm2(muP[i], varP[i], muQ[i], varQ[i]);
  return 0.5 * s;
}

/** Mean-only (Mahalanobis) part of KL(p‖q) over one row: ½ Σ_i (μp,i − μq,i)²/σq,i² (§4.6 sensitivity variant). */
export function _mahalanobisRow(muP: Float64Array, muQ: Float64Array, varQ: Float64Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) {
    const dm = muP[i] - muQ[i];
    s += (dm * dm) / varQ[i];
  }
  return 0.5 * s;
}

// ---------------------------------------------------------------------------------------------------
// Public composition rules (§2)
// ---------------------------------------------------------------------------------------------------

/** Frozen-only (§2.1): a copy of the actor. */
export function frozenOnly(actor: DiagGaussians, out?: DiagGaussians): DiagGaussians {
  checkShape(actor, "actor");
  checkValues(actor, "actor");
  const o = outputFor(actor, out);
  _copy(actor.mean, actor.variance, o.mean, o.variance, 0, actor.mean.length);
  return o;
}

/** Prior-only (§2.1): a copy of the prior. */
export function priorOnly(prior: DiagGaussians, out?: DiagGaussians): DiagGaussians {
  checkShape(prior, "prior");
  checkValues(prior, "prior");
  const o = outputFor(prior, out);
  _copy(prior.mean, prior.variance, o.mean, o.variance, 0, prior.mean.length);
  return o;
}

/** PoE(α) ∝ π0^(1−α) · p^α (§2.2), per state and dimension. α = 0: the actor; α = 1: the prior (exact copies). */
export function poe(actor: DiagGaussians, prior: DiagGaussians, alpha: number, out?: DiagGaussians): DiagGaussians {
  checkActorPrior(actor, prior);
  checkAlpha(alpha);
  const o = outputFor(actor, out);
  _poe(actor.mean, actor.variance, prior.mean, prior.variance, alpha, o.mean, o.variance, 0, actor.mean.length);
  return o;
}

/** KL-Reg(β) ∝ π0 · p^β (§2.3). β = 0: the actor; β = ∞: the point mass at the prior mean (variance 0). */
export function klReg(actor: DiagGaussians, prior: DiagGaussians, beta: number, out?: DiagGaussians): DiagGaussians {
  checkActorPrior(actor, prior);
  checkBeta(beta);
  const o = outputFor(actor, out);
  _klReg(actor.mean, actor.variance, prior.mean, prior.variance, beta, o.mean, o.variance, 0, actor.mean.length);
  return o;
}

/**
 * Additive A (§2.5, [OURS], primary): mean (1−α)μ0 + αμp and the variance of the mixture (1−α)π0 + αp.
 * The mixture is not Gaussian; this returns its first two moments. Sample the mixture itself with
 * `sampleBlendMixture`.
 */
export function additiveBlend(actor: DiagGaussians, prior: DiagGaussians, alpha: number, out?: DiagGaussians): DiagGaussians {
  checkActorPrior(actor, prior);
  checkAlpha(alpha);
  const o = outputFor(actor, out);
  _additiveBlend(actor.mean, actor.variance, prior.mean, prior.variance, alpha, o.mean, o.variance, 0, actor.mean.length);
  return o;
}

/** Additive B (§2.5, [OURS], secondary): residual mean μ0 + αμp, variance σ0² + α²σp². */
export function additiveResidual(actor: DiagGaussians, prior: DiagGaussians, alpha: number, out?: DiagGaussians): DiagGaussians {
  checkActorPrior(actor, prior);
  checkAlpha(alpha);
  const o = outputFor(actor, out);
  _additiveResidual(actor.mean, actor.variance, prior.mean, prior.variance, alpha, o.mean, o.variance, 0, actor.mean.length);
  return o;
}

/** Compose by rule name (§2): validates the rule keyword, then dispatches to the rule's function. */
export function compose(actor: DiagGaussians, prior: DiagGaussians, spec: ComposeSpec, out?: DiagGaussians): DiagGaussians {
  switch (spec.rule) {
    case "frozen":
      checkActorPrior(actor, prior);
      return frozenOnly(actor, out);
    case "prior":
      checkActorPrior(actor, prior);
      return priorOnly(prior, out);
    case "poe":
      return poe(actor, prior, spec.alpha, out);
    case "klreg":
      return klReg(actor, prior, spec.beta, out);
    case "additive":
      return additiveBlend(actor, prior, spec.alpha, out);
    case "residual":
      return additiveResidual(actor, prior, spec.alpha, out);
    default:
      throw new RangeError(`invalid rule: ${JSON.stringify((spec as {rule: unknown}).rule)} (accepted: ${RULES.join(", ")})`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Divergence, entropy, the identity (§2.4, §4.3)
// ---------------------------------------------------------------------------------------------------

/**
 * KL(p‖q) per row (state) between two batches of diagonal Gaussians (§4.3 closed form). Variances may be
 * 0 (point masses; see the header for the conventions). Returns a Float64Array of length n.
 */
export function klDiag(p: DiagGaussians, q: DiagGaussians, out?: Float64Array): Float64Array {
  checkShape(p, "p");
  checkShape(q, "q");
  checkSameShape(p, "p", q, "q");
  checkValuesAllowPointMass(p, "p");
  checkValuesAllowPointMass(q, "q");
  const d = p.dim;
  const n = p.mean.length / d;
  if (out !== undefined && out.length !== n) throw new RangeError(`shape mismatch: out has ${out.length} entries, expected ${n}`);
  const o = out ?? new Float64Array(n);
  for (let k = 0; k < n; k++) o[k] = _klDiagRow(p.mean, p.variance, q.mean, q.variance, k * d, (k + 1) * d);
  return o;
}

/** Differential entropy per row: ½ Σ_i ln(2πe σ_i²) nats. A zero variance gives −∞. */
export function entropyDiag(g: DiagGaussians, out?: Float64Array): Float64Array {
  checkShape(g, "gaussians");
  checkValuesAllowPointMass(g, "gaussians");
  const d = g.dim;
  const n = g.mean.length / d;
  if (out !== undefined && out.length !== n) throw new RangeError(`shape mismatch: out has ${out.length} entries, expected ${n}`);
  const o = out ?? new Float64Array(n);
  const c = log(2 * Math.PI * Math.E);
  const v = g.variance;
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let i = k * d; i < (k + 1) * d; i++) s += c + log(v[i]);
    o[k] = 0.5 * s;
  }
  return o;
}

/** Result of `identityGap`: how far a batch is from the §2.4 identity. */
export interface IdentityGap {
  alpha: number;
  /** β = α/(1−α). */
  beta: number;
  /** max over states and dimensions of |μ_PoE(α) − μ_KL(β)|. */
  maxMeanGap: number;
  /** max over states and dimensions of |σ²_PoE(α)/σ²_KL(β) − (1+β)|. */
  maxRatioGap: number;
}

/**
 * The identity of §2.4 on a batch of states: PoE(α) and KL-Reg(β = α/(1−α)) have the same mean and
 * Σ_PoE = (1+β)·Σ_KL. Both sides are computed by their own formulas (`_poe`, `_klReg`), not one from
 * the other. Defined for α ∈ [0, 1): at α = 1 (β = ∞) the means still agree (both μp) but the ratio is
 * σp²/0, so α = 1 throws.
 */
export function identityGap(actor: DiagGaussians, prior: DiagGaussians, alpha: number): IdentityGap {
  checkActorPrior(actor, prior);
  checkAlpha(alpha);
  if (alpha === 1) throw new RangeError("invalid alpha: 1 (the covariance ratio of §2.4 is undefined at β = ∞; expected 0 ≤ α < 1)");
  const beta = alphaToBeta(alpha);
  const len = actor.mean.length;
  const pm = new Float64Array(len);
  const pv = new Float64Array(len);
  const km = new Float64Array(len);
  const kv = new Float64Array(len);
  _poe(actor.mean, actor.variance, prior.mean, prior.variance, alpha, pm, pv, 0, len);
  _klReg(actor.mean, actor.variance, prior.mean, prior.variance, beta, km, kv, 0, len);
  let maxMeanGap = 0;
  let maxRatioGap = 0;
  const target = 1 + beta;
  for (let i = 0; i < len; i++) {
    const dm = Math.abs(pm[i] - km[i]);
    if (dm > maxMeanGap) maxMeanGap = dm;
    const dr = Math.abs(pv[i] / kv[i] - target);
    if (dr > maxRatioGap) maxRatioGap = dr;
  }
  return {alpha, beta, maxMeanGap, maxRatioGap};
}

// ---------------------------------------------------------------------------------------------------
// Sampling (stochastic evaluation)
// ---------------------------------------------------------------------------------------------------

/** One draw per row: a = μ + σ·ξ, ξ ∼ N(0, I) from `rng`. Returns a flat n·d array. */
export function sampleDiag(g: DiagGaussians, rng: Rng, out?: Float64Array): Float64Array {
  checkShape(g, "gaussians");
  checkValuesAllowPointMass(g, "gaussians");
  const len = g.mean.length;
  if (out !== undefined && out.length !== len) throw new RangeError(`shape mismatch: out has ${out.length} entries, expected ${len}`);
  const o = out ?? new Float64Array(len);
  const {mean, variance} = g;
  for (let i = 0; i < len; i++) o[i] = mean[i] + Math.sqrt(variance[i]) * rng.normal();
  return o;
}

/**
 * One draw per row from the additive-A mixture (1−α)π0 + αp (§2.5): per state, the whole action vector
 * comes from the prior with probability α, else from the actor. Uses one uniform, then d normals, per row.
 */
export function sampleBlendMixture(actor: DiagGaussians, prior: DiagGaussians, alpha: number, rng: Rng, out?: Float64Array): Float64Array {
  checkActorPrior(actor, prior);
  checkAlpha(alpha);
  const d = actor.dim;
  const len = actor.mean.length;
  if (out !== undefined && out.length !== len) throw new RangeError(`shape mismatch: out has ${out.length} entries, expected ${len}`);
  const o = out ?? new Float64Array(len);
  for (let k = 0; k < len; k += d) {
    const src = rng.next() < alpha ? prior : actor;
    const {mean, variance} = src;
    for (let i = k; i < k + d; i++) o[i] = mean[i] + Math.sqrt(variance[i]) * rng.normal();
  }
  return o;
}

// ---------------------------------------------------------------------------------------------------
// Full covariance (§2.4: "the identity holds for full covariances")
// ---------------------------------------------------------------------------------------------------

/** Wrap a full-covariance Gaussian, checking the shape (mean length d, covariance d×d). */
export function fullGaussian(mean: Float64Array, cov: Float64Array, dim: number): FullGaussian {
  const g = {dim, mean, cov};
  checkFullShape(g, "gaussian");
  return g;
}

function checkFullShape(g: FullGaussian, name: string): void {
  if (!Number.isInteger(g.dim) || g.dim < 1) throw new RangeError(`invalid ${name} dim: ${g.dim} (expected a positive integer)`);
  if (g.mean.length !== g.dim) throw new RangeError(`invalid ${name} shape: mean has ${g.mean.length} entries, expected ${g.dim}`);
  if (g.cov.length !== g.dim * g.dim) throw new RangeError(`invalid ${name} shape: covariance has ${g.cov.length} entries, expected ${g.dim}×${g.dim}`);
  for (let i = 0; i < g.dim; i++) {
    if (!Number.isFinite(g.mean[i])) throw new RangeError(`invalid ${name} mean at index ${i}: ${g.mean[i]} (expected a finite number)`);
  }
}

/**
 * Cholesky factor L (row-major lower triangle, upper part zero) of a symmetric positive definite d×d
 * matrix; only the lower triangle of `a` is read. Returns null if `a` is not positive definite.
 */
export function _cholesky(a: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j];
    for (let k = 0; k < j; k++) s -= l[j * d + k] * l[j * d + k];
    if (!(s > 0) || !Number.isFinite(s)) return null;
    const ljj = Math.sqrt(s);
    l[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j];
      for (let k = 0; k < j; k++) t -= l[i * d + k] * l[j * d + k];
      l[i * d + j] = t / ljj;
    }
  }
  return l;
}

function choleskyOrThrow(a: Float64Array, d: number, name: string): Float64Array {
  const l = _cholesky(a, d);
  if (l === null) throw new RangeError(`invalid ${name}: not symmetric positive definite`);
  return l;
}

/** Solve L·x = b in place (forward substitution), L lower-triangular row-major. */
function forwardSolve(l: Float64Array, d: number, b: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * b[k];
    b[i] = s / l[i * d + i];
  }
}

/** A⁻¹ = L⁻ᵀL⁻¹ from the Cholesky factor; symmetric by construction. */
function inverseFromCholesky(l: Float64Array, d: number): Float64Array {
  // m = L⁻¹ (lower triangular), column by column.
  const m = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    col.fill(0);
    col[j] = 1;
    forwardSolve(l, d, col);
    for (let i = 0; i < d; i++) m[i * d + j] = col[i];
  }
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < d; k++) s += m[k * d + i] * m[k * d + j];
      inv[i * d + j] = s;
      inv[j * d + i] = s;
    }
  }
  return inv;
}

function matVec(a: Float64Array, d: number, x: Float64Array): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += a[i * d + k] * x[k];
    y[i] = s;
  }
  return y;
}

function copyFull(g: FullGaussian): FullGaussian {
  return {dim: g.dim, mean: Float64Array.from(g.mean), cov: Float64Array.from(g.cov)};
}

/**
 * Precision-weighted product N ∝ N(μ0,Σ0)^w0 · N(μp,Σp)^wp for w0, wp > 0:
 * Λ = w0Σ0⁻¹ + wpΣp⁻¹, Σ = Λ⁻¹, μ = Σ(w0Σ0⁻¹μ0 + wpΣp⁻¹μp).
 */
function productFull(actor: FullGaussian, prior: FullGaussian, w0: number, wp: number): FullGaussian {
  const d = actor.dim;
  const p0 = inverseFromCholesky(choleskyOrThrow(actor.cov, d, "actor covariance"), d);
  const pp = inverseFromCholesky(choleskyOrThrow(prior.cov, d, "prior covariance"), d);
  const lam = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) lam[i] = w0 * p0[i] + wp * pp[i];
  const h0 = matVec(p0, d, actor.mean);
  const hp = matVec(pp, d, prior.mean);
  const h = new Float64Array(d);
  for (let i = 0; i < d; i++) h[i] = w0 * h0[i] + wp * hp[i];
  const cov = inverseFromCholesky(choleskyOrThrow(lam, d, "composed precision"), d);
  return {dim: d, mean: matVec(cov, d, h), cov};
}

function checkFullPair(actor: FullGaussian, prior: FullGaussian): void {
  checkFullShape(actor, "actor");
  checkFullShape(prior, "prior");
  if (actor.dim !== prior.dim) throw new RangeError(`shape mismatch: actor dim ${actor.dim} vs prior dim ${prior.dim}`);
}

/** Full-covariance PoE(α) (§2.2 with matrices): Λ = (1−α)Σ0⁻¹ + αΣp⁻¹. α = 0 / 1 return copies of actor / prior. */
export function poeFull(actor: FullGaussian, prior: FullGaussian, alpha: number): FullGaussian {
  checkFullPair(actor, prior);
  checkAlpha(alpha);
  choleskyOrThrow(actor.cov, actor.dim, "actor covariance");
  choleskyOrThrow(prior.cov, prior.dim, "prior covariance");
  if (alpha === 0) return copyFull(actor);
  if (alpha === 1) return copyFull(prior);
  return productFull(actor, prior, 1 - alpha, alpha);
}

/** Full-covariance KL-Reg(β) (§2.3 with matrices): Λ = Σ0⁻¹ + βΣp⁻¹. β = 0: the actor; β = ∞: point mass at μp (Σ = 0). */
export function klRegFull(actor: FullGaussian, prior: FullGaussian, beta: number): FullGaussian {
  checkFullPair(actor, prior);
  checkBeta(beta);
  choleskyOrThrow(actor.cov, actor.dim, "actor covariance");
  choleskyOrThrow(prior.cov, prior.dim, "prior covariance");
  if (beta === 0) return copyFull(actor);
  if (beta === Infinity) return {dim: actor.dim, mean: Float64Array.from(prior.mean), cov: new Float64Array(actor.dim * actor.dim)};
  return productFull(actor, prior, 1, beta);
}

/**
 * KL(p‖q) between full-covariance Gaussians:
 * ½ [ tr(Σq⁻¹Σp) + (μq−μp)ᵀΣq⁻¹(μq−μp) − d + ln det Σq − ln det Σp ],
 * evaluated with Cholesky factors Lp, Lq: tr(Σq⁻¹Σp) = ‖Lq⁻¹Lp‖²_F, the quadratic form = ‖Lq⁻¹(μq−μp)‖².
 * Both covariances must be positive definite.
 */
export function klFull(p: FullGaussian, q: FullGaussian): number {
  checkFullShape(p, "p");
  checkFullShape(q, "q");
  if (p.dim !== q.dim) throw new RangeError(`shape mismatch: p dim ${p.dim} vs q dim ${q.dim}`);
  const d = p.dim;
  const lp = choleskyOrThrow(p.cov, d, "p covariance");
  const lq = choleskyOrThrow(q.cov, d, "q covariance");
  let trace = 0;
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) col[i] = lp[i * d + j];
    forwardSolve(lq, d, col);
    for (let i = 0; i < d; i++) trace += col[i] * col[i];
  }
  const diff = new Float64Array(d);
  for (let i = 0; i < d; i++) diff[i] = q.mean[i] - p.mean[i];
  forwardSolve(lq, d, diff);
  let quad = 0;
  for (let i = 0; i < d; i++) quad += diff[i] * diff[i];
  let logDetRatio = 0; // ln det Σq − ln det Σp = 2 Σ ln(Lq,ii / Lp,ii)
  for (let i = 0; i < d; i++) logDetRatio += 2 * log(lq[i * d + i] / lp[i * d + i]);
  return 0.5 * (trace + quad - d + logDetRatio);
}
