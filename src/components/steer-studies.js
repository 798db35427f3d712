// Figures and tables for the steering study pages ("Graceful degradation", "Where steering helps"):
// (data, {width, ...options}) => element. Data comes from lib/steer/summary.ts and data/steer.json.
import * as Plot from "@observablehq/plot";
import {html} from "htl";
import {tableDownloads} from "./share.js";

export const RULE_NAMES = {poe: "PoE(α)", klreg: "KL-Reg(β = α/(1−α))", additive: "Additive A (linear blend)"};
const RULE_COLORS = {poe: "#1f77b4", klreg: "#9467bd", additive: "#d62728"};
const RULE_SYMBOLS = {poe: "circle", klreg: "plus", additive: "triangle"};
const RULE_DX = {poe: -5, klreg: 0, additive: 5};
export const LABEL_COLORS = {help: "#2f855a", frozen: "#a0aec0", hurt: "#c53030"};
export const LABEL_NAMES = {help: "Help", frozen: "Frozen (tie)", hurt: "Hurt"};

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "–");

/**
 * Score against α for PoE, KL-Reg and Additive A (lib/steer/summary.ts degradationCurves): lines through
 * the α grid, each point with the paired 95% interval of its difference to the frozen actor drawn around
 * its mean; the frozen actor's mean ± 95% interval as a grey band, prior-only as a dashed orange line.
 */
export function degradationChart(deg, {width = 640, height = 360, title, yLabel = "normalized score", yDomain, legend = true, compact = false} = {}) {
  const rows = deg.rows;
  const inner = rows.filter((r) => r.alpha > 0 && r.alpha < 1);
  const marks = [
    Plot.rectY([deg.frozen], {x1: 0, x2: 1, y1: "lo", y2: "hi", fill: "#888", fillOpacity: 0.18}),
    Plot.ruleY([deg.frozen.mean], {stroke: "#555", strokeDasharray: "2,2"}),
    compact ? null : Plot.text([deg.frozen], {x: 1, y: "mean", text: () => "frozen actor", textAnchor: "end", dy: -7, fill: "#555", fontSize: 11}),
  ];
  if (deg.prior) {
    marks.push(
      Plot.rectY([deg.prior], {x1: 0, x2: 1, y1: "lo", y2: "hi", fill: "#dd8452", fillOpacity: 0.08}),
      Plot.ruleY([deg.prior.mean], {stroke: "#dd8452", strokeDasharray: "6,3"}),
      compact ? null : Plot.text([deg.prior], {x: 0, y: "mean", text: () => "prior-only", textAnchor: "start", dy: -7, fill: "#b7652f", fontSize: 11}),
    );
  }
  for (const rule of ["poe", "klreg", "additive"]) {
    const r = rows.filter((d) => d.rule === rule);
    if (r.length === 0) continue;
    const inr = inner.filter((d) => d.rule === rule);
    marks.push(
      Plot.line(r, {x: "alpha", y: "mean", stroke: RULE_COLORS[rule], strokeWidth: rule === "klreg" ? 1 : 1.8, strokeDasharray: rule === "klreg" ? "4,3" : null, dx: RULE_DX[rule]}),
      Plot.ruleX(inr, {x: "alpha", y1: "lo", y2: "hi", stroke: RULE_COLORS[rule], strokeOpacity: 0.8, dx: RULE_DX[rule]}),
      Plot.dot(inr, {
        x: "alpha",
        y: "mean",
        symbol: RULE_SYMBOLS[rule],
        stroke: RULE_COLORS[rule],
        fill: rule === "additive" ? RULE_COLORS[rule] : "white",
        r: 3.5,
        dx: RULE_DX[rule],
        title: (d) =>
          `${RULE_NAMES[rule]} at α = ${d.alpha}${d.source === "identity" ? " (drawn from PoE: not evaluated separately)" : ""}\nmean ${fmt(d.mean)} · Δ vs frozen ${d.delta >= 0 ? "+" : ""}${fmt(d.delta)} [${fmt(d.deltaLo)}, ${fmt(d.deltaHi)}] · ${LABEL_NAMES[d.label]}\n${d.n} paired episodes`,
      }),
    );
  }
  return Plot.plot({
    title,
    width,
    height,
    marginLeft: 50,
    x: {domain: [0, 1], label: compact ? "α" : "α (0 = frozen actor, 1 = prior's mean action)", ticks: compact ? [0, 0.5, 1] : [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1]},
    y: {label: yLabel, grid: true, domain: yDomain, nice: !yDomain},
    color: {
      legend,
      domain: [RULE_NAMES.poe, RULE_NAMES.klreg, RULE_NAMES.additive, "frozen actor (mean ± 95%)", "prior-only (mean ± 95%)"],
      range: [RULE_COLORS.poe, RULE_COLORS.klreg, RULE_COLORS.additive, "#888", "#dd8452"],
    },
    marks,
  });
}

