// The strategy module (lib/lever/compose/strategy.ts): combination planning (§7.4) with the faithful
// defaults and the named variants, composition, and scoring through the injected §7.3 scorer.
import {describe, expect, it} from "vitest";
import {_qsum, _rolloutComposed} from "../../../lib/lever/compose/qsum.js";
import {scorePath, type ScoreContext} from "../../../lib/lever/compose/score.js";
import {cartesian, parseStrategy, planCombinations, runStrategy, type ComposeSource} from "../../../lib/lever/compose/strategy.js";
import {episodeFeatures, transitionsFrom} from "../../../lib/lever/pi2vec/features.js";
import {GridWorld} from "../../../lib/lever/env/gridworld.js";
import {sampleLayout} from "../../../lib/lever/env/layout.js";
import {Rng} from "../../../lib/core/rng.js";
import {canonicalMean, lstdEmbedding} from "../../../lib/lever/pi2vec/sf-lstd.js";
import type {Candidate} from "../../../lib/lever/retrieval/retrieve.js";
import {C16} from "../fixtures.js";

const cand = (id: number, subQuery: number, predicted: number): Candidate => ({id, subQuery, score: 0.9, predicted});

describe("parseStrategy(value)", () => {
  it("accepts the three strategies and names them on error", () => {
    expect(parseStrategy("hybrid")).toBe("hybrid");
    expect(() => parseStrategy("greedy")).toThrow(/^invalid strategy: "greedy" \(accepted: targeted, exhaustive, hybrid\)$/);
  });
});

describe("cartesian(lists)", () => {
  it("varies the last list fastest (itertools.product order)", () => {
    expect(
      cartesian<number | string>([
        [1, 2],
        ["a", "b"],
      ]),
    ).toEqual([
      [1, "a"],
      [1, "b"],
      [2, "a"],
      [2, "b"],
    ]);
    expect(cartesian([])).toEqual([[]]);
    expect(cartesian([[1], []])).toEqual([]);
  });
});

describe("planCombinations(candidates, strategy, options) (spec §7.4)", () => {
  const lists = [
    [cand(0, 0, 10), cand(1, 0, 30), cand(2, 0, 20)],
    [cand(3, 1, 5), cand(1, 1, 30), cand(4, 1, 50)],
  ];
  it("targeted [main] pools all sub-queries and composes the top 2 by prediction (ties keep retrieval order)", () => {
    const [combo] = planCombinations(lists, "targeted");
    expect(combo.map((c) => c.id)).toEqual([4, 1]);
    expect(planCombinations(lists, "targeted")).toHaveLength(1);
  });
  it("faithful targeted can compose a policy with itself; dedupeTargeted (the page's former rule) drops the repeat", () => {
    const twice = [
      [cand(1, 0, 60), cand(0, 0, 10)],
      [cand(1, 1, 60), cand(2, 1, 20)],
    ];
    expect(planCombinations(twice, "targeted")[0].map((c) => c.id)).toEqual([1, 1]);
    expect(planCombinations(twice, "targeted", {dedupeTargeted: true})[0].map((c) => c.id)).toEqual([1, 2]);
  });
  it("targeted [main] with a single retrieved candidate: no result (the reference's); targetedSingle composes it alone", () => {
    const one = [[cand(7, 0, 3)], []];
    expect(planCombinations(one, "targeted")).toEqual([]);
    expect(planCombinations(one, "targeted", {targetedSingle: true}).map((c) => c.map((x) => x.id))).toEqual([[7]]);
    expect(planCombinations([[cand(7, 0, 3), cand(8, 0, 1)]], "targeted")[0].map((c) => c.id)).toEqual([7, 8]); // two in one list: composed
  });
  it("targeted [v3] takes the best of each sub-query, skipping empty ones", () => {
    expect(planCombinations([...lists, []], "targeted", {rule: "v3"})[0].map((c) => c.id)).toEqual([1, 4]);
    expect(planCombinations([[], []], "targeted")).toEqual([]);
  });
  it("exhaustive is the full product; hybrid the product of each list's top-k", () => {
    expect(planCombinations(lists, "exhaustive")).toHaveLength(9);
    const hybrid = planCombinations(lists, "hybrid", {hybridTopK: 2});
    expect(hybrid.map((c) => c.map((x) => x.id))).toEqual([
      [1, 4],
      [1, 1],
      [2, 4],
      [2, 1],
    ]);
    expect(planCombinations(lists, "hybrid", {hybridTopK: 5})).toHaveLength(9);
    expect(planCombinations(lists, "hybrid")).toHaveLength(9); // k = 3 by default
  });
  it("an empty sub-query empties the products (faithful); skipEmpty composes the others", () => {
    expect(planCombinations([lists[0], []], "exhaustive")).toEqual([]);
    expect(planCombinations([lists[0], []], "hybrid")).toEqual([]);
    expect(planCombinations([lists[0], []], "exhaustive", {skipEmpty: true})).toHaveLength(3);
    expect(planCombinations([[], []], "hybrid", {skipEmpty: true})).toEqual([]);
    expect(planCombinations([], "exhaustive")).toEqual([]);
  });
  it("rejects bad options in one line", () => {
    expect(() => planCombinations(lists, "hybrid", {hybridTopK: 0})).toThrow(/^invalid hybrid top-k: 0 \(expected a positive integer\)$/);
    expect(() => planCombinations(lists, "targeted", {rule: "v9" as never})).toThrow(/^invalid policy rule: "v9" \(accepted: main, v3\)$/);
    expect(() => planCombinations(lists, "greedy" as never)).toThrow(/^invalid strategy/);
  });
});

