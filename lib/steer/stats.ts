/**
 * Help / Frozen / Hurt classification of a steering configuration against the frozen actor
 * (spec/steering.md §5; the paper's exact test is unknown, so the rule is [OURS]).
 *
 * - Unit of comparison: a composed configuration vs the frozen actor on the same evaluation episodes,
 *   with common random numbers (same start/goal seeds), so the per-episode differences are paired.
 * - Primary statistic: paired mean difference Δ = mean(treatment − control) with a 95% Student-t interval
 *   (n − 1 df). Secondary: Welch's unpaired interval (Welch–Satterthwaite df) and a percentile bootstrap.
 * - Labels (`labelFromInterval`): Help if lo > 0 and Δ ≥ +minEffect; Hurt if hi < 0 and Δ ≤ −minEffect;
 *   Frozen (a tie) otherwise; minEffect = 1 normalized point by default.
 *
 * Special functions are implemented here, not taken from a library (lib/ is dependency-free):
 * - ln Γ: Lanczos (g = 7, n = 9; the widely published coefficient set) below 10, Stirling's series
 *   with seven Bernoulli terms from 10 on.
 * - Regularized incomplete beta I_x(a, b): continued fraction evaluated by the modified Lentz method
 *   (Numerical Recipes, 3rd ed., §6.4 `betacf`), with the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
 * - Regularized incomplete gamma: series / Lentz continued fraction (Numerical Recipes §6.2), used for
 *   the normal CDF Φ(x) = ½·Q(½, x²/2) for x < 0.
 * - Student-t CDF: F(t) = ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≤ 0 (Abramowitz & Stegun 26.7.1 / 26.5.27).
 * - Student-t inverse CDF: exact closed forms for ν = 1 (Cauchy: t = −cot(πp)) and ν = 2
 *   (t = (2p−1)/√(2p(1−p))); otherwise a Cornish–Fisher start (A&S 26.7.5, four terms) refined by a
 *   bracketed Newton iteration on ln F(t) (bisection whenever a Newton step leaves the bracket), which
 *   converges to full double precision.
 * - Large ν (> 3e4, see DF_ASYMPTOTIC): the Cornish–Fisher expansion itself is the quantile, and the CDF
 *   inverts it for z by Newton and returns Φ(z). ν = ∞ is the normal distribution, whose quantile is the
 *   same bracketed Newton refinement started from A&S 26.2.23.
 */
import {mean, meanVariance} from "../core/stats.js";
import {exp, log, log1p, tan} from "../core/detmath.js";
import type {Rng} from "../core/rng.js";

export type Label = "help" | "frozen" | "hurt";

/** Help / Frozen / Hurt counts over units or cells. */
export interface Split {
  help: number;
  frozen: number;
  hurt: number;
}
export type IntervalMethod = "paired" | "welch";

/** A two-sided Student-t interval for Δ = mean(treatment) − mean(control). */
export interface TInterval {
  method: IntervalMethod;
  /** Point estimate Δ. */
  estimate: number;
  /** Standard error of Δ. */
  se: number;
  /** Degrees of freedom (paired: n − 1; Welch: Welch–Satterthwaite, non-integer). */
  df: number;
  /** Critical value t_{(1+level)/2, df}. */
  tCrit: number;
  lo: number;
  hi: number;
  level: number;
  /** t statistic Δ/se (±∞ or NaN when se = 0). */
  t: number;
  /** Two-sided p-value 2·F(−|t|); when se = 0: 1 if Δ = 0, else 0. */
  pValue: number;
  /** Sample sizes (for the paired interval both equal the number of pairs). */
  nTreatment: number;
  nControl: number;
}

export interface ClassifyOptions {
  /** Interval used for the label: "paired" (primary, §5) or "welch" (secondary report). Default "paired". */
  method?: IntervalMethod;
  /** Confidence level of the interval. Default 0.95. */
  level?: number;
  /** Minimum |Δ| for Help or Hurt, in score units (normalized points, or percentage points). Default 1. */
  minEffect?: number;
}

export interface Classification {
  label: Label;
  interval: TInterval;
  minEffect: number;
}

/** The Δ threshold of §5: 1.0 normalized point. */
export const DEFAULT_MIN_EFFECT = 1.0;
/**
 * Above this df the t CDF and quantile use the Cornish–Fisher expansion instead of the incomplete beta,
 * whose continued fraction loses about log10(ν) digits near the centre (relative error ≈ 1e-17·ν).
 * Measured against 50-digit mpmath: the beta route is within 1e-12 (relative, lower tail) up to 3e4,
 * the expansion within 1e-12 from 3e4 on for |t| ≤ 15.
 */
