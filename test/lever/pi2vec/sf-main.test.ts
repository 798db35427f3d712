import {describe, expect, it} from "vitest";
import type {FeatureMatrix, Transitions} from "../../../lib/lever/pi2vec/features.js";
import {episodeFeatures, transitionsFrom} from "../../../lib/lever/pi2vec/features.js";
import {GridWorld} from "../../../lib/lever/env/gridworld.js";
import {Rng, deriveSeed} from "../../../lib/core/rng.js";
import {_batchNormBackward, _batchNormEval, _batchNormTrain, BN_EPS} from "../../../lib/lever/pi2vec/batchnorm.js";
import {embed, initPsi, psi, psiLossGradient, psiParameterCount, PsiTrainer, trainPsi, type PsiModel} from "../../../lib/lever/pi2vec/sf-mlp.js";
import {embedTransitions} from "../../../lib/lever/pi2vec/embedding.js";
import {composedFeatures, pathKey, scorePath, type ScoreContext} from "../../../lib/lever/compose/score.js";
import {canonicalMean} from "../../../lib/lever/pi2vec/sf-lstd.js";
import {benchSuccessor} from "../../../lib/core/bench.js";
import {DOWN, DOWN2, L5, RIGHT, RIGHT2} from "../fixtures.js";

// The 5×5 layout of sf.test.ts: two short episodes and their states as canonical states.
const L = L5;
const env = new GridWorld(L, "path-gold");
const topRightActions = [RIGHT, RIGHT, RIGHT, RIGHT2, DOWN, DOWN2, DOWN];
const topRight = transitionsFrom(episodeFeatures(env, topRightActions));
const canonical: FeatureMatrix = (() => {
  const a = episodeFeatures(env, topRightActions);
  const b = episodeFeatures(env, [DOWN, DOWN, DOWN, DOWN, RIGHT, RIGHT, RIGHT2]);
  const data = new Float32Array((a.rows + b.rows) * 70);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return {data, rows: a.rows + b.rows, dim: 70};
})();

const randomTransitions = (n: number, dim: number, rng: Rng): Transitions => ({
  s: Float32Array.from({length: n * dim}, () => rng.next() * 2 - 1),
  next: Float32Array.from({length: n * dim}, () => rng.next() * 2 - 1),
  n,
  dim,
});

/** A tiny [main]-style network (Linear–BN–ReLU hidden layers) with γ, β moved off their init so their gradients matter. */
function tinyMain(seed: number, dim = 5, hidden = [6, 4]): PsiModel {
  const rng = new Rng(seed, 9);
  const m = initPsi(dim, hidden, rng, true);
  for (const g of m.bn!.gamma) for (let j = 0; j < g.length; j++) g[j] = 0.5 + rng.next();
  for (const b of m.bn!.beta) for (let j = 0; j < b.length; j++) b[j] = rng.next() - 0.3;
  return m;
}

const cloneModel = (m: PsiModel): PsiModel => structuredClone(m);

/**
 * Independent, naive float64 forward pass of a PsiModel (BatchNorm as in torch's documentation), for
 * checking: train mode returns every BN layer's batch mean and unbiased variance too.
 */
function naiveForward(m: PsiModel, x: ArrayLike<number>, rows: number, mode: "train" | "eval") {
  const L = m.weights.length;
  let h = Array.from({length: rows}, (_, b) => Array.from({length: m.sizes[0]}, (_, i) => x[b * m.sizes[0] + i]));
  const means: number[][] = [];
  const unbiased: number[][] = [];
  for (let l = 0; l < L; l++) {
    const nin = m.sizes[l],
      nout = m.sizes[l + 1];
    const z = h.map((row) => Array.from({length: nout}, (_, o) => m.biases[l][o] + row.reduce((s, v, i) => s + m.weights[l][o * nin + i] * v, 0)));
    if (l === L - 1) return {out: z, means, unbiased};
    if (m.bn) {
      const bn = m.bn;
      const mu = Array.from({length: nout}, (_, j) => z.reduce((s, r) => s + r[j], 0) / rows);
      const v = Array.from({length: nout}, (_, j) => z.reduce((s, r) => s + (r[j] - mu[j]) ** 2, 0) / rows);
      means.push(mu);
      unbiased.push(v.map((x) => (x * rows) / (rows - 1)));
      const [c, s2] = mode === "train" ? [mu, v] : [Array.from(bn.runningMean[l]), Array.from(bn.runningVar[l])];
      h = z.map((r) => r.map((zj, j) => Math.max(0, (bn.gamma[l][j] * (zj - c[j])) / Math.sqrt(s2[j] + BN_EPS) + bn.beta[l][j])));
    } else h = z.map((r) => r.map((zj) => Math.max(0, zj)));
  }
  throw new Error("unreachable");
}

