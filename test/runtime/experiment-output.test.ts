// runtime/experiment.ts and its outputs (issue 9): rows under timing zero do not depend on when the
// library was trained (item 3); a run's folder is written as one unit and replaces an earlier run whole
// (item 4); a library given as a folder must fit the spec set (item 6).
import {spawnSync} from "node:child_process";
import {mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync} from "node:fs";
import {join, relative} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {parseSpecSet} from "../../lib/lever/env/layout.js";
import {REWARD_SYSTEMS} from "../../lib/lever/env/rewards.js";
import {REFERENCE_FLOAT_COLUMNS, TIME_COLUMNS} from "../../lib/lever/experiment/index.js";
import {parseCsv} from "../../lib/core/csv.js";
import {buildLibrary, libraryKey, readManifest} from "../../runtime/library-build.js";
import {runExperimentNode, runSweepNode, type ExperimentRunOptions} from "../../runtime/experiment.js";
import {TINY, tempDir, tinyLibrary} from "../lever/experiment/helpers.js";

let lib: string;
beforeAll(async () => {
  lib = await tinyLibrary();
});

function options(out: string, extra: Partial<ExperimentRunOptions> = {}): ExperimentRunOptions {
  return {specSet: TINY, specs: ["X1"], seeds: [0, 1], modes: ["trivial", "double"], libraryDir: lib, workers: 1, out, params: {method: "qsum", sf: "lstd", timing: "zero"}, ...extra};
}

/** Every file under `dir`, relative, sorted (hidden ones included). */
function files(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const csv = (dir: string, mode: string) => readFileSync(join(dir, "X1", `full_experiment_results_${mode}.csv`), "utf8");

describe("timing zero does not depend on when the library was trained (item 3)", () => {
  it("two builds of one library: one key, different measured times, byte-identical result files with every time column 0", async () => {
    const again = tempDir("tiny-lib-again");
    await buildLibrary({specSet: TINY, specs: TINY.specs, seeds: TINY.seeds, rewards: [...REWARD_SYSTEMS], out: again, workers: 1});
    const [m1, m2] = [readManifest(lib), readManifest(again)];
    expect(m2.key).toBe(m1.key);
    expect(libraryKey(m2)).toBe(m2.key);
    // The measured part differs between the builds and stays out of the key.
    expect(m2.timing.runs[m1.runs[0].id].time).not.toBe(m1.timing.runs[m1.runs[0].id].time);
    expect(JSON.stringify({...m1, timing: undefined, files: undefined})).toBe(JSON.stringify({...m2, timing: undefined, files: undefined}));
    const [a, b] = [tempDir("t0-a"), tempDir("t0-b")];
    await runExperimentNode(options(a));
    await runExperimentNode(options(b, {libraryDir: again}));
    for (const mode of ["trivial", "double"]) {
      expect(csv(b, mode)).toBe(csv(a, mode));
      // the reference's float columns as pandas writes 0.0, our extra time columns 0 (issue 10 item 5)
      for (const r of parseCsv(csv(a, mode))) for (const c of TIME_COLUMNS) expect(r[c], c).toBe(REFERENCE_FLOAT_COLUMNS.includes(c) ? "0.0" : "0");
    }
    expect(readFileSync(join(b, "experiment.json"), "utf8")).toBe(readFileSync(join(a, "experiment.json"), "utf8"));
  });

  it("wall timing keeps the library's measured training time in scratch_time_s (the site's numbers)", async () => {
    const out = tempDir("t-wall");
    await runExperimentNode(options(out, {params: {method: "qsum", sf: "lstd", timing: "wall"}}));
    const m = readManifest(lib);
    for (const r of parseCsv(csv(out, "trivial"))) {
      const run = m.runs.find((x) => x.reward === r.setup && x.seed === Number(r.seed))!;
      expect(Number(r.scratch_time_s)).toBe(m.timing.runs[run.id].time);
      expect(Number(r.scratch_time_s)).toBeGreaterThan(0);
    }
  });
});

describe("--out is written as one unit (item 4)", () => {
  it("an earlier run in the folder is replaced whole: no file of it stays beside the new run", async () => {
    const out = tempDir("replace");
    await runExperimentNode(options(out, {modes: ["trivial", "double", "triple"]}));
    expect(files(out)).toEqual(["X1/full_experiment_results_double.csv", "X1/full_experiment_results_triple.csv", "X1/full_experiment_results_trivial.csv", "experiment.json"]);
    await runExperimentNode(options(out, {modes: ["trivial"]}));
    expect(files(out)).toEqual(["X1/full_experiment_results_trivial.csv", "experiment.json"]);
    expect(JSON.parse(readFileSync(join(out, "experiment.json"), "utf8")).modes).toEqual(["trivial"]);
    // A shard's output into that folder replaces it too (a folder holds one run).
    await runExperimentNode(options(out, {shard: {index: 1, count: 2}}));
    expect(files(out)).toEqual(["shard-1-of-2.csv", "shard-1-of-2.json"]);
    expect(readdirSync(join(out, "..")).filter((f) => f.includes(".lever-"))).toEqual([]);
  });

  it("a run that fails leaves the earlier run as it was, and no temporary folder", async () => {
    const out = tempDir("fail");
    await runExperimentNode(options(out));
    const before = Object.fromEntries(files(out).map((f) => [f, readFileSync(join(out, f), "utf8")]));
    await expect(
      runExperimentNode(
        options(out, {
          modes: ["trivial"],
          onEmbedding: () => {
            throw new Error("interrupted");
          },
        }),
      ),
    ).rejects.toThrow("interrupted");
    expect(Object.fromEntries(files(out).map((f) => [f, readFileSync(join(out, f), "utf8")]))).toEqual(before);
    expect(readdirSync(join(out, "..")).filter((f) => f.includes(".lever-"))).toEqual([]);
  });

  it("a temporary folder left by a run that was killed is removed by the next run into that --out", async () => {
    const parent = tempDir("killed");
    const out = join(parent, "run");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {encoding: "utf8"}).stdout;
    mkdirSync(join(parent, `.run.lever-partial-${dead}-abc123`, "X1"), {recursive: true});
    writeFileSync(join(parent, `.run.lever-partial-${dead}-abc123`, "X1", "full_experiment_results_trivial.csv"), "half\n");
    await runExperimentNode(options(out));
    expect(readdirSync(parent)).toEqual(["run"]);
  });

  it("the k-sweep's folder too", async () => {
    const out = tempDir("sweep-replace");
    writeFileSync(join(out, "hybrid_k_sweep_runs.csv"), "stale\n"); // an earlier sweep's file
    writeFileSync(join(out, "hybrid_k_sweep.csv"), "stale\n");
    const r = await runSweepNode({...options(out), params: {method: "qsum", sf: "lstd"}});
    expect(r.file).toBe(join(out, "hybrid_k_sweep.csv"));
    expect(files(out)).toEqual(["hybrid_k_sweep.csv", "hybrid_k_sweep_runs.csv"]);
    expect(readFileSync(r.file, "utf8")).not.toBe("stale\n");
  });
});

