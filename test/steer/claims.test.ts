// Tests for lib/steer/claims.ts (spec/steering.md §7): each claim evaluator on hand-built study outputs
// designed to give "held", "partly held" and "not held", plus the random identity check of C1.
import {describe, expect, it} from "vitest";
import type {ClaimsInput, ClaimUnit} from "../../lib/steer/claims.js";
import {claimC1, claimC10, claimC2, claimC3, claimC4, claimC5, claimC6, claimC7, claimC8, claimC9, evaluateClaims, randomIdentityCheck, tallyClaims} from "../../lib/steer/claims.js";
import {numericIdentityCheck} from "../../lib/steer/identity-numeric.js";
import {_klReg} from "../../lib/steer/gauss.js";
import type {Label} from "../../lib/steer/stats.js";

const GRID = [0.1, 0.3, 0.5, 0.7, 0.9];
const IDENTITY = randomIdentityCheck(0, 500, 20);
const NUMERIC = numericIdentityCheck({cases: 20});

/** A unit with every rule tied to a frozen score of 50, overridable. */
function unit(over: Partial<ClaimUnit> & {labelsOver?: Record<string, Label>; meansOver?: Record<string, number>} = {}): ClaimUnit {
  const means: Record<string, number> = {frozen: 50, prior: 50};
  const labels: Record<string, Label> = {prior: "frozen", selector: "frozen", oracle: "frozen"};
  for (const a of GRID) {
    for (const f of ["poe", "klreg", "additive"]) {
      means[`${f}-${a}`] = 50;
      labels[`${f}-${a}`] = "frozen";
    }
  }
  const {labelsOver = {}, meansOver = {}, ...rest} = over;
  return {
    id: "u",
    env: "Reach3",
    dataset: "medium",
    seed: 0,
    condition: "clean",
    metric: "normalized",
    means: {...means, ...meansOver},
    labels: {...labels, ...labelsOver},
    alphaStar: 0.1,
    oracle: {alpha: 0.1, score: 50, selectedScore: 50, gap: 0, halfWidth: 1, nearOracle: true},
    identity: {maxMeanAbsDiff: 1e-16, maxCovRatioErr: 1e-15, statesChecked: 10, maxActionDiff: 0, maxScoreDiff: 0},
    hashes: {actorTrained: "a", actorBefore: "a", actorAfter: "a", prior: "p", unchanged: true},
    ...rest,
  };
}

const input = (studies: ClaimsInput["studies"], extra: Partial<ClaimsInput> = {}): ClaimsInput => ({studies, identity: IDENTITY, numeric: NUMERIC, ...extra});

describe("randomIdentityCheck() and C1", () => {
  it("the §2.4 identity holds to 1e-12 (relative) on random diagonal and full Gaussians", () => {
    expect(IDENTITY.diag.maxMeanRel).toBeLessThanOrEqual(1e-12);
    expect(IDENTITY.diag.maxRatioRel).toBeLessThanOrEqual(1e-12);
    expect(IDENTITY.full.maxMeanRel).toBeLessThanOrEqual(1e-12);
    expect(IDENTITY.full.maxCovRel).toBeLessThanOrEqual(1e-12);
    expect(randomIdentityCheck(0, 500, 20)).toEqual(IDENTITY);
  });
  it("held / partly held / not held", () => {
    expect(claimC1(input({A: {units: [unit()]}})).status).toBe("held");
    const bad = unit({identity: {maxMeanAbsDiff: 1e-3, maxCovRatioErr: 0, statesChecked: 1, maxActionDiff: 0, maxScoreDiff: 0}});
    expect(claimC1(input({A: {units: [bad]}})).status).toBe("partly held");
    const broken = {...IDENTITY, diag: {...IDENTITY.diag, maxMeanRel: 1}};
    expect(claimC1(input({A: {units: [bad]}}, {identity: broken})).status).toBe("partly held"); // the numerical checks still pass
    const numericBroken = {...NUMERIC, poeQuadrature: {...NUMERIC.poeQuadrature, passed: false}};
    expect(claimC1(input({A: {units: [bad]}}, {identity: broken, numeric: numericBroken})).status).toBe("not held");
  });
  it("a failed independent numerical check (planted _klReg bug) makes C1 only partly held", () => {
    const klBug = numericIdentityCheck({cases: 10, klReg: (m0, v0, mp, vp, b, om, ov, s, e) => _klReg(m0, v0, mp, vp, 1 / b, om, ov, s, e)});
    const c = claimC1(input({A: {units: [unit()]}}, {numeric: klBug}));
    expect(c.status).toBe("partly held");
    expect(c.explanation).toMatch(/FAILED/);
    expect(c.kind).toBe("algebraic");
  });
});

