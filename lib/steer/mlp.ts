/**
 * A small MLP with a diagonal-Gaussian head, Adam and the (weighted) Gaussian negative log-likelihood,
 * for the frozen actor and the goal-conditioned prior of the steering analog (spec/steering.md §8.4).
 *
 * Why hand-written on Float64Array: the same code must train in Node at build time and in a browser Web
 * Worker, offline and deterministically (bit-identical weights for a seed, so the frozen-weights hash of
 * §7 C3 is meaningful). No small, maintained JavaScript autodiff library fits: TensorFlow.js and
 * ONNX Runtime Web are large, backend-dependent (WebGL/WASM kernels are not bit-reproducible across
 * machines) and float32-only; the small autograd toys on npm are unmaintained and allocate a graph node
 * per scalar, which is orders of magnitude too slow for ~2,000 updates × 128 samples. A two-hidden-layer
 * tanh MLP has a backward pass of a few dozen lines, so we write it out (and check it against finite
 * differences in test/steer/mlp.test.ts).
 *
 * Architecture (§8.4): input → normalisation (x − shift)·scale (fixed per model, from its training
 * data) → tanh hidden layers → linear head of 2d outputs: the unsquashed mean μ (first d) and the
 * log-std ℓ (last d), clamped to [−5, 1]. Variance σ² = exp(2·clamp(ℓ)). The clamp is hard: its gradient
 * is zero outside [−5, 1].
 *
 * Parameter layout: one flat Float64Array; for each layer l (sizes s_l → s_{l+1}) the weights W_l
 * (row-major s_{l+1}×s_l, row j = unit j) followed by the bias b_l (s_{l+1}).
 *
 * Initialisation ("default init", §3 random prior): PyTorch nn.Linear's default, W and b uniform in
 * ±1/√fan_in, except the output layer's bias, which is 0 (so the log-std starts near 0, σ ≈ 1) [OURS].
 *
 * Loss: L = (1/n) Σ_r w_r Σ_j [ ½(a_rj − μ_rj)²/σ_rj² + ℓ_rj + ½ ln 2π ] (w ≡ 1 for plain BC).
 */
import {exp, log, pow, tanh} from "../core/detmath.js";
import type {Rng} from "../core/rng.js";
import type {DiagGaussians} from "./gauss.js";

export const LOG_STD_MIN = -5;
export const LOG_STD_MAX = 1;
const HALF_LOG_2PI = 0.5 * log(2 * Math.PI);

export interface GaussianMLP {
  /** Input dimension. */
  readonly inDim: number;
  /** Action dimension d (the head has 2d outputs). */
  readonly outDim: number;
  /** Hidden layer widths. */
  readonly hidden: readonly number[];
  /** All weights and biases, flat (see the header for the layout). */
  readonly params: Float64Array;
  /** Input normalisation: x̃ = (x − shift)·scale, per input column. */
  readonly inputShift: Float64Array;
  readonly inputScale: Float64Array;
  readonly logStdMin: number;
  readonly logStdMax: number;
}

export interface MLPShape {
  inDim: number;
  outDim: number;
  /** Hidden widths, default [32, 32] (§8.4: two tanh layers of 32–64 units). */
  hidden?: readonly number[];
}

/** Layer sizes [inDim, ...hidden, 2·outDim]. */
export function layerSizes(model: {inDim: number; outDim: number; hidden: readonly number[]}): number[] {
  return [model.inDim, ...model.hidden, 2 * model.outDim];
}

/** Number of parameters of an architecture. */
export function paramCount(shape: {inDim: number; outDim: number; hidden: readonly number[]}): number {
  const s = layerSizes(shape);
  let n = 0;
  for (let l = 0; l + 1 < s.length; l++) n += s[l + 1] * s[l] + s[l + 1];
  return n;
}

function checkShape(shape: MLPShape): readonly number[] {
  const {inDim, outDim, hidden = [32, 32]} = shape;
  if (!Number.isInteger(inDim) || inDim < 1) throw new RangeError(`invalid inDim: ${inDim} (expected a positive integer)`);
  if (!Number.isInteger(outDim) || outDim < 1) throw new RangeError(`invalid outDim: ${outDim} (expected a positive integer)`);
  if (hidden.length === 0) throw new RangeError("invalid hidden: empty (expected at least one hidden layer)");
  for (const h of hidden) if (!Number.isInteger(h) || h < 1) throw new RangeError(`invalid hidden width: ${h} (expected a positive integer)`);
  return hidden;
}

