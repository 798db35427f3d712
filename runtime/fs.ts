/** File helpers for Node-only code (CLI, loaders, builders). */
import {randomBytes} from "node:crypto";
import {existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {dirname, resolve} from "node:path";

/**
 * Write `data` to `path` atomically: the parent directory is created, the bytes go to a temporary
 * sibling that is renamed into place, and the temporary is removed if anything fails — so a reader
 * never sees a half-written file.
 */
export function atomicWrite(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), {recursive: true});
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}-${randomBytes(3).toString("hex")}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, {force: true});
    throw e;
  }
}

/**
 * Create directory `dir` and its missing ancestors one level at a time. Unlike
 * `mkdirSync(dir, {recursive: true})`, which never returns for a path under /proc on Node 20, this
 * fails at once where a directory cannot be made (ENOENT, EACCES, ENOTDIR).
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  while (!existsSync(d)) {
    missing.push(d);
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  if (existsSync(d) && !statSync(d).isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}' (${d} is a file)`), {code: "ENOTDIR"});
  for (const m of missing.reverse()) mkdirSync(m);
}
