// Tests that kill the mutants StrykerJS left alive in lib/lever/env/gridworld.ts (`npm run mutate -- --mutate
// lib/lever/env/gridworld.ts`); the equivalent ones are listed with their reason in test/MUTANTS.md.
//
// The main check is model-based: `SpecWorld` below is a second, deliberately plain implementation of the
// environment written from spec/lever.md §1.1–§1.4 (2-D cells, a Set of remaining golds, its own BFS, no typed
// arrays, no caches), and seeded random episodes are stepped through both, comparing every reward, position,
// termination, the gold/lever/hazard counters and the rendered grid. Where the spec leaves an order open, the
// model states the choice it makes (the hazard term of [v3] reads the gold count after the current cell's gold is
// collected).
import {describe, expect, it} from "vitest";
import {Rng} from "../../../lib/core/rng.js";
import {GridWorld, greedyAction, greedyReturn, greedyRollout, replay} from "../../../lib/lever/env/gridworld.js";
import {type Layout, sampleLayout} from "../../../lib/lever/env/layout.js";
import {COMPONENTS, parseRewardSystem} from "../../../lib/lever/env/rewards.js";

type RC = readonly [number, number];
/** All 15 non-empty sets of components (the 8 library systems and the 7 others a name may ask for, §1.3). */
const SYSTEMS = Array.from({length: 15}, (_, m) => COMPONENTS.filter((_, i) => (m + 1) & (1 << i)).join("-"));
const key = (c: RC) => `${c[0]},${c[1]}`;

/** The environment of spec §1.1–§1.4, written independently of lib/lever/env/gridworld.ts. */
class SpecWorld {
  readonly n: number;
  readonly C: Set<string>;
  readonly v3: boolean;
  readonly legacy: boolean;
  readonly n2: boolean;
  readonly walls: Set<string>;
  readonly bfsExit: Map<string, number>;
  readonly bfsLever: Map<string, number> | null;
  readonly bfsGold: Map<string, number>[];
  pos: RC = [0, 0];
  done = false;
  steps = 0;
  goldLeft = new Set<number>();
  lever = false;
  hazardSteps = 0;

