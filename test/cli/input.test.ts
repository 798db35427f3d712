// Bad input through `lever` (cli/lever.ts main, in-process): bounded integers, strict numbers, repeated
// list items, echoed values cut short, --workers capped at the cores, and `optimum` on layouts it cannot
// solve. The contract: one line on stderr saying what is wrong and what is accepted, exit 2, nothing on
// stdout, nothing written. The runtime entry points are replaced by recorders that throw, so a flag that
// slips through parsing fails its case (exit 1) instead of starting a build.
import {existsSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {availableParallelism, tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, afterEach, describe, expect, it, vi} from "vitest";
import {main} from "../../cli/lever.js";
import {layoutJSON, sampleLayout} from "../../lib/lever/env/layout.js";

const reached = vi.hoisted(() => {
  const calls: {fn: string; options: Record<string, unknown>}[] = [];
  const stub = (fn: string) => async (options: Record<string, unknown>) => {
    calls.push({fn, options});
    throw new Error(`${fn} reached (the flags were accepted)`);
  };
  return {calls, stub};
});
vi.mock("../../runtime/library-build.js", async (original) => ({...(await original<object>()), buildLibrary: reached.stub("buildLibrary")}));
vi.mock("../../runtime/experiment.js", async (original) => ({...(await original<object>()), runExperimentNode: reached.stub("runExperimentNode"), runSweepNode: reached.stub("runSweepNode")}));
vi.mock("../../runtime/steer-studies.js", async (original) => ({...(await original<object>()), runStudy: (_study: string, o: Record<string, unknown>) => reached.stub("runStudy")(o)}));
vi.mock("../../runtime/reproduce.js", async (original) => ({...(await original<object>()), runReproduce: reached.stub("runReproduce")}));

const dir = mkdtempSync(join(tmpdir(), "lever-input-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const out = join(dir, "out");
// A command that gets past its flags claims --out before any work (runtime/output.ts): start each case
// without it, so "nothing written" is checked per case.
afterEach(() => rmSync(out, {recursive: true, force: true}));

async function lever(...argv: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const so = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => stdout.push(String(chunk)) > 0);
  const se = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0);
  try {
    const code = await main(argv);
    return {code, stdout: stdout.join(""), stderr: stderr.join("")};
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}

/** Each case: exit 2, exactly one stderr line matching `re`, nothing on stdout, no --out directory. */
function usageErrors(cases: [string[], RegExp][]): void {
  for (const [argv, re] of cases) {
    it(`${argv.map((a) => a.slice(0, 40)).join(" ")} → ${re.source.slice(0, 60)}`, async () => {
      const r = await lever(...argv);
      expect(r.stderr.endsWith("\n") && r.stderr.indexOf("\n") === r.stderr.length - 1, "one line").toBe(true);
      expect(r.stderr.trimEnd()).toMatch(re);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(existsSync(out)).toBe(false);
    });
  }
}

const EXP = ["--spec-set", "grid16", "--method", "qsum", "--out", out];
const LIB = ["--spec-set", "grid16", "--out", out];

describe("item 5: every integer flag is bounded to what the command can do, and the error says the bound", () => {
  usageErrors([
    [["layout", "--size", "16", "--seed", "99999999999999999999"], /^lever layout: invalid --seed: "99999999999999999999" \(expected an integer in 0\.\.9007199254740991\)$/],
    [["layout", "--size", "16", "--seed", "0", "--golds", "99999999999999999999"], /^lever layout: invalid --golds: "99999999999999999999" \(expected an integer in 0\.\.253\)$/],
    [["optimum", "--size", "8", "--seed", "0", "--reward", "path", "--hazards", "62"], /^lever optimum: invalid --hazards: "62" \(expected an integer in 0\.\.61\)$/],
    [["bench", "--repeats", "99999999999999999999"], /^lever bench: invalid --repeats: "99999999999999999999" \(expected an integer in 1\.\.1000\)$/],
    [["library", ...LIB, "--train-seed", "4294967296"], /^lever library: invalid --train-seed: "4294967296" \(expected an integer in 0\.\.4294967295\)$/],
    [["library", ...LIB, "--workers", "99999999999999999999"], /^lever library: invalid --workers: "99999999999999999999" \(expected an integer in 1\.\.256\)$/],
    [["library", ...LIB, "--seeds", "0-1000"], /^lever library: invalid --seeds: "0-1000" lists 1001 seeds \(at most 1000\)$/],
    [["experiment", ...EXP, "--shard", "1/99999999999999999999"], /^lever experiment: invalid --shard: "1\/99999999999999999999" \(expected i\/n with 1 ≤ i ≤ n ≤ 1000, e\.g\. 1\/2\)$/],
    [["experiment", ...EXP, "--shard", "2000/3000"], /^lever experiment: invalid --shard: "2000\/3000" \(expected i\/n with 1 ≤ i ≤ n ≤ 1000/],
    [["sweep", "--spec-set", "grid16", "--out", out, "--k", "99999999999999999999"], /^lever sweep: invalid --k: "99999999999999999999" \(expected an integer in 1\.\.5\)$/],
    [["steer", "--study", "A", "--out", out, "--seed", "4294967296"], /^lever steer: invalid --seed: "4294967296" \(expected an integer in 0\.\.4294967295\)$/],
  ]);
  it("--actions: at most N² actions (the episode cap)", async () => {
    const file = join(dir, "l16.json");
    writeFileSync(file, JSON.stringify(layoutJSON(sampleLayout(16, 0, {golds: 50, blocks: 25, hazards: 30}))));
    const r = await lever("replay", "--layout", file, "--reward", "path", "--actions", Array(257).fill(0).join(","));
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toMatch(/^lever replay: invalid --actions: 257 actions \(at most 256, the episode cap N² of a 16×16 layout\)\n$/);
    expect((await lever("replay", "--layout", file, "--reward", "path", "--actions", Array(256).fill(0).join(","))).code).toBe(0);
  });
});

describe("item 8: numbers are parsed strictly", () => {
  usageErrors([
    [["library", ...LIB, "--gamma", ""], /^lever library: invalid --gamma: "" \(expected a decimal number in \[0, 1\]\)$/],
    [["library", ...LIB, "--gamma", "0x1"], /^lever library: invalid --gamma: "0x1" \(expected a decimal number in \[0, 1\]\)$/],
    [["library", ...LIB, "--gamma", "0b1"], /^lever library: invalid --gamma: "0b1"/],
    [["library", ...LIB, "--gamma", " "], /^lever library: invalid --gamma: " "/],
    [["library", ...LIB, "--gamma", "1.5"], /^lever library: invalid --gamma: "1\.5" \(expected a decimal number in \[0, 1\]\)$/],
    [["layout", "--size", "0x10", "--seed", "0"], /^lever layout: invalid --size: "0x10" \(expected an integer in 3\.\.128\)$/],
    [["layout", "--size", "1e1", "--seed", "0"], /^lever layout: invalid --size: "1e1"/],
  ]);
  it("decimal forms reach the build: 0.5, .5, 1e-1, 1", async () => {
    for (const [g, value] of [
      ["0.5", 0.5],
      [".5", 0.5],
      ["1e-1", 0.1],
      ["1", 1],
    ] as const) {
      reached.calls.length = 0;
      expect((await lever("library", ...LIB, "--gamma", g)).code).toBe(1);
      expect(reached.calls[0].options.gamma).toBe(value);
    }
  });
});

describe("item 9: a repeated list item is an error naming the repeat", () => {
  usageErrors([
    [["library", ...LIB, "--specs", "X1,X1"], /^lever library: invalid --specs: X1 is given twice in "X1,X1" \(give each once\)$/],
    [["library", ...LIB, "--rewards", "path,path"], /^lever library: invalid --rewards: path is given twice in "path,path" \(give each once\)$/],
    [["library", ...LIB, "--rewards", "path-gold,gold-path"], /^lever library: invalid --rewards: path-gold is given twice in "path-gold,gold-path" \(give each once\)$/],
    [["library", ...LIB, "--seeds", "0,0"], /^lever library: invalid --seeds: seed 0 is given twice in "0,0" \(give each once\)$/],
    [["library", ...LIB, "--seeds", "0-2,1"], /^lever library: invalid --seeds: seed 1 is given twice in "0-2,1" \(give each once\)$/],
    [["experiment", ...EXP, "--specs", "X5,X5"], /^lever experiment: invalid --specs: X5 is given twice in "X5,X5" \(give each once\)$/],
    [["experiment", ...EXP, "--library-specs", "X1,X10,X1"], /^lever experiment: invalid --library-specs: X1 is given twice in "X1,X10,X1" \(give each once\)$/],
    [["experiment", ...EXP, "--modes", "trivial,trivial"], /^lever experiment: invalid --modes: trivial is given twice in "trivial,trivial" \(give each once\)$/],
    [["sweep", "--spec-set", "grid16", "--out", out, "--k", "2,2"], /^lever sweep: invalid --k: 2 is given twice in "2,2" \(give each once\)$/],
    [["merge", "--out", out, join(dir, "shard-1"), join(dir, "shard-2"), `${join(dir, "shard-1")}/`], /^lever merge: shard directory ".*shard-1" is given twice \(give each once\)$/],
    [["library", ...LIB, "--specs", "X1,,X5"], /^lever library: invalid --specs: "X1,,X5" has an empty item \(expected a comma-separated list such as X1,X5,X10\)$/],
  ]);
});

describe("item 12: errors cut echoed values to about 80 characters, with the length", () => {
  const huge = "0 ".repeat(65_000); // a 130 kB --actions written with spaces
  const layoutFile = join(dir, "l8.json");
  writeFileSync(layoutFile, JSON.stringify(layoutJSON(sampleLayout(8, 0, {golds: 6, blocks: 4, hazards: 4}))));
  const cases: [string[], RegExp][] = [
    [["replay", "--layout", layoutFile, "--reward", "path", "--actions", huge], /^lever replay: invalid --actions: "0 0 0 .*…" \(130000 characters\) \(accepted: /],
    [["layout", "--size", huge, "--seed", "0"], /^lever layout: invalid --size: "0 0 .*…" \(130000 characters\) \(expected an integer in 3\.\.128\)$/],
    [["library", "--spec-set", huge, "--out", out], /^lever library: invalid spec set: "0 0 .*…" \(130000 characters\) \(accepted: grid16/],
    [["layout", `--${"x".repeat(130_000)}`], /^lever layout: Unknown option '--xxx.*…' \(130002 characters\) \(accepted: --size N/],
    [["replay", "--layout", join(dir, "y".repeat(130_000)), "--reward", "path", "--actions", "0"], /^lever replay: cannot read layout file ".*…" \(\d+ characters\): ENAMETOOLONG$/],
  ];
  for (const [argv, re] of cases) {
    it(`${argv.map((a) => a.slice(0, 40)).join(" ")}: one short line`, async () => {
      const r = await lever(...argv);
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr.trimEnd()).toMatch(re);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr.length).toBeLessThan(400);
    });
  }
});

describe("item 13: --workers is capped at the cores (os.availableParallelism), with one line on stderr", () => {
  const cores = availableParallelism();
  const many = String(Math.min(256, cores + 1));
  it.skipIf(cores >= 256)(`library --workers ${many} runs on ${cores} workers and says so`, async () => {
    reached.calls.length = 0;
    const r = await lever("library", ...LIB, "--workers", many);
    expect(reached.calls.map((c) => c.options.workers)).toEqual([cores]);
    expect(r.stderr.split("\n")[0]).toBe(`lever library: --workers ${many} capped at ${cores}, the cores of this machine (os.availableParallelism())`);
  });
  it.skipIf(cores >= 256)("the cap holds for experiment, sweep, reproduce and steer too", async () => {
    reached.calls.length = 0;
    await lever("experiment", ...EXP, "--workers", many);
    await lever("sweep", "--spec-set", "grid16", "--out", out, "--workers", many);
    await lever("reproduce", "--out", out, "--workers", many);
    await lever("steer", "--study", "A", "--out", out, "--workers", many);
    expect(reached.calls.map((c) => [c.fn, c.options.workers])).toEqual([
      ["runExperimentNode", cores],
      ["runSweepNode", cores],
      ["runReproduce", cores],
      ["runStudy", cores],
    ]);
  });
  describe.skipIf(cores >= 256)("bad input after a --workers to cap is still one line", () => {
    usageErrors([
      [["library", ...LIB, "--workers", many, "--train-seed", "x"], /^lever library: invalid --train-seed: "x"/],
      [["sweep", "--spec-set", "grid16", "--out", out, "--workers", many, "--k", "2,2"], /^lever sweep: invalid --k: 2 is given twice/],
      [["steer", "--study", "A", "--out", out, "--workers", many, "--seed", "x"], /^lever steer: invalid --seed: "x"/],
    ]);
  });
  it("--workers within the cores passes unchanged, silently", async () => {
    reached.calls.length = 0;
    const r = await lever("library", ...LIB, "--workers", "1");
    expect(reached.calls[0].options.workers).toBe(1);
    expect(r.stderr).not.toMatch(/capped/);
  });
});

describe("item 7: optimum on a layout it cannot solve is an error", () => {
  const file = (name: string, layout: object) => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify(layout));
    return f;
  };
  const corner = {size: 4, start: [0, 0], exit: [3, 3], golds: [], lever: null};
  const firstMoves = [
    [0, 1],
    [1, 0],
    [0, 2],
    [2, 0],
  ];
  usageErrors([
    [
      ["optimum", "--layout", file("hazards.json", {...corner, hazards: firstMoves, blocks: []}), "--reward", "path"],
      /^lever optimum: the exit \[3, 3\] cannot be reached from the start \[0, 0\] by \[main\] moves \(right, down, right×2, down×2\) that avoid hazards and blocks$/,
    ],
    [
      ["optimum", "--layout", file("blocks.json", {...corner, hazards: [], blocks: firstMoves}), "--reward", "path-gold"],
      /^lever optimum: the exit \[3, 3\] cannot be reached from the start \[0, 0\]/,
    ],
    [
      ["optimum", "--layout", file("v3.json", layoutJSON(sampleLayout(8, 2, {golds: 6, blocks: 4, hazards: 4}, "v3"))), "--reward", "path"],
      /^lever optimum: not a \[main\] layout: start \[0, 3\], exit \[2, 5\] \(the exact solver needs start \[0, 0\] and exit \[7, 7\]; \[v3\] moves make the graph cyclic\)$/,
    ],
  ]);
});
