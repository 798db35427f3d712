// Tests that kill the mutants StrykerJS left alive in lib/steer/gauss.ts (`npm run mutate -- --mutate
// lib/steer/gauss.ts`); the equivalent ones are listed with their reason in test/MUTANTS.md. Every expected
// value is either fixed by spec/steering.md (§2 rules, §2.4 limits, §4.3 KL) or computed independently here:
// ml-matrix for Cholesky factors, inverses and products, a replayed Rng for the samplers, plain loops for KL.
import {describe, expect, it} from "vitest";
import {CholeskyDecomposition, inverse, Matrix} from "ml-matrix";
import {Rng} from "../../lib/core/rng.js";
import {maxAbs, randomSpd, toMatrix} from "./gauss-fixtures.js";
import type {DiagGaussians, FullGaussian} from "../../lib/steer/gauss.js";
import {
  _additiveBlend,
  _additiveResidual,
  _cholesky,
  _copy,
  _klDiagRow,
  _klReg,
  _mahalanobisRow,
  _poe,
  additiveBlend,
  additiveResidual,
  checkActorPrior,
  compose,
  countOf,
  diagGaussians,
  entropyDiag,
  frozenOnly,
  fullGaussian,
  identityGap,
  klDiag,
  klFull,
  klReg,
  klRegFull,
  poe,
  poeFull,
  priorOnly,
  RULES,
  sampleBlendMixture,
  sampleDiag,
} from "../../lib/steer/gauss.js";

const f64 = (...x: number[]) => Float64Array.from(x);

/** A correlated SPD d×d matrix: A·Aᵀ/d + 0.3·I + 2·v·vᵀ (off-diagonals comparable to the diagonal). */
const correlatedSpd = (rng: Rng, d: number) => randomSpd(rng, d, 0.3, true);

function correlatedFull(rng: Rng, d: number): FullGaussian {
  return fullGaussian(
    Float64Array.from({length: d}, () => rng.normal()),
    correlatedSpd(rng, d),
    d,
  );
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rel: number): void {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, maxAbs(want));
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(rel * scale);
}

describe("_cholesky against ml-matrix on correlated SPD matrices", () => {
  it("returns ml-matrix's lower factor L (upper part zero) for d = 1..7", () => {
    const rng = new Rng(1401);
    for (let d = 1; d <= 7; d++) {
      const a = correlatedSpd(rng, d);
      const l = _cholesky(a, d);
      expect(l).not.toBeNull();
      const want = new CholeskyDecomposition(toMatrix(a, d)).lowerTriangularMatrix.to1DArray();
      expectClose(l as Float64Array, want, 1e-12);
      for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) expect((l as Float64Array)[i * d + j]).toBe(0);
    }
  });
  it("reads only the lower triangle", () => {
    const rng = new Rng(1402);
    const d = 4;
    const a = correlatedSpd(rng, d);
    const junk = Float64Array.from(a);
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) junk[i * d + j] = 1e6 * (i + 2 * j);
    expect(_cholesky(junk, d)).toEqual(_cholesky(a, d));
  });
  it("returns null for a matrix that is not positive definite, or with an infinite or NaN diagonal pivot", () => {
    expect(_cholesky(f64(1, 2, 2, 1), 2)).toBeNull(); // eigenvalues 3, −1: second pivot 1 − 4 < 0
    expect(_cholesky(f64(1, 1, 1, 1), 2)).toBeNull(); // singular: second pivot exactly 0
    expect(_cholesky(f64(0), 1)).toBeNull();
    expect(_cholesky(f64(-1), 1)).toBeNull();
    expect(_cholesky(f64(Infinity), 1)).toBeNull();
    expect(_cholesky(f64(NaN), 1)).toBeNull();
    expect(_cholesky(f64(1, 0, 0, Infinity), 2)).toBeNull();
    expect(_cholesky(f64(4), 1)).toEqual(f64(2));
  });
});

