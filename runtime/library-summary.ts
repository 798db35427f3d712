/**
 * The artefact src/data/library.json (Node only): the profile's libraries (lib/lever/library/plan.ts),
 * built or reused by content hash (library.ts), each run reduced to what the "GridWorld & policy
 * library" page draws (lib/lever/library/summary.ts): learning curve, greedy paths, visit counts.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {Profile} from "../lib/core/profile.js";
import {libraryPlan} from "../lib/lever/library/plan.js";
import {decodeRun} from "../lib/lever/library/runs.js";
import {summarizeRun} from "../lib/lever/library/summary.js";
import {ensureLibrary} from "./library.js";

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** src/data/library.json: every library of the profile, built or reused, summarised per run. */
export async function libraryArtefact(profile: Profile, log: (line: string) => void): Promise<string> {
  const libraries = [];
  for (const plan of libraryPlan(profile)) {
    const {dir, manifest} = await ensureLibrary(plan, log);
    const runs = manifest.runs.map((r) => summarizeRun(decodeRun(readFileSync(join(dir, r.file)))));
    libraries.push({
      specSet: manifest.specSet,
      size: manifest.size,
      variant: manifest.variant,
      counts: manifest.counts,
      specs: manifest.specs,
      seeds: manifest.seeds,
      rewards: manifest.rewards,
      params: manifest.params,
      buildSeconds: round(manifest.timing.buildSeconds, 2),
      workers: manifest.timing.workers,
      totalSteps: manifest.totalSteps,
      runs,
    });
  }
  return JSON.stringify({profile, libraries});
}
