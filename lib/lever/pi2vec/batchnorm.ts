/**
 * BatchNorm1d as PyTorch defines it (torch.nn.BatchNorm1d with its defaults: eps 1e-5, momentum 0.1,
 * affine γ = 1 and β = 0 at init, running mean 0 and running variance 1, track_running_stats), on
 * row-major rows × n typed arrays, fused with the ReLU that follows it in the reference's [main] ψθ
 * (spec/lever.md §3.4). Used by lib/lever/pi2vec/sf-mlp.ts.
 *
 * - Train mode normalises with the batch mean and the *biased* batch variance,
 *   x̂ = (z − μ_B)/√(σ²_B + eps), y = γ·x̂ + β, and updates the running statistics with the *unbiased*
 *   batch variance: mean ← (1 − m)·mean + m·μ_B, var ← (1 − m)·var + m·σ²_B·B/(B − 1). PyTorch refuses a
 *   batch of one in train mode ("Expected more than 1 value per channel"); so do we.
 * - Eval mode uses the running statistics: y = γ·(z − mean)/√(var + eps) + β.
 * - Backward (train mode), per feature with g = ∂L/∂y over the B rows:
 *   ∂L/∂γ = Σ g·x̂, ∂L/∂β = Σ g, ∂L/∂z = γ/√(σ²_B + eps) · (g − Σg/B − x̂·Σ(g·x̂)/B)
 *   (the derivative of x̂ through μ_B and σ²_B; Ioffe & Szegedy 2015, §3, written per feature).
 *
 * Statistics are accumulated in float64 in a fixed order (deterministic); outputs and running statistics
 * are stored in the arrays given (Float32Array in the network, as torch's float32 tensors; Float64Array
 * in the gradient-check test).
 */

/** torch.nn.BatchNorm1d defaults. */
export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

type Floats = Float32Array | Float64Array;

/**
 * Train-mode forward pass: normalises z (rows × n) with its batch statistics, applies γ, β and, if
 * `relu`, max(0, ·), writing `out` (which may be z itself). Saves x̂ (rows × n) and 1/√(σ²_B + eps) (n)
 * for the backward pass and updates runningMean/runningVar in place.
 */
export function _batchNormTrain(
  z: Floats,
  rows: number,
  n: number,
  gamma: Floats,
  beta: Floats,
  runningMean: Floats,
  runningVar: Floats,
  out: Floats,
  relu: boolean,
  xhat: Float64Array,
  invstd: Float64Array,
  mean: Float64Array,
  momentum = BN_MOMENTUM,
  eps = BN_EPS,
): void {
  if (rows < 2) throw new RangeError(`invalid batch: ${rows} row (BatchNorm in train mode needs more than 1 value per feature)`);
  // Two passes over the rows for each statistic (mean, then Σ(z − μ)²), feature-wise accumulators.
  mean.fill(0, 0, n);
  invstd.fill(0, 0, n);
  for (let b = 0; b < rows; b++) {
    const o = b * n;
    for (let j = 0; j < n; j++) mean[j] += z[o + j];
  }
  for (let j = 0; j < n; j++) mean[j] /= rows;
  for (let b = 0; b < rows; b++) {
    const o = b * n;
    for (let j = 0; j < n; j++) {
      const d = z[o + j] - mean[j];
      invstd[j] += d * d; // Σ(z − μ)² for now
    }
  }
  const unbias = rows / (rows - 1);
  for (let j = 0; j < n; j++) {
    const varB = invstd[j] / rows; // biased: normalisation
    runningMean[j] = (1 - momentum) * runningMean[j] + momentum * mean[j];
    runningVar[j] = (1 - momentum) * runningVar[j] + momentum * varB * unbias; // unbiased: running estimate
    invstd[j] = 1 / Math.sqrt(varB + eps);
  }
  for (let b = 0; b < rows; b++) {
    const o = b * n;
    for (let j = 0; j < n; j++) {
      const xh = (z[o + j] - mean[j]) * invstd[j];
      xhat[o + j] = xh;
      const y = gamma[j] * xh + beta[j];
      out[o + j] = relu && y < 0 ? 0 : y;
    }
  }
}

/** Eval-mode forward pass: y = γ·(z − runningMean)/√(runningVar + eps) + β, then ReLU if `relu`; `out` may be z. */
export function _batchNormEval(z: Floats, rows: number, n: number, gamma: Floats, beta: Floats, runningMean: Floats, runningVar: Floats, out: Floats, relu: boolean, eps = BN_EPS): void {
  for (let b = 0; b < rows; b++) {
    const o = b * n;
    for (let j = 0; j < n; j++) {
      const y = (gamma[j] * (z[o + j] - runningMean[j])) / Math.sqrt(runningVar[j] + eps) + beta[j];
      out[o + j] = relu && y < 0 ? 0 : y;
    }
  }
}

/**
 * Backward pass of the train-mode normalisation. `d` holds ∂L/∂y (rows × n; the ReLU mask already
 * applied) and is overwritten with ∂L/∂z; `dGamma` and `dBeta` are overwritten with ∂L/∂γ and ∂L/∂β.
 * `xhat` and `invstd` are those saved by `_batchNormTrain` for the same batch.
 */
export function _batchNormBackward(d: Float64Array, xhat: Float64Array, invstd: Float64Array, gamma: Floats, rows: number, n: number, dGamma: Float64Array, dBeta: Float64Array): void {
  dGamma.fill(0, 0, n);
  dBeta.fill(0, 0, n);
  for (let b = 0; b < rows; b++) {
    const o = b * n;
    for (let j = 0; j < n; j++) {
      const g = d[o + j];
      dBeta[j] += g;
      dGamma[j] += g * xhat[o + j];
    }
  }
  for (let b = 0; b < rows; b++) {
    const o = b * n;
    for (let j = 0; j < n; j++) {
      d[o + j] = gamma[j] * invstd[j] * (d[o + j] - dBeta[j] / rows - (xhat[o + j] * dGamma[j]) / rows);
    }
  }
}
