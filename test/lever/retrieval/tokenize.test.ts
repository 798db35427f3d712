// Tests for lib/lever/retrieval/tokenize.ts: clauses, phrases and the scope of a negation.
import {describe, expect, it} from "vitest";
import {tokenize} from "../../../lib/lever/retrieval/tokenize.js";

/** token, with "!" for negated, "^" for an avoidance word, "@clause". */
const show = (text: string) => tokenize(text).map((t) => `${t.token}${t.negated ? "!" : ""}${t.avoidance ? "^" : ""}@${t.clause}`);

describe("tokenize(text): clauses and phrases", () => {
  it("splits clauses at punctuation and conjunctions, and drops them", () => {
    expect(show("Take the shortest route, collect the gold, dodge the pits and activate the lever")).toEqual([
      "collect@0",
      "fast@0",
      "path@0",
      "collect@1",
      "gold@1",
      "hazard^@2",
      "hazard@2",
      "lever@3",
      "lever@3",
    ]);
  });

  it("reads multi-word phrases before single words", () => {
    expect(tokenize("Get out as fast as you can").map((t) => [t.word, t.token])).toEqual([
      ["get out", "exit"],
      ["fast", "fast"],
    ]);
    expect(show("Stay clear of the traps on your way out")).toEqual(["hazard^@0", "hazard@0", "exit@0"]);
    expect(show("escape in no time")).toEqual(["exit@0", "fast@0"]);
    expect(show("take your time")).toEqual(["fast!@0"]);
  });

  it("expands contractions and curly apostrophes", () => {
    for (const q of ["don't collect the gold", "don’t collect the gold", "do not collect the gold", "dont collect the gold"]) expect(show(q), q).toEqual(["collect!@0", "gold!@0"]);
    expect(show("you can't touch the lever")).toEqual(["touch@0", "lever!@0"]);
  });
});

describe("tokenize(text): negation", () => {
  it("negates path, gold, lever and collect to the end of the clause only", () => {
    expect(show("don't collect the gold, exit fast")).toEqual(["collect!@0", "gold!@0", "exit@1", "fast@1"]);
    expect(show("ignore the lever, then hurry")).toEqual(["lever!@0", "fast@1"]);
  });

  it("never negates a hazard: avoiding hazards is the hazard objective", () => {
    expect(show("don't step on hazards")).toEqual(["step@0", "hazard@0"]);
    expect(show("never touch a trap")).toEqual(["touch@0", "hazard@0"]);
  });

  it("an avoidance word stands for hazard, or only negates another objective it names", () => {
    expect(show("avoid the traps")).toEqual(["hazard^@0", "hazard@0"]);
    expect(show("avoid the lever")).toEqual(["lever!@0"]);
    expect(show("stay away from the gold")).toEqual(["gold!@0"]);
  });

  it("a named hazard closes the scope: 'avoid traps collecting gold' still asks for gold", () => {
    expect(show("avoid traps collecting gold")).toEqual(["hazard^@0", "hazard@0", "collect@0", "gold@0"]);
  });

  it("a clause of object nouns after 'and'/'or' shares the negation; a verb clause does not", () => {
    expect(show("ignore the lever and the coins")).toEqual(["lever!@0", "gold!@1"]);
    expect(show("ignore the lever and collect the coins")).toEqual(["lever!@0", "collect@1", "gold@1"]);
  });

  it("negative words negate path; a second negator cancels the first", () => {
    expect(show("exit slowly")).toEqual(["exit@0", "fast!@0"]);
    expect(show("don't be slow")).toEqual(["fast@0"]);
    expect(show("don't forget to flip the switch")).toEqual(["lever@0", "lever@0"]);
    expect(show("no rush")).toEqual(["fast!@0"]);
  });
});
