// Tests for lib/steer/priors.ts (spec/steering.md §3): each prior condition differs from the clean
// prior exactly as the §3 table specifies.
import {describe, expect, it} from "vitest";
import {Rng} from "../../lib/core/rng.js";
import type {DiagGaussians} from "../../lib/steer/gauss.js";
import {act, createMLP, weightsHash} from "../../lib/steer/mlp.js";
import {makePrior, medianStd, NOISE_GRID, PriorCorruption, priorGaussians} from "../../lib/steer/priors.js";

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
