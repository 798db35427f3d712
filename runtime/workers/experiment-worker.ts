// Worker module for the experiment (pool.ts): loads the library context once per thread (runs,
// embedding, regressors), then runs one (spec, mode, setup, seed) job and returns its row, or the
// whole hybrid k-sweep (§8.6) as one job.
import {runJob, sweepK} from "../../lib/lever/experiment/index.js";
import {loadContext} from "../experiment.js";

type Ctx = Parameters<typeof loadContext>[0];

export function handle(
  p:
    | {ctx: Ctx; job: Parameters<typeof runJob>[1]; decomposition: Parameters<typeof runJob>[2]; params: Parameters<typeof runJob>[3]}
    | {sweep: {ctx: Ctx; jobs: Parameters<typeof sweepK>[1]; decompositions: Parameters<typeof sweepK>[2]; params: Parameters<typeof sweepK>[3]; ks?: number[]}},
) {
  if ("sweep" in p) {
    const s = p.sweep;
    return sweepK(loadContext(s.ctx), s.jobs, s.decompositions, s.params, s.ks);
  }
  return {row: runJob(loadContext(p.ctx), p.job, p.decomposition, p.params)};
}
