// Web Worker (module) that runs a LEVER composition strategy off the main thread: the Search page's
// exhaustive search scores up to 625 composed paths (seconds on 32×32), which would freeze the page.
// Loaded by lever-compose-runner.js as new Worker(import.meta.resolve("./lever-compose-worker.js"),
// {type: "module"}); Framework builds this file and its imports (lib/ through the src/lib symlink) into
// the site with content hashes, so nothing is fetched from elsewhere. Same lib code as the experiment.
//
// Protocol: {type: "init", bytes, key} (a policy-tables container, lib/lever/artefacts.ts) → {type: "ready"};
//           {type: "run", id, request} → {type: "result", id, result, computeMs} (or {type: "error", id, message}).
import {scorePath} from "../lib/lever/compose/score.js";
import {runStrategy} from "../lib/lever/compose/strategy.js";
import {decodePolicyTables} from "../lib/lever/artefacts.js";
import {GridWorld} from "../lib/lever/env/gridworld.js";
import {linearPredictor} from "../lib/lever/pi2vec/regressor.js";
import {canonicalMean} from "../lib/lever/pi2vec/sf-lstd.js";

let tables = null;

/** The answer of one request: the strategy's evaluated combinations on the request's target env. */
function compose({layout, target, goldPenalty, method, strategy, combinations, canonical, linear, hazardSteps, memoPlanning}) {
  const env = new GridWorld(layout, target, {goldPenalty});
  const source = {env, method, q: tables.q, counts: tables.counts};
  // §7.3 with LSTD successor features (the reference fits a 50-epoch MLP per path: minutes here).
  const scoreCtx = {env, canonical, cbar: canonicalMean(canonical), regressor: {predict: linearPredictor(linear.coef, linear.intercept)}, seedParts: []};
  return runStrategy(source, combinations, strategy, {score: (actions) => scorePath(scoreCtx, actions, {sf: "lstd", seed: 0, hazardSteps}), memoPlanning});
}

self.onmessage = (event) => {
  const msg = event.data;
  try {
    if (msg.type === "init") {
      tables = decodePolicyTables(msg.bytes, msg.key);
      self.postMessage({type: "ready"});
    } else if (msg.type === "run") {
      if (!tables) throw new Error("lever-compose-worker: run before init");
      const t0 = performance.now();
      const result = compose(msg.request);
      self.postMessage({type: "result", id: msg.id, result, computeMs: performance.now() - t0});
    } else {
      throw new Error(`lever-compose-worker: unknown message type ${JSON.stringify(msg.type)}`);
    }
  } catch (error) {
    self.postMessage({type: "error", id: msg.id, message: String(error?.message ?? error)});
  }
};
