// Tests that kill the mutants StrykerJS left alive in lib/lever/pi2vec/sf-lstd.ts (`npm run mutate -- --mutate
// lib/lever/pi2vec/sf-lstd.ts`). Every value is checked against an independent computation: the LSTD normal
// equations built and solved with ml-matrix, the successor representation of a tabular chain by plain iterative
// policy evaluation, and (for the bit-level claims of the scoring path) a plain dense Gaussian elimination written
// here. The equivalent survivors are listed with their reason in test/MUTANTS.md.
import {Matrix, solve} from "ml-matrix";
import {describe, expect, it} from "vitest";
import {Rng} from "../../../lib/core/rng.js";
import {GridWorld} from "../../../lib/lever/env/gridworld.js";
import {sampleLayout} from "../../../lib/lever/env/layout.js";
import {_episodeFeatureRuns, episodeFeatures, expandRuns, type FeatureRuns, StateFeaturizer, type Transitions, transitionsFrom} from "../../../lib/lever/pi2vec/features.js";
import {canonicalMean, embedLstd, lstd, lstdEmbedding, lstdEmbeddingRuns, lstdPsi, luSolveInPlace} from "../../../lib/lever/pi2vec/sf-lstd.js";

/** Mᵀ = (A + λI)⁻¹ B with A = mean φ_t(φ_t − γφ'_t)ᵀ, B = mean φ_tφ_tᵀ (spec: the TD fixed point), by ml-matrix. */
function mlLstd(tr: Transitions, gamma: number, ridge: number): Matrix {
  const {s, next, n, dim} = tr;
  const S = new Matrix(n, dim);
  const N = new Matrix(n, dim);
  for (let t = 0; t < n; t++) for (let j = 0; j < dim; j++) S.set(t, j, s[t * dim + j]), N.set(t, j, next[t * dim + j]);
  const A = S.transpose()
    .mmul(Matrix.sub(S, Matrix.mul(N, gamma)))
    .div(n)
    .add(Matrix.eye(dim).mul(ridge));
  const B = S.transpose().mmul(S).div(n);
  return solve(A, B).transpose(); // M
}

function randomTransitions(rng: Rng, n: number, dim: number, zeros = 0.3): Transitions {
  const draw = () => (rng.next() < zeros ? 0 : rng.next() * 2 - 1);
  return {s: Float32Array.from({length: n * dim}, draw), next: Float32Array.from({length: n * dim}, draw), n, dim};
}

const relErr = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < want.length; i++) (num = Math.max(num, Math.abs(got[i] - want[i]))), (den = Math.max(den, Math.abs(want[i])));
  return num / den;
};

