// Tests for lib/steer/priors.ts (spec/steering.md §3): each prior condition differs from the clean
// prior exactly as the §3 table specifies.
import {describe, expect, it} from "vitest";
import {Rng} from "../../lib/core/rng.js";
import type {DiagGaussians} from "../../lib/steer/gauss.js";
import {act, createMLP, weightsHash} from "../../lib/steer/mlp.js";
import {CONFIDENT_WRONG_SIGMA, DRIFT_PHI, makePrior, medianAbsMean, medianStd, NOISE_GRID, PriorCorruption, priorGaussians} from "../../lib/steer/priors.js";

const d = 3;
const clean = createMLP({inDim: 9, outDim: d, hidden: [8]}, new Rng(1), {shift: new Float64Array(9).fill(0.1), scale: new Float64Array(9).fill(2)});
const actor = createMLP({inDim: 9, outDim: d, hidden: [8]}, new Rng(2));
const n = 400;
const rng = new Rng(3);
const inputs = Float64Array.from({length: n * 9}, () => rng.normal());
const seeds = Array.from({length: n}, (_, i) => 1000 + i);
const base = act(clean, inputs);
const copy = (g: DiagGaussians): DiagGaussians => ({dim: g.dim, mean: Float64Array.from(g.mean), variance: Float64Array.from(g.variance)});

describe("prior conditions (§3)", () => {
  it("the noise grid is η ∈ {0.1, 0.3, 1.0}", () => {
    expect(NOISE_GRID).toEqual([0.1, 0.3, 1.0]);
  });
  it("clean: unchanged", () => {
    expect(priorGaussians(makePrior(clean, {kind: "clean"}), inputs, seeds)).toEqual(base);
  });
  it("noisy-overconfident(η): mean + η·ξ with ξ ~ N(0, I), variance unchanged", () => {
    const eta = 0.3;
    const g = priorGaussians(makePrior(clean, {kind: "noisy-overconfident", eta}), inputs, seeds);
    expect(g.variance).toEqual(base.variance);
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < g.mean.length; i++) {
      const xi = (g.mean[i] - base.mean[i]) / eta;
      s += xi;
      s2 += xi * xi;
    }
    const m = s / g.mean.length;
    expect(Math.abs(m)).toBeLessThan(0.1);
    expect(Math.abs(s2 / g.mean.length - 1)).toBeLessThan(0.15);
  });
  it("noisy-calibrated(η): the same mean noise as overconfident, variance σp² + η²", () => {
    const eta = 1;
    const oc = priorGaussians(makePrior(clean, {kind: "noisy-overconfident", eta}), inputs, seeds);
    const cal = priorGaussians(makePrior(clean, {kind: "noisy-calibrated", eta}), inputs, seeds);
    expect(cal.mean).toEqual(oc.mean);
    for (let i = 0; i < cal.variance.length; i++) expect(cal.variance[i]).toBeCloseTo(base.variance[i] + 1, 14);
  });
  it("biased(η): mean + η·u_ep, ‖u_ep‖ = 1, the same u at every step of an episode, variance unchanged", () => {
    const eta = 0.3;
    const prior = makePrior(clean, {kind: "biased", eta});
    const corr = new PriorCorruption(prior, d, seeds.slice(0, 5));
    const u = corr.biasDirections() as Float64Array;
    const rows = act(clean, inputs.slice(0, 5 * 9));
    for (let step = 0; step < 3; step++) {
      const g = copy(rows);
      corr.apply(g);
      expect(g.variance).toEqual(rows.variance);
      for (let r = 0; r < 5; r++) {
        let norm = 0;
        for (let i = 0; i < d; i++) {
          expect(g.mean[r * d + i] - rows.mean[r * d + i]).toBeCloseTo(eta * u[r * d + i], 14);
          norm += u[r * d + i] ** 2;
        }
        expect(norm).toBeCloseTo(1, 14);
      }
    }
    expect(Array.from(u.slice(0, 3))).not.toEqual(Array.from(u.slice(3, 6)));
  });
  it("random: an untrained copy (same architecture and normalisation, new weights, σ ≈ 1)", () => {
    const p = makePrior(clean, {kind: "random"}, {rng: new Rng(9)});
    expect(weightsHash(p.model)).not.toBe(weightsHash(clean));
    expect(p.model.hidden).toEqual(clean.hidden);
    expect(p.model.inputShift).toEqual(clean.inputShift);
    expect(p.model.inputScale).toEqual(clean.inputScale);
    const med = medianStd(p.model, inputs);
    expect(med).toBeGreaterThan(0.5);
    expect(med).toBeLessThan(2);
    // Deterministic under its Rng.
    expect(weightsHash(makePrior(clean, {kind: "random"}, {rng: new Rng(9)}).model)).toBe(weightsHash(p.model));
  });
  it("random-confident: the random network's mean with σ = the actor's median σ0", () => {
    const r = makePrior(clean, {kind: "random"}, {rng: new Rng(9)});
    const rc = makePrior(clean, {kind: "random-confident"}, {rng: new Rng(9), actor, actorInputs: inputs});
    const s0 = medianStd(actor, inputs);
    expect(rc.fixedVariance).toBeCloseTo(s0 * s0, 15);
    const g = priorGaussians(rc, inputs, seeds);
    expect(g.mean).toEqual(act(r.model, inputs).mean);
    for (const v of g.variance) expect(v).toBe(rc.fixedVariance);
  });
  it("rejects unknown kinds, bad η and missing context", () => {
    expect(() => makePrior(clean, {kind: "adversarial"} as never)).toThrow(/invalid prior condition/);
    expect(() => makePrior(clean, {kind: "biased", eta: -1})).toThrow(/invalid eta/);
    expect(() => makePrior(clean, {kind: "random"})).toThrow(/missing rng/);
    expect(() => makePrior(clean, {kind: "random-confident"}, {rng: new Rng(1)})).toThrow(/missing actor/);
  });
});