describe("C2, C3", () => {
  it("C2: identical actions in every unit → held; in some → partly; none → not held; no KL-Reg → not held", () => {
    const off = unit({identity: {maxMeanAbsDiff: 0, maxCovRatioErr: 0, statesChecked: 1, maxActionDiff: 0.01, maxScoreDiff: 0.5}});
    expect(claimC2(input({A: {units: [unit(), unit()]}})).status).toBe("held");
    expect(claimC2(input({A: {units: [unit(), off]}})).status).toBe("partly held");
    expect(claimC2(input({A: {units: [off]}})).status).toBe("not held");
    const r = unit({identity: {maxMeanAbsDiff: 0, maxCovRatioErr: 0, statesChecked: 1, maxActionDiff: null, maxScoreDiff: null}});
    expect(claimC2(input({R: {units: [r]}})).explanation).toMatch(/not checked/);
  });
  it("C3: a changed hash → not held; superlinear cost → partly held", () => {
    const linear = [
      {dim: 2, nsPerState: 10},
      {dim: 64, nsPerState: 200},
    ];
    expect(claimC3(input({A: {units: [unit()]}}, {composeCost: linear})).status).toBe("held");
    expect(
      claimC3(
        input(
          {A: {units: [unit()]}},
          {
            composeCost: [
              {dim: 2, nsPerState: 2},
              {dim: 64, nsPerState: 4000},
            ],
          },
        ),
      ).status,
    ).toBe("partly held");
    const changed = unit({hashes: {actorTrained: "a", actorBefore: "a", actorAfter: "b", prior: "p", unchanged: false}});
    expect(claimC3(input({A: {units: [unit(), changed]}}, {composeCost: linear})).status).toBe("not held");
  });
});

