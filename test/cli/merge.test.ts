// `lever merge` joins only shards that belong together (issue 9 item 2): each shard records what it
// was computed from (the library's key, the code's hash, the experiment's settings) and the length and
// sha256 of its CSV; a mismatch or a damaged file is refused with one line naming the shard, exit 2.
import {cpSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterEach, beforeAll, describe, expect, it, vi} from "vitest";
import {lever} from "./helpers.js";
import {REWARD_SYSTEMS} from "../../lib/lever/env/rewards.js";
import {buildLibrary} from "../../runtime/library-build.js";
import {TINY, tempDir, tinyLibrary} from "../lever/experiment/helpers.js";

let lib0: string;
let lib1: string;
let root: string;
const FLAGS = ["--spec-set", "grid16", "--specs", "X1", "--seeds", "0-1", "--modes", "trivial", "--method", "qsum", "--timing", "zero", "--workers", "1"];

afterEach(() => vi.restoreAllMocks());

beforeAll(async () => {
  lib0 = await tinyLibrary(); // --train-seed 0 (the default)
  lib1 = tempDir("tiny-lib-seed1");
  await buildLibrary({specSet: TINY, specs: TINY.specs, seeds: TINY.seeds, rewards: [...REWARD_SYSTEMS], out: lib1, workers: 2, trainSeed: 1});
  root = tempDir("merge");
  for (const [name, lib, shard] of [
    ["s1", lib0, "1/2"],
    ["s2", lib0, "2/2"],
    ["s2-seed1", lib1, "2/2"],
  ] as const) {
    expect((await lever("experiment", ...FLAGS, "--library", lib, "--shard", shard, "--out", join(root, name))).code).toBe(0);
  }
});

/** A copy of shard 2 of 2 that a test may damage. */
function copyOfShard2(name: string): string {
  const dir = join(root, name);
  cpSync(join(root, "s2"), dir, {recursive: true});
  return dir;
}

describe("lever merge refuses shards that do not belong together", () => {
  it("merges shards computed from one library and one code version", async () => {
    const r = await lever("merge", "--out", join(root, "ok"), join(root, "s1"), join(root, "s2"));
    expect(r.code).toBe(0);
    const meta = JSON.parse(readFileSync(join(root, "s1", "shard-1-of-2.json"), "utf8"));
    expect(meta.from).toEqual({library: expect.stringMatching(/^[0-9a-f]{16}$/), source: expect.stringMatching(/^[0-9a-f]{16}$/)});
    expect(meta.csv).toEqual({bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/)});
    expect(JSON.parse(readFileSync(join(root, "ok", "experiment.json"), "utf8")).from).toEqual(meta.from);
  });

  it("shards of libraries trained with --train-seed 0 and 1", async () => {
    const r = await lever("merge", "--out", join(root, "mixed"), join(root, "s1"), join(root, "s2-seed1"));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(
      new RegExp(`^lever merge: ${join(root, "s2-seed1", "shard-2-of-2")} was computed from library [0-9a-f]{16}, .*s1/shard-1-of-2 from library [0-9a-f]{16}: shards must share one library$`),
    );
  });

  it("a shard CSV cut in the middle of a quoted field", async () => {
    const dir = copyOfShard2("cut");
    const f = join(dir, "shard-2-of-2.csv");
    const text = readFileSync(f, "utf8");
    writeFileSync(f, text.slice(0, text.lastIndexOf('""]"') - 5)); // inside a policy list's quotes
    const r = await lever("merge", "--out", join(root, "m-cut"), join(root, "s1"), dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      expect.stringMatching(new RegExp(`^lever merge: shard ${join(dir, "shard-2-of-2")} is damaged: .*shard-2-of-2\\.csv has \\d+ bytes, \\d+ recorded; run that shard again$`)),
    ]);
  });

  it("a CSV edited in place (same length) and a description that is not JSON", async () => {
    const edited = copyOfShard2("edited");
    const f = join(edited, "shard-2-of-2.csv");
    writeFileSync(f, readFileSync(f, "utf8").replace(/,X1,/, ",X2,"));
    const r1 = await lever("merge", "--out", join(root, "m-edit"), join(root, "s1"), edited);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toEqual([expect.stringMatching(/shard-2-of-2\.csv does not match its recorded sha256; run that shard again$/)]);
    const broken = copyOfShard2("broken-json");
    const j = join(broken, "shard-2-of-2.json");
    writeFileSync(j, readFileSync(j, "utf8").slice(0, 50));
    const r2 = await lever("merge", "--out", join(root, "m-json"), join(root, "s1"), broken);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toEqual([expect.stringMatching(new RegExp(`^lever merge: ${j} is not a readable shard description \\(`))]);
  });

  it("shards computed by different code, and a description without its provenance (an older lever)", async () => {
    const other = copyOfShard2("other-code");
    const j = join(other, "shard-2-of-2.json");
    const meta = JSON.parse(readFileSync(j, "utf8"));
    writeFileSync(j, JSON.stringify({...meta, from: {...meta.from, source: "0123456789abcdef"}}));
    const r1 = await lever("merge", "--out", join(root, "m-code"), join(root, "s1"), other);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toEqual([
      expect.stringMatching(/other-code\/shard-2-of-2 was computed by other code \(source 0123456789abcdef\) than .*s1\/shard-1-of-2 \(source [0-9a-f]{16}\): run every shard from one version$/),
    ]);
    writeFileSync(j, JSON.stringify({...meta, from: undefined}));
    const r2 = await lever("merge", "--out", join(root, "m-old"), join(root, "s1"), other);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toEqual([expect.stringMatching(/other-code\/shard-2-of-2\.json is not a complete shard description \(written by an older lever, or edited\); run that shard again$/)]);
  });
});
