/**
 * One typed codec per LEVER artefact, shared by the runtime that writes them, the loaders, the CLI
 * and the pages that read them, so that no section name is spelled twice. Every artefact is a
 * lib/core/container.ts binary (JSON metadata + named typed arrays); the names below are the format.
 *
 * | artefact                         | written by                | sections                                  |
 * |----------------------------------|---------------------------|-------------------------------------------|
 * | library embedding (cache)        | runtime/embedding.ts      | emb|<set>, canon|<spec>|<set>             |
 * | src/data/policies.bin            | policies loader           | <key>.embedding, <key>.oof.<kind>,        |
 * |                                  |                           | <key>.ins.<kind>, <key>.canonical.<spec>  |
 * | src/data/policy-tables-<key>.bin | policies loader (tables)  | <key>.q, <key>.counts, <key>.qFinal       |
 * | src/data/policy-index.hnsw       | policy-index loader       | <key>.text, <key>.pi2vec, <key>.zMean,    |
 * |                                  |                           | <key>.zStd                                |
 * | src/data/library-<key>-<seed>.bin| library loader (runs)     | <run id>: the run file's bytes (runs.ts   |
 * |                                  |                           | `encodeRun`), one per run of that seed    |
 *
 * Decoders return views (no copies) and throw one-line RangeErrors naming a missing section or a
 * wrong format tag.
 */
import {decodeContainer, encodeContainer, type TypedArray} from "../core/container.js";
import {decodeRun, type Run} from "./library/runs.js";
import type {FeatureMatrix} from "./pi2vec/features.js";
import type {LibraryEmbedding, LibraryPolicy, PolicyRule, SfMethod} from "./pi2vec/embedding.js";

type Bytes = Uint8Array | ArrayBuffer;

function section<T extends TypedArray>(sections: Record<string, TypedArray>, name: string, what: string): T {
  const s = sections[name];
  if (s === undefined) throw new RangeError(`invalid ${what}: no section ${JSON.stringify(name)}`);
  return s as T;
}

function checkFormat(meta: {format?: unknown}, format: string, what: string): void {
  if (meta?.format !== format) throw new RangeError(`invalid ${what}: format ${JSON.stringify(meta?.format)} (expected ${format})`);
}

// ---------------------------------------------------------------------------------------------
// Library embedding (the π2vec cache file, runtime/embedding.ts)

interface EmbeddingMeta {
  policies: LibraryPolicy[];
  dim: number;
  method: SfMethod;
  rule: PolicyRule;
  seconds: number;
  canonical: Record<string, Record<string, {rows: number; dim: number}>>;
}

export function encodeLibraryEmbedding(e: LibraryEmbedding): Uint8Array {
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
  return encodeContainer(meta, sections);
}

export function decodeLibraryEmbedding(bytes: Bytes): LibraryEmbedding {
  const {meta, sections} = decodeContainer<EmbeddingMeta>(bytes);
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

// ---------------------------------------------------------------------------------------------
// Policies (src/data/policies.bin): per library, embeddings, regressor predictions, canonical states

/** What one library contributes to policies.bin besides its metadata. */
export interface PolicyArrays {
  /** n × dim π2vec embeddings, insertion order. */
  embedding: Float32Array;
  /** Out-of-fold and in-sample predictions of each regressor kind, per policy. */
  oof: Record<string, Float64Array>;
  ins: Record<string, Float64Array>;
  /** The canonical states of each spec (rows × dim, row-major). */
  canonical: Record<string, Float32Array>;
}

export const POLICIES_FORMAT = "lever-policies/1";

export function encodePolicies<M extends {format: string; libraries: {key: string}[]}>(meta: M, arrays: readonly PolicyArrays[]): Uint8Array {
  checkFormat(meta, POLICIES_FORMAT, "policies metadata");
  if (arrays.length !== meta.libraries.length) throw new RangeError(`invalid policies: ${arrays.length} array sets for ${meta.libraries.length} libraries`);
  const sections: Record<string, Float32Array | Float64Array> = {};
  meta.libraries.forEach(({key}, i) => Object.assign(sections, librarySections(arrays[i], `${key}.`)));
  return encodeContainer(meta, sections);
}

/** The regressor predictions of a library: out-of-fold and in-sample, per regressor kind. */
export type Predictions = Pick<PolicyArrays, "oof" | "ins">;

/** The sections of one library, names prefixed with `<key>.` in policies.bin. */
function librarySections(a: PolicyArrays, prefix: string): Record<string, Float32Array | Float64Array> {
  return {
    [`${prefix}embedding`]: a.embedding,
    ...predictionSections(a, prefix),
    ...Object.fromEntries(Object.entries(a.canonical).map(([spec, v]) => [`${prefix}canonical.${spec}`, v])),
  };
}

/** Prediction sections (`oof.<kind>`, `ins.<kind>`); the policies cache stores them unprefixed. */
export function predictionSections(p: Predictions, prefix = ""): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [kind, v] of Object.entries(p.oof)) out[`${prefix}oof.${kind}`] = v;
  for (const [kind, v] of Object.entries(p.ins)) out[`${prefix}ins.${kind}`] = v;
  return out;
}

