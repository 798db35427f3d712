// Tests for lib/steer/live.ts (the live pages' pure logic) and the steer-models loader
// (spec/steering.md §2.4, §3, §5, §7 C1–C3, §8.6): determinism, PoE at α = 0 is the frozen actor,
// PoE(α) ≡ KL-Reg(α/(1−α)) episode by episode, the identity report, intervals, and the loader's output.
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {main as steerModels} from "../../data-loaders/steer-models.js";
import {Rng} from "../../lib/core/rng.js";
import {makeReachDataset} from "../../lib/steer/datasets.js";
import {makeReach} from "../../lib/steer/envs.js";
import type {LiveModels, LiveOptions, LiveRule} from "../../lib/steer/live.js";
import {correlated, expertsAt, identityReport, LIVE_RULES, liveModels, ruleSpec, runLive, sampleStates} from "../../lib/steer/live.js";
import {toJSON, weightsHash} from "../../lib/steer/mlp.js";
import type {PriorCondition} from "../../lib/steer/priors.js";
import {trainActor, trainPrior} from "../../lib/steer/train.js";

const env = makeReach("Reach2");
let models: LiveModels;

const CONDITIONS: PriorCondition[] = [
  {kind: "clean"},
  {kind: "noisy-overconfident", eta: 0.3},
  {kind: "noisy-calibrated", eta: 0.3},
  {kind: "biased", eta: 0.3},
  {kind: "random"},
  {kind: "random-scaled"},
  {kind: "wrong-goal"},
  {kind: "confident-wrong"},
  {kind: "drift", eta: 0.3},
];

beforeAll(() => {
  const ds = makeReachDataset(env, "medium", 0, {episodes: 30});
  const actor = trainActor(env, ds, new Rng(1), {steps: 200}).model;
  const prior = trainPrior(env, ds, new Rng(2), {steps: 200}).model;
  // Through JSON, as the pages receive them.
  models = liveModels(env, JSON.parse(JSON.stringify(toJSON(actor))), JSON.parse(JSON.stringify(toJSON(prior))));
});

const base: LiveOptions = {rule: "poe", alpha: 0.5, condition: {kind: "clean"}, episodes: 8, seed: 3};

