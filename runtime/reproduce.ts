/**
 * `lever reproduce` as a library (Node only): running the profile's plan of experiments
 * (lib/lever/experiment/plan.ts `reproducePlan`) into a directory, and reading result sets back (ours
 * and the reference's). Shared by cli/commands/reproduce.ts (which adds SUMMARY.md) and the
 * "Reproducing the paper" loader (data-loaders/reproduce.ts).
 */
import {existsSync, readFileSync} from "node:fs";
import {join, resolve} from "node:path";
import type {Profile} from "../lib/core/profile.js";
import {DECOMPOSITION_MODES, type DecompositionMode} from "../lib/lever/retrieval/decompose.js";
import type {ResultSet} from "../lib/lever/experiment/aggregate.js";
import {compareReproduction, type ReproduceComparison, type StepResults} from "../lib/lever/experiment/compare.js";
import {experimentDefaults, resultFileName} from "../lib/lever/experiment/index.js";
import {reproducePlan, type ReproduceStep} from "../lib/lever/experiment/plan.js";
import {parseSpecs, parseSpecSet} from "../lib/lever/env/layout.js";
import type {SfMethod} from "../lib/lever/pi2vec/embedding.js";
import {parseCsv} from "../lib/core/csv.js";
import {PROJECT_ROOT} from "./cache.js";
import {runExperimentNode, runSweepNode} from "./experiment.js";
import {defaultWorkers, withSharedPool} from "./pool.js";

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
export function readComparison(r: {done: readonly ReproduceDone[]; sweepSummary: Record<string, number>[]; total: number}, o: {profile: Profile; sf: string}): {comparison: ReproduceComparison<ReproduceStep>; results: StepResults<ReproduceStep>[]} {
  const refRoot = referenceDir();
  const haveRef = existsSync(refRoot);
  const results = r.done
    .filter((d) => !d.step.name.endsWith("sweep"))
    .map((d) => ({step: d.step, seconds: d.seconds, ours: readResultSet(d.dir, d.step.specs), ref: haveRef && d.step.reference ? readResultSet(join(refRoot, d.step.reference), d.step.specs) : null}));
  const sweepDone = r.done.find((d) => d.step.name.endsWith("sweep"));
  const {name, title} = sweepDone?.step ?? reproducePlan(o.profile).sweep;
  const sweepRefFile = join(refRoot, REFERENCE_SWEEP);
  const sweepRef = haveRef && existsSync(sweepRefFile) ? parseCsv(readFileSync(sweepRefFile, "utf8")).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))) : [];
  const sweep = {name, title, seconds: sweepDone?.seconds ?? null, ours: r.sweepSummary, ref: sweepRef};
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
export async function runReproduce(o: {profile: Profile; sf: SfMethod; out: string; workers?: number; skipMlp?: boolean; log: (line: string) => void; onEmbedding?: (step: ReproduceStep, embeddingFile: string, regressor: "linear" | "gbrt", bySpec: boolean) => void}): Promise<{done: ReproduceDone[]; sweepSummary: Record<string, number>[]; total: number}> {
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
        params: {method: step.method, sf: step.sf ?? o.sf},
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
      const sw = await runSweepNode({specSet: set, specs: sweep.specs, librarySpecs: parseSpecs(sweep.librarySpecs.join(","), set), seeds: set.seeds, params: {method: sweep.method, sf: o.sf}, out: sweepDir, log: o.log});
      return {step: sweep, seconds: (performance.now() - t0) / 1000, dir: sweepDir, summary: sw.summary};
    };
    const [sw, ...done] = await Promise.all([runSweep(), ...steps.filter((s) => !(o.skipMlp && s.sf === "mlp")).map(runStep)]);
    const {summary, ...sweepDone} = sw;
    return {done: [...done, sweepDone], sweepSummary: summary, total: (performance.now() - t0) / 1000};
  });
}
