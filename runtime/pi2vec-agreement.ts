/**
 * The artefact src/data/pi2vec-agreement.json (Node only): how well our closed-form LSTD successor features agree with the reference's MLP ψ
 * (spec/lever.md §3.4) on a subset of the grid16 X1 library policies — the [main] MLP costs ~4 s per policy,
 * too much for every policy of every build. For both embeddings of the same policies: a linear and a
 * gradient-boosted regressor (seeded 10-fold out-of-fold predictions), the Spearman correlation of the
 * returns the two predict, each one's correlation with the true returns, and the overlap of the 5
 * nearest neighbours (cosine). The subset is the build profile's (lib/core/profile.ts). Cached by content hash.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {neighbourOverlap, spearman} from "../lib/lever/pi2vec/agreement.js";
import {decodeRun} from "../lib/lever/library/runs.js";
import {canonicalSets, embedTransitions, selectLibraryPolicies} from "../lib/lever/pi2vec/embedding.js";
import {snapshotFeatures} from "../lib/lever/pi2vec/canonical.js";
import {LIBRARY_EMBEDDING} from "../lib/lever/pi2vec/params.js";
import {crossValidate, dataset, type RegressorKind} from "../lib/lever/pi2vec/regressor.js";
import {PROFILE_SCOPES, type Profile} from "../lib/core/profile.js";
import {libraryPlan, type LibraryPlan} from "../lib/lever/library/plan.js";
import {MAIN_PERCENTAGES} from "../lib/lever/library/snapshots.js";
import {cachedFile, cacheKey, cacheRoot} from "./cache.js";
import {readManifest} from "./library-build.js";
import {ensureLibrary} from "./library.js";
import {defaultWorkers, runPool} from "./pool.js";

const K = 5;

/** X1 runs and canonical sets of a library, decoded once per thread. */
const prepared = new Map<string, {chosenOf: (subset: Subset) => ReturnType<typeof selectLibraryPolicies>; canonical: ReturnType<typeof canonicalSets>}>();

type Subset = {seeds: readonly number[]; labels: readonly string[]};

function prepare(dir: string) {
  let p = prepared.get(dir);
  if (!p) {
    const manifest = readManifest(dir);
    const runs = manifest.runs.filter((r) => r.spec === "X1").map((r) => decodeRun(readFileSync(join(dir, r.file))));
    const canonical = canonicalSets(runs, "main", LIBRARY_EMBEDDING.canonical, LIBRARY_EMBEDDING.seed);
    const selected = selectLibraryPolicies(runs, "main");
    p = {canonical, chosenOf: (subset) => selected.filter(({policy}) => subset.seeds.includes(policy.seed) && subset.labels.includes(policy.label))};
    prepared.set(dir, p);
  }
  return p;
}

/** Worker job (pool.ts): LSTD and MLP ψ embeddings of the chosen policies `from`…`to` − 1. */
export function handle(p: {dir: string; subset: Subset; from: number; to: number}) {
  const {canonical, chosenOf} = prepare(p.dir);
  const chosen = chosenOf(p.subset);
  const dim = canonical.X1.all.dim;
  const out = {lstd: new Float32Array((p.to - p.from) * dim), mlp: new Float32Array((p.to - p.from) * dim), seconds: {lstd: 0, mlp: 0}};
  for (let i = p.from; i < p.to; i++) {
    const {policy, run} = chosen[i];
    const features = snapshotFeatures(run, policy.snapshot);
    for (const method of ["lstd", "mlp"] as const) {
      const t0 = performance.now();
      const e = embedTransitions(features, canonical.X1, {method, seed: i});
      out.seconds[method] += (performance.now() - t0) / 1000;
      out[method].set(e.all, (i - p.from) * dim);
    }
  }
  return out;
}

/** The snapshot labels of the [main] rule's policies (the 20/60/80 % snapshots). */
export const AGREEMENT_LABELS: readonly string[] = MAIN_PERCENTAGES.map(([, label]) => label);

