// Figure components for the policy-embedding page: (data, {width, ...options}) => element.
import * as Plot from "@observablehq/plot";
import {rewardScale} from "./palette.js";

/** Colour fields of a policy row, with their legend labels. */
export const COLOR_BY = {
  "reward system": {field: "reward", label: "reward system"},
  spec: {field: "spec", label: "spec"},
  seed: {field: "seedLabel", label: "layout seed"},
  "training progress": {field: "progress", label: "training progress (% of episodes)"},
};

/**
 * A 2-d map of policies. points: [{x, y, name, reward, spec, seedLabel, progress, target}];
 * highlight: names drawn with a ring (e.g. a policy and its neighbours).
 */
export function embeddingMap(points, {width = 640, colorBy = "reward system", highlight = [], focus = null, title} = {}) {
  const {field, label} = COLOR_BY[colorBy] ?? COLOR_BY["reward system"];
  const ring = new Set(highlight);
  const present = [...new Set(points.map((d) => d[field]))];
  // Reward systems take the site's one palette (palette.js); the other fields their own order.
  const color =
    field === "reward"
      ? rewardScale(present)
      : {
          type: "categorical",
          domain: present.sort((a, b) => (field === "progress" ? Number(a) - Number(b) : String(a).localeCompare(String(b)))),
          scheme: field === "progress" ? "blues" : "tableau10",
        };
  return Plot.plot({
    title,
    width,
    height: Math.min(520, Math.max(320, width * 0.62)),
    inset: 12,
    x: {axis: null},
    y: {axis: null},
    color: {...color, legend: true, label},
    marks: [
      Plot.frame({stroke: "#ddd"}),
      Plot.dot(points, {x: "x", y: "y", fill: field, r: 4.5, fillOpacity: 0.85, stroke: "white", strokeWidth: 0.5}),
      Plot.dot(
        points.filter((d) => ring.has(d.name)),
        {x: "x", y: "y", r: 8, stroke: "black", strokeWidth: 1.5},
      ),
      Plot.dot(
        points.filter((d) => d.name === focus),
        {x: "x", y: "y", r: 11, stroke: "#d62728", strokeWidth: 2.5},
      ),
      Plot.tip(
        points,
        Plot.pointer({x: "x", y: "y", title: (d) => `${d.name}\nreward system ${d.reward}, spec ${d.spec}, seed ${d.seedLabel}\n${d.progress}% of training, greedy reward ${d.target}`}),
      ),
    ],
  });
}

/**
 * Predicted against actual return, one facet per evaluation (out-of-fold / in-sample), with y = x.
 * rows: [{name, actual, predicted, evaluation, reward}]. Predictions outside the actual range (±50 %)
 * are clipped to the frame edge and counted in the facet title. Facets sit side by side, or stacked
 * below `stackBelow` px of width (a phone); their titles are drawn inside each facet's frame and wrap,
 * so they never overprint each other.
 */
export function predictedVsActual(rows, {width = 640, title, stackBelow = 560} = {}) {
  const ys = rows.map((d) => d.actual);
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const pad = 0.5 * (hi - lo || 1);
  const domain = [lo - pad, hi + pad];
  const clip = (v) => Math.max(domain[0], Math.min(domain[1], v));
  const outside = new Map();
  for (const d of rows) if (d.predicted < domain[0] || d.predicted > domain[1]) outside.set(d.evaluation, (outside.get(d.evaluation) ?? 0) + 1);
  const data = rows.map((d) => ({...d, shown: clip(d.predicted), clipped: d.predicted !== clip(d.predicted)}));
  const evaluations = [...new Set(rows.map((d) => d.evaluation))];
  const stacked = width < stackBelow;
  const facet = stacked ? "fy" : "fx";
  const facetWidth = stacked ? width - 60 : (width - 60) / evaluations.length;
  const facetHeight = Math.min(360, Math.max(220, facetWidth * 0.75));
  const heading = (e) => (outside.get(e) ? `${e} (${outside.get(e)} clipped)` : e);
  return Plot.plot({
    title,
    width,
    height: (stacked ? evaluations.length * facetHeight : facetHeight) + 70,
    grid: true,
    x: {label: "actual greedy reward", domain: [lo, hi], nice: true},
    y: {label: "predicted reward", domain},
    [facet]: {domain: evaluations, axis: null},
    color: {...rewardScale(rows.map((d) => d.reward)), legend: true, label: "reward system"},
    marks: [
      Plot.frame({stroke: "#ccc"}),
      Plot.line(
        [
          [lo, lo],
          [hi, hi],
        ],
        {stroke: "#888", strokeDasharray: "4,3"},
      ),
      Plot.dot(data, {x: "actual", y: "shown", [facet]: "evaluation", stroke: "reward", symbol: (d) => (d.clipped ? "triangle" : "circle"), r: 3}),
      Plot.text(evaluations, {
        [facet]: (e) => e,
        text: heading,
        frameAnchor: "top-left",
        dx: 6,
        dy: 6,
        lineWidth: Math.max(8, (facetWidth - 12) / 10), // ems of the 10 px font
        fontWeight: "bold",
        stroke: "var(--theme-background, white)",
        strokeWidth: 3,
        fill: "currentColor",
      }),
      Plot.tip(
        data,
        Plot.pointer({x: "actual", y: "shown", [facet]: "evaluation", title: (d) => `${d.name}\nactual ${d.actual.toFixed(2)}, predicted ${d.predicted.toFixed(2)}${d.clipped ? " (clipped)" : ""}`}),
      ),
    ],
  });
}
