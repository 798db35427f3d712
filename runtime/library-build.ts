/**
 * Build a spec set's policy library on all cores (Node only): 8 reward systems × seeds × specs, one
 * worker-thread job per run, files written atomically, then a manifest. Runs whose file already
 * exists with identical parameters are reused, so an interrupted build resumes (like the reference,
 * which skips non-empty seed directories).
 *
 * Layout on disk:  DIR/manifest.json
 *                  DIR/<specSet>/<spec>/<reward>/seed_0000.lvr   (lib/core/container.ts format)
 *
 * The manifest has three parts: what the library is (settings, runs, final rewards: the same on every
 * machine, hashed into `key`), the length and sha256 of every run file (checked on read:
 * `libraryProblem`), and what the build measured (`timing`: training times, wall time, workers).
 * Measured times never enter the key: two builds of one library have one key.
 */
import {createHash} from "node:crypto";
import {existsSync, readFileSync, rmSync} from "node:fs";
import {join} from "node:path";
import {decodeContainer} from "../lib/core/container.js";
import {runParamsFor, type LibraryParams} from "../lib/lever/library/params.js";
import type {KeepRule, Run, RunMeta, RunParams} from "../lib/lever/library/runs.js";
import {decodeRun, runHasParams, runId, seed4} from "../lib/lever/library/runs.js";
import type {Spec, SpecSet} from "../lib/lever/env/layout.js";
import type {GoldPenalty} from "../lib/lever/env/rewards.js";
import type {UpdateRule} from "../lib/lever/library/sarsa.js";
import {digestOf, type FileDigest, fileProblem, filesProblem, stableStringify} from "./cache.js";
import {defaultWorkers, runPool} from "./pool.js";
import {atomicWrite} from "./fs.js";

/** A library's settings (lib/lever/library/params.ts) and where and how to build it. */
export interface LibraryOptions extends LibraryParams {
  out: string;
  workers?: number;
  /** Progress lines (stderr in the CLI and loaders). */
  log?: (line: string) => void;
}

/** A run as the manifest lists it (deterministic: no measured time). */
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
  steps: number;
}

export const MANIFEST_FORMAT = "lever-library/2";

/** What identifies a library: its settings and runs (hashed into `Manifest.key`). */
export interface LibraryIdentity {
  format: typeof MANIFEST_FORMAT;
  specSet: string;
  size: number;
  variant: string;
  counts: SpecSet["counts"];
  specs: Spec[];
  seeds: number[];
  rewards: string[];
  params: {gamma: number; alpha: number; rule: UpdateRule; goldPenalty: GoldPenalty; keep: KeepRule; trainSeed: number; epsStart: number; epsMin: number};
  runs: ManifestRun[];
  totalSteps: number;
}

export interface Manifest extends LibraryIdentity {
  /** sha256 (16 hex digits) of the identity fields above: equal for two builds of one library on any machine. */
  key: string;
  /** Length and sha256 of every run file (paths relative to the library): checked on read. Not in the key (a run file holds its measured training time). */
  files: Record<string, FileDigest>;
  /** What this build measured: not in the key. */
  timing: {
    /** Wall-clock seconds of the build (0 for runs reused from disk). */
    buildSeconds: number;
    workers: number;
    /** Per run id: training-loop seconds (the reference's logged time) and the run's wall seconds. */
    runs: Record<string, {time: number; wallTime: number}>;
  };
}

/** The key of a library identity (`Manifest.key`). */
export function libraryKey(identity: LibraryIdentity): string {
  const {format, specSet, size, variant, counts, specs, seeds, rewards, params, runs, totalSteps} = identity;
  return createHash("sha256").update(stableStringify({format, specSet, size, variant, counts, specs, seeds, rewards, params, runs, totalSteps})).digest("hex").slice(0, 16);
}

export function runFile(p: RunParams): string {
  return join(p.specSet, p.spec, p.reward, `seed_${seed4(p.seed)}.lvr`);
}

function readMeta(path: string): RunMeta | null {
  try {
    return decodeContainer<RunMeta>(readFileSync(path)).meta;
  } catch {
    return null;
  }
}

