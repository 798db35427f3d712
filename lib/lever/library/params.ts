/**
 * Every setting of a policy library (spec/lever.md §2), with the reference's values as defaults, and
 * the run list it expands to: one SARSA run per spec × reward system × seed (`runParamsFor`).
 */
import type {Spec, SpecSet} from "../env/layout.js";
import type {GoldPenalty} from "../env/rewards.js";
import type {KeepRule, RunParams} from "./runs.js";
import type {UpdateRule} from "./sarsa.js";

export interface LibraryParams {
  specSet: SpecSet;
  specs: Spec[];
  seeds: number[];
  rewards: string[];
  /** Discount (default: the spec set's, 0.99 for [main], 0 for [v3]). */
  gamma?: number;
  /** Learning rate (0.1). */
  alpha?: number;
  /** Update rule (the reference's SARSA). */
  rule?: UpdateRule;
  /** Gold-exit penalty during training (fractional). */
  goldPenalty?: GoldPenalty;
  /** Snapshots kept (default: the three policy snapshots for [main], all for [v3]). */
  keep?: KeepRule;
  /** Base seed of every training stream (0). */
  trainSeed?: number;
}

/** The runs of a library, spec → reward system → seed, each with every setting resolved. */
export function runParamsFor(o: LibraryParams): RunParams[] {
  const jobs: RunParams[] = [];
  for (const spec of o.specs) {
    for (const reward of o.rewards) {
      for (const seed of o.seeds) {
        jobs.push({
          specSet: o.specSet.name,
          spec: spec.name,
          size: o.specSet.size,
          variant: o.specSet.variant,
          reward,
          seed,
          counts: o.specSet.counts,
          episodes: spec.episodes,
          epsDecay: spec.epsDecay,
          saveEvery: spec.saveEvery,
          gamma: o.gamma ?? o.specSet.gamma,
          alpha: o.alpha ?? 0.1,
          rule: o.rule ?? "reference",
          goldPenalty: o.goldPenalty ?? "fractional",
          keep: o.keep ?? (o.specSet.variant === "v3" ? "all" : "policies"),
          trainSeed: o.trainSeed ?? 0,
        });
      }
    }
  }
  return jobs;
}
