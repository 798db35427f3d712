/**
 * Derived metrics of the reference's plotting scripts (spec/lever.md §8.5):
 * - `aggregateTable` (generate_comparisons_table.py): per mode and setup, for TFS/TC/EC/HC, reward =
 *   mean over specs of the per-spec means, ± the sample sd pooled over all rows; time = mean over specs
 *   of per-spec means, plus for TC/EC/HC the decomp override (mean over specs of the per-spec mean
 *   decomp of that setup); ΔR = (R − R_TFS)/R_TFS·100; speedup = (T_TFS − T)/T_TFS·100.
 * - `averageFigure` (compare_compositions_average.py): per spec, the average over modes of the
 *   per-mode means (all rows of a mode pooled); times + a decomp override per mode (mean over setups
 *   of the mean over specs).
 * Rows are read from CSV records (strings) or our ExperimentRow objects alike. NaN rewards (no
 * candidate) are skipped in means.
 *
 * The group-bys are arquero's; the reductions are ours (`mean`, `sampleSd`), applied to each group's
 * values (op.array_agg, which drops NaN as the scripts' pandas means skip it). arquero's op.mean and
 * op.stdev are running (Welford) updates: on the reference's 16×16 and 32×32 tables they differ from
 * sum-then-divide in the last bits of 331 of 864 group means and 546 of 864 sds, while `mean` sums in
 * row order and divides, and `sampleSd` takes the squared deviations from that mean, as pandas does.
 *
 * Node side only (the `arquero` entry; stack notes F5): pages get these tables in the loader's JSON.
 */
import {mean as coreMean, meanVariance} from "../../core/stats.js";
import {escape as aqEscape, op, table, type ColumnTable} from "arquero";
import type {DecompositionMode} from "../retrieval/decompose.js";

export type Method = "tfs" | "tc" | "ec" | "hc";
export const METHODS: readonly Method[] = ["tfs", "tc", "ec", "hc"];
const REWARD: Record<Method, string> = {tfs: "scratch_reward", tc: "targeted_reward", ec: "exhaustive_reward", hc: "hybrid_reward"};
const TIME: Record<Method, string> = {tfs: "scratch_time_s", tc: "targeted_time", ec: "exhaustive_time", hc: "hybrid_time"};
const REWARDS = METHODS.map((m) => REWARD[m]);
const TIMES = METHODS.map((m) => TIME[m]);
const DECOMP = "decomp_time";

export type ResultRecord = Record<string, string | number>;
/** Rows per spec, per mode (as files DIR/<spec>/full_experiment_results_<mode>.csv). */
export type ResultSet = Record<string, Partial<Record<DecompositionMode, readonly ResultRecord[]>>>;

/** A result cell as a number: an empty field (pandas' NaN, nothing composed) or a missing one is NaN. */
export const cellNumber = (v: string | number | null | undefined): number => (v === undefined || v === null || v === "" ? NaN : Number(v));
const num = cellNumber;

/** Mean of the finite values (sum in order, then divide, as pandas), NaN when there are none. */
export function mean(xs: readonly number[]): number {
  return coreMean(xs.filter((x) => Number.isFinite(x)));
}

/** Sample standard deviation (ddof 1, two-pass as pandas), NaN for fewer than 2 values. */
export function sampleSd(xs: readonly number[]): number {
  return Math.sqrt(meanVariance(xs.filter((x) => Number.isFinite(x)))[1]);
}

export interface Cell {
  reward: number;
  /** Pooled sample sd over all rows of the setup (all specs). */
  sd: number;
  /** Time (s); TC/EC/HC include the decomp override. */
  time: number;
  /** ΔR% vs TFS and speedup% vs TFS (0 for TFS itself). */
  deltaR: number;
  speedup: number;
}

export interface TableRow {
  mode: DecompositionMode;
  setup: string;
  specs: string[];
  decomp: number;
  cells: Record<Method, Cell>;
}

/**
 * One row per result row of `modes`: mode, spec, setup and the numeric columns ("" → NaN), in
 * mode → spec → file order, so that groups come out in the order the scripts meet them (first-seen
 * setups per mode, specs in the set's order).
 */
function resultTable(set: ResultSet, modes: readonly DecompositionMode[]): ColumnTable {
  const values = [DECOMP, ...REWARDS, ...TIMES];
  const columns: Record<string, unknown[]> = {mode: [], spec: [], setup: [], ...Object.fromEntries(values.map((c) => [c, []]))};
  for (const mode of modes) {
    for (const spec of Object.keys(set)) {
      for (const r of set[spec]?.[mode] ?? []) {
        columns.mode.push(mode);
        columns.spec.push(spec);
        columns.setup.push(String(r.setup));
        for (const c of values) columns[c].push(num(r[c]));
      }
    }
  }
  return table(columns);
}

