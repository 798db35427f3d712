#!/usr/bin/env node
// Headless-browser smoke test for the built site (dist/).
//
// Serves dist/ on 127.0.0.1 with a tiny static server, opens every built page
// (every *.html except 404.html) in Debian's Chromium through playwright-core,
// and fails a page on: console errors, uncaught page errors, failed requests,
// HTTP responses >= 400 (except a missing /favicon.ico), any request to a host
// other than 127.0.0.1 (aborted and recorded), and Framework cell errors
// (elements with class .observablehq--error), including after every slider, select and radio
// group on the page has been moved to another value (reactivity check).
//
// Usage:
//   node test/browser/smoke.mjs [DIST_DIR] [--screenshots DIR] [--settle MS]
//                               [--page-timeout MS] [--timeout MS]
// Environment: SMOKE_DIST, SMOKE_SCREENSHOTS, SMOKE_SETTLE_MS, SMOKE_PAGE_TIMEOUT_MS,
//              SMOKE_TIMEOUT_MS, CHROMIUM_PATH (default /usr/bin/chromium).
// Output: one line per page, then "N passed, M failed". Exit code 1 on any failure.
//
// Needs Chromium: apt-get install -y chromium

import {createServer} from "node:http";
import {createReadStream, existsSync} from "node:fs";
import {mkdir, readdir, stat} from "node:fs/promises";
import {dirname, extname, join, relative, resolve, sep} from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";

const HERE = dirname(fileURLToPath(import.meta.url));

const MIME = {
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

function usage() {
  return [
    "usage: node test/browser/smoke.mjs [DIST_DIR] [--screenshots DIR] [--settle MS] [--page-timeout MS] [--timeout MS]",
    "  DIST_DIR        built site (default: <project>/dist, or $SMOKE_DIST)",
    "  --screenshots   write a full-page PNG per page into DIR (or $SMOKE_SCREENSHOTS)",
    "  --settle        extra wait after network idle, ms (default 1500, or $SMOKE_SETTLE_MS)",
    "  --page-timeout  per-page navigation/idle timeout, ms (default 60000, or $SMOKE_PAGE_TIMEOUT_MS)",
    "  --timeout       overall timeout, ms (default 600000, or $SMOKE_TIMEOUT_MS)",
    "  CHROMIUM_PATH   Chromium binary (default /usr/bin/chromium)",
  ].join("\n");
}

function parseOptions() {
  const {values, positionals} = parseArgs({
    allowPositionals: true,
    options: {
      dist: {type: "string"},
      screenshots: {type: "string"},
      settle: {type: "string"},
      "page-timeout": {type: "string"},
      timeout: {type: "string"},
      help: {type: "boolean", short: "h"},
    },
  });
  if (values.help) {
    console.log(usage());
    process.exit(0);
  }
  if (positionals.length > 1) throw new Error(`too many arguments: ${positionals.join(" ")}\n${usage()}`);
  const num = (name, v, dflt) => {
    if (v === undefined || v === "") return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`invalid ${name}: ${v}`);
    return n;
  };
  const screenshots = values.screenshots ?? process.env.SMOKE_SCREENSHOTS;
  return {
    dist: resolve(values.dist ?? positionals[0] ?? process.env.SMOKE_DIST ?? join(HERE, "..", "..", "dist")),
    screenshots: screenshots ? resolve(screenshots) : null,
    settleMs: num("--settle", values.settle ?? process.env.SMOKE_SETTLE_MS, 1500),
    pageTimeoutMs: num("--page-timeout", values["page-timeout"] ?? process.env.SMOKE_PAGE_TIMEOUT_MS, 60_000),
    timeoutMs: num("--timeout", values.timeout ?? process.env.SMOKE_TIMEOUT_MS, 600_000),
    chromium: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  };
}

// ---------------------------------------------------------------- pages

/** Every built *.html page except 404.html, skipping Framework's _-prefixed asset folders. */
async function findPages(dist) {
  const pages = [];
  async function walk(dir) {
    let entries;
    try {
      entries = await readdir(dir, {withFileTypes: true});
    } catch (e) {
      if (e.code === "ENOENT" || e.code === "ENOTDIR") return;
      throw e;
    }
    for (const ent of entries) {
      if (ent.name.startsWith(".") || ent.name.startsWith("_")) continue;
      const full = join(dir, ent.name);
      if (ent.isDirectory()) await walk(full);
      else if (ent.isFile() && ent.name.endsWith(".html") && ent.name !== "404.html") {
        const rel = relative(dist, full).split(sep).join("/");
        let route = "/" + rel.slice(0, -".html".length);
        if (route === "/index") route = "/";
        else if (route.endsWith("/index")) route = route.slice(0, -"index".length);
        pages.push(route);
      }
    }
  }
  await walk(dist);
  return pages.sort((a, b) => (a === "/" ? -1 : b === "/" ? 1 : a.localeCompare(b)));
}

// ---------------------------------------------------------------- static server

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

