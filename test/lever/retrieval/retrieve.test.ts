// Retrieval as the Search page runs it (lib/lever/retrieval/retrieve.ts): search within the seed,
// strict threshold, recall against exact search, and ranked candidates.
import {describe, expect, it} from "vitest";
import {seed4} from "../../../lib/lever/library/runs.js";
import {candidatesOf, retrieveCandidates} from "../../../lib/lever/retrieval/retrieve.js";
import {EMBED_DIM, POLICY_DESCRIPTIONS, embedText} from "../../../lib/lever/retrieval/text-embed.js";

describe("retrieveCandidates(index, exact, entries, subQueries, options) (spec §4)", () => {
  const rewards = ["path", "gold", "lever"] as const;
  const entries = rewards.flatMap((r) => [0, 1].flatMap((seed) => [0, 1, 2].map(() => ({seed: seed4(seed), reward: r}))));
  const vectors = new Float32Array(entries.length * EMBED_DIM);
  entries.forEach((e, i) => vectors.set(embedText(POLICY_DESCRIPTIONS[e.reward]), i * EMBED_DIM));
  const flat = {vectors, dim: EMBED_DIM};

  it("searches within the seed, thresholds strictly and reports recall against exact search", () => {
    const [r] = retrieveCandidates(flat, flat, entries, [POLICY_DESCRIPTIONS.gold], {seed: 1});
    expect(r.recall).toBe(1);
    expect(r.hits.map((h) => entries[h.id].reward).slice(0, 3)).toEqual(["gold", "gold", "gold"]);
    expect(r.hits.every((h) => entries[h.id].seed === "0001" && h.score > 0.7)).toBe(true);
    expect(r.hits.map((h) => h.rank)).toEqual(r.hits.map((_, i) => i));
    expect(r.hits).toEqual(r.exact);
  });

  it("feeds candidates with library predictions", () => {
    const retrieval = retrieveCandidates(flat, flat, entries, [POLICY_DESCRIPTIONS.path, POLICY_DESCRIPTIONS.lever], {seed: 0});
    const c = candidatesOf(retrieval, (id) => id * 10);
    expect(c[0][0]).toMatchObject({subQuery: 0, predicted: c[0][0].id * 10});
    expect(c[1].every((x) => entries[x.id].seed === "0000")).toBe(true);
  });
});