/**
 * A freshly initialised model (default init, see the header). `inputShift`/`inputScale` default to the
 * identity normalisation. Draws exactly paramCount − (size of the output bias) uniforms from `rng`.
 */
export function createMLP(shape: MLPShape, rng: Rng, normalization?: {shift: Float64Array; scale: Float64Array}): GaussianMLP {
  const hidden = checkShape(shape);
  const {inDim, outDim} = shape;
  const model: GaussianMLP = {
    inDim,
    outDim,
    hidden: hidden.slice(),
    params: new Float64Array(paramCount({inDim, outDim, hidden})),
    inputShift: normalization ? Float64Array.from(normalization.shift) : new Float64Array(inDim),
    inputScale: normalization ? Float64Array.from(normalization.scale) : new Float64Array(inDim).fill(1),
    logStdMin: LOG_STD_MIN,
    logStdMax: LOG_STD_MAX,
  };
  checkNormalization(model);
  initParams(model, rng);
  return model;
}

/** Re-initialise `model.params` in place with the default init (used only on models being built). */
function initParams(model: GaussianMLP, rng: Rng): void {
  const s = layerSizes(model);
  const p = model.params;
  let o = 0;
  for (let l = 0; l + 1 < s.length; l++) {
    const fanIn = s[l];
    const bound = 1 / Math.sqrt(fanIn);
    const nW = s[l + 1] * fanIn;
    for (let i = 0; i < nW; i++) p[o + i] = bound * (2 * rng.next() - 1);
    o += nW;
    const last = l + 2 === s.length;
    for (let j = 0; j < s[l + 1]; j++) p[o + j] = last ? 0 : bound * (2 * rng.next() - 1);
    o += s[l + 1];
  }
}

function checkNormalization(model: GaussianMLP): void {
  if (model.inputShift.length !== model.inDim || model.inputScale.length !== model.inDim) {
    throw new RangeError(`invalid normalization shape: shift ${model.inputShift.length}, scale ${model.inputScale.length}, expected ${model.inDim}`);
  }
  for (let i = 0; i < model.inDim; i++) {
    if (!Number.isFinite(model.inputShift[i]) || !(model.inputScale[i] > 0 && model.inputScale[i] < Infinity)) {
      throw new RangeError(`invalid normalization at column ${i}: shift ${model.inputShift[i]}, scale ${model.inputScale[i]}`);
    }
  }
}

/** Per-column normalisation from n rows of data: shift = mean, scale = 1/max(std, 1e-3). */
export function normalizationFrom(inputs: Float64Array, inDim: number): {shift: Float64Array; scale: Float64Array} {
  if (!Number.isInteger(inDim) || inDim < 1 || inputs.length % inDim !== 0 || inputs.length === 0) {
    throw new RangeError(`invalid inputs shape: ${inputs.length} entries for inDim ${inDim}`);
  }
  const n = inputs.length / inDim;
  const shift = new Float64Array(inDim);
  const scale = new Float64Array(inDim);
  for (let r = 0; r < n; r++) for (let i = 0; i < inDim; i++) shift[i] += inputs[r * inDim + i];
  for (let i = 0; i < inDim; i++) shift[i] /= n;
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < inDim; i++) {
      const e = inputs[r * inDim + i] - shift[i];
      scale[i] += e * e;
    }
  }
  for (let i = 0; i < inDim; i++) scale[i] = 1 / Math.max(Math.sqrt(scale[i] / n), 1e-3);
  return {shift, scale};
}

/** A deep copy (independent parameter array). */
export function cloneMLP(model: GaussianMLP): GaussianMLP {
  return {...model, hidden: model.hidden.slice(), params: Float64Array.from(model.params), inputShift: Float64Array.from(model.inputShift), inputScale: Float64Array.from(model.inputScale)};
}

// ---------------------------------------------------------------------------------------------------
// Forward pass and the batch API
// ---------------------------------------------------------------------------------------------------

/** Scratch buffers for a batch of up to `capacity` rows: activations and backprop deltas per layer. */
export interface Workspace {
  readonly capacity: number;
  /** acts[0]: normalised inputs; acts[l]: tanh outputs of hidden layer l; acts[L]: raw head outputs. */
  readonly acts: Float64Array[];
  /** deltas[l]: ∂L/∂(pre-activation) of layer l (l ≥ 1). deltas[0] is unused (empty). */
  readonly deltas: Float64Array[];
}

