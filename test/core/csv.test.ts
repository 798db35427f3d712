import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {parseCsv, parseRows, toCsv} from "../../lib/core/csv.js";
import {REFERENCE} from "../paths.js";

/** The hand-written writer toCsv replaced (RFC 4180 quoting), kept here as the oracle of its bytes. */
function handWrittenCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const quote = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.map(quote).join(","), ...rows.map((r) => columns.map((c) => quote(r[c])).join(","))].join("\n") + "\n";
}

describe("parseCsv(text)", () => {
  it("round-trips quoted fields, commas, quotes and newlines", () => {
    const rows = [
      {a: "x,y", b: 'say "hi"', c: "line1\nline2"},
      {a: "1", b: "", c: "3"},
    ];
    expect(parseCsv(toCsv(["a", "b", "c"], rows))).toEqual(rows);
  });
  it("reads CRLF, a quoted CRLF, a header-only file, a file without a final newline and an empty text", () => {
    expect(parseCsv("a,b\r\n1,2\r\n")).toEqual([{a: "1", b: "2"}]);
    expect(parseCsv('a,b\r\n"x\r\ny",2\r\n')).toEqual([{a: "x\r\ny", b: "2"}]);
    expect(parseCsv("a,b\n")).toEqual([]);
    expect(parseCsv("a,b\n1,2")).toEqual([{a: "1", b: "2"}]);
    expect(parseCsv("")).toEqual([]);
  });
  it("keeps every cell as the file's text: no type inference", () => {
    // autoType would turn the seed label into 0, "nan" into a string and "" into null.
    const rows = parseCsv('seed,r,x,y,z,w\n0000,110.80999999999999,nan,,"",1e-7\n0004,NaN, 1,true,2026-01-29,-0\n');
    expect(rows).toEqual([
      {seed: "0000", r: "110.80999999999999", x: "nan", y: "", z: "", w: "1e-7"},
      {seed: "0004", r: "NaN", x: " 1", y: "true", z: "2026-01-29", w: "-0"},
    ]);
  });
  it("skips blank lines, pads a short record with empty cells and cuts a long one to the header", () => {
    expect(parseCsv("a,b\n1,2\n\n3,4\n\n")).toEqual([
      {a: "1", b: "2"},
      {a: "3", b: "4"},
    ]);
    expect(parseCsv("a,b,c\n1\n1,2,3,4\n,,\n")).toEqual([
      {a: "1", b: "", c: ""},
      {a: "1", b: "2", c: "3"},
      {a: "", b: "", c: ""},
    ]);
  });
  it("reads the reference's pandas files: 5 seeds × 3 setups, cells verbatim", () => {
    const rows = parseCsv(readFileSync(join(REFERENCE, "lever-results-16/exnonzero/X1/full_experiment_results_trivial.csv"), "utf8"));
    expect(rows).toHaveLength(15);
    expect(rows[1]).toMatchObject({setup: "path-gold", seed: "0001", scratch_reward: "110.80999999999999", targeted_reward: "133.79000000000002"});
  });
});

describe("parseRows(text)", () => {
  it("returns the header first, then the records", () => {
    expect(parseRows('k,"a,b"\n1,2\n')).toEqual([
      ["k", "a,b"],
      ["1", "2"],
    ]);
    expect(parseRows("")).toEqual([]);
  });
});

describe("toCsv(columns, rows)", () => {
  it("writes byte for byte what the hand-written writer wrote, on every kind of value a row holds", () => {
    const columns = ["s", "n", "q", "missing", "a,b"];
    const values = [
      "x",
      "",
      "x,y",
      'say "hi"',
      "l1\nl2",
      "l1\r\nl2",
      "\r",
      " padded ",
      '["X1_path_0000_20","X1_gold_0000_20"]',
      0,
      -0,
      1,
      -1.5,
      110.80999999999999,
      1e-7,
      1e21,
      2 ** 53 + 2,
      NaN,
      Infinity,
      -Infinity,
      null,
      undefined,
      true,
      false,
      [5, 5],
    ];
    const rows = values.map((v, i) => ({s: v, n: values[(i + 7) % values.length], q: values[(i + 3) % values.length], "a,b": i}));
    expect(toCsv(columns, rows)).toBe(handWrittenCsv(columns, rows));
    expect(toCsv(columns, [])).toBe(handWrittenCsv(columns, []));
    expect(toCsv(["a"], [{a: 1, b: 2}])).toBe("a\n1\n");
  });
  it("rewrites a reference file it read byte for byte", () => {
    const text = readFileSync(join(REFERENCE, "lever-results-16/qsum/X5/full_experiment_results_triple.csv"), "utf8");
    expect(toCsv(parseRows(text)[0], parseCsv(text))).toBe(text);
  });
});
