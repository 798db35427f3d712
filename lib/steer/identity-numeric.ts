/**
 * Independent numerical checks of the two closed forms behind the §2.4 identity (spec/steering.md
 * §2.2–§2.4), for claim C1 (claims.ts). The closed forms in gauss.ts (`_poe`, `_klReg`) are compared
 * with quantities computed from the *definitions*, without using either formula:
 *
 * 1. PoE(α) = the normalised density π0^(1−α)·p^α (§2.2). Its mean and variance are computed by
 *    composite Simpson quadrature of the unnormalised product, one action dimension at a time (a
 *    diagonal Gaussian factorises over dimensions).
 * 2. KL-Reg(β) = argmax over π = N(μ, σ²) of  J_KL(π) = β·E_π[log p] − KL(π‖π0)  (§2.3). The
 *    expectations and the KL are the textbook closed forms for Gaussians; the maximisation is numerical
 *    (cyclic golden-section search over μ and ln σ², repeated until neither moves).
 * 3. PoE(α) = argmax over π = N(μ, σ²) of  J_PoE(π) = α·E_π[log p] + (1−α)·E_π[log π0] + H(π): the
 *    objective under which PoE is exact with no scalar factor (by the Gibbs variational principle the
 *    maximiser is ∝ exp(α log p + (1−α) log π0)).
 *
 * Where the (1+β) factor comes from [DERIVED]: KL(π‖π0) = −E_π[log π0] − H(π), so
 *   J_KL = β·E[log p] + E[log π0] + H(π) = (1+β)·( α·E[log p] + (1−α)·E[log π0] + H(π)/(1+β) ).
 * KL-Reg therefore maximises the PoE objective with the entropy weighted 1/(1+β) = 1 − α instead of 1:
 * the same energy at a lower temperature. Its maximiser is (π0^(1−α) p^α)^(1+β), same mean, covariance
 * divided by 1+β, i.e. Σ_PoE = (1+β)·Σ_KL, and the entropy gap is (d/2)·ln(1+β) nats.
 *
 * Tolerances [OURS]: quadrature uses a step of min(σ0, σp)/16 over [min(μ0, μp) − 12·max(σ0, σp),
 * max(μ0, μp) + 12·max(σ0, σp)] (σ_PoE lies between min and max of σ0, σp because Λ_α is a convex
 * combination of the two precisions, so the range holds ±12 σ_PoE of mass and the step resolves it);
 * it agrees with the closed form to 1e-9 relative on the test cases. The golden-section maximiser
 * resolves the argmax only to about √ε of the objective's scale, so it is compared at 1e-6 (mean, in
 * units of max(σ0, σp)) and 1e-6 relative (variance).
 *
 * Pure: no fs, no process.
 */
import {exp, log} from "../core/detmath.js";
import {Rng} from "../core/rng.js";
import {_klReg, _poe} from "./gauss.js";

/** The closed-form kernel signature of gauss.ts `_poe` / `_klReg` (so tests can plant a bug). */
export type DiagKernel = (mu0: Float64Array, var0: Float64Array, muP: Float64Array, varP: Float64Array, w: number, outMean: Float64Array, outVar: Float64Array, start: number, end: number) => void;

export interface Moments {
  mean: number;
  variance: number;
}

/** Quadrature settings (see the header). */
export const QUADRATURE = Object.freeze({pointsPerSigma: 16, halfWidth: 12, maxIntervals: 400_000});
/** Tolerances of the three checks (see the header). */
export const NUMERIC_TOLERANCE = Object.freeze({quadrature: 1e-9, optimisation: 1e-6});

const LN_2PI = log(2 * Math.PI);

/** ln N(x; m, v). */
function logNormal(x: number, m: number, v: number): number {
  const z = x - m;
  return -0.5 * (LN_2PI + log(v) + (z * z) / v);
}

/**
 * Mean and variance of the density ∝ exp(logf(x)) on [lo, hi] by composite Simpson with n intervals
 * (n is rounded up to even). The log-density is shifted by its maximum on the grid before exponentiating.
 */
export function quadratureMoments(logf: (x: number) => number, lo: number, hi: number, n: number): Moments {
  if (!(hi > lo)) throw new RangeError(`invalid range: [${lo}, ${hi}]`);
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`invalid n: ${n} (expected an integer ≥ 2)`);
  const m = n % 2 === 0 ? n : n + 1;
  const h = (hi - lo) / m;
  const lf = new Float64Array(m + 1);
  let top = -Infinity;
  for (let i = 0; i <= m; i++) {
    lf[i] = logf(lo + i * h);
    if (lf[i] > top) top = lf[i];
  }
  let z = 0;
  let s1 = 0;
  const w = new Float64Array(m + 1);
  for (let i = 0; i <= m; i++) {
    const c = i === 0 || i === m ? 1 : i % 2 === 1 ? 4 : 2;
    w[i] = c * exp(lf[i] - top);
    z += w[i];
    s1 += w[i] * (lo + i * h);
  }
  const mean = s1 / z;
  let s2 = 0;
  for (let i = 0; i <= m; i++) {
    const d = lo + i * h - mean;
    s2 += w[i] * d * d;
  }
  return {mean, variance: s2 / z};
}

