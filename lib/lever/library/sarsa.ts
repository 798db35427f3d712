/**
 * Tabular training of the library policies (spec/lever.md §2.1–§2.3), on typed arrays, seeded.
 *
 * The faithful default is the reference's loop, `rule: "reference"`:
 *   a  = εgreedy(s); step → s', r; a' = εgreedy(s') (a fresh draw, then discarded);
 *   Q[s,a] ← (1−α)Q[s,a] + α(r + γQ[s',a']); count the edge s→s' if s ≠ s'; s ← s'; stop when done.
 * ε starts at 1, decays once per episode, ε ← max(ε·decay, 0.01); Q starts at zeros; at most N² steps.
 * Named alternatives: `sarsa` (textbook on-policy SARSA: the next behaviour action is a') and
 * `qlearning` (target max_a' Q[s',a']). The reference's ε-greedy draw is a uniform test, then a
 * uniform action. We draw one 32-bit word u from a seeded sfc32 stream: explore iff u < ε·2³², and the
 * random action is u's low two bits, which given the test are uniform up to 4/(ε·2³²) < 10⁻⁷ (the
 * reference's numpy stream was never seeded, so no stream can match it; the distribution does).
 *
 * Every `saveEvery` episodes (episode % saveEvery == 0) a snapshot is taken after that episode: the
 * greedy reward (§2.3), a copy of Q, the cumulative visited-transition counts (edges s→s' indexed by
 * (s, a), since moves are deterministic) and that episode's action sequence (replaying it through the
 * environment regenerates its grids for π2vec). Training time is the summed per-episode loop time,
 * excluding snapshots and evaluation, as in the reference.
 *
 * The hot loop inlines the generator and the ε-greedy argmax: it is the project's throughput
 * bottleneck (see README, Performance).
 */
import {type GridWorld, greedyReturn, KIND_HAZARD, KIND_PLAIN, N_ACTIONS} from "../env/gridworld.js";
import {Rng} from "../../core/rng.js";

export type UpdateRule = "reference" | "sarsa" | "qlearning";
export const UPDATE_RULES: readonly UpdateRule[] = ["reference", "sarsa", "qlearning"];

export function parseUpdateRule(value: string): UpdateRule {
  if ((UPDATE_RULES as readonly string[]).includes(value)) return value as UpdateRule;
  throw new RangeError(`invalid update rule: ${JSON.stringify(value)} (accepted: ${UPDATE_RULES.join(", ")})`);
}

export interface TrainParams {
  /** Number of training episodes. */
  episodes: number;
  /** Learning rate α (0.1). */
  alpha?: number;
  /** Discount γ (0.99 [main], 0 [v3]). */
  gamma?: number;
  /** Initial ε (1.0), 0 < ε ≤ 1. */
  epsStart?: number;
  /** Multiplicative ε decay per episode. */
  epsDecay: number;
  /** ε floor (0.01), 0 < ε ≤ 1. */
  epsMin?: number;
  /** Snapshot period in episodes (1000); 0 disables snapshots. */
  saveEvery?: number;
  rule?: UpdateRule;
  /** Seed of the training stream. */
  seed: number;
}

export interface SnapshotView {
  episode: number;
  /** Greedy reward of Q after this episode. */
  reward: number;
  /** Cumulative training time in seconds up to and including this episode. */
  time: number;
  /** Views into live buffers: copy them if they must outlive the callback. */
  q: Float64Array;
  counts: Uint32Array;
  actions: Uint8Array;
}

export interface TrainResult {
  q: Float64Array;
  counts: Uint32Array;
  /** Greedy reward of the final Q. */
  finalReward: number;
  /** Cumulative training time (s). */
  time: number;
  /** Total environment steps taken during training. */
  steps: number;
  epsilon: number;
}

export interface TrainHooks {
  onSnapshot?: (snap: SnapshotView) => void;
  /** Called every `progressEvery` episodes with the episode count done. */
  onProgress?: (episodesDone: number) => void;
  progressEvery?: number;
  /** Clock in milliseconds (defaults to performance.now). */
  now?: () => number;
}

