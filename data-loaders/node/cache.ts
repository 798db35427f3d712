/**
 * Content-addressed cache keys (Node only). Framework re-runs a loader only when its output is missing
 * and ignores edits to lib/ and data-loaders/, so every expensive artefact is stored under
 * key = sha256(name, parameters, every source file of lib/ and data-loaders/): a code change can never
 * serve stale data, and an unchanged rebuild reuses what it has.
 */
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {join, relative, resolve} from "node:path";
import {fileURLToPath} from "node:url";

export const PROJECT_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

function listSources(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) listSources(p, out);
    else if (/\.(ts|js|mjs|json)$/.test(entry.name)) out.push(p);
  }
}

let cachedSourceHash: string | null = null;

/** sha256 over the paths and contents of lib/ and data-loaders/ (sorted). */
export function sourceHash(): string {
  if (cachedSourceHash) return cachedSourceHash;
  const files: string[] = [];
  for (const d of ["lib", "data-loaders"]) listSources(join(PROJECT_ROOT, d), files);
  files.sort();
  const h = createHash("sha256");
  for (const f of files) {
    h.update(relative(PROJECT_ROOT, f));
    h.update("\0");
    h.update(readFileSync(f));
    h.update("\0");
  }
  cachedSourceHash = h.digest("hex");
  return cachedSourceHash;
}

/** Stable JSON (sorted keys) for hashing parameters. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function cacheKey(name: string, params: unknown): string {
  return createHash("sha256").update(name).update("\0").update(stableStringify(params)).update("\0").update(sourceHash()).digest("hex").slice(0, 16);
}

/** Root of the artefact cache (LEVER_CACHE_DIR, default .lever-cache/ in the project). */
export function cacheRoot(): string {
  return resolve(process.env.LEVER_CACHE_DIR ?? join(PROJECT_ROOT, ".lever-cache"));
}
