/**
 * The experiment of spec/lever.md §8 on disk (Node only): build or reuse the library (library.ts),
 * decode its runs, embed them (embedding.ts, cached by content hash), fit the regressors, run the
 * jobs (spec, mode, setup, seed) in-process or on worker threads, and write
 *   DIR/<spec>/full_experiment_results_{trivial,double,triple}.csv   (+ DIR/experiment.json)
 * exactly as the reference lays them out.
 *
 * Every setting not given is resolved once, by lib/lever/experiment/params.ts `resolveExperimentSettings`
 * (the defaults of a run on the spec set), and written to experiment.json.
 *
 * Sharding: `shard: {index, count}` (1-based) keeps the jobs lib/lever/experiment/plan.ts `shardJobs`
 * assigns it (round-robin over spec → mode → setup → seed). A shard writes DIR/shard-<i>-of-<n>.csv
 * (column job_key first) and DIR/shard-<i>-of-<n>.json; `mergeShards` joins them into exactly the files one run writes.
 * Wall-time columns differ between any two runs; with `timing: "zero"` every time column is 0 (the
 * library's training time `scratch_time_s` too) and the merged files are byte-identical to a single
 * run's (the test asserts both forms).
 *
 * Output: the destination is checked before any work (runtime/output.ts: a new or empty folder, or an
 * earlier output, which is replaced whole), and a run's files are written into a temporary folder that
 * is renamed into place when complete. experiment.json and each shard's .json record what the rows
 * were computed from (`from`: the library's key and the hash of the code and packages that compute
 * them); `mergeShards` refuses shards that differ in it, or whose CSV does not match the length and
 * sha256 its .json records.
 */
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {basename, join} from "node:path";
import {parseRows, toCsv} from "../lib/core/csv.js";
import {DECOMPOSITION_MODES, type DecompositionMode} from "../lib/lever/retrieval/decompose.js";
import {
  decomposeSetups,
  EXPERIMENT_COLUMNS,
  experimentJobs,
  fitRegressors,
  groupRows,
  jobKey,
  pandasRow,
  prepareContext,
  resolveExperimentSettings,
  resultFileName,
  runJob,
  type sweepK,
  SWEEP_COLUMNS,
  SWEEP_FLOAT_COLUMNS,
  type ExperimentContext,
  type ExperimentJob,
  type ExperimentOverrides,
  type ExperimentParams,
  type ExperimentResults,
  type ExperimentRow,
  type ExperimentSettings,
  type TimedDecomposition,
} from "../lib/lever/experiment/index.js";
import {shardJobs, type Shard} from "../lib/lever/experiment/plan.js";
import type {Spec, SpecSet} from "../lib/lever/env/layout.js";
import type {RegressorKind} from "../lib/lever/pi2vec/regressor.js";
import {digestOf, fileProblem, type FileDigest, sourceHash} from "./cache.js";
import {loadRuns, readManifest} from "./library-build.js";
import {ensureEmbedding, readEmbedding, type EmbedOptions} from "./embedding.js";
import {atomicWrite} from "./fs.js";
import {checkLibrary, ensureLibrary} from "./library.js";
import {EXPERIMENT_OUTPUT, finalPath, openOutput, type OutputLayout, type PendingOutput, SWEEP_OUTPUT} from "./output.js";
import {defaultWorkers, runPool, runTask, sharedPool} from "./pool.js";

const EXPERIMENT_WORKER = new URL("./workers/experiment-worker.ts", import.meta.url);

export {ensureEmbedding, loadRuns, readEmbedding, type EmbedOptions};

export type Log = (line: string) => void;

// ---------------------------------------------------------------------------------------------
// Library, embedding and context

export interface ContextOptions {
  libraryDir: string;
  embeddingFile: string;
  regressor: RegressorKind;
  regressorBySpec: boolean;
}

const contexts = new Map<string, ExperimentContext>();

