// Old-vs-new equality of the scoring hot path (bit for bit): the incremental StateFeaturizer against
// _stateToVector(env.renderGrid()), run-length encoded episodes against the full matrix, and the
// sparse / run-length LSTD embedding against the dense reference loop it replaced.
import {describe, expect, it} from "vitest";
import {
  _episodeFeatureRuns,
  _stateToVector,
  episodeFeatures,
  expandRuns,
  featureDim,
  StateFeaturizer,
  transitionsFrom,
  type FeatureMatrix,
  type Transitions,
} from "../../../lib/lever/pi2vec/features.js";
import {GridWorld, N_ACTIONS} from "../../../lib/lever/env/gridworld.js";
import type {Cell, Layout} from "../../../lib/lever/env/layout.js";
import {defaultCounts, sampleLayout} from "../../../lib/lever/env/layout.js";
import {composedFeatureRuns, composedFeatures} from "../../../lib/lever/compose/score.js";
import {lstdEmbedding, lstdEmbeddingRuns} from "../../../lib/lever/pi2vec/sf-lstd.js";
import {Rng} from "../../../lib/core/rng.js";

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** The replaced featurisation: render the whole grid and scan it at every step. */
function referenceFeatures(env: GridWorld, actions: ArrayLike<number>, hazardSteps: boolean): FeatureMatrix {
  const n = env.size;
  const dim = featureDim(n);
  const data = new Float32Array((actions.length + 1) * dim);
  const grid = new Int8Array(n * n);
  env.reset();
  _stateToVector(env.renderGrid(grid), n, hazardSteps ? env.hazardSteps : null, data.subarray(0, dim));
  for (let t = 0; t < actions.length; t++) {
    env.step(actions[t]);
    _stateToVector(env.renderGrid(grid), n, hazardSteps ? env.hazardSteps : null, data.subarray((t + 1) * dim, (t + 2) * dim));
  }
  return {data, rows: actions.length + 1, dim};
}

/** The replaced dense LSTD embedding (lib/lever/pi2vec/sf-lstd.ts before the sparse/run-length kernel). */
function referenceLstdEmbedding(tr: Transitions, cbar: Float64Array, gamma = 0.99, ridge = 1e-6): Float32Array {
  const {s, next, n, dim: d} = tr;
  const same = (t: number) => {
    const o = t * d;
    const p = o - d;
    for (let j = 0; j < d; j++) if (s[o + j] !== s[p + j] || next[o + j] !== next[p + j]) return false;
    return true;
  };
  const At = new Float64Array(d * d);
  const u = new Float64Array(d);
  const runs: number[] = [];
  for (let t = 0; t < n; ) {
    let w = 1;
    while (t + w < n && same(t + w)) w++;
    runs.push(t, w);
    const o = t * d;
    for (let j = 0; j < d; j++) u[j] = s[o + j] - gamma * next[o + j];
    for (let j = 0; j < d; j++) {
      const uj = w * u[j];
      if (uj === 0) continue;
      const r = j * d;
      for (let i = 0; i < d; i++) At[r + i] += s[o + i] * uj;
    }
    t += w;
  }
  for (let k = 0; k < d * d; k++) At[k] /= n;
  for (let i = 0; i < d; i++) At[i * d + i] += ridge;
  const y = Float64Array.from(cbar);
  const M = At;
  for (let c = 0; c < d; c++) {
    let p = c;
    let best = Math.abs(M[c * d + c]);
    for (let r = c + 1; r < d; r++) {
      const v = Math.abs(M[r * d + c]);
      if (v > best) (best = v), (p = r);
    }
    if (p !== c) {
      for (let k = c; k < d; k++) {
        const tmp = M[c * d + k];
        M[c * d + k] = M[p * d + k];
        M[p * d + k] = tmp;
      }
      const tb = y[c];
      y[c] = y[p];
      y[p] = tb;
    }
    const piv = M[c * d + c];
    for (let r = c + 1; r < d; r++) {
      const f = M[r * d + c] / piv;
      if (f === 0) continue;
      for (let k = c; k < d; k++) M[r * d + k] -= f * M[c * d + k];
      y[r] -= f * y[c];
    }
  }
  for (let c = d - 1; c >= 0; c--) {
    let sum = y[c];
    for (let k = c + 1; k < d; k++) sum -= M[c * d + k] * y[k];
    y[c] = sum / M[c * d + c];
  }
  const e = new Float64Array(d);
  for (let k = 0; k < runs.length; k += 2) {
    const o = runs[k] * d;
    const w = runs[k + 1];
    let dot = 0;
    for (let j = 0; j < d; j++) dot += s[o + j] * y[j];
    if (dot === 0) continue;
    for (let j = 0; j < d; j++) e[j] += w * s[o + j] * dot;
  }
  const out = new Float32Array(d);
  for (let k = 0; k < d; k++) out[k] = e[k] / n;
  return out;
}

/** A random layout whose cells may overlap (agent starting on gold, lever under the exit, …). */
function wildLayout(size: number, rng: Rng): Layout {
  const cell = (): Cell => [Math.floor(rng.next() * size), Math.floor(rng.next() * size)];
  const list = (k: number) => Array.from({length: k}, cell);
  return {
    size,
    start: [0, 0],
    exit: cell(),
    hazards: list(Math.floor(rng.next() * size)),
    golds: list(Math.floor(rng.next() * 2 * size)),
    blocks: list(Math.floor(rng.next() * size)),
    lever: rng.next() < 0.8 ? cell() : null,
  };
}

