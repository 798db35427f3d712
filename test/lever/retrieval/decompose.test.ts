// Tests for lib/lever/retrieval/decompose.ts (spec/lever.md §6, §8.1): the deterministic decomposition reproduces the
// expected LLM output of the three reference queries in every mode, handles paraphrases, and rejects
// objectives it does not know with a one-line error.
import {describe, expect, it} from "vitest";
import {
  DECOMPOSITION_MODES,
  DOUBLE_POLICIES,
  EXPECTED_DECOMPOSITIONS,
  REFERENCE_QUERIES,
  TRIPLE_POLICIES,
  TRIVIAL_POLICIES,
  decomposeQuery,
  detectObjectives,
} from "../../../lib/lever/retrieval/decompose.js";
import {POLICY_DESCRIPTIONS} from "../../../lib/lever/retrieval/text-embed.js";
import {HELD_OUT, PARAPHRASES, REFUSED} from "./paraphrases.js";

const D = POLICY_DESCRIPTIONS;

describe("policy lists (§6, verbatim)", () => {
  it("TRIVIAL = the 4 base descriptions; DOUBLE and TRIPLE strings verbatim", () => {
    expect(TRIVIAL_POLICIES).toEqual([D.path, D.gold, D.lever, D.hazard]);
    expect(DOUBLE_POLICIES).toEqual([
      "Find the fastest exit and collect as much gold as possible.",
      "Reach the exit while avoiding hazards.",
      "Activate the lever and avoid hazards while reaching the exit.",
    ]);
    expect(DOUBLE_POLICIES[0]).toBe(D["path-gold"]);
    expect(DOUBLE_POLICIES[2]).toBe(D["hazard-lever"]);
    expect(Object.values(D)).not.toContain(DOUBLE_POLICIES[1]); // matches no description exactly
    expect(TRIPLE_POLICIES).toEqual(["Find the fastest exit and collect as much gold as possible, while avoiding hazards.", "Activate the lever and reach the exit as quickly as possible."]);
    expect(REFERENCE_QUERIES.Q3.query).toBe("Find the fastest exit after activating the lever, collect as much gold as possible, avoid hazards at all cost");
  });
});

describe("decomposeQuery(query, mode) on the reference queries", () => {
  it("equals the §6 [INFERRED] table with the §8.1 expected counts", () => {
    expect(EXPECTED_DECOMPOSITIONS.map((e) => `${e.mode}:${e.query}:${e.expectedCount}`)).toEqual(["trivial:Q1:2", "trivial:Q2:3", "trivial:Q3:4", "double:Q2:2", "double:Q3:2", "triple:Q3:2"]);
    for (const e of EXPECTED_DECOMPOSITIONS) {
      const d = decomposeQuery(REFERENCE_QUERIES[e.query].query, e.mode);
      expect(d.subQueries).toEqual(e.subQueries);
      expect(d.expectedCount).toBe(e.expectedCount);
      expect(d.objectives.join("-")).toBe(e.target);
    }
  });

  it("spells the table out: trivial → base strings, double → [P+G, hazard-only], [P+G, H+L], triple → both", () => {
    const {Q1, Q2, Q3} = REFERENCE_QUERIES;
    expect(decomposeQuery(Q1.query, "trivial").subQueries).toEqual([D.path, D.gold]);
    expect(decomposeQuery(Q2.query, "trivial").subQueries).toEqual([D.path, D.gold, D.hazard]);
    expect(decomposeQuery(Q3.query, "trivial").subQueries).toEqual([D.path, D.gold, D.hazard, D.lever]);
    expect(decomposeQuery(Q2.query, "double").subQueries).toEqual([D["path-gold"], "Reach the exit while avoiding hazards."]);
    expect(decomposeQuery(Q3.query, "double").subQueries).toEqual([D["path-gold"], D["hazard-lever"]]);
    expect(decomposeQuery(Q3.query, "triple").subQueries).toEqual([...TRIPLE_POLICIES]);
    // Q1 is not run in double mode by the reference; the mapping still gives the single P+G string.
    expect(decomposeQuery(Q1.query, "double").subQueries).toEqual([D["path-gold"]]);
  });

  it("explains which words triggered which objective and what each sub-query covers", () => {
    const d = decomposeQuery(REFERENCE_QUERIES.Q3.query, "triple");
    expect(d.triggers).toEqual({path: ["fastest"], gold: ["gold"], hazard: ["avoid", "hazards"], lever: ["activating", "lever"]});
    expect(d.covers).toEqual([
      ["path", "gold", "hazard"],
      ["path", "lever"],
    ]);
    expect(d.explanation).toEqual([
      '"fastest" → path',
      '"gold" → gold',
      '"avoid", "hazards" → hazard',
      '"activating", "lever" → lever',
      '"Find the fastest exit and collect as much gold as possible, while avoiding hazards." covers path + gold + hazard',
      '"Activate the lever and reach the exit as quickly as possible." covers path + lever',
    ]);
  });

  it("returns only verbatim strings of the mode's list", () => {
    const lists = {trivial: TRIVIAL_POLICIES, double: DOUBLE_POLICIES, triple: TRIPLE_POLICIES};
    for (const e of EXPECTED_DECOMPOSITIONS) {
      for (const s of decomposeQuery(REFERENCE_QUERIES[e.query].query, e.mode).subQueries) expect(lists[e.mode]).toContain(s);
    }
  });
});

