// End-to-end retrieval (spec/lever.md §4, §6, §8.1, §11 item 7) on a synthetic [main]-ordered library:
// specs X1, X5, X10 → 8 reward systems → seeds 0000..0004 → 3 snapshots (360 entries, one shared
// description vector per reward system). Every sub-query and reference query must retrieve its
// expected reward system at the experiments' threshold (> 0.7) with k = 5, on exact and HNSW search alike.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {loadHnswlibNode} from "../../../runtime/hnsw-node.js";
import {DOUBLE_POLICIES, EXPECTED_DECOMPOSITIONS, REFERENCE_QUERIES, TRIPLE_POLICIES, decomposeQuery} from "../../../lib/lever/retrieval/decompose.js";
import {
  CLI_THRESHOLD,
  EXPERIMENT_THRESHOLD,
  buildIndex,
  disposeIndex,
  exactSearch,
  indexFromBytes,
  indexToBytes,
  recallAtK,
  search,
  searchPolicies,
  type HnswIndex,
  type PolicySearchOptions,
} from "../../../lib/lever/retrieval/hnsw.js";
import {REWARD_SYSTEMS} from "../../../lib/lever/env/rewards.js";
import {EMBED_DIM, POLICY_DESCRIPTIONS, cosine, embedText} from "../../../lib/lever/retrieval/text-embed.js";

interface Entry {
  spec: string;
  rewardSystem: string;
  seed: string;
  snapshot: number;
}
const entries: Entry[] = [];
for (const spec of ["X1", "X5", "X10"])
  for (const rewardSystem of REWARD_SYSTEMS)
    for (const seed of ["0000", "0001", "0002", "0003", "0004"]) for (let snapshot = 0; snapshot < 3; ++snapshot) entries.push({spec, rewardSystem, seed, snapshot});
const vectors = new Float32Array(entries.length * EMBED_DIM);
entries.forEach((e, i) => vectors.set(embedText(POLICY_DESCRIPTIONS[e.rewardSystem as keyof typeof POLICY_DESCRIPTIONS]), i * EMBED_DIM));
const flat = {vectors, dim: EMBED_DIM};

let hnsw: HnswIndex;
let loaded: HnswIndex;
beforeAll(async () => {
  const lib = await loadHnswlibNode();
  hnsw = buildIndex(lib, vectors, EMBED_DIM);
  loaded = await indexFromBytes(lib, await indexToBytes(hnsw));
});
afterAll(() => [hnsw, loaded].forEach(disposeIndex));

/** Expected reward system of every sub-query string and reference query (our stand-in embedding). */
const EXPECTED: [string, string][] = [
  ...REWARD_SYSTEMS.map((r) => [POLICY_DESCRIPTIONS[r], r] as [string, string]),
  [DOUBLE_POLICIES[1], "hazard"], // "Reach the exit while avoiding hazards." matches no description exactly
  [TRIPLE_POLICIES[0], "path-gold-hazard"],
  [TRIPLE_POLICIES[1], "lever"],
  [REFERENCE_QUERIES.Q1.query, "path-gold"],
  [REFERENCE_QUERIES.Q2.query, "path-gold-hazard"],
  [REFERENCE_QUERIES.Q3.query, "path-gold-hazard-lever"],
];

function retrieve(text: string, options: PolicySearchOptions = {}) {
  const q = embedText(text);
  const exact = searchPolicies(flat, entries, q, options);
  for (const db of [hnsw, loaded]) expect(searchPolicies(db, entries, q, options).map((h) => [h.id, h.rank])).toEqual(exact.map((h) => [h.id, h.rank]));
  return exact.map((h) => ({...h, ...entries[h.id]}));
}