export function createWorkspace(model: GaussianMLP, capacity: number): Workspace {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`invalid capacity: ${capacity} (expected a positive integer)`);
  const s = layerSizes(model);
  return {capacity, acts: s.map((w) => new Float64Array(capacity * w)), deltas: s.map((w, l) => new Float64Array(l === 0 ? 0 : capacity * w))};
}

function workspaceFits(ws: Workspace, model: GaussianMLP, n: number): boolean {
  const s = layerSizes(model);
  return ws.capacity >= n && ws.acts.length === s.length && ws.acts.every((a, l) => a.length >= n * s[l]);
}

/**
 * Forward kernel (no validation): normalise `inputs` (n×inDim), then tanh layers, then the linear head;
 * leaves every activation in `ws` (the head's raw outputs in ws.acts[L], n×2d).
 */
export function _forward(model: GaussianMLP, inputs: Float64Array, n: number, ws: Workspace): void {
  const s = layerSizes(model);
  const L = s.length - 1;
  const p = model.params;
  const x0 = ws.acts[0];
  const inDim = s[0];
  const shift = model.inputShift;
  const scale = model.inputScale;
  for (let r = 0; r < n; r++) {
    const o = r * inDim;
    for (let i = 0; i < inDim; i++) x0[o + i] = (inputs[o + i] - shift[i]) * scale[i];
  }
  let po = 0;
  for (let l = 0; l < L; l++) {
    const fin = s[l];
    const fout = s[l + 1];
    _layer(p, po, ws.acts[l], ws.acts[l + 1], n, fin, fout, l + 1 < L);
    po += fout * fin + fout;
  }
}

/**
 * One dense layer y = W x + b (then tanh if `hidden`) over n rows (kernel). Rows are processed four at
 * a time so each weight is loaded once per four rows; every output is still summed as
 * b_j + w_j0·x_0 + w_j1·x_1 + … in that order, so the result is bit-identical to the plain loop.
 */
function _layer(p: Float64Array, po: number, x: Float64Array, y: Float64Array, n: number, fin: number, fout: number, hidden: boolean): void {
  const bo = po + fout * fin;
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    const x0 = r * fin;
    const x1 = x0 + fin;
    const x2 = x1 + fin;
    const x3 = x2 + fin;
    const y0 = r * fout;
    for (let j = 0; j < fout; j++) {
      const b = p[bo + j];
      let z0 = b;
      let z1 = b;
      let z2 = b;
      let z3 = b;
      const wo = po + j * fin;
      for (let k = 0; k < fin; k++) {
        const w = p[wo + k];
        z0 += w * x[x0 + k];
        z1 += w * x[x1 + k];
        z2 += w * x[x2 + k];
        z3 += w * x[x3 + k];
      }
      if (hidden) {
        y[y0 + j] = tanh(z0);
        y[y0 + fout + j] = tanh(z1);
        y[y0 + 2 * fout + j] = tanh(z2);
        y[y0 + 3 * fout + j] = tanh(z3);
      } else {
        y[y0 + j] = z0;
        y[y0 + fout + j] = z1;
        y[y0 + 2 * fout + j] = z2;
        y[y0 + 3 * fout + j] = z3;
      }
    }
  }
  for (; r < n; r++) {
    const xo = r * fin;
    const yo = r * fout;
    for (let j = 0; j < fout; j++) {
      let z = p[bo + j];
      const wo = po + j * fin;
      for (let k = 0; k < fin; k++) z += p[wo + k] * x[xo + k];
      y[yo + j] = hidden ? tanh(z) : z;
    }
  }
}

/** The clamped log-std ℓ of a raw head output. */
function clampLogStd(model: GaussianMLP, raw: number): number {
  return raw < model.logStdMin ? model.logStdMin : raw > model.logStdMax ? model.logStdMax : raw;
}

/**
 * The batch API: the model's diagonal Gaussians at n input rows (`inputs`, n×inDim), as gauss.ts
 * DiagGaussians (mean μ, variance σ² = exp(2·clamp(ℓ))), so the composition rules of §2 apply directly.
 * `out` (n×d) and `ws` (capacity ≥ n) may be passed to avoid allocation in hot loops. Never writes to
 * the model.
 */
