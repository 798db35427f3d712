/**
 * GridWorld layouts: the reference's exact layout sampler (spec/lever.md §1.5), the grid spec sets
 * (§1.6) and strict validation of user-supplied layouts.
 *
 * Coordinates are [row, col]; "down" increases row, "right" increases col; the flat index is r·N + c.
 */
import {PyRandom} from "../../core/rng.js";
import {pow} from "../../core/detmath.js";

export type Cell = [number, number];
export type Variant = "main" | "v3";
export const VARIANTS: readonly Variant[] = ["main", "v3"];

export interface Layout {
  size: number;
  start: Cell;
  exit: Cell;
  /** Each list in the order sampled. */
  hazards: Cell[];
  golds: Cell[];
  blocks: Cell[];
  lever: Cell | null;
}

export interface LayoutCounts {
  golds: number;
  blocks: number;
  hazards: number;
}

export interface SampledLayout extends Layout {
  /** Attempts used by the sampler (1-based); 0 means all 200 failed and the layout is unvalidated. */
  attempts: number;
}

/** Cell codes of the reference grid (§1.1). */
export const CELL = {empty: 0, gold: 1, block: -1, hazard: -2, lever: 2, exit: 10, agent: 7, start: 5} as const;

export function parseVariant(value: string): Variant {
  if (value === "main" || value === "v3") return value;
  throw new RangeError(`invalid variant: ${JSON.stringify(value)} (accepted: main, v3)`);
}

// ---------------------------------------------------------------------------------------------
// Spec sets (§1.6)

export interface Spec {
  /** X1, X5, X10 (the reference's budgets), or E<episodes> for a custom budget (`customSpec`). */
  name: string;
  episodes: number;
  epsDecay: number;
  saveEvery: number;
}

export interface SpecSet {
  name: string;
  size: number;
  variant: Variant;
  /** Discount used for training by default: 0.99 for [main] libraries, 0 for [v3] (support-limited). */
  gamma: number;
  counts: LayoutCounts;
  seeds: number[];
  specs: Spec[];
  description: string;
}

const MAIN_SPECS: Spec[] = [
  {name: "X1", episodes: 30_000, epsDecay: 0.99995, saveEvery: 1000},
  {name: "X5", episodes: 150_000, epsDecay: 0.99997, saveEvery: 1000},
  {name: "X10", episodes: 300_000, epsDecay: 0.99999, saveEvery: 1000},
];
const V3_SPECS: Spec[] = [
  {name: "X1", episodes: 10_000, epsDecay: 0.99954, saveEvery: 1000},
  {name: "X5", episodes: 50_000, epsDecay: 0.99991, saveEvery: 1000},
  {name: "X10", episodes: 100_000, epsDecay: 0.99995, saveEvery: 1000},
];
const SEEDS = [0, 1, 2, 3, 4];