describe("_batchNormTrain, _batchNormEval, _batchNormBackward (BatchNorm1d as torch, lib/lever/pi2vec/batchnorm.ts)", () => {
  const rows = 6,
    n = 5;
  const rng = new Rng(11);
  // Features with different offsets and scales.
  const z = Float64Array.from({length: rows * n}, (_, k) => (k % n) * 3 - 4 + (1 + (k % n)) * (rng.next() * 2 - 1));
  const stats = (a: ArrayLike<number>, j: number) => {
    let mu = 0;
    for (let b = 0; b < rows; b++) mu += a[b * n + j] / rows;
    let v = 0;
    for (let b = 0; b < rows; b++) v += (a[b * n + j] - mu) ** 2 / rows;
    return {mu, v};
  };
  const bufs = () => ({xhat: new Float64Array(rows * n), invstd: new Float64Array(n), mean: new Float64Array(n)});

  it("train mode normalises every feature to mean 0 and (biased) variance σ²/(σ²+eps) ≈ 1 before γ, β; running stats move by momentum 0.1 with the unbiased variance", () => {
    const out = new Float64Array(rows * n);
    const rm = new Float64Array(n),
      rv = new Float64Array(n).fill(1);
    const {xhat, invstd, mean} = bufs();
    _batchNormTrain(z, rows, n, new Float64Array(n).fill(1), new Float64Array(n), rm, rv, out, false, xhat, invstd, mean);
    for (let j = 0; j < n; j++) {
      const before = stats(z, j);
      const after = stats(out, j);
      expect(Math.abs(after.mu)).toBeLessThan(1e-12);
      expect(after.v).toBeCloseTo(before.v / (before.v + BN_EPS), 12);
      expect(Math.abs(after.v - 1)).toBeLessThan(1e-4);
      // 0.9 · init + 0.1 · batch statistics, the variance unbiased (× B/(B − 1)).
      expect(rm[j]).toBeCloseTo(0.9 * 0 + 0.1 * before.mu, 12);
      expect(rv[j]).toBeCloseTo(0.9 * 1 + 0.1 * before.v * (rows / (rows - 1)), 12);
      expect(Math.abs(rv[j] - (0.9 + 0.1 * before.v))).toBeGreaterThan(1e-3); // the biased variance would differ
    }
    expect(Array.from(xhat)).toEqual(Array.from(out));
  });

  it("applies γ and β after the normalisation, then ReLU; `out` may alias z", () => {
    const gamma = Float64Array.from({length: n}, (_, j) => 0.5 + j);
    const beta = Float64Array.from({length: n}, (_, j) => j / 2 - 1);
    const plain = new Float64Array(rows * n);
    const b1 = bufs();
    _batchNormTrain(z, rows, n, new Float64Array(n).fill(1), new Float64Array(n), new Float64Array(n), new Float64Array(n), plain, false, b1.xhat, b1.invstd, b1.mean);
    const inPlace = z.slice();
    const b2 = bufs();
    _batchNormTrain(inPlace, rows, n, gamma, beta, new Float64Array(n), new Float64Array(n), inPlace, true, b2.xhat, b2.invstd, b2.mean);
    for (let k = 0; k < rows * n; k++) expect(inPlace[k]).toBeCloseTo(Math.max(0, gamma[k % n] * plain[k] + beta[k % n]), 12);
  });

  it("eval mode uses the running statistics, so a row gives the same output alone or in any batch", () => {
    const gamma = Float64Array.from({length: n}, (_, j) => 1 + j / 3);
    const beta = Float64Array.from({length: n}, (_, j) => 0.2 - j / 5);
    const rm = Float64Array.from({length: n}, (_, j) => j - 2);
    const rv = Float64Array.from({length: n}, (_, j) => 0.5 + j);
    const out = new Float64Array(rows * n);
    _batchNormEval(z, rows, n, gamma, beta, rm, rv, out, false);
    for (let k = 0; k < rows * n; k++) {
      const j = k % n;
      expect(out[k]).toBeCloseTo((gamma[j] * (z[k] - rm[j])) / Math.sqrt(rv[j] + BN_EPS) + beta[j], 12);
    }
    const alone = new Float64Array(n);
    _batchNormEval(z.subarray(2 * n, 3 * n), 1, n, gamma, beta, rm, rv, alone, false);
    expect(Array.from(alone)).toEqual(Array.from(out.subarray(2 * n, 3 * n)));
  });

  it("rejects a batch of one in train mode (torch: more than 1 value per channel)", () => {
    const {xhat, invstd, mean} = bufs();
    expect(() => _batchNormTrain(z.subarray(0, n), 1, n, new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n), false, xhat, invstd, mean)).toThrow(
      RangeError,
    );
  });

  it("the backward pass equals central finite differences of Σ c·BN(z) in float64 (w.r.t. z, γ, β)", () => {
    const gamma = Float64Array.from({length: n}, () => 0.5 + rng.next());
    const beta = Float64Array.from({length: n}, () => rng.next() - 0.5);
    const c = Float64Array.from({length: rows * n}, () => rng.next() * 2 - 1);
    const loss = (zz: Float64Array, g: Float64Array, b: Float64Array) => {
      const out = new Float64Array(rows * n);
      const w = bufs();
      _batchNormTrain(zz, rows, n, g, b, new Float64Array(n), new Float64Array(n), out, false, w.xhat, w.invstd, w.mean);
      return out.reduce((s, y, k) => s + c[k] * y, 0);
    };
    const w = bufs();
    _batchNormTrain(z, rows, n, gamma, beta, new Float64Array(n), new Float64Array(n), new Float64Array(rows * n), false, w.xhat, w.invstd, w.mean);
    const dz = c.slice();
    const dGamma = new Float64Array(n),
      dBeta = new Float64Array(n);
    _batchNormBackward(dz, w.xhat, w.invstd, gamma, rows, n, dGamma, dBeta);
    const h = 1e-6;
    const fd = (arr: Float64Array, k: number, f: () => number) => {
      const x0 = arr[k];
      arr[k] = x0 + h;
      const up = f();
      arr[k] = x0 - h;
      const down = f();
      arr[k] = x0;
      return (up - down) / (2 * h);
    };
    const zz = z.slice();
    for (let k = 0; k < rows * n; k++) expect(Math.abs(fd(zz, k, () => loss(zz, gamma, beta)) - dz[k])).toBeLessThan(1e-7);
    for (let j = 0; j < n; j++) {
      expect(Math.abs(fd(gamma, j, () => loss(z, gamma, beta)) - dGamma[j])).toBeLessThan(1e-7);
      expect(Math.abs(fd(beta, j, () => loss(z, gamma, beta)) - dBeta[j])).toBeLessThan(1e-7);
    }
    // ∂L/∂z sums to 0 over the batch for every feature (the mean is removed).
    for (let j = 0; j < n; j++) expect(Math.abs(Array.from({length: rows}, (_, b) => dz[b * n + j]).reduce((s, x) => s + x, 0))).toBeLessThan(1e-12);
  });
});

