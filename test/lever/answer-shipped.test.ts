// Layouts the build computed load instead of training (issue 11 §1): src/data/library-<key>-<seed>.bin
// (runtime/library.ts `libraryRunsOf`, lib/lever/artefacts.ts `encodeLibraryRuns`/`decodeLibraryRuns`)
// gives answer() the same numbers as training, with librarySource "build"; runs that differ from the
// plan in any parameter, or a missing run, mean the library is trained. Through the Worker's protocol
// too (lib/lever/answer-service.ts with a `library` URL).
import {beforeAll, describe, expect, it} from "vitest";
import {answer, AnswerCancelled, answerNumbers, LOADING_LABEL, type Answer, type AnswerProgress} from "../../lib/lever/answer.js";
import {createAnswerService, type AnswerReply} from "../../lib/lever/answer-service.js";
import {decodeLibraryRuns, encodeLibraryRuns} from "../../lib/lever/artefacts.js";
import {parseSpecs, parseSpecSet} from "../../lib/lever/env/layout.js";
import {REWARD_SYSTEMS} from "../../lib/lever/env/rewards.js";
import type {Run} from "../../lib/lever/library/runs.js";
import {buildLibrary} from "../../runtime/library-build.js";
import {libraryRunsOf} from "../../runtime/library.js";
import {tempDir} from "./experiment/helpers.js";

// An 8×8 [v3] library (fast to train); the mechanism is the same for the shipped grid16 and grid32.
const GRID8 = parseSpecSet("grid8");
const SEED = 11;
const P = {size: 8, seed: SEED, spec: "X1", query: "collect gold and pull the lever", strategy: "exhaustive" as const};
let file: Uint8Array;
let trained: Answer;

beforeAll(async () => {
  process.env.LEVER_CACHE_DIR = tempDir("shipped-cache");
  const dir = tempDir("shipped-lib");
  // Two seeds in the library: the file holds only the one asked for.
  const manifest = await buildLibrary({specSet: GRID8, specs: parseSpecs("X1", GRID8), seeds: [SEED, SEED + 1], rewards: [...REWARD_SYSTEMS], out: dir, workers: 2});
  file = libraryRunsOf(dir, manifest, SEED, "test");
  trained = await answer(P);
}, 240_000);

describe("library-<key>-<seed>.bin", () => {
  it("holds every run of that seed, in library order, decoded with decodeRun", () => {
    const {meta, runs} = decodeLibraryRuns(file);
    expect(meta).toMatchObject({format: "lever-library-runs/1", specSet: "grid8", seed: SEED, specs: ["X1"]});
    expect(meta.runs).toEqual(REWARD_SYSTEMS.map((r) => `grid8/X1_${r}_00${SEED}`));
    expect([...runs.values()].every((r) => r.meta.seed === SEED && r.qFinal.length === 64 * 4 && r.actions.length > 0)).toBe(true);
    expect(() => encodeLibraryRuns({...meta, runs: ["nope"]}, {})).toThrow('invalid library runs: no bytes for run "nope"');
  });
});

describe("answer with the build's runs", () => {
  it("loads instead of training: the same numbers, librarySource build, a loading label", async () => {
    const seen: AnswerProgress[] = [];
    const a = await answer(P, {shipped: decodeLibraryRuns(file).runs, onProgress: (p) => void seen.push(p)});
    expect(a.librarySource).toBe("build");
    expect(trained.librarySource).toBe("trained");
    expect(JSON.stringify(answerNumbers(a))).toBe(JSON.stringify(answerNumbers(trained)));
    const library = seen.filter((p) => p.stage === "library");
    expect(library.map((p) => [p.done, p.total, p.label])).toEqual([
      [0, 8, LOADING_LABEL],
      [8, 8, LOADING_LABEL],
    ]);
  }, 60_000);

  it("trains when a run differs from the plan in any parameter, or is missing", async () => {
    const runs = decodeLibraryRuns(file).runs;
    const [id, first] = [...runs.entries()][0];
    const altered = new Map<string, Run>(runs);
    altered.set(id, {...first, meta: {...first.meta, epsDecay: first.meta.epsDecay + 1e-9}});
    const a = await answer({...P, strategy: "targeted"}, {shipped: altered});
    expect(a.librarySource).toBe("trained");
    const missing = new Map(runs);
    missing.delete(id);
    const b = await answer({...P, strategy: "targeted"}, {shipped: missing});
    expect(b.librarySource).toBe("trained");
    // A budget the file does not hold: trained (the first progress says so; cancelled there).
    const labels: (string | undefined)[] = [];
    const c = answer(
      {...P, strategy: "targeted", spec: "X1,X5"},
      {
        shipped: runs,
        onProgress: (p) => {
          labels.push(p.label);
          return false;
        },
      },
    );
    await expect(c).rejects.toThrow(AnswerCancelled);
    expect(labels).toEqual([undefined]);
  }, 60_000);
});

describe("the Worker's protocol with a library URL", () => {
  it("fetches and decodes the file once, answers from it; an unreadable file means training", async () => {
    const replies: AnswerReply[] = [];
    const fetched: string[] = [];
    const svc = createAnswerService((r) => void replies.push(r), {
      fetchBytes: async (url) => {
        fetched.push(url);
        if (url.endsWith("missing.bin")) throw new Error("HTTP 404");
        return file.slice().buffer;
      },
    });
    svc.handle({type: "run", id: 1, params: P, library: "http://x/library-grid8-11.bin"});
    await svc.idle();
    svc.handle({type: "run", id: 2, params: {...P, query: "avoid hazards and collect gold"}, library: "http://x/library-grid8-11.bin"});
    await svc.idle();
    svc.handle({type: "run", id: 3, params: {...P, seed: SEED + 2, strategy: "targeted"}, library: "http://x/missing.bin"});
    await svc.idle();
    expect(replies.filter((r) => r.type !== "progress").map((r) => [r.type, r.id, (r as {message?: string}).message])).toEqual([
      ["result", 1, undefined],
      ["result", 2, undefined],
      ["result", 3, undefined],
    ]);
    const result = (id: number) => (replies.find((r) => r.type === "result" && r.id === id) as {answer: Answer}).answer;
    expect(result(1).librarySource).toBe("build");
    expect(JSON.stringify(answerNumbers(result(1)))).toBe(JSON.stringify(answerNumbers(trained)));
    expect(replies.find((r) => r.id === 1 && r.type === "progress")).toMatchObject({stage: "library", label: LOADING_LABEL});
    expect(result(2).cachedLibrary).toBe(true);
    expect(fetched).toEqual(["http://x/library-grid8-11.bin", "http://x/missing.bin"]);
    expect(result(3).librarySource).toBe("trained");
  }, 120_000);
});
