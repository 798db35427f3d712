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