describe("poeFull / klRegFull against ml-matrix: the inverse from the Cholesky factor is a full symmetric matrix", () => {
  // Independent: Λ = w0·Σ0⁻¹ + wp·Σp⁻¹ with ml-matrix's LU inverse, Σ = Λ⁻¹, μ = Σ(w0Σ0⁻¹μ0 + wpΣp⁻¹μp).
  const reference = (a: FullGaussian, p: FullGaussian, w0: number, wp: number) => {
    const d = a.dim;
    const i0 = inverse(toMatrix(a.cov, d));
    const ip = inverse(toMatrix(p.cov, d));
    const lam = Matrix.mul(i0, w0).add(Matrix.mul(ip, wp));
    const cov = inverse(lam);
    const h = Matrix.mul(i0.mmul(Matrix.columnVector(Array.from(a.mean))), w0).add(Matrix.mul(ip.mmul(Matrix.columnVector(Array.from(p.mean))), wp));
    return {mean: cov.mmul(h).getColumn(0), cov: cov.to1DArray()};
  };

  it("matches on d = 2..7 for PoE(α) and KL-Reg(β), means and every covariance entry", () => {
    const rng = new Rng(1403);
    for (let d = 2; d <= 7; d++) {
      const actor = correlatedFull(rng, d);
      const prior = correlatedFull(rng, d);
      for (const alpha of [0.2, 0.5, 0.85]) {
        const got = poeFull(actor, prior, alpha);
        const want = reference(actor, prior, 1 - alpha, alpha);
        expect(got.dim).toBe(d);
        expectClose(got.mean, want.mean, 1e-9);
        expectClose(got.cov, want.cov, 1e-9);
      }
      for (const beta of [0.3, 1, 7]) {
        const got = klRegFull(actor, prior, beta);
        const want = reference(actor, prior, 1, beta);
        expect(got.dim).toBe(d);
        expectClose(got.mean, want.mean, 1e-9);
        expectClose(got.cov, want.cov, 1e-9);
      }
    }
  });
  it("a hand-checkable d = 2 case: equal correlated covariances, PoE keeps Σ and averages the means", () => {
    // Σ0 = Σp = Σ: Λ = (1−α)Σ⁻¹ + αΣ⁻¹ = Σ⁻¹, so Σ_PoE = Σ and μ = (1−α)μ0 + αμp exactly in exact arithmetic.
    const cov = f64(2, 1.2, 1.2, 1);
    const a = fullGaussian(f64(1, -2), Float64Array.from(cov), 2);
    const p = fullGaussian(f64(-3, 4), Float64Array.from(cov), 2);
    const g = poeFull(a, p, 0.25);
    expectClose(g.cov, cov, 1e-13);
    expectClose(g.mean, [0, -0.5], 1e-13);
    // KL-Reg(β): Λ = (1+β)Σ⁻¹, so Σ_KL = Σ/(1+β) and μ = (μ0 + βμp)/(1+β) = ((1, −2) + 3·(−3, 4))/4 = (−2, 2.5).
    const k = klRegFull(a, p, 3);
    expectClose(
      k.cov,
      Array.from(cov, (c) => c / 4),
      1e-13,
    );
    expectClose(k.mean, [-2, 2.5], 1e-13);
  });
  it("the edge copies are copies (not the caller's arrays), with the caller's dimension", () => {
    const rng = new Rng(1404);
    const a = correlatedFull(rng, 3);
    const p = correlatedFull(rng, 3);
    for (const [g, src] of [
      [poeFull(a, p, 0), a],
      [poeFull(a, p, 1), p],
      [klRegFull(a, p, 0), a],
    ] as const) {
      expect(g).toEqual(src);
      expect(g.mean).not.toBe(src.mean);
      expect(g.cov).not.toBe(src.cov);
    }
    const inf = klRegFull(a, p, Infinity);
    expect(inf.dim).toBe(3);
    expect(inf.mean).toEqual(p.mean);
    expect(inf.mean).not.toBe(p.mean);
    expect(inf.cov).toEqual(new Float64Array(9));
  });
  it("validates both covariances even at the edges α ∈ {0, 1}, β ∈ {0, ∞}", () => {
    const good = fullGaussian(f64(0, 0), f64(1, 0, 0, 1), 2);
    const bad = fullGaussian(f64(0, 0), f64(1, 2, 2, 1), 2);
    for (const alpha of [0, 1, 0.5]) {
      expect(() => poeFull(good, bad, alpha)).toThrow("invalid prior covariance: not symmetric positive definite");
      expect(() => poeFull(bad, good, alpha)).toThrow("invalid actor covariance: not symmetric positive definite");
    }
    for (const beta of [0, Infinity, 2]) {
      expect(() => klRegFull(good, bad, beta)).toThrow("invalid prior covariance: not symmetric positive definite");
      expect(() => klRegFull(bad, good, beta)).toThrow("invalid actor covariance: not symmetric positive definite");
    }
    expect(() => poeFull(good, good, 1.5)).toThrow("invalid alpha: 1.5 (expected 0 ≤ α ≤ 1)");
    expect(() => klRegFull(good, good, -1)).toThrow("invalid beta: -1 (expected β ≥ 0, ∞ allowed)");
  });
  it("rejects actor/prior dimension mismatches and malformed full Gaussians with one-line reasons", () => {
    const g2 = fullGaussian(f64(0, 0), f64(1, 0, 0, 1), 2);
    const g1 = fullGaussian(f64(0), f64(1), 1);
    expect(() => poeFull(g2, g1, 0.5)).toThrow("shape mismatch: actor dim 2 vs prior dim 1");
    expect(() => klRegFull(g1, g2, 0.5)).toThrow("shape mismatch: actor dim 1 vs prior dim 2");
    expect(() => klFull(g2, g1)).toThrow("shape mismatch: p dim 2 vs q dim 1");
    expect(() => fullGaussian(f64(0), f64(1), 0)).toThrow("invalid gaussian dim: 0 (expected a positive integer)");
    expect(() => fullGaussian(f64(0), f64(1), 1.5)).toThrow("invalid gaussian dim: 1.5 (expected a positive integer)");
    expect(() => fullGaussian(f64(0, 0), f64(1), 1)).toThrow("invalid gaussian shape: mean has 2 entries, expected 1");
    expect(() => fullGaussian(f64(0, 0), f64(1, 0, 0), 2)).toThrow("invalid gaussian shape: covariance has 3 entries, expected 2×2");
    expect(() => fullGaussian(f64(0, NaN), f64(1, 0, 0, 1), 2)).toThrow("invalid gaussian mean at index 1: NaN (expected a finite number)");
    expect(() => fullGaussian(f64(Infinity, 0), f64(1, 0, 0, 1), 2)).toThrow("invalid gaussian mean at index 0: Infinity (expected a finite number)");
    // The name in the message says which argument is wrong.
    const badMean = {dim: 1, mean: f64(NaN), cov: f64(1)};
    expect(() => poeFull(badMean, g1, 0.5)).toThrow("invalid actor mean at index 0");
    expect(() => poeFull(g1, badMean, 0.5)).toThrow("invalid prior mean at index 0");
    expect(() => klFull(badMean, g1)).toThrow("invalid p mean at index 0");
    expect(() => klFull(g1, badMean)).toThrow("invalid q mean at index 0");
    const bad = fullGaussian(f64(0, 0), f64(1, 2, 2, 1), 2);
    expect(() => klFull(bad, g2)).toThrow("invalid p covariance: not symmetric positive definite");
    expect(() => klFull(g2, bad)).toThrow("invalid q covariance: not symmetric positive definite");
  });
});

