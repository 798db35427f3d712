// Tests for lib/steer/studies.ts (spec/steering.md §4, §5, §7 C2–C3, §8.7): the study matrix and its
// episode counts, one tiny unit per study with every field the issue lists, determinism under fixed
// seeds, the frozen-weights invariant, the identity gaps, and the summaries.
import {beforeAll, describe, expect, it} from "vitest";
import {
  assembleStudy, clearModelCache, CONFIGS_13, CONFIGS_R, modelKey, planEpisodes, planStudy, runUnit, STUDIES, STUDY_IDS, summarizeStudy,
  type ProfileScale, type UnitResult,
} from "../../lib/steer/studies.js";

const TINY: Partial<ProfileScale> = {seeds: 1, episodes: 4, trainSteps: 40, datasetEpisodes: 20, mazeTransitions: 3000, calStates: 100};
const LABELS = ["help", "frozen", "hurt"];

function checkUnit(u: UnitResult, configs: number): void {
  expect(typeof u.env).toBe("string");
  expect(typeof u.dataset).toBe("string");
  expect(Number.isInteger(u.seed)).toBe(true);
  expect(typeof u.condition).toBe("string");
  expect(Object.keys(u.scores)).toHaveLength(configs);
  for (const s of Object.values(u.scores)) {
    expect(s).toHaveLength(TINY.episodes as number);
    for (const x of s) expect(Number.isFinite(x)).toBe(true);
  }
  expect([0, 0.1, 0.3, 0.5, 0.7, 0.9]).toContain(u.alphaStar);
  expect([0, 0.1, 0.3, 0.5, 0.7, 0.9]).toContain(u.alphaOracle);
  expect(Object.keys(u.labels).sort()).toEqual([...Object.keys(u.scores).filter((k) => k !== "frozen"), "selector", "oracle"].sort());
  for (const l of [...Object.values(u.labels), ...Object.values(u.labelsWelch)]) expect(LABELS).toContain(l);
  expect(u.identity.maxMeanAbsDiff).toBeLessThanOrEqual(1e-9);
  expect(u.identity.maxCovRatioErr).toBeLessThanOrEqual(1e-9);
  expect(u.identity.statesChecked).toBeGreaterThan(0);
  expect(u.hashes.actorBefore).toMatch(/^[0-9a-f]{16}$/);
  expect(u.hashes.actorAfter).toBe(u.hashes.actorBefore);
  expect(u.hashes.actorAfter).toBe(u.hashes.actorTrained);
  expect(u.hashes.unchanged).toBe(true);
  expect(u.selector.curve).toHaveLength(5);
  for (let i = 1; i < 5; i++) expect(u.selector.curve[i]).toBeGreaterThanOrEqual(u.selector.curve[i - 1]);
}

describe("planStudy(study, profile): the §8.7 matrix", () => {
  it("paper profile mirrors the paper's episode counts (3,900 for A, 5,850 for B)", () => {
    const counts = Object.fromEntries(STUDY_IDS.map((s) => {
      const plan = planStudy(s, "paper");
      return [s, [plan.length, planEpisodes(plan)]];
    }));
    expect(counts).toEqual({A: [12, 3900], B: [18, 5850], R: [60, 18000], M: [6, 1950]});
  });
  it("quick profile: 1 seed, 8 episodes", () => {
    const plan = planStudy("A", "quick");
    expect(plan).toHaveLength(4);
    expect(plan.every((u) => u.episodes === 8 && u.seed === 0)).toBe(true);
  });
  it("configs: 13 (Frozen, Prior, Additive, PoE × 5, KL-Reg × 5) and R's 12", () => {
    expect(CONFIGS_13.map((c) => c.id)).toEqual(["frozen", "prior", "additive-0.5", "poe-0.1", "poe-0.3", "poe-0.5", "poe-0.7", "poe-0.9", "klreg-0.1", "klreg-0.3", "klreg-0.5", "klreg-0.7", "klreg-0.9"]);
    expect(CONFIGS_13.find((c) => c.id === "klreg-0.5")?.beta).toBe(1);
    expect(CONFIGS_R).toHaveLength(12);
    expect(STUDIES.R.conditions).toHaveLength(5);
  });
  it("study R's clean units share A's models (same modelKey), its conditions share one key per cell", () => {
    const a = planStudy("A", "paper");
    const r = planStudy("R", "paper");
    expect(new Set(r.map(modelKey)).size).toBe(12);
    expect(new Set([...a, ...r].map(modelKey)).size).toBe(12);
  });
  it("unknown studies and profiles throw RangeError", () => {
    expect(() => planStudy("Z" as never, "paper")).toThrow(/invalid study: "Z" \(accepted: A, B, R, M\)/);
    expect(() => planStudy("A", "slow" as never)).toThrow(RangeError);
    expect(() => planStudy("A", "paper", {scale: {episodes: 1}})).toThrow(RangeError);
  });
});