describe("C4, C5 (study R)", () => {
  const collapse = {prior: 5, "additive-0.1": 48, "additive-0.3": 42, "additive-0.5": 35, "additive-0.7": 30, "additive-0.9": 20};
  it("C4: anchored PoE, collapsed prior and additive → held; PoE hurt but collapse → partly; nothing → not held", () => {
    const good = unit({condition: "random", meansOver: collapse});
    expect(claimC4(input({R: {units: [good, good]}})).status).toBe("held");
    const hurt = unit({condition: "random", meansOver: collapse, labelsOver: {"poe-0.5": "hurt"}});
    expect(claimC4(input({R: {units: [good, hurt]}})).status).toBe("partly held");
    const none = unit({condition: "random", labelsOver: {"poe-0.3": "hurt"}});
    expect(claimC4(input({R: {units: [none]}})).status).toBe("not held");
    expect(claimC4(input({A: {units: [unit()]}})).status).toBe("not held");
  });
  it("C4, C5: the conditions beyond the pre-registered ones are reported per condition and leave the verdict alone", () => {
    const good = unit({condition: "random", meansOver: collapse});
    // random-confident: PoE Hurt at α = 0.7 in one unit, Help at 0.1 in the other; the selector Hurt once.
    const rc1 = unit({condition: "random-confident", labelsOver: {"poe-0.7": "hurt", selector: "hurt"}});
    const rc2 = unit({condition: "random-confident", labelsOver: {"poe-0.1": "help", "poe-0.9": "hurt"}});
    const c4 = claimC4(input({R: {units: [good, rc1, rc2]}}));
    expect(c4.status).toBe("held");
    // PoE cells: 2 units × α ∈ {0.1, 0.3, 0.5, 0.7} (0.9 is not an anchoring α).
    expect(c4.numbers.beyondPreregistered).toEqual([{condition: "random-confident", units: 2, poe: {help: 1, frozen: 6, hurt: 1}, selector: {help: 0, frozen: 1, hurt: 1}}]);
    expect(c4.explanation).toContain("random-confident 1/6/1 and 0/1/1");
    expect(claimC4(input({R: {units: [good]}})).numbers.beyondPreregistered).toEqual([]);
    const ladder = ["clean", "noisy-overconfident(0.3)", "noisy-overconfident(1)"].map((condition) => unit({condition}));
    const wrong = unit({condition: "wrong-goal", labelsOver: {"poe-0.3": "hurt", "poe-0.5": "hurt", selector: "hurt"}});
    const c5 = claimC5(input({R: {units: [...ladder, wrong, unit({condition: "random-scaled"})]}}));
    expect(c5.status).toBe(claimC5(input({R: {units: ladder}})).status);
    expect(c5.numbers.beyondPreregistered).toEqual([{condition: "wrong-goal", units: 1, poe: {help: 0, frozen: 2, hurt: 2}, selector: {help: 0, frozen: 0, hurt: 1}}]);
  });
  it("C5: the η ladder", () => {
    const ladder = (eta: string, addPri: number, sel: number, selLabel: Label = "frozen") =>
      unit({
        condition: eta,
        meansOver: {"additive-0.5": addPri, prior: addPri},
        oracle: {alpha: 0.1, score: sel, selectedScore: sel, gap: 0, halfWidth: 1, nearOracle: true},
        labelsOver: {selector: selLabel},
      });
    const held = [ladder("clean", 50, 52), ladder("noisy-overconfident(0.3)", 45, 51), ladder("noisy-overconfident(1)", 30, 50), ladder("noisy-calibrated(1)", 45, 50)];
    const c = claimC5(input({R: {units: held}}));
    expect(c.status).toBe("held");
    expect(c.numbers.calibrated).not.toBeNull();
    const partly = [ladder("clean", 50, 52), ladder("noisy-overconfident(0.3)", 50, 51), ladder("noisy-overconfident(1)", 50, 50)];
    expect(claimC5(input({R: {units: partly}})).status).toBe("partly held");
    const not = [ladder("clean", 50, 40), ladder("noisy-overconfident(0.3)", 50, 45, "hurt"), ladder("noisy-overconfident(1)", 50, 50)];
    expect(claimC5(input({R: {units: not}})).status).toBe("not held");
  });
});

describe("C6 selector", () => {
  const far = unit({oracle: {alpha: 0.5, score: 60, selectedScore: 50, gap: 10, halfWidth: 1, nearOracle: false}});
  it("near-oracle majority and small α* under random → held; one part → partly; none → not held", () => {
    expect(claimC6(input({A: {units: [unit(), unit(), far]}, R: {units: [unit({condition: "random", alphaStar: 0})]}})).status).toBe("held");
    expect(claimC6(input({A: {units: [unit(), unit(), far]}, R: {units: [unit({condition: "random", alphaStar: 0.9})]}})).status).toBe("partly held");
    expect(claimC6(input({A: {units: [unit(), far, far]}, R: {units: [unit({condition: "random", alphaStar: 0.9})]}})).status).toBe("not held");
  });
});

