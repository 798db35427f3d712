/**
 * Training the frozen actor and the goal-conditioned prior of the steering analog (spec/steering.md
 * §8.4, all [OURS]; the paper says only that the AntMaze frozen actor is behaviour-cloned [PAPER]).
 *
 * - Frozen actor, Reach: advantage-weighted Gaussian BC (an AWR/IQL-style policy extraction, §8.4):
 *   w = min(exp((G_t − b_t)/τ), 20), G_t the Monte Carlo return-to-go (undiscounted, within the
 *   episode), b_t its mean over the dataset's episodes at time step t, τ the std of (G − b) over all
 *   transitions. Plain BC (w ≡ 1) is kept as the ablation `method: "bc"`.
 * - Frozen actor, maze: plain BC on (x, y, vx, vy) → a (the goal is not observed), as in the paper.
 * - Prior: goal-conditioned BC with hindsight relabeling: input (x, v, g_h), g_h = x_{t+k},
 *   k ∼ U{1..K} (K = 30 Reach, 100 maze), clamped to the episode's last position; relabeled afresh for
 *   every minibatch. For Reach the observation's goal field is replaced by g_h; for the maze g_h is
 *   appended to the observation. Deployed with the real goal (rollout.ts).
 *
 * Optimisation (§8.4): Adam, lr 1e-3, batch 128, 2,000 updates, minibatch rows drawn uniformly with
 * replacement. Sizes chosen for the ≤ 5-minute paper profile on 2 cores [OURS]: every net is 2×32 tanh
 * (1.6k parameters for Reach3, 2.4k for Reach8, 1.4k for the maze); one 2,000-update run costs
 * ≈ 2.5–4 s single-threaded (measured on a loaded 2-core machine at 5–8 s), and 2×64 maze nets cost
 * ≈ 3× more without changing the diagnostic's outcome. Input normalisation per column from the
 * training inputs (for the prior: one relabeled pass drawn before training).
 *
 * Randomness: `rng` is forked once per purpose, init = rng.fork(1), minibatches and relabeling =
 * rng.fork(2), normalisation relabeling = rng.fork(3), so training is bit-reproducible from the Rng state.
 */
import {exp} from "../core/detmath.js";
import type {Rng} from "../core/rng.js";
import type {OfflineDataset} from "./datasets.js";
import {episodeIndex} from "./datasets.js";
import type {Env} from "./envs.js";
import type {AdamOptions, GaussianMLP} from "./mlp.js";
import {_lossAndGrad, adamStep, createAdam, createMLP, createWorkspace, normalizationFrom, weightsHash} from "./mlp.js";

/** Hyper-parameters of one training run (§8.4). */
export interface TrainOptions {
  /** Hidden widths. Default [32, 32] (Reach and maze). */
  hidden?: readonly number[];
  /** Adam updates. Default 2000. */
  steps?: number;
  /** Minibatch size. Default 128. */
  batch?: number;
  /** Adam learning rate. Default 1e-3. */
  lr?: number;
  /** Record the mean minibatch loss every `logEvery` updates. Default 100. */
  logEvery?: number;
  /** Called after each logged block with (updates done, mean loss); return false to stop early. */
  onProgress?: (step: number, loss: number) => boolean | void;
}

export interface ActorOptions extends TrainOptions {
  /** "awbc" (Reach default) or "bc" (maze default; the Reach ablation). */
  method?: "awbc" | "bc";
  /** AW-BC weight cap (§8.4: 20). */
  weightCap?: number;
}

export interface PriorOptions extends TrainOptions {
  /** Hindsight horizon K (§8.4): 30 for Reach, 100 for the maze. */
  horizon?: number;
}

export interface Trained {
  model: GaussianMLP;
  /** Mean minibatch loss per logged block. */
  losses: Float64Array;
  /** weightsHash(model) right after training. */
  hash: string;
  /** The options actually used (defaults filled in), for manifests. */
  params: Record<string, unknown>;
}

export const TRAIN_DEFAULTS = Object.freeze({steps: 2000, batch: 128, lr: 1e-3, logEvery: 100, reachHidden: [32, 32], mazeHidden: [32, 32], reachK: 30, mazeK: 100, weightCap: 20});

// ---------------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------------

/** Input dimension of the actor: the observation (3d for Reach, 4 for the maze). */
export function actorInDim(env: Env): number {
  return env.obsDim;
}

