#!/usr/bin/env node
// Reader-side checks of the built site (dist/) in Chromium at a phone's width (390 × 844), for every
// page of observablehq.config.ts and the home page:
//   - the page never scrolls sideways: document width ≤ viewport width (also after moving the inputs);
//   - no console error, page error or failed request;
//   - the skip link is the first thing Tab reaches and leads to the page's content;
//   - the footer names the reader's browser and links to the home page's citation block;
//   - URL state: on the pages that keep their inputs in the address (URL_STATE), every input of the page
//     is moved (one after another: radio, select, range, toggle, text), the query string must be written,
//     and loading that address must restore every input and show the same page text;
//   - downloads: every download link (tables: CSV, JSON; figures: SVG, PNG) yields a non-empty file,
//     and the pages in DOWNLOADS have at least one;
//   - every page opens with "the paper says / we find" (.says-finds), the finding holding a number;
//   - pages that keep their inputs in the address have a "copy link to this view" control;
//   - the home page links every page;
//   - Methods' "take the data away" section: the manifest (downloads.json) resolves and lists at least
//     the policy library and the index, each manifest file has a link on the page, and each link serves
//     a non-empty file whose length and sha256 are the manifest's.
//
// Usage: node test/browser/pages.mjs [DIST_DIR] [--only ROUTE]...   (CHROMIUM_PATH as smoke.mjs)
// Output: one line per page, then "N passed, M failed". Exit code 1 on any failure.
import {createHash} from "node:crypto";
import {existsSync, readFileSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";
import {closeServer, startServer} from "./static-server.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const WIDTH = 390;
const HEIGHT = 844;

/** Pages that keep their inputs in the URL query string; their text must survive the round trip. */
const URL_STATE = ["/gridworld", "/embeddings", "/methods", "/limits", "/performance", "/reproduce", "/steer-identity", "/steer-live", "/steer-degradation", "/steer-help"];
/** Pages whose inputs may all have a single choice in a small build, by reason (no round trip then). */
const MAY_HAVE_NO_CHOICE = {"/limits": "its choices are the build's libraries: the quick profile composes on one and runs no γ = 0 library"};
/** Pages whose text is not compared after the round trip (live measurements), by reason. */
const LIVE_TEXT = {"/performance": "the tab's heap size is read live", "/steer-live": "the reruns' times (ms) are measured live", "/embeddings": "the projection's time (ms) is measured live"};
/** Pages that must offer downloads (tables as CSV and JSON, figures as SVG and PNG). */
const DOWNLOADS = ["/gridworld", "/embeddings", "/methods", "/limits", "/performance", "/reproduce", "/steer-identity", "/steer-live", "/steer-degradation", "/steer-help"];

function expectedPages() {
  const config = readFileSync(join(HERE, "..", "..", "observablehq.config.ts"), "utf8");
  return ["/", ...[...config.matchAll(/\bpath:\s*"([^"]+)"/g)].map((m) => m[1])];
}

const oneLine = (s, max = 300) => {
  const t = String(s).replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

async function settle(page) {
  await page.waitForLoadState("networkidle", {timeout: 60_000}).catch(() => {});
  await page.waitForTimeout(1500);
}

/** The text a reader sees in the page body (rendered text only). */
// biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees (rendered, hidden text left out)
const mainText = (page) => page.evaluate(() => document.querySelector("main")?.innerText ?? "");

/**
 * The page text once it has stopped changing (unchanged over 2 s, at most 60 s): pages recompute
 * after an input moves or on load (optima, workers), slowly on a loaded machine.
 */
async function stableText(page) {
  let last = await mainText(page);
  let since = Date.now();
  const t0 = Date.now();
  while (Date.now() - since < 2000 && Date.now() - t0 < 60_000) {
    await page.waitForTimeout(250);
    const now = await mainText(page);
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
  return last;
}

const overflow = (page) => page.evaluate(() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, viewport: window.innerWidth}));

/**
 * Move the input of form `index` (main form, in document order) to another value: a radio group to
 * its first unchecked option, a select to the next option, a range one step up (down at its maximum),
 * a toggle or checkbox flipped, a text box to "1". Returns false when the form has nothing to move
 * (or is a table: Inputs.table's row checkboxes select rows and are not part of the view's state).
 */
function moveInputAt(page, index) {
  return page.evaluate((i) => {
    const fire = (el) => {
      el.dispatchEvent(new Event("input", {bubbles: true}));
      el.dispatchEvent(new Event("change", {bubbles: true}));
    };
    const form = [...document.querySelectorAll("main form")][i];
    // A table's row checkboxes (Inputs.table) select rows; they are not a view's input.
    if (!form || form.querySelector("table")) return false;
    const radios = [...form.querySelectorAll('input[type="radio"]:not([disabled])')];
    if (radios.length > 1) {
      const next = radios.find((r) => !r.checked);
      next.checked = true;
      fire(next);
      return true;
    }
    const select = form.querySelector("select:not([disabled])");
    if (select && select.options.length > 1) {
      select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
      fire(select);
      return true;
    }
    const range = form.querySelector('input[type="range"]:not([disabled])');
    if (range) {
      const step = Number(range.step) || 1;
      const up = Number(range.value) + step <= Number(range.max);
      range.value = String(up ? Number(range.value) + step : Number(range.value) - step);
      fire(range);
      return true;
    }
    const box = form.querySelector('input[type="checkbox"]:not([disabled])');
    if (box) {
      box.checked = !box.checked;
      fire(box);
      return true;
    }
    const text = form.querySelector('input[type="text"]:not([disabled]), input:not([type]):not([disabled])');
    if (text) {
      text.value = "1";
      fire(text);
      return true;
    }
    return false;
  }, index);
}

/** The state of every main form: checked radio, selected option, range value, checkboxes, text. */
function inputStates(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("main form")].map((form) => {
      if (form.querySelector("table")) return "table";
      const radios = [...form.querySelectorAll('input[type="radio"]')];
      if (radios.length) return `radio ${radios.findIndex((r) => r.checked)}`;
      const select = form.querySelector("select");
      if (select) return `select ${select.value}`;
      const range = form.querySelector('input[type="range"]');
      if (range) return `range ${range.value}`;
      const boxes = [...form.querySelectorAll('input[type="checkbox"]')];
      if (boxes.length) return `checkbox ${boxes.map((b) => (b.checked ? 1 : 0)).join("")}`;
      const text = form.querySelector('input[type="text"], input:not([type])');
      if (text) return `text ${text.value}`;
      return "other";
    }),
  );
}