describe("decomposeQuery on paraphrases", () => {
  it("'get the gold fast' → path + gold", () => {
    expect(decomposeQuery("get the gold fast", "trivial").subQueries).toEqual([D.path, D.gold]);
    expect(decomposeQuery("get the gold fast", "double").subQueries).toEqual([D["path-gold"]]);
    expect(decomposeQuery("get the gold fast", "trivial").triggers).toEqual({path: ["fast"], gold: ["gold"]});
  });

  it("'avoid hazards' → hazard", () => {
    expect(decomposeQuery("avoid hazards", "trivial").subQueries).toEqual([D.hazard]);
    expect(decomposeQuery("Avoid hazards!", "double").subQueries).toEqual(["Reach the exit while avoiding hazards."]);
  });

  it("'pull the lever first' → lever", () => {
    expect(decomposeQuery("pull the lever first", "trivial").subQueries).toEqual([D.lever]);
    expect(detectObjectives("flip the switch, then leave").objectives).toEqual(["lever"]);
  });

  it("'collect coins and exit quickly while staying away from traps' decomposes like Q2", () => {
    const q = "collect coins and exit quickly while staying away from traps";
    for (const mode of ["trivial", "double"] as const) {
      expect(decomposeQuery(q, mode).subQueries).toEqual(decomposeQuery(REFERENCE_QUERIES.Q2.query, mode).subQueries);
    }
    expect(decomposeQuery(q, "triple").subQueries).toEqual([TRIPLE_POLICIES[0]]);
    expect(decomposeQuery("grab the treasure and head to the goal as quickly as possible", "trivial").objectives).toEqual(["path", "gold"]);
  });
});

