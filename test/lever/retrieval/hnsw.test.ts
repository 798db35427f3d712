// Tests for lib/lever/retrieval/hnsw.ts (spec/lever.md §4; stack.md Q4): exact search with the FAISS tie rule, recall of
// the HNSW index against it, the IDBFS byte round trip, filters and the strict threshold.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {HnswlibModule} from "hnswlib-wasm";
import {loadHnswlibNode} from "../../../runtime/hnsw-node.js";
import {
  buildIndex,
  disposeIndex,
  exactSearch,
  indexFromBytes,
  indexToBytes,
  readHeader,
  recallAtK,
  search,
  searchPolicies,
  searchRaw,
  storedVectors,
  type HnswIndex,
  type Neighbor,
} from "../../../lib/lever/retrieval/hnsw.js";
import {Rng} from "../../../lib/core/rng.js";
import {EMBED_DIM, POLICY_DESCRIPTIONS, embedTexts} from "../../../lib/lever/retrieval/text-embed.js";
import {REWARD_SYSTEMS} from "../../../lib/lever/env/rewards.js";

let lib: HnswlibModule;
const built: HnswIndex[] = [];
beforeAll(async () => {
  lib = await loadHnswlibNode();
});
afterAll(() => built.forEach(disposeIndex));
const keep = (h: HnswIndex) => (built.push(h), h);

function randomVectors(n: number, dim: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; ++i) out[i] = 2 * rng.next() - 1;
  return out;
}
const row = (x: Float32Array, dim: number, i: number) => x.subarray(i * dim, (i + 1) * dim);

describe("exactSearch(vectors, dim, query, k, filter?)", () => {
  it("returns cosine scores, descending, on a hand-checkable set", () => {
    const v = new Float32Array([1, 0, 3, 4, 0, 2, -1, 0]);
    expect(exactSearch(v, 2, [1, 0], 4)).toEqual([
      {id: 0, score: 1},
      {id: 1, score: 0.6},
      {id: 2, score: 0},
      {id: 3, score: -1},
    ]);
    expect(exactSearch(v, 2, [2, 0], 2)).toEqual([
      {id: 0, score: 1},
      {id: 1, score: 0.6},
    ]); // scale-free
    expect(exactSearch(v, 2, [1, 0], 0)).toEqual([]);
    expect(exactSearch(v, 2, [1, 0], 9).length).toBe(4);
  });

  it("breaks ties by lowest insertion index (FAISS heap semantics), also inside the top-k", () => {
    // ids 1, 3, 4 share one vector (like policies sharing one description); 0 and 2 are worse.
    const v = new Float32Array([0, 1, 1, 1, 0, 1, 1, 1, 1, 1]);
    expect(exactSearch(v, 2, [1, 1], 2).map((h) => h.id)).toEqual([1, 3]);
    expect(exactSearch(v, 2, [1, 1], 5).map((h) => h.id)).toEqual([1, 3, 4, 0, 2]);
  });

  it("applies the filter before the top-k, keeping original order", () => {
    const v = new Float32Array([1, 1, 1, 1, 1, 1, 1, 0]);
    expect(exactSearch(v, 2, [1, 1], 2, (i) => i >= 1).map((h) => h.id)).toEqual([1, 2]);
    expect(exactSearch(v, 2, [1, 1], 2, () => false)).toEqual([]);
  });

  it("validates shapes with RangeError", () => {
    expect(() => exactSearch(new Float32Array(5), 2, [1, 0], 1)).toThrow(/not a multiple of dim 2/);
    expect(() => exactSearch(new Float32Array(4), 2, [1, 0, 0], 1)).toThrow(/invalid query/);
    expect(() => exactSearch(new Float32Array(4), 2, [1, 0], -1)).toThrow(/invalid k/);
  });
});