export function act(model: GaussianMLP, inputs: Float64Array, out?: DiagGaussians, ws?: Workspace): DiagGaussians {
  if (!(inputs instanceof Float64Array)) throw new RangeError("invalid inputs: expected a Float64Array");
  if (inputs.length % model.inDim !== 0) throw new RangeError(`invalid inputs shape: ${inputs.length} entries are not a multiple of inDim ${model.inDim}`);
  const n = inputs.length / model.inDim;
  const d = model.outDim;
  if (out !== undefined && (out.dim !== d || out.mean.length !== n * d || out.variance.length !== n * d)) {
    throw new RangeError(`shape mismatch: out is ${out.mean.length / out.dim}×${out.dim}, expected ${n}×${d}`);
  }
  if (ws !== undefined && !workspaceFits(ws, model, n)) throw new RangeError(`invalid workspace: capacity ${ws.capacity} or layer sizes do not fit ${n} rows of this model`);
  const w = ws ?? createWorkspace(model, Math.max(1, n));
  const o = out ?? {dim: d, mean: new Float64Array(n * d), variance: new Float64Array(n * d)};
  if (n === 0) return o;
  _forward(model, inputs, n, w);
  _head(model, w.acts[w.acts.length - 1], n, o.mean, o.variance);
  return o;
}

/** Head kernel: raw outputs (n×2d) → mean and variance (n×d each). */
export function _head(model: GaussianMLP, raw: Float64Array, n: number, mean: Float64Array, variance: Float64Array): void {
  const d = model.outDim;
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      mean[r * d + j] = raw[r * 2 * d + j];
      const ls = clampLogStd(model, raw[r * 2 * d + d + j]);
      variance[r * d + j] = exp(2 * ls);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Loss and gradient
// ---------------------------------------------------------------------------------------------------

function checkData(model: GaussianMLP, inputs: Float64Array, targets: Float64Array, weights: Float64Array | undefined): number {
  if (inputs.length % model.inDim !== 0) throw new RangeError(`invalid inputs shape: ${inputs.length} entries are not a multiple of inDim ${model.inDim}`);
  const n = inputs.length / model.inDim;
  if (targets.length !== n * model.outDim) throw new RangeError(`shape mismatch: ${n} input rows vs ${targets.length / model.outDim} target rows (d = ${model.outDim})`);
  if (weights !== undefined && weights.length !== n) throw new RangeError(`shape mismatch: ${n} rows vs ${weights.length} weights`);
  if (n === 0) throw new RangeError("invalid batch: no rows");
  return n;
}

/** The (weighted) Gaussian NLL of targets a under the model at the inputs: (1/n) Σ_r w_r · nll_r (nats). */
export function nll(model: GaussianMLP, inputs: Float64Array, targets: Float64Array, weights?: Float64Array): number {
  const n = checkData(model, inputs, targets, weights);
  const g = act(model, inputs);
  const d = model.outDim;
  let total = 0;
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const k = r * d + j;
      const e = targets[k] - g.mean[k];
      s += (0.5 * e * e) / g.variance[k] + 0.5 * log(g.variance[k]) + HALF_LOG_2PI;
    }
    total += (weights ? weights[r] : 1) * s;
  }
  return total / n;
}

/**
 * Loss and gradient (validating wrapper of `_lossAndGrad`): returns L and writes ∂L/∂params to `grad`
 * (length paramCount; overwritten).
 */
export function lossAndGrad(model: GaussianMLP, inputs: Float64Array, targets: Float64Array, grad: Float64Array, weights?: Float64Array, ws?: Workspace): number {
  const n = checkData(model, inputs, targets, weights);
  if (grad.length !== model.params.length) throw new RangeError(`shape mismatch: grad has ${grad.length} entries, params ${model.params.length}`);
  if (ws !== undefined && !workspaceFits(ws, model, n)) throw new RangeError(`invalid workspace: does not fit ${n} rows`);
  return _lossAndGrad(model, inputs, targets, weights, n, grad, ws ?? createWorkspace(model, n));
}

/**
 * Loss/gradient kernel: forward, then backprop of L = (1/n) Σ_r w_r Σ_j [½(a−μ)²e^{−2ℓ} + ℓ + ½ln2π]:
 * ∂L/∂μ = (w/n)(μ − a)e^{−2ℓ}; ∂L/∂ℓ_raw = (w/n)(1 − (a − μ)²e^{−2ℓ}) inside the clamp, 0 outside;
 * tanh' = 1 − y². Writes `grad` (overwritten) and returns L.
 */