/** Input dimension of the prior: (x, v, g) = 3d for Reach, 4 + 2 for the maze. */
export function priorInDim(env: Env): number {
  return env.kind === "reach" ? env.obsDim : env.obsDim + env.goalDim;
}

/** Goal dimension (d for Reach, 2 for the maze). */
export function goalDimOf(env: Env): number {
  return env.kind === "reach" ? env.dim : env.goalDim;
}

/**
 * Prior inputs for n rows (kernel, no validation): observation row r with goal `goals[gr·gd ..]`, where
 * gr = r, or 0 if `goals` holds a single goal. Reach: the observation with its goal field replaced;
 * maze: the observation followed by the goal. Writes n×priorInDim to `out`.
 */
export function _priorInputs(env: Env, obs: Float64Array, goals: ArrayLike<number>, n: number, out: Float64Array): void {
  const D = env.obsDim;
  const gd = goalDimOf(env);
  const single = goals.length === gd;
  if (env.kind === "reach") {
    const go = env.goalOffset;
    for (let r = 0; r < n; r++) {
      const g0 = single ? 0 : r * gd;
      for (let i = 0; i < go; i++) out[r * D + i] = obs[r * D + i];
      for (let i = 0; i < gd; i++) out[r * D + go + i] = goals[g0 + i];
    }
  } else {
    const P = D + gd;
    for (let r = 0; r < n; r++) {
      const g0 = single ? 0 : r * gd;
      for (let i = 0; i < D; i++) out[r * P + i] = obs[r * D + i];
      for (let i = 0; i < gd; i++) out[r * P + D + i] = goals[g0 + i];
    }
  }
}

/** Validating wrapper of `_priorInputs`: `goals` is n×goalDim, or one goal shared by every row. */
export function priorInputs(env: Env, obs: Float64Array, goals: ArrayLike<number>): Float64Array {
  if (obs.length % env.obsDim !== 0) throw new RangeError(`invalid observations shape: ${obs.length} entries for obsDim ${env.obsDim}`);
  const n = obs.length / env.obsDim;
  const gd = goalDimOf(env);
  if (goals.length !== gd && goals.length !== n * gd) throw new RangeError(`shape mismatch: ${goals.length} goal entries for ${n} rows of goal dim ${gd}`);
  const out = new Float64Array(n * priorInDim(env));
  _priorInputs(env, obs, goals, n, out);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// AW-BC weights (§8.4)
// ---------------------------------------------------------------------------------------------------

/** Undiscounted Monte Carlo return-to-go G_t of every transition (within its episode). */
export function returnsToGo(ds: OfflineDataset): Float64Array {
  const G = new Float64Array(ds.size);
  const st = ds.episodeStarts;
  for (let e = 0; e + 1 < st.length; e++) {
    let s = 0;
    for (let k = st[e + 1] - 1; k >= st[e]; k--) {
      s += ds.rewards[k];
      G[k] = s;
    }
  }
  return G;
}

/**
 * AW-BC weights (§8.4): w = min(exp((G − b_t)/τ), cap), b_t = mean of G over transitions at time step t,
 * τ = std of (G − b) over all transitions (population std). τ = 0 gives w ≡ 1.
 */
export function awbcWeights(ds: OfflineDataset, cap: number = TRAIN_DEFAULTS.weightCap): Float64Array {
  if (!(cap > 0)) throw new RangeError(`invalid weight cap: ${cap} (expected > 0)`);
  const G = returnsToGo(ds);
  let T = 0;
  for (let k = 0; k < ds.size; k++) if (ds.timesteps[k] + 1 > T) T = ds.timesteps[k] + 1;
  const sum = new Float64Array(T);
  const cnt = new Float64Array(T);
  for (let k = 0; k < ds.size; k++) {
    sum[ds.timesteps[k]] += G[k];
    cnt[ds.timesteps[k]]++;
  }
  const adv = new Float64Array(ds.size);
  let m = 0;
  for (let k = 0; k < ds.size; k++) {
    const t = ds.timesteps[k];
    adv[k] = G[k] - sum[t] / cnt[t];
    m += adv[k];
  }
  m /= ds.size;
  let v = 0;
  for (let k = 0; k < ds.size; k++) v += (adv[k] - m) * (adv[k] - m);
  const tau = Math.sqrt(v / ds.size);
  const w = new Float64Array(ds.size);
  for (let k = 0; k < ds.size; k++) w[k] = tau > 0 ? Math.min(exp(adv[k] / tau), cap) : 1;
  return w;
}

// ---------------------------------------------------------------------------------------------------
// The training loop
// ---------------------------------------------------------------------------------------------------

/** Fills minibatch inputs X (batch×inDim), targets Y (batch×d) and weights W (or leaves W unused). */
type BatchFiller = (rows: Int32Array, X: Float64Array, Y: Float64Array, W: Float64Array, rng: Rng) => void;

interface LoopSettings {
  steps: number;
  batch: number;
  lr: number;
  logEvery: number;
  onProgress?: (step: number, loss: number) => boolean | void;
}

function settings(options: TrainOptions): LoopSettings {
  const {steps = TRAIN_DEFAULTS.steps, batch = TRAIN_DEFAULTS.batch, lr = TRAIN_DEFAULTS.lr, logEvery = TRAIN_DEFAULTS.logEvery, onProgress} = options;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`invalid steps: ${steps} (expected a positive integer)`);
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`invalid batch: ${batch} (expected a positive integer)`);
  if (!Number.isInteger(logEvery) || logEvery < 1) throw new RangeError(`invalid logEvery: ${logEvery} (expected a positive integer)`);
  return {steps, batch, lr, logEvery, onProgress};
}

