/**
 * Policy vector DB (spec/lever.md §4): an HNSW cosine index (hnswlib-wasm), an exact brute-force
 * baseline with the reference's tie rule, recall@k, and the reference's search semantics on top.
 *
 * The reference uses a FAISS `IndexFlatIP` over L2-normalised text embeddings, i.e. exact cosine search.
 * `exactSearch` is that baseline; the HNSW index is our approximate stand-in [OURS], and `search`
 * re-ranks the HNSW candidates with exact cosine so that both give the same order, including ties:
 *
 *   - top-k by cosine, descending; equal scores → the lowest insertion index first
 *     [INFERRED from FAISS heap semantics, spec §4]. All policies of one reward system share one
 *     description and hence one vector, so ties are the common case, not an edge case.
 *
 * Environment-agnostic: only *types* come from hnswlib-wasm. The module itself is passed in
 * (`initHnswlib(factory)`): in a page, import the emscripten factory file
 * `hnswlib-wasm/dist/hnswlib-317962d7.js` (stack.md Q5); in Node, use `loadHnswlibNode()` from
 * runtime/hnsw-node.ts (shims for `window` and IndexedDB, stack.md Q4).
 *
 * Serialisation goes through emscripten's IDBFS because `FS` is not exported (stack.md Q4): save =
 * `writeIndex` + `syncFS(false)` + read the IndexedDB record; load = put the record + `syncFS(true)` +
 * `readIndex`. In a browser this leaves a copy of the last index in the reader's IndexedDB
 * (database "/hnswlib-index").
 */
import type {HierarchicalNSW, HnswlibModule} from "hnswlib-wasm";

/* ------------------------------------------------------------------------------------------------ */
/* Module loading                                                                                     */

/** The emscripten factory (default export of `hnswlib-wasm/dist/hnswlib-317962d7.js`). */
export type HnswFactory = (moduleArg?: Record<string, unknown>) => Promise<unknown>;

/** Options of `initHnswlib`. */
export interface InitOptions {
  /** Sink for emscripten's stdout/stderr (`Module.print`/`printErr`). Default: console.error. */
  print?: (line: string) => void;
}

/**
 * Instantiate hnswlib-wasm from its emscripten factory and mount IDBFS (needed for serialisation).
 * Note: the library also calls console.log directly on mount and on every sync; in a Node loader redirect
 * console.log to stderr *before* calling this (runtime/hnsw-node.ts does).
 */
export async function initHnswlib(factory: HnswFactory, options: InitOptions = {}): Promise<HnswlibModule> {
  const print = options.print ?? ((line: string) => console.error(line));
  const lib = (await factory({print, printErr: print})) as HnswlibModule;
  const fsm = lib.EmscriptenFileSystemManager;
  if (!fsm.isInitialized()) fsm.initializeFileSystem("IDBFS");
  await waitFor(() => fsm.isInitialized() && fsm.isSynced(), "hnswlib IDBFS mount");
  return lib;
}

/** Poll `ready` (sync or async) every 5 ms until it holds; IDBFS completes asynchronously. */
async function waitFor(ready: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await ready())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Exact search (the reference's IndexFlatIP)                                                         */

/** One search hit: insertion index (= hnswlib label) and cosine similarity. */
export interface Neighbor {
  readonly id: number;
  readonly score: number;
}

/** Keep-or-skip predicate on insertion indices. */
export type IdFilter = (id: number) => boolean;

function checkShape(vectors: Float32Array, dim: number): number {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`invalid dimension: ${dim}`);
  if (vectors.length % dim !== 0) throw new RangeError(`invalid vectors: length ${vectors.length} is not a multiple of dim ${dim}`);
  return vectors.length / dim;
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`invalid k: ${k}`);
}

/**
 * Exact top-k cosine search over a flat row-major Float32Array of shape [n, dim] (the reference's
 * IndexFlatIP on normalised vectors). Scores are cosine in float64 (0 for a zero vector). Order: score
 * descending, ties → lowest insertion index. With `filter`, only ids it accepts are searched, in original
 * order (the reference's temporary filtered index, spec §4 step 1).
 */