describe('the [main] ψθ network (trainPsi(transitions, {architecture: "main"}), §3.4)', () => {
  it("defaults: 70→128→512→512→512→70 with BatchNorm, 639,686 parameters, lr 1e-3 for library and composed policies; [v3] keeps 51,142, 7e-4 / 3e-5", () => {
    const main = trainPsi(topRight, {architecture: "main", epochs: 0});
    expect(main.params).toMatchObject({architecture: "main", hidden: [128, 512, 512, 512], lr: 1e-3, gamma: 0.99, batchSize: 8, epochs: 0});
    expect(main.model.sizes).toEqual([70, 128, 512, 512, 512, 70]);
    // (70·128 + 128) + (128·512 + 512) + 2·(512·512 + 512) + (512·70 + 70) = 636,358 weights and biases,
    // + 2·(128 + 512 + 512 + 512) = 3,328 BatchNorm γ, β.
    expect(psiParameterCount(main.model)).toBe(639686);
    expect(trainPsi(topRight, {architecture: "main", use: "composed", epochs: 0}).params.lr).toBe(1e-3);
    const v3 = trainPsi(topRight, {epochs: 0});
    expect(v3.params).toMatchObject({architecture: "v3", hidden: [128, 128, 128], lr: 7e-4});
    expect(v3.model.bn).toBeUndefined();
    expect(psiParameterCount(v3.model)).toBe(51142); // (70·128 + 128) + 2·(128·128 + 128) + (128·70 + 70)
    expect(trainPsi(topRight, {architecture: "v3", use: "composed", epochs: 0}).params.lr).toBe(3e-5);
    expect(() => trainPsi(topRight, {architecture: "deep" as "main"})).toThrow(/invalid ψ architecture/);
    expect(() => trainPsi(topRight, {use: "other" as "library"})).toThrow(/invalid ψ use/);
  });

  it("initialises the linear layers exactly as without BatchNorm (BN draws nothing), BN at γ 1, β 0, mean 0, var 1", () => {
    const a = initPsi(70, [128, 512, 512, 512], new Rng(4, 1), true);
    const b = initPsi(70, [128, 512, 512, 512], new Rng(4, 1));
    for (let l = 0; l < 5; l++) expect(Array.from(a.weights[l])).toEqual(Array.from(b.weights[l]));
    expect(a.bn!.gamma.map((g) => g.every((x) => x === 1))).toEqual([true, true, true, true]);
    expect(a.bn!.beta.every((x) => x.every((v) => v === 0)) && a.bn!.runningMean.every((x) => x.every((v) => v === 0))).toBe(true);
    expect(a.bn!.runningVar.every((x) => x.every((v) => v === 1))).toBe(true);
  });

  it("psiLossGradient equals central finite differences through Linear–BN–ReLU layers (tiny network, float32 parameters)", () => {
    const tr = randomTransitions(7, 5, new Rng(5));
    const model = tinyMain(1);
    // γ = 0: the target s does not depend on θ, so the stop-gradient gradient is the loss's gradient.
    const {gradients: g} = psiLossGradient(cloneModel(model), tr, 0);
    const lossOf = (m: PsiModel) => psiLossGradient(m, tr, 0).loss;
    const groups: [Float32Array[], Float64Array[]][] = [
      [model.weights, g.weights],
      [model.biases, g.biases],
      [model.bn!.gamma, g.gamma],
      [model.bn!.beta, g.beta],
    ];
    let scale = 0;
    for (const [, grads] of groups) for (const a of grads) for (const x of a) scale = Math.max(scale, Math.abs(x));
    let worst = 0;
    for (const [params, grads] of groups) {
      for (let t = 0; t < params.length; t++) {
        for (let i = 0; i < params[t].length; i++) {
          const p = params[t];
          const x0 = p[i];
          p[i] = x0 + 1e-2;
          const up = lossOf(cloneModel(model));
          const hUp = p[i] - x0;
          p[i] = x0 - 1e-2;
          const down = lossOf(cloneModel(model));
          const hDown = x0 - p[i];
          p[i] = x0;
          worst = Math.max(worst, Math.abs((up - down) / (hUp + hDown) - grads[t][i]));
        }
      }
    }
    expect(scale).toBeGreaterThan(1e-2);
    expect(worst / scale).toBeLessThan(2e-3);
  });

  it("the target is s + γ·ψ(s') with ψ(s') in train mode on its own batch, computed before ψ(s); both passes update the running statistics", () => {
    const tr = randomTransitions(6, 5, new Rng(6));
    const model = tinyMain(2);
    for (const rm of model.bn!.runningMean) rm.fill(0.25);
    for (const rv of model.bn!.runningVar) rv.fill(2);
    const before = cloneModel(model);
    const {loss} = psiLossGradient(model, tr, 0.5);
    const next = naiveForward(before, tr.next, tr.n, "train");
    const cur = naiveForward(before, tr.s, tr.n, "train");
    let want = 0;
    for (let b = 0; b < tr.n; b++) for (let k = 0; k < 5; k++) want += (cur.out[b][k] - tr.s[b * 5 + k] - 0.5 * next.out[b][k]) ** 2 / (tr.n * 5);
    expect(Math.abs(loss - want) / want).toBeLessThan(1e-5);
    for (let l = 0; l < 2; l++) {
      for (let j = 0; j < model.sizes[l + 1]; j++) {
        // ψ(s') first: mean ← 0.9·(0.9·m0 + 0.1·μ(s')) + 0.1·μ(s); the same for the unbiased variance.
        const m = 0.9 * (0.9 * 0.25 + 0.1 * next.means[l][j]) + 0.1 * cur.means[l][j];
        const v = 0.9 * (0.9 * 2 + 0.1 * next.unbiased[l][j]) + 0.1 * cur.unbiased[l][j];
        expect(Math.abs(model.bn!.runningMean[l][j] - m)).toBeLessThan(1e-5);
        expect(Math.abs(model.bn!.runningVar[l][j] - v)).toBeLessThan(1e-5 * v);
      }
    }
    // The opposite order would leave different statistics.
    const swapped = 0.9 * (0.9 * 0.25 + 0.1 * cur.means[0][0]) + 0.1 * next.means[0][0];
    expect(Math.abs(model.bn!.runningMean[0][0] - swapped)).toBeGreaterThan(1e-4);
  });

  it("after one training step the running statistics are 0.9·(0.9·init + 0.1·stats(s')) + 0.1·stats(s) of the initial parameters (unbiased variance)", () => {
    const tr = randomTransitions(8, 70, new Rng(8));
    const trainer = new PsiTrainer(tr, {architecture: "main", epochs: 1, seed: 3});
    const init = initPsi(70, [128, 512, 512, 512], new Rng(3, 1), true);
    trainer.epoch();
    expect(trainer.steps).toBe(1);
    const next = naiveForward(init, tr.next, 8, "train");
    const cur = naiveForward(init, tr.s, 8, "train");
    for (let l = 0; l < 4; l++) {
      for (let j = 0; j < init.sizes[l + 1]; j++) {
        expect(Math.abs(trainer.model.bn!.runningMean[l][j] - (0.09 * next.means[l][j] + 0.1 * cur.means[l][j]))).toBeLessThan(1e-5);
        expect(Math.abs(trainer.model.bn!.runningVar[l][j] - (0.81 + 0.09 * next.unbiased[l][j] + 0.1 * cur.unbiased[l][j]))).toBeLessThan(1e-5);
      }
    }
    // Adam moved γ and β (they are parameters); the running statistics are not.
    expect(trainer.model.bn!.gamma[0].some((x) => x !== 1)).toBe(true);
  });

  it("skips batches of one ([main] only): n % 8 == 1 leaves the last batch out; n = 1 trains nothing", () => {
    const tr9 = randomTransitions(9, 70, new Rng(9));
    const main = new PsiTrainer(tr9, {architecture: "main", seed: 1});
    const v3 = new PsiTrainer(tr9, {architecture: "v3", seed: 1});
    for (let e = 0; e < 3; e++) {
      main.epoch();
      v3.epoch();
    }
    expect(main.steps).toBe(3);
    expect(v3.steps).toBe(6);
    const tr1 = randomTransitions(1, 70, new Rng(10));
    const one = trainPsi(tr1, {architecture: "main", epochs: 3, seed: 2});
    expect(Array.from(one.losses)).toEqual([0, 0, 0]);
    const init = initPsi(70, [128, 512, 512, 512], new Rng(2, 1), true);
    expect(Array.from(one.model.weights[2])).toEqual(Array.from(init.weights[2]));
    expect(one.model.bn!.runningVar.every((x) => x.every((v) => v === 1))).toBe(true);
    expect(trainPsi(tr1, {architecture: "v3", epochs: 1, seed: 2}).losses[0]).toBeGreaterThan(0);
  });

  it("psi and embed run in eval mode (running statistics), each canonical state alone, averaged", () => {
    const {model} = trainPsi(topRight, {architecture: "main", epochs: 3, seed: 4});
    const evalOut = naiveForward(model, canonical.data, canonical.rows, "eval").out;
    const one = psi(model, canonical.data.subarray(0, 70));
    for (let k = 0; k < 70; k++) expect(one[k]).toBeCloseTo(evalOut[0][k], 4);
    const e = embed(model, canonical);
    const trainOut = naiveForward(model, canonical.data, canonical.rows, "train").out;
    let gapTrain = 0;
    for (let k = 0; k < 70; k++) {
      const mean = evalOut.reduce((s, r) => s + r[k], 0) / canonical.rows;
      expect(e[k]).toBeCloseTo(mean, 4);
      gapTrain = Math.max(gapTrain, Math.abs(e[k] - trainOut.reduce((s, r) => s + r[k], 0) / canonical.rows));
    }
    expect(gapTrain).toBeGreaterThan(1e-3); // batch statistics would give another embedding
  });

  it("is bit-deterministic under a seed, and its loss decreases (γ = 0)", () => {
    const a = trainPsi(topRight, {architecture: "main", gamma: 0, epochs: 30, seed: 1});
    const b = trainPsi(topRight, {architecture: "main", gamma: 0, epochs: 30, seed: 1});
    expect(Array.from(a.losses)).toEqual(Array.from(b.losses));
    expect(Array.from(a.model.bn!.runningMean[3])).toEqual(Array.from(b.model.bn!.runningMean[3]));
    expect(Array.from(embed(a.model, canonical))).toEqual(Array.from(embed(b.model, canonical)));
    expect(a.losses[29]).toBeLessThan(0.5 * a.losses[0]);
  });
});

