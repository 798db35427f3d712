#!/usr/bin/env node
// Same numbers in the browser, on outputs (issue 14): recompute results the build shipped, in Debian's
// Chromium (a page and a dedicated Worker) with the same lib code, and compare them with the build's
// JSON bit for bit.
//
//   - Library runs: for a few runs of the built src/data/library.json (first, last, and one in the
//     middle of each library), train the run again in the browser (lib/lever/library/runs.ts
//     `trainRun` with the library's own settings) and summarise it as the loader does
//     (lib/lever/library/summary.ts `summarizeRun`): snapshot rewards, greedy paths, steps, final
//     reward must equal the shipped entry exactly (measured times are left out).
//   - The exact optimum of grid16 seed 0 under path-gold with the legacy penalty: the reference's 110.81
//     and the same path in Node, the page and the Worker.
//   - The Live page's Reach2 reference episodes: from the built src/data/steer-models.json (the actor and
//     prior networks), rerun the page's default settings (lib/steer/live.ts `runLive`, as the page's
//     Worker does) and its frozen and prior rules; the per-episode scores must equal the `reference`
//     the build computed in Node, double for double.
//
// Usage: node test/browser/outputs-check.mjs [DIST_DIR]     (default: dist)
// Environment: CHROMIUM_PATH (default /usr/bin/chromium). Exit code 1 on any difference.

import {execFileSync} from "node:child_process";
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {chromium} from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DIST = resolve(process.argv[2] ?? join(ROOT, "dist"));

const lib = (p) => JSON.stringify(join(ROOT, p));
// The bundle entry, shared verbatim by Node and Chromium.
const ENTRY = `
import {parseSpecSet} from ${lib("lib/lever/env/layout.ts")};
import {GridWorld} from ${lib("lib/lever/env/gridworld.ts")};
import {sampleLayout} from ${lib("lib/lever/env/layout.ts")};
import {optimum} from ${lib("lib/lever/env/optimum.ts")};
import {runParamsFor} from ${lib("lib/lever/library/params.ts")};
import {trainRun} from ${lib("lib/lever/library/runs.ts")};
import {summarizeRun} from ${lib("lib/lever/library/summary.ts")};
import {makeReach} from ${lib("lib/steer/envs.ts")};
import {liveModels, runLive} from ${lib("lib/steer/live.ts")};

/** Measured times differ by machine and run; everything else of a summary is a pure function of the settings. */
export function untimed(summary) {
  const {time, wallTime, ...rest} = summary;
  return rest;
}

/** Train each picked run of a library summary again and summarise it as the loader does. */
export function recompute(library, picks) {
  const set = parseSpecSet(library.specSet);
  return picks.map(({spec, reward, seed}) => {
    const specs = library.specs.filter((s) => s.name === spec);
    const [params] = runParamsFor({...library.params, specSet: set, specs, seeds: [seed], rewards: [reward]});
    return untimed(summarizeRun(trainRun(params)));
  });
}

export function referenceOptimum() {
  const env = new GridWorld(sampleLayout(16, 0, {golds: 50, blocks: 25, hazards: 30}), "path-gold", {goldPenalty: "legacy"});
  const r = optimum(env);
  return {reward: r.reward, actions: r.actions};
}

/** The Live page's reference: its default settings and the frozen and prior rules, from the built networks. */
export function liveReference(data) {
  const models = liveModels(makeReach(data.env), data.actor, data.prior);
  const o = data.reference.options;
  const ref = runLive(models, o);
  return {
    scores: Array.from(ref.scores),
    frozenScores: Array.from(ref.frozenScores),
    mean: ref.mean,
    frozenMean: runLive(models, {...o, rule: "frozen"}).mean,
    priorMean: runLive(models, {...o, rule: "prior"}).mean,
  };
}
`;

function builtData(name) {
  const dir = join(DIST, "_file", "data");
  const file = readdirSync(dir).find((f) => new RegExp(`^${name}\\.[0-9a-f]+\\.json$`).test(f));
  if (!file) throw new Error(`no built ${name}.json in ${dir}; build the site first (npm run build)`);
  return JSON.parse(readFileSync(join(dir, file), "utf8"));
}

