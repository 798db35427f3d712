// Cache entries built by several processes at once (issue 9 item 1: two shards of one experiment on
// one machine corrupted the shared library): one process builds, the others wait and reuse its
// result; an entry is complete only when it verifies (lengths and checksums), and a damaged one is
// rebuilt.
import {spawn} from "node:child_process";
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync} from "node:fs";
import {hostname} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {withBuildLock} from "../../runtime/cache.js";
import {libraryProblem, readManifest} from "../../runtime/library-build.js";
import {ensureLibrary} from "../../runtime/library.js";
import {TINY, tempDir} from "../lever/experiment/helpers.js";

const ROOT = join(import.meta.dirname, "../..");

function child(cache: string): Promise<{dir: string; runs: number; log: string[]}> {
  return spawnJson(["test/runtime/fixtures/ensure-tiny-library.ts"], cache);
}

function spawnJson<T>(args: string[], cache: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", ...args], {cwd: ROOT, env: {...process.env, LEVER_CACHE_DIR: cache, LEVER_WORKERS: "1"}});
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
    expect(libraryProblem(a.dir)).toBeNull(); // every run file has the length and sha256 the manifest records
  });

  it("two processes asking for one cachedFile entry at once: one computes it, the other waits and reads it", async () => {
    const cache = tempDir("lock-file");
    const file = join(cache, "entry.txt");
    const args = ["test/runtime/fixtures/cached-file.ts", file];
    const [a, b] = await Promise.all([spawnJson<{computed: boolean; log: string[]}>(args, cache), spawnJson<{computed: boolean; log: string[]}>(args, cache)]);
    expect([a.computed, b.computed].filter(Boolean)).toHaveLength(1);
    const waiter = a.computed ? b : a;
    expect(waiter.log.join("\n")).toMatch(/waiting for it[\s\S]*entry: cached/);
    expect(readFileSync(file, "utf8")).toMatch(/^computed by \d+\n$/);
    expect(readdirSync(cache).sort()).toEqual([".entry.txt.sum", "entry.txt"]);
  });

  it("a damaged library entry (a run file missing, another cut short) is found and rebuilt: only those runs are trained again", async () => {
    process.env.LEVER_CACHE_DIR = tempDir("lib-damage");
    const log: string[] = [];
    const {dir, manifest} = await ensureLibrary({specSet: TINY, specs: TINY.specs}, (l) => log.push(l));
    expect(manifest.runs).toHaveLength(16);
    // The symptom: the manifest lists every run while some files are gone or incomplete.
    rmSync(join(dir, manifest.runs[3].file));
    truncateSync(join(dir, manifest.runs[7].file), 100);
    expect(libraryProblem(dir)).toMatch(/is missing/);
    log.length = 0;
    const again = await ensureLibrary({specSet: TINY, specs: TINY.specs}, (l) => log.push(l));
    expect(again.dir).toBe(dir);
    expect(log.join("\n")).toMatch(/cache entry damaged .*rebuilding/);
    expect(log.join("\n")).toMatch(/reusing 14 of 16 runs/);
    expect(libraryProblem(dir)).toBeNull();
    expect(again.manifest.key).toBe(manifest.key); // the same library again
    log.length = 0;
    await ensureLibrary({specSet: TINY, specs: TINY.specs}, (l) => log.push(l));
    expect(log).toEqual([`library ${TINY.name}: cached (${dir})`]);
  });

  it("never takes over a lock whose process is still running on this machine, however old the lock", async () => {
    const root = tempDir("lock-alive");
    const dir = join(root, "entry");
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      writeFileSync(`${dir}.lock`, `${holder.pid} ${hostname()} then\n`);
      const old = new Date(Date.now() - 120_000);
      utimesSync(`${dir}.lock`, old, old); // a busy holder whose heartbeat is late
      setTimeout(() => {
        mkdirSync(dir, {recursive: true});
        writeFileSync(join(dir, "done"), "");
        rmSync(`${dir}.lock`);
      }, 800);
      let built = 0;
      const log: string[] = [];
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
      expect(log.some((l) => /stale/.test(l))).toBe(false);
    } finally {
      holder.kill();
    }
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
