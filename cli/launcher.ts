/**
 * The CLI process and its launcher (bin/lever.js, cli/lever.ts when run directly). Node builtins only,
 * so that the entry point can start it before the CLI's sources load.
 */
import {Worker} from "node:worker_threads";

/**
 * End this process when its launcher goes away. `npx lever` and `npm run lever` start the CLI as
 * `sh -c CMD` under npm, and npm forwards only SIGINT and SIGTERM, only to that shell
 * (@npmcli/run-script); dash, Debian's sh, dies on SIGTERM or SIGHUP without passing them on, and npm
 * dies on SIGHUP leaving its shell. So a signal to npx used to leave this process running.
 *
 * A watchdog thread (a busy main thread cannot delay it) polls the parent and, on Linux, the parent's
 * parent, and sends this process SIGTERM when either has gone. `parent` is the parent pid as the entry
 * point read it first, before its sources loaded, since the launcher may go meanwhile; if it had gone
 * even before that, the parent is init (pid 1), which never launches the CLI under npm. Only under npm
 * (npm_lifecycle_event set): a CLI started from a shell that then exits, e.g. under nohup, keeps
 * running as asked. SIGINT to npx stays unseen: the shell ignores it while it waits, and npm waits for
 * the shell.
 */
export function exitWithLauncher(parent: number): void {
  if (process.env.npm_lifecycle_event === undefined) return;
  new Worker(WATCHDOG, {eval: true, workerData: {parent}}).unref();
}

const WATCHDOG = `
const {readFileSync} = require("node:fs");
const {parent} = require("node:worker_threads").workerData;
const parentOf = (pid) => {
  try {
    const stat = readFileSync("/proc/" + pid + "/stat", "utf8"); // "pid (comm) state ppid ..."
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
};
const grandparent = parentOf(parent);
const check = () => {
  if (parent === 1 || process.ppid !== parent || (grandparent > 0 && parentOf(parent) !== grandparent)) process.kill(process.pid, "SIGTERM");
};
check();
setInterval(check, 500);
`;
