import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {_exNonZero, backtrackBounds, exNonZero, pruneEdges, topologicalPositions, unionCounts, type PlanCache} from "../../../lib/lever/compose/exnonzero.js";
import {Rng} from "../../../lib/core/rng.js";
import {compose} from "../../../lib/lever/compose/compose.js";
import {roundPy2} from "../../../lib/core/py.js";
import {parseCsv} from "../../../lib/core/csv.js";
import {GridWorld, replay} from "../../../lib/lever/env/gridworld.js";
import type {Layout} from "../../../lib/lever/env/layout.js";
import {sampleLayout} from "../../../lib/lever/env/layout.js";
import {trainRun} from "../../../lib/lever/library/runs.js";
import {optimum} from "../../../lib/lever/env/optimum.js";
import {REFERENCE} from "../../paths.js";
import {C16, GRID16_SHORT_RUN} from "../fixtures.js";

const TARGETS = ["path-gold", "path-gold-hazard", "path-gold-hazard-lever"] as const;
const RIGHT = 0,
  DOWN = 1,
  DOWN2 = 3;

// A 3×3 hand-made layout (S start, g gold, H hazard, E exit):
//   S . .        nodes: 0 1 2
//   . g .               3 4 5
//   H . E               6 7 8
const TINY: Layout = {size: 3, start: [0, 0], exit: [2, 2], golds: [[1, 1]], blocks: [], hazards: [[2, 0]], lever: null};
/** The hand-made DAG: [from, action, count]. */
const TINY_EDGES: [number, number, number][] = [
  [0, RIGHT, 4],
  [0, DOWN, 2],
  [0, DOWN2, 1], // 0→1, 0→3, 0→6 (hazard)
  [1, DOWN, 3],
  [3, RIGHT, 2], // 1→4, 3→4 (both into the gold)
  [4, RIGHT, 5],
  [4, DOWN, 1], // 4→5, 4→7
  [5, DOWN, 5],
  [7, RIGHT, 1], // 5→8, 7→8 (exit)
];
const e = (s: number, a: number) => s * 4 + a;

function tinyCounts(): Uint32Array {
  const c = new Uint32Array(9 * 4);
  for (const [s, a, n] of TINY_EDGES) c[e(s, a)] = n;
  return c;
}

