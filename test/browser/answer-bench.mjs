#!/usr/bin/env node
// Benchmark, not a test (issue 11 §3): one live answer — the 16×16 X1 library of a fresh layout plus
// retrieval, composition, baseline and optimum (lib/lever/answer.ts) — in headless Chromium (the built
// Search page, its module Worker) and in Node (`lever answer`, the same lib code), side by side in one
// run: pairs alternate Node and Chromium on the same seed, every seed new to both (cold library).
// Reports per-stage medians (ms) and the Chromium/Node ratio; nothing is asserted. For each page run it
// also reports what a reader sees meanwhile: the progress bar's distinct stage names and how often it
// moved, and the longest main-thread task (PerformanceObserver "longtask") while the run was in flight.
//
// Usage: node test/browser/answer-bench.mjs [DIST_DIR] [--size 16] [--spec X1] [--runs 5] [--timeout 600]
//        e.g. --size 32 --spec X10 --runs 2: the 32×32 X10 library live (8 runs × 300,000 episodes)
// Environment: CHROMIUM_PATH (default /usr/bin/chromium).
import {execFileSync} from "node:child_process";
import {availableParallelism, loadavg} from "node:os";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";
import {chromium} from "playwright-core";
import {closeServer, startServer} from "./static-server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const {values, positionals} = parseArgs({
  options: {size: {type: "string", default: "16"}, spec: {type: "string", default: "X1"}, runs: {type: "string", default: "5"}, timeout: {type: "string", default: "600"}},
  allowPositionals: true,
});
const TIMEOUT = Number(values.timeout) * 1000;
const DIST = resolve(positionals[0] ?? join(ROOT, "dist"));
const RUNS = Number(values.runs);
const STAGES = ["library", "embedding", "regressor", "index", "retrieval", "composition", "scratch", "optimum", "total"];
const base = {size: values.size, spec: values.spec, query: "Collect all gold, avoid hazards, pull the lever, and reach the exit.", mode: "trivial", strategy: "exhaustive"};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function nodeAnswer(p) {
  const args = ["--import", "tsx", join(ROOT, "cli/lever.ts"), "answer", ...Object.entries(p).flatMap(([k, v]) => [`--${k}`, String(v)])];
  return JSON.parse(execFileSync(process.execPath, args, {cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 << 20}));
}

// Before any page script: long tasks, and the progress bar's text each time it changes while running.
const INIT = () => {
  window.__longtasks = [];
  window.__progress = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longtasks.push({start: e.startTime, duration: e.duration});
  }).observe({type: "longtask", buffered: true});
  const watch = () => {
    const el = document.querySelector(".answer-progress");
    if (!el) return requestAnimationFrame(watch);
    new MutationObserver(() => el.dataset.state === "running" && window.__progress.push({t: performance.now(), text: el.textContent})).observe(el, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  };
  watch();
};

async function main() {
  const server = await startServer(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"]});
  const context = await browser.newContext();
  await context.addInitScript(INIT);
  const node = [];
  const web = [];
  const seen = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const p = {...base, seed: 1000 + i};
      const n = nodeAnswer(p);
      const page = await context.newPage();
      await page.goto(`${origin}/search?${new URLSearchParams(Object.entries(p).map(([k, v]) => [k, String(v)]))}`, {waitUntil: "load"});
      await page.waitForFunction(() => document.querySelector(".answer-progress")?.dataset.state === "idle" && document.querySelector('a[download="answer.json"]'), null, {
        timeout: TIMEOUT,
        polling: 1000,
      });
      const w = JSON.parse(await page.evaluate(async () => (await fetch(document.querySelector('a[download="answer.json"]').href)).text()));
      const {progress, longtasks} = await page.evaluate(() => ({progress: window.__progress, longtasks: window.__longtasks}));
      await page.close();
      // The run is in flight from the first progress update to the last; the first part overlaps the page's own load.
      const [a, b] = [progress[0]?.t ?? 0, progress.at(-1)?.t ?? 0];
      const stages = [...new Set(progress.map((x) => x.text.match(/^\d+\/\d+ (.*?) \(/)?.[1]).filter(Boolean))];
      const during = longtasks.filter((t) => t.start < b && t.start + t.duration > a);
      const afterLoad = during.filter((t) => t.start > a + 2000);
      seen.push({
        seed: p.seed,
        stages,
        updates: progress.length,
        longest: Math.max(0, ...during.map((t) => t.duration)),
        longestAfterLoad: Math.max(0, ...afterLoad.map((t) => t.duration)),
        over100: during.filter((t) => t.duration > 100).length,
        recorded: longtasks.length,
      });
      if (w.reward !== n.reward) console.log(`warning: seed ${p.seed}: rewards differ (${w.reward} vs ${n.reward})`);
      node.push(n.timings);
      web.push(w.timings);
      console.error(`pair ${i + 1}/${RUNS} (seed ${p.seed}): Node ${n.timings.total.toFixed(0)} ms, Chromium ${w.timings.total.toFixed(0)} ms`);
    }
  } finally {
    await browser.close();
    await closeServer(server);
  }
  console.log(`answer ${values.size}×${values.size} ${values.spec}, ${RUNS} fresh layouts, medians (ms), Chromium ${browser.version?.() ?? ""}`);
  console.log("| stage | Node | Chromium (module Worker) | ratio |");
  console.log("|---|---|---|---|");
  for (const s of STAGES) {
    const a = median(node.map((t) => t[s]));
    const b = median(web.map((t) => t[s]));
    console.log(`| ${s} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${a > 0.5 ? (b / a).toFixed(2) : "—"} |`);
  }
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" / ")} on ${availableParallelism()} cores`,
  );
  for (const x of seen)
    console.log(
      `page, seed ${x.seed}: progress bar moved ${x.updates} times through ${x.stages.length} stages (${x.stages.join(" → ")}); main-thread tasks while in flight: ${x.over100} over 100 ms, longest ${x.longest.toFixed(0)} ms (${x.longestAfterLoad.toFixed(0)} ms after the first 2 s, which overlap the page's load; ${x.recorded} tasks over 50 ms on the page in all)`,
    );
}

main().catch((e) => {
  console.error(`answer-bench: ${e.message.split("\n")[0]}`);
  process.exit(1);
});