describe("runUnit(spec): one tiny unit per study", () => {
  let a: UnitResult;
  beforeAll(() => {
    clearModelCache();
    a = runUnit(planStudy("A", "quick", {scale: TINY})[0]);
  });

  it("study A: every field, labels in {help, frozen, hurt}, identity ≤ 1e-9, frozen hash unchanged", () => {
    checkUnit(a, 13);
    expect(a.study).toBe("A");
    expect(a.metric).toBe("normalized");
    expect(a.identity.maxActionDiff).toBeLessThanOrEqual(1e-9);
    expect(a.identity.maxScoreDiff).toBeLessThanOrEqual(1e-9);
    // Deterministic PoE(α) ≡ KL-Reg(α/(1−α)) (§7 C2): identical per-episode scores.
    for (const x of [0.1, 0.3, 0.5, 0.7, 0.9]) expect(a.scores[`klreg-${x}`]).toEqual(a.scores[`poe-${x}`]);
  });

  it("is deterministic: same spec → identical JSON, with or without the model cache", () => {
    const spec = planStudy("A", "quick", {scale: TINY})[0];
    const cached = runUnit(spec);
    expect(cached.trained).toBe(false);
    clearModelCache();
    const fresh = runUnit(spec);
    expect(fresh.trained).toBe(true);
    const strip = (u: UnitResult) => JSON.stringify({...u, trained: null});
    expect(strip(cached)).toBe(strip(a));
    expect(strip(fresh)).toBe(strip(a));
  });

  it("another base seed gives other episodes", () => {
    const other = runUnit(planStudy("A", "quick", {scale: TINY, baseSeed: 7})[0]);
    expect(other.scores.frozen).not.toEqual(a.scores.frozen);
  });

  it("study R, random prior: 12 configs, KL-Reg not evaluated, selector and labels present", () => {
    const spec = planStudy("R", "quick", {scale: TINY}).find((u) => u.condition.kind === "random")!;
    const r = runUnit(spec);
    checkUnit(r, 12);
    expect(r.condition).toBe("random");
    expect(r.identity.maxActionDiff).toBeNull();
  });

  it("study M: success metric (scores are 0 or 100)", () => {
    const m = runUnit(planStudy("M", "quick", {scale: {...TINY, episodes: 3}})[0]);
    expect(m.metric).toBe("success");
    expect(m.analog).toBe("antmaze");
    for (const s of Object.values(m.scores)) for (const x of s) expect([0, 100]).toContain(x);
    expect(m.hashes.unchanged).toBe(true);
    expect(m.identity.maxMeanAbsDiff).toBeLessThanOrEqual(1e-9);
  });

  it("summarizeStudy / assembleStudy: counts add up, study-level identity and hash fields", () => {
    const units = [a, runUnit(planStudy("A", "quick", {scale: TINY})[1])];
    const s = summarizeStudy(units);
    for (const split of Object.values(s.counts)) expect(split.help + split.frozen + split.hurt).toBe(2);
    expect(s.paperSplit).toEqual({help: 4, frozen: 5, hurt: 3});
    expect(s.headline.map((h) => h.rule)).toEqual(["poe-0.5", "selector"]);
    const out = assembleStudy("A", "quick", units.slice().reverse(), {scale: TINY});
    expect(out.units.map((u) => u.id)).toEqual([a.id, units[1].id]);
    expect(out.identity.maxMeanAbsDiff).toBeLessThanOrEqual(1e-9);
    expect(out.identity.maxCovRatioErr).toBeLessThanOrEqual(1e-9);
    expect(out.frozenUnchanged).toBe(true);
    expect(out.episodes).toBe(2 * 13 * 4);
    expect(out.paperEpisodes).toBe(3900);
  });
});
