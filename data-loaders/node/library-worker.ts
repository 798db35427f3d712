// Worker thread for the library builder: trains one run per message and posts the encoded bytes back.
import {parentPort} from "node:worker_threads";
import {encodeRun, trainRun, type RunParams} from "../../lib/library.js";

parentPort!.on("message", (job: {index: number; params: RunParams}) => {
  try {
    const bytes = encodeRun(trainRun(job.params));
    parentPort!.postMessage({index: job.index, bytes}, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({index: job.index, error: error instanceof Error ? error.message : String(error)});
  }
});
