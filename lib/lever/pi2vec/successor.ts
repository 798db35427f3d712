/**
 * Successor features for π2vec (spec/lever.md §3.4), with φ(s) = s (the 70-d state vector of §3.1),
 * computed two ways:
 *
 * (a) The reference's network ψθ: [v3] architecture 70→128→128→128→70 with ReLU and no BatchNorm,
 *     trained on the transitions of one policy with Adam (β = 0.9, 0.999, ε = 1e-8, as torch), batch 8,
 *     shuffled every epoch, 50 epochs, loss MSE(ψ(s), s + γ·stopgrad ψ(s')), γ = 0.99 in every branch,
 *     no terminal masking; lr 7e-4 for library policies, 3e-5 for composed ones (§3.4, §11 item 6).
 *     Initialisation as torch's default `nn.Linear`: weights and biases U(−1/√fan_in, 1/√fan_in)
 *     (kaiming_uniform with a = √5), drawn from our seeded Rng (the reference's init is unseeded).
 *     Written by hand on Float32Array: the network is ~51k parameters and the batch is 8, so a
 *     dependency-free loop is fast enough, works offline in Node, Workers and pages, and no maintained
 *     small JS autodiff library fits (tfjs would add megabytes for four dense layers).
 *     Embedding (§3.4): the mean of ψ over the canonical states, one state at a time → Float32Array(70).
 *
 * (b) [OURS] Closed-form LSTD for successor features: ψ(s) = M φ(s) with M the TD fixed point of the
 *     same Bellman target, from one linear solve (derivation at `lstd`). Embedding = M · mean φ(c).
 *     This is what the network approximates at convergence in the linear case; it is deterministic,
 *     seed-free and orders of magnitude faster. It is an addition, not the reference's method.
 */
import type {FeatureMatrix, Transitions} from "./features.js";
import {Rng} from "../../core/rng.js";
import {pow} from "../../core/detmath.js";

// ---------------------------------------------------------------------------------------------
// (a) The MLP ψθ

/** Reference learning rates (§3.4 [v3]/[S]). */
export const PSI_LR = {library: 7e-4, composed: 3e-5} as const;

/** Every setting of ψθ training, with the reference's [v3] values as defaults. */
export interface PsiParams {
  /** Hidden layer widths (ReLU after each): [128, 128, 128] ([v3]). */
  hidden?: readonly number[];
  /** Successor-feature discount: 0.99 in every branch (§3.4). */
  gamma?: number;
  /** Adam learning rate: 7e-4 library ([v3]), 3e-5 composed policies. */
  lr?: number;
  /** Epochs over the transitions (50). */
  epochs?: number;
  /** Minibatch size (8); the last batch of an epoch may be smaller and is not skipped ([v3]). */
  batchSize?: number;
  /** Adam β1, β2, ε (torch defaults). */
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Seed of the initialisation (stream 1) and the per-epoch shuffles (stream 2). */
  seed?: number;
}

const PSI_DEFAULTS: Required<PsiParams> = {hidden: [128, 128, 128], gamma: 0.99, lr: PSI_LR.library, epochs: 50, batchSize: 8, beta1: 0.9, beta2: 0.999, eps: 1e-8, seed: 0};

/** A dense ReLU network: layer l maps sizes[l] → sizes[l+1]; weights row-major [out][in] as torch. */
export interface PsiModel {
  sizes: number[];
  weights: Float32Array[];
  biases: Float32Array[];
}

