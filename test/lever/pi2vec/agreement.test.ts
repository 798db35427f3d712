import {describe, expect, it} from "vitest";
import {cosineNeighbours, neighbourOverlap, pearson, ranks, spearman} from "../../../lib/lever/pi2vec/agreement.js";

describe("agreement", () => {
  it("ranks average ties like scipy's rankdata", () => {
    expect(Array.from(ranks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
  });
  it("Spearman is 1 for any monotone map and −1 for a reversal", () => {
    const a = [0.3, 1.2, -4, 7, 2.5];
    expect(
      spearman(
        a,
        a.map((x) => Math.exp(x)),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      spearman(
        a,
        a.map((x) => -x * x * x),
      ),
    ).toBeCloseTo(-1, 12);
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(Number.isNaN(pearson([1, 1, 1], [1, 2, 3]))).toBe(true);
  });
  it("neighbours by cosine exclude self; identical embeddings overlap fully, scaled ones too", () => {
    const x = [1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9];
    const nb = cosineNeighbours(x, 4, 2, 1);
    expect(nb.map((r) => r[0])).toEqual([1, 0, 3, 2]);
    expect(
      neighbourOverlap(
        x,
        x.map((v) => 3 * v),
        4,
        2,
        1,
      ),
    ).toBe(1);
    const swapped = [0, 1, 0.1, 0.9, 1, 0, 0.9, 0.1];
    expect(neighbourOverlap(x, swapped, 4, 2, 1)).toBe(1); // same pairs
    const crossed = [1, 0, 0, 1, 0.9, 0.1, 0.1, 0.9];
    expect(neighbourOverlap(x, crossed, 4, 2, 1)).toBe(0);
  });
});
