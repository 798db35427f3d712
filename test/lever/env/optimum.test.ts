import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {GridWorld, replay} from "../../../lib/lever/env/gridworld.js";
import {sampleLayout, type Layout} from "../../../lib/lever/env/layout.js";
import {layoutOptimum, optimum} from "../../../lib/lever/env/optimum.js";
import {REWARD_SYSTEMS} from "../../../lib/lever/env/rewards.js";
import {parseCsv} from "../../../lib/core/csv.js";
import {REFERENCE} from "../../paths.js";

/** Every (setup, seed) → composed ExNonZero reward in the reference's N×N CSVs (all modes and specs). */
function referenceOptima(size: 16 | 32): Map<string, number[]> {
  const REF = join(REFERENCE, `lever-results-${size}/exnonzero`);
  const out = new Map<string, number[]>();
  for (const spec of readdirSync(REF)) {
    for (const file of readdirSync(join(REF, spec))) {
      for (const row of parseCsv(readFileSync(join(REF, spec, file), "utf8"))) {
        const key = `${row.setup}|${Number(row.seed)}`;
        for (const col of ["targeted_reward", "exhaustive_reward", "hybrid_reward"]) {
          out.set(key, [...(out.get(key) ?? []), Number(row[col])]);
        }
      }
    }
  }
  return out;
}

describe("optimum over monotone paths (spec §7.2 step 5, §9.4)", () => {
  const ref = referenceOptima(16);
  it("the reference CSVs cover 3 setups × 5 seeds", () => {
    expect(ref.size).toBe(15);
  });
  for (const [key, values] of ref) {
    const [setup, seed] = key.split("|");
    it(`equals the reference ExNonZero reward: ${setup}, seed ${seed} (legacy penalty)`, () => {
      const env = new GridWorld(sampleLayout(16, Number(seed), {golds: 50, blocks: 25, hazards: 30}), setup, {goldPenalty: "legacy"});
      const res = optimum(env);
      for (const v of values) expect(res.reward).toBeCloseTo(v, 6);
      // The path is a real monotone route from start to exit, and replaying it gives the reward.
      expect(res.path[0]).toEqual([0, 0]);
      expect(res.path.at(-1)).toEqual([15, 15]);
      expect(replay(env, res.actions).total).toBe(res.reward);
    });
  }

  // 32×32 (spec §0, §9.4): the reference scored these with the fractional gold-exit penalty.
  const ref32 = referenceOptima(32);
  it("the 32×32 reference CSVs cover 3 setups × 5 seeds", () => {
    expect(ref32.size).toBe(15);
  });
  for (const [key, values] of ref32) {
    const [setup, seed] = key.split("|");
    it(`equals the reference ExNonZero reward on 32×32: ${setup}, seed ${seed} (fractional penalty)`, () => {
      const env = new GridWorld(sampleLayout(32, Number(seed), {golds: 50, blocks: 25, hazards: 30}), setup, {goldPenalty: "fractional"});
      const res = optimum(env);
      for (const v of values) expect(res.reward).toBeCloseTo(v, 6);
      expect(res.path.at(-1)).toEqual([31, 31]);
      expect(replay(env, res.actions).total).toBe(res.reward);
    });
  }

  /** Brute force: enumerate every sequence of actions whose moves stay in bounds and off blocks. */
  function bruteForce(env: GridWorld): number {
    let best = -Infinity;
    const walk = (actions: number[]) => {
      const r = replay(env, actions);
      const last = r.steps.at(-1);
      if (last?.done) {
        best = Math.max(best, r.total);
        return;
      }
      const pos = env.pos;
      for (let a = 0; a < 4; a++) if (env.next[pos * 4 + a] >= 0) walk([...actions, a]);
    };
    walk([]);
    return best;
  }

  it("equals brute-force enumeration on random small layouts for all 8 reward systems", () => {
    for (let trial = 0; trial < 6; trial++) {
      const layout: Layout = sampleLayout(5, trial, {golds: 4, blocks: 2, hazards: 3});
      for (const name of REWARD_SYSTEMS) {
        for (const gp of ["fractional", "legacy"] as const) {
          const env = new GridWorld(layout, name, {goldPenalty: gp});
          expect(optimum(env).reward).toBeCloseTo(bruteForce(env), 9);
        }
      }
    }
  });

  it("respects an allowed-edge mask (used by composition later)", () => {
    const env = new GridWorld(sampleLayout(5, 1, {golds: 4, blocks: 2, hazards: 3}), "path");
    const allowed = new Uint8Array(25 * 4);
    // Only "right" along row 0 and "down" along the last column.
    for (let c = 0; c < 4; c++) allowed[c * 4 + 0] = 1;
    for (let r = 0; r < 4; r++) allowed[(r * 5 + 4) * 4 + 1] = 1;
    const res = optimum(env, {allowed});
    for (let i = 0; i < res.actions.length; i++) {
      const [r, c] = res.path[i];
      expect(allowed[(r * 5 + c) * 4 + res.actions[i]]).toBe(1);
    }
  });

  it("rejects the cyclic [v3] graph", () => {
    const env = new GridWorld(sampleLayout(8, 0, {golds: 6, blocks: 4, hazards: 4}, "v3"), "path", {variant: "v3"});
    expect(() => optimum(env)).toThrow(/invalid variant for the optimum solver: v3/);
  });
});

