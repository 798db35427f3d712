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
  LEDGE,
  ledgeFallCost,
  ledgeFallen,
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
  it("dimensions 2/3/6/6/8 (Ledge 3/6), observation 3d", () => {
    expect(REACH_NAMES.map((n) => [makeReach(n).dim, makeReach(n).obsDim])).toEqual([
      [2, 6],
      [3, 9],
      [6, 18],
      [6, 18],
      [8, 24],
      [3, 9],
      [6, 18],
    ]);
    expect(REACH_NAMES.map((n) => makeReach(n).ledge)).toEqual([false, false, false, false, false, true, true]);
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
    // (1,1) → (1,2) → (2,2) → (3,2) → (3,3) → (3,4) → (4,4) → (4,5) → (4,6) → (5,6) → (6,6): 10 moves.
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
  it("seeded reset near a given cell's centre", () => {
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    mazeReset(env, new Rng(3), a, 0, env.startCell);
    mazeReset(env, new Rng(3), b, 0, env.startCell);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Math.abs(a[0] - 1.5)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(a[1] - 1.5)).toBeLessThanOrEqual(0.1);
    expect(() => mazeReset(env, new Rng(3), a, 0, [0, 0])).toThrow(/wall/);
  });
  it("start cells: the open cells at least half the largest BFS distance from the goal, the D4RL start among them", () => {
    for (const name of ["maze-medium", "maze-large"] as const) {
      const m = makeMaze(name);
      const dist = bfsDistances(m, m.goalCell);
      const far = Math.max(...dist);
      const expected = openCellsFar(m, dist, far);
      expect(m.startCells.map((c) => [...c])).toEqual(expected);
      expect(m.startCells.some((c) => c[0] === m.startCell[0] && c[1] === m.startCell[1])).toBe(true);
    }
  });
  it("reset without a cell draws the start cell per episode (seeded): many episodes, several cells", () => {
    const m = makeMaze("maze-large");
    const s = new Float64Array(4);
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      mazeReset(m, new Rng(i), s);
      const cell = [Math.floor(s[1]), Math.floor(s[0])];
      expect(m.startCells.some((c) => c[0] === cell[0] && c[1] === cell[1])).toBe(true);
      seen.add(cell.join(","));
    }
    expect(seen.size).toBeGreaterThan(3);
    const a = new Float64Array(4);
    mazeReset(m, new Rng(7), a);
    mazeReset(m, new Rng(7), s);
    expect(Array.from(a)).toEqual(Array.from(s));
  });
});

function openCellsFar(m: ReturnType<typeof makeMaze>, dist: Int32Array, far: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) if (m.walls[r * m.cols + c] === 0 && dist[r * m.cols + c] >= far / 2) out.push([r, c]);
  return out;
}

describe("LedgeN (issue 13 §4): a cliff on axis 0", () => {
  const env = makeReach("Ledge3");
  it("reset: x_0 ∈ [-1, 0), goal g_0 on the lip 1 − [0.05, 0.3), other axes uniform in [-1, 1), v = 0", () => {
    const s = new Float64Array(9);
    for (let i = 0; i < 200; i++) {
      reachReset(env, new Rng(i), s);
      expect(s[0]).toBeGreaterThanOrEqual(-1);
      expect(s[0]).toBeLessThan(0);
      expect(s[6]).toBeGreaterThan(0.7);
      expect(s[6]).toBeLessThanOrEqual(0.95);
      for (const k of [1, 2, 7, 8]) expect(Math.abs(s[k])).toBeLessThanOrEqual(1);
      expect([s[3], s[4], s[5]]).toEqual([0, 0, 0]);
    }
    // Same uniforms as ReachN, mapped on axis 0 only.
    const r = new Float64Array(9);
    reachReset(makeReach("Reach3"), new Rng(5), r);
    reachReset(env, new Rng(5), s);
    expect(s[0]).toBeCloseTo((r[0] - 1) / 2, 15);
    expect(s[6]).toBeCloseTo(1 - (0.05 + (0.25 * (r[6] + 1)) / 2), 15);
    expect([s[1], s[2], s[7], s[8]]).toEqual([r[1], r[2], r[7], r[8]]);
  });
  it("a step over the edge is a fall: into the ravine at rest, −(2√d + 0.05·d) now and on every later step", () => {
    const cost = 2 * Math.sqrt(3) + 0.05 * 3;
    expect(ledgeFallCost(3)).toBeCloseTo(cost, 15);
    const s = new Float64Array([0.995, 0.2, 0, 0.5, 0.1, 0, 0.9, 0, 0]);
    expect(reachStep(env, s, [1, 0, 0])).toBeCloseTo(-cost, 15);
    expect(s[0]).toBe(LEDGE.ravine);
    expect([s[3], s[4], s[5]]).toEqual([0, 0, 0]);
    expect(ledgeFallen(env, s)).toBe(true);
    const before = Array.from(s);
    expect(reachStep(env, s, [-1, 1, 1])).toBeCloseTo(-cost, 15);
    expect(Array.from(s)).toEqual(before);
  });
  it("on the ledge it steps like ReachN; the other faces (and x_0 = −1) are walls", () => {
    const a = new Float64Array([0.5, 0.99, -0.2, 0.1, 0.5, 0, 0.9, 0, 0]);
    const b = Float64Array.from(a);
    expect(reachStep(env, a, [0.3, 1, 0])).toBe(reachStep(makeReach("Reach3"), b, [0.3, 1, 0]));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a[1]).toBe(1);
    const w = new Float64Array([-0.999, 0, 0, -0.5, 0, 0, 0.9, 0, 0]);
    reachStep(env, w, [-1, 0, 0]);
    expect(w[0]).toBe(-1);
    expect(ledgeFallen(env, w)).toBe(false);
  });
  it("the scripted expert never falls; uniform random actions sometimes do", () => {
    const s = new Float64Array(9);
    const act = new Float64Array(3);
    let expertFalls = 0;
    let randomFalls = 0;
    for (let e = 0; e < 100; e++) {
      reachReset(env, new Rng(e), s);
      for (let t = 0; t < env.horizon; t++) {
        reachExpertAction(env, s, act);
        reachStep(env, s, act);
      }
      if (ledgeFallen(env, s)) expertFalls++;
      const rng = new Rng(1000 + e);
      reachReset(env, rng, s);
      for (let t = 0; t < env.horizon; t++) reachStep(env, s, [2 * rng.next() - 1, 2 * rng.next() - 1, 2 * rng.next() - 1]);
      if (ledgeFallen(env, s)) randomFalls++;
    }
    expect(expertFalls).toBe(0);
    expect(randomFalls).toBeGreaterThan(0);
  });
});
