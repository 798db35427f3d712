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
 */
import type {DecompositionMode} from "../retrieval/decompose.js";

export type Method = "tfs" | "tc" | "ec" | "hc";
export const METHODS: readonly Method[] = ["tfs", "tc", "ec", "hc"];
const REWARD: Record<Method, string> = {tfs: "scratch_reward", tc: "targeted_reward", ec: "exhaustive_reward", hc: "hybrid_reward"};
const TIME: Record<Method, string> = {tfs: "scratch_time_s", tc: "targeted_time", ec: "exhaustive_time", hc: "hybrid_time"};

export type ResultRecord = Record<string, string | number>;
/** Rows per spec, per mode (as files DIR/<spec>/full_experiment_results_<mode>.csv). */
export type ResultSet = Record<string, Partial<Record<DecompositionMode, readonly ResultRecord[]>>>;

const num = (v: string | number | undefined) => (v === undefined || v === "" ? NaN : Number(v));

export function mean(xs: readonly number[]): number {
  const v = xs.filter((x) => Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

/** Sample standard deviation (ddof 1), NaN for fewer than 2 values. */
export function sampleSd(xs: readonly number[]): number {
  const v = xs.filter((x) => Number.isFinite(x));
  if (v.length < 2) return NaN;
  const m = mean(v);
  return Math.sqrt(v.reduce((a, x) => a + (x - m) * (x - m), 0) / (v.length - 1));
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

function rowsOf(set: ResultSet, spec: string, mode: DecompositionMode, setup?: string): readonly ResultRecord[] {
  const rows = set[spec]?.[mode] ?? [];
  return setup === undefined ? rows : rows.filter((r) => r.setup === setup);
}

/** §8.5 table (generate_comparisons_table.py): one row per (mode, setup) in first-seen order. */
export function aggregateTable(set: ResultSet, modes: readonly DecompositionMode[] = ["trivial", "double", "triple"]): TableRow[] {
  const specs = Object.keys(set);
  const out: TableRow[] = [];
  for (const mode of modes) {
    const setups = [...new Set(specs.flatMap((s) => rowsOf(set, s, mode).map((r) => String(r.setup))))];
    for (const setup of setups) {
      const present = specs.filter((s) => rowsOf(set, s, mode, setup).length > 0);
      const perSpec = (f: (r: ResultRecord) => number) => mean(present.map((s) => mean(rowsOf(set, s, mode, setup).map(f))));
      const decomp = perSpec((r) => num(r.decomp_time));
      const all = present.flatMap((s) => rowsOf(set, s, mode, setup));
      const cells = {} as Record<Method, Cell>;
      for (const m of METHODS) {
        const reward = perSpec((r) => num(r[REWARD[m]]));
        const time = perSpec((r) => num(r[TIME[m]])) + (m === "tfs" ? 0 : decomp);
        cells[m] = {reward, sd: sampleSd(all.map((r) => num(r[REWARD[m]]))), time, deltaR: 0, speedup: 0};
      }
      for (const m of METHODS) {
        cells[m].deltaR = ((cells[m].reward - cells.tfs.reward) / cells.tfs.reward) * 100;
        cells[m].speedup = ((cells.tfs.time - cells[m].time) / cells.tfs.time) * 100;
      }
      out.push({mode, setup, specs: present, decomp, cells});
    }
  }
  return out;
}

export interface FigureRow {
  spec: string;
  reward: Record<Method, number>;
  time: Record<Method, number>;
}

/** §8.5 average figure: per spec, average over modes of the per-mode means (+ per-mode decomp override). */
export function averageFigure(set: ResultSet, modes: readonly DecompositionMode[] = ["trivial", "double", "triple"]): FigureRow[] {
  const specs = Object.keys(set);
  const override: Partial<Record<DecompositionMode, number>> = {};
  for (const mode of modes) {
    const setups = [...new Set(specs.flatMap((s) => rowsOf(set, s, mode).map((r) => String(r.setup))))];
    override[mode] = mean(setups.map((setup) => mean(specs.map((s) => mean(rowsOf(set, s, mode, setup).map((r) => num(r.decomp_time)))))));
  }
  return specs.map((spec) => {
    const reward = {} as Record<Method, number>;
    const time = {} as Record<Method, number>;
    const present = modes.filter((m) => rowsOf(set, spec, m).length > 0);
    for (const m of METHODS) {
      reward[m] = mean(present.map((mode) => mean(rowsOf(set, spec, mode).map((r) => num(r[REWARD[m]])))));
      time[m] = mean(present.map((mode) => mean(rowsOf(set, spec, mode).map((r) => num(r[TIME[m]]))) + (m === "tfs" ? 0 : override[mode]!)));
    }
    return {spec, reward, time};
  });
}
