/**
 * π2vec embeddings of a library's policies as one cached file per (library, options) (Node only):
 * `ensureEmbedding` names, memoises and (through this module's worker job `handle`) computes it;
 * `readEmbedding` decodes it. The experiment, the "Policy embeddings" loader and the search index all
 * read the same file, so each embedding is computed once.
 */
import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {decodeContainer, encodeContainer} from "../lib/core/container.js";
import type {FeatureMatrix} from "../lib/lever/pi2vec/features.js";
import {embedLibrary, type LibraryEmbedding, type LibraryPolicy, type PolicyRule, type SfMethod} from "../lib/lever/pi2vec/embedding.js";
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
}

interface EmbeddingMeta {
  policies: LibraryPolicy[];
  dim: number;
  method: SfMethod;
  rule: PolicyRule;
  seconds: number;
  canonical: Record<string, Record<string, {rows: number; dim: number}>>;
}

/** Worker job: embed every policy of the library in `libraryDir`; the container's bytes. */
export function handle(p: {libraryDir: string; options: EmbedOptions}): {bytes: Uint8Array; policies: number; seconds: number} {
  const o = p.options;
  const e = embedLibrary(loadRuns(p.libraryDir), {method: o.method, rule: o.rule, canonical: o.canonical, seed: o.seed});
  const sections: Record<string, Float32Array> = {};
  const canonical: EmbeddingMeta["canonical"] = {};
  for (const [set, v] of Object.entries(e.embeddings)) sections[`emb|${set}`] = v;
  for (const [spec, sets] of Object.entries(e.canonical)) {
    canonical[spec] = {};
    for (const [set, m] of Object.entries(sets)) {
      sections[`canon|${spec}|${set}`] = m.data;
      canonical[spec][set] = {rows: m.rows, dim: m.dim};
    }
  }
  const meta: EmbeddingMeta = {policies: e.policies, dim: e.dim, method: e.method, rule: e.rule, seconds: e.seconds, canonical};
  return {bytes: encodeContainer(meta, sections), policies: e.policies.length, seconds: e.seconds};
}

export function readEmbedding(file: string): LibraryEmbedding {
  const {meta, sections} = decodeContainer<EmbeddingMeta>(readFileSync(file));
  const embeddings: Record<string, Float32Array> = {};
  const canonical: Record<string, Record<string, FeatureMatrix>> = {};
  for (const [name, arr] of Object.entries(sections)) {
    const parts = name.split("|");
    if (parts[0] === "emb") embeddings[parts[1]] = arr as Float32Array;
    else if (parts[0] === "canon") {
      const {rows, dim} = meta.canonical[parts[1]][parts[2]];
      (canonical[parts[1]] ??= {})[parts[2]] = {data: arr as Float32Array, rows, dim};
    }
  }
  return {policies: meta.policies, embeddings, dim: meta.dim, canonical, method: meta.method, rule: meta.rule, seconds: meta.seconds};
}
