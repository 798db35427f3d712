// Worker bootstrap (see pool.ts): registers tsx in this thread (on Node 20, `--import tsx` in a
// Worker's execArgv does not apply to its entry), then serves jobs one at a time: each message names a
// TypeScript module and its params; the module's `handle(params)` result is posted back, with the
// buffers of top-level typed arrays transferred rather than copied.
import {register} from "tsx/esm/api";
import {parentPort} from "node:worker_threads";

register();

function transferables(result) {
  const out = [];
  if (result && typeof result === "object") {
    for (const v of Object.values(result)) {
      if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && !out.includes(v.buffer)) out.push(v.buffer);
    }
  }
  return out;
}

parentPort.on("message", async ({module, params}) => {
  try {
    const m = await import(module);
    if (typeof m.handle !== "function") throw new Error(`worker module ${module} exports no handle(params)`);
    const result = await m.handle(params);
    parentPort.postMessage({result}, transferables(result));
  } catch (error) {
    parentPort.postMessage({error: error instanceof Error ? error.message : String(error)});
  }
});
