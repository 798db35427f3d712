// Tests for lib/steer/identity-numeric.ts: the closed forms of gauss.ts against independent numerical
// computations from their definitions (quadrature of π0^(1−α)·p^α, numerical maximisation of the KL-Reg
// and PoE objectives), and that a planted bug in either kernel makes the check fail.
import {describe, expect, it} from "vitest";
import {_klReg, _poe} from "../../lib/steer/gauss.js";
import type {DiagKernel} from "../../lib/steer/identity-numeric.js";
import {goldenMax, klRegObjective, maximiseGaussian, numericIdentityCheck, poeMomentsByQuadrature, quadratureMoments} from "../../lib/steer/identity-numeric.js";

const CHECK = numericIdentityCheck({cases: 60});

describe("quadratureMoments(logf, lo, hi, n)", () => {
  it("recovers the mean and variance of a Gaussian and of a uniform density", () => {
    const g = quadratureMoments((x) => -((x - 1.5) ** 2) / (2 * 0.49), -10, 10, 4000);
    expect(g.mean).toBeCloseTo(1.5, 12);
    expect(g.variance).toBeCloseTo(0.49, 12);
    const u = quadratureMoments(() => 0, 0, 3, 10);
    expect(u.mean).toBeCloseTo(1.5, 14);
    expect(u.variance).toBeCloseTo(0.75, 12); // (b − a)²/12, exact for Simpson on x²
  });
  it("rejects a bad range or grid", () => {
    expect(() => quadratureMoments(() => 0, 1, 1, 10)).toThrow(/invalid range/);
    expect(() => quadratureMoments(() => 0, 0, 1, 1)).toThrow(/invalid n/);
  });
});

describe("poeMomentsByQuadrature and maximiseGaussian against a hand case", () => {
  it("α = 1/2 of N(0, 1) and N(2, 1) is N(1, 1); KL-Reg β = 1 of the same is N(1, 1/2)", () => {
    const q = poeMomentsByQuadrature(0, 1, 2, 1, 0.5);
    expect(q.mean).toBeCloseTo(1, 12);
    expect(q.variance).toBeCloseTo(1, 12);
    const k = maximiseGaussian((mu, s) => klRegObjective(mu, s, 0, 1, 2, 1, 1), 0, 1, 2, 1);
    expect(k.mean).toBeCloseTo(1, 6);
    expect(k.variance).toBeCloseTo(0.5, 6);
  });
  it("goldenMax finds the maximum of a concave function", () => {
    expect(goldenMax((x) => -((x - 0.3) ** 2), -5, 5, 1e-10)).toBeCloseTo(0.3, 7);
  });
});

describe("numericIdentityCheck(options)", () => {
  it("gauss.ts _poe and _klReg match the numerical computations within the stated tolerances", () => {
    expect(CHECK.poeQuadrature.cases).toBe(60);
    expect(CHECK.poeQuadrature.passed).toBe(true);
    expect(CHECK.poeQuadrature.maxMeanErr).toBeLessThanOrEqual(1e-9);
    expect(CHECK.poeQuadrature.maxVarRelErr).toBeLessThanOrEqual(1e-9);
    expect(CHECK.klRegOptimum.passed).toBe(true);
    expect(CHECK.poeOptimum.passed).toBe(true);
    expect(numericIdentityCheck({cases: 60})).toEqual(CHECK); // seeded: same numbers
  });

  // Planted bugs: each must be caught by the check of the kernel it breaks.
  const poeWrongVariance: DiagKernel = (m0, v0, mp, vp, a, om, ov, s, e) => {
    _poe(m0, v0, mp, vp, a, om, ov, s, e);
    for (let i = s; i < e; i++) ov[i] *= 1.001; // a 0.1 % variance error
  };
  const poeAdditiveMean: DiagKernel = (m0, v0, mp, vp, a, om, ov, s, e) => {
    _poe(m0, v0, mp, vp, a, om, ov, s, e);
    for (let i = s; i < e; i++) om[i] = (1 - a) * m0[i] + a * mp[i]; // precision-agnostic blend
  };
  const klRegPoeVariance: DiagKernel = (m0, v0, mp, vp, b, om, ov, s, e) => {
    _klReg(m0, v0, mp, vp, b, om, ov, s, e);
    for (let i = s; i < e; i++) ov[i] *= 1 + b; // KL-Reg returning PoE's covariance
  };
  const klRegInverseBeta: DiagKernel = (m0, v0, mp, vp, b, om, ov, s, e) => _klReg(m0, v0, mp, vp, 1 / b, om, ov, s, e); // β on the KL term

  it("a planted variance bug in _poe fails the quadrature and the PoE-objective checks", () => {
    const r = numericIdentityCheck({cases: 20, poe: poeWrongVariance});
    expect(r.poeQuadrature.passed).toBe(false);
    expect(r.poeOptimum.passed).toBe(false);
    expect(r.klRegOptimum.passed).toBe(true);
  });
  it("a planted mean bug in _poe (additive blend) fails the quadrature check", () => {
    expect(numericIdentityCheck({cases: 20, poe: poeAdditiveMean}).poeQuadrature.passed).toBe(false);
  });
  it("_klReg with PoE's covariance, or with β weighting the KL term, fails the optimisation check", () => {
    const r = numericIdentityCheck({cases: 20, klReg: klRegPoeVariance});
    expect(r.klRegOptimum.passed).toBe(false);
    expect(r.poeQuadrature.passed).toBe(true);
    expect(numericIdentityCheck({cases: 20, klReg: klRegInverseBeta}).klRegOptimum.passed).toBe(false);
  });
});