function parsePsiParams(p: PsiParams): Required<PsiParams> {
  const q = {...PSI_DEFAULTS, ...p};
  if (!Array.isArray(q.hidden) || q.hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new RangeError(`invalid hidden sizes: ${JSON.stringify(q.hidden)}`);
  if (!(q.gamma >= 0 && q.gamma < 1)) throw new RangeError(`invalid gamma: ${q.gamma} (expected 0 ≤ γ < 1)`);
  if (!(q.lr > 0)) throw new RangeError(`invalid lr: ${q.lr} (expected > 0)`);
  if (!Number.isInteger(q.epochs) || q.epochs < 0) throw new RangeError(`invalid epochs: ${q.epochs}`);
  if (!Number.isInteger(q.batchSize) || q.batchSize < 1) throw new RangeError(`invalid batchSize: ${q.batchSize}`);
  if (!(q.beta1 >= 0 && q.beta1 < 1) || !(q.beta2 >= 0 && q.beta2 < 1) || !(q.eps > 0)) throw new RangeError(`invalid Adam settings: β1=${q.beta1}, β2=${q.beta2}, ε=${q.eps}`);
  if (!Number.isInteger(q.seed)) throw new RangeError(`invalid seed: ${q.seed}`);
  return q;
}

function validateTransitions(t: Transitions): void {
  const {s, next, n, dim} = t;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(dim) || dim < 1 || s.length !== n * dim || next.length !== n * dim) {
    throw new RangeError(`invalid transitions: s ${s.length} and next ${next.length} values for ${n}×${dim}`);
  }
}

function validateStates(m: FeatureMatrix, dim: number): void {
  if (m.dim !== dim || m.data.length !== m.rows * m.dim) throw new RangeError(`invalid states: ${m.rows}×${m.dim} (${m.data.length} values), expected dim ${dim}`);
  if (m.rows < 1) throw new RangeError("invalid states: no rows");
}

/** torch `nn.Linear` default init: W, b ~ U(−1/√fan_in, 1/√fan_in), drawn W row by row then b. */
export function initPsi(dim: number, hidden: readonly number[], rng: Rng): PsiModel {
  const sizes = [dim, ...hidden, dim];
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const bound = 1 / Math.sqrt(fanIn);
    const w = new Float32Array(sizes[l + 1] * fanIn);
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * bound;
    const b = new Float32Array(sizes[l + 1]);
    for (let i = 0; i < b.length; i++) b[i] = (2 * rng.next() - 1) * bound;
    weights.push(w);
    biases.push(b);
  }
  return {sizes, weights, biases};
}

/**
 * Forward pass of `rows` inputs (row-major in x). `acts[l]` receives layer l's output (post-ReLU for
 * hidden layers, linear for the last), each rows × sizes[l+1].
 */
function forward(model: PsiModel, x: Float32Array, rows: number, acts: Float32Array[]): void {
  const {sizes, weights, biases} = model;
  const L = weights.length;
  let input = x;
  for (let l = 0; l < L; l++) {
    _dense(weights[l], biases[l], input, acts[l], rows, sizes[l], sizes[l + 1], l < L - 1);
    input = acts[l];
  }
}

// The three kernels below process four batch rows per pass over a weight row (register blocking,
// deliberate performance inlining: it halves the time of a 70→128→128→128→70 step on V8 compared with
// one row at a time). Accumulation is in float64; the order is fixed, so results are deterministic.

/** out[b, o] = act(bias[o] + Σ_i W[o, i]·x[b, i]), act = ReLU or identity. */
function _dense(W: Float32Array, bias: Float32Array, x: Float32Array, out: Float32Array, rows: number, nin: number, nout: number, relu: boolean): void {
  let b = 0;
  for (; b + 3 < rows; b += 4) {
    const x0 = b * nin, x1 = x0 + nin, x2 = x1 + nin, x3 = x2 + nin;
    const o0 = b * nout, o1 = o0 + nout, o2 = o1 + nout, o3 = o2 + nout;
    for (let o = 0; o < nout; o++) {
      const wo = o * nin;
      let s0 = bias[o], s1 = s0, s2 = s0, s3 = s0;
      for (let i = 0; i < nin; i++) {
        const w = W[wo + i];
        s0 += w * x[x0 + i];
        s1 += w * x[x1 + i];
        s2 += w * x[x2 + i];
        s3 += w * x[x3 + i];
      }
      if (relu) {
        if (s0 < 0) s0 = 0;
        if (s1 < 0) s1 = 0;
        if (s2 < 0) s2 = 0;
        if (s3 < 0) s3 = 0;
      }
      out[o0 + o] = s0;
      out[o1 + o] = s1;
      out[o2 + o] = s2;
      out[o3 + o] = s3;
    }
  }
  for (; b < rows; b++) {
    const xo = b * nin;
    const oo = b * nout;
    for (let o = 0; o < nout; o++) {
      const wo = o * nin;
      let s0 = bias[o];
      for (let i = 0; i < nin; i++) s0 += W[wo + i] * x[xo + i];
      out[oo + o] = relu && s0 < 0 ? 0 : s0;
    }
  }
}