describe("klFull on correlated covariances against ml-matrix", () => {
  it("matches ½[tr(Σq⁻¹Σp) + Δᵀ Σq⁻¹ Δ − d + ln det Σq − ln det Σp] with ml-matrix's Cholesky determinants", () => {
    const rng = new Rng(1405);
    for (let d = 1; d <= 7; d++) {
      const p = correlatedFull(rng, d);
      const q = correlatedFull(rng, d);
      const sp = toMatrix(p.cov, d);
      const sq = toMatrix(q.cov, d);
      const iq = inverse(sq);
      const dm = Matrix.columnVector(Array.from(q.mean, (v, i) => v - p.mean[i]));
      const lp = new CholeskyDecomposition(sp).lowerTriangularMatrix;
      const lq = new CholeskyDecomposition(sq).lowerTriangularMatrix;
      let logDet = 0;
      for (let i = 0; i < d; i++) logDet += 2 * (Math.log(lq.get(i, i)) - Math.log(lp.get(i, i)));
      const ref = 0.5 * (iq.mmul(sp).trace() + dm.transpose().mmul(iq).mmul(dm).get(0, 0) - d + logDet);
      expect(Math.abs(klFull(p, q) - ref)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(ref)));
    }
  });
  it("each term on its own: trace only, mean only, log-det only (d = 2)", () => {
    const cov = f64(2, 1.2, 1.2, 1);
    const z = f64(0, 0);
    // Same covariance, means differ by Δ: KL = ½ ΔᵀΣ⁻¹Δ. Σ⁻¹ = [[1, −1.2], [−1.2, 2]]/0.56; Δ = (1, 1): ΔᵀΣ⁻¹Δ = 0.6/0.56.
    expect(klFull(fullGaussian(z, cov, 2), fullGaussian(f64(1, 1), cov, 2))).toBeCloseTo(0.5 * (0.6 / 0.56), 13);
    // Same mean, Σp = c·Σq: tr = 2c, ln det ratio = −2 ln c: KL = ½(2c − 2 − 2 ln c).
    const c = 3;
    const cc = Array.from(cov, (x) => c * x);
    expect(klFull(fullGaussian(z, Float64Array.from(cc), 2), fullGaussian(z, cov, 2))).toBeCloseTo(c - 1 - Math.log(c), 13);
    expect(klFull(fullGaussian(z, cov, 2), fullGaussian(z, Float64Array.from(cc), 2))).toBeCloseTo(1 / c - 1 + Math.log(c), 13);
  });
});

