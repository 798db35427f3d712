/**
 * The regressor report of an embedding (spec/lever.md §5; Node only): seeded 10-fold CV beside
 * in-sample R², MAE and NMAE of every regressor group, one worker job per group (largest first), cached
 * under a key of the embedding (its file name is its own content key), the settings and this module's
 * code, so editing the experiment or composition code does not refit ~200 gradient-boosted models.
 */
import {readFileSync} from "node:fs";
import {basename, join} from "node:path";
import {regressorGroups, regressorReport} from "../lib/lever/experiment/regressors.js";
import type {RegressorKind} from "../lib/lever/pi2vec/regressor.js";
import {cachedFile, cacheKey, cacheRoot} from "./cache.js";
import {readEmbedding} from "./embedding.js";
import {defaultWorkers, runPool} from "./pool.js";

export type ReportRow = ReturnType<typeof regressorReport>[number];

const CODE = new URL(import.meta.url);

/** Worker job (pool.ts): the report row of regressor group `group`. */
export function handle(p: {embeddingFile: string; kind: RegressorKind; bySpec: boolean; group: number}): {row: ReportRow} {
  return {row: regressorReport(readEmbedding(p.embeddingFile), {kind: p.kind, bySpec: p.bySpec, groups: [p.group]})[0]};
}

/** The report of `embeddingFile` (computed once per process, cached on disk). */
export async function ensureRegressorReport(embeddingFile: string, kind: RegressorKind, bySpec: boolean, log: (line: string) => void): Promise<ReportRow[]> {
  const file = join(cacheRoot(), `regressor-report-${cacheKey("regressor-report", {embedding: basename(embeddingFile), kind, bySpec}, [CODE])}.json`);
  await cachedFile(file, async () => {
    const groups = regressorGroups(readEmbedding(embeddingFile), bySpec).map((g, group) => ({group, n: g.policies.length}));
    log(`regressor report: ${basename(embeddingFile)} (${kind}${bySpec ? ", per spec" : ""}, ${groups.length} groups)`);
    groups.sort((a, b) => b.n - a.n);
    const rows = new Array<ReportRow>(groups.length);
    await runPool<Parameters<typeof handle>[0], {row: ReportRow}>(
      CODE,
      groups.map(({group}) => ({embeddingFile, kind, bySpec, group})),
      defaultWorkers(),
      (i, x) => {
        rows[groups[i].group] = x.row;
      },
      {priority: 1},
    );
    return JSON.stringify(rows);
  });
  return JSON.parse(readFileSync(file, "utf8")) as ReportRow[];
}