/** Decoded runs + embedding + fitted regressors, cached per process (workers reuse it across jobs). */
export function loadContext(o: ContextOptions): ExperimentContext {
  const key = JSON.stringify(o);
  let ctx = contexts.get(key);
  if (!ctx) {
    const runs = loadRuns(o.libraryDir);
    const embedding = readEmbedding(o.embeddingFile);
    ctx = prepareContext(runs, embedding, fitRegressors(embedding, {kind: o.regressor, bySpec: o.regressorBySpec}));
    contexts.set(key, ctx);
  }
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// Running

/**
 * A run: its jobs, the settings given (params, librarySf, regressor, regressorBySpec, canonical,
 * embedSeed; the rest are lib/lever/experiment/params.ts `experimentDefaults` for the spec set), and
 * where and how to run it.
 */
export interface ExperimentRunOptions extends ExperimentOverrides {
  specSet: SpecSet;
  /** Specs to run the experiment for (rows); the library may hold more (librarySpecs). */
  specs: string[];
  /** Specs trained into the library (default: all of the set — the [main] index spans X1/X5/X10). */
  librarySpecs?: Spec[];
  seeds: number[];
  modes?: DecompositionMode[];
  /** Worker threads (1 = in-process). */
  workers?: number;
  shard?: Shard;
  out: string;
  /** Use this finished library directory instead of the cached one (tests, prebuilt libraries). */
  libraryDir?: string;
  log?: Log;
  /** Called once the library's embedding exists (before the jobs run): reports can start early. */
  onEmbedding?: (embeddingFile: string) => void;
}

export interface ExperimentRunSummary {
  out: string;
  specSet: string;
  libraryDir: string;
  embeddingFile: string;
  jobs: number;
  jobsTotal: number;
  shard: string | null;
  files: string[];
  seconds: {library: number; embedding: number; experiment: number; total: number};
  params: ExperimentParams;
}

/** Everything that defines the output (written to experiment.json; identical for shards and merges). */
export function describeRun(o: ExperimentRunOptions, s: ExperimentSettings, modes: readonly DecompositionMode[]) {
  return {
    format: "lever-experiment/1",
    specSet: o.specSet.name,
    specs: o.specs,
    librarySpecs: (o.librarySpecs ?? o.specSet.specs).map((x) => x.name),
    seeds: o.seeds,
    modes,
    params: s.params,
    librarySf: s.librarySf,
    regressor: s.regressor,
    regressorBySpec: s.regressorBySpec,
    canonical: s.canonical,
    embedSeed: s.embedSeed,
    embedSeeds: s.embedSeeds,
  };
}

/**
 * What an output's rows were computed from, beyond its settings: the library (its key, which leaves
 * out measured times, so the same library built on two machines has one key) and the code (the hash of
 * every module and package version the rows depend on). Written to experiment.json and each shard's
 * .json; `mergeShards` joins only shards that agree on it.
 */
export interface ComputedFrom {
  library: string;
  source: string;
}

let source: string | undefined;

/** Hash of the code that computes an experiment's rows (this module's import graph and the worker's, with package versions). */
export function experimentSource(): string {
  source ??= sourceHash([new URL(import.meta.url), EXPERIMENT_WORKER]).slice(0, 16);
  return source;
}

interface WorkerJob {
  ctx: ContextOptions;
  job: ExperimentJob;
  decomposition: TimedDecomposition;
  params: ExperimentParams;
}

/** Library → embedding → context options (shared by experiment and sweep). */
async function prepare(o: ExperimentRunOptions, s: ExperimentSettings, log: Log) {
  const missing = s.embedSeeds === null ? [] : o.seeds.filter((x) => !s.embedSeeds!.includes(x));
  if (missing.length > 0) throw new RangeError(`invalid embedding seeds ${s.embedSeeds!.join(",")}: seed ${missing[0]} of the run is not embedded (retrieval stays within a seed)`);
  const t0 = performance.now();
  const library = o.libraryDir ? {dir: o.libraryDir, manifest: readManifest(o.libraryDir)} : await ensureLibrary({specSet: o.specSet, specs: o.librarySpecs ?? o.specSet.specs}, log);
  const libraryDir = library.dir;
  const t1 = performance.now();
  const d = describeRun(o, s, o.modes ?? [...DECOMPOSITION_MODES]);
  const embedOptions: EmbedOptions = {method: d.librarySf, rule: s.params.rule, canonical: d.canonical, seed: d.embedSeed};
  if (d.embedSeeds !== null) embedOptions.seeds = d.embedSeeds;
  const embeddingFile = await ensureEmbedding(libraryDir, embedOptions, log);
  const t2 = performance.now();
  const ctx: ContextOptions = {libraryDir, embeddingFile, regressor: d.regressor, regressorBySpec: d.regressorBySpec};
  const from: ComputedFrom = {library: library.manifest.key, source: experimentSource()};
  return {ctx, libraryDir, embeddingFile, librarySeconds: (t1 - t0) / 1000, embeddingSeconds: (t2 - t1) / 1000, describe: d, from};
}

/**
 * Before any work: the destination can take this run's output (runtime/output.ts `openOutput`), and a
 * library given as a folder is complete and fits the spec set, specs and seeds (library.ts `checkLibrary`).
 */
function begin(o: ExperimentRunOptions, layout: OutputLayout): PendingOutput {
  const dest = openOutput(o.out, layout);
  try {
    if (o.libraryDir) checkLibrary(o.libraryDir, o.specSet, o.specs, o.seeds);
  } catch (e) {
    dest.discard();
    throw e;
  }
  return dest;
}

/** Run `work` into `dest.dir`, then put the folder in place; on failure `--out` is left as it was. */
async function finish<T>(dest: PendingOutput, work: () => Promise<T>): Promise<T> {
  try {
    const r = await work();
    dest.commit();
    return r;
  } catch (e) {
    dest.discard();
    throw e;
  }
}

/** Run jobs in-process (workers ≤ 1) or on a worker pool; rows keyed by job key. */
async function runJobs(
  ctxOptions: ContextOptions,
  jobs: readonly ExperimentJob[],
  decomps: Record<string, TimedDecomposition>,
  p: ExperimentParams,
  workers: number,
  log: Log,
): Promise<Map<string, ExperimentRow>> {
  const rows = new Map<string, ExperimentRow>();
  const t0 = performance.now();
  let last = 0;
  const progress = (job: ExperimentJob) => {
    const now = performance.now();
    if (now - last > 2000 || rows.size === jobs.length) {
      last = now;
      log(`  ${rows.size}/${jobs.length} jobs  ${((now - t0) / 1000).toFixed(1)} s  (last: ${jobKey(job)})`);
    }
  };
  if ((workers <= 1 || jobs.length <= 1) && !sharedPool()) {
    const ctx = loadContext(ctxOptions);
    for (const job of jobs) {
      rows.set(jobKey(job), runJob(ctx, job, decomps[`${job.mode}|${job.setup}`], p));
      progress(job);
    }
    return rows;
  }
  const payload: WorkerJob[] = jobs.map((job) => ({ctx: ctxOptions, job, decomposition: decomps[`${job.mode}|${job.setup}`], params: p}));
  await runPool<WorkerJob, {row: ExperimentRow}>(
    EXPERIMENT_WORKER,
    payload,
    workers,
    (i, msg) => {
      rows.set(jobKey(jobs[i]), msg.row);
      progress(jobs[i]);
    },
    {priority: 0},
  ); // short jobs: on a shared pool they fill the cores around the long ones
  return rows;
}

function writeResults(out: string, results: ExperimentResults, describe: ReturnType<typeof describeRun>, from: ComputedFrom): string[] {
  const files: string[] = [];
  for (const [spec, modes] of Object.entries(results)) {
    for (const [mode, rows] of Object.entries(modes)) {
      const f = join(out, spec, resultFileName(mode as DecompositionMode));
      atomicWrite(
        f,
        toCsv(
          EXPERIMENT_COLUMNS,
          rows!.map((r) => pandasRow(r)),
        ),
      );
      files.push(f);
    }
  }
  atomicWrite(join(out, "experiment.json"), JSON.stringify({...describe, from}, null, 1) + "\n");
  return files;
}

/** The columns of a shard's CSV: the job key and mode, then the experiment's. */
const SHARD_COLUMNS = ["job_key", "mode", ...EXPERIMENT_COLUMNS];

/** A shard's description (DIR/shard-<i>-of-<n>.json). */
interface ShardMeta {
  shard: Shard;
  jobs: string[];
  jobsTotal: number;
  experiment: ReturnType<typeof describeRun>;
  from: ComputedFrom;
  /** Length and sha256 of the shard's CSV. */
  csv: FileDigest;
}

export async function runExperimentNode(o: ExperimentRunOptions): Promise<ExperimentRunSummary> {
  const log = o.log ?? (() => {});
  const t0 = performance.now();
  const s = resolveExperimentSettings(o.specSet, o);
  const p = s.params;
  const modes = o.modes ?? [...DECOMPOSITION_MODES];
  const dest = begin(o, EXPERIMENT_OUTPUT);
  return finish(dest, async () => {
    const prep = await prepare(o, s, log);
    o.onEmbedding?.(prep.embeddingFile);
    const decomps = decomposeSetups(modes);
    const all = experimentJobs(o.specs, o.seeds, modes);
    const jobs = shardJobs(all, o.shard);
    const workers = o.workers ?? defaultWorkers();
    log(
      `experiment ${o.specSet.name} ${o.specs.join("/")}: ${jobs.length}${o.shard ? ` of ${all.length}` : ""} jobs, method ${p.method}, SF ${p.sf}, ${Math.min(workers, Math.max(1, jobs.length))} worker(s)`,
    );
    const t1 = performance.now();
    const rows = await runJobs(prep.ctx, jobs, decomps, p, workers, log);
    const t2 = performance.now();
    let files: string[];
    if (o.shard) {
      const name = `shard-${o.shard.index}-of-${o.shard.count}`;
      const f = join(dest.dir, `${name}.csv`);
      const csv = toCsv(
        SHARD_COLUMNS,
        jobs.map((j) => ({job_key: jobKey(j), mode: j.mode, ...pandasRow(rows.get(jobKey(j))!)})),
      );
      atomicWrite(f, csv);
      const meta: ShardMeta = {shard: o.shard, jobs: jobs.map(jobKey), jobsTotal: all.length, experiment: prep.describe, from: prep.from, csv: digestOf(csv)};
      atomicWrite(join(dest.dir, `${name}.json`), JSON.stringify(meta, null, 1) + "\n");
      files = [f];
    } else {
      files = writeResults(dest.dir, groupRows(all, rows), prep.describe, prep.from);
    }
    return {
      out: dest.out,
      specSet: o.specSet.name,
      libraryDir: prep.libraryDir,
      embeddingFile: prep.embeddingFile,
      jobs: jobs.length,
      jobsTotal: all.length,
      shard: o.shard ? `${o.shard.index}/${o.shard.count}` : null,
      files: files.map((f) => finalPath(dest, f)),
      seconds: {library: prep.librarySeconds, embedding: prep.embeddingSeconds, experiment: (t2 - t1) / 1000, total: (performance.now() - t0) / 1000},
      params: p,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Merge

interface ShardFile {
  /** The shard, as messages name it: DIR/shard-<i>-of-<n>. */
  path: string;
  meta: ShardMeta;
  rows: string[][];
}

/**
 * Read one shard (its .json and .csv) and check it on its own: the description is complete, the CSV
 * has the length and sha256 the description records (a file cut short or edited is refused), its
 * header is the shard columns and its rows are the jobs the description lists, in order.
 */
function readShard(dir: string, name: string): ShardFile {
  const path = join(dir, name);
  let meta: ShardMeta;
  try {
    meta = JSON.parse(readFileSync(`${path}.json`, "utf8")) as ShardMeta;
  } catch (e) {
    throw new RangeError(`merge: ${path}.json is not a readable shard description (${(e as Error).message.split("\n")[0]})`);
  }
  const valid =
    meta &&
    Number.isInteger(meta.shard?.index) &&
    Number.isInteger(meta.shard?.count) &&
    Array.isArray(meta.jobs) &&
    meta.experiment?.format === "lever-experiment/1" &&
    typeof meta.from?.library === "string" &&
    typeof meta.from?.source === "string" &&
    Number.isInteger(meta.csv?.bytes) &&
    typeof meta.csv?.sha256 === "string";
  if (!valid) throw new RangeError(`merge: ${path}.json is not a complete shard description (written by an older lever, or edited); run that shard again`);
  const problem = fileProblem(`${path}.csv`, meta.csv);
  if (problem) throw new RangeError(`merge: shard ${path} is damaged: ${problem}; run that shard again`);
  const [header, ...rows] = parseRows(readFileSync(`${path}.csv`, "utf8"));
  if (JSON.stringify(header) !== JSON.stringify(SHARD_COLUMNS)) throw new RangeError(`merge: ${path}.csv does not have the shard columns (job_key, mode, then the experiment's)`);
  if (rows.length !== meta.jobs.length || rows.some((r, i) => r[0] !== meta.jobs[i]))
    throw new RangeError(`merge: ${path}.csv holds ${rows.length} rows that are not the ${meta.jobs.length} jobs its description lists`);
  return {path, meta, rows};
}

/**
 * Join shard outputs (directories holding shard-<i>-of-<n>.csv/.json) into the files one run writes.
 * Checks, each refused with one line naming the shard: every shard is intact (`readShard`), describes
 * the same experiment, was computed from the same library and code (`from`), has the same shard
 * count and the jobs its index is assigned; and the union of their jobs is the full job list exactly
 * once. `out` is checked first and written as one unit (runtime/output.ts).
 */
export function mergeShards(shardDirs: readonly string[], out: string): {files: string[]; jobs: number; shards: number} {
  if (shardDirs.length === 0) throw new RangeError("merge: no shard directories given");
  const dest = openOutput(out, EXPERIMENT_OUTPUT);
  try {
    const shards: ShardFile[] = [];
    for (const dir of shardDirs) {
      if (!existsSync(dir)) throw new RangeError(`merge: no such directory: ${dir}`);
      const names = readdirSync(dir).filter((f) => /^shard-\d+-of-\d+\.json$/.test(f));
      if (names.length === 0) throw new RangeError(`merge: no shard-<i>-of-<n>.json in ${dir}`);
      for (const n of names) shards.push(readShard(dir, n.replace(/\.json$/, "")));
    }
    const first = shards[0];
    const ref = JSON.stringify(first.meta.experiment);
    const count = first.meta.shard.count;
    for (const s of shards) {
      if (JSON.stringify(s.meta.experiment) !== ref) throw new RangeError(`merge: ${s.path} describes a different experiment than ${first.path}`);
      if (s.meta.from.library !== first.meta.from.library)
        throw new RangeError(`merge: ${s.path} was computed from library ${s.meta.from.library}, ${first.path} from library ${first.meta.from.library}: shards must share one library`);
      if (s.meta.from.source !== first.meta.from.source)
        throw new RangeError(`merge: ${s.path} was computed by other code (source ${s.meta.from.source}) than ${first.path} (source ${first.meta.from.source}): run every shard from one version`);
      if (s.meta.shard.count !== count) throw new RangeError(`merge: shard counts differ (${s.path}: ${s.meta.shard.count}, ${first.path}: ${count})`);
    }
    const d = first.meta.experiment;
    const all = experimentJobs(d.specs, d.seeds, d.modes);
    for (const s of shards) {
      const assigned = shardJobs(all, s.meta.shard).map(jobKey);
      if (JSON.stringify(assigned) !== JSON.stringify(s.meta.jobs)) throw new RangeError(`merge: ${s.path} does not hold the jobs of shard ${s.meta.shard.index}/${s.meta.shard.count}`);
    }
    const rows = new Map<string, ExperimentRow>();
    for (const s of shards) {
      for (const r of s.rows) {
        if (rows.has(r[0])) throw new RangeError(`merge: job ${r[0]} appears in more than one shard (again in ${s.path})`);
        rows.set(r[0], Object.fromEntries(EXPERIMENT_COLUMNS.map((c, i) => [c, r[i + 2]])) as ExperimentRow);
      }
    }
    const missing = all.filter((j) => !rows.has(jobKey(j)));
    if (missing.length > 0)
      throw new RangeError(`merge: ${missing.length} of ${all.length} jobs missing (first: ${jobKey(missing[0])}; shards given: ${shards.map((s) => basename(s.path)).join(", ")})`);
    if (rows.size !== all.length) throw new RangeError(`merge: ${rows.size - all.length} rows are not jobs of this experiment`);
    const files = writeResults(dest.dir, groupRows(all, rows), d, first.meta.from);
    dest.commit();
    return {files: files.map((f) => finalPath(dest, f)), jobs: all.length, shards: shards.length};
  } catch (e) {
    dest.discard();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Sweep (§8.6)

export async function runSweepNode(o: ExperimentRunOptions & {ks?: number[]}): Promise<{out: string; file: string; summary: Record<string, number>[]; seconds: number}> {
  const log = o.log ?? (() => {});
  const t0 = performance.now();
  const s = resolveExperimentSettings(o.specSet, o);
  const p = s.params;
  const modes = o.modes ?? [...DECOMPOSITION_MODES];
  const dest = begin(o, SWEEP_OUTPUT);
  return finish(dest, async () => {
    const prep = await prepare(o, s, log);
    o.onEmbedding?.(prep.embeddingFile);
    const jobs = experimentJobs(o.specs, o.seeds, modes);
    log(`sweep ${o.specSet.name}: ${jobs.length} runs, method ${p.method}, SF ${p.sf}`);
    // One worker job (in-process without a shared pool): the sweep shares its retrievals across k.
    const res = await runTask<ReturnType<typeof sweepK>>(EXPERIMENT_WORKER, {sweep: {ctx: prep.ctx, jobs, decompositions: decomposeSetups(modes), params: p, ks: o.ks}}, {priority: 1});
    log(`  ${jobs.length}/${jobs.length} runs`);
    atomicWrite(
      join(dest.dir, "hybrid_k_sweep.csv"),
      toCsv(
        SWEEP_COLUMNS,
        res.summary.map((r) => pandasRow(r, SWEEP_FLOAT_COLUMNS)),
      ),
    );
    atomicWrite(
      join(dest.dir, "hybrid_k_sweep_runs.csv"),
      toCsv(
        ["job_key", "k", "reward", "policies", "search_time_s", "combo_time_s", "decomp_time_s"],
        res.runs.map((r) => ({
          job_key: jobKey(r.job),
          k: r.k,
          reward: r.reward,
          policies: JSON.stringify(r.policies),
          search_time_s: r.searchSeconds,
          combo_time_s: r.comboSeconds,
          decomp_time_s: r.decompSeconds,
        })),
      ),
    );
    return {out: dest.out, file: join(dest.out, "hybrid_k_sweep.csv"), summary: res.summary, seconds: (performance.now() - t0) / 1000};
  });
}