/** gW[o, i] = Σ_b δ[b, o]·x[b, i]; gB[o] = Σ_b δ[b, o] (overwrites). */
function _gradWeights(gW: Float64Array, gB: Float64Array, delta: Float64Array, x: Float32Array, rows: number, nin: number, nout: number): void {
  gW.fill(0);
  gB.fill(0);
  let b = 0;
  for (; b + 3 < rows; b += 4) {
    const x0 = b * nin, x1 = x0 + nin, x2 = x1 + nin, x3 = x2 + nin;
    const o0 = b * nout, o1 = o0 + nout, o2 = o1 + nout, o3 = o2 + nout;
    for (let o = 0; o < nout; o++) {
      const d0 = delta[o0 + o], d1 = delta[o1 + o], d2 = delta[o2 + o], d3 = delta[o3 + o];
      if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
      gB[o] += d0 + d1 + d2 + d3;
      const wo = o * nin;
      for (let i = 0; i < nin; i++) gW[wo + i] += d0 * x[x0 + i] + d1 * x[x1 + i] + d2 * x[x2 + i] + d3 * x[x3 + i];
    }
  }
  for (; b < rows; b++) {
    const xo = b * nin;
    const oo = b * nout;
    for (let o = 0; o < nout; o++) {
      const d = delta[oo + o];
      if (d === 0) continue;
      gB[o] += d;
      const wo = o * nin;
      for (let i = 0; i < nin; i++) gW[wo + i] += d * x[xo + i];
    }
  }
}

/** prev[b, i] = [h[b, i] > 0]·Σ_o δ[b, o]·W[o, i] (backpropagation through a dense layer and ReLU). */
function _gradInput(prev: Float64Array, delta: Float64Array, W: Float32Array, h: Float32Array, rows: number, nin: number, nout: number): void {
  prev.fill(0, 0, rows * nin);
  let b = 0;
  for (; b + 3 < rows; b += 4) {
    const x0 = b * nin, x1 = x0 + nin, x2 = x1 + nin, x3 = x2 + nin;
    const o0 = b * nout, o1 = o0 + nout, o2 = o1 + nout, o3 = o2 + nout;
    for (let o = 0; o < nout; o++) {
      const d0 = delta[o0 + o], d1 = delta[o1 + o], d2 = delta[o2 + o], d3 = delta[o3 + o];
      if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
      const wo = o * nin;
      for (let i = 0; i < nin; i++) {
        const w = W[wo + i];
        prev[x0 + i] += d0 * w;
        prev[x1 + i] += d1 * w;
        prev[x2 + i] += d2 * w;
        prev[x3 + i] += d3 * w;
      }
    }
  }
  for (; b < rows; b++) {
    const xo = b * nin;
    const oo = b * nout;
    for (let o = 0; o < nout; o++) {
      const d = delta[oo + o];
      if (d === 0) continue;
      const wo = o * nin;
      for (let i = 0; i < nin; i++) prev[xo + i] += d * W[wo + i];
    }
  }
  // ReLU derivative: the unit was active iff its output is > 0 (torch: gradient 0 at 0).
  for (let k = 0; k < rows * nin; k++) if (h[k] <= 0) prev[k] = 0;
}

function allocActs(model: PsiModel, rows: number): Float32Array[] {
  return model.sizes.slice(1).map((w) => new Float32Array(rows * w));
}

