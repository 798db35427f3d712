/**
 * What every `lever` command shares: the one argument parser (node:util parseArgs, strict), the flag
 * values several commands take, and the output conventions (one JSON line on stdout, progress on
 * stderr). Bad input is a `UsageError` (a RangeError): one line saying what is wrong and what is
 * accepted; cli/lever.ts prints it and exits with code 2.
 *
 * Conventions: `--name VALUE` for every setting; on/off for switches that have a default
 * (`--memo on|off`); bare booleans only for actions (`--json`, `--skip-mlp`); `--profile quick|paper`
 * wherever a command has a build profile.
 */
import {readFileSync} from "node:fs";
import {parseArgs} from "node:util";
import {parseProfile, PROFILES, type Profile} from "../lib/core/profile.js";
import {defaultCounts, parseLayout, type Layout, type LayoutCounts} from "../lib/lever/env/layout.js";
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

/** `--name VALUE` as an integer in [min, max]. */
export function int(name: string, value: string | boolean | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}..${max}`;
    throw new UsageError(`invalid --${name}: ${JSON.stringify(value ?? null)} (expected an integer ${range})`);
  }
  return n;
}

/** An on/off switch with a default. */
export function onOff(name: string, value: string | boolean | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === "on") return true;
  if (value === "off") return false;
  throw new UsageError(`invalid --${name}: ${JSON.stringify(value)} (accepted: on, off)`);
}

/** "0-4", "0,2,3" or "1" → [0, 1, 2, 3, 4] etc. (duplicates dropped, order kept). */
export function parseSeedList(value: string): number[] {
  const out: number[] = [];
  for (const part of value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new UsageError(`invalid --seeds: ${JSON.stringify(value)} (expected e.g. 0-4 or 0,2,3)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError(`invalid --seeds: ${JSON.stringify(part)} (range end before start)`);
    for (let s = a; s <= b; s++) if (!out.includes(s)) out.push(s);
  }
  if (out.length === 0) throw new UsageError(`invalid --seeds: empty`);
  return out;
}

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
    throw new UsageError(`cannot read layout file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (e) {
    throw new UsageError(`malformed layout: ${path} is not valid JSON (${(e as Error).message})`);
  }
  return parseLayout(json);
}

/** `--golds G --blocks B --hazards H`, each defaulting to the size's spec set. */
export function countsFrom(values: Values, size: number): LayoutCounts {
  const d = defaultCounts(size);
  const given = ["golds", "blocks", "hazards"].filter((k) => values[k] !== undefined);
  if (!d && given.length < 3) throw new UsageError(`no default object counts for size ${size} (defaults exist for 8, 16, 32): give --golds, --blocks and --hazards`);
  return {
    golds: values.golds !== undefined ? int("golds", values.golds) : d!.golds,
    blocks: values.blocks !== undefined ? int("blocks", values.blocks) : d!.blocks,
    hazards: values.hazards !== undefined ? int("hazards", values.hazards) : d!.hazards,
  };
}
