// The resident engine's memory: one shared WebAssembly.Memory per network (its weights, gradients, activations,
// optimizer state and training batch live there as Float64Array views), with an instance of engine.wat's kernels
// reading and writing those arrays in place. A product or an element-wise step whose operands all live in one
// arena runs with no copy at all; anything else (an array made elsewhere) takes the copying path of kernels.ts.
//
// Why shared: growing a shared memory never detaches the views already handed out (each keeps the buffer it was
// made from, which still maps the same bytes), so a workspace can grow for a larger batch while the weights'
// views stay valid. The memory is freed with the network (garbage collection), so nothing is released by hand.
// Allocation is a bump pointer: a network allocates its arrays once and grows them rarely (a larger batch), so
// the few bytes a regrown buffer leaves behind are not reused.
import { ENGINE_WASM_BYTES } from './wasm/engineBytes';

/** Helper threads sharing a product's rows (productThreads.ts; declared here so the two files do not import each other). */
/** Products with fewer multiply-adds than this are not split (the hand-over costs a few microseconds). Here, not in
 *  productThreads.ts, so the kernels (which the Universal Approximation page also bundles for the browser) need no
 *  worker_threads import. */
export const SPLIT_MIN_MULTIPLY_ADDS = 1 << 19;

export interface RowSplitter {
  /** C = A'·B as EngineKernels.gemm over column panels of `panel`, the rows shared out (never accumulating). */
  gemm(mt: number, nt: number, k: number, a: number, rs: number, ps: number, b: number, c: number, ld: number, panel?: number): void;
  /** EngineKernels.transpose, the source rows shared out. */
  transpose(src: number, rows: number, cols: number, dst: number, ld: number): void;
  /** EngineKernels.biasAdd, the rows shared out. */
  biasAdd(z: number, b: number, n: number, w: number): void;
  /** An element-wise EngineKernels function over `len` values, in ranges (`c`: the derivatives' output). */
  map(kernel: 'reluForward' | 'tanhForward' | 'reluBackward' | 'tanhBackward' | 'sigmoidBackward', a: number, b: number, c: number, len: number): void;
  terminate(): void;
  readonly threads: number;
  readyThreads(): number;
  readonly splitCount: number;
}

/** engine.wat's exports (byte offsets as i32). */
export interface EngineKernels {
  gemm(mt: number, nt: number, k: number, a: number, rs: number, ps: number, b: number, c: number, ld: number, acc: number): void;
  transpose(src: number, rows: number, cols: number, dst: number, ld: number): void;
  biasAdd(z: number, b: number, n: number, w: number): void;
  columnSums(g: number, n: number, w: number, db: number): void;
  sumSquares(v: number, len: number, s: number): number;
  reluForward(z: number, a: number, len: number): void;
  tanhForward(z: number, a: number, len: number): void;
  reluBackward(z: number, g: number, out: number, len: number): void;
  tanhBackward(a: number, g: number, out: number, len: number): void;
  sigmoidBackward(a: number, g: number, out: number, len: number): void;
  sgd(theta: number, g: number, buf: number, len: number, scale: number, wd: number, lr: number, mu: number, first: number, nesterov: number): number;
  adam(
    theta: number, g: number, m: number, v: number, len: number, scale: number, wd: number, decay: number, b1: number,
    oneMinusB1: number, b2: number, oneMinusB2: number, stepSize: number, bc2Sqrt: number, eps: number, decoupled: number,
  ): number;
}

interface SharedMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => SharedMemory;
}

const PAGE = 65536;
/** The memory's ceiling (engine.wat declares the same): byte offsets stay below 2³¹. */
export const ARENA_MAX_PAGES = 32768;

let compiled: object | null | undefined;

