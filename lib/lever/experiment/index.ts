/**
 * The LEVER experiment (spec/lever.md §8, `full_experiment.py`): for every spec, mode (trivial →
 * double → triple), setup and seed, the train-from-scratch baseline (TFS) against targeted (TC),
 * exhaustive (EC) and hybrid top-k (HC) composition of retrieved library policies (§7.4).
 *
 * Pure: no fs, no process. The caller decodes the library runs of one spec set, embeds them
 * (lib/lever/pi2vec/embedding.ts `embedLibrary`) and fits the regressors (`fitRegressors`); `runExperiment` (or
 * `runJob`, one (spec, mode, setup, seed) at a time, for worker threads and shards) returns rows with
 * the reference's CSV columns (§8.3) plus the chosen policies and per-stage timings.
 *
 * Faithful defaults ([main], the ExNonZero tables): no spec filter in retrieval (§11 item 7 leakage),
 * targeted = top-2 of the pooled candidates by regressor (§7.4), exhaustive = the Cartesian product
 * scored by §7.3, hybrid k = 3, strict `>` keeps the first maximum. [v3] rule (the support-limited
 * ExZero regime): spec filter, one best candidate per sub-query, base/pair/trip canonical sets and
 * regressors per mode (§5). Timing semantics of §8.4: no method time includes the decomposition or the
 * final evaluation; exnonzero targeted_time is only union + bounds + prune.
 *
 * decomp_time is the time of our deterministic parser (lib/lever/retrieval/decompose.ts), microseconds; the
 * reference's was a hosted LLM call (≈5–25 s), which the paper tables add to every method time.
 */
export * from "./params.js";
export * from "./jobs.js";
export * from "./run.js";
export * from "./sweep.js";
export * from "./regressors.js";
