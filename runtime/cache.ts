/**
 * Content-addressed cache keys and cache entries (Node only). Framework re-runs a loader only when its
 * output is missing and ignores edits to lib/ and data-loaders/, so every expensive artefact is stored
 * under key = sha256(name, parameters, the source of every module the code computing it imports and
 * the installed version of every package those modules import): a code or dependency change can never
 * serve stale data, an unchanged rebuild reuses what it has, and an edit recomputes only the artefacts
 * whose code depends on the edited file.
 *
 * An entry counts as present only when it is verified complete: each file's length and sha256 are
 * recorded when it is written (a hidden `.NAME.sum` beside a one-file entry, the manifest of a folder
 * entry) and checked when it is read; a damaged entry is rebuilt. Processes that share a cache build
 * an entry once (`withBuildLock`).
 */
import {createHash, randomBytes} from "node:crypto";
import {closeSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeSync} from "node:fs";
import {isBuiltin} from "node:module";
import {hostname} from "node:os";
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

/** The package a bare specifier names ("ml-matrix", "@scope/pkg/sub" → "@scope/pkg"); null for builtins and paths. */
function packageName(spec: string): string | null {
  if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("node:") || isBuiltin(spec)) return null;
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Project files and packages `entries` reach (relative imports and worker URLs are followed; packages are not). */
function walkImports(entries: readonly (string | URL)[]): {files: string[]; packages: Map<string, Set<string>>} {
  const seen = new Set<string>();
  /** package name → the directories of the files importing it (where Node starts resolving it) */
  const packages = new Map<string, Set<string>>();
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
        const pkg = dep ? null : packageName(m[1]);
        if (pkg) {
          if (!packages.has(pkg)) packages.set(pkg, new Set());
          packages.get(pkg)!.add(dirname(f));
        }
      }
    }
  }
  return {files: [...seen].sort(), packages};
}

/** Every project file `entries` reach through relative imports and worker URLs (sorted, absolute). */
export function importGraph(entries: readonly (string | URL)[]): string[] {
  return walkImports(entries).files;
}

/** The installed package.json of `name` as Node resolves it from `fromDir` (node_modules up the tree), or null. */
function findPackageJson(name: string, fromDir: string): string | null {
  for (let d = fromDir; ; d = dirname(d)) {
    const p = join(d, "node_modules", name, "package.json");
    if (existsSync(p)) return p;
    if (dirname(d) === d) return null;
  }
}

/**
 * The installed versions of every package `entries` import and, transitively, of their dependencies
 * (`name@version`, sorted; `name@missing` for one that is not installed): read from each package's own
 * package.json in node_modules, which is what the code actually runs (the lockfile's entry for it).
 */
export function dependencyVersions(entries: readonly (string | URL)[]): string[] {
  const out = new Set<string>();
  const visited = new Set<string>();
  const visit = (name: string, fromDir: string) => {
    const pj = findPackageJson(name, fromDir);
    if (!pj) {
      out.add(`${name}@missing`);
      return;
    }
    const real = realpathSync(pj);
    if (visited.has(real)) return;
    visited.add(real);
    const meta = JSON.parse(readFileSync(real, "utf8")) as {version?: string; dependencies?: Record<string, string>};
    out.add(`${name}@${meta.version ?? "unknown"}`);
    for (const dep of Object.keys(meta.dependencies ?? {})) visit(dep, dirname(real));
  };
  for (const [name, dirs] of walkImports(entries).packages) for (const d of dirs) visit(name, d);
  return [...out].sort();
}

const graphHashes = new Map<string, string>();

/**
 * sha256 over the paths (relative to the project) and contents of every file `entries` import,
 * directly or not, and the installed versions of the packages they import (`dependencyVersions`): an
 * artefact's key changes when, and only when, code it runs changes.
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
  for (const v of dependencyVersions(entries)) h.update(v).update("\0");
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

/** A file's length and sha256, as recorded when a cache entry is written and checked when it is read. */
export interface FileDigest {
  bytes: number;
  sha256: string;
}

export function digestOf(data: Uint8Array | string): FileDigest {
  const buf = typeof data === "string" ? Buffer.from(data) : data;
  return {bytes: buf.length, sha256: createHash("sha256").update(buf).digest("hex")};
}

/** Files verified in this process, by path: the size and mtime they had then (an unchanged file is not hashed again). */
const verified = new Map<string, string>();

/**
 * Why the file at `path` is not the one `expected` describes ("missing", a length or checksum
 * mismatch), or null when it is. Hashes a file once per process while its size and mtime stay the same.
 */
export function fileProblem(path: string, expected: FileDigest): string | null {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return `${path} is missing`;
  }
  if (!st.isFile()) return `${path} is not a file`;
  if (st.size !== expected.bytes) return `${path} has ${st.size} bytes, ${expected.bytes} recorded`;
  const stamp = `${expected.sha256} ${st.size} ${st.mtimeMs}`;
  if (verified.get(path) === stamp) return null;
  if (digestOf(readFileSync(path)).sha256 !== expected.sha256) return `${path} does not match its recorded sha256`;
  verified.set(path, stamp);
  return null;
}

