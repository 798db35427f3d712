// Tests for lib/steer/mlp.ts (spec/steering.md §8.4): the hand-written backward pass against finite
// differences, the clamped log-std head, the batch API returning gauss.ts DiagGaussians, Adam on the
// NLL, JSON round trips and the 64-bit FNV-1a weights hash.
import {describe, expect, it} from "vitest";
import {Rng} from "../../lib/core/rng.js";
import {poe} from "../../lib/steer/gauss.js";
import {act, adamStep, cloneMLP, createAdam, createMLP, fnv1a64, fromJSON, layerSizes, lossAndGrad, nll, paramCount, toJSON, weightsHash} from "../../lib/steer/mlp.js";

function randomBatch(rng: Rng, n: number, dim: number, scale = 1): Float64Array {
  return Float64Array.from({length: n * dim}, () => scale * rng.normal());
}

describe("fnv1a64 / weightsHash", () => {
  it("matches the published FNV-1a 64 test vectors", () => {
    const bytes = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
    expect(fnv1a64([])).toBe("cbf29ce484222325");
    expect(fnv1a64(bytes("a"))).toBe("af63dc4c8601ec8c");
    expect(fnv1a64(bytes("foobar"))).toBe("85944171f73967e8");
  });
  it("is stable under a seed and sensitive to a single ulp", () => {
    const a = createMLP({inDim: 4, outDim: 2}, new Rng(1));
    const b = createMLP({inDim: 4, outDim: 2}, new Rng(1));
    expect(weightsHash(a)).toBe(weightsHash(b));
    expect(weightsHash(a)).toMatch(/^[0-9a-f]{16}$/);
    const c = cloneMLP(a);
    const buf = new Float64Array([c.params[7]]);
    new BigInt64Array(buf.buffer)[0] += 1n;
    c.params[7] = buf[0];
    expect(weightsHash(c)).not.toBe(weightsHash(a));
    expect(weightsHash(createMLP({inDim: 4, outDim: 2}, new Rng(2)))).not.toBe(weightsHash(a));
  });
});

describe("createMLP: shape and default init", () => {
  it("layout [in, ...hidden, 2d]; weights in ±1/√fan_in; output bias 0", () => {
    const m = createMLP({inDim: 6, outDim: 3, hidden: [8, 5]}, new Rng(0));
    expect(layerSizes(m)).toEqual([6, 8, 5, 6]);
    expect(m.params.length).toBe(paramCount(m));
    expect(m.params.length).toBe(6 * 8 + 8 + 8 * 5 + 5 + 5 * 6 + 6);
    const outBias = m.params.subarray(m.params.length - 6);
    expect(Array.from(outBias)).toEqual([0, 0, 0, 0, 0, 0]);
    for (let i = 0; i < 48; i++) expect(Math.abs(m.params[i])).toBeLessThanOrEqual(1 / Math.sqrt(6));
  });
  it("rejects bad shapes", () => {
    expect(() => createMLP({inDim: 0, outDim: 2}, new Rng(0))).toThrow(/invalid inDim/);
    expect(() => createMLP({inDim: 2, outDim: 2, hidden: []}, new Rng(0))).toThrow(/invalid hidden/);
    expect(() => createMLP({inDim: 2, outDim: 2}, new Rng(0), {shift: new Float64Array(2), scale: new Float64Array(2)})).toThrow(/invalid normalization/);
  });
});

describe("act(model, inputs): the batch API", () => {
  it("returns DiagGaussians (dim d, variance exp(2·clamp(ℓ))) that compose directly", () => {
    const rng = new Rng(3);
    const m = createMLP({inDim: 5, outDim: 3, hidden: [7]}, rng);
    const x = randomBatch(rng, 4, 5);
    const g = act(m, x);
    expect(g.dim).toBe(3);
    expect(g.mean.length).toBe(12);
    for (const v of g.variance) expect(v).toBeGreaterThan(Math.exp(-10) * 0.999);
    const p = poe(g, g, 0.5);
    for (let i = 0; i < 12; i++) expect(p.mean[i]).toBeCloseTo(g.mean[i], 14);
    // Clamp: a huge log-std bias gives σ = e^1, a very negative one σ = e^−5.
    const hi = cloneMLP(m);
    hi.params[hi.params.length - 1] = 50;
    hi.params[hi.params.length - 2] = -50;
    const gh = act(hi, x);
    expect(gh.variance[2]).toBeCloseTo(Math.exp(2), 12);
    expect(gh.variance[1]).toBeCloseTo(Math.exp(-10), 16);
    // Row-wise: one batch of 4 equals 4 single rows.
    for (let r = 0; r < 4; r++) {
      const one = act(m, x.slice(r * 5, r * 5 + 5));
      expect(Array.from(one.mean)).toEqual(Array.from(g.mean.slice(r * 3, r * 3 + 3)));
    }
  });
  it("rejects bad shapes", () => {
    const m = createMLP({inDim: 5, outDim: 3}, new Rng(0));
    expect(() => act(m, new Float64Array(7))).toThrow(/not a multiple of inDim 5/);
    expect(() => act(m, new Float64Array(10), {dim: 3, mean: new Float64Array(3), variance: new Float64Array(3)})).toThrow(/shape mismatch/);
  });
});

