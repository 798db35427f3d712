/**
 * Loader: the paper's experiment (spec/lever.md §8) for the "Reproducing the paper" page.
 *
 * Runs `lever reproduce` for the build profile (quick: grid16 X1 both methods, grid8 ExZero, the MLP
 * subset and the k-sweep; paper: grid16 and grid32 X1/X5/X10, both methods, grid8 and grid16_scaled
 * ExZero, the MLP subset and the sweep) into a content-hashed cache directory, then returns the
 * comparison with the reference (lib/lever/experiment/compare.ts, the one SUMMARY.md renders) as one
 * JSON document, each step with our rows and the reference's for the page's lists, and its regressor report.
 */
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {join, relative} from "node:path";
import {escape, from} from "arquero";
import type {ResultSet} from "../lib/lever/experiment/aggregate.js";
import {LAUNCHED_SF} from "../lib/lever/experiment/params.js";
import {cacheKey, cacheRoot, withBuildLock} from "../runtime/cache.js";
import {atomicWrite} from "../runtime/fs.js";
import {defaultWorkers, withSharedPool} from "../runtime/pool.js";
import {ensureRegressorReport, type ReportRow} from "../runtime/regressor-report.js";
import {currentProfile, type Profile} from "../runtime/profile.js";
import {readComparison, referenceDir, runReproduce, type ReproduceDone} from "../runtime/reproduce.js";

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

/** Labels stay text; every other kept column is a number (Number(): "" → 0, as the page always read them). */
const TEXT = /_policies$|setup|spec|seed/;

function slim(set: ResultSet): ResultSet {
  const out: ResultSet = {};
  for (const [spec, modes] of Object.entries(set)) {
    out[spec] = {};
    for (const [mode, rows] of Object.entries(modes)) {
      const keep = KEEP.filter((k) => rows!.length > 0 && k in rows![0]);
      (out[spec] as Record<string, unknown>)[mode] = from(rows as Record<string, unknown>[], keep)
        .derive(Object.fromEntries(keep.filter((k) => !TEXT.test(k)).map((k) => [k, escape((d: Record<string, unknown>) => Number(d[k]))])))
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

export async function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  const profile = currentProfile();
  const sf = LAUNCHED_SF;
  const refRoot = referenceDir();
  const code = [new URL(import.meta.url)];
  const dir = join(cacheRoot(), `reproduce-${profile}-${cacheKey("reproduce", {profile, sf}, code)}`);
  // The page's document, keyed by the reference tables too (they are read below, not by the runs).
  const site = join(cacheRoot(), `reproduce-site-${profile}-${cacheKey("reproduce-site", {profile, sf, reference: treeHash(refRoot)}, code)}.json`);
  if (existsSync(site)) {
    log(`reproduce (${profile}): cached (${site})`);
    return readFileSync(site, "utf8");
  }
  // Regressor variants (§5): seeded 10-fold CV beside in-sample, once per distinct library embedding
  // (node/regressor-report.ts memoises and caches them), started as soon as the embedding exists.
  const marker = join(dir, "DONE.json");
  const reportOf = new Map<string, ReportRow[]>();
  let result: Done;
  await withSharedPool(defaultWorkers(), async () => {
    const read = () => {
      log(`reproduce (${profile}): cached (${dir})`);
      return JSON.parse(readFileSync(marker, "utf8")) as Done;
    };
    result = await withBuildLock(dir, () => existsSync(marker), async () => {
      const tmp = `${dir}.partial`;
      rmSync(tmp, {recursive: true, force: true});
      const r = await runReproduce({profile, sf, out: tmp, log, onEmbedding: (_step, file, kind, bySpec) => void ensureRegressorReport(file, kind, bySpec, log)});
      const rebase = (d: ReproduceDone) => ({...d, dir: d.dir.replace(tmp, dir)});
      const done: Done = {done: r.done.map(rebase), sweepSummary: r.sweepSummary, total: r.total};
      writeFileSync(join(tmp, "DONE.json"), JSON.stringify(done));
      rmSync(dir, {recursive: true, force: true});
      renameSync(tmp, dir);
      return done;
    }, read, log);
    const withReport = result.done.filter((d) => d.embeddingFile && d.regressor && existsSync(d.embeddingFile));
    const rows = await Promise.all(withReport.map((d) => ensureRegressorReport(d.embeddingFile!, d.regressor!, d.regressorBySpec ?? false, log)));
    withReport.forEach((d, i) => reportOf.set(d.embeddingFile!, rows[i]));
  });
  const text = JSON.stringify(reproduceDocument(result!, {profile, sf}, reportOf));
  atomicWrite(site, text);
  return text;
}
