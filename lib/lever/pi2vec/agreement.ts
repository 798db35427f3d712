/**
 * Agreement between two embeddings of the same policies (issue: how well the closed-form LSTD
 * successor features agree with the reference's MLP ψ): the Spearman rank correlation of the returns
 * each predicts, and the overlap of nearest-neighbour sets.
 */

/** Ranks with ties averaged (1-based), as scipy.stats.rankdata(method="average"). */
export function ranks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = Array.from({length: n}, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const r = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && x[order[j + 1]] === x[order[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[order[k]] = avg;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation; NaN when either side is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`invalid correlation: lengths ${n} and ${b.length} differ`);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Spearman's ρ: the Pearson correlation of average ranks. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(ranks(a), ranks(b));
}

/** Indices of the k nearest rows to row i by cosine similarity (self excluded; ties → lower index). */
export function cosineNeighbours(data: ArrayLike<number>, n: number, d: number, k: number): Int32Array[] {
  if (data.length !== n * d) throw new RangeError(`invalid shape: ${data.length} values for ${n}×${d}`);
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += data[i * d + j] * data[i * d + j];
    norms[i] = Math.sqrt(s) || 1;
  }
  const out: Int32Array[] = [];
  const sims = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < n; m++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += data[i * d + j] * data[m * d + j];
      sims[m] = s / (norms[i] * norms[m]);
    }
    const order = Array.from({length: n}, (_, m) => m)
      .filter((m) => m !== i)
      .sort((a, b) => sims[b] - sims[a] || a - b);
    out.push(Int32Array.from(order.slice(0, k)));
  }
  return out;
}

/** Mean over rows of |N_A(i) ∩ N_B(i)| / k for the k nearest neighbours in each embedding. */
export function neighbourOverlap(a: ArrayLike<number>, b: ArrayLike<number>, n: number, d: number, k: number): number {
  const na = cosineNeighbours(a, n, d, k);
  const nb = cosineNeighbours(b, n, d, k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const set = new Set(na[i]);
    let c = 0;
    for (const m of nb[i]) if (set.has(m)) c++;
    total += c / k;
  }
  return total / n;
}
