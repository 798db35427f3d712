/**
 * The models of a study unit (spec/steering.md §8.3–§8.4, §4.2): the offline dataset, the frozen actor,
 * the clean goal-conditioned prior and the selector's calibration inputs. They are built once per
 * process per `modelKey` (studies.ts) and kept in a small cache, so the units that share them (study R's
 * five prior conditions of a cell, and study A's unit of the same cell) train their two networks once;
 * the Node side (runtime/steer.ts) posts each modelKey group to one worker for that reason.
 *
 * Choice where the spec is silent [OURS], also listed in the report:
 * - Calibration states (§4.2): N_cal dataset rows drawn without replacement (all rows if fewer), each
 *   with its own episode's goal (Reach: the goal field of the observation; maze: the evaluation goal,
 *   the only deployment goal).
 * - Held-out trajectories of the calibrated budget (select.ts `calibratedBudget`, issue 13 §5): a fresh
 *   draw of the same dataset from the unit's "heldout" stream, never trained on: Reach ⌈N_cal/H⌉ episodes
 *   per component (medium-replay: its 20-stage minimum), maze N_cal transitions; every consecutive pair
 *   of states within an episode is used.
 *
 * Pure: no fs, no process.
 */
import {Rng} from "../core/rng.js";
import type {MazeDatasetName, OfflineDataset, ReachDatasetName} from "./datasets.js";
import {makeMazeDataset, makeReachDataset} from "./datasets.js";
import type {Env, MazeName, ReachName} from "./envs.js";
import {makeMaze, makeReach} from "./envs.js";
import type {StudyEnv, UnitSpec} from "./studies.js";
import {modelKey, unitSeed} from "./studies.js";
import type {Trained} from "./train.js";
import {_priorInputs, priorInDim, trainActor, trainPrior} from "./train.js";
import {consecutivePairs} from "./select.js";

export interface StudyModels {
  env: Env;
  dataset: OfflineDataset;
  actor: Trained;
  prior: Trained;
  /** Calibration inputs (§4.2): actor inputs n×obsDim and prior inputs n×priorInDim. */
  calActorIn: Float64Array;
  calPriorIn: Float64Array;
  calRows: number;
  /** Actor inputs at the held-out states (n×obsDim), for the calibrated budget. */
  heldActorIn: Float64Array;
  /** Rows k of `heldActorIn` whose successor in the same episode is row k+1 (select.ts consecutivePairs). */
  heldPairs: Int32Array;
}

const MODEL_CACHE_SIZE = 4;
const modelCache = new Map<string, StudyModels>();

/** Drop every cached model (tests; also frees memory between unrelated runs). */
export function clearModelCache(): void {
  modelCache.clear();
}

function makeEnv(name: StudyEnv): Env {
  return name.startsWith("maze") ? makeMaze(name as MazeName) : makeReach(name as ReachName);
}

/** The unit's models, from the process cache (`cached: true`) or trained now; deterministic either way. */
export function modelsFor(u: UnitSpec): {models: StudyModels; cached: boolean} {
  const key = modelKey(u);
  const hit = modelCache.get(key);
  if (hit) return {models: hit, cached: true};
  const env = makeEnv(u.env);
  const dsSeed = unitSeed(u, "dataset");
  const dataset =
    env.kind === "reach"
      ? makeReachDataset(env, u.dataset as ReachDatasetName, dsSeed, {episodes: u.datasetEpisodes})
      : makeMazeDataset(env, u.dataset as MazeDatasetName, dsSeed, {transitions: u.mazeTransitions});
  const actor = trainActor(env, dataset, new Rng(unitSeed(u, "actor")), {steps: u.trainSteps, hidden: u.hidden});
  const prior = trainPrior(env, dataset, new Rng(unitSeed(u, "prior")), {steps: u.trainSteps, hidden: u.hidden});
  // Calibration rows: a partial Fisher–Yates draw without replacement.
  const n = Math.min(u.calStates, dataset.size);
  const idx = new Int32Array(dataset.size);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  const rng = new Rng(unitSeed(u, "calibration"));
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(idx.length - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  const D = env.obsDim;
  const calActorIn = new Float64Array(n * D);
  for (let r = 0; r < n; r++) calActorIn.set(dataset.observations.subarray(idx[r] * D, (idx[r] + 1) * D), r * D);
  const calPriorIn = new Float64Array(n * priorInDim(env));
  if (env.kind === "reach")
    calPriorIn.set(calActorIn); // the observation carries the episode's goal
  else _priorInputs(env, calActorIn, env.goal, n, calPriorIn);
  const heldSeed = unitSeed(u, "heldout");
  const held =
    env.kind === "reach"
      ? makeReachDataset(env, u.dataset as ReachDatasetName, heldSeed, {episodes: Math.ceil(u.calStates / env.horizon)})
      : makeMazeDataset(env, u.dataset as MazeDatasetName, heldSeed, {transitions: u.calStates});
  const models: StudyModels = {env, dataset, actor, prior, calActorIn, calPriorIn, calRows: n, heldActorIn: held.observations, heldPairs: consecutivePairs(held.timesteps, held.episodeStarts)};
  modelCache.set(key, models);
  while (modelCache.size > MODEL_CACHE_SIZE) modelCache.delete(modelCache.keys().next().value as string);
  return {models, cached: false};
}
