/**
 * `lever <command>`: the headless CLI. Dispatches to one file per command (cli/commands/<name>.ts),
 * each parsing its flags with the one parser of cli/args.ts and calling the same lib/ and runtime/
 * functions the data loaders and pages use. JSON on stdout, progress on stderr, one-line errors with a
 * non-zero exit (2 for bad input, with nothing on stdout; 1 for failures).
 */
import {resolve} from "node:path";
import {REWARD_SYSTEMS} from "../lib/lever/env/rewards.js";
import type {Command} from "./args.js";
import * as bench from "./commands/bench.js";
import * as experiment from "./commands/experiment.js";
import * as layout from "./commands/layout.js";
import * as library from "./commands/library.js";
import * as merge from "./commands/merge.js";
import * as optimum from "./commands/optimum.js";
import * as replay from "./commands/replay.js";
import * as reproduce from "./commands/reproduce.js";
import * as steer from "./commands/steer.js";
import * as sweep from "./commands/sweep.js";

const COMMANDS: Record<string, Command> = {layout, replay, optimum, library, bench, experiment, sweep, merge, reproduce, steer};

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
    process.stderr.write(`lever: unknown command ${JSON.stringify(name)} (accepted: ${Object.keys(COMMANDS).join(", ")}; see lever --help)\n`);
    return 2;
  }
  try {
    await COMMANDS[name].run(rest);
    return 0;
  } catch (e) {
    const err = e as Error;
    process.stderr.write(`lever ${name}: ${err.message.split("\n")[0].replace(/^lever \w+: /, "")}\n`);
    return err instanceof RangeError ? 2 : 1;
  }
}

// Run when executed directly (`node --import tsx cli/lever.ts`); bin/lever.js and tests call main().
if (process.argv[1] && resolve(process.argv[1]).endsWith("cli/lever.ts")) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