export function exactSearch(vectors: Float32Array, dim: number, query: ArrayLike<number>, k: number, filter?: IdFilter): Neighbor[] {
  const n = checkShape(vectors, dim);
  checkK(k);
  if (query.length !== dim) throw new RangeError(`invalid query: length ${query.length}, expected ${dim}`);
  let qq = 0;
  for (let j = 0; j < dim; ++j) qq += query[j] * query[j];
  const qn = Math.sqrt(qq);
  // Insertion top-k buffer; ids are visited in ascending order and a later id replaces the worst entry
  // only when strictly better, so equal scores keep the lowest ids (FAISS heap semantics, spec §4).
  const ids: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; ++i) {
    if (filter && !filter(i)) continue;
    let dot = 0,
      vv = 0;
    const o = i * dim;
    for (let j = 0; j < dim; ++j) {
      const v = vectors[o + j];
      dot += query[j] * v;
      vv += v * v;
    }
    const s = qn > 0 && vv > 0 ? dot / (qn * Math.sqrt(vv)) : 0;
    if (ids.length === k && !(s > scores[k - 1])) continue;
    let p = ids.length === k ? k - 1 : ids.length;
    if (ids.length < k) {
      ids.push(i);
      scores.push(s);
    }
    while (p > 0 && s > scores[p - 1]) {
      ids[p] = ids[p - 1];
      scores[p] = scores[p - 1];
      --p;
    }
    ids[p] = i;
    scores[p] = s;
  }
  return ids.map((id, r) => ({id, score: scores[r]}));
}

/**
 * Recall@k: mean over queries of |approx[q][:k] ∩ exact[q][:k]| / min(k, |exact[q]|). Lists hold ids
 * (or Neighbors). Queries whose exact list is empty count as recall 1.
 */
export function recallAtK(approx: ReadonlyArray<ReadonlyArray<number | Neighbor>>, exact: ReadonlyArray<ReadonlyArray<number | Neighbor>>, k: number): number {
  if (approx.length !== exact.length) throw new RangeError(`recall: ${approx.length} approximate vs ${exact.length} exact result lists`);
  checkK(k);
  if (exact.length === 0) return 1;
  const idOf = (x: number | Neighbor) => (typeof x === "number" ? x : x.id);
  let sum = 0;
  for (let q = 0; q < exact.length; ++q) {
    const truth = new Set(exact[q].slice(0, k).map(idOf));
    if (truth.size === 0) {
      sum += 1;
      continue;
    }
    let hit = 0;
    for (const x of approx[q].slice(0, k)) if (truth.has(idOf(x))) ++hit;
    sum += hit / truth.size;
  }
  return sum / exact.length;
}

/* ------------------------------------------------------------------------------------------------ */
/* HNSW index                                                                                         */

/** HNSW parameters (hnswlib names). */
export interface HnswParams {
  /** Max out-degree per layer (M). Default 16. */
  m?: number;
  /** Candidate list size while building. Default 200. */
  efConstruction?: number;
  /** Candidate list size while searching (hnswlib uses max(ef, k)). Default 128. */
  efSearch?: number;
  /** Level-generation seed. Default 100 (hnswlib's default). */
  randomSeed?: number;
}

export const DEFAULT_HNSW_PARAMS: Readonly<Required<HnswParams>> = {m: 16, efConstruction: 200, efSearch: 128, randomSeed: 100};

