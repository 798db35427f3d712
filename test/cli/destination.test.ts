// --out is checked before any work (issue 9 item 10): a folder that is not empty and not an earlier
// output of the same command is refused (never written into, never overwritten), and so is a place
// where no folder can be made (/proc hung before); one line, exit 2, nothing computed.
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterEach, beforeAll, describe, expect, it, vi} from "vitest";
import {lever} from "./helpers.js";
import {tempDir, tinyLibrary} from "../lever/experiment/helpers.js";
import {ROOT} from "../paths.js";

let lib: string;
beforeAll(async () => {
  lib = await tinyLibrary();
});
afterEach(() => vi.restoreAllMocks());

/** `lever ARGS` in a child process (a hang is killed after `seconds`), with an empty cache. */
function leverProcess(seconds: number, ...args: string[]) {
  const cache = tempDir("dest-cache");
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(ROOT, "bin/lever.js"), ...args], {encoding: "utf8", timeout: seconds * 1000, env: {...process.env, LEVER_CACHE_DIR: cache}});
  const stderr = r.stderr
    .trim()
    .split("\n")
    .filter((l) => l !== "" && !/npm warn/.test(l));
  return {code: r.status, stdout: r.stdout, stderr, seconds: (Date.now() - t0) / 1000, cache};
}

/** A folder with someone's files in it. */
function unrelated(name: string, files: Record<string, string> = {"notes.txt": "mine\n"}): string {
  const dir = tempDir(name);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

const EXPERIMENT = ["--spec-set", "grid16", "--specs", "X1", "--seeds", "0-1", "--modes", "trivial", "--method", "qsum", "--timing", "zero", "--workers", "1"];

describe("--out is checked before any work", () => {
  it("experiment, sweep and merge refuse a non-empty folder that is not their output, and leave it as it was", async () => {
    const cache = tempDir("dest-cache");
    process.env.LEVER_CACHE_DIR = cache;
    const shard = tempDir("dest-shard");
    expect((await lever("experiment", ...EXPERIMENT, "--library", lib, "--shard", "1/1", "--out", shard)).code).toBe(0);
    const cases: [string, string[]][] = [
      ["experiment", ["experiment", ...EXPERIMENT, "--library", lib]],
      ["sweep", ["sweep", ...EXPERIMENT, "--library", lib]],
      ["merge", ["merge", shard]],
    ];
    const embeddings = readdirSync(cache);
    for (const [name, args] of cases) {
      const dir = unrelated(`dest-${name}`);
      const r = await lever(...args.slice(0, 1), "--out", dir, ...args.slice(1));
      expect(r.code, name).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toEqual([
        `lever ${name}: refusing --out ${dir}: it is not empty and not an earlier lever ${name === "merge" ? "experiment" : name} output (notes.txt is not a file it writes); give a new or empty folder`,
      ]);
      expect(readdirSync(dir)).toEqual(["notes.txt"]);
      expect(readdirSync(join(dir, ".."))).not.toContainEqual(expect.stringMatching(/\.lever-partial-/));
    }
    expect(readdirSync(cache)).toEqual(embeddings); // nothing computed
    // A sweep's folder is not an experiment's, and the other way round.
    const sweep = tempDir("dest-sweep-out");
    expect((await lever("sweep", ...EXPERIMENT, "--library", lib, "--out", sweep)).code).toBe(0);
    const r = await lever("experiment", ...EXPERIMENT, "--library", lib, "--out", sweep);
    expect(r.stderr).toEqual([expect.stringMatching(/refusing --out .*: it is not empty and not an earlier lever experiment output \(hybrid_k_sweep\.csv is not a file it writes\)/)]);
  });

  it("library refuses a folder whose manifest.json is not a library's, before training", async () => {
    const dir = unrelated("dest-lib", {"manifest.json": '{"name": "my-app", "version": "1.0.0"}\n'});
    const r = await lever("library", "--spec-set", "grid16", "--specs", "X1", "--seeds", "0", "--rewards", "path", "--out", dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([`lever library: refusing --out ${dir}: it is not empty and not an earlier lever library output (manifest.json is not a file it writes); give a new or empty folder`]);
    expect(readFileSync(join(dir, "manifest.json"), "utf8")).toBe('{"name": "my-app", "version": "1.0.0"}\n');
    expect(readdirSync(dir)).toEqual(["manifest.json"]);
  });

  it("library accepts its own folder again and resumes from the runs in it", async () => {
    const dir = join(tempDir("dest-lib-again"), "lib");
    const args = ["library", "--spec-set", "grid16", "--specs", "X1", "--seeds", "0", "--rewards", "path,gold", "--workers", "2", "--out", dir];
    expect((await lever(...args)).code).toBe(0);
    const r = await lever(...args);
    expect(r.code).toBe(0);
    expect(r.stderr.join("\n")).toMatch(/reusing 2 of 2 runs/);
    expect(JSON.parse(r.stdout)).toMatchObject({runs: 2, key: expect.stringMatching(/^[0-9a-f]{16}$/)});
  });

  it("a file given as --out is refused", async () => {
    const file = join(tempDir("dest-file"), "results.csv");
    writeFileSync(file, "x\n");
    const r = await lever("experiment", ...EXPERIMENT, "--library", lib, "--out", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([`lever experiment: refusing --out ${file}: it is a file, not a folder`]);
  });

  it.runIf(existsSync("/proc/self"))("--out /proc/x fails at once with one line (it hung), before the library is trained", () => {
    const r = leverProcess(30, "experiment", ...EXPERIMENT, "--library-specs", "X1", "--out", "/proc/x");
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/^lever experiment: cannot write to --out \/proc\/x: E[A-Z]+ creating a folder in \/proc$/)]);
    expect(readdirSync(r.cache)).toEqual([]);
    expect(r.seconds).toBeLessThan(20);
  });

  it("reproduce refuses an unrelated folder before running any experiment", () => {
    const dir = unrelated("dest-repro");
    mkdirSync(join(dir, "photos"));
    const r = leverProcess(30, "reproduce", "--profile", "quick", "--out", dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([`lever reproduce: refusing --out ${dir}: it is not empty and not an earlier lever reproduce output (notes.txt is not a file it writes); give a new or empty folder`]);
    expect(readdirSync(r.cache)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(["notes.txt", "photos"]);
  });
});
