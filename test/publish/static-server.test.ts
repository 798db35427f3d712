// The smoke test's static server (test/browser/static-server.mjs): the root and sub-path modes, clean
// URLs on and off, and nothing served outside the base path.
import type {Server} from "node:http";
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {closeServer, normalizeBase, resolveRequest, startServer} from "../browser/static-server.mjs";

const root = mkdtempSync(join(tmpdir(), "lever-static-"));
beforeAll(() => {
  mkdirSync(join(root, "_observablehq"), {recursive: true});
  mkdirSync(join(root, "docs"), {recursive: true});
  writeFileSync(join(root, "index.html"), "home");
  writeFileSync(join(root, "gridworld.html"), "grid");
  writeFileSync(join(root, "404.html"), "missing");
  writeFileSync(join(root, "_observablehq", "client.js"), "js");
  writeFileSync(join(root, "docs", "index.html"), "docs");
});
afterAll(() => rmSync(root, {recursive: true, force: true}));

const at = (...p: string[]) => join(root, ...p);

describe("normalizeBase(base)", () => {
  it("adds the slashes and rejects traversal", () => {
    expect(normalizeBase()).toBe("/");
    expect(normalizeBase("lever-companion")).toBe("/lever-companion/");
    expect(normalizeBase("/a/b/")).toBe("/a/b/");
    expect(() => normalizeBase("/a/../b/")).toThrow(/invalid base path/);
    expect(() => normalizeBase("//x")).toThrow(/invalid base path/);
  });
});

describe("resolveRequest(root, url, {base, cleanUrls})", () => {
  it("at the root: files, clean URLs, directory indexes, the 404 page", async () => {
    expect(await resolveRequest(root, "/")).toEqual({status: 200, file: at("index.html")});
    expect(await resolveRequest(root, "/gridworld")).toEqual({status: 200, file: at("gridworld.html")});
    expect(await resolveRequest(root, "/gridworld.html?x=1")).toEqual({status: 200, file: at("gridworld.html")});
    expect(await resolveRequest(root, "/_observablehq/client.js")).toEqual({status: 200, file: at("_observablehq", "client.js")});
    expect(await resolveRequest(root, "/docs")).toEqual({status: 302, location: "/docs/"});
    expect(await resolveRequest(root, "/nope")).toEqual({status: 404, file: at("404.html")});
    expect(await resolveRequest(root, "/nope.js")).toMatchObject({status: 404, text: "not found"});
    expect(await resolveRequest(root, "/..%2F..%2Fetc%2Fpasswd")).toMatchObject({status: 403});
  });

  it("under a sub-path: the same site under the prefix, and a 404 for every URL outside it", async () => {
    const o = {base: "/lever-companion/"};
    expect(await resolveRequest(root, "/lever-companion/", o)).toEqual({status: 200, file: at("index.html")});
    expect(await resolveRequest(root, "/lever-companion/gridworld", o)).toEqual({status: 200, file: at("gridworld.html")});
    expect(await resolveRequest(root, "/lever-companion/_observablehq/client.js", o)).toEqual({status: 200, file: at("_observablehq", "client.js")});
    expect(await resolveRequest(root, "/lever-companion?q", o)).toEqual({status: 302, location: "/lever-companion/?q"});
    for (const outside of ["/", "/gridworld", "/_observablehq/client.js", "/index.html", "/lever-companionx/gridworld", "/other/lever-companion/"]) {
      expect(await resolveRequest(root, outside, o), outside).toMatchObject({status: 404, text: "not found (outside /lever-companion/)"});
    }
    expect(await resolveRequest(root, "/lever-companion/nope", o)).toEqual({status: 404, file: at("404.html")});
  });

  it("without clean URLs (like python3 -m http.server) /x is a 404 and /x.html is served", async () => {
    const o = {cleanUrls: false};
    expect(await resolveRequest(root, "/gridworld", o)).toEqual({status: 404, file: at("404.html")});
    expect(await resolveRequest(root, "/gridworld.html", o)).toEqual({status: 200, file: at("gridworld.html")});
    expect(await resolveRequest(root, "/", o)).toEqual({status: 200, file: at("index.html")});
  });
});

describe("startServer(root, {base})", () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = await startServer(root, {base: "/lever-companion/"});
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    origin = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => closeServer(server));

  it("serves under the base with content types, 404s outside it, redirects the bare prefix", async () => {
    const page = await fetch(`${origin}/lever-companion/gridworld`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toBe("grid");
    const js = await fetch(`${origin}/lever-companion/_observablehq/client.js`);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await fetch(`${origin}/gridworld`)).status).toBe(404);
    expect((await fetch(`${origin}/_observablehq/client.js`)).status).toBe(404);
    const bare = await fetch(`${origin}/lever-companion`, {redirect: "manual"});
    expect([bare.status, bare.headers.get("location")]).toEqual([302, "/lever-companion/"]);
    expect((await fetch(`${origin}/lever-companion/`, {method: "POST"})).status).toBe(405);
  });
});
