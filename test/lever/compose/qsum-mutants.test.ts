// Tests that kill the mutants StrykerJS left alive in lib/lever/compose/qsum.ts (`npm run mutate -- --mutate
// lib/lever/compose/qsum.ts`); the equivalent ones are listed with their reason in test/MUTANTS.md.
import {describe, expect, it} from "vitest";
import {rolloutComposed} from "../../../lib/lever/compose/qsum.js";
import {GridWorld, greedyRollout} from "../../../lib/lever/env/gridworld.js";
import {L5, RIGHT} from "../fixtures.js";

describe("rolloutComposed(env, q) on a rollout that never ends (spec §2.3: at most N² steps)", () => {
  // L5 under path-gold: an all-zero table goes right (ties → action 0): (0,0) → gold (0,1) → (0,2), then the
  // block at (0,3) keeps it at (0,2) until the N² = 25 step limit.
  const env = new GridWorld(L5, "path-gold");
  const r = rolloutComposed(env, new Float64Array(25 * 4));

  it("takes exactly N² = 25 steps and keeps all 26 states, the last one stuck before the block", () => {
    expect(r.done).toBe(false);
    expect(r.steps).toBe(25);
    expect(r.actions.length).toBe(25);
    expect(Array.from(r.actions).every((a) => a === RIGHT)).toBe(true);
    expect(r.states.length).toBe(26);
    expect(r.states[0]).toBe(0);
    expect(r.states[1]).toBe(1);
    expect(r.states[25]).toBe(2);
    expect(r.path[25]).toEqual([0, 2]);
  });

  it("sums the per-step rewards of the spec: gold +5, step cost 1 + 0.01 (path + gold), −1 per blocked move", () => {
    const stepCost = 1 + 0.01;
    const expected = [5 - stepCost, -stepCost, ...new Array(23).fill(-1)];
    expect(Array.from(r.rewards)).toEqual(expected);
    expect(r.reward).toBe(expected.reduce((a, b) => a + b, 0));
    expect(r.reward).toBe(greedyRollout(env, new Float64Array(25 * 4)).total);
  });

  it("names the table in its type error", () => {
    expect(() => rolloutComposed(env, [0, 0, 0, 0] as never)).toThrow(/^invalid Q-table 0: expected a Float64Array or Float32Array, got Array$/);
  });
});
