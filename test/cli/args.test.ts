// cli/args.ts: the CLI's one parser and shared flag values; every error is one UsageError line.
import {describe, expect, it, vi} from "vitest";
import {
  acceptedFlags,
  actionList,
  capWorkers,
  clipQuoted,
  int,
  list,
  onOff,
  parseFlags,
  parseSeedList,
  profileFlag,
  quote,
  real,
  shardFlag,
  UsageError,
  workersFlag,
  type Flags,
} from "../../cli/args.js";

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
  it("int: an integer in range, the raw value quoted otherwise, the range always said", () => {
    expect(int("workers", "4", 1, 256)).toBe(4);
    expect(int("seed", " 0 ")).toBe(0);
    expect(Object.is(int("seed", "-0"), 0)).toBe(true);
    expect(message(() => int("workers", "0", 1, 256))).toBe('invalid --workers: "0" (expected an integer in 1..256)');
    expect(message(() => int("seed", "-3"))).toBe('invalid --seed: "-3" (expected an integer in 0..9007199254740991)');
    expect(message(() => int("seed", "9007199254740992"))).toBe('invalid --seed: "9007199254740992" (expected an integer in 0..9007199254740991)');
    for (const bad of ["1.5", "", " ", "0x10", "1e3", "+3", "Infinity"]) expect(message(() => int("seed", bad))).toMatch(/^invalid --seed: ".*" \(expected an integer in 0\.\.\d+\)$/);
  });
  it("real: decimal notation only, within [min, max]", () => {
    expect(["0", "0.5", ".5", "1.", "1e-1", " 1 "].map((g) => real("gamma", g, 0, 1))).toEqual([0, 0.5, 0.5, 1, 0.1, 1]);
    for (const bad of ["", " ", "0x1", "0b1", "0o1", "Infinity", "NaN", "1,5", "1.5", "-0.1", "."]) {
      expect(message(() => real("gamma", bad, 0, 1))).toBe(`invalid --gamma: ${JSON.stringify(bad)} (expected a decimal number in [0, 1])`);
    }
  });
  it("workersFlag: 1..256; capWorkers: at most the cores, with one line on stderr", () => {
    expect([workersFlag(undefined), workersFlag("1"), workersFlag("256")]).toEqual([undefined, 1, 256]);
    expect(message(() => workersFlag("257"))).toBe('invalid --workers: "257" (expected an integer in 1..256)');
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    try {
      expect([capWorkers("x", undefined, 2), capWorkers("x", 1, 2), capWorkers("x", 2, 2)]).toEqual([undefined, 1, 2]);
      expect(lines).toEqual([]);
      expect(capWorkers("x", 256, 2)).toBe(2);
      expect(lines).toEqual(["lever x: --workers 256 capped at 2, the cores of this machine (os.availableParallelism())\n"]);
    } finally {
      spy.mockRestore();
    }
  });
  it("shardFlag: i/n with n at most 1000", () => {
    expect(shardFlag(" 2/3 ")).toEqual({index: 2, count: 3});
    expect(shardFlag("1000/1000")).toEqual({index: 1000, count: 1000});
    expect(message(() => shardFlag("1/1001"))).toBe('invalid --shard: "1/1001" (expected i/n with 1 ≤ i ≤ n ≤ 1000, e.g. 1/2)');
  });
  it("actionList: 0..3, at most N² of them", () => {
    expect([actionList("", 4, 2), actionList("0, 3,1", 4, 2)]).toEqual([[], [0, 3, 1]]);
    expect(message(() => actionList("0,0,0,0,0", 4, 2))).toBe("invalid --actions: 5 actions (at most 4, the episode cap N² of a 2×2 layout)");
    expect(message(() => actionList("0,4", 4, 2))).toBe('invalid --actions: "4" (accepted: a comma-separated list of 0, 1, 2, 3)');
  });
  it("onOff: on/off, undefined when not given", () => {
    expect([onOff("memo", "on"), onOff("memo", "off"), onOff("memo", undefined)]).toEqual([true, false, undefined]);
    expect(message(() => onOff("memo", "yes"))).toBe('invalid --memo: "yes" (accepted: on, off)');
  });
  it("parseSeedList: ranges and lists in the order given, each seed once, at most 1000", () => {
    expect(parseSeedList("5,0-2")).toEqual([5, 0, 1, 2]);
    expect(parseSeedList("0-999")).toHaveLength(1000);
    expect(message(() => parseSeedList("4-1"))).toMatch(/^invalid --seeds: "4-1" \(range end before start\)$/);
    expect(message(() => parseSeedList("0-2,5,1"))).toBe('invalid --seeds: seed 1 is given twice in "0-2,5,1" (give each once)');
    expect(message(() => parseSeedList("0-500,600-1099"))).toBe('invalid --seeds: "0-500,600-1099" lists 1001 seeds (at most 1000)');
    expect(message(() => parseSeedList("9007199254740992"))).toBe('invalid --seeds: "9007199254740992" (seeds are integers in 0..9007199254740991)');
    expect(message(() => parseSeedList("0,,1"))).toBe('invalid --seeds: "0,,1" has an empty item (expected a comma-separated list such as 0-4)');
  });
  it("list: items parsed, an item given twice named (by its parsed key)", () => {
    expect(list("k", "2, 3", "2,3,4", Number)).toEqual([2, 3]);
    expect(message(() => list("k", "2,3,2", "2,3,4", Number))).toBe('invalid --k: 2 is given twice in "2,3,2" (give each once)');
    expect(message(() => list("rewards", "a-b,b-a", "a,b", (s) => s.split("-").sort().join("-")))).toBe('invalid --rewards: a-b is given twice in "a-b,b-a" (give each once)');
  });
  it("quote and clipQuoted: echoed values cut at 80 characters, with the length", () => {
    expect(quote("X1")).toBe('"X1"');
    expect(quote(undefined)).toBe("null");
    const long = "a".repeat(200);
    expect(quote(long)).toBe(`"${"a".repeat(80)}…" (200 characters)`);
    expect(quote(`${"a".repeat(79)}😀b`)).toBe(`"${"a".repeat(79)}…" (82 characters)`); // no half surrogate pair
    expect(clipQuoted(`invalid spec set: ${JSON.stringify(long)} (accepted: grid16)`)).toBe(`invalid spec set: "${"a".repeat(80)}…" (200 characters) (accepted: grid16)`);
    expect(clipQuoted(`Unknown option '--${long}' (accepted: --x)`)).toBe(`Unknown option '--${"a".repeat(78)}…' (202 characters) (accepted: --x)`);
    expect(clipQuoted(`invalid --size: ${quote(long)} (expected 3..128)`)).toBe(`invalid --size: ${quote(long)} (expected 3..128)`);
    expect(clipQuoted('short "values" stay')).toBe('short "values" stay');
    const apostrophes = `the run's ${"x".repeat(100)} and the user's`;
    expect(clipQuoted(apostrophes)).toBe(apostrophes);
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
