// GEMM microbenchmark: GFLOP/s of the engine's three dense products at the workloads' shapes, for the plain JS
// kernels and for the dispatching entry points (WebAssembly SIMD including the copies in and out, where the
// product is big enough), beside the naive triple loop.
// Forward is gemmNT (Z = X·Wᵀ); backward is gemmTN (dW = dZᵀ·X) and gemmNN (dX = dZ·W).
//   npm run bench -- gemm
import {
  WASM_MIN_MULTIPLY_ADDS, gemmNN, gemmNNJs, gemmNT, gemmNTJs, gemmTN, gemmTNJs, kernelBackend,
} from '../src/core/nn/kernels';

type Gemm = (m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array, accumulate?: boolean) => void;

function naiveNT(m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
    c[i * n + j] = s;
  }
}

/** [label, batch, fanIn, out] of a layer; each product's m, n, k follow from it. */
const layers: [string, number, number, number][] = [
  ['W1 10×8→8', 10, 8, 8],
  ['W2 32×32→32', 32, 32, 32],
  ['W3 256×8→256', 256, 8, 256],
  ['W3 256×256→256', 256, 256, 256],
];

/** [wall-clock GFLOP/s, GFLOP per second of this process's CPU time] */
function gflops(f: Gemm, m: number, n: number, k: number, ms = 300): [number, number] {
  const a = new Float64Array(m * k).map((_, i) => Math.sin(i));
  const b = new Float64Array(k * n).map((_, i) => Math.cos(i));
  const c = new Float64Array(m * n);
  for (let i = 0; i < 3; i++) f(m, n, k, a, b, c);
  let reps = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  do { f(m, n, k, a, b, c); reps++; elapsed = performance.now() - start; } while (elapsed < ms);
  const cpu = process.cpuUsage(cpuStart);
  const flop = 2 * m * n * k * reps;
  return [flop / (elapsed / 1000) / 1e9, flop / ((cpu.user + cpu.system) / 1e6) / 1e9];
}

const cols = ['naive NT', 'JS fwd NT', 'JS dW TN', 'JS dX NN', 'fwd NT', 'dW TN', 'dX NN'];
console.log(`Dense products, float64, GFLOP/s as wall-clock/CPU-time (CPU time: this process's own, steadier on a ` +
  `busy machine).\nLeft: plain JS kernels. Right: the engine's entry points (${kernelBackend()} for products of ` +
  `≥ ${WASM_MIN_MULTIPLY_ADDS} multiply-adds, copies included).`);
console.log(`${'layer (batch×in→out)'.padEnd(20)}${cols.map(c => c.padStart(12)).join('')}`);
for (const [label, batch, fanIn, out] of layers) {
  const row = [
    gflops(naiveNT, batch, out, fanIn),
    gflops(gemmNTJs, batch, out, fanIn), // Z[batch×out] = X[batch×in]·W[out×in]ᵀ
    gflops(gemmTNJs, out, fanIn, batch), // dW[out×in] = dZ[batch×out]ᵀ·X[batch×in]
    gflops(gemmNNJs, batch, fanIn, out), // dX[batch×in] = dZ[batch×out]·W[out×in]
    gflops(gemmNT, batch, out, fanIn),
    gflops(gemmTN, out, fanIn, batch),
    gflops(gemmNN, batch, fanIn, out),
  ];
  console.log(`${label.padEnd(20)}${row.map(([wall, cpu]) => `${wall.toFixed(2)}/${cpu.toFixed(2)}`.padStart(12)).join('')}`);
}