const DF_ASYMPTOTIC = 3e4;
const EPS = 2.220446049250313e-16;
const FPMIN = 1e-300;

// ---------------------------------------------------------------------------------------------------
// Special functions
// ---------------------------------------------------------------------------------------------------

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LN_2PI = 0.5 * log(2 * Math.PI);

/** Stirling's series remainder ln Γ(x) − [(x−½)ln x − x + ½ ln 2π] for x ≥ 10 (Bernoulli terms B2…B14). */
function stirlingCorrection(x: number): number {
  const x2 = 1 / (x * x);
  return (1 / x) * (1 / 12 + x2 * (-1 / 360 + x2 * (1 / 1260 + x2 * (-1 / 1680 + x2 * (1 / 1188 + x2 * (-691 / 360360 + x2 * (1 / 156)))))));
}

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`invalid lnGamma argument: ${x} (expected x > 0)`);
  if (x === Infinity) return Infinity;
  if (x >= 10) return (x - 0.5) * log(x) - x + HALF_LN_2PI + stirlingCorrection(x);
  if (x < 0.5) return lnGamma(x + 1) - log(x); // Γ(x) = Γ(x+1)/x
  const z = x - 1;
  let a = LANCZOS[0];
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return HALF_LN_2PI + (z + 0.5) * log(t) - t + log(a);
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b). When the larger argument is ≥ 10, the difference
 * ln Γ(big) − ln Γ(big+small) is taken from Stirling's series directly, so that it does not cancel.
 */
export function lnBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < 10) return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
  return lnGamma(small) - small * log(big) - (big + small - 0.5) * log1p(small / big) + small + stirlingCorrection(big) - stirlingCorrection(big + small);
}

/** Continued fraction for I_x(a, b) (Numerical Recipes `betacf`, modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  const maxIter = 10000 + Math.ceil(20 * Math.sqrt(Math.max(a, b)));
  for (let m = 1; m <= maxIter; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= 2 * EPS) return h;
  }
  throw new RangeError(`incomplete beta did not converge (a = ${a}, b = ${b}, x = ${x})`);
}

/**
 * Regularized incomplete beta I_x(a, b), given x and y = 1 − x separately so that callers can pass both
 * without cancellation.
 */
export function _betaIncReg(a: number, b: number, x: number, y: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const lnx = x < 0.5 ? log(x) : log1p(-y);
  const lny = y < 0.5 ? log(y) : log1p(-x);
  const front = exp(a * lnx + b * lny - lnBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/** Regularized upper incomplete gamma Q(a, x) (Numerical Recipes `gser` / `gcf`). */
function gammaQ(a: number, x: number, lnGammaA: number): number {
  if (x <= 0) return 1;
  const front = exp(-x + a * log(x) - lnGammaA);
  if (x < a + 1) {
    // Series for P(a, x); Q = 1 − P (no cancellation concern here: Q ≥ ~0.08 for a = ½, x < 1.5).
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let n = 0; n < 10000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) return 1 - sum * front;
    }
    throw new RangeError(`incomplete gamma series did not converge (a = ${a}, x = ${x})`);
  }
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= 2 * EPS) return front * h;
  }
  throw new RangeError(`incomplete gamma fraction did not converge (a = ${a}, x = ${x})`);
}

const LN_GAMMA_HALF = 0.5 * log(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Standard normal CDF Φ(x) = ½ erfc(−x/√2), via Q(½, x²/2); accurate in relative terms in the lower tail. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new RangeError(`invalid x: ${x}`);
  if (x === -Infinity) return 0;
  if (x === Infinity) return 1;
  const q = 0.5 * gammaQ(0.5, 0.5 * x * x, LN_GAMMA_HALF);
  return x < 0 ? q : 1 - q;
}

function normalPdf(x: number): number {
  return INV_SQRT_2PI * exp(-0.5 * x * x);
}

function checkProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`invalid probability: ${p} (expected 0 ≤ p ≤ 1)`);
}

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`invalid degrees of freedom: ${df} (expected df > 0, ∞ allowed)`);
}

/**
 * Solve cdf(t) = q for t ≤ 0 (0 < q < ½) by Newton steps on ln cdf, kept inside a bracket [lo, hi] with
 * cdf(lo) < q < cdf(hi); a step that leaves the bracket is replaced by bisection (or by doubling while
 * no lower bound is known).
 */
