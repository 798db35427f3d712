// Tests that kill the mutants StrykerJS left alive in lib/lever/compose/exnonzero.ts (`npm run mutate -- --mutate
// lib/lever/compose/exnonzero.ts`), and the checks of issue 14 item 1: steps 1–4 against a plain second model of
// spec §7.2 (exnonzero-model.ts) on grid16 seed 0, with targeted_pruned_pct pinned by it, and a graph whose bounds
// tie (U = L) only after the 2-dp rounding. The equivalent survivors are listed with their reason in test/MUTANTS.md.
import {describe, expect, it} from "vitest";
import {backtrackBounds, exNonZero, pruneEdges, unionCounts, type ExNonZeroOptions, type PlanCache} from "../../../lib/lever/compose/exnonzero.js";
import {Rng} from "../../../lib/core/rng.js";
import {GridWorld} from "../../../lib/lever/env/gridworld.js";
import {sampleLayout, type Layout} from "../../../lib/lever/env/layout.js";
import {optimum} from "../../../lib/lever/env/optimum.js";
import {trainRun} from "../../../lib/lever/library/runs.js";
import {C16, DOWN, DOWN2, GRID16_SHORT_RUN, L5, RIGHT, RIGHT2} from "../fixtures.js";
import {exNonZeroModel} from "./exnonzero-model.js";

describe("pruneEdges(env, union, bounds): a node compares only its own successors (spec §7.2 step 4)", () => {
  // On L5, with bounds chosen by hand (U = 10, L = 0 unless set): the start S = (0,0) has 3 successors and prunes
  // S→(0,2) (U 10 ≤ L(S→(0,1)) 10); then (1,0) has 2. A loop that also read a third successor slot at (1,0) would
  // see S's stale edge S→(0,2), enqueue (0,2), and prune there too ((0,2)→(2,2): U 10 ≤ L((0,2)→(1,2)) 10).
  const env = new GridWorld(L5, "path");
  const e = (r: number, c: number, a: number) => (r * 5 + c) * 4 + a;
  const union = new Float64Array(25 * 4);
  const upper = new Float64Array(25 * 4).fill(10);
  const lower = new Float64Array(25 * 4);
  for (const edge of [e(0, 0, RIGHT), e(0, 0, DOWN), e(0, 0, RIGHT2), e(1, 0, RIGHT), e(1, 0, DOWN), e(0, 2, DOWN), e(0, 2, DOWN2)]) union[edge] = 1;
  lower[e(0, 0, RIGHT)] = 10;
  upper[e(0, 0, DOWN)] = 20;
  lower[e(0, 2, DOWN)] = 10;
  upper[e(0, 2, DOWN)] = 20;
  const pr = pruneEdges(env, union, {upper, lower});

  it("prunes only S→(0,2); (0,2) is never explored, so its edges stay", () => {
    expect(pr.allowed[e(0, 0, RIGHT2)]).toBe(0);
    expect(pr.allowed[e(0, 2, DOWN)]).toBe(1);
    expect(pr.allowed[e(0, 2, DOWN2)]).toBe(1);
    expect(pr.edgesBefore).toBe(7);
    expect(pr.edgesAfter).toBe(6);
    expect(pr.prunedPct).toBe(14.29);
  });

  it("pops S, then (1,0) and (0,1) (S's survivors), then (2,0) and (1,1): 5 pops", () => {
    expect(pr.pops).toBe(5);
  });
});

describe("pruneEdges: the queued-copies counter (a node already queued is not queued again by a comparison)", () => {
  // On L5 with U = 10, L = 0 everywhere nothing is pruned and every compared successor is enqueued. (2,2) is
  // queued by (0,2)'s comparisons, pushed again by (2,0), its only predecessor with one successor (pushed with no
  // check, as the reference does), then compared by (1,2) while both copies wait: a counter that lost the push
  // (or counted the first copy wrongly) would queue it a third time.
  const env = new GridWorld(L5, "path");
  const e = (r: number, c: number, a: number) => (r * 5 + c) * 4 + a;
  const union = new Float64Array(25 * 4);
  const edges = [e(0, 0, RIGHT), e(0, 0, DOWN), e(0, 0, RIGHT2), e(0, 0, DOWN2), e(1, 0, RIGHT), e(1, 0, RIGHT2), e(0, 2, DOWN), e(0, 2, DOWN2), e(2, 0, RIGHT2), e(1, 2, RIGHT), e(1, 2, DOWN)];
  for (const edge of edges) union[edge] = 1;
  const pr = pruneEdges(env, union, {upper: new Float64Array(25 * 4).fill(10), lower: new Float64Array(25 * 4)});

  it("keeps every edge and pops S, (1,0), (0,2), (2,0), (0,1), (1,2), (1,1), (2,2) twice, (1,3): 10 pops", () => {
    expect(pr.edgesBefore).toBe(edges.length);
    expect(pr.edgesAfter).toBe(edges.length);
    expect(pr.prunedPct).toBe(0);
    expect(pr.pops).toBe(10);
  });
});

