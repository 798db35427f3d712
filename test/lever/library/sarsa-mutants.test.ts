// Tests that kill the mutants StrykerJS left alive in lib/lever/library/sarsa.ts (`npm run mutate -- --mutate
// lib/lever/library/sarsa.ts --ignoreStatic`); the equivalent ones are listed with their reason in test/MUTANTS.md.
//
// The main check is model-based: `replaySarsa` (sarsa-replay.ts) is a plain implementation of spec/lever.md §2.1 on
// GridWorld.step (the environment's own step, not the kernel's inlined copy), drawing from the same seeded
// stream as the module documents (sfc32 `Rng(seed, 0x5a25a)`, one 32-bit word u per ε-greedy draw: explore
// iff u < ε·2³², the random action is u & 3, else the first argmax). Every episode of the kernel (its action
// sequence, Q and the cumulative counts after it, and the env's gold/lever/hazard counters at its end) is
// compared with the replay, for each update rule, in [main] and in [v3] (whose start is not cell 0), with γ > 0
// so that the bootstrap action matters.
import {describe, expect, it} from "vitest";
import {Rng} from "../../../lib/core/rng.js";
import {GridWorld, greedyReturn} from "../../../lib/lever/env/gridworld.js";
import {type Layout, sampleLayout} from "../../../lib/lever/env/layout.js";
import {parseUpdateRule, Trainer, type TrainParams, train, trainAsync, UPDATE_RULES, type UpdateRule} from "../../../lib/lever/library/sarsa.js";
import {type ModelParams, replaySarsa, TWO32} from "./sarsa-replay.js";

const L16 = sampleLayout(16, 0, {golds: 50, blocks: 25, hazards: 30});
/** A [v3] layout whose start is cell 233 = (14, 9), far from cell 0. */
const V16 = sampleLayout(16, 1, {golds: 50, blocks: 25, hazards: 30}, "v3");
const small: Layout = sampleLayout(6, 3, {golds: 5, blocks: 3, hazards: 3});
/**
 * 4×4, hazards right of and below the start, a gold two rows down: under path-gold the start's Q ranks down ×2 first
 * and right ×2 second (the greedy first action compares all four entries of the start row).
 */
const TRAP: Layout = {
  size: 4,
  start: [0, 0],
  exit: [3, 3],
  hazards: [
    [0, 1],
    [1, 0],
  ],
  golds: [[2, 0]],
  blocks: [],
  lever: null,
};

const base = {alpha: 0.1, epsStart: 1, epsMin: 0.01};

