/**
 * `lever answer`: one LEVER answer for any layout (lib/lever/answer.ts), the JSON the Search page
 * offers as answer.json: train the layout's library (8 reward systems × the budgets), embed, fit the
 * regressor, index with hnswlib, retrieve, compose, roll out, and compare with the from-scratch
 * baseline and the exact optimum. Flags are the page's URL keys. Progress (stage names) on stderr.
 */
import {ANSWER_SEED_MAX, ANSWER_SIZES, answer, STAGE_LABELS, type AnswerParams} from "../../lib/lever/answer.js";
import {CUSTOM_EPISODES} from "../../lib/lever/env/layout.js";
import type {ComposeMethod} from "../../lib/lever/compose/compose.js";
import type {Strategy} from "../../lib/lever/compose/strategy.js";
import type {GoldPenalty} from "../../lib/lever/env/rewards.js";
import type {DecompositionMode} from "../../lib/lever/retrieval/decompose.js";
import {loadHnswlibNode} from "../../runtime/hnsw-node.js";
import {int, log, parseFlags, print, required, text, UsageError, type Flags} from "../args.js";

export const usage = `answer    --size 8|16|32 --seed S (--spec X1[,X5,X10] | --episodes N | both) --query TEXT [--mode trivial|double|triple]
            [--method qsum|exnonzero|gpi] [--strategy targeted|exhaustive|hybrid] [--k 3]
            [--gold-penalty fractional|legacy]`;

export const ANSWER_FLAGS: Flags = {
  size: {type: "string", value: "8|16|32"},
  seed: {type: "string", value: "S"},
  spec: {type: "string", value: "X1,X5,X10"},
  episodes: {type: "string", value: `${CUSTOM_EPISODES.min}..${CUSTOM_EPISODES.max}`},
  query: {type: "string", value: "TEXT"},
  mode: {type: "string", value: "trivial|double|triple"},
  method: {type: "string", value: "qsum|exnonzero|gpi"},
  strategy: {type: "string", value: "targeted|exhaustive|hybrid"},
  k: {type: "string", value: "1..5"},
  "gold-penalty": {type: "string", value: "fractional|legacy"},
};

/** Flags → answer parameters (ranges checked here; names and lists by lib/lever/answer.ts). */
export function answerParams(argv: string[]): AnswerParams {
  const {values: v} = parseFlags("answer", argv, ANSWER_FLAGS);
  required("answer", v, "size", "seed", "query");
  if (v.spec === undefined && v.episodes === undefined) throw new UsageError("lever answer: missing --spec (X1, X5, X10 or a list) or --episodes N (a custom budget)");
  const size = int("size", v.size, 0, 1024);
  if (!ANSWER_SIZES.includes(size)) throw new UsageError(`invalid --size: ${size} (accepted: ${ANSWER_SIZES.join(", ")})`);
  const opt = (name: string) => (v[name] !== undefined ? text(v, name) : undefined);
  return {
    size,
    seed: int("seed", v.seed, 0, ANSWER_SEED_MAX),
    spec: v.spec !== undefined ? text(v, "spec") : "",
    episodes: v.episodes !== undefined ? int("episodes", v.episodes, CUSTOM_EPISODES.min, CUSTOM_EPISODES.max) : null,
    query: text(v, "query"),
    mode: opt("mode") as DecompositionMode | undefined,
    method: opt("method") as ComposeMethod | undefined,
    strategy: opt("strategy") as Strategy | undefined,
    k: v.k !== undefined ? int("k", v.k, 1, 5) : undefined,
    goldPenalty: opt("gold-penalty") as GoldPenalty | undefined,
  };
}

export async function run(argv: string[]): Promise<void> {
  const params = answerParams(argv);
  let last = "";
  const result = await answer(params, {
    hnswlib: await loadHnswlibNode(),
    onProgress: ({stage, done, total}) => {
      if (stage !== last || done === total) log(`answer: ${STAGE_LABELS[stage]} ${done}/${total}`);
      last = stage;
    },
  });
  print(result);
}