describe("validation of diagonal batches: exact one-line messages", () => {
  const ok = diagGaussians(f64(0, 0, 0, 0), f64(1, 1, 1, 1), 2);
  it("shape: dim, array types, lengths", () => {
    expect(() => diagGaussians(f64(0), f64(1), 1.5)).toThrow("invalid gaussians dim: 1.5 (expected a positive integer)");
    expect(() => diagGaussians(f64(), f64(), -1)).toThrow("invalid gaussians dim: -1 (expected a positive integer)");
    expect(() => diagGaussians([0] as unknown as Float64Array, f64(1), 1)).toThrow("invalid gaussians: mean and variance must be Float64Arrays");
    expect(() => diagGaussians(f64(0), [1] as unknown as Float64Array, 1)).toThrow("invalid gaussians: mean and variance must be Float64Arrays");
    expect(() => diagGaussians(f64(0, 0), f64(1), 1)).toThrow("invalid gaussians shape: mean has 2 entries, variance 1");
    expect(() => diagGaussians(f64(0, 0, 0), f64(1, 1, 1), 2)).toThrow("invalid gaussians shape: 3 entries are not a multiple of dim 2");
    expect(diagGaussians(f64(0), f64(1), 1)).toEqual({dim: 1, mean: f64(0), variance: f64(1)});
    expect(countOf(ok)).toBe(2);
  });
  it("shape mismatches name both sides with n×d (rows × dim)", () => {
    const three = diagGaussians(f64(0, 0, 0, 0, 0, 0), f64(1, 1, 1, 1, 1, 1), 2);
    expect(() => checkActorPrior(ok, three)).toThrow("shape mismatch: actor 2×2 vs prior 3×2");
    const dim1 = diagGaussians(f64(0, 0, 0, 0), f64(1, 1, 1, 1), 1);
    expect(() => checkActorPrior(ok, dim1)).toThrow("shape mismatch: actor 2×2 vs prior 4×1");
    expect(() => klDiag(dim1, ok)).toThrow("shape mismatch: p 4×1 vs q 2×2");
  });
  it("composition inputs: finite means and finite variances > 0, named by side and index", () => {
    const mk = (m: number[], v: number[]) => ({dim: 2, mean: Float64Array.from(m), variance: Float64Array.from(v)});
    expect(() => poe(mk([0, 0, Infinity, 0], [1, 1, 1, 1]), ok, 0.5)).toThrow("invalid actor mean at index 2: Infinity (expected a finite number)");
    expect(() => poe(ok, mk([0, 0, 0, -Infinity], [1, 1, 1, 1]), 0.5)).toThrow("invalid prior mean at index 3: -Infinity (expected a finite number)");
    expect(() => poe(mk([0, 0, 0, 0], [1, -1, 1, 1]), ok, 0.5)).toThrow("invalid actor variance at index 1: -1 (expected a finite number > 0)");
    expect(() => poe(ok, mk([0, 0, 0, 0], [1, 1, 1, Infinity]), 0.5)).toThrow("invalid prior variance at index 3: Infinity (expected a finite number > 0)");
    expect(() => poe(ok, mk([0, 0, 0, 0], [NaN, 1, 1, 1]), 0.5)).toThrow("invalid prior variance at index 0: NaN (expected a finite number > 0)");
    expect(() => frozenOnly(mk([0, 0, 0, 0], [1, 0, 1, 1]))).toThrow("invalid actor variance at index 1: 0");
    expect(() => priorOnly(mk([0, 0, 0, 0], [1, 0, 1, 1]))).toThrow("invalid prior variance at index 1: 0");
    expect(() => frozenOnly({dim: 0, mean: f64(), variance: f64()})).toThrow("invalid actor dim: 0");
    expect(() => priorOnly({dim: 0, mean: f64(), variance: f64()})).toThrow("invalid prior dim: 0");
    // A value check runs past the first index (the loop covers the whole array, means and variances).
    expect(() => klReg(ok, mk([0, 0, 0, 0], [1, 1, 1, 0]), 1)).toThrow("invalid prior variance at index 3: 0");
  });
  it("KL / entropy / sampling inputs allow variance 0 but not negative, infinite or NaN variances or means", () => {
    const mk = (m: number[], v: number[]) => ({dim: 2, mean: Float64Array.from(m), variance: Float64Array.from(v)});
    const pm = mk([0, 0, 0, 0], [0, 0, 0, 0]);
    expect(Array.from(klDiag(pm, pm))).toEqual([0, 0]);
    expect(() => klDiag(mk([0, 0, 0, 0], [1, 1, 1, -1]), ok)).toThrow("invalid p variance at index 3: -1 (expected a finite number ≥ 0)");
    expect(() => klDiag(ok, mk([0, 0, 0, 0], [1, Infinity, 1, 1]))).toThrow("invalid q variance at index 1: Infinity (expected a finite number ≥ 0)");
    expect(() => klDiag(ok, mk([0, 0, 0, NaN], [1, 1, 1, 1]))).toThrow("invalid q mean at index 3: NaN (expected a finite number)");
    expect(() => entropyDiag(mk([0, 0, 0, 0], [1, NaN, 1, 1]))).toThrow("invalid gaussians variance at index 1: NaN (expected a finite number ≥ 0)");
    expect(() => entropyDiag({dim: 3, mean: f64(0, 0), variance: f64(1, 1)})).toThrow("invalid gaussians shape: 2 entries are not a multiple of dim 3");
    expect(() => sampleDiag(mk([0, 0, 0, 0], [1, 1, -2, 1]), new Rng(1))).toThrow("invalid gaussians variance at index 2: -2");
    expect(() => sampleDiag({dim: 3, mean: f64(0, 0), variance: f64(1, 1)}, new Rng(1))).toThrow("not a multiple of dim 3");
  });
  it("α and β ranges for every rule (and the `out` shape)", () => {
    for (const f of [poe, additiveBlend, additiveResidual]) {
      expect(() => f(ok, ok, -0.01)).toThrow("invalid alpha: -0.01 (expected 0 ≤ α ≤ 1)");
      expect(() => f(ok, ok, 1.01)).toThrow("invalid alpha: 1.01 (expected 0 ≤ α ≤ 1)");
      expect(() => f(ok, ok, NaN)).toThrow("invalid alpha: NaN");
    }
    expect(() => klReg(ok, ok, -0.5)).toThrow("invalid beta: -0.5 (expected β ≥ 0, ∞ allowed)");
    expect(() => klReg(ok, ok, NaN)).toThrow("invalid beta: NaN");
    expect(() => sampleBlendMixture(ok, ok, 2, new Rng(1))).toThrow("invalid alpha: 2");
    expect(() => identityGap(ok, ok, -1)).toThrow("invalid alpha: -1");
    const wrongDim = diagGaussians(f64(0, 0, 0, 0), f64(1, 1, 1, 1), 4);
    for (const f of [poe, additiveBlend, additiveResidual]) expect(() => f(ok, ok, 0.5, wrongDim)).toThrow("shape mismatch: out 1×4 vs input 2×2");
    expect(() => klReg(ok, ok, 1, wrongDim)).toThrow("shape mismatch: out 1×4 vs input 2×2");
    expect(() => frozenOnly(ok, wrongDim)).toThrow("shape mismatch: out 1×4 vs input 2×2");
    expect(() => priorOnly(ok, {dim: 0, mean: f64(), variance: f64()})).toThrow("invalid out dim: 0");
  });
  it("compose validates the pair for frozen and prior too (it would otherwise ignore one side)", () => {
    const three = diagGaussians(f64(0, 0, 0, 0, 0, 0), f64(1, 1, 1, 1, 1, 1), 2);
    const badVar = diagGaussians(f64(0, 0, 0, 0), f64(1, 1, 0, 1), 2);
    expect(() => compose(ok, three, {rule: "frozen"})).toThrow("shape mismatch: actor 2×2 vs prior 3×2");
    expect(() => compose(ok, badVar, {rule: "frozen"})).toThrow("invalid prior variance at index 2: 0");
    expect(() => compose(three, ok, {rule: "prior"})).toThrow("shape mismatch: actor 3×2 vs prior 2×2");
    expect(() => compose(badVar, ok, {rule: "prior"})).toThrow("invalid actor variance at index 2: 0");
  });
  it("RULES lists the six rules of §2 in order, and an unknown rule's message lists them all (RULES is a module constant: Stryker's static mutants, planted by hand)", () => {
    expect(RULES).toEqual(["frozen", "prior", "poe", "klreg", "additive", "residual"]);
    expect(() => compose(ok, ok, {rule: "nope"} as never)).toThrow(`invalid rule: "nope" (accepted: frozen, prior, poe, klreg, additive, residual)`);
  });
});