describe("ExNonZero bounds and pruning on a hand-made DAG (spec §7.2 steps 2–4)", () => {
  // path-gold, legacy: step cost 1.01; gold +5; exit +100 − 20 (gold left) − 1.01 = 78.99.
  const env = new GridWorld(TINY, "path-gold", {goldPenalty: "legacy"});
  const union = unionCounts(env, [tinyCounts()]);

  it("topological positions follow networkx's Kahn generations", () => {
    // gen 0: 0, 2 (in-degree 0, index order); gen 1: 1, 3, 6; gen 2: 4; gen 3: 5, 7; gen 4: 8.
    expect(Array.from(topologicalPositions(env, union))).toEqual([0, 2, 1, 3, 5, 6, 4, 7, 8]);
  });

  it("U/L match hand-computed values (stateful rewards, α=0.1, γ=0.99, 2 dp)", () => {
    const b = backtrackBounds(env, union);
    // U = r(1 − 0.9^nmax) + 0.099·max_a' nmax[s'];  L = r(1 − 0.9^1) + 0.099·min over all 4 actions of nmin[s'] (= 0 here).
    const expected: [number, number, number, number, number][] = [
      // s, a,     r,     U,     L
      [7, RIGHT, 78.99, 7.9, 7.9], // 78.99·0.1
      [5, DOWN, 78.99, 32.35, 7.9], // 78.99·0.40951
      [4, DOWN, -1.01, 0, -0.1], // −0.101 + 0.099·1 = −0.002
      [4, RIGHT, -1.01, 0.08, -0.1], // −1.01·0.40951 + 0.099·5
      [3, RIGHT, 3.99, 1.25, 0.4], // first edge into the gold (higher topological position): 3.99·0.19 + 0.495
      [1, DOWN, -1.01, 0.22, -0.1], // the gold is gone: −1.01·0.271 + 0.495
      [0, DOWN, -1.01, 0.01, -0.1], // −1.01·0.19 + 0.099·2
      [0, RIGHT, -1.01, -0.05, -0.1], // −1.01·0.3439 + 0.099·3
    ];
    for (const [s, a, r, u, l] of expected) {
      expect(b.reached[e(s, a)]).toBe(1);
      expect(b.reward[e(s, a)]).toBeCloseTo(r, 10);
      expect(b.upper[e(s, a)]).toBeCloseTo(u, 10);
      expect(b.lower[e(s, a)]).toBeCloseTo(l, 10);
    }
    // The hazard head cannot reach the exit: its edge is never reached backwards and keeps bounds 0.
    expect([b.reached[e(0, DOWN2)], b.upper[e(0, DOWN2)], b.lower[e(0, DOWN2)]]).toEqual([0, 0, 0]);
    // Evaluation order: BFS from the exit, predecessors by descending topological position.
    expect(Array.from(b.order)).toEqual([e(7, RIGHT), e(5, DOWN), e(4, DOWN), e(4, RIGHT), e(3, RIGHT), e(1, DOWN), e(0, DOWN), e(0, RIGHT)]);
  });

  it("statefulBounds: false gives every edge into the gold its +5; lowerMin: tried takes the min over tried actions", () => {
    const fresh = backtrackBounds(env, union, {statefulBounds: false});
    expect(fresh.reward[e(1, DOWN)]).toBeCloseTo(3.99, 10);
    expect(fresh.upper[e(1, DOWN)]).toBeCloseTo(1.58, 10); // 3.99·0.271 + 0.495
    expect(fresh.lower[e(1, DOWN)]).toBeCloseTo(0.4, 10);
    const tried = backtrackBounds(env, union, {lowerMin: "tried"});
    expect(tried.lower[e(4, DOWN)]).toBeCloseTo(0, 10); // −0.101 + 0.099·1
    expect(tried.lower[e(5, DOWN)]).toBeCloseTo(7.9, 10); // the exit has no tried action: 0
  });

  it("pruning follows the reference BFS, including the zero bounds of unreached hazard edges", () => {
    const b = backtrackBounds(env, union);
    const p = pruneEdges(env, union, b);
    // At the start: U(0→1) = −0.05 ≤ L(0→6) = 0, so 0→1 goes; nothing else is dominated.
    expect(p.allowed[e(0, RIGHT)]).toBe(0);
    expect(p.edgesBefore).toBe(9);
    expect(p.edgesAfter).toBe(8);
    expect(p.prunedPct).toBe(11.11);
    // Pops: 0, 3, 6, 1, 4, 4 (1 has one successor and re-enqueues 4 unchecked), 7, 5, 8, 8.
    expect(p.pops).toBe(10);
    const r = exNonZero(env, [tinyCounts()]);
    expect(r.prunedPct).toBe(11.11);
    expect(r.reward).toBeCloseTo(-1.01 + 3.99 - 1.01 + 198.99, 10);
    expect(r.reward).toBe(optimum(env).reward);
    expect(r.path[0]).toEqual([0, 0]);
    expect(r.path.at(-1)).toEqual([2, 2]);
  });

  it("a tie U(j) = L(i) after 2-dp rounding prunes j (the reference's <=), a cent above keeps it", () => {
    // Node 4 has two successors (4→5, 4→7). Bounds as the reference rounds them (round(x, 2)):
    // U(4→7) = round(7.8049, 2) = 7.8 = round(7.7951, 2) = L(4→5), so 4→7 is dominated.
    const b = backtrackBounds(env, union);
    const upper = b.upper.slice();
    const lower = b.lower.slice();
    lower[e(4, RIGHT)] = roundPy2(7.7951);
    upper[e(4, RIGHT)] = 9;
    upper[e(4, DOWN)] = roundPy2(7.8049);
    lower[e(4, DOWN)] = 0;
    expect(upper[e(4, DOWN)]).toBe(lower[e(4, RIGHT)]);
    const tie = pruneEdges(env, union, {upper, lower});
    expect([tie.allowed[e(4, RIGHT)], tie.allowed[e(4, DOWN)]]).toEqual([1, 0]);
    upper[e(4, DOWN)] = roundPy2(7.8149);
    const above = pruneEdges(env, union, {upper, lower});
    expect([above.allowed[e(4, RIGHT)], above.allowed[e(4, DOWN)]]).toEqual([1, 1]);
    expect(tie.edgesAfter).toBe(above.edgesAfter - 1);
  });

  it("reports found: false (reward NaN) when the union has no route to a terminal cell, and 0% of an empty union", () => {
    const c = new Uint32Array(9 * 4);
    c[e(0, RIGHT)] = 3; // only 0→1
    const r = exNonZero(env, [c]);
    expect([r.found, r.done, r.steps, r.path.length, r.edgesBefore, r.edgesAfter, r.prunedPct]).toEqual([false, false, 0, 0, 1, 1, 0]);
    expect(r.reward).toBeNaN();
    const empty = exNonZero(env, [new Uint32Array(9 * 4)]);
    expect([empty.found, empty.edgesBefore, empty.prunedPct]).toEqual([false, 0, 0]);
  });

  it("rejects counts on moves that leave the grid or hit a block, wrong shapes, bad options and [v3]", () => {
    const bad = tinyCounts();
    bad[e(2, RIGHT)] = 1; // (0,2) → out of bounds
    expect(() => exNonZero(env, [bad])).toThrow(/^invalid counts 0: edge \(0,2\) action 0 leaves the grid or enters a block/);
    expect(() => exNonZero(env, [tinyCounts(), new Uint32Array(16 * 4)])).toThrow(/^counts shape mismatch: 9×4 vs 16×4/);
    expect(() => exNonZero(env, [])).toThrow(/invalid counts list/);
    expect(() => exNonZero(env, [tinyCounts()], {prune: "yes" as never})).toThrow(/^invalid prune/);
    expect(() => exNonZero(env, [tinyCounts()], {lowerMin: "some" as never})).toThrow(/^invalid lowerMin/);
    const v3 = new GridWorld(sampleLayout(8, 0, {golds: 6, blocks: 4, hazards: 4}, "v3"), "path", {variant: "v3"});
    expect(() => exNonZero(v3, [new Uint32Array(64 * 4)])).toThrow(/^invalid variant for ExNonZero: v3/);
  });
});

