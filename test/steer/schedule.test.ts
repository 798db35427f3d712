// lib/steer/schedule.ts (units grouped by shared models, largest first) and compose-cost.ts.
import {describe, expect, it} from "vitest";
import {measureComposeCost} from "../../lib/steer/compose-cost.js";
import {scheduleUnits} from "../../lib/steer/schedule.js";
import {modelKey, planStudy, unitCost} from "../../lib/steer/studies.js";

describe("scheduleUnits(units)", () => {
  const units = [...planStudy("A", "quick"), ...planStudy("R", "quick")];
  const groups = scheduleUnits(units);
  it("every unit once; a group shares one model key (A's unit joins R's units of its cell)", () => {
    expect(groups.flat().length).toBe(units.length);
    expect(new Set(groups.flat().map((u) => u.id)).size).toBe(units.length);
    for (const g of groups) expect(new Set(g.map(modelKey)).size).toBe(1);
    expect(new Set(groups.map((g) => modelKey(g[0]))).size).toBe(groups.length);
    expect(groups.some((g) => g.some((u) => u.study === "A") && g.some((u) => u.study === "R"))).toBe(true);
  });
  it("largest estimated cost first", () => {
    const cost = (g: typeof units) => g.reduce((s, u) => s + unitCost(u), 0) + 2 * 128 * g[0].trainSteps;
    for (let i = 1; i < groups.length; i++) expect(cost(groups[i - 1])).toBeGreaterThanOrEqual(cost(groups[i]));
  });
});

describe("measureComposeCost(dims, n)", () => {
  it("one positive timing per dimension, ns per dimension consistent", () => {
    const r = measureComposeCost([2, 8], 5);
    expect(r.map((x) => x.dim)).toEqual([2, 8]);
    for (const x of r) {
      expect(x.nsPerState).toBeGreaterThan(0);
      expect(x.nsPerDim).toBeCloseTo(x.nsPerState / x.dim, 1);
    }
  });
});