describe("layoutOptimum(env): optimum() of a layout given by a user", () => {
  const corner = (hazards: Layout["hazards"], blocks: Layout["blocks"]): Layout => ({size: 4, start: [0, 0], exit: [3, 3], hazards, golds: [], blocks, lever: null});
  const firstMoves: Layout["hazards"] = [
    [0, 1],
    [1, 0],
    [0, 2],
    [2, 0],
  ];

  it("equals optimum() on sampled [main] layouts", () => {
    for (let seed = 0; seed < 3; seed++) {
      const env = new GridWorld(sampleLayout(16, seed, {golds: 50, blocks: 25, hazards: 30}), "path-gold-hazard-lever");
      expect(layoutOptimum(env)).toEqual(optimum(env));
    }
  });
  it("a monotone path to the exit that jumps over hazards counts", () => {
    const env = new GridWorld(
      corner(
        [
          [0, 1],
          [1, 0],
          [1, 1],
        ],
        [],
      ),
      "path",
    );
    const res = layoutOptimum(env);
    expect([
      [0, 2],
      [2, 0],
    ]).toContainEqual(res.path[1]); // the first move jumps
    expect(res.path.at(-1)).toEqual([3, 3]);
  });
  it("rejects a layout whose exit no monotone path reaches, where optimum() dies on a hazard or finds nothing", () => {
    const hazards = new GridWorld(corner(firstMoves, []), "path");
    expect(optimum(hazards).reward).toBe(-100);
    expect(() => layoutOptimum(hazards)).toThrow(/^the exit \[3, 3\] cannot be reached from the start \[0, 0\] by \[main\] moves \(right, down, right×2, down×2\) that avoid hazards and blocks$/);
    const blocks = new GridWorld(corner([], firstMoves), "path");
    expect(optimum(blocks).reward).toBeNaN();
    expect(() => layoutOptimum(blocks)).toThrow(RangeError);
  });
  it("rejects a [v3] layout read as [main], and a [v3] environment", () => {
    const layout = sampleLayout(8, 1, {golds: 6, blocks: 4, hazards: 4}, "v3");
    expect(() => layoutOptimum(new GridWorld(layout, "path"))).toThrow(
      /^not a \[main\] layout: start \[\d, \d\], exit \[\d, \d\] \(the exact solver needs start \[0, 0\] and exit \[7, 7\]; \[v3\] moves make the graph cyclic\)$/,
    );
    expect(() => layoutOptimum(new GridWorld(layout, "path", {variant: "v3"}))).toThrow(/invalid variant for the optimum solver: v3/);
  });
});
