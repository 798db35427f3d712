#!/usr/bin/env node
// Headless-browser smoke test for the built site (dist/).
//
// Serves dist/ on 127.0.0.1 with a tiny static server (static-server.mjs), opens every built page
// (every *.html except 404.html) in Debian's Chromium through playwright-core, once per base path
// (default: at the root "/" and under the sub-path "/lever-companion/", where everything outside the
// sub-path is a 404, as on a GitHub Pages project site), and fails a page on: console errors,
// uncaught page errors, failed requests, HTTP responses >= 400 (except a missing /favicon.ico), any request to a host
// other than 127.0.0.1 (aborted and recorded), and Framework cell errors
// (elements with class .observablehq--error), including after every slider, select and radio
// group on the page has been moved to another value (reactivity check), and on any same-origin
// link of the page that does not resolve (HEAD request with status >= 400).
// Content, not only the absence of errors: every page of observablehq.config.ts is built; every
// Observable Plot figure draws at least one mark; each input moved changes some number or figure
// (except the few listed in INERT, with the reason); key numbers are present (KEY_NUMBERS).
//
// Usage:
//   node test/browser/smoke.mjs [DIST_DIR] [--base PATH]... [--no-clean-urls] [--screenshots DIR]
//                               [--settle MS] [--page-timeout MS] [--timeout MS]
// Environment: SMOKE_DIST, SMOKE_SCREENSHOTS, SMOKE_SETTLE_MS, SMOKE_PAGE_TIMEOUT_MS,
//              SMOKE_TIMEOUT_MS, CHROMIUM_PATH (default /usr/bin/chromium).
// Output: one line per page and base path, then "N passed, M failed (...)". Exit code 1 on any failure.
//
// Needs Chromium: apt-get install -y chromium

import {existsSync, readFileSync} from "node:fs";
import {mkdir, readdir} from "node:fs/promises";
import {dirname, join, relative, resolve, sep} from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";
import {closeServer, normalizeBase, startServer} from "./static-server.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * Inputs that may legitimately change nothing in the page's default state, per route, by label.
 * Anything else that drives nothing fails the page (a slider wired to nothing is a bug).
 */
const INERT = {
  "/gridworld": {"gold-exit penalty": "applies only to an exit that leaves gold behind; the default optimum and policy collect every gold"},
};

/**
 * Numbers a page must show, independent of the build profile: each entry sets some inputs (radio or
 * select option by its visible text) and expects a pattern in the page text. The optimum 110.81 of
 * grid16 seed 0 under path-gold with the legacy penalty is the reference's own number (the targeted
 * reward of path-gold seed 0000 in reference/lever/lever-results-16/exnonzero/X1/
 * full_experiment_results_trivial.csv, not a number of spec/lever.md), also checked by test/cli/cli.test.ts.
 */
const KEY_NUMBERS = {
  "/gridworld": [{choose: ["path-gold", "legacy"], expect: /optimum \(110\.81\)/, what: "the reference optimum 110.81 (grid16 seed 0, path-gold, legacy)"}],
  "/reproduce": [{choose: [], expect: /trivial\s+P\+G\s+TC\s+-?\d+\.\d\d\s+-?\d+\.\d\d/, what: "the paper's table with our and the reference's reward (trivial P+G TC)"}],
  // /search computes its answer live in a Worker (seconds): key numbers wait up to 60 s.
  "/search": [{choose: [], expect: /Recall@5 of the hnswlib search against exact search: [01]\.\d\d/, what: "recall@5 of the hnswlib index (after the live answer)"}],
};

