/**
 * Run steering studies (spec/steering.md §8.7) on worker threads (Node only). Writes nothing: returns
 * the study objects; the CLI (cli/steer.ts) and the loader (data-loaders/steer.ts) serialise them.
 *
 * Scheduling: the units of every requested study are grouped by `modelKey` (units sharing a dataset, a
 * frozen actor and a prior: study R's five prior conditions of one cell, and study A's unit of the same
 * cell when A and R run together), so each group trains its two networks once, in one worker. Groups
 * are posted largest first (longest-processing-time order) for a balanced 2-core schedule.
 */
import {_poe} from "../lib/steer/gauss.js";
import {
  checkProfile, checkStudy, modelKey, planStudy, unitCost,
  type PlanOptions, type StudyId, type StudyProfile, type UnitSpec,
} from "../lib/steer/studies.js";
import {assembleStudy, type StudyOutput} from "../lib/steer/study-output.js";
import type {UnitResult} from "../lib/steer/study-unit.js";
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
  const groups = new Map<string, UnitSpec[]>();
  for (const plan of plans.values()) {
    for (const u of plan) {
      const k = modelKey(u);
      const g = groups.get(k);
      if (g) g.push(u);
      else groups.set(k, [u]);
    }
  }
  const cost = (g: UnitSpec[]) => g.reduce((s, u) => s + unitCost(u), 0) + 2 * 128 * g[0].trainSteps;
  const jobs: Job[] = [...groups.values()].sort((a, b) => cost(b) - cost(a)).map((units) => ({units}));
  const total = [...plans.values()].reduce((s, p) => s + p.length, 0);
  const results = new Map<StudyId, UnitResult[]>(studies.map((s) => [s, []]));
  const ms = new Map<StudyId, number>(studies.map((s) => [s, 0]));
  const t0 = performance.now();
  let done = 0;
  log(`steer ${studies.join("+")} (${profile}): ${total} units in ${jobs.length} groups on ${Math.min(workers, jobs.length)} workers`);
  await runPool<Job, JobResult>(WORKER, jobs, workers, (_index, msg) => {
    for (const {result, ms: t} of msg.results) {
      results.get(result.study)!.push(result);
      ms.set(result.study, ms.get(result.study)! + t);
      done++;
    }
    const last = msg.results[msg.results.length - 1].result;
    log(`steer: ${done}/${total} units (${last.env} ${last.dataset} s${last.seed}, ${msg.results.length} unit(s)) ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, {priority: 1}); // long jobs: on a shared pool they start before the short experiment jobs (LPT)
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

/**
 * Cost of one composition step (§7 C3 "O(d) per step"): ns per state for PoE on a batch of 25 states
 * at several action dimensions d, median of 7 timed blocks.
 */
export function measureComposeCost(dims: readonly number[] = [2, 4, 8, 16, 32, 64, 128], n = 25): {dim: number; nsPerState: number; nsPerDim: number}[] {
  return dims.map((d) => {
    const len = n * d;
    const m0 = new Float64Array(len).map((_, i) => Math.sin(i));
    const v0 = new Float64Array(len).fill(0.04);
    const mp = new Float64Array(len).map((_, i) => Math.cos(i));
    const vp = new Float64Array(len).fill(0.25);
    const om = new Float64Array(len);
    const ov = new Float64Array(len);
    const reps = Math.max(200, Math.round(2e6 / len));
    for (let r = 0; r < reps; r++) _poe(m0, v0, mp, vp, 0.5, om, ov, 0, len); // warm-up
    const samples: number[] = [];
    for (let b = 0; b < 7; b++) {
      const t = performance.now();
      for (let r = 0; r < reps; r++) _poe(m0, v0, mp, vp, 0.3 + (r & 1) * 0.2, om, ov, 0, len);
      samples.push(((performance.now() - t) * 1e6) / (reps * n));
    }
    samples.sort((a, b) => a - b);
    const ns = samples[3];
    return {dim: d, nsPerState: Math.round(ns * 100) / 100, nsPerDim: Math.round((ns / d) * 1000) / 1000};
  });
}
