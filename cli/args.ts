/**
 * What every `lever` command shares: the one argument parser (node:util parseArgs, strict), the flag
 * values several commands take, and the output conventions (one JSON line on stdout, progress on
 * stderr). Bad input is a `UsageError` (a RangeError): one line saying what is wrong and what is
 * accepted; cli/lever.ts prints it and exits with code 2.
 *
 * Conventions: `--name VALUE` for every setting; on/off for switches that have a default
 * (`--memo on|off`); bare booleans only for actions (`--json`, `--skip-mlp`); `--profile quick|paper`
 * wherever a command has a build profile. Numbers are parsed here and only here, strictly and within
 * bounds the error states; list flags reject an item given twice; errors echo at most 80 characters
 * of a value.
 */
import {readFileSync} from "node:fs";
import {availableParallelism} from "node:os";
import {parseArgs} from "node:util";
import {parseProfile, PROFILES, type Profile} from "../lib/core/profile.js";
import {defaultCounts, parseLayout, type Layout, type LayoutCounts} from "../lib/lever/env/layout.js";
import {parseShard, type Shard} from "../lib/lever/experiment/plan.js";
import {currentProfile} from "../runtime/profile.js";

/** One command: its usage line (in `lever --help`) and what it does with its arguments. */
export interface Command {
  usage: string;
  run(argv: string[]): Promise<void>;
}

/** The command's result: one JSON line on stdout. */
export function print(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}

/** Progress: one line on stderr. */
export function log(line: string): void {
  process.stderr.write(line + "\n");
}

/** Bad command-line input (exit code 2). */
export class UsageError extends RangeError {}

export interface Flag {
  type: "string" | "boolean";
  /** What the value looks like, for errors and usage ("N", "quick|paper"). */
  value?: string;
}

export type Flags = Record<string, Flag>;

export type Values = Record<string, string | boolean | undefined>;

export interface ParseOptions {
  /** Accept positional arguments (named so in errors, e.g. "SHARD_DIR..."). */
  positionals?: string;
  /** Flags that were renamed or removed: old name → what to write instead. */
  retired?: Record<string, string>;
}

/** The accepted flags of a command, as listed in errors: "--out DIR, --workers N, --json". */
export function acceptedFlags(flags: Flags): string {
  return Object.entries(flags)
    .map(([name, f]) => (f.value ? `--${name} ${f.value}` : `--${name}`))
    .join(", ");
}

/**
 * Parse `argv` strictly: unknown or retired flags, a missing or superfluous value, and positionals
 * (unless accepted) throw a one-line UsageError naming the command and the accepted flags.
 */
export function parseFlags(command: string, argv: readonly string[], flags: Flags, options: ParseOptions = {}): {values: Values; positionals: string[]} {
  for (const arg of argv) {
    const name = /^--([^=]+)/.exec(arg)?.[1];
    if (name !== undefined && options.retired && Object.hasOwn(options.retired, name) && !Object.hasOwn(flags, name)) {
      throw new UsageError(`lever ${command}: --${name} is no longer accepted: use ${options.retired[name]}`);
    }
  }
  try {
    const config = Object.fromEntries(Object.entries(flags).map(([name, f]) => [name, {type: f.type}]));
    const r = parseArgs({args: [...argv], options: config, strict: true, allowPositionals: options.positionals !== undefined});
    return {values: r.values as Values, positionals: r.positionals};
  } catch (e) {
    const msg = (e as Error).message.split("\n")[0].replace(/\. To specify a positional argument.*$/, "");
    const accepted = acceptedFlags(flags) + (options.positionals ? `, then ${options.positionals}` : "");
    throw new UsageError(`lever ${command}: ${msg} (accepted: ${accepted})`);
  }
}

/** Throw for the first flag of `names` that was not given. */
export function required(command: string, values: Values, ...names: string[]): void {
  for (const n of names) if (values[n] === undefined) throw new UsageError(`lever ${command}: missing --${n}`);
}

/** The string value of `--name` (a string flag that was given). */
export function text(values: Values, name: string): string {
  return String(values[name]);
}

// ---------------------------------------------------------------------------------------------
// Values echoed in errors

/** Longest part of a user value an error echoes. */
const ECHO = 80;

/**
 * A user value as an error echoes it: JSON-quoted, and past 80 characters cut with an ellipsis and its
 * length (`"0 1 2 …" (130000 characters)`), so a huge argument never becomes a huge error line.
 */
