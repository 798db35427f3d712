#!/usr/bin/env node
// `npx lever <command>`: registers tsx so the TypeScript sources run directly, then calls the CLI.
import {register} from "tsx/esm/api";

register();
const {main} = await import("../cli/lever.ts");
process.exitCode = await main(process.argv.slice(2));
