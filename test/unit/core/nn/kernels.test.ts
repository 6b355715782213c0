import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  WASM_MIN_MULTIPLY_ADDS, gemmNN, gemmNNJs, gemmNT, gemmNTJs, gemmTN, gemmTNJs, kernelBackend, setKernelBackend,
} from '../../../../src/core/nn/kernels';

type Gemm = (m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array, accumulate?: boolean) => void;

/** How each product reads A (m×k logical) and B (k×n logical) from row-major storage. */
interface Variant {
  name: string;
  gemm: Gemm;
  aAt(a: Float64Array, i: number, p: number, m: number, k: number): number;
  bAt(b: Float64Array, p: number, j: number, n: number, k: number): number;
}

const variants: Variant[] = [
  { name: 'gemmNN', gemm: gemmNN, aAt: (a, i, p, _m, k) => a[i * k + p], bAt: (b, p, j, n) => b[p * n + j] },
  { name: 'gemmNT', gemm: gemmNT, aAt: (a, i, p, _m, k) => a[i * k + p], bAt: (b, p, j, _n, k) => b[j * k + p] },
  { name: 'gemmTN', gemm: gemmTN, aAt: (a, i, p, m) => a[p * m + i], bAt: (b, p, j, n) => b[p * n + j] },
];

/** Deterministic values in [-1, 1) with some exact zeros, from a small LCG (no Math.random: failures must replay). */
function filled(length: number, seed: number): Float64Array {
  const out = new Float64Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s % 11 === 0 ? 0 : s / 2147483648 - 1;
  }
  return out;
}

/**
 * Compares with the naive triple loop. The bound is relative to Σ|a||b| per element, the scale that float
 * reassociation errors are proportional to (a plain relative error is meaningless where the sum cancels).
 */
function checkAgainstNaive(v: Variant, m: number, n: number, k: number, accumulate: boolean, seed: number): void {
  const a = filled(m * k, seed);
  const b = filled(k * n, seed + 1);
  const start = filled(m * n, seed + 2);
  const sentinel = 12345.5;
  // C has a tail beyond m×n that must stay untouched.
  const c = new Float64Array(m * n + 5).fill(sentinel);
  c.set(start);
  if (!accumulate) c.fill(Number.NaN, 0, m * n); // must be overwritten, never read
  v.gemm(m, n, k, a, b, c, accumulate);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let scale = 0;
      for (let p = 0; p < k; p++) {
        const prod = v.aAt(a, i, p, m, k) * v.bAt(b, p, j, n, k);
        sum += prod;
        scale += Math.abs(prod);
      }
      const expected = accumulate ? start[i * n + j] + sum : sum;
      if (accumulate) scale += Math.abs(start[i * n + j]);
      const got = c[i * n + j];
      const err = Math.abs(got - expected);
      if (!(err <= 1e-12 * scale)) {
        assert.fail(`${v.name} m=${m} n=${n} k=${k} acc=${accumulate} at (${i},${j}): got ${got}, naive ${expected}`);
      }
    }
  }
  for (let t = m * n; t < c.length; t++) assert.equal(c[t], sentinel, `${v.name} wrote past m×n`);
}