describe("decomposeQuery errors", () => {
  it("an unknown objective → one-line RangeError naming the known objectives", () => {
    let message = "";
    try {
      decomposeQuery("collect the keys and exit", "trivial");
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
      message = (e as Error).message;
    }
    expect(message).toBe(
      'unknown objective in query "collect the keys and exit": "keys" (known objectives: path (reach the exit fast / by the shortest path), gold (collect gold), hazard (avoid hazards), lever (activate the lever))',
    );
    expect(message).not.toContain("\n");
    expect(() => decomposeQuery("the", "trivial")).toThrow(/^no objective in query "the" \(known objectives: path/);
  });

  it("a mode whose list cannot cover the objectives exactly, or an invalid mode → RangeError", () => {
    expect(() => decomposeQuery("pull the lever first", "double")).toThrow(/cannot decompose .* in double mode: .* cover exactly lever/);
    expect(() => decomposeQuery(REFERENCE_QUERIES.Q1.query, "triple")).toThrow(/in triple mode/);
    expect(() => decomposeQuery(REFERENCE_QUERIES.Q1.query, "quadruple")).toThrow(/invalid decomposition mode: "quadruple" \(accepted: trivial, double, triple\)/);
    expect(DECOMPOSITION_MODES).toEqual(["trivial", "double", "triple"]);
  });
});

describe("decomposeQuery on readers' objectives (test/lever/retrieval/paraphrases.ts)", () => {
  it("maps every paraphrase, negation and word-order swap to its exact target", () => {
    expect(PARAPHRASES.length + HELD_OUT.length).toBeGreaterThanOrEqual(30);
    expect(PARAPHRASES.map(([q]) => [q, decomposeQuery(q, "trivial").target])).toEqual(PARAPHRASES);
    expect(HELD_OUT.map(([q]) => [q, decomposeQuery(q, "trivial").target])).toEqual(HELD_OUT);
  });

  it("covers every library reward system with several objectives", () => {
    const count = (r: string) => [...PARAPHRASES, ...HELD_OUT].filter(([, t]) => t === r).length;
    for (const r of ["path", "gold", "hazard", "lever", "hazard-lever", "path-gold", "path-gold-hazard", "path-gold-hazard-lever"]) expect(count(r), r).toBeGreaterThanOrEqual(2);
  });

  it("the four objectives the keyword parser refused (issue 10) decompose in every mode that can cover them", () => {
    expect(decomposeQuery("Get out as fast as you can", "trivial").subQueries).toEqual([D.path]);
    expect(decomposeQuery("Stay clear of the traps on your way out", "double").subQueries).toEqual([DOUBLE_POLICIES[1]]);
    expect(decomposeQuery("exit asap with max gold", "double").subQueries).toEqual([D["path-gold"]]);
    const q = "Take the shortest route, collect the gold, dodge the pits and activate the lever";
    expect(decomposeQuery(q, "trivial").subQueries).toEqual([D.path, D.gold, D.hazard, D.lever]);
    expect(decomposeQuery(q, "double").subQueries).toEqual([D["path-gold"], D["hazard-lever"]]);
    expect(decomposeQuery(q, "triple").subQueries).toEqual([...TRIPLE_POLICIES]);
  });

  it("word order changes neither the target nor the sub-queries", () => {
    const pairs = [
      ["collect the gold and exit fast", "exit fast and collect the gold"],
      ["Find the quickest way out, grab the coins, and steer clear of the pits", "Steer clear of the pits, grab the coins and find the quickest way out"],
      ["Dodge the pits, pull the lever and get out", "Pull the lever while dodging the pits, then get out"],
    ];
    for (const [a, b] of pairs) for (const mode of DECOMPOSITION_MODES) expect(tryDecompose(a, mode), `${a} | ${mode}`).toEqual(tryDecompose(b, mode));
  });

  it("a negated path, gold or lever is excluded and explained; a negated hazard is the hazard objective", () => {
    const d = decomposeQuery("Don't bother with the gold, just leave quickly", "trivial");
    expect([d.target, d.excluded, d.ignored]).toEqual(["path", {gold: ["gold"]}, ["bother"]]);
    expect(d.explanation).toEqual(['"quickly" → path', '"gold" → not gold', 'ignored "bother"', `${JSON.stringify(D.path)} covers path`]);
    expect(decomposeQuery("don't step on hazards", "trivial").objectives).toEqual(["hazard"]);
  });

  it("refuses nonsense, hazard seeking, contradictions and excluded-only objectives with one line", () => {
    for (const q of REFUSED) {
      expect(() => decomposeQuery(q, "trivial"), q).toThrow(RangeError);
      try {
        decomposeQuery(q, "trivial");
      } catch (e) {
        expect((e as Error).message, q).not.toContain("\n");
        expect((e as Error).message, q).toMatch(/known objectives: path|contradictory objective/);
      }
    }
    expect(() => decomposeQuery("step on the traps", "trivial")).toThrow(/^cannot map "step on the traps": "step", "traps" seeks hazards/);
    expect(() => decomposeQuery("avoid the gold", "trivial")).toThrow(/^no objective in query "avoid the gold" \(it excludes gold\)/);
    expect(() => decomposeQuery("exit quickly but don't rush", "trivial")).toThrow('contradictory objective in query "exit quickly but don\'t rush": path asked for ("quickly") and excluded ("rush")');
  });

  it("method 'keywords' is the strict fallback: negation ignored, any unknown word refused", () => {
    expect(decomposeQuery("don't collect the gold, exit fast", "trivial", {method: "keywords"}).target).toBe("path-gold");
    expect(decomposeQuery("don't collect the gold, exit fast", "trivial").target).toBe("path");
    expect(() => decomposeQuery("Stay clear of the traps on your way out", "trivial", {method: "keywords"})).not.toThrow();
    expect(() => decomposeQuery("Don't bother with the gold, just leave quickly", "trivial", {method: "keywords"})).toThrow(/unknown objective .*"bother"/);
    for (const e of EXPECTED_DECOMPOSITIONS) {
      expect(decomposeQuery(REFERENCE_QUERIES[e.query].query, e.mode, {method: "keywords"}).subQueries).toEqual(e.subQueries);
    }
    expect(() => decomposeQuery("x", "trivial", {method: "llm"})).toThrow(/invalid decomposition method: "llm" \(accepted: clauses, keywords\)/);
  });
});

function tryDecompose(query: string, mode: string): string[] | string {
  try {
    return [...decomposeQuery(query, mode).subQueries];
  } catch (e) {
    return (e as Error).message.replace(/"[^"]*"/, "Q");
  }
}
