/**
 * Libraries keyed by content hash (Node only): `ensureLibrary(plan)` returns the directory of a
 * finished library for these parameters and these sources, building it first if needed. A build goes
 * to a temporary directory that is renamed into place only when complete, so a failed or interrupted
 * build never leaves a library that looks finished.
 */
import {existsSync, mkdirSync, renameSync, rmSync} from "node:fs";
import {join} from "node:path";
import {REWARD_SYSTEMS} from "../../lib/rewards.js";
import {cacheKey, cacheRoot} from "./cache.js";
import {buildLibrary, readManifest, type Manifest} from "./library-build.js";
import type {LibraryPlan} from "./profile.js";

export async function ensureLibrary(plan: LibraryPlan, log: (line: string) => void): Promise<{dir: string; manifest: Manifest}> {
  const params = {specSet: plan.specSet, specs: plan.specs, seeds: plan.specSet.seeds, rewards: [...REWARD_SYSTEMS]};
  const key = cacheKey("library", params);
  const dir = join(cacheRoot(), `library-${plan.specSet.name}-${key}`);
  if (existsSync(join(dir, "manifest.json"))) {
    log(`library ${plan.specSet.name}: cached (${dir})`);
    return {dir, manifest: readManifest(dir)};
  }
  mkdirSync(cacheRoot(), {recursive: true});
  const tmp = `${dir}.partial`;
  // A previous interrupted build of the same key can be resumed: runs already written are reused.
  const manifest = await buildLibrary({...params, out: tmp, log});
  rmSync(dir, {recursive: true, force: true});
  renameSync(tmp, dir);
  return {dir, manifest};
}
