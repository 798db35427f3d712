#!/usr/bin/env node
// Node vs Chromium on the same code, side by side in one run (issue 11 §3): why is the SARSA kernel
// 2–3× slower in a browser? Prints medians per stage and per engine, and the ratios to Node.
//
// The same entry (below) is bundled once with esbuild (as test/browser/outputs-check.mjs does) and run:
//   node (tsx)       lib/ run from source through tsx (how the CLI and the build run it)
//   node (bundle)    the esbuild bundle in a fresh Node process (bundle shape vs tsx)
//   page / worker    the bundle in a Chromium page (main thread) and a dedicated Worker
// plus the same in Chromium launched with extra V8 flags (--js-flags) when asked for (--flags), and
// the bundle in Node with extra flags (--node-flags, e.g. "--maglev").
// Each engine runs in its own fresh process / page / Worker, in ROUNDS interleaved rounds (a, b, c, a,
// b, c, …), so machine load hits every engine alike; the table shows the median over rounds of each
// round's own median.
//
// Stages (all single-threaded, from lib/):
//   sarsa          lib/core/bench.ts benchSarsa: 16×16 X1 path-gold, 30,000 episodes (M steps/s, higher is better)
//   library run    lib/lever/library/runs.ts trainRun of that run with snapshots and kept policies (ms)
//   optimum        lib/core/bench.ts benchOptimum: the exact DP on 16×16 and 32×32 (ms)
//   lstd           LSTD successor features + embedding of one snapshot (ms)
//   typed / plain / wasm   micro-kernels: the same random-access read-modify-write loop over a
//                  Float64Array, a plain JS array of doubles and WebAssembly linear memory (ns per
//                  access): isolates the cost of typed-array access in each engine
//   sfc32 draw     the kernel's inlined random generator alone (int32 arithmetic in locals, no memory;
//                  ns per draw), and the same with its state in an Int32Array
// A second table times the SARSA kernel and the micro-kernels by CPU time (see KERNELS).
//
// Usage: node test/browser/bench-browser.mjs [--rounds N] [--flags=--no-maglev]... [--node-flags=--maglev]... [--quick]
//        npm run bench:browser -- [options]
// Environment: CHROMIUM_PATH (default /usr/bin/chromium). Timings are reported, never asserted.

