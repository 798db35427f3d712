/**
 * Reward regressors from a π2vec embedding to a policy's return (spec/lever.md §5).
 *
 * - `linear`: the [main] reference, sklearn `LinearRegression` (ordinary least squares with an
 *   intercept, minimum-norm solution via SVD as `lstsq` gives), through ml-matrix.
 * - `gbrt`: the [v3] reference, `HistGradientBoostingRegressor(max_iter 300, learning_rate 0.05,
 *   max_depth 3, min_samples_leaf 10, l2_regularization 1.0)` with squared error and no early stopping.
 *   Written here (no maintained JS gradient-boosting library runs in the browser offline): exact
 *   greedy splits on sorted feature values instead of 255 histogram bins, which with a few hundred
 *   samples changes nothing but the tie order between equal-gain thresholds. Leaves carry
 *   −G/(H+λ) = Σresidual/(n+λ); splits maximise G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ).
 *
 * Evaluation: `crossValidate` runs seeded shuffled k-fold (10 by default, like KFold(shuffle, 42) in
 * the reference, with our own seeded shuffle) and reports R², MAE and NMAE = MAE / mean|y| out of
 * fold; `inSample` reports the same figures on the training data (all that [main] reports).
 */
import {Matrix, pseudoInverse} from "ml-matrix";
import {Rng} from "../../core/rng.js";

export type RegressorKind = "linear" | "gbrt";
export const REGRESSORS: readonly RegressorKind[] = ["linear", "gbrt"];

export function parseRegressor(value: string): RegressorKind {
  if (value === "linear" || value === "gbrt") return value;
  throw new RangeError(`invalid regressor: ${JSON.stringify(value)} (accepted: linear, gbrt)`);
}

/** A data set: n rows of d features, row-major. */
export interface Dataset {
  x: Float64Array;
  y: Float64Array;
  n: number;
  d: number;
}

export interface Model {
  kind: RegressorKind;
  d: number;
  predict(row: ArrayLike<number>): number;
}

export function dataset(rows: ArrayLike<number>[], y: ArrayLike<number>): Dataset {
  const n = rows.length;
  if (n === 0) throw new RangeError("invalid dataset: no rows");
  if (y.length !== n) throw new RangeError(`invalid dataset: ${n} rows but ${y.length} targets`);
  const d = rows[0].length;
  const x = new Float64Array(n * d);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new RangeError(`invalid dataset: row ${i} has ${r.length} features, expected ${d}`);
    for (let j = 0; j < d; j++) x[i * d + j] = r[j];
  });
  return {x, y: Float64Array.from(y), n, d};
}

function subset(ds: Dataset, idx: ArrayLike<number>): Dataset {
  const {d} = ds;
  const x = new Float64Array(idx.length * d);
  const y = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    x.set(ds.x.subarray(idx[k] * d, idx[k] * d + d), k * d);
    y[k] = ds.y[idx[k]];
  }
  return {x, y, n: idx.length, d};
}

// ---------------------------------------------------------------------------------------------
// Linear regression (OLS with intercept, minimum-norm least squares)