/** The routes observablehq.config.ts declares, plus the home page: each must be built. */
function expectedPages() {
  const config = readFileSync(join(HERE, "..", "..", "observablehq.config.ts"), "utf8");
  return ["/", ...[...config.matchAll(/\bpath:\s*"([^"]+)"/g)].map((m) => m[1])];
}

/** Root and a GitHub-Pages-style project sub-path: every link and asset must be relative. */
const DEFAULT_BASES = ["/", "/lever-companion/"];

function usage() {
  return [
    "usage: node test/browser/smoke.mjs [DIST_DIR] [--base PATH]... [--no-clean-urls] [--screenshots DIR] [--settle MS] [--page-timeout MS] [--timeout MS]",
    "  DIST_DIR        built site (default: <project>/dist, or $SMOKE_DIST)",
    "  --base          serve the site under PATH only; repeat for several passes (default: / and /lever-companion/)",
    "  --no-clean-urls do not serve x.html for /x (like python3 -m http.server; for LEVER_CLEAN_URLS=false builds)",
    "  --screenshots   write a full-page PNG per page into DIR (or $SMOKE_SCREENSHOTS)",
    "  --settle        extra wait after network idle, ms (default 1500, or $SMOKE_SETTLE_MS)",
    "  --page-timeout  per-page navigation/idle timeout, ms (default 60000, or $SMOKE_PAGE_TIMEOUT_MS)",
    "  --timeout       overall timeout, ms (default 600000 per base path, or $SMOKE_TIMEOUT_MS)",
    "  CHROMIUM_PATH   Chromium binary (default /usr/bin/chromium)",
  ].join("\n");
}

function parseOptions() {
  const {values, positionals} = parseArgs({
    allowPositionals: true,
    options: {
      dist: {type: "string"},
      base: {type: "string", multiple: true},
      "no-clean-urls": {type: "boolean"},
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
  const bases = [...new Set((values.base ?? DEFAULT_BASES).map((b) => normalizeBase(b)))];
  return {
    dist: resolve(values.dist ?? positionals[0] ?? process.env.SMOKE_DIST ?? join(HERE, "..", "..", "dist")),
    bases,
    cleanUrls: !values["no-clean-urls"],
    screenshots: screenshots ? resolve(screenshots) : null,
    settleMs: num("--settle", values.settle ?? process.env.SMOKE_SETTLE_MS, 1500),
    pageTimeoutMs: num("--page-timeout", values["page-timeout"] ?? process.env.SMOKE_PAGE_TIMEOUT_MS, 60_000),
    timeoutMs: num("--timeout", values.timeout ?? process.env.SMOKE_TIMEOUT_MS, 600_000 * bases.length),
    chromium: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  };
}

// ---------------------------------------------------------------- pages

/**
 * Every built *.html page except 404.html, skipping Framework's _-prefixed asset folders, as routes:
 * "/gridworld" with clean URLs, "/gridworld.html" without (directory indexes stay "/" and "/dir/").
 */
async function findPages(dist, cleanUrls = true) {
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
        let route = "/" + (cleanUrls ? rel.slice(0, -".html".length) : rel);
        if (route === "/index" || route === "/index.html") route = "/";
        else if (route.endsWith("/index.html")) route = route.slice(0, -"index.html".length);
        else if (route.endsWith("/index")) route = route.slice(0, -"index".length);
        pages.push(route);
      }
    }
  }
  await walk(dist);
  return pages.sort((a, b) => (a === "/" ? -1 : b === "/" ? 1 : a.localeCompare(b)));
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

function screenshotName(base, route) {
  const prefix = base === "/" ? "" : base.replace(/^\/+|\/+$/g, "").replace(/\//g, "__") + "__";
  if (route === "/") return prefix + "index.png";
  return prefix + route.replace(/^\/+|\/+$/g, "").replace(/\//g, "__") + (route.endsWith("/") ? "__index" : "") + ".png";
}

/** Status of a same-origin link (HEAD, redirects followed), memoized per pass in `cache`. */
function linkStatus(url, cache) {
  if (!cache.has(url)) {
    cache.set(
      url,
      fetch(url, {method: "HEAD", redirect: "follow"}).then(
        (r) => r.status,
        (e) => `fetch failed (${e.message})`,
      ),
    );
  }
  return cache.get(url);
}

/** Check the page at `base` + `route` (route relative to the site root, e.g. "/gridworld"). */
async function checkPage(browser, origin, base, route, opts, links = new Map()) {
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
      const path = res.url().replace(origin, "");
      const outside = base !== "/" && !path.startsWith(base) ? ` (outside the base path ${base}: an absolute URL in the site?)` : "";
      add(`HTTP ${res.status()} ${res.request().method()} ${path}${outside}`);
    });

    try {
      await page.goto(origin + base + route.slice(1), {waitUntil: "load", timeout: opts.pageTimeoutMs});
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

    // Figures: every Observable Plot SVG draws at least one mark (a non-axis, non-grid group with children).
    try {
      const empty = await page.$$eval("main svg", (svgs) =>
        svgs
          .filter((s) => s.querySelector(":scope > g[aria-label]"))
          .filter((s) => ![...s.querySelectorAll(":scope > g[aria-label]")].some((g) => !/axis|grid|frame/.test(g.getAttribute("aria-label")) && g.childElementCount > 0))
          .map((s) => s.closest("figure")?.querySelector("h2, h3, figcaption")?.textContent || s.getAttribute("aria-label") || "untitled figure"),
      );
      for (const title of empty) add(`empty figure (no marks): ${title}`);
    } catch (e) {
      add(`could not inspect figures: ${e.message.split("\n")[0]}`);
    }

    // Prose whose interpolation did not run (a `${…}` inside a Markdown code span is printed as is).
    try {
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees (rendered, hidden text left out)
      const raw = await page.evaluate(() => (document.querySelector("main")?.innerText ?? "").match(/.{0,30}\$\{.{0,30}/)?.[0] ?? null);
      if (raw) add(`uninterpolated \${…} in the page text: "${raw}"`);
    } catch (e) {
      add(`could not read the page text: ${e.message.split("\n")[0]}`);
    }

    for (const key of KEY_NUMBERS[route.replace(/\.html$/, "")] ?? []) {
      try {
        for (const text of key.choose) {
          // By visible text: a radio (<label><input type=radio>text</label>) or a select's option.
          const found = await page.evaluate((want) => {
            const radio = [...document.querySelectorAll("main label")].find((l) => l.textContent.trim() === want)?.querySelector('input[type="radio"]');
            const select = [...document.querySelectorAll("main select")].find((s) => [...s.options].some((o) => o.text.trim() === want));
            const el = radio ?? select;
            if (!el) return false;
            if (radio) radio.checked = true;
            else select.selectedIndex = [...select.options].findIndex((o) => o.text.trim() === want);
            el.dispatchEvent(new Event("input", {bubbles: true}));
            return true;
          }, text);
          if (!found) throw new Error(`no input labelled "${text}"`);
          await page.waitForTimeout(300);
        }
        // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees (rendered, hidden text left out)
        await page.waitForFunction((re) => new RegExp(re).test(document.querySelector("main")?.innerText ?? ""), key.expect.source, {timeout: 60_000});
      } catch (e) {
        add(`missing key number: ${key.what} (${e.message.split("\n")[0]})`);
      }
    }

    if (opts.screenshots) {
      try {
        await page.screenshot({path: join(opts.screenshots, screenshotName(base, route)), fullPage: true});
      } catch (e) {
        add(`screenshot failed: ${e.message.split("\n")[0]}`);
      }
    }

    // Links: every same-origin <a href> (navigation, pager, in-page links to other pages) must resolve.
    try {
      const hrefs = await page.$$eval("a[href]", (as) => [...new Set(as.map((a) => a.href.split("#")[0]))]);
      for (const href of hrefs) {
        if (!href.startsWith(origin + "/")) continue;
        const status = await linkStatus(href, links);
        if (typeof status !== "number" || status >= 400) add(`broken link: ${href.replace(origin, "")} → ${typeof status === "number" ? `HTTP ${status}` : status}`);
      }
    } catch (e) {
      add(`could not check links: ${e.message.split("\n")[0]}`);
    }

    // Reactivity: move every enabled slider, select and radio group to another value, one at a time,
    // and check that the page recomputes without errors (console errors are collected throughout).
    try {
      const inert = INERT[route.replace(/\.html$/, "")] ?? {};
      const results = await page.evaluate(async () => {
        const pause = (ms) => new Promise((r) => setTimeout(r, ms));
        const fire = (el) => {
          el.dispatchEvent(new Event("input", {bubbles: true}));
          el.dispatchEvent(new Event("change", {bubbles: true}));
        };
        // What a reader sees: the text and every SVG of the page body.
        const view = () => {
          const m = document.querySelector("main") ?? document.body;
          // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees (rendered, hidden text left out)
          return m.innerText + "\u0000" + [...m.querySelectorAll("svg, canvas")].map((x) => (x.tagName === "CANVAS" ? x.toDataURL() : x.innerHTML)).join("\u0000");
        };
        const label = (el) => el.closest("form")?.querySelector("label")?.textContent?.trim() || el.name || el.type;
        // A page computing in a Worker marks what it is recomputing aria-busy="true" (the Search page's
        // answer figures, the Embeddings map): a move made then, or a change that starts such a run,
        // shows only when the run ends, so waits are extended while the page is busy (at most 90 s).
        const busy = () => document.querySelector('main [aria-busy="true"]') !== null;
        const idle = async () => {
          for (let t = 0; t < 900 && busy(); t++) await pause(100);
        };
        // Wait until the view differs from `before` (recomputation may take a few seconds), or give up:
        // after 10 s if the page is not busy, after 90 s in any case.
        const changedFrom = async (before) => {
          for (let t = 0; t < 900; t++) {
            await pause(100);
            if (view() !== before) return true;
            if (t >= 99 && !busy()) return false;
          }
          return false;
        };
        // Wait until the view has held still for 600 ms (at most 15 s): after a change the runtime
        // re-renders dependent cells over several frames (a select whose options depend on the one just
        // moved is replaced), and the next input must be looked up after that, not before (a detached
        // element drives nothing).
        const settle = async () => {
          let last = view();
          for (let t = 0, still = 0; t < 150 && still < 6; t++) {
            await pause(100);
            const now = view();
            still = now === last && !busy() ? still + 1 : 0;
            last = now;
          }
        };
        const out = [];
        // Before each input is looked up: nothing busy and the view still (see settle).
        const ready = async () => {
          await idle();
          await settle();
        };
        const move = async (el, apply) => {
          const before = view();
          apply();
          fire(el);
          out.push({label: label(el), changed: await changedFrom(before)});
        };
        // Elements are looked up afresh before each move: an input may re-render another (a select
        // whose options depend on the first), and a detached element would drive nothing.
        const fresh = (selector, i) => [...document.querySelectorAll(selector)][i];
        for (let i = 0, el; await ready(), (el = fresh('main input[type="range"]:not([disabled])', i)); i++) {
          const min = Number(el.min || 0),
            max = Number(el.max || 100),
            step = Number(el.step) || 1;
          const target = String(Math.min(max, min + step * Math.max(1, Math.round((max - min) / step / 3))));
          if (target === el.value) continue;
          await move(el, () => (el.value = target));
        }
        for (let i = 0, el; await ready(), (el = fresh("main select:not([disabled])", i)); i++) {
          if (el.options.length < 2) continue;
          await move(el, () => (el.selectedIndex = (el.selectedIndex + 1) % el.options.length));
        }
        // Radio groups by their form (Inputs names every radio "input", so names do not separate them).
        const radioForms = () => [...document.querySelectorAll("main form")].filter((f) => f.querySelector('input[type="radio"]:not([disabled])'));
        // Each radio group is moved from the default state and put back afterwards: a choice that is
        // invalid with an earlier one (ExNonZero on the [v3] 8×8 grid, which has no answer) would
        // otherwise leave every later input of the page with nothing to change.
        for (let i = 0, form; await ready(), (form = radioForms()[i]); i++) {
          const radios = [...form.querySelectorAll('input[type="radio"]:not([disabled])')];
          const was = radios.find((r) => r.checked);
          const next = radios.find((r) => !r.checked);
          if (!next) continue;
          await move(next, () => (next.checked = true));
          if (was?.isConnected) {
            was.checked = true;
            fire(was);
          }
        }
        return out;
      });
      for (const r of results) if (!r.changed && !(r.label in inert)) add(`input drives nothing: "${r.label}" changed no number or figure within 10 s (90 s while the page was busy)`);
      if (results.length > 0) {
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

  const pages = await findPages(opts.dist, opts.cleanUrls);
  if (pages.length === 0) {
    console.error(`smoke: no pages (*.html) found in ${opts.dist}; build the site first (npm run build)`);
    return 1;
  }
  const built = new Set(pages.map((p) => p.replace(/\.html$/, "")));
  const missing = expectedPages().filter((p) => !built.has(p));
  if (missing.length > 0) {
    console.error(`smoke: pages missing from ${opts.dist}: ${missing.join(", ")} (declared in observablehq.config.ts)`);
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
    try {
      // Playwright gives the browser a fresh temporary profile (user-data-dir) and deletes it on close.
      browser = await chromium.launch({
        executablePath: opts.chromium,
        headless: true,
        timeout: 60_000,
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
    } catch (e) {
      console.error(`smoke: could not launch Chromium at ${opts.chromium} (${e.message.split("\n")[0]}); install it with: apt-get install -y chromium`);
      return 1;
    }

    let passed = 0;
    let failed = 0;
    const width = Math.max(...opts.bases.flatMap((b) => pages.map((p) => b.length + p.length - 1)));
    for (const base of opts.bases) {
      // One pass per base path, each with its own server that serves dist/ under that prefix only.
      if (server) await closeServer(server).catch(() => {});
      server = await startServer(opts.dist, {base, cleanUrls: opts.cleanUrls});
      const origin = `http://127.0.0.1:${server.address().port}`;
      const links = new Map();
      console.log(`-- dist/ served at ${origin}${base}${opts.cleanUrls ? "" : " (no clean URLs)"}`);
      for (const route of pages) {
        if (timedOut) return 1;
        const shown = base + route.slice(1);
        current = shown;
        const t0 = performance.now();
        let reasons;
        try {
          reasons = await checkPage(browser, origin, base, route, opts, links);
        } catch (e) {
          reasons = [`smoke test error: ${oneLine(e.message)}`];
        }
        if (timedOut) return 1;
        const secs = ((performance.now() - t0) / 1000).toFixed(1);
        if (reasons.length === 0) {
          passed++;
          console.log(`ok  ${shown.padEnd(width)}  ${secs} s`);
        } else {
          failed++;
          console.log(`FAIL ${shown}: ${reasons.join(" | ")}`);
        }
      }
    }
    console.log(`${passed} passed, ${failed} failed (${pages.length} pages × ${opts.bases.length} base path${opts.bases.length > 1 ? "s" : ""}: ${opts.bases.join(", ")})`);
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