/**
 * Minibatch Adam on the (weighted) Gaussian NLL (mlp.ts). Rows are drawn uniformly with replacement
 * from [0, n) by `rng`, then `fill` builds the batch. Mutates `model.params`; returns the logged losses.
 */
export function fitGaussian(model: GaussianMLP, n: number, fill: BatchFiller, weighted: boolean, rng: Rng, options: TrainOptions & AdamOptions = {}): Float64Array {
  const s = settings(options);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`invalid dataset size: ${n}`);
  const adam = createAdam(model.params.length, {lr: s.lr, beta1: options.beta1, beta2: options.beta2, eps: options.eps});
  const ws = createWorkspace(model, s.batch);
  const rows = new Int32Array(s.batch);
  const X = new Float64Array(s.batch * model.inDim);
  const Y = new Float64Array(s.batch * model.outDim);
  const W = new Float64Array(s.batch);
  const grad = new Float64Array(model.params.length);
  const losses: number[] = [];
  let block = 0;
  let blockN = 0;
  for (let step = 1; step <= s.steps; step++) {
    for (let i = 0; i < s.batch; i++) rows[i] = rng.int(n);
    fill(rows, X, Y, W, rng);
    block += _lossAndGrad(model, X, Y, weighted ? W : undefined, s.batch, grad, ws);
    blockN++;
    adamStep(adam, model.params, grad);
    if (step % s.logEvery === 0 || step === s.steps) {
      const mean = block / blockN;
      losses.push(mean);
      block = 0;
      blockN = 0;
      if (s.onProgress && s.onProgress(step, mean) === false) break;
    }
  }
  return Float64Array.from(losses);
}

function checkDataset(env: Env, ds: OfflineDataset): void {
  if (ds.env !== env.name) throw new RangeError(`dataset/environment mismatch: dataset of ${ds.env}, environment ${env.name}`);
  if (ds.obsDim !== env.obsDim || ds.actDim !== env.actDim) throw new RangeError(`dataset shape mismatch: obs ${ds.obsDim}, act ${ds.actDim} for ${env.name}`);
  if (ds.size < 1) throw new RangeError("invalid dataset: no transitions");
}

/**
 * The frozen actor (§8.4): AW-BC (Reach default) or BC (maze default, and the Reach ablation) on the
 * dataset's (observation, action) pairs. Returns the trained model and its weights hash.
 */
export function trainActor(env: Env, ds: OfflineDataset, rng: Rng, options: ActorOptions = {}): Trained {
  checkDataset(env, ds);
  const method = options.method ?? (env.kind === "reach" ? "awbc" : "bc");
  if (method !== "awbc" && method !== "bc") throw new RangeError(`invalid method: ${JSON.stringify(method)} (accepted: awbc, bc)`);
  const hidden = options.hidden ?? (env.kind === "reach" ? TRAIN_DEFAULTS.reachHidden : TRAIN_DEFAULTS.mazeHidden);
  const weightCap = options.weightCap ?? TRAIN_DEFAULTS.weightCap;
  const D = env.obsDim;
  const d = env.actDim;
  const model = createMLP({inDim: D, outDim: d, hidden}, rng.fork(1), normalizationFrom(ds.observations, D));
  const weights = method === "awbc" ? awbcWeights(ds, weightCap) : null;
  const {observations: O, actions: A} = ds;
  const fill: BatchFiller = (rows, X, Y, W) => {
    for (let i = 0; i < rows.length; i++) {
      const k = rows[i];
      for (let j = 0; j < D; j++) X[i * D + j] = O[k * D + j];
      for (let j = 0; j < d; j++) Y[i * d + j] = A[k * d + j];
      if (weights) W[i] = weights[k];
    }
  };
  const losses = fitGaussian(model, ds.size, fill, weights !== null, rng.fork(2), options);
  const s = settings(options);
  return {
    model,
    losses,
    hash: weightsHash(model),
    params: {role: "actor", method, hidden: hidden.slice(), steps: s.steps, batch: s.batch, lr: s.lr, weightCap, dataset: ds.name, datasetSeed: ds.seed},
  };
}

