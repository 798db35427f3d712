// A plain implementation of spec/lever.md §2.1 on GridWorld.step (the environment's own step, not the kernel's
// inlined copy), drawing from the same seeded stream as lib/lever/library/sarsa.ts documents (sfc32
// `Rng(seed, 0x5a25a)`, one 32-bit word u per ε-greedy draw: explore iff u < ε·2³², the random action is u & 3,
// else the first argmax; every rule draws a′, Q-learning and the reference rule then discard it). Shared by
// sarsa.test.ts and sarsa-mutants.test.ts; it records nothing from the kernel.
import {Rng} from "../../../lib/core/rng.js";
import type {GridWorld} from "../../../lib/lever/env/gridworld.js";
import type {UpdateRule} from "../../../lib/lever/library/sarsa.js";

export const TWO32 = 4294967296;

export interface ModelParams {
  episodes: number;
  alpha: number;
  gamma: number;
  epsStart: number;
  epsDecay: number;
  epsMin: number;
  rule: UpdateRule;
  seed: number;
}

export interface EpisodeRecord {
  actions: number[];
  q: Float64Array;
  counts: Uint32Array;
  hazardSteps: number;
  goldRemaining: number;
  leverCollected: boolean;
}

/**
 * Spec §2.1 step by step on `env.step`. `edgeExplores: false` turns the ε test into u < ε·2³² − 1 (used only to
 * show that a test sits exactly on the edge u = ⌈ε·2³²⌉ − 1).
 */
export function replaySarsa(env: GridWorld, p: ModelParams, edgeExplores = true) {
  const rng = new Rng(p.seed, 0x5a25a);
  const q = new Float64Array(env.nStates * 4);
  const counts = new Uint32Array(env.nStates * 4);
  const argmax = (s: number) => {
    let a = 0;
    for (let b = 1; b < 4; b++) if (q[s * 4 + b] > q[s * 4 + a]) a = b;
    return a;
  };
  let ties = 0;
  let bootstrapDiffers = 0;
  const draw = (s: number, eps: number) => {
    const u = rng.nextUint32();
    if (edgeExplores ? u < eps * TWO32 : u < eps * TWO32 - 1) return u & 3;
    const a = argmax(s);
    const best = q[s * 4 + a];
    for (let b = a + 1; b < 4; b++) if (q[s * 4 + b] === best) ties++;
    return a;
  };
  let eps = p.epsStart;
  let steps = 0;
  const episodes: EpisodeRecord[] = [];
  for (let e = 0; e < p.episodes; e++) {
    env.reset();
    let s = env.pos;
    let a = draw(s, eps);
    const actions: number[] = [];
    for (let k = 0; k < env.maxSteps; k++) {
      const r = env.step(a);
      const s2 = env.pos;
      const a2 = draw(s2, eps);
      const boot = p.rule === "qlearning" ? Math.max(q[s2 * 4], q[s2 * 4 + 1], q[s2 * 4 + 2], q[s2 * 4 + 3]) : q[s2 * 4 + a2];
      if (boot !== q[s2 * 4 + a]) bootstrapDiffers++;
      q[s * 4 + a] = (1 - p.alpha) * q[s * 4 + a] + p.alpha * (r + p.gamma * boot);
      if (s2 !== s) counts[s * 4 + a]++;
      actions.push(a);
      steps++;
      s = s2;
      if (env.done) break;
      a = p.rule === "sarsa" ? a2 : draw(s, eps);
    }
    episodes.push({actions, q: q.slice(), counts: counts.slice(), hazardSteps: env.hazardSteps, goldRemaining: env.goldRemaining, leverCollected: env.leverCollected});
    eps = Math.max(eps * p.epsDecay, p.epsMin);
  }
  return {episodes, steps, eps, ties, bootstrapDiffers};
}