/** The first damaged or missing file of `files` (paths relative to `dir`), or null when all match. */
export function filesProblem(dir: string, files: Readonly<Record<string, FileDigest>>): string | null {
  for (const [f, d] of Object.entries(files)) {
    const problem = fileProblem(join(dir, f), d);
    if (problem) return problem;
  }
  return null;
}

/** Length and sha256 of every file under `dir` (paths relative to it, sorted), except those `skip` names. */
export function treeDigests(dir: string, skip: (rel: string) => boolean = () => false): Record<string, FileDigest> {
  const out: Record<string, FileDigest> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const f = join(d, e.name);
      const rel = relative(dir, f);
      if (e.isDirectory()) walk(f);
      else if (!skip(rel)) out[rel] = digestOf(readFileSync(f));
    }
  };
  walk(dir);
  return out;
}

/** Where a one-file entry's length and checksum are recorded: a hidden sibling `.NAME.sum`. */
export function sumFile(file: string): string {
  return join(dirname(file), `.${basename(file)}.sum`);
}

/** Why one-file entry `file` is not complete (missing, no record, damaged), or null when it is. */
export function entryProblem(file: string): string | null {
  if (!existsSync(file)) return `${file} is missing`;
  let d: FileDigest;
  try {
    d = JSON.parse(readFileSync(sumFile(file), "utf8")) as FileDigest;
  } catch {
    return `${file} has no length and checksum record`;
  }
  return fileProblem(file, d);
}

const computing = new Map<string, Promise<string>>();

/**
 * Cache entry `file`: when it is verified complete (`entryProblem`), its path; otherwise `compute()`
 * produces its content, which is written atomically (runtime/fs.ts: a reader never sees a
 * half-written entry) with its length and checksum, and then its path. A damaged entry is computed
 * again. Callers in one process asking for a file being computed share that computation; processes
 * sharing the cache compute it once (`withBuildLock`); a failed computation is forgotten, so the next
 * caller tries again. `label` names the artefact in the "cached" progress line.
 */
export function cachedFile(file: string, compute: () => Promise<string | Uint8Array> | string | Uint8Array, log: (line: string) => void = () => {}, label = basename(file)): Promise<string> {
  const running = computing.get(file);
  if (running) return running;
  const problem = entryProblem(file);
  if (problem === null) {
    log(`${label}: cached (${file})`);
    return Promise.resolve(file);
  }
  if (existsSync(file)) log(`${label}: cache entry damaged (${problem}); computing it again`);
  const p = withBuildLock(
    file,
    () => entryProblem(file) === null,
    async () => {
      const data = await compute();
      atomicWrite(file, data);
      atomicWrite(sumFile(file), JSON.stringify(digestOf(data)));
      return file;
    },
    () => {
      log(`${label}: cached (${file})`);
      return file;
    },
    log,
  );
  computing.set(file, p);
  const forget = () => computing.delete(file);
  p.then(forget, forget);
  return p;
}

/** A lock whose file has not been touched for this long belongs to a process that died. */
const LOCK_STALE_MS = 60_000;
const LOCK_HEARTBEAT_MS = 5_000;
const HOST = hostname();

/** True when the lock names a process of this machine that is still running (its holder may just be busy). */
function holderAlive(lock: string): boolean {
  try {
    const [pid, host] = readFileSync(lock, "utf8").split(" ");
    if (host !== HOST || !/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/**
 * Build cache entry `dir` at most once across processes sharing the cache (two shards of one
 * experiment, a CLI run during a build): the first caller takes `${dir}.lock` (created exclusively,
 * holding its pid and host, touched every 5 s while it builds) and runs `build`; the others wait until
 * the lock is gone and then find the entry done (`isDone`, which should verify the entry, not only
 * find it). A lock untouched for 60 s whose process is not running on this machine is taken over, and
 * its `.partial` work resumed by `build`.
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
      if (age > LOCK_STALE_MS && !holderAlive(lock)) {
        log(`cache: taking over a stale lock (${Math.round(age / 1000)} s old): ${lock}`);
        // Move it aside rather than delete it, and put it back if it turns out to be fresh: of several
        // waiters judging one lock stale, only the first removes it, not the lock the winner then takes.
        const aside = `${lock}.stale-${process.pid}-${randomBytes(3).toString("hex")}`;
        try {
          renameSync(lock, aside);
          if (Date.now() - statSync(aside).mtimeMs <= LOCK_STALE_MS) linkSync(aside, lock);
        } catch {
          // moved by another waiter, or a new lock exists already: either way, look again
        } finally {
          rmSync(aside, {force: true});
        }
        continue;
      }
      if (!waited) log(`cache: another process is building ${dir}; waiting for it`);
      waited = true;
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    writeSync(fd, `${process.pid} ${HOST} ${new Date().toISOString()}\n`);
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
