// Tests that kill the mutants StrykerJS left alive in lib/lever/env/optimum.ts (`npm run mutate -- --mutate
// lib/lever/env/optimum.ts`); the equivalent ones are listed with their reason in test/MUTANTS.md. Expected
// values are derived by hand from spec/lever.md §1.2–§1.3 (rewards) and §7.2 step 5 (the stateful DP: start
// label (all gold, lever = false, or true without a lever), strict `>` for the best end and for relaxation).
import {describe, expect, it} from "vitest";
import {GridWorld, replay} from "../../../lib/lever/env/gridworld.js";
import {type Layout, sampleLayout} from "../../../lib/lever/env/layout.js";
import {fullOptimum, layoutOptimum, optimum, pathAllowed} from "../../../lib/lever/env/optimum.js";
import {REWARD_SYSTEMS} from "../../../lib/lever/env/rewards.js";
import {DOWN, DOWN2, RIGHT, RIGHT2} from "../fixtures.js";

const empty = (size: number, more: Partial<Layout> = {}): Layout => ({size, start: [0, 0], exit: [size - 1, size - 1], hazards: [], golds: [], blocks: [], lever: null, ...more});

describe("optimum(env): the DP value is the environment's reward of the path it returns", () => {
  it("value equals the replayed reward on sampled 5×5 layouts (all with a lever) for all 8 systems and both gold penalties", () => {
    for (let seed = 0; seed < 6; seed++) {
      const layout = sampleLayout(5, seed, {golds: 4, blocks: 2, hazards: 3});
      for (const name of REWARD_SYSTEMS) {
        for (const gp of ["fractional", "legacy"] as const) {
          const res = optimum(new GridWorld(layout, name, {goldPenalty: gp}));
          expect(res.value).toBeCloseTo(res.reward, 9);
        }
      }
    }
  });

  //   S B B g     The gold at (0,3) is walled in by blocks: every route reaches the exit with it missing.
  //   . . . B
  //   . . . .
  //   . . . E
  it("under the legacy penalty, an exit with gold left pays −20 in the DP as in the env (hand-computed)", () => {
    const walled = empty(4, {
      golds: [[0, 3]],
      blocks: [
        [0, 1],
        [0, 2],
        [1, 3],
      ],
    });
    const res = optimum(new GridWorld(walled, "path-gold", {goldPenalty: "legacy"}));
    // Four steps (the minimum from (0,0) to (3,3)), gold unreachable: 100 (path) − 20 (legacy) − 4·1.01.
    expect(res.actions.length).toBe(4);
    expect(res.reward).toBeCloseTo(100 - 20 - 4 * 1.01, 12);
    expect(res.value).toBeCloseTo(res.reward, 12);
  });

  it("an exit with every gold taken pays +100 in the DP as in the env (hand-computed)", () => {
    // 3×3, gold at (0,2): right×2 takes it (+5), down×2 exits with no gold left: +100 (path) +100 (gold).
    const res = optimum(new GridWorld(empty(3, {golds: [[0, 2]]}), "path-gold"));
    expect(res.actions).toEqual([RIGHT2, DOWN2]);
    expect(res.reward).toBeCloseTo(5 + 200 - 2 * 1.01, 12);
    expect(res.value).toBeCloseTo(res.reward, 12);
  });

  it("without a lever the start label has lever = true (spec §7.2 step 5), so under a lever reward the DP counts +80 at the exit where the env pays +20", () => {
    const env = new GridWorld(empty(3), "lever");
    const res = optimum(env);
    // right×2, down×2: two steps of 0.1; the env pays +20 at the exit (its flag starts false, §1.3).
    expect(res.actions).toEqual([RIGHT2, DOWN2]);
    expect(res.reward).toBeCloseTo(20 - 0.2, 12);
    expect(res.value).toBeCloseTo(80 - 0.2, 12);
  });

  it("a lever the monotone moves never reach (on cell 0, the start elsewhere) keeps the start label at lever = false", () => {
    const env = new GridWorld(empty(3, {start: [0, 1], lever: [0, 0]}), "lever");
    const res = optimum(env);
    expect(res.reward).toBeCloseTo(20 - 0.2, 12); // (0,1) → down×2 → right: +20 (lever not pulled) − 2·0.1
    expect(res.value).toBeCloseTo(res.reward, 12);
  });
});

describe("optimum(env): ties keep the first best end and the first parent (strict `>`, row-major then action order)", () => {
  it("3×3: right×2 then down×2, not down×2 then right×2 (both 98)", () => {
    const res = optimum(new GridWorld(empty(3), "path"));
    expect(res.actions).toEqual([RIGHT2, DOWN2]);
    expect(res.reward).toBe(98);
  });
  it("4×4: right, right×2, down, down×2 among the four-step paths (each label keeps its first parent)", () => {
    // Ends into (3,3) are tried from (1,3) first; (1,3) was first relaxed from (0,3) (row-major), and (0,3)
    // from (0,1) (right×2) before (0,2) (right) offered the same value.
    const res = optimum(new GridWorld(empty(4), "path"));
    expect(res.actions).toEqual([RIGHT, RIGHT2, DOWN, DOWN2]);
    expect(res.path).toEqual([
      [0, 0],
      [0, 1],
      [0, 3],
      [1, 3],
      [3, 3],
    ]);
    expect(res.reward).toBe(96);
  });
});

