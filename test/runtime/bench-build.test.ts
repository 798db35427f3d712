// cli/bench-build.ts: bad input is one line on stderr and exit 2, before anything is cloned or built.
import {spawnSync} from "node:child_process";
import {join} from "node:path";
import {describe, expect, it} from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "cli/bench-build.ts", ...args], {cwd: ROOT, encoding: "utf8"});

describe("bench:build arguments", () => {
  it.each([
    [[], /missing --against REV/],
    [["--against", "no-such-commit-xyz"], /unknown revision: "no-such-commit-xyz"/],
    [["--against", "HEAD", "--profile", "huge"], /invalid --profile: "huge" \(accepted: quick, paper\)/],
    [["--against", "HEAD", "--bogus"], /bench:build: .*bogus/],
  ])("%j → one line, exit 2", (args, message) => {
    const r = run(...(args as string[]));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
