/**
 * Reward systems of the reference LEVER GridWorld (spec/lever.md §1.3).
 *
 * A reward-system name is a '-'-joined set of components C ⊆ {path, gold, hazard, lever}. The eight
 * systems that get library policies are listed in REWARD_SYSTEMS; `combined` is the legacy alias for
 * path-gold. Names are parsed strictly: unknown components, duplicates and the reference's unused
 * synthetic systems ("R…", "…synthetic…") are errors.
 */

export const COMPONENTS = ["path", "gold", "hazard", "lever"] as const;
export type Component = (typeof COMPONENTS)[number];

/** The 8 reward systems of the library, in the reference's order (spec §1.3). */
export const REWARD_SYSTEMS = ["path", "gold", "hazard", "lever", "hazard-lever", "path-gold", "path-gold-hazard", "path-gold-hazard-lever"] as const;
export type RewardSystemName = (typeof REWARD_SYSTEMS)[number];

export interface RewardSystem {
  /** Canonical name: components in the order path, gold, hazard, lever. */
  readonly name: string;
  readonly path: boolean;
  readonly gold: boolean;
  readonly hazard: boolean;
  readonly lever: boolean;
}

/** Gold-exit penalty when gold remains: `fractional` = −10·missing/total (training), `legacy` = −20. */
export type GoldPenalty = "fractional" | "legacy";
export const GOLD_PENALTIES: readonly GoldPenalty[] = ["fractional", "legacy"];

export function parseGoldPenalty(value: string): GoldPenalty {
  if (value === "fractional" || value === "legacy") return value;
  throw new RangeError(`invalid gold penalty: ${JSON.stringify(value)} (accepted: fractional, legacy)`);
}

const ACCEPTED = `accepted: ${REWARD_SYSTEMS.join(", ")}, combined, or any '-'-joined set of path, gold, hazard, lever`;

/** Parse a reward-system name strictly (spec §1.3). Throws a one-line RangeError naming what is accepted. */
export function parseRewardSystem(name: string): RewardSystem {
  if (typeof name !== "string" || name.trim() === "") throw new RangeError(`invalid reward system: empty name (${ACCEPTED})`);
  const raw = name.trim();
  if (raw === "combined") return makeRewardSystem(["path", "gold"]);
  if (raw.startsWith("R") || raw.includes("synthetic")) {
    throw new RangeError(`invalid reward system: ${JSON.stringify(raw)} (synthetic reward systems are not supported; ${ACCEPTED})`);
  }
  const parts = raw.split("-");
  const seen = new Set<Component>();
  for (const p of parts) {
    if (!(COMPONENTS as readonly string[]).includes(p)) {
      throw new RangeError(`invalid reward system: ${JSON.stringify(raw)} (unknown component ${JSON.stringify(p)}; ${ACCEPTED})`);
    }
    if (seen.has(p as Component)) throw new RangeError(`invalid reward system: ${JSON.stringify(raw)} (component ${JSON.stringify(p)} repeated)`);
    seen.add(p as Component);
  }
  return makeRewardSystem([...seen]);
}

function makeRewardSystem(parts: Component[]): RewardSystem {
  const has = (c: Component) => parts.includes(c);
  const name = COMPONENTS.filter(has).join("-");
  return {name, path: has("path"), gold: has("gold"), hazard: has("hazard"), lever: has("lever")};
}

/** Parse a comma-separated list of reward systems (CLI `--rewards a,b`). */
export function parseRewardList(value: string): RewardSystem[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (names.length === 0) throw new RangeError(`invalid reward list: empty (${ACCEPTED})`);
  return names.map(parseRewardSystem);
}

/** Short labels used in tables (P+G, P+G+H, …). */
export function rewardLabel(name: string): string {
  return name
    .split("-")
    .map((c) => c[0].toUpperCase())
    .join("+");
}
