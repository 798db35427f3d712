// The GridWorld page's figure helpers that need no DOM (src/components/lever-grid.js).
import {describe, expect, it} from "vitest";
// @ts-expect-error: a page component in plain JavaScript, without type declarations
import {CELL_COLORS, visitTicks} from "../../src/components/lever-grid.js";

describe("visitTicks(max)", () => {
  it("is 0 and powers of ten up to max", () => {
    expect(visitTicks(1)).toEqual([0, 1]);
    expect(visitTicks(50)).toEqual([0, 1, 10]);
    expect(visitTicks(999)).toEqual([0, 10, 100]);
  });
  it("keeps at most five ticks, always the largest power, so the legend's labels never crowd", () => {
    for (const max of [1, 9, 10, 1e3, 12_345, 1e6, 3e7, 1e9, 1e12]) {
      const ticks = visitTicks(max);
      expect(ticks.length).toBeLessThanOrEqual(5);
      expect(ticks[0]).toBe(0);
      const largest = 10 ** Math.floor(Math.log10(max) + 1e-12);
      expect(ticks.at(-1)).toBe(largest);
      for (let i = 1; i < ticks.length; i++) expect(ticks[i]).toBeGreaterThan(ticks[i - 1]);
    }
  });
});

describe("CELL_COLORS", () => {
  it("draws empty cells in a theme colour (not a fixed light grey that glares in dark mode)", () => {
    expect(CELL_COLORS.empty).toMatch(/^var\(--theme-/);
  });
});
