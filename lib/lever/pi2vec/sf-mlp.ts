/**
 * Successor features by the reference's network ψθ (spec/lever.md §3.4), with φ(s) = s (the 70-d state
 * vector of §3.1), in both of the reference's architectures (`architecture`):
 * - [main] (`"main"`, which produced the ExNonZero tables): Linear(70,128)–BN–ReLU → Linear(128,512)–BN–ReLU
 *   → 2×[Linear(512,512)–BN–ReLU] → Linear(512,70), 639,686 parameters; lr 1e-3 for library and composed
 *   policies alike; batches of one are skipped (BatchNorm cannot normalise a single row in train mode).
 *   BatchNorm1d as PyTorch defines it, train and eval modes: lib/lever/pi2vec/batchnorm.ts.
 * - [v3]/[S] (`"v3"`): 70→128→128→128→70 with ReLU and no BatchNorm, 51,142 parameters; lr 7e-4 for
 *   library policies, 3e-5 for composed ones (§3.4, §11 item 6); no batch is skipped.
 * Both are trained on the transitions of one policy with Adam (β = 0.9, 0.999, ε = 1e-8, as torch),
 * batch 8, shuffled every epoch, 50 epochs, loss MSE(ψ(s), s + γ·stopgrad ψ(s')), γ = 0.99 in every
 * branch, no terminal masking, the model in train mode throughout. As the reference's `bellman_loss`,
 * ψ(s') is computed first (no gradient) and ψ(s) second, so with BatchNorm both passes normalise with
 * their own batch's statistics and both update the running statistics, ψ(s')'s first (§3.4 "ψ(s') also
 * goes through BN in train mode").
 * Initialisation as torch's default `nn.Linear`: weights and biases U(−1/√fan_in, 1/√fan_in)
 * (kaiming_uniform with a = √5), drawn layer by layer (W then b) from our seeded Rng (the reference's
 * init is unseeded); BatchNorm starts at γ = 1, β = 0, running mean 0, running variance 1.
 * Written by hand on Float32Array: the batch is 8, so a dependency-free loop is fast enough, works
 * offline in Node, Workers and pages, and no maintained small JS autodiff library fits (tfjs would add
 * megabytes for a few dense layers). The [main] network costs about 12× the [v3] one per step.
 * Embedding (§3.4): the mean of ψ over the canonical states, one state at a time, in eval mode
 * (BatchNorm with its running statistics) → Float32Array(70).
 *
 * The closed-form alternative [OURS] is lib/lever/pi2vec/sf-lstd.ts.
 */
import type {FeatureMatrix, Transitions} from "./features.js";
import {validateStates, validateTransitions} from "./features.js";
import {Rng} from "../../core/rng.js";
import {pow} from "../../core/detmath.js";
import {_batchNormBackward, _batchNormEval, _batchNormTrain} from "./batchnorm.js";

/** The reference's two ψθ networks (§3.4): [main] with BatchNorm, [v3]/[S] without. */
export type PsiArchitecture = "main" | "v3";
export const PSI_ARCHITECTURES: readonly PsiArchitecture[] = ["main", "v3"];

/** What a ψθ is trained for; it selects the learning rate ([v3] uses two). */
export type PsiUse = "library" | "composed";

/** Per-architecture settings (§3.4): hidden widths, BatchNorm, whether size-1 batches are skipped, lr per use. */
export const PSI_NETWORKS: Readonly<Record<PsiArchitecture, {hidden: readonly number[]; batchNorm: boolean; skipBatchesOfOne: boolean; lr: Readonly<Record<PsiUse, number>>}>> = {
  main: {hidden: [128, 512, 512, 512], batchNorm: true, skipBatchesOfOne: true, lr: {library: 1e-3, composed: 1e-3}},
  v3: {hidden: [128, 128, 128], batchNorm: false, skipBatchesOfOne: false, lr: {library: 7e-4, composed: 3e-5}},
};

/** Reference learning rates of the [v3]/[S] network (§3.4); [main] uses 1e-3 for both (PSI_NETWORKS.main.lr). */
export const PSI_LR = PSI_NETWORKS.v3.lr;

