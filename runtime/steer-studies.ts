/**
 * The steering studies (spec/steering.md §8.7) on worker threads (Node only).
 *
 * `runStudies` / `runStudy` write nothing: they return the study objects, which the CLI
 * (cli/commands/steer.ts) serialises. Units go to the workers in groups that share their trained
 * models, largest first (lib/steer/schedule.ts).
 *
 * `cachedStudies(profile)`: studies A, B, R, M and L of the profile in one worker pool (A and R share
 * their trained models), cached under a key of the params and the sources this module imports — the
 * claims (lib/steer/claims.ts) are not among them, so changing how a claim is read re-evaluates the
 * claims on the cached studies instead of training and rolling out every unit again.
 */
import {join} from "node:path";
import {readFileSync} from "node:fs";
import {scheduleUnits} from "../lib/steer/schedule.js";
import {checkProfile, checkStudy, planStudy, STUDY_IDS, studyParams, type PlanOptions, type StudyId, type StudyProfile, type UnitSpec} from "../lib/steer/studies.js";
import {assembleStudy, type StudyOutput} from "../lib/steer/study-output.js";
import type {UnitResult} from "../lib/steer/study-unit.js";
import {cachedFile, cacheKey, cacheRoot} from "./cache.js";
import {defaultWorkers, runPool} from "./pool.js";

const WORKER = new URL("./workers/steer-worker.ts", import.meta.url);

export interface RunOptions extends PlanOptions {
  profile: StudyProfile;
  /** Worker threads (default: LEVER_WORKERS or the number of cores). */
  workers?: number;
  /** Progress lines (stderr in the CLI and loaders). */
  log?: (line: string) => void;
}

export interface StudyTiming {
  /** Sum over the study's units of their in-worker wall time (training included where a unit trained). */
  cpuSeconds: number;
  /** Wall-clock seconds of the pool run the study was part of. */
  wallSeconds: number;
  workers: number;
}

export type TimedStudy = StudyOutput & {timing: StudyTiming};

interface Job {
  units: UnitSpec[];
}

interface JobResult {
  index: number;
  results: {result: UnitResult; ms: number}[];
}

/** Run several studies in one worker pool (shared models are trained once). */
export async function runStudies(studies: readonly StudyId[], options: RunOptions): Promise<Record<string, TimedStudy>> {
  const {profile, log = () => {}} = options;
  checkProfile(profile);
  for (const s of studies) checkStudy(s);
  const workers = options.workers ?? defaultWorkers();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`invalid workers: ${workers} (expected a positive integer)`);
  const plans = new Map(studies.map((s) => [s, planStudy(s, profile, options)]));
  const jobs: Job[] = scheduleUnits([...plans.values()].flat()).map((units) => ({units}));
  const total = [...plans.values()].reduce((s, p) => s + p.length, 0);
  const results = new Map<StudyId, UnitResult[]>(studies.map((s) => [s, []]));
  const ms = new Map<StudyId, number>(studies.map((s) => [s, 0]));
  const t0 = performance.now();
  let done = 0;
  log(`steer ${studies.join("+")} (${profile}): ${total} units in ${jobs.length} groups on ${Math.min(workers, jobs.length)} workers`);
  await runPool<Job, JobResult>(
    WORKER,
    jobs,
    workers,
    (_index, msg) => {
      for (const {result, ms: t} of msg.results) {
        results.get(result.study)!.push(result);
        ms.set(result.study, ms.get(result.study)! + t);
        done++;
      }
      const last = msg.results[msg.results.length - 1].result;
      log(`steer: ${done}/${total} units (${last.env} ${last.dataset} s${last.seed}, ${msg.results.length} unit(s)) ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    },
    {priority: 1},
  ); // long jobs: on a shared pool they start before the short experiment jobs (LPT)
  const wallSeconds = (performance.now() - t0) / 1000;
  const out: Record<string, TimedStudy> = {};
  for (const s of studies) {
    const study = assembleStudy(s, profile, results.get(s)!, options);
    out[s] = {...study, timing: {cpuSeconds: Math.round(ms.get(s)!) / 1000, wallSeconds: Math.round(wallSeconds * 1000) / 1000, workers: Math.min(workers, jobs.length)}};
  }
  return out;
}

/** Run one study over the worker pool; returns the study object (nothing is written). */
export async function runStudy(study: StudyId, options: RunOptions): Promise<TimedStudy> {
  return (await runStudies([study], options))[study];
}

/** Every study of `profile` (base seed 0), with the wall time of the pool run (cached). */
export async function cachedStudies(profile: StudyProfile, log: (line: string) => void): Promise<{studies: Record<string, TimedStudy>; runSeconds: number; workers: number}> {
  const baseSeed = 0;
  const params = {profile, baseSeed, studies: STUDY_IDS.map((s) => studyParams(s, profile, {baseSeed}))};
  const file = join(cacheRoot(), `steer-studies-${profile}-${cacheKey("steer-studies", params, [new URL(import.meta.url)])}.json`);
  return JSON.parse(
    readFileSync(
      await cachedFile(
        file,
        async () => {
          const t0 = performance.now();
          const workers = defaultWorkers();
          const studies = await runStudies(STUDY_IDS, {profile, workers, baseSeed, log});
          return JSON.stringify({studies, runSeconds: Math.round(performance.now() - t0) / 1000, workers});
        },
        log,
        "steer studies",
      ),
      "utf8",
    ),
  );
}
