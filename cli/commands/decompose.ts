/**
 * `lever decompose`: the objective → sub-queries step of the Search page (lib/lever/retrieval/decompose.ts)
 * without a browser. Prints `{target, objectives, subQueries}`: the target reward system's name (e.g.
 * `path-gold`), its objectives in canonical order and the sub-queries, verbatim strings of the mode's
 * policy list. An objective it cannot map is a usage error (one line, exit 2, nothing on stdout).
 */
import {decomposeQuery, DETECTION_METHODS, parseDecompositionMode, parseDetectionMethod} from "../../lib/lever/retrieval/decompose.js";
import {parseFlags, print, required, text, type Flags} from "../args.js";

export const usage = `decompose --query TEXT [--mode trivial|double|triple] [--method ${DETECTION_METHODS.join("|")}]`;

const FLAGS: Flags = {
  query: {type: "string", value: "TEXT"},
  mode: {type: "string", value: "trivial|double|triple"},
  method: {type: "string", value: DETECTION_METHODS.join("|")},
};

export async function run(argv: string[]): Promise<void> {
  const {values: v} = parseFlags("decompose", argv, FLAGS);
  required("decompose", v, "query");
  const mode = parseDecompositionMode(v.mode !== undefined ? text(v, "mode") : "trivial");
  const method = parseDetectionMethod(v.method !== undefined ? text(v, "method") : "clauses");
  const d = decomposeQuery(text(v, "query"), mode, {method});
  print({target: d.target, objectives: d.objectives, subQueries: d.subQueries});
}
