import {describe, expect, it} from "vitest";
import {regressorGroups, regressorReport} from "../../../lib/lever/experiment/index.js";
import type {LibraryEmbedding, LibraryPolicy} from "../../../lib/lever/pi2vec/embedding.js";
import {Rng} from "../../../lib/core/rng.js";

/** A synthetic [v3]-style embedding: 2 specs × 8 reward systems × 12 policies, base/pair/trip sets. */
function synthetic(): LibraryEmbedding {
  const rewards = ["path", "gold", "hazard", "lever", "hazard-lever", "path-gold", "path-gold-hazard", "path-gold-hazard-lever"];
  const rng = new Rng(3);
  const dim = 4;
  const policies: LibraryPolicy[] = [];
  for (const spec of ["X1", "X5"])
    for (const reward of rewards)
      for (let k = 0; k < 12; k++) {
        policies.push({
          index: policies.length,
          name: `${spec}_${reward}_0000_${k}`,
          runId: "",
          spec,
          reward,
          seed: 0,
          snapshot: k,
          episode: k * 1000,
          label: String(k),
          target: rng.next() * 100,
          transitions: 3,
        });
      }
  const make = () => Float32Array.from({length: policies.length * dim}, () => rng.next());
  return {policies, embeddings: {base: make(), pair: make(), trip: make()}, dim, canonical: {}, method: "lstd", rule: "v3", seconds: 0};
}

describe("regressor groups and report (spec §5)", () => {
  it("base/pair/trip filter their reward systems, per spec when asked", () => {
    const e = synthetic();
    const groups = regressorGroups(e, true);
    expect(groups.map((g) => g.key)).toEqual(["X1/base", "X5/base", "X1/pair", "X5/pair", "X1/trip", "X5/trip"]);
    const size = (k: string) => groups.find((g) => g.key === k)!.policies.length;
    expect([size("X1/base"), size("X1/pair"), size("X1/trip")]).toEqual([4 * 12, 6 * 12, 5 * 12]);
    expect(groups.find((g) => g.key === "X5/trip")!.policies.every((p) => p.spec === "X5" && p.reward !== "path-gold-hazard-lever")).toBe(true);
    expect(regressorGroups(e, false).map((g) => g.key)).toEqual(["*/base", "*/pair", "*/trip"]);
  });
  it("reports seeded CV and in-sample metrics for every group, deterministically", () => {
    const e = synthetic();
    const a = regressorReport(e, {kind: "linear", bySpec: true});
    expect(a).toHaveLength(6);
    for (const r of a) {
      expect(r.n).toBeGreaterThan(0);
      expect(Number.isFinite(r.cv.r2) && Number.isFinite(r.inSample.r2)).toBe(true);
      expect(r.inSample.r2).toBeGreaterThanOrEqual(r.cv.r2); // random targets: in-sample fits, CV does not
    }
    expect(regressorReport(e, {kind: "linear", bySpec: true})).toEqual(a);
  });
});
