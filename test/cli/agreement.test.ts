// `lever agreement`: the π2vec LSTD-vs-MLP agreement on a chosen subset; bad subsets are one line and exit 2
// before any library is trained or any policy embedded (a full run costs ≈ 4 CPU-s per policy: not run here;
// the artefact itself is tested in test/runtime and built by every build).
import {describe, expect, it} from "vitest";
import {lever} from "./helpers.js";

describe("lever agreement [--profile P] [--seeds LIST] [--snapshots LIST] [--out FILE]", () => {
  it("exits 2 with one line and nothing on stdout for a subset it cannot run", async () => {
    const cases: [string[], RegExp][] = [
      [["--snapshots", "50"], /^lever agreement: invalid --snapshots: "50" \(accepted: 20, 60, 80, the % of training of the \[main\] snapshots\)$/],
      [["--snapshots", "60,60"], /^lever agreement: invalid --snapshots: 60 is given twice in "60,60" \(give each once\)$/],
      [["--seeds", "7"], /^lever agreement: invalid --seeds: seed 7 is not in the grid16 library \(accepted: 0, 1, 2, 3, 4\)$/],
      [["--seeds", "x"], /^lever agreement: invalid --seeds: "x" \(expected e.g. 0-4 or 0,2,3\)$/],
      [["--profile", "fast"], /^lever agreement: invalid --profile: "fast" \(accepted: quick, paper\)$/],
    ];
    for (const [args, message] of cases) {
      const r = await lever("agreement", ...args);
      expect([r.code, r.stdout, r.stderr.length], args.join(" ")).toEqual([2, "", 1]);
      expect(r.stderr[0]).toMatch(message);
    }
  });
});