export function _lossAndGrad(model: GaussianMLP, inputs: Float64Array, targets: Float64Array, weights: Float64Array | undefined, n: number, grad: Float64Array, ws: Workspace): number {
  _forward(model, inputs, n, ws);
  const s = layerSizes(model);
  const L = s.length - 1;
  const d = model.outDim;
  const raw = ws.acts[L];
  const dOut = ws.deltas[L];
  const lo = model.logStdMin;
  const hi = model.logStdMax;
  let loss = 0;
  for (let r = 0; r < n; r++) {
    const w = (weights ? weights[r] : 1) / n;
    let sr = 0;
    for (let j = 0; j < d; j++) {
      const mu = raw[r * 2 * d + j];
      const lraw = raw[r * 2 * d + d + j];
      const inside = lraw >= lo && lraw <= hi;
      const ls = inside ? lraw : lraw < lo ? lo : hi;
      const inv = exp(-2 * ls);
      const e = targets[r * d + j] - mu;
      const q = e * e * inv;
      sr += 0.5 * q + ls + HALF_LOG_2PI;
      dOut[r * 2 * d + j] = -w * e * inv;
      dOut[r * 2 * d + d + j] = inside ? w * (1 - q) : 0;
    }
    loss += w * sr;
  }
  grad.fill(0);
  let po = 0;
  const offs: number[] = [];
  for (let l = 0; l < L; l++) {
    offs.push(po);
    po += s[l + 1] * s[l] + s[l + 1];
  }
  for (let l = L - 1; l >= 0; l--) {
    _accumulateGrad(grad, offs[l], ws.acts[l], ws.deltas[l + 1], n, s[l], s[l + 1]);
    if (l > 0) _backDelta(model.params, offs[l], ws.acts[l], ws.deltas[l + 1], ws.deltas[l], n, s[l], s[l + 1]);
  }
  return loss;
}

/**
 * ∂L/∂W_l += δ_l xᵀ and ∂L/∂b_l += δ_l over the n rows (W at `wo`, row-major fout×fin, then b). Rows
 * are taken four at a time, each gradient entry still accumulating row 0, 1, 2, … in order (kept in a
 * register between the four additions), so the sums are bit-identical to the row-by-row loop.
 */
function _accumulateGrad(grad: Float64Array, wo: number, x: Float64Array, delta: Float64Array, n: number, fin: number, fout: number): void {
  const bo = wo + fout * fin;
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    const x0 = r * fin;
    const x1 = x0 + fin;
    const x2 = x1 + fin;
    const x3 = x2 + fin;
    const dO = r * fout;
    for (let j = 0; j < fout; j++) {
      const d0 = delta[dO + j];
      const d1 = delta[dO + fout + j];
      const d2 = delta[dO + 2 * fout + j];
      const d3 = delta[dO + 3 * fout + j];
      let gb = grad[bo + j];
      gb += d0;
      gb += d1;
      gb += d2;
      gb += d3;
      grad[bo + j] = gb;
      const go = wo + j * fin;
      for (let k = 0; k < fin; k++) {
        let g = grad[go + k];
        g += d0 * x[x0 + k];
        g += d1 * x[x1 + k];
        g += d2 * x[x2 + k];
        g += d3 * x[x3 + k];
        grad[go + k] = g;
      }
    }
  }
  for (; r < n; r++) {
    const xo = r * fin;
    const dO = r * fout;
    for (let j = 0; j < fout; j++) {
      const dj = delta[dO + j];
      grad[bo + j] += dj;
      const go = wo + j * fin;
      for (let k = 0; k < fin; k++) grad[go + k] += dj * x[xo + k];
    }
  }
}

/**
 * δ_{l−1} = (W_lᵀ δ_l) ⊙ (1 − y²), y = tanh outputs feeding layer l (kernel). Four rows at a time; each
 * entry still sums 0 + w_0k·δ_0 + w_1k·δ_1 + … in the order of j, so it is bit-identical.
 */
