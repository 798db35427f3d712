/**
 * `lever <command>`: the headless CLI. JSON on stdout, progress on stderr, one-line errors with a
 * non-zero exit (2 for usage errors, 1 for failures). Every command calls the same lib/ functions the
 * data loaders and pages use.
 */
import {readFileSync} from "node:fs";
import {resolve} from "node:path";
import {parseArgs, type ParseArgsConfig} from "node:util";
import {buildLibrary} from "../runtime/library-build.js";
import {experimentCommand, mergeCommand, reproduceCommand, sweepCommand} from "./experiment.js";
import {steerCommand} from "./steer.js";
import {parseSeedList} from "./args.js";
import {benchOptimum, benchSarsa, benchTypicalSuccessor} from "../lib/core/bench.js";
import {GridWorld, replay} from "../lib/lever/env/gridworld.js";
import {defaultCounts, layoutJSON, parseLayout, parseSpecs, parseSpecSet, parseVariant, sampleLayout, type Layout, type LayoutCounts} from "../lib/lever/env/layout.js";
import type {KeepRule} from "../lib/lever/library/runs.js";
import {optimum} from "../lib/lever/env/optimum.js";
import {parseGoldPenalty, parseRewardList, parseRewardSystem, REWARD_SYSTEMS} from "../lib/lever/env/rewards.js";
import {parseUpdateRule} from "../lib/lever/library/sarsa.js";

class UsageError extends Error {}

const USAGE = `usage: lever <command> [options]

commands:
  layout    --size N --seed S [--variant main|v3] [--golds G --blocks B --hazards H]
  replay    --layout FILE --reward NAME --actions 0,1,3,... [--gold-penalty fractional|legacy] [--variant main|v3]
  optimum   (--layout FILE | --size N --seed S) --reward NAME [--gold-penalty fractional|legacy]
  library   --spec-set NAME --out DIR [--specs X1,X5,X10] [--seeds 0-4] [--rewards a,b]
            [--gamma G] [--rule reference|sarsa|qlearning] [--keep policies|all] [--workers N] [--train-seed S]
  bench     [--json] [--repeats N]
  experiment --spec-set NAME --method exnonzero|qsum|gpi --out DIR [--specs X1,X5,X10] [--seeds 0-4]
            [--modes trivial,double,triple] [--gold-penalty fractional|legacy] [--hybrid-top-k 3]
            [--sf lstd|mlp] [--shard i/n] [--workers N] [--timing wall|zero]
  sweep     the same flags [--k 2,3,4]: the hybrid top-k sweep (spec §8.6)
  merge     --out DIR SHARD_DIR...: join shard outputs into what one run writes
  reproduce [--profile quick|paper] --out DIR: every experiment, plus DIR/SUMMARY.md beside the reference
  steer     --study A|B|R|M [--quick] --out DIR [--workers N] [--seed S]: Part II studies → DIR/study-<X>.json

JSON goes to stdout, progress to stderr. Reward systems: ${REWARD_SYSTEMS.join(", ")}.`;

type Options = NonNullable<ParseArgsConfig["options"]>;

function parse(command: string, argv: string[], options: Options) {
  try {
    return parseArgs({args: argv, options, strict: true, allowPositionals: false}).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    const accepted = Object.keys(options).map((k) => `--${k}`).join(", ");
    const msg = (e as Error).message.split("\n")[0].replace(/\. To specify a positional argument.*$/, "");
    throw new UsageError(`lever ${command}: ${msg} (accepted: ${accepted})`);
  }
}

function int(name: string, value: string | boolean | undefined, {min = 0, max = Number.MAX_SAFE_INTEGER} = {}): number {
  if (typeof value !== "string" || !/^-?\d+$/.test(value.trim())) throw new UsageError(`invalid --${name}: ${JSON.stringify(value ?? null)} (expected an integer)`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`invalid --${name}: ${n} (expected ${min}..${max})`);
  return n;
}

function required(command: string, values: Record<string, unknown>, ...names: string[]): void {
  for (const n of names) if (values[n] === undefined) throw new UsageError(`lever ${command}: missing --${n}`);
}


function readLayout(path: string): Layout {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read layout file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RangeError(`malformed layout: ${path} is not valid JSON (${(e as Error).message})`);
  }
  return parseLayout(json);
}

