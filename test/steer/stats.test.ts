// Tests for lib/steer/stats.ts (spec/steering.md §5): Student-t quantiles against printed tables and
// scipy, the t CDF, the mean and its t-interval, the paired and Welch intervals on hand-checkable data,
// the Help/Frozen/Hurt rule on constructed paired samples, and the bootstrap.
import {describe, expect, it} from "vitest";
import {Rng} from "../../lib/core/rng.js";
import {classify, labelFromInterval, lnGamma, meanInterval, normalCdf, normalQuantile, pairedBootstrap, pairedInterval, studentTCdf, studentTQuantile, welchInterval} from "../../lib/steer/stats.js";
import {mean} from "../../lib/core/stats.js";

describe("studentTQuantile(p, df)", () => {
  it("matches printed t-table values to 6 decimals", () => {
    const table: [number, number, number][] = [
      [0.975, 1, 12.706205],
      [0.975, 2, 4.302653],
      [0.975, 3, 3.182446],
      [0.975, 9, 2.262157],
      [0.975, 24, 2.063899], // the §5 rule: 25 paired episodes
      [0.975, 30, 2.042272],
      [0.995, 5, 4.032143],
      [0.95, 10, 1.812461],
    ];
    for (const [p, df, t] of table) expect(Math.abs(studentTQuantile(p, df) - t)).toBeLessThan(5e-7);
  });
  it("tends to the normal quantile 1.959964 as df → ∞", () => {
    expect(Math.abs(studentTQuantile(0.975, Infinity) - 1.959964)).toBeLessThan(5e-7);
    expect(Math.abs(studentTQuantile(0.975, 1e8) - 1.959964)).toBeLessThan(5e-7);
    // At df = 1e6 the t quantile is still 1.959966 (the 1/ν term is (z³+z)/(4ν) ≈ 2.4e-6).
    expect(Math.abs(studentTQuantile(0.975, 1e6) - 1.959966)).toBeLessThan(5e-7);
  });
  it("agrees with scipy.stats.t.ppf (scipy 1.17.1) to relative 1e-12, including non-integer df and far tails", () => {
    const ref: [number, number, number][] = [
      [0.975, 1, 12.706204736174694],
      [0.975, 9, 2.262157162798205],
      [0.975, 24, 2.0638985616280245],
      [0.975, 1e6, 1.959966356814107],
      [0.975, 1e8, 1.9599640082627663],
      [0.9995, 3, 12.923978636687961],
      [1e-10, 4, -416.1751403296041],
      [0.975, 2.5, 3.5746548420036817],
      [0.975, 6.97226, 2.366532749736981],
    ];
    for (const [p, df, t] of ref) expect(Math.abs(studentTQuantile(p, df) / t - 1)).toBeLessThan(1e-12);
  });
  it("is exact at p ∈ {0, ½, 1}, antisymmetric, increasing in p and decreasing in df", () => {
    expect(studentTQuantile(0, 5)).toBe(-Infinity);
    expect(studentTQuantile(1, 5)).toBe(Infinity);
    expect(studentTQuantile(0.5, 5)).toBe(0);
    for (const df of [1, 2, 3.5, 24, 1e5]) {
      for (const p of [0.001, 0.025, 0.2, 0.45]) expect(studentTQuantile(1 - p, df)).toBeCloseTo(-studentTQuantile(p, df), 10);
      let prev = -Infinity;
      for (let p = 0.01; p < 1; p += 0.01) {
        const t = studentTQuantile(p, df);
        expect(t).toBeGreaterThan(prev);
        prev = t;
      }
    }
    let prev = Infinity;
    for (const df of [1, 2, 3, 5, 10, 24, 100, 1e4, 1e6, Infinity]) {
      const t = studentTQuantile(0.975, df);
      expect(t).toBeLessThan(prev);
      prev = t;
    }
  });
  it("round-trips through studentTCdf to relative 1e-12", () => {
    for (const df of [0.5, 1, 2, 3, 4.5, 9, 24, 100, 3e4, 1e5, 1e7]) {
      for (const p of [1e-12, 1e-6, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999]) {
        expect(Math.abs(studentTCdf(studentTQuantile(p, df), df) / p - 1)).toBeLessThan(1e-12);
      }
    }
  });
  it("rejects invalid p and df", () => {
    expect(() => studentTQuantile(1.1, 5)).toThrow(/invalid probability/);
    expect(() => studentTQuantile(0.5, 0)).toThrow(/invalid degrees of freedom: 0/);
    expect(() => studentTQuantile(0.5, NaN)).toThrow(RangeError);
  });
});

