// The artefact codecs (lib/lever/artefacts.ts): section names are the on-disk format the pages read,
// so they are pinned here; every decoder inverts its encoder and names what is missing.
import {describe, expect, it} from "vitest";
import {decodeContainer, encodeContainer} from "../../lib/core/container.js";
import {
  decodeLibraryEmbedding,
  decodePolicies,
  decodePolicyIndex,
  decodePolicyTables,
  encodeLibraryEmbedding,
  encodePolicies,
  encodePolicyIndex,
  encodePolicyTables,
  POLICIES_FORMAT,
  POLICY_INDEX_FORMAT,
  POLICY_TABLES_FORMAT,
  type PolicyArrays,
} from "../../lib/lever/artefacts.js";
import type {LibraryEmbedding} from "../../lib/lever/pi2vec/embedding.js";

const f32 = (...x: number[]) => Float32Array.from(x);
const f64 = (...x: number[]) => Float64Array.from(x);

describe("policies.bin", () => {
  const arrays: PolicyArrays = {
    embedding: f32(1, 2, 3, 4),
    oof: {linear: f64(5, 6), gbrt: f64(7, 8)},
    ins: {linear: f64(9, 10), gbrt: f64(11, 12)},
    canonical: {X1: f32(0, 1, 2, 3), X5: f32(4, 5, 6, 7)},
  };
  const meta = {format: POLICIES_FORMAT, profile: "quick", libraries: [{key: "grid16"}]};
  it("writes the section names the pages have always read, in order", () => {
    const bytes = encodePolicies(meta, [arrays]);
    expect(Object.keys(decodeContainer(bytes).sections)).toEqual([
      "grid16.embedding",
      "grid16.oof.linear",
      "grid16.oof.gbrt",
      "grid16.ins.linear",
      "grid16.ins.gbrt",
      "grid16.canonical.X1",
      "grid16.canonical.X5",
    ]);
  });
  it("decodes what it encodes, with canonical states as a feature matrix", () => {
    const d = decodePolicies<typeof meta>(encodePolicies(meta, [arrays]));
    expect(d.meta).toEqual(meta);
    const l = d.library("grid16");
    expect(Array.from(l.embedding)).toEqual([1, 2, 3, 4]);
    expect(Array.from(l.oof.gbrt)).toEqual([7, 8]);
    expect(Array.from(l.ins.linear)).toEqual([9, 10]);
    const c = d.canonical("grid16", "X5", 2);
    expect([c.rows, c.dim, Array.from(c.data)]).toEqual([2, 2, [4, 5, 6, 7]]);
  });
  it("names a wrong format, library or spec in one line", () => {
    expect(() => decodePolicies(encodeContainer({format: "other/1", libraries: []}, {}))).toThrow(/^invalid policies\.bin: format "other\/1" \(expected lever-policies\/1\)$/);
    const d = decodePolicies(encodePolicies(meta, [arrays]));
    expect(() => d.library("grid32")).toThrow(/^invalid library: "grid32" \(accepted: grid16\)$/);
    expect(() => d.canonical("grid16", "X10", 2)).toThrow(/^invalid spec: "X10" has no canonical states in library grid16$/);
    expect(() => encodePolicies(meta, [])).toThrow(/0 array sets for 1 libraries/);
  });
});

describe("policy tables and policy index", () => {
  it("tables: views per policy id and run, bounds checked", () => {
    const meta = {format: POLICY_TABLES_FORMAT, profile: "quick", libraries: [{key: "g", nStates: 1, policies: 2, runs: 1}]} as const;
    const bytes = encodePolicyTables({...meta, libraries: [...meta.libraries]}, [{q: f64(0, 1, 2, 3, 4, 5, 6, 7), counts: Uint32Array.from([1, 1, 1, 1, 2, 2, 2, 2]), qFinal: f64(9, 9, 9, 9)}]);
    expect(Object.keys(decodeContainer(bytes).sections)).toEqual(["g.q", "g.counts", "g.qFinal"]);
    const t = decodePolicyTables(bytes, "g");
    expect(Array.from(t.q(1))).toEqual([4, 5, 6, 7]);
    expect(Array.from(t.counts(0))).toEqual([1, 1, 1, 1]);
    expect(Array.from(t.qFinal(0))).toEqual([9, 9, 9, 9]);
    expect(() => t.q(2)).toThrow(/^invalid policy id: 2 \(library g has 2\)$/);
    expect(() => decodePolicyTables(bytes, "h")).toThrow(/^invalid library: "h" is not in this tables file \(has: g\)$/);
  });
  it("index: text and pi2vec bytes with the z-score parameters", () => {
    const lib = {key: "g", count: 1, textDim: 2, pi2vecDim: 2, seconds: 0, entries: [{name: "X1_path_0000_20", spec: "X1", reward: "path", seed: "0000", label: "20"}]};
    const bytes = encodePolicyIndex({format: POLICY_INDEX_FORMAT, profile: "quick", params: {}, libraries: [lib]}, [
      {text: Uint8Array.from([1, 2]), pi2vec: Uint8Array.from([3]), zMean: f64(0.5), zStd: f64(2)},
    ]);
    expect(Object.keys(decodeContainer(bytes).sections)).toEqual(["g.text", "g.pi2vec", "g.zMean", "g.zStd"]);
    const l = decodePolicyIndex(bytes).library("g");
    expect([Array.from(l.text), Array.from(l.pi2vec), l.zStd[0], l.entries[0].seed]).toEqual([[1, 2], [3], 2, "0000"]);
  });
});

describe("library embedding (cache)", () => {
  it("round-trips every embedding set and canonical matrix", () => {
    const e: LibraryEmbedding = {
      policies: [],
      dim: 2,
      method: "lstd",
      rule: "v3",
      seconds: 1.5,
      embeddings: {base: f32(1, 2), pair: f32(3, 4)},
      canonical: {X1: {base: {data: f32(5, 6, 7, 8), rows: 2, dim: 2}}},
    };
    const d = decodeLibraryEmbedding(encodeLibraryEmbedding(e));
    expect(Object.keys(decodeContainer(encodeLibraryEmbedding(e)).sections)).toEqual(["emb|base", "emb|pair", "canon|X1|base"]);
    expect({...d, embeddings: {}, canonical: {}}).toEqual({...e, embeddings: {}, canonical: {}});
    expect(Array.from(d.embeddings.pair)).toEqual([3, 4]);
    expect(d.canonical.X1.base.rows).toBe(2);
  });
});