describe("roundPy2 = Python's round(x, 2)", () => {
  it("matches CPython on ties and near-ties", () => {
    // [x, round(x, 2)] from CPython 3.
    const cases: [number, number][] = [
      [0.125, 0.12],
      [0.375, 0.38],
      [0.625, 0.62],
      [0.875, 0.88],
      [-0.125, -0.12],
      [-0.375, -0.38],
      [2.675, 2.67],
      [1.005, 1.0],
      [-0.002, -0],
      [0.0061, 0.01],
      [-0.050339, -0.05],
      [32.3471949, 32.35],
      [7.898999999999998, 7.9],
      [0.39899999999999997, 0.4],
      [100 / 9, 11.11],
      [200 / 3, 66.67],
      [2.5, 2.5],
      [-2.345, -2.35],
      [1234.565, 1234.57],
      [0.005, 0.01],
      [0.015, 0.01],
      [0.025, 0.03],
      [-0.005, -0.01],
    ];
    for (const [x, y] of cases) expect(roundPy2(x)).toBe(y);
  });
});

describe("ExNonZero on a complete library equals the optimum (spec §7.2, §9.4)", () => {
  const ref = new Map<string, number>();
  const csv = readFileSync(join(REFERENCE, "lever-results-16/exnonzero/X1/full_experiment_results_trivial.csv"), "utf8");
  for (const row of parseCsv(csv)) ref.set(`${row.setup}|${Number(row.seed)}`, Number(row.targeted_reward));

  /** Counts > 0 for every in-bounds, non-block move of the layout (varied, so nothing relies on equal counts). */
  function completeCounts(env: GridWorld): Uint32Array {
    const c = new Uint32Array(env.nStates * 4);
    for (let i = 0; i < c.length; i++) if (env.next[i] >= 0) c[i] = 1 + ((i * 7) % 13);
    return c;
  }

  it("the reference trivial CSV has 3 setups × 5 seeds", () => expect(ref.size).toBe(15));

  for (const seed of [0, 1, 2, 3, 4]) {
    for (const setup of TARGETS) {
      it(`pruning off: ${setup}, seed ${seed} (legacy penalty) = optimum() = the reference`, () => {
        const env = new GridWorld(sampleLayout(16, seed, C16), setup, {goldPenalty: "legacy"});
        const counts = completeCounts(env);
        // Split the library in two to exercise the union (the summed counts are the same).
        const half = counts.map((c, i) => (i % 2 ? c : 0));
        const rest = counts.map((c, i) => (i % 2 ? 0 : c));
        const r = exNonZero(env, [half, rest], {prune: false});
        const o = optimum(env);
        expect(r.found).toBe(true);
        expect(r.reward).toBe(o.reward);
        expect(r.reward).toBeCloseTo(ref.get(`${setup}|${seed}`)!, 6);
        expect(r.path).toEqual(o.path);
        expect([r.prunedPct, r.edgesAfter]).toEqual([0, r.edgesBefore]);
        expect(replay(env, Array.from(r.actions)).total).toBe(r.reward);
      });
    }
  }
});

