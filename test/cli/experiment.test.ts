// Strict flags: every bad invocation is one RangeError line naming the flag; a flag left out takes
// the spec set's default (lib/lever/experiment/params.ts), resolved once by the runtime.
import {describe, expect, it} from "vitest";
import {parseFlags} from "../../cli/args.js";
import {EXPERIMENT_FLAGS, runOptions} from "../../cli/commands/experiment.js";
import {parseSpecSet} from "../../lib/lever/env/layout.js";
import {experimentDefaults, resolveExperimentSettings} from "../../lib/lever/experiment/params.js";
import {run as experimentCommand} from "../../cli/commands/experiment.js";
import {run as mergeCommand} from "../../cli/commands/merge.js";
import {run as reproduceCommand} from "../../cli/commands/reproduce.js";
import {run as sweepCommand} from "../../cli/commands/sweep.js";

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
    ["bad memo-planning", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--memo-planning", "yes", "--out", "/tmp/x"]), /^invalid --memo-planning: "yes" \(accepted: on, off\)$/],
    [
      "bad dedupe-targeted",
      () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--dedupe-targeted", "1", "--out", "/tmp/x"]),
      /^invalid --dedupe-targeted: "1" \(accepted: on, off\)$/,
    ],
    ["bad skip-empty", () => sweepCommand(["--spec-set", "grid16", "--skip-empty", "true", "--out", "/tmp/x"]), /^invalid --skip-empty: "true" \(accepted: on, off\)$/],
    ["bare score-hazard-steps", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--out", "/tmp/x", "--score-hazard-steps"]), /argument missing.*--score-hazard-steps on\|off/],
    ["bad rule", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--rule", "v4", "--out", "/tmp/x"]), /^invalid --rule: "v4" \(accepted: main, v3\)$/],
    ["bad timing", () => experimentCommand(["--spec-set", "grid16", "--method", "qsum", "--timing", "cpu", "--out", "/tmp/x"]), /^invalid --timing: "cpu" \(accepted: wall, zero\)$/],
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

describe("flags → run options", () => {
  const options = (command: string, ...argv: string[]) => runOptions(command, parseFlags(command, argv, EXPERIMENT_FLAGS).values, command === "sweep" ? {method: "qsum"} : {});
  it("passes on only the settings given: the rest are the spec set's defaults (sf lstd, the table's penalty)", () => {
    const o = options("experiment", "--spec-set", "grid32", "--method", "exnonzero", "--out", "/tmp/x");
    expect(Object.fromEntries(Object.entries(o.params!).filter(([, v]) => v !== undefined))).toEqual({method: "exnonzero"});
    expect([o.librarySf, o.regressor, o.regressorBySpec, o.modes]).toEqual([undefined, undefined, undefined, undefined]);
    const s = resolveExperimentSettings(o.specSet, o);
    expect(s).toEqual(experimentDefaults(parseSpecSet("grid32"), {method: "exnonzero"}));
    expect(s.params).toMatchObject({sf: "lstd", goldPenalty: "fractional", hybridTopK: 3, memo: true, timing: "wall", specFilter: false});
    expect(options("sweep", "--spec-set", "grid16", "--out", "/tmp/x").params!.method).toBe("qsum");
  });
  it("the strategy variants reach the params as named options", () => {
    const o = options(
      "experiment",
      "--spec-set",
      "grid16",
      "--method",
      "qsum",
      "--out",
      "/tmp/x",
      "--memo-planning",
      "on",
      "--dedupe-targeted",
      "on",
      "--skip-empty",
      "on",
      "--score-hazard-steps",
      "on",
      "--memo",
      "off",
      "--targeted-single",
      "on",
      "--accept-unscored",
      "on",
      "--tfs-seeds",
      "8",
      "--embed-seeds",
      "0-1",
    );
    expect(resolveExperimentSettings(o.specSet, o).params).toMatchObject({
      memoPlanning: true,
      dedupeTargeted: true,
      skipEmpty: true,
      scoreHazardSteps: true,
      memo: false,
      targetedSingle: true,
      acceptUnscored: true,
      tfsSeeds: 8,
      tfsSpecs: ["X1", "X5", "X10"], // --tfs-seeds alone: every spec of the run
    });
    expect(resolveExperimentSettings(o.specSet, o).embedSeeds).toEqual([0, 1]);
    const off = options("experiment", "--spec-set", "grid16", "--method", "qsum", "--out", "/tmp/x", "--skip-empty", "off");
    expect(resolveExperimentSettings(off.specSet, off).params.skipEmpty).toBe(false);
  });
  it("--rule v3 on a [main] set switches the rule's defaults (filter, regressor) unless given", () => {
    const o = options("experiment", "--spec-set", "grid16", "--method", "qsum", "--out", "/tmp/x", "--rule", "v3", "--regressor", "linear");
    expect(resolveExperimentSettings(o.specSet, o)).toMatchObject({params: {rule: "v3", specFilter: true}, regressor: "linear", regressorBySpec: true});
  });
});
