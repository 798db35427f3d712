/**
 * π2vec embeddings of a library's policies as one cached file per (library, options) (Node only):
 * `ensureEmbedding` names, memoises and (through this module's worker job `handle`) computes it;
 * `readEmbedding` decodes it. The experiment, the "Policy embeddings" loader and the search index all
 * read the same file, so each embedding is computed once.
 */
import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {decodeLibraryEmbedding, encodeLibraryEmbedding} from "../lib/lever/artefacts.js";
import {embedLibrary, type LibraryEmbedding, type PolicyRule, type SfMethod} from "../lib/lever/pi2vec/embedding.js";
import {cachedFile, cacheKey, cacheRoot} from "./cache.js";
import {loadRuns} from "./library-build.js";
import {runTask} from "./pool.js";

const EMBEDDING_CODE = new URL(import.meta.url);

/**
 * The library's π2vec embedding, cached under cacheRoot()/embedding-<key>.lvr with key =
 * hash(manifest content, options, this module's code). Computed once per key (a worker job; callers
 * in one process share it); returns the file path (workers read the same file).
 */
export function ensureEmbedding(libraryDir: string, o: EmbedOptions, log: (line: string) => void): Promise<string> {
  const manifestHash = createHash("sha256")
    .update(readFileSync(join(libraryDir, "manifest.json")))
    .digest("hex");
  const file = join(cacheRoot(), `embedding-${cacheKey("embedding", {manifestHash, ...o}, [EMBEDDING_CODE])}.lvr`);
  return cachedFile(
    file,
    async () => {
      log(`embedding: ${o.method} successor features of the library policies (${o.rule} rule, ${o.canonical} canonical states)…`);
      // Priority 2: embeddings gate the experiments and the regressors.
      const r = await runTask<ReturnType<typeof handle>>(EMBEDDING_CODE, {libraryDir, options: o}, {priority: 2});
      log(`embedding: ${r.policies} policies in ${r.seconds.toFixed(1)} s`);
      return r.bytes;
    },
    log,
    "embedding",
  );
}

export interface EmbedOptions {
  method: SfMethod;
  rule: PolicyRule;
  canonical: number;
  seed: number;
  /** Only the policies of these seeds (a stated subset, e.g. the costly MLP embedding); absent = all. */
  seeds?: number[];
}

/** Worker job: embed every policy of the library in `libraryDir`; the container's bytes. */
export function handle(p: {libraryDir: string; options: EmbedOptions}): {bytes: Uint8Array; policies: number; seconds: number} {
  const o = p.options;
  const runs = loadRuns(p.libraryDir).filter((r) => o.seeds === undefined || o.seeds.includes(r.meta.seed));
  const e = embedLibrary(runs, {method: o.method, rule: o.rule, canonical: o.canonical, seed: o.seed});
  return {bytes: encodeLibraryEmbedding(e), policies: e.policies.length, seconds: e.seconds};
}

export function readEmbedding(file: string): LibraryEmbedding {
  return decodeLibraryEmbedding(readFileSync(file));
}
