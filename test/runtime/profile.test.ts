// runtime/profile.ts: LEVER_PROFILE, default paper, one-line error naming the variable.
import {describe, expect, it} from "vitest";
import {currentProfile} from "../../runtime/profile.js";

describe("currentProfile(env)", () => {
  it("reads LEVER_PROFILE, default paper", () => {
    expect(currentProfile({})).toBe("paper");
    expect(currentProfile({LEVER_PROFILE: "quick"})).toBe("quick");
    expect(currentProfile({LEVER_PROFILE: "paper"})).toBe("paper");
  });
  it("rejects anything else in one line", () => {
    expect(() => currentProfile({LEVER_PROFILE: "fast"})).toThrow(/^invalid LEVER_PROFILE: "fast" \(accepted: quick, paper\)$/);
  });
});
