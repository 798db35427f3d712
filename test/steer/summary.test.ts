import {describe, expect, it} from "vitest";
import {degradationCurves, filterUnits, labelSplit, pooledScores, ruleMeans, seedSpread, selectorCurves, splitRows} from "../../lib/steer/summary.js";
import type {SummaryUnit} from "../../lib/steer/summary.js";

const GRID = [0.1, 0.3, 0.5, 0.7, 0.9];

function unit(env: string, condition: string, shift: number, withKl = false): SummaryUnit {
  const frozen = [50, 52, 48, 51, 49];
  const scores: Record<string, number[]> = {frozen, prior: frozen.map((x) => x - 30)};
  const configs: SummaryUnit["configs"] = [
    {id: "frozen", family: "frozen", alpha: null, beta: null},
    {id: "prior", family: "prior", alpha: null, beta: null},
  ];
  for (const a of GRID) {
    scores[`poe-${a}`] = frozen.map((x, i) => x + shift * a + (i % 2) * 0.1);
    scores[`additive-${a}`] = frozen.map((x) => x - 30 * a);
    configs.push({id: `poe-${a}`, family: "poe", alpha: a, beta: null}, {id: `additive-${a}`, family: "additive", alpha: a, beta: null});
    if (withKl) {
      scores[`klreg-${a}`] = scores[`poe-${a}`].slice();
      configs.push({id: `klreg-${a}`, family: "klreg", alpha: a, beta: a / (1 - a)});
    }
  }
  return {
    id: `R/${env}/medium/s0/${condition}`,
    env,
    dataset: "medium",
    seed: 0,
    condition,
    dim: 3,
    metric: "normalized",
    configs,
    scores,
    alphaStar: 0.5,
    alphaOracle: 0.9,
    selector: {alpha: 0.5, budget: 0.3, curve: [0.01, 0.05, 0.2, 0.4, 0.9]},
    labels: {"poe-0.5": "help", selector: "frozen"},
    labelsWelch: {"poe-0.5": "frozen", selector: "frozen"},
  };
}

describe("filterUnits / pooledScores", () => {
  const units = [unit("Reach3", "clean", 10), unit("Reach6", "clean", 10), unit("Reach3", "random", 0)];
  it("treats 'all' as a wildcard", () => {
    expect(filterUnits(units, {env: "all", condition: "clean"}).map((u) => u.env)).toEqual(["Reach3", "Reach6"]);
    expect(filterUnits(units, {env: "Reach3"})).toHaveLength(2);
  });
  it("concatenates episodes in unit order and returns null when a config is missing", () => {
    expect(pooledScores(units.slice(0, 2), "frozen")).toHaveLength(10);
    expect(pooledScores(units, "klreg-0.5")).toBeNull();
  });
});

describe("degradationCurves(units)", () => {
  it("anchors every rule at the frozen actor (α = 0) and the prior (α = 1), pairs Δ with the frozen actor", () => {
    const d = degradationCurves([unit("Reach3", "clean", 10)]);
    expect(d.frozen.mean).toBe(50);
    expect(d.prior?.mean).toBe(20);
    for (const rule of ["poe", "klreg", "additive"]) {
      const rows = d.rows.filter((r) => r.rule === rule);
      expect(rows.map((r) => r.alpha)).toEqual([0, ...GRID, 1]);
      expect(rows[0].mean).toBe(50);
      expect(rows[rows.length - 1].mean).toBe(20);
    }
    const add09 = d.rows.find((r) => r.rule === "additive" && r.alpha === 0.9)!;
    expect(add09.delta).toBeCloseTo(-27, 12);
    expect(add09.label).toBe("hurt");
    const poe09 = d.rows.find((r) => r.rule === "poe" && r.alpha === 0.9)!;
    expect(poe09.label).toBe("help");
    expect(poe09.lo).toBeLessThan(poe09.mean);
  });
  it("draws KL-Reg from PoE when KL-Reg was not evaluated, and from its own scores when it was", () => {
    const without = degradationCurves([unit("Reach3", "clean", 10)]);
    expect(without.rows.filter((r) => r.rule === "klreg" && r.alpha > 0 && r.alpha < 1).every((r) => r.source === "identity")).toBe(true);
    const withKl = degradationCurves([unit("Reach3", "clean", 10, true)]);
    expect(withKl.rows.filter((r) => r.rule === "klreg" && r.alpha > 0 && r.alpha < 1).every((r) => r.source === "evaluated")).toBe(true);
    const poe = withKl.rows.filter((r) => r.rule === "poe").map((r) => r.mean);
    const kl = withKl.rows.filter((r) => r.rule === "klreg").map((r) => r.mean);
    expect(kl).toEqual(poe);
  });
  it("rejects an empty selection", () => {
    expect(() => degradationCurves([])).toThrow(RangeError);
  });
});