describe("runStrategy(source, combinations, strategy, {score}) (spec §7.3)", () => {
  const layout = sampleLayout(16, 1, C16);
  const env = new GridWorld(layout, "path-gold");
  const rng = new Rng(3);
  const tables = Array.from({length: 4}, () => Float64Array.from({length: 256 * 4}, () => rng.normal()));
  const canonical = episodeFeatures(env, [0, 1, 0, 1, 1]);
  const source = (method: ComposeSource["method"] = "qsum"): ComposeSource => ({env, method, q: (id) => tables[id], counts: () => new Uint32Array(256 * 4)});
  const scoreCtx = (predict: (e: ArrayLike<number>) => number): ScoreContext => ({env, canonical, cbar: canonicalMean(canonical), regressor: {predict}, seedParts: []});
  const lstdScore =
    (predict: (e: ArrayLike<number>) => number, hazardSteps = false) =>
    (a: Uint8Array) =>
      scorePath(scoreCtx(predict), a, {sf: "lstd", seed: 0, hazardSteps});
  const lists = [
    [cand(0, 0, 1), cand(1, 0, 2)],
    [cand(2, 1, 3), cand(3, 1, 4)],
  ];

  it("composes every combination with the real env reward and keeps the first maximum of the prediction", () => {
    const combos = planCombinations(lists, "exhaustive");
    const r = runStrategy(source(), combos, "exhaustive", {score: () => 1});
    expect(r.evaluated).toHaveLength(4);
    expect(r.best).toBe(0); // all predictions tie: the first combination wins (strict >)
    const roll = _rolloutComposed(env, _qsum([tables[0], tables[2]]));
    expect(r.evaluated[0].reward).toBe(roll.reward);
    expect(r.evaluated[0].path).toEqual(roll.path);
    expect(r.scored).toBeLessThanOrEqual(4);
  });

  it("scores each distinct path once (memoScores) or every combination", () => {
    const combos = [...planCombinations(lists, "exhaustive"), ...planCombinations(lists, "exhaustive")];
    let calls = 0;
    const counting = (a: Uint8Array) => (calls++, a.length);
    const memo = runStrategy(source(), combos, "exhaustive", {score: counting});
    const distinct = new Set(memo.evaluated.map((c) => c.actions.join(""))).size;
    expect(memo.scored).toBe(distinct);
    expect(calls).toBe(distinct);
    calls = 0;
    const all = runStrategy(source(), combos, "exhaustive", {score: counting, memoScores: false});
    expect(all.scored).toBe(8);
    expect(calls).toBe(8);
    expect(all.evaluated.map((c) => c.predicted)).toEqual(memo.evaluated.map((c) => c.predicted));
  });

  it("scores with the LSTD SF embedding of the composed path (§7.3) and picks the best prediction", () => {
    const predict = (e: ArrayLike<number>) => e[0] - e[1];
    const combos = planCombinations(lists, "exhaustive");
    const r = runStrategy(source(), combos, "exhaustive", {score: lstdScore(predict, true)});
    const preds = r.evaluated.map((c) => c.predicted);
    expect(r.best).toBe(preds.indexOf(Math.max(...preds)));
    // hazardSteps: true is the page's former scoring: featurize as the library does, then LSTD.
    const direct = predict(lstdEmbedding(transitionsFrom(episodeFeatures(env, r.evaluated[0].actions)), canonicalMean(canonical)));
    expect(preds[0]).toBeCloseTo(direct, 9);
  });

  it("targeted composes its single combination without SF scoring", () => {
    const r = runStrategy(source(), planCombinations(lists, "targeted"), "targeted", {
      score: () => {
        throw new Error("targeted must not score");
      },
    });
    expect(r.evaluated).toHaveLength(1);
    expect(r.best).toBe(0);
    expect(r.evaluated[0].combination.map((c) => c.id)).toEqual([3, 2]);
    expect(Number.isNaN(r.evaluated[0].predicted)).toBe(true);
  });

  it("exnonzero with empty visit graphs finds no path and scores −∞; nothing planned chooses nothing", () => {
    const r = runStrategy(source("exnonzero"), [[cand(0, 0, 0)]], "exhaustive", {score: lstdScore(() => 0)});
    expect(r.evaluated[0].found).toBe(false);
    expect(r.evaluated[0].predicted).toBe(-Infinity);
    expect(runStrategy(source(), [], "hybrid", {score: () => 0}).best).toBe(-1);
    expect(() => runStrategy(source(), [], "hybrid", {} as never)).toThrow(/^invalid scorer/);
  });

  it("a −∞ or NaN score is never chosen, the first one included (the reference's strict > from −∞); acceptUnscored takes the first", () => {
    const combos = planCombinations(lists, "exhaustive");
    const scores = [NaN, -Infinity, 2, 5];
    let i = 0;
    const seq = () => scores[i++ % 4];
    const r = runStrategy(source(), combos, "exhaustive", {score: seq, memoScores: false});
    expect(r.best).toBe(3);
    i = 0;
    expect(runStrategy(source(), combos.slice(0, 2), "exhaustive", {score: seq, memoScores: false}).best).toBe(-1); // all unscored: no result
    i = 1;
    expect(runStrategy(source(), combos, "exhaustive", {score: seq, memoScores: false}).best).toBe(2); // −∞ first is skipped; the maximum, 5, is the third
    i = 0;
    expect(runStrategy(source(), combos.slice(0, 2), "exhaustive", {score: seq, memoScores: false, acceptUnscored: true}).best).toBe(0);
  });

  it("memoPlanning gives the same exnonzero paths and rewards", () => {
    const env2 = new GridWorld(sampleLayout(16, 2, C16), "path-gold-hazard-lever", {goldPenalty: "legacy"});
    const r2 = new Rng(5);
    const counts = Array.from({length: 4}, (_, i) => Uint32Array.from(env2.next, (t) => (t >= 0 && r2.next() < (i < 2 ? 0.95 : 0.6) ? 1 + r2.int(40) : 0)));
    const src: ComposeSource = {env: env2, method: "exnonzero", q: () => new Float64Array(0), counts: (id) => counts[id]};
    const combos = planCombinations(lists, "exhaustive");
    const a = runStrategy(src, combos, "exhaustive", {score: (x) => x.length});
    const b = runStrategy(src, combos, "exhaustive", {score: (x) => x.length, memoPlanning: true});
    expect(b.evaluated.map((c) => [c.reward, Array.from(c.actions)])).toEqual(a.evaluated.map((c) => [c.reward, Array.from(c.actions)]));
    expect(b.best).toBe(a.best);
  });
});