for (const backend of ['auto', 'js'] as const) describe(`kernels (${backend}): dense products against the naive triple loop`, () => {
  before(() => setKernelBackend(backend));
  after(() => setKernelBackend('auto'));
  const sizes = [1, 3, 17, 33];
  for (const v of variants) {
    it(`${v.name} on every combination of sizes ${sizes.join(', ')} (overwrite and accumulate)`, () => {
      let seed = 1;
      for (const m of sizes) for (const n of sizes) for (const k of sizes) {
        checkAgainstNaive(v, m, n, k, false, seed++);
        checkAgainstNaive(v, m, n, k, true, seed++);
      }
    });

    it(`${v.name} on 257-sized shapes (tile edges past a multiple of 4)`, () => {
      checkAgainstNaive(v, 257, 33, 17, false, 7);
      checkAgainstNaive(v, 17, 257, 33, true, 8);
      checkAgainstNaive(v, 33, 17, 257, false, 9);
      checkAgainstNaive(v, 257, 257, 3, true, 10);
      checkAgainstNaive(v, 64, 64, 257, false, 11);
      checkAgainstNaive(v, 9, 301, 150, true, 12); // several column panels on the WebAssembly path
    });

    it(`${v.name} on random shapes`, () => {
      fc.assert(fc.property(
        fc.integer({ min: 1, max: 41 }), fc.integer({ min: 1, max: 41 }), fc.integer({ min: 0, max: 41 }),
        fc.boolean(), fc.integer({ min: 0, max: 1e6 }),
        (m, n, k, accumulate, seed) => checkAgainstNaive(v, m, n, k, accumulate, seed),
      ), { numRuns: 150 });
    });
  }

  it('an empty inner dimension gives zeros, or leaves C as it was when accumulating', () => {
    for (const v of variants) {
      const c = new Float64Array([1, 2, 3, 4, 5, 6]);
      v.gemm(2, 3, 0, new Float64Array(0), new Float64Array(0), c, true);
      assert.deepEqual(Array.from(c), [1, 2, 3, 4, 5, 6]);
      v.gemm(2, 3, 0, new Float64Array(0), new Float64Array(0), c, false);
      assert.deepEqual(Array.from(c), [0, 0, 0, 0, 0, 0]);
    }
  });

  it('works on subarray views at an offset (how the engine slices one buffer per layer)', () => {
    const [m, n, k] = [20, 25, 30]; // big enough for the WebAssembly path
    const backing = filled(3000, 3);
    const a = backing.subarray(5, 5 + m * k);
    const b = backing.subarray(1001, 1001 + k * n);
    const c = new Float64Array(m * n + 10).subarray(3, 3 + m * n);
    gemmNN(m, n, k, a, b, c);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      assert.equal(c[i * n + j], s);
    }
  });
});

describe('kernels: WebAssembly SIMD path', () => {
  after(() => setKernelBackend('auto'));

  it('is in use on this Node (which has WebAssembly SIMD), and the JS path can be forced', () => {
    assert.equal(setKernelBackend('auto'), 'wasm-simd');
    assert.equal(setKernelBackend('js'), 'js');
    assert.equal(kernelBackend(), 'js');
    assert.equal(setKernelBackend('auto'), 'wasm-simd');
  });

  it('gives bit-identical results to the JS kernels (same summation order, no fused multiply-add)', () => {
    const pairs: [string, Gemm, Gemm][] = [['NN', gemmNN, gemmNNJs], ['NT', gemmNT, gemmNTJs], ['TN', gemmTN, gemmTNJs]];
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }),
      fc.boolean(), fc.integer({ min: 0, max: 1e6 }),
      (m, n, k, accumulate, seed) => {
        for (const [name, dispatched, js] of pairs) {
          const a = filled(m * k, seed);
          const b = filled(k * n, seed + 1);
          const viaDispatch = filled(m * n, seed + 2);
          const viaJs = viaDispatch.slice();
          dispatched(m, n, k, a, b, viaDispatch, accumulate);
          js(m, n, k, a, b, viaJs, accumulate);
          for (let t = 0; t < m * n; t++) {
            if (!Object.is(viaDispatch[t], viaJs[t])) assert.fail(`${name} ${m}×${n}×${k} differs at ${t}: ${viaDispatch[t]} vs ${viaJs[t]}`);
          }
        }
      },
    ), { numRuns: 120 });
  });

  it('keeps working after its memory grows, and reads operands longer than the product needs', () => {
    assert.ok(300 * 300 * 300 >= WASM_MIN_MULTIPLY_ADDS);
    for (const size of [40, 300, 24, 301]) {
      // Operand buffers sized for a larger capacity than this batch, as the engine's grow-only buffers are.
      const a = filled(size * size + 50, size);
      const b = filled(size * size + 70, size + 1);
      const c = new Float64Array(size * size);
      const ref = new Float64Array(size * size);
      gemmNT(size, size, size, a, b, c);
      gemmNTJs(size, size, size, a, b, ref);
      assert.deepEqual(c, ref);
    }
  });
});
