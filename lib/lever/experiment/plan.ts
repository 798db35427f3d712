/**
 * Plans of launched experiment runs: `lever reproduce`'s steps per build profile (spec/lever.md §9;
 * what each profile runs is lib/core/profile.ts), and the deterministic split of a run's jobs into
 * shards (`lever experiment --shard i/n`).
 */
import {PROFILE_SCOPES, type Profile} from "../../core/profile.js";
import type {ComposeMethod} from "../compose/compose.js";
import type {SfMethod} from "../pi2vec/embedding.js";
import type {DecompositionMode} from "../retrieval/decompose.js";
import type {GoldPenalty} from "../env/rewards.js";

/** The reference's published tables the project carries (reference/lever/README.md). */
export type ReferenceTables = `lever-results-${16 | 32}/${"exnonzero" | "qsum"}`;

export interface ReproduceStep {
  name: string;
  title: string;
  specSet: string;
  method: ComposeMethod;
  specs: string[];
  librarySpecs: string[];
  seeds?: number[];
  modes?: DecompositionMode[];
  sf?: SfMethod;
  /** TFS over training seeds (params tfsSpecs/tfsSeeds) on these rows; absent = the reference's one run. */
  tfs?: {specs: string[]; seeds: number};
  /** Library policies embedded (and fitted on) for these seeds only (settings `embedSeeds`); absent = all. */
  embedSeeds?: number[];
  /** The step this one is the MLP twin of (same subset, LSTD scoring): compared side by side. */
  twin?: string;
  /** Gold-exit penalty when the step sets it (the k-sweep); otherwise the spec set's default (experimentDefaults). */
  goldPenalty?: GoldPenalty;
  /** The reference's result tables for this step, relative to the reference folder (reference/lever/). */
  reference?: ReferenceTables;
}

/** Every experiment of the paper for `profile`, and the hybrid k-sweep (§8.6). */
export function reproducePlan(profile: Profile): {steps: ReproduceStep[]; sweep: ReproduceStep} {
  const scope = PROFILE_SCOPES[profile].reproduce;
  const x = [...scope.specs];
  const tfs = {specs: [...scope.tfs.specs], seeds: scope.tfs.seeds};
  const steps: ReproduceStep[] = [
    {name: "grid16-exnonzero", title: "ExNonZero, [main] 16×16 (legacy penalty)", specSet: "grid16", method: "exnonzero", specs: x, librarySpecs: x, tfs, reference: "lever-results-16/exnonzero"},
    {name: "grid16-qsum", title: "Q-sum, [main] 16×16 (legacy penalty)", specSet: "grid16", method: "qsum", specs: x, librarySpecs: x, tfs, reference: "lever-results-16/qsum"},
  ];
  if (scope.grid32) {
    steps.push(
      {name: "grid32-exnonzero", title: "ExNonZero, [main] 32×32 (fractional penalty)", specSet: "grid32", method: "exnonzero", specs: x, librarySpecs: x, reference: "lever-results-32/exnonzero"},
      {name: "grid32-qsum", title: "Q-sum, [main] 32×32 (legacy penalty)", specSet: "grid32", method: "qsum", specs: x, librarySpecs: x, reference: "lever-results-32/qsum"},
    );
  }
  steps.push({name: "grid8-exzero", title: "ExZero (support-limited): Q-sum on a γ=0 [v3] library, grid8", specSet: "grid8", method: "qsum", specs: x, librarySpecs: x});
  if (scope.grid16Scaled)
    steps.push({name: "grid16_scaled-exzero", title: "ExZero (support-limited): Q-sum on a γ=0 [v3] library, grid16_scaled", specSet: "grid16_scaled", method: "qsum", specs: x, librarySpecs: x});
  // The faithful MLP subset (one estimator end to end: library embeddings and candidate scoring both by
  // the [main] MLP ψθ), each step beside an LSTD twin of the same subset (lib/core/profile.ts).
  if (scope.mlp) {
    const seeds = [...scope.mlp.seeds];
    for (const method of ["exnonzero", "qsum"] as const) {
      const base = {specSet: "grid16", method, specs: ["X1"], librarySpecs: ["X1"], seeds, modes: [...scope.mlp.modes[method]], embedSeeds: seeds, reference: `lever-results-16/${method}` as const};
      const what = `${method === "exnonzero" ? "ExNonZero" : "Q-sum"} 16×16 X1, seed${seeds.length > 1 ? "s" : ""} ${seeds.join(", ")}, ${base.modes.join("/")}; regressor fitted on the X1 policies of the same seed${seeds.length > 1 ? "s" : ""}`;
      const lstdName = `grid16-${method}-subset-lstd`;
      steps.push({...base, name: lstdName, title: `${what}, LSTD SF (twin of the MLP subset)`, sf: "lstd"});
      steps.push({...base, name: `grid16-${method}-subset-mlp`, title: `${what}, the faithful MLP SF (subset)`, sf: "mlp", twin: lstdName});
    }
  }
  // The k-sweep is scored with the legacy −20 gold-exit penalty, as the reference's published
  // hybrid_k_sweep.csv; the sweep script the reference ships uses the fractional one
  // (`lever sweep --gold-penalty fractional` runs that).
  return {
    steps,
    sweep: {name: "grid16-sweep", title: "Hybrid k-sweep, Q-sum 16×16", specSet: "grid16", method: "qsum", specs: x, librarySpecs: x, goldPenalty: "legacy", reference: "lever-results-16/qsum"},
  };
}

/** Shard `index` of `count` (1-based). */
export interface Shard {
  index: number;
  count: number;
}

/** "i/n" → {index: i, count: n}, 1 ≤ i ≤ n. */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) throw new RangeError(`invalid --shard: ${JSON.stringify(value)} (expected i/n with 1 ≤ i ≤ n, e.g. 1/2)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new RangeError(`invalid --shard: ${JSON.stringify(value)} (expected i/n with 1 ≤ i ≤ n, e.g. 1/2)`);
  return {index, count};
}

/**
 * Round-robin shard assignment over the full job list: shard i keeps the jobs whose position is
 * ≡ i−1 (mod n), so shards are balanced and the split depends only on the plan.
 */
export function shardJobs<T>(jobs: readonly T[], shard?: Shard): T[] {
  return shard ? jobs.filter((_, i) => i % shard.count === shard.index - 1) : [...jobs];
}