  constructor(
    readonly L: Layout,
    system: string,
    opts: {v3: boolean; legacy: boolean; n2: boolean},
  ) {
    this.n = L.size;
    this.C = new Set(system.split("-"));
    this.v3 = opts.v3;
    this.legacy = opts.legacy;
    this.n2 = opts.n2;
    this.walls = new Set([...L.blocks, ...L.hazards].map(key));
    this.bfsExit = this.bfs(L.exit);
    this.bfsLever = L.lever ? this.bfs(L.lever) : null;
    this.bfsGold = L.golds.map((g) => this.bfs(g));
    this.reset();
  }
  reset() {
    this.pos = this.L.start;
    this.done = false;
    this.steps = 0;
    this.goldLeft = new Set(this.L.golds.map((_, i) => i));
    this.lever = false;
    this.hazardSteps = 0;
  }
  is(cells: readonly RC[], c: RC) {
    return cells.some((x) => x[0] === c[0] && x[1] === c[1]);
  }
  bfs(from: RC): Map<string, number> {
    const d = new Map<string, number>([[key(from), 0]]);
    let frontier: RC[] = [from];
    for (let k = 1; frontier.length > 0; k++) {
      const nextFrontier: RC[] = [];
      for (const [r, c] of frontier) {
        for (const [dr, dc] of [
          [0, 1],
          [1, 0],
          [0, -1],
          [-1, 0],
        ]) {
          const t: RC = [r + dr, c + dc];
          if (t[0] < 0 || t[1] < 0 || t[0] >= this.n || t[1] >= this.n || this.walls.has(key(t)) || d.has(key(t))) continue;
          d.set(key(t), k);
          nextFrontier.push(t);
        }
      }
      frontier = nextFrontier;
    }
    return d;
  }
  /** Δd = d(prev) − d(curr), or null when skipped; [S] (n2) reads an unreachable distance as N². */
  delta(d: Map<string, number>, prev: RC, curr: RC): number | null {
    const N2 = this.n * this.n;
    const a = d.get(key(prev));
    const b = d.get(key(curr));
    if (a === undefined || b === undefined) return this.n2 ? (a ?? N2) - (b ?? N2) : null;
    return a - b;
  }
  nearestGold(c: RC): number | undefined {
    let best: number | undefined;
    for (const g of this.goldLeft) {
      const d = this.bfsGold[g].get(key(c));
      if (d !== undefined && (best === undefined || d < best)) best = d;
    }
    if (best === undefined && this.n2) return this.n * this.n;
    return best;
  }
  hazardNeighbours([r, c]: RC): number {
    return [
      [r - 1, c],
      [r + 1, c],
      [r, c - 1],
      [r, c + 1],
    ].filter((x) => this.is(this.L.hazards, x as unknown as RC)).length;
  }
  step(a: number): number {
    const has = (x: string) => this.C.has(x);
    this.steps++;
    const moves = this.v3
      ? [
          [0, 1],
          [1, 0],
          [0, -1],
          [-1, 0],
        ]
      : [
          [0, 1],
          [1, 0],
          [0, 2],
          [2, 0],
        ];
    const prev = this.pos;
    const t: RC = [prev[0] + moves[a][0], prev[1] + moves[a][1]];
    const blocked = this.v3 ? -0.1 : -1;
    if (t[0] < 0 || t[1] < 0 || t[0] >= this.n || t[1] >= this.n || this.is(this.L.blocks, t)) return blocked;
    this.pos = t;
    if (this.is(this.L.hazards, t)) {
      this.hazardSteps++;
      this.done = true;
      return -100;
    }
    const gi = this.L.golds.findIndex((g) => g[0] === t[0] && g[1] === t[1]);
    const goldHere = gi >= 0 && this.goldLeft.has(gi);
    const isLever = this.L.lever !== null && this.is([this.L.lever], t);
    const isExit = this.is([this.L.exit], t);
    let r = 0;
    const leverBefore = this.lever;
    if (isLever && !leverBefore) {
      this.lever = true;
      if (has("lever")) r += 20;
    }
    if (!this.v3) {
      if (goldHere) {
        this.goldLeft.delete(gi);
        if (has("gold")) r += 5;
      }
      if (has("hazard")) r -= 2 * this.hazardNeighbours(t);
    } else {
      const add = (x: number | null) => {
        if (x !== null) r += x;
      };
      if (has("gold")) {
        if (this.goldLeft.size > 0) {
          const a0 = this.nearestGold(prev);
          const b0 = this.nearestGold(t);
          if (a0 !== undefined && b0 !== undefined) r += a0 - b0;
        } else if (!has("path") && (!has("lever") || this.lever)) add(this.delta(this.bfsExit, prev, t));
      }
      if (goldHere) {
        this.goldLeft.delete(gi);
        if (has("gold")) r += 5;
      }
      if (has("lever") && this.bfsLever) {
        if (!this.lever) add(this.delta(this.bfsLever, prev, t));
        else if (!has("path")) add(this.delta(this.bfsExit, prev, t));
      }
      if (has("hazard") && !has("path") && (!has("gold") || this.goldLeft.size === 0) && (!has("lever") || this.lever)) add(this.delta(this.bfsExit, prev, t));
      if (has("path")) add(this.delta(this.bfsExit, prev, t));
      if (has("hazard")) r += 2 * (this.hazardNeighbours(prev) - this.hazardNeighbours(t));
    }
    if (isExit) {
      this.done = true;
      if (has("path")) r += 100;
      if (has("hazard")) r += 100;
      if (has("gold")) r += this.goldLeft.size === 0 ? 100 : this.legacy ? -20 : (-10 * this.goldLeft.size) / this.L.golds.length;
      if (has("lever")) r += this.lever ? 80 : 20;
    }
    const cost = (has("path") ? (this.v3 ? 0.1 : 1) : 0) + (has("gold") ? 0.01 : 0) + (has("hazard") ? 0.1 : 0) + (has("lever") ? 0.1 : 0);
    return r - cost;
  }
  /** The reference's int8 grid (§1.1): empty 0, gold 1, lever 2, exit 10, block −1, hazard −2, agent 7. */
  grid(): number[] {
    const g = new Array(this.n * this.n).fill(0);
    const at = (c: RC, v: number) => {
      g[c[0] * this.n + c[1]] = v;
    };
    this.L.blocks.forEach((c) => at(c, -1));
    this.L.hazards.forEach((c) => at(c, -2));
    this.L.golds.forEach((c, i) => this.goldLeft.has(i) && at(c, 1));
    if (this.L.lever && !this.lever) at(this.L.lever, 2);
    at(this.L.exit, 10);
    at(this.pos, 7);
    return g;
  }
}

