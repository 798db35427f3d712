// ExNonZero on the real grid16 X1 library (spec §7.2, §9.4): built here with buildLibrary (30,000
// episodes × 40 runs, ~3 s on 2 workers); the composed rewards per (setup, seed) must equal the
// reference CSVs' per-seed values (legacy penalty) — the complete-support property.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {buildLibrary} from "../../../runtime/library-build.js";
import {runExperimentNode} from "../../../runtime/experiment.js";
import {parseCsv} from "../../../lib/core/csv.js";
import {parseSpecSet} from "../../../lib/lever/env/layout.js";
import {REWARD_SYSTEMS} from "../../../lib/lever/env/rewards.js";
import {tempDir} from "./helpers.js";
import {REFERENCE} from "../../paths.js";

const REF = join(REFERENCE, "lever-results-16/exnonzero/X1");
const g16 = parseSpecSet("grid16");
let out: string;
beforeAll(async () => {
  process.env.LEVER_CACHE_DIR = tempDir("cache-ref");
  const lib = tempDir("grid16-x1");
  await buildLibrary({specSet: g16, specs: g16.specs.filter((s) => s.name === "X1"), seeds: g16.seeds, rewards: [...REWARD_SYSTEMS], out: lib, workers: 2});
  out = tempDir("exp-ref");
  await runExperimentNode({
    specSet: g16,
    specs: ["X1"],
    librarySpecs: g16.specs.filter((s) => s.name === "X1"),
    seeds: g16.seeds,
    libraryDir: lib,
    workers: 2,
    out,
    params: {method: "exnonzero", goldPenalty: "legacy", sf: "lstd"},
  });
}, 300_000);

describe("ExNonZero 16×16 X1 = the reference per seed (§9.4)", () => {
  for (const mode of ["trivial", "double", "triple"]) {
    it(`${mode}: targeted rewards equal the reference for every (setup, seed); exhaustive/hybrid never exceed it and match in ≥ 80%`, () => {
      const ours = parseCsv(readFileSync(join(out, "X1", `full_experiment_results_${mode}.csv`), "utf8"));
      const ref = parseCsv(readFileSync(join(REF, `full_experiment_results_${mode}.csv`), "utf8"));
      expect(ours.map((r) => [r.setup, r.seed])).toEqual(ref.map((r) => [r.setup, r.seed]));
      let same = 0;
      ours.forEach((r, i) => {
        expect(Number(r.targeted_reward), `${r.setup} ${r.seed}`).toBeCloseTo(Number(ref[i].targeted_reward), 6);
        for (const c of ["exhaustive_reward", "hybrid_reward"]) {
          expect(Number(r[c])).toBeLessThanOrEqual(Number(ref[i][c]) + 1e-6);
          if (Math.abs(Number(r[c]) - Number(ref[i][c])) < 1e-6) same++;
        }
      });
      expect(same).toBeGreaterThanOrEqual(0.8 * 2 * ours.length);
    });
  }
});
