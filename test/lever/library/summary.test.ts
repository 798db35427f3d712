// lib/lever/library/summary.ts: what the library page draws of one run, checked against the run.
import {describe, expect, it} from "vitest";
import {N_ACTIONS} from "../../../lib/lever/env/gridworld.js";
import type {SpecSet} from "../../../lib/lever/env/layout.js";
import {runParamsFor} from "../../../lib/lever/library/params.js";
import {trainRun} from "../../../lib/lever/library/runs.js";
import {summarizeRun} from "../../../lib/lever/library/summary.js";

const tiny: SpecSet = {
  name: "tiny8",
  size: 8,
  variant: "main",
  gamma: 0.99,
  counts: {golds: 6, blocks: 4, hazards: 4},
  seeds: [0],
  specs: [{name: "X1", episodes: 1001, epsDecay: 0.995, saveEvery: 250}],
  description: "test",
};

describe("summarizeRun(run)", () => {
  const run = trainRun(runParamsFor({specSet: tiny, specs: tiny.specs, seeds: [1], rewards: ["path-gold"]})[0]);
  const s = summarizeRun(run);
  it("identifies the run and keeps its curve and kept snapshots", () => {
    expect(Object.keys(s)).toEqual(["spec", "reward", "seed", "episodes", "rewards", "time", "wallTime", "steps", "finalReward", "final", "policies", "visits", "edges"]);
    expect(s).toMatchObject({spec: "X1", reward: "path-gold", seed: 1, steps: run.meta.steps});
    expect(s.rewards).toHaveLength(run.meta.snapshotEpisodes.length);
    expect(s.policies.map((p) => p.snapshot)).toEqual(run.meta.kept);
    for (const p of s.policies) expect(p.episode).toBe(run.meta.snapshotEpisodes[p.snapshot]);
  });
  it("visits and edges are the cumulative visit counts per cell and the non-zero (state, action) pairs", () => {
    const total = run.countsFinal.reduce((a, b) => a + b, 0);
    expect(s.visits).toHaveLength(tiny.size * tiny.size);
    expect(s.visits.reduce((a, b) => a + b, 0)).toBe(total);
    expect(s.edges).toBe(run.countsFinal.filter((c) => c > 0).length);
    expect(s.edges).toBeLessThanOrEqual(tiny.size * tiny.size * N_ACTIONS);
  });
});