describe("lossAndGrad: backprop against central finite differences", () => {
  it("weighted NLL, two tanh layers, normalised inputs: relative error < 1e-6 on every parameter", () => {
    const rng = new Rng(11);
    const m = createMLP({inDim: 5, outDim: 3, hidden: [7, 6]}, rng, {shift: randomBatch(rng, 1, 5, 0.3), scale: Float64Array.from({length: 5}, () => 0.5 + rng.next())});
    // Move the output biases off zero so every term is exercised (log-std stays inside [−5, 1]).
    for (let j = 0; j < 6; j++) m.params[m.params.length - 6 + j] = 0.3 * rng.normal();
    const n = 4;
    const x = randomBatch(rng, n, 5);
    const y = randomBatch(rng, n, 3);
    const w = Float64Array.from({length: n}, () => 0.2 + 2 * rng.next());
    const grad = new Float64Array(m.params.length);
    const loss = lossAndGrad(m, x, y, grad, w);
    expect(loss).toBeCloseTo(nll(m, x, y, w), 12);
    const h = 1e-5;
    let worst = 0;
    for (let i = 0; i < m.params.length; i++) {
      const p0 = m.params[i];
      m.params[i] = p0 + h;
      const up = nll(m, x, y, w);
      m.params[i] = p0 - h;
      const down = nll(m, x, y, w);
      m.params[i] = p0;
      const fd = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - grad[i]) / Math.max(1e-4, Math.abs(fd) + Math.abs(grad[i])));
    }
    expect(worst).toBeLessThan(1e-6);
  });
  it("the clamp blocks the log-std gradient outside [−5, 1]", () => {
    const rng = new Rng(12);
    const m = createMLP({inDim: 3, outDim: 2, hidden: [4]}, rng);
    m.params[m.params.length - 1] = 40; // last log-std unit far above the clamp
    const grad = new Float64Array(m.params.length);
    lossAndGrad(m, randomBatch(rng, 5, 3), randomBatch(rng, 5, 2), grad);
    expect(grad[m.params.length - 1]).toBe(0);
    expect(grad[m.params.length - 2]).not.toBe(0);
  });
  it("rejects mismatched shapes", () => {
    const m = createMLP({inDim: 3, outDim: 2}, new Rng(0));
    expect(() => lossAndGrad(m, new Float64Array(6), new Float64Array(2), new Float64Array(m.params.length))).toThrow(/shape mismatch/);
    expect(() => lossAndGrad(m, new Float64Array(3), new Float64Array(2), new Float64Array(3))).toThrow(/grad has 3 entries/);
  });
});

describe("Adam on the Gaussian NLL", () => {
  it("fits a linear-Gaussian target: the NLL decreases and σ shrinks towards the noise level", () => {
    const rng = new Rng(21);
    const m = createMLP({inDim: 2, outDim: 1, hidden: [16]}, rng);
    const n = 256;
    const x = randomBatch(rng, n, 2);
    const y = Float64Array.from({length: n}, (_, r) => 0.8 * x[2 * r] - 0.3 * x[2 * r + 1] + 0.1 * rng.normal());
    const before = nll(m, x, y);
    const adam = createAdam(m.params.length, {lr: 1e-2});
    const grad = new Float64Array(m.params.length);
    for (let t = 0; t < 400; t++) {
      lossAndGrad(m, x, y, grad);
      adamStep(adam, m.params, grad);
    }
    const after = nll(m, x, y);
    expect(after).toBeLessThan(before - 1);
    const sd = Math.sqrt(act(m, x.slice(0, 2)).variance[0]);
    expect(sd).toBeLessThan(0.3);
  });
});

describe("toJSON / fromJSON", () => {
  const m = createMLP({inDim: 4, outDim: 2, hidden: [5, 3]}, new Rng(9), {shift: new Float64Array([0.1, 0, -2, 3]), scale: new Float64Array([1, 2, 0.5, 1 / 3])});
  it("float64 round-trips bit for bit through JSON text (same hash)", () => {
    const text = JSON.stringify(toJSON(m));
    const back = fromJSON(text);
    expect(weightsHash(back)).toBe(weightsHash(m));
    expect(back.params).toEqual(m.params);
    expect(back.hidden).toEqual([5, 3]);
  });
  it("float32 rounds every number (relative error ≤ 2⁻²⁴) and records the rounded hash", () => {
    const j = toJSON(m, "float32");
    const back = fromJSON(JSON.parse(JSON.stringify(j)));
    expect(weightsHash(back)).toBe(j.hash);
    for (let i = 0; i < m.params.length; i++) expect(Math.abs(back.params[i] - m.params[i])).toBeLessThanOrEqual(Math.abs(m.params[i]) * 2 ** -24);
  });
  it("rejects tampered weights, wrong formats and wrong sizes", () => {
    const j = toJSON(m);
    expect(() => fromJSON({...j, params: j.params.map((v, i) => (i === 0 ? v + 1 : v))})).toThrow(/hash mismatch/);
    expect(() => fromJSON({...j, format: "other" as never})).toThrow(/invalid model format/);
    expect(() => fromJSON({...j, params: j.params.slice(1)})).toThrow(/invalid model params/);
  });
});
