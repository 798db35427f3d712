import {describe, expect, it} from "vitest";
import {compose} from "../../../lib/lever/compose/compose.js";
import {gpi, qsum, rolloutComposed} from "../../../lib/lever/compose/qsum.js";
import {GridWorld, greedyRollout, replay} from "../../../lib/lever/env/gridworld.js";
import {sampleLayout} from "../../../lib/lever/env/layout.js";
import {Rng} from "../../../lib/core/rng.js";
import {C16} from "../fixtures.js";

/** A random (nStates × 4) Q-table with a fixed seed. */
function randomQ(nStates: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({length: nStates * 4}, () => rng.normal() * 10);
}

describe("qsum(tables) (spec §7.1)", () => {
  it("of two identical tables equals 2×Q exactly", () => {
    const q = randomQ(256, 1);
    const s = qsum([q, q]);
    expect(s).not.toBe(q);
    for (let i = 0; i < q.length; i++) expect(s[i]).toBe(2 * q[i]);
  });

  it("is the elementwise sum with no normalisation, and leaves its inputs alone", () => {
    const a = randomQ(4, 2);
    const b = randomQ(4, 3);
    const c = randomQ(4, 4);
    const copy = Float64Array.from(a);
    const s = qsum([a, b, c]);
    for (let i = 0; i < 16; i++) expect(s[i]).toBe(a[i] + b[i] + c[i]);
    expect(a).toEqual(copy);
    expect(qsum([a])).toEqual(a);
  });

  it("rejects shape mismatches and empty or malformed lists with precise RangeErrors", () => {
    expect(() => qsum([new Float64Array(256 * 4), new Float64Array(1024 * 4)])).toThrow(RangeError);
    expect(() => qsum([new Float64Array(256 * 4), new Float64Array(1024 * 4)])).toThrow(/^Q-table shape mismatch: 256×4 vs 1024×4/);
    expect(() => qsum([])).toThrow(/invalid Q-table list: expected a non-empty array/);
    expect(() => qsum([new Float64Array(1023)])).toThrow(/invalid Q-table 0: length 1023 is not a positive multiple of 4/);
  });
});

describe("gpi(tables) [OURS]", () => {
  it("picks the elementwise max", () => {
    const tables = [randomQ(64, 5), randomQ(64, 6), randomQ(64, 7)];
    const g = gpi(tables);
    for (let i = 0; i < g.length; i++) expect(g[i]).toBe(Math.max(tables[0][i], tables[1][i], tables[2][i]));
    // Of identical tables, GPI is the table itself.
    expect(gpi([tables[0], tables[0]])).toEqual(tables[0]);
  });

  it("rejects shape mismatches", () => {
    expect(() => gpi([new Float64Array(64 * 4), new Float64Array(256 * 4)])).toThrow(/^Q-table shape mismatch: 64×4 vs 256×4/);
  });
});

describe("rolloutComposed(env, q) (spec §2.3)", () => {
  const env = new GridWorld(sampleLayout(16, 0, C16), "path-gold", {goldPenalty: "legacy"});

  it("is the greedy rollout, with its transitions and per-step rewards", () => {
    const q = qsum([randomQ(256, 8), randomQ(256, 9)]);
    const r = rolloutComposed(env, q);
    const g = greedyRollout(env, q);
    expect(r.reward).toBe(g.total);
    expect(Array.from(r.states)).toEqual(g.states);
    expect(Array.from(r.actions)).toEqual(g.actions);
    expect(r.steps).toBe(g.steps);
    expect(r.done).toBe(g.done);
    expect(r.rewards.length).toBe(r.steps);
    expect(replay(env, Array.from(r.actions)).total).toBe(r.reward);
    expect(r.path[0]).toEqual([0, 0]);
    expect(r.path.length).toBe(r.states.length);
  });

  it("an all-zero table goes right (ties to action 0, §11 item 14)", () => {
    const r = rolloutComposed(env, new Float64Array(256 * 4));
    expect(r.actions.every((a) => a === 0)).toBe(true);
    expect(r.done ? r.steps <= 256 : r.steps === 256).toBe(true);
  });

  it("rejects a table of the wrong shape", () => {
    expect(() => rolloutComposed(env, new Float64Array(64 * 4))).toThrow(/^Q-table shape mismatch: 256×4 vs 64×4/);
  });
});

describe("compose(input, {method}) dispatch", () => {
  const env = new GridWorld(sampleLayout(16, 1, C16), "path-gold-hazard", {goldPenalty: "legacy"});
  const tables = [randomQ(256, 10), randomQ(256, 11)];

  it("qsum and gpi compose then roll out", () => {
    for (const method of ["qsum", "gpi"] as const) {
      const c = compose({env, tables}, {method});
      expect(c.method).toBe(method);
      expect(c.q).toEqual(method === "qsum" ? qsum(tables) : gpi(tables));
      expect(c.reward).toBe(rolloutComposed(env, c.q).reward);
      expect(c.composeMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("validates method, input and shapes", () => {
    expect(() => compose({env, tables}, {method: "sum" as never})).toThrow(/^invalid composition method: "sum" \(accepted: qsum, gpi, exnonzero\)/);
    expect(() => compose({env}, {method: "qsum"})).toThrow(/method qsum needs tables/);
    expect(() => compose({env, tables}, {method: "exnonzero"})).toThrow(/method exnonzero needs counts/);
    expect(() => compose({env, tables: [new Float64Array(64 * 4)]}, {method: "gpi"})).toThrow(/^Q-table shape mismatch: 256×4 vs 64×4/);
    expect(() => compose({env: {} as GridWorld, tables}, {method: "qsum"})).toThrow(/invalid env/);
  });
});