describe("selectorCurves(units)", () => {
  it("prepends D(0) = 0, divides by the budget and marks α* and the oracle", () => {
    const {rows, marks} = selectorCurves([unit("Reach3", "clean", 10)]);
    expect(rows.map((r) => r.alpha)).toEqual([0, ...GRID]);
    expect(rows[3].ratio).toBeCloseTo(0.2 / 0.3, 12);
    expect(marks[0]).toMatchObject({alphaStar: 0.5, alphaOracle: 0.9});
    expect(marks[0].ratioOracle).toBeCloseTo(3, 12);
  });
});

describe("labelSplit / splitRows / ruleMeans", () => {
  const units = [unit("Reach3", "clean", 10), unit("Reach6", "clean", 10)];
  it("counts the build's labels, paired or Welch", () => {
    expect(labelSplit(units, "poe-0.5")).toEqual({help: 2, frozen: 0, hurt: 0});
    expect(labelSplit(units, "poe-0.5", "labelsWelch")).toEqual({help: 0, frozen: 2, hurt: 0});
    expect(splitRows([{group: "A", source: "ours", split: {help: 1, frozen: 2, hurt: 3}}]).map((r) => r.count)).toEqual([1, 2, 3]);
  });
  it("gives one mean per unit and config", () => {
    const m = ruleMeans(units);
    expect(m).toHaveLength(2 * units[0].configs.length);
    expect(m.find((r) => r.config === "prior")?.mean).toBe(20);
  });
});

describe("seedSpread(units, rule): Help/Frozen/Hurt per seed and their spread (issue 13 §5)", () => {
  const at = (seed: number, label: "help" | "frozen" | "hurt"): SummaryUnit => ({...unit("Reach3", "clean", 1), seed, labels: {"poe-0.5": label, selector: "frozen"}});
  it("counts per seed, totals, min/max and the sample sd over seeds", () => {
    // seed 0: help, help, hurt; seed 1: frozen, help, frozen; seed 2: hurt, hurt, frozen.
    const units = [at(0, "help"), at(0, "help"), at(0, "hurt"), at(1, "frozen"), at(1, "help"), at(1, "frozen"), at(2, "hurt"), at(2, "hurt"), at(2, "frozen")];
    const s = seedSpread(units, "poe-0.5");
    expect(s.seeds).toEqual([0, 1, 2]);
    expect(s.perSeed).toEqual([
      {help: 2, frozen: 0, hurt: 1},
      {help: 1, frozen: 2, hurt: 0},
      {help: 0, frozen: 1, hurt: 2},
    ]);
    expect(s.total).toEqual({help: 3, frozen: 3, hurt: 3});
    expect(s.min).toEqual({help: 0, frozen: 0, hurt: 0});
    expect(s.max).toEqual({help: 2, frozen: 2, hurt: 2});
    // Each label's per-seed counts are a permutation of {0, 1, 2}: sd = 1.
    expect(s.sd.help).toBeCloseTo(1, 14);
    expect(s.sd.frozen).toBeCloseTo(1, 14);
    expect(s.sd.hurt).toBeCloseTo(1, 14);
  });
  it("one seed: no spread (sd 0, min = max = total); the Welch labels on request", () => {
    const s = seedSpread([at(4, "help"), at(4, "frozen")], "poe-0.5");
    expect(s.seeds).toEqual([4]);
    expect(s.sd).toEqual({help: 0, frozen: 0, hurt: 0});
    expect(s.min).toEqual(s.max);
    expect(seedSpread([at(0, "help")], "poe-0.5", "labelsWelch").total).toEqual({help: 0, frozen: 1, hurt: 0});
  });
  it("a list of rules sums each seed's counts over the rules (unit × rule cells)", () => {
    // seed 0: poe-0.5 help, help; selector frozen, frozen. seed 1: poe-0.5 hurt; selector frozen.
    const s = seedSpread([at(0, "help"), at(0, "help"), at(1, "hurt")], ["poe-0.5", "selector"]);
    expect(s.perSeed).toEqual([
      {help: 2, frozen: 2, hurt: 0},
      {help: 0, frozen: 1, hurt: 1},
    ]);
    expect(s.total).toEqual({help: 2, frozen: 3, hurt: 1});
    expect(s.min).toEqual({help: 0, frozen: 1, hurt: 0});
  });
});