function startServer(root) {
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, {allow: "GET, HEAD"}).end();
        return;
      }
      const url = new URL(req.url, "http://127.0.0.1");
      let pathname;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        res.writeHead(400).end("bad request");
        return;
      }
      const file = resolve(root, "." + pathname);
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end("forbidden");
        return;
      }
      let target = null;
      if (pathname.endsWith("/")) {
        if (await isFile(join(file, "index.html"))) target = join(file, "index.html");
      } else if (await isFile(file)) {
        target = file;
      } else if (await isFile(file + ".html")) {
        target = file + ".html"; // Framework's clean URLs: /gridworld -> gridworld.html
      } else if (await isDir(file) && (await isFile(join(file, "index.html")))) {
        res.writeHead(302, {location: url.pathname + "/" + url.search}).end();
        return;
      }
      let status = 200;
      if (!target) {
        status = 404;
        const notFound = join(root, "404.html");
        if (extname(pathname) === "" && (await isFile(notFound))) target = notFound;
        else {
          res.writeHead(404, {"content-type": "text/plain; charset=utf-8"}).end("not found");
          return;
        }
      }
      const {size} = await stat(target);
      res.writeHead(status, {
        "content-type": MIME[extname(target).toLowerCase()] ?? "application/octet-stream",
        "content-length": size,
        "cache-control": "no-store",
      });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      const stream = createReadStream(target);
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

function closeServer(server) {
  return new Promise((res) => {
    server.closeAllConnections?.();
    server.close(() => res());
  });
}

// ---------------------------------------------------------------- browser

const oneLine = (s, max = 300) => {
  const t = String(s).replace(/\s+/g, " ").trim();
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
};

function isLocal(url) {
  try {
    const u = new URL(url);
    if (u.protocol === "data:" || u.protocol === "blob:" || u.protocol === "about:") return true;
    return u.hostname === "127.0.0.1";
  } catch {
    return false;
  }
}

function isFavicon(url) {
  try {
    return new URL(url).pathname === "/favicon.ico";
  } catch {
    return false;
  }
}

