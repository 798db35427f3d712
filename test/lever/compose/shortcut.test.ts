import {describe, expect, it} from "vitest";
import {_backtrackBounds, _pruneEdges, _unionCounts, exNonZero} from "../../../lib/lever/compose/exnonzero.js";
import {GridWorld} from "../../../lib/lever/env/gridworld.js";
import {sampleLayout} from "../../../lib/lever/env/layout.js";
import {trainRun} from "../../../lib/lever/library/runs.js";
import {optimum} from "../../../lib/lever/env/optimum.js";
import {Rng} from "../../../lib/core/rng.js";

const counts = {golds: 50, blocks: 25, hazards: 30};

/** The DP on the pruned graph, computed directly (no shortcut). */
function direct(env: GridWorld, lists: Uint32Array[]) {
  const union = _unionCounts(lists);
  const b = _backtrackBounds(env, union, {prune: true, statefulBounds: true, lowerMin: "all", alpha: 0.1, gamma: 0.99});
  return optimum(env, {allowed: _pruneEdges(env, union, b.upper, b.lower).allowed});
}

describe("ExNonZero: reusing the full optimum when its path survives pruning is exact", () => {
  it("matches the pruned-graph DP on trained libraries (shortcut taken)", () => {
    const base = {
      specSet: "t",
      spec: "X1" as const,
      size: 16,
      variant: "main" as const,
      counts,
      episodes: 4000,
      epsDecay: 0.999,
      saveEvery: 1000,
      gamma: 0.99,
      alpha: 0.1,
      rule: "reference" as const,
      goldPenalty: "fractional" as const,
      keep: "policies" as const,
      trainSeed: 0,
    };
    for (const seed of [0, 2]) {
      const lists = ["path", "gold", "lever"].map((reward) => trainRun({...base, reward, seed}).countsFinal);
      for (const target of ["path-gold", "path-gold-hazard-lever"]) {
        const env = new GridWorld(sampleLayout(16, seed, counts), target, {goldPenalty: "legacy"});
        const d = direct(env, lists);
        const r = exNonZero(env, lists);
        expect(Array.from(r.actions)).toEqual(d.actions);
        expect(r.reward).toBe(d.reward);
      }
    }
  });

  it("matches the pruned-graph DP when pruning cuts the optimal route (fallback taken)", () => {
    const rng = new Rng(3);
    let cut = 0;
    for (const seed of [0, 1, 4]) {
      const env = new GridWorld(sampleLayout(16, seed, counts), "path-gold", {goldPenalty: "legacy"});
      const full = optimum(env);
      // Sparse synthetic counts (1–5 on a random 60 % of moves) make faithful pruning cut routes.
      const c = new Uint32Array(env.nStates * 4);
      for (let e = 0; e < c.length; e++) if (env.next[e] >= 0 && rng.next() < 0.6) c[e] = 1 + rng.int(5);
      const d = direct(env, [c]);
      const r = exNonZero(env, [c]);
      expect(Array.from(r.actions)).toEqual(d.actions);
      if (d.reward !== full.reward) cut++;
    }
    expect(cut).toBeGreaterThan(0);
  });
});
