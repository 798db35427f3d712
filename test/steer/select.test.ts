// Tests for lib/steer/select.ts (spec/steering.md §4): D(α) on hand-checkable cases, monotonicity of
// D on random instances, the budget rule, the §4.6 PoE-vs-KL-Reg caveat, the oracle and near-oracle.
import {describe, expect, it} from "vitest";
import {Rng} from "../../lib/core/rng.js";
import type {DiagGaussians} from "../../lib/steer/gauss.js";
import {diagGaussians} from "../../lib/steer/gauss.js";
import {
  ALPHA_GRID,
  budgetGrid,
  calibratedBudget,
  consecutivePairs,
  divergenceCurve,
  headlineBudget,
  isNearOracle,
  isStrictlyNearOracle,
  klBudgetSelect,
  oracle,
  selectFromCurve,
  stateDivergences,
} from "../../lib/steer/select.js";
import type {Divergence} from "../../lib/steer/select.js";

/** n states in R^d; means N(0, 1); log-variances uniform in [lo, hi]. */
function randomDiag(rng: Rng, n: number, d: number, lo: number, hi: number): DiagGaussians {
  const mean = new Float64Array(n * d);
  const variance = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) {
    mean[i] = rng.normal();
    variance[i] = Math.exp(lo + (hi - lo) * rng.next());
  }
  return diagGaussians(mean, variance, d);
}

/** One state, d = 1: actor N(0, 1), prior N(1, 1). PoE(α) = N(α, 1), so KL(π_α‖π0) = α²/2. */
const actor1 = diagGaussians(new Float64Array([0]), new Float64Array([1]), 1);
const prior1 = diagGaussians(new Float64Array([1]), new Float64Array([1]), 1);

describe("divergenceCurve(actor, prior, alphas, divergence) on a hand-checkable case", () => {
  it("poe: D(α) = α²/2", () => {
    const c = divergenceCurve(actor1, prior1);
    expect(Array.from(c).map((v) => +v.toFixed(12))).toEqual([0.005, 0.045, 0.125, 0.245, 0.405]);
  });
  it("klreg: KL-Reg(β) = N(α, 1−α), so D = ½[−α − ln(1−α) + α²]; infinite at α = 1", () => {
    const c = divergenceCurve(actor1, prior1, [...ALPHA_GRID, 1], "klreg");
    ALPHA_GRID.forEach((a, j) => expect(c[j]).toBeCloseTo(0.5 * (-a - Math.log(1 - a) + a * a), 14));
    expect(c[5]).toBe(Infinity);
  });
  it("mean: the Mahalanobis term alone, α²/2 here", () => {
    const c = divergenceCurve(actor1, prior1, ALPHA_GRID, "mean");
    ALPHA_GRID.forEach((a, j) => expect(c[j]).toBeCloseTo((a * a) / 2, 15));
  });
  it("D(0) = 0 and D is the mean of the per-state divergences", () => {
    const rng = new Rng(1);
    const actor = randomDiag(rng, 40, 3, -4, 1);
    const prior = randomDiag(rng, 40, 3, -4, 1);
    expect(divergenceCurve(actor, prior, [0])[0]).toBe(0);
    const per = stateDivergences(actor, prior, 0.3);
    const mean = per.reduce((s, v) => s + v, 0) / per.length;
    expect(divergenceCurve(actor, prior, [0.3])[0]).toBeCloseTo(mean, 14);
  });
  it("rejects bad inputs", () => {
    expect(() => divergenceCurve(actor1, prior1, [])).toThrow(/invalid alphas: empty/);
    expect(() => divergenceCurve(actor1, prior1, [0.5, 1.2])).toThrow(/invalid alpha: 1.2/);
    expect(() => divergenceCurve(actor1, prior1, ALPHA_GRID, "js" as Divergence)).toThrow(/invalid divergence: "js" \(accepted: poe, klreg, mean\)/);
    const empty = diagGaussians(new Float64Array(0), new Float64Array(0), 1);
    expect(() => divergenceCurve(empty, empty)).toThrow(/no states/);
    const two = diagGaussians(new Float64Array(2), new Float64Array(2).fill(1), 2);
    expect(() => divergenceCurve(actor1, two)).toThrow(/shape mismatch/);
  });
});

describe("D(α) is non-decreasing in α (§4.5) on random instances", () => {
  // 300 instances × 3 divergences × a 101-point α grid. Priors range from far less confident than the
  // actor (the anchoring regime of §2.2) to far more (the overconfident regime of §3). The comparison
  // allows only rounding: D(α_{k+1}) ≥ D(α_k)·(1 − 1e-12).
  const grid = Array.from({length: 101}, (_, k) => k / 100);
  for (const divergence of ["poe", "klreg", "mean"] as const) {
    it(`${divergence}: no violations`, () => {
      const rng = new Rng(2604, divergence.length);
      let violations = 0;
      for (let trial = 0; trial < 300; trial++) {
        const d = 1 + rng.int(8);
        const actor = randomDiag(rng, 20, d, -7, 0);
        const prior = randomDiag(rng, 20, d, -9, 3);
        const c = divergenceCurve(actor, prior, grid, divergence);
        for (let k = 0; k + 1 < c.length; k++) if (!(c[k + 1] >= c[k] * (1 - 1e-12))) violations++;
        expect(c[0]).toBe(0);
      }
      expect(violations).toBe(0);
    });
  }
});