describe("C7–C9 regimes", () => {
  const help = unit({labelsOver: Object.fromEntries([...GRID.map((a) => [`poe-${a}`, "help"]), ["selector", "help"]])});
  const hurt = unit({labelsOver: Object.fromEntries([...GRID.map((a) => [`poe-${a}`, "hurt"]), ["selector", "hurt"]])});
  const meHurt = {...hurt, dataset: "medium-expert" as const};
  it("C7: all three labels in A plus the competence pattern → held; only the pattern → partly; neither → not held", () => {
    expect(claimC7(input({A: {units: [help, unit(), hurt]}, B: {units: [{...help, dataset: "medium-replay"}, meHurt]}})).status).toBe("held");
    const c = claimC7(input({A: {units: [help, help, unit()]}, B: {units: [meHurt]}}));
    expect(c.status).toBe("partly held");
    expect(c.numbers.paperSplit).toEqual({help: 4, frozen: 5, hurt: 3});
    expect(claimC7(input({A: {units: [unit()]}, B: {units: [{...help, dataset: "medium-expert"}]}})).status).toBe("not held");
  });
  it("C8: no Help on medium-expert → held (all Hurt matches the paper); a little Help → partly; much → not held", () => {
    const nine = (u: ClaimUnit) => Array.from({length: 9}, () => ({...u, dataset: "medium-expert" as const}));
    const all = claimC8(input({B: {units: nine(hurt)}}));
    expect(all.status).toBe("held");
    expect(all.explanation).toMatch(/matches the paper exactly/);
    expect(claimC8(input({B: {units: nine(unit())}})).status).toBe("held");
    const oneHelp = {...unit({labelsOver: {"poe-0.1": "help"}}), dataset: "medium-expert" as const};
    expect(claimC8(input({B: {units: [...nine(hurt).slice(1), oneHelp]}})).status).toBe("partly held");
    expect(claimC8(input({B: {units: nine(help)}})).status).toBe("not held");
  });
  it("C7–C9 read study L where it was run: L's Hurt completes A's labels; L's medium-expert and medium-replay units count", () => {
    const ledgeHurt = {...hurt, env: "Ledge3" as const, dataset: "medium-expert" as const};
    const c = claimC7(input({A: {units: [help, unit()]}, B: {units: [{...help, dataset: "medium-replay"}]}, L: {units: [ledgeHurt]}}));
    expect(c.status).toBe("held");
    expect(claimC7(input({A: {units: [help, unit()]}, B: {units: [{...help, dataset: "medium-replay"}]}})).status).toBe("not held");
    const c8 = claimC8(input({L: {units: [{...help, dataset: "medium-expert" as const}]}}));
    expect(c8.status).toBe("not held");
    expect(c8.numbers.units).toBe(1);
    expect(c8.numbers.help).toBe(GRID.length);
    expect(c8.explanation).not.toContain("(study");
    // Units from both studies: the explanation splits the cells by study, so they can be matched with the pages' per-study tables.
    const both = claimC8(input({B: {units: [{...hurt, dataset: "medium-expert" as const}]}, L: {units: [{...unit({labelsOver: {"poe-0.3": "help"}}), dataset: "medium-expert" as const}]}}));
    expect(both.explanation).toContain("(study B, 1 unit: 5 Hurt, 0 ties, 0 Help; study L, 1 unit: 0 Hurt, 4 ties, 1 Help)");
    const mr = (labels: Record<string, Label>) => ({...unit({labelsOver: labels}), env: "Ledge3" as const, dataset: "medium-replay" as const});
    expect(claimC9(input({L: {units: [mr({"poe-0.9": "hurt"}), mr({})]}})).status).toBe("held");
  });
  it("C9: ties vary across α → held; constant ties, other labels move → partly; same everywhere → not held", () => {
    const mr = (labels: Record<string, Label>) => ({...unit({labelsOver: labels}), dataset: "medium-replay" as const});
    expect(claimC9(input({B: {units: [mr({"poe-0.9": "hurt"}), mr({})]}})).status).toBe("held");
    expect(claimC9(input({B: {units: [mr({"poe-0.1": "help", "poe-0.3": "help", "poe-0.5": "help", "poe-0.7": "help", "poe-0.9": "hurt"})]}})).status).toBe("partly held");
    expect(claimC9(input({B: {units: [mr({}), mr({})]}})).status).toBe("not held");
  });
});

