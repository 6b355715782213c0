// Dense matrix products over row-major Float64Arrays: the engine's only hot loops.
// Layout: activations are batch × units, weights are out × in (PyTorch's nn.Linear layout), so
//   forward   Z  = X · Wᵀ        gemmNT
//   backward  dW = dZᵀ · X       gemmTN
//             dX = dZ · W        gemmNN
// `accumulate` adds into C instead of overwriting it. No allocation.
//
// Two implementations with identical results (every element is summed over p in order from 0, as the naive
// triple loop does, and no multiply-add is fused), so a seed reproduces a run bit for bit on either:
// - WebAssembly SIMD (f64x2, src/core/nn/wasm/gemmModule.ts) for products big enough to repay copying the operands
//   into its memory: 3–4× the scalar code. Used whenever the runtime supports it (Node ≥ 16.4, Electron).
// - Plain JS, always present: C in 4×4 register tiles, 16 running sums in registers while the k loop reads 4
//   values of A and 4 of B per step (8 loads for 16 multiply-adds instead of 2 per one). Leftover rows and columns
//   use 1×4, 4×1 and 1×1 tiles. The three variants differ only in how A and B are addressed, so the backward
//   products run at about the forward product's speed.
import { Arena, SPLIT_MIN_MULTIPLY_ADDS, byteAt } from './arena';
import { TILE_COLUMNS, TILE_ROWS, gemmModuleBytes } from './wasm/gemmModule';

export type KernelBackend = 'wasm-simd' | 'js';

/**
 * How the engine runs (setEngineBackend):
 * - 'resident' (the default where the runtime has WebAssembly SIMD and shared memory): a trainer's network keeps
 *   its arrays in an Arena and the products and element-wise steps run on them in place (engine.wat);
 * - 'copy': the engine as it was before the arena: ordinary arrays, products copied into gemm.wat's memory;
 * - 'js': no WebAssembly at all.
 * All three give the same results bit for bit (test/unit/core/nn/resident.test.ts).
 */
export type EngineBackend = 'resident' | 'copy' | 'js';

/** Products with fewer multiply-adds than this stay in JS: below it the copies and the call cost more than SIMD saves. */
export const WASM_MIN_MULTIPLY_ADDS = 4096;
/** The same limit for operands already in an arena (no copies: only the call and the edges' JS loops remain). */
export const RESIDENT_MIN_MULTIPLY_ADDS = 512;

/** C[m×n] (+)= A[m×k] · B[k×n] */
export function gemmNN(
  m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  if (residentOn && m * n * k >= RESIDENT_MIN_MULTIPLY_ADDS && residentProduct(Product.NN, m, n, k, a, b, c, accumulate)) return;
  if (m * n * k >= WASM_MIN_MULTIPLY_ADDS && wasmReady() && wasmProduct(Product.NN, m, n, k, a, b, c, accumulate)) return;
  gemmNNJs(m, n, k, a, b, c, accumulate);
}

/** C[m×n] (+)= A[m×k] · B[n×k]ᵀ */
export function gemmNT(
  m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  if (residentOn && m * n * k >= RESIDENT_MIN_MULTIPLY_ADDS && residentProduct(Product.NT, m, n, k, a, b, c, accumulate)) return;
  if (m * n * k >= WASM_MIN_MULTIPLY_ADDS && wasmReady() && wasmProduct(Product.NT, m, n, k, a, b, c, accumulate)) return;
  gemmNTJs(m, n, k, a, b, c, accumulate);
}

/** C[m×n] (+)= A[k×m]ᵀ · B[k×n] */
export function gemmTN(
  m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  if (residentOn && m * n * k >= RESIDENT_MIN_MULTIPLY_ADDS && residentProduct(Product.TN, m, n, k, a, b, c, accumulate)) return;
  if (m * n * k >= WASM_MIN_MULTIPLY_ADDS && wasmReady() && wasmProduct(Product.TN, m, n, k, a, b, c, accumulate)) return;
  gemmTNJs(m, n, k, a, b, c, accumulate);
}

/**
 * 'auto' (the default) uses WebAssembly SIMD where the runtime has it; 'js' forces the scalar code (tests, and
 * the benchmark's comparison). Returns the backend now in use for large products.
 */
export function setKernelBackend(choice: 'auto' | 'js'): KernelBackend {
  forceJs = choice === 'js';
  residentOn = !forceJs && residentWanted;
  return kernelBackend();
}

