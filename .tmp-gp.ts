import {loadHnswlibNode} from "./data-loaders/node/hnsw-node.ts";
import {buildIndex} from "./lib/hnsw.ts";
const lib = await loadHnswlibNode();
const X = new Float32Array(2000*64).map((_, i) => Math.sin(i*1.7));
const h = buildIndex(lib, X, 64);
let t = performance.now(); for (let i=0;i<2000;i++) h.index.getPoint(i); console.error("getPoint µs", ((performance.now()-t)/2000*1000).toFixed(1), Array.isArray(h.index.getPoint(0)));
const q = X.subarray(0,64);
t = performance.now(); for (let i=0;i<200;i++) h.index.searchKnn(q, 10, undefined); console.error("knn µs", ((performance.now()-t)/200*1000).toFixed(1));
t = performance.now(); for (let i=0;i<200;i++) h.index.searchKnn(q, 10, (l)=>true); console.error("knn filter µs", ((performance.now()-t)/200*1000).toFixed(1));
