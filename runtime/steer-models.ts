/**
 * The two Reach2 networks of the "Live: steering a frozen actor" page (spec/steering.md §8.4), the
 * artefact src/data/steer-models.json (Node only).
 *
 * Trains, with lib/steer/train.ts and fixed seeds, a frozen actor (AW-BC on the Reach2 `medium` dataset)
 * and a clean goal-conditioned prior (GCBC with hindsight relabeling on the same dataset), and writes
 * their weights (mlp.ts `toJSON`, float64 so the hashes are the training hashes), the weights hashes, the
 * training protocol and a reference evaluation of the page's default settings computed in Node (the page
 * recomputes it in the browser and shows whether the numbers agree). Progress goes to stderr.
 *
 * Params (all fixed; the protocol is written next to the weights): dataset seed 0, 300 episodes; 1,500
 * Adam updates of batch 128 per network (§8.4 says about 2,000). About 5–9 s on one core.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {deriveSeed, Rng} from "../lib/core/rng.js";
import {makeReachDataset, meanEpisodeReturn} from "../lib/steer/datasets.js";
import {makeReach, normalizedScore} from "../lib/steer/envs.js";
import type {LiveOptions} from "../lib/steer/live.js";
import {liveModels, runLive} from "../lib/steer/live.js";
import {toJSON, weightsHash} from "../lib/steer/mlp.js";
import {trainActor, trainPrior, TRAIN_DEFAULTS} from "../lib/steer/train.js";
import {cachedFile, cacheKey, cacheRoot} from "./cache.js";
import {runTask, sharedPool} from "./pool.js";

/** Every setting of this artefact, in one place. */
export const STEER_MODELS_PARAMS = Object.freeze({
  env: "Reach2" as const,
  dataset: "medium" as const,
  /** Dataset seed (the dataset is regenerated from it, §8.3). */
  datasetSeed: 0,
  /** Episodes of the medium dataset (§8.3: 300). */
  datasetEpisodes: 300,
  /** Training seed; the actor and the prior get derived streams. */
  trainSeed: 2604,
  /** Adam updates per network: 1,500 instead of §8.4's 2,000 so training stays under ~10 s on a loaded
   *  2-core machine; both losses have flattened by then (the log shows the curves). */
  steps: 1500,
  batch: TRAIN_DEFAULTS.batch,
  lr: TRAIN_DEFAULTS.lr,
  hidden: TRAIN_DEFAULTS.reachHidden,
});

/** The live page's default settings, evaluated once in Node as a cross-check. */
export const LIVE_DEFAULTS: LiveOptions = Object.freeze({rule: "poe", alpha: 0.5, condition: {kind: "clean"}, episodes: 25, seed: 0}) as LiveOptions;

/**
 * The page's document, cached by content hash (params + this module's code); computed by `handle` on
 * the shared worker pool during the prebuild step, or in-process when the loader runs alone.
 */
export async function steerModelsArtefact(log: (line: string) => void): Promise<string> {
  const code = new URL(import.meta.url);
  const file = join(cacheRoot(), `steer-models-${cacheKey("steer-models", {params: STEER_MODELS_PARAMS, live: LIVE_DEFAULTS}, [code])}.json`);
  return readFileSync(
    await cachedFile(
      file,
      async () => {
        log("steer-models: training the Reach2 actor and prior…");
        // On the shared pool (prebuild) as a worker job; alone, in this thread with its progress lines.
        return sharedPool() ? (await runTask<{text: string}>(code, {}, {priority: 1})).text : compute(log);
      },
      log,
      "steer-models",
    ),
    "utf8",
  );
}

/** Worker job (pool.ts): train both networks and evaluate the defaults; returns the page's document. */
export function handle(): {text: string} {
  return {text: compute(() => {})};
}

function compute(log: (line: string) => void): string {
  const p = STEER_MODELS_PARAMS;
  const env = makeReach(p.env);
  const t0 = performance.now();
  const ds = makeReachDataset(env, p.dataset, p.datasetSeed, {episodes: p.datasetEpisodes});
  const dsReturn = meanEpisodeReturn(ds);
  log(`steer-models: ${p.env} ${p.dataset} dataset, ${ds.size} transitions, mean return ${dsReturn.toFixed(2)} (normalized ${normalizedScore(env, dsReturn).toFixed(1)})`);
  const opts = {steps: p.steps, batch: p.batch, lr: p.lr, hidden: p.hidden};
  const progress = (who: string) => (step: number, loss: number) => {
    if (step % 500 === 0) log(`steer-models: ${who} ${step}/${p.steps} updates, loss ${loss.toFixed(3)}`);
  };
  const t1 = performance.now();
  const actor = trainActor(env, ds, new Rng(deriveSeed(p.trainSeed, "steer-models", "actor")), {...opts, onProgress: progress("actor")});
  const t2 = performance.now();
  const prior = trainPrior(env, ds, new Rng(deriveSeed(p.trainSeed, "steer-models", "prior")), {...opts, onProgress: progress("prior")});
  const t3 = performance.now();
  log(`steer-models: trained actor in ${((t2 - t1) / 1000).toFixed(1)} s, prior in ${((t3 - t2) / 1000).toFixed(1)} s`);
  const actorJson = toJSON(actor.model);
  const priorJson = toJSON(prior.model);
  if (actorJson.hash !== actor.hash || priorJson.hash !== prior.hash) throw new Error("steer-models: serialized weights do not hash like the trained ones");
  const models = liveModels(env, actorJson, priorJson);
  const ref = runLive(models, LIVE_DEFAULTS);
  const frozenRef = runLive(models, {...LIVE_DEFAULTS, rule: "frozen"});
  const priorRef = runLive(models, {...LIVE_DEFAULTS, rule: "prior"});
  if (weightsHash(models.actor) !== actor.hash) throw new Error("steer-models: the actor changed during the reference evaluation");
  log(`steer-models: reference (PoE α=0.5, clean, 25 episodes, seed 0): mean ${ref.mean.toFixed(2)}, frozen ${frozenRef.mean.toFixed(2)}, prior ${priorRef.mean.toFixed(2)}`);
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  return JSON.stringify({
    env: p.env,
    protocol: {
      ...p,
      hidden: [...p.hidden],
      datasetTransitions: ds.size,
      datasetMeanReturn: round(dsReturn),
      datasetNormalizedScore: round(normalizedScore(env, dsReturn)),
      actor: actor.params,
      prior: prior.params,
      actorLosses: Array.from(actor.losses, round),
      priorLosses: Array.from(prior.losses, round),
      trainSeconds: {actor: round((t2 - t1) / 1000), prior: round((t3 - t2) / 1000), total: round((t3 - t0) / 1000)},
      node: process.version,
    },
    hashes: {actor: actor.hash, prior: prior.hash},
    actor: actorJson,
    prior: priorJson,
    // Full-precision scores (JSON numbers round-trip doubles), to compare bit for bit with the browser.
    reference: {options: LIVE_DEFAULTS, scores: Array.from(ref.scores), frozenScores: Array.from(ref.frozenScores), mean: ref.mean, frozenMean: frozenRef.mean, priorMean: priorRef.mean},
  });
}
