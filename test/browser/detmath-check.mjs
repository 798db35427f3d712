#!/usr/bin/env node
// Cross-engine check for lib/core/detmath.ts: Node vs Debian's Chromium (main thread and a Web Worker).
//
// Bundles lib/core/detmath.ts + lib/core/rng.ts with esbuild (node_modules/.bin/esbuild) into a temp dir, then
// evaluates the same seeded arguments (100k per function by default, generated from lib/core/rng.ts's Rng
// with integer/bit arithmetic only, so the arguments themselves are engine-independent) in Node and
// in headless Chromium (playwright-core, main thread and a dedicated Worker), and compares the output
// bit patterns:
//   - detmath.f(x) must be bit-identical in every engine (exit code 1 otherwise);
//   - Math.f(x) is compared too, and the number of differing outputs is reported (this documents why
//     detmath exists; it is not a failure).
//
// Usage: node test/browser/detmath-check.mjs [--n 100000] [--seed 20260421]
// Environment: CHROMIUM_PATH (default /usr/bin/chromium).
// Needs Chromium: apt-get install -y chromium

import {execFileSync} from "node:child_process";
import {createHash} from "node:crypto";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {parseArgs} from "node:util";
import {chromium} from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const {values: opts} = parseArgs({
  options: {n: {type: "string", default: "100000"}, seed: {type: "string", default: "20260421"}},
});
const N = Number(opts.n);
const SEED = Number(opts.seed);

// The bundle entry: the argument generator and the evaluation loop, shared verbatim by Node and Chromium.
const ENTRY = `
import * as D from ${JSON.stringify(join(ROOT, "lib/core/detmath.ts"))};
import {Rng} from ${JSON.stringify(join(ROOT, "lib/core/rng.ts"))};

const F = new Float64Array(1);
const W = new Uint32Array(F.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** A double from bits: sign, unbiased exponent e (−1075 → subnormal/zero field), random mantissa. */
function bits(rng, sign, e) {
  const field = Math.max(0, Math.min(2047, e + 1023));
  W[HI] = ((sign << 31) | (field << 20) | (rng.nextUint32() & 0xfffff)) >>> 0;
  W[1 - HI] = rng.nextUint32();
  return F[0];
}
/** Any double (all bit patterns, including NaN, ±Infinity, subnormals). */
function anyDouble(rng) {
  W[0] = rng.nextUint32();
  W[1] = rng.nextUint32();
  return F[0];
}
/** Random sign, exponent uniform in [e0, e1]. */
function logUniform(rng, e0, e1, signed) {
  return bits(rng, signed ? rng.int(2) : 0, e0 + rng.int(e1 - e0 + 1));
}
const EDGE = [0, -0, Infinity, -Infinity, NaN, 1, -1, 0.5, -0.5, 2, -2, 5e-324, -5e-324, 2.2250738585072014e-308,
  -2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 1e-300, 1e300, 1e22, -1e22,
  3.141592653589793, 1.5707963267948966, 4.71238898038469, 6.283185307179586, 709.782712893384, 710, -745.1332191019411,
  -746, 22, -22, 1e-20, 0.7853981633974483, 2 ** 20 * 1.5707963267948966, 2 ** 1023];

export const SPECS = {
  exp: {f: D.exp, m: Math.exp, lo: -750, hi: 750, e0: -60, e1: 11},
  expm1: {f: D.expm1, m: Math.expm1, lo: -60, hi: 60, e0: -60, e1: 11},
  log: {f: D.log, m: Math.log, lo: 0, hi: 4, e0: -1074, e1: 1023},
  log1p: {f: D.log1p, m: Math.log1p, lo: -1, hi: 3, e0: -60, e1: 1023},
  sin: {f: D.sin, m: Math.sin, lo: -20, hi: 20, e0: -40, e1: 1023},
  cos: {f: D.cos, m: Math.cos, lo: -20, hi: 20, e0: -40, e1: 1023},
  tan: {f: D.tan, m: Math.tan, lo: -20, hi: 20, e0: -40, e1: 1023},
  tanh: {f: D.tanh, m: Math.tanh, lo: -25, hi: 25, e0: -40, e1: 10},
  pow: {f: D.pow, m: Math.pow},
};

/**
 * Arguments for one function: n seeded draws (exactly the generator of test/core/detmath.test.ts, so the
 * digests of the first n outputs can be compared with the test's golden DIGESTS), then the edge cases.
 */
export function args(name, n, seed) {
  const rng = new Rng(seed, name === "pow" ? 3 * 7919 + "p".charCodeAt(0) : name.length * 7919 + name.charCodeAt(0));
  const s = SPECS[name];
  const extra = name === "pow" ? EDGE.length * EDGE.length : EDGE.length;
  const xs = new Float64Array(n + extra);
  const ys = new Float64Array(n + extra);
  for (let i = 0; i < n; i++) {
    if (name === "pow") {
      switch (i % 5) {
        case 0: xs[i] = bits(rng, 0, -40 + rng.int(81)); ys[i] = -60 + 120 * rng.next(); break;
        case 1: xs[i] = -(1 + rng.int(1000)); ys[i] = rng.int(81) - 40; break;
        case 2: xs[i] = rng.next(); ys[i] = rng.int(100000); break; // e.g. Adam's beta^t
        case 3: xs[i] = 1 + (rng.next() - 0.5) * 2e-7; ys[i] = logUniform(rng, 20, 45, true); break;
        default: xs[i] = anyDouble(rng); ys[i] = anyDouble(rng);
      }
      continue;
    }
    switch (i % 3) {
      case 0: xs[i] = s.lo + (s.hi - s.lo) * rng.next(); break;
      case 1: xs[i] = logUniform(rng, s.e0, s.e1, true); break;
      default: xs[i] = anyDouble(rng);
    }
  }
  for (let k = 0; k < extra; k++) {
    if (name === "pow") {
      xs[n + k] = EDGE[(k / EDGE.length) | 0];
      ys[n + k] = EDGE[k % EDGE.length];
    } else xs[n + k] = EDGE[k];
  }
  return {xs, ys};
}

/** The golden single values of test/core/detmath.test.ts, as [name, args, expected bits]. */
export function goldens(list) {
  return list.map(([name, a]) => {
    const v = SPECS[name].f(...a);
    F[0] = v;
    return W[HI].toString(16).padStart(8, "0") + W[1 - HI].toString(16).padStart(8, "0");
  });
}

/** Evaluate detmath and Math on the arguments; return the output bits (and the argument bits). */
export function evaluate(n, seed) {
  const out = {};
  for (const name of Object.keys(SPECS)) {
    const {f, m} = SPECS[name];
    const {xs, ys} = args(name, n, seed);
    const det = new Float64Array(xs.length);
    const ref = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) {
      det[i] = f(xs[i], ys[i]);
      ref[i] = m(xs[i], ys[i]);
    }
    out[name] = {args: b64(xs, ys), det: b64(det), math: b64(ref)};
  }
  return out;
}

function b64(...arrays) {
  let s = "";
  for (const a of arrays) {
    const u8 = new Uint8Array(a.buffer);
    for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
  }
  return btoa(s);
}
`;

