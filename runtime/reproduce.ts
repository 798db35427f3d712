/**
 * `lever reproduce` as a library (Node only): running the profile's plan of experiments
 * (lib/lever/experiment/plan.ts `reproducePlan`) into a directory, and reading result sets back (ours
 * and the reference's) as one comparison. Shared by cli/commands/reproduce.ts (which renders
 * SUMMARY.md) and the "Reproducing the paper" artefact (`reproduceArtefact`, src/data/reproduce.json).
 */
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {join, relative, resolve} from "node:path";
import {escape as aqEscape, from} from "arquero";
import type {Profile} from "../lib/core/profile.js";
import {DECOMPOSITION_MODES} from "../lib/lever/retrieval/decompose.js";
import {cellNumber, type ResultSet} from "../lib/lever/experiment/aggregate.js";
import {compareReproduction, type ReproduceComparison, type StepResults} from "../lib/lever/experiment/compare.js";
import {experimentDefaults, LAUNCHED_SF, RESULT_COLUMNS, resultFileName} from "../lib/lever/experiment/index.js";
import {reproducePlan, type ReproduceStep} from "../lib/lever/experiment/plan.js";
import {parseSpecs, parseSpecSet} from "../lib/lever/env/layout.js";
import type {SfMethod} from "../lib/lever/pi2vec/embedding.js";
import {parseCsv} from "../lib/core/csv.js";
import {cachedFile, cacheKey, cacheRoot, type FileDigest, filesProblem, PROJECT_ROOT, treeDigests, withBuildLock} from "./cache.js";
import {runExperimentNode, runSweepNode} from "./experiment.js";
import {defaultWorkers, withSharedPool} from "./pool.js";
import {ensureRegressorReport, type ReportRow} from "./regressor-report.js";

export type {ReproduceStep};

/** The reference's hybrid k-sweep (Q-sum 16×16), relative to `referenceDir()`. */
export const REFERENCE_SWEEP = "lever-results-16/qsum/hybrid_k_sweep.csv";

/**
 * The reference's published result tables, carried in the repository (reference/lever/, MIT licence
 * beside them); LEVER_REFERENCE_DIR points elsewhere (a folder with the same layout).
 */
export function referenceDir(): string {
  return resolve(process.env.LEVER_REFERENCE_DIR ?? join(PROJECT_ROOT, "reference/lever"));
}

export function readResultSet(dir: string, specs: readonly string[]): ResultSet {
  const set: ResultSet = {};
  for (const spec of specs) {
    for (const mode of DECOMPOSITION_MODES) {
      const f = join(dir, spec, resultFileName(mode));
      if (existsSync(f)) (set[spec] ??= {})[mode] = parseCsv(readFileSync(f, "utf8"));
    }
  }
  return set;
}

/**
 * Our results beside the reference's (lib/lever/experiment/compare.ts) for a finished run: the one
 * comparison that SUMMARY.md renders and the Reproducing page shows. Also returns the result sets read.
 */
export function readComparison(
  r: {done: readonly ReproduceDone[]; sweepSummary: Record<string, number>[]; total: number},
  o: {profile: Profile; sf: string},
): {comparison: ReproduceComparison<ReproduceStep>; results: StepResults<ReproduceStep>[]} {
  const refRoot = referenceDir();
  const haveRef = existsSync(refRoot);
  const results = r.done
    .filter((d) => !d.step.name.endsWith("sweep"))
    .map((d) => ({step: d.step, seconds: d.seconds, ours: readResultSet(d.dir, d.step.specs), ref: haveRef && d.step.reference ? readResultSet(join(refRoot, d.step.reference), d.step.specs) : null}));
  const sweepDone = r.done.find((d) => d.step.name.endsWith("sweep"));
  const {name, title, goldPenalty} = sweepDone?.step ?? reproducePlan(o.profile).sweep;
  const sweepRefFile = join(refRoot, REFERENCE_SWEEP);
  const sweepRef = haveRef && existsSync(sweepRefFile) ? parseCsv(readFileSync(sweepRefFile, "utf8")).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))) : [];
  const sweep = {name, title, goldPenalty: goldPenalty ?? "legacy", seconds: sweepDone?.seconds ?? null, ours: r.sweepSummary, ref: sweepRef};
  const comparison = compareReproduction({profile: o.profile, sf: o.sf, seconds: r.total, referenceFound: haveRef, steps: results, sweep});
  return {comparison, results};
}

export interface ReproduceDone {
  step: ReproduceStep;
  seconds: number;
  dir: string;
  /** The library embedding the step used (cached file) and its regressor setting, for reports. */
  embeddingFile?: string;
  regressor?: "linear" | "gbrt";
  regressorBySpec?: boolean;
}

