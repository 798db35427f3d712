// Chromium trace helpers shared by the browser checks (embeddings-check.mjs, answer-check.mjs).

/**
 * The renderer main thread's tasks in a Chromium trace: start (trace µs), wall and thread CPU time
 * (ms). CPU time does not grow when the machine is loaded and the thread waits for a core; wall time does.
 */
export function mainThreadTasks(events) {
  const main = new Set(events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  return events
    .filter((e) => e.ph === "X" && e.name === "RunTask" && main.has(`${e.pid}:${e.tid}`) && Number.isFinite(e.tdur))
    .map((e) => ({ts: e.ts, end: e.ts + e.dur, wallMs: e.dur / 1000, cpuMs: e.tdur / 1000}));
}

/**
 * Intervals (trace µs) between `performance.mark(start)` and the next `performance.mark(end)` in the
 * page, from the trace's user-timing events (category "blink.user_timing"); an interval still open at
 * the end of the trace runs to Infinity.
 */
export function markedIntervals(events, start, end) {
  const marks = events.filter((e) => e.name === start || e.name === end).sort((a, b) => a.ts - b.ts);
  const out = [];
  for (const m of marks) {
    if (m.name === start && (out.length === 0 || out.at(-1)[1] !== Infinity)) out.push([m.ts, Infinity]);
    else if (m.name === end && out.length && out.at(-1)[1] === Infinity) out.at(-1)[1] = m.ts;
  }
  return out;
}