function invertLowerTail(cdf: (t: number) => number, pdf: (t: number) => number, q: number, guess: number): number {
  let lo = -Infinity;
  let hi = 0;
  let t = guess < 0 && Number.isFinite(guess) ? guess : -1;
  const lnq = log(q);
  for (let iter = 0; iter < 300; iter++) {
    const f = cdf(t);
    if (f === q) return t;
    if (f < q) lo = t;
    else hi = t;
    let next = t - ((log(f) - lnq) * f) / pdf(t);
    if (!(next > lo && next < hi)) next = lo === -Infinity ? 2 * Math.min(hi, -1) : 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 4 * EPS * Math.abs(next)) return next;
    if (Number.isFinite(lo) && hi - lo <= 4 * EPS * Math.abs(lo)) return next;
    t = next;
  }
  return t;
}

/** Standard normal quantile Φ⁻¹(p): A&S 26.2.23 start, refined by bracketed Newton on ln Φ. */
export function normalQuantile(p: number): number {
  checkProbability(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const q = p < 0.5 ? p : 1 - p;
  const r = Math.sqrt(-2 * log(q));
  const guess = -(r - (2.515517 + 0.802853 * r + 0.010328 * r * r) / (1 + 1.432788 * r + 0.189269 * r * r + 0.001308 * r * r * r));
  const z = invertLowerTail(normalCdf, normalPdf, q, guess);
  return p < 0.5 ? z : -z;
}

/**
 * Cornish–Fisher expansion of the Student-t quantile in powers of 1/ν (Abramowitz & Stegun 26.7.5):
 * t = z + g1(z)/ν + g2(z)/ν² + g3(z)/ν³ + g4(z)/ν⁴, z the normal quantile, with
 * g1 = (z³ + z)/4, g2 = (5z⁵ + 16z³ + 3z)/96, g3 = (3z⁷ + 19z⁵ + 17z³ − 15z)/384,
 * g4 = (79z⁹ + 776z⁷ + 1482z⁵ − 1920z³ − 945z)/92160.
 */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  const r = 1 / df;
  return z + r * (g1 + r * (g2 + r * (g3 + r * g4)));
}

/** d/dz of `cornishFisher`. */
function cornishFisherSlope(z: number, df: number): number {
  const z2 = z * z;
  const d1 = (3 * z2 + 1) / 4;
  const d2 = ((25 * z2 + 48) * z2 + 3) / 96;
  const d3 = (((21 * z2 + 95) * z2 + 51) * z2 - 15) / 384;
  const d4 = ((((711 * z2 + 5432) * z2 + 7410) * z2 - 5760) * z2 - 945) / 92160;
  const r = 1 / df;
  return 1 + r * (d1 + r * (d2 + r * (d3 + r * d4)));
}

/** F_ν(t) for large ν: solve cornishFisher(z, ν) = t for z by Newton (slope ≈ 1), then F = Φ(z). */
function tCdfAsymptotic(t: number, df: number): number {
  let z = t - (t * (t * t + 1)) / (4 * df);
  for (let iter = 0; iter < 50; iter++) {
    const step = (cornishFisher(z, df) - t) / cornishFisherSlope(z, df);
    z -= step;
    if (Math.abs(step) <= 2 * EPS * Math.max(1, Math.abs(z))) break;
  }
  return normalCdf(z);
}

/** Lower tail F(−|t|) = ½ I_{ν/(ν+t²)}(ν/2, ½), computed without overflow for large |t|. */
function tLowerTail(t: number, df: number): number {
  const t2 = t * t;
  let x: number;
  let y: number;
  if (t2 < df) {
    x = df / (df + t2);
    y = t2 / (df + t2);
  } else {
    const u = df / Math.abs(t) / Math.abs(t); // ν/t², no overflow
    x = u / (1 + u);
    y = 1 / (1 + u);
  }
  return 0.5 * _betaIncReg(0.5 * df, 0.5, x, y);
}

/** Student-t density: exp(−ln B(ν/2, ½) − ½ ln ν − (ν+1)/2 · ln(1 + t²/ν)). */
function tPdf(t: number, df: number): number {
  const z = (t * t) / df;
  const l = Number.isFinite(z) ? log1p(z) : 2 * log(Math.abs(t)) - log(df);
  return exp(-lnBeta(0.5 * df, 0.5) - 0.5 * log(df) - 0.5 * (df + 1) * l);
}

