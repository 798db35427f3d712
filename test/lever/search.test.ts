// The "Search and compose" pipeline (lib/lever/search.ts): retrieval, combination planning (§7.4),
// composition + LSTD scoring (§7.3), and the page helpers.
import {describe, expect, it} from "vitest";
import {_exNonZero, _qsum, _rolloutComposed} from "../../lib/lever/compose/compose.js";
import {episodeFeatures, transitionsFrom} from "../../lib/lever/pi2vec/features.js";
import {GridWorld} from "../../lib/lever/env/gridworld.js";
import {sampleLayout} from "../../lib/lever/env/layout.js";
import {Rng} from "../../lib/core/rng.js";
import {candidatesOf, cartesian, exNonZeroCached, linearPredictor, parseStrategy, planCombinations, retrieveCandidates, runStrategy, scoreActions, seedKey, standardize, type Candidate, type ComposeContext} from "../../lib/lever/search.js";
import {canonicalMean, embedLstd, lstd, lstdEmbedding} from "../../lib/lever/pi2vec/successor.js";
import {EMBED_DIM, POLICY_DESCRIPTIONS, embedText} from "../../lib/lever/retrieval/text-embed.js";

const C16 = {golds: 50, blocks: 25, hazards: 30};
const cand = (id: number, subQuery: number, predicted: number): Candidate => ({id, subQuery, score: 0.9, predicted});

describe("parseStrategy(value)", () => {
  it("accepts the three strategies and names them on error", () => {
    expect(parseStrategy("hybrid")).toBe("hybrid");
    expect(() => parseStrategy("greedy")).toThrow(/^invalid strategy: "greedy" \(accepted: targeted, exhaustive, hybrid\)$/);
  });
});

describe("cartesian(lists)", () => {
  it("varies the last list fastest (itertools.product order)", () => {
    expect(cartesian<number | string>([[1, 2], ["a", "b"]])).toEqual([[1, "a"], [1, "b"], [2, "a"], [2, "b"]]);
    expect(cartesian([])).toEqual([[]]);
    expect(cartesian([[1], []])).toEqual([]);
  });
});

describe("planCombinations(candidates, strategy, k) (spec §7.4)", () => {
  const lists = [
    [cand(0, 0, 10), cand(1, 0, 30), cand(2, 0, 20)],
    [cand(3, 1, 5), cand(1, 1, 30), cand(4, 1, 50)],
  ];
  it("targeted pools all sub-queries, drops repeats and composes the top 2 by prediction", () => {
    const [combo] = planCombinations(lists, "targeted");
    expect(combo.map((c) => c.id)).toEqual([4, 1]);
    expect(planCombinations(lists, "targeted")).toHaveLength(1);
  });
  it("exhaustive is the full product; hybrid the product of each list's top-k", () => {
    expect(planCombinations(lists, "exhaustive")).toHaveLength(9);
    const hybrid = planCombinations(lists, "hybrid", 2);
    expect(hybrid.map((c) => c.map((x) => x.id))).toEqual([[1, 4], [1, 1], [2, 4], [2, 1]]);
    expect(planCombinations(lists, "hybrid", 5)).toHaveLength(9);
  });
  it("skips sub-queries without candidates and returns nothing when none has any", () => {
    expect(planCombinations([lists[0], []], "exhaustive")).toHaveLength(3);
    expect(planCombinations([[], []], "hybrid")).toEqual([]);
    expect(() => planCombinations(lists, "hybrid", 0)).toThrow(/invalid k: 0/);
  });
});

describe("lstdEmbedding(transitions, canonicalMean(canonical)) (lib/lever/pi2vec/successor.ts)", () => {
  it("equals embedLstd(lstd(transitions), canonical) on recorded paths", () => {
    const layout = sampleLayout(16, 0, C16);
    const env = new GridWorld(layout, "path-gold");
    const rng = new Rng(7);
    const canonical = episodeFeatures(env, Array.from({length: 12}, () => rng.int(2)));
    for (let trial = 0; trial < 3; trial++) {
      env.reset();
      const actions: number[] = [];
      while (!env.done && actions.length < 40) {
        const a = rng.int(4);
        actions.push(a);
        env.step(a);
      }
      const tr = transitionsFrom(episodeFeatures(env, actions));
      const fast = lstdEmbedding(tr, canonicalMean(canonical));
      const slow = embedLstd(lstd(tr), canonical);
      const scale = Math.max(...Array.from(slow, Math.abs));
      for (let k = 0; k < fast.length; k++) expect(Math.abs(fast[k] - slow[k]) / scale).toBeLessThan(1e-5);
    }
  });
  it("rejects empty transitions and mismatched canonical states", () => {
    expect(() => lstdEmbedding({s: new Float32Array(0), next: new Float32Array(0), n: 0, dim: 70}, new Float64Array(70))).toThrow(/none to fit/);
    expect(() => lstdEmbedding({s: new Float32Array(70), next: new Float32Array(70), n: 1, dim: 70}, new Float64Array(10))).toThrow(/invalid canonical mean/);
    expect(() => canonicalMean({data: new Float32Array(10), rows: 1, dim: 70})).toThrow(/invalid canonical states/);
  });
});

