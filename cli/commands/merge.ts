/** `lever merge --out DIR SHARD_DIR...`: join shard outputs into exactly what one run writes. */
import {resolve} from "node:path";
import {mergeShards} from "../../runtime/experiment.js";
import {parseFlags, print, quote, required, text, UsageError} from "../args.js";

export const usage = "merge     --out DIR SHARD_DIR...: join shard outputs into what one run writes";

export async function run(argv: string[]): Promise<void> {
  const {values, positionals} = parseFlags("merge", argv, {out: {type: "string", value: "DIR"}}, {positionals: "SHARD_DIR..."});
  required("merge", values, "out");
  if (positionals.length === 0) throw new UsageError("lever merge: give one or more shard directories after --out DIR");
  const dirs = positionals.map((p) => resolve(p));
  const twice = dirs.find((d, i) => dirs.indexOf(d) !== i);
  if (twice !== undefined) throw new UsageError(`lever merge: shard directory ${quote(twice)} is given twice (give each once)`);
  const out = resolve(text(values, "out"));
  let merged: ReturnType<typeof mergeShards>;
  try {
    merged = mergeShards(dirs, out);
  } catch (e) {
    // The runtime's messages start with "merge: "; the CLI's one line already says "lever merge: ".
    if (e instanceof RangeError) throw new UsageError(e.message.replace(/^merge: /, ""));
    throw e;
  }
  print({out, ...merged});
}
