// cli/postbuild.ts: writes dist/.nojekyll, and fails in one line when dist/ is missing.
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {postbuild} from "../../cli/postbuild.js";

const ROOT = join(import.meta.dirname, "..", "..");
const root = mkdtempSync(join(tmpdir(), "lever-postbuild-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "cli/postbuild.ts", ...args], {cwd: ROOT, encoding: "utf8"});

describe("postbuild(dist)", () => {
  it("writes .nojekyll and nothing else (no temporary file left)", () => {
    const dist = join(root, "dist-a");
    mkdirSync(dist, {recursive: true});
    expect(postbuild(dist)).toEqual([join(dist, ".nojekyll")]);
    expect(readdirSync(dist)).toEqual([".nojekyll"]);
    postbuild(dist); // idempotent
    expect(readdirSync(dist)).toEqual([".nojekyll"]);
  });
  it("throws a RangeError and creates nothing when dist is missing", () => {
    const dist = join(root, "missing");
    expect(() => postbuild(dist)).toThrow(RangeError);
    expect(existsSync(dist)).toBe(false);
  });
});

describe("node --import tsx cli/postbuild.ts [DIST_DIR]", () => {
  it("exits 0 and writes DIST_DIR/.nojekyll", () => {
    const dist = join(root, "dist-b");
    mkdirSync(dist, {recursive: true});
    const r = run(dist);
    expect(r.status).toBe(0);
    expect(existsSync(join(dist, ".nojekyll"))).toBe(true);
  });
  it("exits 1 with a one-line error when DIST_DIR is missing", () => {
    const r = run(join(root, "nope"));
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^postbuild: no build directory at .*nope \(run the build first\)$/);
    expect(r.stderr.trim()).not.toContain("\n");
    expect(existsSync(join(root, "nope"))).toBe(false);
  });
});
