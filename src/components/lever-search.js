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

/**
 * The live run's progress: a bar with the stage's name and a Cancel button. Returns the element with
 * start(), update({stage, label, done, total}), finish(text) and cancelled() methods; it is updated in
 * place (no re-render of the page's cells on every progress message).
 */
export function progressPanel({stages, onCancel}) {
  const bar = html`<progress max="1" value="0" style="width:min(100%,360px);height:12px;vertical-align:middle;"></progress>`;
  const label = html`<span style="margin-left:8px;">idle</span>`;
  const cancel = html`<button type="button" disabled style="margin-left:8px;">Cancel</button>`;
  cancel.onclick = () => onCancel();
  const el = html`<div class="answer-progress" aria-live="polite" style="margin:8px 0;">${bar}${label}${cancel}</div>`;
  const set = (value, text, running) => {
    bar.value = value;
    label.textContent = text;
    cancel.disabled = !running;
    el.dataset.state = running ? "running" : "idle";
  };
  el.start = () => set(0, "starting…", true);
  el.update = ({stage, label: name, done, total}) => {
    const i = stages.indexOf(stage);
    const within = total > 0 ? done / total : 1;
    set((i + within) / stages.length, `${i + 1}/${stages.length} ${name} (${done}/${total})`, true);
  };
  el.finish = (text) => set(1, text, false);
  el.cancelled = (text = "cancelled: the figures below show the previous answer") => set(0, text, false);
  el.failed = (text) => set(0, text, false);
  return el;
}

/** Per-stage wall time of one answer in this browser (ms), one bar per stage. */
export function stageTimings(timings, {width = 640, stages, labels} = {}) {
  const data = stages.map((stage) => ({stage, label: labels[stage], ms: timings[stage]}));
  return Plot.plot({
    width,
    height: 40 + 24 * data.length,
    marginLeft: Math.min(240, width / 2.5),
    x: {label: "wall time in this browser (ms)", grid: true},
    y: {label: null, domain: data.map((d) => d.label)},
    marks: [
      Plot.barX(data, {x: "ms", y: "label", fill: "#4e79a7"}),
      Plot.text(data, {x: "ms", y: "label", text: (d) => `${d.ms.toFixed(d.ms < 10 ? 1 : 0)} ms`, dx: 4, textAnchor: "start"}),
      Plot.ruleX([0]),
    ],
  });
}