describe("outputs: `out` is written and returned; a fresh result otherwise", () => {
  const rng = new Rng(1406);
  const mk = (n: number, d: number) => {
    const mean = Float64Array.from({length: n * d}, () => rng.normal());
    const variance = Float64Array.from({length: n * d}, () => Math.exp(rng.normal()));
    return diagGaussians(mean, variance, d);
  };
  const a = mk(3, 2);
  const p = mk(3, 2);
  it("every rule fills a given `out` (right shape) with its fresh result and returns that object", () => {
    const cases: [string, (o?: DiagGaussians) => DiagGaussians][] = [
      ["frozen", (o) => frozenOnly(a, o)],
      ["prior", (o) => priorOnly(p, o)],
      ["poe", (o) => poe(a, p, 0.3, o)],
      ["klreg", (o) => klReg(a, p, 2, o)],
      ["additive", (o) => additiveBlend(a, p, 0.3, o)],
      ["residual", (o) => additiveResidual(a, p, 0.3, o)],
    ];
    for (const [, f] of cases) {
      const fresh = f();
      expect(fresh.dim).toBe(2);
      expect(fresh.mean.length).toBe(6);
      const out = diagGaussians(new Float64Array(6), new Float64Array(6), 2);
      expect(f(out)).toBe(out);
      expect(out.mean).toEqual(fresh.mean);
      expect(out.variance).toEqual(fresh.variance);
    }
  });
  it("klDiag and entropyDiag write into `out` of length n and reject other lengths", () => {
    const out = new Float64Array(3);
    expect(klDiag(a, p, out)).toBe(out);
    expect(out).toEqual(klDiag(a, p));
    expect(() => klDiag(a, p, new Float64Array(6))).toThrow("shape mismatch: out has 6 entries, expected 3");
    const h = new Float64Array(3);
    expect(entropyDiag(a, h)).toBe(h);
    expect(h).toEqual(entropyDiag(a));
    expect(() => entropyDiag(a, new Float64Array(2))).toThrow("shape mismatch: out has 2 entries, expected 3");
  });
  it("the samplers write into `out` of length n·d and reject other lengths", () => {
    const o = new Float64Array(6);
    expect(sampleDiag(a, new Rng(3), o)).toBe(o);
    expect(o).toEqual(sampleDiag(a, new Rng(3)));
    expect(() => sampleDiag(a, new Rng(3), new Float64Array(3))).toThrow("shape mismatch: out has 3 entries, expected 6");
    const m = new Float64Array(6);
    expect(sampleBlendMixture(a, p, 0.5, new Rng(3), m)).toBe(m);
    expect(m).toEqual(sampleBlendMixture(a, p, 0.5, new Rng(3)));
    expect(() => sampleBlendMixture(a, p, 0.5, new Rng(3), new Float64Array(5))).toThrow("shape mismatch: out has 5 entries, expected 6");
  });
});

describe("the rules' closed forms on several states and dimensions, computed independently per entry", () => {
  // Three states × d = 3, entries chosen by hand; each expected value is the §2 formula for that entry alone.
  const a = diagGaussians(f64(0.5, -1, 2, 3, 0, -0.25, 1, 1, 1), f64(0.04, 1, 0.5, 2, 0.1, 3, 0.25, 4, 1), 3);
  const p = diagGaussians(f64(-1, 2, 0, 1, -3, 0.75, 0, -2, 5), f64(1, 0.2, 0.5, 0.3, 5, 0.5, 1, 0.5, 0.01), 3);
  const each = (f: (m0: number, v0: number, mp: number, vp: number) => [number, number]) => {
    const m: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < 9; i++) {
      const [mi, vi] = f(a.mean[i], a.variance[i], p.mean[i], p.variance[i]);
      m.push(mi);
      v.push(vi);
    }
    return {m, v};
  };
  it("PoE(α): Λ = (1−α)/σ0² + α/σp², μ = ((1−α)μ0/σ0² + αμp/σp²)/Λ", () => {
    for (const alpha of [0.1, 0.5, 0.9]) {
      const g = poe(a, p, alpha);
      const w = each((m0, v0, mp, vp) => {
        const lam = (1 - alpha) / v0 + alpha / vp;
        return [((1 - alpha) * (m0 / v0) + alpha * (mp / vp)) / lam, 1 / lam];
      });
      expectClose(g.mean, w.m, 1e-14);
      expectClose(g.variance, w.v, 1e-14);
    }
  });
  it("KL-Reg(β): Λ = 1/σ0² + β/σp², μ = (μ0/σ0² + βμp/σp²)/Λ", () => {
    for (const beta of [0.2, 1, 9]) {
      const g = klReg(a, p, beta);
      const w = each((m0, v0, mp, vp) => {
        const lam = 1 / v0 + beta / vp;
        return [(m0 / v0 + (beta * mp) / vp) / lam, 1 / lam];
      });
      expectClose(g.mean, w.m, 1e-14);
      expectClose(g.variance, w.v, 1e-14);
    }
  });
  it("additive A: (1−α)μ0 + αμp and the mixture variance (1−α)σ0² + ασp² + α(1−α)(μ0−μp)²", () => {
    for (const alpha of [0.2, 0.7]) {
      const g = additiveBlend(a, p, alpha);
      const w = each((m0, v0, mp, vp) => [(1 - alpha) * m0 + alpha * mp, (1 - alpha) * v0 + alpha * vp + alpha * (1 - alpha) * (m0 - mp) ** 2]);
      expectClose(g.mean, w.m, 1e-14);
      expectClose(g.variance, w.v, 1e-14);
    }
  });
  it("additive B: μ0 + αμp and σ0² + α²σp²", () => {
    const alpha = 0.6;
    const g = additiveResidual(a, p, alpha);
    const w = each((m0, v0, mp, vp) => [m0 + alpha * mp, v0 + alpha * alpha * vp]);
    expectClose(g.mean, w.m, 1e-14);
    expectClose(g.variance, w.v, 1e-14);
  });
  it("KL-Reg with a finite β so large that β/σp² overflows is the point mass at μp (§2.4 limits), entry by entry", () => {
    // β = 1e300: β/σp² overflows where σp² < 1e-8 (entry 1 here), the others stay finite.
    const act = diagGaussians(f64(1, 2), f64(1, 1), 2);
    const pri = diagGaussians(f64(-1, 5), f64(1, 1e-10), 2);
    const g = klReg(act, pri, 1e300);
    expect(g.mean[1]).toBe(5);
    expect(g.variance[1]).toBe(0);
    // Entry 0: Λ = 1 + 1e300, μ = (1 − 1e300)/(1 + 1e300) = −1 in floating point, σ² = 1e-300.
    expect(g.mean[0]).toBe(-1);
    expect(g.variance[0]).toBe(1 / (1 + 1e300));
    // β = ∞ gives the point mass in every entry, and a result whatever the later entries hold.
    const inf = klReg(act, pri, Infinity);
    expect(Array.from(inf.mean)).toEqual([-1, 5]);
    expect(Array.from(inf.variance)).toEqual([0, 0]);
  });
  it("α = 0 / 1 of PoE and β = 0 of KL-Reg are exact copies, also on values where the formula would round", () => {
    // 1/(1/v) ≠ v and (m/v)/(1/v) ≠ m in floating point for these v, m; the edges must not go through the formula.
    const vs = [0.1, 0.3, 3, 7, 0.7, 1.1, 13, 0.003, 0.9];
    const ms = [0.1, 0.7, -0.3, 1 / 3, 2 / 3, 5.1, -7.3, 0.01, 9.9];
    const x = diagGaussians(Float64Array.from(ms), Float64Array.from(vs), 1);
    const y = diagGaussians(Float64Array.from(ms.map((m) => -m)), Float64Array.from(vs.map((v) => 2 * v)), 1);
    expect(vs.some((v) => 1 / (1 / v) !== v) || ms.some((m, i) => (m / vs[i]) * vs[i] !== m)).toBe(true);
    expect(poe(x, y, 0).mean).toEqual(x.mean);
    expect(poe(x, y, 0).variance).toEqual(x.variance);
    expect(poe(x, y, 1).mean).toEqual(y.mean);
    expect(poe(x, y, 1).variance).toEqual(y.variance);
    expect(klReg(x, y, 0).mean).toEqual(x.mean);
    expect(klReg(x, y, 0).variance).toEqual(x.variance);
  });
});