export function quote(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value ?? null);
  return value.length <= ECHO ? JSON.stringify(value) : `${JSON.stringify(cut(value)).slice(0, -1)}…" (${value.length} characters)`;
}

/** The first ECHO characters, without a dangling half of a surrogate pair. */
function cut(value: string): string {
  const head = value.slice(0, ECHO);
  return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head;
}

/**
 * An error message with every long quoted value cut as `quote` cuts it: for messages written elsewhere
 * (lib/ parsers, node:util parseArgs) that quote a user value whole. cli/lever.ts applies it to every
 * error line it prints; values `quote` has cut already are left as they are.
 */
export function clipQuoted(message: string): string {
  // Single quotes as parseArgs writes them ('--out'), not apostrophes ("the run's").
  return message.replace(/"(?:[^"\\\n]|\\.)*"|(?<!\w)'[^'\n]*'(?!\w)/g, (q) => {
    let value = q.slice(1, -1);
    if (q[0] === '"') {
      try {
        value = JSON.parse(q);
      } catch {
        // not JSON: cut the raw text
      }
    }
    if (value.length <= ECHO + 1) return q;
    return q[0] === '"' ? quote(value) : `'${cut(value)}…' (${value.length} characters)`;
  });
}

// ---------------------------------------------------------------------------------------------
// Numbers: parsed strictly (decimal notation only: never "", " ", hex, binary or "Infinity", which
// Number() accepts) and bounded to what the command can do, with the bound in the error.

/** Seeds of `sampleLayout` (CPython's Random(seed) takes any integer; ours any safe integer). */
export const SEED_MAX = Number.MAX_SAFE_INTEGER;
/** 32-bit seeds (training streams, steering studies: `deriveSeed` keeps 32 bits). */
export const SEED32_MAX = 0xffffffff;
/** Most seeds a `--seeds` list may name: each is a whole training or experiment run per spec and reward. */
export const MAX_SEEDS = 1000;
/** Most shards of `--shard i/n`. */
export const MAX_SHARDS = 1000;
/** Most worker threads `--workers` accepts before the cap at the cores. */
export const MAX_WORKERS = 256;

/** `--name VALUE` as an integer in [min, max] (decimal digits, optionally padded with spaces). */
export function int(name: string, value: string | boolean | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) + 0 : NaN; // + 0: "-0" → 0
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`invalid --${name}: ${quote(value)} (expected an integer in ${min}..${max})`);
  return n;
}

/** `--name VALUE` as a decimal number in [min, max]: 0.5, .5, 1, 1e-1; not "", "0x1", "Infinity". */
export function real(name: string, value: string | boolean | undefined, min: number, max: number): number {
  const n = typeof value === "string" && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`invalid --${name}: ${quote(value)} (expected a decimal number in [${min}, ${max}])`);
  return n;
}

/** `--workers N`: worker threads, 1..256 (capped at the cores by `capWorkers` once every flag is parsed). */
export function workersFlag(value: string | boolean | undefined): number | undefined {
  return value === undefined ? undefined : int("workers", value, 1, MAX_WORKERS);
}

/**
 * `--workers` capped at the cores of this machine (os.availableParallelism): more threads than cores
 * only slow CPU-bound jobs down. A cap is said in one line on stderr, so commands call this after
 * parsing every flag (bad input stays one line).
 */
export function capWorkers(command: string, workers: number | undefined, cores = availableParallelism()): number | undefined {
  if (workers === undefined || workers <= cores) return workers;
  log(`lever ${command}: --workers ${workers} capped at ${cores}, the cores of this machine (os.availableParallelism())`);
  return cores;
}

// ---------------------------------------------------------------------------------------------
// Lists

/** The items of a comma-separated list flag, trimmed; an empty list or item is an error. */
export function items(name: string, value: string, example: string): string[] {
  const parts = value.split(",").map((s) => s.trim());
  if (parts.some((s) => s === "")) throw new UsageError(`invalid --${name}: ${quote(value)} has an empty item (expected a comma-separated list such as ${example})`);
  return parts;
}

/**
 * A comma-separated list flag: its items parsed by `item`. An item given twice (compared by `key` of
 * the parsed item, e.g. a reward system's canonical name) is an error naming it: a repeat is never
 * dropped silently.
 */
export function list<T>(name: string, value: string, example: string, item: (s: string) => T, key: (t: T) => string | number = String): T[] {
  const seen = new Set<string | number>();
  return items(name, value, example).map((s) => {
    const t = item(s);
    const k = key(t);
    if (seen.has(k)) throw new UsageError(`invalid --${name}: ${cut(String(k))} is given twice in ${quote(value)} (give each once)`);
    seen.add(k);
    return t;
  });
}

