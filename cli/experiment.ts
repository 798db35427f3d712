/**
 * `lever experiment | sweep | merge | reproduce` (spec/lever.md §8): command functions for cli/lever.ts.
 * Strict flags (node:util parseArgs), one-line RangeErrors, a JSON summary on stdout, progress on
 * stderr, every file written atomically (write to a temporary name, then rename).
 *
 * Defaults where the reference is per-table (§0, §9): the gold penalty is `legacy` for every [main]
 * table except 32×32 ExNonZero (`fractional`), and `fractional` for [v3] libraries; the policy rule,
 * spec filter and regressor follow the spec set's variant ([main]: pooled top-2, no spec filter, OLS;
 * [v3]: best per sub-query, spec filter, GBRT per spec). Composed-policy SF scoring defaults to `lstd`
 * ([OURS], ~1000× faster); `--sf mlp` is the faithful ψθ with lr 3e-5.
 */
import {existsSync} from "node:fs";
import {join, resolve} from "node:path";
import {parseArgs, type ParseArgsConfig} from "node:util";
import {atomicWrite} from "../runtime/fs.js";
import {mergeShards, parseShard, runExperimentNode, runSweepNode, type ExperimentRunOptions} from "../runtime/experiment-run.js";
import {parseSeedList} from "./args.js";
import {defaultGoldPenalty, readComparison, referenceDir, runReproduce, type ReproduceDone} from "../runtime/reproduce.js";
import {parseComposeMethod, type ComposeMethod} from "../lib/lever/compose/compose.js";
import {DECOMPOSITION_MODES, parseDecompositionMode, type DecompositionMode} from "../lib/lever/retrieval/decompose.js";
import {renderSummary} from "../lib/lever/experiment/compare.js";
import {resultFileName, type ExperimentParams} from "../lib/lever/experiment/index.js";
import {parseSpecs, parseSpecSet, type SpecSet} from "../lib/lever/env/layout.js";
import {parseSfMethod} from "../lib/lever/pi2vec/embedding.js";
import {parseRegressor} from "../lib/lever/pi2vec/regressor.js";
import {parseGoldPenalty, type GoldPenalty} from "../lib/lever/env/rewards.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values = Record<string, string | boolean | undefined>;

const log = (line: string) => process.stderr.write(line + "\n");
const print = (value: unknown) => process.stdout.write(JSON.stringify(value) + "\n");

function parse(command: string, argv: string[], options: Options, positionals = false): {values: Values; positionals: string[]} {
  try {
    const r = parseArgs({args: argv, options, strict: true, allowPositionals: positionals});
    return {values: r.values as Values, positionals: r.positionals};
  } catch (e) {
    const accepted = Object.keys(options).map((k) => `--${k}`).join(", ");
    const msg = (e as Error).message.split("\n")[0].replace(/\. To specify a positional argument.*$/, "");
    throw new RangeError(`lever ${command}: ${msg} (accepted: ${accepted})`);
  }
}

function required(command: string, v: Values, ...names: string[]): void {
  for (const n of names) if (v[n] === undefined) throw new RangeError(`lever ${command}: missing --${n}`);
}

function int(name: string, value: string | boolean | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "string" || !/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new RangeError(`invalid --${name}: ${JSON.stringify(value ?? null)} (expected an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? "∞" : max})`);
  }
  return Number(value);
}


function onOff(name: string, value: string | boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === "on") return true;
  if (value === "off") return false;
  throw new RangeError(`invalid --${name}: ${JSON.stringify(value)} (accepted: on, off)`);
}


const EXPERIMENT_FLAGS: Options = {
  "spec-set": {type: "string"}, specs: {type: "string"}, "library-specs": {type: "string"}, seeds: {type: "string"}, modes: {type: "string"},
  method: {type: "string"}, "gold-penalty": {type: "string"}, "hybrid-top-k": {type: "string"}, sf: {type: "string"}, "library-sf": {type: "string"},
  rule: {type: "string"}, "spec-filter": {type: "string"}, regressor: {type: "string"}, "regressor-by-spec": {type: "string"},
  memo: {type: "string"}, timing: {type: "string"}, workers: {type: "string"}, shard: {type: "string"}, library: {type: "string"}, out: {type: "string"},
};