describe("runLive(models, options)", () => {
  it("is deterministic: the same options give bit-identical scores and paths", () => {
    for (const condition of CONDITIONS) {
      const a = runLive(models, {...base, condition});
      const b = runLive(models, {...base, condition});
      expect(b.scores).toEqual(a.scores);
      expect(b.positions).toEqual(a.positions);
      expect(b.frozenScores).toEqual(a.frozenScores);
      expect(b.goals).toEqual(a.goals);
    }
  });

  it("PoE at α = 0 is the frozen actor, exactly, under every prior condition", () => {
    for (const condition of CONDITIONS) {
      const r = runLive(models, {...base, alpha: 0, condition});
      expect(r.scores).toEqual(r.frozenScores);
      expect(r.positions).toEqual(r.frozenPositions);
      expect(r.delta).toBe(0);
    }
  });

  it("PoE(α) and KL-Reg(α/(1−α)) take identical episodes (§2.4, §7 C2)", () => {
    for (const condition of CONDITIONS) {
      for (const alpha of [0.1, 0.5, 0.9, 1]) {
        const p = runLive(models, {...base, rule: "poe", alpha, condition});
        const k = runLive(models, {...base, rule: "klreg", alpha, condition});
        expect(k.spec).toEqual({rule: "klreg", beta: alpha === 1 ? Infinity : alpha / (1 - alpha)});
        expect(Math.max(...k.positions.map((x, i) => Math.abs(x - p.positions[i])))).toBeLessThanOrEqual(1e-9);
        expect(Math.max(...k.scores.map((x, i) => Math.abs(x - p.scores[i])))).toBeLessThanOrEqual(1e-9);
      }
    }
  });

  it("every rule sees the same starts and goals for a seed; another seed gives other episodes", () => {
    const runs = LIVE_RULES.map((rule) => runLive(models, {...base, rule, condition: {kind: "biased", eta: 1}}));
    for (const r of runs) {
      expect(r.goals).toEqual(runs[0].goals);
      expect(r.frozenScores).toEqual(runs[0].frozenScores);
      for (let i = 0; i < r.episodes; i++) expect(r.positions[i * 61 * 2]).toBe(runs[0].positions[i * 61 * 2]);
    }
    expect(runLive(models, {...base, seed: 4}).goals).not.toEqual(runs[0].goals);
  });

  it("the frozen rule reports itself as the baseline, and the actor's weights never change (§7 C3)", () => {
    const before = weightsHash(models.actor);
    const f = runLive(models, {...base, rule: "frozen"});
    expect(f.scores).toEqual(f.frozenScores);
    expect(f.positions).toEqual(f.frozenPositions);
    for (const rule of LIVE_RULES) {
      const r = runLive(models, {...base, rule, condition: {kind: "random"}});
      expect(r.actorHashBefore).toBe(before);
      expect(r.actorHashAfter).toBe(before);
    }
  });

  it("views: deterministic PoE = KL-Reg; sampled they differ (KL-Reg narrower), entropy gap (d/2)·ln(1+β)", () => {
    const r = runLive(models, {...base, alpha: 0.9, condition: {kind: "random"}, episodes: 20});
    expect(r.views.deterministic.poe).toBe(r.views.deterministic.klreg);
    expect(r.views.deterministic.poe).toBeCloseTo(r.mean, 12);
    expect(r.views.sampled.poe).not.toBe(r.views.sampled.klreg);
    expect(r.views.entropyGap).toBeCloseTo(Math.log(10), 12); // d = 2, β = 9
    expect(r.views.sampledGap.mean).toBeCloseTo(r.views.sampled.poe - r.views.sampled.klreg, 9);
    expect(r.views.sampledGap.lo).toBeLessThanOrEqual(r.views.sampledGap.mean);
    // At α = 0 both views are the frozen actor, sampled with the same draws: identical.
    const z = runLive(models, {...base, alpha: 0});
    expect(z.views.sampled.poe).toBe(z.views.sampled.frozen);
    expect(z.views.sampled.klreg).toBe(z.views.sampled.frozen);
    expect(z.views.entropyGap).toBe(0);
  });

  it("the adversarial priors run live (random-scaled, wrong-goal, confident-wrong, drift)", () => {
    for (const condition of [{kind: "random-scaled"}, {kind: "wrong-goal"}, {kind: "confident-wrong"}, {kind: "drift", eta: 1}] as const) {
      const r = runLive(models, {...base, alpha: 0.9, condition});
      expect(r.scores.every(Number.isFinite)).toBe(true);
      expect(r.scores).not.toEqual(runLive(models, {...base, alpha: 0.9}).scores);
    }
  });

  it("returns shapes N×(H+1)×2 and a mean inside its interval", () => {
    const r = runLive(models, {...base, episodes: 5});
    expect(r.positions.length).toBe(5 * 61 * 2);
    expect(r.goals.length).toBe(10);
    expect(r.lo).toBeLessThanOrEqual(r.mean);
    expect(r.hi).toBeGreaterThanOrEqual(r.mean);
    expect(r.deltaLo).toBeLessThanOrEqual(r.delta);
  });

  it("validates its options with RangeError", () => {
    expect(() => runLive(models, {...base, rule: "sum" as LiveRule})).toThrow(/invalid rule/);
    expect(() => runLive(models, {...base, alpha: 1.5})).toThrow(/invalid alpha/);
    expect(() => runLive(models, {...base, episodes: 0})).toThrow(/invalid episodes/);
    expect(() => runLive(models, {...base, seed: -1})).toThrow(/invalid seed/);
    expect(() => runLive(models, {...base, condition: {kind: "noisy-calibrated", eta: -1}})).toThrow(/invalid eta/);
  });
});

describe("ruleSpec(rule, alpha)", () => {
  it("maps the page's rules to compositions, with β = α/(1−α) for KL-Reg", () => {
    expect(ruleSpec("poe", 0.3)).toEqual({rule: "poe", alpha: 0.3});
    expect(ruleSpec("klreg", 0.5)).toEqual({rule: "klreg", beta: 1});
    expect(ruleSpec("klreg", 1)).toEqual({rule: "klreg", beta: Infinity});
    expect(ruleSpec("additive", 0.2)).toEqual({rule: "additive", alpha: 0.2});
    expect(ruleSpec("residual", 0.2)).toEqual({rule: "residual", alpha: 0.2});
    expect(ruleSpec("frozen", 0.7)).toEqual({rule: "frozen"});
  });
});