async function main() {
  const built = builtData("library");
  const steer = builtData("steer-models");
  // A few runs per library: first, middle, last (different reward systems and seeds).
  const jobs = built.libraries.map((library) => {
    const n = library.runs.length;
    const idx = [...new Set([0, Math.floor(n / 2), n - 1])];
    return {library: {specSet: library.specSet, specs: library.specs, params: library.params}, picks: idx.map((i) => library.runs[i]), idx};
  });
  const dir = mkdtempSync(join(tmpdir(), "outputs-check-"));
  try {
    writeFileSync(join(dir, "entry.mjs"), ENTRY);
    const esbuild = join(ROOT, "node_modules/.bin/esbuild");
    const common = [join(dir, "entry.mjs"), "--bundle", "--target=es2022", "--log-level=warning"];
    execFileSync(esbuild, [...common, "--format=esm", `--outfile=${join(dir, "node.mjs")}`], {stdio: "inherit"});
    execFileSync(esbuild, [...common, "--format=iife", "--global-name=OC", `--outfile=${join(dir, "browser.js")}`], {stdio: "inherit"});
    const code = readFileSync(join(dir, "browser.js"), "utf8");
    const node = await import(pathToFileURL(join(dir, "node.mjs")).href);
    const run = (m) => ({
      runs: jobs.map((j) =>
        m.recompute(
          j.library,
          j.picks.map(({spec, reward, seed}) => ({spec, reward, seed})),
        ),
      ),
      optimum: m.referenceOptimum(),
      live: m.liveReference(steer),
    });
    const inNode = run(node);

    const browser = await chromium.launch({executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"]});
    let inPage;
    let inWorker;
    let version;
    try {
      version = browser.version();
      const page = await browser.newPage();
      await page.setContent("<!doctype html><title>outputs</title>");
      await page.addScriptTag({content: code});
      const calls = jobs.map((j) => [j.library, j.picks.map(({spec, reward, seed}) => ({spec, reward, seed}))]);
      inPage = await page.evaluate(
        ([c, s]) => ({runs: c.map(([l, p]) => globalThis.OC.recompute(l, p)), optimum: globalThis.OC.referenceOptimum(), live: globalThis.OC.liveReference(s)}),
        [calls, steer],
      );
      inWorker = await page.evaluate(
        ([src, c]) =>
          new Promise((res, rej) => {
            const w = new Worker(
              URL.createObjectURL(
                new Blob([`${src}\nonmessage = (e) => postMessage({runs: e.data[0].map(([l, p]) => OC.recompute(l, p)), optimum: OC.referenceOptimum(), live: OC.liveReference(e.data[1])});`], {
                  type: "text/javascript",
                }),
              ),
            );
            w.onmessage = (e) => res(e.data);
            w.onerror = (e) => rej(new Error(e.message));
            w.postMessage(c);
          }),
        [code, [calls, steer]],
      );
    } finally {
      await browser.close();
    }

    console.log(`outputs check: ${DIST} (profile ${built.profile}), Node ${process.version} vs Chromium ${version} (page + Worker)`);
    let failures = 0;
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    jobs.forEach((j, k) => {
      j.picks.forEach((shipped, i) => {
        const want = node.untimed(shipped);
        const where = `${j.library.specSet} run ${j.idx[i]} (${shipped.spec}/${shipped.reward}/seed ${shipped.seed})`;
        for (const [engine, got] of [
          ["node", inNode.runs[k][i]],
          ["page", inPage.runs[k][i]],
          ["worker", inWorker.runs[k][i]],
        ]) {
          if (!same(got, want)) {
            failures++;
            const field = Object.keys(want).find((f) => !same(got[f], want[f]));
            console.log(`  DIFF ${where} in the ${engine}: ${field} differs from the build's library.json`);
          }
        }
        console.log(`  ${where}: final reward ${want.finalReward}, ${want.rewards.length} snapshots, ${want.steps} steps`);
      });
    });
    for (const [engine, got] of [
      ["node", inNode.optimum],
      ["page", inPage.optimum],
      ["worker", inWorker.optimum],
    ]) {
      if (got.reward.toFixed(2) !== "110.81" || !same(got.actions, inNode.optimum.actions)) {
        failures++;
        console.log(`  DIFF optimum in the ${engine}: ${got.reward} (expected the reference's 110.81 and Node's path)`);
      }
    }
    console.log(`  optimum grid16 seed 0 path-gold (legacy): ${inNode.optimum.reward.toFixed(2)} over ${inNode.optimum.actions.length} moves in every engine${failures ? "?" : ""}`);
    const ref = steer.reference;
    const wantLive = {scores: ref.scores, frozenScores: ref.frozenScores, mean: ref.mean, frozenMean: ref.frozenMean, priorMean: ref.priorMean};
    let liveFailures = 0;
    for (const [engine, got] of [
      ["node", inNode.live],
      ["page", inPage.live],
      ["worker", inWorker.live],
    ]) {
      if (!same(got, wantLive)) {
        liveFailures++;
        const field = Object.keys(wantLive).find((f) => !same(got[f], wantLive[f]));
        console.log(`  DIFF Reach2 reference in the ${engine}: ${field} differs from the build's steer-models.json`);
      }
    }
    failures += liveFailures;
    const o = ref.options;
    console.log(
      `  Reach2 reference (${o.rule} α = ${o.alpha}, ${o.condition.kind} prior, ${o.episodes} episodes, seed ${o.seed}): mean ${ref.mean.toFixed(4)}, frozen ${ref.frozenMean.toFixed(4)}, prior ${ref.priorMean.toFixed(4)}, ${ref.scores.length} + ${ref.frozenScores.length} episode scores${liveFailures ? "?" : " equal in every engine"}`,
    );
    console.log(failures ? `FAIL: ${failures} difference(s)` : "ok: the browser recomputes the build's numbers bit for bit");
    return failures ? 1 : 0;
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`outputs-check: ${e?.stack || e}`);
    process.exitCode = 1;
  },
);