/**
 * The golden DIGESTS and GOLDEN bit patterns written in test/core/detmath.test.ts (checked here in every engine).
 * They are change detectors computed by detmath itself: a match shows every engine gives Node's bits, not that
 * the bits are right (the within-1-ulp comparison with Math.* in that test checks accuracy).
 */
function testGoldens() {
  const src = readFileSync(join(ROOT, "test/core/detmath.test.ts"), "utf8");
  const digests = {};
  const block = src.slice(src.indexOf("const DIGESTS"), src.indexOf("};", src.indexOf("const DIGESTS")));
  for (const m of block.matchAll(/(\w+): "([0-9a-f]{16})"/g)) digests[m[1]] = m[2];
  const golden = [];
  for (const m of src.matchAll(/\["(\w+)", \[([^\]]*)\], "([0-9a-f]{16})"\]/g)) golden.push([m[1], m[2].split(",").map((v) => Number(v.trim())), m[3]]);
  if (Object.keys(digests).length !== 9 || golden.length === 0) throw new Error("could not read the goldens of test/core/detmath.test.ts");
  return {digests, golden};
}

/** sha256 prefix of the first n output bits, NaNs canonicalised (as digest() in test/core/detmath.test.ts). */
function digestOf(u64, n) {
  const a = new BigUint64Array(n);
  for (let i = 0; i < n; i++) a[i] = isNaNBits(u64[i]) ? 0x7ff8000000000000n : u64[i];
  return createHash("sha256").update(new Uint8Array(a.buffer)).digest("hex").slice(0, 16);
}

