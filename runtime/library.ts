/**
 * Policy libraries keyed by content hash (Node only).
 *
 * `ensureLibrary(plan)` returns the directory of a finished library for these parameters and the code
 * that trains it, building it first if needed. "Finished" means verified: the manifest exists and every
 * run file has the length and sha256 it records (library-build.ts `libraryProblem`); a damaged entry is
 * rebuilt, retraining only the damaged runs. A build goes to a temporary directory that is renamed into
 * place only when complete, so a failed or interrupted build never leaves a library that looks
 * finished. Concurrent callers in one process (the prebuild step runs every artefact at once) share one
 * build; processes sharing the cache build it once (withBuildLock).
 *
 * `libraryRunsArtefact` ships the runs of one layout seed (src/data/library-<key>-<seed>.bin), which the
 * Search page's Worker loads instead of training that layout again.
 *
 * `checkLibrary` checks a given library (`--library DIR`) against the spec set an experiment names.
 *
 * The site's library page reads them through runtime/library-summary.ts.
 */
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync} from "node:fs";
import {join} from "node:path";
import type {Profile} from "../lib/core/profile.js";
import {encodeLibraryRuns, LIBRARY_RUNS_FORMAT, type LibraryRunsMeta} from "../lib/lever/artefacts.js";
import type {SpecSet} from "../lib/lever/env/layout.js";
import {REWARD_SYSTEMS} from "../lib/lever/env/rewards.js";
import {libraryPlan, type LibraryPlan} from "../lib/lever/library/plan.js";
import {cacheKey, cacheRoot, withBuildLock} from "./cache.js";
import {buildLibrary, libraryProblem, readManifest, type Manifest} from "./library-build.js";

type Log = (line: string) => void;

/** The code a library's content depends on (its builder and the worker's training). */
const LIBRARY_CODE = [new URL("./library-build.ts", import.meta.url), new URL("./workers/library-worker.ts", import.meta.url)];

const building = new Map<string, Promise<{dir: string; manifest: Manifest}>>();

export function libraryDir(plan: LibraryPlan): string {
  const params = {specSet: plan.specSet, specs: plan.specs, seeds: plan.specSet.seeds, rewards: [...REWARD_SYSTEMS]};
  return join(cacheRoot(), `library-${plan.specSet.name}-${cacheKey("library", params, LIBRARY_CODE)}`);
}

export function ensureLibrary(plan: LibraryPlan, log: Log): Promise<{dir: string; manifest: Manifest}> {
  const dir = libraryDir(plan);
  let p = building.get(dir);
  if (!p) {
    // Shared while it runs; forgotten once settled, so every later call verifies the entry again.
    p = build(plan, dir, log);
    building.set(dir, p);
    const forget = () => building.delete(dir);
    p.then(forget, forget);
  }
  return p;
}

async function build(plan: LibraryPlan, dir: string, log: Log): Promise<{dir: string; manifest: Manifest}> {
  const done = () => libraryProblem(dir) === null;
  const read = () => ({dir, manifest: readManifest(dir)});
  const problem = libraryProblem(dir);
  if (problem === null) {
    log(`library ${plan.specSet.name}: cached (${dir})`);
    return read();
  }
  if (existsSync(dir)) log(`library ${plan.specSet.name}: cache entry damaged (${problem}); rebuilding what is damaged`);
  mkdirSync(cacheRoot(), {recursive: true});
  // One builder per entry across processes (withBuildLock); the builder writes to `.partial` (a
  // previous interrupted build of the same key is resumed, and a damaged entry is moved there: runs
  // that are intact are reused) and renames it into place only when complete.
  return withBuildLock(
    dir,
    done,
    async () => {
      const tmp = `${dir}.partial`;
      if (existsSync(dir)) {
        if (existsSync(tmp)) rmSync(dir, {recursive: true, force: true});
        else renameSync(dir, tmp); // buildLibrary retrains the runs that fail the manifest's checksums
      }
      const manifest = await buildLibrary({specSet: plan.specSet, specs: plan.specs, seeds: plan.specSet.seeds, rewards: [...REWARD_SYSTEMS], out: tmp, log});
      rmSync(dir, {recursive: true, force: true});
      renameSync(tmp, dir);
      return {dir, manifest};
    },
    read,
    log,
  );
}

