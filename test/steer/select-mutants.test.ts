// Tests that kill the mutants StrykerJS left alive in lib/steer/select.ts (`npm run mutate -- --mutate
// lib/steer/select.ts`); the equivalent ones are listed with their reason in test/MUTANTS.md.
import {describe, expect, it} from "vitest";
import {diagGaussians} from "../../lib/steer/gauss.js";
import {divergenceCurve, isNearOracle, klBudgetSelect, oracle, selectFromCurve} from "../../lib/steer/select.js";

describe("selectFromCurve: α* = max{α ∈ A : D(α) ≤ ε} whatever the order of A (§4.4)", () => {
  it("takes the largest qualifying α even when it comes first", () => {
    expect(selectFromCurve([0.9, 0.1], [0, 0], 1)).toEqual({alpha: 0.9, index: 0});
    expect(selectFromCurve([0.9, 0.5, 0.1], [0, 0, 0], 0)).toEqual({alpha: 0.9, index: 0});
  });

  it("accepts α = 0 as a candidate (the frozen actor itself) and ε = 0 (only D = 0 qualifies)", () => {
    expect(selectFromCurve([0], [0], 0)).toEqual({alpha: 0, index: 0});
    expect(selectFromCurve([0, 0.1], [0, 0.005], 0)).toEqual({alpha: 0, index: 0});
  });

  it("of two equal candidates keeps the first", () => {
    expect(selectFromCurve([0.5, 0.5], [0, 0], 1)).toEqual({alpha: 0.5, index: 0});
  });
});

describe('klBudgetSelect with divergence "mean": the Mahalanobis term only, not the KL (§4.6)', () => {
  // d = 1: actor N(0, 1), prior N(1, 4). PoE(½): precision ½·1 + ½·¼ = 5/8, so σ² = 8/5 and μ = σ²·(½·1/4) = 1/5.
  const actor = diagGaussians(new Float64Array([0]), new Float64Array([1]), 1);
  const prior = diagGaussians(new Float64Array([1]), new Float64Array([4]), 1);
  const mu = 1 / 5;
  const v = 8 / 5;

  it("D_mean(½) = ½ μ²/σ0² = 0.02, while D_poe(½) = ½(σ² + μ² − 1 − ln σ²)", () => {
    expect(divergenceCurve(actor, prior, [0.5], "mean")[0]).toBeCloseTo(0.5 * mu * mu, 14);
    expect(divergenceCurve(actor, prior, [0.5], "poe")[0]).toBeCloseTo(0.5 * (v + mu * mu - 1 - Math.log(v)), 14);
  });

  it("returns a copy of the candidates, not the caller's array", () => {
    const alphas = [0.5];
    const sel = klBudgetSelect(actor, prior, {budget: 0.05, alphas, divergence: "mean"});
    expect(sel.alphas).toEqual(alphas);
    expect(sel.alphas).not.toBe(alphas);
  });

  it('so a budget between the two selects ½ under "mean" and falls back to the frozen actor under "poe"', () => {
    expect(klBudgetSelect(actor, prior, {budget: 0.05, alphas: [0.5], divergence: "mean"}).alpha).toBe(0.5);
    expect(klBudgetSelect(actor, prior, {budget: 0.05, alphas: [0.5], divergence: "poe"})).toMatchObject({alpha: 0, index: -1});
  });
});

describe("oracle(alphas, scores): the best score wherever it is, ties to the smaller α then the first", () => {
  it("a single candidate is its own oracle", () => {
    expect(oracle([0.5], [2])).toEqual({alpha: 0.5, index: 0, score: 2});
  });
  it("the best score first in the list", () => {
    expect(oracle([0.1, 0.3], [5, 3])).toEqual({alpha: 0.1, index: 0, score: 5});
  });
  it("a smaller α later in the list wins only on a tie, never with a lower score", () => {
    expect(oracle([0.5, 0.1], [10, 5])).toEqual({alpha: 0.5, index: 0, score: 10});
    expect(oracle([0.5, 0.1], [10, 10])).toEqual({alpha: 0.1, index: 1, score: 10});
  });
  it("equal α and equal score: the first", () => {
    expect(oracle([0.5, 0.5], [1, 1]).index).toBe(0);
  });
});

describe("isNearOracle: validation", () => {
  it("rejects non-finite scores with a one-line RangeError naming both", () => {
    expect(() => isNearOracle(Number.NaN, 1, 0)).toThrow(/^invalid scores: NaN, 1 \(expected finite numbers\)$/);
    expect(() => isNearOracle(1, Number.POSITIVE_INFINITY, 0)).toThrow(/^invalid scores: 1, Infinity \(expected finite numbers\)$/);
  });
  it("accepts a zero half-width and zero points (then only a gap ≤ 0 is near)", () => {
    expect(isNearOracle(5, 3, 0)).toBe(true);
    expect(isNearOracle(5, 5, 0, 0)).toBe(true);
    expect(isNearOracle(5, 4.5, 0, 0)).toBe(false);
    expect(() => isNearOracle(5, 5, 0, -1)).toThrow(/^invalid tolerance: half-width 0, minPoints -1 \(expected ≥ 0\)$/);
  });
});