describe("recallAtK(approx, exact, k)", () => {
  it("is the mean overlap fraction of the first k ids", () => {
    expect(
      recallAtK(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [3, 2, 1],
          [4, 7, 8],
        ],
        3,
      ),
    ).toBeCloseTo((1 + 1 / 3) / 2, 12);
    expect(
      recallAtK(
        [[{id: 1, score: 1}]],
        [
          [
            {id: 1, score: 1},
            {id: 2, score: 0},
          ],
        ],
        1,
      ),
    ).toBe(1);
    expect(recallAtK([[]], [[]], 5)).toBe(1);
    expect(() => recallAtK([[1]], [], 1)).toThrow(RangeError);
  });
});

describe("HNSW index (hnswlib-wasm)", () => {
  it("recall@10 ≥ 0.99 vs exact search on 2,000 random 64-d vectors (default M=16, efC=200, ef=128)", () => {
    const dim = 64;
    const x = randomVectors(2000, dim, 1);
    const q = randomVectors(200, dim, 2);
    const h = keep(buildIndex(lib, x, dim));
    const approx: Neighbor[][] = [],
      raw: Neighbor[][] = [],
      exact: Neighbor[][] = [];
    for (let i = 0; i < 200; ++i) {
      approx.push(search(h, row(q, dim, i), 10));
      raw.push(searchRaw(h, row(q, dim, i), 10));
      exact.push(exactSearch(x, dim, row(q, dim, i), 10));
    }
    expect(recallAtK(approx, exact, 10)).toBeGreaterThanOrEqual(0.99);
    expect(recallAtK(raw, exact, 10)).toBeGreaterThanOrEqual(0.99);
    // Re-ranked scores are exact cosine of the stored (normalised float32) vectors.
    for (let i = 0; i < 200; ++i) {
      approx[i].forEach((a, r) => {
        if (a.id === exact[i][r].id) expect(a.score).toBeCloseTo(exact[i][r].score, 6);
      });
    }
  });

  it("recall = 1 on tiny sets: the 8 description embeddings", () => {
    const x = embedTexts(REWARD_SYSTEMS.map((r) => POLICY_DESCRIPTIONS[r]));
    const h = keep(buildIndex(lib, x, EMBED_DIM));
    for (let i = 0; i < 8; ++i) {
      const got = search(h, row(x, EMBED_DIM, i), 8);
      const want = exactSearch(x, EMBED_DIM, row(x, EMBED_DIM, i), 8);
      expect(got.map((g) => g.id)).toEqual(want.map((w) => w.id));
      expect(got[0]).toMatchObject({id: i});
      expect(got[0].score).toBeCloseTo(1, 6);
    }
  });

  it("gives the exact tie order on duplicated vectors, with and without filters", () => {
    // 3 groups of 12 identical vectors, interleaved: group g holds ids g, g+3, g+6, …
    const dim = 16;
    const base = randomVectors(3, dim, 7);
    const x = new Float32Array(36 * dim);
    for (let i = 0; i < 36; ++i) x.set(row(base, dim, i % 3), i * dim);
    const h = keep(buildIndex(lib, x, dim));
    for (let g = 0; g < 3; ++g) {
      const q = row(base, dim, g);
      for (const k of [1, 5, 12, 13, 30, 36]) {
        expect(search(h, q, k).map((n) => n.id)).toEqual(exactSearch(x, dim, q, k).map((n) => n.id));
      }
      expect(search(h, q, 5).map((n) => n.id)).toEqual([g, g + 3, g + 6, g + 9, g + 12]);
      const odd = (i: number) => i % 2 === 1;
      expect(search(h, q, 5, odd).map((n) => n.id)).toEqual(exactSearch(x, dim, q, 5, odd).map((n) => n.id));
    }
  });

  it("filters: only accepted ids, exact order, and short filters return fewer than k", () => {
    const dim = 32;
    const x = randomVectors(500, dim, 3);
    const h = keep(buildIndex(lib, x, dim));
    const few = (i: number) => i === 17 || i === 250 || i === 499;
    for (let i = 0; i < 20; ++i) {
      const q = row(randomVectors(20, dim, 4), dim, i);
      const mod7 = (id: number) => id % 7 === 0;
      const got = search(h, q, 10, mod7);
      expect(got.every((n) => mod7(n.id))).toBe(true);
      expect(got.map((n) => n.id)).toEqual(exactSearch(x, dim, q, 10, mod7).map((n) => n.id));
      expect(search(h, q, 5, few).map((n) => n.id)).toEqual(exactSearch(x, dim, q, 5, few).map((n) => n.id));
      expect(search(h, q, 5, few).length).toBe(3);
      expect(search(h, q, 5, () => false)).toEqual([]);
    }
  });

  it("round-trips through bytes (IDBFS) with identical neighbours, header and stored vectors", async () => {
    const dim = 24;
    const x = randomVectors(300, dim, 5);
    const h = keep(buildIndex(lib, x, dim, {m: 12, efConstruction: 100, efSearch: 50}));
    const bytes = await indexToBytes(h);
    const header = readHeader(bytes);
    expect(header).toMatchObject({count: 300, maxElements: 300, dim, m: 12, efConstruction: 100});
    expect(Array.from(storedVectors(bytes))).toEqual(Array.from(h.stored));
    const [a, b] = await Promise.all([indexFromBytes(lib, bytes, {dim, efSearch: 50}), indexFromBytes(lib, bytes, {efSearch: 50})]);
    keep(a);
    keep(b);
    expect(a.params).toEqual(h.params);
    for (let i = 0; i < 50; ++i) {
      const q = row(randomVectors(50, dim, 6), dim, i);
      expect(searchRaw(a, q, 10)).toEqual(searchRaw(h, q, 10));
      expect(search(b, q, 10)).toEqual(search(h, q, 10));
    }
    expect(Array.from(a.index.getPoint(7))).toEqual(Array.from(h.index.getPoint(7)));
    expect(await indexToBytes(a)).toEqual(bytes); // deterministic: re-serialising gives the same bytes
  });

  it("rejects bytes that are not an index, and dimension mismatches", async () => {
    expect(() => readHeader(new Uint8Array(10))).toThrow(/invalid HNSW index bytes/);
    expect(() => readHeader(new Uint8Array(200).fill(7))).toThrow(/invalid HNSW index bytes/);
    const h = keep(buildIndex(lib, randomVectors(10, 4, 8), 4));
    const bytes = await indexToBytes(h);
    await expect(indexFromBytes(lib, bytes, {dim: 5})).rejects.toThrow(/dimension mismatch: file has 4, expected 5/);
    expect(() => buildIndex(lib, new Float32Array(0), 4)).toThrow(/at least one vector/);
    expect(() => buildIndex(lib, new Float32Array(8), 4, {m: 0})).toThrow(/invalid HNSW parameter m/);
  });
});

