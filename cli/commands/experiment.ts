/**
 * `lever experiment` (spec/lever.md §8): one run of the experiment into a directory, with the
 * reference's CSV layout; `--shard i/n` runs one deterministic share of the jobs. The flags and their
 * parsing are shared with `lever sweep`.
 *
 * A flag left out takes the run's default on its spec set (lib/lever/experiment/params.ts
 * `experimentDefaults`): the reference table's gold penalty (legacy for [main] except 32×32 ExNonZero,
 * fractional for [v3]); the policy rule, spec filter and regressor of the set's variant ([main]: pooled
 * top-2, no spec filter, OLS; [v3]: best per sub-query, spec filter, GBRT per spec); composed-policy SF
 * scoring `lstd` (LAUNCHED_SF, [OURS], ~1000× faster; `--sf mlp` is the faithful ψθ: the [main] BatchNorm network, lr 1e-3).
 */
import {existsSync} from "node:fs";
import {join, resolve} from "node:path";
import {parseComposeMethod, type ComposeMethod} from "../../lib/lever/compose/compose.js";
import {parseSpecs, parseSpecSet} from "../../lib/lever/env/layout.js";
import {parseGoldPenalty} from "../../lib/lever/env/rewards.js";
import type {ExperimentParams} from "../../lib/lever/experiment/params.js";
import {parseSfMethod, type PolicyRule} from "../../lib/lever/pi2vec/embedding.js";
import {parseRegressor} from "../../lib/lever/pi2vec/regressor.js";
import {parseDecompositionMode} from "../../lib/lever/retrieval/decompose.js";
import {runExperimentNode, type ExperimentRunOptions} from "../../runtime/experiment.js";
import {capWorkers, int, list, log, onOff, parseFlags, parseSeedList, print, quote, required, shardFlag, text, UsageError, workersFlag, type Flags, type Values} from "../args.js";

export const usage = `experiment --spec-set NAME --method exnonzero|qsum|gpi --out DIR [--specs X1,X5,X10] [--seeds 0-4]
            [--modes trivial,double,triple] [--gold-penalty fractional|legacy] [--hybrid-top-k 3]
            [--sf lstd|mlp] [--shard i/n] [--workers N] [--timing wall|zero] [--library DIR]
            [--library-specs X1,X5,X10] [--library-sf lstd|mlp] [--rule main|v3] [--spec-filter on|off]
            [--regressor linear|gbrt] [--regressor-by-spec on|off] [--memo on|off] [--memo-planning on|off]
            [--dedupe-targeted on|off] [--skip-empty on|off] [--targeted-single on|off]
            [--accept-unscored on|off] [--score-hazard-steps on|off] [--tfs-specs X1,...] [--tfs-seeds N]
            [--embed-seeds 0,1]`;

export const EXPERIMENT_FLAGS: Flags = {
  "spec-set": {type: "string", value: "NAME"},
  specs: {type: "string", value: "X1,X5,X10"},
  "library-specs": {type: "string", value: "X1,X5,X10"},
  seeds: {type: "string", value: "0-4"},
  modes: {type: "string", value: "trivial,double,triple"},
  method: {type: "string", value: "exnonzero|qsum|gpi"},
  "gold-penalty": {type: "string", value: "fractional|legacy"},
  "hybrid-top-k": {type: "string", value: "1..5"},
  sf: {type: "string", value: "lstd|mlp"},
  "library-sf": {type: "string", value: "lstd|mlp"},
  rule: {type: "string", value: "main|v3"},
  "spec-filter": {type: "string", value: "on|off"},
  regressor: {type: "string", value: "linear|gbrt"},
  "regressor-by-spec": {type: "string", value: "on|off"},
  memo: {type: "string", value: "on|off"},
  "memo-planning": {type: "string", value: "on|off"},
  "dedupe-targeted": {type: "string", value: "on|off"},
  "skip-empty": {type: "string", value: "on|off"},
  "targeted-single": {type: "string", value: "on|off"},
  "accept-unscored": {type: "string", value: "on|off"},
  "tfs-specs": {type: "string", value: "X1,..."},
  "tfs-seeds": {type: "string", value: "1..1000"},
  "embed-seeds": {type: "string", value: "0-4"},
  "score-hazard-steps": {type: "string", value: "on|off"},
  timing: {type: "string", value: "wall|zero"},
  workers: {type: "string", value: "N"},
  shard: {type: "string", value: "i/n"},
  library: {type: "string", value: "DIR"},
  out: {type: "string", value: "DIR"},
};

function oneOf<T extends string>(name: string, value: string | boolean | undefined, accepted: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(accepted as readonly (string | boolean)[]).includes(value)) throw new UsageError(`invalid --${name}: ${quote(value)} (accepted: ${accepted.join(", ")})`);
  return value as T;
}

/**
 * Flags → run options (shared by experiment and sweep). Only the settings given are passed on: the
 * runtime resolves every other one from the spec set's defaults (and writes them to experiment.json).
 */