/** Small multiples: the same curves, one panel per prior condition (data: [{condition, deg}]). */
export function degradationPanels(panels, {width = 900, yLabel = "normalized score"} = {}) {
  const cols = Math.max(1, Math.min(panels.length, width < 560 ? 1 : width < 840 ? 2 : 3));
  const w = Math.floor((width - 12 * (cols - 1)) / cols);
  const all = panels.flatMap((p) => [p.deg.frozen.lo, p.deg.frozen.hi, ...(p.deg.prior ? [p.deg.prior.mean] : []), ...p.deg.rows.map((r) => r.mean)]);
  const yDomain = [Math.min(...all), Math.max(...all)];
  return html`<div style="display: grid; grid-template-columns: repeat(${cols}, ${w}px); gap: 12px;">${panels.map(
    (p) => html`<figure style="margin: 0;">
    <div style="font: 600 12px var(--sans-serif);">${p.condition}</div>
    ${degradationChart(p.deg, {width: w, height: 220, yLabel, yDomain, legend: false, compact: true})}
  </figure>`,
  )}</div>`;
}

/**
 * The selector's divergence curves D(α)/ε (one line per unit, coloured by environment) against the budget
 * line D = ε; α* as a filled dot, the oracle's α as an open diamond (data: summary.ts selectorCurves).
 */
export function selectorChart({rows, marks}, {width = 640, height = 300, title, budgetLabel = "budget ε (per unit)"} = {}) {
  return Plot.plot({
    title,
    width,
    height,
    marginLeft: 55,
    x: {domain: [0, 1], label: "α", ticks: [0, 0.1, 0.3, 0.5, 0.7, 0.9]},
    y: {type: "symlog", constant: 0.1, label: "D(α) / ε  (KL(π_α ‖ π0) in budgets)", grid: true},
    color: {legend: true, label: "environment"},
    symbol: {legend: true, domain: ["α* (selector)", "oracle α"], range: ["circle", "diamond"]},
    marks: [
      Plot.ruleY([1], {stroke: "#c53030", strokeWidth: 1.5}),
      Plot.text([1], {x: 0.02, y: 1, text: () => budgetLabel, textAnchor: "start", dy: -7, fill: "#c53030", fontSize: 11}),
      Plot.line(rows, {x: "alpha", y: "ratio", z: "unit", stroke: "env", strokeOpacity: 0.8}),
      Plot.dot(rows, {x: "alpha", y: "ratio", fill: "env", r: 2, title: (d) => `${d.unit}\nα = ${d.alpha}: D = ${d.divergence.toPrecision(3)} nats, ε = ${d.budget.toPrecision(2)}`}),
      Plot.dot(marks, {x: "alphaOracle", y: "ratioOracle", stroke: "env", symbol: () => "oracle α", r: 7, strokeWidth: 1.5}),
      Plot.dot(marks, {
        x: "alphaStar",
        y: "ratioStar",
        fill: "env",
        stroke: "black",
        symbol: () => "α* (selector)",
        r: 4.5,
        title: (d) => `${d.unit}\nα* = ${d.alphaStar}, oracle α = ${d.alphaOracle}`,
      }),
    ],
  });
}

