// Tests that kill the mutants StrykerJS left alive in lib/lever/compose/common.ts (`npm run mutate -- --mutate
// lib/lever/compose/common.ts`); the equivalent ones are listed with their reason in test/MUTANTS.md. The shape
// checks promise one-line RangeErrors naming the table and what is accepted (the project's CLI convention):
// the messages are compared whole.
import {describe, expect, it} from "vitest";
import {checkCounts, checkEnv, checkMainEnv, checkTables, shape, tableRows} from "../../../lib/lever/compose/common.js";
import {GridWorld} from "../../../lib/lever/env/gridworld.js";
import type {Layout} from "../../../lib/lever/env/layout.js";
import {DOWN, DOWN2, RIGHT, RIGHT2} from "../fixtures.js";

const err = (msg: string) => new RangeError(msg);

describe("tableRows(t, what, i)", () => {
  it("returns the number of rows of a flat (rows·4) table of the right type", () => {
    expect(shape(3)).toBe("3×4");
    expect(tableRows(new Float64Array(8), "Q-table", 0)).toBe(2);
    expect(tableRows(new Float32Array(4), "Q-table", 0)).toBe(1);
    expect(tableRows(new Uint32Array(12), "counts", 0)).toBe(3);
  });
  it("names the wrong type it got, the table's index and what is accepted", () => {
    expect(() => tableRows(new Uint32Array(4), "Q-table", 3)).toThrow(err("invalid Q-table 3: expected a Float64Array or Float32Array, got Uint32Array"));
    expect(() => tableRows(new Float64Array(4), "counts", 1)).toThrow(err("invalid counts 1: expected a Uint32Array, got Float64Array"));
    expect(() => tableRows(null, "Q-table", 0)).toThrow(err("invalid Q-table 0: expected a Float64Array or Float32Array, got null"));
    expect(() => tableRows(undefined, "counts", 0)).toThrow(err("invalid counts 0: expected a Uint32Array, got undefined"));
    expect(() => tableRows(7, "counts", 0)).toThrow(err("invalid counts 0: expected a Uint32Array, got number"));
    expect(() => tableRows({}, "Q-table", 0)).toThrow(err("invalid Q-table 0: expected a Float64Array or Float32Array, got Object"));
    expect(() => tableRows(Object.create(null), "Q-table", 0)).toThrow(err("invalid Q-table 0: expected a Float64Array or Float32Array, got object"));
  });
  it("rejects an empty table and a length that is not a multiple of 4", () => {
    expect(() => tableRows(new Float64Array(0), "Q-table", 2)).toThrow(err("invalid Q-table 2: length 0 is not a positive multiple of 4 actions"));
    expect(() => tableRows(new Uint32Array(6), "counts", 0)).toThrow(err("invalid counts 0: length 6 is not a positive multiple of 4 actions"));
  });
});

describe("checkTables(tables, what, envRows?)", () => {
  it("returns the common number of rows", () => {
    expect(checkTables([new Float64Array(8), new Float32Array(8)], "Q-table")).toBe(2);
    expect(checkTables([new Uint32Array(36)], "counts", 9)).toBe(9);
  });
  it("rejects a list that is not a non-empty array", () => {
    expect(() => checkTables([], "Q-table")).toThrow(err("invalid Q-table list: expected a non-empty array"));
    expect(() => checkTables("tables" as unknown as unknown[], "counts")).toThrow(err("invalid counts list: expected a non-empty array"));
  });
  it("names the two shapes and which tables differ: table 0 against the last one, or the env against the first one", () => {
    const q = (rows: number) => new Float64Array(rows * 4);
    expect(() => checkTables([q(2), q(2), q(3)], "Q-table")).toThrow(err("Q-table shape mismatch: 2×4 vs 3×4 (table 0 vs table 2)"));
    expect(() => checkTables([new Uint32Array(8), new Uint32Array(12)], "counts")).toThrow(err("counts shape mismatch: 2×4 vs 3×4 (counts 0 vs counts 1)"));
    expect(() => checkTables([q(2)], "Q-table", 9)).toThrow(err("Q-table shape mismatch: 9×4 vs 2×4 (env vs table 0)"));
    expect(() => checkTables([new Uint32Array(36), new Uint32Array(8)], "counts", 9)).toThrow(err("counts shape mismatch: 9×4 vs 2×4 (env vs counts 1)"));
  });
});

