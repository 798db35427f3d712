// Figures for the "Reproducing the paper" page: (data, {width, ...options}) => element.
import * as Plot from "@observablehq/plot";
import aq from "arquero/dist/arquero.min.js";

export const METHOD_NAMES = {tfs: "TFS (from scratch)", tc: "TC (targeted)", ec: "EC (exhaustive)", hc: "HC (hybrid)"};
export const SETUP_LABELS = {"path-gold": "P+G", "path-gold-hazard": "P+G+H", "path-gold-hazard-lever": "P+G+H+L"};

/**
 * Long rows {panel, method, source, value} from aggregate tables: ours, then all of the reference's
 * (its modes and setups that ours lacks too, as panels of their own).
 */
export function aggregateLong(aggregate, metric) {
  const long = (table, source) =>
    aq
      .from(table ?? [], ["mode", "setup", "cells"])
      .derive({cells: aq.escape((d) => Object.entries(d.cells))})
      .unroll("cells")
      .derive({
        panel: aq.escape((d) => `${d.mode} ${SETUP_LABELS[d.setup] ?? d.setup}`),
        method: aq.escape((d) => d.cells[0].toUpperCase()),
        source: aq.escape(() => source),
        value: aq.escape((d) => d.cells[1][metric]),
      })
      .select("panel", "method", "source", "value");
  return long(aggregate.ours, "ours").concat(long(aggregate.ref, "reference")).objects();
}

/** Seconds for a log axis: "4 ms", "0.35 s", "12 s" (Plot's default SI ticks would read 0.004 s as "4m"). */
export function formatSeconds(s) {
  return s < 1 ? `${+(s * 1000).toPrecision(3)} ms` : `${+s.toPrecision(3)} s`;
}

/** Grouped bars per (mode, setup) panel: one bar per method, the reference's ("ref") beside ours. */
export function methodBars(rows, {width = 900, metric = "reward", log = false} = {}) {
  const key = (d) => (d.source === "ours" ? d.method : `${d.method} ref`);
  const domain = ["TFS", "TC", "EC", "HC"].flatMap((m) => [m, `${m} ref`]);
  const shown = rows.filter((d) => Number.isFinite(d.value) && (!log || d.value > 0));
  const floor = Math.min(...shown.map((d) => d.value)) / 2;
  return Plot.plot({
    width,
    height: 320,
    marginBottom: 45,
    marginLeft: log ? 60 : 40, // room for "100 ms"
    fx: {label: null},
    x: {label: null, domain, tickRotate: -45, tickFormat: (d) => (d.endsWith("ref") ? "ref" : d)},
    y: {label: metric === "reward" ? "mean reward" : "time", grid: true, type: log ? "log" : "linear", tickFormat: log ? formatSeconds : undefined},
    color: {domain: ["ours", "reference"], range: ["#1f77b4", "#bbb"], legend: true},
    marks: [
      // A log axis has no 0: log bars start at half the smallest value instead (from 0 they would not draw).
      Plot.barY(shown, {fx: "panel", x: key, y1: log ? floor : 0, y2: "value", fill: "source", tip: true}),
      log ? null : Plot.ruleY([0]),
    ],
  });
}

/** Per-seed composed reward, ours against the reference's, with the y = x line. */
export function perSeedScatter(pairs, {width = 480, title} = {}) {
  const vals = pairs.flatMap((d) => [d.ours, d.ref]).filter(Number.isFinite);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  return Plot.plot({
    title,
    width: Math.min(width, 520),
    height: Math.min(width, 520),
    x: {label: "reference composed reward", domain: [lo - 5, hi + 5]},
    y: {label: "our composed reward", domain: [lo - 5, hi + 5]},
    color: {legend: true},
    marks: [
      Plot.line(
        [
          [lo - 5, lo - 5],
          [hi + 5, hi + 5],
        ],
        {stroke: "#ccc"},
      ),
      Plot.dot(pairs, {x: "ref", y: "ours", stroke: "setup", symbol: "method", tip: true, channels: {spec: "spec", seed: "seed", mode: "mode"}}),
    ],
  });
}

/** Hybrid k-sweep: average reward (and time) against k, ours and the reference's. */
export function sweepLines(sweep, {width = 640, metric = "avg_reward"} = {}) {
  const long = (table, source) =>
    aq
      .from(table, ["k", metric])
      .rename({[metric]: "value"})
      .derive({source: aq.escape(() => source)});
  const rows = long(sweep.ours, "ours").concat(long(sweep.ref, "reference")).objects();
  return Plot.plot({
    width,
    height: 260,
    x: {label: "k (candidates kept per sub-query)", ticks: [...new Set(rows.map((d) => d.k))]},
    y: {label: metric === "avg_reward" ? "average composed reward" : "average time", grid: true, ...(metric === "avg_reward" ? {type: "linear"} : {type: "log", tickFormat: formatSeconds})},
    color: {domain: ["ours", "reference"], range: ["#1f77b4", "#999"], legend: true},
    marks: [Plot.line(rows, {x: "k", y: "value", stroke: "source", marker: "dot", tip: true})],
  });
}