/** Flags → run options (shared by experiment and sweep). */
function runOptions(command: string, v: Values, defaults: {method?: ComposeMethod} = {}): ExperimentRunOptions {
  required(command, v, "spec-set", "out");
  const set = parseSpecSet(v["spec-set"] as string);
  if (v.method === undefined && defaults.method === undefined) throw new RangeError(`lever ${command}: missing --method (accepted: exnonzero, qsum, gpi)`);
  const method = parseComposeMethod((v.method as string | undefined) ?? defaults.method);
  if (method === "exnonzero" && set.variant !== "main") throw new RangeError(`invalid --method exnonzero for spec set ${set.name}: [v3] moves make the visit graph cyclic (spec §7.2; use qsum or gpi)`);
  const rule = v.rule === undefined ? set.variant : (v.rule as string);
  if (rule !== "main" && rule !== "v3") throw new RangeError(`invalid --rule: ${JSON.stringify(rule)} (accepted: main, v3)`);
  const timing = (v.timing as string | undefined) ?? "wall";
  if (timing !== "wall" && timing !== "zero") throw new RangeError(`invalid --timing: ${JSON.stringify(timing)} (accepted: wall, zero)`);
  const params: Partial<ExperimentParams> = {
    method,
    goldPenalty: v["gold-penalty"] !== undefined ? parseGoldPenalty(v["gold-penalty"] as string) : defaultGoldPenalty(set, method),
    hybridTopK: v["hybrid-top-k"] !== undefined ? int("hybrid-top-k", v["hybrid-top-k"], 1, 5) : 3,
    sf: parseSfMethod((v.sf as string | undefined) ?? "lstd"),
    rule,
    specFilter: onOff("spec-filter", v["spec-filter"], rule === "v3"),
    memo: onOff("memo", v.memo, true),
    timing,
  };
  const modes = v.modes !== undefined ? (v.modes as string).split(",").map((m) => parseDecompositionMode(m.trim())) : [...DECOMPOSITION_MODES];
  const specs = v.specs !== undefined ? parseSpecs(v.specs as string, set).map((s) => s.name) : set.specs.map((s) => s.name);
  const librarySpecs = v["library-specs"] !== undefined ? parseSpecs(v["library-specs"] as string, set) : set.specs;
  for (const s of specs) if (!librarySpecs.some((x) => x.name === s)) throw new RangeError(`invalid --specs: ${s} is not in --library-specs (${librarySpecs.map((x) => x.name).join(",")})`);
  const libraryDir = v.library !== undefined ? resolve(v.library as string) : undefined;
  if (libraryDir !== undefined && !existsSync(join(libraryDir, "manifest.json"))) throw new RangeError(`invalid --library: no manifest.json in ${libraryDir}`);
  return {
    specSet: set,
    specs,
    librarySpecs,
    seeds: v.seeds !== undefined ? parseSeedList(v.seeds as string) : set.seeds,
    modes,
    params,
    librarySf: v["library-sf"] !== undefined ? parseSfMethod(v["library-sf"] as string) : "lstd",
    regressor: v.regressor !== undefined ? parseRegressor(v.regressor as string) : rule === "main" ? "linear" : "gbrt",
    regressorBySpec: onOff("regressor-by-spec", v["regressor-by-spec"], rule === "v3"),
    workers: v.workers !== undefined ? int("workers", v.workers, 1, 256) : undefined,
    shard: v.shard !== undefined ? parseShard(v.shard as string) : undefined,
    libraryDir,
    out: resolve(v.out as string),
    log,
  };
}

/** `lever experiment --spec-set NAME --method M --out DIR [...]` (spec §8). */
export async function experimentCommand(argv: string[]): Promise<void> {
  const {values} = parse("experiment", argv, EXPERIMENT_FLAGS);
  const summary = await runExperimentNode(runOptions("experiment", values));
  print(summary);
}

/** `lever sweep --spec-set NAME --out DIR [--k 2,3,4] [...]` (spec §8.6; qsum by default). */
export async function sweepCommand(argv: string[]): Promise<void> {
  const {values} = parse("sweep", argv, {...EXPERIMENT_FLAGS, k: {type: "string"}});
  if (values.shard !== undefined) throw new RangeError("lever sweep: --shard is not supported (the k range depends on every run's candidates)");
  const o = runOptions("sweep", values, {method: "qsum"});
  const ks = values.k !== undefined ? (values.k as string).split(",").map((k) => int("k", k.trim(), 1, 5)) : undefined;
  print(await runSweepNode({...o, ks}));
}

/** `lever merge --out DIR SHARD_DIR...`: join shard outputs into exactly what one run writes. */
export async function mergeCommand(argv: string[]): Promise<void> {
  const {values, positionals} = parse("merge", argv, {out: {type: "string"}}, true);
  required("merge", values, "out");
  if (positionals.length === 0) throw new RangeError("lever merge: give one or more shard directories after --out DIR");
  const out = resolve(values.out as string);
  print({out, ...mergeShards(positionals.map((p) => resolve(p)), out)});
}

// ---------------------------------------------------------------------------------------------
// reproduce

/** `lever reproduce [--profile quick|paper] --out DIR`: every table, then DIR/SUMMARY.md. */
export async function reproduceCommand(argv: string[]): Promise<void> {
  const {values} = parse("reproduce", argv, {profile: {type: "string"}, out: {type: "string"}, workers: {type: "string"}, sf: {type: "string"}, "skip-mlp": {type: "boolean"}});
  required("reproduce", values, "out");
  const profile = (values.profile as string | undefined) ?? "paper";
  if (profile !== "quick" && profile !== "paper") throw new RangeError(`invalid --profile: ${JSON.stringify(profile)} (accepted: quick, paper)`);
  const sf = parseSfMethod((values.sf as string | undefined) ?? "lstd");
  const out = resolve(values.out as string);
  const workers = values.workers !== undefined ? int("workers", values.workers, 1, 256) : undefined;
  const r = await runReproduce({profile, sf, out, workers, skipMlp: Boolean(values["skip-mlp"]), log});
  const summary = writeSummary(out, profile, sf, r.done, r.total, r.sweepSummary);
  print({out, profile, sf, seconds: r.total, steps: r.done.map((d) => ({name: d.step.name, seconds: d.seconds, dir: d.dir})), summary});
}

// ---------------------------------------------------------------------------------------------
// SUMMARY.md

/** DIR/SUMMARY.md, rendered from the comparison the Reproducing page shows (lib/lever/experiment/compare.ts). */
function writeSummary(out: string, profile: string, sf: string, done: ReproduceDone[], total: number, sweepSummary: Record<string, number>[]): string {
  const {comparison} = readComparison({done, sweepSummary, total}, {profile, sf});
  const file = join(out, "SUMMARY.md");
  atomicWrite(file, renderSummary(comparison, {reference: referenceDir(), workers: process.env.LEVER_WORKERS ?? "all", dirs: Object.fromEntries(done.map((d) => [d.step.name, d.dir]))}));
  return file;
}