/** Index of the first entry that differs (Object.is: −0 ≠ +0, as toEqual), or −1 (a plain loop: toEqual on 120 Q-tables is slow). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe("train matches a step-by-step replay of spec §2.1 (γ > 0), episode by episode", () => {
  const cases = [
    {label: "[main]", layout: L16, variant: "main" as const, systems: ["path-gold", "path-gold-hazard-lever", "hazard-lever"]},
    // 6×6: the greedy first action is often right ×2 or down ×2 (a larger share of the routes).
    {label: "[main] 6×6", layout: small, variant: "main" as const, systems: ["path", "hazard"]},
    {label: "[main] 4×4 trap", layout: TRAP, variant: "main" as const, systems: ["path-gold"]},
    {label: "[v3]", layout: V16, variant: "v3" as const, systems: ["path-gold", "path-gold-hazard-lever"]},
  ];
  for (const {label, layout, variant, systems} of cases) {
    it(`${label}: actions, Q and counts after every episode, for every rule`, () => {
      let tiesSeen = 0;
      for (const rule of UPDATE_RULES) {
        for (const name of systems) {
          // A fast ε decay: greedy choices (and argmax ties between untried actions) start early.
          const p: ModelParams = {...base, episodes: 120, gamma: 0.9, epsDecay: 0.95, rule, seed: 7};
          const model = replaySarsa(new GridWorld(layout, name, {variant}), p);
          tiesSeen += model.ties;
          const env = new GridWorld(layout, name, {variant});
          const got: {episode: number; actions: number[]; q: Float64Array; counts: Uint32Array; reward: number}[] = [];
          const res = train(env, {...p, saveEvery: 1}, {onSnapshot: (s) => got.push({episode: s.episode, actions: [...s.actions], q: s.q.slice(), counts: s.counts.slice(), reward: s.reward})});
          const tag = `${label} ${rule}/${name}`;
          expect(got.map((g) => g.episode)).toEqual(model.episodes.map((_, e) => e));
          const evalEnv = new GridWorld(layout, name, {variant});
          for (let e = 0; e < p.episodes; e++) {
            const m = model.episodes[e];
            expect(got[e].actions, `${tag} episode ${e}: actions`).toEqual(m.actions);
            expect(firstDifference(got[e].q, m.q), `${tag} episode ${e}: first index where Q differs`).toBe(-1);
            expect(firstDifference(got[e].counts, m.counts), `${tag} episode ${e}: first index where counts differ`).toBe(-1);
            expect(got[e].reward, `${tag} episode ${e}: greedy reward (§2.3)`).toBe(greedyReturn(evalEnv, m.q));
          }
          expect(res.steps, tag).toBe(model.steps);
          expect(res.epsilon, tag).toBe(model.eps);
          expect(Array.from(res.q), tag).toEqual(Array.from(model.episodes.at(-1)!.q));
        }
      }
      if (layout !== TRAP) expect(tiesSeen, `${label}: the replays break argmax ties`).toBeGreaterThan(50);
    });

    it(`${label}: the env's gold, lever and hazard counters at the end of every training episode are GridWorld.step's`, () => {
      for (const name of systems) {
        const p: ModelParams = {...base, episodes: 150, gamma: 0.99, epsDecay: 0.97, rule: "reference", seed: 2};
        const model = replaySarsa(new GridWorld(layout, name, {variant}), p);
        expect(model.episodes.filter((e) => e.hazardSteps > 0).length, `${label} ${name}: some episodes end on a hazard`).toBeGreaterThan(10);
        const env = new GridWorld(layout, name, {variant});
        const seen: {hazardSteps: number; goldRemaining: number; leverCollected: boolean}[] = [];
        const run = new Trainer(
          env,
          {...p, saveEvery: 0},
          {progressEvery: 1, onProgress: () => seen.push({hazardSteps: env.hazardSteps, goldRemaining: env.goldRemaining, leverCollected: env.leverCollected})},
        );
        run.runEpisodes(p.episodes);
        expect(seen, `${label} ${name}`).toEqual(model.episodes.map(({hazardSteps, goldRemaining, leverCollected}) => ({hazardSteps, goldRemaining, leverCollected})));
      }
    });
  }
});

it("the 4×4 trap: after a few episodes the greedy first action is down ×2, with right ×2 second", () => {
  const p: ModelParams = {...base, episodes: 120, gamma: 0.9, epsDecay: 0.95, rule: "reference", seed: 7};
  const {episodes} = replaySarsa(new GridWorld(TRAP, "path-gold"), p);
  const ranked = episodes.filter(({q}) => q[3] > q[2] && q[2] > Math.max(q[0], q[1])).length;
  expect(ranked).toBeGreaterThan(50);
});

describe("the ε test is u < ε·2³² exactly (u = ⌈ε·2³²⌉ − 1 explores)", () => {
  // ε·2³² = w + 1 for a word w the stream draws (exact in binary64), so that draw sits on the edge: it must
  // explore (action w & 3), not take the argmax. Each draw site of the kernel is put on the edge in turn: the
  // first action of an episode (word 0), the bootstrap draw a′ that SARSA then takes (word 1), and the
  // reference's fresh behaviour draw after a′ is discarded (word 2).
  const sites: {site: string; rule: UpdateRule; word: number}[] = [
    {site: "first action", rule: "reference", word: 0},
    {site: "a′ (taken by sarsa)", rule: "sarsa", word: 1},
    {site: "fresh behaviour draw (reference)", rule: "reference", word: 2},
  ];
  for (const {site, rule, word} of sites) {
    it(site, () => {
      const seed = 4;
      const rng = new Rng(seed, 0x5a25a);
      let w = 0;
      for (let i = 0; i <= word; i++) w = rng.nextUint32();
      const p: ModelParams = {...base, episodes: 1, gamma: 0.99, epsStart: (w + 1) / TWO32, epsDecay: 0.9, rule, seed};
      const onEdge = replaySarsa(new GridWorld(L16, "path-gold"), p).episodes[0].actions;
      const offEdge = replaySarsa(new GridWorld(L16, "path-gold"), p, false).episodes[0].actions;
      expect(onEdge, "the edge draw decides an action").not.toEqual(offEdge);
      let got: number[] = [];
      train(new GridWorld(L16, "path-gold"), {...p, saveEvery: 1}, {onSnapshot: (s) => (got = [...s.actions])});
      expect(got).toEqual(onEdge);
    });
  }
});

describe("parameter validation: each bound exactly at and just past its edge", () => {
  const env = new GridWorld(small, "path");
  const ok = {episodes: 1, epsDecay: 0.9, seed: 0};
  const run = (p: Partial<TrainParams>) => () => train(env, {...ok, ...p});
  const above1 = 1 + Number.EPSILON;
  it("episodes: a positive integer", () => {
    expect(run({episodes: 1})).not.toThrow();
    expect(run({episodes: 0})).toThrow(new RangeError("invalid episodes: 0 (expected a positive integer)"));
    expect(run({episodes: 1.5})).toThrow(new RangeError("invalid episodes: 1.5 (expected a positive integer)"));
  });
  it("alpha: 0 < α ≤ 1", () => {
    expect(run({alpha: 1})).not.toThrow();
    expect(run({alpha: Number.MIN_VALUE})).not.toThrow();
    expect(run({alpha: 0})).toThrow(new RangeError("invalid alpha: 0 (expected 0 < α ≤ 1)"));
    expect(run({alpha: -0.1})).toThrow(new RangeError("invalid alpha: -0.1 (expected 0 < α ≤ 1)"));
    expect(run({alpha: above1})).toThrow(new RangeError(`invalid alpha: ${above1} (expected 0 < α ≤ 1)`));
    expect(run({alpha: Number.NaN})).toThrow(new RangeError("invalid alpha: NaN (expected 0 < α ≤ 1)"));
  });
  it("gamma: 0 ≤ γ ≤ 1", () => {
    expect(run({gamma: 0})).not.toThrow();
    expect(run({gamma: 1})).not.toThrow();
    expect(run({gamma: -Number.MIN_VALUE})).toThrow(new RangeError("invalid gamma: -5e-324 (expected 0 ≤ γ ≤ 1)"));
    expect(run({gamma: above1})).toThrow(new RangeError(`invalid gamma: ${above1} (expected 0 ≤ γ ≤ 1)`));
    expect(run({gamma: Number.NaN})).toThrow(new RangeError("invalid gamma: NaN (expected 0 ≤ γ ≤ 1)"));
  });
  it("epsDecay: 0 < decay ≤ 1", () => {
    expect(run({epsDecay: 1})).not.toThrow();
    expect(run({epsDecay: Number.MIN_VALUE})).not.toThrow();
    expect(run({epsDecay: 0})).toThrow(new RangeError("invalid epsDecay: 0 (expected 0 < decay ≤ 1)"));
    expect(run({epsDecay: above1})).toThrow(new RangeError(`invalid epsDecay: ${above1} (expected 0 < decay ≤ 1)`));
  });
  it("epsStart and epsMin: 0 < ε ≤ 1 (outside it the kernel's int32 threshold would wrap: ε = 0 explored on every draw)", () => {
    for (const key of ["epsStart", "epsMin"] as const) {
      expect(run({[key]: 1})).not.toThrow();
      expect(run({[key]: Number.MIN_VALUE})).not.toThrow();
      expect(run({[key]: 0})).toThrow(new RangeError(`invalid ${key}: 0 (expected 0 < ε ≤ 1)`));
      expect(run({[key]: above1})).toThrow(new RangeError(`invalid ${key}: ${above1} (expected 0 < ε ≤ 1)`));
      expect(run({[key]: Number.NaN})).toThrow(new RangeError(`invalid ${key}: NaN (expected 0 < ε ≤ 1)`));
    }
  });
  it("the smallest ε explores only on the word 0: a fresh Q is then greedy (action 0) on every draw of this seed", () => {
    const got: number[][] = [];
    const p = {episodes: 1, epsDecay: 1, epsStart: Number.MIN_VALUE, epsMin: Number.MIN_VALUE, seed: 3, saveEvery: 1};
    train(new GridWorld(small, "path"), p, {onSnapshot: (s) => got.push([...s.actions])});
    const model = replaySarsa(new GridWorld(small, "path"), {...base, ...p, gamma: 0.99, rule: "reference"}).episodes[0].actions;
    expect(got[0]).toEqual(model);
    expect(new Set(model)).toEqual(new Set([0]));
  });
  it("saveEvery: a non-negative integer", () => {
    expect(run({saveEvery: 0})).not.toThrow();
    expect(run({saveEvery: -1})).toThrow(new RangeError("invalid saveEvery: -1"));
    expect(run({saveEvery: 2.5})).toThrow(new RangeError("invalid saveEvery: 2.5"));
  });
  it("rule: the three named rules, in order", () => {
    expect(UPDATE_RULES).toEqual(["reference", "sarsa", "qlearning"]);
    for (const r of ["reference", "sarsa", "qlearning"]) expect(parseUpdateRule(r)).toBe(r);
    expect(() => parseUpdateRule("")).toThrow(new RangeError('invalid update rule: "" (accepted: reference, sarsa, qlearning)'));
  });
});

describe("hooks: progress and the training clock", () => {
  const p = {episodes: 10, epsDecay: 0.9, seed: 1};
  it("onProgress is called after every progressEvery-th episode, and never when progressEvery ≤ 0 or unset", () => {
    const calls = (progressEvery?: number) => {
      const done: number[] = [];
      train(new GridWorld(small, "path"), p, {progressEvery, onProgress: (n) => done.push(n)});
      return done;
    };
    expect(calls(3)).toEqual([3, 6, 9]);
    expect(calls(1)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(calls(0)).toEqual([]);
    expect(calls(-3)).toEqual([]);
    expect(calls(undefined)).toEqual([]);
    // progressEvery without a hook is allowed (the hook is optional).
    expect(() => train(new GridWorld(small, "path"), p, {progressEvery: 2})).not.toThrow();
  });

  it("time is the clock's time outside snapshot callbacks, cumulative, in seconds", () => {
    // A fake clock in ms: each episode's work advances it by 7 ms (through the progress hook); every snapshot
    // callback (saving, in the library build) advances it by 10⁶ ms, which training time excludes.
    let clock = 0;
    const snaps: [number, number][] = [];
    const res = train(
      new GridWorld(small, "path"),
      {...p, saveEvery: 3},
      {
        now: () => clock,
        progressEvery: 1,
        onProgress: () => {
          clock += 7;
        },
        onSnapshot: (s) => {
          snaps.push([s.episode, s.time]);
          clock += 1e6;
        },
      },
    );
    // Snapshot e is taken after episode e's loop and before its progress call: 7·e ms so far.
    expect(snaps.map(([e]) => e)).toEqual([0, 3, 6, 9]);
    for (const [e, t] of snaps) expect(t).toBeCloseTo((7 * e) / 1000, 12);
    expect(res.time).toBeCloseTo(0.07, 12);
  });

  it("the default clock gives a finite, non-decreasing time", () => {
    const times: number[] = [];
    const res = train(new GridWorld(small, "path"), {...p, saveEvery: 2}, {onSnapshot: (s) => times.push(s.time)});
    expect(times.length).toBe(5);
    for (const t of [...times, res.time]) expect(Number.isFinite(t) && t >= 0).toBe(true);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    expect(res.time).toBeGreaterThanOrEqual(times.at(-1)!);
  });
});

describe("trainAsync chunks", () => {
  it("runs 500-episode chunks by default and a shorter last chunk, with the same result as train", async () => {
    const p = {episodes: 1200, epsDecay: 0.995, seed: 9};
    const ref = train(new GridWorld(small, "gold"), p);
    const done: number[] = [];
    const res = await trainAsync(new GridWorld(small, "gold"), p, {onProgress: (n) => void done.push(n)});
    expect(done).toEqual([500, 1000, 1200]);
    expect(Array.from(res.q)).toEqual(Array.from(ref.q));
    expect(res.steps).toBe(ref.steps);
  });

  it("a given chunk: 250 episodes in chunks of 100 are 100, 100, 50", async () => {
    const p = {episodes: 250, epsDecay: 0.99, seed: 4};
    const ref = train(new GridWorld(small, "path"), p);
    const done: number[] = [];
    const res = await trainAsync(new GridWorld(small, "path"), p, {chunk: 100, onProgress: (n) => void done.push(n)});
    expect(done).toEqual([100, 200, 250]);
    expect(res.epsilon).toBe(ref.epsilon);
    expect(res.steps).toBe(ref.steps);
    expect(Array.from(res.q)).toEqual(Array.from(ref.q));
  });
});