describe("ExNonZero steps 1–4 on grid16 seed 0 against a plain model of spec §7.2 (test/lever/compose/exnonzero-model.ts)", () => {
  // The libraries of exnonzero.test.ts (SARSA, path and gold, 5000 episodes, seed 0). The model is a second,
  // plain implementation written from the spec (maps, its own §1.3 rewards and gold/lever state, Math's `**`):
  // it agrees with the code on every bound, reward, evaluation order, surviving edge and pop count.
  const base = GRID16_SHORT_RUN;
  const libs = ["path", "gold"].map((reward) => trainRun({...base, reward, seed: 0}).countsFinal);
  const layout = sampleLayout(16, 0, C16);
  const variants: [string, boolean, ExNonZeroOptions][] = [];
  for (const setup of ["path-gold", "path-gold-hazard", "path-gold-hazard-lever"])
    for (const legacy of [true, false]) for (const statefulBounds of [true, false]) for (const lowerMin of ["all", "tried"] as const) variants.push([setup, legacy, {statefulBounds, lowerMin}]);
  variants.push(["path-gold-hazard-lever", true, {alpha: 0.5, gamma: 0.9}], ["path-gold-hazard", false, {alpha: 1, gamma: 0.5}]);

  for (const [setup, legacy, options] of variants) {
    it(`${setup}, ${legacy ? "legacy" : "fractional"} penalty, ${JSON.stringify(options)}`, () => {
      const env = new GridWorld(layout, setup, {goldPenalty: legacy ? "legacy" : "fractional"});
      const m = exNonZeroModel(layout, setup, libs, {legacy, ...options});
      const union = unionCounts(env, libs);
      const b = backtrackBounds(env, union, options);
      expect(Array.from(b.topo)).toEqual(m.topo);
      expect(Array.from(b.order)).toEqual(m.order);
      for (let e = 0; e < union.length; e++) {
        expect(union[e]).toBe(m.edges.find((x) => x.s * 4 + x.a === e)?.count ?? 0);
        expect([b.reached[e], b.reward[e], b.upper[e], b.lower[e]]).toEqual([m.upper.has(e) ? 1 : 0, m.reward.get(e) ?? 0, m.upper.get(e) ?? 0, m.lower.get(e) ?? 0]);
      }
      const p = pruneEdges(env, union, b);
      expect([p.edgesBefore, p.edgesAfter, p.pops, p.prunedPct]).toEqual([m.edges.length, m.kept.size, m.pops, m.prunedPct]);
      for (let e = 0; e < union.length; e++) expect(p.allowed[e]).toBe(m.kept.has(e) ? 1 : 0);
      const r = exNonZero(env, libs, options);
      expect([r.prunedPct, r.edgesBefore, r.edgesAfter, r.pops]).toEqual([m.prunedPct, m.edges.length, m.kept.size, m.pops]);
      // The DP runs on the model's surviving edges.
      expect(r.reward).toBe(optimum(env, {allowed: Uint8Array.from(union, (_, e) => (m.kept.has(e) ? 1 : 0))}).reward);
    });
  }

  // Random unions over every legal move of the layout (the first complete): edges out of hazard cells (scored without
  // the −100), into the lever, nodes with all 4 actions tried (min nmin = 1), counts up to 200.
  for (const [i, p] of [1, 0.9, 0.6].entries()) {
    for (const setup of ["path-gold-hazard-lever", "gold-hazard", "lever"]) {
      it(`a random union (${p} of the legal moves), ${setup}`, () => {
        const env = new GridWorld(layout, setup, {goldPenalty: "fractional"});
        const rng = new Rng(21, i);
        const counts = Uint32Array.from(env.next, (t) => (t >= 0 && rng.next() < p ? 1 + rng.int(200) : 0));
        for (const lowerMin of ["all", "tried"] as const) {
          const m = exNonZeroModel(layout, setup, [counts], {legacy: false, lowerMin});
          const union = unionCounts(env, [counts]);
          const b = backtrackBounds(env, union, {lowerMin});
          expect(Array.from(b.topo)).toEqual(m.topo);
          expect(Array.from(b.order)).toEqual(m.order);
          for (let e = 0; e < union.length; e++) expect([b.reward[e], b.upper[e], b.lower[e]]).toEqual([m.reward.get(e) ?? 0, m.upper.get(e) ?? 0, m.lower.get(e) ?? 0]);
          const r = exNonZero(env, [counts], {lowerMin});
          expect([r.prunedPct, r.edgesAfter, r.pops]).toEqual([m.prunedPct, m.kept.size, m.pops]);
          expect(r.reward).toBe(optimum(env, {allowed: Uint8Array.from(union, (_, e) => (m.kept.has(e) ? 1 : 0))}).reward);
        }
      });
    }
  }

  it("prune: false runs the DP on the whole union: no pops, nothing pruned, the union's edges counted", () => {
    const env = new GridWorld(layout, "path-gold-hazard-lever", {goldPenalty: "legacy"});
    const m = exNonZeroModel(layout, "path-gold-hazard-lever", libs, {legacy: true});
    const r = exNonZero(env, libs, {prune: false});
    expect([r.edgesBefore, r.edgesAfter, r.prunedPct, r.pops, r.options.prune]).toEqual([m.edges.length, m.edges.length, 0, 0, false]);
    expect(r.reward).toBe(optimum(env, {allowed: Uint8Array.from(unionCounts(env, libs), (c) => (c > 0 ? 1 : 0))}).reward);
  });

  it("pins targeted_pruned_pct for the faithful setting (P+G+H+L, legacy penalty): 9.83 % of 651 edges, from the model", () => {
    const env = new GridWorld(layout, "path-gold-hazard-lever", {goldPenalty: "legacy"});
    const m = exNonZeroModel(layout, "path-gold-hazard-lever", libs, {legacy: true});
    expect([m.prunedPct, m.edges.length]).toEqual([9.83, 651]);
    expect(exNonZero(env, libs).prunedPct).toBe(m.prunedPct);
  });
});

