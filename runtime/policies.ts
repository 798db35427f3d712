/**
 * Every library policy with its π2vec embedding, metadata and reward-regressor results
 * (`policiesArtefact` → src/data/policies.bin), and the tables the search page composes with
 * (`policyTablesArtefact` → src/data/policy-tables-<key>.bin). Both are lib/core/container.ts binaries
 * (Node only).
 *
 * Per library of the build profile (lib/core/profile.ts):
 *   - policies in the reference's insertion order (specs → reward systems → seeds → 20/60/80 % snapshots,
 *     spec §3.2), embedded with LSTD successor features (lib/lever/pi2vec/embedding.ts `embedLibrary`, method "lstd");
 *   - the regressor target (the snapshot's greedy reward, §5) and, for `linear` and `gbrt`, seeded
 *     10-fold cross-validation and in-sample fits (lib/lever/pi2vec/regressor.ts `crossValidate`): metrics and the
 *     out-of-fold and in-sample prediction of every policy; the linear coefficients (fit on all
 *     policies, as the reference's [main] regressor) for scoring in the browser;
 *   - the canonical states of each spec (§3.3) and the layout of every seed;
 *   - the tables: Float64 Q-tables and Uint32 cumulative visit counts of every policy snapshot, and the
 *     final Q-table of every run (the from-scratch baseline, §8.2).
 * MLP ψ embeddings are not shipped: a few X1 policies are timed and the estimate reported.
 *
 * The embedding and regressor part is cached by content hash (runtime/cache.ts), like the
 * libraries themselves.
 */
import {readFileSync} from "node:fs";
import {basename, join} from "node:path";
import {decodeContainer, encodeContainer} from "../lib/core/container.js";
import {
  encodePolicies,
  encodePolicyTables,
  POLICIES_FORMAT,
  POLICY_TABLES_FORMAT,
  predictionSections,
  predictionsFromSections,
  type LibraryTables,
  type PolicyArrays,
  type PolicyTablesMeta,
  type Predictions,
} from "../lib/lever/artefacts.js";
import {sampleLayout, layoutJSON, type Layout, type Variant} from "../lib/lever/env/layout.js";
import {runCounts, runQ, type Run} from "../lib/lever/library/runs.js";
import {embedTransitions, selectLibraryPolicies, type LibraryPolicy} from "../lib/lever/pi2vec/embedding.js";
import {snapshotFeatures} from "../lib/lever/pi2vec/canonical.js";
import {crossValidate, dataset, fitGbrt, fitLinear, REGRESSORS, type Metrics, type RegressorKind} from "../lib/lever/pi2vec/regressor.js";
import type {Profile} from "../lib/core/profile.js";
import {LIBRARY_EMBEDDING} from "../lib/lever/pi2vec/params.js";
import {libraryPlan, type LibraryPlan} from "../lib/lever/library/plan.js";
import {cachedFile, cacheKey, cacheRoot} from "./cache.js";
import {ensureEmbedding, readEmbedding} from "./embedding.js";
import {ensureLibrary} from "./library.js";
import {loadRuns, readManifest, type Manifest} from "./library-build.js";
import {runTask} from "./pool.js";

type Log = (line: string) => void;

/**
 * Every setting of the embedding and regressor stage (written into the output). The embedding is the
 * experiment's (lib/lever/pi2vec/params.ts) with the [main] rule of the site's libraries, so one cached
 * file serves both.
 */
export const POLICY_PARAMS = {
  sfMethod: LIBRARY_EMBEDDING.method,
  rule: "main" as const,
  canonical: LIBRARY_EMBEDDING.canonical,
  pi2vecSeed: LIBRARY_EMBEDDING.seed,
  folds: 10,
  cvSeed: 42,
  /**
   * MLP timing probe: this many X1 policies are embedded with the [main] MLP to estimate its cost (one:
   * ≈ 4–20 s each; the π2vec agreement artefact times 40 more on grid16).
   */
  mlpProbe: 1,
};

export interface RegressorSummary {
  kind: RegressorKind;
  cv: Metrics;
  inSample: Metrics;
  folds: number;
  seed: number;
  seconds: number;
}

export interface LibraryMeta {
  key: string;
  specSet: string;
  size: number;
  variant: string;
  specs: {name: string; episodes: number}[];
  seeds: number[];
  rewards: string[];
  goldPenalty: string;
  dim: number;
  layouts: Record<number, Layout>;
  policies: (LibraryPolicy & {run: number})[];
  runs: {id: string; spec: string; reward: string; seed: number; finalReward: number; time: number; episodes: number}[];
  regressors: Record<RegressorKind, RegressorSummary>;
  linear: {coef: number[]; intercept: number};
  embedSeconds: number;
  mlp: {probed: number; secondsPerPolicy: number; x1Policies: number; estimatedSeconds: number};
}

