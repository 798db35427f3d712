/**
 * Loader: the paper's experiment (spec/lever.md §8) for the "Reproducing the paper" page.
 *
 * Runs `lever reproduce` for the build profile (quick: grid16 X1 both methods, grid8 ExZero, the MLP
 * subset and the k-sweep; paper: grid16 and grid32 X1/X5/X10, both methods, grid8 and grid16_scaled
 * ExZero, the MLP subset and the sweep) into a content-hashed cache directory, then returns our rows,
 * the reference's rows for the same tables, and the §8.5 aggregates of both, as one JSON document.
 */
import {existsSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseCsv} from "../lib/csv.js";
import {aggregateTable, averageFigure, type ResultSet} from "../lib/experiment/aggregate.js";
import {regressorReport} from "../lib/experiment.js";
import {cacheKey, cacheRoot} from "./node/cache.js";
import {currentProfile} from "./node/profile.js";
import {readEmbedding} from "./node/experiment-run.js";
import {readResultSet, REFERENCE_SWEEP, referenceDir, runReproduce, type ReproduceDone} from "./node/reproduce.js";

interface Done {
  done: ReproduceDone[];
  sweepSummary: Record<string, number>[];
  total: number;
}

/** Keep the columns the page uses (the CSVs hold per-stage timings too). */
const KEEP = [
  "setup", "spec", "seed", "scratch_reward", "scratch_time_s", "targeted_reward", "exhaustive_reward", "hybrid_reward",
  "decomp_time", "targeted_time", "exhaustive_time", "hybrid_time", "targeted_policies", "exhaustive_policies", "hybrid_policies",
  "exhaustive_combinations",
];

function slim(set: ResultSet): ResultSet {
  const out: ResultSet = {};
  for (const [spec, modes] of Object.entries(set)) {
    out[spec] = {};
    for (const [mode, rows] of Object.entries(modes)) {
      (out[spec] as Record<string, unknown>)[mode] = (rows ?? []).map((r) => Object.fromEntries(KEEP.filter((k) => k in r).map((k) => [k, /_policies$|setup|spec|seed/.test(k) ? r[k] : Number(r[k])])));
    }
  }
  return out;
}

export async function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  const profile = currentProfile();
  const sf = "lstd" as const;
  const dir = join(cacheRoot(), `reproduce-${profile}-${cacheKey("reproduce", {profile, sf})}`);
  const marker = join(dir, "DONE.json");
  let result: Done;
  if (existsSync(marker)) {
    log(`reproduce (${profile}): cached (${dir})`);
    result = JSON.parse(readFileSync(marker, "utf8")) as Done;
  } else {
    const tmp = `${dir}.partial`;
    rmSync(tmp, {recursive: true, force: true});
    const r = await runReproduce({profile, sf, out: tmp, log});
    const rebase = (d: ReproduceDone) => ({...d, dir: d.dir.replace(tmp, dir)});
    result = {done: r.done.map(rebase), sweepSummary: r.sweepSummary, total: r.total};
    writeFileSync(join(tmp, "DONE.json"), JSON.stringify(result));
    rmSync(dir, {recursive: true, force: true});
    renameSync(tmp, dir);
  }
  // Regressor variants (§5): seeded 10-fold CV beside in-sample, once per distinct library embedding.
  const reports = new Map<string, ReturnType<typeof regressorReport>>();
  for (const d of result.done) {
    if (!d.embeddingFile || !d.regressor || reports.has(d.embeddingFile) || !existsSync(d.embeddingFile)) continue;
    log(`reproduce: regressor report for ${d.step.specSet} (${d.regressor}${d.regressorBySpec ? ", per spec" : ""})`);
    reports.set(d.embeddingFile, regressorReport(readEmbedding(d.embeddingFile), {kind: d.regressor, bySpec: d.regressorBySpec}));
  }
  const refRoot = referenceDir();
  const haveRef = existsSync(refRoot);
  const steps = result.done
    .filter((d) => !d.step.name.endsWith("sweep"))
    .map((d) => {
      const ours = readResultSet(d.dir, d.step.specs);
      const ref = haveRef && d.step.reference ? readResultSet(join(refRoot, d.step.reference), d.step.specs) : null;
      return {
        ...d.step,
        dir: undefined,
        seconds: d.seconds,
        ours: slim(ours),
        ref: ref ? slim(ref) : null,
        aggregate: {ours: aggregateTable(ours), ref: ref ? aggregateTable(ref) : null},
        figure: {ours: averageFigure(ours), ref: ref ? averageFigure(ref) : null},
        regressor: d.regressor ?? null,
        regressorReport: (d.embeddingFile && reports.get(d.embeddingFile)) ?? null,
      };
    });
  const sweepRefFile = join(refRoot, REFERENCE_SWEEP);
  const sweepRef = haveRef && existsSync(sweepRefFile) ? parseCsv(readFileSync(sweepRefFile, "utf8")).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)]))) : [];
  return JSON.stringify({
    profile,
    sf,
    seconds: result.total,
    referenceFound: haveRef,
    steps,
    sweep: {ours: result.sweepSummary, ref: sweepRef, seconds: result.done.find((d) => d.step.name.endsWith("sweep"))?.seconds ?? null},
  });
}