describe("C10 maze", () => {
  const maze = (frozen: number, comp: number, prior = 0) => {
    const meansOver: Record<string, number> = {frozen, prior};
    for (const a of GRID) for (const f of ["poe", "klreg", "additive"]) meansOver[`${f}-${a}`] = comp;
    return unit({metric: "success", meansOver, oracle: {alpha: 0, score: comp, selectedScore: comp, gap: 0, halfWidth: 0, nearOracle: true}});
  };
  it("inheritance is tested only where the prior alone succeeds: all inherit → held; some → partly; none → not held", () => {
    const c = claimC10(input({M: {units: [maze(0, 0, 40), maze(0, 4)]}}));
    expect(c.status).toBe("held");
    expect(c.numbers.priorOnlyMeanSuccess).toBe(20);
    expect(c.numbers.informativeUnits).toBe(1);
    expect(c.numbers.bothFailUnits).toBe(1);
    expect(claimC10(input({M: {units: [maze(0, 0, 60), maze(0, 80, 60)]}})).status).toBe("partly held");
    const lifted = claimC10(input({M: {units: [maze(0, 40, 100), maze(0, 100, 100)]}}));
    expect(lifted.status).toBe("not held");
    expect(lifted.explanation).toMatch(/does not reproduce/);
  });
  it("a zero where the prior fails too is not inheritance: no informative unit → not held, unchecked", () => {
    const c = claimC10(input({M: {units: [maze(0, 0, 0), maze(0, 0, 4)]}}));
    expect(c.status).toBe("not held");
    expect(c.numbers.bothFailUnits).toBe(2);
    expect(c.explanation).toMatch(/not checked/);
  });
  it("an actor that succeeds is outside the premise (not counted either way)", () => {
    const c = claimC10(input({M: {units: [maze(80, 80, 100), maze(0, 0, 100)]}}));
    expect(c.status).toBe("held");
    expect(c.numbers.frozenZeroUnits).toBe(1);
  });
  it("per prior condition: the random prior's units are counted as both-fail", () => {
    const c = claimC10(input({M: {units: [maze(0, 100, 100), {...maze(0, 0, 0), condition: "random"}]}}));
    expect((c.numbers.byCondition as Record<string, {bothFail: number; informative: number}>).random).toMatchObject({bothFail: 1, informative: 0});
    expect((c.numbers.byCondition as Record<string, {bothFail: number; informative: number}>).clean).toMatchObject({bothFail: 0, informative: 1});
  });
});

describe("evaluateClaims(input)", () => {
  it("returns C1–C10 in order, each with a status from the three; missing studies are not held, with the reason", () => {
    const claims = evaluateClaims(input({A: {units: [unit()]}}));
    expect(claims.map((c) => c.id)).toEqual(["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10"]);
    for (const c of claims) {
      expect(["held", "partly held", "not held"]).toContain(c.status);
      expect(c.statement.length).toBeGreaterThan(10);
      expect(typeof c.explanation).toBe("string");
    }
    for (const id of ["C4", "C5", "C8", "C9", "C10"]) {
      const c = claims.find((x) => x.id === id)!;
      expect(c.status).toBe("not held");
      expect(c.explanation).toMatch(/not checked/);
    }
  });
});

describe("claim kinds and tallyClaims(claims)", () => {
  it("C1–C3 are algebraic, C4–C10 empirical, and the tally counts the two kinds separately", () => {
    const claims = evaluateClaims(input({A: {units: [unit()]}}));
    expect(claims.filter((c) => c.kind === "algebraic").map((c) => c.id)).toEqual(["C1", "C2", "C3"]);
    expect(claims.filter((c) => c.kind === "empirical").length).toBe(7);
    const t = tallyClaims(claims);
    const algHeld = claims.filter((c) => c.kind === "algebraic" && c.status === "held").length;
    const empHeld = claims.filter((c) => c.kind === "empirical" && c.status === "held").length;
    expect(t.algebraic).toEqual({passed: algHeld, total: 3});
    expect(t.empirical.held).toBe(empHeld);
    expect(t.empirical.total).toBe(7);
    expect(t.text).toContain(`algebraic checks passed ${algHeld}/3; empirical claims held ${empHeld}/7`);
  });
  it("hand-made statuses: a held empirical claim never counts as an algebraic pass", () => {
    const t = tallyClaims([
      {kind: "algebraic", status: "held"},
      {kind: "algebraic", status: "partly held"},
      {kind: "empirical", status: "held"},
      {kind: "empirical", status: "partly held"},
      {kind: "empirical", status: "not held"},
    ]);
    expect(t.algebraic).toEqual({passed: 1, total: 2});
    expect(t.empirical).toEqual({held: 1, partly: 1, notHeld: 1, total: 3});
    expect(t.text).toBe("algebraic checks passed 1/2; empirical claims held 1/3 (1 partly)");
  });
});