/** The manifest in `dir` when it is a readable library manifest of this format, else null. */
function previousManifest(dir: string): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    return m.format === MANIFEST_FORMAT && m.files ? m : null;
  } catch {
    return null;
  }
}

export async function buildLibrary(o: LibraryOptions): Promise<Manifest> {
  const log = o.log ?? (() => {});
  const jobs = runParamsFor(o);
  const workers = o.workers ?? defaultWorkers();
  const t0 = performance.now();
  // A run file is reused when its parameters are this run's and, if a previous manifest recorded it,
  // it still has the recorded length and sha256 (a damaged file is trained again).
  const recorded = previousManifest(o.out)?.files ?? {};
  // The manifest goes first: while runs are replaced, no reader takes the folder for a finished library.
  rmSync(join(o.out, "manifest.json"), {force: true});
  const metas: (RunMeta | null)[] = jobs.map((p) => {
    const file = runFile(p);
    if (recorded[file] && fileProblem(join(o.out, file), recorded[file])) return null;
    const m = readMeta(join(o.out, file));
    return m && runHasParams(m, p) ? m : null;
  });
  const digests: (FileDigest | null)[] = jobs.map((p, i) => (metas[i] ? digestOf(readFileSync(join(o.out, runFile(p)))) : null));
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
      digests[i] = digestOf(bytes);
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
  const identity: LibraryIdentity = {
    format: MANIFEST_FORMAT,
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
        steps: m.steps,
      };
    }),
    totalSteps: metas.reduce((s, m) => s + (m?.steps ?? 0), 0),
  };
  const manifest: Manifest = {
    ...identity,
    key: libraryKey(identity),
    files: Object.fromEntries(jobs.map((p, i) => [runFile(p), digests[i]!])),
    timing: {
      buildSeconds: (performance.now() - t0) / 1000,
      workers,
      runs: Object.fromEntries(jobs.map((p, i) => [runId(p), {time: metas[i]!.time, wallTime: metas[i]!.wallTime}])),
    },
  };
  atomicWrite(join(o.out, "manifest.json"), JSON.stringify(manifest, null, 1));
  log(`library ${o.specSet.name}: done in ${manifest.timing.buildSeconds.toFixed(1)} s, ${(manifest.totalSteps / 1e6).toFixed(1)} M steps, ${(libraryBytes(manifest) / 1e6).toFixed(1)} MB`);
  return manifest;
}

/** Total size of a library's run files (bytes). */
export function libraryBytes(m: Manifest): number {
  return Object.values(m.files).reduce((s, f) => s + f.bytes, 0);
}

/** Decode every run of a finished library (manifest order). */
export function loadRuns(dir: string, manifest: Manifest = readManifest(dir)): Run[] {
  return manifest.runs.map((r) => decodeRun(readFileSync(join(dir, r.file))));
}

/** The manifest of the library in `dir`; a one-line error when there is none or it is not one this version reads. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, "manifest.json");
  if (!existsSync(path)) throw new Error(`no library manifest at ${path} (build one with: lever library --spec-set NAME --out ${dir})`);
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, "utf8")) as Manifest;
  } catch (e) {
    throw new Error(`library manifest ${path} is not valid JSON (${(e as Error).message}); build the library again with lever library --out ${dir}`);
  }
  if (m.format !== MANIFEST_FORMAT || !m.files || typeof m.key !== "string")
    throw new Error(`library manifest ${path} has format ${JSON.stringify(m.format)}, not ${MANIFEST_FORMAT}; build it again with lever library --out ${dir} (runs already there are reused)`);
  return m;
}

/**
 * Why the library in `dir` is not complete, or null when it is: its manifest is missing or unreadable,
 * or a run file is missing, or differs in length or sha256 from what the manifest records.
 */
export function libraryProblem(dir: string): string | null {
  let m: Manifest;
  try {
    m = readManifest(dir);
  } catch (e) {
    return (e as Error).message;
  }
  for (const r of m.runs) if (!m.files[r.file]) return `${join(dir, r.file)} has no recorded length and checksum`;
  return filesProblem(dir, m.files);
}