let residentWanted = true;
/** Whether resident products and element-wise steps are on (setEngineBackend); networks made while on get arenas. */
let residentOn = true;

/** Chooses the engine (see EngineBackend); networks created afterwards follow it. Returns the one in use. */
export function setEngineBackend(choice: EngineBackend): EngineBackend {
  residentWanted = choice === 'resident';
  setKernelBackend(choice === 'js' ? 'js' : 'auto');
  return engineBackend();
}

export function engineBackend(): EngineBackend {
  if (!wasmReady()) return 'js';
  return residentOn && residentSupported() ? 'resident' : 'copy';
}

let residentProbe: boolean | undefined;
function residentSupported(): boolean {
  residentProbe ??= Arena.create() !== null;
  return residentProbe;
}

/** A new arena for a network when the resident engine is on and the runtime supports it, else null. */
export function createArena(): Arena | null {
  return residentOn && !forceJs ? Arena.create() : null;
}

export function kernelBackend(): KernelBackend {
  return wasmReady() ? 'wasm-simd' : 'js';
}

// ---------------------------------------------------------------------------------------------------------------
// WebAssembly path: operands are copied into the module's memory (A as is, B padded to a multiple of 4 columns,
// or transposed for NT), the kernel writes a padded C, and the valid part is copied out.

const enum Product { NN, NT, TN }

/** The few WebAssembly APIs used (the core's lib has no DOM typings, and @types/node declares only part of them). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

interface WasmGemm {
  memory: WasmMemory;
  gemm: (mt: number, nt: number, k: number, a: number, rs: number, ps: number, b: number, c: number, ld: number) => void;
  heap: Float64Array;
}

let wasm: WasmGemm | null | undefined;
let forceJs = false;

function wasmReady(): boolean {
  if (forceJs) return false;
  if (wasm === undefined) wasm = instantiateWasm();
  return wasm !== null;
}

function instantiateWasm(): WasmGemm | null {
  try {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!api) return null;
    const bytes = gemmModuleBytes();
    if (!api.validate(bytes)) return null; // no SIMD in this runtime
    const instance = new api.Instance(new api.Module(bytes), {});
    const memory = instance.exports.memory as WasmMemory;
    return { memory, gemm: instance.exports.gemm as WasmGemm['gemm'], heap: new Float64Array(memory.buffer) };
  } catch {
    return null;
  }
}

function roundUp(v: number, multiple: number): number {
  return Math.ceil(v / multiple) * multiple;
}

/** Column panel width: k × panel doubles of B (256 KiB) stay in L2 while every row block of A passes over them. */
function panelColumns(k: number): number {
  return Math.max(TILE_COLUMNS, Math.floor(32768 / k / TILE_COLUMNS) * TILE_COLUMNS);
}

/** The heap, grown to hold `doubles` values (growing detaches the old view, so it is refreshed). */
function heapFor(w: WasmGemm, doubles: number): Float64Array | null {
  const bytes = doubles * 8;
  if (bytes > w.memory.buffer.byteLength) {
    // Byte offsets travel as i32: stay under 2 GiB; past it (or when growing fails) the JS kernels take over.
    if (bytes > 2 ** 31 - 65536) return null;
    try {
      w.memory.grow(Math.ceil((bytes - w.memory.buffer.byteLength) / 65536));
    } catch {
      return null;
    }
    w.heap = new Float64Array(w.memory.buffer);
    heapViews.fill(null); // views of the old buffer are detached
  }
  return w.heap;
}

/**
 * A view of heap[at … at + length), from a small direct-mapped cache: a network multiplies the same few shapes
 * every step, so after the first step copying C out is one memcpy and allocates nothing.
 */
const heapViews: (Float64Array | null)[] = new Array<Float64Array | null>(32).fill(null);
function heapView(w: WasmGemm, at: number, length: number): Float64Array {
  const slot = (Math.imul(at, 31) ^ length) & 31;
  const cached = heapViews[slot];
  if (cached !== null && cached.byteOffset === at * 8 && cached.length === length) return cached;
  const view = w.heap.subarray(at, at + length);
  heapViews[slot] = view;
  return view;
}