describe("identityReport(actor, prior, alpha)", () => {
  it("finds the §2.4 identity to rounding, diagonal and full covariance, under every condition (§7 C1)", () => {
    const states = sampleStates(env, 64, 0);
    for (const condition of CONDITIONS) {
      const {actor, prior} = expertsAt(models, condition, states, 0);
      for (const alpha of [0, 0.01, 0.3, 0.5, 0.9, 0.99]) {
        const r = identityReport(actor, prior, alpha);
        const beta = alpha / (1 - alpha);
        expect(r.beta).toBeCloseTo(beta, 12);
        expect(r.meanGap).toBeLessThanOrEqual(1e-12);
        expect(r.ratioGap).toBeLessThanOrEqual(1e-12 * (1 + beta));
        expect(r.fullMeanGap).toBeLessThanOrEqual(1e-12);
        expect(r.fullRatioGap).toBeLessThanOrEqual(1e-11 * (1 + beta));
      }
    }
  });

  it("rejects α = 1 (the covariance ratio is undefined at β = ∞)", () => {
    const {actor, prior} = expertsAt(models, {kind: "clean"}, sampleStates(env, 4, 0), 0);
    expect(() => identityReport(actor, prior, 1)).toThrow(RangeError);
  });
});

describe("sampleStates / expertsAt / correlated", () => {
  it("draws seeded states in range", () => {
    const s = sampleStates(env, 100, 1);
    expect(s).toEqual(sampleStates(env, 100, 1));
    expect(s).not.toEqual(sampleStates(env, 100, 2));
    for (let r = 0; r < 100; r++) {
      for (const o of [0, 1, 4, 5]) expect(Math.abs(s[r * 6 + o])).toBeLessThanOrEqual(1);
      for (const o of [2, 3]) expect(Math.abs(s[r * 6 + o])).toBeLessThanOrEqual(0.5);
    }
  });

  it("expertsAt: the clean prior is the network's output; a calibrated noisy prior is wider by η²", () => {
    const states = sampleStates(env, 10, 0);
    const clean = expertsAt(models, {kind: "clean"}, states, 0);
    const cal = expertsAt(models, {kind: "noisy-calibrated", eta: 0.5}, states, 0);
    for (let i = 0; i < 20; i++) expect(cal.prior.variance[i]).toBeCloseTo(clean.prior.variance[i] + 0.25, 12);
    expect(cal.actor).toEqual(clean.actor);
  });

  it("correlated(mean, variance, rho) keeps the variances and sets the covariance", () => {
    const g = correlated([0, 1], [4, 9], 0.5);
    expect(Array.from(g.cov)).toEqual([4, 3, 3, 9]);
    expect(() => correlated([0, 1], [1, 1], 1)).toThrow(/invalid rho/);
  });
});

describe("data-loaders/steer-models.ts main()", () => {
  it("writes weights that reload with their hashes, and a reference evaluation that reproduces in Node", async () => {
    process.env.LEVER_CACHE_DIR = mkdtempSync(join(tmpdir(), "steer-models-"));
    const log: string[] = [];
    const out = JSON.parse(await steerModels((l) => log.push(l)));
    expect(out.env).toBe("Reach2");
    expect(out.actor.hash).toBe(out.hashes.actor);
    expect(out.prior.hash).toBe(out.hashes.prior);
    expect(out.protocol.steps).toBe(1500);
    expect(log.some((l) => l.includes("trained actor"))).toBe(true);
    const m = liveModels(env, out.actor, out.prior);
    const r = runLive(m, out.reference.options);
    expect(Array.from(r.scores)).toEqual(out.reference.scores);
    expect(Array.from(r.frozenScores)).toEqual(out.reference.frozenScores);
    // A second call reads the cached document instead of training again.
    const again: string[] = [];
    expect(JSON.parse(await steerModels((l) => again.push(l)))).toEqual(out);
    expect(again.some((l) => l.includes("cached"))).toBe(true);
  });
});
