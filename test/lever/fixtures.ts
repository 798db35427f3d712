// The hand-made 5×5 [main] layout shared by the environment, feature and successor-feature tests:
//   S g . B .
//   . g L . .
//   . . . H .
//   . . . . .
//   . . . . E
import type {Layout} from "../../lib/lever/env/layout.js";
import type {RunParams} from "../../lib/lever/library/runs.js";

export const L5: Layout = {
  size: 5,
  start: [0, 0],
  exit: [4, 4],
  golds: [
    [0, 1],
    [1, 1],
  ],
  blocks: [[0, 3]],
  hazards: [[2, 3]],
  lever: [1, 2],
};

/** [main] actions: right, down, right×2, down×2. */
export const RIGHT = 0;
export const DOWN = 1;
export const RIGHT2 = 2;
export const DOWN2 = 3;

/** The grid16 layouts' counts of spec §1.1 (16×16: 50 golds, 25 blocks, 30 hazards). */
export const C16 = {golds: 50, blocks: 25, hazards: 30};

/** A short grid16 X1 library run (5,000 episodes, the reference's rule and hyper-parameters otherwise): add a reward and a seed. */
export const GRID16_SHORT_RUN: Omit<RunParams, "reward" | "seed"> = {
  specSet: "grid16",
  spec: "X1",
  size: 16,
  variant: "main",
  counts: C16,
  episodes: 5000,
  epsDecay: 0.99995,
  saveEvery: 1000,
  gamma: 0.99,
  alpha: 0.1,
  rule: "reference",
  goldPenalty: "fractional",
  keep: "policies",
  trainSeed: 0,
};
