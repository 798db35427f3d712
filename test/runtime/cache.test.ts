// runtime/cache.ts: artefact keys hash the code an artefact's module imports (its import
// graph), so an edit recomputes exactly the artefacts whose code depends on the edited file.
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {pathToFileURL} from "node:url";
import {describe, expect, it} from "vitest";
import {cacheKey, dependencyVersions, importGraph, PROJECT_ROOT, sourceHash} from "../../runtime/cache.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "graph-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), {recursive: true});
    writeFileSync(join(dir, name), text);
  }
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

// Issue 9 item 15: the key left out the installed packages (ml-matrix fits the regressors), so an
// upgrade (npm install, a new lockfile) served artefacts computed by the old version.
describe("dependencyVersions / sourceHash and installed packages", () => {
  const pkg = (name: string, version: string, dependencies: Record<string, string> = {}) => JSON.stringify({name, version, dependencies});

  it("a key changes with the installed version of a package the code imports, or of that package's dependencies", () => {
    const dir = project({
      "a.ts": `import {b} from "./b.js";\nimport {Matrix} from "fake-matrix/sub.js";\nimport {readFileSync} from "node:fs";\nimport {join} from "path";`,
      "b.ts": `import type {X} from "@scope/types";`,
      "node_modules/fake-matrix/package.json": pkg("fake-matrix", "6.12.1", {"fake-rescale": "^2"}),
      "node_modules/fake-rescale/package.json": pkg("fake-rescale", "2.0.0"),
      "node_modules/@scope/types/package.json": pkg("@scope/types", "1.0.0"),
      "node_modules/unused/package.json": pkg("unused", "1.0.0"),
    });
    const a = join(dir, "a.ts");
    expect(dependencyVersions([a])).toEqual(["@scope/types@1.0.0", "fake-matrix@6.12.1", "fake-rescale@2.0.0"]);
    const h1 = sourceHash([a]);
    writeFileSync(join(dir, "node_modules/unused/package.json"), pkg("unused", "9.9.9"));
    expect(sourceHash([pathToFileURL(a)])).toBe(h1); // a package the code does not use
    writeFileSync(join(dir, "node_modules/fake-rescale/package.json"), pkg("fake-rescale", "2.0.1"));
    const h2 = sourceHash([`${dir}//a.ts`]);
    expect(h2).not.toBe(h1); // a dependency of a used package
    writeFileSync(join(dir, "node_modules/fake-matrix/package.json"), pkg("fake-matrix", "6.12.2", {"fake-rescale": "^2"}));
    const h3 = sourceHash([`${dir}/./a.ts`]);
    expect(h3).not.toBe(h2);
    expect(h3).not.toBe(h1);
  });

  it("a package that is not installed is named as missing, not skipped", () => {
    const dir = project({"a.ts": `import x from "not-installed";`});
    expect(dependencyVersions([join(dir, "a.ts")])).toEqual(["not-installed@missing"]);
  });

  it("the experiment's code depends on the installed ml-matrix and arquero", () => {
    const versions = dependencyVersions([join(PROJECT_ROOT, "runtime/experiment.ts"), join(PROJECT_ROOT, "runtime/workers/experiment-worker.ts")]);
    for (const name of ["ml-matrix", "arquero"]) {
      const installed = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", name, "package.json"), "utf8")).version;
      expect(versions).toContain(`${name}@${installed}`);
    }
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