/** Steps seeded random episodes through both worlds and compares everything observable after every step. */
function compare(layout: Layout, system: string, opts: {v3: boolean; legacy: boolean; n2: boolean}, episodes: number, seed: number) {
  const env = new GridWorld(layout, system, {variant: opts.v3 ? "v3" : "main", goldPenalty: opts.legacy ? "legacy" : "fractional", unreachable: opts.n2 ? "n2" : "skip"});
  const spec = new SpecWorld(layout, system, opts);
  const rng = new Rng(seed, 14);
  // One line per step from each world (reward to 1e-9, position, done, steps, counters, gold flags), compared once.
  const got: string[] = [];
  const want: string[] = [];
  const line = (reward: number, pos: RC, done: boolean, steps: number, gold: number, lever: boolean, hazard: number, present: boolean[]) =>
    `${Math.round(reward * 1e9)} ${pos.join(",")} ${done} ${steps} ${gold} ${lever} ${hazard} ${present.map(Number).join("")}`;
  for (let e = 0; e < episodes; e++) {
    expect(env.reset()).toBe(env.start);
    spec.reset();
    for (let k = 0; k < layout.size * layout.size && !spec.done; k++) {
      const a = rng.int(4);
      const r = env.step(a);
      got.push(
        line(
          r,
          env.rowCol(env.pos),
          env.done,
          env.steps,
          env.goldRemaining,
          env.leverCollected,
          env.hazardSteps,
          layout.golds.map((_, g) => env.goldPresent(g)),
        ),
      );
      const r2 = spec.step(a);
      want.push(
        line(
          r2,
          spec.pos,
          spec.done,
          spec.steps,
          spec.goldLeft.size,
          spec.lever,
          spec.hazardSteps,
          layout.golds.map((_, g) => spec.goldLeft.has(g)),
        ),
      );
    }
    got.push(Array.from(env.renderGrid()).join(" "));
    want.push(spec.grid().join(" "));
  }
  expect({system, ...opts, seed, steps: got}).toEqual({system, ...opts, seed, steps: want});
}

describe("GridWorld against a plain model of spec §1.1–§1.4, on seeded random episodes", () => {
  it("[main]: sampled 6×6 layouts, all 15 sets of components, both gold penalties", () => {
    for (let seed = 0; seed < 3; seed++) {
      const layout = sampleLayout(6, seed, {golds: 5, blocks: 3, hazards: 4});
      for (const system of SYSTEMS) for (const legacy of [false, true]) compare(layout, system, {v3: false, legacy, n2: false}, 6, seed);
    }
  });
  it("[v3]: sampled 6×6 layouts, all 15 sets of components, both gold penalties", () => {
    for (let seed = 0; seed < 3; seed++) {
      const layout = sampleLayout(6, seed, {golds: 5, blocks: 3, hazards: 4}, "v3");
      for (const system of SYSTEMS) for (const legacy of [false, true]) compare(layout, system, {v3: true, legacy, n2: false}, 6, seed);
    }
  });
  // A wall of blocks and a hazard cut the grid, so some BFS distances are unreachable (−1): [v3] skips the term,
  // [S] reads N². Golds on both sides, the lever on the far side.
  //   S . B . g
  //   . g B . .
  //   . . B L .
  //   g . H . .
  //   . . B . E
  const cut: Layout = {
    size: 5,
    start: [0, 0],
    exit: [4, 4],
    golds: [
      [0, 4],
      [1, 1],
      [3, 0],
    ],
    blocks: [
      [0, 2],
      [1, 2],
      [2, 2],
      [4, 2],
    ],
    hazards: [[3, 2]],
    lever: [2, 3],
  };
  for (const n2 of [false, true]) {
    it(`[v3] with unreachable distances, unreachable = ${n2 ? "n2 ([S])" : "skip (v3)"}: all 15 sets of components`, () => {
      for (const system of SYSTEMS) for (const legacy of [false, true]) compare(cut, system, {v3: true, legacy, n2}, 6, 7);
      // Start on the exit's side too, so the agent walks where the exit's distance is defined and the golds' are not.
      const far: Layout = {...cut, start: [0, 3]};
      for (const system of SYSTEMS) compare(far, system, {v3: true, legacy: false, n2}, 6, 8);
    });
  }
  it("[main] and [v3] without a lever and without gold", () => {
    const bare: Layout = {size: 4, start: [0, 0], exit: [3, 3], golds: [], blocks: [[1, 1]], hazards: [[2, 1]], lever: null};
    for (const system of SYSTEMS) {
      compare(bare, system, {v3: false, legacy: false, n2: false}, 8, 3);
      compare(bare, system, {v3: true, legacy: false, n2: false}, 8, 3);
    }
  });
});

