// Tests that kill the mutants StrykerJS left alive in lib/lever/retrieval/retrieve.ts (`npm run mutate -- --mutate
// lib/lever/retrieval/retrieve.ts`): seed validation, recall when the index and the exact search disagree, the
// strict threshold, and the two timings.
import {describe, expect, it} from "vitest";
import {seed4} from "../../../lib/lever/library/runs.js";
import {retrieveCandidates} from "../../../lib/lever/retrieval/retrieve.js";
import {EMBED_DIM, POLICY_DESCRIPTIONS, embedText} from "../../../lib/lever/retrieval/text-embed.js";

// Seed 1 holds three copies each of path, gold and lever policies (ids 0–8 in that order), seed 0 one of each.
const rewards = ["path", "gold", "lever"] as const;
const entries = [...rewards.flatMap((reward) => [0, 1, 2].map(() => ({seed: seed4(1), reward}))), ...rewards.map((reward) => ({seed: seed4(0), reward}))];
function vectorsOf(descriptions: readonly string[]) {
  const vectors = new Float32Array(descriptions.length * EMBED_DIM);
  descriptions.forEach((d, i) => vectors.set(embedText(d), i * EMBED_DIM));
  return {vectors, dim: EMBED_DIM};
}
const exact = vectorsOf(entries.map((e) => POLICY_DESCRIPTIONS[e.reward]));
const gold = POLICY_DESCRIPTIONS.gold;

describe("retrieveCandidates: the seed, recall, the strict threshold, the timings", () => {
  it("rejects a negative or fractional seed with a one-line RangeError", () => {
    expect(() => retrieveCandidates(exact, exact, entries, [gold], {seed: -1})).toThrow(/^invalid seed: -1$/);
    expect(() => retrieveCandidates(exact, exact, entries, [gold], {seed: 1.5})).toThrow(/^invalid seed: 1.5$/);
  });

  it("recall = |index top-k ∩ exact top-k| / |exact top-k|: an index that swapped one gold and one lever vector finds 2 of 3", () => {
    // The index stores lever's description at id 3 (a gold policy) and gold's at id 6 (a lever policy).
    const swapped = vectorsOf(entries.map((e, i) => POLICY_DESCRIPTIONS[i === 3 ? "lever" : i === 6 ? "gold" : e.reward]));
    const [r] = retrieveCandidates(swapped, exact, entries, [gold], {seed: 1, k: 3, threshold: -1});
    expect(r.exact.map((h) => h.id).sort()).toEqual([3, 4, 5]);
    expect(r.hits.map((h) => h.id).sort()).toEqual([4, 5, 6]);
    expect(r.recall).toBe(2 / 3);
  });

  it("keeps only cosine strictly above the threshold: a threshold equal to the best score drops every copy with it", () => {
    const [all] = retrieveCandidates(exact, exact, entries, [gold], {seed: 1, threshold: -1});
    const best = all.hits[0].score;
    expect(all.hits.filter((h) => h.score === best).length).toBeGreaterThanOrEqual(3);
    const [r] = retrieveCandidates(exact, exact, entries, [gold], {seed: 1, threshold: best});
    expect(r.hits.every((h) => h.score < best)).toBe(true);
    expect(r.hits.length).toBe(all.hits.filter((h) => h.score > best).length);
    expect(r.exact).toEqual(r.hits);
  });

  it("times the index search and the exact search as differences of the clock (each within the call's wall time)", () => {
    const before = performance.now();
    const [r] = retrieveCandidates(exact, exact, entries, [gold], {seed: 1});
    const wall = performance.now() - before;
    expect(r.ms).toBeGreaterThanOrEqual(0);
    expect(r.exactMs).toBeGreaterThanOrEqual(0);
    expect(r.ms + r.exactMs).toBeLessThanOrEqual(wall);
  });
});
