/**
 * Loader: how well our closed-form LSTD successor features agree with the reference's MLP ψ
 * (spec/lever.md §3.4) on a subset of the grid16 X1 library policies — the MLP costs ~0.5 s per policy,
 * too much for every policy of every build. For both embeddings of the same policies: a linear and a
 * gradient-boosted regressor (seeded 10-fold out-of-fold predictions), the Spearman correlation of the
 * returns the two predict, each one's correlation with the true returns, and the overlap of the 5
 * nearest neighbours (cosine). Cached by content hash.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {neighbourOverlap, spearman} from "../lib/agreement.js";
import {decodeRun} from "../lib/library.js";
import {canonicalSets, embedTransitions, selectLibraryPolicies} from "../lib/pi2vec.js";
import {snapshotFeatures} from "../lib/policies.js";
import {crossValidate, dataset, type RegressorKind} from "../lib/regressor.js";
import {cacheKey, cacheRoot} from "./node/cache.js";
import {atomicWrite} from "./node/fs.js";
import {ensureLibrary} from "./node/library-cache.js";
import {currentProfile, libraryPlan} from "./node/profile.js";

const K = 5;

export async function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  const profile = currentProfile();
  // quick: the 60 % snapshot of seeds 0–2 (24 policies); paper: every X1 policy (120).
  const subset = profile === "quick" ? {seeds: [0, 1, 2], labels: ["60"]} : {seeds: [0, 1, 2, 3, 4], labels: ["20", "60", "80"]};
  const plan = libraryPlan(profile).find((p) => p.specSet.name === "grid16")!;
  const file = join(cacheRoot(), `pi2vec-agreement-${cacheKey("pi2vec-agreement", {profile, subset})}.json`);
  if (existsSync(file)) {
    log(`pi2vec agreement: cached (${file})`);
    return readFileSync(file, "utf8");
  }
  const {dir, manifest} = await ensureLibrary(plan, log);
  const runs = manifest.runs.filter((r) => r.spec === "X1").map((r) => decodeRun(readFileSync(join(dir, r.file))));
  const canonical = canonicalSets(runs, "main", 128, 0);
  const chosen = selectLibraryPolicies(runs, "main").filter(({policy}) => subset.seeds.includes(policy.seed) && subset.labels.includes(policy.label));
  const n = chosen.length;
  const dim = canonical.X1.all.dim;
  const emb = {lstd: new Float32Array(n * dim), mlp: new Float32Array(n * dim)};
  const seconds = {lstd: 0, mlp: 0};
  chosen.forEach(({policy, run}, i) => {
    const features = snapshotFeatures(run, policy.snapshot);
    for (const method of ["lstd", "mlp"] as const) {
      const t0 = performance.now();
      const e = embedTransitions(features, canonical.X1, {method, seed: i});
      seconds[method] += (performance.now() - t0) / 1000;
      emb[method].set(e.all, i * dim);
    }
    if ((i + 1) % 8 === 0 || i + 1 === n) log(`pi2vec agreement: ${i + 1}/${n} policies (MLP ${seconds.mlp.toFixed(1)} s, LSTD ${seconds.lstd.toFixed(2)} s)`);
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
  const result = JSON.stringify({
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
  atomicWrite(file, result);
  return result;
}
