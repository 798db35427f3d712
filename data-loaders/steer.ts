/**
 * Loader: the four steering studies (spec/steering.md §8.7) and the claims C1–C10 (§7) for the
 * "Steering frozen actors" pages.
 *
 * Runs studies A, B, R and M of the current profile (LEVER_PROFILE quick|paper) in one worker pool
 * (A and R share their trained models), evaluates the claims, and returns one JSON string. The result
 * is cached under cacheKey("steer", params) (params + every source this loader imports), so a
 * rebuild with unchanged code reuses it and any code change recomputes it. Progress goes to stderr.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {evaluateClaims, randomIdentityCheck} from "../lib/steer/claims.js";
import {STUDY_IDS, studyParams} from "../lib/steer/studies.js";
import {ANALOG_NOTE} from "../lib/steer/study-output.js";
import {cacheKey, cacheRoot} from "../runtime/cache.js";
import {currentProfile} from "../runtime/profile.js";
import {defaultWorkers} from "../runtime/pool.js";
import {measureComposeCost, runStudies} from "../runtime/steer-run.js";
import {atomicWrite} from "../runtime/fs.js";

export const STEER_FORMAT = "steer-site/1";

export default main;

export async function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  const profile = currentProfile();
  const baseSeed = 0;
  const params = {profile, baseSeed, studies: STUDY_IDS.map((s) => studyParams(s, profile, {baseSeed}))};
  const key = cacheKey("steer", params, [new URL(import.meta.url)]);
  const file = join(cacheRoot(), `steer-${profile}-${key}.json`);
  if (existsSync(file)) {
    log(`steer: cached (${file})`);
    return readFileSync(file, "utf8");
  }
  const t0 = performance.now();
  const workers = defaultWorkers();
  const studies = await runStudies(STUDY_IDS, {profile, workers, baseSeed, log});
  const runSeconds = (performance.now() - t0) / 1000;
  log("steer: composition cost and claims…");
  const composeCost = measureComposeCost();
  const identity = randomIdentityCheck(baseSeed);
  const claims = evaluateClaims({studies, identity, composeCost});
  const totalSeconds = (performance.now() - t0) / 1000;
  const timings = {
    runSeconds: Math.round(runSeconds * 1000) / 1000,
    totalSeconds: Math.round(totalSeconds * 1000) / 1000,
    workers,
    cpuSeconds: Object.fromEntries(STUDY_IDS.map((s) => [s, studies[s].timing.cpuSeconds])),
    date: new Date().toISOString(),
    node: process.version,
  };
  const text = JSON.stringify({format: STEER_FORMAT, profile, params, note: ANALOG_NOTE, studies, claims, composeCost, identity, timings});
  atomicWrite(file, text);
  log(`steer: ${STUDY_IDS.length} studies in ${timings.totalSeconds} s; ${claims.map((c) => `${c.id} ${c.status}`).join(", ")}`);
  return text;
}