describe("selectFromCurve / klBudgetSelect: α* = max{α ∈ A : D(α) ≤ ε}, else 0 (§4.4)", () => {
  it("hand case (D = α²/2): budget boundaries are inclusive, the fallback is the frozen actor", () => {
    expect(klBudgetSelect(actor1, prior1, {budget: 0.125}).alpha).toBe(0.5);
    expect(klBudgetSelect(actor1, prior1, {budget: 0.1}).alpha).toBe(0.3);
    expect(klBudgetSelect(actor1, prior1, {budget: Infinity}).alpha).toBe(0.9);
    const none = klBudgetSelect(actor1, prior1, {budget: 0.001});
    expect(none.alpha).toBe(0);
    expect(none.index).toBe(-1);
    expect(none.alphas).toEqual(ALPHA_GRID);
    expect(none.divergence).toBe("poe");
  });
  it("the chosen α respects the budget, and every larger candidate exceeds it (random instances, §4.7 budgets)", () => {
    const rng = new Rng(99);
    for (let trial = 0; trial < 200; trial++) {
      const d = 1 + rng.int(8);
      const actor = randomDiag(rng, 50, d, -7, 0);
      const prior = randomDiag(rng, 50, d, -9, 3);
      for (const budget of [...budgetGrid(d), headlineBudget(d)]) {
        for (const divergence of ["poe", "klreg", "mean"] as const) {
          const s = klBudgetSelect(actor, prior, {budget, divergence});
          if (s.index >= 0) {
            expect(s.alpha).toBe(ALPHA_GRID[s.index]);
            expect(s.curve[s.index]).toBeLessThanOrEqual(budget);
          } else {
            expect(s.alpha).toBe(0);
          }
          ALPHA_GRID.forEach((a, j) => {
            if (a > s.alpha) expect(s.curve[j]).toBeGreaterThan(budget);
          });
        }
      }
    }
  });
  it("does not depend on the order of the candidates", () => {
    const rng = new Rng(5);
    const actor = randomDiag(rng, 30, 4, -5, 0);
    const prior = randomDiag(rng, 30, 4, -5, 0);
    const sorted = klBudgetSelect(actor, prior, {budget: 0.3});
    const shuffled = klBudgetSelect(actor, prior, {budget: 0.3, alphas: [0.7, 0.1, 0.9, 0.5, 0.3]});
    expect(shuffled.alpha).toBe(sorted.alpha);
  });
  it("§4.6 caveat: a budget on KL-Reg can choose a smaller α than on PoE (same deterministic policy)", () => {
    // PoE D(0.5) = 0.125; KL-Reg D(0.5) = ½(−0.5 + ln 2 + 0.25) ≈ 0.2216.
    expect(klBudgetSelect(actor1, prior1, {budget: 0.15, divergence: "poe"}).alpha).toBe(0.5);
    expect(klBudgetSelect(actor1, prior1, {budget: 0.15, divergence: "klreg"}).alpha).toBe(0.3);
  });
  it("an unconfident (random-like) prior stays within a small budget at every α: anchoring (§2.2)", () => {
    // Actor σ0² = 0.04, prior σp² = 1 with a far-off mean: PoE moves the action only by w ≤ 0.265.
    const rng = new Rng(6);
    const n = 100;
    const d = 3;
    const actor = diagGaussians(new Float64Array(n * d), new Float64Array(n * d).fill(0.04), d);
    const pm = new Float64Array(n * d);
    for (let i = 0; i < n * d; i++) pm[i] = 2 * rng.next() - 1;
    const prior = diagGaussians(pm, new Float64Array(n * d).fill(1), d);
    const s = klBudgetSelect(actor, prior, {budget: headlineBudget(d)});
    expect(s.curve[0]).toBeLessThan(0.01);
    expect(s.alpha).toBeGreaterThan(0);
  });
  it("validates the budget and the curve", () => {
    expect(() => selectFromCurve(ALPHA_GRID, [0, 0, 0, 0, 0], -1)).toThrow(/invalid budget: -1/);
    expect(() => selectFromCurve(ALPHA_GRID, [0, 0], 1)).toThrow(/shape mismatch: 5 alphas vs 2 curve values/);
    expect(() => selectFromCurve(ALPHA_GRID, [0, NaN, 0, 0, 0], 1)).toThrow(/NaN/);
    expect(() => klBudgetSelect(actor1, prior1, {budget: NaN})).toThrow(RangeError);
  });
});