/** ψθ(s) for one state → Float32Array(dim). */
export function psi(model: PsiModel, state: Float32Array): Float32Array {
  if (state.length !== model.sizes[0]) throw new RangeError(`invalid state length: ${state.length} (expected ${model.sizes[0]})`);
  const acts = allocActs(model, 1);
  forward(model, state, 1, acts);
  return acts[acts.length - 1];
}

/**
 * Step-by-step ψθ training (§3.4): `epoch()` runs one shuffled pass of Adam minibatch updates and
 * returns the epoch loss = mean of the batch MSE losses (as the reference's `train_epoch`).
 */
export class PsiTrainer {
  readonly model: PsiModel;
  readonly params: Required<PsiParams>;
  /** Epochs done. */
  epochs = 0;
  private readonly t: Transitions;
  private readonly order: Int32Array;
  private readonly shuffleRng: Rng;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly gW: Float64Array[];
  private readonly gB: Float64Array[];
  private readonly acts: Float32Array[];
  private readonly nextActs: Float32Array[];
  private readonly deltas: Float64Array[];
  private readonly xb: Float32Array;
  private readonly xnb: Float32Array;
  private adamStep = 0;

  constructor(transitions: Transitions, params: PsiParams = {}) {
    validateTransitions(transitions);
    if (transitions.n < 1) throw new RangeError("invalid transitions: none to train on");
    this.params = parsePsiParams(params);
    this.t = transitions;
    const {hidden, seed, batchSize} = this.params;
    this.model = initPsi(transitions.dim, hidden, new Rng(seed, 1));
    this.shuffleRng = new Rng(seed, 2);
    this.order = new Int32Array(transitions.n);
    const {weights, biases, sizes} = this.model;
    this.m = [...weights, ...biases].map((a) => new Float32Array(a.length));
    this.v = [...weights, ...biases].map((a) => new Float32Array(a.length));
    this.gW = weights.map((w) => new Float64Array(w.length));
    this.gB = biases.map((b) => new Float64Array(b.length));
    this.acts = allocActs(this.model, batchSize);
    this.nextActs = allocActs(this.model, batchSize);
    this.deltas = sizes.slice(1).map((w) => new Float64Array(batchSize * w));
    this.xb = new Float32Array(batchSize * transitions.dim);
    this.xnb = new Float32Array(batchSize * transitions.dim);
  }

  /** One epoch; returns its loss. */
  epoch(): number {
    const {n} = this.t;
    const {batchSize} = this.params;
    const order = this.order;
    for (let i = 0; i < n; i++) order[i] = i;
    this.shuffleRng.shuffle(order);
    let total = 0;
    let batches = 0;
    for (let b0 = 0; b0 < n; b0 += batchSize) {
      total += this.batch(order, b0, Math.min(n, b0 + batchSize));
      batches++;
    }
    this.epochs++;
    return total / batches;
  }

  /** One Adam step on the transitions order[b0..b1); returns the batch loss before the step. */
  private batch(order: Int32Array, b0: number, b1: number): number {
    const {s, next, dim} = this.t;
    const {gamma} = this.params;
    const {model, acts, nextActs, deltas, xb, xnb, gW, gB} = this;
    const B = b1 - b0;
    for (let b = 0; b < B; b++) {
      const k = order[b0 + b] * dim;
      xb.set(s.subarray(k, k + dim), b * dim);
      xnb.set(next.subarray(k, k + dim), b * dim);
    }
    // Target s + γ·ψ(s') with the current parameters and no gradient (stopgrad).
    forward(model, xnb, B, nextActs);
    forward(model, xb, B, acts);
    const L = model.weights.length;
    const out = acts[L - 1];
    const psiNext = nextActs[L - 1];
    const dOut = deltas[L - 1];
    const scale = 2 / (B * dim); // d/dψ of mean((ψ − y)²) over B·dim elements
    let loss = 0;
    for (let i = 0; i < B * dim; i++) {
      const target = xb[i] + gamma * psiNext[i];
      const e = out[i] - target;
      loss += e * e;
      dOut[i] = scale * e;
    }
    loss /= B * dim;
    // Backpropagation, layer by layer from the output.
    for (let l = L - 1; l >= 0; l--) {
      const nin = model.sizes[l];
      const nout = model.sizes[l + 1];
      _gradWeights(gW[l], gB[l], deltas[l], l === 0 ? xb : acts[l - 1], B, nin, nout);
      if (l > 0) _gradInput(deltas[l - 1], deltas[l], model.weights[l], acts[l - 1], B, nin, nout);
    }
    this.adam();
    return loss;
  }

