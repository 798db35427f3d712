// lib/lever/library/plan.ts (the site's libraries per profile) and params.ts (a library's runs).
import {describe, expect, it} from "vitest";
import {parseSpecSet} from "../../../lib/lever/env/layout.js";
import {REWARD_SYSTEMS} from "../../../lib/lever/env/rewards.js";
import {runParamsFor} from "../../../lib/lever/library/params.js";
import {libraryPlan} from "../../../lib/lever/library/plan.js";

describe("libraryPlan(profile)", () => {
  it("quick: grid16 X1; paper: grid16 and grid32, X1/X5/X10 (the spec sets' own spec objects)", () => {
    const g16 = parseSpecSet("grid16");
    const g32 = parseSpecSet("grid32");
    expect(libraryPlan("quick")).toEqual([{specSet: g16, specs: [g16.specs[0]]}]);
    const paper = libraryPlan("paper");
    expect(paper.map((p) => p.specSet)).toEqual([g16, g32]);
    expect(paper[0].specs).toEqual(g16.specs);
    expect(paper[1].specs).toEqual(g32.specs);
    expect(paper[1].specs[2]).toBe(g32.specs[2]);
  });
});

describe("runParamsFor(params)", () => {
  const g16 = parseSpecSet("grid16");
  it("one run per spec × reward × seed, in that nesting order, with the reference's defaults", () => {
    const runs = runParamsFor({specSet: g16, specs: g16.specs.slice(0, 2), seeds: [0, 3], rewards: [...REWARD_SYSTEMS]});
    expect(runs).toHaveLength(2 * REWARD_SYSTEMS.length * 2);
    expect(runs.slice(0, 3).map((r) => [r.spec, r.reward, r.seed])).toEqual([
      ["X1", REWARD_SYSTEMS[0], 0],
      ["X1", REWARD_SYSTEMS[0], 3],
      ["X1", REWARD_SYSTEMS[1], 0],
    ]);
    expect(runs.at(-1)).toMatchObject({spec: "X5", reward: REWARD_SYSTEMS.at(-1), seed: 3, episodes: 150_000});
    expect(runs[0]).toEqual({
      specSet: "grid16",
      spec: "X1",
      size: 16,
      variant: "main",
      reward: REWARD_SYSTEMS[0],
      seed: 0,
      counts: g16.counts,
      episodes: 30_000,
      epsDecay: 0.99995,
      saveEvery: 1000,
      gamma: 0.99,
      alpha: 0.1,
      rule: "reference",
      goldPenalty: "fractional",
      keep: "policies",
      trainSeed: 0,
    });
  });
  it("[v3] keeps every snapshot and trains with γ 0; explicit settings win", () => {
    const g8 = parseSpecSet("grid8");
    const [r] = runParamsFor({specSet: g8, specs: g8.specs, seeds: [0], rewards: ["path"]});
    expect(r).toMatchObject({variant: "v3", keep: "all", gamma: 0});
    const [s] = runParamsFor({specSet: g16, specs: g16.specs, seeds: [0], rewards: ["path"], gamma: 0.5, alpha: 0.2, rule: "qlearning", goldPenalty: "legacy", keep: "all", trainSeed: 9});
    expect(s).toMatchObject({gamma: 0.5, alpha: 0.2, rule: "qlearning", goldPenalty: "legacy", keep: "all", trainSeed: 9});
  });
});
