/**
 * `lever optimum`: the exact optimum over monotone paths ([main]) of a layout and reward system. A [v3]
 * layout, or one whose exit no monotone path reaches, is a usage error (lib/lever/env/optimum.ts
 * `layoutOptimum`), not a `{"reward":null}` or a path into a hazard.
 */
import {GridWorld} from "../../lib/lever/env/gridworld.js";
import {sampleLayout, type Layout} from "../../lib/lever/env/layout.js";
import {layoutOptimum} from "../../lib/lever/env/optimum.js";
import {parseGoldPenalty, parseRewardSystem} from "../../lib/lever/env/rewards.js";
import {countsFrom, int, parseFlags, print, readLayout, required, SEED_MAX, text, UsageError, type Flags} from "../args.js";

export const usage = "optimum   (--layout FILE | --size N --seed S) --reward NAME [--gold-penalty fractional|legacy]";

const FLAGS: Flags = {
  layout: {type: "string", value: "FILE"},
  size: {type: "string", value: "N"},
  seed: {type: "string", value: "S"},
  reward: {type: "string", value: "NAME"},
  "gold-penalty": {type: "string", value: "fractional|legacy"},
  golds: {type: "string", value: "G"},
  blocks: {type: "string", value: "B"},
  hazards: {type: "string", value: "H"},
};

export async function run(argv: string[]): Promise<void> {
  const {values: v} = parseFlags("optimum", argv, FLAGS);
  required("optimum", v, "reward");
  let layout: Layout;
  if (v.layout !== undefined) {
    if (v.size !== undefined || v.seed !== undefined) throw new UsageError("lever optimum: give either --layout FILE or --size N --seed S, not both");
    layout = readLayout(text(v, "layout"));
  } else {
    if (v.size === undefined || v.seed === undefined) throw new UsageError("lever optimum: give --layout FILE or both --size N and --seed S");
    const size = int("size", v.size, 3, 128);
    layout = sampleLayout(size, int("seed", v.seed, 0, SEED_MAX), countsFrom(v, size), "main");
  }
  const goldPenalty = parseGoldPenalty(v["gold-penalty"] !== undefined ? text(v, "gold-penalty") : "fractional");
  const res = layoutOptimum(new GridWorld(layout, parseRewardSystem(text(v, "reward")), {goldPenalty}));
  print({reward: res.reward, path: res.path});
}
