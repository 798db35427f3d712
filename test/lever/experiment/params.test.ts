// lib/lever/experiment/params.ts: the one set of defaults of a launched run (experimentDefaults) and
// its resolution with given settings.
import {describe, expect, it} from "vitest";
import {parseSpecSet} from "../../../lib/lever/env/layout.js";
import {DEFAULT_EXPERIMENT_PARAMS, defaultGoldPenalty, experimentDefaults, LAUNCHED_SF, resolveExperimentSettings, SWEEP_METHOD} from "../../../lib/lever/experiment/params.js";

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
    expect(d.params).toEqual({...DEFAULT_EXPERIMENT_PARAMS, method: "qsum", goldPenalty: "legacy", sf: LAUNCHED_SF});
    expect(Object.keys(d.params)).toEqual(Object.keys(DEFAULT_EXPERIMENT_PARAMS));
    expect(d).toMatchObject({librarySf: "lstd", regressor: "linear", regressorBySpec: false, canonical: 128, embedSeed: 0});
  });
  it("the only departure from the faithful params is the SF scoring: lstd for launched runs, mlp in lib", () => {
    expect(LAUNCHED_SF).toBe("lstd");
    expect(DEFAULT_EXPERIMENT_PARAMS.sf).toBe("mlp");
    const d = experimentDefaults(g16);
    const differ = Object.keys(DEFAULT_EXPERIMENT_PARAMS).filter((k) => d.params[k as keyof typeof d.params] !== DEFAULT_EXPERIMENT_PARAMS[k as keyof typeof DEFAULT_EXPERIMENT_PARAMS]);
    expect(differ).toEqual(["sf"]);
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