export function fitLinear(ds: Dataset): Model & {coef: Float64Array; intercept: number} {
  const {n, d} = ds;
  // Centre: the intercept is mean(y) − mean(x)·coef, as sklearn fits it.
  const mx = new Float64Array(d);
  let my = 0;
  for (let i = 0; i < n; i++) {
    my += ds.y[i];
    for (let j = 0; j < d; j++) mx[j] += ds.x[i * d + j];
  }
  my /= n;
  for (let j = 0; j < d; j++) mx[j] /= n;
  const X = new Matrix(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X.set(i, j, ds.x[i * d + j] - mx[j]);
  const Y = Matrix.columnVector(Array.from(ds.y, (v) => v - my));
  const beta = pseudoInverse(X).mmul(Y);
  const coef = Float64Array.from(beta.getColumn(0));
  let intercept = my;
  for (let j = 0; j < d; j++) intercept -= mx[j] * coef[j];
  return {
    kind: "linear",
    d,
    coef,
    intercept,
    predict(row) {
      let s = intercept;
      for (let j = 0; j < d; j++) s += coef[j] * row[j];
      return s;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Gradient-boosted regression trees (squared error)

export interface GbrtParams {
  maxIter: number;
  learningRate: number;
  maxDepth: number;
  minSamplesLeaf: number;
  l2: number;
}

export const GBRT_DEFAULTS: GbrtParams = {maxIter: 300, learningRate: 0.05, maxDepth: 3, minSamplesLeaf: 10, l2: 1.0};

/** Flat tree: internal nodes have feature ≥ 0; leaves have feature = −1 and a value. */
interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export function fitGbrt(ds: Dataset, params: Partial<GbrtParams> = {}): Model & {trees: number} {
  const p = {...GBRT_DEFAULTS, ...params};
  const {n, d, x} = ds;
  let base = 0;
  for (let i = 0; i < n; i++) base += ds.y[i];
  base /= n;
  const pred = new Float64Array(n).fill(base);
  const resid = new Float64Array(n);
  // Pre-sort each feature once (feature-major): `order` holds row indices in value order.
  const order = new Int32Array(n * d);
  for (let j = 0; j < d; j++) {
    const o = Int32Array.from({length: n}, (_, i) => i);
    o.sort((a, b) => x[a * d + j] - x[b * d + j] || a - b);
    order.set(o, j * n);
  }
  const col = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) col[j * n + i] = x[i * d + j];
  const work: TreeWork = {
    order,
    col,
    ord: new Int32Array(n * d),
    tmpI: new Int32Array(n),
    nodeOf: new Int32Array(n),
    goLeft: new Uint8Array(n),
    inv: Float64Array.from({length: n + 1}, (_, h) => 1 / (h + p.l2)),
  };
  const trees: Tree[] = [];
  for (let it = 0; it < p.maxIter; it++) {
    for (let i = 0; i < n; i++) resid[i] = ds.y[i] - pred[i];
    const tree = growTree(x, n, d, resid, work, p);
    trees.push(tree);
    for (let i = 0; i < n; i++) pred[i] += p.learningRate * treePredict(tree, x, i * d);
  }
  const lr = p.learningRate;
  return {
    kind: "gbrt",
    d,
    trees: trees.length,
    predict(row) {
      let s = base;
      for (const t of trees) s += lr * treePredictRow(t, row);
      return s;
    },
  };
}

function treePredict(t: Tree, x: Float64Array, off: number): number {
  let k = 0;
  while (t.feature[k] >= 0) k = x[off + t.feature[k]] <= t.threshold[k] ? t.left[k] : t.right[k];
  return t.value[k];
}

function treePredictRow(t: Tree, row: ArrayLike<number>): number {
  let k = 0;
  while (t.feature[k] >= 0) k = row[t.feature[k]] <= t.threshold[k] ? t.left[k] : t.right[k];
  return t.value[k];
}

/** Scratch arrays of one fit, reused by every tree (n rows × d features, feature-major). */
interface TreeWork {
  /** Row indices of each feature in sorted order (feature-major, n per feature). */
  order: Int32Array;
  /** x column-major: col[j·n + i] = x[i·d + j] (a feature's values stay in L1 during its scan). */
  col: Float64Array;
  ord: Int32Array;
  tmpI: Int32Array;
  nodeOf: Int32Array;
  goLeft: Uint8Array;
  /** 1 / (h + l2) for h = 0…n (the split screen's reciprocals). */
  inv: Float64Array;
}

/**
 * One depth-wise tree on gradients `g` (squared error: g = residuals, h = 1).
 *
 * Each feature's sorted order is kept partitioned by node (stable partitions after every split), so a
 * node's rows sit in one contiguous segment per feature, in global sorted order: the split scan of a
 * node runs over its own segment with its sums in registers. It visits each node's candidates in the
 * same order, with the same arithmetic, as a scan of the global order filtered by node would.
 * [PERF] written for speed: this is the hottest kernel of the build (≈ 200 fits of 300 trees per
 * [v3] library report).
 */
/**
 * The best split of one node on one feature: its rows are ord[off … off + total) in sorted order,
 * their values col[colOff + row].
 * Returns the best gain that beats `bestGain` + 1e-12 (its threshold in split[0]), else `bestGain`.
 * Candidates lie between two strictly different values with ≥ minLeaf rows on each side; past row
 * total − minLeaf none is allowed, so the scan stops there.
 */
function scanSegment(
  ord: Int32Array,
  col: Float64Array,
  colOff: number,
  g: Float64Array,
  inv: Float64Array,
  off: number,
  total: number,
  sk: number,
  parent: number,
  minLeaf: number,
  l2: number,
  bestGain: number,
  split: Float64Array,
): number {
  let GL = 0;
  let HL = 0;
  let last = NaN;
  const end = total - minLeaf;
  for (let r = 0; r <= end; r++) {
    const i = ord[off + r];
    const v = col[colOff + i];
    if (HL >= minLeaf && v > last) {
      const GR = sk - GL;
      const HR = total - HL;
      // Screen with reciprocals (multiplications pipeline, divisions do not): the screened value is
      // within a few ulps of the exact gain, far inside the margin, so only candidates that can beat
      // the best are computed exactly, and the exact gain alone decides.
      const tL = GL * GL * inv[HL];
      const tR = GR * GR * inv[HR];
      if (tL + tR - parent > bestGain + 1e-12 - 1e-13 * (tL + tR + parent)) {
        const gain = (GL * GL) / (HL + l2) + (GR * GR) / (HR + l2) - parent;
        if (gain > bestGain + 1e-12) {
          bestGain = gain;
          split[0] = (last + v) / 2;
        }
      }
    }
    GL += g[i];
    HL++;
    last = v;
  }
  return bestGain;
}

/** Stable partition of ord[off … off + len): rows with goLeft first, then the others. */
function partitionSegment(ord: Int32Array, tmpI: Int32Array, goLeft: Uint8Array, off: number, len: number): void {
  let a = 0;
  let b = 0;
  for (let r = 0; r < len; r++) {
    const i = ord[off + r];
    if (goLeft[i]) ord[off + a++] = i;
    else tmpI[b++] = i;
  }
  ord.set(tmpI.subarray(0, b), off + a);
}

function growTree(x: Float64Array, n: number, d: number, g: Float64Array, w: TreeWork, p: GbrtParams): Tree {
  const maxNodes = 2 ** (p.maxDepth + 1);
  const feature = new Int32Array(maxNodes).fill(-1);
  const threshold = new Float64Array(maxNodes);
  const left = new Int32Array(maxNodes).fill(-1);
  const right = new Int32Array(maxNodes).fill(-1);
  const value = new Float64Array(maxNodes);
  const {ord, col, tmpI, nodeOf, goLeft, inv} = w;
  ord.set(w.order);
  nodeOf.fill(0);
  const minLeaf = p.minSamplesLeaf;
  const l2 = p.l2;
  let nNodes = 1;
  let frontier = [0];
  const sum = new Float64Array(maxNodes);
  const cnt = new Int32Array(maxNodes);
  const segStart = new Int32Array(maxNodes);
  const split = new Float64Array(1);
  for (let i = 0; i < n; i++) {
    sum[0] += g[i];
    cnt[0]++;
  }
  for (let depth = 0; depth < p.maxDepth && frontier.length; depth++) {
    // Best split per frontier node: features in order, then values in sorted order; a candidate lies
    // between two strictly different values and leaves at least minLeaf rows on each side.
    for (const k of frontier) {
      const total = cnt[k];
      if (total < 2 * minLeaf) continue;
      const sk = sum[k];
      const parent = (sk * sk) / (total + l2);
      const s0 = segStart[k];
      let bestGain = 0;
      let bestFeat = -1;
      let bestThr = 0;
      for (let j = 0; j < d; j++) {
        const gain = scanSegment(ord, col, j * n, g, inv, j * n + s0, total, sk, parent, minLeaf, l2, bestGain, split);
        if (gain > bestGain) {
          bestGain = gain;
          bestFeat = j;
          bestThr = split[0];
        }
      }
      if (bestFeat >= 0) {
        feature[k] = bestFeat;
        threshold[k] = bestThr;
      }
    }
    const next: number[] = [];
    for (const k of frontier) {
      if (feature[k] < 0) continue;
      left[k] = nNodes++;
      right[k] = nNodes++;
      next.push(left[k], right[k]);
    }
    if (!next.length) break;
    for (const k of next) {
      sum[k] = 0;
      cnt[k] = 0;
    }
    // Children's sums in row order (as the leaf values are defined), then their segments.
    for (let i = 0; i < n; i++) {
      const k = nodeOf[i];
      if (feature[k] >= 0) {
        const c = x[i * d + feature[k]] <= threshold[k] ? left[k] : right[k];
        nodeOf[i] = c;
        goLeft[i] = c === left[k] ? 1 : 0;
        sum[c] += g[i];
        cnt[c]++;
      }
    }
    if (depth + 1 < p.maxDepth) {
      for (const k of frontier) {
        if (feature[k] < 0) continue;
        const s0 = segStart[k];
        const len = cnt[left[k]] + cnt[right[k]];
        segStart[left[k]] = s0;
        segStart[right[k]] = s0 + cnt[left[k]];
        // Stable partition of the node's segment of every feature: left rows, then right rows.
        for (let j = 0; j < d; j++) partitionSegment(ord, tmpI, goLeft, j * n + s0, len);
      }
    }
    frontier = next;
  }
  for (let k = 0; k < nNodes; k++) if (feature[k] < 0) value[k] = sum[k] / (cnt[k] + l2);
  return {feature, threshold, left, right, value};
}

// ---------------------------------------------------------------------------------------------
// Fitting and evaluation

export function fit(kind: RegressorKind, ds: Dataset, gbrt?: Partial<GbrtParams>): Model {
  return kind === "linear" ? fitLinear(ds) : fitGbrt(ds, gbrt);
}

export interface Metrics {
  r2: number;
  mae: number;
  /** MAE / mean |y| (the reference's NMAE). */
  nmae: number;
  n: number;
}

export function metrics(y: ArrayLike<number>, yhat: ArrayLike<number>): Metrics {
  const n = y.length;
  let mean = 0;
  let absMean = 0;
  for (let i = 0; i < n; i++) {
    mean += y[i];
    absMean += Math.abs(y[i]);
  }
  mean /= n;
  absMean /= n;
  let ssRes = 0;
  let ssTot = 0;
  let ae = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i] - yhat[i];
    const dm = y[i] - mean;
    ssRes += e * e;
    ssTot += dm * dm;
    ae += Math.abs(y[i] - yhat[i]);
  }
  const mae = ae / n;
  return {r2: ssTot > 0 ? 1 - ssRes / ssTot : NaN, mae, nmae: absMean > 0 ? mae / absMean : NaN, n};
}

/** Shuffled k-fold split (seeded): fold id per row, sizes differing by at most one. */
export function kFolds(n: number, k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 2 || k > n) throw new RangeError(`invalid folds: ${k} (expected 2 ≤ k ≤ ${n})`);
  const perm = new Rng(seed, 0xf01d).shuffle(Int32Array.from({length: n}, (_, i) => i)) as Int32Array;
  const fold = new Int32Array(n);
  for (let r = 0; r < n; r++) fold[perm[r]] = Math.floor((r * k) / n);
  return fold;
}