export function runOptions(command: string, v: Values, defaults: {method?: ComposeMethod} = {}): ExperimentRunOptions {
  required(command, v, "spec-set", "out");
  const set = parseSpecSet(text(v, "spec-set"));
  if (v.method === undefined && defaults.method === undefined) throw new UsageError(`lever ${command}: missing --method (accepted: exnonzero, qsum, gpi)`);
  const method = parseComposeMethod(v.method !== undefined ? text(v, "method") : defaults.method);
  if (method === "exnonzero" && set.variant !== "main")
    throw new UsageError(`invalid --method exnonzero for spec set ${set.name}: [v3] moves make the visit graph cyclic (spec §7.2; use qsum or gpi)`);
  const params: Partial<ExperimentParams> = {
    method,
    goldPenalty: v["gold-penalty"] !== undefined ? parseGoldPenalty(text(v, "gold-penalty")) : undefined,
    hybridTopK: v["hybrid-top-k"] !== undefined ? int("hybrid-top-k", v["hybrid-top-k"], 1, 5) : undefined,
    sf: v.sf !== undefined ? parseSfMethod(text(v, "sf")) : undefined,
    rule: oneOf<PolicyRule>("rule", v.rule, ["main", "v3"]),
    specFilter: onOff("spec-filter", v["spec-filter"]),
    memo: onOff("memo", v.memo),
    memoPlanning: onOff("memo-planning", v["memo-planning"]),
    dedupeTargeted: onOff("dedupe-targeted", v["dedupe-targeted"]),
    skipEmpty: onOff("skip-empty", v["skip-empty"]),
    targetedSingle: onOff("targeted-single", v["targeted-single"]),
    acceptUnscored: onOff("accept-unscored", v["accept-unscored"]),
    scoreHazardSteps: onOff("score-hazard-steps", v["score-hazard-steps"]),
    timing: oneOf("timing", v.timing, ["wall", "zero"] as const),
    tfsSpecs: v["tfs-specs"] !== undefined ? list("tfs-specs", text(v, "tfs-specs"), "X1,X5", (s) => parseSpecs(s, set)[0].name) : undefined,
    tfsSeeds: v["tfs-seeds"] !== undefined ? int("tfs-seeds", v["tfs-seeds"], 1, 1000) : undefined,
  };
  if (params.tfsSeeds !== undefined && params.tfsSeeds > 1 && params.tfsSpecs === undefined)
    params.tfsSpecs = v.specs !== undefined ? list("specs", text(v, "specs"), "X1,X5,X10", (s) => parseSpecs(s, set)[0].name) : set.specs.map((s) => s.name);
  const modes = v.modes !== undefined ? list("modes", text(v, "modes"), "trivial,double", parseDecompositionMode) : undefined;
  const spec = (s: string) => parseSpecs(s, set)[0];
  const specs = v.specs !== undefined ? list("specs", text(v, "specs"), "X1,X5,X10", (s) => spec(s).name) : set.specs.map((s) => s.name);
  const librarySpecs = v["library-specs"] !== undefined ? list("library-specs", text(v, "library-specs"), "X1,X5,X10", spec, (s) => s.name) : set.specs;
  for (const s of specs) if (!librarySpecs.some((x) => x.name === s)) throw new UsageError(`invalid --specs: ${s} is not in --library-specs (${librarySpecs.map((x) => x.name).join(",")})`);
  const libraryDir = v.library !== undefined ? resolve(text(v, "library")) : undefined;
  if (libraryDir !== undefined && !existsSync(join(libraryDir, "manifest.json"))) throw new UsageError(`invalid --library: no manifest.json in ${quote(libraryDir)}`);
  return {
    specSet: set,
    specs,
    librarySpecs,
    seeds: v.seeds !== undefined ? parseSeedList(text(v, "seeds")) : set.seeds,
    modes,
    params,
    librarySf: v["library-sf"] !== undefined ? parseSfMethod(text(v, "library-sf")) : undefined,
    regressor: v.regressor !== undefined ? parseRegressor(text(v, "regressor")) : undefined,
    regressorBySpec: onOff("regressor-by-spec", v["regressor-by-spec"]),
    embedSeeds: v["embed-seeds"] !== undefined ? parseSeedList(text(v, "embed-seeds")) : undefined,
    workers: workersFlag(v.workers),
    shard: v.shard !== undefined ? shardFlag(text(v, "shard")) : undefined,
    libraryDir,
    out: resolve(text(v, "out")),
    log,
  };
}

/** `lever experiment --spec-set NAME --method M --out DIR [...]` (spec §8). */
export async function run(argv: string[]): Promise<void> {
  const {values} = parseFlags("experiment", argv, EXPERIMENT_FLAGS);
  const o = runOptions("experiment", values);
  print(await runExperimentNode({...o, workers: capWorkers("experiment", o.workers)}));
}