function validate(p: TrainParams): Required<TrainParams> {
  const full: Required<TrainParams> = {alpha: 0.1, gamma: 0.99, epsStart: 1.0, epsMin: 0.01, saveEvery: 1000, rule: "reference", ...p};
  if (!Number.isInteger(full.episodes) || full.episodes < 1) throw new RangeError(`invalid episodes: ${full.episodes} (expected a positive integer)`);
  if (!(full.alpha > 0 && full.alpha <= 1)) throw new RangeError(`invalid alpha: ${full.alpha} (expected 0 < α ≤ 1)`);
  if (!(full.gamma >= 0 && full.gamma <= 1)) throw new RangeError(`invalid gamma: ${full.gamma} (expected 0 ≤ γ ≤ 1)`);
  if (!(full.epsDecay > 0 && full.epsDecay <= 1)) throw new RangeError(`invalid epsDecay: ${full.epsDecay} (expected 0 < decay ≤ 1)`);
  // The kernel's int32 threshold ⌈ε·2³²⌉ − 1 − 2³¹ wraps outside 0 < ε ≤ 1 (ε = 0 would explore on every draw).
  if (!(full.epsStart > 0 && full.epsStart <= 1)) throw new RangeError(`invalid epsStart: ${full.epsStart} (expected 0 < ε ≤ 1)`);
  if (!(full.epsMin > 0 && full.epsMin <= 1)) throw new RangeError(`invalid epsMin: ${full.epsMin} (expected 0 < ε ≤ 1)`);
  if (!Number.isInteger(full.saveEvery) || full.saveEvery < 0) throw new RangeError(`invalid saveEvery: ${full.saveEvery}`);
  parseUpdateRule(full.rule);
  return full;
}

/** Train one tabular policy. Synchronous; see `trainAsync` for a yielding version. */
export function train(env: GridWorld, params: TrainParams, hooks: TrainHooks = {}): TrainResult {
  const p = validate(params);
  const run = new Trainer(env, p, hooks);
  run.runEpisodes(p.episodes);
  return run.finish();
}

/**
 * Same as `train`, yielding to the event loop between chunks of episodes; `onProgress` may return
 * `false` to stop early (the result then covers the episodes done).
 */
