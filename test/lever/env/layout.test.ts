import {describe, expect, it} from "vitest";
import {isLayoutValid, parseLayout, parseSpecSet, sampleLayout, SPEC_SETS} from "../../../lib/lever/env/layout.js";

// spec/lever.md §1.5: (attempts used, lever, first hazard, first gold, first block), verified with CPython.
const FIXTURES: Record<number, [number, [number, number], [number, number], [number, number], [number, number]][]> = {
  16: [
    [1, [3, 7], [0, 2], [3, 6], [7, 1]],
    [2, [3, 11], [13, 3], [11, 15], [4, 10]],
    [3, [1, 9], [7, 3], [12, 7], [3, 3]],
    [1, [11, 3], [0, 1], [1, 10], [15, 1]],
    [1, [15, 12], [6, 3], [14, 8], [3, 14]],
  ],
  32: [
    [1, [9, 17], [12, 10], [4, 25], [1, 17]],
    [2, [17, 25], [22, 30], [5, 13], [25, 31]],
    [1, [18, 8], [8, 31], [19, 16], [6, 7]],
    [1, [23, 19], [18, 1], [29, 22], [12, 7]],
    [1, [19, 18], [26, 9], [24, 15], [8, 18]],
  ],
};

describe("sampleLayout [main]", () => {
  for (const size of [16, 32]) {
    FIXTURES[size].forEach(([attempts, lever, hazard, gold, block], seed) => {
      it(`${size}×${size} seed ${seed} matches the reference sampler`, () => {
        const l = sampleLayout(size, seed, {golds: 50, blocks: 25, hazards: 30});
        expect(l.attempts).toBe(attempts);
        expect(l.lever).toEqual(lever);
        expect(l.hazards[0]).toEqual(hazard);
        expect(l.golds[0]).toEqual(gold);
        expect(l.blocks[0]).toEqual(block);
        expect([l.hazards.length, l.golds.length, l.blocks.length]).toEqual([30, 50, 25]);
        expect(l.start).toEqual([0, 0]);
        expect(l.exit).toEqual([size - 1, size - 1]);
        expect(isLayoutValid(l)).toBe(true);
      });
    });
  }
  it("never places objects on start or exit and never overlaps", () => {
    const l = sampleLayout(8, 11, SPEC_SETS.grid8.counts);
    const cells = [l.start, l.exit, ...l.hazards, ...l.golds, ...l.blocks, l.lever!].map(([r, c]) => r * 8 + c);
    expect(new Set(cells).size).toBe(cells.length);
  });
});

describe("sampleLayout [v3]", () => {
  it("draws start and exit from a shuffle of all cells and returns a valid layout", () => {
    for (let seed = 0; seed < 5; seed++) {
      const l = sampleLayout(16, seed, SPEC_SETS.grid16_scaled.counts, "v3");
      expect(l.start).not.toEqual(l.exit);
      expect(isLayoutValid(l)).toBe(true);
      expect(l.golds.length).toBe(24);
    }
    expect(sampleLayout(8, 0, SPEC_SETS.grid8.counts, "v3")).not.toEqual(sampleLayout(8, 0, SPEC_SETS.grid8.counts, "main"));
  });
});

describe("parseLayout / parseSpecSet", () => {
  const ok = {size: 4, start: [0, 0], exit: [3, 3], hazards: [[1, 1]], golds: [[0, 1]], blocks: [[2, 2]], lever: [0, 3]};
  it("accepts the CLI's layout JSON", () => {
    expect(parseLayout(ok).lever).toEqual([0, 3]);
    const l = sampleLayout(16, 0, {golds: 50, blocks: 25, hazards: 30});
    expect(parseLayout(JSON.parse(JSON.stringify(l))).golds).toEqual(l.golds);
  });
  it("rejects malformed layouts with one line naming the problem", () => {
    expect(() => parseLayout(null)).toThrow(/^malformed layout: expected a JSON object/);
    expect(() => parseLayout({...ok, size: 2})).toThrow(/"size" must be an integer/);
    expect(() => parseLayout({...ok, exit: [4, 0]})).toThrow(/"exit" must be \[row, col\]/);
    expect(() => parseLayout({...ok, golds: [[1, 1]]})).toThrow(/cell \[1, 1\] is both a hazard and a gold/);
    expect(() => parseLayout({...ok, colour: 1})).toThrow(/unknown field "colour"/);
    expect(() => parseLayout({...ok, hazards: "x"})).toThrow(/"hazards" must be a list/);
  });
  it("names accepted spec sets", () => {
    expect(parseSpecSet("grid8").size).toBe(8);
    expect(() => parseSpecSet("grid9")).toThrow(/invalid spec set: "grid9" \(accepted: grid16, grid32, grid8/);
  });
  it("rejects counts that do not fit", () => {
    expect(() => sampleLayout(4, 0, {golds: 10, blocks: 3, hazards: 2})).toThrow(/do not fit/);
  });
});