export const SPEC_SETS: Record<string, SpecSet> = {
  grid16: {
    name: "grid16",
    size: 16,
    variant: "main",
    gamma: 0.99,
    counts: {golds: 50, blocks: 25, hazards: 30},
    seeds: SEEDS,
    specs: MAIN_SPECS,
    description: "[main] GRID_SPECS_16: 16×16, 50 golds, 25 blocks, 30 hazards (the ExNonZero tables)",
  },
  grid32: {
    name: "grid32",
    size: 32,
    variant: "main",
    gamma: 0.99,
    counts: {golds: 50, blocks: 25, hazards: 30},
    seeds: SEEDS,
    specs: MAIN_SPECS,
    description: "[main] GRID_SPECS_32: 32×32 with the 16×16 counts",
  },
  grid8: {name: "grid8", size: 8, variant: "v3", gamma: 0, counts: {golds: 6, blocks: 4, hazards: 4}, seeds: SEEDS, specs: V3_SPECS, description: "[v3] grid8: 8×8, 6 golds, 4 blocks, 4 hazards"},
  grid16_scaled: {
    name: "grid16_scaled",
    size: 16,
    variant: "v3",
    gamma: 0,
    counts: {golds: 24, blocks: 16, hazards: 16},
    seeds: SEEDS,
    specs: V3_SPECS,
    description: "[v3] grid16_scaled: 16×16, 24 golds, 16 blocks, 16 hazards (the paper's headline 16×16)",
  },
  grid16_small: {
    name: "grid16_small",
    size: 16,
    variant: "v3",
    gamma: 0,
    counts: {golds: 6, blocks: 4, hazards: 4},
    seeds: SEEDS,
    specs: V3_SPECS,
    description: "[v3] grid16_small: 16×16, 6 golds, 4 blocks, 4 hazards",
  },
  grid16_v3: {
    name: "grid16_v3",
    size: 16,
    variant: "v3",
    gamma: 0,
    counts: {golds: 25, blocks: 15, hazards: 15},
    seeds: SEEDS,
    specs: V3_SPECS,
    description: "[v3] grid16 (v3's spec of that name): 16×16, 25 golds, 15 blocks, 15 hazards",
  },
  grid32_v3: {
    name: "grid32_v3",
    size: 32,
    variant: "v3",
    gamma: 0,
    counts: {golds: 25, blocks: 15, hazards: 15},
    seeds: SEEDS,
    specs: V3_SPECS,
    description: "[v3] grid32 (v3's spec of that name): 32×32, 25 golds, 15 blocks, 15 hazards",
  },
};

export function parseSpecSet(name: string): SpecSet {
  const s = SPEC_SETS[name];
  if (!s || !Object.hasOwn(SPEC_SETS, name)) throw new RangeError(`invalid spec set: ${JSON.stringify(name)} (accepted: ${Object.keys(SPEC_SETS).join(", ")})`);
  return s;
}

export function parseSpecs(value: string, set: SpecSet): Spec[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new RangeError(`invalid specs: empty (accepted: ${set.specs.map((s) => s.name).join(", ")})`);
  return names.map((n) => {
    const spec = set.specs.find((s) => s.name === n);
    if (!spec) throw new RangeError(`invalid spec: ${JSON.stringify(n)} (accepted: ${set.specs.map((s) => s.name).join(", ")})`);
    return spec;
  });
}

/** Custom budgets: how many episodes a run may train (at least 3 snapshots of 1,000 episodes, §3.2). */
export const CUSTOM_EPISODES = {min: 3000, max: 1_000_000} as const;

/**
 * A custom training budget of `episodes` episodes (issue 11: "or a custom episode count"), named
 * `E<episodes>`. The reference has only X1/X5/X10, each with its own ε decay; a custom budget stretches
 * the spec set's X1 schedule to its length: ε decays per episode by X1's decay^(X1 episodes /
 * episodes), so that it ends where X1 ends (0.99995^30000 ≈ 0.22 on [main], 0.99954^10000 ≈ 0.01 on
 * [v3]), with snapshots every 1,000 episodes as X1. detmath `pow` keeps the decay bit-identical in Node
 * and browsers.
 */
export function customSpec(set: SpecSet, episodes: number): Spec {
  if (!Number.isSafeInteger(episodes) || episodes < CUSTOM_EPISODES.min || episodes > CUSTOM_EPISODES.max)
    throw new RangeError(`invalid episodes: ${JSON.stringify(episodes)} (expected an integer from ${CUSTOM_EPISODES.min} to ${CUSTOM_EPISODES.max})`);
  const x1 = set.specs.find((s) => s.name === "X1");
  if (!x1) throw new RangeError(`invalid spec set ${set.name}: no X1 budget to stretch`);
  return {name: `E${episodes}`, episodes, epsDecay: pow(x1.epsDecay, x1.episodes / episodes), saveEvery: x1.saveEvery};
}

