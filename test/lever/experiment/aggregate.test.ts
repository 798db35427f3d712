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
});
