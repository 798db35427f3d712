// The comparison with the reference (spec §9) that the Reproducing page shows and SUMMARY.md renders.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {parseCsv} from "../../../lib/core/csv.js";
import {aggregateTable, type ResultSet} from "../../../lib/lever/experiment/aggregate.js";
import {compareReproduction, compareStep, renderSummary, scoringCount, sweepPenaltyNote, type ComparisonInput, type StepInfo} from "../../../lib/lever/experiment/compare.js";
import {REFERENCE} from "../../paths.js";

function load(table: string, specs = ["X1", "X5", "X10"]): ResultSet {
  const set: ResultSet = {};
  for (const spec of specs) {
    set[spec] = {};
    for (const mode of ["trivial", "double", "triple"] as const) set[spec][mode] = parseCsv(readFileSync(join(REFERENCE, table, spec, `full_experiment_results_${mode}.csv`), "utf8"));
  }
  return set;
}

const STEP: StepInfo = {name: "grid16-exnonzero", title: "ExNonZero 16×16", specSet: "grid16", method: "exnonzero"};

/** A result row: composed rewards tc/ec/hc, TFS reward, times 1 s (decomp 0.5 s). */
function row(setup: string, seed: string, [tfs, tc, ec, hc]: number[], policies = "[]") {
  return {
    setup,
    seed,
    scratch_reward: tfs,
    targeted_reward: tc,
    exhaustive_reward: ec,
    hybrid_reward: hc,
    decomp_time: 0.5,
    scratch_time_s: 1,
    targeted_time: 1,
    exhaustive_time: 2,
    hybrid_time: 1,
    exhaustive_policies: policies,
    hybrid_policies: policies,
  };
}

// Ours: X1 (trivial: P+G two seeds, P+G+H one; double: P+G+H) and X5 (trivial P+G).
const OURS: ResultSet = {
  X1: {
    trivial: [row("path-gold", "0000", [90, 100, 100, 100]), row("path-gold", "0001", [110, 120, 120, 120]), row("path-gold-hazard", "0000", [150, 200, 200, 200])],
    double: [row("path-gold-hazard", "0000", [150, 210, 210, 210])],
  },
  X5: {trivial: [row("path-gold", "0000", [95, 130, 130, 130])]},
};
// The reference: X1 trivial P+G only (seed 0001's TC within 0.01, its EC 0.5 off; a second 0000 row
// that must lose to the first), and a triple mode ours lacks; no X5.
const REF: ResultSet = {
  X1: {
    trivial: [row("path-gold", "0000", [80, 100, 100, 100]), row("path-gold", "0001", [100, 120.005, 120.5, 120]), row("path-gold", "0000", [0, 0, 0, 0])],
    triple: [row("path-gold-hazard-lever", "0000", [200, 300, 300, 300])],
  },
};

