/**
 * Content-addressed cache keys (Node only). Framework re-runs a loader only when its output is missing
 * and ignores edits to lib/ and data-loaders/, so every expensive artefact is stored under
 * key = sha256(name, parameters, the source of every module the code computing it imports): a code
 * change can never serve stale data, an unchanged rebuild reuses what it has, and an edit recomputes
 * only the artefacts whose code depends on the edited file.
 */
import {createHash} from "node:crypto";
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync} from "node:fs";
import {basename, dirname, join, relative, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {atomicWrite} from "./fs.js";

export const PROJECT_ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

const IMPORT_PATTERNS = [
  /\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g, // import x from "…", export {x} from "…"
  /\bimport\s*["']([^"']+)["']/g, // import "…" (side effects)
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, // import("…")
  /\bnew URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g, // worker modules
];

/** The project file a relative specifier names (`./x.js` is `./x.ts` in this TypeScript project). */
function resolveSpecifier(from: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  const p = resolve(dirname(from), spec);
  for (const c of [p, p.replace(/\.js$/, ".ts"), p.replace(/\.mjs$/, ".mts"), `${p}.ts`]) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

/** Every project file `entries` reach through relative imports and worker URLs (sorted, absolute). */
export function importGraph(entries: readonly (string | URL)[]): string[] {
  const seen = new Set<string>();
  const stack = entries.map((e) => (e instanceof URL ? fileURLToPath(e) : resolve(e)));
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    if (!existsSync(f)) throw new Error(`import graph: no such file ${f}`);
    seen.add(f);
    const text = readFileSync(f, "utf8");
    for (const re of IMPORT_PATTERNS) {
      for (const m of text.matchAll(re)) {
        const dep = resolveSpecifier(f, m[1]);
        if (dep && !seen.has(dep)) stack.push(dep);
      }
    }
  }
  return [...seen].sort();
}

const graphHashes = new Map<string, string>();

/**
 * sha256 over the paths (relative to the project) and contents of every file `entries` import,
 * directly or not: an artefact's key changes when, and only when, code it runs changes.
 */
export function sourceHash(entries: readonly (string | URL)[]): string {
  const id = entries.map(String).join("\n");
  const cached = graphHashes.get(id);
  if (cached) return cached;
  const h = createHash("sha256");
  for (const f of importGraph(entries)) {
    h.update(relative(PROJECT_ROOT, f));
    h.update("\0");
    h.update(readFileSync(f));
    h.update("\0");
  }
  const digest = h.digest("hex");
  graphHashes.set(id, digest);
  return digest;
}

/** Stable JSON (sorted keys) for hashing parameters. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Key of artefact `name` computed with `params` by the code `modules` import (see `sourceHash`). */
export function cacheKey(name: string, params: unknown, modules: readonly (string | URL)[]): string {
  return createHash("sha256").update(name).update("\0").update(stableStringify(params)).update("\0").update(sourceHash(modules)).digest("hex").slice(0, 16);
}

/** Root of the artefact cache (LEVER_CACHE_DIR, default .lever-cache/ in the project). */
export function cacheRoot(): string {
  return resolve(process.env.LEVER_CACHE_DIR ?? join(PROJECT_ROOT, ".lever-cache"));
}

const computing = new Map<string, Promise<string>>();

/**
 * Cache entry `file`: when it exists, its path; otherwise `compute()` produces its content, which is
 * written atomically (runtime/fs.ts: a reader never sees a half-written entry), and then its path.
 * Callers in one process asking for a file being computed share that computation; a failed one is
 * forgotten, so the next caller tries again. `label` names the artefact in the "cached" progress line.
 */
export function cachedFile(file: string, compute: () => Promise<string | Uint8Array> | string | Uint8Array, log: (line: string) => void = () => {}, label = basename(file)): Promise<string> {
  const running = computing.get(file);
  if (running) return running;
  if (existsSync(file)) {
    log(`${label}: cached (${file})`);
    return Promise.resolve(file);
  }
  const p = (async () => {
    atomicWrite(file, await compute());
    return file;
  })();
  computing.set(file, p);
  const forget = () => computing.delete(file);
  p.then(forget, forget);
  return p;
}

/** A lock whose file has not been touched for this long belongs to a process that died. */
const LOCK_STALE_MS = 60_000;
const LOCK_HEARTBEAT_MS = 5_000;

/**
 * Build cache entry `dir` at most once across processes sharing the cache (two shards of one
 * experiment, a CLI run during a build): the first caller takes `${dir}.lock` (created exclusively,
 * touched every 5 s while it builds) and runs `build`; the others wait until the lock is gone and
 * then find the entry done (`isDone`). A lock left by a process that died (untouched for 60 s) is
 * taken over, and its `.partial` work resumed by `build`.
 */
export async function withBuildLock<T>(dir: string, isDone: () => boolean, build: () => Promise<T>, read: () => T, log: (line: string) => void = () => {}): Promise<T> {
  const lock = `${dir}.lock`;
  mkdirSync(dirname(lock), {recursive: true});
  let waited = false;
  for (;;) {
    if (isDone()) return read();
    let fd: number;
    try {
      fd = openSync(lock, "wx");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > LOCK_STALE_MS) {
        log(`cache: taking over a stale lock (${Math.round(age / 1000)} s old): ${lock}`);
        rmSync(lock, {force: true});
        continue;
      }
      if (!waited) log(`cache: another process is building ${dir}; waiting for it`);
      waited = true;
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    writeSync(fd, `${process.pid} ${new Date().toISOString()}\n`);
    closeSync(fd);
    const heartbeat = setInterval(() => {
      const now = new Date();
      try {
        utimesSync(lock, now, now);
      } catch {
        // the lock was removed by someone who judged it stale; the rename below still keeps one entry
      }
    }, LOCK_HEARTBEAT_MS);
    heartbeat.unref();
    try {
      return isDone() ? read() : await build();
    } finally {
      clearInterval(heartbeat);
      rmSync(lock, {force: true});
    }
  }
}
