/**
 * Seeded random number generators. Nothing in this project calls Math.random: every random draw
 * comes from a generator created here and passed in explicitly.
 *
 * - PyRandom: a bit-exact port of CPython's `random.Random` (MT19937 with init_by_array seeding,
 *   getrandbits, _randbelow, shuffle, random). The reference LEVER code samples its layouts with it
 *   (spec/lever.md §1.5), so our layouts match the reference cell for cell.
 * - Rng (sfc32): a small, fast, seedable generator for everything else (training streams, sampling,
 *   network initialisation). Same seed → same numbers in Node, a Worker and the browser, because it
 *   uses only 32-bit integer arithmetic.
 *
 * Written by hand (no library): the CPython port must be bit-exact, and the fast generator is inlined
 * into the training kernel's hot loop, where a call through a library object would cost more than the
 * environment step itself.
 */

import {cos, log} from "./detmath.js";

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/**
 * The MT19937 core (Matsumoto & Nishimura's reference mt19937ar.c): both seedings and the tempered
 * 32-bit output. CPython's `random.Random` seeds it with init_by_array (PyRandom below); numpy's
 * legacy `RandomState(int)` with init_genrand (lib/lever/pi2vec/policies.ts).
 */
export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  /** init_genrand(s). */
  protected initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i, in 32-bit arithmetic.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
  }

  /** init_by_array(key): init_genrand(19650218), then mix in the key words. */
  protected initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** genrand_uint32: the next 32-bit output. */
  nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/** CPython-compatible `random.Random` (Modules/_randommodule.c) on the MT19937 core. */
export class PyRandom extends MT19937 {
  /** Seed like `random.Random(seed)` for an integer seed (key = 32-bit words of |seed|). */
  constructor(seed: number | bigint = 0) {
    super();
    let s = BigInt(seed);
    if (s < 0n) s = -s;
    const key: number[] = [];
    do {
      key.push(Number(s & 0xffffffffn));
      s >>= 32n;
    } while (s > 0n);
    this.initByArray(key);
  }

  /** `getrandbits(k)` for 0 < k ≤ 32. */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k <= 0 || k > 32) throw new RangeError(`invalid getrandbits width: ${k} (expected 1..32)`);
    return this.nextUint32() >>> (32 - k);
  }

  /** `_randbelow(n)` (rejection sampling on getrandbits(bit_length(n))), for 0 < n ≤ 2^32. */
  randbelow(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError(`invalid randbelow bound: ${n}`);
    const k = n === 2 ** 32 ? 32 : 32 - Math.clz32(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** `random.shuffle(x)` in place: for i = n−1 … 1, swap x[i] with x[randbelow(i+1)]. */
  shuffle<T>(x: T[]): T[] {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /** `random.random()`: a 53-bit float in [0, 1). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), seeded through splitmix32 so that
 * nearby seeds give unrelated streams. State is four 32-bit words; `state()`/`fromState()` allow a
 * stream to be suspended and resumed exactly (e.g. across a Worker boundary).
 */
export class Rng {
  a: number;
  b: number;
  c: number;
  d: number;

  constructor(seed: number = 0, stream: number = 0) {
    let s = (seed >>> 0) ^ Math.imul(stream >>> 0, 0x9e3779b9);
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n), n ≤ 2^32, unbiased (Lemire's method without division in the fast path). */
  int(n: number): number {
    if (n <= 0) throw new RangeError(`invalid int bound: ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /**
   * Standard normal draw (Box–Muller, no caching so the stream position is explicit). log and cos come
   * from lib/core/detmath.ts, so the draw is bit-identical in Node, a Worker and the browser.
   */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * log(u)) * cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(x: T[] | Int32Array | Uint32Array | Float64Array): typeof x {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /** A child stream derived deterministically from this one (for per-run or per-worker streams). */
  fork(stream: number): Rng {
    return new Rng(this.nextUint32(), stream);
  }

  state(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }

  static fromState(state: readonly [number, number, number, number]): Rng {
    const r = new Rng(0);
    [r.a, r.b, r.c, r.d] = state;
    return r;
  }
}

/** A derived 32-bit seed from a base seed and a list of integer/string parts (FNV-1a over the parts). */
export function deriveSeed(base: number, ...parts: (number | string)[]): number {
  let h = 0x811c9dc5 ^ (base >>> 0);
  h = Math.imul(h, 0x01000193);
  for (const p of parts) {
    const s = String(p);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
