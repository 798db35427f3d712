// lib/lever/experiment/plan.ts: `lever reproduce`'s plan per profile and the shard split.
import {describe, expect, it} from "vitest";
import {parseShard, reproducePlan, shardJobs} from "../../../lib/lever/experiment/plan.js";

describe("reproducePlan(profile)", () => {
  it("paper: both methods on grid16 and grid32, ExZero on grid8 and grid16_scaled, the MLP subset of both methods beside LSTD twins, X1/X5/X10", () => {
    const {steps, sweep} = reproducePlan("paper");
    expect(steps.map((s) => s.name)).toEqual([
      "grid16-exnonzero",
      "grid16-qsum",
      "grid32-exnonzero",
      "grid32-qsum",
      "grid8-exzero",
      "grid16_scaled-exzero",
      "grid16-exnonzero-subset-lstd",
      "grid16-exnonzero-subset-mlp",
      "grid16-qsum-subset-lstd",
      "grid16-qsum-subset-mlp",
    ]);
    for (const s of steps.filter((x) => x.sf === undefined))
      expect([s.specs, s.librarySpecs]).toEqual([
        ["X1", "X5", "X10"],
        ["X1", "X5", "X10"],
      ]);
    // Each MLP step and its twin differ only in the SF estimator (same subset, library and embedded seeds).
    for (const m of steps.filter((x) => x.sf === "mlp")) {
      const twin = steps.find((x) => x.name === m.twin)!;
      expect(twin.sf).toBe("lstd");
      const {name: _a, title: _b, sf: _c, twin: _d, ...rest} = m;
      const {name: _e, title: _f, sf: _g, ...twinRest} = twin;
      expect(rest).toEqual(twinRest);
      expect(rest).toMatchObject({specSet: "grid16", specs: ["X1"], librarySpecs: ["X1"], seeds: [0], embedSeeds: [0]});
    }
    expect(steps.find((x) => x.name === "grid16-qsum-subset-mlp")!.modes).toEqual(["triple"]);
    expect(sweep).toMatchObject({name: "grid16-sweep", specSet: "grid16", method: "qsum", goldPenalty: "legacy", reference: "lever-results-16/qsum"});
  });
  it("quick: grid16 both methods, grid8 ExZero, no MLP subset, X1 only", () => {
    const {steps, sweep} = reproducePlan("quick");
    expect(steps.map((s) => s.name)).toEqual(["grid16-exnonzero", "grid16-qsum", "grid8-exzero"]);
    for (const s of steps) expect(s.librarySpecs).toEqual(["X1"]);
    expect(sweep.specs).toEqual(["X1"]);
  });
  it("steps with a reference name its published tables", () => {
    for (const s of reproducePlan("paper").steps) if (s.reference) expect(s.reference).toBe(`lever-results-${s.specSet.slice(4)}/${s.method}`);
  });
});

describe("parseShard(value) and shardJobs(jobs, shard)", () => {
  it("parses i/n with 1 ≤ i ≤ n, one line otherwise", () => {
    expect(parseShard(" 2/3 ")).toEqual({index: 2, count: 3});
    for (const bad of ["3/2", "0/2", "1/0", "1-2", ""]) expect(() => parseShard(bad)).toThrow(/^invalid --shard: .* \(expected i\/n with 1 ≤ i ≤ n, e\.g\. 1\/2\)$/);
  });
  it("round-robin: the shards partition the jobs, balanced, in order", () => {
    const jobs = Array.from({length: 11}, (_, i) => i);
    const parts = [1, 2, 3].map((index) => shardJobs(jobs, {index, count: 3}));
    expect(parts).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7, 10],
      [2, 5, 8],
    ]);
    expect(parts.flat().sort((a, b) => a - b)).toEqual(jobs);
    expect(shardJobs(jobs)).toEqual(jobs);
  });
});
