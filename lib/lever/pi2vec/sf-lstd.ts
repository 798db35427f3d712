/**
 * [OURS] Successor features in closed form (LSTD), next to the reference's network ψθ
 * (lib/lever/pi2vec/sf-mlp.ts, spec/lever.md §3.4): ψ(s) = M φ(s) with M the TD fixed point of the
 * same Bellman target, from one linear solve (derivation at `lstd`). Embedding = M · mean φ(c).
 * This is what the network approximates at convergence in the linear case; it is deterministic,
 * seed-free and orders of magnitude faster. It is an addition, not the reference's method.
 */
import type {FeatureMatrix, Transitions} from "./features.js";
import {validateStates, validateTransitions} from "./features.js";

export interface LstdParams {
  /** Discount (0.99, as the network's target). */
  gamma?: number;
  /**
   * Ridge λ added to the per-transition-averaged A (so λ does not scale with episode length). Needed
   * in practice: zero-padded tail features and constant features make A singular. Default 1e-6.
   */
  ridge?: number;
}

export interface LstdModel {
  /** M, row-major dim × dim: ψ(s) = M φ(s). */
  M: Float64Array;
  dim: number;
  gamma: number;
  ridge: number;
}

/**
 * LSTD for successor features with φ(s) = s.
 *
 * Derivation. We look for a linear ψ(s) = M φ(s) satisfying the network's Bellman target
 * ψ(s_t) ≈ φ(s_t) + γ ψ(s_{t+1}) on the observed transitions. Row k of M, m_k, is a linear value
 * function for the "reward" φ_k(s). Its TD(0) fixed point (the LSTD solution, Bradtke & Barto 1996;
 * for successor features e.g. Lehnert & Littman 2020) zeroes the expected TD update:
 *   Σ_t φ_t (φ_t[k] + γ φ_{t+1}ᵀ m_k − φ_tᵀ m_k) = 0
 *   ⇔ [Σ_t φ_t (φ_t − γ φ_{t+1})ᵀ] m_k = Σ_t φ_t φ_t[k].
 * Stacking k as columns: A Mᵀ = B with A = Σ_t φ_t (φ_t − γ φ_{t+1})ᵀ and B = Σ_t φ_t φ_tᵀ, so
 * Mᵀ = (A + λI)⁻¹ B. We average A and B over the n transitions (this leaves the λ = 0 solution
 * unchanged) and solve once (LU, `luSolveInPlace`). In the tabular case (one-hot φ) M is the successor
 * representation: ψ(s) = Σ_t γᵗ φ(s_t) along the (deterministic) trajectory from s.
 * As in the reference there is no terminal masking: the last state only appears as a next state.
 */
export function lstd(transitions: Transitions, params: LstdParams = {}): LstdModel {
  validateTransitions(transitions);
  const gamma = params.gamma ?? 0.99;
  const ridge = params.ridge ?? 1e-6;
  if (!(gamma >= 0 && gamma < 1)) throw new RangeError(`invalid gamma: ${gamma} (expected 0 ≤ γ < 1)`);
  if (!(ridge >= 0)) throw new RangeError(`invalid ridge: ${ridge} (expected ≥ 0)`);
  const {s, next, n, dim} = transitions;
  if (n < 1) throw new RangeError("invalid transitions: none to fit");
  const A = new Float64Array(dim * dim);
  const B = new Float64Array(dim * dim);
  const u = new Float64Array(dim);
  for (let t = 0; t < n; t++) {
    const o = t * dim;
    for (let j = 0; j < dim; j++) u[j] = s[o + j] - gamma * next[o + j];
    for (let i = 0; i < dim; i++) {
      const fi = s[o + i];
      if (fi === 0) continue;
      const r = i * dim;
      for (let j = 0; j < dim; j++) {
        A[r + j] += fi * u[j];
        B[r + j] += fi * s[o + j];
      }
    }
  }
  for (let i = 0; i < dim * dim; i++) {
    A[i] /= n;
    B[i] /= n;
  }
  for (let i = 0; i < dim; i++) A[i * dim + i] += ridge;
  luSolveInPlace(A, B, dim, dim); // B ← Mᵀ
  const M = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) M[i * dim + j] = B[j * dim + i];
  return {M, dim, gamma, ridge};
}

