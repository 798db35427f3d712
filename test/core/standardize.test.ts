import {describe, expect, it} from "vitest";
import {standardize} from "../../lib/core/standardize.js";

describe("standardize(data, n, d)", () => {
  it("z-scores columns and maps constant columns to 0", () => {
    const {data, mean, std} = standardize([1, 5, 3, 5, 5, 5], 3, 2);
    expect(Array.from(mean)).toEqual([3, 5]);
    expect(std[1]).toBe(0);
    // Column 0 is 1, 3, 5: mean 3, population sd √(8/3), so ∓2/√(8/3) = ∓√1.5 = ∓1.2247.
    expect(Array.from(data).map((x) => Math.round(x * 1000) / 1000)).toEqual([-1.225, 0, 0, 0, 1.225, 0]);
    expect(() => standardize([1, 2, 3], 2, 2)).toThrow(/invalid matrix: 3 values for 2×2/);
  });
});
