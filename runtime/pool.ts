/**
 * Worker threads for TypeScript modules (Node only).
 *
 * A worker module exports `handle(params)`; `ts-worker.mjs` registers tsx in each thread, imports the
 * module a job names and posts back what `handle` returns. Three ways to run jobs:
 *   - `runPool(url, jobs, workers, onResult)`: a batch of jobs of one module;
 *   - `runTask(url, params)`: one job (heavy work that would otherwise block the main thread);
 *   - `withSharedPool(workers, fn)`: while `fn` runs, every `runPool` / `runTask` of this process goes
 *     to ONE pool of long-lived workers. The build's prebuild step (cli/prebuild.ts) runs every
 *     artefact concurrently this way, so both cores stay busy across stages, and a worker decodes a
 *     library once for all the stages that use it (module-level caches live as long as the thread).
 * Without a shared pool, `runPool` starts and ends its own workers and `runTask` runs in-process.
 */
import {AsyncLocalStorage} from "node:async_hooks";
import {availableParallelism} from "node:os";
import {Worker} from "node:worker_threads";

const BOOTSTRAP = new URL("./ts-worker.mjs", import.meta.url);

export function defaultWorkers(): number {
  const env = Number(process.env.LEVER_WORKERS);
  if (Number.isInteger(env) && env > 0) return env;
  return Math.max(1, availableParallelism());
}

/** Priority of a job in the shared queue: higher runs first, ties in submission order. */
export interface JobOptions {
  priority?: number;
}

interface Pending {
  module: string;
  params: unknown;
  priority: number;
  seq: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** Counters of a pool, for progress lines. */
export interface PoolStats {
  workers: number;
  submitted: number;
  done: number;
  running: number;
}

/** A fixed set of worker threads fed from one priority queue. */
export class WorkerPool {
  readonly size: number;
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly current = new Map<Worker, Pending>();
  private seq = 0;
  private closed = false;
  readonly stats: PoolStats;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`invalid workers: ${size} (expected a positive integer)`);
    this.size = size;
    this.stats = {workers: size, submitted: 0, done: 0, running: 0};
  }

  run<R>(module: URL, params: unknown, {priority = 0}: JobOptions = {}): Promise<R> {
    if (this.closed) return Promise.reject(new Error("worker pool is closed"));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({module: module.href, params, priority, seq: this.seq++, resolve: resolve as (v: unknown) => void, reject});
      this.stats.submitted++;
      this.pump();
    });
  }

  private spawn(): Worker {
    const w = new Worker(BOOTSTRAP);
    this.all.push(w);
    w.on("message", (msg: {error?: string; result?: unknown}) => {
      const job = this.current.get(w);
      this.current.delete(w);
      this.stats.running--;
      this.stats.done++;
      this.idle.push(w);
      if (job) {
        if (msg.error !== undefined) job.reject(new Error(msg.error));
        else job.resolve(msg.result);
      }
      this.pump();
    });
    w.on("error", (e) => this.crash(w, e));
    w.on("exit", (code) => {
      if (!this.closed) this.crash(w, new Error(`worker exited with code ${code}`));
    });
    return w;
  }

  /** A worker died: fail its job, replace it, carry on with the queue. */
  private crash(w: Worker, e: Error): void {
    const job = this.current.get(w);
    this.current.delete(w);
    const i = this.all.indexOf(w);
    if (i >= 0) this.all.splice(i, 1);
    const k = this.idle.indexOf(w);
    if (k >= 0) this.idle.splice(k, 1);
    if (job) {
      this.stats.running--;
      job.reject(e);
    }
    if (!this.closed) this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0 && (this.idle.length > 0 || this.all.length < this.size)) {
      const w = this.idle.pop() ?? this.spawn();
      // Highest priority first, then first submitted (the queue is short: a linear scan is enough).
      let best = 0;
      for (let i = 1; i < this.queue.length; i++) {
        const a = this.queue[i];
        const b = this.queue[best];
        if (a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq)) best = i;
      }
      const job = this.queue.splice(best, 1)[0];
      this.current.set(w, job);
      this.stats.running++;
      w.postMessage({module: job.module, params: job.params});
    }
  }

  /** Reject what is queued or running and stop every worker. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error("worker pool closed");
    for (const job of this.queue.splice(0)) job.reject(error);
    for (const job of this.current.values()) job.reject(error);
    this.current.clear();
    await Promise.all(this.all.map((w) => w.terminate()));
    this.all.length = 0;
    this.idle.length = 0;
  }
}

const shared = new AsyncLocalStorage<WorkerPool>();

/** The shared pool `fn` runs under, if any. */
export function sharedPool(): WorkerPool | undefined {
  return shared.getStore();
}

/** Run `fn` with one shared pool of `workers` threads for every job it starts; the pool ends with it. */
export async function withSharedPool<T>(workers: number, fn: (pool: WorkerPool) => Promise<T>): Promise<T> {
  const existing = sharedPool();
  if (existing) return fn(existing);
  const pool = new WorkerPool(workers);
  try {
    return await shared.run(pool, () => fn(pool));
  } finally {
    await pool.close();
  }
}

/**
 * One job of worker module `url`: on the shared pool when there is one, else in this thread (the
 * module is imported and its `handle` called directly, as a worker would).
 */
export async function runTask<R>(url: URL, params: unknown, options: JobOptions = {}): Promise<R> {
  const pool = sharedPool();
  if (pool) return pool.run<R>(url, params, options);
  const m = (await import(url.href)) as {handle: (p: unknown) => R | Promise<R>};
  return m.handle(params);
}

/**
 * Run `jobs` of worker module `url`; `onResult(index, result)` is called in completion order. Uses
 * the shared pool when there is one, else `workers` threads of its own. Rejects on the first job
 * error (its own workers are then terminated).
 */
export async function runPool<J, R>(url: URL, jobs: readonly J[], workers: number, onResult: (index: number, result: R) => void | Promise<void>, options: JobOptions = {}): Promise<void> {
  if (jobs.length === 0) return;
  const own = sharedPool() ? null : new WorkerPool(Math.max(1, Math.min(workers, jobs.length)));
  const pool = own ?? sharedPool()!;
  try {
    await Promise.all(jobs.map((params, index) => pool.run<R>(url, params, options).then((result) => onResult(index, result))));
  } finally {
    if (own) await own.close();
  }
}
