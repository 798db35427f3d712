/**
 * π2vec for a whole library (spec/lever.md §3): which snapshots become library policies (§3.2), the
 * canonical states (§3.3), and one embedding per policy from its successor features (§3.4), with the
 * reference's MLP ψ (`mlp`) or our closed-form LSTD estimate (`lstd`, orders of magnitude faster).
 *
 * Order of policies = the reference's insertion order: specs → reward systems → seeds → snapshots
 * (our library manifests list runs in that order already).
 */
import type {FeatureMatrix} from "./features.js";
import {transitionsFrom} from "./features.js";
import type {Run} from "../library/runs.js";
import {canonicalStatesFromRuns, snapshotFeatures, V3_CANONICAL_SETS} from "./canonical.js";
import {runSnapshotRows, selectMainPolicies, selectV3Policies, type PolicyPick} from "../library/snapshots.js";
import {Rng, deriveSeed} from "../../core/rng.js";
import {embed, trainPsi, type PsiParams} from "./sf-mlp.js";
import {embedLstd, lstd, type LstdParams} from "./sf-lstd.js";

export type SfMethod = "lstd" | "mlp";
export const SF_METHODS: readonly SfMethod[] = ["lstd", "mlp"];
export type PolicyRule = "main" | "v3";

export function parseSfMethod(value: string): SfMethod {
  if (value === "lstd" || value === "mlp") return value;
  throw new RangeError(`invalid successor-feature method: ${JSON.stringify(value)} (accepted: lstd, mlp)`);
}

export interface LibraryPolicy {
  /** Position in insertion order. */
  index: number;
  /** "<spec>_<reward>_<seed4>_<label>". */
  name: string;
  runId: string;
  spec: string;
  reward: string;
  seed: number;
  /** Snapshot index within the run, its episode and the selection label. */
  snapshot: number;
  episode: number;
  label: string;
  /** Regressor target: the snapshot's greedy reward as the reference's CSV stores it. */
  target: number;
  /** Number of transitions of the snapshot's recorded training episode. */
  transitions: number;
}

export interface Pi2VecOptions {
  method: SfMethod;
  rule?: PolicyRule;
  /** Canonical states per spec (128). */
  canonical?: number;
  /** Seed of canonical sampling and of ψ initialisation/shuffling. */
  seed?: number;
  psi?: PsiParams;
  lstd?: LstdParams;
}

/** Canonical sets: [main] one set per spec from all its reward systems; [v3] base/pair/trip per spec. */
export type CanonicalSets = Record<string, Record<string, FeatureMatrix>>;

export interface LibraryEmbedding {
  policies: LibraryPolicy[];
  /** Per canonical set name ("all" for [main]; "base", "pair", "trip" for [v3]): n × dim, row-major. */
  embeddings: Record<string, Float32Array>;
  dim: number;
  canonical: CanonicalSets;
  method: SfMethod;
  rule: PolicyRule;
  /** Wall time of the successor-feature fits and embeddings (s). */
  seconds: number;
}

/** Policies of a library under a selection rule, in insertion order, with their runs. */
export function selectLibraryPolicies(runs: readonly Run[], rule: PolicyRule = "main"): {policy: LibraryPolicy; run: Run}[] {
  const out: {policy: LibraryPolicy; run: Run}[] = [];
  for (const run of runs) {
    const m = run.meta;
    const owner = {spec: m.spec, reward: m.reward, seed: m.seed};
    const picks: PolicyPick[] = rule === "main" ? selectMainPolicies(runSnapshotRows(run, true), owner) : selectV3Policies(runSnapshotRows(run, false), owner);
    for (const p of picks) {
      if (p.row >= m.snapshotEpisodes.length) throw new RangeError(`invalid policy pick: row ${p.row} of ${m.id} is the final row, which has no recorded episode`);
      out.push({
        run,
        policy: {
          index: out.length,
          name: p.name,
          runId: m.id,
          spec: m.spec,
          reward: m.reward,
          seed: m.seed,
          snapshot: p.row,
          episode: p.episode,
          label: p.label,
          target: p.reward,
          transitions: run.actionOffsets[p.row + 1] - run.actionOffsets[p.row],
        },
      });
    }
  }
  return out;
}

