import {describe, expect, it} from "vitest";
import {GridWorld, greedyRollout, replay} from "../../../lib/lever/env/gridworld.js";
import type {Layout} from "../../../lib/lever/env/layout.js";
import {parseRewardSystem} from "../../../lib/lever/env/rewards.js";
import {DOWN, DOWN2, L5, RIGHT, RIGHT2} from "../fixtures.js";

// A 5×5 hand-made layout (rows top to bottom; S start, E exit, g gold, B block, H hazard, L lever):
//   S g . B .
//   . g L . .
//   . . . H .
//   . . . . .
//   . . . . E
const L = L5;
const env = (reward: string, goldPenalty: "fractional" | "legacy" = "fractional") => new GridWorld(L, reward, {goldPenalty});
const rewards = (reward: string, actions: number[], gp: "fractional" | "legacy" = "fractional") => replay(env(reward, gp), actions).steps.map((s) => +s.reward.toFixed(10));

describe("GridWorld [main] reward rules (spec §1.2–§1.3)", () => {
  it("step costs per component on an ordinary move", () => {
    expect(rewards("path", [DOWN])).toEqual([-1]);
    expect(rewards("gold", [DOWN])).toEqual([-0.01]);
    expect(rewards("hazard", [DOWN])).toEqual([-0.1]);
    expect(rewards("lever", [DOWN])).toEqual([-0.1]);
    expect(rewards("path-gold-hazard-lever", [DOWN])).toEqual([-1.21]);
  });
  it("gold gives +5 only when gold is an objective, once", () => {
    expect(rewards("path-gold", [RIGHT, DOWN])).toEqual([3.99, 3.99]); // +5 − 1 (path) − 0.01 (gold)
    expect(rewards("path", [RIGHT, DOWN])).toEqual([-1, -1]);
  });
  it("jumps skip the cell they pass (over a block) and blocked/out-of-bounds moves stay with −1", () => {
    const e = env("path");
    const r = replay(e, [RIGHT, RIGHT, RIGHT, RIGHT2, RIGHT, RIGHT]);
    expect(r.steps.map((s) => s.position)).toEqual([
      [0, 1],
      [0, 2],
      [0, 2],
      [0, 4],
      [0, 4],
      [0, 4],
    ]);
    expect(r.steps.map((s) => s.reward)).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(r.steps.every((s) => !s.done)).toBe(true);
  });
  it("entering a hazard gives −100 and ends the episode for every reward system, with no step cost", () => {
    for (const name of ["path", "gold", "lever", "hazard-lever", "path-gold-hazard-lever"]) {
      const e = env(name);
      const r = replay(e, [RIGHT, RIGHT, DOWN2, RIGHT, DOWN]);
      expect(r.steps.length).toBe(4); // stops at the first terminal step
      expect(r.steps[3]).toEqual({reward: -100, done: true, position: [2, 3]});
      expect(e.hazardSteps).toBe(1);
    }
  });
  it("hazard proximity costs −2 per hazard neighbour of the target, only with hazard in C", () => {
    // (2,2) has one hazard neighbour, (2,3).
    expect(rewards("hazard", [DOWN2, RIGHT2])).toEqual([-0.1, -2.1]);
    expect(rewards("path", [DOWN2, RIGHT2])).toEqual([-1, -1]);
  });
  it("the lever pays +20 once with lever in C, and sets the flag for every system", () => {
    expect(rewards("lever", [RIGHT, RIGHT, DOWN])).toEqual([-0.1, -0.1, 19.9]);
    const e = env("path");
    replay(e, [RIGHT, RIGHT, DOWN]);
    expect(e.leverCollected).toBe(true);
  });
  it("exit bonuses: path +100, hazard +100, lever +80 if pulled else +20", () => {
    // S → down×2 → down×2 → right×2 → right×2 = exit (4,4), 4 moves. The last step also pays its step cost
    // (path 1, hazard and lever 0.1): 100 − 1, 100 − 0.1, 20 − 0.1, 80 − 0.1.
    const route = [DOWN2, DOWN2, RIGHT2, RIGHT2];
    expect(rewards("path", route).at(-1)).toBe(99);
    expect(rewards("hazard", route).at(-1)).toBe(99.9);
    expect(rewards("lever", route).at(-1)).toBe(19.9);
    const viaLever = [RIGHT, RIGHT, DOWN, DOWN2, RIGHT2, DOWN];
    expect(rewards("lever", viaLever).at(-1)).toBe(79.9);
  });
  it("gold exit term: +100 with all gold, else −10·missing/total (fractional) or −20 (legacy)", () => {
    const allGold = [RIGHT, DOWN, DOWN2, RIGHT2, DOWN, RIGHT];
    expect(rewards("path-gold", allGold).at(-1)).toBe(198.99); // path 100 − 1, gold 100 − 0.01
    const oneGold = [RIGHT, DOWN2, DOWN2, RIGHT2, RIGHT];
    expect(rewards("path-gold", oneGold).at(-1)).toBe(100 - 5 - 1.01);
    expect(rewards("path-gold", oneGold, "legacy").at(-1)).toBe(100 - 20 - 1.01);
    expect(rewards("gold", [DOWN2, DOWN2, RIGHT2, RIGHT2], "fractional").at(-1)).toBe(-10 - 0.01);
  });
  it("episode state resets: gold and lever come back", () => {
    const e = env("path-gold");
    expect(replay(e, [RIGHT]).total).toBe(3.99);
    expect(replay(e, [RIGHT]).total).toBe(3.99);
    expect(e.goldPresent(0)).toBe(false);
    e.reset();
    expect(e.goldPresent(0)).toBe(true);
  });
  it("renders the reference's int8 grid", () => {
    const e = env("path");
    replay(e, [RIGHT, RIGHT, DOWN]);
    const g = e.renderGrid();
    expect(g[0 * 5 + 0]).toBe(0); // start cleared
    expect(g[0 * 5 + 1]).toBe(0); // gold walked over is gone
    expect(g[1 * 5 + 1]).toBe(1);
    expect(g[1 * 5 + 2]).toBe(7); // agent on the (pulled) lever
    expect(g[0 * 5 + 3]).toBe(-1);
    expect(g[2 * 5 + 3]).toBe(-2);
    expect(g[24]).toBe(10);
  });
  it("greedy rollout: all-zero Q goes right (ties to action 0) until stuck, for N² steps", () => {
    const e = env("path");
    const r = greedyRollout(e, new Float64Array(25 * 4));
    expect(r.steps).toBe(25);
    expect(r.done).toBe(false);
    expect(r.total).toBe(-25);
  });
  it("parses reward systems strictly", () => {
    expect(parseRewardSystem("gold-path").name).toBe("path-gold");
    expect(parseRewardSystem("combined").name).toBe("path-gold");
    expect(() => parseRewardSystem("path-gold-path")).toThrow(/repeated/);
    expect(() => parseRewardSystem("speed")).toThrow(/invalid reward system: "speed" \(unknown component "speed"; accepted: path, gold/);
    expect(() => parseRewardSystem("R1")).toThrow(/synthetic/);
    expect(() => parseRewardSystem("")).toThrow(/empty/);
  });
});

describe("GridWorld [v3] (spec §1.4)", () => {
  // 3×3, start (0,0), exit (2,2), nothing else.
  const V: Layout = {size: 3, start: [0, 0], exit: [2, 2], golds: [], blocks: [], hazards: [], lever: null};
  const v3 = (name: string, layout: Layout = V) => new GridWorld(layout, name, {variant: "v3"});
  it("moves right, down, left, up; out of bounds costs −0.1", () => {
    const r = replay(v3("path"), [0, 2, 3, 1]);
    expect(r.steps.map((s) => s.position)).toEqual([
      [0, 1],
      [0, 0],
      [0, 0],
      [1, 0],
    ]);
    expect(r.steps[2].reward).toBe(-0.1);
  });
  it("path shaping adds Δd(exit) and the path step cost is 0.1", () => {
    const r = replay(v3("path"), [0, 2, 1, 1, 0, 0]);
    expect(r.steps.map((s) => +s.reward.toFixed(10))).toEqual([0.9, -1.1, 0.9, 0.9, 0.9, 100.9]);
  });
  it("gold shaping follows the nearest remaining gold, then +5 on collection", () => {
    const G: Layout = {...V, golds: [[0, 2]]};
    const r = replay(v3("gold", G), [0, 0]);
    // d(gold): (0,0)=2, (0,1)=1, (0,2)=0 → +1 − 0.01, then +1 + 5 − 0.01
    expect(r.steps.map((s) => +s.reward.toFixed(10))).toEqual([0.99, 5.99]);
  });
  it("hazard proximity becomes a difference of neighbour counts", () => {
    const H: Layout = {...V, hazards: [[1, 1]]};
    // (0,0)→(0,1): 0 → 1 hazard neighbours: −2; path∉C, gold∉C, lever∉C → + Δd(exit) = 4−3 = +1
    const r = replay(v3("hazard", H), [0]);
    expect(+r.steps[0].reward.toFixed(10)).toBe(-2 + 1 - 0.1);
  });
});

describe("GridWorld without a lever", () => {
  it("the lever flag starts false as in the reference, so the exit pays +20, not +80", () => {
    const noLever: Layout = {size: 3, start: [0, 0], exit: [0, 2], golds: [], blocks: [], hazards: [], lever: null};
    const e = new GridWorld(noLever, "lever");
    expect(replay(e, [2]).total).toBeCloseTo(20 - 0.1, 12);
    expect(e.leverCollected).toBe(false);
  });
});