describe("lstd(transitions, {gamma, ridge}) against the normal equations solved by ml-matrix", () => {
  const rng = new Rng(5, 2);
  const tr = randomTransitions(rng, 15, 6);
  for (const [gamma, ridge] of [
    [0.99, 1e-6],
    [0.9, 0.3],
    [0, 0.05],
  ]) {
    it(`γ = ${gamma}, λ = ${ridge}: M and ψ(s) = M φ(s)`, () => {
      const m = lstd(tr, {gamma, ridge});
      expect([m.gamma, m.ridge, m.dim]).toEqual([gamma, ridge, 6]);
      const want = mlLstd(tr, gamma, ridge);
      expect(relErr(m.M, want.to1DArray())).toBeLessThan(1e-10);
      const phi = tr.next.subarray(6, 12);
      const psi = lstdPsi(m, phi);
      const wantPsi = want.mmul(Matrix.columnVector(Array.from(phi))).to1DArray();
      expect(relErr(psi, wantPsi)).toBeLessThan(1e-10);
    });
  }

  it("one transition is enough to fit (with a ridge)", () => {
    const one = randomTransitions(rng, 1, 3, 0);
    expect(relErr(lstd(one, {ridge: 0.2}).M, mlLstd(one, 0.99, 0.2).to1DArray())).toBeLessThan(1e-10);
  });

  it("defaults: γ = 0.99, λ = 1e-6", () => {
    const m = lstd(tr);
    expect([m.gamma, m.ridge]).toEqual([0.99, 1e-6]);
    expect(Array.from(m.M)).toEqual(Array.from(lstd(tr, {gamma: 0.99, ridge: 1e-6}).M));
    expect(Array.from(lstd(tr, {ridge: 0.3}).M)).toEqual(Array.from(lstd(tr, {gamma: 0.99, ridge: 0.3}).M));
    expect(Array.from(lstd(tr, {gamma: 0.5}).M)).toEqual(Array.from(lstd(tr, {gamma: 0.5, ridge: 1e-6}).M));
  });

  it("accepts 0 ≤ γ < 1 and λ ≥ 0, and says what is wrong otherwise", () => {
    expect(() => lstd(tr, {gamma: 0, ridge: 0.1})).not.toThrow();
    expect(() => lstd(tr, {gamma: 0.5, ridge: 0})).not.toThrow();
    expect(() => lstd(tr, {gamma: 1})).toThrow(new RangeError("invalid gamma: 1 (expected 0 ≤ γ < 1)"));
    expect(() => lstd(tr, {gamma: -0.01})).toThrow(new RangeError("invalid gamma: -0.01 (expected 0 ≤ γ < 1)"));
    expect(() => lstd(tr, {gamma: Number.NaN})).toThrow(/^invalid gamma: NaN/);
    expect(() => lstd(tr, {ridge: -1e-9})).toThrow(new RangeError("invalid ridge: -1e-9 (expected ≥ 0)"));
    expect(() => lstd(tr, {ridge: Number.NaN})).toThrow(/^invalid ridge: NaN/);
    expect(() => lstd({s: new Float32Array(0), next: new Float32Array(0), n: 0, dim: 6})).toThrow(new RangeError("invalid transitions: none to fit"));
    expect(() => lstd({s: new Float32Array(5), next: new Float32Array(6), n: 1, dim: 6})).toThrow(/^invalid transitions/);
  });

  it("lstdPsi rejects a state of the wrong length", () => {
    expect(() => lstdPsi(lstd(tr), new Float32Array(5))).toThrow(new RangeError("invalid state length: 5 (expected 6)"));
  });
});

describe("luSolveInPlace with pivot ties (entries in {−2, …, 2}): ml-matrix's doubles bit for bit", () => {
  it("takes the first largest |pivot| of a column, as ml-matrix does", () => {
    const rng = new Rng(13, 0);
    let solved = 0;
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + (trial % 5);
      const A = Float64Array.from({length: n * n}, () => rng.int(5) - 2);
      const B = Float64Array.from({length: n * 2}, () => rng.int(7) - 3 + 0.1);
      let want: Matrix;
      try {
        want = solve(Matrix.from1DArray(n, n, Array.from(A)), Matrix.from1DArray(n, 2, Array.from(B)));
      } catch {
        expect(() => luSolveInPlace(A.slice(), B.slice(), n, 2)).toThrow("LU matrix is singular");
        continue;
      }
      const x = B.slice();
      luSolveInPlace(A.slice(), x, n, 2);
      for (let i = 0; i < n * 2; i++) expect(Object.is(x[i], want.get((i / 2) | 0, i % 2))).toBe(true);
      solved++;
    }
    expect(solved).toBeGreaterThan(100);
  });
});

