// One colour per reward system across the whole site (issue 12: a reward system drew in different
// colours in different figures because each Plot figure ordered its own domain). Every figure that
// colours by reward system takes its scale from here, e.g.
//   Plot.plot({color: {...rewardScale(), legend: true, label: "reward system"}, marks: [Plot.dot(d, {fill: "reward"})]})
// and marks outside a color scale use rewardColor(name), so "path-gold" is the same colour on every page.
//
// The order is the library's (lib/lever/env/rewards.ts REWARD_SYSTEMS, the reference's order, spec
// §1.3); the colours are Tableau 10, the site's categorical scheme, assigned once in that order.
import {REWARD_SYSTEMS} from "../lib/lever/env/rewards.js";

const TABLEAU10 = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

/** Reward system → colour, for the eight systems of the library (frozen). */
export const REWARD_COLORS = Object.freeze(Object.fromEntries(REWARD_SYSTEMS.map((r, i) => [r, TABLEAU10[i]])));

/** Colour for a name outside the eight (a reward system the library does not train). */
export const OTHER_REWARD_COLOR = "#9a9a9a";

/** Colour of a reward system, for marks outside a Plot color scale. */
export function rewardColor(name) {
  return REWARD_COLORS[name] ?? OTHER_REWARD_COLOR;
}

/**
 * A Plot color-scale definition for reward systems, with a fixed domain and range so every figure
 * agrees. `present` (optional): the systems a figure shows, to keep its legend short; the colours of
 * the systems do not depend on it. Unknown names come last, in grey.
 */
export function rewardScale(present) {
  const known = present ? REWARD_SYSTEMS.filter((r) => present.includes(r)) : [...REWARD_SYSTEMS];
  const other = present ? [...new Set(present)].filter((r) => !REWARD_SYSTEMS.includes(r)).sort() : [];
  const domain = [...known, ...other];
  return {type: "categorical", domain, range: domain.map(rewardColor)};
}