describe("ExNonZero with pruning on trained libraries (spec §7.2)", () => {
  const base = GRID16_SHORT_RUN;
  for (const seed of [0, 3]) {
    const libs = ["path", "gold"].map((reward) => trainRun({...base, reward, seed}).countsFinal);
    const union = new Uint32Array(libs[0].length);
    for (const c of libs) for (let i = 0; i < c.length; i++) union[i] += c[i];

    for (const setup of TARGETS) {
      it(`${setup}, seed ${seed}: a valid start→exit path on the union, reward ≤ optimum`, () => {
        const env = new GridWorld(sampleLayout(16, seed, C16), setup, {goldPenalty: "legacy"});
        const r = exNonZero(env, libs);
        expect(r.found).toBe(true);
        expect(r.done).toBe(true);
        expect(r.path[0]).toEqual([0, 0]);
        expect(r.path.at(-1)).toEqual([15, 15]);
        expect(r.reward).toBeLessThanOrEqual(optimum(env).reward + 1e-9);
        expect(replay(env, Array.from(r.actions)).total).toBe(r.reward);
        // Every step moves along an edge of the union.
        for (let t = 0; t < r.steps; t++) {
          expect(union[r.states[t] * 4 + r.actions[t]]).toBeGreaterThan(0);
          expect(env.next[r.states[t] * 4 + r.actions[t]]).toBe(r.states[t + 1]);
        }
        expect(r.prunedPct).toBeGreaterThanOrEqual(0);
        expect(r.prunedPct).toBeLessThanOrEqual(100);
        expect(r.edgesAfter).toBeLessThanOrEqual(r.edgesBefore);
        expect(r.prunedPct).toBe(roundPy2((100 * (r.edgesBefore - r.edgesAfter)) / r.edgesBefore));
        expect(r.unionBoundsPruneMs).toBeGreaterThanOrEqual(0);
        expect(r.dpMs).toBeGreaterThanOrEqual(0);
        // compose() dispatches to the same computation.
        const c = compose({env, counts: libs}, {method: "exnonzero"});
        expect([c.method, c.reward, c.edgesAfter]).toEqual(["exnonzero", r.reward, r.edgesAfter]);
        // Pruning only removes edges: without it the DP can only do as well or better.
        expect(exNonZero(env, libs, {prune: false}).reward).toBeGreaterThanOrEqual(r.reward - 1e-9);
      });
    }
  }
});

describe("_exNonZero(env, countsList, options, plans): the plan cache", () => {
  it("gives the uncached result for every combination, and caches by pruned graph", () => {
    const env = new GridWorld(sampleLayout(16, 2, C16), "path-gold-hazard-lever", {goldPenalty: "legacy"});
    const rng = new Rng(11);
    const randomCounts = (p: number) => Uint32Array.from(env.next, (t) => (t >= 0 && rng.next() < p ? 1 + rng.int(50) : 0));
    const cache: PlanCache = new Map();
    const sets = Array.from({length: 6}, (_, i) => [randomCounts(0.9), randomCounts(i < 3 ? 0.95 : 0.5)]);
    for (const counts of [...sets, ...sets]) {
      const ref = _exNonZero(env, counts, {prune: true, statefulBounds: true, lowerMin: "all", alpha: 0.1, gamma: 0.99});
      const o = {prune: true, statefulBounds: true, lowerMin: "all", alpha: 0.1, gamma: 0.99} as const;
      for (const got of [_exNonZero(env, counts, o, cache), _exNonZero(env, counts, o)]) {
        expect(got.found).toBe(ref.found);
        expect(Array.from(got.actions)).toEqual(Array.from(ref.actions));
        expect(got.path).toEqual(ref.path);
        if (ref.found) expect(got.reward).toBe(ref.reward);
        else expect(Number.isNaN(got.reward)).toBe(true);
      }
    }
    expect(cache.size).toBeLessThanOrEqual(6);
  });
});