describe("priors that can hurt (issue 13 §3)", () => {
  const goal = {offset: 6, dim: 3};
  const flipped = Float64Array.from(inputs);
  for (let r = 0; r < n; r++) for (let i = 6; i < 9; i++) flipped[r * 9 + i] = -inputs[r * 9 + i];
  it("random-scaled: a random network whose median |μ| equals the actor's median |μ0|; its own σ", () => {
    const p = makePrior(clean, {kind: "random-scaled"}, {rng: new Rng(5), actor, actorInputs: inputs});
    const raw = act(p.model, inputs);
    const g = priorGaussians(p, inputs, seeds);
    expect(g.variance).toEqual(raw.variance);
    const k = p.meanScale as number;
    expect(k).toBeGreaterThan(0);
    for (let i = 0; i < 30; i++) expect(g.mean[i]).toBeCloseTo(k * raw.mean[i], 14);
    const abs = Float64Array.from(g.mean, Math.abs).sort();
    const med = 0.5 * (abs[abs.length / 2 - 1] + abs[abs.length / 2]);
    expect(med).toBeCloseTo(medianAbsMean(actor, inputs), 10);
  });
  it("wrong-goal: the clean prior queried at −g (not at g), σ at that input", () => {
    const g = priorGaussians(makePrior(clean, {kind: "wrong-goal"}, {goal}), inputs, seeds);
    expect(g).toEqual(act(clean, flipped));
    expect(g.mean).not.toEqual(base.mean);
    expect(() => makePrior(clean, {kind: "wrong-goal"})).toThrow(/goal slice/);
    expect(() => makePrior(clean, {kind: "wrong-goal"}, {goal: {offset: 8, dim: 3}})).toThrow(/goal slice/);
  });
  it("confident-wrong: the wrong-goal mean with σ = ½ the actor's median σ0", () => {
    const g = priorGaussians(makePrior(clean, {kind: "confident-wrong"}, {goal, actor, actorInputs: inputs}), inputs, seeds);
    expect(g.mean).toEqual(act(clean, flipped).mean);
    const s = CONFIDENT_WRONG_SIGMA * medianStd(actor, inputs);
    expect(g.variance.every((v) => v === s * s)).toBe(true);
  });
  it("drift(η): a persistent AR(1) offset per episode (φ = 0.95), ‖o‖ ≈ η, σ unchanged", () => {
    const eta = 1;
    const p = makePrior(clean, {kind: "drift", eta}, {});
    const rows = 200;
    const c = new PriorCorruption(p, d, seeds.slice(0, rows));
    const zero = (): DiagGaussians => ({dim: d, mean: new Float64Array(rows * d), variance: new Float64Array(rows * d).fill(1)});
    const steps: Float64Array[] = [];
    for (let t = 0; t < 40; t++) {
      const g = zero();
      c.apply(g);
      expect(g.variance.every((v) => v === 1)).toBe(true);
      steps.push(g.mean);
    }
    // Lag-1 correlation of the offset ≈ φ (per-step i.i.d. noise would give ≈ 0), per-dim variance ≈ η²/d.
    let xy = 0;
    let xx = 0;
    for (let t = 1; t < 40; t++)
      for (let i = 0; i < rows * d; i++) {
        xy += steps[t][i] * steps[t - 1][i];
        xx += steps[t - 1][i] * steps[t - 1][i];
      }
    expect(xy / xx).toBeGreaterThan(DRIFT_PHI - 0.05);
    expect(xy / xx).toBeLessThan(DRIFT_PHI + 0.05);
    expect(xx / (39 * rows * d)).toBeGreaterThan((0.8 * eta * eta) / d);
    expect(xx / (39 * rows * d)).toBeLessThan((1.2 * eta * eta) / d);
  });
});