function engineModule(api: WasmApi): object | null {
  if (compiled === undefined) {
    try {
      const bytes = Uint8Array.from(ENGINE_WASM_BYTES);
      compiled = api.validate(bytes) ? new api.Module(bytes) : null; // no SIMD or no threads in this runtime
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * A Float64Array in an arena's memory that knows its arena and byte offset. Asking a typed array for its `buffer` or
 * `byteOffset` is a builtin call that V8 11 (Node 20) does not inline, 15–20 ns each, and a small net's step asked
 * some ninety times (a tenth of W1's step); these two fields are plain loads. Arrays derived from one (subarray,
 * slice, map …) are ordinary Float64Arrays, so they take the copying path, with the same results.
 */
export class ArenaArray extends Float64Array {
  static get [Symbol.species](): Float64ArrayConstructor {
    return Float64Array;
  }

  constructor(readonly arena: Arena, buffer: ArrayBufferLike, readonly offset: number, length: number) {
    // (The shared memory's SharedArrayBuffer: lib.d.ts types this constructor for an ArrayBuffer only.)
    super(buffer as ArrayBuffer, offset, length);
  }
}

/** The byte offset of an array Arena.of (or residentArena) has found in an arena: its byteOffset, read cheaply. */
export function byteAt(a: Float64Array): number {
  return (a as ArenaArray).offset;
}

export class Arena {
  readonly kernels: EngineKernels;
  /** Next free byte (cache-line aligned). */
  private top = 64;
  private buffer: ArrayBufferLike;

  /** Helper threads for wide products (Trainer with threads > 1), or null. */
  threads: RowSplitter | null = null;

  private constructor(private readonly memory: SharedMemory, private readonly module: object, exports: Record<string, unknown>) {
    this.kernels = exports as unknown as EngineKernels;
    this.buffer = memory.buffer;
  }

  /** A new arena, or null where the runtime has no WebAssembly SIMD, threads or shared memory. */
  static create(initialBytes = PAGE): Arena | null {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!api?.Memory) return null;
    const module = engineModule(api);
    if (!module) return null;
    try {
      const memory = new api.Memory({ initial: Math.max(1, Math.ceil(initialBytes / PAGE)), maximum: ARENA_MAX_PAGES, shared: true });
      const instance = new api.Instance(module, { env: { memory } });
      return new Arena(memory, module, instance.exports);
    } catch {
      return null;
    }
  }

  /** The arena an array was allocated in (alloc, scratch), or undefined. */
  static of(a: Float64Array): Arena | undefined {
    return a instanceof ArenaArray ? a.arena : undefined;
  }

  /**
   * A zeroed Float64Array of `length` values in this memory (64-byte aligned). When the memory cannot grow any
   * further, an ordinary Float64Array: the kernels then take their copying path for it.
   */
  alloc(length: number): Float64Array {
    // Each array starts on a 64-byte cache line, so the kernels' 32-byte loads of a tile row never straddle two lines.
    const bytes = Math.ceil(Math.max(0, length) / 8) * 64;
    const end = this.top + bytes;
    if (end > this.buffer.byteLength && !this.grow(end)) return new Float64Array(length);
    const view = new ArenaArray(this, this.buffer, this.top, length);
    // Fresh memory is zero; bytes handed out before a release are zeroed as they are handed out again.
    if (this.top < this.dirtyEnd) new Uint8Array(this.buffer, this.top, Math.min(end, this.dirtyEnd) - this.top).fill(0);
    this.top = end;
    return view;
  }

  /** Bytes below this were handed out before a release (they may hold old values). */
  private dirtyEnd = 0;

  /** Where the next allocation goes: release(mark()) later gives back everything allocated in between. */
  mark(): number {
    return this.top;
  }

  /**
   * Gives back every array allocated since `mark` (their memory is handed out again, zeroed): for an arena that
   * outlives one network, such as the live probe's, with its helper threads, from one probe to the next. Nothing
   * allocated since the mark may be used afterwards.
   */
  release(mark: number): void {
    if (mark >= this.top) return;
    this.dirtyEnd = Math.max(this.dirtyEnd, this.top);
    this.top = mark;
    if (this.scratchView !== null && (this.scratchView as ArenaArray).offset >= mark) this.scratchView = null;
  }

  private scratchView: Float64Array | null = null;

  /** A scratch array of at least `length` values (reused: its content lasts until the next call). */
  scratch(length: number): Float64Array {
    if (this.scratchView === null || this.scratchView.length < length) this.scratchView = this.alloc(length);
    return this.scratchView;
  }

  /** What a helper thread needs to run engine.wat on this memory. */
  sharing(): { module: object; memory: object } {
    return { module: this.module, memory: this.memory };
  }

  /** Bytes in use. */
  get used(): number {
    return this.top;
  }

  /** Bytes of memory (what the arena has grown to). */
  get capacity(): number {
    return this.buffer.byteLength;
  }

  private grow(end: number): boolean {
    const have = this.buffer.byteLength;
    // At least double, so a network's many small allocations grow the memory a few times only.
    const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE));
    const capped = Math.min(pages, ARENA_MAX_PAGES - have / PAGE);
    if (have + capped * PAGE < end) return false;
    try {
      this.memory.grow(capped);
    } catch {
      return false;
    }
    this.buffer = this.memory.buffer;
    return true;
  }
}
