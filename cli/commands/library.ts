/** `lever library`: train a spec set's policy library on worker threads into a directory. */
import {resolve} from "node:path";
import {parseSpecs, parseSpecSet} from "../../lib/lever/env/layout.js";
import {parseRewardSystem, REWARD_SYSTEMS} from "../../lib/lever/env/rewards.js";
import type {KeepRule} from "../../lib/lever/library/runs.js";
import {parseUpdateRule} from "../../lib/lever/library/sarsa.js";
import {buildLibrary, libraryBytes} from "../../runtime/library-build.js";
import {LIBRARY_OUTPUT, openInPlace} from "../../runtime/output.js";
import {capWorkers, int, list, log, parseFlags, parseSeedList, print, quote, real, required, SEED32_MAX, text, UsageError, workersFlag, type Flags} from "../args.js";

export const usage = `library   --spec-set NAME --out DIR [--specs X1,X5,X10] [--seeds 0-4] [--rewards a,b]
            [--gamma G] [--rule reference|sarsa|qlearning] [--keep policies|all] [--workers N] [--train-seed S]`;

const FLAGS: Flags = {
  "spec-set": {type: "string", value: "NAME"},
  specs: {type: "string", value: "X1,X5,X10"},
  seeds: {type: "string", value: "0-4"},
  rewards: {type: "string", value: "a,b"},
  out: {type: "string", value: "DIR"},
  gamma: {type: "string", value: "G"},
  rule: {type: "string", value: "reference|sarsa|qlearning"},
  keep: {type: "string", value: "policies|all"},
  workers: {type: "string", value: "N"},
  "train-seed": {type: "string", value: "S"},
};

export async function run(argv: string[]): Promise<void> {
  const {values: v} = parseFlags("library", argv, FLAGS);
  required("library", v, "spec-set", "out");
  const set = parseSpecSet(text(v, "spec-set"));
  const gamma = v.gamma !== undefined ? real("gamma", v.gamma, 0, 1) : undefined;
  const keep = v.keep !== undefined ? text(v, "keep") : undefined;
  if (keep !== undefined && keep !== "policies" && keep !== "all") throw new UsageError(`invalid --keep: ${quote(keep)} (accepted: policies, all)`);
  const out = resolve(text(v, "out"));
  const spec = (name: string) => parseSpecs(name, set)[0];
  const options = {
    specSet: set,
    specs: v.specs !== undefined ? list("specs", text(v, "specs"), "X1,X5,X10", spec, (s) => s.name) : set.specs,
    seeds: v.seeds !== undefined ? parseSeedList(text(v, "seeds")) : set.seeds,
    rewards: v.rewards !== undefined ? list("rewards", text(v, "rewards"), "path,gold", (r) => parseRewardSystem(r).name) : [...REWARD_SYSTEMS],
    out,
    gamma,
    rule: v.rule !== undefined ? parseUpdateRule(text(v, "rule")) : undefined,
    keep: keep as KeepRule | undefined,
    workers: workersFlag(v.workers),
    trainSeed: v["train-seed"] !== undefined ? int("train-seed", v["train-seed"], 0, SEED32_MAX) : undefined,
    log,
  };
  // Before any work: DIR is new, empty, or a library (finished or interrupted: its runs are reused).
  openInPlace(out, LIBRARY_OUTPUT);
  const manifest = await buildLibrary({...options, workers: capWorkers("library", options.workers)});
  print({
    out,
    specSet: manifest.specSet,
    runs: manifest.runs.length,
    key: manifest.key,
    buildSeconds: manifest.timing.buildSeconds,
    totalSteps: manifest.totalSteps,
    bytes: libraryBytes(manifest),
    workers: manifest.timing.workers,
  });
}