describe("klDiag: the §4.3 closed form per row, point masses, and accuracy near r = 1 and far from it", () => {
  /** 2·KL of one dimension with r − 1 − ln r evaluated by a series near r = 1 (|x| < 1e-3) and Math.log elsewhere. */
  const term2 = (mp: number, vp: number, mq: number, vq: number) => {
    const r = vp / vq;
    const x = r - 1;
    let f: number;
    if (Math.abs(x) < 1e-3) {
      f = 0;
      for (let k = 12; k >= 2; k--) f = f * -x + 1 / k; // f = x²(1/2 − x/3 + x²/4 − …)
      f *= x * x;
    } else f = x - Math.log(r);
    return f + (mp - mq) ** 2 / vq;
  };
  it("rows are independent sums over their own d entries", () => {
    const p = diagGaussians(f64(0, 1, 2, 3, 4, 5), f64(1, 2, 3, 0.5, 0.25, 4), 3);
    const q = diagGaussians(f64(1, 1, 1, 0, 0, 0), f64(2, 2, 2, 1, 1, 1), 3);
    const kl = klDiag(p, q);
    const want = [0, 1].map((k) => {
      let s = 0;
      for (let i = 3 * k; i < 3 * k + 3; i++) s += term2(p.mean[i], p.variance[i], q.mean[i], q.variance[i]);
      return 0.5 * s;
    });
    expectClose(kl, want, 1e-14);
  });
  it("far from r = 1 (r ≤ 0.5 or r ≥ 2): relative accuracy 1e-12, no loss from forming r − 1 first", () => {
    // For tiny r, r − 1 rounds (1e-300 − 1 is exactly −1), so ln r must not be computed as log1p(r − 1).
    for (const r of [0.45, 0.3, 1e-3, 1e-10, 3e-12, 1e-300, 2, 2.5, 1e3, 1e12]) {
      const p = diagGaussians(f64(0), f64(r), 1);
      const q = diagGaussians(f64(0), f64(1), 1);
      const want = 0.5 * term2(0, r, 0, 1);
      expect(Math.abs(klDiag(p, q)[0] - want)).toBeLessThanOrEqual(1e-12 * want);
    }
  });
  it("near r = 1: absolute error of 2·KL within |r − 1|·2⁻⁵² (r − 1 is exact there; x − ln(1+x) itself still cancels)", () => {
    // The relative error of r − 1 − ln r for r = 1 + x is about 2⁻⁵³·|x|/(x²/2); so the bound is on the absolute error.
    for (const r of [1 + 2 ** -30, 1 - 2 ** -31, 1 + 3e-9, 1 - 7e-10, 1 + 1e-6, 0.6, 0.51, 1.5, 1.9, 1.99]) {
      const p = diagGaussians(f64(0), f64(r), 1);
      const q = diagGaussians(f64(0), f64(1), 1);
      const want = term2(0, r, 0, 1);
      expect(Math.abs(2 * klDiag(p, q)[0] - want)).toBeLessThanOrEqual(Math.abs(r - 1) * 2 ** -52);
    }
  });
  it("point masses: variance 0 on either side is +∞ unless both are the same point", () => {
    const one = (m: number, v: number) => diagGaussians(f64(m), f64(v), 1);
    expect(klDiag(one(0, 0), one(0, 1))[0]).toBe(Infinity);
    expect(klDiag(one(0, 1), one(0, 0))[0]).toBe(Infinity);
    expect(klDiag(one(0, 0), one(1, 0))[0]).toBe(Infinity);
    expect(klDiag(one(2, 0), one(2, 0))[0]).toBe(0);
    // A point-mass dimension makes the whole row +∞; other rows are unaffected.
    const p = diagGaussians(f64(0, 0, 0, 0), f64(1, 0, 1, 1), 2);
    const q = diagGaussians(f64(0, 0, 0, 0), f64(1, 1, 1, 1), 2);
    expect(Array.from(klDiag(p, q))).toEqual([Infinity, 0]);
  });
});