describe("compareStep(results)", () => {
  const c = compareStep({step: STEP, seconds: 1.5, ours: OURS, ref: REF});

  it("carries the plan step and both sides' §8.5 tables", () => {
    expect(c).toMatchObject({...STEP, seconds: 1.5});
    expect(c.aggregate).toEqual({ours: aggregateTable(OURS), ref: aggregateTable(REF)});
  });

  it("pairs our seeds with the reference's first row of the same (spec, mode, setup, seed), in spec → mode → row → method order", () => {
    expect(c.perSeed.map((p) => [p.spec, p.mode, p.setup, p.seed, p.method, p.ours, p.ref])).toEqual([
      ["X1", "trivial", "path-gold", "0000", "tc", 100, 100],
      ["X1", "trivial", "path-gold", "0000", "ec", 100, 100],
      ["X1", "trivial", "path-gold", "0000", "hc", 100, 100],
      ["X1", "trivial", "path-gold", "0001", "tc", 120, 120.005],
      ["X1", "trivial", "path-gold", "0001", "ec", 120, 120.5],
      ["X1", "trivial", "path-gold", "0001", "hc", 120, 120],
    ]);
    expect(compareStep({step: STEP, seconds: 0, ours: OURS, ref: null}).perSeed).toEqual([]);
    // Spec-major, as the page lists them (the §9.1 table is mode-major).
    const self = compareStep({step: STEP, seconds: 0, ours: OURS, ref: OURS}).perSeed.filter((p) => p.method === "tc");
    expect(self.map((p) => `${p.spec} ${p.mode} ${p.setup} ${p.seed}`)).toEqual([
      "X1 trivial path-gold 0000",
      "X1 trivial path-gold 0001",
      "X1 trivial path-gold-hazard 0000",
      "X1 double path-gold-hazard 0000",
      "X5 trivial path-gold 0000",
    ]);
  });

  it("§9.1 layout: rows in mode → spec → setup order, plain means, seeds equal to the reference's", () => {
    expect(c.perSpec.map((r) => [r.mode, r.spec, r.setup, r.seeds, r.ref?.seeds ?? null, r.equal])).toEqual([
      ["trivial", "X1", "path-gold", 2, 3, {tc: 2, ec: 1, hc: 2}],
      ["trivial", "X1", "path-gold-hazard", 1, null, null],
      ["trivial", "X5", "path-gold", 1, null, null],
      ["double", "X1", "path-gold-hazard", 1, null, null],
    ]);
    expect(c.perSpec[0].reward).toEqual({tfs: 100, tc: 110, ec: 110, hc: 110});
    expect(c.perSpec[0].ref!.reward.tfs).toBe(60); // (80 + 100 + 0) / 3: the reference's every row counts
    expect(c.perSpec[0].time).toEqual({tc: 1, ec: 2, hc: 1});
  });

  it("a NaN cell makes the §9.1 mean NaN (the §8.5 aggregates skip it)", () => {
    const withNaN: ResultSet = {X1: {trivial: [row("path-gold", "0000", [90, NaN, 100, 100]), row("path-gold", "0001", [110, 120, 120, 120])]}};
    const n = compareStep({step: STEP, seconds: 0, ours: withNaN, ref: null});
    expect(n.perSpec[0].reward.tc).toBeNaN();
    expect(n.aggregate.ours[0].cells.tc.reward).toBe(120);
  });

  it("§8.5 cells in our table's order, each beside the reference's (null where its table lacks the mode and setup)", () => {
    expect(c.table.map((p) => [p.mode, p.setup, p.method, p.ours.reward, p.ref?.reward ?? null])).toEqual([
      ["trivial", "path-gold", "tfs", 97.5, 60],
      ["trivial", "path-gold", "tc", 120, 73.335],
      ["trivial", "path-gold", "ec", 120, 73.5],
      ["trivial", "path-gold", "hc", 120, 73.33333333333333],
      ["trivial", "path-gold-hazard", "tfs", 150, null],
      ["trivial", "path-gold-hazard", "tc", 200, null],
      ["trivial", "path-gold-hazard", "ec", 200, null],
      ["trivial", "path-gold-hazard", "hc", 200, null],
      ["double", "path-gold-hazard", "tfs", 150, null],
      ["double", "path-gold-hazard", "tc", 210, null],
      ["double", "path-gold-hazard", "ec", 210, null],
      ["double", "path-gold-hazard", "hc", 210, null],
    ]);
    // X1: trivial rows pooled (90, 110, 150) → 116.67, double 150 → 133.33; the reference: 60 and 200 → 130.
    expect(c.figureTable.map((p) => [p.spec, p.ours.reward.tfs, p.ref?.reward.tfs ?? null])).toEqual([
      ["X1", (350 / 3 + 150) / 2, 130],
      ["X5", 95, null],
    ]);
  });

  it("on the reference against itself: every seed equal, every cell the same", () => {
    const ref = load("lever-results-16/exnonzero");
    const self = compareStep({step: STEP, seconds: 0, ours: ref, ref});
    expect(self.perSeed).toHaveLength(3 * 5 * (3 + 2 + 1) * 3); // specs × seeds × (mode, setup) × TC/EC/HC
    expect(self.perSpec.every((r) => r.equal!.tc === 5 && r.equal!.ec === 5 && r.equal!.hc === 5 && r.seeds === 5)).toBe(true);
    expect(self.table.every((p) => JSON.stringify(p.ours) === JSON.stringify(p.ref))).toBe(true);
  });
});

