// Tests for lib/lever/retrieval/text-embed.ts (spec/lever.md §4): the offline stand-in for gte-multilingual-base is
// deterministic, L2-normalised, and separates the 8 policy descriptions.
import {describe, expect, it} from "vitest";
import {REWARD_SYSTEMS} from "../../../lib/lever/env/rewards.js";
import {EMBED_DIM, POLICY_DESCRIPTIONS, cosine, describeRewardSystem, embedText, embedTexts, stem, tokenize} from "../../../lib/lever/retrieval/text-embed.js";

const descriptions = REWARD_SYSTEMS.map((r) => POLICY_DESCRIPTIONS[r]);
const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe("POLICY_DESCRIPTIONS / describeRewardSystem", () => {
  it("holds the 8 strings of §4 verbatim and the fallback template", () => {
    expect(POLICY_DESCRIPTIONS).toEqual({
      path: "Find the shortest path to the exit.",
      gold: "Collect as much gold as possible before exiting.",
      lever: "Activate the lever before reaching the exit.",
      hazard: "Reach the exit while avoiding hazards and staying away from them.",
      "hazard-lever": "Activate the lever and avoid hazards while reaching the exit.",
      "path-gold": "Find the fastest exit and collect as much gold as possible.",
      "path-gold-hazard": "Find the fastest exit, collect as much gold as possible, and avoid hazards.",
      "path-gold-hazard-lever": "Find the fastest exit, collect as much gold as possible, avoid hazards, and activate the lever.",
    });
    for (const r of REWARD_SYSTEMS) expect(describeRewardSystem(r)).toBe(POLICY_DESCRIPTIONS[r]);
    expect(describeRewardSystem("combined")).toBe(POLICY_DESCRIPTIONS["path-gold"]);
    expect(describeRewardSystem("lever-gold")).toBe("Composite objective: gold, lever.");
    expect(() => describeRewardSystem("gold-keys")).toThrow(/invalid reward system/);
  });
});

describe("tokenize(text)", () => {
  it("lowercases, strips punctuation and stop words, stems and maps synonyms", () => {
    expect(tokenize("Find the fastest exit after activating the lever, collect as much gold as possible, avoid hazards at all cost").map((t) => t.token)).toEqual([
      "find",
      "fast",
      "exit",
      "lever",
      "lever",
      "collect",
      "gold",
      "hazard",
      "hazard",
    ]);
    expect(tokenize("Collect coins and exit quickly while staying away from traps!").map((t) => t.token)).toEqual(["collect", "gold", "exit", "fast", "hazard", "hazard"]);
    expect(tokenize("Pull the SWITCH").map((t) => t.token)).toEqual(["lever", "lever"]);
    expect(tokenize("keys")[0]).toEqual({word: "keys", token: "key", concept: false});
  });

  it("stem handles plurals, -ing, -ed, -est, -ly", () => {
    expect(["hazards", "boxes", "berries", "jumping", "walked", "greatest", "slowly", "grass"].map(stem)).toEqual(["hazard", "box", "berry", "jump", "walk", "great", "slow", "grass"]);
  });
});

describe("embedText(text)", () => {
  it("is deterministic, has the default dimension and unit norm", () => {
    for (const d of [...descriptions, "get the gold fast", "Reach the exit while avoiding hazards."]) {
      const a = embedText(d);
      const b = embedText(d);
      expect(a.length).toBe(EMBED_DIM);
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(norm(a)).toBeCloseTo(1, 6);
    }
    expect(embedText("Find the shortest path", {dim: 64}).length).toBe(64);
    expect(() => embedText("x", {dim: 0})).toThrow(RangeError);
  });

  it("embeds a text without features (empty, only stop words) as the zero vector, cosine 0", () => {
    for (const t of ["", "  ...  ", "as much as possible"]) expect(norm(embedText(t))).toBe(0);
    expect(cosine(embedText(""), embedText(descriptions[0]))).toBe(0);
  });

  it("is insensitive to case and punctuation, and maps synonyms together", () => {
    expect(Array.from(embedText("FIND the fastest EXIT!!"))).toEqual(Array.from(embedText("find the fastest exit")));
    expect(cosine(embedText("collect coins"), embedText("collect gold"))).toBeCloseTo(1, 6);
    expect(cosine(embedText("pull the switch"), embedText("activate the lever"))).toBeCloseTo(1, 6);
  });

  it("makes each of the 8 descriptions its own nearest neighbour (margin ≥ 0.15)", () => {
    const flat = embedTexts(descriptions);
    const vec = (i: number) => flat.subarray(i * EMBED_DIM, (i + 1) * EMBED_DIM);
    for (let i = 0; i < descriptions.length; ++i) {
      expect(cosine(vec(i), vec(i))).toBeCloseTo(1, 6);
      for (let j = 0; j < descriptions.length; ++j) if (j !== i) expect(cosine(vec(i), vec(j))).toBeLessThan(0.85);
    }
  });
});