describe("the tabular case: a policy's successor representation by plain iterative evaluation", () => {
  // A recorded episode 0 → 1 → 1 → 1 → 2 → 3 → 3 → 3 with one-hot φ (state 1 pushing into a wall twice, as a rollout
  // does; 3 absorbing). With one-hot features LSTD's fixed point is the successor representation of the recorded
  // transitions' empirical model P: ψ(s) = φ(s) + γ Σ_s' P(s'|s) ψ(s'), evaluated here by 2000 sweeps (0.9²⁰⁰⁰ ≈ 0).
  const dim = 4;
  const path = [0, 1, 1, 1, 2, 3, 3, 3];
  const oneHot = (k: number) => Float32Array.from({length: dim}, (_, i) => (i === k ? 1 : 0));
  const features = {data: new Float32Array(path.length * dim), rows: path.length, dim};
  path.forEach((s, t) => features.data.set(oneHot(s), t * dim));
  const tr = transitionsFrom(features);
  const gamma = 0.9;

  /**
   * ψ under the data's empirical transitions (what LSTD with one-hot φ solves for): from 1, two of three recorded
   * moves stay (blocked), one goes on to 2; 3 is absorbing.
   */
  function iterativeSR(): number[][] {
    const P = [
      [0, 1, 0, 0],
      [0, 2 / 3, 1 / 3, 0],
      [0, 0, 0, 1],
      [0, 0, 0, 1],
    ];
    let psi = Array.from({length: dim}, () => Array(dim).fill(0));
    for (let sweep = 0; sweep < 2000; sweep++) {
      psi = psi.map((_, s) => Array.from({length: dim}, (_, k) => (s === k ? 1 : 0) + gamma * P[s].reduce((acc, p, s2) => acc + p * psi[s2][k], 0)));
    }
    return psi;
  }

  it("lstd with λ = 0 gives ψ(s) = M φ(s) equal to the evaluated successor representation", () => {
    const m = lstd(tr, {gamma, ridge: 0});
    const want = iterativeSR();
    for (let s = 0; s < dim; s++) expect(relErr(lstdPsi(m, oneHot(s)), want[s])).toBeLessThan(1e-12);
  });

  it("lstdEmbedding and lstdEmbeddingRuns give M c̄ for the mean canonical state", () => {
    const canonical = {data: new Float32Array([...oneHot(0), ...oneHot(2), ...oneHot(2), ...oneHot(1)]), rows: 4, dim};
    const cbar = canonicalMean(canonical);
    expect(Array.from(cbar)).toEqual([0.25, 0.25, 0.5, 0]);
    const psi = iterativeSR();
    const want = Array.from({length: dim}, (_, k) => psi.reduce((acc, row, s) => acc + cbar[s] * row[k], 0));
    const fast = lstdEmbedding(tr, cbar, {gamma, ridge: 0});
    expect(relErr(fast, want)).toBeLessThan(1e-6); // float32 output
    expect(relErr(embedLstd(lstd(tr, {gamma, ridge: 0}), canonical), want)).toBeLessThan(1e-6);
    const runs: FeatureRuns = {
      data: new Float32Array([...oneHot(0), ...oneHot(1), ...oneHot(2), ...oneHot(3), 9, 9, 9, 9]),
      counts: Int32Array.from([1, 3, 1, 3, 0]),
      rows: 4,
      dim,
      steps: path.length - 1,
    };
    expect(Array.from(expandRuns(runs).data)).toEqual(Array.from(features.data));
    expect(Array.from(lstdEmbeddingRuns(runs, cbar, {gamma, ridge: 0}))).toEqual(Array.from(fast));
  });
});

/**
 * lstdEmbedding's documented computation, written plainly: the maximal runs of identical consecutive
 * transitions with their multiplicity w, Aᵀ[j][i] = Σ_runs φ[i]·(w·(φ[j] − γφ'[j])) / n + λ[i = j], Aᵀy = c̄ by
 * Gaussian elimination with partial pivoting (the first largest |pivot|), e = Σ_runs w·φ·(φᵀy) / n.
 */