export function parsePsiArchitecture(value: string): PsiArchitecture {
  if (value === "main" || value === "v3") return value;
  throw new RangeError(`invalid ψ architecture: ${JSON.stringify(value)} (accepted: main, v3)`);
}

/**
 * Every setting of ψθ training. `architecture` picks the network and the defaults of `hidden` and
 * `lr`; on its own it defaults to [v3] (the network this module first implemented), and the pipeline
 * passes the library's rule ([main] rule → [main] network: lib/lever/pi2vec/embedding.ts,
 * lib/lever/compose/score.ts).
 */
export interface PsiParams {
  /** Network (§3.4): "main" (BatchNorm, 70→128→512→512→512→70) or "v3" (70→128→128→128→70); "v3". */
  architecture?: PsiArchitecture;
  /** Library or composed policy: selects the default lr (1e-3 both [main]; 7e-4 / 3e-5 [v3]); "library". */
  use?: PsiUse;
  /** Hidden layer widths (BatchNorm if [main], then ReLU after each): [128, 512, 512, 512] [main], [128, 128, 128] [v3]. */
  hidden?: readonly number[];
  /** Successor-feature discount: 0.99 in every branch (§3.4). */
  gamma?: number;
  /** Adam learning rate: by architecture and use (above). */
  lr?: number;
  /** Epochs over the transitions (50). */
  epochs?: number;
  /** Minibatch size (8); a last batch of one row is skipped with BatchNorm ([main]), kept otherwise ([v3]). */
  batchSize?: number;
  /** Adam β1, β2, ε (torch defaults). */
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Seed of the initialisation (stream 1) and the per-epoch shuffles (stream 2). */
  seed?: number;
}

const PSI_DEFAULTS = {gamma: 0.99, epochs: 50, batchSize: 8, beta1: 0.9, beta2: 0.999, eps: 1e-8, seed: 0};

/**
 * A dense ReLU network: layer l maps sizes[l] → sizes[l+1]; weights row-major [out][in] as torch. With
 * `bn` ([main]), every hidden layer is Linear → BatchNorm1d → ReLU; bn.*[l] belongs to layer l's output.
 */
export interface PsiModel {
  sizes: number[];
  weights: Float32Array[];
  biases: Float32Array[];
  bn?: PsiBatchNorm;
}

/** BatchNorm1d parameters (γ, β) and buffers (running mean and variance), one entry per hidden layer. */
export interface PsiBatchNorm {
  gamma: Float32Array[];
  beta: Float32Array[];
  runningMean: Float32Array[];
  runningVar: Float32Array[];
}

