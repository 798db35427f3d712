// Tests for lib/lever/retrieval/text-embed.ts (spec/lever.md §4): the offline stand-in for gte-multilingual-base is
// deterministic, L2-normalised, and separates the 8 policy descriptions.
import {describe, expect, it} from "vitest";
import {REWARD_SYSTEMS} from "../../../lib/lever/env/rewards.js";
import {DOUBLE_POLICIES, REFERENCE_QUERIES, TRIPLE_POLICIES} from "../../../lib/lever/retrieval/decompose.js";
import {EMBED_DIM, POLICY_DESCRIPTIONS, cosine, describeRewardSystem, embedText, embedTexts, fnv1a, stem, tokenize} from "../../../lib/lever/retrieval/text-embed.js";
import {HELD_OUT, PARAPHRASES} from "./paraphrases.js";

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
    expect(tokenize("keys")[0]).toEqual({word: "keys", token: "key", concept: false, clause: 0, negated: false, avoidance: false, scoped: false});
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

describe("embedText on readers' wording (negation, word order, paraphrase)", () => {
  it("leaves the reference's descriptions, list strings and queries bit for bit as before negation (experiment retrieval unchanged)", () => {
    const texts = [...REWARD_SYSTEMS.map((r) => POLICY_DESCRIPTIONS[r]), ...DOUBLE_POLICIES, ...TRIPLE_POLICIES, ...Object.values(REFERENCE_QUERIES).map((q) => q.query)];
    const bytes = new Uint8Array(embedTexts(texts).buffer);
    // Change detector: FNV-1a of the bytes, computed by this code on main before the tokeniser learned clauses,
    // phrases and negation (a43b2c2); it shows those inputs still embed as before, not that the embedding is
    // right (the nearest-description and synonym tests above check that).
    expect(fnv1a(String.fromCharCode(...bytes)).toString(16)).toBe("145b4c0b");
  });

  it("drops what a negation turns around: 'don't collect the gold, exit fast' embeds as 'exit fast'", () => {
    expect(Array.from(embedText("don't collect the gold, exit fast"))).toEqual(Array.from(embedText("exit fast")));
    const gold = embedText(POLICY_DESCRIPTIONS.gold);
    expect(cosine(embedText("don't collect the gold, exit fast"), gold)).toBeLessThan(cosine(embedText("collect the gold, exit fast"), gold) - 0.3);
    // a negated hazard stays: it is the hazard objective
    expect(cosine(embedText("don't step on hazards"), embedText(POLICY_DESCRIPTIONS.hazard))).toBeGreaterThan(0.5);
  });

  it("changes only bigrams with word order (cosine ≥ 0.9)", () => {
    expect(cosine(embedText("collect the gold and exit fast"), embedText("exit fast and collect the gold"))).toBeGreaterThan(0.9);
    expect(cosine(embedText("dodge the pits and pull the lever"), embedText("pull the lever and dodge the pits"))).toBeGreaterThan(0.9);
  });

  it("never ranks a description that shares no objective with a paraphrase's target above the target's", () => {
    let checked = 0;
    for (const [q, target] of [...PARAPHRASES, ...HELD_OUT]) {
      if (!(REWARD_SYSTEMS as readonly string[]).includes(target)) continue;
      const v = embedText(q);
      const own = cosine(v, embedText(POLICY_DESCRIPTIONS[target as keyof typeof POLICY_DESCRIPTIONS]));
      const wanted = new Set(target.split("-"));
      for (const r of REWARD_SYSTEMS) if (r.split("-").every((c) => !wanted.has(c))) expect(cosine(v, embedText(POLICY_DESCRIPTIONS[r])), `${q} vs ${r}`).toBeLessThan(own);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  });
});
