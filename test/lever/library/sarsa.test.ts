import {describe, expect, it} from "vitest";
import {GridWorld, greedyReturn} from "../../../lib/lever/env/gridworld.js";
import {sampleLayout, type Layout} from "../../../lib/lever/env/layout.js";
import {optimum} from "../../../lib/lever/env/optimum.js";
import {REWARD_SYSTEMS} from "../../../lib/lever/env/rewards.js";
import {train, trainAsync, type SnapshotView} from "../../../lib/lever/library/sarsa.js";
import {replaySarsa} from "./sarsa-replay.js";

const L16 = sampleLayout(16, 0, {golds: 50, blocks: 25, hazards: 30});
const small: Layout = sampleLayout(6, 3, {golds: 5, blocks: 3, hazards: 3});

function collect(env: GridWorld, params: Parameters<typeof train>[1]) {
  const snaps: {episode: number; reward: number; q: Float64Array; counts: Uint32Array; actions: number[]}[] = [];
  const res = train(env, params, {
    onSnapshot: (s: SnapshotView) => snaps.push({episode: s.episode, reward: s.reward, q: s.q.slice(), counts: s.counts.slice(), actions: [...s.actions]}),
  });
  return {res, snaps};
}

describe("train (SARSA, spec §2.1)", () => {
  const params = {episodes: 3000, epsDecay: 0.999, gamma: 0.99, saveEvery: 500, seed: 11};
  it("is deterministic under a seed and differs across seeds", () => {
    const a = collect(new GridWorld(L16, "path-gold"), params);
    const b = collect(new GridWorld(L16, "path-gold"), params);
    const c = collect(new GridWorld(L16, "path-gold"), {...params, seed: 12});
    expect(Array.from(a.res.q)).toEqual(Array.from(b.res.q));
    expect(a.snaps.map((s) => s.reward)).toEqual(b.snaps.map((s) => s.reward));
    expect(a.res.steps).toBe(b.res.steps);
    expect(Array.from(a.res.q)).not.toEqual(Array.from(c.res.q));
  });

  it("takes a snapshot at every episode % saveEvery == 0 with cumulative counts", () => {
    const {res, snaps} = collect(new GridWorld(L16, "path"), {...params, episodes: 2001});
    expect(snaps.map((s) => s.episode)).toEqual([0, 500, 1000, 1500, 2000]);
    for (let i = 1; i < snaps.length; i++) for (let j = 0; j < res.counts.length; j++) expect(snaps[i].counts[j]).toBeGreaterThanOrEqual(snaps[i - 1].counts[j]);
    expect(Array.from(snaps.at(-1)!.counts)).toEqual(Array.from(res.counts));
    // Each snapshot's reward is the greedy evaluation of its Q.
    const env = new GridWorld(L16, "path");
    for (const s of snaps) expect(greedyReturn(env, s.q)).toBe(s.reward);
  });

  it("the kernel's inlined step equals GridWorld.step: γ = 0 replays of every episode predict Q and counts exactly", () => {
    for (const name of REWARD_SYSTEMS) {
      const env = new GridWorld(L16, name);
      const {res, snaps} = collect(env, {episodes: 300, epsDecay: 0.99, gamma: 0, saveEvery: 1, seed: 3});
      expect(snaps.length).toBe(300);
      const q = new Float64Array(env.nStates * 4);
      const counts = new Uint32Array(env.nStates * 4);
      for (const snap of snaps) {
        env.reset();
        for (const a of snap.actions) {
          const s = env.pos;
          const r = env.step(a);
          q[s * 4 + a] = 0.9 * q[s * 4 + a] + 0.1 * (r + 0 * 0);
          if (env.pos !== s) counts[s * 4 + a]++;
        }
        expect(env.done || snap.actions.length === env.maxSteps).toBe(true);
        expect(Array.from(snap.q)).toEqual(Array.from(q));
      }
      expect(Array.from(res.counts)).toEqual(Array.from(counts));
    }
  });

  it("γ > 0: an independent step-by-step replay of each rule (bootstrap action a′, the reference's discarded draw) predicts Q, counts and steps exactly", () => {
    // replaySarsa (sarsa-replay.ts) is a plain implementation of spec §2.1 on GridWorld.step and the same
    // seeded stream. It records nothing from the kernel, so a kernel that bootstraps on the wrong
    // action, skips the reference's fresh draw or miscounts an edge disagrees here.
    const rules = ["reference", "sarsa", "qlearning"] as const;
    for (const rule of rules) {
      for (const name of ["path-gold", "path-gold-hazard-lever"] as const) {
        const env = new GridWorld(L16, name);
        const p = {episodes: 150, epsDecay: 0.97, gamma: 0.99, alpha: 0.1, saveEvery: 0, seed: 5, rule};
        const res = train(env, p);
        const {episodes, steps, bootstrapDiffers} = replaySarsa(new GridWorld(L16, name), {...p, epsStart: 1, epsMin: 0.01});
        const {q, counts} = episodes[p.episodes - 1];
        expect(bootstrapDiffers, `${rule}/${name}: the replay exercises a′ ≠ a`).toBeGreaterThan(100);
        expect(res.steps, `${rule}/${name}`).toBe(steps);
        expect(Array.from(res.counts), `${rule}/${name}`).toEqual(Array.from(counts));
        expect(Array.from(res.q), `${rule}/${name}`).toEqual(Array.from(q));
      }
    }
  });

  it("decays ε per episode to a 0.01 floor", () => {
    const env = new GridWorld(small, "path");
    expect(train(env, {episodes: 100, epsDecay: 0.99, seed: 1}).epsilon).toBeCloseTo(0.99 ** 100, 12);
    expect(train(env, {episodes: 1000, epsDecay: 0.99, seed: 1}).epsilon).toBe(0.01);
  });

  it("update rules are distinct, and each learns the optimal route on a small grid", () => {
    const best = optimum(new GridWorld(small, "path")).reward;
    const finals: Float64Array[] = [];
    for (const rule of ["reference", "sarsa", "qlearning"] as const) {
      const env = new GridWorld(small, "path");
      const res = train(env, {episodes: 4000, epsDecay: 0.998, gamma: 0.99, seed: 5, rule});
      expect(res.finalReward).toBeCloseTo(best, 9);
      finals.push(res.q);
    }
    expect(Array.from(finals[0])).not.toEqual(Array.from(finals[1]));
    expect(Array.from(finals[0])).not.toEqual(Array.from(finals[2]));
  });

  it("trainAsync gives the same result as train and can stop early", async () => {
    const a = train(new GridWorld(small, "gold"), {episodes: 1200, epsDecay: 0.995, seed: 9});
    const b = await trainAsync(new GridWorld(small, "gold"), {episodes: 1200, epsDecay: 0.995, seed: 9}, {chunk: 100});
    expect(Array.from(b.q)).toEqual(Array.from(a.q));
    let calls = 0;
    await trainAsync(new GridWorld(small, "gold"), {episodes: 1200, epsDecay: 0.995, seed: 9}, {chunk: 100, onProgress: () => ++calls < 3});
    expect(calls).toBe(3);
  });

  it("validates parameters", () => {
    const env = new GridWorld(small, "path");
    expect(() => train(env, {episodes: 0, epsDecay: 0.9, seed: 0})).toThrow(/invalid episodes/);
    expect(() => train(env, {episodes: 10, epsDecay: 1.5, seed: 0})).toThrow(/invalid epsDecay/);
    expect(() => train(env, {episodes: 10, epsDecay: 0.9, seed: 0, rule: "td" as never})).toThrow(/invalid update rule: "td" \(accepted: reference, sarsa, qlearning\)/);
  });
});
