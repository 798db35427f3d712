// runtime/pool.ts: one shared pool serves every batch started under it (the prebuild step),
// in priority order; without one, runPool has workers of its own and runTask runs in this thread.
import {threadId} from "node:worker_threads";
import {describe, expect, it} from "vitest";
import {runPool, runTask, sharedPool, withSharedPool, type WorkerPool} from "../../runtime/pool.js";

const ECHO = new URL("./fixtures/echo-worker.ts", import.meta.url);
type Echo = {value: number; thread: number; data: Float64Array};

describe("runPool / runTask without a shared pool", () => {
  it("runs a batch on its own worker threads and calls onResult once per job", async () => {
    const seen: [number, Echo][] = [];
    await runPool<{value: number}, Echo>(
      ECHO,
      [1, 2, 3, 4, 5].map((value) => ({value})),
      2,
      (i, r) => {
        seen.push([i, r]);
      },
    );
    expect(seen.map(([i]) => i).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const [i, r] of seen) {
      expect(r.value).toBe(i + 1);
      expect(Array.from(r.data)).toEqual([i + 1, 2 * (i + 1)]);
      expect(r.thread).not.toBe(threadId);
    }
    expect(new Set(seen.map(([, r]) => r.thread)).size).toBeLessThanOrEqual(2);
  });

  it("runTask runs the module's handle in this thread", async () => {
    expect(sharedPool()).toBeUndefined();
    const r = await runTask<Echo>(ECHO, {value: 7});
    expect(r.value).toBe(7);
    expect(r.thread).toBe(threadId);
  });

  it("rejects with the job's error message", async () => {
    await expect(runPool(ECHO, [{value: 1}, {value: 2, fail: true}], 2, () => {})).rejects.toThrow("job 2 failed on purpose");
  });
});

describe("withSharedPool", () => {
  it("sends every batch and task started under it to the same workers, and ends them after", async () => {
    const threads = new Set<number>();
    let pool: WorkerPool | undefined;
    await withSharedPool(2, async (p) => {
      pool = p;
      // Two batches at once (as two loaders in the prebuild step) plus single tasks.
      await Promise.all([
        runPool<{value: number}, Echo>(
          ECHO,
          [1, 2, 3].map((value) => ({value, ms: 20})),
          8,
          (_, r) => void threads.add(r.thread),
        ),
        runPool<{value: number}, Echo>(
          ECHO,
          [4, 5, 6].map((value) => ({value, ms: 20})),
          8,
          (_, r) => void threads.add(r.thread),
        ),
        runTask<Echo>(ECHO, {value: 9}).then((r) => void threads.add(r.thread)),
      ]);
      expect(sharedPool()).toBe(p);
    });
    expect(threads.size).toBe(2);
    expect(threads.has(threadId)).toBe(false);
    expect(pool!.stats).toMatchObject({workers: 2, submitted: 7, done: 7, running: 0});
    expect(sharedPool()).toBeUndefined();
    await expect(pool!.run(ECHO, {value: 1})).rejects.toThrow("closed");
  });

  it("starts queued jobs by priority, then in submission order", async () => {
    const order: number[] = [];
    await withSharedPool(1, async (p) => {
      const first = p.run<Echo>(ECHO, {value: 0, ms: 50}); // occupies the only worker
      const rest = [
        p.run<Echo>(ECHO, {value: 1}, {priority: 0}),
        p.run<Echo>(ECHO, {value: 2}, {priority: 3}),
        p.run<Echo>(ECHO, {value: 3}, {priority: 1}),
        p.run<Echo>(ECHO, {value: 4}, {priority: 3}),
      ];
      for (const r of [first, ...rest]) void r.then((x) => order.push(x.value));
      await Promise.all([first, ...rest]);
    });
    expect(order).toEqual([0, 2, 4, 3, 1]);
  });

  it("a failing job rejects only its own promise; the pool goes on", async () => {
    await withSharedPool(2, async (p) => {
      const bad = p.run(ECHO, {value: 1, fail: true});
      const good = p.run<Echo>(ECHO, {value: 2});
      await expect(bad).rejects.toThrow("job 1 failed on purpose");
      expect((await good).value).toBe(2);
      expect((await p.run<Echo>(ECHO, {value: 3})).value).toBe(3);
    });
  });
});
