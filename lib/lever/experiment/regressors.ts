/**
 * The reward regressors of the experiment (spec/lever.md §5): their groups (one per canonical set, and
 * per spec with `bySpec`), fitting, lookup and the cross-validated report. Kept apart from the
 * experiment's composition code so that the cached report (runtime/regressor-report.ts)
 * depends only on this, the regressors and the embedding types.
 */
import type {LibraryEmbedding, LibraryPolicy} from "../pi2vec/embedding.js";
import {V3_CANONICAL_SETS} from "../pi2vec/canonical.js";
import type {Dataset, Metrics, Model, RegressorKind} from "../pi2vec/regressor.js";
import {crossValidate, dataset, fit} from "../pi2vec/regressor.js";

export interface Regressors {
  kind: RegressorKind;
  bySpec: boolean;
  /** Key `${spec}/${set}` (bySpec) or `*\/${set}`. */
  models: Record<string, Model>;
  /** Training-set size per key. */
  sizes: Record<string, number>;
}

/**
 * Fit the reward regressors on the library embeddings (§5): [main] one model on every policy's
 * embedding ("all"); [v3] one per variant base/pair/trip, trained on the policies whose reward system
 * is in that variant, with that variant's embedding; `bySpec` splits each by spec
 * (`--split-regressor-by-spec`). Targets are the snapshots' greedy rewards as stored in the CSV.
 */
/**
 * The regressor groups of §5: one per canonical set ("all" [main]; base/pair/trip [v3], each filtered
 * to its reward systems) and, with `bySpec`, per spec ([S] `--split-regressor-by-spec`).
 */
export function regressorGroups(embedding: LibraryEmbedding, bySpec: boolean): {key: string; spec: string; set: string; policies: LibraryPolicy[]; data: Dataset}[] {
  const specs = bySpec ? [...new Set(embedding.policies.map((p) => p.spec))] : ["*"];
  const out: {key: string; spec: string; set: string; policies: LibraryPolicy[]; data: Dataset}[] = [];
  for (const set of Object.keys(embedding.embeddings)) {
    const rewards: readonly string[] | null = set === "all" ? null : V3_CANONICAL_SETS[set as keyof typeof V3_CANONICAL_SETS];
    for (const spec of specs) {
      const ps = embedding.policies.filter((p) => (rewards === null || rewards.includes(p.reward)) && (spec === "*" || p.spec === spec));
      if (ps.length === 0) continue;
      const e = embedding.embeddings[set];
      const d = embedding.dim;
      out.push({
        key: `${spec}/${set}`,
        spec,
        set,
        policies: ps,
        data: dataset(
          ps.map((p) => e.subarray(p.index * d, (p.index + 1) * d)),
          ps.map((p) => p.target),
        ),
      });
    }
  }
  return out;
}

export function fitRegressors(embedding: LibraryEmbedding, options: {kind: RegressorKind; bySpec?: boolean; gbrt?: Parameters<typeof fit>[2]}): Regressors {
  const {kind, bySpec = false} = options;
  const models: Record<string, Model> = {};
  const sizes: Record<string, number> = {};
  for (const g of regressorGroups(embedding, bySpec)) {
    models[g.key] = fit(kind, g.data, options.gbrt);
    sizes[g.key] = g.policies.length;
  }
  return {kind, bySpec, models, sizes};
}

/** Seeded k-fold CV and in-sample R², MAE, NMAE of every regressor group (the reference reports in-sample only). */
export function regressorReport(
  embedding: LibraryEmbedding,
  options: {kind: RegressorKind; bySpec?: boolean; folds?: number; seed?: number; groups?: readonly number[]},
): {spec: string; set: string; n: number; cv: Metrics; inSample: Metrics}[] {
  const {kind, bySpec = false, folds = 10, seed = 42} = options;
  // `groups`: indices into regressorGroups (each group is independent: workers can split the report).
  const all = regressorGroups(embedding, bySpec);
  return (options.groups ? options.groups.map((i) => all[i]) : all).map((g) => {
    const r = crossValidate(kind, g.data, {folds: Math.min(folds, g.policies.length), seed});
    return {spec: g.spec, set: g.set, n: g.policies.length, cv: r.cv, inSample: r.inSample};
  });
}

export function regressorFor(regs: Regressors, spec: string, set: string): Model {
  const m = regs.models[`${regs.bySpec ? spec : "*"}/${set}`];
  if (!m) throw new RangeError(`no regressor for spec ${spec}, set ${set} (have: ${Object.keys(regs.models).join(", ")})`);
  return m;
}
