// Cache entries built by several processes at once (issue: two shards of one experiment on one
// machine corrupted the shared library): one process builds, the others wait and reuse its result.
import {spawn} from "node:child_process";
import {existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {withBuildLock} from "../../runtime/cache.js";
import {readManifest} from "../../runtime/library-build.js";
import {tempDir} from "../lever/experiment/helpers.js";

const ROOT = join(import.meta.dirname, "../..");

function child(cache: string): Promise<{dir: string; runs: number; log: string[]}> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", "test/runtime/fixtures/ensure-tiny-library.ts"], {cwd: ROOT, env: {...process.env, LEVER_CACHE_DIR: cache, LEVER_WORKERS: "1"}});
    let out = "";
    let err = "";
    p.stdout.on("data", (b) => (out += b));
    p.stderr.on("data", (b) => (err += b));
    p.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe("withBuildLock across processes", () => {
  it("two processes asking for the same library at once: one trains it, the other waits and reuses it, the entry is complete", async () => {
    const cache = tempDir("lock-cache");
    const [a, b] = await Promise.all([child(cache), child(cache)]);
    expect(a.dir).toBe(b.dir);
    const trained = [a, b].filter((x) => x.log.some((l) => /training \d+ runs/.test(l)));
    expect(trained).toHaveLength(1);
    const other = trained[0] === a ? b : a;
    expect(other.log.some((l) => /waiting for it|cached/.test(l))).toBe(true);
    const m = readManifest(a.dir);
    expect(m.runs).toHaveLength(16); // 8 rewards × 2 seeds
    for (const r of m.runs) expect(existsSync(join(a.dir, r.file))).toBe(true);
    expect(readdirSync(cache).filter((f) => f.endsWith(".partial") || f.endsWith(".lock"))).toEqual([]);
  });

  it("takes over a lock left by a process that died (untouched for over a minute)", async () => {
    const root = tempDir("lock-stale");
    const dir = join(root, "entry");
    writeFileSync(`${dir}.lock`, "12345 then\n");
    const old = new Date(Date.now() - 120_000);
    utimesSync(`${dir}.lock`, old, old);
    const log: string[] = [];
    const r = await withBuildLock(
      dir,
      () => existsSync(join(dir, "done")),
      async () => {
        mkdirSync(dir, {recursive: true});
        writeFileSync(join(dir, "done"), "");
        return "built";
      },
      () => "read",
      (l) => log.push(l),
    );
    expect(r).toBe("built");
    expect(log.some((l) => /stale lock/.test(l))).toBe(true);
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it("waits for a live lock, then reads what its holder built", async () => {
    const root = tempDir("lock-live");
    const dir = join(root, "entry");
    writeFileSync(`${dir}.lock`, "other\n");
    // The "other process" finishes after 600 ms: it writes the entry and releases the lock.
    setTimeout(() => {
      mkdirSync(dir, {recursive: true});
      writeFileSync(join(dir, "done"), "");
      rmSync(`${dir}.lock`);
    }, 600);
    const log: string[] = [];
    let built = 0;
    const r = await withBuildLock(
      dir,
      () => existsSync(join(dir, "done")),
      async () => {
        built++;
        return "built";
      },
      () => "read",
      (l) => log.push(l),
    );
    expect(r).toBe("read");
    expect(built).toBe(0);
    expect(log.some((l) => /waiting/.test(l))).toBe(true);
  });
});
