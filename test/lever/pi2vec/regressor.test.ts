import {describe, expect, it} from "vitest";
import {crossValidate, dataset, fitGbrt, fitLinear, kFolds, linearPredictor, metrics, parseRegressor} from "../../../lib/lever/pi2vec/regressor.js";
import {Rng} from "../../../lib/core/rng.js";

function synthetic(n: number, seed: number, f: (x: number[]) => number, noise = 0, d = 4) {
  const rng = new Rng(seed);
  const rows = Array.from({length: n}, () => Array.from({length: d}, () => rng.next() * 4 - 2));
  return dataset(
    rows,
    rows.map((r) => f(r) + noise * rng.normal()),
  );
}

describe("regressors (spec §5)", () => {
  it("linear regression recovers exact coefficients and intercept on noiseless data", () => {
    const m = fitLinear(synthetic(50, 1, (x) => 3 * x[0] - 2 * x[1] + 0.5 * x[3] + 5));
    expect(Array.from(m.coef, (c) => +c.toFixed(9) + 0)).toEqual([3, -2, 0, 0.5]);
    expect(m.intercept).toBeCloseTo(5, 9);
  });

  it("linear regression handles collinear features (minimum-norm least squares)", () => {
    const base = synthetic(30, 2, (x) => x[0] + x[1], 0, 2);
    const rows = Array.from({length: 30}, (_, i) => [base.x[i * 2], base.x[i * 2], base.x[i * 2 + 1]]);
    const m = fitLinear(dataset(rows, base.y));
    expect(m.coef[0]).toBeCloseTo(0.5, 9); // the unit weight split equally across the duplicate
    expect(m.coef[1]).toBeCloseTo(0.5, 9);
    for (let i = 0; i < 30; i++) expect(m.predict(rows[i])).toBeCloseTo(base.y[i], 9);
  });

  it("gradient-boosted trees beat linear regression on a non-linear target, out of fold", () => {
    const ds = synthetic(300, 3, (x) => 10 * Math.sin(2 * x[0]) + 4 * x[1] * x[1], 0.5);
    const lin = crossValidate("linear", ds, {folds: 5, seed: 1});
    const gb = crossValidate("gbrt", ds, {folds: 5, seed: 1});
    expect(gb.cv.r2).toBeGreaterThan(0.8);
    expect(gb.cv.r2).toBeGreaterThan(lin.cv.r2 + 0.3);
    expect(gb.inSample.r2).toBeGreaterThanOrEqual(gb.cv.r2);
  });

  it("min_samples_leaf blocks splits: with fewer than 2×10 rows the model is the mean", () => {
    const ds = synthetic(15, 4, (x) => x[0] * 7);
    const m = fitGbrt(ds);
    const mean = ds.y.reduce((a, b) => a + b, 0) / ds.n;
    for (let i = 0; i < ds.n; i++) expect(m.predict(ds.x.subarray(i * 4, i * 4 + 4))).toBeCloseTo(mean, 12);
  });

  it("a single clean step is found exactly by one split", () => {
    const rows = Array.from({length: 40}, (_, i) => [i]);
    const y = rows.map(([v]) => (v < 20 ? 0 : 10));
    const m = fitGbrt(dataset(rows, y), {maxIter: 400, learningRate: 0.1, l2: 0});
    expect(m.predict([5])).toBeCloseTo(0, 6);
    expect(m.predict([30])).toBeCloseTo(10, 6);
  });

  it("k-fold: every row in one fold, sizes within one, deterministic under the seed", () => {
    const f = kFolds(103, 10, 42);
    const sizes = new Array(10).fill(0);
    for (const k of f) sizes[k]++;
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(Array.from(kFolds(103, 10, 42))).toEqual(Array.from(f));
    expect(Array.from(kFolds(103, 10, 43))).not.toEqual(Array.from(f));
    expect(() => kFolds(5, 10, 0)).toThrow(/invalid folds/);
  });

  it("metrics: R², MAE and NMAE = MAE / mean|y|", () => {
    const m = metrics([1, -2, 3, 4], [1, -1, 3, 2]);
    expect(m.mae).toBe(0.75);
    expect(m.nmae).toBeCloseTo(0.75 / 2.5, 12);
    expect(m.r2).toBeCloseTo(1 - 5 / 21, 12);
  });

  it("cross-validation is deterministic and validates input", () => {
    const ds = synthetic(80, 5, (x) => x[0] * x[1], 0.1);
    expect(Array.from(crossValidate("gbrt", ds, {seed: 7}).oof)).toEqual(Array.from(crossValidate("gbrt", ds, {seed: 7}).oof));
    expect(() => parseRegressor("forest")).toThrow(/invalid regressor: "forest" \(accepted: linear, gbrt\)/);
    expect(() => dataset([[1, 2], [3]], [1, 2])).toThrow(/row 1 has 1 features, expected 2/);
  });
});

describe("linearPredictor(coef, intercept)", () => {
  it("predicts intercept + coef·x and checks the length", () => {
    const f = linearPredictor([1, 2], 0.5);
    expect(f([3, 4])).toBe(11.5);
    expect(() => f([1])).toThrow(/invalid embedding length: 1 \(expected 2\)/);
  });
});
