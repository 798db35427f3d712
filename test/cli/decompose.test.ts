// `lever decompose`: {target, objectives, subQueries} on stdout; an objective it cannot map is one line and exit 2.
import {describe, expect, it} from "vitest";
import {POLICY_DESCRIPTIONS} from "../../lib/lever/retrieval/text-embed.js";
import {lever} from "./helpers.js";

describe("lever decompose --query TEXT [--mode M] [--method M]", () => {
  it("prints the target reward system, its objectives and the sub-queries of the mode's list", async () => {
    const r = await lever("decompose", "--query", "exit asap with max gold");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({target: "path-gold", objectives: ["path", "gold"], subQueries: [POLICY_DESCRIPTIONS.path, POLICY_DESCRIPTIONS.gold]});
    const d = await lever("decompose", "--query", "Take the shortest route, collect the gold, dodge the pits and activate the lever", "--mode", "double");
    expect(JSON.parse(d.stdout)).toEqual({
      target: "path-gold-hazard-lever",
      objectives: ["path", "gold", "hazard", "lever"],
      subQueries: [POLICY_DESCRIPTIONS["path-gold"], POLICY_DESCRIPTIONS["hazard-lever"]],
    });
  });

  it("reads negation by default and not with --method keywords", async () => {
    expect(JSON.parse((await lever("decompose", "--query", "don't collect the gold, exit fast")).stdout).target).toBe("path");
    expect(JSON.parse((await lever("decompose", "--query", "don't collect the gold, exit fast", "--method", "keywords")).stdout).target).toBe("path-gold");
  });

  it("exits 2 with one line and nothing on stdout for what it cannot map or bad flags", async () => {
    const cases: [string[], RegExp][] = [
      [["--query", "make me a sandwich"], /^lever decompose: unknown objective in query "make me a sandwich": "sandwich" \(known objectives: path/],
      [["--query", "step on the traps"], /^lever decompose: cannot map "step on the traps": .* seeks hazards/],
      [["--query", "pull the lever", "--mode", "double"], /^lever decompose: cannot decompose "pull the lever" in double mode/],
      [["--query", "exit fast", "--mode", "quadruple"], /^lever decompose: invalid decomposition mode: "quadruple" \(accepted: trivial, double, triple\)$/],
      [["--query", "exit fast", "--method", "llm"], /^lever decompose: invalid decomposition method: "llm" \(accepted: clauses, keywords\)$/],
      [[], /^lever decompose: missing --query$/],
    ];
    for (const [args, message] of cases) {
      const r = await lever("decompose", ...args);
      expect([r.code, r.stdout, r.stderr.length], args.join(" ")).toEqual([2, "", 1]);
      expect(r.stderr[0]).toMatch(message);
    }
  });
});