/** Moments of the normalised π0^(1−α)·p^α in one dimension, by quadrature (see the header). */
export function poeMomentsByQuadrature(m0: number, v0: number, mp: number, vp: number, alpha: number): Moments {
  const s0 = Math.sqrt(v0);
  const sp = Math.sqrt(vp);
  const big = Math.max(s0, sp);
  const lo = Math.min(m0, mp) - QUADRATURE.halfWidth * big;
  const hi = Math.max(m0, mp) + QUADRATURE.halfWidth * big;
  const n = Math.min(QUADRATURE.maxIntervals, Math.ceil(((hi - lo) / Math.min(s0, sp)) * QUADRATURE.pointsPerSigma));
  return quadratureMoments((x) => (1 - alpha) * logNormal(x, m0, v0) + alpha * logNormal(x, mp, vp), lo, hi, n);
}

/** E_{N(μ, v)}[ln N(a; m, V)] in closed form. */
function expectedLog(mu: number, v: number, m: number, V: number): number {
  const z = mu - m;
  return -0.5 * (LN_2PI + log(V) + (z * z + v) / V);
}

/** KL(N(μ, v) ‖ N(m, V)) in closed form. */
function klGauss(mu: number, v: number, m: number, V: number): number {
  const z = mu - m;
  return 0.5 * (v / V + (z * z) / V - 1 - log(v / V));
}

/** H(N(μ, v)) = ½ ln(2πe v). */
function entropy(v: number): number {
  return 0.5 * (LN_2PI + 1 + log(v));
}

/** The KL-Reg objective of §2.3 at π = N(μ, e^s): β·E_π[log p] − KL(π‖π0). */
export function klRegObjective(mu: number, s: number, m0: number, v0: number, mp: number, vp: number, beta: number): number {
  const v = exp(s);
  return beta * expectedLog(mu, v, mp, vp) - klGauss(mu, v, m0, v0);
}

/** The PoE objective at π = N(μ, e^s): α·E_π[log p] + (1−α)·E_π[log π0] + H(π). */
export function poeObjective(mu: number, s: number, m0: number, v0: number, mp: number, vp: number, alpha: number): number {
  const v = exp(s);
  return alpha * expectedLog(mu, v, mp, vp) + (1 - alpha) * expectedLog(mu, v, m0, v0) + entropy(v);
}

const INV_PHI = (Math.sqrt(5) - 1) / 2;

/** argmax of a unimodal f on [a, b] by golden-section search, to a bracket of width ≤ tol. */
export function goldenMax(f: (x: number) => number, a: number, b: number, tol: number): number {
  let lo = a;
  let hi = b;
  let x1 = hi - INV_PHI * (hi - lo);
  let x2 = lo + INV_PHI * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let it = 0; it < 400 && hi - lo > tol; it++) {
    if (f1 < f2) {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + INV_PHI * (hi - lo);
      f2 = f(x2);
    } else {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - INV_PHI * (hi - lo);
      f1 = f(x1);
    }
  }
  return 0.5 * (lo + hi);
}

/**
 * argmax over (μ, s = ln σ²) of objective(μ, s) by cyclic golden-section coordinate ascent: μ on
 * [min(m0, mp) − 10·max σ, max(m0, mp) + 10·max σ], s on [ln min(v0, vp) − 12, ln max(v0, vp) + 4],
 * sweeping until a sweep moves neither coordinate by more than the tolerance (at most 20 sweeps).
 */
export function maximiseGaussian(objective: (mu: number, s: number) => number, m0: number, v0: number, mp: number, vp: number): Moments {
  const big = Math.sqrt(Math.max(v0, vp));
  const muLo = Math.min(m0, mp) - 10 * big;
  const muHi = Math.max(m0, mp) + 10 * big;
  const sLo = log(Math.min(v0, vp)) - 12;
  const sHi = log(Math.max(v0, vp)) + 4;
  const tolMu = 1e-12 * (muHi - muLo);
  const tolS = 1e-12 * (sHi - sLo);
  let mu = 0.5 * (m0 + mp);
  let s = 0.5 * (sLo + sHi);
  for (let sweep = 0; sweep < 20; sweep++) {
    const mu1 = goldenMax((x) => objective(x, s), muLo, muHi, tolMu);
    const s1 = goldenMax((x) => objective(mu1, x), sLo, sHi, tolS);
    const moved = Math.abs(mu1 - mu) > 1e-9 * big || Math.abs(s1 - s) > 1e-9;
    mu = mu1;
    s = s1;
    if (!moved && sweep > 0) break;
  }
  return {mean: mu, variance: exp(s)};
}

