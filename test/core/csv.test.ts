import {describe, expect, it} from "vitest";
import {parseCsv, toCsv} from "../../lib/core/csv.js";

describe("csv", () => {
  it("round-trips quoted fields, commas, quotes and newlines", () => {
    const rows = [{a: "x,y", b: 'say "hi"', c: "line1\nline2"}, {a: "1", b: "", c: "3"}];
    expect(parseCsv(toCsv(["a", "b", "c"], rows))).toEqual(rows);
  });
  it("reads CRLF and a header-only file", () => {
    expect(parseCsv("a,b\r\n1,2\r\n")).toEqual([{a: "1", b: "2"}]);
    expect(parseCsv("a,b\n")).toEqual([]);
  });
});