export interface CvResult {
  kind: RegressorKind;
  cv: Metrics;
  inSample: Metrics;
  /** Out-of-fold prediction per row. */
  oof: Float64Array;
  folds: number;
  seed: number;
}

export function crossValidate(kind: RegressorKind, ds: Dataset, {folds = 10, seed = 42, gbrt}: {folds?: number; seed?: number; gbrt?: Partial<GbrtParams>} = {}): CvResult {
  const fold = kFolds(ds.n, folds, seed);
  const oof = new Float64Array(ds.n);
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < ds.n; i++) (fold[i] === f ? test : train).push(i);
    const model = fit(kind, subset(ds, train), gbrt);
    for (const i of test) oof[i] = model.predict(ds.x.subarray(i * ds.d, (i + 1) * ds.d));
  }
  const full = fit(kind, ds, gbrt);
  const ins = new Float64Array(ds.n);
  for (let i = 0; i < ds.n; i++) ins[i] = full.predict(ds.x.subarray(i * ds.d, (i + 1) * ds.d));
  return {kind, cv: metrics(ds.y, oof), inSample: metrics(ds.y, ins), oof, folds, seed};
}

/** Linear model from shipped coefficients (y = intercept + coef·x). */
export function linearPredictor(coef: ArrayLike<number>, intercept: number): (x: ArrayLike<number>) => number {
  const d = coef.length;
  return (x) => {
    if (x.length !== d) throw new RangeError(`invalid embedding length: ${x.length} (expected ${d})`);
    let s = intercept;
    for (let j = 0; j < d; j++) s += coef[j] * x[j];
    return s;
  };
}
