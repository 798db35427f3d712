// Tests for lib/steer/rollout.ts (spec/steering.md §5, §7 C2–C3, §8.6): PoE at α = 0 is the frozen
// actor's rollout exactly, common random numbers, the behavioural PoE ≡ KL-Reg identity, the
// frozen-weights invariant, scores, stochastic mode and the maze metric.
import {beforeAll, describe, expect, it} from "vitest";
import {Rng} from "../../lib/core/rng.js";
import type {ComposeSpec} from "../../lib/steer/gauss.js";
import {alphaToBeta} from "../../lib/steer/gauss.js";
import {makeMazeDataset, makeReachDataset} from "../../lib/steer/datasets.js";
import {makeMaze, makeReach, normalizedScore} from "../../lib/steer/envs.js";
import type {GaussianMLP} from "../../lib/steer/mlp.js";
import {weightsHash} from "../../lib/steer/mlp.js";
import type {SteeringPrior} from "../../lib/steer/priors.js";
import {makePrior} from "../../lib/steer/priors.js";
import {evaluate, evaluateRules, meanScore, Rollout} from "../../lib/steer/rollout.js";
import {trainActor, trainPrior} from "../../lib/steer/train.js";

const env = makeReach("Reach3");
let actor: GaussianMLP;
let clean: GaussianMLP;
let noisy: SteeringPrior;
let random: SteeringPrior;

beforeAll(() => {
  const ds = makeReachDataset(env, "medium", 0, {episodes: 30});
  actor = trainActor(env, ds, new Rng(1), {steps: 200}).model;
  clean = trainPrior(env, ds, new Rng(2), {steps: 200}).model;
  noisy = makePrior(clean, {kind: "noisy-overconfident", eta: 0.3});
  random = makePrior(clean, {kind: "random"}, {rng: new Rng(3)});
});

const GRID = [0.1, 0.3, 0.5, 0.7, 0.9];

describe("evaluate({rule: poe, alpha: 0}) is the frozen actor's rollout, exactly", () => {
  for (const mode of ["deterministic", "stochastic"] as const) {
    it(`${mode}: identical actions, returns and scores, whatever the prior`, () => {
      for (const prior of [clean, noisy, random]) {
        const f = evaluate({env, actor, prior, rule: {rule: "frozen"}, seed: 5, episodes: 8, mode, record: true});
        const p = evaluate({env, actor, prior, rule: {rule: "poe", alpha: 0}, seed: 5, episodes: 8, mode, record: true});
        expect(p.actions).toEqual(f.actions);
        expect(p.returns).toEqual(f.returns);
        expect(p.scores).toEqual(f.scores);
        const k = evaluate({env, actor, prior, rule: {rule: "klreg", beta: 0}, seed: 5, episodes: 8, mode});
        expect(k.scores).toEqual(f.scores);
      }
    });
  }
});

describe("common random numbers (§5, §8.6)", () => {
  it("identical rules give identical episodes (bit for bit), in both modes and with a noisy prior", () => {
    for (const mode of ["deterministic", "stochastic"] as const) {
      const a = evaluate({env, actor, prior: noisy, rule: {rule: "poe", alpha: 0.5}, seed: 9, episodes: 10, mode, record: true});
      const b = evaluate({env, actor, prior: noisy, rule: {rule: "poe", alpha: 0.5}, seed: 9, episodes: 10, mode, record: true});
      expect(b.actions).toEqual(a.actions);
      expect(b.positions).toEqual(a.positions);
      expect(b.scores).toEqual(a.scores);
    }
  });
  it("every rule starts from the same starts and goals; another seed gives other episodes", () => {
    const rules: ComposeSpec[] = [{rule: "frozen"}, {rule: "prior"}, {rule: "additive", alpha: 0.5}, {rule: "poe", alpha: 0.9}];
    const runs = rules.map((rule) => new Rollout({env, actor, prior: clean, rule, seed: 9, episodes: 6}));
    for (const r of runs) expect(r.states).toEqual(runs[0].states);
    expect(new Rollout({env, actor, prior: clean, rule: rules[0], seed: 10, episodes: 6}).states).not.toEqual(runs[0].states);
    // Episode i does not depend on how many episodes run beside it.
    const big = evaluate({env, actor, prior: clean, rule: rules[3], seed: 9, episodes: 6});
    const small = evaluate({env, actor, prior: clean, rule: rules[3], seed: 9, episodes: 3});
    expect(Array.from(small.scores)).toEqual(Array.from(big.scores.slice(0, 3)));
  });
});

describe("behavioural identity (§7 C2): deterministic PoE(α) and KL-Reg(α/(1−α)) act alike", () => {
  it("max |Δaction| ≤ 1e-9 and equal scores to 1e-9 at every α of the grid", () => {
    for (const alpha of GRID) {
      const p = evaluate({env, actor, prior: clean, rule: {rule: "poe", alpha}, seed: 3, episodes: 6, record: true});
      const k = evaluate({env, actor, prior: clean, rule: {rule: "klreg", beta: alphaToBeta(alpha)}, seed: 3, episodes: 6, record: true});
      let gap = 0;
      for (let i = 0; i < (p.actions as Float64Array).length; i++) gap = Math.max(gap, Math.abs((p.actions as Float64Array)[i] - (k.actions as Float64Array)[i]));
      expect(gap).toBeLessThanOrEqual(1e-9);
      for (let i = 0; i < 6; i++) expect(Math.abs(p.scores[i] - k.scores[i])).toBeLessThanOrEqual(1e-9);
    }
  });
});