/** A built or loaded cosine HNSW index. Labels are insertion indices 0..count-1. */
export interface HnswIndex {
  readonly lib: HnswlibModule;
  readonly index: HierarchicalNSW;
  readonly dim: number;
  readonly count: number;
  readonly params: Readonly<Required<HnswParams>>;
  /**
   * JS copy of the vectors as hnswlib stores them (L2-normalised float32), row = label, used to re-rank
   * candidates without one wasm `getPoint` call per candidate (about 18 µs each).
   */
  readonly stored: Float32Array;
  /**
   * Exact duplicates among the stored vectors (all policies of one reward system share one description
   * vector, spec §4), when there are at most half as many distinct vectors as entries: an HNSW index
   * over the distinct vectors (label = group), and the members of each group in ascending id order.
   * `search` then searches the groups and expands them, instead of widening a search over the duplicates.
   */
  readonly groups?: DuplicateGroups;
}

/** Distinct stored vectors and their members (see HnswIndex.groups). */
export interface DuplicateGroups {
  readonly index: HierarchicalNSW;
  readonly count: number;
  /** Representative (lowest) id of each group. */
  readonly first: Int32Array;
  /** Members of group g: members[start[g] … start[g+1]), ascending ids. */
  readonly start: Int32Array;
  readonly members: Int32Array;
}

/**
 * Group identical stored vectors (bit-identical float32 rows) and index one representative per group,
 * with the same HNSW parameters. Returns undefined when duplicates are rare (> n/2 distinct vectors).
 */
function duplicateGroups(lib: HnswlibModule, stored: Float32Array, dim: number, count: number, p: Required<HnswParams>): DuplicateGroups | undefined {
  const bitsOf = new Uint32Array(stored.buffer, stored.byteOffset, stored.length);
  const byKey = new Map<string, number>();
  const groupOf = new Int32Array(count);
  const first: number[] = [];
  for (let i = 0; i < count; ++i) {
    let key = "";
    for (let j = 0; j < dim; ++j) key += bitsOf[i * dim + j].toString(36) + ",";
    let g = byKey.get(key);
    if (g === undefined) {
      byKey.set(key, (g = first.length));
      first.push(i);
      if (2 * first.length > count) return undefined;
    }
    groupOf[i] = g;
  }
  const G = first.length;
  const start = new Int32Array(G + 1);
  for (let i = 0; i < count; ++i) start[groupOf[i] + 1]++;
  for (let g = 0; g < G; ++g) start[g + 1] += start[g];
  const fill = start.slice(0, G);
  const members = new Int32Array(count);
  for (let i = 0; i < count; ++i) members[fill[groupOf[i]]++] = i;
  const index = new lib.HierarchicalNSW("cosine", dim, "");
  index.initIndex(G, p.m, p.efConstruction, p.randomSeed);
  for (let g = 0; g < G; ++g) index.addPoint(stored.subarray(first[g] * dim, (first[g] + 1) * dim), g, false);
  index.setEfSearch(p.efSearch);
  return {index, count: G, first: Int32Array.from(first), start, members};
}

function resolveParams(params: HnswParams): Required<HnswParams> {
  const p = {...DEFAULT_HNSW_PARAMS, ...params};
  for (const key of ["m", "efConstruction", "efSearch"] as const) {
    if (!Number.isInteger(p[key]) || p[key] < 1) throw new RangeError(`invalid HNSW parameter ${key}: ${p[key]}`);
  }
  if (!Number.isInteger(p.randomSeed)) throw new RangeError(`invalid HNSW parameter randomSeed: ${p.randomSeed}`);
  return p;
}

/** Build a cosine HNSW index over a flat row-major Float32Array of shape [n, dim]; label i = row i. */
export function buildIndex(lib: HnswlibModule, vectors: Float32Array, dim: number, params: HnswParams = {}): HnswIndex {
  const n = checkShape(vectors, dim);
  if (n === 0) throw new RangeError("invalid vectors: an index needs at least one vector");
  const p = resolveParams(params);
  const index = new lib.HierarchicalNSW("cosine", dim, ""); // "" disables autosave
  index.initIndex(n, p.m, p.efConstruction, p.randomSeed);
  for (let i = 0; i < n; ++i) index.addPoint(vectors.subarray(i * dim, (i + 1) * dim), i, false);
  index.setEfSearch(p.efSearch);
  const stored = new Float32Array(n * dim);
  for (let i = 0; i < n; ++i) stored.set(index.getPoint(i), i * dim);
  return {lib, index, dim, count: n, params: p, stored, groups: duplicateGroups(lib, stored, dim, n, p)};
}

