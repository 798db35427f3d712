/**
 * Column-wise z-scores of an n × d row-major matrix (constant columns → 0), e.g. to project or
 * index π2vec embeddings whose raw dimensions have very different scales (the gold count is raw).
 */
export function standardize(data: ArrayLike<number>, n: number, d: number): {data: Float32Array; mean: Float64Array; std: Float64Array} {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1 || data.length !== n * d) throw new RangeError(`invalid matrix: ${data.length} values for ${n}×${d}`);
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n || 1;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const dx = data[i * d + j] - mean[j];
      std[j] += dx * dx;
    }
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j] / (n || 1));
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = std[j] > 1e-12 ? (data[i * d + j] - mean[j]) / std[j] : 0;
  return {data: out, mean, std};
}
