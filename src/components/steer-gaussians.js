// Figure components for the PoE / KL-Reg identity page: (data, {width, ...options}) => element.
import * as Plot from "@observablehq/plot";

/** Colours and labels of the four Gaussians, shared by the figures and the page's legend text. */
export const EXPERTS = [
  {key: "actor", label: "frozen actor π0", color: "#7f7f7f", dash: null},
  {key: "prior", label: "prior p", color: "#ff7f0e", dash: null},
  {key: "poe", label: "PoE(α)", color: "#1f77b4", dash: null},
  {key: "klreg", label: "KL-Reg(β)", color: "#9467bd", dash: "5,3"},
];

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * 1-D densities. data: {actor, prior, poe, klreg}, each {mean, variance} (numbers), plus optional
 * {xLabel}. Draws the four densities and a rule at each mean.
 */
export function densities1d(data, {width = 640, height = 260, title, xLabel = data.xLabel ?? "action"} = {}) {
  const items = EXPERTS.map((e) => ({...e, mean: data[e.key].mean, sd: Math.sqrt(data[e.key].variance)}));
  let lo = Infinity;
  let hi = -Infinity;
  for (const it of items) {
    lo = Math.min(lo, it.mean - 3.5 * it.sd);
    hi = Math.max(hi, it.mean + 3.5 * it.sd);
  }
  // Keep a readable window when a spread is huge (e.g. the random prior): at most ±4 around the actor.
  lo = Math.max(lo, data.actor.mean - 4);
  hi = Math.min(hi, data.actor.mean + 4);
  const n = 400;
  const rows = [];
  for (const it of items) {
    for (let k = 0; k <= n; k++) {
      const x = lo + ((hi - lo) * k) / n;
      const z = (x - it.mean) / it.sd;
      rows.push({key: it.label, x, y: Math.exp(-0.5 * z * z) / (it.sd * SQRT_2PI)});
    }
  }
  return Plot.plot({
    title,
    width,
    height,
    x: {label: xLabel, domain: [lo, hi]},
    y: {label: "density", grid: true},
    color: {domain: items.map((d) => d.label), range: items.map((d) => d.color), legend: true},
    marks: [
      Plot.ruleY([0]),
      ...items.map((it) =>
        Plot.line(
          rows.filter((r) => r.key === it.label),
          {x: "x", y: "y", stroke: "key", strokeWidth: it.key === "poe" || it.key === "klreg" ? 2.5 : 1.5, strokeDasharray: it.dash ?? undefined},
        ),
      ),
      Plot.ruleX(items, {x: "mean", stroke: "label", strokeDasharray: (d) => d.dash ?? "2,2", strokeOpacity: 0.8}),
      Plot.tip(rows, Plot.pointerX({x: "x", y: "y", stroke: "key", title: (d) => `${d.key}\na = ${d.x.toFixed(3)}\ndensity ${d.y.toFixed(3)}`})),
    ],
  });
}

/** Points of the k-σ ellipse of a 2-D Gaussian with mean m (length 2) and covariance c (row-major 2×2). */
export function ellipsePoints(m, c, k = 1, n = 96) {
  const a = c[0];
  const b = c[1];
  const d = c[3];
  // Eigen-decomposition of [[a, b], [b, d]].
  const tr = a + d;
  const disc = Math.sqrt(Math.max(0, ((a - d) / 2) ** 2 + b * b));
  const l1 = Math.max(0, tr / 2 + disc);
  const l2 = Math.max(0, tr / 2 - disc);
  const theta = Math.abs(b) < 1e-300 ? (a >= d ? 0 : Math.PI / 2) : Math.atan2(l1 - a, b);
  const ct = Math.cos(theta);
  const st = Math.sin(theta);
  const r1 = k * Math.sqrt(l1);
  const r2 = k * Math.sqrt(l2);
  const pts = [];
  for (let i = 0; i <= n; i++) {
    const t = (2 * Math.PI * i) / n;
    const u = r1 * Math.cos(t);
    const v = r2 * Math.sin(t);
    pts.push([m[0] + ct * u - st * v, m[1] + st * u + ct * v]);
  }
  return pts;
}

