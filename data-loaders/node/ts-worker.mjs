// Worker bootstrap: registers tsx in this thread, then loads the TypeScript worker module given in
// workerData.module. (On Node 20, `--import tsx` in a Worker's execArgv does not apply to its entry.)
import {register} from "tsx/esm/api";
import {workerData} from "node:worker_threads";

register();
await import(workerData.module);