/** Default object counts for a grid size: the spec set of that size (8 → grid8; 16, 32 → 50/25/30). */
export function defaultCounts(size: number): LayoutCounts | null {
  if (size === 8) return {...SPEC_SETS.grid8.counts};
  if (size === 16 || size === 32) return {...SPEC_SETS.grid16.counts};
  return null;
}

// ---------------------------------------------------------------------------------------------
// Sampler (§1.5)

const MAX_ATTEMPTS = 200;

/**
 * `sample_layout_for_seed`: exactly the reference's sampler, driven by CPython's Random(seed).
 * [main]: start (0,0), exit (N−1,N−1). [v3]: a shuffle of all N² cells gives start = [0], exit = [1].
 */
export function sampleLayout(size: number, seed: number, counts: LayoutCounts, variant: Variant = "main"): SampledLayout {
  validateSize(size);
  validateCounts(size, counts);
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`invalid seed: ${seed} (expected a non-negative integer)`);
  const rng = new PyRandom(seed);
  let start: Cell = [0, 0];
  let exit: Cell = [size - 1, size - 1];
  if (variant === "v3") {
    const all: Cell[] = [];
    for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) all.push([r, c]);
    rng.shuffle(all);
    start = all[0];
    exit = all[1];
  }
  const draw = (): Layout => {
    const cells: Cell[] = [];
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        if ((r === start[0] && c === start[1]) || (r === exit[0] && c === exit[1])) continue;
        cells.push([r, c]);
      }
    }
    rng.shuffle(cells);
    const {hazards: H, golds: G, blocks: B} = counts;
    return {
      size,
      start,
      exit,
      hazards: cells.slice(0, H),
      golds: cells.slice(H, H + G),
      blocks: cells.slice(H + G, H + G + B),
      lever: cells[H + G + B],
    };
  };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const layout = draw();
    if (isLayoutValid(layout)) return {...layout, attempts: attempt};
  }
  return {...draw(), attempts: 0};
}

/** Validity (§1.5 step 4): 4-neighbour paths avoiding hazards ∪ blocks S→E, S→lever and lever→E. */
export function isLayoutValid(layout: Layout): boolean {
  const {size, start, exit, lever} = layout;
  const walls = new Uint8Array(size * size);
  for (const [r, c] of layout.hazards) walls[r * size + c] = 1;
  for (const [r, c] of layout.blocks) walls[r * size + c] = 1;
  const reach = (from: Cell, to: Cell) => bfsDistances(size, walls, from[0] * size + from[1])[to[0] * size + to[1]] >= 0;
  if (!reach(start, exit)) return false;
  if (lever && (!reach(start, lever) || !reach(lever, exit))) return false;
  return true;
}

/**
 * 4-neighbour BFS distances from `source` over cells with walls[i] = 0; −1 where unreachable.
 * (Also the [v3] shaping maps of §1.4, with hazards and blocks as walls.)
 */
export function bfsDistances(size: number, walls: Uint8Array, source: number): Int32Array {
  const n = size * size;
  const dist = new Int32Array(n).fill(-1);
  if (walls[source]) return dist;
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  dist[source] = 0;
  queue[tail++] = source;
  while (head < tail) {
    const s = queue[head++];
    const r = (s / size) | 0;
    const c = s - r * size;
    const d = dist[s] + 1;
    if (r > 0 && !walls[s - size] && dist[s - size] < 0) (dist[s - size] = d), (queue[tail++] = s - size);
    if (r < size - 1 && !walls[s + size] && dist[s + size] < 0) (dist[s + size] = d), (queue[tail++] = s + size);
    if (c > 0 && !walls[s - 1] && dist[s - 1] < 0) (dist[s - 1] = d), (queue[tail++] = s - 1);
    if (c < size - 1 && !walls[s + 1] && dist[s + 1] < 0) (dist[s + 1] = d), (queue[tail++] = s + 1);
  }
  return dist;
}

// ---------------------------------------------------------------------------------------------
// Validation of layouts given by users (CLI --layout FILE, pages)