import {execFileSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {cpus, loadavg, tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {parseArgs} from "node:util";
import {chromium} from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const lib = (p) => JSON.stringify(join(ROOT, p));

// The bundle entry, shared verbatim by Node and Chromium.
const ENTRY = `
import {benchOptimum, benchSarsa, median} from ${lib("lib/core/bench.ts")};
import {SPEC_SETS} from ${lib("lib/lever/env/layout.ts")};
import {trainRun} from ${lib("lib/lever/library/runs.ts")};
import {snapshotFeatures} from ${lib("lib/lever/pi2vec/canonical.ts")};
import {transitionsFrom} from ${lib("lib/lever/pi2vec/features.ts")};
import {canonicalStatesFromRuns} from ${lib("lib/lever/pi2vec/canonical.ts")};
import {embedLstd, lstd} from ${lib("lib/lever/pi2vec/sf-lstd.ts")};
import {Rng} from ${lib("lib/core/rng.ts")};
import {GridWorld} from ${lib("lib/lever/env/gridworld.ts")};
import {sampleLayout} from ${lib("lib/lever/env/layout.ts")};
import {train} from ${lib("lib/lever/library/sarsa.ts")};

const set = SPEC_SETS.grid16;
const spec = set.specs[0];
const runParams = {specSet: "grid16", spec: "X1", size: 16, variant: "main", reward: "path-gold", seed: 0, counts: set.counts,
  episodes: spec.episodes, epsDecay: spec.epsDecay, saveEvery: spec.saveEvery, gamma: 0.99, alpha: 0.1, rule: "reference",
  goldPenalty: "fractional", keep: "policies", trainSeed: 0};

const time = (f) => { const t0 = performance.now(); f(); return performance.now() - t0; };

/** Random-access read-modify-write over n doubles (an LCG picks the index): ns per access. */
function micro(kind, n = 4096, accesses = 4e6, repeats = 7) {
  const loop = microLoop(kind, n, accesses);
  loop();
  loop();
  const t = [];
  for (let r = 0; r < repeats; r++) t.push(time(loop));
  return (median(t) * 1e6) / accesses;
}

/** One call of the micro-kernel: accesses read-modify-writes on a Float64Array or a plain array. */
function microLoop(kind, n = 4096, accesses = 4e6) {
  const a = kind === "typed" ? new Float64Array(n) : Array.from({length: n}, () => 0.5);
  return () => {
    let s = 1;
    for (let i = 0; i < accesses; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) | 0;
      const j = (s >>> 20) & (n - 1);
      a[j] = 0.9 * a[j] + 0.1;
    }
    return a[0];
  };
}

/** sfc32 draws as the SARSA kernel inlines them (int32 arithmetic only, no memory): ns per draw. */
function microRng(draws = 2e7, repeats = 7) {
  const loop = rngLoop(draws);
  loop();
  loop();
  const t = [];
  for (let r = 0; r < repeats; r++) t.push(time(loop));
  return (median(t) * 1e6) / draws;
}

function rngLoop(draws = 2e7) {
  return () => {
    let ra = 0x9e3779b9 | 0, rb = 0x243f6a88 | 0, rc = 0xb7e15162 | 0, rd = 1, acc = 0;
    for (let i = 0; i < draws; i++) {
      const t = (((ra + rb) | 0) + rd) | 0;
      rd = (rd + 1) | 0;
      ra = rb ^ (rb >>> 9);
      rb = (rc + (rc << 3)) | 0;
      rc = (rc << 21) | (rc >>> 11);
      rc = (rc + t) | 0;
      acc = (acc + (t & 3)) | 0;
    }
    return acc;
  };
}

/** The same sfc32 draws with the generator's state in an Int32Array instead of local variables. */
function rngArrayLoop(draws = 2e7) {
  return () => {
    const st = new Int32Array([0x9e3779b9, 0x243f6a88, 0xb7e15162, 1]);
    let acc = 0;
    for (let i = 0; i < draws; i++) {
      const t = (((st[0] + st[1]) | 0) + st[3]) | 0;
      st[3] = (st[3] + 1) | 0;
      st[0] = st[1] ^ (st[1] >>> 9);
      st[1] = (st[2] + (st[2] << 3)) | 0;
      st[2] = (st[2] << 21) | (st[2] >>> 11);
      st[2] = (st[2] + t) | 0;
      acc = (acc + (t & 3)) | 0;
    }
    return acc;
  };
}

/**
 * The same micro-kernel as WebAssembly, hand-assembled (no toolchain needed): run(accesses, mask)
 * does what micro("typed") does, on f64s in linear memory. Returns ns per access.
 */
function microWasm(n = 4096, accesses = 4e6, repeats = 7) {
  const sleb = (v) => { const out = []; for (;;) { const b = v & 0x7f; v >>= 7; if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) { out.push(b); return out; } out.push(b | 0x80); } };
  const f64 = (x) => [...new Uint8Array(new Float64Array([x]).buffer)];
  const body = [
    0x01, 0x03, 0x7f, // locals: s, i, j (i32)
    0x41, 0x01, 0x21, 0x02, // s = 1
    0x02, 0x40, 0x03, 0x40, // block, loop
    0x20, 0x03, 0x20, 0x00, 0x4e, 0x0d, 0x01, // if (i >= accesses) break
    0x20, 0x02, 0x41, ...sleb(1664525), 0x6c, 0x41, ...sleb(1013904223), 0x6a, 0x21, 0x02, // s = s*1664525 + 1013904223
    0x20, 0x02, 0x41, 0x14, 0x76, 0x20, 0x01, 0x71, 0x41, 0x03, 0x74, 0x21, 0x04, // j = ((s >>> 20) & mask) << 3
    0x20, 0x04, 0x44, ...f64(0.9), 0x20, 0x04, 0x2b, 0x03, 0x00, 0xa2, 0x44, ...f64(0.1), 0xa0, 0x39, 0x03, 0x00, // m[j] = 0.9*m[j] + 0.1
    0x20, 0x03, 0x41, 0x01, 0x6a, 0x21, 0x03, 0x0c, 0x00, // i++, continue
    0x0b, 0x0b, 0x41, 0x00, 0x2b, 0x03, 0x00, 0x0b, // end, end, return m[0]
  ];
  const section = (id, bytes) => [id, ...sleb(bytes.length), ...bytes];
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7c]),
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, 0x01]),
    ...section(7, [0x02, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00]),
    ...section(10, [0x01, ...sleb(body.length), ...body]),
  ]);
  const {run, mem} = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  new Float64Array(mem.buffer, 0, n).fill(0);
  if (repeats === 0) return () => run(accesses, n - 1);
  run(accesses, n - 1);
  run(accesses, n - 1);
  const t = [];
  for (let r = 0; r < repeats; r++) t.push(time(() => run(accesses, n - 1)));
  return (median(t) * 1e6) / accesses;
}

// CPU-time kernels: each call does a fixed amount of work and returns how many units it did; the
// harness times the call with the thread's CPU clock (Node: process.cpuUsage; Chromium: the trace's
// thread time of the task), which waiting for a core on a loaded machine does not inflate.
const sarsaEnv = new GridWorld(sampleLayout(16, 0, set.counts), "path-gold");
const sarsaParams = {episodes: spec.episodes, epsDecay: spec.epsDecay, gamma: 0.99, saveEvery: spec.saveEvery};
let kernelCache = {};
const KERNELS = {
  "sarsa (M steps/s)": {scale: (units, ms) => units / ms / 1e3, run: (reps) => { let steps = 0; for (let i = 0; i < reps; i++) steps += train(sarsaEnv, {...sarsaParams, seed: i}, {onSnapshot: () => {}}).steps; return steps; }},
  "typed array access (ns)": {scale: (units, ms) => (ms * 1e6) / units, run: (reps) => { const f = (kernelCache.typed ??= microLoop("typed")); for (let i = 0; i < reps; i++) f(); return reps * 4e6; }},
  "plain array access (ns)": {scale: (units, ms) => (ms * 1e6) / units, run: (reps) => { const f = (kernelCache.plain ??= microLoop("plain")); for (let i = 0; i < reps; i++) f(); return reps * 4e6; }},
  "wasm memory access (ns)": {scale: (units, ms) => (ms * 1e6) / units, run: (reps) => { const f = (kernelCache.wasm ??= microWasm(4096, 4e6, 0)); for (let i = 0; i < reps; i++) f(); return reps * 4e6; }},
  "sfc32 draw, state in an Int32Array (ns)": {
    scale: (units, ms) => (ms * 1e6) / units,
    run: (reps) => {
      const f = (kernelCache.rngArray ??= rngArrayLoop());
      for (let i = 0; i < reps; i++) f();
      return reps * 2e7;
    },
  },
  "sfc32 draw, int32 only (ns)": {scale: (units, ms) => (ms * 1e6) / units, run: (reps) => { const f = (kernelCache.rng ??= rngLoop()); for (let i = 0; i < reps; i++) f(); return reps * 2e7; }},
};
export const kernelNames = Object.keys(KERNELS);
/** Warm-up and timed repetitions of each kernel (the timed call takes about 0.2–0.5 s of CPU). */
export const kernelReps = {warm: 6, timed: 8};
export function runKernel(name, reps) { return KERNELS[name].run(reps); }
export function scaleKernel(name, units, ms) { return KERNELS[name].scale(units, ms); }

export function stages({quick = false} = {}) {
  const sarsa = benchSarsa(quick ? 5 : 15, quick ? 4 : 10);
  trainRun(runParams);
  const runMs = [];
  let run;
  for (let i = 0; i < (quick ? 3 : 5); i++) runMs.push(time(() => { run = trainRun(runParams); }));
  const opt = benchOptimum(quick ? 3 : 9);
  const tr = transitionsFrom(snapshotFeatures(run, run.meta.kept[1]));
  const canonical = canonicalStatesFromRuns([run], new Rng(0), {total: 128});
  embedLstd(lstd(tr), canonical);
  const lstdMs = [];
  for (let i = 0; i < (quick ? 3 : 7); i++) lstdMs.push(time(() => embedLstd(lstd(tr), canonical)));
  return {
    "sarsa (M steps/s)": sarsa.stepsPerSecond / 1e6,
    "library run (ms)": median(runMs),
    "optimum 16×16 (ms)": opt.ms16,
    "optimum 32×32 (ms)": opt.ms32,
    "lstd (ms)": median(lstdMs),
    "typed array access (ns)": micro("typed"),
    "plain array access (ns)": micro("plain"),
    "wasm memory access (ns)": microWasm(),
    "sfc32 draw, int32 only (ns)": microRng(),
  };
}
`;

/** Stages where larger is better (the others are times). */
const HIGHER_IS_BETTER = new Set(["sarsa (M steps/s)"]);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function parseOptions() {
  let values;
  try {
    ({values} = parseArgs({
      options: {
        rounds: {type: "string", default: "3"},
        flags: {type: "string", multiple: true, default: []},
        "node-flags": {type: "string", multiple: true, default: []},
        quick: {type: "boolean", default: false},
        help: {type: "boolean", short: "h"},
      },
    }));
  } catch (e) {
    console.error(`bench-browser: ${e.message.split("\n")[0]} (accepted: --rounds N, --flags=V8FLAGS, --node-flags=FLAGS, --quick; write flag values with "=")`);
    process.exit(2);
  }
  if (values.help) {
    console.log("usage: node test/browser/bench-browser.mjs [--rounds N] [--flags=V8FLAGS]... [--node-flags=FLAGS]... [--quick]");
    process.exit(0);
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50) {
    console.error(`bench-browser: invalid --rounds: ${JSON.stringify(values.rounds)} (accepted: an integer 1–50)`);
    process.exit(2);
  }
  return {rounds, flags: values.flags, nodeFlags: values["node-flags"], quick: values.quick};
}

/** Run the entry in a fresh Node process: via tsx from source, or the bundle. */
function inNode(how, dir, quick, flags = "") {
  const code =
    how === "tsx"
      ? `import {stages} from ${JSON.stringify(join(dir, "entry.mjs"))}; console.log(JSON.stringify(stages({quick: ${quick}})));`
      : `import {stages} from ${JSON.stringify(join(dir, "node.mjs"))}; console.log(JSON.stringify(stages({quick: ${quick}})));`;
  const extra = flags.split(/\s+/).filter(Boolean);
  const args = how === "tsx" ? [...extra, "--import", "tsx", "--input-type=module", "-e", code] : [...extra, "--input-type=module", "-e", code];
  const out = execFileSync(process.execPath, args, {cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"]});
  return JSON.parse(out.trim().split("\n").pop());
}

const TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel"];

/** The longest task's thread CPU time (ms) on the threads whose name matches, in a Chromium trace. */
function taskCpuMs(traceBuffer, threadName) {
  const events = JSON.parse(traceBuffer.toString()).traceEvents;
  const threads = new Set(events.filter((e) => e.name === "thread_name" && threadName.test(e.args?.name ?? "")).map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.ph === "X" && /RunTask$/.test(e.name) && Number.isFinite(e.tdur) && threads.has(`${e.pid}:${e.tid}`));
  if (!tasks.length) throw new Error(`no task of a thread named ${threadName} in the trace`);
  return Math.max(...tasks.map((e) => e.tdur)) / 1000;
}

/** CPU-time kernels in a fresh Node process (process.cpuUsage around the timed call). */
function cpuInNode(dir, flags = "") {
  const code = `import * as B from ${JSON.stringify(join(dir, "node.mjs"))};
const out = {};
for (const name of B.kernelNames) {
  B.runKernel(name, B.kernelReps.warm);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const units = B.runKernel(name, B.kernelReps.timed);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  out[name] = {cpu: B.scaleKernel(name, units, (c.user + c.system) / 1000), wall: B.scaleKernel(name, units, wall)};
}
console.log(JSON.stringify(out));`;
  const extra = flags.split(/\s+/).filter(Boolean);
  const out = execFileSync(process.execPath, [...extra, "--input-type=module", "-e", code], {cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"]});
  return JSON.parse(out.trim().split("\n").pop());
}

/** CPU-time kernels in a fresh Chromium page and its Worker: each timed call is one task, timed by the trace. */
async function cpuInChromium(browser, code, B) {
  const page = await browser.newPage();
  try {
    await page.setContent("<!doctype html><title>bench</title>");
    await page.addScriptTag({content: code});
    await page.evaluate((src) => {
      const worker = new Worker(
        URL.createObjectURL(
          new Blob([`${src}\nonmessage = (e) => { const t0 = performance.now(); const units = BB.runKernel(e.data.name, e.data.reps); postMessage({units, wall: performance.now() - t0}); };`], {
            type: "text/javascript",
          }),
        ),
      );
      window.__ask = (name, reps) =>
        new Promise((resolve) => {
          worker.onmessage = (e) => resolve(e.data);
          worker.postMessage({name, reps});
        });
    }, code);
    const out = {page: {}, worker: {}};
    for (const name of B.kernelNames) {
      const args = (reps) => [name, reps];
      await page.evaluate(([n, r]) => globalThis.BB.runKernel(n, r), args(B.kernelReps.warm));
      await browser.startTracing(page, {categories: TRACE_CATEGORIES});
      const p = await page.evaluate(([n, r]) => {
        const t0 = performance.now();
        const units = globalThis.BB.runKernel(n, r);
        return {units, wall: performance.now() - t0};
      }, args(B.kernelReps.timed));
      const pageCpu = taskCpuMs(await browser.stopTracing(), /^CrRendererMain$/);
      out.page[name] = {cpu: B.scaleKernel(name, p.units, pageCpu), wall: B.scaleKernel(name, p.units, p.wall)};
      await page.evaluate(([n, r]) => window.__ask(n, r), args(B.kernelReps.warm));
      await browser.startTracing(page, {categories: TRACE_CATEGORIES});
      const w = await page.evaluate(([n, r]) => window.__ask(n, r), args(B.kernelReps.timed));
      const workerCpu = taskCpuMs(await browser.stopTracing(), /DedicatedWorker/);
      out.worker[name] = {cpu: B.scaleKernel(name, w.units, workerCpu), wall: B.scaleKernel(name, w.units, w.wall)};
    }
    return out;
  } finally {
    await page.close();
  }
}

/** Print one table: rows = stages, columns = engines, medians over rounds and the ratio to `base`. */
function printTable(samples, base, higherIsBetter, pick = (x) => x) {
  const engines = [...samples.keys()];
  const stageNames = Object.keys(samples.get(engines[0])[0]);
  const med = (engine, stage) => median(samples.get(engine).map((s) => pick(s[stage])));
  const w0 = Math.max(...stageNames.map((s) => s.length));
  const cols = engines.map((e) => Math.max(e.length, 16));
  console.log(["stage".padEnd(w0), ...engines.map((e, i) => e.padStart(cols[i]))].join("  "));
  for (const stage of stageNames) {
    const b = med(base, stage);
    const cells = engines.map((e, i) => {
      const v = med(e, stage);
      const slower = higherIsBetter.has(stage) ? b / v : v / b;
      const shown = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
      return `${shown} (${slower.toFixed(2)}×)`.padStart(cols[i]);
    });
    console.log([stage.padEnd(w0), ...cells].join("  "));
  }
}

/** Run the entry in a fresh Chromium page and in a fresh dedicated Worker of that page. */
async function inChromium(browser, code, quick) {
  const page = await browser.newPage();
  try {
    await page.setContent("<!doctype html><title>bench</title>");
    await page.addScriptTag({content: code});
    const inPage = await page.evaluate((q) => globalThis.BB.stages({quick: q}), quick);
    const inWorker = await page.evaluate(
      ([src, q]) =>
        new Promise((res, rej) => {
          const w = new Worker(URL.createObjectURL(new Blob([`${src}\nonmessage = (e) => postMessage(BB.stages({quick: e.data}));`], {type: "text/javascript"})));
          w.onmessage = (e) => {
            res(e.data);
            w.terminate();
          };
          w.onerror = (e) => rej(new Error(e.message));
          w.postMessage(q);
        }),
      [code, quick],
    );
    return {page: inPage, worker: inWorker};
  } finally {
    await page.close();
  }
}

async function main() {
  const opts = parseOptions();
  const dir = mkdtempSync(join(tmpdir(), "bench-browser-"));
  const browsers = [];
  try {
    writeFileSync(join(dir, "entry.mjs"), ENTRY);
    const esbuild = join(ROOT, "node_modules/.bin/esbuild");
    const common = [join(dir, "entry.mjs"), "--bundle", "--target=es2022", "--log-level=warning"];
    execFileSync(esbuild, [...common, "--format=esm", `--outfile=${join(dir, "node.mjs")}`], {stdio: "inherit"});
    execFileSync(esbuild, [...common, "--format=iife", "--global-name=BB", `--outfile=${join(dir, "browser.js")}`], {stdio: "inherit"});
    const code = readFileSync(join(dir, "browser.js"), "utf8");
    const variants = [{name: "", flags: ""}, ...opts.flags.map((f) => ({name: ` [${f}]`, flags: f}))];
    for (const v of variants) {
      const args = ["--no-sandbox", "--disable-gpu", ...(v.flags ? [`--js-flags=${v.flags}`] : [])];
      browsers.push({...v, browser: await chromium.launch({executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args})});
    }
    const B = await import(pathToFileURL(join(dir, "node.mjs")).href);
    const samples = new Map(); // engine → [per-round stage results]
    const add = (engine, result) => samples.set(engine, [...(samples.get(engine) ?? []), result]);
    const cpu = new Map(); // engine → [per-round CPU-time kernel results]
    const addCpu = (engine, result) => cpu.set(engine, [...(cpu.get(engine) ?? []), result]);
    for (let r = 0; r < opts.rounds; r++) {
      process.stderr.write(`bench-browser: round ${r + 1}/${opts.rounds}…\n`);
      add("node (tsx)", inNode("tsx", dir, opts.quick));
      add("node (bundle)", inNode("bundle", dir, opts.quick));
      for (const f of opts.nodeFlags) add(`node (bundle) [${f}]`, inNode("bundle", dir, opts.quick, f));
      for (const b of browsers) {
        const res = await inChromium(b.browser, code, opts.quick);
        add(`page${b.name}`, res.page);
        add(`worker${b.name}`, res.worker);
      }
      addCpu("node (bundle)", cpuInNode(dir));
      for (const f of opts.nodeFlags) addCpu(`node (bundle) [${f}]`, cpuInNode(dir, f));
      for (const b of browsers) {
        const res = await cpuInChromium(b.browser, code, B);
        addCpu(`page${b.name}`, res.page);
        addCpu(`worker${b.name}`, res.worker);
      }
    }
    const chromiumVersion = browsers[0].browser.version();
    console.log(
      `Node ${process.version} (V8 ${process.versions.v8}) vs Chromium ${chromiumVersion}; ${opts.rounds} interleaved round(s)${opts.quick ? ", quick" : ""}; ${new Date().toISOString()}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
    );
    console.log("\n1. Wall time (performance.now), medians over rounds; in brackets: how many times slower than node (tsx) (>1 = slower)\n");
    printTable(samples, "node (tsx)", HIGHER_IS_BETTER);
    console.log("\n2. CPU time of the timed call (Node: process.cpuUsage; Chromium: the trace's thread time of the task), medians over rounds;");
    console.log("   not inflated by waiting for a core on a loaded machine; in brackets: how many times slower than node (bundle)\n");
    printTable(cpu, "node (bundle)", HIGHER_IS_BETTER, (x) => x.cpu);
    console.log("\n   the same calls, wall time:\n");
    printTable(cpu, "node (bundle)", HIGHER_IS_BETTER, (x) => x.wall);
  } finally {
    for (const b of browsers) await b.browser.close().catch(() => {});
    rmSync(dir, {recursive: true, force: true});
  }
}

main().catch((e) => {
  console.error(`bench-browser: ${e?.stack || e}`);
  process.exitCode = 1;
});