/** Inverse of `predictionSections` (and of the canonical sections): kinds and specs from the names. */
function sectionArrays(sections: Record<string, TypedArray>, prefix: string): Predictions & Pick<PolicyArrays, "canonical"> {
  const a: Predictions & Pick<PolicyArrays, "canonical"> = {oof: {}, ins: {}, canonical: {}};
  for (const [name, v] of Object.entries(sections)) {
    if (!name.startsWith(prefix)) continue;
    const [kind, ...rest] = name.slice(prefix.length).split(".");
    const key = rest.join(".");
    if (kind === "oof") a.oof[key] = v as Float64Array;
    else if (kind === "ins") a.ins[key] = v as Float64Array;
    else if (kind === "canonical") a.canonical[key] = v as Float32Array;
  }
  return a;
}

export function predictionsFromSections(sections: Record<string, TypedArray>): Predictions {
  const {oof, ins} = sectionArrays(sections, "");
  return {oof, ins};
}

function libraryArrays(sections: Record<string, TypedArray>, prefix: string): PolicyArrays {
  return {embedding: section<Float32Array>(sections, `${prefix}embedding`, "policies"), ...sectionArrays(sections, prefix)};
}

export interface DecodedPolicies<M> {
  meta: M;
  /** The arrays of a library by key. */
  library(key: string): PolicyArrays;
  /** The canonical states of a spec as a feature matrix (dim from the library's embedding). */
  canonical(key: string, spec: string, dim: number): FeatureMatrix;
}

