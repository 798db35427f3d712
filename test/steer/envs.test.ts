// Tests for lib/steer/envs.ts (spec/steering.md §8.2): hand-checked ReachN and PointMaze steps, the
// coupled variant's rotation, seeded resets, the stored reference returns and the maze layout.
import {describe, expect, it} from "vitest";
import {Rng} from "../../lib/core/rng.js";
import {
  bfsDistances,
  determinant,
  makeMaze,
  makeReach,
  mazeReset,
  mazeStep,
  normalizedScore,
  REACH_NAMES,
  REACH_REFS,
  reachExpertAction,
  reachReset,
  reachStep,
  referenceReturns,
} from "../../lib/steer/envs.js";

describe("reachStep(env, state, action): hand-checked steps (§8.2 E1, dt 0.1, F 2, c 0.1)", () => {
  const env = makeReach("Reach2");
  it("from rest: v = dt·F·a, x = dt·v, r = −‖x−g‖ − 0.05‖a‖²", () => {
    const s = new Float64Array([0, 0, 0, 0, 0.5, 0]);
    const r = reachStep(env, s, [1, 0.5]);
    expect(Array.from(s)).toEqual([0.020000000000000004, 0.010000000000000002, 0.2, 0.1, 0.5, 0]);
    expect(r).toBeCloseTo(-Math.hypot(0.02 - 0.5, 0.01) - 0.05 * (1 + 0.25), 15);
  });
  it("drag: v ← 0.9·v with a = 0", () => {
    const s = new Float64Array([0, 0, 1, -0.5, 0, 0]);
    reachStep(env, s, [0, 0]);
    expect(s[2]).toBeCloseTo(0.9, 15);
    expect(s[3]).toBeCloseTo(-0.45, 15);
    expect(s[0]).toBeCloseTo(0.09, 15);
  });
  it("clips actions to [-1, 1] (§2.7), also in the action cost", () => {
    const a = new Float64Array([0, 0, 0, 0, 0, 0]);
    const b = new Float64Array(a);
    const ra = reachStep(env, a, [3, -2]);
    const rb = reachStep(env, b, [1, -1]);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(ra).toBe(rb);
  });
  it("a wall stops the point and zeroes that velocity component", () => {
    const s = new Float64Array([0.99, 0, 0.5, 0.3, 0, 0]);
    reachStep(env, s, [1, 0]);
    expect(s[0]).toBe(1);
    expect(s[2]).toBe(0);
    expect(s[3]).toBeCloseTo(0.27, 15);
  });
  it("rejects bad shapes and NaN actions", () => {
    expect(() => reachStep(env, new Float64Array(5), [0, 0])).toThrow(RangeError);
    expect(() => reachStep(env, new Float64Array(6), [0])).toThrow(/invalid action shape/);
    expect(() => reachStep(env, new Float64Array(6), [NaN, 0])).toThrow(/NaN/);
    expect(() => makeReach("Reach5" as never)).toThrow(/invalid reach variant/);
  });
});

describe("makeReach: variants and the coupled rotation", () => {
  it("dimensions 2/3/6/6/8, observation 3d", () => {
    expect(REACH_NAMES.map((n) => [makeReach(n).dim, makeReach(n).obsDim])).toEqual([
      [2, 6],
      [3, 9],
      [6, 18],
      [6, 18],
      [8, 24],
    ]);
  });
  it("Reach6c: B is a rotation (BBᵀ = I, det +1) and a = e0 pushes along B's first column", () => {
    const env = makeReach("Reach6c");
    const B = env.B;
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        let s = 0;
        for (let k = 0; k < 6; k++) s += B[i * 6 + k] * B[j * 6 + k];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
    expect(determinant(B, 6)).toBeCloseTo(1, 12);
    const s = new Float64Array(18);
    reachStep(env, s, [1, 0, 0, 0, 0, 0]);
    for (let i = 0; i < 6; i++) expect(s[6 + i]).toBeCloseTo(0.2 * B[i * 6], 15);
    // The expert inverts B: its push Kp(g−x) − Kd·v lands along (g − x).
    const t = new Float64Array(18);
    t[12] = 0.1; // g0 = 0.1, so Kp(g−x) = 0.4 e0, unclipped
    const a = new Float64Array(6);
    reachExpertAction(env, t, a);
    const u = new Float64Array(6);
    for (let i = 0; i < 6; i++) for (let k = 0; k < 6; k++) u[i] += B[i * 6 + k] * a[k];
    expect(u[0]).toBeCloseTo(0.4, 12);
    for (let i = 1; i < 6; i++) expect(u[i]).toBeCloseTo(0, 12);
  });
});

