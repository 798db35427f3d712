// Tests that kill the mutants StrykerJS left alive in the pruning BFS of lib/lever/compose/exnonzero.ts
// (`npm run mutate -- --mutate lib/lever/compose/exnonzero.ts:336-383`); the equivalent ones and the ones left
// alive are listed with their reason in test/MUTANTS.md.
import {describe, expect, it} from "vitest";
import {pruneEdges} from "../../../lib/lever/compose/exnonzero.js";
import {GridWorld} from "../../../lib/lever/env/gridworld.js";
import {DOWN, DOWN2, L5, RIGHT, RIGHT2} from "../fixtures.js";

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