/**
 * 2-D Gaussians as 1σ and 2σ ellipses with their means. data: {actor, prior, poe, klreg}, each
 * {mean: [x, y], cov: [a, b, b, d]} (row-major 2×2). Equal aspect ratio, the action box [-1, 1]² drawn.
 */
export function ellipses2d(data, {width = 480, title, window = 1.6} = {}) {
  const items = EXPERTS.map((e) => ({...e, mean: Array.from(data[e.key].mean), cov: Array.from(data[e.key].cov)}));
  const rows = [];
  for (const it of items) {
    for (const k of [1, 2]) {
      for (const [x, y] of ellipsePoints(it.mean, it.cov, k)) rows.push({key: it.label, k, x, y});
    }
  }
  // Centre the view on the actor and PoE means; keep a fixed window so the spreads can be compared.
  const cx = (items[0].mean[0] + items[2].mean[0]) / 2;
  const cy = (items[0].mean[1] + items[2].mean[1]) / 2;
  const size = Math.min(width, 520);
  return Plot.plot({
    title,
    width: size,
    height: size,
    x: {label: "a_x", domain: [cx - window, cx + window]},
    y: {label: "a_y", domain: [cy - window, cy + window]},
    color: {domain: items.map((d) => d.label), range: items.map((d) => d.color), legend: true},
    marks: [
      Plot.rect([{x1: -1, x2: 1, y1: -1, y2: 1}], {x1: "x1", x2: "x2", y1: "y1", y2: "y2", fill: "#f3f3f3", stroke: "#ccc", clip: true}),
      Plot.ruleX([0], {stroke: "#ddd"}),
      Plot.ruleY([0], {stroke: "#ddd"}),
      ...items.flatMap((it) =>
        [1, 2].map((k) =>
          Plot.line(
            rows.filter((r) => r.key === it.label && r.k === k),
            {
              x: "x",
              y: "y",
              stroke: "key",
              clip: true,
              strokeWidth: k === 1 ? 2.2 : 1,
              strokeOpacity: k === 1 ? 1 : 0.55,
              strokeDasharray: it.dash ?? undefined,
            },
          ),
        ),
      ),
      // PoE and KL-Reg share their mean (§2.4): PoE is drawn as a ring around KL-Reg's dot so both stay visible.
      Plot.dot(
        items.filter((d) => d.key === "poe"),
        {x: (d) => d.mean[0], y: (d) => d.mean[1], r: 7, stroke: "label", strokeWidth: 2, clip: true},
      ),
      Plot.dot(
        items.filter((d) => d.key !== "poe"),
        {x: (d) => d.mean[0], y: (d) => d.mean[1], r: 3.5, fill: "label", stroke: "white", clip: true},
      ),
      Plot.tip(
        items,
        Plot.pointer({
          x: (d) => d.mean[0],
          y: (d) => d.mean[1],
          title: (d) => `${d.label}\nmean (${d.mean[0].toFixed(3)}, ${d.mean[1].toFixed(3)})\nσ (${Math.sqrt(d.cov[0]).toFixed(3)}, ${Math.sqrt(d.cov[3]).toFixed(3)})`,
        }),
      ),
    ],
  });
}

/**
 * Spread of PoE(α) and KL-Reg(α/(1−α)) against α for one dimension: the two means coincide for every α,
 * the variance ratio is 1 + β = 1/(1−α). data: {rows: [{alpha, poeMean, klMean, poeSd, klSd}], alpha}.
 */