describe("reachReset(env, rng, state)", () => {
  it("is seeded: x, g uniform in [-1, 1), v = 0", () => {
    const env = makeReach("Reach8");
    const a = new Float64Array(24);
    const b = new Float64Array(24);
    reachReset(env, new Rng(5), a);
    reachReset(env, new Rng(5), b);
    expect(Array.from(a)).toEqual(Array.from(b));
    for (let i = 0; i < 8; i++) {
      expect(Math.abs(a[i])).toBeLessThanOrEqual(1);
      expect(a[8 + i]).toBe(0);
      expect(Math.abs(a[16 + i])).toBeLessThanOrEqual(1);
    }
  });
});

describe("reference returns (§8.2: 1,000 random / noise-free expert episodes, fixed seeds)", () => {
  it("the stored constants are exactly what referenceReturns recomputes", () => {
    for (const n of REACH_NAMES) expect(referenceReturns(makeReach(n))).toEqual(REACH_REFS[n]);
  });
  it("Reach2 matches the spec's sanity check (random ≈ −67.4, expert ≈ −9.2)", () => {
    expect(REACH_REFS.Reach2.random).toBeCloseTo(-67.4, 0);
    expect(Math.abs(REACH_REFS.Reach2.expert + 9.2)).toBeLessThan(0.5);
  });
  it("normalized score: random → 0, expert → 100; fresh expert episodes score ≈ 100", () => {
    const env = makeReach("Reach3");
    expect(normalizedScore(env, env.refs.random)).toBe(0);
    expect(normalizedScore(env, env.refs.expert)).toBe(100);
    const r = referenceReturns(env, 200, 7);
    expect(Math.abs(normalizedScore(env, r.expert) - 100)).toBeLessThan(3);
    expect(Math.abs(normalizedScore(env, r.random))).toBeLessThan(5);
  });
});

describe("PointMaze (§8.2 E2)", () => {
  const env = makeMaze();
  it("D4RL medium 8×8 layout, start (1,1), goal (6,6) at the cell centre, BFS distance 10", () => {
    expect([env.rows, env.cols]).toEqual([8, 8]);
    expect(Array.from(env.goal)).toEqual([6.5, 6.5]);
    const dist = bfsDistances(env, env.goalCell);
    expect(dist[1 * 8 + 1]).toBe(10);
    expect(dist[0]).toBe(-1);
  });
  it("free motion: one step from rest moves dt²·F·a", () => {
    const s = new Float64Array([1.5, 1.5, 0, 0]);
    expect(mazeStep(env, s, [1, 0])).toBe(0);
    expect(s[0]).toBeCloseTo(1.52, 15);
    expect(s[2]).toBeCloseTo(0.2, 15);
    expect(s[1]).toBe(1.5);
  });
  it("axis-separated collision: the blocked axis is undone and its velocity zeroed, the other moves", () => {
    // Cell (row 1, col 3) is a wall; moving right from x = 2.98 would enter it.
    const s = new Float64Array([2.98, 1.5, 0.5, 0.5]);
    mazeStep(env, s, [1, 0]);
    expect(s[0]).toBe(2.98);
    expect(s[2]).toBe(0);
    expect(s[3]).toBeCloseTo(0.45, 15);
    expect(s[1]).toBeCloseTo(1.545, 15);
  });
  it("reward 1 within 0.5 of the goal", () => {
    expect(mazeStep(env, new Float64Array([6.5, 6.1, 0, 0]), [0, 0])).toBe(1);
    expect(mazeStep(env, new Float64Array([6.5, 5.9, 0, 0]), [0, 0])).toBe(0);
  });
  it("seeded reset near the start cell centre", () => {
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    mazeReset(env, new Rng(3), a);
    mazeReset(env, new Rng(3), b);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Math.abs(a[0] - 1.5)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(a[1] - 1.5)).toBeLessThanOrEqual(0.1);
    expect(() => mazeReset(env, new Rng(3), a, 0, [0, 0])).toThrow(/wall/);
  });
});
