/**
 * Deterministic (bit-reproducible) elementary functions: exp, expm1, log, log1p, sin, cos, tan, tanh,
 * pow.
 *
 * Why: the project rule is "the same seed gives the same numbers in Node, in a Worker and in the
 * browser". IEEE-754 fixes the result of + − × ÷ and sqrt (and of Math.abs, floor, round, min, max,
 * fround, imul, clz32), but ECMAScript leaves Math.exp, Math.log, Math.sin, Math.cos, Math.tan,
 * Math.tanh, Math.pow, … "implementation-approximated". Engines do differ: Node 20 (V8 11.x) and
 * Chromium 156 return different last bits for a few percent of arguments, which made the Part II
 * simulations (lib/steer/) differ by ~4e-14 between the build (Node) and the page (browser).
 *
 * How: these are straight ports of FreeBSD's msun (Sun's fdlibm, "Copyright (C) 1993/2004 by Sun
 * Microsystems, Inc. … Permission to use, copy, modify, and distribute this software is freely
 * granted, provided that this notice is preserved."), using only IEEE basic operations (+ − × ÷,
 * Math.floor on values that are already integral-exact, sqrt) and 32-bit integer manipulation of the
 * high/low words of a double through a shared Float64Array/Int32Array view. No Math.* transcendental
 * is called, so the result is the same bits on every conforming engine. Every function is accurate to
 * < 1 ulp (fdlibm's own error analysis) and is checked against Math.* (within 1 ulp) and against golden
 * bit patterns in test/core/detmath.test.ts and in Chromium by test/browser/detmath-check.mjs.
 *
 * Source files (FreeBSD lib/msun/src, fdlibm 5.3 lineage, © Sun Microsystems, freely granted):
 *   exp   — e_exp.c           log   — e_log.c          log1p — s_log1p.c      expm1 — s_expm1.c
 *   tanh  — s_tanh.c          pow   — e_pow.c          scalbn (internal) — s_scalbn.c
 *   sin   — s_sin.c + k_sin.c + k_cos.c                 cos — s_cos.c + k_cos.c + k_sin.c
 *   tan   — s_tan.c + k_tan.c
 *   argument reduction for sin/cos/tan — e_rem_pio2.c (Bruce D. Evans' optimised version) and
 *   k_rem_pio2.c (Payne–Hanek for |x| ≥ 2^20·π/2, so huge arguments are reduced exactly).
 *
 * Deviations from the C code (both as in V8's own fdlibm port, src/base/ieee754.cc):
 *   - exp(1) returns Math.E (e_exp.c is 1 ulp high there);
 *   - pow follows ECMAScript's special cases: pow(x, NaN) is NaN even for x = 1, and pow(±1, ±Infinity)
 *     is NaN (C99 returns 1 for both).
 *
 * Only the functions that lib/ actually needs are ported (atan, atan2, hypot, cbrt are not used).
 * Math.PI and Math.E are constants (exactly specified doubles), so they need no replacement.
 */

// ---------------------------------------------------------------------------------------------------
// Word access (GET_HIGH_WORD & co. from math_private.h). One shared 8-byte buffer; JS is single
// threaded per realm, so a module-level scratch is safe. Endianness is detected once.

const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);
const U32 = new Uint32Array(F64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;

/** High word of x as a signed int32. */
function getHigh(x: number): number {
  F64[0] = x;
  return I32[HI];
}
/** Low word of x as an unsigned int32. */
function getLow(x: number): number {
  F64[0] = x;
  return U32[LO];
}
/** The double with high word h and low word l (both taken mod 2^32). */
function fromWords(h: number, l: number): number {
  I32[HI] = h;
  I32[LO] = l;
  return F64[0];
}
/** x with its low word replaced by l. */
function setLow(x: number, l: number): number {
  F64[0] = x;
  I32[LO] = l;
  return F64[0];
}
/** x with its high word replaced by h. */
function setHigh(x: number, h: number): number {
  F64[0] = x;
  I32[HI] = h;
  return F64[0];
}
const fabs = Math.abs; // exactly specified (clears the sign bit)
/** copysign(x, y) */
function copysign(x: number, y: number): number {
  F64[0] = y;
  const sign = I32[HI] & 0x80000000;
  F64[0] = x;
  I32[HI] = (I32[HI] & 0x7fffffff) | sign;
  return F64[0];
}

const HUGE = 1.0e300;
const TINY = 1.0e-300;
const TWO54 = 1.8014398509481984e16; // 0x43500000 00000000
const TWOM54 = 5.55111512312578270212e-17; // 0x3C900000 00000000

// ---------------------------------------------------------------------------------------------------
// s_scalbn.c

/** x·2^n, computed exactly (with correct rounding if the result is subnormal). */
function scalbn(x: number, n: number): number {
  let hx = getHigh(x);
  const lx = getLow(x);
  let k = (hx & 0x7ff00000) >> 20; // extract exponent
  if (k === 0) {
    // 0 or subnormal x
    if ((lx | (hx & 0x7fffffff)) === 0) return x; // +-0
    x *= TWO54;
    hx = getHigh(x);
    k = ((hx & 0x7ff00000) >> 20) - 54;
    if (n < -50000) return TINY * x; // underflow
  }
  if (k === 0x7ff) return x + x; // NaN or Inf
  k = k + n;
  if (k > 0x7fe) return HUGE * copysign(HUGE, x); // overflow
  if (k > 0) return setHigh(x, (hx & 0x800fffff) | (k << 20)); // normal result
  if (k <= -54) {
    if (n > 50000) return HUGE * copysign(HUGE, x); // overflow (n+k wrapped)
    return TINY * copysign(TINY, x); // underflow
  }
  k += 54; // subnormal result
  x = setHigh(x, (hx & 0x800fffff) | (k << 20));
  return x * TWOM54;
}

// ---------------------------------------------------------------------------------------------------
// e_exp.c

const EXP_O_THRESHOLD = 7.09782712893383973096e2; // 0x40862E42 FEFA39EF
const EXP_U_THRESHOLD = -7.45133219101941108420e2; // 0xc0874910 D52D3051
const LN2_HI = 6.93147180369123816490e-1; // 0x3fe62e42 fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 35793c76
const INVLN2 = 1.44269504088896338700e0; // 0x3ff71547 652b82fe
const P1 = 1.66666666666666019037e-1; // 0x3FC55555 5555553E
const P2 = -2.77777777770155933842e-3; // 0xBF66C16C 16BEBD93
const P3 = 6.61375632143793436117e-5; // 0x3F11566A AF25DE2C
const P4 = -1.65339022054652515390e-6; // 0xBEBBBD41 C5D26BF1
const P5 = 4.13813679705723846039e-8; // 0x3E663769 72BEA4D0
const TWOM1000 = 9.33263618503218878990e-302; // 2^-1000
const TWO1023 = 8.98846567431158e307; // 2^1023

/** e^x (fdlibm e_exp.c; error < 1 ulp). */
export function exp(x: number): number {
  let hx = getHigh(x);
  const xsb = (hx >>> 31) & 1; // sign bit of x
  hx &= 0x7fffffff; // high word of |x|
  let hi = 0;
  let lo = 0;
  let k = 0;

  // filter out non-finite argument
  if (hx >= 0x40862e42) {
    // |x| >= 709.78...
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | getLow(x)) !== 0) return x + x; // NaN
      return xsb === 0 ? x : 0.0; // exp(+-inf) = {inf, 0}
    }
    if (x > EXP_O_THRESHOLD) return HUGE * HUGE; // overflow
    if (x < EXP_U_THRESHOLD) return TWOM1000 * TWOM1000; // underflow
  }

  // argument reduction
  if (hx > 0x3fd62e42) {
    // |x| > 0.5 ln2
    if (hx < 0x3ff0a2b2) {
      // and |x| < 1.5 ln2
      // Not in e_exp.c: V8's port (src/base/ieee754.cc) special-cases exp(1) to return E, because the
      // code below gives E + 1 ulp there. Same here, so that exp(1) === Math.E.
      if (x === 1) return Math.E;
      if (xsb === 0) {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      } else {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      }
    } else {
      k = (INVLN2 * x + (xsb === 0 ? 0.5 : -0.5)) | 0;
      const t = k;
      hi = x - t * LN2_HI; // t*ln2HI is exact here
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2**-28
    return 1 + x;
  } else k = 0;

  // x is now in primary range
  const t = x * x;
  const twopk = k >= -1021 ? fromWords(0x3ff00000 + (k << 20), 0) : fromWords(0x3ff00000 + ((k + 1000) << 20), 0);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x);
  const y = 1 - (lo - (x * c) / (2.0 - c) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2.0 * TWO1023;
    return y * twopk;
  }
  return y * twopk * TWOM1000;
}

