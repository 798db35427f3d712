/**
 * Build a spec set's policy library on all cores (Node only): 8 reward systems × seeds × specs, one
 * worker-thread job per run, files written atomically, then a manifest. Runs whose file already
 * exists with identical parameters are reused, so an interrupted build resumes (like the reference,
 * which skips non-empty seed directories).
 *
 * Layout on disk:  DIR/manifest.json
 *                  DIR/<specSet>/<spec>/<reward>/seed_0000.lvr   (lib/core/container.ts format)
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {decodeContainer} from "../lib/core/container.js";
import {runParamsFor, type LibraryParams} from "../lib/lever/library/params.js";
import type {KeepRule, Run, RunMeta, RunParams} from "../lib/lever/library/runs.js";
import {decodeRun, runId, seed4} from "../lib/lever/library/runs.js";
import type {Spec, SpecSet} from "../lib/lever/env/layout.js";
import type {GoldPenalty} from "../lib/lever/env/rewards.js";
import type {UpdateRule} from "../lib/lever/library/sarsa.js";
import {stableStringify} from "./cache.js";
import {defaultWorkers, runPool} from "./pool.js";
import {atomicWrite} from "./fs.js";

/** A library's settings (lib/lever/library/params.ts) and where and how to build it. */
export interface LibraryOptions extends LibraryParams {
  out: string;
  workers?: number;
  /** Progress lines (stderr in the CLI and loaders). */
  log?: (line: string) => void;
}

export interface ManifestRun {
  id: string;
  file: string;
  spec: string;
  reward: string;
  seed: number;
  episodes: number;
  snapshots: number;
  kept: number[];
  finalReward: number;
  time: number;
  wallTime: number;
  steps: number;
  bytes: number;
}

export interface Manifest {
  format: "lever-library/1";
  specSet: string;
  size: number;
  variant: string;
  counts: SpecSet["counts"];
  specs: Spec[];
  seeds: number[];
  rewards: string[];
  params: {gamma: number; alpha: number; rule: UpdateRule; goldPenalty: GoldPenalty; keep: KeepRule; trainSeed: number; epsStart: number; epsMin: number};
  runs: ManifestRun[];
  /** Wall-clock seconds of the build (0 for runs reused from disk). */
  buildSeconds: number;
  workers: number;
  totalSteps: number;
}

export function runFile(p: RunParams): string {
  return join(p.specSet, p.spec, p.reward, `seed_${seed4(p.seed)}.lvr`);
}

function sameParams(meta: RunMeta, p: RunParams): boolean {
  const pick = (x: RunParams) => stableStringify(Object.fromEntries(Object.keys(p).map((k) => [k, x[k as keyof RunParams]])));
  return pick(meta) === pick(p);
}

function readMeta(path: string): RunMeta | null {
  try {
    return decodeContainer<RunMeta>(readFileSync(path)).meta;
  } catch {
    return null;
  }
}

export async function buildLibrary(o: LibraryOptions): Promise<Manifest> {
  const log = o.log ?? (() => {});
  const jobs = runParamsFor(o);
  const workers = o.workers ?? defaultWorkers();
  const t0 = performance.now();
  const metas: (RunMeta | null)[] = jobs.map((p) => {
    const m = readMeta(join(o.out, runFile(p)));
    return m && sameParams(m, p) ? m : null;
  });
  const bytesOf: number[] = jobs.map((p, i) => (metas[i] ? readFileSync(join(o.out, runFile(p))).length : 0));
  const todo = jobs.map((_, i) => i).filter((i) => !metas[i]);
  // Longest runs first, for a better balance over the workers.
  todo.sort((a, b) => jobs[b].episodes * jobs[b].size - jobs[a].episodes * jobs[a].size);
  if (todo.length < jobs.length) log(`library ${o.specSet.name}: reusing ${jobs.length - todo.length} of ${jobs.length} runs found in ${o.out}`);
  log(
    `library ${o.specSet.name}: training ${todo.length} runs (${o.specs.map((s) => s.name).join("/")} × ${o.rewards.length} rewards × ${o.seeds.length} seeds) on ${Math.min(workers, Math.max(1, todo.length))} worker threads`,
  );
  let finished = 0;
  let lastLog = 0;
  // Priority 3: library runs gate everything downstream (embeddings, experiments, pages).
  await runPool<RunParams, {bytes: Uint8Array}>(
    new URL("./workers/library-worker.ts", import.meta.url),
    todo.map((i) => jobs[i]),
    workers,
    (k, msg) => {
      const i = todo[k];
      const bytes = new Uint8Array(msg.bytes);
      atomicWrite(join(o.out, runFile(jobs[i])), bytes);
      metas[i] = decodeContainer<RunMeta>(bytes).meta;
      bytesOf[i] = bytes.length;
      finished++;
      const now = performance.now();
      if (now - lastLog > 2000 || finished === todo.length) {
        lastLog = now;
        log(`  ${finished}/${todo.length} runs  ${((now - t0) / 1000).toFixed(1)} s  (last: ${metas[i]!.id}, final reward ${metas[i]!.finalReward.toFixed(2)})`);
      }
    },
    {priority: 3},
  );
  const first = jobs[0];
  const manifest: Manifest = {
    format: "lever-library/1",
    specSet: o.specSet.name,
    size: o.specSet.size,
    variant: o.specSet.variant,
    counts: o.specSet.counts,
    specs: o.specs,
    seeds: o.seeds,
    rewards: o.rewards,
    params: {gamma: first.gamma, alpha: first.alpha, rule: first.rule, goldPenalty: first.goldPenalty, keep: first.keep, trainSeed: first.trainSeed, epsStart: 1.0, epsMin: 0.01},
    runs: jobs.map((p, i) => {
      const m = metas[i]!;
      return {
        id: runId(p),
        file: runFile(p),
        spec: p.spec,
        reward: p.reward,
        seed: p.seed,
        episodes: p.episodes,
        snapshots: m.snapshotEpisodes.length,
        kept: m.kept,
        finalReward: m.finalReward,
        time: m.time,
        wallTime: m.wallTime,
        steps: m.steps,
        bytes: bytesOf[i],
      };
    }),
    buildSeconds: (performance.now() - t0) / 1000,
    workers,
    totalSteps: metas.reduce((s, m) => s + (m?.steps ?? 0), 0),
  };
  atomicWrite(join(o.out, "manifest.json"), JSON.stringify(manifest, null, 1));
  log(
    `library ${o.specSet.name}: done in ${manifest.buildSeconds.toFixed(1)} s, ${(manifest.totalSteps / 1e6).toFixed(1)} M steps, ${(manifest.runs.reduce((s, r) => s + r.bytes, 0) / 1e6).toFixed(1)} MB`,
  );
  return manifest;
}

/** Decode every run of a finished library (manifest order). */
export function loadRuns(dir: string, manifest: Manifest = readManifest(dir)): Run[] {
  return manifest.runs.map((r) => decodeRun(readFileSync(join(dir, r.file))));
}

export function readManifest(dir: string): Manifest {
  const path = join(dir, "manifest.json");
  if (!existsSync(path)) throw new Error(`no library manifest at ${path} (build one with: lever library --spec-set NAME --out ${dir})`);
  return JSON.parse(readFileSync(path, "utf8")) as Manifest;
}
