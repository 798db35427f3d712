import {describe, expect, it} from "vitest";
import {PyRandom, Rng, deriveSeed} from "../../lib/core/rng.js";

// Golden values printed by CPython 3.11's `random` module (spec/lever.md §1.5 and our own runs of CPython;
// all re-checked with CPython 3.11.7 on 2026-11-30).
describe("PyRandom (CPython MT19937)", () => {
  it("Random(0).getrandbits(32) = 3626764237 (spec §1.5 fixture)", () => {
    expect(new PyRandom(0).getrandbits(32)).toBe(3626764237);
  });
  it("matches CPython streams for several seeds, including multi-word and negative seeds", () => {
    const r = new PyRandom(12345);
    expect([r.getrandbits(32), r.getrandbits(32), r.getrandbits(32)]).toEqual([1789368711, 3146859322, 43676229]);
    expect(new PyRandom(2 ** 40 + 7).getrandbits(32)).toBe(2635837658);
    expect(new PyRandom(-3).getrandbits(32)).toBe(1022050301);
  });
  it("randbelow matches randrange", () => {
    const r = new PyRandom(7);
    expect(Array.from({length: 5}, () => r.randbelow(1000))).toEqual([331, 970, 154, 404, 666]);
  });
  it("shuffle matches random.shuffle", () => {
    const a = Array.from({length: 20}, (_, i) => i);
    new PyRandom(3).shuffle(a);
    expect(a).toEqual([8, 3, 6, 5, 15, 16, 2, 12, 0, 1, 13, 10, 19, 9, 14, 11, 4, 17, 18, 7]);
  });
  it("random() matches", () => {
    expect(new PyRandom(9).random()).toBe(0.46300735781502145);
  });
  it("rejects bad widths and bounds", () => {
    expect(() => new PyRandom(0).getrandbits(33)).toThrow(/invalid getrandbits/);
    expect(() => new PyRandom(0).randbelow(0)).toThrow(/invalid randbelow/);
  });
});

describe("Rng (sfc32)", () => {
  it("is deterministic under a seed and differs across seeds and streams", () => {
    const a = Array.from(
      {length: 8},
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(1)),
    );
    const b = Array.from(
      {length: 8},
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(1)),
    );
    const c = Array.from(
      {length: 8},
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(2)),
    );
    const d = Array.from(
      {length: 8},
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(1, 1)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
  });
  it("state round-trips exactly", () => {
    const r = new Rng(5);
    r.next();
    const s = Rng.fromState(r.state());
    expect(Array.from({length: 5}, () => s.nextUint32())).toEqual(Array.from({length: 5}, () => r.nextUint32()));
  });
  it("produces roughly uniform draws and unbiased ints", () => {
    const r = new Rng(42);
    const n = 40_000;
    let sum = 0;
    const hist = new Array(5).fill(0);
    for (let i = 0; i < n; i++) {
      sum += r.next();
      hist[r.int(5)]++;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    for (const h of hist) expect(Math.abs(h / n - 0.2)).toBeLessThan(0.01);
  });
  it("deriveSeed separates parts", () => {
    expect(deriveSeed(0, "a", 1)).not.toBe(deriveSeed(0, "a1"));
    expect(deriveSeed(0, "x")).toBe(deriveSeed(0, "x"));
  });
});
