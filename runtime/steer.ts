/**
 * src/data/steer.json (spec/steering.md §8.7): every study of the profile (runtime/steer-studies.ts,
 * cached on its own), the composition cost and the claims C1–C10 (§7), as one JSON document cached
 * under a key of the params and every source this module imports.
 */
import {join} from "node:path";
import {readFileSync} from "node:fs";
import {evaluateClaims, randomIdentityCheck, tallyClaims} from "../lib/steer/claims.js";
import {numericIdentityCheck} from "../lib/steer/identity-numeric.js";
import {measureComposeCost} from "../lib/steer/compose-cost.js";
import {STUDY_IDS, studyParams, type StudyProfile} from "../lib/steer/studies.js";
import {ANALOG_NOTE} from "../lib/steer/study-output.js";
import {cachedFile, cacheKey, cacheRoot} from "./cache.js";
import {cachedStudies} from "./steer-studies.js";

export const STEER_FORMAT = "steer-site/1";

/** src/data/steer.json: every study of `profile`, the composition cost and the claims (cached). */
export async function steerArtefact(profile: StudyProfile, log: (line: string) => void): Promise<string> {
  const baseSeed = 0;
  const params = {profile, baseSeed, studies: STUDY_IDS.map((s) => studyParams(s, profile, {baseSeed}))};
  const file = join(cacheRoot(), `steer-${profile}-${cacheKey("steer", params, [new URL(import.meta.url)])}.json`);
  return readFileSync(
    await cachedFile(
      file,
      async () => {
        const {studies, runSeconds, workers} = await cachedStudies(profile, log);
        const t0 = performance.now();
        log("steer: composition cost and claims…");
        const composeCost = measureComposeCost();
        const identity = randomIdentityCheck(baseSeed);
        const numeric = numericIdentityCheck({seed: baseSeed});
        const claims = evaluateClaims({studies, identity, numeric, composeCost});
        const claimsSeconds = Math.round(performance.now() - t0) / 1000;
        const timings = {
          // The studies' pool run (when it ran: it may come from the cache), then the claims on it.
          runSeconds,
          claimsSeconds,
          totalSeconds: Math.round((runSeconds + claimsSeconds) * 1000) / 1000,
          workers,
          cpuSeconds: Object.fromEntries(STUDY_IDS.map((s) => [s, studies[s].timing.cpuSeconds])),
          date: new Date().toISOString(),
          node: process.version,
        };
        const tally = tallyClaims(claims);
        log(`steer: ${STUDY_IDS.length} studies in ${timings.totalSeconds} s; ${tally.text}; ${claims.map((c) => `${c.id} (${c.kind}) ${c.status}`).join(", ")}`);
        return JSON.stringify({format: STEER_FORMAT, profile, params, note: ANALOG_NOTE, studies, claims, claimTally: tally, composeCost, identity, numeric, timings});
      },
      log,
      "steer",
    ),
    "utf8",
  );
}