// ---------------------------------------------------------------------------------------------------
// e_log.c

const LG1 = 6.666666666666735130e-1; // 3FE55555 55555593
const LG2 = 3.999999999940941908e-1; // 3FD99999 9997FA04
const LG3 = 2.857142874366239149e-1; // 3FD24924 94229359
const LG4 = 2.222219843214978396e-1; // 3FCC71C5 1D8E78AF
const LG5 = 1.818357216161805012e-1; // 3FC74664 96CB03DE
const LG6 = 1.531383769920937332e-1; // 3FC39A09 D078C69F
const LG7 = 1.479819860511658591e-1; // 3FC2F112 DF3E5244

/** Natural logarithm (fdlibm e_log.c; error < 1 ulp). */
export function log(x: number): number {
  let hx = getHigh(x);
  const lx = getLow(x);
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2**-1022
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity; // log(+-0) = -inf
    if (hx < 0) return NaN; // log(-#) = NaN
    k -= 54;
    x *= TWO54; // subnormal number, scale up x
    hx = getHigh(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = setHigh(x, hx | (i ^ 0x3ff00000)); // normalize x or x/2
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    // -2**-20 <= f < 2**-20
    if (f === 0) {
      if (k === 0) return 0;
      const dk = k;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k === 0) return f - R;
    const dk = k;
    return dk * LN2_HI - (R - dk * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const dk = k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}

// ---------------------------------------------------------------------------------------------------
// s_log1p.c (same polynomial as e_log.c: Lp1..Lp7 = Lg1..Lg7)

/** ln(1 + x), accurate for small x (fdlibm s_log1p.c; error < 1 ulp). */
export function log1p(x: number): number {
  const hx = getHigh(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let c = 0;
  let hu = 0;
  if (hx < 0x3fda827a) {
    // 1+x < sqrt(2)+
    if (ax >= 0x3ff00000) {
      // x <= -1.0
      if (x === -1.0) return -Infinity; // log1p(-1) = -inf
      return NaN; // log1p(x<-1) = NaN
    }
    if (ax < 0x3e200000) {
      // |x| < 2**-29
      if (ax < 0x3c900000) return x; // |x| < 2**-54
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      // sqrt(2)/2- <= 1+x < sqrt(2)+
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = getHigh(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0); // correction term
      c /= u;
    } else {
      u = x;
      hu = getHigh(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    // The approximation to sqrt(2) used in thresholds is not critical. However, the ones used above
    // must give less strict bounds than the one here so that the k==0 case is never reached from
    // here, since here we have committed to using the correction term but don't use it if k==0.
    if (hu < 0x6a09e) {
      // u ~< sqrt(2)
      u = setHigh(u, hu | 0x3ff00000); // normalize u
    } else {
      k += 1;
      u = setHigh(u, hu | 0x3fe00000); // normalize u/2
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2**-20
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const R = hfsq * (1.0 - 0.66666666666666666 * f);
    if (k === 0) return f - R;
    return k * LN2_HI - (R - (k * LN2_LO + c) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const R = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + (k * LN2_LO + c)) - f);
}

// ---------------------------------------------------------------------------------------------------
// s_expm1.c

const Q1 = -3.33333333333331316428e-2; // BFA11111 111110F4
const Q2 = 1.58730158725481460165e-3; // 3F5A01A0 19FE5585
const Q3 = -7.93650757867487942473e-5; // BF14CE19 9EAADBB7
const Q4 = 4.00821782732936239552e-6; // 3ED0CFCA 86E65239
const Q5 = -2.01099218183624371326e-7; // BE8AFDB7 6E09C32D

/** e^x − 1, accurate for small x (fdlibm s_expm1.c; error < 1 ulp). */
export function expm1(x: number): number {
  // [PERF] The range tests compare |x| with the doubles whose high word is fdlibm's threshold and
  // whose low word is 0 (for a non-negative double, "high word ≥ H" ⇔ "value ≥ that double"), and
  // powers of two come from tables built with the same words: the same results as word access,
  // without a store and reload of x per call (this runs inside every tanh of the Part II networks).
  const ax = x < 0 ? -x : x;
  if (!(ax < EXPM1_HUGE)) {
    // |x| ≥ 56·ln2, inf or NaN: fdlibm's first branch; a large finite positive x goes on below.
    const r = expm1Huge(x);
    if (r !== null) return r;
  }
  const xsb = x < 0;
  let k = 0;
  let c = 0;

  // argument reduction
  if (ax >= EXPM1_HALF_LN2) {
    // |x| > 0.5 ln2
    let hi: number;
    let lo: number;
    if (ax < EXPM1_3HALF_LN2) {
      // and |x| < 1.5 ln2
      if (!xsb) {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      } else {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      }
    } else {
      k = (INVLN2 * x + (!xsb ? 0.5 : -0.5)) | 0;
      const t = k;
      hi = x - t * LN2_HI; // t*ln2_hi is exact here
      lo = t * LN2_LO;
    }
    x = hi - lo;
    c = hi - x - lo;
  } else if (ax < EXPM1_TINY) {
    // |x| < 2**-54, return x
    return x;
  } else k = 0;
  return expm1Reduced(x, k, c);
}

/** fdlibm's first branch of expm1 (|x| ≥ 56·ln2, ±inf, NaN), on words; null: x needs the reduction. */
function expm1Huge(x: number): number | null {
  const hxs = getHigh(x);
  const xsb = hxs < 0;
  const hx = hxs & 0x7fffffff;
  if (hx >= 0x40862e42) {
    // |x| >= 709.78...
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | getLow(x)) !== 0) return x + x; // NaN
      return !xsb ? x : -1.0; // exp(+-inf) - 1 = {inf, -1}
    }
    if (x > EXP_O_THRESHOLD) return HUGE * HUGE; // overflow
  }
  if (xsb) return TINY - 1; // x < -56*ln2, return -1.0
  return null;
}

/** fdlibm expm1 from the reduced argument x (|x| ≤ 0.5 ln2), k and the correction c. */
function expm1Reduced(x: number, k: number, c: number): number {
  // x is now in primary range
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  let t = 3.0 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k === 0) return x - (x * e - hxs); // c is 0
  const twopk = k >= -1022 && k <= 1023 ? POW2[k + 1022] : fromWords(0x3ff00000 + (k << 20), 0); // 2^k
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) {
    if (x < -0.25) return -2.0 * (e - (x + 0.5));
    return 1 + 2.0 * (x - e);
  }
  let y: number;
  if (k <= -2 || k > 56) {
    // suffice to return exp(x)-1
    y = 1 - (e - x);
    if (k === 1024) y = y * 2.0 * TWO1023;
    else y = y * twopk;
    return y - 1;
  }
  if (k < 20) {
    t = ONE_MINUS_POW2[k]; // t = 1-2^-k
    y = t - (e - x);
    y = y * twopk;
  } else {
    t = POW2[1022 - k]; // 2^-k
    y = x - (e + t);
    y += 1;
    y = y * twopk;
  }
  return y;
}

/** 2^k for k = −1022…1023 at POW2[k + 1022], and 1 − 2^−k for k = 2…19, built from fdlibm's words. */
const POW2 = Float64Array.from({length: 2046}, (_, i) => fromWords(0x3ff00000 + ((i - 1022) << 20), 0));
const ONE_MINUS_POW2 = Float64Array.from({length: 20}, (_, k) => (k >= 2 ? fromWords(0x3ff00000 - (0x200000 >> k), 0) : NaN));
/** The thresholds of fdlibm's expm1 as doubles (high word, low word 0). */
const EXPM1_HUGE = fromWords(0x4043687a, 0); // 56 ln2
const EXPM1_HALF_LN2 = fromWords(0x3fd62e43, 0); // hx > 0x3fd62e42
const EXPM1_3HALF_LN2 = fromWords(0x3ff0a2b2, 0);
const EXPM1_TINY = fromWords(0x3c900000, 0); // 2^-54

// ---------------------------------------------------------------------------------------------------
// s_tanh.c

/** Hyperbolic tangent (fdlibm s_tanh.c, built on expm1; s_tanh.c states no bound, measured < 1 ulp). */
export function tanh(x: number): number {
  // [PERF] Range tests on |x| against fdlibm's thresholds as doubles (see expm1): 22, 2^-28, 1.
  const ax = x < 0 ? -x : x;
  let z: number;

  // x is INF or NaN
  if (!(ax < Infinity)) {
    if (getHigh(x) >= 0) return 1 / x + 1; // tanh(+-inf) = +-1
    return 1 / x - 1; // tanh(NaN) = NaN
  }

  if (ax < 22) {
    // |x| < 22
    if (ax < TANH_TINY) return x; // |x| < 2**-28: tanh(tiny) = tiny
    if (ax >= 1) {
      // |x| >= 1
      const t = expm1(2 * fabs(x));
      z = 1 - 2 / (t + 2);
    } else {
      const t = expm1(-2 * fabs(x));
      z = -t / (t + 2);
    }
  } else {
    // |x| >= 22, return +-1
    z = 1 - TINY;
  }
  return x > 0 ? z : -z; // x ≠ ±0 here (|x| ≥ 2^-28)
}

const TANH_TINY = fromWords(0x3e300000, 0); // 2^-28

// ---------------------------------------------------------------------------------------------------
// e_pow.c

const BP = [1.0, 1.5];
const DP_H = [0.0, 5.84962487220764160156e-1]; // 0x3FE2B803 40000000
const DP_L = [0.0, 1.35003920212974897128e-8]; // 0x3E4CFDEB 43CFD006
const TWO53 = 9007199254740992.0; // 0x43400000 00000000
// poly coefs for (3/2)*(log(x)-2s-2/3*s**3
const L1 = 5.99999999999994648725e-1; // 0x3FE33333 33333303
const L2 = 4.28571428578550184252e-1; // 0x3FDB6DB6 DB6FABFF
const L3 = 3.33333329818377432918e-1; // 0x3FD55555 518F264D
const L4 = 2.72728123808534006489e-1; // 0x3FD17460 A91D4101
const L5 = 2.30660745775561754067e-1; // 0x3FCD864A 93C9DB65
const L6 = 2.06975017800338417784e-1; // 0x3FCA7E28 4A454EEF
const LG2_ = 6.93147180559945286227e-1; // 0x3FE62E42 FEFA39EF
const LG2_H = 6.93147182464599609375e-1; // 0x3FE62E43 00000000
const LG2_L = -1.90465429995776804525e-9; // 0xBE205C61 0CA86C39
const OVT = 8.0085662595372944372e-17; // -(1024-log2(ovfl+.5ulp))
const CP = 9.61796693925975554329e-1; // 0x3FEEC709 DC3A03FD = 2/(3ln2)
const CP_H = 9.61796700954437255859e-1; // 0x3FEEC709 E0000000 = (float)cp
const CP_L = -7.02846165095275826516e-9; // 0xBE3E2FE0 145B01F5 = tail of cp_h
const IVLN2 = 1.44269504088896338700e0; // 0x3FF71547 652B82FE = 1/ln2
const IVLN2_H = 1.44269502162933349609e0; // 0x3FF71547 60000000 = 24b 1/ln2
const IVLN2_L = 1.92596299112661746887e-8; // 0x3E54AE0B F85DDF44 = 1/ln2 tail

/**
 * x^y (fdlibm e_pow.c; error < 1 ulp, exact for representable integer powers of integers), with the
 * ECMAScript special cases: pow(x, NaN) = NaN (also for x = 1) and pow(±1, ±Infinity) = NaN.
 */
export function pow(x: number, y: number): number {
  const hx = getHigh(x);
  const lx = getLow(x);
  const hy = getHigh(y);
  const ly = getLow(y);
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;

  // y == zero: x**0 = 1
  if ((iy | ly) === 0) return 1;

  // ECMAScript: y NaN → NaN (C99 returns 1 for x == 1); (±1)**±inf → NaN (C99: 1).
  if (y !== y) return NaN;
  if (iy === 0x7ff00000 && ly === 0 && ix === 0x3ff00000 && lx === 0) return NaN;

  // x == 1: 1**y = 1
  if (hx === 0x3ff00000 && lx === 0) return 1;

  // y != zero: result is NaN if either arg is NaN
  if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0) || iy > 0x7ff00000 || (iy === 0x7ff00000 && ly !== 0))
    return x + 0.0 + (y + 0.0);

  // determine if y is an odd int when x < 0
  // yisint = 0 ... y is not an integer; 1 ... y is an odd int; 2 ... y is an even int
  let yisint = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) yisint = 2; // even integer y
    else if (iy >= 0x3ff00000) {
      const k = (iy >> 20) - 0x3ff; // exponent
      if (k > 20) {
        const j = ly >>> (52 - k);
        if (((j << (52 - k)) >>> 0) === ly) yisint = 2 - (j & 1);
      } else if (ly === 0) {
        const j = iy >> (20 - k);
        if (j << (20 - k) === iy) yisint = 2 - (j & 1);
      }
    }
  }

  // special value of y
  if (ly === 0) {
    if (iy === 0x7ff00000) {
      // y is +-inf
      if (((ix - 0x3ff00000) | lx) === 0) return 1; // (-1)**+-inf is 1 in C (handled above for JS)
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0; // (|x|>1)**+-inf = inf,0
      return hy < 0 ? -y : 0; // (|x|<1)**-,+inf = inf,0
    }
    if (iy === 0x3ff00000) {
      // y is +-1
      if (hy < 0) return 1 / x;
      return x;
    }
    if (hy === 0x40000000) return x * x; // y is 2
    if (hy === 0x3fe00000) {
      // y is 0.5
      if (hx >= 0) return Math.sqrt(x); // x >= +0 (sqrt is correctly rounded by IEEE 754)
    }
  }

  let ax = fabs(x);
  // special value of x
  if (lx === 0) {
    if (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000) {
      let z = ax; // x is +-0,+-inf,+-1
      if (hy < 0) z = 1 / z; // z = (1/|x|)
      if (hx < 0) {
        if (((ix - 0x3ff00000) | yisint) === 0) {
          z = NaN; // (-1)**non-int is NaN
        } else if (yisint === 1) z = -z; // (x<0)**odd = -(|x|**odd)
      }
      return z;
    }
  }

  let n = (hx >>> 31) - 1;

  // (x<0)**(non-int) is NaN
  if ((n | yisint) === 0) return NaN;

  let s = 1; // s (sign of result -ve**odd) = -1 else = 1
  if ((n | (yisint - 1)) === 0) s = -1; // (-ve)**(odd int)

  let t1: number;
  let t2: number;
  // |y| is huge
  if (iy > 0x41e00000) {
    // if |y| > 2**31
    if (iy > 0x43f00000) {
      // if |y| > 2**64, must o/uflow
      if (ix <= 0x3fefffff) return hy < 0 ? HUGE * HUGE : TINY * TINY;
      if (ix >= 0x3ff00000) return hy > 0 ? HUGE * HUGE : TINY * TINY;
    }
    // over/underflow if x is not close to one
    if (ix < 0x3fefffff) return hy < 0 ? s * HUGE * HUGE : s * TINY * TINY;
    if (ix > 0x3ff00000) return hy > 0 ? s * HUGE * HUGE : s * TINY * TINY;
    // now |1-x| is tiny <= 2**-20, suffice to compute log(x) by x-x^2/2+x^3/3-x^4/4
    const t = ax - 1; // t has 20 trailing zeros
    const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = IVLN2_H * t; // ivln2_h has 21 sig. bits
    const v = t * IVLN2_L - w * IVLN2;
    t1 = setLow(u + v, 0);
    t2 = v - (t1 - u);
  } else {
    n = 0;
    // take care subnormal number
    if (ix < 0x00100000) {
      ax *= TWO53;
      n -= 53;
      ix = getHigh(ax);
    }
    n += (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    // determine interval
    ix = j | 0x3ff00000; // normalize ix
    let k: number;
    if (j <= 0x3988e) k = 0; // |x|<sqrt(3/2)
    else if (j < 0xbb67a) k = 1; // |x|<sqrt(3)
    else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    ax = setHigh(ax, ix);

    // compute ss = s_h+s_l = (x-1)/(x+1) or (x-1.5)/(x+1.5)
    let u = ax - BP[k]; // bp[0]=1.0, bp[1]=1.5
    let v = 1 / (ax + BP[k]);
    const ss = u * v;
    const s_h = setLow(ss, 0);
    // t_h=ax+bp[k] High
    let t_h = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
    let t_l = ax - (t_h - BP[k]);
    const s_l = v * (u - s_h * t_h - s_h * t_l);
    // compute log(ax)
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += s_l * (s_h + ss);
    s2 = s_h * s_h;
    t_h = setLow(3.0 + s2 + r, 0);
    t_l = r - (t_h - 3.0 - s2);
    // u+v = ss*(1+...)
    u = s_h * t_h;
    v = s_l * t_h + t_l * ss;
    // 2/(3log2)*(ss+...)
    const p_h = setLow(u + v, 0);
    const p_l = v - (p_h - u);
    const z_h = CP_H * p_h; // cp_h+cp_l = 2/(3*log2)
    const z_l = CP_L * p_h + p_l * CP + DP_L[k];
    // log2(ax) = (ss+..)*2/(3*log2) = n + dp_h + z_h + z_l
    const t = n;
    t1 = setLow(z_h + z_l + DP_H[k] + t, 0);
    t2 = z_l - (t1 - t - DP_H[k] - z_h);
  }

  // split up y into y1+y2 and compute (y1+y2)*(t1+t2)
  const y1 = setLow(y, 0);
  const p_l = (y - y1) * t1 + y * t2;
  let p_h = y1 * t1;
  let z = p_l + p_h;
  let j = getHigh(z);
  let i = getLow(z) | 0;
  if (j >= 0x40900000) {
    // z >= 1024
    if (((j - 0x40900000) | i) !== 0) return s * HUGE * HUGE; // overflow
    if (p_l + OVT > z - p_h) return s * HUGE * HUGE; // overflow
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    // z <= -1075
    if (((j - 0xc090cc00) | i) !== 0) return s * TINY * TINY; // underflow
    if (p_l <= z - p_h) return s * TINY * TINY; // underflow
  }
  // compute 2**(p_h+p_l)
  i = j & 0x7fffffff;
  let k = (i >> 20) - 0x3ff;
  n = 0;
  if (i > 0x3fe00000) {
    // if |z| > 0.5, set n = [z+0.5]
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff; // new k for n
    const t = fromWords(n & ~(0x000fffff >> k), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    p_h -= t;
  }
  let t = setLow(p_l + p_h, 0);
  const u = t * LG2_H;
  const v = (p_l - (t - p_h)) * LG2_ + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  t = z * z;
  t1 = z - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const r = (z * t1) / (t1 - 2) - (w + z * w);
  z = 1 - (r - z);
  j = getHigh(z);
  j = (j + (n << 20)) | 0;
  if (j >> 20 <= 0) z = scalbn(z, n); // subnormal output
  else z = setHigh(z, j);
  return s * z;
}

// ---------------------------------------------------------------------------------------------------
// k_sin.c, k_cos.c, k_tan.c — kernels on [-π/4, π/4]; y is the tail of x.

const S1 = -1.66666666666666324348e-1; // 0xBFC55555 55555549
const S2 = 8.33333333332248946124e-3; // 0x3F811111 1110F8A6
const S3 = -1.98412698298579493134e-4; // 0xBF2A01A0 19C161D5
const S4 = 2.75573137070700676789e-6; // 0x3EC71DE3 57B1FE7D
const S5 = -2.50507602534068634195e-8; // 0xBE5AE5E6 8A2B9CEB
const S6 = 1.58969099521155010221e-10; // 0x3DE5D93A 5ACFD57C

function kernelSin(x: number, y: number, iy: number): number {
  const z = x * x;
  const w = z * z;
  const r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  const v = z * x;
  if (iy === 0) return x + v * (S1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}

const C1 = 4.16666666666666019037e-2; // 0x3FA55555 5555554C
const C2 = -1.38888888888741095749e-3; // 0xBF56C16C 16C15177
const C3 = 2.48015872894767294178e-5; // 0x3EFA01A0 19CB1590
const C4 = -2.75573143513906633035e-7; // 0xBE927E4F 809C52AD
const C5 = 2.08757232129817482790e-9; // 0x3E21EE9E BDB4B1C4
const C6 = -1.13596475577881948265e-11; // 0xBDA8FAE9 BE8838D4

function kernelCos(x: number, y: number): number {
  const z = x * x;
  let w = z * z;
  const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  const hz = 0.5 * z;
  w = 1 - hz;
  return w + (1 - w - hz + (z * r - x * y));
}

const T = [
  3.33333333333334091986e-1, // 3FD55555 55555563
  1.33333333333201242699e-1, // 3FC11111 1110FE7A
  5.39682539762260521377e-2, // 3FABA1BA 1BB341FE
  2.18694882948595424599e-2, // 3F9664F4 8406D637
  8.86323982359930005737e-3, // 3F8226E3 E96E8493
  3.59207910759131235356e-3, // 3F6D6D22 C9560328
  1.45620945432529025516e-3, // 3F57DBC8 FEE08315
  5.88041240820264096874e-4, // 3F4344D8 F2F26501
  2.46463134818469906812e-4, // 3F3026F7 1A8D1068
  7.81794442939557092300e-5, // 3F147E88 A03792A6
  7.14072491382608190305e-5, // 3F12B80F 32F0A7E9
  -1.85586374855275456654e-5, // BEF375CB DB605373
  2.59073051863633712884e-5, // 3EFB2A70 74BF7AD4
];
const PIO4 = 7.85398163397448278999e-1; // 3FE921FB 54442D18
const PIO4LO = 3.06161699786838301793e-17; // 3C81A626 33145C07

/** tan(x+y) if iy = 1, −1/tan(x+y) if iy = −1. */
function kernelTan(x: number, y: number, iy: number): number {
  const hx = getHigh(x);
  const ix = hx & 0x7fffffff; // high word of |x|
  if (ix >= 0x3fe59428) {
    // |x| >= 0.6744
    if (hx < 0) {
      x = -x;
      y = -y;
    }
    const z0 = PIO4 - x;
    const w0 = PIO4LO - y;
    x = z0 + w0;
    y = 0.0;
  }
  let z = x * x;
  let w = z * z;
  // Break x^5*(T[1]+x^2*T[2]+...) into x^5(T[1]+x^4*T[3]+...+x^20*T[11]) +
  // x^5(x^2*(T[2]+x^4*T[4]+...+x^22*[T12]))
  let r = T[1] + w * (T[3] + w * (T[5] + w * (T[7] + w * (T[9] + w * T[11]))));
  let v = z * (T[2] + w * (T[4] + w * (T[6] + w * (T[8] + w * (T[10] + w * T[12])))));
  let s = z * x;
  r = y + z * (s * (r + v) + y);
  r += T[0] * s;
  w = x + r;
  if (ix >= 0x3fe59428) {
    v = iy;
    return (1 - ((hx >> 30) & 2)) * (v - 2.0 * (x - ((w * w) / (w + v) - r)));
  }
  if (iy === 1) return w;
  // compute -1.0 / (x+r) accurately
  z = setLow(w, 0);
  v = r - (z - x); // z+v = r+x
  const a = -1.0 / w;
  const t = setLow(a, 0);
  s = 1.0 + t * z;
  return t + a * (s + t * v);
}

// ---------------------------------------------------------------------------------------------------
// k_rem_pio2.c — Payne–Hanek reduction for large arguments.

/** 2/π, 24 bits per entry (66 entries: enough for every double; e0 ≤ 1024). */
const IPIO2 = [
  0xa2f983, 0x6e4e44, 0x1529fc, 0x2757d1, 0xf534dd, 0xc0db62, 0x95993c, 0x439041, 0xfe5163, 0xabdebb, 0xc561b7,
  0x246e3a, 0x424dd2, 0xe00649, 0x2eea09, 0xd1921c, 0xfe1deb, 0x1cb129, 0xa73ee8, 0x8235f5, 0x2ebb44, 0x84e99c,
  0x7026b4, 0x5f7e41, 0x3991d6, 0x398353, 0x39f49c, 0x845f8b, 0xbdf928, 0x3b1ff8, 0x97ffde, 0x05980f, 0xef2f11,
  0x8b5a0a, 0x6d1f6d, 0x367ecf, 0x27cb09, 0xb74f46, 0x3f669e, 0x5fea2d, 0x7527ba, 0xc7ebe5, 0xf17b3d, 0x0739f7,
  0x8a5292, 0xea6bfb, 0x5fb11f, 0x8d5d08, 0x560330, 0x46fc7b, 0x6babf0, 0xcfbc20, 0x9af436, 0x1da9e3, 0x91615e,
  0xe61b08, 0x659985, 0x5f14a0, 0x68408d, 0xffd880, 0x4d7327, 0x310606, 0x1556ca, 0x73a8c9, 0x60e27b, 0xc08c6b,
];
const PIO2 = [
  1.57079625129699707031e0, // 0x3FF921FB 40000000
  7.54978941586159635335e-8, // 0x3E74442D 00000000
  5.39030252995776476554e-15, // 0x3CF84698 80000000
  3.28200341580791294123e-22, // 0x3B78CC51 60000000
  1.27065575308067607349e-29, // 0x39F01B83 80000000
  1.22933308981111328932e-36, // 0x387A2520 40000000
  2.73370053816464559624e-44, // 0x36E38222 80000000
  2.16741683877804819444e-51, // 0x3569F31D 00000000
];
const TWO24 = 1.6777216e7; // 0x41700000 00000000
const TWON24 = 5.9604644775390625e-8; // 0x3E700000 00000000

// Scratch arrays (the C code's automatic arrays).
const KR_IQ = new Int32Array(20);
const KR_F = new Float64Array(20);
const KR_FQ = new Float64Array(20);
const KR_Q = new Float64Array(20);

/**
 * __kernel_rem_pio2(x, y, e0, nx, prec = 1): x[0..nx-1] are 24-bit chunks of |input|, x[0]·2^e0 the
 * leading one. Writes the reduced value to y[0] + y[1] and returns the last three bits of N.
 */
function kernelRemPio2(x: Float64Array, y: Float64Array, e0: number, nx: number): number {
  const iq = KR_IQ;
  const f = KR_F;
  const fq = KR_FQ;
  const q = KR_Q;
  const jk = 4; // init_jk[prec = 1]
  const jp = jk;

  // determine jx, jv, q0, note that 3 > q0
  const jx = nx - 1;
  let jv = ((e0 - 3) / 24) | 0; // C integer division (truncation)
  if (jv < 0) jv = 0;
  let q0 = e0 - 24 * (jv + 1);

  // set up f[0] to f[jx+jk] where f[jx+jk] = ipio2[jv+jk]
  let j = jv - jx;
  const m = jx + jk;
  for (let i = 0; i <= m; i++, j++) f[i] = j < 0 ? 0 : IPIO2[j];

  // compute q[0],q[1],...q[jk]
  for (let i = 0; i <= jk; i++) {
    let fw = 0.0;
    for (j = 0; j <= jx; j++) fw += x[j] * f[jx + i - j];
    q[i] = fw;
  }

  let jz = jk;
  let z = 0;
  let n = 0;
  let ih = 0;
  for (;;) {
    // recompute:
    // distill q[] into iq[] reversingly
    let i = 0;
    j = jz;
    z = q[jz];
    for (; j > 0; i++, j--) {
      const fw = (TWON24 * z) | 0;
      iq[i] = (z - TWO24 * fw) | 0;
      z = q[j - 1] + fw;
    }

    // compute n
    z = scalbn(z, q0); // actual value of z
    z -= 8.0 * Math.floor(z * 0.125); // trim off integer >= 8
    n = z | 0;
    z -= n;
    ih = 0;
    if (q0 > 0) {
      // need iq[jz-1] to determine n
      i = iq[jz - 1] >> (24 - q0);
      n += i;
      iq[jz - 1] -= i << (24 - q0);
      ih = iq[jz - 1] >> (23 - q0);
    } else if (q0 === 0) ih = iq[jz - 1] >> 23;
    else if (z >= 0.5) ih = 2;

    if (ih > 0) {
      // q > 0.5
      n += 1;
      let carry = 0;
      for (i = 0; i < jz; i++) {
        // compute 1-q
        const jj = iq[i];
        if (carry === 0) {
          if (jj !== 0) {
            carry = 1;
            iq[i] = 0x1000000 - jj;
          }
        } else iq[i] = 0xffffff - jj;
      }
      if (q0 > 0) {
        // rare case: chance is 1 in 12
        switch (q0) {
          case 1:
            iq[jz - 1] &= 0x7fffff;
            break;
          case 2:
            iq[jz - 1] &= 0x3fffff;
            break;
        }
      }
      if (ih === 2) {
        z = 1 - z;
        if (carry !== 0) z -= scalbn(1, q0);
      }
    }

    // check if recomputation is needed
    if (z === 0) {
      j = 0;
      for (i = jz - 1; i >= jk; i--) j |= iq[i];
      if (j === 0) {
        // need recomputation
        let k = 1;
        while (iq[jk - k] === 0) k++; // k = no. of terms needed
        for (i = jz + 1; i <= jz + k; i++) {
          // add q[jz+1] to q[jz+k]
          f[jx + i] = IPIO2[jv + i];
          let fw = 0.0;
          for (j = 0; j <= jx; j++) fw += x[j] * f[jx + i - j];
          q[i] = fw;
        }
        jz += k;
        continue; // goto recompute
      }
    }
    break;
  }

  // chop off zero terms
  if (z === 0.0) {
    jz -= 1;
    q0 -= 24;
    while (iq[jz] === 0) {
      jz--;
      q0 -= 24;
    }
  } else {
    // break z into 24-bit if necessary
    z = scalbn(z, -q0);
    if (z >= TWO24) {
      const fw = (TWON24 * z) | 0;
      iq[jz] = (z - TWO24 * fw) | 0;
      jz += 1;
      q0 += 24;
      iq[jz] = fw;
    } else iq[jz] = z | 0;
  }

  // convert integer "bit" chunk to floating-point value
  let fw = scalbn(1, q0);
  for (let i = jz; i >= 0; i--) {
    q[i] = fw * iq[i];
    fw *= TWON24;
  }

  // compute PIo2[0,...,jp]*q[jz,...,0]
  for (let i = jz; i >= 0; i--) {
    fw = 0.0;
    for (let k = 0; k <= jp && k <= jz - i; k++) fw += PIO2[k] * q[i + k];
    fq[jz - i] = fw;
  }

  // compress fq[] into y[] (prec 1 / 2)
  fw = 0.0;
  for (let i = jz; i >= 0; i--) fw += fq[i];
  y[0] = ih === 0 ? fw : -fw;
  fw = fq[0] - fw;
  for (let i = 1; i <= jz; i++) fw += fq[i];
  y[1] = ih === 0 ? fw : -fw;
  return n & 7;
}

// ---------------------------------------------------------------------------------------------------
// e_rem_pio2.c (FreeBSD, optimised by Bruce D. Evans) — x = N·π/2 + (y0 + y1), |y0 + y1| ≤ ~π/4.

const INVPIO2 = 6.36619772367581382433e-1; // 0x3FE45F30 6DC9C883
const PIO2_1 = 1.57079632673412561417e0; // 0x3FF921FB 54400000
const PIO2_1T = 6.07710050650619224932e-11; // 0x3DD0B461 1A626331
const PIO2_2 = 6.07710050630396597660e-11; // 0x3DD0B461 1A600000
const PIO2_2T = 2.02226624879595063154e-21; // 0x3BA3198A 2E037073
const PIO2_3 = 2.02226624871116645580e-21; // 0x3BA3198A 2E000000
const PIO2_3T = 8.47842766036889956997e-32; // 0x397B839A 252049C1
const TOINT = 6755399441055744; // 0x1.8p52

const RP_Y = new Float64Array(2);
const RP_TX = new Float64Array(3);
const RP_TY = new Float64Array(2);

/** Writes the remainder to y[0] + y[1] and returns N (mod 2^32; callers use n & 3). */
function remPio2(x: number, y: Float64Array): number {
  const hx = getHigh(x); // high word of x
  const ix = hx & 0x7fffffff;
  let medium = false;
  if (ix <= 0x400f6a7a) {
    // |x| ~<= 5pi/4
    if ((ix & 0xfffff) === 0x921fb) medium = true; // |x| ~= pi/2 or 2pi/2: cancellation
    else if (ix <= 0x4002d97c) {
      // |x| ~<= 3pi/4
      if (hx > 0) {
        const z = x - PIO2_1; // one round good to 85 bits
        y[0] = z - PIO2_1T;
        y[1] = z - y[0] - PIO2_1T;
        return 1;
      } else {
        const z = x + PIO2_1;
        y[0] = z + PIO2_1T;
        y[1] = z - y[0] + PIO2_1T;
        return -1;
      }
    } else {
      if (hx > 0) {
        const z = x - 2 * PIO2_1;
        y[0] = z - 2 * PIO2_1T;
        y[1] = z - y[0] - 2 * PIO2_1T;
        return 2;
      } else {
        const z = x + 2 * PIO2_1;
        y[0] = z + 2 * PIO2_1T;
        y[1] = z - y[0] + 2 * PIO2_1T;
        return -2;
      }
    }
  } else if (ix <= 0x401c463b) {
    // |x| ~<= 9pi/4
    if (ix <= 0x4015fdbc) {
      // |x| ~<= 7pi/4
      if (ix === 0x4012d97c) medium = true; // |x| ~= 3pi/2
      else if (hx > 0) {
        const z = x - 3 * PIO2_1;
        y[0] = z - 3 * PIO2_1T;
        y[1] = z - y[0] - 3 * PIO2_1T;
        return 3;
      } else {
        const z = x + 3 * PIO2_1;
        y[0] = z + 3 * PIO2_1T;
        y[1] = z - y[0] + 3 * PIO2_1T;
        return -3;
      }
    } else {
      if (ix === 0x401921fb) medium = true; // |x| ~= 4pi/2
      else if (hx > 0) {
        const z = x - 4 * PIO2_1;
        y[0] = z - 4 * PIO2_1T;
        y[1] = z - y[0] - 4 * PIO2_1T;
        return 4;
      } else {
        const z = x + 4 * PIO2_1;
        y[0] = z + 4 * PIO2_1T;
        y[1] = z - y[0] + 4 * PIO2_1T;
        return -4;
      }
    }
  }
  if (medium || ix < 0x413921fb) {
    // |x| ~< 2^20*(pi/2), medium size
    // Use a specialized rint() to get fn. Assumes round-to-nearest (always so in JS).
    let fn = x * INVPIO2 + TOINT;
    fn = fn - TOINT;
    const n = fn | 0;
    let r = x - fn * PIO2_1;
    let w = fn * PIO2_1T; // 1st round good to 85 bit
    const j = ix >> 20;
    y[0] = r - w;
    let high = getHigh(y[0]);
    let i = j - ((high >> 20) & 0x7ff);
    if (i > 16) {
      // 2nd iteration needed, good to 118
      let t = r;
      w = fn * PIO2_2;
      r = t - w;
      w = fn * PIO2_2T - (t - r - w);
      y[0] = r - w;
      high = getHigh(y[0]);
      i = j - ((high >> 20) & 0x7ff);
      if (i > 49) {
        // 3rd iteration need, 151 bits acc
        t = r; // will cover all possible cases
        w = fn * PIO2_3;
        r = t - w;
        w = fn * PIO2_3T - (t - r - w);
        y[0] = r - w;
      }
    }
    y[1] = r - y[0] - w;
    return n;
  }
  // all other (large) arguments
  if (ix >= 0x7ff00000) {
    // x is inf or NaN
    y[0] = y[1] = x - x;
    return 0;
  }
  // set z = scalbn(|x|, ilogb(x)-23)
  const e0 = (ix >> 20) - 1046; // e0 = ilogb(z)-23
  let z = fromWords(ix - (e0 << 20), getLow(x));
  const tx = RP_TX;
  for (let i = 0; i < 2; i++) {
    tx[i] = z | 0; // (double)((int32_t)z); 0 <= z < 2^24
    z = (z - tx[i]) * TWO24;
  }
  tx[2] = z;
  let nx = 3;
  while (tx[nx - 1] === 0) nx--; // skip zero term
  const ty = RP_TY;
  const n = kernelRemPio2(tx, ty, e0, nx);
  if (hx < 0) {
    y[0] = -ty[0];
    y[1] = -ty[1];
    return -n;
  }
  y[0] = ty[0];
  y[1] = ty[1];
  return n;
}

// ---------------------------------------------------------------------------------------------------
// s_sin.c, s_cos.c, s_tan.c

/** sin(x) for every double, with exact argument reduction (fdlibm s_sin.c; error < 1 ulp). */
export function sin(x: number): number {
  const ix = getHigh(x) & 0x7fffffff;
  // |x| ~< pi/4
  if (ix <= 0x3fe921fb) {
    if (ix < 0x3e400000) return x; // |x| < 2**-27 (also keeps sin(-0) = -0)
    return kernelSin(x, 0.0, 0);
  }
  // sin(Inf or NaN) is NaN
  if (ix >= 0x7ff00000) return x - x;
  // argument reduction needed
  const y = RP_Y;
  const n = remPio2(x, y);
  switch (n & 3) {
    case 0:
      return kernelSin(y[0], y[1], 1);
    case 1:
      return kernelCos(y[0], y[1]);
    case 2:
      return -kernelSin(y[0], y[1], 1);
    default:
      return -kernelCos(y[0], y[1]);
  }
}

/** cos(x) for every double, with exact argument reduction (fdlibm s_cos.c; error < 1 ulp). */
export function cos(x: number): number {
  const ix = getHigh(x) & 0x7fffffff;
  // |x| ~< pi/4
  if (ix <= 0x3fe921fb) {
    if (ix < 0x3e400000) return 1.0; // |x| < 2**-27
    return kernelCos(x, 0.0);
  }
  // cos(Inf or NaN) is NaN
  if (ix >= 0x7ff00000) return x - x;
  // argument reduction needed
  const y = RP_Y;
  const n = remPio2(x, y);
  switch (n & 3) {
    case 0:
      return kernelCos(y[0], y[1]);
    case 1:
      return -kernelSin(y[0], y[1], 1);
    case 2:
      return -kernelCos(y[0], y[1]);
    default:
      return kernelSin(y[0], y[1], 1);
  }
}

/** tan(x) for every double, with exact argument reduction (fdlibm s_tan.c; error < 1 ulp). */
export function tan(x: number): number {
  const ix = getHigh(x) & 0x7fffffff;
  // |x| ~< pi/4
  if (ix <= 0x3fe921fb) {
    if (ix < 0x3e300000) return x; // |x| < 2**-28 (also keeps tan(-0) = -0)
    return kernelTan(x, 0.0, 1);
  }
  // tan(Inf or NaN) is NaN
  if (ix >= 0x7ff00000) return x - x;
  // argument reduction needed
  const y = RP_Y;
  const n = remPio2(x, y);
  return kernelTan(y[0], y[1], 1 - ((n & 1) << 1)); // 1 -- n even, -1 -- n odd
}