/**
 * Run every step of the profile's plan into `out` (one directory per step) and the k-sweep. The steps
 * run concurrently on one shared worker pool (pool.ts), so the cores stay busy from the first library
 * run to the last experiment job; each step's `seconds` is its wall time within that concurrent run.
 */
export async function runReproduce(o: {
  profile: Profile;
  sf: SfMethod;
  out: string;
  workers?: number;
  skipMlp?: boolean;
  log: (line: string) => void;
  onEmbedding?: (step: ReproduceStep, embeddingFile: string, regressor: "linear" | "gbrt", bySpec: boolean) => void;
}): Promise<{done: ReproduceDone[]; sweepSummary: Record<string, number>[]; total: number}> {
  const {steps, sweep} = reproducePlan(o.profile);
  return withSharedPool(o.workers ?? defaultWorkers(), async () => {
    const t0 = performance.now();
    const runStep = async (step: ReproduceStep): Promise<ReproduceDone> => {
      o.log(`reproduce: ${step.name} — ${step.title}`);
      const set = parseSpecSet(step.specSet);
      const dir = join(o.out, step.name);
      // Every setting but the method and the SF scoring is the spec set's default (experimentDefaults).
      const {regressor, regressorBySpec} = experimentDefaults(set, {method: step.method});
      const r = await runExperimentNode({
        specSet: set,
        specs: step.specs,
        librarySpecs: parseSpecs(step.librarySpecs.join(","), set),
        seeds: step.seeds ?? set.seeds,
        modes: step.modes,
        params: {method: step.method, sf: step.sf ?? o.sf, tfsSpecs: step.tfs?.specs, tfsSeeds: step.tfs?.seeds},
        embedSeeds: step.embedSeeds,
        workers: o.workers,
        out: dir,
        log: o.log,
        onEmbedding: (file) => o.onEmbedding?.(step, file, regressor, regressorBySpec),
      });
      o.log(`reproduce: ${step.name} done (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      return {step, seconds: (performance.now() - t0) / 1000, dir, embeddingFile: r.embeddingFile, regressor, regressorBySpec};
    };
    const runSweep = async (): Promise<ReproduceDone & {summary: Record<string, number>[]}> => {
      o.log(`reproduce: ${sweep.name} — ${sweep.title}`);
      const set = parseSpecSet(sweep.specSet);
      const sweepDir = join(o.out, sweep.name);
      const sw = await runSweepNode({
        specSet: set,
        specs: sweep.specs,
        librarySpecs: parseSpecs(sweep.librarySpecs.join(","), set),
        seeds: set.seeds,
        params: {method: sweep.method, sf: o.sf, goldPenalty: sweep.goldPenalty},
        out: sweepDir,
        log: o.log,
      });
      return {step: sweep, seconds: (performance.now() - t0) / 1000, dir: sweepDir, summary: sw.summary};
    };
    const subset = (s: ReproduceStep) => s.twin !== undefined || steps.some((t) => t.twin === s.name);
    const [sw, ...done] = await Promise.all([runSweep(), ...steps.filter((s) => !(o.skipMlp && subset(s))).map(runStep)]);
    const {summary, ...sweepDone} = sw;
    return {done: [...done, sweepDone], sweepSummary: summary, total: (performance.now() - t0) / 1000};
  });
}

// ---------------------------------------------------------------------------------------------
// The "Reproducing the paper" page's artefact

interface Done {
  done: ReproduceDone[];
  sweepSummary: Record<string, number>[];
  total: number;
}

/** Keep the columns the page uses: the reference's but the query, our policy lists, the combination count. */
const KEEP: readonly string[] = [
  ...RESULT_COLUMNS.filter((c) => c !== "query"),
  "targeted_policies",
  "exhaustive_policies",
  "hybrid_policies",
  "exhaustive_combinations",
  "exhaustive_sf_fits",
  "hybrid_combinations",
  "hybrid_sf_fits",
];

/** Labels stay text; every other kept column is a number (an empty field, pandas' NaN, is NaN: null in the JSON). */
const TEXT = /_policies$|setup|spec|seed/;

function slim(set: ResultSet): ResultSet {
  const out: ResultSet = {};
  for (const [spec, modes] of Object.entries(set)) {
    out[spec] = {};
    for (const [mode, rows] of Object.entries(modes)) {
      const keep = KEEP.filter((k) => rows!.length > 0 && k in rows![0]);
      (out[spec] as Record<string, unknown>)[mode] = from(rows as Record<string, unknown>[], keep)
        .derive(Object.fromEntries(keep.filter((k) => !TEXT.test(k)).map((k) => [k, aqEscape((d: Record<string, unknown>) => cellNumber(d[k] as string))])))
        .objects();
    }
  }
  return out;
}

/** sha256 of every file under `dir` (paths and contents), "" when it does not exist. */
function treeHash(dir: string): string {
  if (!existsSync(dir)) return "";
  const h = createHash("sha256");
  const walk = (d: string) => {
    for (const e of readdirSync(d, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const f = join(d, e.name);
      if (e.isDirectory()) walk(f);
      else h.update(relative(dir, f)).update("\0").update(readFileSync(f)).update("\0");
    }
  };
  walk(dir);
  return h.digest("hex");
}

/**
 * The page's document: the comparison with the reference (what SUMMARY.md renders), each step with
 * our rows and the reference's (slimmed to what the page lists) and its regressor report.
 */
export function reproduceDocument(result: Done, o: {profile: Profile; sf: string}, reportOf: ReadonlyMap<string, ReportRow[]>) {
  const {comparison, results} = readComparison(result, o);
  return {
    ...comparison,
    steps: comparison.steps.map((step, i) => {
      const d = result.done.find((x) => x.step.name === step.name)!;
      return {
        ...step,
        ours: slim(results[i].ours),
        ref: results[i].ref ? slim(results[i].ref!) : null,
        regressor: d.regressor ?? null,
        regressorReport: (d.embeddingFile && reportOf.get(d.embeddingFile)) ?? null,
      };
    }),
  };
}

/**
 * src/data/reproduce.json, the "Reproducing the paper" page's document: `lever reproduce` for the build
 * profile run into a content-hashed cache directory (once across processes: withBuildLock), then the
 * comparison with the reference (lib/lever/experiment/compare.ts, the one SUMMARY.md renders), each
 * step with our rows and the reference's for the page's lists, and its regressor report.
 */
export async function reproduceArtefact(profile: Profile, log: (line: string) => void): Promise<string> {
  const sf = LAUNCHED_SF;
  const refRoot = referenceDir();
  const code = [new URL(import.meta.url)];
  const dir = join(cacheRoot(), `reproduce-${profile}-${cacheKey("reproduce", {profile, sf}, code)}`);
  // The page's document, keyed by the reference tables too (they are read below, not by the runs).
  const site = join(cacheRoot(), `reproduce-site-${profile}-${cacheKey("reproduce-site", {profile, sf, reference: treeHash(refRoot)}, code)}.json`);
  return readFileSync(await cachedFile(site, () => computeDocument(profile, sf, dir, log), log, `reproduce (${profile})`), "utf8");
}

async function computeDocument(profile: Profile, sf: SfMethod, dir: string, log: (line: string) => void): Promise<string> {
  // Regressor variants (§5): seeded 10-fold CV beside in-sample, once per distinct library embedding
  // (regressor-report.ts caches them), started as soon as the embedding exists.
  // DIR/DONE.json marks a finished run and records every file's length and sha256: the entry counts
  // as done only when they all still match (a damaged run directory is run again).
  const marker = join(dir, "DONE.json");
  const isDone = () => {
    try {
      const {files} = JSON.parse(readFileSync(marker, "utf8")) as {files?: Record<string, FileDigest>};
      return files !== undefined && filesProblem(dir, files) === null;
    } catch {
      return false;
    }
  };
  const reportOf = new Map<string, ReportRow[]>();
  let result: Done;
  await withSharedPool(defaultWorkers(), async () => {
    const read = (): Done => {
      log(`reproduce (${profile}): cached (${dir})`);
      const {done, sweepSummary, total} = JSON.parse(readFileSync(marker, "utf8")) as Done;
      return {done, sweepSummary, total};
    };
    result = await withBuildLock(
      dir,
      isDone,
      async () => {
        const tmp = `${dir}.partial`;
        rmSync(tmp, {recursive: true, force: true});
        const r = await runReproduce({profile, sf, out: tmp, log, onEmbedding: (_step, file, kind, bySpec) => void ensureRegressorReport(file, kind, bySpec, log)});
        const rebase = (d: ReproduceDone) => ({...d, dir: d.dir.replace(tmp, dir)});
        const done: Done = {done: r.done.map(rebase), sweepSummary: r.sweepSummary, total: r.total};
        writeFileSync(join(tmp, "DONE.json"), JSON.stringify({...done, files: treeDigests(tmp, (f) => f === "DONE.json")}));
        rmSync(dir, {recursive: true, force: true});
        renameSync(tmp, dir);
        return done;
      },
      read,
      log,
    );
    const withReport = result.done.filter((d) => d.embeddingFile && d.regressor && existsSync(d.embeddingFile));
    const rows = await Promise.all(withReport.map((d) => ensureRegressorReport(d.embeddingFile!, d.regressor!, d.regressorBySpec ?? false, log)));
    withReport.forEach((d, i) => reportOf.set(d.embeddingFile!, rows[i]));
  });
  return JSON.stringify(reproduceDocument(result!, {profile, sf}, reportOf));
}
