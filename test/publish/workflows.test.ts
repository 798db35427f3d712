// The documented sharded runs (reproduce.yml, README's Slurm and Kubernetes recipes) only use flags the
// CLI accepts: each `npx lever experiment …` line, with its shell variables replaced by placeholders,
// must get past flag parsing (it then stops at the deliberately invalid spec set, before any work).
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {run as experimentCommand} from "../../cli/commands/experiment.js";

const ROOT = join(import.meta.dirname, "..", "..");
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

/** The argument lists of every `npx lever experiment` command in `text` (continuation lines joined). */
function experimentCommands(text: string): string[][] {
  let joined = text.replace(/\\\n\s*/g, " ");
  // Shell variables holding flags (F="--spec-set grid16 …") are expanded first.
  for (const [, name, value] of joined.matchAll(/^(\w+)="(--[^"]*)"$/gm)) joined = joined.replaceAll(`$${name} `, `${value} `);
  return [...joined.matchAll(/npx lever experiment ([^\n]*)/g)].map((m) =>
    m[1]
      .replace(/\$\{SEEDS:\+--seeds "\$SEEDS"\}/g, "--seeds VALUE")
      // Values do not matter (the spec set is checked first); only the flag names are under test.
      .replace(/\$\{\{[^}]*\}\}/g, "$$X") // GitHub Actions expressions contain spaces
      .replace(/\S*\$\S*/g, "VALUE")
      .split(/\s+/)
      .filter(Boolean),
  );
}

async function flagError(args: string[]): Promise<string> {
  const argv = [...args];
  const i = argv.indexOf("--spec-set");
  if (i >= 0) argv.splice(i, 2);
  try {
    await experimentCommand([...argv, "--spec-set", "grid99"]);
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}

describe("documented `lever experiment` commands", () => {
  for (const file of [".github/workflows/reproduce.yml", "README.md"]) {
    it(`${file}: every flag is accepted`, async () => {
      const text = read(file);
      // In Markdown, only the fenced code blocks (the commands a reader copies).
      const code = file.endsWith(".md") ? [...text.matchAll(/^```\w*\n([\s\S]*?)^```/gm)].map((m) => m[1]).join("\n") : text;
      const commands = experimentCommands(code);
      expect(commands.length).toBeGreaterThan(0);
      for (const args of commands) {
        const msg = await flagError(args);
        expect(msg, args.join(" ")).toMatch(/invalid spec set: "grid99"/);
      }
    });
  }
  it("reproduce.yml shards with --shard and --timing zero, and merges every shard-* directory", () => {
    const text = read(".github/workflows/reproduce.yml");
    expect(text).toMatch(/--shard "\$SHARD"/);
    expect(text).toMatch(/--timing zero/);
    expect(text).toMatch(/npx lever merge --out merged shard-\*/);
    expect(text).toMatch(/fromJSON\(needs\.plan\.outputs\.shards\)/);
  });
});
