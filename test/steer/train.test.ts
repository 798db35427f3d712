// Tests for lib/steer/train.ts (spec/steering.md §8.4): AW-BC weights, the training loop (NLL
// decreases, bit-identical weights under a seed), and the hindsight goal-conditioned prior.
import {describe, expect, it} from "vitest";
import {Rng} from "../../lib/core/rng.js";
import type {OfflineDataset} from "../../lib/steer/datasets.js";
import {makeMazeDataset, makeReachDataset} from "../../lib/steer/datasets.js";
import {makeMaze, makeReach} from "../../lib/steer/envs.js";
import {act, createMLP, nll, normalizationFrom, weightsHash} from "../../lib/steer/mlp.js";
import {awbcWeights, priorInDim, priorInputs, returnsToGo, trainActor, trainPrior} from "../../lib/steer/train.js";

const env = makeReach("Reach3");
const quick = {steps: 300, logEvery: 50};

describe("returnsToGo / awbcWeights (§8.4)", () => {
  const tiny = {
    size: 5,
    rewards: new Float64Array([1, 2, 3, 10, 20]),
    episodeStarts: new Int32Array([0, 3, 5]),
    timesteps: new Int32Array([0, 1, 2, 0, 1]),
  } as unknown as OfflineDataset;
  it("undiscounted return-to-go within each episode", () => {
    expect(Array.from(returnsToGo(tiny))).toEqual([6, 5, 3, 30, 20]);
  });
  it("w = min(exp((G − b_t)/τ), cap) with b_t the per-time-step mean and τ the std of G − b", () => {
    // b_0 = 18, b_1 = 12.5, b_2 = 3 → advantages [−12, −7.5, 0, 12, 7.5], mean 0, τ = √(2·(144 + 56.25)/5).
    const tau = Math.sqrt((2 * (144 + 56.25)) / 5);
    const w = awbcWeights(tiny, 20);
    const expected = [-12, -7.5, 0, 12, 7.5].map((a) => Math.min(Math.exp(a / tau), 20));
    for (let k = 0; k < 5; k++) expect(w[k]).toBeCloseTo(expected[k], 14);
    expect(Math.max(...awbcWeights(tiny, 1.5))).toBe(1.5);
  });
  it("on medium-expert data the expert half gets the larger weights", () => {
    const ds = makeReachDataset(env, "medium-expert", 0, {episodes: 30});
    const w = awbcWeights(ds);
    const half = ds.size / 2;
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(w.slice(half))).toBeGreaterThan(2 * mean(w.slice(0, half)));
    for (const v of w) expect(v > 0 && v <= 20).toBe(true);
  });
});

describe("trainActor(env, ds, rng)", () => {
  const ds = makeReachDataset(env, "medium", 0, {episodes: 30});
  it("the weighted NLL decreases (logged losses and the dataset NLL against the untrained init)", () => {
    const t = trainActor(env, ds, new Rng(1), quick);
    expect(t.losses.length).toBe(6);
    expect(t.losses[5]).toBeLessThan(t.losses[0]);
    const init = createMLP({inDim: 9, outDim: 3, hidden: [32, 32]}, new Rng(1).fork(1), normalizationFrom(ds.observations, 9));
    expect(nll(t.model, ds.observations, ds.actions)).toBeLessThan(nll(init, ds.observations, ds.actions) - 0.5);
    expect(t.params).toMatchObject({role: "actor", method: "awbc", hidden: [32, 32], steps: 300, batch: 128});
  });
  it("is deterministic under a seed: bit-identical weights hash; another seed differs", () => {
    const a = trainActor(env, ds, new Rng(7), {steps: 100});
    const b = trainActor(env, ds, new Rng(7), {steps: 100});
    expect(a.hash).toBe(b.hash);
    expect(a.model.params).toEqual(b.model.params);
    expect(weightsHash(a.model)).toBe(a.hash);
    expect(trainActor(env, ds, new Rng(8), {steps: 100}).hash).not.toBe(a.hash);
    expect(trainActor(env, ds, new Rng(7), {steps: 100, method: "bc"}).hash).not.toBe(a.hash);
  });
  it("maze: BC on (x, y, vx, vy) by default", () => {
    const maze = makeMaze();
    const mds = makeMazeDataset(maze, "maze-play", 0, {transitions: 2000});
    const t = trainActor(maze, mds, new Rng(1), {steps: 50, hidden: [16, 16]});
    expect(t.params.method).toBe("bc");
    expect(t.model.inDim).toBe(4);
  });
  it("rejects a dataset of another environment", () => {
    expect(() => trainActor(makeReach("Reach6"), ds, new Rng(1))).toThrow(/dataset\/environment mismatch/);
  });
});

describe("trainPrior(env, ds, rng): hindsight goal-conditioned BC (§8.4)", () => {
  it("learns to push towards the commanded goal on expert data (Reach: goal field replaced by g_h)", () => {
    const ds = makeReachDataset(env, "expert", 1, {episodes: 40});
    const t = trainPrior(env, ds, new Rng(2), {steps: 600, logEvery: 100});
    expect(t.losses[t.losses.length - 1]).toBeLessThan(t.losses[0]);
    expect(t.model.inDim).toBe(priorInDim(env));
    // At rest at x, with goal g: the mean action should point along g − x.
    const rng = new Rng(3);
    const n = 200;
    const obs = new Float64Array(n * 9);
    const goals = new Float64Array(n * 3);
    for (let r = 0; r < n; r++)
      for (let i = 0; i < 3; i++) {
        obs[r * 9 + i] = 2 * rng.next() - 1;
        goals[r * 3 + i] = 2 * rng.next() - 1;
      }
    const g = act(t.model, priorInputs(env, obs, goals));
    let cos = 0;
    for (let r = 0; r < n; r++) {
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let i = 0; i < 3; i++) {
        const u = goals[r * 3 + i] - obs[r * 9 + i];
        dot += g.mean[r * 3 + i] * u;
        na += g.mean[r * 3 + i] ** 2;
        nb += u * u;
      }
      cos += dot / Math.sqrt(na * nb);
    }
    expect(cos / n).toBeGreaterThan(0.7);
  });
  it("is deterministic under a seed; the maze prior takes (x, y, vx, vy, gx, gy)", () => {
    const ds = makeReachDataset(env, "medium", 0, {episodes: 20});
    expect(trainPrior(env, ds, new Rng(5), {steps: 50}).hash).toBe(trainPrior(env, ds, new Rng(5), {steps: 50}).hash);
    const maze = makeMaze();
    const mds = makeMazeDataset(maze, "maze-diverse", 0, {transitions: 2000});
    const p = trainPrior(maze, mds, new Rng(1), {steps: 50, hidden: [16, 16]});
    expect(p.model.inDim).toBe(6);
    expect(p.params).toMatchObject({role: "prior", method: "gcbc-hindsight", horizon: 100});
    expect(Array.from(priorInputs(maze, new Float64Array([1, 2, 3, 4]), maze.goal))).toEqual([1, 2, 3, 4, 6.5, 6.5]);
  });
});
