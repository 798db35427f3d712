/** `lever replay`: a sequence of actions in a layout, step by step. */
import {GridWorld, replay} from "../../lib/lever/env/gridworld.js";
import {parseVariant} from "../../lib/lever/env/layout.js";
import {parseGoldPenalty, parseRewardSystem} from "../../lib/lever/env/rewards.js";
import {actionList, parseFlags, print, readLayout, required, text, type Flags} from "../args.js";

export const usage = "replay    --layout FILE --reward NAME --actions 0,1,3,... [--gold-penalty fractional|legacy] [--variant main|v3]";

const FLAGS: Flags = {
  layout: {type: "string", value: "FILE"},
  reward: {type: "string", value: "NAME"},
  actions: {type: "string", value: "0,1,3,..."},
  "gold-penalty": {type: "string", value: "fractional|legacy"},
  variant: {type: "string", value: "main|v3"},
};

export async function run(argv: string[]): Promise<void> {
  const {values: v} = parseFlags("replay", argv, FLAGS);
  required("replay", v, "layout", "reward", "actions");
  const layout = readLayout(text(v, "layout"));
  const rs = parseRewardSystem(text(v, "reward"));
  const actions = actionList(text(v, "actions"), layout.size * layout.size, layout.size);
  const goldPenalty = parseGoldPenalty(v["gold-penalty"] !== undefined ? text(v, "gold-penalty") : "fractional");
  const variant = parseVariant(v.variant !== undefined ? text(v, "variant") : "main");
  print(replay(new GridWorld(layout, rs, {goldPenalty, variant}), actions));
}