/** Canonical states per spec (§3.3), seeded (the reference's are not). */
export function canonicalSets(runs: readonly Run[], rule: PolicyRule, total: number, seed: number): CanonicalSets {
  const bySpec = new Map<string, Run[]>();
  for (const r of runs) {
    if (!bySpec.has(r.meta.spec)) bySpec.set(r.meta.spec, []);
    bySpec.get(r.meta.spec)!.push(r);
  }
  const out: CanonicalSets = {};
  for (const [spec, group] of bySpec) {
    if (rule === "main") {
      out[spec] = {all: canonicalStatesFromRuns(group, new Rng(deriveSeed(seed, "canonical", spec)), {total})};
    } else {
      out[spec] = {};
      for (const [set, rewards] of Object.entries(V3_CANONICAL_SETS)) {
        out[spec][set] = canonicalStatesFromRuns(group, new Rng(deriveSeed(seed, "canonical", spec, set)), {total, rewards});
      }
    }
  }
  return out;
}

/**
 * Successor-feature embedding of one recorded episode's transitions over canonical state sets. The MLP
 * is the network of the library's rule (§3.4: [main] rule → [main] network, the default), at its
 * library learning rate, unless `psi` says otherwise.
 */
export function embedTransitions(
  features: FeatureMatrix,
  canonical: Record<string, FeatureMatrix>,
  o: {method: SfMethod; seed: number; rule?: PolicyRule; psi?: PsiParams; lstd?: LstdParams},
): Record<string, Float32Array> {
  const tr = transitionsFrom(features);
  const out: Record<string, Float32Array> = {};
  if (o.method === "lstd") {
    const model = lstd(tr, o.lstd);
    for (const [set, c] of Object.entries(canonical)) out[set] = embedLstd(model, c);
  } else {
    const {model} = trainPsi(tr, {...o.psi, architecture: o.psi?.architecture ?? o.rule ?? "main", use: o.psi?.use ?? "library", seed: o.seed});
    for (const [set, c] of Object.entries(canonical)) out[set] = embed(model, c);
  }
  return out;
}

/**
 * Embed every library policy. `onProgress(done, total)` is called after each policy; return `false`
 * from it to stop early (the result then covers the policies done).
 */
export function embedLibrary(runs: readonly Run[], options: Pi2VecOptions, onProgress?: (done: number, total: number) => boolean | void): LibraryEmbedding {
  const rule = options.rule ?? "main";
  const seed = options.seed ?? 0;
  const selected = selectLibraryPolicies(runs, rule);
  const canonical = canonicalSets(runs, rule, options.canonical ?? 128, seed);
  const setNames = Object.keys(Object.values(canonical)[0] ?? {all: null});
  const dim = Object.values(Object.values(canonical)[0] ?? {})[0]?.dim ?? 70;
  const embeddings: Record<string, Float32Array> = Object.fromEntries(setNames.map((s) => [s, new Float32Array(selected.length * dim)]));
  const t0 = performance.now();
  let done = 0;
  for (const {policy, run} of selected) {
    const e = embedTransitions(snapshotFeatures(run, policy.snapshot), canonical[policy.spec], {
      method: options.method,
      seed: deriveSeed(seed, "psi", policy.name),
      rule,
      psi: options.psi,
      lstd: options.lstd,
    });
    for (const s of setNames) embeddings[s].set(e[s], policy.index * dim);
    done++;
    if (onProgress?.(done, selected.length) === false) break;
  }
  const policies = selected.slice(0, done).map((x) => x.policy);
  for (const s of setNames) embeddings[s] = embeddings[s].slice(0, done * dim);
  return {policies, embeddings, dim, canonical, method: options.method, rule, seconds: (performance.now() - t0) / 1000};
}
