// Worker module for the library builder (pool.ts): trains one run and returns its encoded bytes.
import {encodeRun, trainRun, type RunParams} from "../../lib/lever/library/runs.js";

export function handle(params: RunParams): {bytes: Uint8Array} {
  return {bytes: encodeRun(trainRun(params))};
}