/**
 * Hindsight goals for `rows` (kernel): g_h = achieved[min(k + κ − 1, end − 1)], κ ∼ U{1..K} from `rng`,
 * `end` the exclusive end of row k's episode; i.e. the position x_{t+κ}, clamped to the episode's last.
 */
function hindsightGoals(ds: OfflineDataset, episodeEnd: Int32Array, K: number, rows: ArrayLike<number>, rng: Rng, out: Float64Array): void {
  const gd = ds.goalDim;
  const ach = ds.achieved;
  for (let i = 0; i < rows.length; i++) {
    const k = rows[i];
    const j = Math.min(k + rng.int(K), episodeEnd[k] - 1);
    for (let c = 0; c < gd; c++) out[i * gd + c] = ach[j * gd + c];
  }
}

/**
 * The goal-conditioned prior (§8.4): GCBC with hindsight relabeling, relabeled afresh each minibatch.
 */
export function trainPrior(env: Env, ds: OfflineDataset, rng: Rng, options: PriorOptions = {}): Trained {
  checkDataset(env, ds);
  const K = options.horizon ?? (env.kind === "reach" ? TRAIN_DEFAULTS.reachK : TRAIN_DEFAULTS.mazeK);
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`invalid horizon: ${K} (expected a positive integer)`);
  if (ds.goalDim !== goalDimOf(env)) throw new RangeError(`dataset goal dim ${ds.goalDim} does not match ${env.name}`);
  const hidden = options.hidden ?? (env.kind === "reach" ? TRAIN_DEFAULTS.reachHidden : TRAIN_DEFAULTS.mazeHidden);
  const D = env.obsDim;
  const d = env.actDim;
  const P = priorInDim(env);
  const gd = ds.goalDim;
  const epi = episodeIndex(ds);
  const episodeEnd = new Int32Array(ds.size);
  for (let k = 0; k < ds.size; k++) episodeEnd[k] = ds.episodeStarts[epi[k] + 1];
  // Normalisation from one relabeled pass over the whole dataset.
  const all = new Int32Array(ds.size);
  for (let k = 0; k < ds.size; k++) all[k] = k;
  const g0 = new Float64Array(ds.size * gd);
  hindsightGoals(ds, episodeEnd, K, all, rng.fork(3), g0);
  const X0 = new Float64Array(ds.size * P);
  _priorInputs(env, ds.observations, g0, ds.size, X0);
  const model = createMLP({inDim: P, outDim: d, hidden}, rng.fork(1), normalizationFrom(X0, P));
  const O = ds.observations;
  const A = ds.actions;
  let obsBuf = new Float64Array(0);
  let goalBuf = new Float64Array(0);
  const fill: BatchFiller = (rows, X, Y, _W, r) => {
    const b = rows.length;
    if (obsBuf.length !== b * D) {
      obsBuf = new Float64Array(b * D);
      goalBuf = new Float64Array(b * gd);
    }
    for (let i = 0; i < b; i++) {
      const k = rows[i];
      for (let j = 0; j < D; j++) obsBuf[i * D + j] = O[k * D + j];
      for (let j = 0; j < d; j++) Y[i * d + j] = A[k * d + j];
    }
    hindsightGoals(ds, episodeEnd, K, rows, r, goalBuf);
    _priorInputs(env, obsBuf, goalBuf, b, X);
  };
  const losses = fitGaussian(model, ds.size, fill, false, rng.fork(2), options);
  const s = settings(options);
  return {
    model,
    losses,
    hash: weightsHash(model),
    params: {role: "prior", method: "gcbc-hindsight", horizon: K, hidden: hidden.slice(), steps: s.steps, batch: s.batch, lr: s.lr, dataset: ds.name, datasetSeed: ds.seed},
  };
}
