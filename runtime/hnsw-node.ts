/**
 * hnswlib-wasm in Node (loaders, CLI, vitest) — Node only; pages use lib/lever/retrieval/hnsw.ts with the factory file.
 *
 * hnswlib-wasm 0.8.2 is built with `-sENVIRONMENT=web` and IDBFS (stack.md Q4), so Node needs:
 *   - `globalThis.window = globalThis` (emscripten checks `typeof window == "object"`, and IDBFS reads
 *     `window.indexedDB` on every sync, so the shim stays installed);
 *   - `indexedDB`/`IDBKeyRange` from fake-indexeddb (IDBFS aborts without them);
 *   - console.log → console.error, set before loading: emscripten and the library print to console.log
 *     on mount and on every sync, which would corrupt a loader's stdout;
 *   - the emscripten factory file itself: the bare "hnswlib-wasm" import has no Node entry point.
 * The shims are installed only when missing. The module is instantiated once per process. The library's
 * three fixed progress lines ("EmscriptenFileSystemManager: Mounting IDBFS filesystem...", "b. jsFS synced
 * successfully", "d. Calling sync callback...") are dropped; everything else goes to stderr.
 */
import type {HnswlibModule} from "hnswlib-wasm";
import {initHnswlib, type HnswFactory} from "../lib/lever/retrieval/hnsw.js";

let loading: Promise<HnswlibModule> | undefined;

/** Load hnswlib-wasm once per process, with the Node shims above. */
export function loadHnswlibNode(): Promise<HnswlibModule> {
  loading ??= load();
  return loading;
}

const CHATTER = /^(EmscriptenFileSystemManager: Mounting IDBFS filesystem\.\.\.|b\. jsFS synced successfully|d\. Calling sync callback\.\.\.)\s*$/;

function toStderr(...args: unknown[]): void {
  if (args.length === 1 && typeof args[0] === "string" && CHATTER.test(args[0])) return;
  console.error(...args);
}

async function load(): Promise<HnswlibModule> {
  console.log = toStderr;
  const g = globalThis as Record<string, unknown>;
  if (g.indexedDB === undefined) {
    const fake = await import("fake-indexeddb");
    g.indexedDB = fake.indexedDB;
    g.IDBKeyRange = fake.IDBKeyRange;
  }
  if (g.window === undefined) g.window = globalThis;
  // @ts-expect-error the emscripten factory file ships without type declarations (typed as HnswFactory)
  const module = await import("hnswlib-wasm/dist/hnswlib-317962d7.js");
  return initHnswlib(module.default as HnswFactory, {print: toStderr});
}