describe("studentTCdf / normalCdf / normalQuantile / lnGamma", () => {
  it("match scipy values to relative 1e-13", () => {
    const cases: [number, number][] = [
      [studentTCdf(-2, 7), 0.042809664281488025],
      [studentTCdf(0.3, 3), 0.6081183539800405],
      [studentTCdf(-40, 2.5), 7.09781714524669e-5],
      [normalCdf(-2), 0.022750131948179195],
      [normalQuantile(0.975), 1.959963984540054],
      [normalQuantile(1e-12), -7.034483825301131],
    ];
    for (const [got, want] of cases) expect(Math.abs(got / want - 1)).toBeLessThan(1e-13);
  });
  it("df = 1 is the Cauchy distribution", () => {
    for (const t of [-50, -3, -0.5, 0, 0.7, 10]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 14);
  });
  it("lnGamma: factorials and Γ(½) = √π", () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14); // Lanczos (g = 7) is accurate to ~1e-15
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 14);
    expect(lnGamma(20)).toBeCloseTo(Math.log(121645100408832000), 13);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
  });
});

describe("mean(x) and meanInterval(x)", () => {
  it("mean sums left to right, as a loop from 0 does, and is NaN for an empty sample", () => {
    const x = [0.1, 0.2, 0.3, 1e16, -1e16, 0.7];
    let s = 0;
    for (const v of x) s += v;
    expect(mean(x)).toBe(s / x.length);
    expect(mean(Float64Array.from(x))).toBe(s / x.length);
    expect(mean([])).toBeNaN();
  });
  it("is the mean with a t-interval that matches pairedInterval against zeros (bit for bit)", () => {
    const x = [1, 2, 3, 4, 10];
    const ci = meanInterval(x);
    const iv = pairedInterval(x, [0, 0, 0, 0, 0]);
    expect(ci.mean).toBe(4);
    expect(ci.lo).toBe(iv.lo);
    expect(ci.hi).toBe(iv.hi);
  });
  it("gives a zero-width interval for one value and rejects an empty sample", () => {
    expect(meanInterval([3])).toEqual({mean: 3, lo: 3, hi: 3, n: 1});
    expect(() => meanInterval([])).toThrow(RangeError);
  });
  it("is the Student-t interval (hand-checked) and has zero width for one value", () => {
    const r = meanInterval([1, 2, 3]);
    expect(r.mean).toBe(2);
    expect(r.hi - r.mean).toBeCloseTo(4.302652729749464 * Math.sqrt(1 / 3), 10);
    expect(meanInterval([5])).toEqual({mean: 5, lo: 5, hi: 5, n: 1});
    expect(() => meanInterval([])).toThrow(RangeError);
  });
  it("rejects a level outside (0, 1)", () => {
    expect(() => meanInterval([1, 2], 1)).toThrow(/invalid level/);
    expect(() => meanInterval([1, 2], 0)).toThrow(/invalid level/);
  });
});

describe("pairedInterval(treatment, control) and welchInterval (§5)", () => {
  it("paired: differences 1..10 give Δ = 5.5, se = 0.957427, 95% CI [3.334149, 7.665851] (scipy)", () => {
    const control = new Float64Array(10);
    const treatment = Float64Array.from({length: 10}, (_, i) => i + 1);
    const r = pairedInterval(treatment, control);
    expect(r.estimate).toBe(5.5);
    expect(r.df).toBe(9);
    expect(r.se).toBeCloseTo(0.9574271077563381, 14);
    expect(r.lo).toBeCloseTo(3.334149410331831, 12);
    expect(r.hi).toBeCloseTo(7.665850589668169, 12);
  });
  it("Welch: [1..5] vs [2,4,…,12] gives df 6.972256, t −2.376354, p 0.049284 (scipy ttest_ind, equal_var=False)", () => {
    const r = welchInterval([1, 2, 3, 4, 5], [2, 4, 6, 8, 10, 12]);
    expect(r.estimate).toBe(-4);
    expect(r.df).toBeCloseTo(6.972255729794934, 12);
    expect(r.t).toBeCloseTo(-2.3763541031440183, 12);
    expect(r.pValue).toBeCloseTo(0.04928433820673053, 12);
    expect(r.hi).toBeLessThan(0); // p < 0.05 ⇔ the 95% interval excludes 0
  });
  it("p < 0.05 exactly when the 95% interval excludes 0 (random samples, both methods)", () => {
    const rng = new Rng(8);
    for (let trial = 0; trial < 300; trial++) {
      const a = Array.from({length: 25}, () => rng.normal() + 0.4 * rng.normal());
      const b = Array.from({length: 25}, () => rng.normal());
      for (const r of [pairedInterval(a, b), welchInterval(a, b)]) expect(r.pValue < 0.05).toBe(r.lo > 0 || r.hi < 0);
    }
  });
  it("constant differences give a zero-width interval and p = 0", () => {
    const r = pairedInterval([3, 4, 5], [1, 2, 3]);
    expect([r.lo, r.hi, r.se, r.pValue]).toEqual([2, 2, 0, 0]);
    expect(classify([3, 4, 5], [1, 2, 3]).label).toBe("help");
  });
  it("rejects unequal paired lengths, too few values, non-finite values and a bad level", () => {
    expect(() => pairedInterval([1, 2, 3], [1, 2])).toThrow(/shape mismatch: treatment has 3 episodes, control 2/);
    expect(() => pairedInterval([1], [1])).toThrow(/expected at least 2/);
    expect(() => welchInterval([1, NaN], [1, 2])).toThrow(/invalid treatment value at index 1/);
    expect(() => pairedInterval([1, 2], [1, 2], 1.5)).toThrow(/invalid level/);
  });
});