/** Random actions until the episode ends or maxSteps (biased towards wall pushes so runs appear). */
function randomActions(env: GridWorld, rng: Rng): number[] {
  env.reset();
  const actions: number[] = [];
  const sticky = rng.next() < 0.5;
  let a = 0;
  while (!env.done && env.steps < env.maxSteps) {
    if (!sticky || rng.next() < 0.2) a = Math.floor(rng.next() * N_ACTIONS);
    actions.push(a);
    env.step(a);
  }
  return actions;
}

const REWARDS = ["path", "gold", "hazard-lever", "path-gold-hazard-lever"];

function* cases(): Generator<{env: GridWorld; actions: number[]}> {
  const rng = new Rng(7, 3);
  for (const size of [5, 8, 16, 32]) {
    for (let i = 0; i < 12; i++) {
      const variant = i % 3 === 2 ? "v3" : "main";
      const layout = i % 2 === 0 ? wildLayout(size, rng) : sampleLayout(size, i, defaultCounts(size) ?? {golds: size, blocks: size, hazards: size}, variant);
      const env = new GridWorld(layout, REWARDS[i % REWARDS.length], {variant});
      for (let k = 0; k < 4; k++) yield {env, actions: randomActions(env, rng)};
    }
  }
}

describe("StateFeaturizer / _episodeFeatureRuns (lib/lever/pi2vec/features.ts) equal the full-grid featurisation", () => {
  it("episodeFeatures equals _stateToVector(renderGrid()) on random rollouts, bit for bit", () => {
    let checked = 0;
    for (const {env, actions} of cases()) {
      const ref = referenceFeatures(env, actions, true);
      expect(bits(episodeFeatures(env, actions).data)).toEqual(bits(ref.data));
      checked++;
    }
    expect(checked).toBe(192);
  });

  it("run-length encoded episodes expand to the full matrices (with and without hazard steps)", () => {
    for (const {env, actions} of cases()) {
      for (const hz of [true, false]) {
        const runs = _episodeFeatureRuns(env, actions, hz, new StateFeaturizer(env));
        const ref = referenceFeatures(env, actions, hz);
        expect(runs.counts.subarray(0, runs.rows).reduce((a, b) => a + b, 0)).toBe(actions.length + 1);
        expect(bits(expandRuns(runs).data)).toEqual(bits(ref.data));
      }
      expect(bits(composedFeatures(env, actions).data)).toEqual(bits(referenceFeatures(env, actions, false).data));
    }
  });

  it("single states: the featurizer equals _stateToVector at every step of a long wall-pushing rollout", () => {
    const env = new GridWorld(sampleLayout(32, 3, defaultCounts(32)!, "main"), "path-gold-hazard-lever");
    const f = new StateFeaturizer(env);
    const grid = new Int8Array(env.nStates);
    const dim = featureDim(32);
    env.reset();
    for (let t = 0; t < 200 && !env.done; t++) {
      const a = new Float32Array(dim);
      const b = new Float32Array(dim);
      f.write(env.hazardSteps, a);
      _stateToVector(env.renderGrid(grid), 32, env.hazardSteps, b);
      expect(bits(a)).toEqual(bits(b));
      env.step(t % 7 === 0 ? 1 : 0);
    }
  });
});

describe("lstdEmbedding / lstdEmbeddingRuns (lib/lever/pi2vec/sf-lstd.ts) equal the dense LSTD embedding", () => {
  it("bit for bit on random rollouts", () => {
    const rng = new Rng(11, 0);
    let checked = 0;
    for (const {env, actions} of cases()) {
      if (actions.length === 0) continue;
      const dim = featureDim(env.size);
      const cbar = Float64Array.from({length: dim}, (_, j) => (j < 20 ? rng.next() : rng.next() * 0.2));
      const full = referenceFeatures(env, actions, false);
      const tr = transitionsFrom(full);
      const ref = bits(referenceLstdEmbedding(tr, cbar));
      expect(bits(lstdEmbedding(tr, cbar))).toEqual(ref);
      expect(bits(lstdEmbeddingRuns(composedFeatureRuns(env, actions), cbar))).toEqual(ref);
      checked++;
    }
    expect(checked).toBeGreaterThan(150);
  });

  it("bit for bit on arbitrary transitions with repeats and sparse rows", () => {
    const rng = new Rng(5, 1);
    for (let trial = 0; trial < 40; trial++) {
      const d = 3 + Math.floor(rng.next() * 20);
      const n = 1 + Math.floor(rng.next() * 60);
      const s = new Float32Array(n * d);
      const next = new Float32Array(n * d);
      for (let t = 0; t < n; t++) {
        if (t > 0 && rng.next() < 0.4) {
          s.copyWithin(t * d, (t - 1) * d, t * d);
          next.copyWithin(t * d, (t - 1) * d, t * d);
          continue;
        }
        for (let j = 0; j < d; j++) {
          s[t * d + j] = rng.next() < 0.5 ? 0 : rng.next() * 2 - 1;
          next[t * d + j] = rng.next() < 0.5 ? 0 : rng.next() * 2 - 1;
        }
      }
      const cbar = Float64Array.from({length: d}, () => (rng.next() < 0.3 ? 0 : rng.next()));
      const tr = {s, next, n, dim: d};
      expect(bits(lstdEmbedding(tr, cbar, {ridge: 1e-3}))).toEqual(bits(referenceLstdEmbedding(tr, cbar, 0.99, 1e-3)));
    }
  });
});