describe("scoringCount(set) / timeNote(counts): what EC/HC times measured (issue 10 item 3)", () => {
  const withFits = (ec: number, fits: number, hc: number, hfits: number) => ({
    ...row("path-gold", "0000", [1, 1, 1, 1]),
    exhaustive_combinations: ec,
    exhaustive_sf_fits: fits,
    hybrid_combinations: hc,
    hybrid_sf_fits: hfits,
  });
  it("sums the combinations (the reference's fits) and our fits over every row; the note says which", () => {
    const memo = scoringCount({X1: {trivial: [withFits(25, 7, 9, 4)], double: [withFits(625, 30, 81, 10)]}});
    expect([memo.combinations, memo.fits]).toEqual([
      {ec: 650, hc: 90},
      {ec: 37, hc: 14},
    ]);
    expect(memo.note).toBe(
      "EC/HC times cover 51 SF fits for 740 scored combinations (EC 37 of 650, HC 14 of 90): each distinct composed path is scored once (`--memo on`), while the reference trains one SF model per combination, so its EC/HC times count 740 fits; `--memo off` runs the reference's count.",
    );
    expect(scoringCount({X1: {trivial: [withFits(25, 25, 9, 9)]}}).note).toBe("EC/HC times cover one SF fit per scored combination, as the reference's (34 fits).");
    expect(scoringCount({}).note).toBe("EC/HC times: nothing was scored.");
  });
});