/** Every download link's size in bytes (blob: links fetched in the page, the PNG ones clicked). */
async function downloadSizes(page) {
  const links = await page.$$("main a.download-link[download]");
  const out = [];
  for (const link of links) {
    const name = await link.getAttribute("download");
    const href = await link.getAttribute("href");
    let size;
    if (href?.startsWith("blob:")) {
      size = await page.evaluate(async (u) => (await (await fetch(u)).blob()).size, href);
    } else {
      const [download] = await Promise.all([page.waitForEvent("download", {timeout: 15_000}), link.click()]);
      const path = await download.path();
      size = path ? readFileSync(path).length : 0;
    }
    out.push({name, size});
  }
  return out;
}

/**
 * The Methods page's data files: the manifest link resolves to a JSON manifest listing at least
 * policies.bin and policy-index.hnsw; every file it lists is linked and serves exactly the bytes the
 * manifest describes (length and sha256). Returns the problems found.
 */
async function checkDataFiles(page, origin) {
  const problems = [];
  const manifestHref = await page.$eval("main a.data-manifest", (a) => a.href).catch(() => null);
  if (!manifestHref) return ["no link to the data manifest (a.data-manifest)"];
  const res = await fetch(manifestHref);
  if (!res.ok) return [`the data manifest ${manifestHref.replace(origin, "")} answers HTTP ${res.status}`];
  let manifest;
  try {
    manifest = JSON.parse(await res.text());
  } catch (e) {
    return [`the data manifest is not JSON: ${e.message}`];
  }
  const files = Array.isArray(manifest.files) ? manifest.files : [];
  for (const need of ["policies.bin", "policy-index.hnsw"]) if (!files.some((f) => f.file === need)) problems.push(`the data manifest does not list ${need}`);
  for (const key of ["profile", "commit"]) if (!manifest[key]) problems.push(`the data manifest has no ${key}`);
  const links = await page.$$eval("main a.data-file[download]", (as) => as.map((a) => ({file: a.getAttribute("download"), href: a.href})));
  for (const f of files) {
    const link = links.find((l) => l.file === f.file);
    if (!link) {
      problems.push(`no download link for ${f.file}`);
      continue;
    }
    const r = await fetch(link.href);
    const bytes = r.ok ? new Uint8Array(await r.arrayBuffer()) : new Uint8Array();
    if (!r.ok) problems.push(`${f.file}: HTTP ${r.status} at ${link.href.replace(origin, "")}`);
    else if (bytes.length === 0) problems.push(`${f.file} is empty`);
    else if (bytes.length !== f.bytes) problems.push(`${f.file} has ${bytes.length} bytes, the manifest says ${f.bytes}`);
    else if (createHash("sha256").update(bytes).digest("hex") !== f.sha256) problems.push(`${f.file} does not match the manifest's sha256`);
  }
  return problems;
}