describe("sub-query → reward system (top-5, cosine > 0.7, seed filter)", () => {
  it("every policy-list string and reference query retrieves 5 policies of its expected system", () => {
    for (const [text, system] of EXPECTED) {
      for (const seed of ["0000", "0003"]) {
        const hits = retrieve(text, {seed});
        expect(hits.length, text).toBe(5);
        expect(new Set(hits.map((h) => h.rewardSystem)), text).toEqual(new Set([system]));
        expect(hits.every((h) => h.score > EXPERIMENT_THRESHOLD && h.seed === seed)).toBe(true);
        expect(retrieve(text, {seed, threshold: CLI_THRESHOLD}).map((h) => h.id)).toEqual(hits.map((h) => h.id));
      }
    }
  });

  it("the DOUBLE string matching no description clears 0.7 against hazard, and hazard-lever too when k is large", () => {
    const q = embedText("Reach the exit while avoiding hazards.");
    const score = (r: keyof typeof POLICY_DESCRIPTIONS) => cosine(q, embedText(POLICY_DESCRIPTIONS[r]));
    expect(score("hazard")).toBeGreaterThan(0.95);
    expect(score("hazard-lever")).toBeGreaterThan(0.7);
    expect(score("path-gold-hazard")).toBeLessThan(0.7);
    // k = 5 stays inside the 9 tied hazard policies of the seed; k = 20 reaches the next system, and the
    // threshold (not k) then decides: 9 hazard + 9 hazard-lever, path-gold-hazard cut at 0.7.
    const wide = retrieve("Reach the exit while avoiding hazards.", {seed: "0001", k: 20});
    expect(wide.map((h) => h.rewardSystem)).toEqual([...Array(9).fill("hazard"), ...Array(9).fill("hazard-lever")]);
  });

  it("decomposition + retrieval covers the target's components in every experiment setup", () => {
    const retrieved: Record<string, string[]> = {};
    for (const e of EXPECTED_DECOMPOSITIONS) {
      const d = decomposeQuery(REFERENCE_QUERIES[e.query].query, e.mode);
      const systems = d.subQueries.map((s) => retrieve(s, {seed: "0002"})[0].rewardSystem);
      retrieved[`${e.mode}:${e.query}`] = systems;
      expect(new Set(systems.flatMap((s) => s.split("-")))).toEqual(new Set(e.target.split("-")));
    }
    expect(retrieved).toEqual({
      "trivial:Q1": ["path", "gold"],
      "trivial:Q2": ["path", "gold", "hazard"],
      "trivial:Q3": ["path", "gold", "hazard", "lever"],
      "double:Q2": ["path-gold", "hazard"],
      "double:Q3": ["path-gold", "hazard-lever"],
      "triple:Q3": ["path-gold-hazard", "lever"],
    });
  });
});

describe("tie order and filters on the library (§4, §11 item 7)", () => {
  it("[main] no spec filter: ties go to the lowest insertion indices, so every spec gets X1/X5 policies", () => {
    const hits = retrieve(POLICY_DESCRIPTIONS["path-gold"], {seed: "0004"});
    expect(hits.map((h) => `${h.spec}/${h.snapshot}`)).toEqual(["X1/0", "X1/1", "X1/2", "X5/0", "X5/1"]);
    expect(hits.map((h) => h.rank)).toEqual([0, 1, 2, 3, 4]);
    expect(hits.map((h) => h.id)).toEqual(exactSearch(vectors, EMBED_DIM, embedText(POLICY_DESCRIPTIONS["path-gold"]), 5, (i) => entries[i].seed === "0004").map((h) => h.id));
  });

  it("[v3] spec filter: only that spec, still lowest insertion index first", () => {
    const hits = retrieve(POLICY_DESCRIPTIONS.lever, {seed: "0001", spec: "X10"});
    expect(hits.map((h) => `${h.spec}/${h.rewardSystem}/${h.seed}/${h.snapshot}`)).toEqual([
      "X10/lever/0001/0",
      "X10/lever/0001/1",
      "X10/lever/0001/2",
      "X10/hazard-lever/0001/0",
      "X10/hazard-lever/0001/1",
    ]);
  });

  it("no filters: the top-5 are the first 5 entries of the system in the whole index", () => {
    const hits = retrieve(POLICY_DESCRIPTIONS.gold);
    expect(hits.map((h) => `${h.spec}/${h.seed}/${h.snapshot}`)).toEqual(["X1/0000/0", "X1/0000/1", "X1/0000/2", "X1/0001/0", "X1/0001/1"]);
  });

  it("HNSW recall@10 = 1 on the 360 description embeddings, for every query above", () => {
    const qs = EXPECTED.map(([t]) => embedText(t));
    const approx = qs.map((q) => search(hnsw, q, 10));
    const exact = qs.map((q) => exactSearch(vectors, EMBED_DIM, q, 10));
    expect(recallAtK(approx, exact, 10)).toBe(1);
    expect(approx.map((a) => a.map((h) => h.id))).toEqual(exact.map((a) => a.map((h) => h.id)));
  });
});
