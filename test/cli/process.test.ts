// `lever` as a process (bin/lever.js, spawned): flags that used to spin forever, output that cannot be
// written (a closed pipe, a full disk), and signals sent to the launcher of `npx lever …`.
import {execFileSync, spawn, spawnSync} from "node:child_process";
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {ROOT} from "../paths.js";

const BIN = join(ROOT, "bin/lever.js");
const dir = mkdtempSync(join(tmpdir(), "lever-process-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("item 5: seed lists are bounded before anything is expanded", () => {
  const cases: [string[], RegExp][] = [
    [["library", "--spec-set", "grid16", "--seeds", "5-99999999999999999999"], /^lever library: invalid --seeds: "5-99999999999999999999" \(seeds are integers in 0\.\.9007199254740991\)$/],
    [["library", "--spec-set", "grid16", "--seeds", "99999999999999999999"], /^lever library: invalid --seeds: "99999999999999999999" \(seeds are integers in 0\.\.9007199254740991\)$/],
    [["experiment", "--spec-set", "grid16", "--method", "qsum", "--seeds", "0-100000000"], /^lever experiment: invalid --seeds: "0-100000000" lists 100000001 seeds \(at most 1000\)$/],
  ];
  for (const [argv, re] of cases) {
    it(`${argv.join(" ")} fails at once`, () => {
      const out = join(dir, "never");
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [BIN, ...argv, "--out", out], {encoding: "utf8", timeout: 30_000});
      expect(r.signal, "killed by the timeout: the flag spun").toBeNull();
      expect([r.status, r.stdout]).toEqual([2, ""]);
      expect(r.stderr.trimEnd()).toMatch(re);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
      expect(performance.now() - t0).toBeLessThan(30_000);
    });
  }
});

describe("item 11: output that cannot be written is one line on stderr and a non-zero exit", () => {
  it.skipIf(!existsSync("/dev/full"))("stdout on /dev/full (ENOSPC)", () => {
    const full = openSync("/dev/full", "w");
    try {
      const r = spawnSync(process.execPath, [BIN, "layout", "--size", "16", "--seed", "0"], {encoding: "utf8", stdio: ["ignore", full, "pipe"], timeout: 60_000});
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^lever layout: cannot write to stdout: ENOSPC \(no space left on device\)\n$/);
    } finally {
      closeSync(full);
    }
  });
  it("stdout into a pipe whose reader has gone (EPIPE, as `| head` does)", async () => {
    const child = spawn(process.execPath, [BIN, "--help"], {stdio: ["ignore", "pipe", "pipe"]});
    child.stdout.destroy(); // the reader exits before the CLI writes
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise((r) => child.on("close", r));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^lever: cannot write to stdout: EPIPE \(the reader closed the pipe\)\n$/);
  });
});

/** The pids whose parent is `pid` (Linux procps). */
function children(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], {encoding: "utf8"})
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}
/** Whether `pid` runs: a zombie (dead, not yet reaped by whoever adopted it) counts as gone. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
async function until(f: () => boolean, ms: number): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await sleep(100)) if (f()) return true;
  return f();
}

// npm exec and npm run start a command as `sh -c CMD` and forward SIGINT/SIGTERM only to that shell
// (@npmcli/run-script); dash, Debian's sh, dies on SIGTERM and SIGHUP without passing them on. These
// tests build the same chain without npm: [fake npm →] sh -c "node bin/lever.js bench …".
describe.skipIf(process.platform !== "linux")("item 14: a signal to the launcher of `npx lever …` ends the CLI", () => {
  const env = {...process.env, npm_lifecycle_event: "npx", npm_command: "exec"};
  const command = `"${process.execPath}" "${BIN}" bench --repeats 1000`;

  async function chain(withNpm: boolean, delay: number): Promise<{launcher: number; shell: number; cli: number}> {
    const script = withNpm ? `require("node:child_process").spawn("sh", ["-c", ${JSON.stringify(command)}], {stdio: "ignore"}); setInterval(() => {}, 1e6);` : undefined;
    const launcher = script ? spawn(process.execPath, ["-e", script], {stdio: "ignore", env}) : spawn("sh", ["-c", command], {stdio: "ignore", env});
    const pid = launcher.pid!;
    let shell = withNpm ? 0 : pid;
    let cli = 0;
    await until(() => {
      if (!shell) shell = children(pid)[0] ?? 0;
      if (shell) cli = children(shell)[0] ?? (cmdline(shell).includes(BIN) ? shell : 0); // a shell that execs its command is the CLI
      return cli > 0;
    }, 20_000);
    expect(cli, "the CLI process started").toBeGreaterThan(0);
    await sleep(delay); // early: while it loads its sources; late: while it computes
    return {launcher: pid, shell, cli};
  }

  for (const [name, withNpm, signal, delay] of [
    ["SIGTERM to the shell (what npx forwards on SIGTERM), while the CLI loads", false, "SIGTERM", 100],
    ["SIGTERM to the shell, while the CLI computes", false, "SIGTERM", 3000],
    ["SIGHUP to the shell", false, "SIGHUP", 3000],
    ["SIGHUP to npm itself (npm does not forward it; its shell lives on)", true, "SIGHUP", 3000],
  ] as const) {
    it(name, async () => {
      const p = await chain(withNpm, delay);
      try {
        process.kill(p.launcher, signal);
        expect(await until(() => !alive(p.cli), 10_000), "the CLI process is gone").toBe(true);
      } finally {
        for (const pid of [p.cli, p.shell, p.launcher]) if (pid && alive(pid)) process.kill(pid, "SIGKILL");
      }
    });
  }

  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    it(`${signal} to bin/lever.js itself ends it`, async () => {
      const child = spawn(process.execPath, [BIN, "bench", "--repeats", "1000"], {stdio: "ignore", env});
      try {
        await sleep(2500);
        child.kill(signal);
        const [code, sig] = await new Promise<[number | null, string | null]>((r) => child.on("exit", (c, s) => r([c, s])));
        expect(code === null ? sig : code).toBe(signal);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    });
  }
});