/** Stacked Help/Frozen/Hurt bars, one row per (group, source) (data: summary.ts splitRows). */
export function splitBars(rows, {width = 640, title, facet = false, rowLabel = null} = {}) {
  const ys = [...new Set(rows.map((d) => `${d.group} · ${d.source}`))];
  return Plot.plot({
    title,
    width,
    height: 30 + 26 * ys.length + (facet ? 20 : 0),
    marginLeft: 200,
    x: {label: "units", grid: true},
    y: {label: rowLabel, domain: ys},
    color: {legend: true, domain: ["help", "frozen", "hurt"], range: [LABEL_COLORS.help, LABEL_COLORS.frozen, LABEL_COLORS.hurt], tickFormat: (d) => LABEL_NAMES[d]},
    marks: [
      Plot.barX(
        rows,
        Plot.stackX({x: "count", y: (d) => `${d.group} · ${d.source}`, fill: "label", order: ["help", "frozen", "hurt"], title: (d) => `${d.group} · ${d.source}: ${LABEL_NAMES[d.label]} ${d.count}`}),
      ),
      Plot.text(
        rows.filter((d) => d.count > 0),
        Plot.stackX({x: "count", y: (d) => `${d.group} · ${d.source}`, text: "count", z: "label", order: ["help", "frozen", "hurt"], fill: "white", fontWeight: 600}),
      ),
      Plot.ruleX([0]),
    ],
  });
}

/** Mean success (%) per config, one panel row per maze unit (data: summary.ts ruleMeans). */
export function successBars(rows, {width = 640, title} = {}) {
  const configs = [...new Set(rows.map((d) => d.config))];
  const units = [...new Set(rows.map((d) => d.unit))];
  const maxY = Math.max(10, ...rows.map((d) => d.mean));
  return Plot.plot({
    title,
    width,
    height: 70 + 150 * units.length,
    marginBottom: 70,
    marginRight: 110,
    fy: {label: null, domain: units, tickFormat: (u) => u.split("/").slice(2, 4).join(" ")},
    x: {label: null, domain: configs, tickRotate: -40},
    y: {label: "success (%)", domain: [0, Math.max(maxY, 100)], grid: true},
    color: {domain: ["frozen", "prior", "additive", "poe", "klreg"], range: ["#555", "#dd8452", "#d62728", "#1f77b4", "#9467bd"], legend: true},
    marks: [
      Plot.barY(rows, {fy: "unit", x: "config", y: "mean", fill: "family", title: (d) => `${d.unit}\n${d.config}: ${d.mean.toFixed(1)}% success`}),
      Plot.text(rows, {fy: "unit", x: "config", y: "mean", text: (d) => `${d.mean.toFixed(0)}`, dy: -6, fontSize: 10}),
      Plot.ruleY([0]),
    ],
  });
}

/** A status badge: held / partly held / not held. */
export function statusBadge(status) {
  const cls = status === "held" ? "held" : status === "partly held" ? "partly" : "not";
  return html`<span class="badge ${cls}">${status}</span>`;
}

/** Compact rendering of a claim's numbers: numbers rounded, nested objects as JSON. */
export function numbersText(numbers) {
  const round = (_key, v) => (typeof v === "number" && !Number.isInteger(v) ? (Math.abs(v) < 1e-3 && v !== 0 ? Number(v.toExponential(2)) : Math.round(v * 1000) / 1000) : v);
  return JSON.stringify(numbers, round, 1).replace(/\n\s*/g, " ");
}

/** One claim as a card: id, status, statement, explanation and (folded) numbers. */
export function claimCard(claim) {
  return html`<div class="claim-card">
    <div><b>${claim.id}</b> ${kindBadge(claim.kind)} ${statusBadge(claim.status)} ${claim.statement}</div>
    <div class="claim-expl">${claim.explanation}.</div>
    <details><summary>numbers</summary><code class="claim-num">${numbersText(claim.numbers)}</code></details>
  </div>`;
}

