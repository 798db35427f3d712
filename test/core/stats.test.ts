// lib/core/stats.ts: the one mean and variance of Parts I and II.
import {describe, expect, it} from "vitest";
import {mean, meanVariance} from "../../lib/core/stats.js";

describe("mean(x) and meanVariance(x)", () => {
  it("sum left to right and two-pass unbiased variance", () => {
    const x = [0.1, 0.2, 0.3, 1e16, -1e16];
    expect(mean(x)).toBe((0.1 + 0.2 + 0.3 + 1e16 - 1e16) / 5);
    const [m, v] = meanVariance([2, 4, 4, 4, 5, 5, 7, 9]);
    expect([m, v]).toEqual([5, 32 / 7]);
  });
  it("empty: NaN mean; fewer than 2 values: NaN variance", () => {
    expect(mean([])).toBeNaN();
    expect(meanVariance([3])).toEqual([3, NaN]);
    expect(meanVariance([])[1]).toBeNaN();
  });
});
