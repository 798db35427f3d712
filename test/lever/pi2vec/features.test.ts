import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {episodeFeatures, FEATURE_DIM, featureDim, HEAD_LEN, stateToVector, transitionsFrom} from "../../../lib/lever/pi2vec/features.js";
import {GridWorld} from "../../../lib/lever/env/gridworld.js";
import {DOWN, L5, RIGHT} from "../fixtures.js";

const f32 = (x: number) => Math.fround(x);
const grid = (rows: number[][]) => Int8Array.from(rows.flat());
const head = (v: Float32Array) => Array.from(v.subarray(0, HEAD_LEN));

describe("stateToVector(grid, size, hazardSteps) (spec §3.1)", () => {
  // 5×5, agent (row 1, col 1) → x = 1, y = 1; golds (0,1), (2,0), (4,3); lever (1,2); hazard (2,3);
  // block (0,3); exit (4,4).
  const g1 = grid([
    [0, 1, 0, -1, 0],
    [0, 7, 2, 0, 0],
    [1, 0, 0, -2, 0],
    [0, 0, 0, 0, 0],
    [0, 0, 0, 1, 10],
  ]);
  const d5 = Math.SQRT2 * 5;

  it("computes the 20 head features in order, with the reference's normalisations", () => {
    const v = stateToVector(g1, 5, 1);
    expect(v.length).toBe(70);
    expect(head(v)).toEqual([
      f32(1 / 5),
      f32(1 / 5), // x, y
      0,
      f32(-1 / 5),
      f32(1 / d5), // nearest gold (0,1): dx 0, dy −1, distance 1
      3, // raw gold count
      f32(3 / 5),
      f32(3 / 5),
      f32(Math.sqrt(18) / d5), // exit (4,4)
      0,
      0,
      0,
      0, // walls: gold above, empty below/left, lever right are not walls
      f32(1 / 5),
      0,
      f32(1 / d5),
      0, // lever (1,2); present → flag 0
      f32(1 / 25),
      f32(Math.sqrt(5) / d5),
      f32(1 / 25), // hazard density, nearest hazard, hazard steps / N²
    ]);
  });

  it("tail: Manhattan distances / 2N sorted ascending, zero-padded to GMAX = 50", () => {
    const v = stateToVector(g1, 5, 1);
    // Distances to (0,1), (2,0), (4,3) are 1, 2, 5 → /10.
    expect(Array.from(v.subarray(20, 24))).toEqual([f32(0.1), f32(0.2), f32(0.5), 0]);
    expect(v.subarray(23).every((x) => x === 0)).toBe(true);
  });

  it("counts out-of-bounds and blocks (not hazards) as walls; no exit, no gold, no lever, no hazardSteps", () => {
    // Agent on the exit (no 10 present) in the top-left corner: up/left out of bounds, block below,
    // hazard to the right.
    const v = stateToVector(
      grid([
        [7, -2, 0],
        [-1, 0, 0],
        [0, 0, 0],
      ]),
      3,
    );
    expect(head(v)).toEqual([
      0,
      0,
      0,
      0,
      0,
      0, // agent (0,0); no gold → zeros and count 0
      0,
      0,
      0, // no exit → zero vector
      1,
      1,
      1,
      0, // up, down (block), left, right (hazard: not a wall)
      0,
      0,
      0,
      1, // no lever → zeros, collected flag 1
      f32(1 / 9),
      f32(1 / (Math.SQRT2 * 3)),
      0, // hazardSteps omitted → 0
    ]);
    expect(v.subarray(HEAD_LEN).every((x) => x === 0)).toBe(true);
    // Bottom-right corner under a block: up (block), down and right out of bounds, left free.
    const w = stateToVector(
      grid([
        [0, 0, 10],
        [0, 0, -1],
        [0, 0, 7],
      ]),
      3,
    );
    expect(Array.from(w.subarray(9, 13))).toEqual([1, 1, 0, 1]);
    expect(Array.from(w.subarray(6, 9))).toEqual([0, f32(-2 / 3), f32(2 / (Math.SQRT2 * 3))]);
  });

  it("nearest gold: Euclidean, ties to the first gold in row-major order; the agent is the first 7", () => {
    // Golds at (0,1) and (1,0) are both at distance 1 from (1,1): (0,1) comes first.
    const v = stateToVector(
      grid([
        [0, 1, 0],
        [1, 7, 0],
        [0, 0, 0],
      ]),
      3,
    );
    expect(Array.from(v.subarray(2, 4))).toEqual([0, f32(-1 / 3)]);
    const w = stateToVector(
      grid([
        [0, 0, 0],
        [0, 7, 1],
        [0, 1, 0],
      ]),
      3,
    );
    expect(Array.from(w.subarray(2, 4))).toEqual([f32(1 / 3), 0]);
    // Euclidean, not Manhattan or row-major: from (0,0), (0,2) comes first and both are at Manhattan 2,
    // but (1,1) is nearer (√2 < 2).
    const u = stateToVector(
      grid([
        [7, 0, 1, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ]),
      4,
    );
    expect(Array.from(u.subarray(2, 5))).toEqual([f32(1 / 4), f32(1 / 4), f32(Math.SQRT2 / (Math.SQRT2 * 4))]);
    // Two 7s: the first in row-major order is the agent.
    const t = stateToVector(
      grid([
        [0, 0, 7],
        [7, 0, 0],
        [0, 0, 0],
      ]),
      3,
    );
    expect(Array.from(t.subarray(0, 2))).toEqual([f32(2 / 3), 0]);
  });

  it("truncates the tail to the 50 smallest distances (62 golds on 8×8) and keeps the raw count", () => {
    const rows = Array.from({length: 8}, () => Array(8).fill(1));
    rows[0][0] = 7;
    rows[7][7] = 10;
    const v = stateToVector(grid(rows), 8);
    expect(v[5]).toBe(62);
    // From (0,0) there are d+1 cells at distance d ≤ 7, then 7, 6, 5, … : 2+3+4+5+6+7+8+7+6 = 48, then 2 at 10.
    const expected: number[] = [];
    for (const [d, k] of [
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
      [6, 7],
      [7, 8],
      [8, 7],
      [9, 6],
      [10, 2],
    ])
      for (let i = 0; i < k; i++) expected.push(f32(d / 16));
    expect(Array.from(v.subarray(HEAD_LEN))).toEqual(expected);
  });

  it("uses GMAX = 200 on 64×64 only", () => {
    expect(featureDim(16)).toBe(FEATURE_DIM);
    expect(featureDim(32)).toBe(70);
    expect(featureDim(64)).toBe(220);
    const g = new Int8Array(64 * 64);
    g[0] = 7;
    expect(stateToVector(g, 64).length).toBe(220);
  });

  it("matches float32 bit patterns from an independent numpy implementation (golden fixture)", () => {
    const path = new URL("./fixtures/state-vectors.json", import.meta.url);
    const cases: {n: number; grid: number[]; hs: number | null; bits: number[]}[] = JSON.parse(readFileSync(path, "utf8"));
    expect(cases.length).toBe(24);
    for (const c of cases) {
      const v = stateToVector(Int8Array.from(c.grid), c.n, c.hs);
      expect(Array.from(new Uint32Array(v.buffer))).toEqual(c.bits);
    }
  });

  it("rejects bad input with RangeError", () => {
    expect(() => stateToVector(new Int8Array(8), 3)).toThrow(RangeError);
    expect(() => stateToVector(new Int8Array(9), 3)).toThrow(/no agent/);
    expect(() => stateToVector(g1, 5, Number.NaN)).toThrow(/invalid hazardSteps/);
  });
});

describe("episodeFeatures(env, actions) and transitionsFrom(features)", () => {
  //   S g . B .
  //   . g L . .
  //   . . . H .
  //   . . . . .
  //   . . . . E
  const L = L5;

  it("returns T+1 rows; gold count, lever flag and hazard steps follow the episode", () => {
    const env = new GridWorld(L, "path");
    const f = episodeFeatures(env, [RIGHT, DOWN, RIGHT, DOWN, RIGHT]); // … → lever → (2,2) → hazard (2,3)
    expect(f.rows).toBe(6);
    expect(f.dim).toBe(70);
    const col = (k: number) => Array.from({length: f.rows}, (_, t) => f.data[t * f.dim + k]);
    // Gold disappears from the grid for every reward system (here "path"): the agent covers it, then 0.
    expect(col(5)).toEqual([2, 1, 0, 0, 0, 0]);
    expect(col(16)).toEqual([0, 0, 0, 1, 1, 1]); // lever flag once the lever cell is cleared
    expect(col(19)).toEqual([0, 0, 0, 0, 0, f32(1 / 25)]); // hazard count recorded at the final state
    expect(col(0)).toEqual([0, f32(1 / 5), f32(1 / 5), f32(2 / 5), f32(2 / 5), f32(3 / 5)]);
    // Row 0 equals the featurised reset grid.
    env.reset();
    expect(Array.from(f.data.subarray(0, 70))).toEqual(Array.from(stateToVector(env.renderGrid(), 5, 0)));
    expect(() => episodeFeatures(env, [RIGHT, DOWN, RIGHT, DOWN, RIGHT, RIGHT])).toThrow(/ended after step 5/);
    expect(() => episodeFeatures(env, [4])).toThrow(RangeError);
  });

  it("pairs consecutive rows; a blocked move gives s = s'", () => {
    const f = episodeFeatures(new GridWorld(L, "gold"), [RIGHT, RIGHT, RIGHT]); // third move hits the block
    const t = transitionsFrom(f);
    expect(t.n).toBe(3);
    expect(Array.from(t.s.subarray(70, 140))).toEqual(Array.from(f.data.subarray(70, 140)));
    expect(Array.from(t.next.subarray(0, 70))).toEqual(Array.from(f.data.subarray(70, 140)));
    expect(Array.from(t.next.subarray(140, 210))).toEqual(Array.from(t.s.subarray(140, 210)));
    expect(transitionsFrom({data: new Float32Array(70), rows: 1, dim: 70}).n).toBe(0);
    expect(() => transitionsFrom({data: new Float32Array(69), rows: 1, dim: 70})).toThrow(RangeError);
  });
});
