/**
 * A minimal worker-thread pool for TypeScript workers (Node only). Each worker starts from a small
 * bootstrap that registers tsx and then imports the TypeScript module at `url`, so workers import
 * lib/ sources directly, from the CLI, loaders and vitest alike.
 */
import {availableParallelism} from "node:os";
import {Worker} from "node:worker_threads";

const BOOTSTRAP = new URL("./ts-worker.mjs", import.meta.url);

export function defaultWorkers(): number {
  const env = Number(process.env.LEVER_WORKERS);
  if (Number.isInteger(env) && env > 0) return env;
  return Math.max(1, availableParallelism());
}

export interface PoolResult<R> {
  index: number;
  result: R;
}

/**
 * Run `jobs` on `workers` threads; `onResult` is called in completion order. Rejects on the first
 * job error (after terminating the workers).
 */
export async function runPool<J, R>(
  url: URL,
  jobs: J[],
  workers: number,
  onResult: (index: number, result: R) => void | Promise<void>,
): Promise<void> {
  const n = Math.max(1, Math.min(workers, jobs.length));
  let next = 0;
  let done = 0;
  const pool: Worker[] = [];
  if (jobs.length === 0) return;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      for (const w of pool) void w.terminate();
      reject(err);
    };
    const feed = (w: Worker) => {
      if (next < jobs.length) {
        const index = next++;
        w.postMessage({index, params: jobs[index]});
      }
    };
    for (let i = 0; i < n; i++) {
      const w = new Worker(BOOTSTRAP, {workerData: {module: url.href}});
      pool.push(w);
      w.on("message", async (msg: {index: number; error?: string} & Record<string, unknown>) => {
        if (failed) return;
        if (msg.error) return fail(new Error(msg.error));
        try {
          await onResult(msg.index, msg as unknown as R);
        } catch (e) {
          return fail(e as Error);
        }
        done++;
        if (done === jobs.length) {
          for (const x of pool) void x.terminate();
          resolve();
        } else feed(w);
      });
      w.on("error", (e) => fail(e));
      w.on("exit", (code) => {
        if (!failed && done < jobs.length && code !== 0) fail(new Error(`worker exited with code ${code}`));
      });
      feed(w);
    }
  });
}