/**
 * X = A⁻¹ B for square A (n×n, row-major, overwritten by its LU factors) and B (n×m, overwritten by X):
 * ml-matrix's `solve(A, B)` (LuDecomposition: Crout with partial pivoting, then forward and back
 * substitution) with every floating-point operation in the same order, so the results are the same
 * doubles. [PERF] On flat typed arrays instead of Matrix objects: 3–4× faster on the 70×70 LSTD solves
 * of every library policy (test/lever/pi2vec/successor.test.ts checks it against ml-matrix). `solveInPlace`
 * (the scoring path's solver) eliminates in another order: the two give different last bits, so each
 * path keeps its own to keep its published numbers.
 */
export function luSolveInPlace(lu: Float64Array, b: Float64Array, n: number, m: number): void {
  const piv = new Int32Array(n);
  for (let i = 0; i < n; i++) piv[i] = i;
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) col[i] = lu[i * n + j];
    for (let i = 0; i < n; i++) {
      const kmax = Math.min(i, j);
      let s = 0;
      for (let k = 0; k < kmax; k++) s += lu[i * n + k] * col[k];
      col[i] -= s;
      lu[i * n + j] = col[i];
    }
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(col[i]) > Math.abs(col[p])) p = i;
    if (p !== j) {
      for (let k = 0; k < n; k++) {
        const t = lu[p * n + k];
        lu[p * n + k] = lu[j * n + k];
        lu[j * n + k] = t;
      }
      const v = piv[p];
      piv[p] = piv[j];
      piv[j] = v;
    }
    const d = lu[j * n + j];
    if (d !== 0) for (let i = j + 1; i < n; i++) lu[i * n + j] /= d;
  }
  for (let j = 0; j < n; j++) if (lu[j * n + j] === 0) throw new Error("LU matrix is singular");
  // X = B with its rows permuted by the pivots, then the two substitutions.
  const x = new Float64Array(n * m);
  for (let i = 0; i < n; i++) x.set(b.subarray(piv[i] * m, piv[i] * m + m), i * m);
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i < n; i++) {
      const l = lu[i * n + k];
      for (let j = 0; j < m; j++) x[i * m + j] -= x[k * m + j] * l;
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const d = lu[k * n + k];
    for (let j = 0; j < m; j++) x[k * m + j] /= d;
    for (let i = 0; i < k; i++) {
      const l = lu[i * n + k];
      for (let j = 0; j < m; j++) x[i * m + j] -= x[k * m + j] * l;
    }
  }
  b.set(x);
}

/** ψ(s) = M φ(s) for one state, in float64. */
export function lstdPsi(model: LstdModel, state: ArrayLike<number>): Float64Array {
  const {M, dim} = model;
  if (state.length !== dim) throw new RangeError(`invalid state length: ${state.length} (expected ${dim})`);
  const out = new Float64Array(dim);
  for (let k = 0; k < dim; k++) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += M[k * dim + j] * state[j];
    out[k] = sum;
  }
  return out;
}