describe("ExNonZero on a hand-made DAG whose bounds tie only after 2-dp rounding (issue 14: U = L)", () => {
  // The 3×3 DAG of exnonzero.test.ts with other counts (path-gold, legacy: step −1.01, exit 100 − 20 − 1.01):
  //   S . .     0→1 ×4, 0→3 ×2, 0→6 ×1 (hazard), 1→4 ×3, 3→4 ×2 (gold), 4→5 ×5, 4→7 ×11, 5→8 ×5, 7→8 ×6.
  //   . g .     U(4→7) = −1.01·(1 − 0.9¹¹) + 0.099·6 = −0.0990513… → −0.1
  //   H . E     L(4→5) = −1.01·0.1 + 0.099·0        = −0.101       → −0.1   (the min over all 4 actions at 5 is 0)
  // The raw values differ; rounded they are equal, and U ≤ L prunes 4→7 (a strict < would keep it).
  const TINY: Layout = {size: 3, start: [0, 0], exit: [2, 2], golds: [[1, 1]], blocks: [], hazards: [[2, 0]], lever: null};
  const ed = (s: number, a: number) => s * 4 + a;
  const edges: [number, number, number][] = [
    [0, RIGHT, 4],
    [0, DOWN, 2],
    [0, DOWN2, 1],
    [1, DOWN, 3],
    [3, RIGHT, 2],
    [4, RIGHT, 5],
    [4, DOWN, 11],
    [5, DOWN, 5],
    [7, RIGHT, 6],
  ];
  const counts = new Uint32Array(9 * 4);
  for (const [s, a, n] of edges) counts[ed(s, a)] = n;
  const env = new GridWorld(TINY, "path-gold", {goldPenalty: "legacy"});
  const union = unionCounts(env, [counts]);
  const b = backtrackBounds(env, union);

  it("U(4→7) = L(4→5) = −0.1 after rounding, from unequal raw values", () => {
    const rawU = -1.01 * (1 - 0.9 ** 11) + 0.099 * 6;
    const rawL = -1.01 * 0.1;
    expect(Math.abs(rawU - rawL)).toBeGreaterThan(1e-3);
    expect(b.upper[ed(4, DOWN)]).toBe(-0.1);
    expect(b.lower[ed(4, RIGHT)]).toBe(-0.1);
    expect(b.upper[ed(4, RIGHT)]).toBe(0.08); // −1.01·(1 − 0.9⁵) + 0.099·5 = 0.0813…: 4→5 stays
    expect(b.lower[ed(4, DOWN)]).toBe(-0.1);
  });

  it("pruning removes 4→7 (and 0→1, U −0.05 ≤ L(0→6) = 0): 2 of 9 edges, 22.22 %; the path goes through 5", () => {
    const p = pruneEdges(env, union, b);
    expect([p.allowed[ed(4, DOWN)], p.allowed[ed(4, RIGHT)], p.allowed[ed(0, RIGHT)]]).toEqual([0, 1, 0]);
    expect([p.edgesBefore, p.edgesAfter, p.prunedPct]).toEqual([9, 7, 22.22]);
    const m = exNonZeroModel(TINY, "path-gold", [counts], {legacy: true});
    expect([m.kept.size, m.prunedPct, m.pops]).toEqual([7, 22.22, p.pops]);
    const r = exNonZero(env, [counts]);
    expect(r.path).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 2],
    ]);
    expect(r.prunedPct).toBe(22.22);
  });
});

