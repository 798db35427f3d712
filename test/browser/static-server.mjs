// A tiny static file server for the browser checks (test/browser/smoke.mjs), behaving like the static
// hosts the README documents:
//   - `base` ("/" or "/sub/path/"): the site is served under that prefix only, like a GitHub Pages
//     project site; every URL outside it is a plain 404, and the bare prefix without its trailing
//     slash redirects to it.
//   - `cleanUrls` (default true): /x serves x.html, like GitHub Pages and Netlify. With false, only
//     exact files and directory index.html are served, like `python3 -m http.server`.
//   - unknown extension-less paths under the base get dist's 404.html with status 404.
// Plain Node (no TypeScript) so that the smoke test runs with `node` alone.

import {createServer} from "node:http";
import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import {extname, join, resolve, sep} from "node:path";

export const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".bin": "application/octet-stream",
  ".hnsw": "application/octet-stream",
};

/** "/", "/a/b/" or "a/b" → "/" or "/a/b/"; throws on anything else (.., //, query, …). */
export function normalizeBase(base = "/") {
  let b = String(base);
  if (!b.startsWith("/")) b = "/" + b;
  if (!b.endsWith("/")) b += "/";
  if (!/^\/([A-Za-z0-9._~-]+\/)*$/.test(b) || b.split("/").some((s) => s === "." || s === "..")) throw new RangeError(`invalid base path: ${JSON.stringify(base)} (expected e.g. /lever-companion/)`);
  return b;
}

async function isFile(p) {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function isDir(p) {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Decide what a GET of `rawUrl` returns, without doing I/O on the response:
 * {status, file} (serve a file), {status, location} (redirect) or {status, text} (plain body).
 */
export async function resolveRequest(root, rawUrl, {base = "/", cleanUrls = true} = {}) {
  root = resolve(root);
  base = normalizeBase(base);
  const url = new URL(rawUrl, "http://127.0.0.1");
  if (url.pathname === base.slice(0, -1) && base !== "/") return {status: 302, location: base + url.search};
  if (!url.pathname.startsWith(base)) return {status: 404, text: `not found (outside ${base})`};
  let pathname;
  try {
    pathname = "/" + decodeURIComponent(url.pathname.slice(base.length));
  } catch {
    return {status: 400, text: "bad request"};
  }
  const file = resolve(root, "." + pathname);
  if (file !== root && !file.startsWith(root + sep)) return {status: 403, text: "forbidden"};
  if (pathname.endsWith("/")) {
    if (await isFile(join(file, "index.html"))) return {status: 200, file: join(file, "index.html")};
  } else if (await isFile(file)) {
    return {status: 200, file};
  } else if (cleanUrls && (await isFile(file + ".html"))) {
    return {status: 200, file: file + ".html"}; // Framework's clean URLs: /gridworld -> gridworld.html
  } else if ((await isDir(file)) && (await isFile(join(file, "index.html")))) {
    return {status: 302, location: url.pathname + "/" + url.search};
  }
  const notFound = join(root, "404.html");
  if (extname(pathname) === "" && (await isFile(notFound))) return {status: 404, file: notFound};
  return {status: 404, text: "not found"};
}

/** Serve `root` on 127.0.0.1 (random port) with resolveRequest's rules; resolves to the http.Server. */
export function startServer(root, {base = "/", cleanUrls = true} = {}) {
  base = normalizeBase(base);
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, {allow: "GET, HEAD"}).end();
        return;
      }
      const r = await resolveRequest(root, req.url, {base, cleanUrls});
      if (r.location) {
        res.writeHead(r.status, {location: r.location}).end();
        return;
      }
      if (!r.file) {
        res.writeHead(r.status, {"content-type": "text/plain; charset=utf-8"}).end(r.text);
        return;
      }
      const {size} = await stat(r.file);
      res.writeHead(r.status, {
        "content-type": MIME[extname(r.file).toLowerCase()] ?? "application/octet-stream",
        "content-length": size,
        "cache-control": "no-store",
      });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      const stream = createReadStream(r.file);
      stream.on("error", () => res.destroy());
      stream.pipe(res);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, {"content-type": "text/plain"});
      res.end(String(e));
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolvePromise(server));
  });
}

export function closeServer(server) {
  return new Promise((res) => {
    server.closeAllConnections?.();
    server.close(() => res());
  });
}
