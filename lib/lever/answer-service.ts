/**
 * The message protocol of the Search page's answer Worker (src/components/lever-answer-worker.js), as a
 * pure module so that Node tests drive the same code the Worker runs (test/lever/answer-service.test.ts).
 *
 *   in:  {type: "run", id, params, library?}   run lib/lever/answer.ts `answer(params)`; a newer run cancels an
 *                                     older one. `library`: the URL of the build's runs of this layout
 *                                     (src/data/library-<key>-<seed>.bin), loaded instead of training
 *                                     when it holds the layout's runs (lib/lever/artefacts.ts)
 *        {type: "cancel", id}          cancel run `id` (no-op when it already ended)
 *   out: {type: "progress", id, stage, done, total, label}
 *        {type: "result", id, answer}
 *        {type: "cancelled", id}
 *        {type: "error", id, message}   (bad parameters, an undecomposable query, a failure)
 *
 * Runs yield to the event loop between units of work (`pause`), so a cancel or a newer run is seen
 * within one unit (one training run, the embedding, one stage). The library of the last layouts
 * (size, seed, budgets) is kept (`AnswerCache`): a new query, method, strategy or k on the same layout
 * retrains nothing. The last build file loaded is kept too (a new budget on the same layout fetches nothing).
 */
import type {HnswlibModule} from "hnswlib-wasm";
import {answer, AnswerCancelled, type AnswerCache, type AnswerParams, LOADING_LABEL, STAGE_LABELS, createAnswerCache} from "./answer.js";
import {decodeLibraryRuns} from "./artefacts.js";
import type {Run} from "./library/runs.js";

export type AnswerRequest = {type: "run"; id: number; params: AnswerParams; library?: string} | {type: "cancel"; id: number};

export type AnswerReply =
  | {type: "progress"; id: number; stage: string; done: number; total: number; label: string}
  | {type: "result"; id: number; answer: unknown}
  | {type: "cancelled"; id: number}
  | {type: "error"; id: number; message: string};

export interface AnswerServiceOptions {
  /** hnswlib-wasm, loaded once on first use (the page's factory in the Worker, runtime/hnsw-node.ts in Node). */
  hnswlib?: () => Promise<HnswlibModule>;
  /** Between units of work (default: a macrotask, so that messages are handled while a run is in flight). */
  pause?: () => Promise<void>;
  /** Reads a build file's bytes (default: `fetch`); a failure means the library is trained instead. */
  fetchBytes?: (url: string) => Promise<ArrayBuffer>;
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`HTTP ${r.status} for ${url}`);
  return r.arrayBuffer();
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A service that answers `AnswerRequest`s through `post`; returns the message handler and a promise of the current run's end. */
export function createAnswerService(post: (reply: AnswerReply) => void, options: AnswerServiceOptions = {}) {
  const cache: AnswerCache = createAnswerCache();
  const runs = new Map<number, AbortController>();
  let chain: Promise<void> = Promise.resolve();
  let lib: Promise<HnswlibModule> | undefined;
  let shipped: {url: string; runs: Promise<ReadonlyMap<string, Run> | undefined>} | undefined;

  /** The build's runs at `url`, decoded (the last URL's kept); undefined when it cannot be read. */
  function shippedRuns(url: string): Promise<ReadonlyMap<string, Run> | undefined> {
    if (shipped?.url !== url) {
      const runs = (options.fetchBytes ?? fetchBytes)(url).then(
        (bytes) => decodeLibraryRuns(bytes).runs,
        () => undefined,
      );
      shipped = {url, runs};
    }
    return shipped.runs;
  }

  async function run(id: number, params: AnswerParams, library: string | undefined, controller: AbortController): Promise<void> {
    try {
      if (controller.signal.aborted) throw new AnswerCancelled("library");
      const hnswlib = options.hnswlib ? await (lib ??= options.hnswlib()) : undefined;
      if (library) post({type: "progress", id, stage: "library", done: 0, total: 1, label: LOADING_LABEL});
      const runs = library ? await shippedRuns(library) : undefined;
      const result = await answer(params, {
        hnswlib,
        shipped: runs,
        cache,
        signal: controller.signal,
        pause: options.pause ?? macrotask,
        onProgress: ({stage, done, total, label}) => post({type: "progress", id, stage, done, total, label: label ?? STAGE_LABELS[stage]}),
      });
      post({type: "result", id, answer: result});
    } catch (e) {
      if (e instanceof AnswerCancelled) post({type: "cancelled", id});
      else post({type: "error", id, message: String((e as Error)?.message ?? e).split("\n")[0]});
    } finally {
      runs.delete(id);
    }
  }

  return {
    handle(msg: AnswerRequest): void {
      if (msg?.type === "run") {
        // A newer run cancels every older one; runs execute one at a time, in order.
        for (const c of runs.values()) c.abort();
        const controller = new AbortController();
        runs.set(msg.id, controller);
        chain = chain.then(() => run(msg.id, msg.params, msg.library, controller));
      } else if (msg?.type === "cancel") {
        runs.get(msg.id)?.abort();
      } else {
        post({type: "error", id: (msg as {id?: number})?.id ?? -1, message: `answer worker: unknown message type ${JSON.stringify((msg as {type?: unknown})?.type)}`});
      }
    },
    /** Resolves when every run received so far has ended. */
    idle(): Promise<void> {
      return chain;
    },
  };
}
