// Figure components for GridWorld layouts: (data, {width, ...options}) => element.
import * as Plot from "@observablehq/plot";

// Empty cells follow the theme (a faint tint of the text colour: light grey in light mode, dark grey in
// dark mode, never a bright white square on a dark page); the object colours read on both.
export const CELL_COLORS = {
  empty: "var(--theme-foreground-faintest)",
  gold: "#e6b422",
  block: "#444",
  hazard: "#d62728",
  lever: "#9467bd",
  start: "#2ca02c",
  exit: "#1f77b4",
};

/** One row per cell with its type, for Plot.cell. */
export function layoutCells(layout) {
  const type = new Map();
  const key = ([r, c]) => `${r},${c}`;
  for (const c of layout.golds) type.set(key(c), "gold");
  for (const c of layout.blocks) type.set(key(c), "block");
  for (const c of layout.hazards) type.set(key(c), "hazard");
  if (layout.lever) type.set(key(layout.lever), "lever");
  type.set(key(layout.start), "start");
  type.set(key(layout.exit), "exit");
  const cells = [];
  for (let r = 0; r < layout.size; r++) for (let c = 0; c < layout.size; c++) cells.push({r, c, type: type.get(`${r},${c}`) ?? "empty"});
  return cells;
}

/**
 * A layout with optional paths drawn on it.
 * paths: [{label, cells: [[r, c], ...], color}]
 */
export function gridMap(layout, {width = 480, paths = [], title} = {}) {
  const points = paths.flatMap((p) => p.cells.map(([r, c], i) => ({r, c, i, label: p.label})));
  return Plot.plot({
    ...gridFrame(layout, width, title),
    color: {
      type: "categorical",
      domain: [...Object.keys(CELL_COLORS), ...paths.map((p) => p.label)],
      range: [...Object.values(CELL_COLORS), ...paths.map((p) => p.color)],
      legend: true,
    },
    marks: [
      Plot.cell(layoutCells(layout), {x: "c", y: "r", fill: "type", inset: 0.5, tip: {format: {x: true, y: true, fill: true}}}),
      ...paths.map((p, k) =>
        Plot.line(
          p.cells.map(([r, c]) => ({r, c})),
          {
            x: "c",
            y: "r",
            stroke: () => p.label,
            strokeWidth: 3.5 - k,
            strokeOpacity: 0.85,
            dx: (k - (paths.length - 1) / 2) * 3,
            dy: (k - (paths.length - 1) / 2) * 3,
            marker: "dot",
          },
        ),
      ),
      Plot.tip(points, Plot.pointer({x: "c", y: "r", title: (d) => `${d.label}: step ${d.i} at [${d.r}, ${d.c}]`})),
    ],
  });
}

/** Heat map of per-cell visit counts (log scale) over the layout's blocks and hazards. */
export function visitHeatmap(layout, visits, {width = 480, title} = {}) {
  const cells = layoutCells(layout).map((d) => ({...d, visits: visits[d.r * layout.size + d.c]}));
  const max = Math.max(1, ...cells.map((d) => d.visits));
  return Plot.plot({
    ...gridFrame(layout, width, title),
    color: {type: "symlog", scheme: "viridis", domain: [0, max], legend: true, label: "visits out of the cell (cumulative, all episodes)", ticks: visitTicks(max), tickFormat: "~s"},
    marks: [
      Plot.cell(
        cells.filter((d) => d.type !== "block" && d.type !== "hazard"),
        {x: "c", y: "r", fill: "visits", inset: 0.5},
      ),
      Plot.cell(
        cells.filter((d) => d.type === "block"),
        {x: "c", y: "r", fill: CELL_COLORS.block, inset: 0.5},
      ),
      Plot.cell(
        cells.filter((d) => d.type === "hazard"),
        {x: "c", y: "r", fill: CELL_COLORS.hazard, inset: 0.5},
      ),
      Plot.tip(cells, Plot.pointer({x: "c", y: "r", title: (d) => `[${d.r}, ${d.c}] ${d.type}: ${d.visits.toLocaleString("en-US")} visits`})),
    ],
  });
}

/**
 * Learning curves: greedy reward against episodes, one colour per spec; line = mean over seeds,
 * band = min–max over seeds.
 */
export function learningCurves(runs, {width = 640, title} = {}) {
  const rows = [];
  const bySpec = new Map();
  for (const run of runs) {
    if (!bySpec.has(run.spec)) bySpec.set(run.spec, []);
    bySpec.get(run.spec).push(run);
  }
  for (const [spec, group] of bySpec) {
    const n = group[0].episodes.length;
    for (let i = 0; i < n; i++) {
      const ys = group.map((g) => g.rewards[i]);
      rows.push({spec, episode: group[0].episodes[i], mean: ys.reduce((a, b) => a + b, 0) / ys.length, min: Math.min(...ys), max: Math.max(...ys), seeds: ys.length});
    }
  }
  return Plot.plot({
    title,
    width,
    height: 320,
    x: {label: "training episodes", tickFormat: "s"},
    y: {label: "greedy reward", grid: true},
    color: {legend: true, domain: [...bySpec.keys()]},
    marks: [
      Plot.areaY(rows, {x: "episode", y1: "min", y2: "max", fill: "spec", fillOpacity: 0.15, curve: "step-after"}),
      Plot.lineY(rows, {x: "episode", y: "mean", stroke: "spec", curve: "step-after"}),
      Plot.ruleY([0], {stroke: "#999"}),
      Plot.tip(
        rows,
        Plot.pointerX({
          x: "episode",
          y: "mean",
          stroke: "spec",
          title: (d) => `${d.spec} @ ${d.episode.toLocaleString("en-US")} episodes\nmean ${d.mean.toFixed(2)} (min ${d.min.toFixed(2)}, max ${d.max.toFixed(2)}) over ${d.seeds} seeds`,
        }),
      ),
    ],
  });
}

/**
 * Legend ticks of a symlog visit scale: 0 and powers of ten up to `max`, at most five in all (every
 * second or third power when there are more), so the labels never overlap. Plot's own symlog ticks
 * crowd near 0 and overprint.
 */
export function visitTicks(max) {
  const powers = [];
  for (let p = 1; p <= max; p *= 10) powers.push(p);
  const every = Math.ceil(powers.length / 4);
  const kept = powers.filter((_, i) => (powers.length - 1 - i) % every === 0);
  // On a symlog scale 0 and 1 sit close together: keep 1 only when little else is shown.
  return [0, ...(kept.length > 2 ? kept.filter((p) => p > 1) : kept)];
}

/** Square plot options shared by the grid figures: one band per row and column, row 0 on top. */
function gridFrame(layout, width, title) {
  const size = Math.min(width, 560);
  return {
    title,
    width: size,
    height: size,
    padding: 0.04,
    x: {domain: d3range(layout.size), axis: "top", label: "column", tickSize: 0},
    y: {domain: d3range(layout.size), label: "row", tickSize: 0},
  };
}

function d3range(n) {
  return Array.from({length: n}, (_, i) => i);
}
