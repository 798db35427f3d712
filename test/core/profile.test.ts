// lib/core/profile.ts: the one definition of the build profiles, and what the planners read from it.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {parseProfile, PROFILE_SCOPES, PROFILES} from "../../lib/core/profile.js";
import {PROFILE_SCALES, scaleOf, STUDY_PROFILES} from "../../lib/steer/studies.js";
import {TRAIN_DEFAULTS} from "../../lib/steer/train.js";
import {ROOT} from "../paths.js";

describe("parseProfile(value, what)", () => {
  it("accepts quick and paper", () => {
    expect(PROFILES).toEqual(["quick", "paper"]);
    for (const p of PROFILES) expect(parseProfile(p)).toBe(p);
  });
  it("names the source of a bad value in one line", () => {
    expect(() => parseProfile("fast", "--profile")).toThrow(/^invalid --profile: "fast" \(accepted: quick, paper\)$/);
    expect(() => parseProfile("Quick")).toThrow(RangeError);
  });
});

describe("PROFILE_SCOPES", () => {
  it("paper is what the papers ran: every spec of grid16 and grid32, the paper's study scale (§8.4 training steps)", () => {
    const p = PROFILE_SCOPES.paper;
    expect(p.libraries).toEqual([
      {specSet: "grid16", specs: ["X1", "X5", "X10"]},
      {specSet: "grid32", specs: ["X1", "X5", "X10"]},
    ]);
    expect(p.reproduce).toMatchObject({specs: ["X1", "X5", "X10"], grid32: true, grid16Scaled: true});
    expect(p.steer).toMatchObject({seeds: 5, episodes: 25, trainSteps: TRAIN_DEFAULTS.steps, datasetEpisodes: 300, mazeTransitions: 40_000, calStates: 2000});
  });
  it("quick is a subset of paper in every artefact", () => {
    const q = PROFILE_SCOPES.quick;
    const p = PROFILE_SCOPES.paper;
    for (const l of q.libraries) expect(p.libraries.find((x) => x.specSet === l.specSet)!.specs).toEqual(expect.arrayContaining([...l.specs]));
    expect(p.reproduce.specs).toEqual(expect.arrayContaining([...q.reproduce.specs]));
    expect(p.agreement.seeds).toEqual(expect.arrayContaining([...q.agreement.seeds]));
    expect(p.agreement.labels).toEqual(expect.arrayContaining([...q.agreement.labels]));
    for (const k of ["seeds", "episodes", "trainSteps", "datasetEpisodes", "mazeTransitions", "calStates"] as const) expect(q.steer[k]).toBeLessThanOrEqual(p.steer[k]);
  });
  it("is what lib/steer/studies.ts plans with (one definition)", () => {
    expect(STUDY_PROFILES).toBe(PROFILES);
    for (const p of PROFILES) {
      expect(PROFILE_SCALES[p]).toBe(PROFILE_SCOPES[p].steer);
      expect(scaleOf(p)).toEqual(PROFILE_SCOPES[p].steer);
    }
    // §8.7: "1 seed, 8 episodes" for CI.
    expect(scaleOf("quick")).toMatchObject({seeds: 2, episodes: 8});
  });
  it("imports nothing, so editing a family's code never invalidates every artefact's cache key", () => {
    expect(readFileSync(join(ROOT, "lib/core/profile.ts"), "utf8")).not.toMatch(/^\s*import\b/m);
  });
});
