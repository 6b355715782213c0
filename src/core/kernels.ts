// Dense matrix products over row-major Float64Arrays: the engine's only hot loops.
// Layout: activations are batch × units, weights are out × in (PyTorch's nn.Linear layout), so
//   forward   Z  = X · Wᵀ        gemmNT
//   backward  dW = dZᵀ · X       gemmTN
//             dX = dZ · W        gemmNN
// `accumulate` adds into C instead of overwriting it. No allocation.

/** C[m×n] (+)= A[m×k] · B[k×n] */
export function gemmNN(
  m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  if (!accumulate) c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    const ai = i * k;
    for (let p = 0; p < k; p++) {
      const aip = a[ai + p];
      if (aip === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
    }
  }
}

/** C[m×n] (+)= A[m×k] · B[n×k]ᵀ */
export function gemmNT(
  m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    const ci = i * n;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
      c[ci + j] = accumulate ? c[ci + j] + s : s;
    }
  }
}

/** C[m×n] (+)= A[k×m]ᵀ · B[k×n] */
export function gemmTN(
  m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  if (!accumulate) c.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    const ap = p * m;
    const bp = p * n;
    for (let i = 0; i < m; i++) {
      const api = a[ap + i];
      if (api === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) c[ci + j] += api * b[bp + j];
    }
  }
}
