// The hand-made 5×5 [main] layout shared by the environment, feature and successor-feature tests:
//   S g . B .
//   . g L . .
//   . . . H .
//   . . . . .
//   . . . . E
import type {Layout} from "../../lib/lever/env/layout.js";

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