export function alphaSweep(data, {width = 640, height = 240, title} = {}) {
  const {rows, alpha} = data;
  const long = rows.flatMap((r) => [
    {alpha: r.alpha, rule: "PoE(α)", mean: r.poeMean, lo: r.poeMean - r.poeSd, hi: r.poeMean + r.poeSd},
    {alpha: r.alpha, rule: "KL-Reg(β)", mean: r.klMean, lo: r.klMean - r.klSd, hi: r.klMean + r.klSd},
  ]);
  return Plot.plot({
    title,
    width,
    height,
    x: {label: "α (β = α/(1−α))", domain: [0, 1]},
    y: {label: "a_x: mean ± 1σ", grid: true},
    color: {domain: ["PoE(α)", "KL-Reg(β)"], range: [EXPERTS[2].color, EXPERTS[3].color], legend: true},
    marks: [
      Plot.areaY(long, {x: "alpha", y1: "lo", y2: "hi", fill: "rule", fillOpacity: 0.18}),
      // The two mean curves coincide (§2.4): PoE wide and solid underneath, KL-Reg dashed on top.
      Plot.lineY(
        long.filter((d) => d.rule === "PoE(α)"),
        {x: "alpha", y: "mean", stroke: "rule", strokeWidth: 4},
      ),
      Plot.lineY(
        long.filter((d) => d.rule === "KL-Reg(β)"),
        {x: "alpha", y: "mean", stroke: "rule", strokeWidth: 2, strokeDasharray: "5,3"},
      ),
      Plot.ruleX([alpha], {stroke: "#333", strokeDasharray: "3,3"}),
      Plot.tip(
        long,
        Plot.pointerX({x: "alpha", y: "mean", stroke: "rule", title: (d) => `${d.rule} at α = ${d.alpha.toFixed(2)}\nmean ${d.mean.toFixed(4)}\n±1σ [${d.lo.toFixed(3)}, ${d.hi.toFixed(3)}]`}),
      ),
    ],
  });
}

/** The prior's effective weight in the PoE mean (§2.2): w = βρ/(1+βρ), β = α/(1−α), ρ = σ0²/σp². */
export function priorWeight(alpha, rho) {
  if (alpha >= 1) return 1;
  const br = (alpha / (1 - alpha)) * rho;
  return br / (1 + br);
}

/** Families of prior conditions (one symbol each in weightPanel; Plot's symbol scheme has 7). */
export const CONDITION_FAMILIES = ["clean", "noisy-overconfident", "noisy-calibrated", "persistent (biased, drift)", "random", "random, actor-sized σ or μ", "wrong goal"];

