/**
 * `lever <command>`: the headless CLI. Dispatches to one file per command (cli/commands/<name>.ts),
 * each parsing its flags with the one parser of cli/args.ts and calling the same lib/ and runtime/
 * functions the data loaders and pages use. JSON on stdout, progress on stderr, one-line errors with a
 * non-zero exit (2 for bad input, with nothing on stdout; 1 for failures, including output that cannot
 * be written). Errors quote user values at most 80 characters long (args.ts `quote`, `clipQuoted`).
 */
import {writeSync} from "node:fs";
import {resolve} from "node:path";
import {REWARD_SYSTEMS} from "../lib/lever/env/rewards.js";
import {clipQuoted, quote, type Command} from "./args.js";
import {exitWithLauncher} from "./launcher.js";
import * as answer from "./commands/answer.js";
import * as bench from "./commands/bench.js";
import * as agreement from "./commands/agreement.js";
import * as decompose from "./commands/decompose.js";
import * as experiment from "./commands/experiment.js";
import * as layout from "./commands/layout.js";
import * as library from "./commands/library.js";
import * as merge from "./commands/merge.js";
import * as optimum from "./commands/optimum.js";
import * as replay from "./commands/replay.js";
import * as reproduce from "./commands/reproduce.js";
import * as steer from "./commands/steer.js";
import * as sweep from "./commands/sweep.js";

const COMMANDS: Record<string, Command> = {layout, replay, optimum, library, bench, experiment, sweep, merge, reproduce, steer, decompose, answer, agreement};

const USAGE = `usage: lever <command> [options]

commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join("\n")}

JSON goes to stdout, progress to stderr. Settings: --name VALUE; switches with a default: --name on|off;
--profile quick|paper defaults to LEVER_PROFILE (else paper). Reward systems: ${REWARD_SYSTEMS.join(", ")}.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    (name ? process.stdout : process.stderr).write(USAGE + "\n");
    return name ? 0 : 2;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    process.stderr.write(`lever: unknown command ${quote(name)} (accepted: ${Object.keys(COMMANDS).join(", ")}; see lever --help)\n`);
    return 2;
  }
  try {
    await COMMANDS[name].run(rest);
    return 0;
  } catch (e) {
    const err = e as Error;
    process.stderr.write(`lever ${name}: ${clipQuoted(err.message.split("\n")[0].replace(/^lever \w+: /, ""))}\n`);
    return err instanceof RangeError ? 2 : 1;
  }
}

/**
 * The process around main() (bin/lever.js, `node --import tsx cli/lever.ts`; tests call main()):
 * output errors become one line. (The entry points also end the process with its launcher:
 * cli/launcher.ts.)
 */
export async function cli(argv: string[]): Promise<void> {
  guardOutput(Object.hasOwn(COMMANDS, argv[0] ?? "") ? `lever ${argv[0]}` : "lever");
  process.exitCode = await main(argv);
}

const OUTPUT_ERRORS: Record<string, string> = {EPIPE: "the reader closed the pipe", ENOSPC: "no space left on device"};

/**
 * Output that cannot be written (EPIPE into `| head`, ENOSPC on a full disk or /dev/full) is one line
 * on stderr and exit 1, not an unhandled 'error' event with a stack trace; the run stops there.
 */
function guardOutput(prefix: string): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    try {
      writeSync(2, `${prefix}: cannot write to stdout: ${e.code ?? "error"} (${OUTPUT_ERRORS[e.code ?? ""] ?? e.message.split("\n")[0]})\n`);
    } catch {
      // stderr is gone too: the exit code says it.
    }
    process.exit(1);
  });
  process.stderr.on("error", () => process.exit(1));
}

// Run when executed directly (`node --import tsx cli/lever.ts`, `npm run lever`).
if (process.argv[1] && resolve(process.argv[1]).endsWith("cli/lever.ts")) {
  exitWithLauncher(process.ppid);
  await cli(process.argv.slice(2));
}