/**
 * src/data/pi2vec-agreement.json: the profile's subset of grid16 X1 policies, both embeddings compared;
 * `lever agreement` passes any other subset of the profile's library (seeds 0–4, snapshots 20/60/80).
 */
export async function agreementArtefact(profile: Profile, log: (line: string) => void, subsetOf: Subset = PROFILE_SCOPES[profile].agreement): Promise<string> {
  const subset: Subset = {seeds: [...subsetOf.seeds], labels: [...subsetOf.labels]};
  const plan = libraryPlan(profile).find((p) => p.specSet.name === "grid16")!;
  const file = join(cacheRoot(), `pi2vec-agreement-${cacheKey("pi2vec-agreement", {profile, subset}, [new URL(import.meta.url)])}.json`);
  return readFileSync(await cachedFile(file, () => compare(profile, plan, subset, log), log, "pi2vec agreement"), "utf8");
}

async function compare(profile: Profile, plan: LibraryPlan, subset: Subset, log: (line: string) => void): Promise<string> {
  const {dir} = await ensureLibrary(plan, log);
  const {canonical, chosenOf} = prepare(dir);
  const chosen = chosenOf(subset);
  const n = chosen.length;
  const dim = canonical.X1.all.dim;
  const emb = {lstd: new Float32Array(n * dim), mlp: new Float32Array(n * dim)};
  const seconds = {lstd: 0, mlp: 0};
  // Chunks of 8 policies on the worker pool (the [main] MLP costs ~4 s per policy on 16×16).
  const chunks = Array.from({length: Math.ceil(n / 8)}, (_, c) => ({dir, subset, from: c * 8, to: Math.min(n, c * 8 + 8)}));
  let done = 0;
  await runPool<(typeof chunks)[number], ReturnType<typeof handle>>(new URL(import.meta.url), chunks, defaultWorkers(), (c, r) => {
    emb.lstd.set(r.lstd, chunks[c].from * dim);
    emb.mlp.set(r.mlp, chunks[c].from * dim);
    seconds.lstd += r.seconds.lstd;
    seconds.mlp += r.seconds.mlp;
    done += chunks[c].to - chunks[c].from;
    log(`pi2vec agreement: ${done}/${n} policies (MLP ${seconds.mlp.toFixed(1)} s, LSTD ${seconds.lstd.toFixed(2)} s)`);
  });
  const y = chosen.map(({policy}) => policy.target);
  const rows = (e: Float32Array) => Array.from({length: n}, (_, i) => Array.from(e.subarray(i * dim, (i + 1) * dim)));
  const regressors: Record<string, unknown> = {};
  for (const kind of ["linear", "gbrt"] as RegressorKind[]) {
    const folds = Math.min(10, n);
    const l = crossValidate(kind, dataset(rows(emb.lstd), y), {folds, seed: 42});
    const m = crossValidate(kind, dataset(rows(emb.mlp), y), {folds, seed: 42});
    regressors[kind] = {
      spearmanPredictions: spearman(l.oof, m.oof),
      spearmanLstdTruth: spearman(l.oof, y),
      spearmanMlpTruth: spearman(m.oof, y),
      lstd: {cv: l.cv, inSample: l.inSample},
      mlp: {cv: m.cv, inSample: m.inSample},
      points: chosen.map(({policy}, i) => ({name: policy.name, reward: policy.reward, target: y[i], lstd: l.oof[i], mlp: m.oof[i]})),
    };
  }
  return JSON.stringify({
    profile,
    library: plan.specSet.name,
    spec: "X1",
    policies: n,
    subset,
    k: K,
    neighbourOverlap: neighbourOverlap(emb.lstd, emb.mlp, n, dim, K),
    seconds,
    perPolicyMs: {lstd: (seconds.lstd / n) * 1000, mlp: (seconds.mlp / n) * 1000},
    regressors,
  });
}