/** Copies `count` values of src to heap[at…]; one memcpy when src is exactly that long (no view allocated). */
function copyIn(heap: Float64Array, at: number, src: Float64Array, count: number): void {
  if (src.length === count) heap.set(src, at);
  else for (let t = 0; t < count; t++) heap[at + t] = src[t];
}

/** Computes the product in WebAssembly; false (nothing written) when its memory cannot hold the operands. */
function wasmProduct(
  product: Product, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate: boolean,
): boolean {
  const w = wasm as WasmGemm;
  const m4 = roundUp(m, TILE_ROWS);
  const n4 = roundUp(n, TILE_COLUMNS);
  // Regions (in doubles, 16-byte aligned). A's region has room for the padded rows the kernel reads (and drops).
  const aLength = product === Product.TN ? k * m + TILE_ROWS : m4 * k;
  const aAt = 0;
  const bAt = roundUp(aLength, 2);
  const cAt = bAt + k * n4;
  const heap = heapFor(w, cAt + m4 * n4);
  if (!heap) return false;

  copyIn(heap, aAt, a, m * k);
  if (product === Product.NT) {
    // B is n×k; the kernel wants Bᵀ (k×n4). Four rows of B at a time, so each write fills 32 contiguous bytes.
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const r0 = j * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
      for (let p = 0, at = bAt + j; p < k; p++, at += n4) {
        heap[at] = b[r0 + p]; heap[at + 1] = b[r1 + p]; heap[at + 2] = b[r2 + p]; heap[at + 3] = b[r3 + p];
      }
    }
    for (; j < n; j++) {
      const row = j * k;
      for (let p = 0, at = bAt + j; p < k; p++, at += n4) heap[at] = b[row + p];
    }
  } else if (n === n4) {
    copyIn(heap, bAt, b, k * n);
  } else {
    for (let p = 0; p < k; p++) {
      const from = p * n;
      const to = bAt + p * n4;
      for (let j = 0; j < n; j++) heap[to + j] = b[from + j];
    }
  }

  const rs = product === Product.TN ? 1 : k;
  const ps = product === Product.TN ? m : 1;
  const panel = panelColumns(k);
  for (let j0 = 0; j0 < n4; j0 += panel) {
    w.gemm(m4, Math.min(panel, n4 - j0), k, aAt * 8, rs, ps, (bAt + j0) * 8, (cAt + j0) * 8, n4);
  }

  if (!accumulate && n === n4) {
    c.set(heapView(w, cAt, m * n));
    return true;
  }
  for (let i = 0; i < m; i++) {
    const from = cAt + i * n4;
    const to = i * n;
    if (accumulate) for (let j = 0; j < n; j++) c[to + j] += heap[from + j];
    else for (let j = 0; j < n; j++) c[to + j] = heap[from + j];
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Resident path: A, B and C all live in one arena, so engine.wat's gemm reads and writes them in place. The
// kernel computes the rows and columns that fill whole 4 × 4 tiles; the few leftover elements are summed here in
// JS over p in order from 0, as every other path sums them. NT first transposes B (n × k, the weights) into the
// arena's scratch with engine.wat's transpose, so all three products run as A'·B with B k × n.

function residentProduct(
  product: Product, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate: boolean,
): boolean {
  const ar = Arena.of(c);
  if (ar === undefined || Arena.of(a) !== ar || Arena.of(b) !== ar) return false;
  // Under a 4 × 4 tile in either direction there is nothing for the wasm tiles to do (an output layer of one unit):
  // the JS kernels' register tiles do it on the arena's views, with no transpose and no copy into gemm.wat's memory
  // (which W3's 256-row output layer paid three times a step). The same bits either way.
  if (m < TILE_ROWS || n < TILE_COLUMNS) {
    if (product === Product.NN) gemmNNJs(m, n, k, a, b, c, accumulate);
    else if (product === Product.NT) gemmNTJs(m, n, k, a, b, c, accumulate);
    else gemmTNJs(m, n, k, a, b, c, accumulate);
    return true;
  }
  const K = ar.kernels;
  let bk = b;
  if (product === Product.NT) {
    bk = ar.scratch(k * n);
    if (Arena.of(bk) !== ar) return false;
    const pairs = n - (n % 2);
    if (ar.threads !== null) ar.threads.transpose(byteAt(b), pairs, k, byteAt(bk), n);
    else K.transpose(byteAt(b), pairs, k, byteAt(bk), n);
    if (pairs < n) for (let p = 0, from = pairs * k, to = pairs; p < k; p++, to += n) bk[to] = b[from + p];
  }
  const rs = product === Product.TN ? 1 : k;
  const ps = product === Product.TN ? m : 1;
  const m4 = m - (m % TILE_ROWS);
  const n4 = n - (n % TILE_COLUMNS);
  if (m4 > 0 && n4 > 0) {
    const panel = panelColumns(k);
    const acc = accumulate ? 1 : 0;
    const threads = ar.threads;
    const aAt = byteAt(a);
    const bAt = byteAt(bk);
    const cAt = byteAt(c);
    // Wide products split by output rows across the helper threads, every column panel in one hand-over (never an
    // accumulating one: a helper lost mid-job has its rows recomputed here, which must not add twice). Each element
    // is still summed by the same kernel over p in order, so the bits do not depend on the split.
    if (threads !== null && !accumulate && m4 * n4 * k >= SPLIT_MIN_MULTIPLY_ADDS) {
      threads.gemm(m4, n4, k, aAt, rs, ps, bAt, cAt, n, panel);
    } else {
      for (let j0 = 0; j0 < n4; j0 += panel) K.gemm(m4, Math.min(panel, n4 - j0), k, aAt, rs, ps, bAt + 8 * j0, cAt + 8 * j0, n, acc);
    }
  }
  // Leftovers: columns n4… of the tiled rows, then whole rows m4…, in the JS kernels' register tiles (a plain loop
  // here, one running sum at a time, cost more than the wasm tiles on a 10-row batch). B is k × n for all three.
  const block = rs === 1 ? gemmTNBlock : gemmNNBlock;
  if (n4 < n) block(m, n, k, a, bk, c, accumulate, 0, m4, n4, n);
  if (m4 < m) block(m, n, k, a, bk, c, accumulate, m4, m, 0, n);
  return true;
}

/** The arena holding all of the given arrays, when the resident engine is on; else undefined. */
export function residentArena(a: Float64Array, b: Float64Array, c?: Float64Array): Arena | undefined {
  if (!residentOn) return undefined;
  const ar = Arena.of(a);
  if (ar === undefined || Arena.of(b) !== ar || (c !== undefined && Arena.of(c) !== ar)) return undefined;
  return ar;
}

/** z[i·w + j] += b[j] for n rows. */
export function addBias(z: Float64Array, b: Float64Array, n: number, w: number): void {
  if (w % 2 === 0 && n > 0) {
    const ar = residentArena(z, b);
    if (ar) {
      if (ar.threads !== null) ar.threads.biasAdd(byteAt(z), byteAt(b), n, w);
      else ar.kernels.biasAdd(byteAt(z), byteAt(b), n, w);
      return;
    }
  }
  for (let i = 0; i < n; i++) {
    const row = i * w;
    for (let j = 0; j < w; j++) z[row + j] += b[j];
  }
}

/** db[j] = Σ over rows i in order of g[i·w + j] (the bias gradient). */
export function columnSums(g: Float64Array, n: number, w: number, db: Float64Array): void {
  if (w % 2 === 0 && n > 0) {
    const ar = residentArena(g, db);
    if (ar) {
      ar.kernels.columnSums(byteAt(g), n, w, byteAt(db));
      return;
    }
  }
  db.fill(0, 0, w);
  for (let i = 0; i < n; i++) {
    const row = i * w;
    for (let j = 0; j < w; j++) db[j] += g[row + j];
  }
}

/** s + Σ v[i]² over v[0 … length), in order. */
export function addSquares(s: number, v: Float64Array, length: number): number {
  let i = 0;
  if (residentOn && length >= 16) {
    const ar = Arena.of(v);
    if (ar !== undefined) {
      i = length - (length % 2);
      s = ar.kernels.sumSquares(byteAt(v), i, s);
    }
  }
  for (; i < length; i++) s += v[i] * v[i];
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Plain JS path (exported for the tests and the benchmark). Stores are written out in place rather than through
// helpers: a call that is not inlined boxes each double argument, an allocation per tile.

/** C[m×n] (+)= A[m×k] · B[k×n] */
export function gemmNNJs(
  m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  gemmNNBlock(m, n, k, a, b, c, accumulate, 0, m, 0, n);
}

/**
 * The elements C[i][j], i0 ≤ i < i1, j0 ≤ j < j1, of gemmNNJs's product (the resident path's edges: the rows and
 * columns its 4 × 4 wasm tiles leave), in the same register tiles, so each is summed as everywhere else.
 */
function gemmNNBlock(
  m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array, accumulate: boolean,
  i0: number, i1: number, j0: number, j1: number,
): void {
  const m4 = i1 - ((i1 - i0) % 4);
  const n4 = j1 - ((j1 - j0) % 4);
  for (let i = i0; i < m4; i += 4) {
    const a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    for (let j = j0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, bp = j; p < k; p++, bp += n) {
        const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
        const y0 = b[bp], y1 = b[bp + 1], y2 = b[bp + 2], y3 = b[bp + 3];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const o0 = i * n + j, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      if (accumulate) {
        c[o0] += c00; c[o0 + 1] += c01; c[o0 + 2] += c02; c[o0 + 3] += c03;
        c[o1] += c10; c[o1 + 1] += c11; c[o1 + 2] += c12; c[o1 + 3] += c13;
        c[o2] += c20; c[o2 + 1] += c21; c[o2 + 2] += c22; c[o2 + 3] += c23;
        c[o3] += c30; c[o3 + 1] += c31; c[o3 + 2] += c32; c[o3 + 3] += c33;
      } else {
        c[o0] = c00; c[o0 + 1] = c01; c[o0 + 2] = c02; c[o0 + 3] = c03;
        c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
        c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
        c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
      }
    }
    for (let j = n4; j < j1; j++) {
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, bp = j; p < k; p++, bp += n) {
        const y = b[bp];
        c0 += a[a0 + p] * y; c1 += a[a1 + p] * y; c2 += a[a2 + p] * y; c3 += a[a3 + p] * y;
      }
      const o = i * n + j;
      if (accumulate) {
        c[o] += c0; c[o + n] += c1; c[o + 2 * n] += c2; c[o + 3 * n] += c3;
      } else {
        c[o] = c0; c[o + n] = c1; c[o + 2 * n] = c2; c[o + 3 * n] = c3;
      }
    }
  }
  for (let i = m4; i < i1; i++) {
    const a0 = i * k;
    for (let j = j0; j < n4; j += 4) {
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, bp = j; p < k; p++, bp += n) {
        const x = a[a0 + p];
        c0 += x * b[bp]; c1 += x * b[bp + 1]; c2 += x * b[bp + 2]; c3 += x * b[bp + 3];
      }
      const o = i * n + j;
      if (accumulate) {
        c[o] += c0; c[o + 1] += c1; c[o + 2] += c2; c[o + 3] += c3;
      } else {
        c[o] = c0; c[o + 1] = c1; c[o + 2] = c2; c[o + 3] = c3;
      }
    }
    for (let j = n4; j < j1; j++) {
      let s = 0;
      for (let p = 0, bp = j; p < k; p++, bp += n) s += a[a0 + p] * b[bp];
      const o = i * n + j;
      c[o] = accumulate ? c[o] + s : s;
    }
  }
}