function plainEmbedding(tr: Transitions, cbar: Float64Array, gamma = 0.99, ridge = 1e-6): Float32Array {
  const {s, next, n, dim: d} = tr;
  const row = (a: Float32Array, t: number) => Array.from(a.subarray(t * d, (t + 1) * d));
  const runs: {phi: number[]; nxt: number[]; w: number}[] = [];
  for (let t = 0; t < n; t++) {
    const phi = row(s, t);
    const nxt = row(next, t);
    const last = runs.at(-1);
    if (last?.phi.every((x, j) => x === phi[j]) && last.nxt.every((x, j) => x === nxt[j])) last.w++;
    else runs.push({phi, nxt, w: 1});
  }
  const M = Array.from({length: d}, (_, j) =>
    Array.from({length: d}, (_, i) => {
      let acc = 0;
      for (const r of runs) acc += r.phi[i] * (r.w * (r.phi[j] - gamma * r.nxt[j]));
      return acc / n + (i === j ? ridge : 0);
    }),
  );
  const y = Array.from(cbar);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    [y[c], y[p]] = [y[p], y[c]];
    for (let r = c + 1; r < d; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k < d; k++) M[r][k] -= f * M[c][k];
      y[r] -= f * y[c];
    }
  }
  for (let c = d - 1; c >= 0; c--) {
    let sum = y[c];
    for (let k = c + 1; k < d; k++) sum -= M[c][k] * y[k];
    y[c] = sum / M[c][c];
  }
  const e = Array(d).fill(0);
  for (const r of runs) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += r.phi[j] * y[j];
    for (let k = 0; k < d; k++) e[k] += r.w * r.phi[k] * dot;
  }
  return Float32Array.from(e, (x) => x / n);
}

