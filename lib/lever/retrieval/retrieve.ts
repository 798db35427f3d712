/**
 * Retrieval of library policies for sub-queries as the Search page runs it (spec/lever.md §4, §7.4):
 * every sub-query is embedded (lib/lever/retrieval/text-embed.ts) and searched in the policy index
 * within the layout seed, top-k (5) with cosine strictly > threshold (0.7). The same search also runs
 * exactly (the reference's IndexFlatIP) to report the index's recall@k. `candidatesOf` turns the hits
 * into the ranked candidates that lib/lever/compose/strategy.ts plans with.
 */
import {seed4} from "../library/runs.js";
import type {FlatVectors, HnswIndex, PolicyEntryKey, PolicyHit} from "./hnsw.js";
import {DEFAULT_TOP_K, EXPERIMENT_THRESHOLD, searchPolicies} from "./hnsw.js";
import {embedText} from "./text-embed.js";

export interface RetrievalOptions {
  /** Layout seed: only that seed's policies are searched (§4 filter). */
  seed: number;
  /** Top-k before thresholding (5). */
  k?: number;
  /** Keep cosine strictly greater than this (0.7 in the experiments). */
  threshold?: number;
}

export interface SubQueryRetrieval {
  subQuery: string;
  /** Hits of the HNSW index (re-ranked exactly, see lib/lever/retrieval/hnsw.ts `search`). */
  hits: PolicyHit[];
  /** Hits of the exact search (the reference's IndexFlatIP). */
  exact: PolicyHit[];
  /** |hits ∩ exact| / |exact| over the top-k before thresholding (1 when both are empty). */
  recall: number;
  /** Embedding + HNSW search time, and exact search time (ms). */
  ms: number;
  exactMs: number;
}

export function retrieveCandidates(
  index: HnswIndex | FlatVectors,
  exact: FlatVectors,
  entries: readonly PolicyEntryKey[],
  subQueries: readonly string[],
  options: RetrievalOptions,
): SubQueryRetrieval[] {
  const {seed, k = DEFAULT_TOP_K, threshold = EXPERIMENT_THRESHOLD} = options;
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`invalid seed: ${seed}`);
  const filter = {k, seed: seed4(seed)};
  return subQueries.map((subQuery) => {
    const t0 = performance.now();
    const q = embedText(subQuery);
    const top = searchPolicies(index, entries, q, {...filter, threshold: -2});
    const t1 = performance.now();
    const truth = searchPolicies(exact, entries, q, {...filter, threshold: -2});
    const t2 = performance.now();
    const truthIds = new Set(truth.map((h) => h.id));
    const recall = truth.length ? top.filter((h) => truthIds.has(h.id)).length / truth.length : 1;
    const keep = (hs: PolicyHit[]) => hs.filter((h) => h.score > threshold).map((h, rank) => ({...h, rank}));
    return {subQuery, hits: keep(top), exact: keep(truth), recall, ms: t1 - t0, exactMs: t2 - t1};
  });
}

/** A retrieved policy: id (insertion index), the sub-query it answers, cosine and regressor prediction. */
export interface Candidate {
  id: number;
  subQuery: number;
  score: number;
  /** Regressor prediction on the policy's library embedding (used to rank, §7.4). */
  predicted: number;
}

/** Candidates per sub-query, each list in retrieval order. */
export function candidatesOf(retrieval: readonly SubQueryRetrieval[], predictLibrary: (id: number) => number): Candidate[][] {
  return retrieval.map((r, i) => r.hits.map((h) => ({id: h.id, subQuery: i, score: h.score, predicted: predictLibrary(h.id)})));
}
