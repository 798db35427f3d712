#!/usr/bin/env node
// Browser test of the Policy embeddings page (issues 11 §1 and 12 §4) against the built dist/, in
// Debian's Chromium through playwright-core, served on 127.0.0.1:
//   1. Worker = main thread: the projection runner (lever-projection-runner.js, a module Web Worker
//      stepping druid's generator in time slices) returns the same coordinates, bit for bit, as
//      lever-projection.js project() (druid's transform, what the page ran on its main thread before)
//      run on the page's main thread, for UMAP, t-SNE and PCA (druid.js is seeded); and a newer
//      request cancels an older one (the older resolves null, the newer gives the right map).
//   2. The page: a URL's inputs are restored on load (method, each method's settings); a change is
//      written to the URL and marks the map stale (class lever-stale, aria-busy) until the worker
//      answers; reloading the written URL draws the same map (same dot positions); while the worker
//      computes after several quick slider moves, no main-thread task uses more than 100 ms of CPU
//      (Chromium's trace: RunTask events of CrRendererMain, thread time). The long-task observer's worst
//      wall time is printed beside it but asserted only through CPU time: on a loaded machine wall time
//      includes waiting for a core (measured at load average 26 on 2 cores: tasks of 7–27 ms CPU took
//      190–270 ms wall).
//   3. One palette: every "reward system" legend on the page gives each system the colour of
//      src/components/palette.js.
//   4. At 390 px: no horizontal overflow, and the regressor figure's facet titles do not overlap.
//
// Usage: node test/browser/embeddings-check.mjs [DIST_DIR]    (default: dist; build first)
// Environment: CHROMIUM_PATH (default /usr/bin/chromium). Exit code 1 on any failure.

import {readdirSync} from "node:fs";
import {cpus, loadavg} from "node:os";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {chromium} from "playwright-core";
import {closeServer, startServer} from "./static-server.mjs";
import {mainThreadTasks} from "./trace.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DIST = resolve(process.argv[2] ?? join(ROOT, "dist"));
const LONG_TASK_MS = 100;

/** The hashed URL of a built component (dist/_import/components/NAME.<hash>.js). */
function built(name) {
  const dir = join(DIST, "_import", "components");
  const file = readdirSync(dir).find((f) => f.startsWith(`${name}.`) && /^[^.]+\.[0-9a-f]+\.js$/.test(f));
  if (!file) throw new Error(`${name}.js is not in ${dir}; build the site first (npm run build)`);
  return `/_import/components/${file}`;
}

let failures = 0;
const check = (ok, what) => {
  console.log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
};

/** Wait until the map box is not stale (the worker answered and the map is drawn). */
const settled = (page) => page.waitForFunction(() => document.querySelector(".lever-async") && !document.querySelector(".lever-async.lever-stale"), null, {timeout: 120_000});

/** Dot positions of the map (the first figure's dots), as text. */
const mapDots = (page) =>
  page.evaluate(() => {
    const svgs = [...document.querySelectorAll(".lever-async svg")];
    const plot = svgs.sort((a, b) => b.querySelectorAll("circle").length - a.querySelectorAll("circle").length)[0];
    const dots = [...(plot?.querySelectorAll("circle") ?? [])].map((c) => `${c.getAttribute("cx")},${c.getAttribute("cy")}`);
    return dots.length >= 10 ? dots.join(" ") : null;
  });

/** Set an Observable Inputs range (by its label) inside the map's settings and dispatch input. */
const setRange = (page, label, value) =>
  page.evaluate(
    ([label, value]) => {
      const form = [...document.querySelectorAll("form")].find((f) => f.querySelector("label")?.textContent.trim() === label && f.querySelector("input[type=range]"));
      const input = form.querySelector("input[type=number]");
      input.value = String(value);
      input.dispatchEvent(new Event("input", {bubbles: true}));
    },
    [label, value],
  );