/** Free the index's wasm memory (embind objects are not garbage-collected). */
export function disposeIndex(h: HnswIndex): void {
  (h.index as unknown as {delete(): void}).delete();
  if (h.groups) (h.groups.index as unknown as {delete(): void}).delete();
}

/**
 * Raw hnswlib k-NN: ids and cosine scores (1 − hnswlib's cosine distance, float32) in hnswlib's order.
 * Use `search` for the reference's order.
 */
export function searchRaw(h: HnswIndex, query: ArrayLike<number>, k: number, filter?: IdFilter): Neighbor[] {
  checkK(k);
  if (query.length !== h.dim) throw new RangeError(`invalid query: length ${query.length}, expected ${h.dim}`);
  const kk = Math.min(k, h.count);
  if (kk === 0) return [];
  const q = query instanceof Float32Array ? query : Float32Array.from(query);
  const r = h.index.searchKnn(q, kk, filter);
  return r.neighbors.map((id, i) => ({id, score: 1 - r.distances[i]}));
}

/**
 * Top-k cosine search on the HNSW index with the same order as `exactSearch` (score descending, ties →
 * lowest insertion index). hnswlib returns an arbitrary member of a tied group, so the candidate list is
 * widened (k, 2k, 4k, …) until the k-th candidate is strictly closer than the last one, i.e. the whole tie
 * group at the boundary is in; candidates are then re-scored with exact cosine (float64, from the stored
 * normalised vectors) and sorted. If the graph search returns fewer hits than the filter allows (possible
 * with restrictive filters), it falls back to an exact scan of the stored vectors.
 */
export function search(h: HnswIndex, query: ArrayLike<number>, k: number, filter?: IdFilter): Neighbor[] {
  checkK(k);
  if (query.length !== h.dim) throw new RangeError(`invalid query: length ${query.length}, expected ${h.dim}`);
  let allowed = h.count;
  if (filter) {
    allowed = 0;
    for (let i = 0; i < h.count; ++i) if (filter(i)) ++allowed;
  }
  const want = Math.min(k, allowed);
  if (want === 0) return [];
  const q = query instanceof Float32Array ? query : Float32Array.from(query);
  if (h.groups) return searchGroups(h, h.groups, q, want, filter);
  // Ask for one more than needed so that "the k-th is strictly closer than the last" can be checked.
  let kk = Math.min(allowed, want + 1);
  let ids: number[];
  for (;;) {
    const r = h.index.searchKnn(q, kk, filter);
    ids = r.neighbors;
    const d = r.distances;
    if (kk >= allowed) break; // every allowed entry was asked for (a short answer falls back below)
    if (ids.length === kk && d[want - 1] < d[kk - 1]) break;
    kk = Math.min(allowed, kk * 2);
  }
  if (ids.length < want) return exactSearch(h.stored, h.dim, q, want, filter);
  const scored = ids.map((id) => ({id, score: storedCosine(h, q, id)}));
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  return scored.slice(0, want);
}

/**
 * `search` over duplicate groups: an HNSW search of the distinct vectors (restricted to groups with an
 * allowed member), widened like `search` until the groups returned hold `want` allowed members and the
 * last group needed is strictly closer than the last one returned (so a tie group at the boundary is
 * whole); every allowed member gets its group's exact cosine (identical vectors, identical score), and
 * the members are sorted as `search` sorts (score descending, ties → lowest id). Same hits, same order.
 */