describe("GridWorld construction", () => {
  const L: Layout = {size: 3, start: [0, 1], exit: [2, 2], golds: [[1, 1]], blocks: [], hazards: [], lever: [0, 0]};
  it("a lever on cell 0 is a lever ([v3]: +20 and the lever terms, as in the model)", () => {
    for (const system of SYSTEMS) compare(L, system, {v3: true, legacy: false, n2: false}, 6, 5);
    // Left onto the lever: +20; the flag is already set on the collecting step, so the exit term applies (§1.4):
    // Δd(exit) = d(0,1) − d(0,0) = 3 − 4.
    expect(replay(new GridWorld(L, "lever", {variant: "v3"}), [2]).steps[0].reward).toBeCloseTo(20 - 1 - 0.1, 12);
  });
  it("a fresh env is ready to step without reset(): every gold present", () => {
    const env = new GridWorld(L, "gold");
    expect(env.goldPresent(0)).toBe(true);
    expect(env.goldRemaining).toBe(1);
    expect(env.step(1)).toBeCloseTo(5 - 0.01, 12); // down onto the gold
  });
  it("takes a parsed reward system as well as a name, and defaults to the fractional penalty", () => {
    const byName = new GridWorld(L, "path-gold");
    const byObject = new GridWorld(L, parseRewardSystem("gold-path"));
    expect(byObject.rewards).toEqual(byName.rewards);
    expect(replay(byObject, [1, 1, 0]).total).toBe(replay(byName, [1, 1, 0]).total);
    expect(byName.goldPenalty).toBe("fractional");
    expect(new GridWorld(L, "path", {goldPenalty: "legacy"}).goldPenalty).toBe("legacy");
  });
});

describe("greedy evaluation (spec §1.7, §2.3)", () => {
  it("greedyAction takes the first maximum of the row, for every position of the maximum", () => {
    for (let best = 0; best < 4; best++) {
      const q = new Float64Array(8);
      q[4 + best] = 1;
      expect(greedyAction(q, 1)).toBe(best);
      expect(greedyAction(q, 0)).toBe(0); // all tied
    }
    expect(greedyAction(new Float64Array([0, 2, 2, 1]), 0)).toBe(1);
    expect(greedyAction(new Float32Array([-3, -1, -2, -1]), 0)).toBe(1);
    expect(greedyAction(new Float64Array([5, 4, 3, 2]), 0)).toBe(0);
  });
  it("greedyRollout stops at the exit, records states and actions, and greedyReturn gives its total", () => {
    // 3×3 empty [main]: Q prefers down×2 at (0,0) and right×2 at (2,0).
    const L: Layout = {size: 3, start: [0, 0], exit: [2, 2], golds: [], blocks: [], hazards: [], lever: null};
    const env = new GridWorld(L, "path");
    const q = new Float64Array(9 * 4);
    q[0 * 4 + 3] = 1;
    q[6 * 4 + 2] = 1;
    const r = greedyRollout(env, q);
    expect(r).toEqual({total: 98, steps: 2, done: true, states: [0, 6, 8], actions: [3, 2]});
    expect(greedyReturn(env, q)).toBe(98);
    expect(greedyRollout(env, q, false)).toEqual({total: 98, steps: 2, done: true, states: [], actions: []});
  });
});

describe("replay(env, actions)", () => {
  const L: Layout = {size: 3, start: [0, 0], exit: [2, 2], golds: [], blocks: [], hazards: [], lever: null};
  it("rejects an action that is not 0–3 in one line", () => {
    const env = new GridWorld(L, "path");
    for (const bad of [-1, 4, 1.5, Number.NaN]) expect(() => replay(env, [0, bad])).toThrow(new RangeError(`invalid action: ${bad} (accepted: 0, 1, 2, 3)`));
    expect(replay(env, [0, 3]).steps.length).toBe(2);
  });
  it("stops at the first terminal step and sums only the steps taken", () => {
    const env = new GridWorld(L, "path");
    const r = replay(env, [2, 3, 0, 0]);
    expect(r.steps).toEqual([
      {reward: -1, done: false, position: [0, 2]},
      {reward: 98 + 1, done: true, position: [2, 2]},
    ]);
    expect(r.total).toBe(98);
  });
});
