// A plain second model of ExNonZeroDiscount's steps 1–4 (spec/lever.md §7.2), written from the spec for the
// mutation tests: maps and arrays of objects, no typed-array kernels, no pow tables, the rewards of §1.3
// computed from the layout itself (its own gold/lever state, not the GridWorld class), and networkx-style
// topological generations with successors scanned by action index (the order lib/lever/compose/exnonzero.ts
// documents as its deviation from the reference's insertion order). Used only by the tests.
import type {Layout} from "../../../lib/lever/env/layout.js";
import {roundPy2} from "../../../lib/core/py.js";

/** [main] moves of §1.2: right, down, right×2, down×2 as (dr, dc). */
const MOVES: [number, number][] = [
  [0, 1],
  [1, 0],
  [0, 2],
  [2, 0],
];

export interface ModelOptions {
  legacy: boolean;
  statefulBounds?: boolean;
  lowerMin?: "all" | "tried";
  alpha?: number;
  gamma?: number;
}

export interface ModelEdge {
  s: number;
  a: number;
  t: number;
  count: number;
}

export interface ModelResult {
  edges: ModelEdge[];
  /** Keyed by edge id s·4+a, for the edges reached backwards from the exit. */
  upper: Map<number, number>;
  lower: Map<number, number>;
  reward: Map<number, number>;
  order: number[];
  topo: number[];
  /** Surviving edge ids after step 4. */
  kept: Set<number>;
  pops: number;
  prunedPct: number;
}

/** The reference's `_get_reward` for a move into t on a (possibly shared) state, spec §1.3 (no −100 for hazards). */
function rewardModel(layout: Layout, system: string, legacy: boolean) {
  const n = layout.size;
  const id = ([r, c]: [number, number]) => r * n + c;
  const C = new Set(system.split("-"));
  const hazards = new Set(layout.hazards.map(id));
  const golds = layout.golds.map(id);
  const lever = layout.lever ? id(layout.lever) : -1;
  const exit = id(layout.exit);
  const stepCost = (C.has("path") ? 1.0 : 0) + (C.has("gold") ? 0.01 : 0) + (C.has("hazard") ? 0.1 : 0) + (C.has("lever") ? 0.1 : 0);
  const hazardNeighbours = (t: number) => {
    const r = Math.floor(t / n);
    const c = t % n;
    let k = 0;
    for (const [dr, dc] of [
      [-1, 0],
      [1, 0],
      [0, -1],
      [0, 1],
    ]) {
      const r2 = r + dr;
      const c2 = c + dc;
      if (r2 >= 0 && r2 < n && c2 >= 0 && c2 < n && hazards.has(r2 * n + c2)) k++;
    }
    return k;
  };
  let goldLeft = new Set(golds);
  let leverOn = lever >= 0;
  let leverCollected = false;
  return {
    reset() {
      goldLeft = new Set(golds);
      leverOn = lever >= 0;
      leverCollected = false;
    },
    enter(t: number): number {
      let r = 0;
      if (t === lever && leverOn) {
        leverOn = false;
        leverCollected = true;
        if (C.has("lever")) r += 20;
      }
      if (goldLeft.has(t)) {
        goldLeft.delete(t);
        if (C.has("gold")) r += 5;
      }
      if (C.has("hazard")) r -= 2 * hazardNeighbours(t);
      if (t === exit) {
        r += (C.has("path") ? 100 : 0) + (C.has("hazard") ? 100 : 0);
        if (C.has("gold")) r += goldLeft.size === 0 ? 100 : legacy ? -20 : (-10 * goldLeft.size) / golds.length;
        if (C.has("lever")) r += leverCollected ? 80 : 20;
      }
      return r - stepCost;
    },
  };
}

