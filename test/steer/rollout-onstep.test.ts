// Tests for the Rollout `onStep` hook (lib/steer/rollout.ts), used by study-unit.ts to check the
// PoE ≡ KL-Reg identity on the rollout's own Gaussians: one call per step, before composition, with the
// actor's and the corrupted prior's Gaussians at the step's states, and no effect on the result.
import {beforeAll, describe, expect, it} from "vitest";
import {Rng} from "../../lib/core/rng.js";
import {makeMazeDataset, makeReachDataset} from "../../lib/steer/datasets.js";
import type {Env} from "../../lib/steer/envs.js";
import {makeMaze, makeReach} from "../../lib/steer/envs.js";
import type {GaussianMLP} from "../../lib/steer/mlp.js";
import {act} from "../../lib/steer/mlp.js";
import type {SteeringPrior} from "../../lib/steer/priors.js";
import {makePrior, PriorCorruption} from "../../lib/steer/priors.js";
import {episodeSeed, evaluate, Rollout} from "../../lib/steer/rollout.js";
import {_priorInputs, priorInDim, trainActor, trainPrior} from "../../lib/steer/train.js";

interface Fixture {
  env: Env;
  actor: GaussianMLP;
  prior: SteeringPrior;
}
const fixtures: Record<string, Fixture> = {};

beforeAll(() => {
  const reach = makeReach("Reach3");
  const rds = makeReachDataset(reach, "medium", 0, {episodes: 30});
  fixtures.reach = {
    env: reach,
    actor: trainActor(reach, rds, new Rng(1), {steps: 100}).model,
    prior: makePrior(trainPrior(reach, rds, new Rng(2), {steps: 100}).model, {kind: "noisy-overconfident", eta: 0.3}),
  };
  const maze = makeMaze("maze-medium");
  const mds = makeMazeDataset(maze, "maze-play", 0, {transitions: 2000});
  fixtures.maze = {
    env: maze,
    actor: trainActor(maze, mds, new Rng(1), {steps: 100}).model,
    prior: makePrior(trainPrior(maze, mds, new Rng(2), {steps: 100}).model, {kind: "noisy-calibrated", eta: 1}),
  };
});

describe("Rollout onStep", () => {
  for (const kind of ["reach", "maze"] as const) {
    it(`${kind}: one call per step with the Gaussians an independent recomputation gives, result unchanged`, () => {
      const {env, actor, prior} = fixtures[kind];
      const n = 6;
      const seed = 11;
      const rule = {rule: "poe", alpha: 0.5} as const;
      const plain = evaluate({env, actor, prior, rule, seed, episodes: n, record: true});
      const corruption = new PriorCorruption(
        prior,
        env.actDim,
        Array.from({length: n}, (_, i) => episodeSeed(seed, i)),
      );
      const priorIn = new Float64Array(n * priorInDim(env));
      let calls = 0;
      const ro = new Rollout({
        env,
        actor,
        prior,
        rule,
        seed,
        episodes: n,
        record: true,
        onStep: (gA, gP, states) => {
          calls++;
          expect(states).toBe(ro.states);
          const a = act(actor, states);
          if (env.kind === "reach") priorIn.set(states);
          else _priorInputs(env, states, env.goal, n, priorIn);
          const p = act(prior.model, priorIn);
          corruption.apply(p);
          expect(gA.mean).toEqual(a.mean);
          expect(gA.variance).toEqual(a.variance);
          expect(gP.mean).toEqual(p.mean);
          expect(gP.variance).toEqual(p.variance);
        },
      });
      const hooked = ro.run();
      expect(calls).toBe(ro.t);
      expect(calls).toBeGreaterThan(0);
      expect(hooked.scores).toEqual(plain.scores);
      expect(hooked.actions).toEqual(plain.actions);
      expect(hooked.positions).toEqual(plain.positions);
    });
  }
});

describe("Rollout with a wrong-goal prior (priors.ts)", () => {
  it("the prior is queried at the reflected goal −g at every step, while the actor and the environment keep the real goal", () => {
    const {env, actor, prior} = fixtures.reach;
    const wrong = makePrior(prior.model, {kind: "wrong-goal"}, {goal: {offset: 6, dim: 3}});
    let steps = 0;
    const r = new Rollout({
      env,
      actor,
      prior: wrong,
      rule: {rule: "poe", alpha: 0.5},
      seed: 4,
      episodes: 3,
      onStep: (gA, gP, states) => {
        const flipped = Float64Array.from(states);
        for (let i = 0; i < 3; i++) for (let c = 6; c < 9; c++) flipped[i * 9 + c] = -states[i * 9 + c];
        expect(gP).toEqual(act(prior.model, flipped));
        expect(gA).toEqual(act(actor, states));
        steps++;
      },
    }).run();
    expect(steps).toBe(env.horizon);
    // The real goal still drives the score: different from the clean prior's run on the same episodes.
    const clean = evaluate({env, actor, prior: makePrior(prior.model, {kind: "clean"}), rule: {rule: "poe", alpha: 0.5}, seed: 4, episodes: 3});
    expect(Array.from(r.scores)).not.toEqual(Array.from(clean.scores));
  });
});