function validateSize(size: number): void {
  if (!Number.isInteger(size) || size < 3 || size > 128) throw new RangeError(`invalid size: ${size} (expected an integer from 3 to 128)`);
}

function validateCounts(size: number, counts: LayoutCounts): void {
  for (const k of ["golds", "blocks", "hazards"] as const) {
    const v = counts[k];
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`invalid ${k} count: ${v} (expected a non-negative integer)`);
  }
  const free = size * size - 2;
  const need = counts.golds + counts.blocks + counts.hazards + 1;
  if (need > free)
    throw new RangeError(`invalid counts: ${counts.golds} golds + ${counts.blocks} blocks + ${counts.hazards} hazards + 1 lever do not fit in the ${free} free cells of a ${size}×${size} grid`);
}

function isCell(x: unknown, size: number): x is Cell {
  return Array.isArray(x) && x.length === 2 && x.every((v) => Number.isInteger(v) && v >= 0 && v < size);
}

/**
 * Parse and validate a layout object (the JSON printed by `lever layout`). Every problem is reported
 * in one line naming the field; overlapping objects are rejected.
 */
export function parseLayout(input: unknown): Layout {
  const fail = (msg: string): never => {
    throw new RangeError(`malformed layout: ${msg}`);
  };
  if (typeof input !== "object" || input === null || Array.isArray(input)) fail("expected a JSON object with size, start, exit, hazards, golds, blocks, lever");
  const o = input as Record<string, unknown>;
  const size = o.size;
  if (!Number.isInteger(size) || (size as number) < 3 || (size as number) > 128) fail(`"size" must be an integer from 3 to 128, got ${JSON.stringify(size)}`);
  const n = size as number;
  const cell = (key: string): Cell => {
    if (!isCell(o[key], n)) fail(`"${key}" must be [row, col] with 0 ≤ row, col < ${n}, got ${JSON.stringify(o[key])}`);
    return [...(o[key] as Cell)] as Cell;
  };
  const list = (key: string): Cell[] => {
    const v = o[key] ?? [];
    if (!Array.isArray(v)) fail(`"${key}" must be a list of [row, col] cells`);
    return (v as unknown[]).map((x, i) => {
      if (!isCell(x, n)) fail(`"${key}"[${i}] must be [row, col] with 0 ≤ row, col < ${n}, got ${JSON.stringify(x)}`);
      return [...(x as Cell)] as Cell;
    });
  };
  const known = new Set(["size", "start", "exit", "hazards", "golds", "blocks", "lever", "attempts", "seed", "variant"]);
  for (const k of Object.keys(o)) if (!known.has(k)) fail(`unknown field ${JSON.stringify(k)} (accepted: size, start, exit, hazards, golds, blocks, lever)`);
  const layout: Layout = {
    size: n,
    start: cell("start"),
    exit: cell("exit"),
    hazards: list("hazards"),
    golds: list("golds"),
    blocks: list("blocks"),
    lever: o.lever === null || o.lever === undefined ? null : cell("lever"),
  };
  const owner = new Map<number, string>();
  const claim = (c: Cell, what: string) => {
    const k = c[0] * n + c[1];
    const prev = owner.get(k);
    if (prev) fail(`cell [${c[0]}, ${c[1]}] is both ${prev} and ${what}`);
    owner.set(k, what);
  };
  claim(layout.start, "start");
  claim(layout.exit, "exit");
  for (const c of layout.hazards) claim(c, "a hazard");
  for (const c of layout.golds) claim(c, "a gold");
  for (const c of layout.blocks) claim(c, "a block");
  if (layout.lever) claim(layout.lever, "the lever");
  return layout;
}

/** Strip sampler metadata: the layout object as printed by `lever layout`. */
export function layoutJSON(layout: Layout): Layout {
  const {size, start, exit, hazards, golds, blocks, lever} = layout;
  return {size, start, exit, hazards, golds, blocks, lever};
}