/** Embedding = mean over canonical states of M φ(c) = M · mean φ(c) (linearity) → Float32Array(dim). */
export function embedLstd(model: LstdModel, canonical: FeatureMatrix): Float32Array {
  const {dim} = model;
  validateStates(canonical, dim);
  const mean = new Float64Array(dim);
  for (let r = 0; r < canonical.rows; r++) for (let j = 0; j < dim; j++) mean[j] += canonical.data[r * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= canonical.rows;
  return Float32Array.from(lstdPsi(model, mean));
}

/** Mean canonical state c̄ (float64): all that a linear ψ's embedding needs of the canonical states. */
export function canonicalMean(canonical: FeatureMatrix): Float64Array {
  const {data, rows, dim} = canonical;
  if (rows < 1 || data.length !== rows * dim) throw new RangeError(`invalid canonical states: ${rows}×${dim}`);
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) mean[j] += data[r * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= rows;
  return mean;
}

/**
 * `embedLstd(lstd(tr), canonical)` with one vector solve instead of a d×d one — the hot path of
 * scoring composed candidates (deliberately inlined, ~10× faster). With A = mean φ_t(φ_t − γφ_{t+1})ᵀ
 * + λI and B = mean φ_tφ_tᵀ, lstd gives Mᵀ = A⁻¹B, and the embedding is e = M c̄ = Bᵀ A⁻ᵀ c̄ = B y with
 * Aᵀ y = c̄ (B is symmetric); B y = mean_t φ_t (φ_tᵀ y) needs no B. Runs of identical consecutive
 * transitions (a rollout pushing into a wall repeats one pair up to N² times) are accumulated once with
 * their multiplicity. Gaussian elimination with partial pivoting, float64.
 */
export function lstdEmbedding(tr: Transitions, cbar: Float64Array, params: LstdParams = {}): Float32Array {
  const {s, next, n, dim: d} = tr;
  if (n < 1) throw new RangeError("invalid transitions: none to fit");
  if (cbar.length !== d) throw new RangeError(`invalid canonical mean: length ${cbar.length} (expected ${d})`);
  const same = (t: number) => {
    const o = t * d;
    const p = o - d;
    for (let j = 0; j < d; j++) if (s[o + j] !== s[p + j] || next[o + j] !== next[p + j]) return false;
    return true;
  };
  const sOff = new Int32Array(n);
  const weight = new Int32Array(n);
  let nRuns = 0;
  for (let t = 0; t < n; ) {
    let w = 1;
    while (t + w < n && same(t + w)) w++;
    sOff[nRuns] = t * d;
    weight[nRuns++] = w;
    t += w;
  }
  return _lstdEmbeddingRuns(s, sOff, next, sOff, weight, nRuns, n, d, cbar, params);
}

/**
 * `lstdEmbedding` of an episode given as run-length encoded feature rows (lib/lever/pi2vec/features.ts
 * `FeatureRuns`, Σ counts = steps + 1): the same runs of identical consecutive transitions, read off
 * the encoding instead of compared value by value. Inside row k's run of c_k copies the transitions are
 * (R_k, R_k) × (c_k − 1), then (R_k, R_{k+1}) once; consecutive rows differ, so these are exactly the
 * maximal runs `lstdEmbedding` finds, in the same order with the same weights, and the result is
 * bit-identical to `lstdEmbedding(transitionsFrom(expandRuns(runs)), cbar)`.
 */
export function lstdEmbeddingRuns(runs: {data: Float32Array; counts: Int32Array; rows: number; dim: number; steps: number}, cbar: Float64Array, params: LstdParams = {}): Float32Array {
  const {data, counts, rows, dim: d, steps: n} = runs;
  if (n < 1) throw new RangeError("invalid transitions: none to fit");
  if (cbar.length !== d) throw new RangeError(`invalid canonical mean: length ${cbar.length} (expected ${d})`);
  const sOff = new Int32Array(2 * rows);
  const nOff = new Int32Array(2 * rows);
  const weight = new Int32Array(2 * rows);
  let nRuns = 0;
  for (let k = 0; k < rows; k++) {
    if (counts[k] > 1) {
      sOff[nRuns] = nOff[nRuns] = k * d;
      weight[nRuns++] = counts[k] - 1;
    }
    if (k + 1 < rows) {
      sOff[nRuns] = k * d;
      nOff[nRuns] = (k + 1) * d;
      weight[nRuns++] = 1;
    }
  }
  return _lstdEmbeddingRuns(data, sOff, data, nOff, weight, nRuns, n, d, cbar, params);
}

/**
 * Kernel of `lstdEmbedding`: run r is the transition (s[sOff[r] …], next[nOff[r] …]) repeated weight[r]
 * times, runs in episode order, n transitions in all. Zero features are skipped in the d² accumulation
 * and the dot products (deliberate inlining: adding ±0 to an accumulator that starts at +0 never changes
 * it, so the sums are bit-identical to the dense loops).
 */
function _lstdEmbeddingRuns(
  s: Float32Array,
  sOff: Int32Array,
  next: Float32Array,
  nOff: Int32Array,
  weight: Int32Array,
  nRuns: number,
  n: number,
  d: number,
  cbar: Float64Array,
  params: LstdParams,
): Float32Array {
  const gamma = params.gamma ?? 0.99;
  const ridge = params.ridge ?? 1e-6;
  // At = Aᵀ, row-major: At[j·d + i] = Σ_r φ_r[i]·(w_r u_r[j]), u = φ − γφ', summed over the runs in
  // order from +0 — the same additions as the run-by-run rank-1 updates, as a product of the
  // transposed run matrices Sᵀ (d × R) and Uᵀ (d × R) with each element accumulated in a register.
  const R = nRuns;
  const St = new Float64Array(d * R);
  const Ut = new Float64Array(d * R);
  for (let r = 0; r < R; r++) {
    const o = sOff[r];
    const p = nOff[r];
    const w = weight[r];
    for (let j = 0; j < d; j++) {
      const x = s[o + j];
      St[j * R + r] = x;
      Ut[j * R + r] = w * (x - gamma * next[p + j]);
    }
  }
  const At = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const uo = j * R;
    for (let i = 0; i < d; i++) {
      const so = i * R;
      let acc = 0;
      for (let r = 0; r < R; r++) acc += St[so + r] * Ut[uo + r];
      At[j * d + i] = acc;
    }
  }
  const nz = new Int32Array(d);
  for (let k = 0; k < d * d; k++) At[k] /= n;
  for (let i = 0; i < d; i++) At[i * d + i] += ridge;
  const y = Float64Array.from(cbar);
  solveInPlace(At, y, d);
  const e = new Float64Array(d);
  for (let r = 0; r < nRuns; r++) {
    const o = sOff[r];
    const w = weight[r];
    let m = 0;
    for (let j = 0; j < d; j++) if (s[o + j] !== 0) nz[m++] = j;
    let dot = 0;
    for (let q = 0; q < m; q++) dot += s[o + nz[q]] * y[nz[q]];
    if (dot === 0) continue;
    for (let q = 0; q < m; q++) e[nz[q]] += w * s[o + nz[q]] * dot;
  }
  const out = new Float32Array(d);
  for (let k = 0; k < d; k++) out[k] = e[k] / n;
  return out;
}