/** Student-t CDF F_ν(t); ν = ∞ gives Φ(t). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t)) throw new RangeError(`invalid t: ${t}`);
  checkDf(df);
  if (df === Infinity) return normalCdf(t);
  if (t === -Infinity) return 0;
  if (t === Infinity) return 1;
  if (df > DF_ASYMPTOTIC) return tCdfAsymptotic(t, df);
  const tail = tLowerTail(t, df);
  return t <= 0 ? tail : 1 - tail;
}

/**
 * Student-t inverse CDF t_{p,ν} (see the header for the algorithm). Exact at p ∈ {0, ½, 1}
 * (−∞, 0, +∞), symmetric: t_{1−p} = −t_p. Accurate to a few ulp over the tested range
 * (ν ∈ [0.5, 1e8], p ∈ [1e-12, 1 − 1e-12]).
 */
export function studentTQuantile(p: number, df: number): number {
  checkProbability(p);
  checkDf(df);
  if (df === Infinity) return normalQuantile(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df > DF_ASYMPTOTIC) return cornishFisher(normalQuantile(p), df);
  const q = p < 0.5 ? p : 1 - p; // solve F(t) = q for t < 0, then reflect
  let t: number;
  if (df === 1) {
    t = -1 / tan(Math.PI * q); // Cauchy: F(t) = ½ + atan(t)/π
  } else if (df === 2) {
    t = (2 * q - 1) / Math.sqrt(2 * q * (1 - q)); // F(t) = ½ (1 + t/√(2+t²))
  } else {
    const guess = cornishFisher(normalQuantile(q), df);
    t = invertLowerTail(
      (s) => tLowerTail(s, df),
      (s) => tPdf(s, df),
      q,
      guess,
    );
  }
  return p < 0.5 ? t : -t;
}

// ---------------------------------------------------------------------------------------------------
// Intervals (§5)
// ---------------------------------------------------------------------------------------------------

function checkSample(x: ArrayLike<number>, name: string, min: number): void {
  if (x.length < min) throw new RangeError(`invalid ${name}: ${x.length} values (expected at least ${min})`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`invalid ${name} value at index ${i}: ${x[i]} (expected a finite number)`);
  }
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`invalid level: ${level} (expected 0 < level < 1)`);
}

/** Mean and its standard error s/√n (unbiased variance, n − 1 in the denominator); n ≥ 2. */
function meanSe(x: ArrayLike<number>): [number, number] {
  const [m, v] = meanVariance(x);
  return [m, Math.sqrt(v / x.length)];
}