function decode(b64s) {
  return new Float64Array(new Uint8Array(Buffer.from(b64s, "base64")).buffer);
}
const U64 = (a) => new BigUint64Array(a.buffer);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "detmath-check-"));
  try {
    writeFileSync(join(dir, "entry.mjs"), ENTRY);
    const esbuild = join(ROOT, "node_modules/.bin/esbuild");
    const common = [join(dir, "entry.mjs"), "--bundle", "--target=es2022", "--log-level=warning"];
    execFileSync(esbuild, [...common, "--format=esm", `--outfile=${join(dir, "node.mjs")}`], {stdio: "inherit"});
    execFileSync(esbuild, [...common, "--format=iife", "--global-name=DM", `--outfile=${join(dir, "browser.js")}`], {
      stdio: "inherit",
    });
    const browserCode = readFileSync(join(dir, "browser.js"), "utf8");

    const t0 = performance.now();
    const nodeMod = await import(pathToFileURL(join(dir, "node.mjs")).href);
    const nodeOut = nodeMod.evaluate(N, SEED);
    const {digests, golden} = testGoldens();
    const goldenArgs = golden.map(([name, a]) => [name, a]);
    const nodeGold = nodeMod.goldens(goldenArgs);
    const tNode = performance.now() - t0;

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu"],
    });
    let pageOut;
    let pageGold;
    let workerOut;
    let version;
    try {
      version = browser.version();
      const page = await browser.newPage();
      await page.setContent("<!doctype html><title>detmath</title>");
      await page.addScriptTag({content: browserCode});
      pageOut = await page.evaluate(([n, seed]) => globalThis.DM.evaluate(n, seed), [N, SEED]);
      pageGold = await page.evaluate((g) => globalThis.DM.goldens(g), goldenArgs);
      workerOut = await page.evaluate(
        ([code, n, seed, g]) =>
          new Promise((res, rej) => {
            const src = `${code}\nonmessage = (e) => postMessage({...DM.evaluate(e.data[0], e.data[1]), __golden: DM.goldens(e.data[2])});`;
            const w = new Worker(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
            w.onmessage = (e) => res(e.data);
            w.onerror = (e) => rej(new Error(e.message));
            w.postMessage([n, seed, g]);
          }),
        [browserCode, N, SEED, goldenArgs],
      );
    } finally {
      await browser.close();
    }

    console.log(`detmath cross-engine check: ${N} arguments per function, seed ${SEED}`);
    console.log(`  Node ${process.version} (V8 ${process.versions.v8})  vs  Chromium ${version} (page + Worker)`);
    console.log(`  node evaluation ${tNode.toFixed(0)} ms`);
    let failures = 0;
    const rows = [];
    for (const name of Object.keys(nodeOut).filter((k) => k !== "__golden")) {
      const nArgs = U64(decode(nodeOut[name].args));
      const nDet = U64(decode(nodeOut[name].det));
      const nMath = U64(decode(nodeOut[name].math));
      const row = {fn: name};
      const checkDigest = N === 100000 && SEED === 20260421;
      const nodeDigest = digestOf(nDet, N);
      row.digest = nodeDigest;
      if (checkDigest && nodeDigest !== digests[name]) {
        console.log(`  DIGEST ${name} (node): ${nodeDigest}, test/core/detmath.test.ts has ${digests[name]}`);
        failures++;
      }
      for (const [where, o] of [
        ["page", pageOut],
        ["worker", workerOut],
      ]) {
        const bArgs = U64(decode(o[name].args));
        const bDet = U64(decode(o[name].det));
        const bMath = U64(decode(o[name].math));
        let argDiff = 0;
        let detDiff = 0;
        let mathDiff = 0;
        let firstDet = -1;
        for (let i = 0; i < nArgs.length; i++) if (nArgs[i] !== bArgs[i]) argDiff++;
        for (let i = 0; i < nDet.length; i++) {
          // NaN payloads are not observable from JS arithmetic; treat all NaNs as equal.
          const a = nDet[i];
          const b = bDet[i];
          if (a !== b && !(isNaNBits(a) && isNaNBits(b))) {
            detDiff++;
            if (firstDet < 0) firstDet = i;
          }
          const c = nMath[i];
          const d = bMath[i];
          if (c !== d && !(isNaNBits(c) && isNaNBits(d))) mathDiff++;
        }
        if (argDiff || detDiff) failures++;
        if (checkDigest && digestOf(bDet, N) !== digests[name]) {
          console.log(`  DIGEST ${name} (${where}): ${digestOf(bDet, N)}, test/core/detmath.test.ts has ${digests[name]}`);
          failures++;
        }
        row[`${where}: arg≠`] = argDiff;
        row[`${where}: detmath≠`] = detDiff;
        row[`${where}: Math≠`] = mathDiff;
        row[`${where}: Math≠ %`] = ((100 * mathDiff) / nDet.length).toFixed(2);
        if (firstDet >= 0) {
          const x = decode(nodeOut[name].args);
          console.log(`  MISMATCH ${name} (${where}) at #${firstDet}: x = ${x[firstDet]}, y = ${x[nDet.length + firstDet]}`);
        }
      }
      rows.push(row);
    }
    console.table(rows);
    const workerGold = workerOut.__golden;
    let goldBad = 0;
    golden.forEach(([name, a, want], i) => {
      for (const [where, got] of [
        ["node", nodeGold[i]],
        ["page", pageGold[i]],
        ["worker", workerGold[i]],
      ])
        if (got !== want) {
          goldBad++;
          console.log(`  GOLDEN ${name}(${a.join(", ")}) in ${where}: ${got}, test/core/detmath.test.ts has ${want}`);
        }
    });
    console.log(`  golden bit patterns of test/core/detmath.test.ts: ${golden.length} values x 3 contexts, ${goldBad} mismatches`);
    if (N === 100000 && SEED === 20260421) console.log("  digests of the first 100000 detmath outputs per function compared with test/core/detmath.test.ts DIGESTS");
    if (goldBad) failures++;
    if (failures) {
      console.log(`FAIL: ${failures} detmath mismatch(es) between Node, Chromium and the goldens of test/core/detmath.test.ts`);
      process.exitCode = 1;
    } else {
      console.log("OK: every detmath output is bit-identical in Node, the Chromium page and a Chromium Worker, and matches the test goldens");
    }
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

function isNaNBits(b) {
  return (b & 0x7ff0000000000000n) === 0x7ff0000000000000n && (b & 0xfffffffffffffn) !== 0n;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
