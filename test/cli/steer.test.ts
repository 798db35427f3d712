// Tests for cli/commands/steer.ts: strict flag parsing with one-line RangeErrors (exit code 2 through
// cli/lever.ts), the retired --quick, and a quick study A written to a temporary directory.
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it, vi} from "vitest";
import {main as lever} from "../../cli/lever.js";
import {parseSteerArgs, run as steerCommand} from "../../cli/commands/steer.js";

const dir = mkdtempSync(join(tmpdir(), "steer-cli-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

async function rejection(argv: string[]): Promise<Error> {
  try {
    await steerCommand(argv);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`steerCommand(${argv.join(" ")}) did not throw`);
}

describe("steerCommand(argv): usage errors", () => {
  const cases: [string[], RegExp][] = [
    [["--study", "Z", "--out", dir], /invalid --study: "Z" \(accepted: A, B, R, M, L\)/],
    [["--study", "A"], /missing --out/],
    [["--out", dir], /missing --study/],
    [["--study", "A", "--out", dir, "--bogus"], /Unknown option '--bogus'.*accepted: --study A\|B\|R\|M\|L, --profile quick\|paper, --out DIR, --workers N, --seed S/],
    [["--study", "A", "--out", dir, "extra"], /Unexpected argument 'extra'/],
    [["--study", "A", "--out", dir, "--workers", "0"], /invalid --workers: "0" \(expected an integer in 1\.\.256\)/],
    [["--study", "A", "--out", dir, "--seed", "abc"], /invalid --seed: "abc"/],
    [["--study", "A", "--out", dir, "--seed=-3"], /invalid --seed: "-3"/],
    [["--study", "A", "--out", dir, "--quick=yes"], /--quick/],
    [["--study", "A", "--out", dir, "--quick"], /^lever steer: --quick is no longer accepted: use --profile quick$/],
    [["--study", "A", "--out", dir, "--profile", "huge"], /invalid --profile: "huge" \(accepted: quick, paper\)/],
    [["--study", "A", "--out", dir, "--profile"], /Option '--profile <value>' argument missing.*accepted: .*--profile quick\|paper/],
  ];
  for (const [argv, re] of cases) {
    it(`${argv.join(" ")} → one-line RangeError`, async () => {
      const e = await rejection(argv);
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(re);
      expect(e.message).not.toContain("\n");
    });
  }
  it("nothing is written on a usage error", () => {
    expect(readdirSync(dir)).toEqual([]);
  });
  it("parseSteerArgs: --profile quick selects the quick profile; defaults", () => {
    expect(parseSteerArgs(["--study", "R", "--profile", "quick", "--out", dir])).toEqual({study: "R", profile: "quick", out: dir, workers: undefined, seed: 0});
    expect(parseSteerArgs(["--study", "M", "--out", dir, "--workers", "2", "--seed", "5", "--profile", "quick"])).toMatchObject({workers: 2, seed: 5});
  });
  it("parseSteerArgs: without --profile, the build profile (LEVER_PROFILE, default paper)", () => {
    const saved = process.env.LEVER_PROFILE;
    try {
      delete process.env.LEVER_PROFILE;
      expect(parseSteerArgs(["--study", "A", "--out", dir]).profile).toBe("paper");
      process.env.LEVER_PROFILE = "quick";
      expect(parseSteerArgs(["--study", "A", "--out", dir]).profile).toBe("quick");
      expect(parseSteerArgs(["--study", "A", "--out", dir, "--profile", "paper"]).profile).toBe("paper");
    } finally {
      if (saved === undefined) delete process.env.LEVER_PROFILE;
      else process.env.LEVER_PROFILE = saved;
    }
  });
  it("lever steer --study Z exits with code 2 and one stderr line", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      expect(await lever(["steer", "--study", "Z", "--out", dir])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(lines.join("").trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("steerCommand(['--profile', 'quick', '--study', 'A', '--out', DIR])", () => {
  it("writes DIR/study-A.json with units, labels, identity; one JSON line on stdout", async () => {
    const out = join(dir, "quick");
    const stdout: string[] = [];
    const so = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    const se = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await steerCommand(["--profile", "quick", "--study", "A", "--out", out, "--workers", "2"]);
    } finally {
      so.mockRestore();
      se.mockRestore();
    }
    expect(readdirSync(out)).toEqual(["study-A.json"]);
    const study = JSON.parse(readFileSync(join(out, "study-A.json"), "utf8"));
    expect(study.study).toBe("A");
    expect(study.profile).toBe("quick");
    expect(study.units).toHaveLength(8); // 4 environments × 2 seeds
    for (const u of study.units) {
      for (const k of ["env", "dataset", "seed", "condition", "scores", "alphaStar", "alphaOracle", "labels"]) expect(u).toHaveProperty(k);
      for (const l of Object.values(u.labels)) expect(["help", "frozen", "hurt"]).toContain(l);
      expect(u.scores.frozen).toHaveLength(8);
    }
    expect(study.identity.maxMeanAbsDiff).toBeLessThanOrEqual(1e-9);
    expect(study.identity.maxCovRatioErr).toBeLessThanOrEqual(1e-9);
    expect(study.frozenUnchanged).toBe(true);
    expect(study).not.toHaveProperty("timing"); // the file is deterministic; timings go to stdout
    expect(stdout).toHaveLength(1);
    const summary = JSON.parse(stdout[0]);
    expect(summary).toMatchObject({study: "A", profile: "quick", units: 8, episodes: 8 * 13 * 8, paperEpisodes: 3900, frozenUnchanged: true});
    expect(existsSync(join(out, "study-A.json"))).toBe(true);
  });
});
