// Figure components for the search-and-compose page: (data, {width, ...options}) => element.
import * as Plot from "@observablehq/plot";
import {html} from "htl";
import {gridMap} from "./lever-grid.js";

/**
 * Paths side by side on one layout, one small map per path.
 * panels: [{title, label, cells, color}] (cells may be empty: the panel then says why in `note`).
 */
export function pathPanels(layout, panels, {width = 960} = {}) {
  const cols = Math.min(panels.length, width >= 840 ? 3 : width >= 560 ? 2 : 1);
  const w = Math.floor((width - 16 * (cols - 1)) / cols);
  return html`<div style="display:grid;grid-template-columns:repeat(${cols},1fr);gap:16px;">${panels.map(
    (p) => html`<figure style="margin:0;max-width:none;">
      <div style="font-weight:600;margin-bottom:4px;">${p.title}</div>
      ${gridMap(layout, {width: w, paths: p.cells?.length ? [{label: p.label, cells: p.cells, color: p.color}] : []})}
      ${p.note ? html`<figcaption>${p.note}</figcaption>` : ""}
    </figure>`,
  )}</div>`;
}

/**
 * Every evaluated combination: its regressor prediction (§7.3) against its actual reward; the chosen
 * one (highest prediction) ringed. evaluated: [{predicted, reward, names, chosen}].
 */
export function combinationScatter(evaluated, {width = 640, title} = {}) {
  const data = evaluated.filter((d) => Number.isFinite(d.predicted) && Number.isFinite(d.reward));
  const lo = Math.min(...data.map((d) => d.predicted));
  const hi = Math.max(...data.map((d) => d.predicted));
  const ticks = [-1e6, -1e5, -1e4, -1e3, -1e2, 0, 1e2, 1e3, 1e4, 1e5, 1e6].filter((t) => t >= lo && t <= hi);
  return Plot.plot({
    title,
    width,
    height: 300,
    grid: true,
    x: {
      type: "symlog",
      constant: 100,
      ticks,
      tickFormat: (x) => (Math.abs(x) >= 1000 ? `${x / 1000}k` : `${x}`),
      label: "predicted reward of the composed policy (regressor on its LSTD embedding; symlog scale)",
    },
    y: {label: "actual reward on the target env"},
    marks: [
      Plot.dot(data, {x: "predicted", y: "reward", r: 3, fill: "#4e79a7", fillOpacity: 0.6}),
      Plot.dot(
        data.filter((d) => d.chosen),
        {x: "predicted", y: "reward", r: 8, stroke: "#d62728", strokeWidth: 2},
      ),
      Plot.tip(data, Plot.pointer({x: "predicted", y: "reward", title: (d) => `${d.names}\npredicted ${d.predicted.toFixed(1)}, actual ${d.reward.toFixed(2)}`})),
    ],
  });
}