export function conditionFamily(condition) {
  const kind = condition.replace(/\(.*$/, "");
  if (kind === "biased" || kind === "drift") return CONDITION_FAMILIES[3];
  if (kind === "random-scaled" || kind === "random-confident") return CONDITION_FAMILIES[5];
  if (kind === "wrong-goal" || kind === "confident-wrong") return CONDITION_FAMILIES[6];
  return CONDITION_FAMILIES.includes(kind) ? kind : CONDITION_FAMILIES[0];
}

/**
 * The α/β/ρ panel: w = βρ/(1+βρ) over α (x) and ρ (y, log scale) as a heatmap with iso-weight lines,
 * and the measured ρ of each unit overlaid as a point at its selector's α* (or at α = 0.5 when α* = 0),
 * coloured by prior condition. data: {units: [{id, condition, rho, alphaStar}], conditions}.
 */
export function weightPanel(data, {width = 640, height = 360, title, rhoDomain = [1e-3, 1e2]} = {}) {
  const nx = 48;
  const ny = 40;
  const [r0, r1] = rhoDomain.map(Math.log10);
  const cells = [];
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      const a1 = i / nx;
      const a2 = (i + 1) / nx;
      const y1 = 10 ** (r0 + ((r1 - r0) * j) / ny);
      const y2 = 10 ** (r0 + ((r1 - r0) * (j + 1)) / ny);
      cells.push({x1: a1, x2: a2, y1, y2, w: priorWeight((a1 + a2) / 2, Math.sqrt(y1 * y2))});
    }
  }
  // Iso-weight lines: βρ = c/(1−c) ⇔ ρ = c(1−α)/((1−c)α).
  const iso = [0.1, 0.5, 0.9].flatMap((c) =>
    Array.from({length: 99}, (_, k) => {
      const a = (k + 1) / 100;
      return {c: `w = ${c}`, alpha: a, rho: (c * (1 - a)) / ((1 - c) * a)};
    }).filter((d) => d.rho >= rhoDomain[0] && d.rho <= rhoDomain[1]),
  );
  const clamp = (x) => Math.min(rhoDomain[1], Math.max(rhoDomain[0], x));
  const pts = data.units.map((u) => ({...u, family: conditionFamily(u.condition), x: u.alphaStar > 0 ? u.alphaStar : 0.5, y: clamp(u.rho)}));
  return Plot.plot({
    title,
    width,
    height,
    marginLeft: 50,
    x: {label: "α (PoE coefficient; β = α/(1−α))", domain: [0, 1]},
    y: {type: "log", label: "ρ = σ0²/σp² (prior's precision relative to the actor's)", domain: rhoDomain, tickFormat: (d) => String(d)},
    color: {type: "linear", scheme: "blues", domain: [0, 1], label: "prior weight w = βρ/(1+βρ)", legend: true},
    symbol: {legend: true, domain: CONDITION_FAMILIES},
    marks: [
      Plot.rect(cells, {x1: "x1", x2: "x2", y1: "y1", y2: "y2", fill: "w"}),
      Plot.line(iso, {x: "alpha", y: "rho", z: "c", stroke: "#333", strokeDasharray: "3,3", strokeWidth: 1}),
      Plot.text(
        iso.filter((d, i, xs) => i === xs.length - 1 || xs[i + 1].c !== d.c),
        {x: "alpha", y: "rho", text: "c", dx: -18, dy: -6, fontSize: 10, fill: "#111"},
      ),
      Plot.ruleY([1], {stroke: "#666"}),
      Plot.dot(pts, {
        x: "x",
        y: "y",
        symbol: "family",
        fill: "white",
        stroke: "black",
        r: 4.5,
        tip: true,
        title: (d) => `${d.id}\n${d.condition}: ρ = ${d.rho.toPrecision(3)} (median)\nα* = ${d.alphaStar}\nw(α*) = ${priorWeight(d.x, d.rho).toFixed(3)}`,
      }),
    ],
  });
}

/**
 * Deterministic vs sampled evaluation over α: rows [{alpha, view, score}], view ∈ {"mean action (PoE = KL-Reg)",
 * "sampled PoE(α)", "sampled KL-Reg(α/(1−α))"}, plus frozen = {deterministic, sampled} as horizontal rules.
 */
export function sampledViews(data, {width = 640, height = 280, title} = {}) {
  const views = ["mean action (PoE = KL-Reg)", "sampled PoE(α)", "sampled KL-Reg(α/(1−α))"];
  const colors = ["#333333", EXPERTS[2].color, EXPERTS[3].color];
  const frozen = [
    {score: data.frozen.deterministic, label: "frozen, mean action"},
    {score: data.frozen.sampled, label: "frozen, sampled"},
  ];
  return Plot.plot({
    title,
    width,
    height,
    x: {label: "α", domain: [0, 1]},
    y: {label: "mean normalized score", grid: true},
    color: {domain: views, range: colors, legend: true},
    marks: [
      Plot.ruleY(frozen, {y: "score", stroke: "#999", strokeDasharray: (d) => (d.label.endsWith("sampled") ? "2,3" : null)}),
      Plot.text(frozen, {x: 1, y: "score", text: "label", textAnchor: "end", dy: -5, fontSize: 10, fill: "#666"}),
      Plot.lineY(data.rows, {x: "alpha", y: "score", stroke: "view", strokeWidth: 2, strokeDasharray: (d) => (d.view.startsWith("sampled KL") ? "5,3" : null)}),
      Plot.dot(data.rows, {x: "alpha", y: "score", fill: "view", r: 3, tip: true, title: (d) => `${d.view}\nα = ${d.alpha}\nscore ${d.score.toFixed(1)}`}),
    ],
  });
}