describe("entropyDiag: ½ Σ ln(2πe σ²) per row", () => {
  it("per row on a 3×2 batch (each row its own sum)", () => {
    const g = diagGaussians(f64(0, 0, 0, 0, 0, 0), f64(1, 4, 0.5, 2, 9, 0.01), 2);
    const c = Math.log(2 * Math.PI * Math.E);
    const want = [0, 1, 2].map((k) => 0.5 * (2 * c + Math.log(g.variance[2 * k]) + Math.log(g.variance[2 * k + 1])));
    expectClose(entropyDiag(g), want, 1e-14);
  });
});

describe("identityGap reports the actual maximum gaps (computed here from poe and klReg)", () => {
  it("maxMeanGap and maxRatioGap are the maxima over all entries of |μ_PoE − μ_KL| and |σ²_PoE/σ²_KL − (1+β)|", () => {
    const rng = new Rng(1407);
    const n = 200;
    const d = 3;
    const mk = () =>
      diagGaussians(
        Float64Array.from({length: n * d}, () => 10 * rng.normal()),
        Float64Array.from({length: n * d}, () => Math.exp(6 * rng.normal())),
        d,
      );
    const actor = mk();
    const prior = mk();
    let sawNonZero = false;
    for (const alpha of [0.13, 0.37, 0.71, 0.97]) {
      const beta = alpha / (1 - alpha);
      const pg = poe(actor, prior, alpha);
      const kg = klReg(actor, prior, beta);
      let mm = 0;
      let mr = 0;
      for (let i = 0; i < n * d; i++) {
        mm = Math.max(mm, Math.abs(pg.mean[i] - kg.mean[i]));
        mr = Math.max(mr, Math.abs(pg.variance[i] / kg.variance[i] - (1 + beta)));
      }
      if (mm > 0 && mr > 0) sawNonZero = true;
      expect(identityGap(actor, prior, alpha)).toEqual({alpha, beta, maxMeanGap: mm, maxRatioGap: mr});
    }
    // The floating-point gaps are not all zero here, so a gap that stayed at its initial 0 would fail.
    expect(sawNonZero).toBe(true);
  });
});

describe("samplers replayed against a twin generator", () => {
  it("sampleDiag: a_i = μ_i + σ_i·ξ_i with ξ_i the generator's normals in order", () => {
    const g = diagGaussians(f64(1, -2, 3, 0.5), f64(4, 0.25, 1e-4, 9), 2);
    const x = sampleDiag(g, new Rng(99));
    const twin = new Rng(99);
    const want = Array.from(g.mean, (m, i) => m + Math.sqrt(g.variance[i]) * twin.normal());
    expect(Array.from(x)).toEqual(want);
  });
  it("sampleBlendMixture: per row one uniform u; u < α draws the whole row from the prior, else the actor", () => {
    const d = 2;
    const n = 40;
    const actor = diagGaussians(
      Float64Array.from({length: n * d}, (_, i) => i),
      Float64Array.from({length: n * d}, () => 0.01),
      d,
    );
    const prior = diagGaussians(
      Float64Array.from({length: n * d}, (_, i) => -100 - i),
      Float64Array.from({length: n * d}, () => 4),
      d,
    );
    for (const alpha of [0, 0.3, 1]) {
      const x = sampleBlendMixture(actor, prior, alpha, new Rng(7));
      const twin = new Rng(7);
      const want: number[] = [];
      let fromPrior = 0;
      for (let k = 0; k < n; k++) {
        const src = twin.next() < alpha ? prior : actor;
        if (src === prior) fromPrior++;
        for (let i = k * d; i < (k + 1) * d; i++) want.push(src.mean[i] + Math.sqrt(src.variance[i]) * twin.normal());
      }
      expect(Array.from(x)).toEqual(want);
      if (alpha === 0) expect(fromPrior).toBe(0);
      else if (alpha === 1) expect(fromPrior).toBe(n);
      else expect(fromPrior > 0 && fromPrior < n).toBe(true);
    }
  });
});