describe("searchPolicies(db, entries, query, {k, threshold, seed, spec})", () => {
  it("keeps cosine strictly > threshold after the top-k, on exact and HNSW paths", () => {
    const vectors = new Float32Array([1, 0, 3, 4, 0, 1]); // cosines with [1, 0]: 1, 0.6, 0
    const entries = [{seed: "0000"}, {seed: "0000"}, {seed: "0000"}];
    const flat = {vectors, dim: 2};
    expect(searchPolicies(flat, entries, [1, 0], {threshold: 0.6}).map((h) => h.id)).toEqual([0]);
    expect(searchPolicies(flat, entries, [1, 0], {threshold: 0.5999}).map((h) => [h.id, h.rank])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(searchPolicies(flat, entries, [1, 0], {k: 1, threshold: -2}).map((h) => h.id)).toEqual([0]); // top-k first
    expect(searchPolicies(flat, entries, [1, 0]).map((h) => h.id)).toEqual([0]); // default 0.7
    const h = keep(buildIndex(lib, vectors, 2));
    const s = search(h, [1, 0], 2)[1].score;
    expect(searchPolicies(h, entries, [1, 0], {threshold: s}).map((x) => x.id)).toEqual([0]);
    expect(searchPolicies(h, entries, [1, 0], {threshold: s - 1e-12}).map((x) => x.id)).toEqual([0, 1]);
    expect(() => searchPolicies(flat, entries.slice(1), [1, 0])).toThrow(/2 entries for 3 vectors/);
  });
});