describe("ExNonZero: counts at and beyond the 2¹⁶ entries of the power tables, and α = 1 (α − 1 = 0)", () => {
  // A 3×3 DAG, 0→1→2→5→8 and 0→3→4→5 (path), with counts around 2¹⁶ on some edges: the tabulated powers of −1 and
  // α − 1 (exponents below 2¹⁶) and the direct ones (at and above it; always for α = 1) agree with the model's `**`.
  const TINY: Layout = {size: 3, start: [0, 0], exit: [2, 2], golds: [], blocks: [], hazards: [], lever: null};
  const ed = (s: number, a: number) => s * 4 + a;
  for (const big of [65535, 65536, 65537, 200000]) {
    for (const alpha of [0.1, 0.7, 1]) {
      it(`count ${big}, α = ${alpha}`, () => {
        const counts = new Uint32Array(9 * 4);
        for (const [s, a, n] of [
          [0, RIGHT, big],
          [1, RIGHT, 3],
          [2, DOWN, big + 1],
          [5, DOWN, 2],
          [0, DOWN, 1],
          [3, RIGHT, big - 1],
          [4, RIGHT, 4],
        ] as [number, number, number][])
          counts[ed(s, a)] = n;
        const env = new GridWorld(TINY, "path");
        const b = backtrackBounds(env, unionCounts(env, [counts]), {alpha, gamma: 0.9});
        const m = exNonZeroModel(TINY, "path", [counts], {legacy: false, alpha, gamma: 0.9});
        for (const [e, u] of m.upper) expect([e, b.upper[e], b.lower[e]]).toEqual([e, u, m.lower.get(e)]);
        expect(m.upper.size).toBe(7);
      });
    }
  }
});

