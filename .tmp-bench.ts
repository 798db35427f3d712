import {loadHnswlibNode} from "./data-loaders/node/hnsw-node.ts";
import {buildIndex, exactSearch, search, searchRaw, recallAtK, indexToBytes, indexFromBytes, disposeIndex} from "./lib/hnsw.ts";
import {Rng} from "./lib/rng.ts";
const t0 = performance.now();
const lib = await loadHnswlibNode();
console.error("load ms", (performance.now()-t0).toFixed(0));
function randVecs(n: number, dim: number, seed: number) { const rng = new Rng(seed); const r = () => rng.next(); const a = new Float32Array(n*dim); for (let i=0;i<a.length;i++) a[i]=r()*2-1; return a; }
const med = (a: number[]) => { const s=[...a].sort((x,y)=>x-y); return s[Math.floor(s.length/2)]; };
for (const n of [400, 2000]) {
  const dim = 64; const X = randVecs(n, dim, 1); const Q = randVecs(200, dim, 2);
  const exact = []; const te: number[] = [];
  for (let q=0;q<200;q++){ const qq=Q.subarray(q*dim,(q+1)*dim); const t=performance.now(); exact.push(exactSearch(X,dim,qq,10)); te.push(performance.now()-t);}
  for (const [m, efc, ef] of [[16,200,32],[16,200,64],[16,200,128],[32,200,64],[32,200,128]]) {
    const tb=performance.now(); const h = buildIndex(lib, X, dim, {m, efConstruction: efc, efSearch: ef}); const build = performance.now()-tb;
    const res=[]; const ts: number[]=[]; const raw=[]; const tr: number[]=[];
    for (let q=0;q<200;q++){ const qq=Q.subarray(q*dim,(q+1)*dim); let t=performance.now(); res.push(search(h,qq,10)); ts.push(performance.now()-t); t=performance.now(); raw.push(searchRaw(h,qq,10)); tr.push(performance.now()-t);}
    const t1=performance.now(); const bytes = await indexToBytes(h); const ser=performance.now()-t1;
    const t2=performance.now(); const h2 = await indexFromBytes(lib, bytes, {efSearch: ef}); const de=performance.now()-t2;
    console.log(`n=${n} M=${m} efC=${efc} ef=${ef} build=${build.toFixed(0)}ms search=${(med(ts)*1000).toFixed(0)}µs raw=${(med(tr)*1000).toFixed(0)}µs exact=${(med(te)*1000).toFixed(0)}µs recall=${recallAtK(res, exact, 10).toFixed(4)} rawrecall=${recallAtK(raw, exact, 10).toFixed(4)} bytes=${bytes.length} ser=${ser.toFixed(1)} deser=${de.toFixed(1)}`);
    disposeIndex(h); disposeIndex(h2);
  }
}