async function main() {
  const runnerUrl = built("lever-projection-runner");
  const projectionUrl = built("lever-projection");
  const server = await startServer(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"]});
  try {
    console.log(`embeddings check: ${DIST}, Chromium ${browser.version()}`);
    const context = await browser.newContext({viewport: {width: 1280, height: 900}});
    await context.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
    await context.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => ({start: e.startTime, ms: e.duration})))).observe({type: "longtask", buffered: true});
    });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e.message)));
    page.on("console", (m) => m.type() === "error" && !/favicon/.test(m.location()?.url ?? "") && errors.push(m.text()));

    // 1. Worker vs main thread, and cancel.
    await page.goto(`${origin}/embeddings`, {waitUntil: "load"});
    await settled(page);
    const parity = await page.evaluate(
      async ([runnerUrl, projectionUrl]) => {
        const {createProjectionRunner} = await import(runnerUrl);
        const {project} = await import(projectionUrl);
        // A fixed input: 120 rows × 12 dims from a small LCG (no Math.random).
        const n = 120;
        const dim = 12;
        const X = new Float64Array(n * dim);
        let s = 12345;
        for (let i = 0; i < X.length; i++) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          X[i] = (s / 2 ** 32) * (1 + (i % dim)) + Math.floor(i / dim / 30);
        }
        const cases = [
          ["UMAP", {n_neighbors: 10, min_dist: 0.1, iterations: 120, seed: 3}],
          ["t-SNE", {perplexity: 12, epsilon: 10, iterations: 150, seed: 4}],
          ["PCA", {seed: 1}],
        ];
        const runner = createProjectionRunner();
        const out = [];
        for (const [method, params] of cases) {
          const w = await runner.run({X: X.slice(), n, dim, method, params});
          const m = project(X, n, dim, method, params);
          out.push({method, same: w.coords.length === m.length && w.coords.every((v, i) => Object.is(v, m[i])), finite: m.every(Number.isFinite)});
        }
        // Cancel: the first request is superseded by the second before it finishes.
        const first = runner.run({X: X.slice(), n, dim, method: "t-SNE", params: {perplexity: 12, epsilon: 10, iterations: 1000, seed: 5}});
        const second = runner.run({X: X.slice(), n, dim, method: "UMAP", params: {n_neighbors: 8, min_dist: 0.2, iterations: 100, seed: 6}});
        const [a, b] = await Promise.all([first, second]);
        const want = project(X, n, dim, "UMAP", {n_neighbors: 8, min_dist: 0.2, iterations: 100, seed: 6});
        runner.terminate();
        return {out, cancelledNull: a === null, newest: b?.coords.every((v, i) => Object.is(v, want[i])) === true};
      },
      [runnerUrl, projectionUrl],
    );
    for (const r of parity.out) check(r.same && r.finite, `${r.method}: the Worker's coordinates equal the main thread's bit for bit`);
    check(parity.cancelledNull, "a newer request cancels the older one (it resolves null)");
    check(parity.newest, "the newer request gives the newest input's map");

    // 2. URL restore, stale mark, URL write, reload, long tasks.
    await page.goto(`${origin}/embeddings?method=t-SNE&tsne.iterations=300&tsne.seed=7&color=spec`, {waitUntil: "load"});
    await settled(page);
    const restored = await page.evaluate(() => {
      const checked = (label) =>
        [...document.querySelectorAll("form")].find((f) => f.querySelector("label")?.textContent.trim() === label)?.querySelector("input:checked")?.nextSibling?.textContent ??
        document.querySelector(`form input:checked`)?.value;
      const range = (label) =>
        [...document.querySelectorAll("form")].find((f) => f.querySelector("label")?.textContent.trim() === label && f.querySelector("input[type=number]"))?.querySelector("input[type=number]")
          .valueAsNumber;
      return {
        title: document.querySelector(".lever-async figure h2")?.textContent ?? "",
        iterations: range("iterations"),
        seed: range("seed"),
        colour: checked("colour by"),
        method: checked("method"),
      };
    });
    check(
      /^t-SNE of /.test(restored.title) && restored.iterations === 300 && restored.seed === 7,
      `the URL's inputs are restored on load (t-SNE, 300 iterations, seed 7: got "${restored.title.slice(0, 40)}…", ${restored.iterations}, ${restored.seed})`,
    );
    const tsneDots = await mapDots(page);
    check(tsneDots !== null, "the map draws its dots");

    const t0 = await page.evaluate(() => performance.now());
    await browser.startTracing(page, {categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel"]});
    await setRange(page, "iterations", 900);
    const stale = await page.evaluate(() => {
      const box = document.querySelector(".lever-async");
      return box.classList.contains("lever-stale") && box.getAttribute("aria-busy") === "true" && /Computing/.test(box.textContent);
    });
    check(stale, "a change marks the map stale (class, aria-busy, status line) while the worker computes");
    for (const v of [700, 500, 350]) {
      await page.waitForTimeout(60);
      await setRange(page, "iterations", v);
    }
    await settled(page);
    const cpu = mainThreadTasks(JSON.parse((await browser.stopTracing()).toString()).traceEvents);
    const longTasks = await page.evaluate((t0) => window.__longTasks.filter((t) => t.start >= t0), t0);
    const worst = Math.max(0, ...longTasks.map((t) => t.ms));
    const worstCpu = Math.max(0, ...cpu.map((t) => t.cpuMs));
    const load = `machine load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
    check(
      cpu.length > 0 && worstCpu <= LONG_TASK_MS,
      `no main-thread task uses over ${LONG_TASK_MS} ms of CPU while projecting (worst ${worstCpu.toFixed(1)} ms CPU over ${cpu.length} tasks, Chromium's trace)`,
    );
    const wallOk = worst <= LONG_TASK_MS;
    console.log(
      `  ${wallOk ? "ok  " : "note"} long-task observer: worst main-thread task ${worst.toFixed(0)} ms wall, ${longTasks.length} long tasks ≥ 50 ms (${load}${wallOk ? "" : "; wall time includes waiting for a core, so it is reported, not asserted"})`,
    );
    const search = await page.evaluate(() => location.search);
    const params = new URLSearchParams(search);
    check(
      params.get("method") === "t-SNE" && params.get("tsne.iterations") === "350" && params.get("tsne.seed") === "7" && params.get("color") === "spec",
      `changes are written to the URL (${search})`,
    );
    const before = await mapDots(page);
    check(before !== null && before !== tsneDots, "the map changed with the iterations");
    await page.reload({waitUntil: "load"});
    await settled(page);
    check(before !== null && (await mapDots(page)) === before, "reloading the written URL draws the same map (same seeded positions)");

    // 3. One palette: legends that say "reward system" agree with palette.js.
    await page.goto(`${origin}/embeddings`, {waitUntil: "load"});
    await settled(page);
    const legends = await page.evaluate(() =>
      [...document.querySelectorAll("figure")]
        .map((el) => [...el.querySelectorAll("[class*='-swatch']:not([class*='-swatches'])")].map((s) => [s.textContent.trim(), s.querySelector("svg")?.getAttribute("fill")]))
        .filter((sw) => sw.some(([label]) => label === "path-gold")),
    );
    const expected = await page.evaluate(async (url) => ({...(await import(url)).REWARD_COLORS}), built("palette"));
    const agree = legends.length >= 2 && legends.every((sw) => sw.every(([label, fill]) => !(label in expected) || fill === expected[label]));
    const wrong = legends.flat().find(([label, fill]) => label in expected && fill !== expected[label]);
    check(
      agree && Object.keys(expected).length === 8,
      `every reward-system legend (${legends.length} figures) uses palette.js's colours${wrong ? ` (${wrong[0]}: ${wrong[1]}, palette ${expected[wrong[0]]})` : ""}`,
    );

    // 4. A phone: no horizontal overflow; facet titles of the regressor figure do not overlap.
    const phone = await browser.newContext({viewport: {width: 390, height: 844}});
    await phone.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
    const small = await phone.newPage();
    await small.goto(`${origin}/embeddings`, {waitUntil: "load"});
    await settled(small);
    await small.waitForTimeout(500);
    const layout = await small.evaluate(() => {
      const svg = [...document.querySelectorAll("svg")].find((s) => s.querySelector("[aria-label=text]") && /clipped|in-sample/.test(s.textContent));
      const boxes = svg ? [...svg.querySelectorAll("[aria-label=text] text")].map((t) => t.getBoundingClientRect()) : [];
      const overlap = boxes.some((a, i) => boxes.some((b, j) => j > i && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
      const inside = boxes.every((b) => b.left >= 0 && b.right <= document.documentElement.clientWidth + 1);
      return {width: document.documentElement.scrollWidth, titles: boxes.length, overlap, inside};
    });
    check(layout.width <= 390, `390 px: the page is ${layout.width} px wide (no horizontal overflow)`);
    check(layout.titles >= 2 && !layout.overlap && layout.inside, `390 px: the regressor figure's ${layout.titles} facet titles do not overlap and stay on screen`);
    await phone.close();
    check(errors.length === 0, `no page or console errors${errors.length ? `: ${errors[0]}` : ""}`);
  } finally {
    await browser.close();
    await closeServer(server);
  }
  console.log(failures ? `FAIL: ${failures} check(s) failed` : "ok: embeddings page checks passed");
  return failures ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`embeddings-check: ${e?.stack || e}`);
    process.exitCode = 1;
  },
);