describe("budgetGrid(d) / headlineBudget(d) (§4.7)", () => {
  it("ε = factor·d/2 and the headline 0.1·d", () => {
    expect(budgetGrid(6).map((v) => +v.toFixed(12))).toEqual([0.06, 0.15, 0.3, 0.6, 1.5, 3]);
    expect(headlineBudget(6)).toBeCloseTo(0.6, 15);
    expect(() => budgetGrid(0)).toThrow(/invalid dim: 0/);
  });
});

describe("oracle(alphas, scores) and isNearOracle (§4)", () => {
  it("picks the best mean score over {0} ∪ A", () => {
    const alphas = [0, ...ALPHA_GRID];
    expect(oracle(alphas, [50, 52, 55, 61, 58, 40])).toEqual({alpha: 0.5, index: 3, score: 61});
    expect(oracle(alphas, [70, 52, 55, 61, 58, 40]).alpha).toBe(0);
  });
  it("breaks ties toward the smaller α, whatever the order", () => {
    expect(oracle([0.5, 0.1, 0.3], [60, 60, 59]).alpha).toBe(0.1);
    expect(oracle([0.1, 0.5], [60, 60]).alpha).toBe(0.1);
  });
  it("validates its inputs", () => {
    expect(() => oracle([0, 0.1], [1])).toThrow(/shape mismatch: 2 alphas vs 1 scores/);
    expect(() => oracle([0, 0.1], [1, NaN])).toThrow(/invalid score at index 1/);
  });
  it("near-oracle: gap ≤ max(2 points, CI half-width)", () => {
    expect(isNearOracle(61, 59, 0.5)).toBe(true); // gap 2 ≤ 2
    expect(isNearOracle(61, 58.9, 0.5)).toBe(false); // gap 2.1 > 2
    expect(isNearOracle(61, 57, 4.5)).toBe(true); // gap 4 ≤ half-width 4.5
    expect(() => isNearOracle(61, 57, -1)).toThrow(RangeError);
  });
});

describe("calibratedBudget(actor, pairs): the actor's mean one-step KL on held-out trajectories (issue 13 §5)", () => {
  it("hand-checked: KL(π0(s_k+1) ‖ π0(s_k)) averaged over the given pairs only", () => {
    // d = 1, three states: N(0, 1), N(1, 1), N(1, 4).
    const g = diagGaussians(new Float64Array([0, 1, 1]), new Float64Array([1, 1, 4]), 1);
    // pair 0: KL(N(1,1) ‖ N(0,1)) = ½·1 = 0.5; pair 1: KL(N(1,4) ‖ N(1,1)) = ½(4 − 1 − ln 4).
    const k1 = 0.5 * (4 - 1 - Math.log(4));
    expect(calibratedBudget(g, [0])).toBeCloseTo(0.5, 14);
    expect(calibratedBudget(g, [1])).toBeCloseTo(k1, 14);
    expect(calibratedBudget(g, [0, 1])).toBeCloseTo((0.5 + k1) / 2, 14);
  });
  it("d = 2 sums the dimensions; a constant actor has budget 0 (it never moves: the selector falls back to Frozen)", () => {
    const g = diagGaussians(new Float64Array([0, 0, 2, 0]), new Float64Array([1, 4, 1, 4]), 2);
    expect(calibratedBudget(g, [0])).toBeCloseTo(2, 14);
    const c = diagGaussians(new Float64Array([0.3, -0.2, 0.3, -0.2]), new Float64Array([0.1, 0.2, 0.1, 0.2]), 2);
    expect(calibratedBudget(c, [0])).toBe(0);
    expect(selectFromCurve(ALPHA_GRID, [0.001, 0.01, 0.1, 0.2, 0.3], calibratedBudget(c, [0])).alpha).toBe(0);
  });
  it("rejects an empty or out-of-range pair list", () => {
    const g = diagGaussians(new Float64Array([0, 1]), new Float64Array([1, 1]), 1);
    expect(() => calibratedBudget(g, [])).toThrow(/no consecutive states/);
    expect(() => calibratedBudget(g, [1])).toThrow(/invalid pair index/);
  });
});

describe("consecutivePairs(timesteps, episodeStarts)", () => {
  it("rows whose next row is the next step of the same episode (not across episode boundaries)", () => {
    const ts = Int32Array.from([0, 1, 2, 0, 1, 0]);
    const starts = Int32Array.from([0, 3, 5, 6]);
    expect(Array.from(consecutivePairs(ts, starts))).toEqual([0, 1, 3]);
  });
});

describe("isStrictlyNearOracle: gap ≤ 1 point, no interval allowance", () => {
  it("1 point passes, 1.01 fails even where the lenient §4 test (half-width 30) passes", () => {
    expect(isStrictlyNearOracle(60, 59)).toBe(true);
    expect(isStrictlyNearOracle(60, 58.99)).toBe(false);
    expect(isNearOracle(60, 58.99, 30)).toBe(true);
    expect(isStrictlyNearOracle(100, 0, 100)).toBe(true);
    expect(() => isStrictlyNearOracle(NaN, 0)).toThrow(RangeError);
  });
});