/** An on/off switch with a default. */
export function onOff(name: string, value: string | boolean | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === "on") return true;
  if (value === "off") return false;
  throw new UsageError(`invalid --${name}: ${quote(value)} (accepted: on, off)`);
}

/**
 * `--seeds`: "0-4", "0,2,3" or "1" → [0, 1, 2, 3, 4] etc., in the order given. Seeds are integers in
 * 0..SEED_MAX, at most MAX_SEEDS of them (counted before a range is expanded), each given once.
 */
export function parseSeedList(value: string): number[] {
  const ranges = items("seeds", value, "0-4").map((part) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new UsageError(`invalid --seeds: ${quote(value)} (expected e.g. 0-4 or 0,2,3)`);
    const [a, b] = [Number(m[1]), Number(m[2] ?? m[1])];
    if (!(a <= SEED_MAX && b <= SEED_MAX)) throw new UsageError(`invalid --seeds: ${quote(value)} (seeds are integers in 0..${SEED_MAX})`);
    if (b < a) throw new UsageError(`invalid --seeds: ${quote(part)} (range end before start)`);
    return [a, b];
  });
  const count = ranges.reduce((n, [a, b]) => n + b - a + 1, 0);
  if (count > MAX_SEEDS) throw new UsageError(`invalid --seeds: ${quote(value)} lists ${count} seeds (at most ${MAX_SEEDS})`);
  const seeds = new Set<number>();
  for (const [a, b] of ranges) {
    for (let s = a; s <= b; s++) {
      if (seeds.has(s)) throw new UsageError(`invalid --seeds: seed ${s} is given twice in ${quote(value)} (give each once)`);
      seeds.add(s);
    }
  }
  return [...seeds];
}

/** `--shard i/n` (lib/lever/experiment/plan.ts parseShard), with at most MAX_SHARDS shards. */
export function shardFlag(value: string): Shard {
  const shard = parseShard(value);
  if (shard.count > MAX_SHARDS) throw new UsageError(`invalid --shard: ${quote(value)} (expected i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS}, e.g. 1/2)`);
  return shard;
}

/**
 * `--actions 0,1,3,...`: a sequence of actions 0..3 (repeats are the point), at most `max` of them: the
 * episode cap N² of the layout (spec §1.2), after which no episode goes on.
 */
export function actionList(value: string, max: number, size: number): number[] {
  if (value.trim() === "") return [];
  const items = value.split(",");
  if (items.length > max) throw new UsageError(`invalid --actions: ${items.length} actions (at most ${max}, the episode cap N² of a ${size}×${size} layout)`);
  return items.map((s) => {
    if (!/^\s*[0-3]\s*$/.test(s)) throw new UsageError(`invalid --actions: ${quote(s)} (accepted: a comma-separated list of 0, 1, 2, 3)`);
    return Number(s);
  });
}

// ---------------------------------------------------------------------------------------------
// Profiles and layouts

/** The `--profile` flag every profiled command takes. */
export const PROFILE_FLAG: Flag = {type: "string", value: PROFILES.join("|")};

/** `--profile quick|paper`; without it the build profile (LEVER_PROFILE, default paper). */
export function profileFlag(value: string | boolean | undefined): Profile {
  return value === undefined ? currentProfile() : parseProfile(String(value), "--profile");
}

/** `--layout FILE`: a layout JSON as `lever layout` prints it. */
export function readLayout(path: string): Layout {
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read layout file ${quote(path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (e) {
    throw new UsageError(`malformed layout: ${quote(path)} is not valid JSON (${(e as Error).message})`);
  }
  return parseLayout(json);
}

/**
 * `--golds G --blocks B --hazards H`, each defaulting to the size's spec set; each at most N² − 3 (the
 * cells besides start, exit and the lever; the sampler checks that they fit together).
 */
export function countsFrom(values: Values, size: number): LayoutCounts {
  const d = defaultCounts(size);
  const given = ["golds", "blocks", "hazards"].filter((k) => values[k] !== undefined);
  if (!d && given.length < 3) throw new UsageError(`no default object counts for size ${size} (defaults exist for 8, 16, 32): give --golds, --blocks and --hazards`);
  const count = (k: keyof LayoutCounts) => (values[k] !== undefined ? int(k, values[k], 0, size * size - 3) : d![k]);
  return {golds: count("golds"), blocks: count("blocks"), hazards: count("hazards")};
}