async function checkPage(browser, origin, route, pages) {
  const reasons = [];
  const add = (r) => reasons.push(oneLine(r));
  const context = await browser.newContext({viewport: {width: WIDTH, height: HEIGHT}, acceptDownloads: true, serviceWorkers: "block"});
  try {
    const page = await context.newPage();
    page.on("console", (msg) => {
      if (msg.type() === "error") add(`console error: ${msg.text()}`);
    });
    page.on("pageerror", (err) => add(`page error: ${err.message}`));
    page.on("requestfailed", (req) => {
      if (!req.url().startsWith("blob:")) add(`request failed: ${req.url().replace(origin, "")} (${req.failure()?.errorText})`);
    });
    page.on("response", (res) => {
      if (res.status() >= 400) add(`HTTP ${res.status()} ${res.url().replace(origin, "")}`);
    });
    const url = origin + route;
    await page.goto(url, {waitUntil: "load", timeout: 60_000});
    await settle(page);

    const errors = await page.$$eval(".observablehq--error", (els) => els.map((el) => el.textContent));
    for (const e of errors) add(`cell error: ${e}`);

    const w = await overflow(page);
    if (w.doc > w.viewport || w.body > w.viewport) add(`page wider than the ${w.viewport} px viewport: document ${w.doc} px, body ${w.body} px`);

    // Skip link: first in the tab order, pointing at the page's content.
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => ({cls: document.activeElement?.className, href: document.activeElement?.getAttribute("href")}));
    if (focused.cls !== "skip-link" || focused.href !== "#observablehq-main") add(`the first Tab reaches ${JSON.stringify(focused)}, not the skip link`);
    if (!(await page.$("#observablehq-main"))) add("no #observablehq-main for the skip link");

    // Footer: the reader's browser and the citation link.
    const footer = await page.evaluate(() => ({
      browser: document.querySelector("#observablehq-footer .lever-browser")?.textContent ?? null,
      cite: [...document.querySelectorAll("#observablehq-footer a")].some((a) => /#cite$/.test(a.getAttribute("href") ?? "")),
    }));
    if (!footer.browser || footer.browser === "your browser") add(`footer: the browser version is not filled in (${footer.browser})`);
    if (!footer.cite) add("footer: no link to the citation block (#cite)");

    // Downloads.
    const sizes = await downloadSizes(page);
    for (const d of sizes) if (!(d.size > 0)) add(`download ${d.name} is empty`);
    if (DOWNLOADS.includes(route) && sizes.length === 0) add("no download links");

    // The opening: "the paper says / we find", both filled in (the finding is computed by the page).
    const opening = await page.evaluate(() => {
      const box = document.querySelector("main .says-finds");
      if (!box) return null;
      const labels = [...box.querySelectorAll(":scope > b")].map((b) => b.textContent.trim().toLowerCase());
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, as a reader sees it
      const finds = box.querySelector(":scope > b:last-of-type")?.nextElementSibling?.innerText.trim() ?? "";
      return {labels, finds};
    });
    if (!opening) add('no "the paper says / we find" opening (.says-finds)');
    else {
      if (!/^the papers? says?$/.test(opening.labels[0] ?? "") || opening.labels.at(-1) !== "we find") add(`the opening's labels are ${JSON.stringify(opening.labels)}`);
      if (!/\d/.test(opening.finds)) add(`the opening's "we find" has no number: ${JSON.stringify(opening.finds.slice(0, 80))}`);
    }

    // A "copy link to this view" control on the pages that keep their inputs in the address.
    if (URL_STATE.includes(route) && !(await page.$("main button.share-button"))) add('no "copy link to this view" control');

    // The data files and their manifest.
    if (route === "/methods") for (const r of await checkDataFiles(page, origin)) add(r);

    // The home page links every page.
    if (route === "/") {
      const linked = await page.$$eval("main a[href]", (as) => as.map((a) => new URL(a.href).pathname.replace(/\.html$/, "").replace(/\/index$/, "/")));
      const missing = pages.filter((p) => p !== "/" && !linked.includes(p));
      if (missing.length) add(`the home page does not link: ${missing.join(", ")}`);
    }

    // Dark mode: the layout's empty cells follow the theme (they were bright white squares).
    if (route === "/gridworld") {
      await page.emulateMedia({colorScheme: "dark"});
      await page.waitForTimeout(300);
      const fills = await page.$$eval('main svg rect[fill*="--theme-foreground-faintest"]', (rects) => rects.slice(0, 5).map((r) => getComputedStyle(r).fill));
      const lightness = (c) => {
        const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(c) ?? /srgb ([\d.]+) ([\d.]+) ([\d.]+)/.exec(c);
        if (!m) return NaN;
        const k = c.includes("srgb ") ? 1 : 255;
        return (0.2126 * m[1] + 0.7152 * m[2] + 0.0722 * m[3]) / k;
      };
      if (fills.length === 0) add("dark mode: no themed empty cells on the layout");
      for (const f of fills) if (!(lightness(f) < 0.5)) add(`dark mode: an empty cell is drawn ${f} (light on a dark page)`);
      await page.emulateMedia({colorScheme: "light"});
    }

    // URL state round trip of every input.
    if (URL_STATE.includes(route)) {
      const forms = await page.$$eval("main form", (fs) => fs.length);
      let moved = 0;
      for (let i = 0; i < forms; i++) {
        if (await moveInputAt(page, i)) moved++;
        await settle(page);
      }
      if (moved === 0) {
        if (!(route in MAY_HAVE_NO_CHOICE)) add("no input to move for the URL round trip");
      } else {
        const before = await stableText(page);
        const states = await inputStates(page);
        const shared = page.url();
        if (!new URL(shared).search) add(`moving ${moved} inputs left the query string empty`);
        const w2 = await overflow(page);
        if (w2.doc > w2.viewport) add(`after moving the inputs the page is wider than the viewport: ${w2.doc} px`);
        const page2 = await context.newPage();
        page2.on("pageerror", (err) => add(`page error after reload: ${err.message}`));
        await page2.goto(shared, {waitUntil: "load", timeout: 60_000});
        await settle(page2);
        const after = await stableText(page2);
        const restored = await inputStates(page2);
        states.forEach((state, i) => {
          if (restored[i] !== state) add(`the shared link ${shared.replace(origin, "")} restores input ${i + 1} of ${states.length} as ${JSON.stringify(restored[i])}, not ${JSON.stringify(state)}`);
        });
        if (restored.length !== states.length) add(`the shared link shows ${restored.length} inputs, not ${states.length}`);
        if (!(route in LIVE_TEXT) && after !== before) {
          let i = 0;
          while (i < before.length && before[i] === after[i]) i++;
          add(`the shared link shows different text at character ${i}: …${JSON.stringify(before.slice(i, i + 60))} vs ${JSON.stringify(after.slice(i, i + 60))}`);
        }
        await page2.close();
      }
    }

    return reasons;
  } finally {
    await context.close().catch(() => {});
  }
}

