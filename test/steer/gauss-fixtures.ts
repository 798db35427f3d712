// Helpers shared by the Gaussian-rule tests (gauss.test.ts, gauss-mutants.test.ts).
import {Matrix} from "ml-matrix";
import type {Rng} from "../../lib/core/rng.js";

/** A d×d row-major array as an ml-matrix Matrix. */
export function toMatrix(x: ArrayLike<number>, d: number): Matrix {
  return Matrix.from1DArray(d, d, Array.from(x));
}

export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/**
 * A random SPD d×d matrix A·Aᵀ/d + c·I (A with standard normal entries), plus 2·v·vᵀ when `rank1` (v drawn
 * after A): off-diagonals then comparable to the diagonal. Without it the condition number stays below ~50
 * for d ≤ 8.
 */
export function randomSpd(rng: Rng, d: number, c = 0.3, rank1 = false): Float64Array {
  const a = Array.from({length: d * d}, () => rng.normal());
  const v = rank1 ? Array.from({length: d}, () => rng.normal()) : null;
  const s = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let t = 0;
      for (let k = 0; k < d; k++) t += a[i * d + k] * a[j * d + k];
      s[i * d + j] = v ? t / d + (i === j ? c : 0) + 2 * v[i] * v[j] : t / d + (i === j ? c : 0);
    }
  }
  return s;
}
