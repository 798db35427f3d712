/**
 * `lever steer --study A|B|R|M [--quick] --out DIR [--workers N] [--seed S]`: run one steering study
 * (spec/steering.md §8.7) on worker threads and write DIR/study-<X>.json atomically (temporary file +
 * rename, so a failed run leaves nothing half-written). One JSON summary line on stdout, progress on
 * stderr. Usage errors throw a RangeError with one line naming what is accepted (cli/lever.ts maps it
 * to exit code 2).
 *
 * Profile: --quick selects the quick profile (1 seed, 8 episodes, short training; < 30 s); without it
 * the profile is LEVER_PROFILE (default paper, the paper's episode counts).
 */
import {mkdirSync} from "node:fs";
import {join, resolve} from "node:path";
import {parseArgs, type ParseArgsConfig} from "node:util";
import {STUDY_IDS, type StudyId, type StudyProfile} from "../lib/steer/studies.js";
import {currentProfile} from "../runtime/profile.js";
import {runStudy} from "../runtime/steer-run.js";
import {atomicWrite} from "../runtime/fs.js";

export const STEER_USAGE = "lever steer --study A|B|R|M [--quick] --out DIR [--workers N] [--seed S]";

const OPTIONS = {
  study: {type: "string"},
  quick: {type: "boolean"},
  out: {type: "string"},
  workers: {type: "string"},
  seed: {type: "string"},
} satisfies NonNullable<ParseArgsConfig["options"]>;

export interface SteerArgs {
  study: StudyId;
  profile: StudyProfile;
  out: string;
  workers: number | undefined;
  seed: number;
}

function intFlag(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim())) throw new RangeError(`lever steer: invalid --${name}: ${JSON.stringify(value)} (expected an integer ${min}..${max})`);
  const n = Number(value);
  if (n < min || n > max) throw new RangeError(`lever steer: invalid --${name}: ${n} (expected an integer ${min}..${max})`);
  return n;
}

/** Parse and validate the flags (strict: unknown flags, positionals and bad values throw a one-line RangeError). */
export function parseSteerArgs(argv: string[]): SteerArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({args: argv, options: OPTIONS, strict: true, allowPositionals: false}).values;
  } catch (e) {
    const msg = (e as Error).message.split("\n")[0].replace(/\. To specify a positional argument.*$/, "");
    throw new RangeError(`lever steer: ${msg} (accepted: --study A|B|R|M, --quick, --out DIR, --workers N, --seed S)`);
  }
  if (values.study === undefined) throw new RangeError(`lever steer: missing --study (usage: ${STEER_USAGE})`);
  const study = String(values.study).trim();
  if (!(STUDY_IDS as readonly string[]).includes(study)) throw new RangeError(`lever steer: invalid --study: ${JSON.stringify(values.study)} (accepted: ${STUDY_IDS.join(", ")})`);
  if (values.out === undefined || String(values.out).trim() === "") throw new RangeError(`lever steer: missing --out DIR (usage: ${STEER_USAGE})`);
  return {
    study: study as StudyId,
    profile: values.quick ? "quick" : currentProfile(),
    out: resolve(String(values.out)),
    workers: values.workers !== undefined ? intFlag("workers", String(values.workers), 1, 256) : undefined,
    seed: values.seed !== undefined ? intFlag("seed", String(values.seed), 0, 4294967295) : 0,
  };
}

export {atomicWrite as writeAtomic} from "../runtime/fs.js";

export async function steerCommand(argv: string[]): Promise<void> {
  const args = parseSteerArgs(argv);
  const log = (line: string) => process.stderr.write(line + "\n");
  const t0 = performance.now();
  const result = await runStudy(args.study, {profile: args.profile, workers: args.workers, baseSeed: args.seed, log});
  mkdirSync(args.out, {recursive: true});
  const file = join(args.out, `study-${args.study}.json`);
  // The file holds only deterministic content (same seed → same bytes); timings go to stdout.
  const {timing, ...study} = result;
  atomicWrite(file, JSON.stringify(study) + "\n");
  const seconds = Math.round(performance.now() - t0) / 1000;
  log(`steer ${args.study}: wrote ${file} in ${seconds} s`);
  process.stdout.write(
    JSON.stringify({
      study: args.study, profile: args.profile, out: file, units: result.units.length, episodes: result.episodes, paperEpisodes: result.paperEpisodes,
      headline: Object.fromEntries(result.summary.headline.map((h) => [h.rule, h.split])), paperSplit: result.summary.paperSplit,
      identity: result.identity, frozenUnchanged: result.frozenUnchanged, seconds, timing,
    }) + "\n",
  );
}
