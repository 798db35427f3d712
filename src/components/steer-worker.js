// Web Worker (module) that reruns Reach2 steering episodes off the main thread.
// Loaded by steer-runner.js as new Worker(import.meta.resolve("./steer-worker.js"), {type: "module"}).
// Framework rewrites that specifier to this file's content-hashed path under /_import/ and rewrites the
// import below to the hashed, transpiled lib/steer/live.ts, so the worker and its whole import graph
// are self-hosted files of the built site (no CDN, no npm: import).
//
// Protocol: {type: "init", models: {env, actor, prior}} → {type: "ready", hashes} (or {type: "error"});
//           {type: "run", id, options} → {type: "result", id, result, computeMs} (or {type: "error", id}).
import {makeReach} from "../lib/steer/envs.js";
import {liveModels, runLive} from "../lib/steer/live.js";

let models = null;

self.onmessage = (event) => {
  const msg = event.data;
  try {
    if (msg.type === "init") {
      models = liveModels(makeReach(msg.models.env), msg.models.actor, msg.models.prior);
      self.postMessage({type: "ready"});
    } else if (msg.type === "run") {
      if (!models) throw new Error("steer-worker: run before init");
      const t0 = performance.now();
      const result = runLive(models, msg.options);
      const computeMs = performance.now() - t0;
      self.postMessage({type: "result", id: msg.id, result, computeMs}, [result.positions.buffer, result.frozenPositions.buffer]);
    } else {
      throw new Error(`steer-worker: unknown message type ${JSON.stringify(msg.type)}`);
    }
  } catch (error) {
    self.postMessage({type: "error", id: msg.id, message: String(error?.message ?? error)});
  }
};
