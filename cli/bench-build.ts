/**
 * `npm run bench:build -- --against REV`: the main job of a fresh clone (`npm ci && npm run build`),
 * timed for commit REV and for HEAD side by side in one run on this machine, and the ratio.
 *
 * Each side is a fresh clone of this repository checked out at its commit, in its own empty temporary
 * folder (nothing beside it, no node_modules, no .lever-cache, no Framework cache), built one after
 * the other (never at once: they would share the cores). Prints a line per step and a JSON summary on
 * stdout: {against, head, profile, runs: [{rev, commit, ci, build, total}], ratio}.
 *   node --import tsx cli/bench-build.ts --against adbadb6 [--head HEAD] [--profile quick|paper] [--keep]
 * (--profile defaults to LEVER_PROFILE, else paper, like every command's.)
 */
import {execFileSync, spawn} from "node:child_process";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import {PROJECT_ROOT} from "../runtime/cache.js";
import {parseFlags, PROFILE_FLAG, profileFlag, text, UsageError} from "./args.js";

const git = (args: string[], cwd = PROJECT_ROOT) => execFileSync("git", args, {cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"]}).trim();

/** Run a command with its output appended to `log`; resolve with its wall time in seconds. */
function timed(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, log: (l: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {cwd, env, stdio: ["ignore", "pipe", "pipe"]});
    let tail = "";
    const keep = (b: Buffer) => {
      tail = (tail + b.toString()).slice(-4000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve((performance.now() - t0) / 1000);
      else {
        log(tail);
        reject(new Error(`${cmd} ${args.join(" ")} exited with code ${code} in ${cwd}`));
      }
    });
  });
}

export interface BenchRun {
  rev: string;
  commit: string;
  ci: number;
  build: number;
  total: number;
}

async function benchOne(rev: string, profile: string, keep: boolean, log: (l: string) => void): Promise<BenchRun> {
  const commit = git(["rev-parse", "--verify", `${rev}^{commit}`]);
  const root = mkdtempSync(join(tmpdir(), "lever-bench-"));
  const dir = join(root, "repo");
  try {
    git(["clone", "-q", "--no-hardlinks", PROJECT_ROOT, dir]);
    git(["checkout", "-q", commit], dir);
    const env: NodeJS.ProcessEnv = {...process.env, LEVER_PROFILE: profile, OBSERVABLE_TELEMETRY_DISABLE: "true"};
    delete env.LEVER_CACHE_DIR;
    delete env.LEVER_WORKERS;
    log(`bench:build ${rev} (${commit.slice(0, 7)}): npm ci…`);
    const ci = await timed("npm", ["ci", "--no-audit", "--no-fund"], dir, env, log);
    log(`bench:build ${rev}: npm ci ${ci.toFixed(1)} s; npm run build (${profile})…`);
    const build = await timed("npm", ["run", "build"], dir, env, log);
    log(`bench:build ${rev}: npm run build ${build.toFixed(1)} s; total ${(ci + build).toFixed(1)} s`);
    return {rev, commit, ci: round(ci), build: round(build), total: round(ci + build)};
  } finally {
    if (!keep) rmSync(root, {recursive: true, force: true});
  }
}

const round = (x: number) => Math.round(x * 10) / 10;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const {values: v} = parseFlags("bench:build", process.argv.slice(2), {
      against: {type: "string", value: "REV"},
      head: {type: "string", value: "REV"},
      profile: PROFILE_FLAG,
      keep: {type: "boolean"},
    });
    if (!v.against) throw new UsageError("missing --against REV (the commit to compare with, e.g. adbadb6)");
    const values = {against: text(v, "against"), head: v.head !== undefined ? text(v, "head") : "HEAD", profile: profileFlag(v.profile), keep: Boolean(v.keep)};
    for (const rev of [values.against, values.head]) {
      try {
        git(["rev-parse", "--verify", `${rev}^{commit}`]);
      } catch {
        throw new UsageError(`unknown revision: ${JSON.stringify(rev)} (a commit of this repository, e.g. adbadb6 or HEAD)`);
      }
    }
    const log = (l: string) => process.stderr.write(l + "\n");
    const base = await benchOne(values.against, values.profile, values.keep, log);
    const head = await benchOne(values.head, values.profile, values.keep, log);
    const ratio = Math.round((head.total / base.total) * 1000) / 1000;
    log(
      `bench:build: ${head.rev} ${head.total} s vs ${base.rev} ${base.total} s → ${(ratio * 100).toFixed(1)} % of the wall time (npm ci + npm run build, ${values.profile} profile, run one after the other on this machine)`,
    );
    process.stdout.write(JSON.stringify({against: base.rev, head: head.rev, profile: values.profile, date: new Date().toISOString(), runs: [base, head], ratio}) + "\n");
  } catch (e) {
    process.stderr.write(`bench:build: ${e instanceof Error ? e.message.replace(/^lever \S+: /, "") : String(e)}\n`);
    const usage = e instanceof RangeError;
    process.exit(usage ? 2 : 1);
  }
}
