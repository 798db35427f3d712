// The documented "past one machine" path through the CLI's own flags (README, .github/workflows/
// reproduce.yml, the Slurm and Kubernetes recipes): `lever experiment --shard i/n` per shard, then
// `lever merge --out DIR shard-*`, equals one unsharded run byte for byte with --timing zero.
import {readdirSync, readFileSync} from "node:fs";
import {join, relative} from "node:path";
import {beforeAll, describe, expect, it, vi} from "vitest";
import {run as experimentCommand} from "../../cli/commands/experiment.js";
import {run as mergeCommand} from "../../cli/commands/merge.js";
import {tempDir, tinyLibrary} from "../lever/experiment/helpers.js";

let lib: string;
beforeAll(async () => {
  lib = await tinyLibrary();
});

function files(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe("lever experiment --shard i/n + lever merge", () => {
  it("three shards merged = one run, byte for byte, whatever the order of the shard directories", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true); // the commands print a JSON summary
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const flags = ["--spec-set", "grid16", "--specs", "X1", "--seeds", "0-1", "--modes", "trivial,double", "--method", "qsum", "--timing", "zero", "--workers", "1", "--library", lib];
      const root = tempDir("shard-cli");
      const n = 3;
      for (let i = 1; i <= n; i++) await experimentCommand([...flags, "--shard", `${i}/${n}`, "--out", join(root, `shard-${i}`)]);
      await experimentCommand([...flags, "--out", join(root, "single")]);
      await mergeCommand(["--out", join(root, "merged"), join(root, "shard-3"), join(root, "shard-1"), join(root, "shard-2")]);
      const single = files(join(root, "single"));
      expect(single).toEqual(["X1/full_experiment_results_double.csv", "X1/full_experiment_results_trivial.csv", "experiment.json"]);
      expect(files(join(root, "merged"))).toEqual(single);
      for (const f of single) expect(readFileSync(join(root, "merged", f), "utf8"), f).toBe(readFileSync(join(root, "single", f), "utf8"));
      await expect(mergeCommand(["--out", join(root, "partial"), join(root, "shard-1"), join(root, "shard-2")])).rejects.toThrow(/jobs missing/);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