function parsePsiParams(p: PsiParams): Required<PsiParams> {
  const given = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as PsiParams;
  const architecture = parsePsiArchitecture(given.architecture ?? "v3");
  const use = given.use ?? "library";
  if (use !== "library" && use !== "composed") throw new RangeError(`invalid ψ use: ${JSON.stringify(use)} (accepted: library, composed)`);
  const net = PSI_NETWORKS[architecture];
  const q: Required<PsiParams> = {...PSI_DEFAULTS, hidden: net.hidden, lr: net.lr[use], ...given, architecture, use};
  if (!Array.isArray(q.hidden) || q.hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new RangeError(`invalid hidden sizes: ${JSON.stringify(q.hidden)}`);
  if (!(q.gamma >= 0 && q.gamma < 1)) throw new RangeError(`invalid gamma: ${q.gamma} (expected 0 ≤ γ < 1)`);
  if (!(q.lr > 0)) throw new RangeError(`invalid lr: ${q.lr} (expected > 0)`);
  if (!Number.isInteger(q.epochs) || q.epochs < 0) throw new RangeError(`invalid epochs: ${q.epochs}`);
  if (!Number.isInteger(q.batchSize) || q.batchSize < 1) throw new RangeError(`invalid batchSize: ${q.batchSize}`);
  if (!(q.beta1 >= 0 && q.beta1 < 1) || !(q.beta2 >= 0 && q.beta2 < 1) || !(q.eps > 0)) throw new RangeError(`invalid Adam settings: β1=${q.beta1}, β2=${q.beta2}, ε=${q.eps}`);
  if (!Number.isInteger(q.seed)) throw new RangeError(`invalid seed: ${q.seed}`);
  return q;
}

/**
 * torch `nn.Linear` default init: W, b ~ U(−1/√fan_in, 1/√fan_in), drawn W row by row then b, layer by
 * layer. With `batchNorm`, each hidden layer also gets BatchNorm1d's init (γ 1, β 0, mean 0, var 1),
 * which draws nothing, so the linear weights equal those of the same sizes without it.
 */
export function initPsi(dim: number, hidden: readonly number[], rng: Rng, batchNorm = false): PsiModel {
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
  if (!batchNorm) return {sizes, weights, biases};
  const bn: PsiBatchNorm = {
    gamma: hidden.map((h) => new Float32Array(h).fill(1)),
    beta: hidden.map((h) => new Float32Array(h)),
    runningMean: hidden.map((h) => new Float32Array(h)),
    runningVar: hidden.map((h) => new Float32Array(h).fill(1)),
  };
  return {sizes, weights, biases, bn};
}

/** Number of trainable parameters (weights, biases, BatchNorm γ and β; running statistics are buffers), as torch counts them. */
export function psiParameterCount(model: PsiModel): number {
  let n = 0;
  for (const a of [...model.weights, ...model.biases, ...(model.bn?.gamma ?? []), ...(model.bn?.beta ?? [])]) n += a.length;
  return n;
}

/** Saved by a train-mode pass for the backward pass: x̂ and 1/√(σ²_B + eps) of every BatchNorm layer, and a scratch mean. */
interface BnSaved {
  xhat: Float64Array[];
  invstd: Float64Array[];
  mean: Float64Array;
}

/**
 * Forward pass of `rows` inputs (row-major in x). `acts[l]` receives layer l's output (post-ReLU for
 * hidden layers, linear for the last), each rows × sizes[l+1]. With BatchNorm: train mode when `saved`
 * is given (batch statistics, running statistics updated, x̂ saved), eval mode otherwise.
 */
function forward(model: PsiModel, x: Float32Array, rows: number, acts: Float32Array[], saved?: BnSaved): void {
  const {sizes, weights, biases, bn} = model;
  const L = weights.length;
  let input = x;
  for (let l = 0; l < L; l++) {
    const hidden = l < L - 1;
    if (bn && hidden) {
      // Linear → BatchNorm1d → ReLU, the normalisation in place on the linear output.
      _dense(weights[l], biases[l], input, acts[l], rows, sizes[l], sizes[l + 1], false);
      if (saved) _batchNormTrain(acts[l], rows, sizes[l + 1], bn.gamma[l], bn.beta[l], bn.runningMean[l], bn.runningVar[l], acts[l], true, saved.xhat[l], saved.invstd[l], saved.mean);
      else _batchNormEval(acts[l], rows, sizes[l + 1], bn.gamma[l], bn.beta[l], bn.runningMean[l], bn.runningVar[l], acts[l], true);
    } else {
      _dense(weights[l], biases[l], input, acts[l], rows, sizes[l], sizes[l + 1], hidden);
    }
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
    const x0 = b * nin,
      x1 = x0 + nin,
      x2 = x1 + nin,
      x3 = x2 + nin;
    const o0 = b * nout,
      o1 = o0 + nout,
      o2 = o1 + nout,
      o3 = o2 + nout;
    for (let o = 0; o < nout; o++) {
      const wo = o * nin;
      let s0 = bias[o],
        s1 = s0,
        s2 = s0,
        s3 = s0;
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
    const x0 = b * nin,
      x1 = x0 + nin,
      x2 = x1 + nin,
      x3 = x2 + nin;
    const o0 = b * nout,
      o1 = o0 + nout,
      o2 = o1 + nout,
      o3 = o2 + nout;
    for (let o = 0; o < nout; o++) {
      const d0 = delta[o0 + o],
        d1 = delta[o1 + o],
        d2 = delta[o2 + o],
        d3 = delta[o3 + o];
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
    const x0 = b * nin,
      x1 = x0 + nin,
      x2 = x1 + nin,
      x3 = x2 + nin;
    const o0 = b * nout,
      o1 = o0 + nout,
      o2 = o1 + nout,
      o3 = o2 + nout;
    for (let o = 0; o < nout; o++) {
      const d0 = delta[o0 + o],
        d1 = delta[o1 + o],
        d2 = delta[o2 + o],
        d3 = delta[o3 + o];
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

/** ψθ(s) for one state → Float32Array(dim); BatchNorm in eval mode (running statistics). */
export function psi(model: PsiModel, state: Float32Array): Float32Array {
  if (state.length !== model.sizes[0]) throw new RangeError(`invalid state length: ${state.length} (expected ${model.sizes[0]})`);
  const acts = allocActs(model, 1);
  forward(model, state, 1, acts);
  return acts[acts.length - 1];
}

/** ∂L/∂θ for every parameter of a PsiModel (BatchNorm entries empty without it). */
export interface PsiGradients {
  weights: Float64Array[];
  biases: Float64Array[];
  gamma: Float64Array[];
  beta: Float64Array[];
}

/** The buffers of one minibatch step of `rows` rows. */
interface Workspace {
  acts: Float32Array[];
  nextActs: Float32Array[];
  deltas: Float64Array[];
  saved: BnSaved | undefined;
  grads: PsiGradients;
  xb: Float32Array;
  xnb: Float32Array;
}

function allocWorkspace(model: PsiModel, rows: number): Workspace {
  const {sizes, weights, biases, bn} = model;
  const hidden = sizes.slice(1, -1);
  return {
    acts: allocActs(model, rows),
    nextActs: allocActs(model, rows),
    deltas: sizes.slice(1).map((w) => new Float64Array(rows * w)),
    saved: bn ? {xhat: hidden.map((h) => new Float64Array(rows * h)), invstd: hidden.map((h) => new Float64Array(h)), mean: new Float64Array(Math.max(1, ...hidden))} : undefined,
    grads: {
      weights: weights.map((w) => new Float64Array(w.length)),
      biases: biases.map((b) => new Float64Array(b.length)),
      gamma: bn ? bn.gamma.map((g) => new Float64Array(g.length)) : [],
      beta: bn ? bn.beta.map((b) => new Float64Array(b.length)) : [],
    },
    xb: new Float32Array(rows * sizes[0]),
    xnb: new Float32Array(rows * sizes[0]),
  };
}

/**
 * Loss MSE(ψ(s), s + γ·stopgrad ψ(s')) of the B rows in ws.xb / ws.xnb, and its gradients in ws.grads.
 * Train mode, in the reference's order (`bellman_loss`): ψ(s') first with the current parameters and
 * no gradient, then ψ(s); with BatchNorm each pass normalises with its own batch statistics and updates
 * the running statistics, and the backward pass uses ψ(s)'s.
 */
function _lossAndGrad(model: PsiModel, ws: Workspace, B: number, gamma: number): number {
  const {acts, nextActs, deltas, saved, grads, xb, xnb} = ws;
  const dim = model.sizes[0];
  // Target s + γ·ψ(s') with the current parameters and no gradient (stopgrad).
  forward(model, xnb, B, nextActs, saved);
  forward(model, xb, B, acts, saved);
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
  const bn = model.bn;
  for (let l = L - 1; l >= 0; l--) {
    const nin = model.sizes[l];
    const nout = model.sizes[l + 1];
    _gradWeights(grads.weights[l], grads.biases[l], deltas[l], l === 0 ? xb : acts[l - 1], B, nin, nout);
    if (l > 0) {
      // ∂L/∂(layer l−1's ReLU input): for BatchNorm layers that is ∂L/∂y, then through the normalisation to ∂L/∂z.
      _gradInput(deltas[l - 1], deltas[l], model.weights[l], acts[l - 1], B, nin, nout);
      if (bn && saved) _batchNormBackward(deltas[l - 1], saved.xhat[l - 1], saved.invstd[l - 1], bn.gamma[l - 1], B, nin, grads.gamma[l - 1], grads.beta[l - 1]);
    }
  }
  return loss;
}

/**
 * The training loss of one batch made of all `transitions` and its gradients with respect to every
 * parameter (train mode, as one minibatch step computes them before Adam). Like a training step it
 * updates BatchNorm's running statistics (twice: ψ(s'), then ψ(s)). For tests and inspection.
 */
export function psiLossGradient(model: PsiModel, transitions: Transitions, gamma = PSI_DEFAULTS.gamma): {loss: number; gradients: PsiGradients} {
  validateTransitions(transitions);
  if (transitions.dim !== model.sizes[0]) throw new RangeError(`invalid transitions: dim ${transitions.dim} (expected ${model.sizes[0]})`);
  const ws = allocWorkspace(model, transitions.n);
  ws.xb.set(transitions.s);
  ws.xnb.set(transitions.next);
  const loss = _lossAndGrad(model, ws, transitions.n, gamma);
  return {loss, gradients: ws.grads};
}

/**
 * Step-by-step ψθ training (§3.4): `epoch()` runs one shuffled pass of Adam minibatch updates and
 * returns the epoch loss = mean of the batch losses of the batches trained on (as the reference's
 * `train_epoch`; 0 if every batch was skipped).
 */
export class PsiTrainer {
  readonly model: PsiModel;
  readonly params: Required<PsiParams>;
  /** Epochs done. */
  epochs = 0;
  private readonly t: Transitions;
  private readonly order: Int32Array;
  private readonly shuffleRng: Rng;
  private readonly skipBatchesOfOne: boolean;
  private readonly ws: Workspace;
  /** Parameters and their gradients in the same order: weights, biases, then BatchNorm γ and β. */
  private readonly tensors: Float32Array[];
  private readonly grads: Float64Array[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private adamStep = 0;

  constructor(transitions: Transitions, params: PsiParams = {}) {
    validateTransitions(transitions);
    if (transitions.n < 1) throw new RangeError("invalid transitions: none to train on");
    this.params = parsePsiParams(params);
    this.t = transitions;
    const {architecture, hidden, seed, batchSize} = this.params;
    const net = PSI_NETWORKS[architecture];
    this.model = initPsi(transitions.dim, hidden, new Rng(seed, 1), net.batchNorm);
    this.skipBatchesOfOne = net.skipBatchesOfOne;
    this.shuffleRng = new Rng(seed, 2);
    this.order = new Int32Array(transitions.n);
    this.ws = allocWorkspace(this.model, batchSize);
    const {weights, biases, bn} = this.model;
    const g = this.ws.grads;
    this.tensors = [...weights, ...biases, ...(bn?.gamma ?? []), ...(bn?.beta ?? [])];
    this.grads = [...g.weights, ...g.biases, ...g.gamma, ...g.beta];
    this.m = this.tensors.map((a) => new Float32Array(a.length));
    this.v = this.tensors.map((a) => new Float32Array(a.length));
  }

  /** Adam steps taken (one per minibatch trained on). */
  get steps(): number {
    return this.adamStep;
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
      const b1 = Math.min(n, b0 + batchSize);
      // [main]: BatchNorm cannot train on one row, and the reference skips such a batch (§3.4).
      if (b1 - b0 === 1 && this.skipBatchesOfOne) continue;
      total += this.batch(order, b0, b1);
      batches++;
    }
    this.epochs++;
    return batches > 0 ? total / batches : 0;
  }

  /** One Adam step on the transitions order[b0..b1); returns the batch loss before the step. */
  private batch(order: Int32Array, b0: number, b1: number): number {
    const {s, next, dim} = this.t;
    const {xb, xnb} = this.ws;
    const B = b1 - b0;
    for (let b = 0; b < B; b++) {
      const k = order[b0 + b] * dim;
      xb.set(s.subarray(k, k + dim), b * dim);
      xnb.set(next.subarray(k, k + dim), b * dim);
    }
    const loss = _lossAndGrad(this.model, this.ws, B, this.params.gamma);
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
    const params = this.tensors;
    const grads = this.grads;
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
 * on its own in eval mode (BatchNorm with its running statistics, so this also equals a batched pass)
 * → Float32Array(dim).
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
