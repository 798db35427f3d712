// Runs Reach2 steering episodes (lib/steer/live.ts runLive) in a module Web Worker or on the main thread,
// with the same code and therefore the same numbers.
//
// The worker URL comes from import.meta.resolve("./steer-worker.js"): Framework 1.13 treats that call as
// a local import, builds steer-worker.js (and everything it imports, down to lib/steer/*.ts via the
// src/lib symlink) into /_import/ with content hashes, and rewrites the specifier to the hashed file.
// Nothing is fetched from outside the site.
import {makeReach} from "../lib/steer/envs.js";
import {liveModels, runLive} from "../lib/steer/live.js";

/** Deserialise the steer-models loader output (checks the weights hashes). */
export function modelsFrom(data) {
  return liveModels(makeReach(data.env), data.actor, data.prior);
}

/** Run on the calling thread: {result, ms}. */
export function runMain(models, options) {
  const t0 = performance.now();
  const result = runLive(models, options);
  return {result, ms: performance.now() - t0, computeMs: performance.now() - t0, where: "main thread"};
}

/**
 * A worker-backed runner. run(options) resolves to {result, ms (round trip, incl. messaging),
 * computeMs (inside the worker), where}. Requests are answered in order; a newer request does not cancel an
 * older one, but callers can ignore stale answers by id. Call terminate() when done.
 */
export function createWorkerRunner(data) {
  const worker = new Worker(import.meta.resolve("./steer-worker.js"), {type: "module", name: "steer-worker"});
  const pending = new Map();
  let nextId = 1;
  let failure = null;
  const ready = new Promise((resolve, reject) => {
    pending.set(0, {resolve, reject, t0: performance.now()});
  });
  worker.onmessage = (event) => {
    const msg = event.data;
    const id = msg.type === "ready" ? 0 : msg.id;
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (msg.type === "error") p.reject(new Error(msg.message));
    else if (msg.type === "ready") p.resolve(performance.now() - p.t0);
    else p.resolve({result: msg.result, ms: performance.now() - p.t0, computeMs: msg.computeMs, where: "worker"});
  };
  worker.onerror = (event) => {
    failure = new Error(`steer worker failed: ${event.message ?? "could not load the module"}`);
    event.preventDefault?.();
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  worker.postMessage({type: "init", id: 0, models: {env: data.env, actor: data.actor, prior: data.prior}});
  return {
    /** Resolves with the start-up time (ms) once the worker has loaded its modules and the models. */
    ready,
    run(options) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, {resolve, reject, t0: performance.now()});
        worker.postMessage({type: "run", id, options});
      });
    },
    terminate() {
      worker.terminate();
      for (const p of pending.values()) p.reject(new Error("steer worker terminated"));
      pending.clear();
    },
  };
}