/** C[m×n] (+)= A[m×k] · B[n×k]ᵀ */
export function gemmNTJs(
  m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
        const y0 = b[b0 + p], y1 = b[b1 + p], y2 = b[b2 + p], y3 = b[b3 + p];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const o0 = i * n + j, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      if (accumulate) {
        c[o0] += c00; c[o0 + 1] += c01; c[o0 + 2] += c02; c[o0 + 3] += c03;
        c[o1] += c10; c[o1 + 1] += c11; c[o1 + 2] += c12; c[o1 + 3] += c13;
        c[o2] += c20; c[o2 + 1] += c21; c[o2 + 2] += c22; c[o2 + 3] += c23;
        c[o3] += c30; c[o3 + 1] += c31; c[o3 + 2] += c32; c[o3 + 3] += c33;
      } else {
        c[o0] = c00; c[o0 + 1] = c01; c[o0 + 2] = c02; c[o0 + 3] = c03;
        c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
        c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
        c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
      }
    }
    for (let j = n4; j < n; j++) {
      const b0 = j * k;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0; p < k; p++) {
        const y = b[b0 + p];
        c0 += a[a0 + p] * y; c1 += a[a1 + p] * y; c2 += a[a2 + p] * y; c3 += a[a3 + p] * y;
      }
      const o = i * n + j;
      if (accumulate) {
        c[o] += c0; c[o + n] += c1; c[o + 2 * n] += c2; c[o + 3 * n] += c3;
      } else {
        c[o] = c0; c[o + n] = c1; c[o + 2 * n] = c2; c[o + 3 * n] = c3;
      }
    }
  }
  for (let i = m4; i < m; i++) {
    const a0 = i * k;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0; p < k; p++) {
        const x = a[a0 + p];
        c0 += x * b[b0 + p]; c1 += x * b[b1 + p]; c2 += x * b[b2 + p]; c3 += x * b[b3 + p];
      }
      const o = i * n + j;
      if (accumulate) {
        c[o] += c0; c[o + 1] += c1; c[o + 2] += c2; c[o + 3] += c3;
      } else {
        c[o] = c0; c[o + 1] = c1; c[o + 2] = c2; c[o + 3] = c3;
      }
    }
    for (let j = n4; j < n; j++) {
      const b0 = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[a0 + p] * b[b0 + p];
      const o = i * n + j;
      c[o] = accumulate ? c[o] + s : s;
    }
  }
}