describe("ExNonZero input checks: one-line RangeErrors naming what is accepted", () => {
  const env = new GridWorld(L5, "path");
  const union = new Float64Array(25 * 4);
  union[0] = 1;
  const counts = [Uint32Array.from(union)];
  const bounds = {upper: new Float64Array(100), lower: new Float64Array(100)};

  it("options", () => {
    expect(() => exNonZero(env, counts, null as never)).toThrow(new RangeError("invalid ExNonZero options: expected an object"));
    expect(() => exNonZero(env, counts, 3 as never)).toThrow(new RangeError("invalid ExNonZero options: expected an object"));
    expect(() => exNonZero(env, counts, {prune: 1 as never})).toThrow(new RangeError("invalid prune: 1 (accepted: true, false)"));
    expect(() => exNonZero(env, counts, {statefulBounds: "no" as never})).toThrow(new RangeError('invalid statefulBounds: "no" (accepted: true, false)'));
    expect(() => exNonZero(env, counts, {lowerMin: "min" as never})).toThrow(new RangeError('invalid lowerMin: "min" (accepted: all, tried)'));
    for (const alpha of [0, -0.1, 1.5, Number.NaN, "0.1"]) expect(() => exNonZero(env, counts, {alpha: alpha as never})).toThrow(new RangeError(`invalid alpha: ${alpha} (accepted: 0 < alpha ≤ 1)`));
    for (const gamma of [-0.01, 1.01, Number.NaN, "1"]) expect(() => exNonZero(env, counts, {gamma: gamma as never})).toThrow(new RangeError(`invalid gamma: ${gamma} (accepted: 0 ≤ gamma ≤ 1)`));
    // The boundaries are accepted, and the defaults are the reference's.
    expect(exNonZero(env, counts, {alpha: 1, gamma: 0}).options).toEqual({prune: true, statefulBounds: true, lowerMin: "all", alpha: 1, gamma: 0});
    expect(exNonZero(env, counts, {gamma: 1, lowerMin: "tried", statefulBounds: false, prune: false}).options).toEqual({prune: false, statefulBounds: false, lowerMin: "tried", alpha: 0.1, gamma: 1});
    expect(exNonZero(env, counts).options).toEqual({prune: true, statefulBounds: true, lowerMin: "all", alpha: 0.1, gamma: 0.99});
    expect(() => backtrackBounds(env, union, {alpha: 2})).toThrow(/^invalid alpha: 2/);
  });

  it("the union, the bounds and the plan cache", () => {
    expect(() => backtrackBounds(env, [0, 1] as never)).toThrow(new RangeError("invalid union: expected a Float64Array (from unionCounts)"));
    expect(() => backtrackBounds(env, new Float64Array(36))).toThrow(new RangeError("counts shape mismatch: 25×4 vs 9×4 (env vs union)"));
    expect(() => pruneEdges(env, new Float64Array(36), bounds)).toThrow(/^counts shape mismatch: 25×4 vs 9×4/);
    const msg = new RangeError("invalid bounds: expected {upper, lower} Float64Arrays of 100 values (from backtrackBounds)");
    expect(() => pruneEdges(env, union, undefined as never)).toThrow(msg);
    expect(() => pruneEdges(env, union, {upper: [] as never, lower: bounds.lower})).toThrow(msg);
    expect(() => pruneEdges(env, union, {upper: bounds.upper, lower: [] as never})).toThrow(msg);
    expect(() => pruneEdges(env, union, {upper: new Float64Array(99), lower: bounds.lower})).toThrow(msg);
    expect(() => pruneEdges(env, union, {upper: bounds.upper, lower: new Float64Array(101)})).toThrow(msg);
    expect(pruneEdges(env, union, bounds).edgesBefore).toBe(1);
    expect(() => exNonZero(env, counts, {}, {} as never)).toThrow(new RangeError("invalid plan cache: expected a Map"));
    expect(() => unionCounts(env, [new Uint32Array(36)])).toThrow(/^counts shape mismatch/);
  });
});

describe("ExNonZero timings: the two timers split the call's own wall time", () => {
  it("unionBoundsPruneMs + dpMs lies within the time measured around the call, both ≥ 0", () => {
    const env = new GridWorld(L5, "path-gold");
    const counts = Uint32Array.from(env.next, (t) => (t >= 0 ? 2 : 0));
    for (const plans of [undefined, new Map()]) {
      const a = performance.now();
      const r = exNonZero(env, [counts], {}, plans);
      const b = performance.now();
      expect(r.unionBoundsPruneMs).toBeGreaterThanOrEqual(0);
      expect(r.dpMs).toBeGreaterThanOrEqual(0);
      expect(r.unionBoundsPruneMs + r.dpMs).toBeLessThanOrEqual(b - a);
    }
  });
});

describe("ExNonZero without a route: done is false even when step 3 entered the exit", () => {
  // 0→1 from the start, and 7→8 into the exit, unconnected: step 3 evaluates 7→8 on the shared env (which sets
  // its done flag), but the start reaches no terminal cell: found false, done false — with and without a plan cache.
  const TINY: Layout = {size: 3, start: [0, 0], exit: [2, 2], golds: [[1, 1]], blocks: [], hazards: [[2, 0]], lever: null};
  const env = new GridWorld(TINY, "path-gold");
  const counts = new Uint32Array(9 * 4);
  counts[0 * 4 + RIGHT] = 2;
  counts[7 * 4 + RIGHT] = 3;

  it("reports found: false, done: false, reward NaN, no states", () => {
    const plans: PlanCache = new Map();
    for (const r of [exNonZero(env, [counts]), exNonZero(env, [counts], {}, plans), exNonZero(env, [counts], {}, plans)]) {
      expect([r.found, r.done, r.steps, r.states.length, r.path.length, r.dpValue]).toEqual([false, false, 0, 0, 0, -Infinity]);
      expect(r.reward).toBeNaN();
    }
    expect(plans.size).toBe(1);
  });
});
