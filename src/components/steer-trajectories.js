// Figure components for the live Reach2 page: (data, {width, ...options}) => element.
import * as Plot from "@observablehq/plot";

/** Rows {episode, t, x, y} from a flat N×(H+1)×2 position array. */
function pathRows(positions, n, horizon, series) {
  const rows = [];
  const T = horizon + 1;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) rows.push({series, episode: i, t, x: positions[(i * T + t) * 2], y: positions[(i * T + t) * 2 + 1]});
  }
  return rows;
}

/**
 * Reach2 trajectories in the arena [-1, 1]²: one line per episode (the rule's in blue; optionally the
 * frozen actor's, dashed grey), starts as open circles, goals as crosses linked (dotted) to the rule's
 * final position (a blue dot); the tip on a goal gives both episode scores.
 * data: a lib/steer/live.ts LiveResult. Options: {width, showFrozen, ruleLabel, maxEpisodes}.
 */
export function trajectoryMap(data, {width = 520, showFrozen = true, ruleLabel = "rule", maxEpisodes = 60, title} = {}) {
  const n = Math.min(data.episodes, maxEpisodes);
  const H = data.horizon;
  const T = H + 1;
  const rule = pathRows(data.positions, n, H, ruleLabel);
  const frozen = showFrozen && data.spec.rule !== "frozen" ? pathRows(data.frozenPositions, n, H, "frozen actor") : [];
  const ends = [];
  for (let i = 0; i < n; i++) {
    ends.push({
      episode: i,
      score: data.scores[i],
      frozenScore: data.frozenScores[i],
      x0: data.positions[i * T * 2],
      y0: data.positions[i * T * 2 + 1],
      x: data.positions[((i + 1) * T - 1) * 2],
      y: data.positions[((i + 1) * T - 1) * 2 + 1],
      gx: data.goals[i * 2],
      gy: data.goals[i * 2 + 1],
    });
  }
  const size = Math.min(width, 560);
  return Plot.plot({
    title,
    width: size,
    height: size,
    inset: 6,
    x: {domain: [-1, 1], label: "x"},
    y: {domain: [-1, 1], label: "y"},
    color: {domain: [ruleLabel, "frozen actor"], range: ["#1f77b4", "#9a9a9a"], legend: true},
    marks: [
      Plot.frame({stroke: "#999"}),
      Plot.line(frozen, {x: "x", y: "y", z: "episode", stroke: "series", strokeOpacity: 0.6, strokeWidth: 1, strokeDasharray: "3,2"}),
      Plot.line(rule, {x: "x", y: "y", z: "episode", stroke: "series", strokeWidth: 1.5, strokeOpacity: 0.8}),
      Plot.link(ends, {x1: "x", y1: "y", x2: "gx", y2: "gy", stroke: "#1f77b4", strokeOpacity: 0.7, strokeDasharray: "1,3"}),
      Plot.dot(ends, {x: "x", y: "y", r: 2.5, fill: "#1f77b4"}),
      Plot.dot(ends, {x: "x0", y: "y0", r: 2.5, stroke: "#333", fill: "white"}),
      Plot.dot(ends, {x: "gx", y: "gy", symbol: "times", r: 4, stroke: "#111", strokeWidth: 1.5}),
      Plot.tip(
        ends,
        Plot.pointer({x: "gx", y: "gy", title: (d) => `episode ${d.episode}\ngoal (${d.gx.toFixed(2)}, ${d.gy.toFixed(2)})\n${ruleLabel}: ${d.score.toFixed(1)}\nfrozen: ${d.frozenScore.toFixed(1)}`}),
      ),
    ],
  });
}

/**
 * Per-episode scores of the rule and of the frozen actor on the same episodes, with each mean and its
 * 95% t-interval (band). data: a LiveResult plus {frozenLo, frozenHi, frozenMean}. Options: {width, ruleLabel}.
 */
export function episodeScores(data, {width = 640, height = 260, ruleLabel = "rule", title} = {}) {
  const n = data.episodes;
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push({episode: i, series: ruleLabel, score: data.scores[i]});
    if (data.spec.rule !== "frozen") rows.push({episode: i, series: "frozen actor", score: data.frozenScores[i]});
  }
  const bands = [{series: ruleLabel, mean: data.mean, lo: data.lo, hi: data.hi}];
  if (data.spec.rule !== "frozen") bands.push({series: "frozen actor", mean: data.frozenMean, lo: data.frozenLo, hi: data.frozenHi});
  const domain = bands.map((b) => b.series);
  return Plot.plot({
    title,
    width,
    height,
    x: {label: "episode", domain: [-0.5, n - 0.5]},
    y: {label: "normalized score", grid: true},
    color: {domain, range: ["#1f77b4", "#9a9a9a"].slice(0, domain.length), legend: true},
    marks: [
      Plot.rect(bands, {x1: -0.5, x2: n - 0.5, y1: "lo", y2: "hi", fill: "series", fillOpacity: 0.15}),
      Plot.ruleY(bands, {y: "mean", stroke: "series", strokeWidth: 1.5}),
      Plot.ruleX(
        rows.filter((r) => r.series === ruleLabel),
        {x: "episode", y1: (d) => data.frozenScores[d.episode], y2: "score", stroke: "#bbb", strokeWidth: 1},
      ),
      Plot.dot(rows, {x: "episode", y: "score", fill: "series", r: n > 100 ? 2 : 3.5, tip: true, title: (d) => `${d.series}, episode ${d.episode}: ${d.score.toFixed(2)}`}),
      Plot.ruleY([0, 100], {stroke: "#ccc", strokeDasharray: "2,3"}),
    ],
  });
}