/** Solve M x = b in place (M row-major d×d is destroyed, b becomes x); partial pivoting. */
function solveInPlace(M: Float64Array, b: Float64Array, d: number): void {
  const cols = new Int32Array(d);
  const vals = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    let p = c;
    let best = Math.abs(M[c * d + c]);
    for (let r = c + 1; r < d; r++) {
      const v = Math.abs(M[r * d + c]);
      if (v > best) (best = v), (p = r);
    }
    if (best === 0) throw new RangeError("singular LSTD system (use a ridge > 0)");
    if (p !== c) {
      for (let k = c; k < d; k++) {
        const tmp = M[c * d + k];
        M[c * d + k] = M[p * d + k];
        M[p * d + k] = tmp;
      }
      const tb = b[c];
      b[c] = b[p];
      b[p] = tb;
    }
    const piv = M[c * d + c];
    // Nonzero entries of the pivot row: M never holds −0 (it starts from sums and ±0 products added
    // to +0), so subtracting f·0 leaves an entry unchanged and skipping it is bit-identical.
    let m = 0;
    for (let k = c; k < d; k++) if (M[c * d + k] !== 0) (cols[m] = k), (vals[m++] = M[c * d + k]);
    const dense = 4 * m > 3 * (d - c);
    for (let r = c + 1; r < d; r++) {
      const f = M[r * d + c] / piv;
      if (f === 0) continue;
      const ro = r * d;
      if (dense) for (let k = c; k < d; k++) M[ro + k] -= f * M[c * d + k];
      else for (let q = 0; q < m; q++) M[ro + cols[q]] -= f * vals[q];
      b[r] -= f * b[c];
    }
  }
  for (let c = d - 1; c >= 0; c--) {
    let sum = b[c];
    for (let k = c + 1; k < d; k++) sum -= M[c * d + k] * b[k];
    b[c] = sum / M[c * d + c];
  }
}