describe("classify(treatment, control): Help / Frozen / Hurt (§5)", () => {
  // 25 common-random-number episodes: the control (frozen actor) scores vary a lot between episodes,
  // and the treatment shares that episode effect plus a small independent noise.
  const rng = new Rng(25);
  const control = Array.from({length: 25}, () => 50 + 15 * rng.normal());
  const noise = Array.from({length: 25}, () => rng.normal());

  it("clear help: +5 points on every episode (± 1) → help", () => {
    const c = classify(
      control.map((c, i) => c + 5 + noise[i]),
      control,
    );
    expect(c.label).toBe("help");
    expect(c.interval.lo).toBeGreaterThan(0);
    expect(c.interval.df).toBe(24);
  });
  it("clear hurt: −5 points (± 1) → hurt", () => {
    const c = classify(
      control.map((c, i) => c - 5 + noise[i]),
      control,
    );
    expect(c.label).toBe("hurt");
    expect(c.interval.hi).toBeLessThan(0);
  });
  it("overlapping: differences ±3 around 0 → frozen (interval contains 0)", () => {
    const c = classify(
      control.map((c, i) => c + (i % 2 === 0 ? 3 : -3)),
      control,
    );
    expect(c.label).toBe("frozen");
    expect(c.interval.lo).toBeLessThan(0);
    expect(c.interval.hi).toBeGreaterThan(0);
  });
  it("significant but below the 1-point minimum effect → frozen; with minEffect 0 → help", () => {
    const treatment = control.map((c, i) => c + 0.5 + 0.01 * noise[i]);
    const c = classify(treatment, control);
    expect(c.interval.lo).toBeGreaterThan(0);
    expect(c.label).toBe("frozen");
    expect(classify(treatment, control, {minEffect: 0}).label).toBe("help");
  });
  it("pairing matters: the same +3 effect is help when paired, a tie under Welch", () => {
    const treatment = control.map((c, i) => c + 3 + noise[i]);
    expect(classify(treatment, control).label).toBe("help");
    const welch = classify(treatment, control, {method: "welch"});
    expect(welch.label).toBe("frozen");
    expect(welch.interval.hi - welch.interval.lo).toBeGreaterThan(10 * (classify(treatment, control).interval.hi - classify(treatment, control).interval.lo));
  });
  it("labelFromInterval: the rule on its own, with inclusive effect thresholds", () => {
    expect(labelFromInterval({estimate: 1, lo: 0.1, hi: 2})).toBe("help");
    expect(labelFromInterval({estimate: 0.99, lo: 0.1, hi: 2})).toBe("frozen");
    expect(labelFromInterval({estimate: -1, lo: -2, hi: -0.1})).toBe("hurt");
    expect(labelFromInterval({estimate: 5, lo: 0, hi: 10})).toBe("frozen"); // lo must be > 0
    expect(() => labelFromInterval({estimate: 0, lo: 0, hi: 0}, -1)).toThrow(/invalid minEffect/);
  });
  it("rejects an unknown method", () => {
    expect(() => classify([1, 2], [1, 2], {method: "mannwhitney" as never})).toThrow(/invalid method: "mannwhitney" \(accepted: paired, welch\)/);
  });
});

describe("pairedBootstrap(treatment, control, rng) (§5, reported alongside)", () => {
  const rng = new Rng(31);
  const control = Array.from({length: 25}, () => 50 + 15 * rng.normal());
  const treatment = control.map((c) => c + 2 + 2 * rng.normal());

  it("is reproducible under a fixed seed and brackets the estimate", () => {
    const a = pairedBootstrap(treatment, control, new Rng(7, 1));
    const b = pairedBootstrap(treatment, control, new Rng(7, 1));
    expect(a).toEqual(b);
    expect(a.resamples).toBe(10000);
    expect(a.lo).toBeLessThan(a.estimate);
    expect(a.hi).toBeGreaterThan(a.estimate);
  });
  it("is close to the paired t-interval for near-normal differences (endpoints within 25% of the half-width)", () => {
    const boot = pairedBootstrap(treatment, control, new Rng(7, 2));
    const t = pairedInterval(treatment, control);
    const half = (t.hi - t.lo) / 2;
    expect(boot.estimate).toBeCloseTo(t.estimate, 12);
    expect(Math.abs(boot.lo - t.lo)).toBeLessThan(0.25 * half);
    expect(Math.abs(boot.hi - t.hi)).toBeLessThan(0.25 * half);
  });
});
