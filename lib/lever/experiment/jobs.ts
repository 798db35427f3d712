/**
 * The experiment's jobs (spec/lever.md §8.1): setups per decomposition mode in the reference's order,
 * one job per (spec, mode, setup, seed), one decomposition per (mode, setup) reused for every seed, and
 * the CSV file of each mode.
 */
import type {DecompositionMode} from "../retrieval/decompose.js";
import {seed4} from "../library/runs.js";
import {decomposeQuery, DECOMPOSITION_MODES, parseDecompositionMode, REFERENCE_QUERIES} from "../retrieval/decompose.js";

export interface Setup {
  setup: string;
  query: string;
}

/** Setups of each mode, in the reference's order (§8.1). */
export const MODE_SETUPS: Readonly<Record<DecompositionMode, readonly Setup[]>> = {
  trivial: [REFERENCE_QUERIES.Q1, REFERENCE_QUERIES.Q2, REFERENCE_QUERIES.Q3].map((q) => ({setup: q.target, query: q.query})),
  double: [REFERENCE_QUERIES.Q2, REFERENCE_QUERIES.Q3].map((q) => ({setup: q.target, query: q.query})),
  triple: [REFERENCE_QUERIES.Q3].map((q) => ({setup: q.target, query: q.query})),
};

export interface ExperimentJob {
  spec: string;
  mode: DecompositionMode;
  setup: string;
  query: string;
  seed: number;
}

/** The job list in output order: spec → mode → setup → seed (one CSV per spec and mode). */
export function experimentJobs(specs: readonly string[], seeds: readonly number[], modes: readonly DecompositionMode[] = DECOMPOSITION_MODES): ExperimentJob[] {
  const jobs: ExperimentJob[] = [];
  for (const spec of specs) for (const mode of modes) for (const {setup, query} of MODE_SETUPS[parseDecompositionMode(mode)]) for (const seed of seeds) jobs.push({spec, mode, setup, query, seed});
  return jobs;
}

export function jobKey(j: Pick<ExperimentJob, "spec" | "mode" | "setup" | "seed">): string {
  return `${j.spec}/${j.mode}/${j.setup}/${seed4(j.seed)}`;
}

export interface TimedDecomposition {
  subQueries: string[];
  /** Seconds spent decomposing (our parser; the reference's was an LLM call, §6). */
  seconds: number;
}

/** One decomposition per (mode, setup), reused for every seed (§8.1). Keys `${mode}|${setup}`. */
export function decomposeSetups(modes: readonly DecompositionMode[] = DECOMPOSITION_MODES): Record<string, TimedDecomposition> {
  const out: Record<string, TimedDecomposition> = {};
  for (const mode of modes) {
    for (const {setup, query} of MODE_SETUPS[mode]) {
      const t0 = performance.now();
      const d = decomposeQuery(query, mode);
      out[`${mode}|${setup}`] = {subQueries: [...d.subQueries], seconds: (performance.now() - t0) / 1000};
    }
  }
  return out;
}

/** The CSV file name of a mode (§8.1). */
export function resultFileName(mode: DecompositionMode): string {
  return `full_experiment_results_${mode}.csv`;
}
