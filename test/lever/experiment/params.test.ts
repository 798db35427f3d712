// lib/lever/experiment/params.ts: the one set of defaults of a launched run (experimentDefaults) and
// its resolution with given settings.
import {describe, expect, it} from "vitest";
import {parseSpecSet} from "../../../lib/lever/env/layout.js";
import {DEFAULT_EXPERIMENT_PARAMS, defaultGoldPenalty, experimentDefaults, LAUNCHED_MEMO, LAUNCHED_SF, resolveExperimentSettings, SWEEP_METHOD} from "../../../lib/lever/experiment/params.js";

const g16 = parseSpecSet("grid16");
const g32 = parseSpecSet("grid32");
const g8 = parseSpecSet("grid8");

describe("defaultGoldPenalty(set, method)", () => {
  it("follows the reference tables: legacy for [main] except 32×32 ExNonZero, fractional for [v3]", () => {
    expect(defaultGoldPenalty(g16, "exnonzero")).toBe("legacy");
    expect(defaultGoldPenalty(g16, "qsum")).toBe("legacy");
    expect(defaultGoldPenalty(g32, "exnonzero")).toBe("fractional");
    expect(defaultGoldPenalty(g32, "qsum")).toBe("legacy");
    expect(defaultGoldPenalty(g8, "qsum")).toBe("fractional");
  });
});

describe("experimentDefaults(set, {method, rule})", () => {
  it("is DEFAULT_EXPERIMENT_PARAMS with the table's penalty and LAUNCHED_SF scoring on a [main] set", () => {
    const d = experimentDefaults(g16, {method: "qsum"});
    expect(d.params).toEqual({...DEFAULT_EXPERIMENT_PARAMS, method: "qsum", goldPenalty: "legacy", sf: LAUNCHED_SF, memo: LAUNCHED_MEMO});
    expect(Object.keys(d.params)).toEqual(Object.keys(DEFAULT_EXPERIMENT_PARAMS));
    expect(d).toMatchObject({librarySf: "lstd", regressor: "linear", regressorBySpec: false, canonical: 128, embedSeed: 0, embedSeeds: null});
  });
  it("the only departures from the faithful params are the SF scoring (lstd for launched runs, mlp in lib) and memoised scoring", () => {
    expect(LAUNCHED_SF).toBe("lstd");
    expect(DEFAULT_EXPERIMENT_PARAMS.sf).toBe("mlp");
    expect([DEFAULT_EXPERIMENT_PARAMS.memo, LAUNCHED_MEMO]).toEqual([false, true]); // faithful: one SF fit per combination
    const d = experimentDefaults(g16);
    const differ = Object.keys(DEFAULT_EXPERIMENT_PARAMS).filter((k) => d.params[k as keyof typeof d.params] !== DEFAULT_EXPERIMENT_PARAMS[k as keyof typeof DEFAULT_EXPERIMENT_PARAMS]);
    expect(differ).toEqual(["sf", "memo"]);
  });
  it("one estimator end to end: the library SF follows the scoring SF, a mix is refused in one line (issue 10 item 2)", () => {
    expect(resolveExperimentSettings(g16, {params: {method: "qsum", sf: "mlp"}}).librarySf).toBe("mlp");
    expect(resolveExperimentSettings(g16, {params: {method: "qsum"}}).librarySf).toBe("lstd");
    expect(resolveExperimentSettings(g16, {params: {method: "qsum", sf: "mlp"}, librarySf: "mlp"}).librarySf).toBe("mlp");
    expect(() => resolveExperimentSettings(g16, {params: {method: "qsum", sf: "mlp"}, librarySf: "lstd"})).toThrow(
      /^invalid library SF lstd with scoring SF mlp: the regressor is fitted on the library's embeddings/,
    );
    expect(() => resolveExperimentSettings(g16, {params: {method: "qsum"}, librarySf: "mlp"})).toThrow(/^invalid library SF mlp with scoring SF lstd/);
  });
  it("embedSeeds: null (every seed) or a non-empty list", () => {
    expect(resolveExperimentSettings(g16, {params: {method: "qsum"}, embedSeeds: [0, 2]}).embedSeeds).toEqual([0, 2]);
    for (const bad of [[], [-1], [0.5]]) expect(() => resolveExperimentSettings(g16, {params: {method: "qsum"}, embedSeeds: bad})).toThrow(/^invalid embedding seeds/);
  });
  it("[v3] sets: the v3 rule, spec filter, GBRT per spec, fractional penalty", () => {
    expect(experimentDefaults(g8, {method: "qsum"})).toMatchObject({params: {rule: "v3", specFilter: true, goldPenalty: "fractional"}, regressor: "gbrt", regressorBySpec: true});
  });
  it("the rule, when given, decides the filter and the regressor", () => {
    expect(experimentDefaults(g16, {method: "qsum", rule: "v3"})).toMatchObject({params: {rule: "v3", specFilter: true, goldPenalty: "legacy"}, regressor: "gbrt", regressorBySpec: true});
  });
  it("the k-sweep composes with Q-sum (§8.6)", () => {
    expect(SWEEP_METHOD).toBe("qsum");
  });
});

describe("resolveExperimentSettings(set, overrides)", () => {
  it("no overrides = the defaults; undefined means 'the default'", () => {
    expect(resolveExperimentSettings(g32, {params: {method: "exnonzero"}})).toEqual(experimentDefaults(g32, {method: "exnonzero"}));
    expect(resolveExperimentSettings(g16, {params: {method: "qsum", sf: undefined, rule: undefined}, regressor: undefined})).toEqual(experimentDefaults(g16, {method: "qsum"}));
  });
  it("given settings win, the others follow the given method and rule", () => {
    const s = resolveExperimentSettings(g32, {
      params: {method: "exnonzero", sf: "mlp", skipEmpty: true, memoPlanning: true, dedupeTargeted: true, scoreHazardSteps: true, timing: "zero"},
      regressor: "gbrt",
    });
    expect(s.params).toMatchObject({method: "exnonzero", goldPenalty: "fractional", sf: "mlp", skipEmpty: true, memoPlanning: true, dedupeTargeted: true, scoreHazardSteps: true, timing: "zero"});
    expect(s).toMatchObject({regressor: "gbrt", regressorBySpec: false});
  });
  it("validates in one line", () => {
    expect(() => resolveExperimentSettings(g16, {params: {sf: "nn" as never}})).toThrow(/invalid successor-feature method: "nn"/);
    expect(() => resolveExperimentSettings(g16, {params: {skipEmpty: "yes" as never}})).toThrow(/^invalid skipEmpty: "yes" \(accepted: true, false\)$/);
    expect(() => resolveExperimentSettings(g16, {canonical: 0})).toThrow(/invalid canonical states: 0/);
    expect(() => resolveExperimentSettings(g16, {librarySf: "x" as never})).toThrow(/invalid successor-feature method: "x"/);
  });
});
