/**
 * The one sample mean and variance of the project (Part I's aggregates, Part II's scores and
 * intervals): summed left to right, two-pass variance, so a sample gives the same bits wherever it is
 * averaged. (pandas/numpy sum pairwise beyond 8 values; the reference's published numbers are rounded
 * to 2 dp, which this order reproduces.)
 */

/** Arithmetic mean, summed left to right (NaN for an empty sample). */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Two-pass mean and unbiased (n − 1) variance; the variance is NaN for fewer than 2 values. */
export function meanVariance(x: ArrayLike<number>): [number, number] {
  const n = x.length;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const e = x[i] - m;
    ss += e * e; // not `** 2`: exponentiation is Math.pow, which engines may round differently
  }
  return [m, n < 2 ? NaN : ss / (n - 1)];
}