/** Result of one numerical check over random 1-D cases. */
export interface NumericCheck {
  cases: number;
  /** max |μ_closed − μ_numeric| / max(σ0, σp). */
  maxMeanErr: number;
  /** max |σ²_closed / σ²_numeric − 1|. */
  maxVarRelErr: number;
  tolerance: number;
  passed: boolean;
}

export interface NumericIdentityCheck {
  seed: number;
  /** `_poe` vs the quadrature moments of π0^(1−α)·p^α. */
  poeQuadrature: NumericCheck;
  /** `_klReg` vs the numerical argmax of β·E[log p] − KL(π‖π0). */
  klRegOptimum: NumericCheck;
  /** `_poe` vs the numerical argmax of α·E[log p] + (1−α)·E[log π0] + H(π). */
  poeOptimum: NumericCheck;
}

export interface NumericCheckOptions {
  seed?: number;
  /** Random 1-D cases per check (default 300). */
  cases?: number;
  /** The kernels under test (default gauss.ts `_poe`, `_klReg`); tests plant bugs here. */
  poe?: DiagKernel;
  klReg?: DiagKernel;
}

function acc(tolerance: number) {
  return {cases: 0, maxMeanErr: 0, maxVarRelErr: 0, tolerance, passed: true};
}

function track(c: NumericCheck, closed: Moments, numeric: Moments, scale: number): void {
  c.cases++;
  const em = Math.abs(closed.mean - numeric.mean) / scale;
  const ev = Math.abs(closed.variance / numeric.variance - 1);
  // NaN counts as a failure.
  if (!(em <= c.maxMeanErr)) c.maxMeanErr = Number.isNaN(em) ? Infinity : em;
  if (!(ev <= c.maxVarRelErr)) c.maxVarRelErr = Number.isNaN(ev) ? Infinity : ev;
  c.passed = c.maxMeanErr <= c.tolerance && c.maxVarRelErr <= c.tolerance;
}

/**
 * The three checks of the header on `cases` random 1-D pairs: means N(0, 2²), log-variances uniform in
 * [−4, 2] (σ from 0.14 to 2.7, the range the trained actors and priors produce), α uniform in
 * (0.02, 0.98), β = α/(1−α).
 */
export function numericIdentityCheck(options: NumericCheckOptions = {}): NumericIdentityCheck {
  const {seed = 0, cases = 300, poe = _poe, klReg = _klReg} = options;
  const rng = new Rng(seed, 43);
  const poeQuadrature = acc(NUMERIC_TOLERANCE.quadrature);
  const klRegOptimum = acc(NUMERIC_TOLERANCE.optimisation);
  const poeOptimum = acc(NUMERIC_TOLERANCE.optimisation);
  const a0 = new Float64Array(1);
  const b0 = new Float64Array(1);
  const ap = new Float64Array(1);
  const bp = new Float64Array(1);
  const om = new Float64Array(1);
  const ov = new Float64Array(1);
  for (let i = 0; i < cases; i++) {
    const m0 = 2 * rng.normal();
    const mp = 2 * rng.normal();
    const v0 = exp(-4 + 6 * rng.next());
    const vp = exp(-4 + 6 * rng.next());
    const alpha = 0.02 + 0.96 * rng.next();
    const beta = alpha / (1 - alpha);
    a0[0] = m0;
    b0[0] = v0;
    ap[0] = mp;
    bp[0] = vp;
    const scale = Math.sqrt(Math.max(v0, vp));
    poe(a0, b0, ap, bp, alpha, om, ov, 0, 1);
    const poeClosed = {mean: om[0], variance: ov[0]};
    klReg(a0, b0, ap, bp, beta, om, ov, 0, 1);
    const klClosed = {mean: om[0], variance: ov[0]};
    track(poeQuadrature, poeClosed, poeMomentsByQuadrature(m0, v0, mp, vp, alpha), scale);
    track(
      klRegOptimum,
      klClosed,
      maximiseGaussian((mu, s) => klRegObjective(mu, s, m0, v0, mp, vp, beta), m0, v0, mp, vp),
      scale,
    );
    track(
      poeOptimum,
      poeClosed,
      maximiseGaussian((mu, s) => poeObjective(mu, s, m0, v0, mp, vp, alpha), m0, v0, mp, vp),
      scale,
    );
  }
  return {seed, poeQuadrature, klRegOptimum, poeOptimum};
}