describe("lstdEmbedding(transitions, c̄) (the scoring path): ml-matrix, and bit for bit the plain elimination", () => {
  const rng = new Rng(9, 4);
  const canonicalOf = (dim: number) => Float64Array.from({length: dim}, () => rng.next());

  it("random dense transitions with repeated runs, several γ and λ", () => {
    for (const [n, dim, gamma, ridge] of [
      [12, 5, 0.99, 1e-6],
      [20, 7, 0.9, 0.4],
      [9, 3, 0, 0.01],
    ]) {
      const tr = randomTransitions(rng, n, dim);
      // Repeat some transitions in place, as blocked moves do.
      for (const t of [3, 4, 7]) tr.s.copyWithin(t * dim, (t - 1) * dim, t * dim), tr.next.copyWithin(t * dim, (t - 1) * dim, t * dim);
      const cbar = canonicalOf(dim);
      const got = lstdEmbedding(tr, cbar, {gamma, ridge});
      const M = mlLstd(tr, gamma, ridge);
      expect(relErr(got, M.mmul(Matrix.columnVector(Array.from(cbar))).to1DArray())).toBeLessThan(1e-5);
      expect(Array.from(got)).toEqual(Array.from(plainEmbedding(tr, cbar, gamma, ridge)));
    }
  });

  it("pivot ties (features in {−1, 0, 1}, near-singular with small λ): the first largest |pivot| is taken, as ml-matrix's LU does", () => {
    // Another tie rule gives the same solution up to float64 rounding, which the float32 output hides unless the
    // system is ill-conditioned: hence the small ridges.
    for (let trial = 0; trial < 300; trial++) {
      const n = 6;
      const dim = 2 + (trial % 4);
      const draw = () => rng.int(3) - 1;
      const tr = {s: Float32Array.from({length: n * dim}, draw), next: Float32Array.from({length: n * dim}, draw), n, dim};
      const cbar = Float64Array.from({length: dim}, () => rng.int(3));
      for (const ridge of [1e-6, 1e-9, 1e-12]) expect(Array.from(lstdEmbedding(tr, cbar, {ridge}))).toEqual(Array.from(plainEmbedding(tr, cbar, 0.99, ridge)));
    }
  });

  it("runs of repeated transitions are accumulated once with their multiplicity (near-singular systems show the rounding)", () => {
    // Accumulating a run of w copies one by one gives the same sums up to float64 rounding, which the float32
    // output hides unless the system is ill-conditioned: integer features, small ridges, long runs.
    for (let trial = 0; trial < 200; trial++) {
      const dim = 2 + (trial % 4);
      const pairs = 3 + (trial % 3);
      const rows: {s: number[]; next: number[]}[] = [];
      for (let k = 0; k < pairs; k++) {
        const pair = {s: Array.from({length: dim}, () => rng.int(3) - 1), next: Array.from({length: dim}, () => rng.int(3) - 1)};
        for (let w = 1 + rng.int(7); w > 0; w--) rows.push(pair);
      }
      const n = rows.length;
      const tr = {s: Float32Array.from(rows.flatMap((r) => r.s)), next: Float32Array.from(rows.flatMap((r) => r.next)), n, dim};
      const cbar = Float64Array.from({length: dim}, () => rng.int(3));
      for (const ridge of [1e-6, 1e-9, 1e-12]) expect(Array.from(lstdEmbedding(tr, cbar, {ridge}))).toEqual(Array.from(plainEmbedding(tr, cbar, 0.99, ridge)));
    }
  });

  it("defaults γ = 0.99, λ = 1e-6", () => {
    const tr = randomTransitions(rng, 10, 4);
    const cbar = canonicalOf(4);
    expect(Array.from(lstdEmbedding(tr, cbar))).toEqual(Array.from(plainEmbedding(tr, cbar)));
    expect(Array.from(lstdEmbedding(tr, cbar, {ridge: 0.5}))).toEqual(Array.from(plainEmbedding(tr, cbar, 0.99, 0.5)));
    expect(Array.from(lstdEmbedding(tr, cbar, {gamma: 0.5}))).toEqual(Array.from(plainEmbedding(tr, cbar, 0.5, 1e-6)));
  });

  it("episodes of a 16×16 grid, wall pushes included: lstdEmbedding and lstdEmbeddingRuns equal the plain computation", () => {
    const env = new GridWorld(sampleLayout(16, 1, {golds: 50, blocks: 25, hazards: 30}), "path-gold-hazard-lever");
    const canonical = episodeFeatures(env, [0, 0, 1, 1, 0, 1]);
    const cbar = canonicalMean(canonical);
    for (let trial = 0; trial < 4; trial++) {
      env.reset();
      const actions: number[] = [];
      while (!env.done && actions.length < 60) {
        const a = trial % 2 === 0 && actions.length < 10 ? 2 : rng.int(4);
        actions.push(a);
        env.step(a);
      }
      const tr = transitionsFrom(episodeFeatures(env, actions));
      const want = plainEmbedding(tr, cbar);
      expect(Array.from(lstdEmbedding(tr, cbar))).toEqual(Array.from(want));
      const runs = _episodeFeatureRuns(env, actions, true, new StateFeaturizer(env));
      expect(Array.from(lstdEmbeddingRuns(runs, cbar))).toEqual(Array.from(want));
      expect(Array.from(lstdEmbeddingRuns(runs, cbar, {gamma: 0.8, ridge: 0.1}))).toEqual(Array.from(plainEmbedding(tr, cbar, 0.8, 0.1)));
    }
  });

  it("rejects empty episodes, a canonical mean of the wrong length and a singular system", () => {
    const runs: FeatureRuns = {data: new Float32Array(4), counts: Int32Array.from([1]), rows: 1, dim: 4, steps: 0};
    expect(() => lstdEmbeddingRuns(runs, new Float64Array(4))).toThrow(new RangeError("invalid transitions: none to fit"));
    expect(() => lstdEmbeddingRuns({...runs, counts: Int32Array.from([2]), steps: 1}, new Float64Array(3))).toThrow(new RangeError("invalid canonical mean: length 3 (expected 4)"));
    expect(() => lstdEmbedding({s: new Float32Array(4), next: new Float32Array(4), n: 1, dim: 4}, new Float64Array(5))).toThrow(new RangeError("invalid canonical mean: length 5 (expected 4)"));
    expect(() => lstdEmbedding({s: new Float32Array(4), next: new Float32Array(4), n: 1, dim: 4}, new Float64Array(4), {ridge: 0})).toThrow(new RangeError("singular LSTD system (use a ridge > 0)"));
    expect(Array.from(canonicalMean({data: Float32Array.from([1, 2, 3, 4]), rows: 1, dim: 4}))).toEqual([1, 2, 3, 4]);
    expect(() => canonicalMean({data: new Float32Array(0), rows: 0, dim: 4})).toThrow(new RangeError("invalid canonical states: 0×4"));
    expect(() => canonicalMean({data: new Float32Array(7), rows: 2, dim: 4})).toThrow(new RangeError("invalid canonical states: 2×4"));
  });
});