type AggregateOp = ReturnType<typeof op.array_agg>;

/** Per group of `keys` (in first-seen order), `reduce` of each column's values (NaN dropped). */
function groupReduce(t: ColumnTable, keys: readonly string[], columns: readonly string[], reduce: (xs: number[]) => number, extra: Record<string, AggregateOp> = {}): ColumnTable {
  return t
    .groupby(...keys)
    .rollup({...extra, ...Object.fromEntries(columns.map((c) => [c, op.array_agg(c)]))})
    .derive(Object.fromEntries(columns.map((c) => [c, aqEscape((d: Record<string, number[]>) => reduce(d[c]))])));
}

/** §8.5 table (generate_comparisons_table.py): one row per (mode, setup) in first-seen order. */
export function aggregateTable(set: ResultSet, modes: readonly DecompositionMode[] = ["trivial", "double", "triple"]): TableRow[] {
  const rows = resultTable(set, modes);
  const values = [DECOMP, ...REWARDS, ...TIMES];
  const perSpec = groupReduce(rows, ["mode", "setup", "spec"], values, mean);
  const perSetup = groupReduce(perSpec, ["mode", "setup"], values, mean, {specs: op.array_agg("spec")});
  const pooled = groupReduce(rows, ["mode", "setup"], REWARDS, sampleSd).rename(Object.fromEntries(REWARDS.map((c) => [c, `sd_${c}`])));
  // lookup keeps perSetup's row order (a join's order depends on which side is larger).
  return (
    perSetup
      .lookup(
        pooled,
        [["mode", "setup"]],
        REWARDS.map((c) => `sd_${c}`),
      )
      .objects()
      // biome-ignore lint/suspicious/noExplicitAny: arquero's objects() rows are untyped; fields are read by name below
      .map((d: Record<string, any>) => {
        const cells = {} as Record<Method, Cell>;
        for (const m of METHODS) {
          cells[m] = {reward: d[REWARD[m]], sd: d[`sd_${REWARD[m]}`], time: d[TIME[m]] + (m === "tfs" ? 0 : d[DECOMP]), deltaR: 0, speedup: 0};
        }
        for (const m of METHODS) {
          cells[m].deltaR = ((cells[m].reward - cells.tfs.reward) / cells.tfs.reward) * 100;
          cells[m].speedup = ((cells.tfs.time - cells[m].time) / cells.tfs.time) * 100;
        }
        return {mode: d.mode, setup: d.setup, specs: d.specs, decomp: d[DECOMP], cells};
      })
  );
}

export interface FigureRow {
  spec: string;
  reward: Record<Method, number>;
  time: Record<Method, number>;
}

/** §8.5 average figure: per spec, average over modes of the per-mode means (+ per-mode decomp override). */
export function averageFigure(set: ResultSet, modes: readonly DecompositionMode[] = ["trivial", "double", "triple"]): FigureRow[] {
  const rows = resultTable(set, modes);
  // The decomp override of a mode: the mean over its setups of the mean over specs of per-spec means.
  const decompPerSpec = groupReduce(rows, ["mode", "setup", "spec"], [DECOMP], mean);
  const override = groupReduce(groupReduce(decompPerSpec, ["mode", "setup"], [DECOMP], mean), ["mode"], [DECOMP], mean).rename({[DECOMP]: "override"});
  const values = [...REWARDS, ...TIMES];
  const perMode = groupReduce(rows, ["spec", "mode"], values, mean)
    .lookup(override, "mode", "override")
    .derive(Object.fromEntries(METHODS.map((m) => [TIME[m], aqEscape((d: Record<string, number>) => d[TIME[m]] + (m === "tfs" ? 0 : d.override))])));
  const perSpec = new Map(
    groupReduce(perMode, ["spec"], values, mean)
      .objects()
      // biome-ignore lint/suspicious/noExplicitAny: arquero's objects() rows are untyped; fields are read by name below
      .map((d: Record<string, any>) => [d.spec as string, d]),
  );
  // Every spec of the set has a row, NaN where none of `modes` has results for it.
  return Object.keys(set).map((spec) => {
    const d = perSpec.get(spec);
    const reward = {} as Record<Method, number>;
    const time = {} as Record<Method, number>;
    for (const m of METHODS) {
      reward[m] = d ? d[REWARD[m]] : NaN;
      time[m] = d ? d[TIME[m]] : NaN;
    }
    return {spec, reward, time};
  });
}