describe("the exported kernels touch only their range [start, end) (they are called per row by select.ts and claims.ts)", () => {
  // Four entries; the kernels are asked for [1, 3). Entries 0 and 3 of the output keep their sentinel −7.
  const m0 = f64(1, 2, 3, 4);
  const v0 = f64(0.5, 1, 2, 4);
  const mp = f64(-1, -2, 5, 6);
  const vp = f64(2, 0.25, 1, 3);
  const run = (k: (om: Float64Array, ov: Float64Array) => void) => {
    const om = new Float64Array(4).fill(-7);
    const ov = new Float64Array(4).fill(-7);
    k(om, ov);
    expect([om[0], om[3], ov[0], ov[3]]).toEqual([-7, -7, -7, -7]);
    return {om, ov};
  };
  it("_copy, _poe (α inner and at both edges), _klReg (β finite, 0, ∞), _additiveBlend, _additiveResidual", () => {
    let r = run((om, ov) => _copy(m0, v0, om, ov, 1, 3));
    expect([r.om[1], r.om[2], r.ov[1], r.ov[2]]).toEqual([2, 3, 1, 2]);
    for (const alpha of [0, 0.4, 1]) {
      r = run((om, ov) => _poe(m0, v0, mp, vp, alpha, om, ov, 1, 3));
      const g = poe(diagGaussians(m0, v0, 1), diagGaussians(mp, vp, 1), alpha);
      expect([r.om[1], r.om[2], r.ov[1], r.ov[2]]).toEqual([g.mean[1], g.mean[2], g.variance[1], g.variance[2]]);
    }
    for (const beta of [0, 1.5, Infinity]) {
      r = run((om, ov) => _klReg(m0, v0, mp, vp, beta, om, ov, 1, 3));
      const g = klReg(diagGaussians(m0, v0, 1), diagGaussians(mp, vp, 1), beta);
      expect([r.om[1], r.om[2], r.ov[1], r.ov[2]]).toEqual([g.mean[1], g.mean[2], g.variance[1], g.variance[2]]);
    }
    r = run((om, ov) => _additiveBlend(m0, v0, mp, vp, 0.3, om, ov, 1, 3));
    expect(r.om[1]).toBeCloseTo(0.7 * 2 + 0.3 * -2, 15);
    r = run((om, ov) => _additiveResidual(m0, v0, mp, vp, 0.3, om, ov, 1, 3));
    expect(r.om[2]).toBeCloseTo(3 + 0.3 * 5, 15);
  });
  it("_klDiagRow and _mahalanobisRow sum only their range; the Mahalanobis term divides by σq²", () => {
    // Entries 1, 2: (μp − μq)²/σq² = (2 − (−2))²/0.25 + (3 − 5)²/1 = 64 + 4, halved.
    expect(_mahalanobisRow(m0, mp, vp, 1, 3)).toBe(34);
    expect(_mahalanobisRow(m0, mp, vp, 0, 1)).toBe(0.5 * (4 / 2));
    const want = 0.5 * (4 - 1 - Math.log(4) + 64 + (2 - 1 - Math.log(2)) + 4);
    expect(_klDiagRow(m0, v0, mp, vp, 1, 3)).toBeCloseTo(want, 13);
  });
});

describe("more validation: every argument is named in its message", () => {
  it("klDiag names p and q in dim errors; sampleDiag and entropyDiag name the batch", () => {
    const ok = diagGaussians(f64(0, 0), f64(1, 1), 2);
    const bad = {dim: 0, mean: f64(0, 0), variance: f64(1, 1)};
    expect(() => klDiag(bad, ok)).toThrow("invalid p dim: 0 (expected a positive integer)");
    expect(() => klDiag(ok, bad)).toThrow("invalid q dim: 0 (expected a positive integer)");
    expect(() => entropyDiag(bad)).toThrow("invalid gaussians dim: 0");
    expect(() => sampleDiag(bad, new Rng(1))).toThrow("invalid gaussians dim: 0");
    expect(() => sampleDiag({dim: 3, mean: f64(0, 0), variance: f64(1, 1)}, new Rng(1))).toThrow("invalid gaussians shape: 2 entries are not a multiple of dim 3");
    expect(() => entropyDiag({dim: 1, mean: f64(0, NaN), variance: f64(1, 1)})).toThrow("invalid gaussians mean at index 1: NaN (expected a finite number)");
  });
  it("checkActorPrior (every two-sided rule) names actor and prior in shape errors", () => {
    const ok = diagGaussians(f64(0, 0), f64(1, 1), 2);
    const bad = {dim: 0, mean: f64(0, 0), variance: f64(1, 1)};
    expect(() => poe(bad, ok, 0.5)).toThrow("invalid actor dim: 0 (expected a positive integer)");
    expect(() => poe(ok, bad, 0.5)).toThrow("invalid prior dim: 0 (expected a positive integer)");
    expect(() => checkActorPrior(ok, {dim: 2, mean: f64(0, 0), variance: f64(1)})).toThrow("invalid prior shape: mean has 2 entries, variance 1");
  });
  it("a composed precision that overflows is reported, not returned as NaN (KL-Reg, full covariance)", () => {
    // Σ0 = Σp = 1e-308·I are positive definite, but Λ = Σ0⁻¹ + 1·Σp⁻¹ = 2e308·I overflows to +∞.
    const tiny = fullGaussian(f64(0, 0), f64(1e-308, 0, 0, 1e-308), 2);
    expect(() => klRegFull(tiny, tiny, 1)).toThrow("invalid composed precision: not symmetric positive definite");
  });
});

describe("the samplers consume exactly their documented draws", () => {
  it("sampleDiag uses n·d normals, sampleBlendMixture one uniform and d normals per row: the generator ends where a twin does", () => {
    const g = diagGaussians(f64(1, 2, 3, 4, 5, 6), f64(1, 1, 1, 1, 1, 1), 3);
    const r = new Rng(21);
    sampleDiag(g, r);
    const twin = new Rng(21);
    for (let i = 0; i < 6; i++) twin.normal();
    expect(r.state()).toEqual(twin.state());
    const r2 = new Rng(22);
    sampleBlendMixture(g, g, 0.5, r2);
    const twin2 = new Rng(22);
    for (let k = 0; k < 2; k++) {
      twin2.next();
      for (let i = 0; i < 3; i++) twin2.normal();
    }
    expect(r2.state()).toEqual(twin2.state());
  });
  it("the prior is drawn when u < α, strictly: α equal to the row's uniform draw takes the actor (P = α exactly on the 2⁻³² grid)", () => {
    const actor = diagGaussians(f64(10), f64(1e-6), 1);
    const prior = diagGaussians(f64(-10), f64(1e-6), 1);
    const u = new Rng(5).next();
    expect(sampleBlendMixture(actor, prior, u, new Rng(5))[0]).toBeGreaterThan(5);
    expect(sampleBlendMixture(actor, prior, u + 2 ** -32, new Rng(5))[0]).toBeLessThan(-5);
  });
});
