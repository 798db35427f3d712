import {describe, expect, it} from "vitest";
import {featureDim} from "../../../lib/lever/pi2vec/features.js";
import {trainRun} from "../../../lib/lever/library/runs.js";
import type {EpisodeRef} from "../../../lib/lever/pi2vec/canonical.js";
import type {SnapshotRow} from "../../../lib/lever/library/snapshots.js";
import {canonicalStatesFromRuns, runEpisodes, sampleCanonical, splitEvenly, V3_CANONICAL_SETS} from "../../../lib/lever/pi2vec/canonical.js";
import {mainPolicyRows, policyName, policySeedFromName, runSnapshotRows, selectMainPolicies, selectV3Policies} from "../../../lib/lever/library/snapshots.js";
import {NumpyRandomState, pandasSampleIndices, pyRound} from "../../../lib/core/py.js";
import {Rng} from "../../../lib/core/rng.js";

const rowsOf = (rewards: number[], every = 1000): SnapshotRow[] => rewards.map((reward, i) => ({episode: i * every, reward}));

describe("[main] policy rule (spec §3.2)", () => {
  it("mainPolicyRows(rows) picks int(p·(rows−1)) for p = 0.2, 0.6, 0.8", () => {
    expect(mainPolicyRows(31)).toEqual([6, 18, 24]);
    expect(mainPolicyRows(151)).toEqual([30, 90, 120]);
    expect(mainPolicyRows(301)).toEqual([60, 180, 240]);
    expect(() => mainPolicyRows(0)).toThrow(RangeError);
  });

  it("selectMainPolicies(rows, owner) names <spec>_<reward>_<seed4>_<20|60|80>", () => {
    const rows = rowsOf(Array.from({length: 31}, (_, i) => -i));
    const picks = selectMainPolicies(rows, {spec: "X1", reward: "path-gold", seed: 3});
    expect(picks.map((p) => [p.row, p.episode, p.reward, p.label, p.name])).toEqual([
      [6, 6000, -6, "20", "X1_path-gold_0003_20"],
      [18, 18000, -18, "60", "X1_path-gold_0003_60"],
      [24, 24000, -24, "80", "X1_path-gold_0003_80"],
    ]);
    expect(policySeedFromName(picks[0].name)).toBe(3);
    expect(policySeedFromName("X10_path-gold-hazard-lever_0004_ep3000")).toBe(4);
    expect(policyName({spec: "X5", reward: "gold", seed: 12}, "ep1000")).toBe("X5_gold_0012_ep1000");
  });
});

