// Shared fixtures for test/experiment: a tiny [main] library (grid16 layouts, 2,000-episode runs,
// all 8 reward systems, seeds 0–1) built once per test file into a temporary directory, with the
// artefact cache pointed at a temporary directory too.
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {buildLibrary} from "../../../runtime/library-build.js";
import {parseSpecSet, type SpecSet} from "../../../lib/lever/env/layout.js";
import {REWARD_SYSTEMS} from "../../../lib/lever/env/rewards.js";

export const TINY: SpecSet = {
  ...parseSpecSet("grid16"),
  name: "grid16-tiny",
  seeds: [0, 1],
  specs: [{name: "X1", episodes: 2000, epsDecay: 0.999, saveEvery: 250}],
  description: "test: grid16 layouts, 2,000 episodes",
};

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `lever-${prefix}-`));
}

/** Build the tiny library (2 workers) and point LEVER_CACHE_DIR at a fresh temp dir. */
export async function tinyLibrary(): Promise<string> {
  process.env.LEVER_CACHE_DIR = tempDir("cache");
  const out = tempDir("tiny-lib");
  await buildLibrary({specSet: TINY, specs: TINY.specs, seeds: TINY.seeds, rewards: [...REWARD_SYSTEMS], out, workers: 2});
  return out;
}
