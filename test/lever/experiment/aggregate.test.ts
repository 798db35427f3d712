// §8.5 aggregates on the reference CSVs reproduce the spec's published tables (§9.3, §9.5).
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {parseCsv} from "../../../lib/core/csv.js";
import {aggregateTable, averageFigure, type ResultSet} from "../../../lib/lever/experiment/aggregate.js";
import {REFERENCE} from "../../paths.js";

const REF = join(REFERENCE, "lever-results-16");
function load(method: string): ResultSet {
  const set: ResultSet = {};
  for (const spec of ["X1", "X5", "X10"]) {
    set[spec] = {};
    for (const mode of ["trivial", "double", "triple"] as const) set[spec][mode] = parseCsv(readFileSync(join(REF, method, spec, `full_experiment_results_${mode}.csv`), "utf8"));
  }
  return set;
}

describe("aggregateTable / averageFigure (§8.5)", () => {
  it("ExNonZero 16×16 = §9.3", () => {
    const t = aggregateTable(load("exnonzero"));
    const pg = t.find((r) => r.mode === "trivial" && r.setup === "path-gold")!;
    expect(pg.cells.tfs.reward).toBeCloseTo(105.6, 1);
    expect(pg.cells.tfs.sd).toBeCloseTo(9.28, 2);
    expect(pg.cells.tfs.time).toBeCloseTo(60.1, 1);
    expect([pg.cells.tc.reward, pg.cells.tc.time, pg.cells.tc.deltaR, pg.cells.tc.speedup].map((x) => Math.round(x * 10) / 10)).toEqual([123.8, 9.1, 17.2, 84.9]);
    expect([pg.cells.ec.time, pg.cells.ec.speedup].map((x) => Math.round(x * 10) / 10)).toEqual([19.1, 68.2]);
    const l4 = t.find((r) => r.mode === "trivial" && r.setup === "path-gold-hazard-lever")!;
    expect(l4.cells.tfs.sd).toBeCloseTo(33.86, 2);
    expect(Math.round(l4.cells.ec.speedup * 10) / 10).toBe(-298.1);
    const fig = averageFigure(load("exnonzero"));
    expect(fig.map((r) => Math.round(r.reward.tfs * 10) / 10)).toEqual([198.2, 225.6, 228.2]);
    expect(fig.every((r) => Math.abs(r.reward.tc - 256.5) < 0.05)).toBe(true);
  });

  it("Q-sum 16×16 = §9.5 (including the sign artefact's 215.41)", () => {
    const t = aggregateTable(load("qsum"));
    const d = t.find((r) => r.mode === "double" && r.setup === "path-gold-hazard-lever")!;
    expect(d.cells.tfs.reward).toBeCloseTo(215.41, 2);
    expect([d.cells.tc.reward, d.cells.ec.reward, d.cells.hc.reward].map((x) => Math.round(x * 100) / 100)).toEqual([124.21, 222.23, 218.39]);
    expect(Math.round(d.cells.tc.deltaR * 10) / 10).toBe(-42.3);
  });

  it("reduces as pandas: sum in row order then divide, two-pass sd (last bits pinned)", () => {
    // A running (Welford) mean, arquero's op.mean / op.stdev, gives 123.79000000000002,
    // 12.938544777229815, 248.26866666666666 and 198.162 for these four.
    // Change detector: the four expected doubles were computed by our reduction (54c8b63), not printed by pandas;
    // they guard the summation order, they do not show it is pandas' (the values to the printed precision are
    // checked against §9.3 above).
    const t = aggregateTable(load("exnonzero"));
    const cell = (setup: string) => t.find((r) => r.mode === "trivial" && r.setup === setup)!.cells;
    expect(cell("path-gold").tc.reward).toBe(123.79);
    expect(cell("path-gold-hazard").tfs.sd).toBe(12.93854477722982);
    expect(cell("path-gold-hazard-lever").tfs.reward).toBe(248.2686666666667);
    expect(averageFigure(load("exnonzero"))[0].reward.tfs).toBe(198.16199999999995);
  });

  it("keeps the scripts' order and skips NaN: setups first seen per mode, specs in the set's order, empty cells as NaN", () => {
    const row = (setup: string, seed: string, r: number | string, t = 1) => ({
      setup,
      seed,
      scratch_reward: r,
      targeted_reward: r,
      exhaustive_reward: r,
      hybrid_reward: "NaN",
      decomp_time: 0.5,
      scratch_time_s: t,
      targeted_time: t,
      exhaustive_time: t,
      hybrid_time: t,
    });
    const set: ResultSet = {
      B: {double: [row("s2", "0", 4), row("s1", "0", 1)], trivial: [row("s1", "0", 2, 2), row("s1", "1", "")]},
      A: {trivial: [row("s3", "0", 6), row("s1", "0", 4, 4)]},
      C: {},
    };
    const t = aggregateTable(set);
    expect(t.map((r) => [r.mode, r.setup, r.specs.join("")])).toEqual([
      ["trivial", "s1", "BA"],
      ["trivial", "s3", "A"],
      ["double", "s2", "B"],
      ["double", "s1", "B"],
    ]);
    // trivial s1: per-spec means B = 2 (the empty cell skipped), A = 4 → 3; pooled sd over 2, 4 → √2;
    // times B = 1.5, A = 4 → 2.75, and TC adds the decomp 0.5.
    expect(t[0].cells.tfs).toEqual({reward: 3, sd: Math.SQRT2, time: 2.75, deltaR: 0, speedup: 0});
    expect(t[0].cells.tc.time).toBe(3.25);
    expect(t[0].cells.hc.reward).toBeNaN();
    const fig = averageFigure(set);
    expect(fig.map((r) => r.spec)).toEqual(["B", "A", "C"]);
    // B: trivial mean 2, double mean 2.5 → 2.25; A: trivial only → 5; C has no rows.
    expect(fig.map((r) => r.reward.tfs)).toEqual([2.25, 5, NaN]);
    // B's TC time: trivial 1.5 + 0.5, double 1 + 0.5 (the per-mode decomp override) → 1.75.
    expect(fig[0].time.tc).toBe(1.75);
  });
});
