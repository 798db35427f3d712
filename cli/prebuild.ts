/**
 * `npm run build`'s first step: compute every expensive artefact of the site concurrently, on ONE
 * worker pool over all cores, into the content-hashed cache (.lever-cache/) that the loaders read.
 *
 * Observable Framework runs data loaders one after another, each mostly on one core; here the
 * artefacts the loaders return (runtime/<artefact>.ts) are computed at once under `withSharedPool`
 * (runtime/pool.ts), for the profile the loaders will read (LEVER_PROFILE), so library runs,
 * embeddings, experiment jobs, regressor folds and Part II units of every page interleave on both
 * cores, and a library or embedding several pages need is computed once. The Framework build that
 * follows finds every artefact in the cache and only assembles the pages.
 *
 * Prints one progress line (stage, artefacts done/total, worker jobs, elapsed, estimated remaining);
 * the loaders' own progress goes to .lever-cache/prebuild.log. Exit 1 with one line on failure.
 *   node --import tsx cli/prebuild.ts [--workers N]
 */
import {appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import type {Profile} from "../lib/core/profile.js";
import {cacheRoot} from "../runtime/cache.js";
import {atomicWrite} from "../runtime/fs.js";
import {libraryArtefact} from "../runtime/library-summary.js";
import {agreementArtefact} from "../runtime/pi2vec-agreement.js";
import {policiesArtefact} from "../runtime/policies.js";
import {defaultWorkers, withSharedPool, type PoolStats} from "../runtime/pool.js";
import {currentProfile} from "../runtime/profile.js";
import {reproduceArtefact} from "../runtime/reproduce.js";
import {steerModelsArtefact} from "../runtime/steer-models.js";
import {steerArtefact} from "../runtime/steer.js";
import {int, parseFlags} from "./args.js";

type Log = (line: string) => void;

/** The artefacts (runtime/<artefact>.ts), in the order their names appear in the progress line. */
const ARTEFACTS: {name: string; run: (profile: Profile, log: Log) => Promise<unknown>}[] = [
  {name: "reproduce", run: reproduceArtefact},
  {name: "policies", run: policiesArtefact},
  {name: "steer", run: steerArtefact},
  {name: "agreement", run: agreementArtefact},
  {name: "steer-models", run: (_profile, log) => steerModelsArtefact(log)},
  {name: "library", run: libraryArtefact},
];

interface Timings {
  profile: string;
  seconds: number;
  /** CPU seconds of the whole step (every thread), the unit of the next build's estimate. */
  cpuSeconds: number;
  jobs: number;
}

/**
 * CPU seconds a computing prebuild takes when nothing is cached (measured on the 2-vCPU development
 * machine, 2026-11-30), for the first build's estimate; later builds use their predecessor's.
 */
const CPU_ESTIMATE: Record<string, number> = {quick: 60, paper: 560};

const fmt = (s: number) => (s >= 60 ? `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, "0")} s` : `${Math.round(s)} s`);

/**
 * The progress line: pure, so a test can pin its format. Remaining time = CPU work left (the expected
 * CPU seconds minus those used so far) over the workers, which holds whatever the machine's load.
 */
export function progressLine(o: {running: string[]; done: number; total: number; stats: PoolStats; elapsed: number; cpu: number; expectedCpu: number}): string {
  const {stats, elapsed} = o;
  const left = (o.expectedCpu - o.cpu) / Math.max(1, stats.workers);
  const eta = o.running.length === 0 ? "" : left > 0 ? `, ~${fmt(left)} left` : ", finishing";
  const stage = o.running.length ? o.running.join(" + ") : "done";
  return `prebuild [${stage}] ${o.done}/${o.total} artefacts, ${stats.done}/${stats.submitted} jobs on ${stats.workers} workers, ${fmt(elapsed)} elapsed${eta}`;
}

export async function prebuild(o: {workers: number; out: (line: string, final: boolean) => void}): Promise<Timings> {
  const profile = currentProfile();
  mkdirSync(cacheRoot(), {recursive: true});
  const logFile = join(cacheRoot(), "prebuild.log");
  const timesFile = join(cacheRoot(), "prebuild-times.json");
  const previous = existsSync(timesFile) ? (JSON.parse(readFileSync(timesFile, "utf8")) as Timings) : null;
  writeFileSync(logFile, `prebuild ${new Date().toISOString()} profile ${profile}, ${o.workers} workers\n`);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const elapsed = () => (performance.now() - t0) / 1000;
  const cpu = () => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  const expectedCpu = previous?.profile === profile ? (previous.cpuSeconds ?? CPU_ESTIMATE[profile]) : CPU_ESTIMATE[profile];
  const running = new Set(ARTEFACTS.map((a) => a.name));
  let done = 0;
  return withSharedPool(o.workers, async (pool) => {
    const line = () =>
      progressLine({running: ARTEFACTS.map((a) => a.name).filter((n) => running.has(n)), done, total: ARTEFACTS.length, stats: pool.stats, elapsed: elapsed(), cpu: cpu(), expectedCpu});
    const timer = setInterval(() => o.out(line(), false), 1000);
    try {
      await Promise.all(
        ARTEFACTS.map(async (a) => {
          const log: Log = (l) => appendFileSync(logFile, `${elapsed().toFixed(1).padStart(7)} s  ${a.name}: ${l}\n`);
          try {
            await a.run(profile, log);
          } catch (e) {
            log(`FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
            throw new Error(`${a.name}: ${e instanceof Error ? e.message : String(e)} (details: ${logFile})`);
          }
          running.delete(a.name);
          done++;
          log(`done at ${elapsed().toFixed(1)} s`);
          o.out(line(), false);
        }),
      );
    } finally {
      clearInterval(timer);
    }
    const timings: Timings = {profile, seconds: Math.round(elapsed() * 10) / 10, cpuSeconds: Math.round(cpu() * 10) / 10, jobs: pool.stats.submitted};
    // Remember this build's duration for the next build's estimate (only a computing build counts).
    if (pool.stats.submitted > 0) atomicWrite(timesFile, JSON.stringify(timings));
    o.out(line(), true);
    return timings;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const {values} = parseFlags("prebuild", process.argv.slice(2), {workers: {type: "string", value: "N"}});
    const workers = values.workers === undefined ? defaultWorkers() : int("workers", values.workers, 1, 256);
    const tty = process.stderr.isTTY;
    let lastPrinted = 0;
    await prebuild({
      workers,
      out: (text, final) => {
        if (tty) process.stderr.write(`\r\x1b[K${text}${final ? "\n" : ""}`);
        else if (final || performance.now() - lastPrinted > 10000) {
          lastPrinted = performance.now();
          process.stderr.write(text + "\n");
        }
      },
    });
  } catch (e) {
    process.stderr.write(`\nprebuild: ${e instanceof Error ? e.message.replace(/^lever \S+: /, "") : String(e)}\n`);
    process.exit(1);
  }
}
