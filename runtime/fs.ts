/** File helpers for Node-only code (CLI, loaders, builders). */
import {mkdirSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {dirname} from "node:path";

/**
 * Write `data` to `path` atomically: the parent directory is created, the bytes go to a temporary
 * sibling that is renamed into place, and the temporary is removed if anything fails — so a reader
 * never sees a half-written file.
 */
export function atomicWrite(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), {recursive: true});
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, {force: true});
    throw e;
  }
}