// The RandomState, permutation and choice values were re-checked with numpy 2.4.6 on 2026-11-30; pyRound's with CPython 3.11.7.
describe("numpy legacy RandomState and pandas sample (fixtures from numpy 2.4.6)", () => {
  it("MT19937 init_genrand seeding and raw outputs", () => {
    const rs = new NumpyRandomState(0);
    expect([rs.nextUint32(), rs.nextUint32(), rs.nextUint32()]).toEqual([2357136044, 2546248239, 3071714933]);
  });
  it("permutation and choice(replace=False)", () => {
    expect(Array.from(new NumpyRandomState(0).permutation(10))).toEqual([2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
    expect(Array.from(new NumpyRandomState(7).permutation(6))).toEqual([3, 5, 0, 2, 1, 4]);
    expect(Array.from(new NumpyRandomState(4294967295).permutation(5))).toEqual([4, 1, 0, 2, 3]);
    expect(Array.from(new NumpyRandomState(3).choice(17, 10))).toEqual([16, 6, 4, 7, 14, 1, 11, 2, 13, 5]);
    const p = new NumpyRandomState(12345).permutation(1000);
    expect(Array.from(p.subarray(0, 8))).toEqual([144, 833, 270, 468, 962, 186, 942, 516]);
    expect(p.reduce((s, x, i) => s + x * i, 0)).toBe(247366674);
  });
  it("pandasSampleIndices: k = round(frac·n), then choice(n, k)", () => {
    expect(Array.from(pandasSampleIndices(6, 0.6, 0))).toEqual([5, 2, 1, 3]);
    expect(Array.from(pandasSampleIndices(6, 0.6, 3))).toEqual([3, 5, 4, 1]);
    expect(pandasSampleIndices(6, 0.6, 3, "floor").length).toBe(3);
    expect(pandasSampleIndices(0, 0.6, 3).length).toBe(0);
    expect(() => new NumpyRandomState(-1)).toThrow(RangeError);
  });
  it("pyRound matches CPython round (half to even, exact binary value)", () => {
    expect([pyRound(2.5), pyRound(3.5), pyRound(-2.5), pyRound(-3.5), pyRound(2.4), pyRound(-2.6)]).toEqual([2, 4, -2, -4, 2, -3]);
    expect([pyRound(1.2345, 3), pyRound(0.0625, 3), pyRound(0.1875, 3), pyRound(-0.0625, 3), pyRound(-1.0005, 3)]).toEqual([1.234, 0.062, 0.188, -0.062, -1]);
  });
});

describe("[v3] policy rule (spec §3.2)", () => {
  const owner = {spec: "X1", reward: "gold", seed: 3};

  it("max (latest), min (latest), median unique value (earliest), then pandas sample of the rest", () => {
    //          ep: 0   1000 2000 3000 4000 5000 6000 7000 8000 9000
    const rows = rowsOf([-5, 10, -5, 10, 3, 7, 3, 10, 7, -5]);
    const picks = selectV3Policies(rows, owner);
    // Unique values −5, 3, 7, 10: max 10 → latest 7000; min −5 → latest 9000; mid = values[2] = 7 → earliest 5000.
    expect(picks.slice(0, 3).map((p) => [p.label, p.episode, p.reward])).toEqual([
      ["20", 9000, -5],
      ["60", 5000, 7],
      ["100", 7000, 10],
    ]);
    // Pool (episode ≠ 0, unused): 1000, 2000, 3000, 4000, 6000, 8000; round(0.6·6) = 4;
    // RandomState(3).choice(6, 4) = [3, 5, 4, 1].
    expect(picks.slice(3).map((p) => p.name)).toEqual(["X1_gold_0003_ep4000", "X1_gold_0003_ep8000", "X1_gold_0003_ep6000", "X1_gold_0003_ep2000"]);
    expect(
      selectV3Policies(rows, owner, {order: "episode"})
        .slice(3)
        .map((p) => p.episode),
    ).toEqual([2000, 4000, 6000, 8000]);
    expect(selectV3Policies(rows, owner, {count: "floor"}).length).toBe(3 + 3);
  });

  it("all rewards tied: distinct episodes, latest for max then min, earliest for mid", () => {
    const picks = selectV3Policies(rowsOf([5, 5, 5, 5]), owner);
    expect(picks.map((p) => [p.label, p.episode])).toEqual([
      ["20", 2000],
      ["60", 0],
      ["100", 3000],
      ["ep1000", 1000],
    ]);
  });

  it("falls back to the earliest/latest unused row when every row of the value is used, or skips", () => {
    // Values 1, 2: max 2 → 1000; min 1 → latest 2000; mid = values[1] = 2 is used up → earliest unused = 0.
    const picks = selectV3Policies(rowsOf([1, 2, 1]), owner);
    expect(picks.map((p) => [p.label, p.episode, p.reward])).toEqual([
      ["20", 2000, 1],
      ["60", 0, 1],
      ["100", 1000, 2],
    ]);
    // Two rows: nothing left for mid, which is skipped.
    expect(selectV3Policies(rowsOf([1, 2]), owner).map((p) => p.label)).toEqual(["20", "100"]);
    expect(selectV3Policies([], owner)).toEqual([]);
  });
});

describe("canonical states (spec §3.3)", () => {
  it("splitEvenly gives the reference's shares", () => {
    expect(splitEvenly(128, 8)).toEqual(Array(8).fill(16));
    expect(splitEvenly(128, V3_CANONICAL_SETS.base.length)).toEqual([32, 32, 32, 32]);
    expect(splitEvenly(128, V3_CANONICAL_SETS.pair.length)).toEqual([22, 22, 21, 21, 21, 21]);
    expect(splitEvenly(128, V3_CANONICAL_SETS.trip.length)).toEqual([26, 26, 26, 25, 25]);
  });

  it("sampleCanonical: one state from each of the first k shuffled episodes per reward, seeded", () => {
    const eps: EpisodeRef[] = [];
    for (const reward of ["path", "gold", "lever"]) for (let i = 0; i < 20; i++) eps.push({reward, length: 5 + i});
    eps.push({reward: "hazard", length: 3}); // only one episode: contributes one state
    const picks = sampleCanonical(eps, ["path", "gold", "lever", "hazard"], 40, new Rng(1));
    expect(picks.length).toBe(31);
    const per = (r: string) => picks.filter((p) => eps[p.episode].reward === r);
    expect([per("path").length, per("gold").length, per("lever").length, per("hazard").length]).toEqual([10, 10, 10, 1]);
    for (const r of ["path", "gold", "lever"]) expect(new Set(per(r).map((p) => p.episode)).size).toBe(10);
    expect(picks.every((p) => Number.isInteger(p.t) && p.t >= 0 && p.t < eps[p.episode].length)).toBe(true);
    expect(sampleCanonical(eps, ["path", "gold", "lever", "hazard"], 40, new Rng(1))).toEqual(picks);
    expect(sampleCanonical(eps, ["path", "gold", "lever", "hazard"], 40, new Rng(2))).not.toEqual(picks);
  });

  it("canonicalStatesFromRuns featurises sampled snapshot states of library runs; runSnapshotRows rounds like the CSV", () => {
    const base = {
      specSet: "tiny8",
      spec: "X1" as const,
      size: 8,
      variant: "main" as const,
      seed: 0,
      counts: {golds: 6, blocks: 4, hazards: 4},
      episodes: 600,
      epsDecay: 0.99,
      saveEvery: 100,
      gamma: 0.99,
      alpha: 0.1,
      rule: "reference" as const,
      goldPenalty: "fractional" as const,
      keep: "policies" as const,
      trainSeed: 0,
    };
    const runs = ["path", "gold"].map((reward) => trainRun({...base, reward}));
    expect(runEpisodes(runs).length).toBe(12);
    const c = canonicalStatesFromRuns(runs, new Rng(5), {total: 8});
    expect([c.rows, c.dim]).toEqual([8, featureDim(8)]);
    expect(c.data.every(Number.isFinite)).toBe(true);
    expect(Array.from(canonicalStatesFromRuns(runs, new Rng(5), {total: 8}).data)).toEqual(Array.from(c.data));
    const rows = runSnapshotRows(runs[0], true);
    expect(rows.length).toBe(7);
    expect(rows.every((r) => Number.isInteger(r.reward))).toBe(true); // [main]: int(round(x))
    expect(rows[6].episode).toBe(600);
  });
});