describe("checkCounts(env, countsList): counts only count real moves", () => {
  // 3×3 [main], a block at (1,1):  S . .  /  . B .  /  . . E
  const layout: Layout = {size: 3, start: [0, 0], exit: [2, 2], golds: [], blocks: [[1, 1]], hazards: [], lever: null};
  const env = new GridWorld(layout, "path");
  const counts = (edges: [number, number, number][]) => {
    const c = new Uint32Array(9 * 4);
    for (const [s, a, n] of edges) c[s * 4 + a] = n;
    return c;
  };
  it("accepts counts on real moves, and zero counts on any edge", () => {
    expect(() =>
      checkCounts(env, [
        counts([
          [0, RIGHT, 3],
          [2, DOWN2, 1],
        ]),
        counts([]),
      ]),
    ).not.toThrow();
  });
  it("names the list index, the cell, the action and the count of the first edge that leaves the grid or enters a block", () => {
    // (0,1) down enters the block; the second list holds it.
    expect(() => checkCounts(env, [counts([[0, RIGHT, 1]]), counts([[1, DOWN, 2]])])).toThrow(err("invalid counts 1: edge (0,1) action 1 leaves the grid or enters a block (count 2)"));
    // The very last edge of the table: (2,2) down×2 leaves the grid.
    expect(() => checkCounts(env, [counts([[8, DOWN2, 5]])])).toThrow(err("invalid counts 0: edge (2,2) action 3 leaves the grid or enters a block (count 5)"));
    expect(() => checkCounts(env, [counts([[5, RIGHT2, 1]])])).toThrow(err("invalid counts 0: edge (1,2) action 2 leaves the grid or enters a block (count 1)"));
  });
  it("a [v3] move back into cell 0 is a real move", () => {
    const v3 = new GridWorld({...layout, blocks: []}, "path", {variant: "v3"});
    expect(() => checkCounts(v3, [counts([[1, 2, 4]])])).not.toThrow(); // (0,1) left → (0,0)
    expect(() => checkCounts(v3, [counts([[0, 2, 1]])])).toThrow(err("invalid counts 0: edge (0,0) action 2 leaves the grid or enters a block (count 1)"));
  });
  it("checks the list's shape against the env first", () => {
    expect(() => checkCounts(env, [new Uint32Array(16 * 4)])).toThrow(err("counts shape mismatch: 9×4 vs 16×4 (env vs counts 0)"));
  });
});

describe("checkEnv / checkMainEnv", () => {
  const layout: Layout = {size: 3, start: [0, 0], exit: [2, 2], golds: [], blocks: [], hazards: [], lever: null};
  it("accept a GridWorld, and checkMainEnv only its [main] variant", () => {
    expect(() => checkEnv(new GridWorld(layout, "path"))).not.toThrow();
    expect(() => checkMainEnv(new GridWorld(layout, "path"))).not.toThrow();
    expect(() => checkMainEnv(new GridWorld(layout, "path", {variant: "v3"}))).toThrow(err("invalid variant for ExNonZero: v3 (accepted: main; [v3] moves make the visit graph cyclic, spec §7.2)"));
  });
  it("reject anything without the env's Int32Array move table", () => {
    for (const bad of [null, undefined, 3, "env", {}, {next: [0, 1]}, {next: new Uint32Array(4)}]) {
      expect(() => checkEnv(bad)).toThrow(err("invalid env: expected a GridWorld"));
      expect(() => checkMainEnv(bad as unknown as GridWorld)).toThrow(err("invalid env: expected a GridWorld"));
    }
  });
});
