/**
 * Successor features by the reference's network ψθ (spec/lever.md §3.4), with φ(s) = s (the 70-d state
 * vector of §3.1): [v3] architecture 70→128→128→128→70 with ReLU and no BatchNorm, trained on the
 * transitions of one policy with Adam (β = 0.9, 0.999, ε = 1e-8, as torch), batch 8, shuffled every
 * epoch, 50 epochs, loss MSE(ψ(s), s + γ·stopgrad ψ(s')), γ = 0.99 in every branch, no terminal
 * masking; lr 7e-4 for library policies, 3e-5 for composed ones (§3.4, §11 item 6).
 * Initialisation as torch's default `nn.Linear`: weights and biases U(−1/√fan_in, 1/√fan_in)
 * (kaiming_uniform with a = √5), drawn from our seeded Rng (the reference's init is unseeded).
 * Written by hand on Float32Array: the network is ~51k parameters and the batch is 8, so a
 * dependency-free loop is fast enough, works offline in Node, Workers and pages, and no maintained
 * small JS autodiff library fits (tfjs would add megabytes for four dense layers).
 * Embedding (§3.4): the mean of ψ over the canonical states, one state at a time → Float32Array(70).
 *
 * The closed-form alternative [OURS] is lib/lever/pi2vec/sf-lstd.ts.
 */
import type {FeatureMatrix, Transitions} from "./features.js";
import {validateStates, validateTransitions} from "./features.js";
import {Rng} from "../../core/rng.js";
import {pow} from "../../core/detmath.js";

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
