/**
 * Python-compatibility helpers, in one place: where the reference's numbers depend on CPython's
 * rounding or on numpy / pandas sampling, these reproduce them bit for bit.
 *
 * - `pyRound`, `roundPy2`: Python's `round(x, n)` (exact binary value, ties to even).
 * - `NumpyRandomState`: numpy's legacy `RandomState(seed)` (MT19937 seeded by `init_genrand`) and the
 *   methods pandas' `sample` reaches; `pandasSampleIndices`: `DataFrame.sample(frac, random_state)`.
 *   Checked against numpy 2.4 (test/lever/pi2vec/policies.test.ts fixtures).
 * - `pyFloatRepr`, `pandasCell`: a float as CPython's `repr` writes it (`100.0`, `1e-05`) and a cell
 *   of pandas' `to_csv` (NaN as an empty field), for the reference's CSV columns.
 * CPython's own `random` (layouts) is `PyRandom` in lib/core/rng.ts.
 */
import {MT19937} from "./rng.js";

/**
 * Python's `round(x, ndigits)` (round half to even on exact ties), for ndigits ∈ {0, 3}: the CSV
 * rewards are `int(round(x))` [main] and `round(x, 3)` [v3] (§2.2), and v3's tie rules compare those.
 */
export function pyRound(x: number, ndigits = 0): number {
  if (!Number.isFinite(x)) return x;
  if (ndigits === 0) {
    const f = Math.floor(x);
    const d = x - f;
    if (d === 0.5) return f % 2 === 0 ? f : f + 1;
    return Math.round(x);
  }
  if (ndigits !== 3) throw new RangeError(`invalid ndigits: ${ndigits} (supported: 0, 3)`);
  // An exact tie at 3 decimals needs 1000·x = k + ½ exactly, i.e. x = j/16 (then 1000·x is exact).
  if (Number.isInteger(x * 16)) {
    const y = x * 1000;
    const f = Math.floor(y);
    if (y - f === 0.5) return (f % 2 === 0 ? f : f + 1) / 1000;
  }
  // Otherwise toFixed rounds the exact binary value to the nearest decimal, as CPython does.
  return Number(x.toFixed(3));
}

/** The reward as the reference's CSV stores it: `int(round(x))` [main], `round(x, 3)` [v3] (§2.2). */

/**
 * CPython's `repr(float)` (float_repr_style "short"): the shortest digits that round-trip (the same
 * digits as JavaScript's), written in fixed notation when the decimal exponent e of the leading digit
 * is −4 ≤ e < 16 (whole values keep a trailing `.0`), else in scientific notation with a signed
 * exponent of at least two digits (`1e-05`, `1.5e+16`); `nan`, `inf`, `-inf`, `-0.0`.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(x).toExponential().split("e"); // shortest round-trip digits
  const digits = mantissa.replace(".", "");
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  const int = digits.length > e + 1 ? digits.slice(0, e + 1) : digits.padEnd(e + 1, "0");
  const frac = digits.length > e + 1 ? digits.slice(e + 1) : "0";
  return `${sign}${int}.${frac}`;
}

/**
 * A float cell as pandas' `DataFrame.to_csv` writes a float64 column: `repr` of the value, and the
 * default `na_rep` (an empty field) for NaN. Anything else (text, an integer column's count) passes
 * through unchanged.
 */
export function pandasCell(v: unknown): unknown {
  if (typeof v !== "number") return v;
  return Number.isNaN(v) ? "" : pyFloatRepr(v);
}

/**
 * Python's `round(x, 2)`: the exact binary value rounded to 2 decimals, ties to even. Exact ties need
 * 8x odd (fractional parts .125/.375/.625/.875); every other value rounds like `toFixed(2)`, which also
 * works on the exact binary value. Used for the reference's rounded bounds and pruning percentage.
 */
export function roundPy2(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e15) return x;
  // Fast path (deliberate inlining of the common case): x·100 is within one ulp of the exact product,
  // so when it is not within 0.001 of a half-integer, Math.round picks the same n as exact rounding,
  // and n/100 (a correctly rounded division) is the double nearest to the decimal n/100, as in Python.
  const y = x * 100;
  const n = Math.round(y);
  if (Math.abs(y - n) < 0.499) return n / 100;
  const e = x * 8;
  if (Number.isInteger(e) && (e & 1) !== 0) {
    // Exact tie n + 0.5 at 2 dp (x·100 = 12.5·(8x) is exact here): pick the even neighbour.
    const lo = Math.floor(x * 100);
    return (lo % 2 === 0 ? lo : lo + 1) / 100;
  }
  return Number(x.toFixed(2));
}

/**
 * numpy's legacy `np.random.RandomState(seed)` for an integer seed 0 ≤ seed < 2³²: MT19937 seeded with
 * `init_genrand(seed)` (numpy's `mt19937_seed`, not CPython's init_by_array), and the methods pandas'
 * `sample` reaches: `permutation`, `shuffle`, `choice(n, k, replace=False)`.
 */
export class NumpyRandomState extends MT19937 {
  constructor(seed: number) {
    super();
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`invalid seed: ${seed} (expected an integer in [0, 2^32))`);
    // numpy's legacy seeding of an integer: init_genrand(seed) (nextUint32 is numpy's random_raw()).
    this.initGenrand(seed >>> 0);
  }

  /** numpy's `random_interval(max)`: uniform in [0, max] by rejection on the smallest covering bit mask. */
  randomInterval(max: number): number {
    if (!Number.isInteger(max) || max < 0 || max > 0xffffffff) throw new RangeError(`invalid interval bound: ${max}`);
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v = (this.nextUint32() & mask) >>> 0;
    while (v > max) v = (this.nextUint32() & mask) >>> 0;
    return v;
  }

  /** Legacy `shuffle` of a 1-d array in place: for i = n−1 … 1, swap x[i] with x[random_interval(i)]. */
  shuffle<T extends {length: number; [i: number]: unknown}>(x: T): T {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /** `permutation(n)`: shuffle of arange(n). */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid permutation length: ${n}`);
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    return this.shuffle(a);
  }

  /** `choice(n, size=k, replace=False)` without weights: `permutation(n)[:k]`. */
  choice(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`invalid sample size: ${k} of ${n} (expected 0 ≤ k ≤ n without replacement)`);
    return this.permutation(n).slice(0, k);
  }
}

/**
 * Positions chosen by pandas `DataFrame.sample(frac=frac, random_state=seed)` on a frame of n rows, in
 * the order pandas returns them: k = round(frac·n) (Python round), then
 * `RandomState(seed).choice(n, k, replace=False)`. With `count: "floor"`, k = int(frac·n), which is
 * `sample(n=int(0.6·len))` as in the [S] variant (§10).
 */
export function pandasSampleIndices(n: number, frac: number, seed: number, count: "round" | "floor" = "round"): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid row count: ${n}`);
  if (!(frac >= 0 && frac <= 1)) throw new RangeError(`invalid frac: ${frac} (expected 0 ≤ frac ≤ 1)`);
  const k = count === "floor" ? Math.trunc(frac * n) : pyRound(frac * n, 0);
  return new NumpyRandomState(seed).choice(n, k);
}