/** Every claim in one table: id, status badge, statement, explanation, numbers (folded). */
export function claimsTable(claims, {download} = {}) {
  const table = html`<table class="claims-table">
    <thead><tr><th>claim</th><th>kind</th><th>status</th><th>what the paper claims (thresholds ours)</th><th>what our analog shows</th></tr></thead>
    <tbody>${claims.map(
      (c) => html`<tr>
      <td><b>${c.id}</b></td>
      <td>${kindBadge(c.kind)}</td>
      <td>${statusBadge(c.status)}</td>
      <td>${c.statement}</td>
      <td>${c.explanation}.<details><summary>numbers</summary><code class="claim-num">${numbersText(c.numbers)}</code></details></td>
    </tr>`,
    )}</tbody>
  </table>`;
  if (!download) return table;
  const rows = claims.map((c) => ({claim: c.id, kind: c.kind, status: c.status, statement: c.statement, explanation: c.explanation, numbers: numbersText(c.numbers)}));
  return html`${table}${tableDownloads(rows, download)}`;
}

/** A claim's kind: "algebraic" (holds by the math and the code, a check) or "empirical" (a finding that can fail). */
export function kindBadge(kind) {
  return html`<span class="kind ${kind}" title="${kind === "algebraic" ? "follows from the formulas and the code: a check of the implementation, not a finding" : "depends on the data, networks and priors: can come out either way"}">${kind}</span>`;
}

/**
 * Counts by kind, never pooled: "algebraic checks passed x/y; empirical claims held a/b", with badge
 * counts of the empirical statuses (lib/steer/claims.ts tallyClaims is the same count for the CLI).
 */
export function claimTally(claims) {
  const alg = claims.filter((c) => c.kind === "algebraic");
  const emp = claims.filter((c) => c.kind === "empirical");
  const n = (s) => emp.filter((c) => c.status === s).length;
  return html`<span>algebraic checks passed <b>${alg.filter((c) => c.status === "held").length}/${alg.length}</b>; empirical claims held <b>${n("held")}/${emp.length}</b> (${statusBadge("held")} ${n("held")} &nbsp; ${statusBadge("partly held")} ${n("partly held")} &nbsp; ${statusBadge("not held")} ${n("not held")})</span>`;
}

/** A Help/Frozen/Hurt label chip. */
export function labelChip(label) {
  return html`<span class="chip ${label}">${LABEL_NAMES[label] ?? label}</span>`;
}

const fmtSd = (x) => (x === 0 ? "0" : x.toFixed(1));

/**
 * One Help/Frozen/Hurt count with its seed-to-seed spread (data: summary.ts seedSpread): the count,
 * then the smallest–largest count of one seed and the standard deviation over seeds.
 */
export function spreadCell(spread, label, count = spread.total[label]) {
  if (spread.seeds.length < 2) return html`<span>${count} <small style="color: var(--theme-foreground-muted)">(1 seed: no spread)</small></span>`;
  return html`<span title="${spread.seeds.map((s, i) => `seed ${s}: ${spread.perSeed[i][label]}`).join(", ")}">${count} <small style="color: var(--theme-foreground-muted)">(${spread.min[label]}–${spread.max[label]}/seed, sd ${fmtSd(spread.sd[label])})</small></span>`;
}

/**
 * Help/Frozen/Hurt counts with the seed-to-seed spread beside each (rows: {name, split, spread, n};
 * `spread` null for rows without seeds, such as the paper's).
 */