export function decodePolicies<M extends {format: string; libraries: {key: string}[]}>(bytes: Bytes): DecodedPolicies<M> {
  const {meta, sections} = decodeContainer<M>(bytes);
  checkFormat(meta, POLICIES_FORMAT, "policies.bin");
  const cache = new Map<string, PolicyArrays>();
  const library = (key: string) => {
    if (!meta.libraries.some((l) => l.key === key)) throw new RangeError(`invalid library: ${JSON.stringify(key)} (accepted: ${meta.libraries.map((l) => l.key).join(", ")})`);
    let a = cache.get(key);
    if (!a) cache.set(key, (a = libraryArrays(sections, `${key}.`)));
    return a;
  };
  return {
    meta,
    library,
    canonical(key, spec, dim) {
      const data = library(key).canonical[spec];
      if (data === undefined) throw new RangeError(`invalid spec: ${JSON.stringify(spec)} has no canonical states in library ${key}`);
      return {data, rows: data.length / dim, dim};
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Policy tables (src/data/policy-tables-<key>.bin): what the Search page composes with

export const POLICY_TABLES_FORMAT = "lever-policy-tables/1";

export interface PolicyTablesMeta {
  format: typeof POLICY_TABLES_FORMAT;
  profile: string;
  libraries: {key: string; nStates: number; policies: number; runs: number}[];
}

export interface LibraryTables {
  /** Snapshot Q-tables and cumulative visit counts of every policy (n × nStates·4), final Q of every run. */
  q: Float64Array;
  counts: Uint32Array;
  qFinal: Float64Array;
}

export function encodePolicyTables(meta: PolicyTablesMeta, tables: readonly LibraryTables[]): Uint8Array {
  checkFormat(meta, POLICY_TABLES_FORMAT, "policy tables metadata");
  const sections: Record<string, Float64Array | Uint32Array> = {};
  meta.libraries.forEach(({key}, i) => {
    sections[`${key}.q`] = tables[i].q;
    sections[`${key}.counts`] = tables[i].counts;
    sections[`${key}.qFinal`] = tables[i].qFinal;
  });
  return encodeContainer(meta, sections);
}

/** Accessors by policy id / run index: views of one nStates·4 table each. */
export interface TableViews {
  nStates: number;
  q(id: number): Float64Array;
  counts(id: number): Uint32Array;
  qFinal(run: number): Float64Array;
}

export function decodePolicyTables(bytes: Bytes, key: string): TableViews {
  const {meta, sections} = decodeContainer<PolicyTablesMeta>(bytes);
  checkFormat(meta, POLICY_TABLES_FORMAT, "policy tables");
  const l = meta.libraries.find((x) => x.key === key);
  if (!l) throw new RangeError(`invalid library: ${JSON.stringify(key)} is not in this tables file (has: ${meta.libraries.map((x) => x.key).join(", ") || "none"})`);
  const w = l.nStates * 4;
  const q = section<Float64Array>(sections, `${key}.q`, "policy tables");
  const counts = section<Uint32Array>(sections, `${key}.counts`, "policy tables");
  const qFinal = section<Float64Array>(sections, `${key}.qFinal`, "policy tables");
  const view = <T extends Float64Array | Uint32Array>(a: T, i: number, n: number, what: string): T => {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`invalid ${what}: ${i} (library ${key} has ${n})`);
    return a.subarray(i * w, (i + 1) * w) as T;
  };
  return {
    nStates: l.nStates,
    q: (id) => view(q, id, l.policies, "policy id"),
    counts: (id) => view(counts, id, l.policies, "policy id"),
    qFinal: (run) => view(qFinal, run, l.runs, "run index"),
  };
}

// ---------------------------------------------------------------------------------------------
// Policy index (src/data/policy-index.hnsw): hnswlib-wasm bytes per library

export const POLICY_INDEX_FORMAT = "lever-policy-index/1";

export interface IndexEntry {
  name: string;
  spec: string;
  reward: string;
  /** The reference's 4-digit seed string (`seed4`). */
  seed: string;
  label: string;
}

export interface PolicyIndexLibrary {
  key: string;
  count: number;
  textDim: number;
  pi2vecDim: number;
  seconds: number;
  entries: IndexEntry[];
}

export interface PolicyIndexMeta {
  format: typeof POLICY_INDEX_FORMAT;
  profile: string;
  params: unknown;
  libraries: PolicyIndexLibrary[];
}

export interface LibraryIndex {
  /** Cosine HNSW index over the description embeddings (§4) and over the z-scored π2vec embeddings. */
  text: Uint8Array;
  pi2vec: Uint8Array;
  /** The z-score mean and std of the π2vec embeddings. */
  zMean: Float64Array;
  zStd: Float64Array;
}

export function encodePolicyIndex(meta: PolicyIndexMeta, indices: readonly LibraryIndex[]): Uint8Array {
  checkFormat(meta, POLICY_INDEX_FORMAT, "policy index metadata");
  const sections: Record<string, Uint8Array | Float64Array> = {};
  meta.libraries.forEach(({key}, i) => {
    sections[`${key}.text`] = indices[i].text;
    sections[`${key}.pi2vec`] = indices[i].pi2vec;
    sections[`${key}.zMean`] = indices[i].zMean;
    sections[`${key}.zStd`] = indices[i].zStd;
  });
  return encodeContainer(meta, sections);
}

export function decodePolicyIndex(bytes: Bytes): {meta: PolicyIndexMeta; library(key: string): PolicyIndexLibrary & LibraryIndex} {
  const {meta, sections} = decodeContainer<PolicyIndexMeta>(bytes);
  checkFormat(meta, POLICY_INDEX_FORMAT, "policy index");
  return {
    meta,
    library(key) {
      const l = meta.libraries.find((x) => x.key === key);
      if (!l) throw new RangeError(`invalid library: ${JSON.stringify(key)} (accepted: ${meta.libraries.map((x) => x.key).join(", ")})`);
      return {
        ...l,
        text: section<Uint8Array>(sections, `${key}.text`, "policy index"),
        pi2vec: section<Uint8Array>(sections, `${key}.pi2vec`, "policy index"),
        zMean: section<Float64Array>(sections, `${key}.zMean`, "policy index"),
        zStd: section<Float64Array>(sections, `${key}.zStd`, "policy index"),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Library runs of one layout seed (src/data/library-<key>-<seed>.bin): what the Search page's Worker
// loads instead of training a layout the build computed (lib/lever/answer.ts `shipped`)

export const LIBRARY_RUNS_FORMAT = "lever-library-runs/1";

export interface LibraryRunsMeta {
  format: typeof LIBRARY_RUNS_FORMAT;
  profile: string;
  /** The spec set (library key) and layout seed; `specs` is empty when the profile has no such library. */
  specSet: string;
  seed: number;
  specs: string[];
  /** Run ids in library order (spec → reward system), each a section holding that run's file. */
  runs: string[];
}

/** `runs[id]` is a run file's bytes as the library stores it (runs.ts `encodeRun`), not re-encoded. */
export function encodeLibraryRuns(meta: LibraryRunsMeta, runs: Readonly<Record<string, Uint8Array>>): Uint8Array {
  checkFormat(meta, LIBRARY_RUNS_FORMAT, "library runs metadata");
  const missing = meta.runs.find((id) => runs[id] === undefined);
  if (missing !== undefined) throw new RangeError(`invalid library runs: no bytes for run ${JSON.stringify(missing)}`);
  return encodeContainer(meta, Object.fromEntries(meta.runs.map((id) => [id, runs[id]])));
}

/** The runs by id, decoded with runs.ts `decodeRun` (views, no copies). */
export function decodeLibraryRuns(bytes: Bytes): {meta: LibraryRunsMeta; runs: Map<string, Run>} {
  const {meta, sections} = decodeContainer<LibraryRunsMeta>(bytes);
  checkFormat(meta, LIBRARY_RUNS_FORMAT, "library runs");
  const runs = new Map<string, Run>();
  for (const id of meta.runs) runs.set(id, decodeRun(section<Uint8Array>(sections, id, "library runs")));
  return {meta, runs};
}