describe("a given library must fit the spec set (item 6)", () => {
  it("refuses a grid16 library for grid32, a [main] library for a [v3] set, and specs or seeds it lacks, before any work", async () => {
    const cases: [Partial<ExperimentRunOptions>, RegExp][] = [
      [{specSet: parseSpecSet("grid32")}, /^library .* \(grid16-tiny: 16×16 \[main\]\) does not match spec set grid32 \(32×32 \[main\]\)$/],
      [{specSet: parseSpecSet("grid16_v3"), params: {method: "qsum", sf: "lstd", timing: "zero"}}, /does not match spec set grid16_v3 \(16×16 \[v3\]\)$/],
      [{specSet: {...TINY, counts: {golds: 6, blocks: 4, hazards: 4}}}, /does not match spec set grid16-tiny: 50 golds, the set has 6$/],
      [{specs: ["X5"]}, /has no runs of spec X5 \(it has X1\)$/],
      [{seeds: [0, 3]}, /has no runs of seed 3 \(it has 0, 1\)$/],
    ];
    for (const [extra, re] of cases) {
      const out = tempDir("mismatch");
      const log: string[] = [];
      await expect(runExperimentNode(options(out, {...extra, log: (l) => log.push(l)})), JSON.stringify(extra)).rejects.toThrow(re);
      expect(log).toEqual([]); // no embedding, no job
      expect(readdirSync(out)).toEqual([]);
    }
  });

  it("refuses a damaged library (a run file cut short), naming the file", async () => {
    const damaged = tempDir("tiny-lib-damaged");
    await buildLibrary({specSet: TINY, specs: TINY.specs, seeds: [0], rewards: [...REWARD_SYSTEMS], out: damaged, workers: 1});
    const m = readManifest(damaged);
    truncateSync(join(damaged, m.runs[2].file), 10);
    await expect(runExperimentNode(options(tempDir("damaged-out"), {libraryDir: damaged, seeds: [0]}))).rejects.toThrow(
      new RegExp(`^invalid library ${damaged}: ${join(damaged, m.runs[2].file)} has 10 bytes, \\d+ recorded$`),
    );
  });
});
