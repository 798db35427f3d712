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
 * `checkLibrary` checks a given library (`--library DIR`) against the spec set an experiment names.
 *
 * The site's library page reads them through runtime/library-summary.ts.
 */
import {existsSync, mkdirSync, renameSync, rmSync} from "node:fs";
import {join} from "node:path";
import type {SpecSet} from "../lib/lever/env/layout.js";
import {REWARD_SYSTEMS} from "../lib/lever/env/rewards.js";
import type {LibraryPlan} from "../lib/lever/library/plan.js";
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
