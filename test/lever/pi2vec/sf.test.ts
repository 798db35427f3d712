import {describe, expect, it} from "vitest";
import type {FeatureMatrix, Transitions} from "../../../lib/lever/pi2vec/features.js";
import {episodeFeatures, transitionsFrom} from "../../../lib/lever/pi2vec/features.js";
import {GridWorld} from "../../../lib/lever/env/gridworld.js";
import {sampleLayout} from "../../../lib/lever/env/layout.js";
import {Rng} from "../../../lib/core/rng.js";
import {embed, initPsi, psi, PSI_LR, trainPsi, trainPsiAsync} from "../../../lib/lever/pi2vec/sf-mlp.js";
import {canonicalMean, embedLstd, lstd, lstdEmbedding, lstdPsi, luSolveInPlace} from "../../../lib/lever/pi2vec/sf-lstd.js";
import {Matrix, solve} from "ml-matrix";
import {C16, DOWN, DOWN2, L5, RIGHT, RIGHT2} from "../fixtures.js";

//   S g . B .
//   . g L . .
//   . . . H .
//   . . . . .
//   . . . . E
const L = L5;
const env = new GridWorld(L, "path-gold");
// Two different "policies": along the top then down, and down the left side then right.
const topRight = transitionsFrom(episodeFeatures(env, [RIGHT, RIGHT, RIGHT, RIGHT2, DOWN, DOWN2, DOWN]));
const leftDown = transitionsFrom(episodeFeatures(env, [DOWN, DOWN, DOWN, DOWN, RIGHT, RIGHT, RIGHT2]));
// Canonical states: every state of both episodes.
const canonical: FeatureMatrix = (() => {
  const a = episodeFeatures(env, [RIGHT, RIGHT, RIGHT, RIGHT2, DOWN, DOWN2, DOWN]);
  const b = episodeFeatures(env, [DOWN, DOWN, DOWN, DOWN, RIGHT, RIGHT, RIGHT2]);
  const data = new Float32Array((a.rows + b.rows) * 70);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return {data, rows: a.rows + b.rows, dim: 70};
})();

const oneHot = (k: number, dim: number) => Float32Array.from({length: dim}, (_, i) => (i === k ? 1 : 0));
const chain = (pairs: [number, number][], dim: number): Transitions => {
  const s = new Float32Array(pairs.length * dim);
  const next = new Float32Array(pairs.length * dim);
  pairs.forEach(([a, b], t) => {
    s.set(oneHot(a, dim), t * dim);
    next.set(oneHot(b, dim), t * dim);
  });
  return {s, next, n: pairs.length, dim};
};

describe("lstd(transitions, {gamma, ridge}) (closed-form successor features)", () => {
  it("equals the successor representation Σ γᵗ φ(s_t) on a deterministic 3-state chain, to 1e-9", () => {
    // s0 → s1 → s2 → s2 (absorbing), one-hot φ.
    const g = 0.9;
    const m = lstd(
      chain(
        [
          [0, 1],
          [1, 2],
          [2, 2],
        ],
        3,
      ),
      {gamma: g, ridge: 0},
    );
    const expected = [
      [1, g, (g * g) / (1 - g)], // ψ(s0) = φ0 + γφ1 + γ²φ2/(1−γ)
      [0, 1, g / (1 - g)],
      [0, 0, 1 / (1 - g)],
    ];
    for (let s = 0; s < 3; s++) {
      const p = lstdPsi(m, oneHot(s, 3));
      for (let k = 0; k < 3; k++) expect(Math.abs(p[k] - expected[s][k])).toBeLessThan(1e-9);
    }
  });

  it("solves (A + λI) Mᵀ = B for dense features (checked against the normal equations)", () => {
    const rng = new Rng(3);
    const dim = 5,
      n = 12,
      g = 0.99,
      ridge = 1e-3;
    const s = Float32Array.from({length: n * dim}, () => rng.next());
    const next = Float32Array.from({length: n * dim}, () => rng.next());
    const {M} = lstd({s, next, n, dim}, {gamma: g, ridge});
    // Residual of Σ_t φ_t (φ_t[k] + γ ψ(s'_t)[k] − ψ(s_t)[k]) / n − λ M[k, ·] = 0 for every k.
    for (let k = 0; k < dim; k++) {
      for (let i = 0; i < dim; i++) {
        let r = 0;
        for (let t = 0; t < n; t++) {
          let ps = 0,
            pn = 0;
          for (let j = 0; j < dim; j++) {
            ps += M[k * dim + j] * s[t * dim + j];
            pn += M[k * dim + j] * next[t * dim + j];
          }
          r += s[t * dim + i] * (s[t * dim + k] + g * pn - ps);
        }
        expect(Math.abs(r / n - ridge * M[k * dim + i])).toBeLessThan(1e-9);
      }
    }
  });

  it("needs the ridge on real state vectors (zero-padded tail → singular A) and embeds them", () => {
    expect(() => lstd(topRight, {ridge: 0})).toThrow(/singular/);
    const m = lstd(topRight);
    const e = embedLstd(m, canonical);
    expect(e).toBeInstanceOf(Float32Array);
    expect(e.length).toBe(70);
    expect(e.every(Number.isFinite)).toBe(true);
    // Tail slots that are zero in every state stay exactly zero.
    expect(Array.from(e.subarray(22))).toEqual(Array(48).fill(0));
    const e2 = embedLstd(lstd(leftDown), canonical);
    expect(Math.hypot(...e.map((x, i) => x - e2[i]))).toBeGreaterThan(1e-3 * Math.hypot(...e));
    expect(() => lstd(topRight, {gamma: 1})).toThrow(RangeError);
    expect(() => embedLstd(m, {data: new Float32Array(3), rows: 1, dim: 3})).toThrow(RangeError);
  });
});

