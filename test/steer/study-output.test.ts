// Tests for lib/steer/study-output.ts (spec/steering.md §5, §6.1): the summary of two tiny study-A
// units and the assembled study output.
import {beforeAll, describe, expect, it} from "vitest";
import {planStudy} from "../../lib/steer/studies.js";
import {clearModelCache} from "../../lib/steer/study-models.js";
import {assembleStudy, summarizeStudy} from "../../lib/steer/study-output.js";
import {runUnit, type UnitResult} from "../../lib/steer/study-unit.js";
import {TINY} from "./study-fixtures.js";

describe("summarizeStudy(units) / assembleStudy(study, profile, units)", () => {
  let a: UnitResult;
  beforeAll(() => {
    clearModelCache();
    a = runUnit(planStudy("A", "quick", {scale: TINY})[0]);
  });

  it("summarizeStudy / assembleStudy: counts add up, study-level identity and hash fields", () => {
    const units = [a, runUnit(planStudy("A", "quick", {scale: TINY})[1])];
    const s = summarizeStudy(units);
    for (const split of Object.values(s.counts)) expect(split.help + split.frozen + split.hurt).toBe(2);
    expect(s.paperSplit).toEqual({help: 4, frozen: 5, hurt: 3});
    expect(s.headline.map((h) => h.rule)).toEqual(["poe-0.5", "selector"]);
    // Sampled-action means: the mean over units of each unit's sampled mean.
    for (const k of ["frozen", "poe-0.9", "klreg-0.9"]) expect(s.sampledMeanScores[k]).toBeCloseTo((units[0].sampled.means[k] + units[1].sampled.means[k]) / 2, 3);
    const out = assembleStudy("A", "quick", units.slice().reverse(), {scale: TINY});
    expect(out.units.map((u) => u.id)).toEqual([a.id, units[1].id]);
    expect(out.identity.maxMeanAbsDiff).toBeLessThanOrEqual(1e-9);
    expect(out.identity.maxCovRatioErr).toBeLessThanOrEqual(1e-9);
    expect(out.frozenUnchanged).toBe(true);
    expect(out.episodes).toBe(2 * 13 * 4);
    expect(out.paperEpisodes).toBe(3900);
  });
});
