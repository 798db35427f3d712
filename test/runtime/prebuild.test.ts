// The build's artefact step (cli/prebuild.ts) and what it relies on: one embedding per library and
// options, however many callers ask for it at once, and the one progress line.
import {readdirSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {progressLine} from "../../cli/prebuild.js";
import {ensureEmbedding, readEmbedding} from "../../runtime/embedding.js";
import {cacheRoot} from "../../runtime/cache.js";
import {withSharedPool} from "../../runtime/pool.js";
import {tinyLibrary} from "../lever/experiment/helpers.js";

describe("ensureEmbedding", () => {
  it("computes one file per (library, options) for any number of concurrent callers, on the shared pool", async () => {
    const lib = await tinyLibrary();
    const log: string[] = [];
    const o = {method: "lstd" as const, rule: "main" as const, canonical: 16, seed: 0};
    const files = await withSharedPool(2, () => Promise.all([ensureEmbedding(lib, o, (l) => log.push(l)), ensureEmbedding(lib, o, (l) => log.push(l)), ensureEmbedding(lib, o, (l) => log.push(l))]));
    expect(new Set(files).size).toBe(1);
    expect(log.filter((l) => /policies in/.test(l))).toHaveLength(1);
    expect(readdirSync(cacheRoot()).filter((f) => f.startsWith("embedding-"))).toHaveLength(1);
    // 2 seeds × 8 rewards × 3 snapshots ([main] rule) policies, each a 70-d vector.
    const e = readEmbedding(files[0]);
    expect(e.policies).toHaveLength(48);
    expect(e.embeddings.all).toHaveLength(48 * e.dim);
    // Other options are another artefact; the same options later in the process are a cache hit.
    const other = await ensureEmbedding(lib, {...o, seed: 1}, (l) => log.push(l));
    expect(other).not.toBe(files[0]);
    expect(await ensureEmbedding(lib, o, (l) => log.push(l))).toBe(files[0]);
    expect(log.filter((l) => /policies in/.test(l))).toHaveLength(2);
  });
});

describe("progressLine", () => {
  const stats = {workers: 2, submitted: 120, done: 40, running: 2};
  it("names the running stages, artefacts and jobs done, elapsed time and the time left from the CPU work left", () => {
    expect(progressLine({running: ["reproduce", "steer"], done: 3, total: 6, stats, elapsed: 75, cpu: 150, expectedCpu: 450})).toBe(
      "prebuild [reproduce + steer] 3/6 artefacts, 40/120 jobs on 2 workers, 1 min 15 s elapsed, ~2 min 30 s left",
    );
  });
  it("says 'finishing' past the expected CPU work, and nothing left once done", () => {
    expect(progressLine({running: ["steer"], done: 5, total: 6, stats, elapsed: 300, cpu: 600, expectedCpu: 450})).toMatch(/elapsed, finishing$/);
    expect(progressLine({running: [], done: 6, total: 6, stats, elapsed: 300, cpu: 600, expectedCpu: 450})).toBe("prebuild [done] 6/6 artefacts, 40/120 jobs on 2 workers, 5 min 00 s elapsed");
  });
});
