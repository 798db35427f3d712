#!/usr/bin/env node
// `npx lever <command>`: registers tsx so the TypeScript sources run directly, then runs the CLI in this
// process (cli/lever.ts `cli`). A signal sent here ends it with its worker threads; a signal sent to npx
// is npm's to pass on, so the process also ends when npm or its shell goes away (cli/launcher.ts),
// watching from before the CLI's sources load.
const parent = process.ppid;
const {register} = await import("tsx/esm/api");
register();
const {exitWithLauncher} = await import("../cli/launcher.ts");
exitWithLauncher(parent);
const {cli} = await import("../cli/lever.ts");
await cli(process.argv.slice(2));