export function splitSpreadTable(rows, {download} = {}) {
  const table = html`<div style="overflow-x: auto; max-width: 100%;"><table class="split-table">
  <thead><tr><th></th><th>Help</th><th>Frozen (tie)</th><th>Hurt</th><th>units</th></tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr><td>${r.name}</td>${["help", "frozen", "hurt"].map((l) => html`<td>${r.spread ? spreadCell(r.spread, l, r.split[l]) : r.split[l]}</td>`)}<td>${r.n}</td></tr>`,
  )}</tbody>
</table></div>`;
  return download ? html`${table}${tableDownloads(splitSpreadRows(rows), download)}` : table;
}

/** splitSpreadTable's rows as plain objects (a download): counts, units and each label's per-seed min, max and sd. */
export function splitSpreadRows(rows) {
  return rows.map((r) => ({
    row: typeof r.name === "string" ? r.name : r.name.textContent,
    help: r.split.help,
    frozen: r.split.frozen,
    hurt: r.split.hurt,
    units: r.n,
    seeds: r.spread ? r.spread.seeds.length : null,
    ...Object.fromEntries(
      ["help", "frozen", "hurt"].flatMap((l) =>
        [`${l} min/seed`, `${l} max/seed`, `${l} sd`].map((k, i) => [k, r.spread && r.spread.seeds.length > 1 ? [r.spread.min[l], r.spread.max[l], r.spread.sd[l]][i] : null]),
      ),
    ),
  }));
}

/**
 * The selector against the hindsight oracle, one row per study (data: the studies' units): α* chosen,
 * strict near-oracle (gap ≤ 1 point) and §4's lenient test, for the calibrated budget and the fixed
 * headline ε = 0.1·d, and the selector's labels.
 */
export function selectorOracleTable(studies, {download} = {}) {
  const count = (xs) => {
    const m = new Map();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return [...m]
      .sort((a, b) => a[0] - b[0])
      .map(([a, n]) => `${a}: ${n}`)
      .join(", ");
  };
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const table = html`<div style="overflow-x: auto; max-width: 100%;"><table class="unit-table">
  <thead><tr><th>study</th><th>units</th><th>α* (calibrated): units</th><th>strict (≤ 1 pt)</th><th>lenient (§4)</th><th>mean gap</th><th>α* (ε = 0.1·d): units</th><th>strict</th><th>mean gap</th><th>oracle α: units</th></tr></thead>
  <tbody>${studies.map(
    ({id, units}) => html`<tr>
      <td>${id}</td><td>${units.length}</td>
      <td>${count(units.map((u) => u.alphaStar))}</td>
      <td>${units.filter((u) => u.nearOracleStrict).length}</td>
      <td>${units.filter((u) => u.oracle.nearOracle).length}</td>
      <td class="num">${mean(units.map((u) => u.oracle.gap)).toFixed(1)}</td>
      <td>${count(units.map((u) => u.selector.fixed.alpha))}</td>
      <td>${units.filter((u) => u.selector.fixed.nearOracleStrict).length}</td>
      <td class="num">${mean(units.map((u) => u.selector.fixed.gap)).toFixed(1)}</td>
      <td>${count(units.map((u) => u.alphaOracle))}</td>
    </tr>`,
  )}</tbody>
</table></div>`;
  if (!download) return table;
  const rows = studies.map(({id, units}) => ({
    study: id,
    units: units.length,
    "alpha* (calibrated): units": count(units.map((u) => u.alphaStar)),
    "strict (<= 1 pt)": units.filter((u) => u.nearOracleStrict).length,
    "lenient (spec 4)": units.filter((u) => u.oracle.nearOracle).length,
    "mean gap": mean(units.map((u) => u.oracle.gap)),
    "alpha* (eps = 0.1 d): units": count(units.map((u) => u.selector.fixed.alpha)),
    "strict, fixed eps": units.filter((u) => u.selector.fixed.nearOracleStrict).length,
    "mean gap, fixed eps": mean(units.map((u) => u.selector.fixed.gap)),
    "oracle alpha: units": count(units.map((u) => u.alphaOracle)),
  }));
  return html`${table}${tableDownloads(rows, download)}`;
}
