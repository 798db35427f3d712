import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {buildLibrary, readManifest} from "../../../runtime/library-build.js";
import {decodeContainer, encodeContainer} from "../../../lib/core/container.js";
import {greedyReturn} from "../../../lib/lever/env/gridworld.js";
import type {SpecSet} from "../../../lib/lever/env/layout.js";
import {decodeRun, mainPolicySnapshots, runActions, runCounts, runEnv, runQ, trainRun} from "../../../lib/lever/library/runs.js";

const dir = mkdtempSync(join(tmpdir(), "lever-lib-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const tinySet: SpecSet = {
  name: "tiny8",
  size: 8,
  variant: "main",
  gamma: 0.99,
  counts: {golds: 6, blocks: 4, hazards: 4},
  seeds: [0, 1],
  specs: [{name: "X1", episodes: 2001, epsDecay: 0.998, saveEvery: 250}],
  description: "test",
};

describe("container", () => {
  it("round-trips typed arrays and metadata, aligned or not", () => {
    const bytes = encodeContainer({a: 1}, {x: new Float64Array([1.5, -2]), y: new Uint8Array([1, 2, 3]), z: new Uint32Array([7])});
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    for (const b of [bytes, shifted.subarray(3)]) {
      const c = decodeContainer<{a: number}>(b);
      expect(c.meta.a).toBe(1);
      expect(Array.from(c.sections.x)).toEqual([1.5, -2]);
      expect(Array.from(c.sections.y)).toEqual([1, 2, 3]);
      expect(Array.from(c.sections.z)).toEqual([7]);
    }
    expect(() => decodeContainer(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]))).toThrow(/missing LVR1 magic/);
  });
});

describe("policy library", () => {
  it("[main] policy rule picks CSV rows int(p·(rows−1)) (spec §3.2)", () => {
    expect(mainPolicySnapshots(30)).toEqual([6, 18, 24]);
    expect(mainPolicySnapshots(150)).toEqual([30, 90, 120]);
    expect(mainPolicySnapshots(300)).toEqual([60, 180, 240]);
  });

  it("builds runs on worker threads with a manifest, identical to in-process training, and resumes", async () => {
    const logs: string[] = [];
    const m = await buildLibrary({specSet: tinySet, specs: tinySet.specs, seeds: [0, 1], rewards: ["path", "path-gold"], out: dir, workers: 2, log: (l) => logs.push(l)});
    expect(m.runs.map((r) => r.id).sort()).toEqual(["tiny8/X1_path-gold_0000", "tiny8/X1_path-gold_0001", "tiny8/X1_path_0000", "tiny8/X1_path_0001"]);
    expect(readManifest(dir).runs.length).toBe(4);
    for (const r of m.runs) {
      const run = decodeRun(readFileSync(join(dir, r.file)));
      expect(run.meta.snapshotEpisodes).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
      expect(run.meta.kept).toEqual(mainPolicySnapshots(9));
      const env = runEnv(run.meta);
      expect(greedyReturn(env, run.qFinal)).toBe(run.meta.finalReward);
      expect(greedyReturn(env, runQ(run, run.meta.kept[1]))).toBe(run.rewards[run.meta.kept[1]]);
      expect(runCounts(run, 9)).toBe(run.countsFinal);
      expect(() => runQ(run, 0)).toThrow(/has no stored Q-table/);
      // Replaying a snapshot's recorded training episode walks real moves.
      const acts = runActions(run, 3);
      expect(acts.length).toBeGreaterThan(0);
      // Same parameters in-process give bit-identical Q-tables (the seed fixes everything but timings).
      const again = trainRun(run.meta);
      expect(Array.from(again.qFinal)).toEqual(Array.from(run.qFinal));
      expect(Array.from(again.actions)).toEqual(Array.from(run.actions));
    }
    logs.length = 0;
    const m2 = await buildLibrary({specSet: tinySet, specs: tinySet.specs, seeds: [0, 1], rewards: ["path", "path-gold"], out: dir, workers: 2, log: (l) => logs.push(l)});
    expect(logs.join("\n")).toMatch(/reusing 4 of 4 runs/);
    expect(m2.runs.map((r) => r.finalReward)).toEqual(m.runs.map((r) => r.finalReward));
  });

  it("keep=all stores every snapshot", () => {
    const run = trainRun({
      specSet: "tiny8",
      spec: "X1",
      size: 8,
      variant: "main",
      reward: "gold",
      seed: 0,
      counts: tinySet.counts,
      episodes: 1000,
      epsDecay: 0.99,
      saveEvery: 250,
      gamma: 0,
      alpha: 0.1,
      rule: "reference",
      goldPenalty: "fractional",
      keep: "all",
      trainSeed: 0,
    });
    expect(run.meta.kept).toEqual([0, 1, 2, 3]);
    expect(run.q.length).toBe(4 * 64 * 4);
  });
});
