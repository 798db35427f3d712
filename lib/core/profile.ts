/**
 * The two build profiles and what each one computes, artefact by artefact: the one place that says
 * what "quick" means. `paper` is what the papers ran; `quick` is what CI builds in minutes
 * (`LEVER_PROFILE=quick npm run build`, `lever reproduce --profile quick`, `lever steer --profile quick`).
 *
 * Pure data with no imports: the planners read their part (lib/lever/library/plan.ts `libraryPlan`,
 * lib/lever/experiment/plan.ts `reproducePlan`, lib/steer/studies.ts `scaleOf`, the π2vec agreement in
 * runtime/pi2vec-agreement.ts), and runtime/profile.ts reads LEVER_PROFILE. Every artefact's cache key
 * hashes this file, so keeping it free of imports keeps an edit elsewhere from invalidating them all.
 */

export type Profile = "quick" | "paper";

export const PROFILES: readonly Profile[] = ["quick", "paper"];

/** `value` as a profile, or a one-line RangeError naming `what` (e.g. "--profile", "LEVER_PROFILE"). */
export function parseProfile(value: string, what = "profile"): Profile {
  if (!(PROFILES as readonly string[]).includes(value)) throw new RangeError(`invalid ${what}: ${JSON.stringify(value)} (accepted: ${PROFILES.join(", ")})`);
  return value as Profile;
}

/** The size of a Part II study run (spec/steering.md §8.7). */
export interface StudyScale {
  /** Replicate seeds per cell (§6.3 reads 3; the paper profile runs 5 for a seed-to-seed spread, issue 13 §5). */
  seeds: number;
  /**
   * Seeds per cell for the studies listed here instead of `seeds` (an explicit `seeds` override of a
   * caller wins over both). The paper profile runs study R — 12 conditions, the costliest study — at the
   * spec's 3 seeds so Part II stays within its 5-minute budget; its seed spread is over 3 seeds.
   */
  studySeeds?: Readonly<Partial<Record<"A" | "B" | "R" | "M" | "L", number>>>;
  /** Evaluation episodes per (unit, config) (§8.6: 25). */
  episodes: number;
  /** Adam updates per network (§8.4: ≈ 2,000; lib/steer/train.ts TRAIN_DEFAULTS.steps, checked by a test). */
  trainSteps: number;
  /** Hidden widths of the actor and the prior (§8.4: two tanh layers of 32–64). */
  hidden: readonly number[];
  /** Episodes per Reach dataset component (§8.3: 300). */
  datasetEpisodes: number;
  /** Transitions per maze dataset (§8.2 E2: ≈ 40k). */
  mazeTransitions: number;
  /** Calibration states of the selector (§4.2: 2,000). */
  calStates: number;
}

/** What one profile computes, per artefact. */
export interface ProfileScope {
  /** The site's LEVER policy libraries (GridWorld, embeddings and search pages): spec set and specs. */
  libraries: readonly {specSet: string; specs: readonly string[]}[];
  /** `lever reproduce` and the "Reproducing the paper" page (spec/lever.md §9). */
  reproduce: {
    /** Specs of every step (the libraries hold the same specs). */
    specs: readonly string[];
    /** Whether the 32×32 tables (both methods) and the grid16_scaled ExZero step run. */
    grid32: boolean;
    grid16Scaled: boolean;
    /**
     * The faithful MLP subset (lib/lever/experiment/plan.ts): grid16 X1 with an X1 library embedded by
     * the [main] MLP ψθ for these seeds only (≈ 4 s per policy), each method on its modes, each beside an
     * LSTD twin of the same subset; null: not run (its cost is minutes; `lever experiment --sf mlp` runs any part).
     */
    /** TFS over training seeds (lib/lever/experiment/tfs.ts) on the grid16 steps: these specs' rows, this many training seeds. */
    tfs: {specs: readonly string[]; seeds: number};
    mlp: {seeds: readonly number[]; modes: {exnonzero: readonly ("trivial" | "double" | "triple")[]; qsum: readonly ("trivial" | "double" | "triple")[]}} | null;
  };
  /** π2vec LSTD-vs-MLP agreement (spec/lever.md §3.4): grid16 X1 policies of these seeds and snapshots. */
  agreement: {seeds: readonly number[]; labels: readonly string[]};
  /** Part II studies A/B/R/M. */
  steer: Readonly<StudyScale>;
}

export const PROFILE_SCOPES: Readonly<Record<Profile, Readonly<ProfileScope>>> = Object.freeze({
  quick: Object.freeze<ProfileScope>({
    libraries: [{specSet: "grid16", specs: ["X1"]}],
    // No MLP subset: its library embedding alone (24 policies) would take several times the quick build.
    reproduce: {specs: ["X1"], grid32: false, grid16Scaled: false, tfs: {specs: ["X1"], seeds: 4}, mlp: null},
    // The 60 % snapshot of seeds 0–2: 24 policies.
    agreement: {seeds: [0, 1, 2], labels: ["60"]},
    // §8.7: "1 seed, 8 episodes, under 30 s for CI"; 2 seeds so the pages show a seed-to-seed spread
    // (issue 13 §5); smaller data and shorter training [OURS].
    steer: Object.freeze({seeds: 2, episodes: 8, trainSteps: 400, hidden: [32, 32], datasetEpisodes: 60, mazeTransitions: 8000, calStates: 500}),
  }),
  paper: Object.freeze<ProfileScope>({
    libraries: [
      {specSet: "grid16", specs: ["X1", "X5", "X10"]},
      {specSet: "grid32", specs: ["X1", "X5", "X10"]},
    ],
    // The MLP subset: seed 0; ExNonZero in every mode (few distinct planned paths to score), Q-sum in the
    // triple mode (2 sub-queries: 25 + 9 combinations; trivial P+G+H+L alone would be 625 MLP fits).
    // TFS over 4 training seeds on the grid16 X1 rows (≈ 90 extra 16×16 X1 runs, seconds); any spec set,
    // spec and seed count through \`lever experiment --tfs-specs … --tfs-seeds N\`.
    reproduce: {specs: ["X1", "X5", "X10"], grid32: true, grid16Scaled: true, tfs: {specs: ["X1"], seeds: 4}, mlp: {seeds: [0], modes: {exnonzero: ["trivial", "double", "triple"], qsum: ["triple"]}}},
    // The 60 % snapshot of every seed: 5 seeds × 8 rewards = 40 policies (≈ 170 CPU-s with the [main]
    // ψ network, ≈ 4 s each; all three snapshots, 120 policies, cost ≈ 510 CPU-s, a third of the build:
    // issue 10's budget asks for a stated subset in the paper profile).
    agreement: {seeds: [0, 1, 2, 3, 4], labels: ["60"]},
    steer: Object.freeze({seeds: 5, studySeeds: Object.freeze({R: 3}), episodes: 25, trainSteps: 2000, hidden: [32, 32], datasetEpisodes: 300, mazeTransitions: 40_000, calStates: 2000}),
  }),
});
