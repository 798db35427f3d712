// The embeddings page's 2-d projections (druid.js UMAP, t-SNE, PCA), one module for every thread:
// lever-projection-worker.js runs them off the main thread, iteration by iteration (projectSteps), so
// a newer request can stop an older one between iterations; project() is the one-call form the page
// used on its main thread before (druid's transform). test/browser/embeddings-check.mjs checks that
// both give the same coordinates bit for bit (druid's generator runs the same next() steps as transform).
import * as druid from "@saehrimnir/druidjs";

/** The projection methods (all seeded: the same parameters give the same map). */
export const PROJECTION_METHODS = ["UMAP", "t-SNE", "PCA"];

/** druid's rows (arrays) of a flat row-major Float64Array, after checking the shape. */
function rowsOf(X, n, dim) {
  if (!(X instanceof Float64Array) || !(n > 0) || X.length !== n * dim) throw new RangeError(`invalid projection input: ${X?.length} values for ${n}×${dim}`);
  return Array.from({length: n}, (_, i) => Array.from(X.subarray(i * dim, (i + 1) * dim)));
}

/** The druid model and its iteration count for (method, params). */
function model(rows, method, params) {
  if (method === "UMAP") return {dr: new druid.UMAP(rows, {n_neighbors: params.n_neighbors, min_dist: params.min_dist, d: 2, seed: params.seed}), iterations: params.iterations};
  if (method === "t-SNE") return {dr: new druid.TSNE(rows, {perplexity: params.perplexity, epsilon: params.epsilon, d: 2, seed: params.seed}), iterations: params.iterations};
  if (method === "PCA") return {dr: new druid.PCA(rows, {d: 2, seed: params.seed}), iterations: 0};
  throw new RangeError(`invalid projection method: ${JSON.stringify(method)} (accepted: ${PROJECTION_METHODS.join(", ")})`);
}

/** Flat 2n coordinates (x0, y0, x1, y1, …) of druid's projection rows. */
function flat(Y, n) {
  const out = new Float64Array(2 * n);
  let i = 0;
  for (const r of Y) {
    out[2 * i] = r[0];
    out[2 * i + 1] = r[1];
    i++;
  }
  return out;
}

/**
 * Project n rows of a flat row-major Float64Array X (n×dim) to 2-d in one call. params: UMAP
 * {n_neighbors, min_dist, iterations, seed}; t-SNE {perplexity, epsilon, iterations, seed}; PCA {seed}.
 * Returns a Float64Array of 2n coordinates (x0, y0, x1, y1, …).
 */
export function project(X, n, dim, method, params) {
  const {dr, iterations} = model(rowsOf(X, n, dim), method, params);
  return flat(method === "PCA" ? dr.transform() : dr.transform(iterations), n);
}

/**
 * The same projection step by step: a generator that yields the number of iterations done after
 * each one and returns the coordinates as project() does. Stop early with `.return()`.
 */
export function* projectSteps(X, n, dim, method, params) {
  const {dr, iterations} = model(rowsOf(X, n, dim), method, params);
  if (method === "PCA") return flat(dr.transform(), n);
  const steps = dr.generator(iterations);
  let done = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) return flat(step.value, n);
    yield ++done;
  }
}