describe("trainPsi(transitions, params) and embed(model, canonical) (the reference's MLP, §3.4)", () => {
  it("initialises like torch.nn.Linear: U(±1/√fan_in), [v3] sizes 70→128→128→128→70", () => {
    const m = initPsi(70, [128, 128, 128], new Rng(0));
    expect(m.sizes).toEqual([70, 128, 128, 128, 70]);
    expect(m.weights.map((w) => w.length)).toEqual([70 * 128, 128 * 128, 128 * 128, 128 * 70]);
    for (let l = 0; l < 4; l++) {
      const bound = 1 / Math.sqrt(m.sizes[l]);
      expect(m.weights[l].every((w) => Math.abs(w) <= bound)).toBe(true);
      expect(m.biases[l].every((b) => Math.abs(b) <= bound)).toBe(true);
      expect(Math.max(...m.weights[l].map(Math.abs))).toBeGreaterThan(0.95 * bound);
    }
  });

  it("the loss decreases over epochs when the target does not bootstrap much (γ = 0 and 0.5)", () => {
    for (const gamma of [0, 0.5]) {
      const {losses} = trainPsi(topRight, {gamma, epochs: 50, seed: 1});
      expect(losses.length).toBe(50);
      expect(losses[49]).toBeLessThan(0.5 * losses[0]);
      expect(losses[49]).toBeLessThan(losses[10]);
    }
  });

  it("with the reference settings (γ = 0.99, lr 7e-4, batch 8, 50 epochs) training is bit-deterministic under a seed", () => {
    const a = trainPsi(topRight, {seed: 7});
    const b = trainPsi(topRight, {seed: 7});
    expect(a.params).toMatchObject({gamma: 0.99, lr: PSI_LR.library, batchSize: 8, epochs: 50, hidden: [128, 128, 128]});
    expect(Array.from(a.losses)).toEqual(Array.from(b.losses));
    for (let l = 0; l < 4; l++) expect(Array.from(a.model.weights[l])).toEqual(Array.from(b.model.weights[l]));
    const ea = embed(a.model, canonical);
    expect(Array.from(ea)).toEqual(Array.from(embed(b.model, canonical)));
    const c = trainPsi(topRight, {seed: 8});
    expect(Array.from(c.losses)).not.toEqual(Array.from(a.losses));
    expect(ea.length).toBe(70);
    expect(ea.every(Number.isFinite)).toBe(true);
  });

  it("embed is the mean of ψ over the canonical states; different policies embed differently", () => {
    const a = trainPsi(topRight, {seed: 1, epochs: 20}).model;
    const b = trainPsi(leftDown, {seed: 1, epochs: 20}).model;
    const ea = embed(a, canonical);
    const mean = new Float64Array(70);
    for (let r = 0; r < canonical.rows; r++) {
      const p = psi(a, canonical.data.subarray(r * 70, (r + 1) * 70));
      for (let k = 0; k < 70; k++) mean[k] += p[k] / canonical.rows;
    }
    for (let k = 0; k < 70; k++) expect(ea[k]).toBeCloseTo(mean[k], 4);
    const eb = embed(b, canonical);
    expect(Math.hypot(...ea.map((x, i) => x - eb[i]))).toBeGreaterThan(1e-2 * Math.hypot(...ea));
  });

  it("trainPsiAsync gives the same model as trainPsi and can stop early", async () => {
    const sync = trainPsi(topRight, {seed: 2, epochs: 6});
    const seen: number[] = [];
    const async = await trainPsiAsync(topRight, {seed: 2, epochs: 6}, (e) => void seen.push(e));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(async.losses)).toEqual(Array.from(sync.losses));
    expect(Array.from(async.model.weights[3])).toEqual(Array.from(sync.model.weights[3]));
    const stopped = await trainPsiAsync(topRight, {seed: 2, epochs: 6}, (e) => e < 2);
    expect(Array.from(stopped.losses)).toEqual(Array.from(sync.losses.subarray(0, 2)));
  });

  it("rejects bad input with RangeError", () => {
    expect(() => trainPsi({s: new Float32Array(0), next: new Float32Array(0), n: 0, dim: 70})).toThrow(/none to train/);
    expect(() => trainPsi(topRight, {batchSize: 0})).toThrow(/invalid batchSize/);
    expect(() => trainPsi(topRight, {gamma: 1})).toThrow(/invalid gamma/);
    expect(() => trainPsi({s: new Float32Array(69), next: new Float32Array(70), n: 1, dim: 70})).toThrow(/invalid transitions/);
  });
});

