/**
 * Policy libraries keyed by content hash (Node only).
 *
 * `ensureLibrary(plan)` returns the directory of a finished library for these parameters and the code
 * that trains it, building it first if needed. A build goes to a temporary directory that is renamed
 * into place only when complete, so a failed or interrupted build never leaves a library that looks
 * finished. Concurrent callers in one process (the prebuild step runs every artefact at once) share one
 * build; processes sharing the cache build it once (withBuildLock).
 *
 * The site's library page reads them through runtime/library-summary.ts.
 */
import {existsSync, mkdirSync, renameSync, rmSync} from "node:fs";
import {join} from "node:path";
import {REWARD_SYSTEMS} from "../lib/lever/env/rewards.js";
import type {LibraryPlan} from "../lib/lever/library/plan.js";
import {cacheKey, cacheRoot, withBuildLock} from "./cache.js";
import {buildLibrary, readManifest, type Manifest} from "./library-build.js";

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
    p = build(plan, dir, log);
    building.set(dir, p);
    p.catch(() => building.delete(dir));
  }
  return p;
}

async function build(plan: LibraryPlan, dir: string, log: Log): Promise<{dir: string; manifest: Manifest}> {
  const done = () => existsSync(join(dir, "manifest.json"));
  const read = () => ({dir, manifest: readManifest(dir)});
  if (done()) {
    log(`library ${plan.specSet.name}: cached (${dir})`);
    return read();
  }
  mkdirSync(cacheRoot(), {recursive: true});
  // One builder per entry across processes (withBuildLock); the builder writes to `.partial` (a
  // previous interrupted build of the same key is resumed: runs already written are reused) and
  // renames it into place only when complete.
  return withBuildLock(
    dir,
    done,
    async () => {
      const tmp = `${dir}.partial`;
      const manifest = await buildLibrary({specSet: plan.specSet, specs: plan.specs, seeds: plan.specSet.seeds, rewards: [...REWARD_SYSTEMS], out: tmp, log});
      rmSync(dir, {recursive: true, force: true});
      renameSync(tmp, dir);
      return {dir, manifest};
    },
    read,
    log,
  );
}
