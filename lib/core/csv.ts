/**
 * CSV of the experiment's result tables (ours and the reference's), read and written by arquero.
 *
 * Reading keeps text: type inference is off, so a cell is the exact string the file holds ("0000"
 * stays a seed label, "110.80999999999999" stays what pandas wrote) and numeric conversion stays
 * with the caller, who decides what an empty cell or "nan" means (aggregate.ts: NaN).
 *
 * Writing needs no writer of our own: for the values our rows hold (strings, numbers as JavaScript
 * prints them, null/undefined as empty cells) arquero's `toCSV` writes the reference's pandas format
 * (a header line, quotes only around a comma, quote or line break, "\n" after every line) byte for
 * byte as the hand-written writer it replaced did; test/core/csv.test.ts checks both on every kind
 * of value. (They differ on Date objects, which no result row holds.)
 *
 * Node side only (runtime, loaders, tests): the `arquero` entry imports node:fs, so a page importing
 * this module would break (stack notes F5); pages read JSON, or use `arquero/dist/arquero.min.js`.
 */
import {from, fromCSV, type ColumnTable} from "arquero";

/**
 * The text's table: column names from its header, every cell a string ("" for an empty or missing
 * cell). Blank lines are skipped; an empty text has no columns.
 */
function readText(text: string): {names: string[]; rows: string[][]} {
  if (text === "") return {names: [], rows: []}; // arquero needs a header line
  const table = fromCSV(text, {autoType: false});
  const names = table.columnNames();
  const columns = names.map((n) => table.array(n) as (string | null | undefined)[]);
  const rows: string[][] = [];
  for (let i = 0; i < table.numRows(); i++) {
    // arquero stores an empty field as null and a field the line lacks as undefined: a blank line is
    // one empty field and nothing else (RFC 4180 allows no empty records; pandas skips them too).
    if (columns[0][i] === null && columns.slice(1).every((c) => c[i] === undefined)) continue;
    rows.push(columns.map((c) => c[i] ?? ""));
  }
  return {names, rows};
}

/** Records keyed by the header, every value the cell's text ("" when empty). */
export function parseCsv(text: string): Record<string, string>[] {
  const {names, rows} = readText(text);
  return rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
}

/** The header line, then every record as strings, cut or padded ("") to the header's width. */
export function parseRows(text: string): string[][] {
  const {names, rows} = readText(text);
  return names.length === 0 ? [] : [names, ...rows];
}

/** `rows` as CSV text with the given columns in order (a value a row lacks is an empty cell). */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return (from(rows as Record<string, unknown>[], [...columns]) as ColumnTable).toCSV();
}
