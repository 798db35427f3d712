// Tests for lib/steer/study-unit.ts and study-models.ts (spec/steering.md §4, §5, §7 C2–C3, §8.7): one
// tiny unit per study with every field the issue lists, determinism under fixed seeds with and without
// the model cache, the frozen-weights invariant and the identity gaps.
import {beforeAll, describe, expect, it} from "vitest";
import {planStudy} from "../../lib/steer/studies.js";
import {act} from "../../lib/steer/mlp.js";
import {ALPHA_GRID, calibratedBudget, selectFromCurve} from "../../lib/steer/select.js";
import {clearModelCache, modelsFor} from "../../lib/steer/study-models.js";
import {entropyGap, runUnit, type UnitResult} from "../../lib/steer/study-unit.js";
import {TINY} from "./study-fixtures.js";

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

  it("sampled evaluation: Frozen, PoE × 5 and KL-Reg × 5 with sampled actions, the entropy gap (d/2)·ln(1+β)", () => {
    const ids = ["frozen", ...[0.1, 0.3, 0.5, 0.7, 0.9].flatMap((x) => [`poe-${x}`, `klreg-${x}`])];
    expect(Object.keys(a.sampled.means).sort()).toEqual(ids.sort());
    expect(Object.keys(a.sampled.labels).sort()).toEqual(ids.filter((k) => k !== "frozen").sort());
    // d = 3 (Reach3): at α = 0.5, β = 1, the gap is 1.5·ln 2 nats.
    expect(a.sampled.entropyGap["0.5"]).toBeCloseTo(1.5 * Math.log(2), 4);
    expect(entropyGap(3, 0.9)).toBeCloseTo(1.5 * Math.log(10), 12);
    // Sampling changes the frozen actor's score, and PoE and KL-Reg no longer coincide.
    expect(a.sampled.means.frozen).not.toBe(a.means.frozen);
    expect([0.1, 0.3, 0.5, 0.7, 0.9].some((x) => a.sampled.means[`poe-${x}`] !== a.sampled.means[`klreg-${x}`])).toBe(true);
    for (const iv of Object.values(a.sampled.poeMinusKlreg)) expect(iv.lo).toBeLessThanOrEqual(iv.hi);
    expect(a.rho.q25).toBeLessThanOrEqual(a.rho.median);
    expect(a.rho.median).toBeLessThanOrEqual(a.rho.q75);
  });

  it("study R, confident-wrong prior: measured ρ = σ0²/σp² is 4 at the median (σp = ½ the actor's median σ0)", () => {
    const spec = planStudy("R", "quick", {scale: TINY}).find((u) => u.condition.kind === "confident-wrong")!;
    const r = runUnit(spec);
    checkUnit(r, 12);
    expect(r.rho.median).toBeCloseTo(4, 3);
  });

  it("study M: success metric (scores are 0 or 100)", () => {
    const m = runUnit(planStudy("M", "quick", {scale: {...TINY, episodes: 3}})[0]);
    expect(m.metric).toBe("success");
    expect(m.analog).toBe("antmaze");
    for (const s of Object.values(m.scores)) for (const x of s) expect([0, 100]).toContain(x);
    expect(m.hashes.unchanged).toBe(true);
    expect(m.identity.maxMeanAbsDiff).toBeLessThanOrEqual(1e-9);
  });
});

describe("runUnit: the calibrated selector budget and the strict oracle test (issue 13 §5)", () => {
  it("ε is the actor's one-step KL on the held-out pairs; α* follows it; the fixed 0.1·d is the sensitivity; strict ⇔ gap ≤ 1", () => {
    const spec = planStudy("L", "quick", {scale: TINY})[0];
    const u = runUnit(spec);
    const {models} = modelsFor(spec);
    const held = act(models.actor.model, models.heldActorIn);
    expect(u.selector.budgetRule).toBe("calibrated");
    expect(u.selector.budget).toBe(calibratedBudget(held, models.heldPairs));
    expect(u.selector.heldOutPairs).toBe(models.heldPairs.length);
    expect(u.selector.heldOutPairs).toBeGreaterThan(0);
    expect(u.alphaStar).toBe(selectFromCurve(ALPHA_GRID, u.selector.curve, u.selector.budget).alpha);
    expect(u.selector.fixed.budget).toBeCloseTo(0.1 * u.dim, 15);
    expect(u.selector.fixed.alpha).toBe(selectFromCurve(ALPHA_GRID, u.selector.curve, 0.1 * u.dim).alpha);
    expect(u.nearOracleStrict).toBe(u.oracle.score - u.oracle.selectedScore <= 1 + 1e-9);
    expect(u.selector.fixed.nearOracleStrict).toBe(u.selector.fixed.gap <= 1 + 1e-9);
    // The held-out states are not the training data.
    expect(models.heldActorIn.subarray(0, 9)).not.toEqual(models.dataset.observations.subarray(0, 9));
  });
  it("budgetRule fixed: ε = 0.1·d and α* is the fixed one", () => {
    const spec = {...planStudy("L", "quick", {scale: TINY})[0], budgetRule: "fixed" as const};
    const u = runUnit(spec);
    expect(u.selector.budget).toBeCloseTo(0.1 * u.dim, 15);
    expect(u.alphaStar).toBe(u.selector.fixed.alpha);
  });
});
