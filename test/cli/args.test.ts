// cli/args.ts: the CLI's one parser and shared flag values; every error is one UsageError line.
import {describe, expect, it} from "vitest";
import {acceptedFlags, int, onOff, parseFlags, parseSeedList, profileFlag, UsageError, type Flags} from "../../cli/args.js";

const FLAGS: Flags = {out: {type: "string", value: "DIR"}, workers: {type: "string", value: "N"}, json: {type: "boolean"}};

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error).message).not.toContain("\n");
    return (e as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("parseFlags(command, argv, flags, options)", () => {
  it("returns the values and the positionals it accepts", () => {
    expect(parseFlags("x", ["--out", "d", "--json"], FLAGS).values).toEqual({out: "d", json: true});
    expect(parseFlags("x", ["--out", "d", "a", "b"], FLAGS, {positionals: "DIR..."}).positionals).toEqual(["a", "b"]);
  });
  it("unknown flags, missing values and positionals name the command and what is accepted", () => {
    expect(acceptedFlags(FLAGS)).toBe("--out DIR, --workers N, --json");
    expect(message(() => parseFlags("x", ["--bogus"], FLAGS))).toBe("lever x: Unknown option '--bogus' (accepted: --out DIR, --workers N, --json)");
    expect(message(() => parseFlags("x", ["--out"], FLAGS))).toMatch(/^lever x: Option '--out <value>' argument missing \(accepted: /);
    expect(message(() => parseFlags("x", ["extra"], FLAGS))).toMatch(/^lever x: Unexpected argument 'extra'\. This command does not take positional arguments \(accepted: /);
    expect(message(() => parseFlags("x", ["--json=yes"], FLAGS))).toMatch(/--json/);
  });
  it("a retired flag says what replaced it", () => {
    expect(message(() => parseFlags("steer", ["--out", "d", "--quick"], FLAGS, {retired: {quick: "--profile quick"}}))).toBe("lever steer: --quick is no longer accepted: use --profile quick");
  });
});

describe("flag values", () => {
  it("int: an integer in range, the raw value quoted otherwise", () => {
    expect(int("workers", "4", 1, 256)).toBe(4);
    expect(int("seed", " 0 ")).toBe(0);
    expect(message(() => int("workers", "0", 1, 256))).toBe('invalid --workers: "0" (expected an integer in 1..256)');
    expect(message(() => int("seed", "-3"))).toBe('invalid --seed: "-3" (expected an integer ≥ 0)');
    expect(message(() => int("seed", "1.5"))).toMatch(/^invalid --seed: "1.5"/);
  });
  it("onOff: on/off, undefined when not given", () => {
    expect([onOff("memo", "on"), onOff("memo", "off"), onOff("memo", undefined)]).toEqual([true, false, undefined]);
    expect(message(() => onOff("memo", "yes"))).toBe('invalid --memo: "yes" (accepted: on, off)');
  });
  it("parseSeedList: ranges and lists, duplicates dropped", () => {
    expect(parseSeedList("0-2,5,1")).toEqual([0, 1, 2, 5]);
    expect(message(() => parseSeedList("4-1"))).toMatch(/^invalid --seeds: "4-1" \(range end before start\)$/);
  });
  it("profileFlag: --profile quick|paper, else LEVER_PROFILE, else paper", () => {
    const saved = process.env.LEVER_PROFILE;
    try {
      delete process.env.LEVER_PROFILE;
      expect([profileFlag("quick"), profileFlag("paper"), profileFlag(undefined)]).toEqual(["quick", "paper", "paper"]);
      process.env.LEVER_PROFILE = "quick";
      expect(profileFlag(undefined)).toBe("quick");
      expect(() => profileFlag("huge")).toThrow(/^invalid --profile: "huge" \(accepted: quick, paper\)$/);
    } finally {
      if (saved === undefined) delete process.env.LEVER_PROFILE;
      else process.env.LEVER_PROFILE = saved;
    }
  });
});
