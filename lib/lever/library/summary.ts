/**
 * What the "GridWorld & policy library" page draws of one library run: the learning curve (greedy
 * reward at every snapshot), the final greedy path, the greedy paths of the kept policy snapshots, and
 * per-cell visit counts of the cumulative visited-transition graph (the library's support) with its
 * number of edges. Numbers rounded for the page.
 */
import {N_ACTIONS} from "../env/gridworld.js";
import {greedyPath, runEnv, runQ, type Run} from "./runs.js";

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export function summarizeRun(run: Run) {
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
    spec: run.meta.spec,
    reward: run.meta.reward,
    seed: run.meta.seed,
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
}
