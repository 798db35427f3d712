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
    /** The faithful MLP scoring subset (grid16 X1 ExNonZero): seeds and modes, all when absent. */
    mlpSeeds?: readonly number[];
    mlpModes?: readonly ("trivial" | "double" | "triple")[];
  };
  /** π2vec LSTD-vs-MLP agreement (spec/lever.md §3.4): grid16 X1 policies of these seeds and snapshots. */
  agreement: {seeds: readonly number[]; labels: readonly string[]};
  /** Part II studies A/B/R/M. */
  steer: Readonly<StudyScale>;
}

export const PROFILE_SCOPES: Readonly<Record<Profile, Readonly<ProfileScope>>> = Object.freeze({
  quick: Object.freeze<ProfileScope>({
    libraries: [{specSet: "grid16", specs: ["X1"]}],
    reproduce: {specs: ["X1"], grid32: false, grid16Scaled: false, mlpSeeds: [0, 1], mlpModes: ["trivial"]},
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
    reproduce: {specs: ["X1", "X5", "X10"], grid32: true, grid16Scaled: true},
    // Every X1 policy: 5 seeds × 8 rewards × 3 snapshots = 120.
    agreement: {seeds: [0, 1, 2, 3, 4], labels: ["20", "60", "80"]},
    steer: Object.freeze({seeds: 5, episodes: 25, trainSteps: 2000, hidden: [32, 32], datasetEpisodes: 300, mazeTransitions: 40_000, calStates: 2000}),
  }),
});
