// runtime/cache.ts: artefact keys hash the code an artefact's module imports (its import
// graph), so an edit recomputes exactly the artefacts whose code depends on the edited file.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {pathToFileURL} from "node:url";
import {describe, expect, it} from "vitest";
import {cacheKey, importGraph, PROJECT_ROOT, sourceHash} from "../../runtime/cache.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "graph-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("importGraph", () => {
  it("follows static, side-effect, dynamic and re-exports, and worker URLs; .js names the .ts file", () => {
    const dir = project({
      "a.ts": `import {b} from "./b.js";\nimport type {T} from "./types.js";\nimport "./side.js";\nexport * from "./re.js";\nconst w = new URL("./worker.ts", import.meta.url);\nconst m = await import("./lazy.js");\nimport {x} from "node:fs";\nimport {y} from "ml-matrix";`,
      "b.ts": `export {c} from "./c.js";`,
      "c.ts": "export const c = 1;",
      "types.ts": "export type T = number;",
      "side.ts": "",
      "re.ts": "",
      "worker.ts": `import {c} from "./c.js";`,
      "lazy.ts": "",
      "unrelated.ts": "export const u = 1;",
    });
    const names = importGraph([join(dir, "a.ts")]).map((f) => relative(dir, f));
    expect(names).toEqual(["a.ts", "b.ts", "c.ts", "lazy.ts", "re.ts", "side.ts", "types.ts", "worker.ts"]);
  });

  it("sourceHash changes with a file in the graph and not with one outside it", () => {
    const dir = project({"a.ts": `import {b} from "./b.js";`, "b.ts": "export const b = 1;", "other.ts": "export const o = 1;"});
    const a = join(dir, "a.ts");
    // sourceHash memoises per entry list (one build = one source tree); spell the entry three ways
    // to get three fresh computations of the same graph.
    const h1 = sourceHash([a]);
    writeFileSync(join(dir, "other.ts"), "export const o = 2;");
    expect(sourceHash([pathToFileURL(a)])).toBe(h1);
    writeFileSync(join(dir, "b.ts"), "export const b = 2;");
    expect(sourceHash([`${dir}//a.ts`])).not.toBe(h1);
  });
});

describe("the project's artefact keys", () => {
  const graph = (...files: string[]) => importGraph(files.map((f) => join(PROJECT_ROOT, f))).map((f) => relative(PROJECT_ROOT, f));

  it("a library depends on its training code, not on composition, retrieval or Part II", () => {
    const g = graph("runtime/library-build.ts", "runtime/workers/library-worker.ts");
    expect(g).toContain("lib/lever/library/sarsa.ts");
    expect(g).toContain("lib/lever/env/gridworld.ts");
    for (const f of g) expect(f).not.toMatch(/^lib\/(steer\/|compose|experiment|hnsw|text-embed|regressor)/);
  });

  it("a library and an embedding do not depend on the build profiles (editing them retrains nothing)", () => {
    for (const g of [graph("runtime/library-build.ts", "runtime/workers/library-worker.ts"), graph("runtime/embedding.ts")]) {
      expect(g).toContain("lib/lever/library/params.ts");
      expect(g).not.toContain("lib/core/profile.ts");
      expect(g).not.toContain("lib/lever/library/plan.ts");
    }
  });

  it("the policies and π2vec agreement artefacts do not depend on composition, retrieval or the library page", () => {
    for (const g of [graph("runtime/policies.ts"), graph("runtime/pi2vec-agreement.ts")]) {
      expect(g).toContain("lib/lever/pi2vec/params.ts");
      for (const f of g) expect(f).not.toMatch(/^lib\/(steer\/|lever\/(compose|retrieval|experiment)\/)|^lib\/lever\/library\/summary\.ts$/);
    }
  });

  it("Part II's studies do not depend on LEVER's modules", () => {
    const g = graph("runtime/steer.ts");
    expect(g).toContain("lib/steer/studies.ts");
    expect(g).toContain("lib/core/profile.ts");
    expect(g).toContain("runtime/workers/steer-worker.ts");
    for (const f of g) expect(f).not.toMatch(/^lib\/lever\//);
    expect(graph("data-loaders/steer.ts")).toEqual(expect.arrayContaining(g));
  });

  it("keys differ by name, parameters and code", () => {
    const m = [join(PROJECT_ROOT, "runtime/library-build.ts")];
    const k = cacheKey("library", {a: 1, b: [2]}, m);
    expect(cacheKey("library", {b: [2], a: 1}, m)).toBe(k); // key order does not matter
    expect(cacheKey("library", {a: 2, b: [2]}, m)).not.toBe(k);
    expect(cacheKey("embedding", {a: 1, b: [2]}, m)).not.toBe(k);
    expect(cacheKey("library", {a: 1, b: [2]}, [join(PROJECT_ROOT, "runtime/steer.ts")])).not.toBe(k);
  });
});