/**
 * Check that the library in `dir` can serve an experiment on `specSet` for `specs` and `seeds`: it is
 * complete (`libraryProblem`), built on the spec set's grid (size, variant, object counts), and holds
 * runs of every spec and seed asked for. Throws a one-line RangeError naming the first mismatch.
 */
export function checkLibrary(dir: string, specSet: SpecSet, specs: readonly string[], seeds: readonly number[]): Manifest {
  const problem = libraryProblem(dir);
  if (problem !== null) throw new RangeError(`invalid library ${dir}: ${problem}`);
  const m = readManifest(dir);
  const what = `library ${dir} (${m.specSet}: ${m.size}×${m.size} [${m.variant}])`;
  if (m.size !== specSet.size || m.variant !== specSet.variant) throw new RangeError(`${what} does not match spec set ${specSet.name} (${specSet.size}×${specSet.size} [${specSet.variant}])`);
  for (const k of ["golds", "blocks", "hazards"] as const)
    if (m.counts[k] !== specSet.counts[k]) throw new RangeError(`${what} does not match spec set ${specSet.name}: ${m.counts[k]} ${k}, the set has ${specSet.counts[k]}`);
  const missingSpec = specs.find((s) => !m.specs.some((x) => x.name === s));
  if (missingSpec !== undefined) throw new RangeError(`${what} has no runs of spec ${missingSpec} (it has ${m.specs.map((s) => s.name).join(", ")})`);
  const missingSeed = seeds.find((s) => !m.seeds.includes(s));
  if (missingSeed !== undefined) throw new RangeError(`${what} has no runs of seed ${missingSeed} (it has ${m.seeds.join(", ")})`);
  return m;
}

/**
 * src/data/library-<key>-<seed>.bin: every run of layout seed `seed` in the profile's library `key`
 * (all its specs × reward systems), each the library's own run file, bytes unchanged
 * (lib/lever/artefacts.ts `encodeLibraryRuns`). A library or seed the profile does not build gives a
 * container with no runs, so the page can name every (key, seed) it might load.
 */
export async function libraryRunsArtefact(profile: Profile, key: string, seed: number, log: Log): Promise<Uint8Array> {
  const plan = libraryPlan(profile).find((p) => p.specSet.name === key);
  const meta: LibraryRunsMeta = {format: LIBRARY_RUNS_FORMAT, profile, specSet: key, seed, specs: [], runs: []};
  if (!plan?.specSet.seeds.includes(seed)) {
    log(`library runs ${key} seed ${seed}: not in the ${profile} profile (empty)`);
    return encodeLibraryRuns(meta, {});
  }
  const {dir, manifest} = await ensureLibrary(plan, log);
  const out = libraryRunsOf(dir, manifest, seed, profile);
  log(`library runs ${key} seed ${seed}: ${(out.length / 1e6).toFixed(2)} MB`);
  return out;
}

/** The runs of layout seed `seed` in the library in `dir`, packed as src/data/library-<key>-<seed>.bin. */
export function libraryRunsOf(dir: string, manifest: Manifest, seed: number, profile: string): Uint8Array {
  const runs = manifest.runs.filter((r) => r.seed === seed);
  const bytes = Object.fromEntries(runs.map((r) => [r.id, new Uint8Array(readFileSync(join(dir, r.file)))]));
  const meta: LibraryRunsMeta = {format: LIBRARY_RUNS_FORMAT, profile, specSet: manifest.specSet, seed, specs: manifest.specs.map((s) => s.name), runs: runs.map((r) => r.id)};
  return encodeLibraryRuns(meta, bytes);
}
