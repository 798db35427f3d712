/**
 * Loader: the policy library summary for the "GridWorld & policy library" page.
 *
 * Builds (or reuses, by content hash) the profile's libraries, then reduces them to what the page
 * draws: per run the learning curve (greedy reward at every snapshot), the final greedy path, the
 * greedy paths of the three [main] policy snapshots, and per-cell visit counts of the cumulative
 * visited-transition graph (the library's support).
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {N_ACTIONS} from "../lib/lever/env/gridworld.js";
import {decodeRun, greedyPath, runEnv, runQ} from "../lib/lever/library/runs.js";
import {ensureLibrary} from "../runtime/library-cache.js";
import {currentProfile, libraryPlan} from "../runtime/profile.js";

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export async function main(log: (line: string) => void = (l) => process.stderr.write(l + "\n")): Promise<string> {
  const profile = currentProfile();
  const libraries = [];
  for (const plan of libraryPlan(profile)) {
    const {dir, manifest} = await ensureLibrary(plan, log);
    const runs = manifest.runs.map((r) => {
      const run = decodeRun(readFileSync(join(dir, r.file)));
      const env = runEnv(run.meta);
      const nS = env.nStates;
      const visits = new Array<number>(nS).fill(0);
      let edges = 0;
      for (let s = 0; s < nS; s++) {
        for (let a = 0; a < N_ACTIONS; a++) {
          const c = run.countsFinal[s * N_ACTIONS + a];
          visits[s] += c;
          if (c > 0) edges++;
        }
      }
      const final = greedyPath(env, run.qFinal);
      const policies = run.meta.kept.map((k) => {
        const g = greedyPath(env, runQ(run, k));
        return {snapshot: k, episode: run.meta.snapshotEpisodes[k], reward: round(run.rewards[k]), path: g.path, done: g.done};
      });
      return {
        spec: r.spec,
        reward: r.reward,
        seed: r.seed,
        episodes: run.meta.snapshotEpisodes,
        rewards: Array.from(run.rewards, (x) => round(x)),
        time: round(run.meta.time, 4),
        wallTime: round(run.meta.wallTime, 4),
        steps: run.meta.steps,
        finalReward: round(run.meta.finalReward),
        final: {reward: round(final.reward), path: final.path, done: final.done},
        policies,
        visits,
        edges,
      };
    });
    libraries.push({
      specSet: manifest.specSet,
      size: manifest.size,
      variant: manifest.variant,
      counts: manifest.counts,
      specs: manifest.specs,
      seeds: manifest.seeds,
      rewards: manifest.rewards,
      params: manifest.params,
      buildSeconds: round(manifest.buildSeconds, 2),
      workers: manifest.workers,
      totalSteps: manifest.totalSteps,
      runs,
    });
  }
  return JSON.stringify({profile, libraries});
}
