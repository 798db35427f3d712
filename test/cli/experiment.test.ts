// Strict flags: every bad invocation is one RangeError line naming the flag.
import {describe, expect, it} from "vitest";
import {experimentCommand, mergeCommand, reproduceCommand, sweepCommand} from "../../cli/experiment.js";

async function error(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe("lever experiment/sweep/merge/reproduce flags", () => {
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ["unknown flag", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--out", "/tmp/x", "--bogus", "1"]), /Unknown option '--bogus'.*accepted: --spec-set/],
    ["bad spec set", () => experimentCommand(["--spec-set", "grid99", "--method", "qsum", "--out", "/tmp/x"]), /invalid spec set: "grid99"/],
    ["missing method", () => experimentCommand(["--spec-set", "grid16", "--out", "/tmp/x"]), /missing --method/],
    ["bad method", () => experimentCommand(["--spec-set", "grid16", "--method", "sum", "--out", "/tmp/x"]), /invalid composition method: "sum"/],
    ["exnonzero on v3", () => experimentCommand(["--spec-set", "grid8", "--method", "exnonzero", "--out", "/tmp/x"]), /invalid --method exnonzero for spec set grid8/],
    ["bad penalty", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--gold-penalty", "x", "--out", "/tmp/x"]), /invalid gold penalty|invalid.*penalty/i],
    ["bad k", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--hybrid-top-k", "0", "--out", "/tmp/x"]), /invalid --hybrid-top-k: "0"/],
    ["bad sf", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--sf", "nn", "--out", "/tmp/x"]), /invalid successor-feature method: "nn"/],
    ["bad shard", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--shard", "3/2", "--out", "/tmp/x"]), /invalid --shard: "3\/2"/],
    ["bad seeds", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--seeds", "4-1", "--out", "/tmp/x"]), /invalid --seeds/],
    ["bad specs", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--specs", "X2", "--out", "/tmp/x"]), /invalid spec: "X2"/],
    ["missing out", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum"]), /missing --out/],
    ["sweep shard", () => sweepCommand(["--spec-set", "grid16", "--out", "/tmp/x", "--shard", "1/2"]), /--shard is not supported/],
    ["merge no dirs", () => mergeCommand(["--out", "/tmp/x"]), /give one or more shard directories/],
    ["merge missing dir", () => mergeCommand(["--out", "/tmp/x", "/nonexistent-lever-dir"]), /no such directory/],
    ["bad profile", () => reproduceCommand(["--profile", "huge", "--out", "/tmp/x"]), /invalid --profile: "huge"/],
  ];
  for (const [name, run, re] of cases) {
    it(name, async () => {
      const e = await error(run());
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(re);
      expect(e.message).not.toContain("\n");
    });
  }
});
