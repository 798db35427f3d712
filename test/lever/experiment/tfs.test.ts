// lib/lever/experiment/tfs.ts: TFS over training seeds (issue 10 item 4) and its comparison.
import {describe, expect, it} from "vitest";
import {parseSpecSet} from "../../../lib/lever/env/layout.js";
import {greedyRollout} from "../../../lib/lever/env/gridworld.js";
import {quantileSorted, summarizeTfs, tfsOverSeeds} from "../../../lib/lever/experiment/tfs.js";
import {compareReproduction, renderSummary, tfsComparison} from "../../../lib/lever/experiment/compare.js";
import {runParamsFor} from "../../../lib/lever/library/params.js";
import {runEnv, trainRun} from "../../../lib/lever/library/runs.js";

describe("quantileSorted(sorted, p) / summarizeTfs(samples)", () => {
  it("numpy's linear quantiles: np.quantile([1, 2, 4, 10], [.25, .5, .75]) = 1.75, 3, 5.5", () => {
    expect([0.25, 0.5, 0.75].map((p) => quantileSorted([1, 2, 4, 10], p))).toEqual([1.75, 3, 5.5]);
    expect(quantileSorted([7], 0.5)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
  it("median, quartiles, range and failures of a cell", () => {
    const s = summarizeTfs([
      {trainSeed: 0, reward: -975.3, failed: true},
      {trainSeed: 1, reward: 192.65, failed: false},
      {trainSeed: 2, reward: 272.65, failed: false},
      {trainSeed: 3, reward: 197.65, failed: false},
    ]);
    expect(s).toEqual({
      n: 4,
      median: 195.15,
      q1: quantileSorted([-975.3, 192.65, 197.65, 272.65], 0.25),
      q3: quantileSorted([-975.3, 192.65, 197.65, 272.65], 0.75),
      min: -975.3,
      max: 272.65,
      failures: 1,
    });
  });
});

describe("tfsOverSeeds(meta, trainSeeds, goldPenalty, first)", () => {
  const set = parseSpecSet("grid16");
  const [params] = runParamsFor({specSet: {...set}, specs: [{name: "X1", episodes: 600, epsDecay: 0.995, saveEvery: 100}], seeds: [1], rewards: ["path-gold"]});
  const library = trainRun(params);
  it("seed 0 is the library's own run; other seeds are the same training with another stream, evaluated greedily on the target env", () => {
    const samples = tfsOverSeeds(library.meta, [0, 1, 2], "legacy", library.qFinal);
    expect(samples.map((s) => s.trainSeed)).toEqual([0, 1, 2]);
    const env = runEnv(library.meta, "legacy", "path-gold");
    expect(samples[0].reward).toBe(greedyRollout(env, library.qFinal, false).total);
    const again = trainRun({...params, trainSeed: 2});
    expect(samples[2].reward).toBe(greedyRollout(env, again.qFinal, false).total);
    expect(samples[1].reward).not.toBe(samples[2].reward); // different streams, different policies (on this cell)
    // without the library's Q-table, seed 0 is trained again and gives the same result (deterministic training)
    expect(tfsOverSeeds(library.meta, [0], "legacy")[0]).toEqual(samples[0]);
  });
  it("a greedy policy that does not reach the exit is a failure", () => {
    // An all-zero Q-table goes right along row 0 until the border: stuck, never done.
    const [s] = tfsOverSeeds(library.meta, [0], "legacy", new Float64Array(library.qFinal.length));
    expect(s.failed).toBe(true);
  });
});

describe("tfsComparison(set)", () => {
  const row = (setup: string, seed: string, scratch: number, median: number | "", failures: number | "", firstFailed: number | "") => ({
    setup,
    seed,
    scratch_reward: scratch,
    targeted_reward: 120,
    exhaustive_reward: 120,
    hybrid_reward: 120,
    decomp_time: 0,
    scratch_time_s: 1,
    targeted_time: 1,
    exhaustive_time: 1,
    hybrid_time: 1,
    scratch_seeds: median === "" ? "" : 4,
    scratch_median: median,
    scratch_failures: failures,
    scratch_first_failed: firstFailed,
  });
  it("aggregates the rows with TFS over seeds twice: first seed vs median as TFS; counts cells and failures once per cell", () => {
    const t = tfsComparison({
      X1: {
        trivial: [row("path-gold", "0000", -100, 100, 1, 1), row("path-gold", "0001", 100, 100, 0, 0), row("path-gold-hazard", "0000", 200, 200, 2, 0)],
        double: [row("path-gold-hazard", "0000", 200, 200, 2, 0)],
      },
      X5: {trivial: [row("path-gold", "0000", 90, "", "", "")]},
    })!;
    expect(t).toMatchObject({specs: ["X1"], seeds: 4, cells: 3, failuresFirst: 1, failures: 3, runs: 12});
    const pg = (rows: typeof t.first) => rows.find((r) => r.mode === "trivial" && r.setup === "path-gold")!.cells;
    expect(pg(t.first).tfs.reward).toBe(0); // mean of −100 and 100
    expect(pg(t.robust).tfs.reward).toBe(100);
    expect(pg(t.robust).tc.deltaR).toBeCloseTo(20, 12); // (120 − 100)/100
    expect(pg(t.first).tc.deltaR).toBe(Infinity); // (120 − 0)/0: the single stuck run wrecks the first-seed figure
    expect(tfsComparison({X1: {trivial: [row("path-gold", "0000", 1, "", "", "")]}})).toBeNull();
  });
  it("SUMMARY.md renders the step's TFS over seeds with its note and ΔR % both ways", () => {
    const ours = {X1: {trivial: [row("path-gold", "0000", -100, 100, 1, 1), row("path-gold", "0001", 100, 100, 0, 0)]}};
    const c = compareReproduction({
      profile: "quick",
      sf: "lstd",
      seconds: 1,
      referenceFound: false,
      steps: [{step: {name: "s", title: "S", specSet: "grid16", method: "qsum"}, seconds: 1, ours, ref: null}],
      sweep: {name: "w", title: "W", goldPenalty: "legacy", seconds: null, ours: [], ref: []},
    });
    const text = renderSummary(c, {reference: "/r", workers: "1", dirs: {}});
    expect(c.steps[0].tfs!.note).toBe(
      "TFS over 4 training seeds per cell (X1 rows; 2 cells, 8 runs): 1 of 8 greedy policies do not reach the exit (1 of the 2 first seeds, the reference-comparable single runs). ΔR % is shown both ways; the robust one takes each cell's median over training seeds as TFS.",
    );
    expect(text).toContain(c.steps[0].tfs!.note);
    expect(text).toContain("| trivial | P+G | 0.00 | 100.00 | – / – / – | +20.0 / +20.0 / +20.0 |"); // ΔR % against a TFS of 0 is not finite
  });
});