/** Steps 1–4 of §7.2 on the union of `countsList` (each indexed s·4+a). */
export function exNonZeroModel(layout: Layout, system: string, countsList: readonly ArrayLike<number>[], options: ModelOptions): ModelResult {
  const {legacy, statefulBounds = true, lowerMin = "all", alpha = 0.1, gamma = 0.99} = options;
  const n = layout.size;
  const nS = n * n;
  // Step 1: the union, counts summed.
  const edges: ModelEdge[] = [];
  for (let s = 0; s < nS; s++) {
    for (let a = 0; a < 4; a++) {
      let count = 0;
      for (const c of countsList) count += c[s * 4 + a];
      if (count === 0) continue;
      const t = (Math.floor(s / n) + MOVES[a][0]) * n + (s % n) + MOVES[a][1];
      edges.push({s, a, t, count});
    }
  }
  const out = (s: number) => edges.filter((e) => e.s === s);
  const into = (t: number) => edges.filter((e) => e.t === t);
  // Topological order, networkx-style generations (in-degree 0 in index order, then in scan order).
  const indeg = Array.from({length: nS}, (_, s) => into(s).length);
  const topo: number[] = Array(nS).fill(-1);
  let gen = [...Array(nS).keys()].filter((s) => indeg[s] === 0);
  let p = 0;
  while (gen.length > 0) {
    const nextGen: number[] = [];
    for (const s of gen) {
      topo[s] = p++;
      for (const e of out(s)) if (--indeg[e.t] === 0) nextGen.push(e.t);
    }
    gen = nextGen;
  }
  // Step 2: nmax = count, nmin = 1 for tried actions, 0 untried; per node max / min over the 4 actions.
  const nmaxOf = (s: number) => Math.max(0, ...out(s).map((e) => e.count));
  const nminOf = (s: number) => {
    const tried = out(s).length;
    if (lowerMin === "all") return tried === 4 ? 1 : 0;
    return tried > 0 ? 1 : 0;
  };
  // Step 3: BFS backwards from the exit, predecessors by descending topological position, one shared state.
  const env = rewardModel(layout, system, legacy);
  const exit = layout.exit[0] * n + layout.exit[1];
  const upper = new Map<number, number>();
  const lower = new Map<number, number>();
  const reward = new Map<number, number>();
  const order: number[] = [];
  const seen = new Set([exit]);
  const queue = [exit];
  while (queue.length > 0) {
    const t = queue.shift()!;
    const preds = into(t).sort((x, y) => topo[y.s] - topo[x.s]);
    for (const e of preds) {
      if (!seen.has(e.s)) seen.add(e.s), queue.push(e.s);
      if (!statefulBounds) env.reset();
      const r = env.enter(t);
      const id = e.s * 4 + e.a;
      // The reference's alternating-sign form of r·(1 − (1−α)^n).
      const part = (k: number) => (-1) ** (k - 1) * r * ((alpha - 1) ** k + (-1) ** (k - 1));
      upper.set(id, roundPy2(part(e.count) + alpha * gamma * nmaxOf(t)));
      lower.set(id, roundPy2(part(1) + alpha * gamma * nminOf(t)));
      reward.set(id, r);
      order.push(id);
    }
  }
  // Step 4: BFS from the start; bounds of unreached edges are 0.
  const U = (id: number) => upper.get(id) ?? 0;
  const L = (id: number) => lower.get(id) ?? 0;
  const kept = new Set(edges.map((e) => e.s * 4 + e.a));
  const start = layout.start[0] * n + layout.start[1];
  const bfs = [start];
  const visited = new Set<number>();
  let pops = 0;
  while (pops < bfs.length) {
    const node = bfs[pops++];
    visited.add(node);
    const succ = out(node).filter((e) => kept.has(e.s * 4 + e.a));
    if (succ.length === 1) {
      bfs.push(succ[0].t);
      continue;
    }
    const marked = new Set<number>();
    for (const e1 of succ) {
      for (const e2 of succ) {
        if (e1 === e2 || marked.has(e1.t) || marked.has(e2.t)) continue;
        if (U(e2.s * 4 + e2.a) <= L(e1.s * 4 + e1.a)) marked.add(e2.t);
        else if (!visited.has(e2.t) && !bfs.slice(pops).includes(e2.t)) bfs.push(e2.t);
      }
    }
    for (const e of succ) if (marked.has(e.t)) kept.delete(e.s * 4 + e.a);
  }
  const before = edges.length;
  const prunedPct = before > 0 ? roundPy2((100 * (before - kept.size)) / before) : 0;
  return {edges, upper, lower, reward, order, topo, kept, pops, prunedPct};
}