/** A sample mean with its two-sided Student-t interval. */
export interface MeanInterval {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/**
 * Mean with a two-sided Student-t interval, mean ± t_{(1+level)/2, n−1}·s/√n; a single value has a
 * zero-width interval. The paired interval of §5 is this interval on the per-episode differences.
 */
export function meanInterval(x: ArrayLike<number>, level = 0.95): MeanInterval {
  const n = x.length;
  if (n < 1) throw new RangeError("invalid sample: empty");
  checkLevel(level);
  if (n === 1) {
    const m = mean(x);
    return {mean: m, lo: m, hi: m, n};
  }
  const [m, se] = meanSe(x);
  const half = studentTQuantile(0.5 * (1 + level), n - 1) * se;
  return {mean: m, lo: m - half, hi: m + half, n};
}

function finishInterval(method: IntervalMethod, estimate: number, se: number, df: number, level: number, nTreatment: number, nControl: number): TInterval {
  const tCrit = studentTQuantile(0.5 * (1 + level), df);
  const t = estimate / se;
  const pValue = se > 0 ? 2 * studentTCdf(-Math.abs(t), df) : estimate === 0 ? 1 : 0;
  return {method, estimate, se, df, tCrit, lo: estimate - tCrit * se, hi: estimate + tCrit * se, level, t, pValue, nTreatment, nControl};
}

/**
 * Paired Student-t interval for Δ = mean(treatment_i − control_i) (§5, primary): the episodes are
 * paired by common random numbers, so the statistic uses the per-episode differences; df = n − 1.
 */
export function pairedInterval(treatment: ArrayLike<number>, control: ArrayLike<number>, level = 0.95): TInterval {
  checkSample(treatment, "treatment", 2);
  checkSample(control, "control", 2);
  if (treatment.length !== control.length) {
    throw new RangeError(`shape mismatch: treatment has ${treatment.length} episodes, control ${control.length} (paired samples need equal lengths)`);
  }
  checkLevel(level);
  const n = treatment.length;
  const diff = new Float64Array(n);
  for (let i = 0; i < n; i++) diff[i] = treatment[i] - control[i];
  const [m, se] = meanSe(diff);
  return finishInterval("paired", m, se, n - 1, level, n, n);
}

/**
 * Welch's unpaired interval (§5, secondary report): se² = s_a²/n_a + s_b²/n_b and the
 * Welch–Satterthwaite df = se⁴ / [ (s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1) ]. If both samples are
 * constant (se = 0) the df is undefined; we then report n_a + n_b − 2 and a zero-width interval.
 */
export function welchInterval(treatment: ArrayLike<number>, control: ArrayLike<number>, level = 0.95): TInterval {
  checkSample(treatment, "treatment", 2);
  checkSample(control, "control", 2);
  checkLevel(level);
  const na = treatment.length;
  const nb = control.length;
  const [ma, va] = meanVariance(treatment);
  const [mb, vb] = meanVariance(control);
  const wa = va / na;
  const wb = vb / nb;
  const se2 = wa + wb;
  const df = se2 > 0 ? (se2 * se2) / ((wa * wa) / (na - 1) + (wb * wb) / (nb - 1)) : na + nb - 2;
  return finishInterval("welch", ma - mb, Math.sqrt(se2), df, level, na, nb);
}

/** The §5 labels from an interval: Help if lo > 0 and Δ ≥ minEffect; Hurt if hi < 0 and Δ ≤ −minEffect; else Frozen. */
export function labelFromInterval(interval: {estimate: number; lo: number; hi: number}, minEffect = DEFAULT_MIN_EFFECT): Label {
  if (!(minEffect >= 0 && minEffect < Infinity)) throw new RangeError(`invalid minEffect: ${minEffect} (expected a finite number ≥ 0)`);
  const {estimate, lo, hi} = interval;
  if (lo > 0 && estimate >= minEffect) return "help";
  if (hi < 0 && estimate <= -minEffect) return "hurt";
  return "frozen";
}

/**
 * Help / Frozen / Hurt (§5) of `treatment` (per-episode scores of a composed configuration) against
 * `control` (the frozen actor's scores on the same episodes). With method "welch" the same label rule
 * is applied to Welch's interval; minEffect = 0 then gives the plain "p < 0.05" reading.
 */
export function classify(treatment: ArrayLike<number>, control: ArrayLike<number>, options: ClassifyOptions = {}): Classification {
  const {method = "paired", level = 0.95, minEffect = DEFAULT_MIN_EFFECT} = options;
  let interval: TInterval;
  if (method === "paired") interval = pairedInterval(treatment, control, level);
  else if (method === "welch") interval = welchInterval(treatment, control, level);
  else throw new RangeError(`invalid method: ${JSON.stringify(method)} (accepted: paired, welch)`);
  return {label: labelFromInterval(interval, minEffect), interval, minEffect};
}

export interface BootstrapOptions {
  /** Number of resamples (§5: 10,000). */
  resamples?: number;
  /** Confidence level. Default 0.95. */
  level?: number;
}

export interface BootstrapInterval {
  estimate: number;
  lo: number;
  hi: number;
  level: number;
  resamples: number;
}

/**
 * Percentile bootstrap interval for the paired mean difference (§5, reported alongside the t-interval):
 * resample the n differences with replacement `resamples` times (indices from `rng.int(n)`), take the
 * (1−level)/2 and (1+level)/2 quantiles of the resampled means (linear interpolation between order
 * statistics, "type 7").
 */
export function pairedBootstrap(treatment: ArrayLike<number>, control: ArrayLike<number>, rng: Rng, options: BootstrapOptions = {}): BootstrapInterval {
  const {resamples = 10000, level = 0.95} = options;
  checkSample(treatment, "treatment", 1);
  checkSample(control, "control", 1);
  if (treatment.length !== control.length) {
    throw new RangeError(`shape mismatch: treatment has ${treatment.length} episodes, control ${control.length} (paired samples need equal lengths)`);
  }
  if (!Number.isInteger(resamples) || resamples < 2) throw new RangeError(`invalid resamples: ${resamples} (expected an integer ≥ 2)`);
  checkLevel(level);
  const n = treatment.length;
  const diff = new Float64Array(n);
  for (let i = 0; i < n; i++) diff[i] = treatment[i] - control[i];
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let t = 0;
    for (let i = 0; i < n; i++) t += diff[rng.int(n)];
    means[b] = t / n;
  }
  means.sort();
  return {estimate: mean(diff), lo: quantileSorted(means, 0.5 * (1 - level)), hi: quantileSorted(means, 0.5 * (1 + level)), level, resamples};
}

/** Type-7 quantile of a sorted array. */
function quantileSorted(x: Float64Array, p: number): number {
  const h = (x.length - 1) * p;
  const i = Math.floor(h);
  if (i >= x.length - 1) return x[x.length - 1];
  return x[i] + (h - i) * (x[i + 1] - x[i]);
}
