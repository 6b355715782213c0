// GEMM microbenchmark: GFLOP/s of the engine's three dense products at the workloads' shapes, beside the naive
// triple loop. Forward is gemmNT (Z = X·Wᵀ); backward is gemmTN (dW = dZᵀ·X) and gemmNN (dX = dZ·W).
//   npm run bench -- gemm
import { gemmNN, gemmNT, gemmTN } from '../src/core/kernels';

type Gemm = (m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array, accumulate?: boolean) => void;

function naiveNT(m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
    c[i * n + j] = s;
  }
}

/** [label, m, n, k] for forward; backward shapes follow from the layer (batch × in → out). */
const layers: [string, number, number, number][] = [
  ['W1 10×2→8', 10, 2, 8],
  ['W2 32×32→32', 32, 32, 32],
  ['W3 256×256→256', 256, 256, 256],
  ['W3 256×8→256', 256, 8, 256],
];

function gflops(f: Gemm, m: number, n: number, k: number, ms = 400): number {
  const a = new Float64Array(Math.max(m * k, k * m)).map((_, i) => Math.sin(i));
  const b = new Float64Array(Math.max(k * n, n * k)).map((_, i) => Math.cos(i));
  const c = new Float64Array(m * n);
  for (let i = 0; i < 5; i++) f(m, n, k, a, b, c);
  let reps = 0;
  const start = performance.now();
  let elapsed = 0;
  do { f(m, n, k, a, b, c); reps++; elapsed = performance.now() - start; } while (elapsed < ms);
  return (2 * m * n * k * reps) / (elapsed / 1000) / 1e9;
}

console.log('Dense products, float64, GFLOP/s (higher is better)');
console.log(`${'layer (batch×in→out)'.padEnd(20)}${'naive NT'.padStart(10)}${'fwd NT'.padStart(10)}${'dW TN'.padStart(10)}${'dX NN'.padStart(10)}`);
for (const [label, batch, fanIn, out] of layers) {
  const row = [
    gflops(naiveNT, batch, out, fanIn),
    gflops(gemmNT, batch, out, fanIn),   // Z[batch×out] = X[batch×in]·W[out×in]ᵀ
    gflops(gemmTN, out, fanIn, batch),   // dW[out×in] = dZ[batch×out]ᵀ·X[batch×in]
    gflops(gemmNN, batch, fanIn, out),   // dX[batch×in] = dZ[batch×out]·W[out×in]
  ];
  console.log(`${label.padEnd(20)}${row.map(v => v.toFixed(2).padStart(10)).join('')}`);
}
