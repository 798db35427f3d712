// lib/lever/answer.ts and `lever answer` (issue 11): one answer for any layout equals the experiment's
// row for that layout (a library of that seed and budget: `lever library --seeds S --specs X1`, then
// `lever experiment --library DIR --seeds S --specs X1`), stage by stage through the same functions;
// progress, cancellation and errors.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {parseCsv} from "../../lib/core/csv.js";
import {answer, AnswerCancelled, answerNumbers, resolveAnswerParams, type Answer, type AnswerProgress} from "../../lib/lever/answer.js";
import {customSpec, parseSpecs, parseSpecSet} from "../../lib/lever/env/layout.js";
import {REWARD_SYSTEMS} from "../../lib/lever/env/rewards.js";
import {REFERENCE_QUERIES} from "../../lib/lever/retrieval/decompose.js";
import {runExperimentNode} from "../../runtime/experiment.js";
import {loadHnswlibNode} from "../../runtime/hnsw-node.js";
import {buildLibrary} from "../../runtime/library-build.js";
import {lever} from "../cli/helpers.js";
import {tempDir} from "./experiment/helpers.js";

// A seed the build does not ship (it ships 0–4).
const SEED = 7;
const GRID16 = parseSpecSet("grid16");
let rows: Record<string, string>[];

beforeAll(async () => {
  process.env.LEVER_CACHE_DIR = tempDir("answer-cache");
  const lib = tempDir("answer-lib");
  await buildLibrary({specSet: GRID16, specs: parseSpecs("X1", GRID16), seeds: [SEED], rewards: [...REWARD_SYSTEMS], out: lib, workers: 2});
  const out = tempDir("answer-exp");
  await runExperimentNode({specSet: GRID16, specs: ["X1"], librarySpecs: parseSpecs("X1", GRID16), seeds: [SEED], modes: ["trivial"], libraryDir: lib, workers: 1, out, params: {method: "exnonzero"}});
  rows = parseCsv(readFileSync(join(out, "X1", "full_experiment_results_trivial.csv"), "utf8"));
}, 240_000);

const row = (setup: string) => rows.find((r) => r.setup === setup)!;

describe("answer(params) equals the experiment's row for the same seed and spec", () => {
  it("exhaustive Q3 (every combination): reward, chosen policies, candidates, baseline; hnswlib recall 1", async () => {
    const a = await answer({size: 16, seed: SEED, spec: "X1", query: REFERENCE_QUERIES.Q3.query, method: "exnonzero", strategy: "exhaustive"}, {hnswlib: await loadHnswlibNode()});
    const r = row(REFERENCE_QUERIES.Q3.target);
    expect(a.target).toBe(REFERENCE_QUERIES.Q3.target);
    expect(a.reward).toBe(Number(r.exhaustive_reward));
    expect(a.policies).toEqual(JSON.parse(r.exhaustive_policies));
    expect(a.combinations).toBe(Number(r.exhaustive_combinations));
    expect(a.scored).toBe(Number(r.exhaustive_sf_fits));
    expect(a.candidates.map((c) => c.length)).toEqual(JSON.parse(r.candidates));
    expect(a.scratchReward).toBe(Number(r.scratch_reward));
    expect(a.recall).toEqual(a.subQueries.map(() => 1));
    // The path is the composed rollout: it starts at the start cell and its length is the moves + 1.
    expect(a.path[0]).toEqual([0, 0]);
    expect(a.optimumReward).toBeGreaterThanOrEqual(a.reward!);
    expect(a.params.goldPenalty).toBe("legacy");
  }, 120_000);

  it("targeted Q1 and hybrid k=3 Q2 (without hnswlib: the exact search, the same hits)", async () => {
    const t = await answer({size: 16, seed: SEED, spec: "X1", query: REFERENCE_QUERIES.Q1.query, strategy: "targeted"});
    expect(t.params.method).toBe("exnonzero");
    expect(t.reward).toBe(Number(row(REFERENCE_QUERIES.Q1.target).targeted_reward));
    expect(t.policies).toEqual(JSON.parse(row(REFERENCE_QUERIES.Q1.target).targeted_policies));
    expect(t.recall).toBeNull();
    const h = await answer({size: 16, seed: SEED, spec: "X1", query: REFERENCE_QUERIES.Q2.query, strategy: "hybrid", k: 3});
    expect(h.reward).toBe(Number(row(REFERENCE_QUERIES.Q2.target).hybrid_reward));
    expect(h.policies).toEqual(JSON.parse(row(REFERENCE_QUERIES.Q2.target).hybrid_policies));
    expect(h.combinations).toBe(Number(row(REFERENCE_QUERIES.Q2.target).hybrid_combinations));
  }, 120_000);
});

