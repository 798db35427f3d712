// Tests that kill the mutants StrykerJS left alive or uncovered in lib/lever/env/rewards.ts (`npm run mutate --
// --mutate lib/lever/env/rewards.ts`); the equivalent ones are listed with their reason in test/MUTANTS.md.
// Expected values come from spec/lever.md §1.3 (the components, the 8 systems, `combined` = path-gold, the two
// gold penalties) and from the CLI convention of one-line errors naming what is accepted.
import {describe, expect, it} from "vitest";
import {GOLD_PENALTIES, parseGoldPenalty, parseRewardList, parseRewardSystem, rewardLabel} from "../../../lib/lever/env/rewards.js";

const ACCEPTED = "accepted: path, gold, hazard, lever, hazard-lever, path-gold, path-gold-hazard, path-gold-hazard-lever, combined, or any '-'-joined set of path, gold, hazard, lever";

describe("gold penalties (spec §1.3: fractional for training, legacy −20)", () => {
  it("lists exactly the two penalties, in that order", () => {
    expect(GOLD_PENALTIES).toEqual(["fractional", "legacy"]);
  });
  it("parses each by its exact name and rejects anything else in one line naming the accepted values", () => {
    expect(parseGoldPenalty("fractional")).toBe("fractional");
    expect(parseGoldPenalty("legacy")).toBe("legacy");
    for (const bad of ["", "Legacy", " legacy", "fractional,legacy"]) {
      expect(() => parseGoldPenalty(bad)).toThrow(new RangeError(`invalid gold penalty: ${JSON.stringify(bad)} (accepted: fractional, legacy)`));
    }
  });
});

describe("parseRewardSystem(name): strict names, whitespace around the name ignored", () => {
  it("an unknown component names every accepted system, comma-separated", () => {
    expect(() => parseRewardSystem("speed")).toThrow(new RangeError(`invalid reward system: "speed" (unknown component "speed"; ${ACCEPTED})`));
  });
  it("an empty or blank name, or a non-string from JavaScript callers, is a RangeError about the empty name", () => {
    const msg = `invalid reward system: empty name (${ACCEPTED})`;
    expect(() => parseRewardSystem("")).toThrow(new RangeError(msg));
    expect(() => parseRewardSystem("  \t")).toThrow(new RangeError(msg));
    expect(() => parseRewardSystem(undefined as unknown as string)).toThrow(new RangeError(msg));
    expect(() => parseRewardSystem(3 as unknown as string)).toThrow(new RangeError(msg));
  });
  it("trims the name before parsing it", () => {
    expect(parseRewardSystem("  gold-path \n")).toEqual({name: "path-gold", path: true, gold: true, hazard: false, lever: false});
    expect(parseRewardSystem(" combined ").name).toBe("path-gold");
  });
});

describe("parseRewardList(value): the CLI's comma-separated --rewards", () => {
  it("splits on commas, trims each name and drops empty entries", () => {
    expect(parseRewardList(" lever-hazard , path,,gold ,").map((r) => r.name)).toEqual(["hazard-lever", "path", "gold"]);
    expect(parseRewardList("path-gold-hazard-lever")).toEqual([{name: "path-gold-hazard-lever", path: true, gold: true, hazard: true, lever: true}]);
  });
  it("an empty list is a one-line error; a bad entry is that entry's error", () => {
    for (const empty of ["", " , ,"]) expect(() => parseRewardList(empty)).toThrow(new RangeError(`invalid reward list: empty (${ACCEPTED})`));
    expect(() => parseRewardList("path,speed")).toThrow(/^invalid reward system: "speed" \(unknown component "speed"/);
  });
});

describe("rewardLabel(name): the tables' short labels", () => {
  it("joins the components' capital initials with '+'", () => {
    expect(rewardLabel("path-gold-hazard")).toBe("P+G+H");
    expect(rewardLabel("hazard-lever")).toBe("H+L");
    expect(rewardLabel("gold")).toBe("G");
  });
});