function screenshotName(route) {
  if (route === "/") return "index.png";
  return route.replace(/^\/+|\/+$/g, "").replace(/\//g, "__") + (route.endsWith("/") ? "__index" : "") + ".png";
}

async function checkPage(browser, origin, route, opts) {
  const reasons = [];
  const add = (r) => {
    const line = oneLine(r);
    if (!reasons.includes(line)) reasons.push(line);
  };
  const external = new Set();
  let collecting = true;

  const context = await browser.newContext({
    serviceWorkers: "block", // so that every request goes through the route below
    viewport: {width: 1280, height: 900},
  });
  try {
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      external.add(url);
      if (collecting) add(`external request blocked: ${route.request().method()} ${url}`);
      return route.abort("blockedbyclient");
    });
    if (typeof context.routeWebSocket === "function") {
      await context.routeWebSocket(/.*/, (ws) => {
        if (isLocal(ws.url().replace(/^ws/, "http"))) return ws.connectToServer();
        if (collecting) add(`external WebSocket blocked: ${ws.url()}`);
        ws.close();
      });
    }
    const page = await context.newPage();
    page.setDefaultTimeout(opts.pageTimeoutMs);
    page.on("console", (msg) => {
      if (!collecting || msg.type() !== "error") return;
      const loc = msg.location();
      if (loc?.url && isFavicon(loc.url)) return;
      if (loc?.url && external.has(loc.url)) return; // already reported as external request
      const where = loc?.url ? ` (${loc.url.replace(origin, "")}${loc.lineNumber ? `:${loc.lineNumber + 1}` : ""})` : "";
      add(`console error: ${msg.text().split("\n")[0]}${where}`);
    });
    page.on("pageerror", (err) => {
      if (collecting) add(`page error: ${err?.stack?.split("\n")[0] || err?.message || err}`);
    });
    page.on("requestfailed", (req) => {
      if (!collecting || external.has(req.url())) return;
      add(`request failed: ${req.method()} ${req.url().replace(origin, "")} ${req.failure()?.errorText ?? ""}`);
    });
    page.on("response", (res) => {
      if (!collecting || res.status() < 400) return;
      if (res.status() === 404 && isFavicon(res.url())) return;
      add(`HTTP ${res.status()} ${res.request().method()} ${res.url().replace(origin, "")}`);
    });

    try {
      await page.goto(origin + route, {waitUntil: "load", timeout: opts.pageTimeoutMs});
    } catch (e) {
      add(`navigation failed: ${e.message.split("\n")[0]}`);
      return reasons;
    }
    try {
      await page.waitForLoadState("networkidle", {timeout: opts.pageTimeoutMs});
    } catch {
      add(`network not idle after ${opts.pageTimeoutMs} ms`);
    }
    if (opts.settleMs > 0) await page.waitForTimeout(opts.settleMs);

    try {
      const errors = await page.$$eval(".observablehq--error", (els) => els.map((el) => el.textContent));
      for (const text of errors) add(`cell error: ${text}`);
    } catch (e) {
      add(`could not inspect page: ${e.message.split("\n")[0]}`);
    }

    if (opts.screenshots) {
      try {
        await page.screenshot({path: join(opts.screenshots, screenshotName(route)), fullPage: true});
      } catch (e) {
        add(`screenshot failed: ${e.message.split("\n")[0]}`);
      }
    }

    // Reactivity: move every enabled slider, select and radio group to another value, one at a time,
    // and check that the page recomputes without errors (console errors are collected throughout).
    try {
      const changed = await page.evaluate(async () => {
        const pause = (ms) => new Promise((r) => setTimeout(r, ms));
        const fire = (el) => {
          el.dispatchEvent(new Event("input", {bubbles: true}));
          el.dispatchEvent(new Event("change", {bubbles: true}));
        };
        let n = 0;
        for (const el of document.querySelectorAll('input[type="range"]:not([disabled])')) {
          const min = Number(el.min || 0), max = Number(el.max || 100), step = Number(el.step) || 1;
          el.value = String(Math.min(max, min + step * Math.max(1, Math.round((max - min) / step / 3))));
          fire(el);
          n++;
          await pause(150);
        }
        for (const el of document.querySelectorAll("select:not([disabled])")) {
          if (el.options.length < 2) continue;
          el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
          fire(el);
          n++;
          await pause(150);
        }
        const groups = new Map();
        for (const el of document.querySelectorAll('input[type="radio"]:not([disabled])')) {
          if (!groups.has(el.name)) groups.set(el.name, []);
          groups.get(el.name).push(el);
        }
        for (const radios of groups.values()) {
          const next = radios.find((r) => !r.checked);
          if (!next) continue;
          next.checked = true;
          fire(next);
          n++;
          await pause(150);
        }
        return n;
      });
      if (changed > 0) {
        await page.waitForTimeout(Math.max(500, opts.settleMs));
        const errors = await page.$$eval(".observablehq--error", (els) => els.map((el) => el.textContent));
        for (const text of errors) add(`cell error after changing inputs: ${text}`);
      }
    } catch (e) {
      add(`could not exercise inputs: ${e.message.split("\n")[0]}`);
    }

    collecting = false;
    return reasons;
  } finally {
    collecting = false;
    await context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- main

async function main() {
  let opts;
  try {
    opts = parseOptions();
  } catch (e) {
    console.error(`smoke: ${e.message}`);
    return 1;
  }

  const pages = await findPages(opts.dist);
  if (pages.length === 0) {
    console.error(`smoke: no pages (*.html) found in ${opts.dist}; build the site first (npm run build)`);
    return 1;
  }
  if (!existsSync(opts.chromium)) {
    console.error(`smoke: Chromium not found at ${opts.chromium}; install it with: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    return 1;
  }
  let chromium;
  try {
    ({chromium} = await import("playwright-core"));
  } catch (e) {
    console.error(`smoke: cannot load playwright-core (${e.message.split("\n")[0]}); run npm install`);
    return 1;
  }
  if (opts.screenshots) await mkdir(opts.screenshots, {recursive: true});

  let server = null;
  let browser = null;
  let timedOut = false;
  let current = null;
  const cleanup = async () => {
    const b = browser;
    const s = server;
    browser = server = null;
    await Promise.all([b?.close().catch(() => {}), s && closeServer(s).catch(() => {})]);
  };

  // Overall timeout: never hang forever, even if the browser stops responding.
  const overall = setTimeout(async () => {
    timedOut = true;
    console.error(`smoke: overall timeout of ${opts.timeoutMs} ms exceeded${current ? ` (while checking ${current})` : ""}; aborting`);
    const hard = setTimeout(() => process.exit(1), 10_000);
    hard.unref();
    await cleanup();
    process.exit(1);
  }, opts.timeoutMs);

  try {
    server = await startServer(opts.dist);
    const {port} = server.address();
    const origin = `http://127.0.0.1:${port}`;
    try {
      // Playwright gives the browser a fresh temporary profile (user-data-dir) and deletes it on close.
      browser = await chromium.launch({
        executablePath: opts.chromium,
        headless: true,
        timeout: 60_000,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
    } catch (e) {
      console.error(`smoke: could not launch Chromium at ${opts.chromium} (${e.message.split("\n")[0]}); install it with: apt-get install -y chromium`);
      return 1;
    }

    let passed = 0;
    let failed = 0;
    const width = Math.max(...pages.map((p) => p.length));
    for (const route of pages) {
      if (timedOut) return 1;
      current = route;
      const t0 = performance.now();
      let reasons;
      try {
        reasons = await checkPage(browser, origin, route, opts);
      } catch (e) {
        reasons = [`smoke test error: ${oneLine(e.message)}`];
      }
      if (timedOut) return 1;
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      if (reasons.length === 0) {
        passed++;
        console.log(`ok  ${route.padEnd(width)}  ${secs} s`);
      } else {
        failed++;
        console.log(`FAIL ${route}: ${reasons.join(" | ")}`);
      }
    }
    console.log(`${passed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  } finally {
    clearTimeout(overall);
    await cleanup();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`smoke: ${e?.stack || e}`);
    process.exitCode = 1;
  },
);