export interface PoliciesMeta {
  format: typeof POLICIES_FORMAT;
  profile: Profile;
  params: typeof POLICY_PARAMS;
  libraries: LibraryMeta[];
}

export interface LoadedLibrary {
  meta: LibraryMeta;
  runs: Run[];
  manifest: Manifest;
  /** n × dim LSTD embeddings (insertion order). */
  embedding: Float32Array;
  /** What policies.bin ships of this library (lib/lever/artefacts.ts). */
  arrays: PolicyArrays;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Worker job (pool.ts): the regressors (10-fold CV and in-sample, linear and gbrt), the MLP probe and
 * the page's metadata of one library, from its embedding file, as a container's bytes.
 */
export function handle(p: {dir: string; embeddingFile: string}): {bytes: Uint8Array} {
  const manifest = readManifest(p.dir);
  const runs = loadRuns(p.dir, manifest);
  const name = manifest.specSet;
  const emb = readEmbedding(p.embeddingFile);
  const embedding = emb.embeddings.all;
  const dim = emb.dim;
  const rows = emb.policies.map((_, i) => embedding.subarray(i * dim, (i + 1) * dim));
  const ds = dataset(
    rows,
    emb.policies.map((q) => q.target),
  );
  const predictions: Predictions = {oof: {}, ins: {}};
  const regressors = {} as Record<RegressorKind, RegressorSummary>;
  for (const kind of REGRESSORS) {
    const r0 = performance.now();
    const cv = crossValidate(kind, ds, {folds: POLICY_PARAMS.folds, seed: POLICY_PARAMS.cvSeed});
    const seconds = (performance.now() - r0) / 1000;
    regressors[kind] = {kind, cv: cv.cv, inSample: cv.inSample, folds: cv.folds, seed: cv.seed, seconds};
    predictions.oof[kind] = cv.oof;
  }
  // In-sample predictions (crossValidate keeps only the metrics of its full fit): refit on all policies.
  const lin = fitLinear(ds);
  predictions.ins.linear = Float64Array.from(rows, (r) => lin.predict(r));
  const gb = fitGbrt(ds);
  predictions.ins.gbrt = Float64Array.from(rows, (r) => gb.predict(r));

  // MLP probe: time a few X1 policies with the reference's ψ network.
  const selected = selectLibraryPolicies(runs, POLICY_PARAMS.rule).filter((x) => x.policy.spec === "X1");
  const probe = selected.filter((_, i) => i % Math.max(1, Math.floor(selected.length / POLICY_PARAMS.mlpProbe)) === 0).slice(0, POLICY_PARAMS.mlpProbe);
  const m0 = performance.now();
  for (const {policy, run} of probe) embedTransitions(snapshotFeatures(run, policy.snapshot), emb.canonical[policy.spec], {method: "mlp", seed: 0});
  const perPolicy = probe.length ? (performance.now() - m0) / 1000 / probe.length : 0;

  const runIndex = new Map(runs.map((r, i) => [r.meta.id, i]));
  const meta: LibraryMeta = {
    key: name,
    specSet: manifest.specSet,
    size: manifest.size,
    variant: manifest.variant,
    specs: manifest.specs.map((s) => ({name: s.name, episodes: s.episodes})),
    seeds: manifest.seeds,
    rewards: manifest.rewards,
    goldPenalty: runs[0].meta.goldPenalty,
    dim,
    layouts: Object.fromEntries(manifest.seeds.map((s) => [s, layoutJSON(sampleLayout(manifest.size, s, manifest.counts, manifest.variant as Variant))])),
    policies: emb.policies.map((q) => ({...q, target: round(q.target), run: runIndex.get(q.runId)!})),
    runs: runs.map((r) => ({
      id: r.meta.id,
      spec: r.meta.spec,
      reward: r.meta.reward,
      seed: r.meta.seed,
      finalReward: round(r.meta.finalReward),
      time: round(r.meta.time),
      episodes: r.meta.episodes,
    })),
    regressors,
    linear: {coef: Array.from(lin.coef), intercept: lin.intercept},
    embedSeconds: emb.seconds,
    mlp: {probed: probe.length, secondsPerPolicy: round(perPolicy, 3), x1Policies: selected.length, estimatedSeconds: round(perPolicy * selected.length, 1)},
  };
  // The embedding and canonical states stay in the embedding file: only the predictions are new here.
  return {bytes: encodeContainer(meta, predictionSections(predictions))};
}

/** Embeddings + regressors of one library, built or read from the content-hash cache. */
async function libraryData(plan: LibraryPlan, log: Log): Promise<LoadedLibrary> {
  const {dir, manifest} = await ensureLibrary(plan, log);
  const name = plan.specSet.name;
  const p = POLICY_PARAMS;
  // The same embedding file as the [main] experiment's (experimentDefaults): computed once.
  const embeddingFile = await ensureEmbedding(dir, {method: p.sfMethod, rule: p.rule, canonical: p.canonical, seed: p.pi2vecSeed}, log);
  const file = join(cacheRoot(), `policies-${name}-${cacheKey("policies", {embedding: basename(embeddingFile), params: p}, [new URL(import.meta.url)])}.lvr`);
  await cachedFile(
    file,
    async () => {
      log(`policies ${name}: regressors (${p.folds}-fold CV, linear and gbrt) and the MLP ψ probe…`);
      return (await runTask<ReturnType<typeof handle>>(new URL(import.meta.url), {dir, embeddingFile}, {priority: 1})).bytes;
    },
    log,
    `policies ${name}`,
  );
  const c = decodeContainer<LibraryMeta>(readFileSync(file));
  const m = c.meta;
  log(
    `policies ${name}: linear cv R² ${m.regressors.linear.cv.r2.toFixed(3)}, gbrt cv R² ${m.regressors.gbrt.cv.r2.toFixed(3)}; MLP ψ probe ${m.mlp.secondsPerPolicy} s/policy → ${m.mlp.estimatedSeconds} s for ${m.mlp.x1Policies} X1 policies (not shipped)`,
  );
  const emb = readEmbedding(embeddingFile);
  const arrays: PolicyArrays = {
    embedding: emb.embeddings.all,
    ...predictionsFromSections(c.sections),
    canonical: Object.fromEntries(Object.entries(emb.canonical).map(([spec, sets]) => [spec, sets.all.data])),
  };
  return {meta: m, runs: loadRuns(dir, manifest), manifest, embedding: arrays.embedding, arrays};
}

/** Every library of the profile with its embeddings (shared with runtime/policy-index.ts). */
export async function loadPolicyLibraries(profile: Profile, log: Log): Promise<LoadedLibrary[]> {
  return Promise.all(libraryPlan(profile).map((plan) => libraryData(plan, log)));
}

/** src/data/policies.bin: metadata, embeddings, regressor predictions, canonical states. */
export async function policiesArtefact(profile: Profile, log: Log): Promise<Uint8Array> {
  const libraries = await loadPolicyLibraries(profile, log);
  const meta: PoliciesMeta = {format: POLICIES_FORMAT, profile, params: POLICY_PARAMS, libraries: libraries.map((l) => l.meta)};
  return encodePolicies(
    meta,
    libraries.map((l) => l.arrays),
  );
}

/**
 * src/data/policy-tables-<key>.bin: Q-tables and visit counts of every policy and the final Q of every
 * run, for one library (one file per library, so a page downloads only the grid the reader picks). A
 * library that is not in the profile gives an empty container.
 */
export async function policyTablesArtefact(profile: Profile, key: string, log: Log): Promise<Uint8Array> {
  const plans = libraryPlan(profile).filter((p) => p.specSet.name === key);
  const libraries: LoadedLibrary[] = [];
  for (const plan of plans) libraries.push(await libraryData(plan, log));
  const meta: PolicyTablesMeta = {format: POLICY_TABLES_FORMAT, profile, libraries: []};
  const tables: LibraryTables[] = [];
  for (const l of libraries) {
    const nS = l.meta.size * l.meta.size;
    const w = nS * 4;
    const n = l.meta.policies.length;
    const q = new Float64Array(n * w);
    const counts = new Uint32Array(n * w);
    l.meta.policies.forEach((p, i) => {
      const run = l.runs[p.run];
      q.set(runQ(run, p.snapshot), i * w);
      counts.set(runCounts(run, p.snapshot), i * w);
    });
    const qFinal = new Float64Array(l.runs.length * w);
    l.runs.forEach((r, i) => qFinal.set(r.qFinal, i * w));
    tables.push({q, counts, qFinal});
    meta.libraries.push({key: l.meta.key, nStates: nS, policies: n, runs: l.runs.length});
  }
  return encodePolicyTables(meta, tables);
}