function searchGroups(h: HnswIndex, G: DuplicateGroups, q: Float32Array, want: number, filter?: IdFilter): Neighbor[] {
  const allowedIn = new Int32Array(G.count);
  let groupsAllowed = 0;
  for (let g = 0; g < G.count; ++g) {
    let a = 0;
    for (let i = G.start[g]; i < G.start[g + 1]; ++i) if (!filter || filter(G.members[i])) ++a;
    allowedIn[g] = a;
    if (a > 0) ++groupsAllowed;
  }
  const groupFilter = filter ? (g: number) => allowedIn[g] > 0 : undefined;
  let kk = Math.min(groupsAllowed, want + 1);
  let gs: number[];
  for (;;) {
    const r = G.index.searchKnn(q, kk, groupFilter);
    gs = r.neighbors;
    const d = r.distances;
    if (kk >= groupsAllowed) break;
    // The first groups (in hnswlib's distance order) that hold `want` allowed members.
    let have = 0;
    let need = gs.length;
    for (let i = 0; i < gs.length; ++i) {
      have += allowedIn[gs[i]];
      if (have >= want) {
        need = i + 1;
        break;
      }
    }
    if (gs.length === kk && have >= want && need < kk && d[need - 1] < d[kk - 1]) break;
    kk = Math.min(groupsAllowed, kk * 2);
  }
  let have = 0;
  for (const g of gs) have += allowedIn[g];
  if (have < want) return exactSearch(h.stored, h.dim, q, want, filter);
  const scored: Neighbor[] = [];
  for (const g of gs) {
    const score = storedCosine(h, q, G.first[g]);
    for (let i = G.start[g]; i < G.start[g + 1]; ++i) {
      const id = G.members[i];
      if (!filter || filter(id)) scored.push({id, score});
    }
  }
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  return scored.slice(0, want);
}