describe("optimum(env): the ends of the search", () => {
  it("an exit reached in one move from the start label (label index 0: no gold, a lever) is a path", () => {
    const env = new GridWorld(empty(3, {exit: [0, 2], lever: [2, 2]}), "path");
    expect(optimum(env)).toEqual({
      reward: 99,
      value: 99,
      path: [
        [0, 0],
        [0, 2],
      ],
      actions: [RIGHT2],
    });
  });
  it("no path at all: reward NaN, value −∞, no path and no actions", () => {
    const blocked = empty(3, {
      blocks: [
        [0, 1],
        [1, 0],
        [0, 2],
        [2, 0],
      ],
    });
    expect(optimum(new GridWorld(blocked, "path"))).toEqual({reward: NaN, value: -Infinity, path: [], actions: []});
  });
});

describe("layoutOptimum(env): the [main] shape check and the reachability sweep", () => {
  it("rejects each corner out of place on its own", () => {
    for (const [start, exit] of [
      [
        [0, 1],
        [3, 3],
      ],
      [
        [1, 0],
        [3, 3],
      ],
      [
        [0, 0],
        [2, 3],
      ],
      [
        [0, 0],
        [3, 2],
      ],
    ] as [[number, number], [number, number]][]) {
      const env = new GridWorld(empty(4, {start, exit}), "path");
      expect(() => layoutOptimum(env)).toThrow(
        new RangeError(`not a [main] layout: start [${start.join(", ")}], exit [${exit.join(", ")}] (the exact solver needs start [0, 0] and exit [3, 3]; [v3] moves make the graph cyclic)`),
      );
    }
  });
  it("the sweep follows only the four real moves of each reached cell (no read past a cell's last action)", () => {
    // S B . .      reached: (0,0), (0,2), (0,3); every move down from them enters a hazard.
    // H . H H      (1,1) leads to the exit but no real move reaches it; reading a 5th action of (0,3) would
    // H . H H      read (1,0)'s "right" and reach it.
    // . . . E
    const layout = empty(4, {
      blocks: [[0, 1]],
      hazards: [
        [1, 0],
        [1, 2],
        [1, 3],
        [2, 0],
        [2, 2],
        [2, 3],
      ],
    });
    expect(() => layoutOptimum(new GridWorld(layout, "path"))).toThrow(/^the exit \[3, 3\] cannot be reached from the start \[0, 0\]/);
  });
});

describe("fullOptimum(env): computed once per environment object", () => {
  it("returns the same object on the second call, equal to optimum(env)", () => {
    const env = new GridWorld(sampleLayout(5, 2, {golds: 4, blocks: 2, hazards: 3}), "path-gold");
    const first = fullOptimum(env);
    expect(fullOptimum(env)).toBe(first);
    expect(first).toEqual(optimum(env));
  });
});

describe("pathAllowed(env, actions, allowed): every step from the start is an allowed, real move", () => {
  const env = new GridWorld(empty(3, {blocks: [[1, 1]]}), "path");
  const mask = (edges: [number, number][]) => {
    const m = new Uint8Array(9 * 4);
    for (const [s, a] of edges) m[s * 4 + a] = 1;
    return m;
  };
  // right (0,0)→(0,1), right (0,1)→(0,2), down×2 (0,2)→(2,2)
  const route = [RIGHT, RIGHT, DOWN2];
  const routeEdges: [number, number][] = [
    [0, RIGHT],
    [1, RIGHT],
    [2, DOWN2],
  ];
  it("accepts a route whose every edge is allowed (and the empty route)", () => {
    expect(pathAllowed(env, route, mask(routeEdges))).toBe(true);
    expect(pathAllowed(env, [], mask([]))).toBe(true);
  });
  it("rejects a route with one edge missing from the mask, whichever it is", () => {
    for (let i = 0; i < routeEdges.length; i++) {
      expect(pathAllowed(env, route, mask(routeEdges.filter((_, j) => j !== i)))).toBe(false);
    }
    // The mask of another state's edge does not stand in: (0,1) right is allowed, (0,0) right is not.
    expect(pathAllowed(env, [RIGHT], mask([[1, RIGHT]]))).toBe(false);
  });
  it("rejects a move into a block even if the mask allows it", () => {
    const all = new Uint8Array(9 * 4).fill(1);
    expect(pathAllowed(env, [RIGHT, DOWN], all)).toBe(false); // (0,1) down is the block (1,1)
    expect(replay(env, [RIGHT, DOWN]).steps[1].position).toEqual([0, 1]); // the env stays there
  });
  it("a [v3] path back to the start (state 0) is a real move", () => {
    const v3 = new GridWorld(empty(3), "path", {variant: "v3"});
    expect(pathAllowed(v3, [0, 2, 1], new Uint8Array(9 * 4).fill(1))).toBe(true); // right, left, down
  });
});