async function main() {
  const {values, positionals} = parseArgs({allowPositionals: true, options: {only: {type: "string", multiple: true}}});
  const dist = resolve(positionals[0] ?? join(HERE, "..", "..", "dist"));
  const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(join(dist, "index.html"))) {
    console.error(`pages: no built site in ${dist}; run npm run build first`);
    return 1;
  }
  if (!existsSync(chromiumPath)) {
    console.error(`pages: Chromium not found at ${chromiumPath}; install it with: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    return 1;
  }
  const pages = expectedPages();
  const routes = values.only?.length ? values.only : pages;
  const {chromium} = await import("playwright-core");
  const server = await startServer(dist, {base: "/", cleanUrls: true});
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  let passed = 0;
  let failed = 0;
  try {
    for (const route of routes) {
      const t0 = performance.now();
      let reasons;
      try {
        reasons = await checkPage(browser, origin, route, pages);
      } catch (e) {
        reasons = [`test error: ${oneLine(e.message)}`];
      }
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      if (reasons.length === 0) {
        passed++;
        console.log(`ok   ${route}  ${secs} s`);
      } else {
        failed++;
        console.log(`FAIL ${route}: ${[...new Set(reasons)].join(" | ")}`);
      }
    }
  } finally {
    await browser.close().catch(() => {});
    await closeServer(server).catch(() => {});
  }
  console.log(`${passed} passed, ${failed} failed (${routes.length} pages at ${WIDTH}×${HEIGHT})`);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`pages: ${e?.stack || e}`);
    process.exitCode = 1;
  },
);