describe("runStrategy(ctx, combinations, strategy) (spec §7.3)", () => {
  const layout = sampleLayout(16, 1, C16);
  const env = new GridWorld(layout, "path-gold");
  const rng = new Rng(3);
  const tables = Array.from({length: 4}, () => Float64Array.from({length: 256 * 4}, () => rng.normal()));
  const canonical = episodeFeatures(env, [0, 1, 0, 1, 1]);
  const ctx = (predict: (e: ArrayLike<number>) => number, method: ComposeContext["method"] = "qsum"): ComposeContext => ({
    env,
    method,
    q: (id) => tables[id],
    counts: () => new Uint32Array(256 * 4),
    canonical,
    predict,
  });
  const lists = [[cand(0, 0, 1), cand(1, 0, 2)], [cand(2, 1, 3), cand(3, 1, 4)]];

  it("composes every combination with the real env reward and keeps the first maximum of the prediction", () => {
    const combos = planCombinations(lists, "exhaustive");
    const r = runStrategy(ctx(() => 1), combos, "exhaustive");
    expect(r.evaluated).toHaveLength(4);
    expect(r.best).toBe(0); // all predictions tie: the first combination wins (strict >)
    const roll = _rolloutComposed(env, _qsum([tables[0], tables[2]]));
    expect(r.evaluated[0].reward).toBe(roll.reward);
    expect(r.evaluated[0].path).toEqual(roll.path);
    expect(r.uniquePaths).toBeLessThanOrEqual(4);
  });

  it("scores with the SF embedding of the composed path (§7.3) and picks the best prediction", () => {
    const predict = (e: ArrayLike<number>) => e[0] - e[1];
    const combos = planCombinations(lists, "exhaustive");
    const r = runStrategy(ctx(predict), combos, "exhaustive");
    const preds = r.evaluated.map((c) => c.predicted);
    expect(r.best).toBe(preds.indexOf(Math.max(...preds)));
    expect(preds[0]).toBeCloseTo(scoreActions(ctx(predict), r.evaluated[0].actions).predicted, 9);
  });

  it("targeted composes its single combination without SF scoring", () => {
    const r = runStrategy(ctx(() => 0), planCombinations(lists, "targeted"), "targeted");
    expect(r.evaluated).toHaveLength(1);
    expect(r.best).toBe(0);
    expect(r.evaluated[0].ids).toEqual([3, 2]);
    expect(Number.isNaN(r.evaluated[0].predicted)).toBe(true);
  });

  it("exnonzero with empty visit graphs finds no path and scores −∞", () => {
    const r = runStrategy(ctx(() => 0, "exnonzero"), [[cand(0, 0, 0)]], "exhaustive");
    expect(r.evaluated[0].found).toBe(false);
    expect(r.evaluated[0].predicted).toBe(-Infinity);
  });
});

describe("retrieveCandidates(index, exact, entries, subQueries, options) (spec §4)", () => {
  const rewards = ["path", "gold", "lever"] as const;
  const entries = rewards.flatMap((r) => [0, 1].flatMap((seed) => [0, 1, 2].map(() => ({seed: seedKey(seed), reward: r}))));
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

describe("standardize(data, n, d) and linearPredictor(coef, intercept)", () => {
  it("z-scores columns and maps constant columns to 0", () => {
    const {data, mean, std} = standardize([1, 5, 3, 5, 5, 5], 3, 2);
    expect(Array.from(mean)).toEqual([3, 5]);
    expect(std[1]).toBe(0);
    expect(Array.from(data).map((x) => Math.round(x * 1000) / 1000)).toEqual([-1.225, 0, 0, 0, 1.225, 0]);
    expect(() => standardize([1, 2, 3], 2, 2)).toThrow(/invalid matrix: 3 values for 2×2/);
  });
  it("predicts intercept + coef·x and checks the length", () => {
    const f = linearPredictor([1, 2], 0.5);
    expect(f([3, 4])).toBe(11.5);
    expect(() => f([1])).toThrow(/invalid embedding length: 1 \(expected 2\)/);
  });
});

describe("exNonZeroCached(env, countsList, cache)", () => {
  it("gives _exNonZero's result with the faithful options, cache or not", () => {
    const env = new GridWorld(sampleLayout(16, 2, C16), "path-gold-hazard-lever", {goldPenalty: "legacy"});
    const rng = new Rng(11);
    const randomCounts = (p: number) => Uint32Array.from(env.next, (t) => (t >= 0 && rng.next() < p ? 1 + rng.int(50) : 0));
    const cache = new Map<string, number[]>();
    const sets = Array.from({length: 6}, (_, i) => [randomCounts(0.9), randomCounts(i < 3 ? 0.95 : 0.5)]);
    for (const counts of [...sets, ...sets]) {
      const ref = _exNonZero(env, counts, {prune: true, statefulBounds: true, lowerMin: "all", alpha: 0.1, gamma: 0.99});
      for (const got of [exNonZeroCached(env, counts, cache), exNonZeroCached(env, counts)]) {
        expect(got.found).toBe(ref.found);
        expect(Array.from(got.actions)).toEqual(Array.from(ref.actions));
        expect(got.path).toEqual(ref.path);
        if (ref.found) expect(got.reward).toBe(ref.reward);
        else expect(Number.isNaN(got.reward)).toBe(true);
      }
    }
    expect(cache.size).toBeLessThanOrEqual(6);
  });
});
