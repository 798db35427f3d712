// Runs lib/lever/answer.ts in a module Web Worker (lever-answer-worker.js) so the page never freezes.
// One run at a time: a newer run cancels the one in flight (the worker stops it at its next unit of
// work) and its promise resolves to null at once; cancel() does the same without a new run.
import {createLatestRunner} from "./latest-worker.js";

/**
 * A runner. run(params, onProgress, library) resolves to {answer, ms} (ms: round trip), or null when
 * cancelled or superseded; rejects with the worker's one-line error. `library` (optional): the absolute
 * URL of the build's runs of this layout (src/data/library-<key>-<seed>.bin), which the worker loads
 * instead of training when they hold the layout's runs. terminate() when the page cell is invalidated.
 */
export function createAnswerRunner() {
  const runner = createLatestRunner(import.meta.resolve("./lever-answer-worker.js"), "lever-answer-worker");
  runner.onMessage((msg, request) => {
    if (msg.type === "progress") request.onProgress?.(msg);
    else if (msg.type === "result") runner.settle({answer: msg.answer, ms: performance.now() - request.t0});
    else if (msg.type === "cancelled") runner.settle(null);
    else if (msg.type === "error") runner.fail(new Error(msg.message));
  });
  const cancel = () => {
    if (!runner.busy) return;
    runner.worker.postMessage({type: "cancel", id: runner.current.id});
    runner.settle(null);
  };
  return {
    run(params, onProgress, library) {
      cancel();
      return runner.start({params, ...(library ? {library} : {})}, {onProgress});
    },
    cancel,
    /** True while a run is in flight. */
    get busy() {
      return runner.busy;
    },
    terminate: runner.terminate,
  };
}