function countsFrom(values: Record<string, string | boolean | undefined>, size: number): LayoutCounts {
  const d = defaultCounts(size);
  const given = ["golds", "blocks", "hazards"].filter((k) => values[k] !== undefined);
  if (!d && given.length < 3) throw new UsageError(`no default object counts for size ${size} (defaults exist for 8, 16, 32): give --golds, --blocks and --hazards`);
  return {
    golds: values.golds !== undefined ? int("golds", values.golds) : d!.golds,
    blocks: values.blocks !== undefined ? int("blocks", values.blocks) : d!.blocks,
    hazards: values.hazards !== undefined ? int("hazards", values.hazards) : d!.hazards,
  };
}

function out(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}

const commands: Record<string, (argv: string[]) => Promise<void> | void> = {

  layout(argv) {
    const v = parse("layout", argv, {size: {type: "string"}, seed: {type: "string"}, variant: {type: "string"}, golds: {type: "string"}, blocks: {type: "string"}, hazards: {type: "string"}});
    required("layout", v, "size", "seed");
    const size = int("size", v.size, {min: 3, max: 128});
    const seed = int("seed", v.seed);
    const variant = parseVariant((v.variant as string) ?? "main");
    out(layoutJSON(sampleLayout(size, seed, countsFrom(v, size), variant)));
  },

  replay(argv) {
    const v = parse("replay", argv, {layout: {type: "string"}, reward: {type: "string"}, actions: {type: "string"}, "gold-penalty": {type: "string"}, variant: {type: "string"}});
    required("replay", v, "layout", "reward", "actions");
    const layout = readLayout(v.layout as string);
    const rs = parseRewardSystem(v.reward as string);
    const text = (v.actions as string).trim();
    const actions = text === "" ? [] : text.split(",").map((s) => {
      if (!/^\s*[0-3]\s*$/.test(s)) throw new UsageError(`invalid --actions: ${JSON.stringify(s)} (accepted: a comma-separated list of 0, 1, 2, 3)`);
      return Number(s);
    });
    const env = new GridWorld(layout, rs, {goldPenalty: parseGoldPenalty((v["gold-penalty"] as string) ?? "fractional"), variant: parseVariant((v.variant as string) ?? "main")});
    out(replay(env, actions));
  },

  optimum(argv) {
    const v = parse("optimum", argv, {layout: {type: "string"}, size: {type: "string"}, seed: {type: "string"}, reward: {type: "string"}, "gold-penalty": {type: "string"}, golds: {type: "string"}, blocks: {type: "string"}, hazards: {type: "string"}});
    required("optimum", v, "reward");
    let layout: Layout;
    if (v.layout !== undefined) {
      if (v.size !== undefined || v.seed !== undefined) throw new UsageError("lever optimum: give either --layout FILE or --size N --seed S, not both");
      layout = readLayout(v.layout as string);
    } else {
      if (v.size === undefined || v.seed === undefined) throw new UsageError("lever optimum: give --layout FILE or both --size N and --seed S");
      const size = int("size", v.size, {min: 3, max: 128});
      layout = sampleLayout(size, int("seed", v.seed), countsFrom(v, size), "main");
    }
    const env = new GridWorld(layout, parseRewardSystem(v.reward as string), {goldPenalty: parseGoldPenalty((v["gold-penalty"] as string) ?? "fractional")});
    const res = optimum(env);
    out({reward: res.reward, path: res.path});
  },

  async library(argv) {
    const v = parse("library", argv, {
      "spec-set": {type: "string"}, specs: {type: "string"}, seeds: {type: "string"}, rewards: {type: "string"}, out: {type: "string"},
      gamma: {type: "string"}, rule: {type: "string"}, keep: {type: "string"}, workers: {type: "string"}, "train-seed": {type: "string"},
    });
    required("library", v, "spec-set", "out");
    const set = parseSpecSet(v["spec-set"] as string);
    const specs = v.specs !== undefined ? parseSpecs(v.specs as string, set) : set.specs;
    const seeds = v.seeds !== undefined ? parseSeedList(v.seeds as string) : set.seeds;
    const rewards = v.rewards !== undefined ? parseRewardList(v.rewards as string).map((r) => r.name) : [...REWARD_SYSTEMS];
    let gamma: number | undefined;
    if (v.gamma !== undefined) {
      gamma = Number(v.gamma);
      if (!(gamma >= 0 && gamma <= 1)) throw new UsageError(`invalid --gamma: ${JSON.stringify(v.gamma)} (expected a number in [0, 1])`);
    }
    const keep = (v.keep as string | undefined) ?? undefined;
    if (keep !== undefined && keep !== "policies" && keep !== "all") throw new UsageError(`invalid --keep: ${JSON.stringify(keep)} (accepted: policies, all)`);
    const manifest = await buildLibrary({
      specSet: set,
      specs,
      seeds,
      rewards,
      out: resolve(v.out as string),
      gamma,
      rule: v.rule !== undefined ? parseUpdateRule(v.rule as string) : undefined,
      keep: keep as KeepRule | undefined,
      workers: v.workers !== undefined ? int("workers", v.workers, {min: 1, max: 256}) : undefined,
      trainSeed: v["train-seed"] !== undefined ? int("train-seed", v["train-seed"]) : undefined,
      log: (line) => process.stderr.write(line + "\n"),
    });
    out({
      out: resolve(v.out as string),
      specSet: manifest.specSet,
      runs: manifest.runs.length,
      buildSeconds: manifest.buildSeconds,
      totalSteps: manifest.totalSteps,
      bytes: manifest.runs.reduce((s, r) => s + r.bytes, 0),
      workers: manifest.workers,
    });
  },

  bench(argv) {
    const v = parse("bench", argv, {json: {type: "boolean"}, repeats: {type: "string"}});
    const repeats = v.repeats !== undefined ? int("repeats", v.repeats, {min: 1, max: 1000}) : 15;
    process.stderr.write(`bench: SARSA throughput (${repeats} timed runs)…\n`);
    const sarsa = benchSarsa(repeats);
    process.stderr.write(`bench: optimum solver…\n`);
    const opt = benchOptimum();
    process.stderr.write(`bench: successor features (LSTD vs MLP) for one library policy…\n`);
    const sf = benchTypicalSuccessor();
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      sarsa: {stepsPerSecond: Math.round(sarsa.stepsPerSecond), samples: sarsa.samples.map(Math.round), stepsPerRun: sarsa.stepsPerRun, medianSeconds: sarsa.medianSeconds, protocol: sarsa.protocol},
      optimum: {medianMs16: opt.ms16, medianMs32: opt.ms32},
      successor: sf,
    };
    if (v.json) out(result);
    else {
      process.stdout.write(
        `SARSA: ${(sarsa.stepsPerSecond / 1e6).toFixed(1)} M steps/s (median of ${repeats}; ${sarsa.stepsPerRun} steps per X1 run, ${sarsa.medianSeconds.toFixed(3)} s)\n` +
          `optimum DP: ${opt.ms16.toFixed(2)} ms (16×16), ${opt.ms32.toFixed(2)} ms (32×32), path-gold-hazard-lever\n` +
          `successor features of one policy (${sf.transitions} transitions, ${sf.canonical} canonical states): LSTD ${sf.lstdMs.toFixed(2)} ms, MLP ${sf.mlpMs.toFixed(0)} ms (median of ${sf.repeats})\n`,
      );
    }
  },
  experiment: experimentCommand,
  sweep: sweepCommand,
  merge: mergeCommand,
  reproduce: reproduceCommand,
  steer: steerCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    (command ? process.stdout : process.stderr).write(USAGE + "\n");
    return command ? 0 : 2;
  }
  const fn = commands[command];
  if (!fn || !Object.hasOwn(commands, command)) {
    process.stderr.write(`lever: unknown command ${JSON.stringify(command)} (accepted: ${Object.keys(commands).join(", ")}; see lever --help)\n`);
    return 2;
  }
  try {
    await fn(rest);
    return 0;
  } catch (e) {
    const err = e as Error;
    process.stderr.write(`lever ${command}: ${err.message.replace(/^lever \w+: /, "")}\n`);
    return err instanceof UsageError || err instanceof RangeError ? 2 : 1;
  }
}

// Run when executed directly (`node --import tsx cli/lever.ts`); bin/lever.js and tests call main().
if (process.argv[1] && resolve(process.argv[1]).endsWith("cli/lever.ts")) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
