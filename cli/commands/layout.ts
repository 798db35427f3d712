/** `lever layout`: the reference layout of a seed, as JSON. */
import {layoutJSON, parseVariant, sampleLayout} from "../../lib/lever/env/layout.js";
import {countsFrom, int, parseFlags, print, required, SEED_MAX, text, type Flags} from "../args.js";

export const usage = "layout    --size N --seed S [--variant main|v3] [--golds G --blocks B --hazards H]";

const FLAGS: Flags = {
  size: {type: "string", value: "N"},
  seed: {type: "string", value: "S"},
  variant: {type: "string", value: "main|v3"},
  golds: {type: "string", value: "G"},
  blocks: {type: "string", value: "B"},
  hazards: {type: "string", value: "H"},
};

export async function run(argv: string[]): Promise<void> {
  const {values: v} = parseFlags("layout", argv, FLAGS);
  required("layout", v, "size", "seed");
  const size = int("size", v.size, 3, 128);
  const seed = int("seed", v.seed, 0, SEED_MAX);
  const variant = parseVariant(v.variant !== undefined ? text(v, "variant") : "main");
  print(layoutJSON(sampleLayout(size, seed, countsFrom(v, size), variant)));
}
