// The answer Worker's protocol (lib/lever/answer-service.ts, run by src/components/lever-answer-worker.js):
// progress, results equal to answer(), cancellation (explicit and by a newer run), errors, and the
// layout cache. Node drives the same module the Worker runs.
import {describe, expect, it} from "vitest";
import {answer, answerNumbers, type Answer} from "../../lib/lever/answer.js";
import {createAnswerService, type AnswerReply} from "../../lib/lever/answer-service.js";
import {loadHnswlibNode} from "../../runtime/hnsw-node.js";

const P = {size: 8, seed: 21, spec: "X1", query: "collect gold and pull the lever", strategy: "exhaustive" as const};

function service(onReply?: (r: AnswerReply, svc: ReturnType<typeof createAnswerService>) => void) {
  const replies: AnswerReply[] = [];
  const svc = createAnswerService(
    (r) => {
      replies.push(r);
      onReply?.(r, svc);
    },
    {hnswlib: loadHnswlibNode},
  );
  return {svc, replies};
}

describe("answer worker protocol", () => {
  it("progress through every stage, then one result equal to answer() with hnswlib", async () => {
    const {svc, replies} = service();
    svc.handle({type: "run", id: 1, params: P});
    await svc.idle();
    const progress = replies.filter((r) => r.type === "progress");
    expect([...new Set(progress.map((r) => r.stage))]).toEqual(["library", "embedding", "regressor", "index", "retrieval", "scratch", "composition", "optimum"]);
    expect(progress.every((r) => r.id === 1 && r.label.length > 0)).toBe(true);
    expect(replies.at(-1)!.type).toBe("result");
    expect(replies.filter((r) => r.type === "result")).toHaveLength(1);
    const got = (replies.at(-1) as {answer: Answer}).answer;
    const direct = await answer(P, {hnswlib: await loadHnswlibNode()});
    expect(JSON.stringify(answerNumbers(got))).toBe(JSON.stringify(answerNumbers(direct)));
  }, 60_000);

  it("cancel during training: a 'cancelled' reply, no result, and training stops within one run", async () => {
    const {svc, replies} = service((r, s) => {
      // Delivered as a Worker delivers messages: as a later task, so the run must yield to see it.
      if (r.type === "progress" && r.stage === "library" && r.done === 2) setTimeout(() => s.handle({type: "cancel", id: 7}), 0);
    });
    svc.handle({type: "run", id: 7, params: {...P, seed: 22}});
    await svc.idle();
    expect(replies.at(-1)).toEqual({type: "cancelled", id: 7});
    expect(replies.some((r) => r.type === "result")).toBe(false);
    const library = replies.filter((r) => r.type === "progress" && r.stage === "library");
    expect(Math.max(...library.map((r) => (r as {done: number}).done))).toBeLessThanOrEqual(3);
  }, 60_000);

  it("a newer run cancels the one in flight; only the newer one answers", async () => {
    const {svc, replies} = service((r, s) => {
      if (r.type === "progress" && r.id === 1 && r.stage === "library" && r.done === 1) setTimeout(() => s.handle({type: "run", id: 2, params: {...P, seed: 24, strategy: "targeted"}}), 0);
    });
    svc.handle({type: "run", id: 1, params: {...P, seed: 23}});
    await svc.idle();
    await new Promise((r) => setTimeout(r, 10));
    await svc.idle();
    expect(replies.filter((r) => r.type !== "progress").map((r) => [r.type, r.id])).toEqual([
      ["cancelled", 1],
      ["result", 2],
    ]);
    expect((replies.at(-1) as {answer: Answer}).answer.params.seed).toBe(24);
  }, 60_000);

  it("errors are one line with the run's id; the service keeps serving", async () => {
    const {svc, replies} = service();
    // One at a time (a newer run would cancel an older one before it reports).
    svc.handle({type: "run", id: 3, params: {...P, size: 12}});
    await svc.idle();
    svc.handle({type: "run", id: 4, params: {...P, query: "bake a cake"}});
    await svc.idle();
    svc.handle({type: "frobnicate", id: 5} as never);
    const errors = replies.filter((r) => r.type === "error") as {id: number; message: string}[];
    expect(errors.map((e) => e.id).sort()).toEqual([3, 4, 5]);
    expect(errors.find((e) => e.id === 3)!.message).toBe("invalid size: 12 (accepted: 8, 16, 32)");
    expect(errors.find((e) => e.id === 4)!.message).toContain("bake a cake");
    expect(errors.find((e) => e.id === 5)!.message).toMatch(/unknown message type "frobnicate"/);
    for (const e of errors) expect(e.message).not.toContain("\n");
    expect(replies.some((r) => r.type === "cancelled")).toBe(false);
    svc.handle({type: "run", id: 6, params: {...P, strategy: "targeted"}});
    await svc.idle();
    expect(replies.at(-1)!.type).toBe("result");
  }, 30_000);

  it("a new query on the same layout reuses its library (no training) with the same numbers as a fresh answer", async () => {
    const {svc, replies} = service();
    svc.handle({type: "run", id: 1, params: P});
    await svc.idle();
    const q2 = {...P, query: "avoid hazards and collect gold", strategy: "hybrid" as const, k: 2};
    svc.handle({type: "run", id: 2, params: q2});
    await svc.idle();
    const second = replies.filter((r) => r.id === 2);
    expect(second.filter((r) => r.type === "progress" && r.stage === "library").map((r) => (r as {done: number}).done)).toEqual([1]);
    const got = (second.at(-1) as {answer: Answer}).answer;
    expect(got.cachedLibrary).toBe(true);
    expect(got.timings.library).toBe(0);
    const fresh = await answer(q2, {hnswlib: await loadHnswlibNode()});
    expect(fresh.cachedLibrary).toBe(false);
    expect(JSON.stringify(answerNumbers(got))).toBe(JSON.stringify(answerNumbers(fresh)));
  }, 60_000);
});