describe("luSolveInPlace (the LSTD solve)", () => {
  it("gives ml-matrix solve(A, B)'s doubles bit for bit, pivoting included", () => {
    const rng = new Rng(7, 1);
    for (const [n, m] of [
      [1, 1],
      [3, 2],
      [17, 5],
      [70, 70],
    ]) {
      const A = Float64Array.from({length: n * n}, () => rng.next() * 2 - 1);
      // A tiny leading entry forces row exchanges.
      A[0] = 1e-9;
      const B = Float64Array.from({length: n * m}, () => rng.next() * 4 - 2);
      const want = solve(Matrix.from1DArray(n, n, Array.from(A)), Matrix.from1DArray(n, m, Array.from(B)));
      const lu = A.slice();
      const x = B.slice();
      luSolveInPlace(lu, x, n, m);
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) expect(Object.is(x[i * m + j], want.get(i, j))).toBe(true);
    }
  });

  it("throws as ml-matrix does on a singular matrix", () => {
    expect(() => luSolveInPlace(Float64Array.from([1, 2, 2, 4]), Float64Array.from([1, 1]), 2, 1)).toThrow("LU matrix is singular");
  });
});

describe("lstdEmbedding(transitions, canonicalMean(canonical)) (lib/lever/pi2vec/sf-lstd.ts)", () => {
  it("equals embedLstd(lstd(transitions), canonical) on recorded paths", () => {
    const layout = sampleLayout(16, 0, C16);
    const env = new GridWorld(layout, "path-gold");
    const rng = new Rng(7);
    const canonical = episodeFeatures(
      env,
      Array.from({length: 12}, () => rng.int(2)),
    );
    for (let trial = 0; trial < 3; trial++) {
      env.reset();
      const actions: number[] = [];
      while (!env.done && actions.length < 40) {
        const a = rng.int(4);
        actions.push(a);
        env.step(a);
      }
      const tr = transitionsFrom(episodeFeatures(env, actions));
      const fast = lstdEmbedding(tr, canonicalMean(canonical));
      const slow = embedLstd(lstd(tr), canonical);
      const scale = Math.max(...Array.from(slow, Math.abs));
      for (let k = 0; k < fast.length; k++) expect(Math.abs(fast[k] - slow[k]) / scale).toBeLessThan(1e-5);
    }
  });
  it("rejects empty transitions and mismatched canonical states", () => {
    expect(() => lstdEmbedding({s: new Float32Array(0), next: new Float32Array(0), n: 0, dim: 70}, new Float64Array(70))).toThrow(/none to fit/);
    expect(() => lstdEmbedding({s: new Float32Array(70), next: new Float32Array(70), n: 1, dim: 70}, new Float64Array(10))).toThrow(/invalid canonical mean/);
    expect(() => canonicalMean({data: new Float32Array(10), rows: 1, dim: 70})).toThrow(/invalid canonical states/);
  });
});