describe("compareReproduction(input) / renderSummary(comparison, context)", () => {
  const mlp: StepInfo = {name: "grid16-exnonzero-mlp", title: "MLP subset", specSet: "grid16", method: "exnonzero", sf: "mlp", twin: STEP.name};
  const mlpOurs: ResultSet = {X1: {trivial: [row("path-gold", "0000", [90, 100, 100, 90], "[1]"), row("path-gold", "0001", [110, 120, 120.001, 120], "[2]"), row("path-gold", "0009", [0, 0, 0, 0])]}};
  const input: ComparisonInput = {
    profile: "quick",
    sf: "lstd",
    seconds: 12.34,
    referenceFound: true,
    steps: [
      {step: STEP, seconds: 4.25, ours: OURS, ref: REF},
      {step: mlp, seconds: 12.3, ours: mlpOurs, ref: REF},
    ],
    sweep: {
      name: "grid16-sweep",
      title: "Hybrid k-sweep",
      goldPenalty: "legacy",
      seconds: 2.5,
      ours: [
        {k: 2, avg_reward: 150, avg_time_s: 0.016, avg_hybrid_time_s: 0.0158, avg_decomp_time_s: 0.00021, runs_used: 30, runs_total: 30, min_candidates: 3},
        {k: 7, avg_reward: NaN, avg_time_s: 1, avg_hybrid_time_s: 1, avg_decomp_time_s: 1, runs_used: 0, runs_total: 30, min_candidates: 0},
      ],
      ref: [{k: 2, avg_reward: 185.64377777777776, avg_time_s: 18.652811172273424, avg_hybrid_time_s: 4.555803897645738, avg_decomp_time_s: 14.097007274627686}],
    },
  };
  const c = compareReproduction(input);
  const context = {reference: "/ref", workers: "all", dirs: {"grid16-exnonzero": "/out/a", "grid16-exnonzero-mlp": "/out/b", "grid16-sweep": "/out/c"}};
  const text = renderSummary(c, context);
  const lines = text.split("\n");

  it("pairs the sweep per k and measures MLP against LSTD on the rows both ran", () => {
    expect(c.sweep.pairs.map((p) => [p.k, p.ref?.avg_reward ?? null])).toEqual([
      [2, 185.64377777777776],
      [7, null],
    ]);
    // Rows 0000 and 0001 have an LSTD twin (0009 has none): EC equal on both (0.001 off), HC on 0001 only.
    expect(c.mlp).toHaveLength(1);
    expect(c.mlp[0]).toMatchObject({
      name: mlp.name,
      title: mlp.title,
      method: "exnonzero",
      twin: STEP.name,
      seconds: 12.3,
      rows: 2,
      exhaustive: 2,
      hybrid: 1,
      exhaustivePolicies: 0,
      hybridPolicies: 0,
    });
    // LSTD beside MLP per row: rewards and chosen policies of both sides.
    expect(c.mlp[0].pairs.map((p) => [p.seed, p.lstd.exhaustive, p.mlp.exhaustive, p.mlp.exhaustivePolicies])).toEqual([
      ["0000", OURS.X1!.trivial![0].exhaustive_reward, 100, "[1]"],
      ["0001", OURS.X1!.trivial![1].exhaustive_reward, 120.001, "[2]"],
    ]);
    expect(compareReproduction({...input, steps: input.steps.slice(0, 1)}).mlp).toEqual([]);
    // Without a twin the MLP step is not compared (no silent mix with another step).
    expect(compareReproduction({...input, steps: [input.steps[0], {...input.steps[1], step: {...mlp, twin: undefined}}]}).mlp).toEqual([]);
  });

  it("renders every table of the comparison", () => {
    // By hand from OURS and REF: trivial P+G TFS = mean of X1 (90, 110 → 100) and X5 (95) = 97.50, sd of 90, 110,
    // 95 = 10.41; TC 120.00 vs the reference's (100 + 120.005 + 0)/3 = 73.33; ΔR (120 − 97.5)/97.5 = +23.1 %;
    // time 1 + 0.5 (decomp) = 1.5 s against TFS 1 s: −50 %.
    expect(lines[2]).toBe(
      "Generated by `lever reproduce --profile quick`. Composed-policy SF scoring: **lstd** ([OURS] closed-form LSTD, for the library embeddings and the candidates alike; the faithful MLP ψθ runs end to end on the subset below). Reference: `/ref`. Total wall time 12.3 s on all worker(s).",
    );
    expect(lines).toContain("  - `grid16-exnonzero` (ExNonZero 16×16): 4.3 s → `/out/a`");
    expect(lines).toContain("  - `grid16-sweep` (Hybrid k-sweep): 2.5 s → `/out/c`");
    expect(lines).toContain("| trivial | P+G | X1 | 100.00 / 60.00 | 110.00 / 73.33 | 110.00 / 73.50 | 110.00 / 73.33 | 2/1/2 of 2 | 1.000 / 2.000 / 1.000 | 2.0 |");
    expect(lines).toContain("| trivial | P+G+H | X1 | 150.00 / – | 200.00 / – | 200.00 / – | 200.00 / – | – | 1.000 / 2.000 / 1.000 | – |");
    expect(lines).toContain("| trivial | P+G | TFS | 97.50 ± 10.41 | 60.00 ± 52.92 | 1.00 | 1.0 |  |  |  |  |");
    expect(lines).toContain("| trivial | P+G | TC | 120.00 | 73.33 | 1.50 | 1.5 | +23.1 | +22.2 | −50.0 | −50.0 |");
    expect(lines).toContain("| trivial | P+G | X1 | 66.67 / 60.00 | 73.33 / 73.33 | 73.33 / 73.50 | 70.00 / 73.33 | 2/1/1 of 3 | 1.000 / 2.000 / 1.000 | 2.0 |");
    expect(lines).toContain("| double | P+G+H | EC | 210.00 | – | 2.50 | – | +40.0 |  | −150.0 |  |");
    expect(lines).toContain("| X5 | 95.0 / – | 130.0 / – | 130.0 / – | 130.0 / – | 1.00 | 1.50 | 2.50 | 1.50 |");
    expect(lines).toContain("| 2 | 150.00 / 185.64 | 0.0160 / 18.65 | 0.0158 / 4.56 | 2.1e-4 / 14.10 | 30/30 | 3 |");
    expect(lines).toContain("| 7 | – / – | 1.0000 / – | 1.0000 / – | 1.0e+0 / – | 0/30 | 0 |");
    expect(lines).toContain("| same composed reward (±0.01) | 2/2 | 1/2 |");
    // The sweep's gold-exit penalty is stated, from the comparison (issue 10 item 5), with how to run the other one.
    expect(lines).toContain(sweepPenaltyNote("legacy"));
    expect(sweepPenaltyNote("legacy")).toMatch(/\*\*legacy\*\* \(−20.*published.*fractional.*--gold-penalty fractional/);
    expect(renderSummary({...c, sweep: {...c.sweep, goldPenalty: "fractional"}}, context)).toContain("Gold-exit penalty of this sweep: **fractional**");
    expect(renderSummary({...c, mlp: [], referenceFound: false}, context)).toContain("(MLP subset not run in this profile; `lever experiment --sf mlp` runs any part of it.)");
    expect(lines).toContain("| trivial | P+G | X1 | 0000 | 100.00 / 100.00 | 100.00 / 90.00 | [] / [1] |");
  });

  it("renders the same text from the comparison read back from JSON (the Reproducing page's document)", () => {
    const page = JSON.parse(JSON.stringify({...c, steps: c.steps.map((s) => ({...s, ours: {}, ref: null, regressorReport: null}))}));
    expect(renderSummary(page, context)).toBe(text);
  });
});
