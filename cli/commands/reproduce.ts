/**
 * `lever reproduce [--profile quick|paper] --out DIR` (spec/lever.md §9): every experiment of the
 * profile's plan (lib/lever/experiment/plan.ts `reproducePlan`, run by runtime/reproduce.ts), then
 * DIR/SUMMARY.md, our numbers beside the reference's tables. Composed-policy SF scoring defaults to
 * LAUNCHED_SF (lstd); the faithful MLP subset runs whatever `--sf` says (`--skip-mlp` leaves it out).
 */
import {join, resolve} from "node:path";
import type {Profile} from "../../lib/core/profile.js";
import {renderSummary} from "../../lib/lever/experiment/compare.js";
import {LAUNCHED_SF} from "../../lib/lever/experiment/params.js";
import {parseSfMethod} from "../../lib/lever/pi2vec/embedding.js";
import {atomicWrite} from "../../runtime/fs.js";
import {finalPath, openOutput, REPRODUCE_OUTPUT} from "../../runtime/output.js";
import {readComparison, referenceDir, runReproduce, type ReproduceDone} from "../../runtime/reproduce.js";
import {capWorkers, log, parseFlags, print, PROFILE_FLAG, profileFlag, required, text, workersFlag, type Flags} from "../args.js";

export const usage = "reproduce [--profile quick|paper] --out DIR [--sf lstd|mlp] [--skip-mlp] [--workers N]: every experiment, plus DIR/SUMMARY.md beside the reference";

const FLAGS: Flags = {
  profile: PROFILE_FLAG,
  out: {type: "string", value: "DIR"},
  workers: {type: "string", value: "N"},
  sf: {type: "string", value: "lstd|mlp"},
  "skip-mlp": {type: "boolean"},
};

/** `lever reproduce [--profile quick|paper] --out DIR`: every table, then DIR/SUMMARY.md. */
export async function run(argv: string[]): Promise<void> {
  const {values} = parseFlags("reproduce", argv, FLAGS);
  required("reproduce", values, "out");
  const profile = profileFlag(values.profile);
  const sf = values.sf !== undefined ? parseSfMethod(text(values, "sf")) : LAUNCHED_SF;
  const out = resolve(text(values, "out"));
  const workers = capWorkers("reproduce", workersFlag(values.workers));
  // Before any work: DIR is new, empty or an earlier reproduce output; the run is written beside it and
  // renamed into place when SUMMARY.md is written (runtime/output.ts).
  const dest = openOutput(out, REPRODUCE_OUTPUT);
  try {
    const r = await runReproduce({profile, sf, out: dest.dir, workers, skipMlp: Boolean(values["skip-mlp"]), log});
    // The results are read where they are now; SUMMARY.md names the folders they will be in.
    const dirs = Object.fromEntries(r.done.map((d) => [d.step.name, finalPath(dest, d.dir)]));
    writeSummary(dest.dir, profile, sf, r.done, r.total, r.sweepSummary, dirs);
    dest.commit();
    print({out, profile, sf, seconds: r.total, steps: r.done.map((d) => ({name: d.step.name, seconds: d.seconds, dir: dirs[d.step.name]})), summary: join(out, "SUMMARY.md")});
  } catch (e) {
    dest.discard();
    throw e;
  }
}

/** DIR/SUMMARY.md, rendered from the comparison the Reproducing page shows (lib/lever/experiment/compare.ts). */
function writeSummary(out: string, profile: Profile, sf: string, done: ReproduceDone[], total: number, sweepSummary: Record<string, number>[], dirs: Record<string, string>): string {
  const {comparison} = readComparison({done, sweepSummary, total}, {profile, sf});
  const file = join(out, "SUMMARY.md");
  atomicWrite(file, renderSummary(comparison, {reference: referenceDir(), workers: process.env.LEVER_WORKERS ?? "all", dirs}));
  return file;
}
