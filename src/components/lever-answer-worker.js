// Web Worker (module) that runs LEVER's whole pipeline for one answer (lib/lever/answer.ts: train the
// layout's library, embed, regress, index, retrieve, compose, baseline, optimum) off the main thread.
// Loaded by lever-answer-runner.js as new Worker(import.meta.resolve("./lever-answer-worker.js"),
// {type: "module"}); Framework builds this file and its imports (lib/ through the src/lib symlink, and
// hnswlib-wasm's emscripten file from node_modules) into the site with content hashes.
//
// The protocol is lib/lever/answer-service.ts (the same code the Node tests drive): {type: "run", id,
// params} → {type: "progress"}…, then {type: "result"} | {type: "cancelled"} | {type: "error"};
// {type: "cancel", id}. A newer run cancels an older one.
import hnswFactory from "hnswlib-wasm/dist/hnswlib-317962d7.js";
import {createAnswerService} from "../lib/lever/answer-service.js";
import {initHnswlib} from "../lib/lever/retrieval/hnsw.js";

const service = createAnswerService((reply) => self.postMessage(reply), {
  // hnswlib-wasm is built for the web; its IDBFS reads `window.indexedDB`, which a Worker has as `self.indexedDB`.
  hnswlib: () => {
    self.window ??= self;
    return initHnswlib(hnswFactory, {print: () => {}});
  },
});

self.onmessage = (event) => service.handle(event.data);