function storedCosine(h: HnswIndex, q: Float32Array, id: number): number {
  const v = h.stored;
  const o = id * h.dim;
  let dot = 0,
    qq = 0,
    vv = 0;
  for (let j = 0; j < h.dim; ++j) {
    dot += q[j] * v[o + j];
    qq += q[j] * q[j];
    vv += v[o + j] * v[o + j];
  }
  return qq > 0 && vv > 0 ? dot / Math.sqrt(qq * vv) : 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* Serialisation through IDBFS                                                                        */

const IDB_NAME = "/hnswlib-index";
const IDB_STORE = "FILE_DATA";
const FILE_NAME = "lever-index.bin";
/** hnswlib file header in wasm32 (size_t = 4 bytes): 11 × u32/i32, a float64 `mult`, u32 efConstruction. */
const HEADER_BYTES = 56;

/** Fields of an hnswlib index file header (wasm32 layout). */
export interface HnswHeader {
  readonly maxElements: number;
  readonly count: number;
  readonly dim: number;
  readonly m: number;
  readonly efConstruction: number;
  /** Byte offset of the level-0 data block, bytes per element, and offsets of vector and label in it. */
  readonly level0: {readonly start: number; readonly size: number; readonly data: number; readonly label: number};
}

/** Parse the header of an hnswlib-wasm index file; throws RangeError on bytes that cannot be one. */
export function readHeader(bytes: Uint8Array): HnswHeader {
  if (bytes.length < HEADER_BYTES) throw new RangeError(`invalid HNSW index bytes: ${bytes.length} bytes, header needs ${HEADER_BYTES}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u = (i: number) => v.getUint32(4 * i, true);
  const [maxElements, count, sizePerElement, labelOffset, dataOffset] = [u(1), u(2), u(3), u(4), u(5)];
  const m = u(10);
  const efConstruction = v.getUint32(52, true);
  const dataBytes = labelOffset - dataOffset;
  const dim = dataBytes / 4;
  const ok = u(0) === 0 && count <= maxElements && dataBytes > 0 && dataBytes % 4 === 0 && sizePerElement === labelOffset + 4;
  // saveIndex writes the header, then the level-0 block of the `count` elements, then the upper links.
  if (!ok || bytes.length < HEADER_BYTES + count * sizePerElement) {
    throw new RangeError(`invalid HNSW index bytes: header does not describe an hnswlib-wasm index (${bytes.length} bytes)`);
  }
  return {maxElements, count, dim, m, efConstruction, level0: {start: HEADER_BYTES, size: sizePerElement, data: dataOffset, label: labelOffset}};
}

/** The stored (normalised) vectors of an index file, row = label, read from its level-0 block. */
export function storedVectors(bytes: Uint8Array, header: HnswHeader = readHeader(bytes)): Float32Array {
  const {count, dim, level0} = header;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; ++i) {
    const base = level0.start + i * level0.size;
    const label = v.getUint32(base + level0.label, true);
    if (label >= count) throw new RangeError(`invalid HNSW index bytes: label ${label} ≥ element count ${count}`);
    for (let j = 0; j < dim; ++j) out[label * dim + j] = v.getFloat32(base + level0.data + 4 * j, true);
  }
  return out;
}

let fileSeq = 0;
const nextFileName = () => `${FILE_NAME}.${++fileSeq}`;

// One serialisation at a time per module: they share one IDBFS mount.
const queues = new WeakMap<object, Promise<unknown>>();
function serialised<T>(lib: HnswlibModule, task: () => Promise<T>): Promise<T> {
  const prev = queues.get(lib) ?? Promise.resolve();
  const next = prev.then(task, task);
  queues.set(
    lib,
    next.catch(() => undefined),
  );
  return next;
}

function syncFS(lib: HnswlibModule, populate: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      lib.EmscriptenFileSystemManager.syncFS(populate, () => resolve());
    } catch (error) {
      reject(error);
    }
  });
}

function idbRequest<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, f: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await idbRequest(indexedDB.open(IDB_NAME));
  try {
    if (!db.objectStoreNames.contains(IDB_STORE)) throw new Error(`IndexedDB ${IDB_NAME} has no ${IDB_STORE} store (IDBFS not mounted?)`);
    const tx = db.transaction(IDB_STORE, mode);
    const result = await idbRequest(f(tx.objectStore(IDB_STORE)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    return result;
  } finally {
    db.close();
  }
}

/** Serialise an index to the bytes of hnswlib's index file (via IDBFS, see the module comment). */
export function indexToBytes(h: HnswIndex): Promise<Uint8Array> {
  return serialised(h.lib, async () => {
    // A fresh file name per call: IDBFS reconciles by timestamp, so rewriting one shared name could be
    // skipped as unchanged and a previous index read back (seen under load).
    const name = nextFileName();
    h.index.writeIndex(name); // returns undefined despite its .d.ts
    await syncFS(h.lib, false);
    // The library's sync callback can fire before IDBFS has stored the file (seen under CPU load, with
    // "2 FS.syncfs operations in flight"): wait for the record itself.
    const key = `${IDB_NAME}/${name}`;
    let contents: ArrayBufferView | undefined;
    await waitFor(
      async () => {
        const record = await withStore("readonly", (s) => s.get(key) as IDBRequest<{contents?: ArrayBufferView} | undefined>);
        contents = record?.contents;
        return contents !== undefined;
      },
      `the ${key} record in IndexedDB after writeIndex`,
      20_000,
    );
    if (!contents) throw new Error(`hnswlib writeIndex left no ${key} record in IndexedDB`);
    await withStore("readwrite", (s) => s.delete(key));
    return new Uint8Array(contents.buffer.slice(contents.byteOffset, contents.byteOffset + contents.byteLength));
  });
}

/**
 * Load an index from `indexToBytes` output. `dim` is read from the header (pass it to check it); HNSW
 * parameters other than efSearch are stored in the file, efSearch is not (default or `params.efSearch`).
 */
export async function indexFromBytes(lib: HnswlibModule, bytes: Uint8Array, options: {dim?: number; efSearch?: number} = {}): Promise<HnswIndex> {
  const header = readHeader(bytes);
  if (options.dim !== undefined && options.dim !== header.dim) throw new RangeError(`HNSW index dimension mismatch: file has ${header.dim}, expected ${options.dim}`);
  const efSearch = options.efSearch ?? DEFAULT_HNSW_PARAMS.efSearch;
  const p = resolveParams({m: header.m, efConstruction: header.efConstruction, efSearch});
  return serialised(lib, async () => {
    const contents = new Uint8Array(bytes); // a copy the file system may own
    const name = nextFileName();
    await withStore("readwrite", (s) => s.put({timestamp: new Date(), mode: 0o100666, contents}, `${IDB_NAME}/${name}`));
    await syncFS(lib, true);
    await waitFor(() => lib.EmscriptenFileSystemManager.checkFileExists(name), `IDBFS to populate ${name} from IndexedDB`, 20_000);
    const index = new lib.HierarchicalNSW("cosine", header.dim, "");
    index.readIndex(name, header.maxElements); // returns undefined despite its .d.ts
    await withStore("readwrite", (s) => s.delete(`${IDB_NAME}/${name}`));
    if (index.getCurrentCount() !== header.count) throw new Error(`hnswlib readIndex loaded ${index.getCurrentCount()} of ${header.count} elements`);
    index.setEfSearch(p.efSearch);
    const stored = storedVectors(bytes, header);
    return {lib, index, dim: header.dim, count: header.count, params: p, stored, groups: duplicateGroups(lib, stored, header.dim, header.count, p)};
  });
}

/* ------------------------------------------------------------------------------------------------ */
/* Reference search semantics                                                                         */

/** What `searchPolicies` needs to know about each indexed entry (insertion order = id). */
export interface PolicyEntryKey {
  /** Reference `policy_seed`, e.g. "0003". */
  readonly seed: string;
  /** Spec name (X1, X5, X10); [v3] filter only. */
  readonly spec?: string;
}

/** Options of `searchPolicies` (spec §4). */
export interface PolicySearchOptions {
  /** Top-k before thresholding. Default 5 (the reference's default everywhere in the experiments). */
  k?: number;
  /** Keep hits with cosine strictly greater than this. Default 0.7 (experiments); the CLI demo uses 0.6. */
  threshold?: number;
  /** Only entries of this policy seed. */
  seed?: string;
  /** Only entries of this spec ([v3] `policy_spec`; [main] has no spec filter). */
  spec?: string;
}

export const DEFAULT_TOP_K = 5;
export const EXPERIMENT_THRESHOLD = 0.7;
export const CLI_THRESHOLD = 0.6;

/** A retrieved policy: its insertion index, cosine score and rank (0-based position in the top-k). */
export interface PolicyHit extends Neighbor {
  readonly rank: number;
}

/** Flat exact vectors, the reference's IndexFlatIP. */
export interface FlatVectors {
  readonly vectors: Float32Array;
  readonly dim: number;
}

/**
 * The reference's `search_similar_policies` (spec §4): restrict to the seed/spec filters (original order
 * kept), take the top-k by cosine (ties → lowest insertion index), then keep only hits with cosine
 * strictly > threshold. Works on the HNSW index or on flat exact vectors, with the same result.
 */
export function searchPolicies(db: HnswIndex | FlatVectors, entries: readonly PolicyEntryKey[], query: ArrayLike<number>, options: PolicySearchOptions = {}): PolicyHit[] {
  const {k = DEFAULT_TOP_K, threshold = EXPERIMENT_THRESHOLD, seed, spec} = options;
  checkK(k);
  if (!Number.isFinite(threshold)) throw new RangeError(`invalid threshold: ${threshold}`);
  const n = "index" in db ? db.count : checkShape(db.vectors, db.dim);
  if (entries.length !== n) throw new RangeError(`entries/index mismatch: ${entries.length} entries for ${n} vectors`);
  const filter: IdFilter | undefined =
    seed === undefined && spec === undefined ? undefined : (id) => (seed === undefined || entries[id].seed === seed) && (spec === undefined || entries[id].spec === spec);
  const top = "index" in db ? search(db, query, k, filter) : exactSearch(db.vectors, db.dim, query, k, filter);
  return top.filter((h) => h.score > threshold).map((h, rank) => ({...h, rank}));
}
