#!/usr/bin/env node
// Benchmark, not a test (issue 11 §3): one live answer — the 16×16 X1 library of a fresh layout plus
// retrieval, composition, baseline and optimum (lib/lever/answer.ts) — in headless Chromium (the built
// Search page, its module Worker) and in Node (`lever answer`, the same lib code), side by side in one
// run: pairs alternate Node and Chromium on the same seed, every seed new to both (cold library).
// Reports per-stage medians (ms) and the Chromium/Node ratio; nothing is asserted.
//
// Usage: node test/browser/answer-bench.mjs [DIST_DIR] [--size 16] [--spec X1] [--runs 5]
// Environment: CHROMIUM_PATH (default /usr/bin/chromium).
import {execFileSync} from "node:child_process";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";
import {chromium} from "playwright-core";
import {closeServer, startServer} from "./static-server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const {values, positionals} = parseArgs({options: {size: {type: "string", default: "16"}, spec: {type: "string", default: "X1"}, runs: {type: "string", default: "5"}}, allowPositionals: true});
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

async function main() {
  const server = await startServer(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"]});
  const node = [];
  const web = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const p = {...base, seed: 1000 + i};
      const n = nodeAnswer(p);
      const page = await browser.newPage();
      await page.goto(`${origin}/search?${new URLSearchParams(Object.entries(p).map(([k, v]) => [k, String(v)]))}`, {waitUntil: "load"});
      await page.waitForFunction(() => document.querySelector(".answer-progress")?.dataset.state === "idle" && document.querySelector('a[download="answer.json"]'), null, {timeout: 300_000});
      const w = JSON.parse(await page.evaluate(async () => (await fetch(document.querySelector('a[download="answer.json"]').href)).text()));
      await page.close();
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
}

main().catch((e) => {
  console.error(`answer-bench: ${e.message.split("\n")[0]}`);
  process.exit(1);
});