  /** torch.optim.Adam update (no weight decay, no amsgrad). */
  private adam(): void {
    const {lr, beta1, beta2, eps} = this.params;
    this.adamStep++;
    const bc1 = 1 - pow(beta1, this.adamStep);
    const bc2 = Math.sqrt(1 - pow(beta2, this.adamStep));
    const stepSize = lr / bc1;
    const params = [...this.model.weights, ...this.model.biases];
    const grads = [...this.gW, ...this.gB];
    for (let k = 0; k < params.length; k++) {
      const p = params[k];
      const g = grads[k];
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        p[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2 + eps);
      }
    }
  }
}

export interface PsiResult {
  model: PsiModel;
  /** Loss per epoch (mean of its batch losses). */
  losses: Float64Array;
  params: Required<PsiParams>;
}

/** Train ψθ on one policy's transitions (§3.4), synchronously. */
export function trainPsi(transitions: Transitions, params: PsiParams = {}): PsiResult {
  const trainer = new PsiTrainer(transitions, params);
  const losses = new Float64Array(trainer.params.epochs);
  for (let e = 0; e < losses.length; e++) losses[e] = trainer.epoch();
  return {model: trainer.model, losses, params: trainer.params};
}

/**
 * Same as `trainPsi`, yielding to the event loop after every epoch (for pages and Workers);
 * `onEpoch(epoch, loss)` may return `false` to stop early (the result then covers the epochs done).
 */
export async function trainPsiAsync(transitions: Transitions, params: PsiParams = {}, onEpoch?: (epoch: number, loss: number) => boolean | void): Promise<PsiResult> {
  const trainer = new PsiTrainer(transitions, params);
  const losses: number[] = [];
  while (trainer.epochs < trainer.params.epochs) {
    const loss = trainer.epoch();
    losses.push(loss);
    if (onEpoch?.(trainer.epochs, loss) === false) break;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return {model: trainer.model, losses: Float64Array.from(losses), params: trainer.params};
}

/**
 * π2vec embedding (§3.4): the mean of ψθ(c) over the canonical states c, each run through the network
 * on its own (eval mode; without BatchNorm this equals a batched pass) → Float32Array(dim).
 */
export function embed(model: PsiModel, canonical: FeatureMatrix): Float32Array {
  const dim = model.sizes[0];
  validateStates(canonical, dim);
  const outDim = model.sizes[model.sizes.length - 1];
  const acts = allocActs(model, 1);
  const sum = new Float64Array(outDim);
  for (let r = 0; r < canonical.rows; r++) {
    forward(model, canonical.data.subarray(r * dim, (r + 1) * dim), 1, acts);
    const o = acts[acts.length - 1];
    for (let k = 0; k < outDim; k++) sum[k] += o[k];
  }
  const e = new Float32Array(outDim);
  for (let k = 0; k < outDim; k++) e[k] = sum[k] / canonical.rows;
  return e;
}

// ---------------------------------------------------------------------------------------------
// (b) LSTD successor features [OURS]

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
function _lstdEmbeddingRuns(s: Float32Array, sOff: Int32Array, next: Float32Array, nOff: Int32Array, weight: Int32Array, nRuns: number, n: number, d: number, cbar: Float64Array, params: LstdParams): Float32Array {
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