describe("the pipeline picks the network of the library's rule ([main] by default)", () => {
  const features = episodeFeatures(env, topRightActions);
  it("embedTransitions: [main] rule → [main] network at lr 1e-3, [v3] rule → [v3] network at 7e-4", () => {
    const got = embedTransitions(features, {all: canonical}, {method: "mlp", seed: 3, psi: {epochs: 2}});
    expect(Array.from(got.all)).toEqual(Array.from(embed(trainPsi(topRight, {architecture: "main", lr: 1e-3, epochs: 2, seed: 3}).model, canonical)));
    const v3 = embedTransitions(features, {all: canonical}, {method: "mlp", seed: 3, rule: "v3", psi: {epochs: 2}});
    expect(Array.from(v3.all)).toEqual(Array.from(embed(trainPsi(topRight, {architecture: "v3", lr: 7e-4, epochs: 2, seed: 3}).model, canonical)));
  });

  it("scorePath (composed candidates): [main] network at lr 1e-3 by default, [v3] at 3e-5", () => {
    const actions = Uint8Array.from(topRightActions);
    let seen: Float32Array | null = null;
    const ctx: ScoreContext = {env, canonical, cbar: canonicalMean(canonical), regressor: {predict: (e) => ((seen = Float32Array.from(e)), 0)}, seedParts: ["X1", 0]};
    const seed = deriveSeed(0, "psi-composed", "X1", 0, pathKey(actions));
    const tr = transitionsFrom(composedFeatures(env, actions));
    scorePath(ctx, actions, {sf: "mlp", seed: 0, psi: {epochs: 2}});
    expect(Array.from(seen!)).toEqual(Array.from(embed(trainPsi(tr, {architecture: "main", lr: 1e-3, epochs: 2, seed}).model, canonical)));
    scorePath(ctx, actions, {sf: "mlp", seed: 0, rule: "v3", psi: {epochs: 2}});
    expect(Array.from(seen!)).toEqual(Array.from(embed(trainPsi(tr, {architecture: "v3", lr: 3e-5, epochs: 2, seed}).model, canonical)));
  });

  it("benchSuccessor reports the network it timed (successor.mlp.parameters of `lever bench --json`)", () => {
    const r = benchSuccessor(topRight, canonical, 1, {architecture: "main", epochs: 1});
    expect(r.mlp).toEqual({architecture: "main", parameters: 639686, hidden: [128, 512, 512, 512], lr: 1e-3, epochs: 1, batchSize: 8});
    expect(benchSuccessor(topRight, canonical, 1, {epochs: 1}).mlp).toMatchObject({architecture: "v3", parameters: 51142});
  });
});
