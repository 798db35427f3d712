// The site's one reward-system palette (src/components/palette.js).
import {describe, expect, it} from "vitest";
import {REWARD_SYSTEMS} from "../../lib/lever/env/rewards.js";
import {OTHER_REWARD_COLOR, REWARD_COLORS, rewardColor, rewardScale} from "../../src/components/palette.js";

describe("palette", () => {
  it("gives each of the eight reward systems its own colour", () => {
    expect(Object.keys(REWARD_COLORS)).toEqual([...REWARD_SYSTEMS]);
    expect(new Set(Object.values(REWARD_COLORS)).size).toBe(8);
    expect(Object.values(REWARD_COLORS)).not.toContain(OTHER_REWARD_COLOR);
  });

  it("rewardScale(present): a system's colour does not depend on which others a figure shows, nor their order", () => {
    const all = rewardScale();
    const some = rewardScale(["path-gold-hazard", "gold", "path-gold-hazard", "path"]);
    expect(some.domain).toEqual(["path", "gold", "path-gold-hazard"]);
    for (const [i, r] of some.domain.entries()) expect(some.range[i]).toBe(all.range[all.domain.indexOf(r)]);
    expect(all.domain).toEqual([...REWARD_SYSTEMS]);
  });

  it("names outside the library come last, in grey", () => {
    const s = rewardScale(["gold-lever", "path"]);
    expect(s.domain).toEqual(["path", "gold-lever"]);
    expect(s.range).toEqual([REWARD_COLORS.path, OTHER_REWARD_COLOR]);
    expect(rewardColor("gold-lever")).toBe(OTHER_REWARD_COLOR);
  });
});