describe("progress, cancellation, determinism", () => {
  it("reports every stage in order, with the library's runs one by one", async () => {
    const seen: AnswerProgress[] = [];
    const a = await answer({size: 8, seed: 11, spec: "X1", query: "collect gold", strategy: "hybrid", k: 1}, {onProgress: (p) => void seen.push(p)});
    const stages = [...new Set(seen.map((p) => p.stage))];
    expect(stages).toEqual(["library", "embedding", "regressor", "index", "retrieval", "scratch", "composition", "optimum"]);
    expect(seen.filter((p) => p.stage === "library").map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // [v3] (8×8): qsum by default, no optimum (cyclic moves), fractional penalty.
    expect(a.params).toMatchObject({specSet: "grid8", method: "qsum", goldPenalty: "fractional"});
    expect(a.optimumReward).toBeNull();
    for (const stage of stages) expect(a.timings[stage]).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it("an aborted signal or onProgress → false rejects with AnswerCancelled at that stage", async () => {
    const c = new AbortController();
    const p = answer({size: 8, seed: 3, spec: "X1", query: "collect gold"}, {onProgress: ({stage, done}) => void (stage === "library" && done === 2 && c.abort()), signal: c.signal});
    await expect(p).rejects.toThrow(AnswerCancelled);
    await expect(p).rejects.toThrow("answer cancelled during library");
    const q = answer({size: 8, seed: 3, spec: "X1", query: "collect gold"}, {onProgress: ({stage}) => stage !== "embedding"});
    await expect(q).rejects.toThrow("answer cancelled during embedding");
  }, 60_000);

  it("the same parameters give the same numbers (timings aside)", async () => {
    const run = () => answer({size: 8, seed: 5, spec: "X1", query: "reach the exit and pull the lever", method: "gpi", strategy: "exhaustive"});
    const [a, b]: Answer[] = [await run(), await run()];
    expect(JSON.stringify(answerNumbers(a))).toBe(JSON.stringify(answerNumbers(b)));
  }, 60_000);
});

describe("parameters", () => {
  it("rejects bad input with one line naming the parameter and what is accepted", () => {
    const base = {size: 16, seed: 1, spec: "X1", query: "collect gold"};
    expect(() => resolveAnswerParams({...base, size: 12})).toThrow("invalid size: 12 (accepted: 8, 16, 32)");
    expect(() => resolveAnswerParams({...base, seed: -1})).toThrow("invalid seed: -1");
    expect(() => resolveAnswerParams({...base, spec: "X2"})).toThrow('invalid spec: "X2" (accepted: X1, X5, X10)');
    expect(() => resolveAnswerParams({...base, spec: "X1,X1"})).toThrow("names a budget twice");
    expect(() => resolveAnswerParams({...base, k: 6})).toThrow("invalid k: 6");
    expect(() => resolveAnswerParams({...base, size: 8, method: "exnonzero"})).toThrow("invalid method exnonzero for size 8");
    expect(resolveAnswerParams({...base, size: 32}).goldPenalty).toBe("fractional");
  });

  it("a custom budget: E<episodes> after the named ones, X1's ε schedule stretched; bad counts refused", () => {
    const base = {size: 16, seed: 1, spec: "X1", query: "collect gold"};
    expect(resolveAnswerParams({...base, episodes: 12000})).toMatchObject({spec: "X1", episodes: 12000, specs: ["X1", "E12000"]});
    expect(resolveAnswerParams({...base, spec: "", episodes: 12000})).toMatchObject({spec: "", episodes: 12000, specs: ["E12000"]});
    expect(resolveAnswerParams(base).episodes).toBeNull();
    expect(() => resolveAnswerParams({...base, episodes: 2999})).toThrow("invalid episodes: 2999 (expected an integer from 3000 to 1000000)");
    expect(() => resolveAnswerParams({...base, episodes: 1.5})).toThrow("invalid episodes: 1.5");
    expect(() => resolveAnswerParams({...base, spec: ""})).toThrow("invalid specs: empty");
    // X1's own length gives X1's decay exactly; ε then ends where X1's ends at any length.
    expect(customSpec(GRID16, 30000)).toEqual({name: "E30000", episodes: 30000, epsDecay: 0.99995, saveEvery: 1000});
    const x1End = 0.99995 ** 30000;
    for (const n of [3000, 60000, 1_000_000]) expect(Math.abs(customSpec(GRID16, n).epsDecay ** n - x1End)).toBeLessThan(1e-9);
    expect(customSpec(parseSpecSet("grid8"), 20000).epsDecay).toBeCloseTo(0.99954 ** 0.5, 15);
  });

  it("an undecomposable query fails before any training", async () => {
    const seen: AnswerProgress[] = [];
    await expect(answer({size: 16, seed: 1, spec: "X1", query: "bake a cake"}, {onProgress: (p) => void seen.push(p)})).rejects.toThrow(RangeError);
    expect(seen).toEqual([]);
  });
});

describe("lever answer", () => {
  it("prints the answer JSON (the CLI's flags are the page's URL keys)", async () => {
    const {code, stdout, stderr} = await lever("answer", "--size", "8", "--seed", "2", "--spec", "X1", "--query", "collect gold", "--strategy", "targeted");
    expect(code).toBe(0);
    const a = JSON.parse(stdout) as Answer;
    const again = await answer({size: 8, seed: 2, spec: "X1", query: "collect gold", strategy: "targeted"}, {hnswlib: await loadHnswlibNode()});
    expect(JSON.stringify(answerNumbers(a))).toBe(JSON.stringify(answerNumbers(again)));
    expect(stderr.some((l) => l.startsWith("answer: training the library (SARSA) 8/8"))).toBe(true);
  }, 60_000);

  it("--episodes N trains a custom budget (alone or after --spec), the same answer as answer({episodes})", async () => {
    const {code, stdout} = await lever("answer", "--size", "8", "--seed", "2", "--episodes", "3000", "--query", "collect gold", "--strategy", "targeted");
    expect(code).toBe(0);
    const a = JSON.parse(stdout) as Answer;
    expect(a.params).toMatchObject({spec: "", episodes: 3000, specs: ["E3000"]});
    expect(a.candidates.flat().every((c) => c.policy.startsWith("E3000_"))).toBe(true);
    // 8 runs of 3,000 episodes: fewer steps than the X1 library (10,000 episodes each) of the same layout.
    const x1 = await answer({size: 8, seed: 2, spec: "X1", query: "collect gold", strategy: "targeted"});
    expect(a.library.runs).toBe(8);
    expect(a.library.steps).toBeLessThan(x1.library.steps);
    const again = await answer({size: 8, seed: 2, spec: "", episodes: 3000, query: "collect gold", strategy: "targeted"}, {hnswlib: await loadHnswlibNode()});
    expect(JSON.stringify(answerNumbers(a))).toBe(JSON.stringify(answerNumbers(again)));
    const both = await answer({size: 8, seed: 2, spec: "X1", episodes: 3000, query: "collect gold", strategy: "targeted"});
    expect(both.library.runs).toBe(16);
  }, 120_000);

  it("bad input: exit 2, one line, nothing on stdout", async () => {
    for (const [args, msg] of [
      [["--size", "12", "--seed", "1", "--spec", "X1", "--query", "gold"], "lever answer: invalid --size: 12 (accepted: 8, 16, 32)"],
      [["--size", "16", "--seed", "x", "--spec", "X1", "--query", "gold"], "lever answer: invalid --seed"],
      [["--size", "16", "--seed", "1", "--spec", "X1", "--query", "gold", "--strategy", "best"], "lever answer: invalid strategy"],
      [["--size", "16", "--seed", "1", "--spec", "X1"], "lever answer: missing --query"],
      [["--size", "16", "--seed", "1", "--query", "gold"], "lever answer: missing --spec (X1, X5, X10 or a list) or --episodes N (a custom budget)"],
      [["--size", "16", "--seed", "1", "--episodes", "12x", "--query", "gold"], 'lever answer: invalid --episodes: "12x" (expected an integer in 3000..1000000)'],
      [["--size", "16", "--seed", "1", "--episodes", "2000", "--query", "gold"], 'lever answer: invalid --episodes: "2000" (expected an integer in 3000..1000000)'],
    ] as const) {
      const {code, stdout, stderr} = await lever("answer", ...args);
      expect(code, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toHaveLength(1);
      expect(stderr[0].startsWith(msg), stderr[0]).toBe(true);
    }
  });
});
