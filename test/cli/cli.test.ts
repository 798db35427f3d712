import {spawnSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {ROOT} from "../paths.js";

const BIN = join(ROOT, "bin/lever.js");
const dir = mkdtempSync(join(tmpdir(), "lever-cli-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

function lever(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {encoding: "utf8", timeout: 60_000});
  return {code: r.status, stdout: r.stdout, stderr: r.stderr.trim()};
}

describe("lever CLI", () => {
  it("layout prints the documented JSON", () => {
    const r = lever("layout", "--size", "16", "--seed", "0");
    expect(r.code).toBe(0);
    const l = JSON.parse(r.stdout);
    expect(Object.keys(l)).toEqual(["size", "start", "exit", "hazards", "golds", "blocks", "lever"]);
    expect(l.lever).toEqual([3, 7]);
    expect([l.golds.length, l.blocks.length, l.hazards.length]).toEqual([50, 25, 30]);
    const v3 = JSON.parse(lever("layout", "--size", "8", "--seed", "2", "--variant", "v3").stdout);
    expect(v3.golds.length).toBe(6);
  });

  it("replay and optimum agree on the optimal path (legacy penalty, reference value 110.81)", () => {
    // 110.81: the targeted reward of path-gold seed 0000 in reference/lever/lever-results-16/exnonzero/X1/full_experiment_results_trivial.csv.
    const layoutFile = join(dir, "l0.json");
    writeFileSync(layoutFile, lever("layout", "--size", "16", "--seed", "0").stdout);
    const opt = JSON.parse(lever("optimum", "--layout", layoutFile, "--reward", "path-gold", "--gold-penalty", "legacy").stdout);
    expect(opt.reward).toBeCloseTo(110.81, 9);
    const moves: Record<string, number> = {"0,1": 0, "1,0": 1, "0,2": 2, "2,0": 3};
    const actions = opt.path.slice(1).map((p: number[], i: number) => moves[`${p[0] - opt.path[i][0]},${p[1] - opt.path[i][1]}`]);
    const rep = JSON.parse(lever("replay", "--layout", layoutFile, "--reward", "path-gold", "--gold-penalty", "legacy", "--actions", actions.join(",")).stdout);
    expect(rep.total).toBeCloseTo(110.81, 9);
    expect(rep.steps.at(-1)).toMatchObject({done: true, position: [15, 15]});
    const bySeed = JSON.parse(lever("optimum", "--size", "16", "--seed", "0", "--reward", "path-gold", "--gold-penalty", "legacy").stdout);
    expect(bySeed).toEqual(opt);
  });

  it("bad input: one line saying what is wrong and what is accepted, exit 2, nothing on stdout", () => {
    const layoutFile = join(dir, "bad.json");
    writeFileSync(layoutFile, JSON.stringify({size: 16, start: [0, 0], exit: [15, 15], golds: [[0, 0]]}));
    const cases: [string[], RegExp][] = [
      [["layout", "--size", "16", "--seed", "0", "--bogus"], /^lever layout: Unknown option '--bogus' \(accepted: --size N, --seed S, --variant main\|v3/],
      [["layout", "--size", "16"], /^lever layout: missing --seed$/],
      [["layout", "--size", "ten", "--seed", "0"], /^lever layout: invalid --size: "ten" \(expected an integer in 3\.\.128\)$/],
      [["layout", "--size", "2", "--seed", "0"], /^lever layout: invalid --size: "2" \(expected an integer in 3\.\.128\)$/],
      [["layout", "--size", "16", "--seed", "0", "--variant", "v9"], /^lever layout: invalid variant: "v9" \(accepted: main, v3\)$/],
      [["layout", "--size", "12", "--seed", "0"], /no default object counts for size 12/],
      [
        ["optimum", "--size", "16", "--seed", "0", "--reward", "treasure"],
        /^lever optimum: invalid reward system: "treasure" \(unknown component "treasure"; accepted: path, gold, hazard, lever, hazard-lever/,
      ],
      [["optimum", "--size", "16", "--seed", "0", "--reward", "path", "--gold-penalty", "harsh"], /invalid gold penalty: "harsh" \(accepted: fractional, legacy\)/],
      [["replay", "--layout", layoutFile, "--reward", "path", "--actions", "0"], /^lever replay: malformed layout: cell \[0, 0\] is both start and a gold$/],
      [["replay", "--layout", join(dir, "missing.json"), "--reward", "path", "--actions", "0"], /cannot read layout file .*ENOENT/],
      [["library", "--spec-set", "grid99", "--out", join(dir, "x")], /invalid spec set: "grid99" \(accepted: grid16, grid32/],
      [["library", "--spec-set", "grid16", "--specs", "X2", "--out", join(dir, "x")], /invalid spec: "X2" \(accepted: X1, X5, X10\)/],
      [["frobnicate"], /^lever: unknown command "frobnicate" \(accepted: layout, replay, optimum, library, bench/],
      [["steer", "--study", "A", "--quick", "--out", join(dir, "s")], /^lever steer: --quick is no longer accepted: use --profile quick$/],
      [["steer", "--study", "A", "--profile", "fast", "--out", join(dir, "s")], /^lever steer: invalid --profile: "fast" \(accepted: quick, paper\)$/],
      [["reproduce", "--profile", "fast", "--out", join(dir, "r")], /^lever reproduce: invalid --profile: "fast" \(accepted: quick, paper\)$/],
      [["experiment", "--spec-set", "grid16", "--method", "qsum", "--out", join(dir, "e"), "--skip-empty", "yes"], /^lever experiment: invalid --skip-empty: "yes" \(accepted: on, off\)$/],
      [["merge", "--out", join(dir, "m")], /^lever merge: give one or more shard directories after --out DIR$/],
    ];
    for (const [args, re] of cases) {
      const r = lever(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n").filter((l) => !/npm warn/.test(l))).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    }
  });

  it("--help lists every command with its flags, on stdout, exit 0", () => {
    const r = lever("--help");
    expect(r.code).toBe(0);
    for (const c of ["layout", "replay", "optimum", "library", "bench", "experiment", "sweep", "merge", "reproduce", "steer", "decompose", "answer", "agreement"])
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
    expect(r.stdout).toContain("steer     --study A|B|R|M|L [--profile quick|paper]");
    expect(r.stdout).toContain("[--skip-empty on|off] [--targeted-single on|off]");
    expect(r.stdout).toContain("[--accept-unscored on|off] [--score-hazard-steps on|off]");
    expect(r.stdout).not.toContain("--quick");
  });

  it("library builds a small library and reports it", () => {
    const out = join(dir, "lib");
    const r = lever("library", "--spec-set", "grid16", "--specs", "X1", "--seeds", "0", "--rewards", "path,gold", "--out", out, "--workers", "2");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({specSet: "grid16", runs: 2});
    expect(r.stderr).toMatch(/library grid16: done/);
  });
});