function _backDelta(p: Float64Array, wo: number, y: Float64Array, delta: Float64Array, prev: Float64Array, n: number, fin: number, fout: number): void {
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    const x0 = r * fin;
    const x1 = x0 + fin;
    const x2 = x1 + fin;
    const x3 = x2 + fin;
    const dO = r * fout;
    for (let k = 0; k < 4 * fin; k++) prev[x0 + k] = 0;
    for (let j = 0; j < fout; j++) {
      const d0 = delta[dO + j];
      const d1 = delta[dO + fout + j];
      const d2 = delta[dO + 2 * fout + j];
      const d3 = delta[dO + 3 * fout + j];
      const go = wo + j * fin;
      for (let k = 0; k < fin; k++) {
        const w = p[go + k];
        prev[x0 + k] += w * d0;
        prev[x1 + k] += w * d1;
        prev[x2 + k] += w * d2;
        prev[x3 + k] += w * d3;
      }
    }
    for (let k = 0; k < 4 * fin; k++) {
      const v = y[x0 + k];
      prev[x0 + k] *= 1 - v * v;
    }
  }
  for (; r < n; r++) {
    const xo = r * fin;
    const dO = r * fout;
    for (let k = 0; k < fin; k++) prev[xo + k] = 0;
    for (let j = 0; j < fout; j++) {
      const dj = delta[dO + j];
      const go = wo + j * fin;
      for (let k = 0; k < fin; k++) prev[xo + k] += p[go + k] * dj;
    }
    for (let k = 0; k < fin; k++) {
      const v = y[xo + k];
      prev[xo + k] *= 1 - v * v;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Adam (Kingma & Ba 2015, Algorithm 1)
// ---------------------------------------------------------------------------------------------------

export interface AdamOptions {
  /** Learning rate (§8.4: 1e-3). */
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface AdamState {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly m: Float64Array;
  readonly v: Float64Array;
  /** Steps taken. */
  t: number;
}

export function createAdam(size: number, options: AdamOptions = {}): AdamState {
  const {lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8} = options;
  if (!(lr > 0 && lr < Infinity)) throw new RangeError(`invalid lr: ${lr} (expected a finite number > 0)`);
  if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new RangeError(`invalid betas: ${beta1}, ${beta2} (expected [0, 1))`);
  if (!(eps > 0)) throw new RangeError(`invalid eps: ${eps} (expected > 0)`);
  return {lr, beta1, beta2, eps, m: new Float64Array(size), v: new Float64Array(size), t: 0};
}

/** One Adam update of `params` in place: m ← β1m + (1−β1)g, v ← β2v + (1−β2)g², θ ← θ − lr·m̂/(√v̂ + ε). */
export function adamStep(state: AdamState, params: Float64Array, grad: Float64Array): void {
  if (params.length !== state.m.length || grad.length !== state.m.length) {
    throw new RangeError(`shape mismatch: Adam state ${state.m.length}, params ${params.length}, grad ${grad.length}`);
  }
  state.t++;
  const {lr, beta1, beta2, eps, m, v} = state;
  const c1 = 1 - pow(beta1, state.t);
  const c2 = 1 - pow(beta2, state.t);
  for (let i = 0; i < params.length; i++) {
    const g = grad[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    params[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
  }
}

// ---------------------------------------------------------------------------------------------------
// Serialization and the weights hash (§7 C3, §8.4)
// ---------------------------------------------------------------------------------------------------

export const MLP_FORMAT = "steer-gaussian-mlp/1";

export interface MLPJson {
  format: typeof MLP_FORMAT;
  inDim: number;
  outDim: number;
  hidden: number[];
  logStdMin: number;
  logStdMax: number;
  /** "float64": exact round trip; "float32": values rounded with Math.fround (smaller files for the browser). */
  precision: "float64" | "float32";
  inputShift: number[];
  inputScale: number[];
  params: number[];
  /** weightsHash of the serialized model (after rounding), checked on load. */
  hash: string;
}

/** A JSON-ready object. float64 (default) round-trips bit for bit; float32 rounds every number first. */
export function toJSON(model: GaussianMLP, precision: "float64" | "float32" = "float64"): MLPJson {
  if (precision !== "float64" && precision !== "float32") throw new RangeError(`invalid precision: ${JSON.stringify(precision)} (accepted: float64, float32)`);
  const conv = (a: Float64Array) => (precision === "float32" ? Array.from(a, Math.fround) : Array.from(a));
  const json: Omit<MLPJson, "hash"> = {
    format: MLP_FORMAT,
    inDim: model.inDim,
    outDim: model.outDim,
    hidden: model.hidden.slice(),
    logStdMin: model.logStdMin,
    logStdMax: model.logStdMax,
    precision,
    inputShift: conv(model.inputShift),
    inputScale: conv(model.inputScale),
    params: conv(model.params),
  };
  return {...json, hash: weightsHash(build(json))};
}

function build(json: Omit<MLPJson, "hash">): GaussianMLP {
  return {
    inDim: json.inDim,
    outDim: json.outDim,
    hidden: json.hidden.slice(),
    params: Float64Array.from(json.params),
    inputShift: Float64Array.from(json.inputShift),
    inputScale: Float64Array.from(json.inputScale),
    logStdMin: json.logStdMin,
    logStdMax: json.logStdMax,
  };
}

/** Parse a model from `toJSON` output (an object or its JSON text); validates shapes and the hash. */
export function fromJSON(input: MLPJson | string): GaussianMLP {
  const json = (typeof input === "string" ? JSON.parse(input) : input) as MLPJson;
  if (json === null || typeof json !== "object" || json.format !== MLP_FORMAT) throw new RangeError(`invalid model format: expected ${MLP_FORMAT}`);
  const hidden = checkShape({inDim: json.inDim, outDim: json.outDim, hidden: json.hidden});
  const expected = paramCount({inDim: json.inDim, outDim: json.outDim, hidden});
  if (!Array.isArray(json.params) || json.params.length !== expected) throw new RangeError(`invalid model params: ${json.params?.length} values, expected ${expected}`);
  if (!(json.logStdMin < json.logStdMax)) throw new RangeError(`invalid log-std bounds: [${json.logStdMin}, ${json.logStdMax}]`);
  const model = build(json);
  checkNormalization(model);
  for (let i = 0; i < model.params.length; i++) if (!Number.isFinite(model.params[i])) throw new RangeError(`invalid model param at index ${i}: ${model.params[i]}`);
  const h = weightsHash(model);
  if (json.hash !== undefined && json.hash !== h) throw new RangeError(`model hash mismatch: file says ${json.hash}, weights hash to ${h}`);
  return model;
}

/**
 * A stable 64-bit FNV-1a hash (16 hex digits) of a model: its shape (inDim, outDim, hidden widths,
 * log-std bounds) and the little-endian IEEE-754 bytes of inputShift, inputScale and params. Equal
 * hashes ⇔ (up to 2⁻⁶⁴) bit-identical weights; used for the frozen-weights invariant (§7 C3).
 */
export function weightsHash(model: GaussianMLP): string {
  const h = new Fnv64();
  const header = [model.inDim, model.outDim, model.hidden.length, ...model.hidden];
  const hb = new DataView(new ArrayBuffer(8));
  for (const v of header) {
    hb.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) h.byte(hb.getUint8(i));
  }
  for (const a of [new Float64Array([model.logStdMin, model.logStdMax]), model.inputShift, model.inputScale, model.params]) h.float64s(a);
  return h.hex();
}

/** FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3), on two 32-bit halves. */
class Fnv64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;
  private readonly view = new DataView(new ArrayBuffer(8));

  byte(b: number): void {
    const lo = (this.lo ^ b) >>> 0;
    // (hi·2³² + lo)·(2⁴⁰ + 0x1b3) mod 2⁶⁴: every partial product below stays under 2⁵³.
    const pl = lo * 0x1b3;
    const carry = Math.floor(pl / 4294967296);
    const newLo = pl - carry * 4294967296;
    const ph = this.hi * 0x1b3 + carry + ((lo << 8) >>> 0);
    this.hi = ph % 4294967296;
    this.lo = newLo;
  }

  float64s(a: Float64Array): void {
    const v = this.view;
    for (let i = 0; i < a.length; i++) {
      v.setFloat64(0, a[i], true);
      for (let k = 0; k < 8; k++) this.byte(v.getUint8(k));
    }
  }

  hex(): string {
    return (this.hi >>> 0).toString(16).padStart(8, "0") + (this.lo >>> 0).toString(16).padStart(8, "0");
  }
}

/** Exposed for tests: FNV-1a 64 of a byte sequence (hex). */
export function fnv1a64(bytes: ArrayLike<number>): string {
  const h = new Fnv64();
  for (let i = 0; i < bytes.length; i++) h.byte(bytes[i] & 0xff);
  return h.hex();
}