export async function trainAsync(
  env: GridWorld,
  params: TrainParams,
  hooks: Omit<TrainHooks, "onProgress"> & {onProgress?: (done: number) => boolean | void; chunk?: number} = {},
): Promise<TrainResult> {
  const p = validate(params);
  const run = new Trainer(env, p, hooks);
  const chunk = hooks.chunk ?? 500;
  while (run.episode < p.episodes) {
    run.runEpisodes(Math.min(chunk, p.episodes - run.episode));
    if (hooks.onProgress?.(run.episode) === false) break;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return run.finish();
}

/** Step-by-step trainer: `runEpisodes(n)` advances; `finish()` evaluates the final Q. */
export class Trainer {
  readonly q: Float64Array;
  readonly counts: Uint32Array;
  episode = 0;
  epsilon: number;
  time = 0;
  steps = 0;
  private readonly rng: Rng;
  private readonly actions: Uint8Array;

  constructor(
    readonly env: GridWorld,
    readonly p: Required<TrainParams>,
    readonly hooks: TrainHooks = {},
  ) {
    this.q = new Float64Array(env.nStates * N_ACTIONS);
    this.counts = new Uint32Array(env.nStates * N_ACTIONS);
    this.epsilon = p.epsStart;
    this.rng = new Rng(p.seed, 0x5a25a);
    this.actions = new Uint8Array(env.maxSteps);
  }

  runEpisodes(n: number): void {
    const {env, q, counts, p, hooks, actions} = this;
    const now = hooks.now ?? (() => performance.now());
    const maxSteps = env.maxSteps;
    const v3 = env.isV3;
    const next = env.next;
    const kind = env.kind;
    const plain = env.plainReward;
    const blockReward = env.blockReward;
    const alpha = p.alpha;
    const keep = 1 - alpha;
    const gamma = p.gamma;
    const decay = p.epsDecay;
    const epsMin = p.epsMin;
    const saveEvery = p.saveEvery;
    const rule = p.rule === "reference" ? 0 : p.rule === "sarsa" ? 1 : 2;
    const progressEvery = hooks.progressEvery ?? 0;
    // sfc32 state, inlined (see rng.ts).
    const rng = this.rng;
    let ra = rng.a,
      rb = rng.b,
      rc = rng.c,
      rd = rng.d;
    let eps = this.epsilon;
    let steps = this.steps;
    const end = this.episode + n;
    // The clock is read only around snapshots and at the ends of the chunk: the time between is the
    // sum of the per-episode loop times the reference reports, without a clock call per episode.
    let t0 = now();
    for (let episode = this.episode; episode < end; episode++) {
      const record = saveEvery > 0 && episode % saveEvery === 0;
      // ε as an int32 threshold: for a uniform 32-bit word u, explore iff u < ε·2³² ⇔ u ≤ ⌈ε·2³²⌉ − 1;
      // flipping the sign bit maps unsigned order to signed order, so the test stays in int32.
      const epsS = (Math.ceil(eps * 4294967296) - 1 - 2147483648) | 0;
      env.reset();
      let s = env.start;
      // a = εgreedy(s)
      let a: number;
      let len = 0;
      // Draw the first action.
      {
        const t = (((ra + rb) | 0) + rd) | 0;
        rd = (rd + 1) | 0;
        ra = rb ^ (rb >>> 9);
        rb = (rc + (rc << 3)) | 0;
        rc = (rc << 21) | (rc >>> 11);
        rc = (rc + t) | 0;
        if ((t ^ -2147483648) <= epsS) {
          a = t & 3;
        } else {
          const o = s * 4;
          a = 0;
          let v = q[o];
          if (q[o + 1] > v) (v = q[o + 1]), (a = 1);
          if (q[o + 2] > v) (v = q[o + 2]), (a = 2);
          if (q[o + 3] > v) a = 3;
        }
      }
      for (let k = 0; k < maxSteps; k++) {
        // env.step(a), with the common [main] cases inlined (same arithmetic as GridWorld.step):
        // blocked/out of bounds, a plain cell, a hazard; gold, lever and exit go through the env.
        // The kernel owns the env during training and keeps position and termination in locals
        // (env.pos / env.steps are not maintained here; every evaluation starts with env.reset()).
        let r: number;
        let s2: number;
        let done = false;
        if (v3) {
          r = env.step(a);
          s2 = env.pos;
          done = env.done;
        } else {
          const t = next[s * 4 + a];
          if (t < 0) {
            r = blockReward;
            s2 = s;
          } else {
            s2 = t;
            const kd = kind[t];
            if (kd === KIND_PLAIN) r = plain[t];
            else if (kd === KIND_HAZARD) {
              env.hazardSteps++;
              done = true;
              r = -100;
            } else {
              r = env.enterSpecial(t, kd);
              done = env.done;
            }
          }
        }
        // a' = εgreedy(s')
        let a2: number;
        let t = (((ra + rb) | 0) + rd) | 0;
        rd = (rd + 1) | 0;
        ra = rb ^ (rb >>> 9);
        rb = (rc + (rc << 3)) | 0;
        rc = (rc << 21) | (rc >>> 11);
        rc = (rc + t) | 0;
        const o2 = s2 * 4;
        if ((t ^ -2147483648) <= epsS) {
          a2 = t & 3;
        } else {
          a2 = 0;
          let v = q[o2];
          if (q[o2 + 1] > v) (v = q[o2 + 1]), (a2 = 1);
          if (q[o2 + 2] > v) (v = q[o2 + 2]), (a2 = 2);
          if (q[o2 + 3] > v) a2 = 3;
        }
        let target: number;
        if (rule === 2) {
          let m = q[o2];
          if (q[o2 + 1] > m) m = q[o2 + 1];
          if (q[o2 + 2] > m) m = q[o2 + 2];
          if (q[o2 + 3] > m) m = q[o2 + 3];
          target = r + gamma * m;
        } else {
          target = r + gamma * q[o2 + a2];
        }
        const i = s * 4 + a;
        q[i] = keep * q[i] + alpha * target;
        if (s2 !== s) counts[i]++;
        if (record) actions[len] = a;
        len++;
        s = s2;
        if (done) break;
        if (rule === 1) {
          a = a2;
        } else {
          // The reference discards a' and draws the behaviour action afresh.
          t = (((ra + rb) | 0) + rd) | 0;
          rd = (rd + 1) | 0;
          ra = rb ^ (rb >>> 9);
          rb = (rc + (rc << 3)) | 0;
          rc = (rc << 21) | (rc >>> 11);
          rc = (rc + t) | 0;
          if ((t ^ -2147483648) <= epsS) {
            a = t & 3;
          } else {
            const o = s * 4;
            a = 0;
            let v = q[o];
            if (q[o + 1] > v) (v = q[o + 1]), (a = 1);
            if (q[o + 2] > v) (v = q[o + 2]), (a = 2);
            if (q[o + 3] > v) a = 3;
          }
        }
      }
      steps += len;
      eps = eps * decay;
      if (eps < epsMin) eps = epsMin;
      if (record && hooks.onSnapshot) {
        const t1 = now();
        this.time += (t1 - t0) / 1000;
        // The greedy evaluation resets the env; nothing of the training episode is needed after this.
        const reward = greedyReturn(env, q);
        hooks.onSnapshot({episode, reward, time: this.time, q, counts, actions: actions.subarray(0, len)});
        t0 = now();
      }
      if (progressEvery > 0 && (episode + 1) % progressEvery === 0) hooks.onProgress?.(episode + 1);
    }
    this.time += (now() - t0) / 1000;
    rng.a = ra;
    rng.b = rb;
    rng.c = rc;
    rng.d = rd;
    this.epsilon = eps;
    this.steps = steps;
    this.episode = end;
  }

  finish(): TrainResult {
    return {
      q: this.q,
      counts: this.counts,
      finalReward: greedyReturn(this.env, this.q),
      time: this.time,
      steps: this.steps,
      epsilon: this.epsilon,
    };
  }
}
