/**
 * `lever steer --study A|B|R|M|L [--profile quick|paper] --out DIR [--workers N] [--seed S]`: run one
 * steering study (spec/steering.md §8.7) on worker threads (runtime/steer.ts) and write
 * DIR/study-<X>.json atomically (temporary file + rename, so a failed run leaves nothing half-written).
 * One JSON summary line on stdout, progress on stderr.
 *
 * Profile (lib/core/profile.ts): `--profile quick` is 1 seed, 8 episodes and short training (< 30 s);
 * without the flag, the build profile (LEVER_PROFILE, default paper: the paper's episode counts).
 */
import {mkdirSync} from "node:fs";
import {join, resolve} from "node:path";
import {evaluateClaims, tallyClaims} from "../../lib/steer/claims.js";
import {STUDY_IDS, type StudyId, type StudyProfile} from "../../lib/steer/studies.js";
import {atomicWrite} from "../../runtime/fs.js";
import {runStudy} from "../../runtime/steer-studies.js";
import {capWorkers, int, log, parseFlags, print, PROFILE_FLAG, profileFlag, quote, SEED32_MAX, text, UsageError, workersFlag, type Flags} from "../args.js";

const SYNOPSIS = "--study A|B|R|M|L [--profile quick|paper] --out DIR [--workers N] [--seed S]";

export const usage = `steer     ${SYNOPSIS}: Part II studies → DIR/study-<X>.json`;

const FLAGS: Flags = {
  study: {type: "string", value: "A|B|R|M|L"},
  profile: PROFILE_FLAG,
  out: {type: "string", value: "DIR"},
  workers: {type: "string", value: "N"},
  seed: {type: "string", value: "S"},
};

export interface SteerArgs {
  study: StudyId;
  profile: StudyProfile;
  out: string;
  workers: number | undefined;
  seed: number;
}

/** Parse and validate the flags (strict: unknown flags, positionals and bad values are one-line UsageErrors). */
export function parseSteerArgs(argv: string[]): SteerArgs {
  const {values: v} = parseFlags("steer", argv, FLAGS, {retired: {quick: "--profile quick"}});
  if (v.study === undefined) throw new UsageError(`lever steer: missing --study (usage: lever steer ${SYNOPSIS})`);
  const study = text(v, "study").trim();
  if (!(STUDY_IDS as readonly string[]).includes(study)) throw new UsageError(`lever steer: invalid --study: ${quote(v.study)} (accepted: ${STUDY_IDS.join(", ")})`);
  if (v.out === undefined || text(v, "out").trim() === "") throw new UsageError(`lever steer: missing --out DIR (usage: lever steer ${SYNOPSIS})`);
  return {
    study: study as StudyId,
    profile: profileFlag(v.profile),
    out: resolve(text(v, "out")),
    workers: workersFlag(v.workers),
    seed: v.seed !== undefined ? int("seed", v.seed, 0, SEED32_MAX) : 0,
  };
}

export async function run(argv: string[]): Promise<void> {
  const args = parseSteerArgs(argv);
  const t0 = performance.now();
  const result = await runStudy(args.study, {profile: args.profile, workers: capWorkers("steer", args.workers), baseSeed: args.seed, log});
  mkdirSync(args.out, {recursive: true});
  const file = join(args.out, `study-${args.study}.json`);
  // The file holds only deterministic content (same seed → same bytes); timings go to stdout.
  const {timing, ...study} = result;
  atomicWrite(file, JSON.stringify(study) + "\n");
  // The claims this one study can check (the others say "not checked" and are left out), by kind.
  const claims = evaluateClaims({studies: {[args.study]: study}}).filter((c) => !c.explanation.startsWith("not checked"));
  const seconds = Math.round(performance.now() - t0) / 1000;
  log(`steer ${args.study}: wrote ${file} in ${seconds} s`);
  print({
    study: args.study,
    profile: args.profile,
    out: file,
    units: result.units.length,
    episodes: result.episodes,
    paperEpisodes: result.paperEpisodes,
    headline: Object.fromEntries(result.summary.headline.map((h) => [h.rule, h.split])),
    paperSplit: result.summary.paperSplit,
    identity: result.identity,
    frozenUnchanged: result.frozenUnchanged,
    claims: claims.map(({id, kind, status}) => ({id, kind, status})),
    claimTally: tallyClaims(claims).text,
    seconds,
    timing,
  });
}