describe("the frozen-weights invariant (§7 C3)", () => {
  it("the actor's (and prior's) weights hash is unchanged by evaluations that compose them", () => {
    const hActor = weightsHash(actor);
    const hPrior = weightsHash(clean);
    const rules: ComposeSpec[] = [
      {rule: "frozen"},
      {rule: "prior"},
      {rule: "residual", alpha: 0.5},
      ...GRID.flatMap((alpha): ComposeSpec[] => [
        {rule: "poe", alpha},
        {rule: "klreg", beta: alphaToBeta(alpha)},
        {rule: "additive", alpha},
      ]),
    ];
    for (const prior of [clean, noisy, random]) {
      for (const mode of ["deterministic", "stochastic"] as const) evaluateRules({env, actor, prior, seed: 1, episodes: 4, mode}, rules);
    }
    expect(weightsHash(actor)).toBe(hActor);
    expect(weightsHash(clean)).toBe(hPrior);
  });
});

describe("scores and modes", () => {
  it("Reach: per-episode normalized score of the return; horizon 60", () => {
    const r = evaluate({env, actor, prior: clean, rule: {rule: "poe", alpha: 0.5}, seed: 2, episodes: 5});
    for (let i = 0; i < 5; i++) expect(r.scores[i]).toBe(normalizedScore(env, r.returns[i]));
    expect(Array.from(r.lengths)).toEqual([60, 60, 60, 60, 60]);
    expect(r.success).toBeNull();
    expect(meanScore(r)).toBeCloseTo(r.scores.reduce((s, v) => s + v, 0) / 5, 12);
  });
  it("stochastic differs from deterministic; additive samples the mixture", () => {
    const det = evaluate({env, actor, prior: clean, rule: {rule: "poe", alpha: 0.5}, seed: 2, episodes: 5});
    const sto = evaluate({env, actor, prior: clean, rule: {rule: "poe", alpha: 0.5}, seed: 2, episodes: 5, mode: "stochastic"});
    expect(sto.scores).not.toEqual(det.scores);
    const mix = evaluate({env, actor, prior: clean, rule: {rule: "additive", alpha: 0.5}, seed: 2, episodes: 5, mode: "stochastic", record: true});
    const again = evaluate({env, actor, prior: clean, rule: {rule: "additive", alpha: 0.5}, seed: 2, episodes: 5, mode: "stochastic", record: true});
    const blend = evaluate({env, actor, prior: clean, rule: {rule: "additive", alpha: 0.5}, seed: 2, episodes: 5, record: true});
    expect(again.actions).toEqual(mix.actions);
    expect(mix.actions).not.toEqual(blend.actions);
  });
  it("rejects shape mismatches and bad options", () => {
    expect(() => evaluate({env: makeReach("Reach6"), actor, prior: clean, rule: {rule: "frozen"}, seed: 1})).toThrow(/actor shape mismatch/);
    expect(() => evaluate({env, actor, prior: clean, rule: {rule: "frozen"}, seed: 1, episodes: 0})).toThrow(/invalid episodes/);
    expect(() => evaluate({env, actor, prior: clean, rule: {rule: "poe", alpha: 2}, seed: 1})).toThrow(/invalid alpha/);
    expect(() => evaluate({env, actor, prior: clean, rule: {rule: "frozen"}, seed: 1, mode: "greedy" as never})).toThrow(/invalid mode/);
  });
});

describe("PointMaze: success metric (§8.2 E2)", () => {
  it("scores are 100·success, episodes stop at the first success, positions are held afterwards", () => {
    const maze = makeMaze();
    const ds = makeMazeDataset(maze, "maze-diverse", 0, {transitions: 3000});
    const a = trainActor(maze, ds, new Rng(1), {steps: 100, hidden: [16, 16]}).model;
    const p = trainPrior(maze, ds, new Rng(2), {steps: 100, hidden: [16, 16]}).model;
    const h = weightsHash(a);
    const r = evaluate({env: maze, actor: a, prior: p, rule: {rule: "poe", alpha: 0.5}, seed: 4, episodes: 4, record: true});
    expect(weightsHash(a)).toBe(h);
    for (let i = 0; i < 4; i++) {
      expect(r.scores[i]).toBe(100 * (r.success as Uint8Array)[i]);
      expect(r.lengths[i]).toBeLessThanOrEqual(500);
      if (!(r.success as Uint8Array)[i]) expect(r.lengths[i]).toBe(500);
    }
    expect((r.positions as Float64Array).length).toBe(4 * 501 * 2);
    // Success path: place every episode next to the goal before the first step.
    const roll = new Rollout({env: maze, actor: a, prior: p, rule: {rule: "frozen"}, seed: 4, episodes: 3, record: true});
    for (let i = 0; i < 3; i++) roll.states.set([6.5, 6.4, 0, 0], i * 4);
    const s = roll.run();
    expect(Array.from(s.scores)).toEqual([100, 100, 100]);
    expect(Array.from(s.lengths)).toEqual([1, 1, 1]);
    const pos = s.positions as Float64Array;
    expect([pos[500 * 2], pos[500 * 2 + 1]]).toEqual([pos[2], pos[3]]);
  });
});