/** C[m×n] (+)= A[k×m]ᵀ · B[k×n] */
export function gemmTNJs(
  m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  gemmTNBlock(m, n, k, a, b, c, accumulate, 0, m, 0, n);
}

/** The elements C[i][j], i0 ≤ i < i1, j0 ≤ j < j1, of gemmTNJs's product, as gemmNNBlock. */
function gemmTNBlock(
  m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array, accumulate: boolean,
  i0: number, i1: number, j0: number, j1: number,
): void {
  const m4 = i1 - ((i1 - i0) % 4);
  const n4 = j1 - ((j1 - j0) % 4);
  for (let i = i0; i < m4; i += 4) {
    for (let j = j0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, ap = i, bp = j; p < k; p++, ap += m, bp += n) {
        const x0 = a[ap], x1 = a[ap + 1], x2 = a[ap + 2], x3 = a[ap + 3];
        const y0 = b[bp], y1 = b[bp + 1], y2 = b[bp + 2], y3 = b[bp + 3];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const o0 = i * n + j, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      if (accumulate) {
        c[o0] += c00; c[o0 + 1] += c01; c[o0 + 2] += c02; c[o0 + 3] += c03;
        c[o1] += c10; c[o1 + 1] += c11; c[o1 + 2] += c12; c[o1 + 3] += c13;
        c[o2] += c20; c[o2 + 1] += c21; c[o2 + 2] += c22; c[o2 + 3] += c23;
        c[o3] += c30; c[o3 + 1] += c31; c[o3 + 2] += c32; c[o3 + 3] += c33;
      } else {
        c[o0] = c00; c[o0 + 1] = c01; c[o0 + 2] = c02; c[o0 + 3] = c03;
        c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
        c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
        c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
      }
    }
    for (let j = n4; j < j1; j++) {
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, ap = i, bp = j; p < k; p++, ap += m, bp += n) {
        const y = b[bp];
        c0 += a[ap] * y; c1 += a[ap + 1] * y; c2 += a[ap + 2] * y; c3 += a[ap + 3] * y;
      }
      const o = i * n + j;
      if (accumulate) {
        c[o] += c0; c[o + n] += c1; c[o + 2 * n] += c2; c[o + 3 * n] += c3;
      } else {
        c[o] = c0; c[o + n] = c1; c[o + 2 * n] = c2; c[o + 3 * n] = c3;
      }
    }
  }
  for (let i = m4; i < i1; i++) {
    for (let j = j0; j < n4; j += 4) {
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, ap = i, bp = j; p < k; p++, ap += m, bp += n) {
        const x = a[ap];
        c0 += x * b[bp]; c1 += x * b[bp + 1]; c2 += x * b[bp + 2]; c3 += x * b[bp + 3];
      }
      const o = i * n + j;
      if (accumulate) {
        c[o] += c0; c[o + 1] += c1; c[o + 2] += c2; c[o + 3] += c3;
      } else {
        c[o] = c0; c[o + 1] = c1; c[o + 2] = c2; c[o + 3] = c3;
      }
    }
    for (let j = n4; j < j1; j++) {
      let s = 0;
      for (let p = 0, ap = i, bp = j; p < k; p++, ap += m, bp += n) s += a[ap] * b[bp];
      const o = i * n + j;
      c[o] = accumulate ? c[o] + s : s;
    }
  }
}
