// Helper threads for the resident engine's wide steps: each helper is a worker thread with its own instance of
// engine.wat on the network's shared memory (the Arena), so it reads the operands and writes its share of the result
// in place. A step is split only where no number depends on the split: a product by output rows (every element of C
// is still summed by the same kernel over p in order from 0), the element-wise kernels (transpose, bias add, ReLU and
// the activation derivatives) by ranges. Sums across elements (Σg², the optimizers' Σ Δθ², the bias gradient) stay
// on one thread. So the result is bit-identical whatever the thread count (test/unit/core/nn/resident.test.ts).
//
// Protocol, per helper, on a few Int32 words in the shared memory (no message per job):
//   the caller writes the job's kind and arguments, bumps `job` and notifies; the helper, polling or blocked in
//   Atomics.wait on `job`, runs it and stores the job number into `done`, then notifies; the caller, after running
//   its own share, waits on `done`. A helper that is not ready yet (still starting) is simply not used.
// A helper that keeps finishing late (it found no free core: the machine is busy) makes the caller run alone for a
// while, so a loaded machine costs at most a little over one thread's speed instead of both threads' spinning.
// terminate() ends the helpers at once (a closed panel, a cancel, the end of a run).
import { Worker } from 'node:worker_threads';
import type { Arena, EngineKernels, RowSplitter } from './arena';

/** Words per helper: job, done, ready, kind, then up to 12 arguments. */
const WORDS = 16;
const JOB = 0;
const DONE = 1;
const READY = 2;
const KIND = 3;
const ARGS = 4;
/** Stop word value. */
const STOP = -1;
/** Polls of `done` before this thread sleeps on it (a few hundred microseconds). */
const SPIN = 200000;

/** How long a helper polls for the next job before sleeping: longer than the steps that stay on one thread
 *  between two split jobs (an SGD update and Σg² of W3's 256 × 256 weights, about 0.5 ms), as waking a sleeping
 *  thread took about 0.4 ms here. */
const HELPER_SPIN_MS = 1;

/** Job kinds (word KIND). */
const GEMM = 0;
const TRANSPOSE = 1;
const BIAS_ADD = 2;
const RELU = 3;
const RELU_BACKWARD = 4;
const TANH_BACKWARD = 5;
const SIGMOID_BACKWARD = 6;
const TANH = 7;

/** The element-wise kernels `map` splits: a → b (ReLU, tanh), or (a, b) → c (the derivatives). */
export type MapKernel = 'reluForward' | 'tanhForward' | 'reluBackward' | 'tanhBackward' | 'sigmoidBackward';
const MAP_KINDS: Record<MapKernel, number> = {
  reluForward: RELU, tanhForward: TANH, reluBackward: RELU_BACKWARD, tanhBackward: TANH_BACKWARD,
  sigmoidBackward: SIGMOID_BACKWARD,
};

/**
 * Runs job `kind` with the arguments at w[at …]: the one program of both sides, so a helper's share and the caller's
 * run the same calls. It uses nothing but its parameters (its source is the helper's, see HELPER_SOURCE), so its
 * cases are the job kinds' numbers (GEMM … TANH), not their names.
 *   GEMM       rows, cols, k, a, rs, ps, b, c, ld, panel: C rows over every column panel (one hand-over per product)
 *   TRANSPOSE  src, rows, cols, dst, ld     BIAS_ADD  z, b, n, w
 *   RELU, TANH z, a, len                    *_BACKWARD  x, g, out, len
 */
function runJob(K: EngineKernels, kind: number, w: Int32Array, at: number): void {
  switch (kind) {
    case 0:
      for (let j0 = 0; j0 < w[at + 1]; j0 += w[at + 9]) {
        K.gemm(w[at], Math.min(w[at + 9], w[at + 1] - j0), w[at + 2], w[at + 3], w[at + 4], w[at + 5],
          w[at + 6] + 8 * j0, w[at + 7] + 8 * j0, w[at + 8], 0);
      }
      break;
    case 1: K.transpose(w[at], w[at + 1], w[at + 2], w[at + 3], w[at + 4]); break;
    case 2: K.biasAdd(w[at], w[at + 1], w[at + 2], w[at + 3]); break;
    case 3: K.reluForward(w[at], w[at + 1], w[at + 2]); break;
    case 4: K.reluBackward(w[at], w[at + 1], w[at + 2], w[at + 3]); break;
    case 5: K.tanhBackward(w[at], w[at + 1], w[at + 2], w[at + 3]); break;
    case 6: K.sigmoidBackward(w[at], w[at + 1], w[at + 2], w[at + 3]); break;
    case 7: K.tanhForward(w[at], w[at + 1], w[at + 2]); break;
  }
}

/** Writes into w[at …] the arguments of the share [from, from + count) of the job whose whole arguments are `all`. */
function shareArgs(kind: number, all: Int32Array, from: number, count: number, w: Int32Array, at: number): void {
  for (let i = 0; i < 12; i++) w[at + i] = all[i];
  switch (kind) {
    case GEMM: // rows of A' (row stride rs) and of C (row stride ld)
      w[at] = count; w[at + 3] = all[3] + from * all[4] * 8; w[at + 7] = all[7] + from * all[8] * 8;
      break;
    case TRANSPOSE: // rows of the source (cols values each), columns of the destination
      w[at + 1] = count; w[at] = all[0] + from * all[2] * 8; w[at + 3] = all[3] + from * 8;
      break;
    case BIAS_ADD: // rows of z
      w[at + 2] = count; w[at] = all[0] + from * all[3] * 8;
      break;
    case RELU:
    case TANH:
      w[at + 2] = count; w[at] = all[0] + from * 8; w[at + 1] = all[1] + from * 8;
      break;
    default: // the derivatives: three arrays
      w[at + 3] = count; w[at] = all[0] + from * 8; w[at + 1] = all[1] + from * 8; w[at + 2] = all[2] + from * 8;
  }
}

// The helper's whole program, run with `eval` (no separate bundle): instantiate, then serve jobs until STOP.
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const ctl = new Int32Array(memory.buffer, control, ${WORDS});
const K = new WebAssembly.Instance(module, { env: { memory } }).exports;
const runJob = ${runJob.toString()};
let seen = 0;
Atomics.store(ctl, ${READY}, 1);
for (;;) {
  // Poll a while before sleeping: within a training step the next job comes after the steps that stay on one
  // thread, sooner than a sleeping thread wakes.
  let job = Atomics.load(ctl, ${JOB});
  const until = performance.now() + ${HELPER_SPIN_MS};
  for (let s = 1; job === seen; s++) {
    job = Atomics.load(ctl, ${JOB});
    if ((s & 1023) === 0 && performance.now() > until) break;
  }
  if (job === seen) {
    Atomics.wait(ctl, ${JOB}, seen);
    job = Atomics.load(ctl, ${JOB});
  }
  if (job === ${STOP}) break;
  seen = job;
  runJob(K, ctl[${KIND}], ctl, ${ARGS});
  Atomics.store(ctl, ${DONE}, job);
  Atomics.notify(ctl, ${DONE});
}
`;

interface Helper {
  worker: Worker;
  ctl: Int32Array;
  job: number;
}

/** Element-wise jobs with fewer elements than this run on one thread (a hand-over costs about a microsecond). */
export const SPLIT_MIN_ELEMENTS = 1 << 15;
/** Lateness: of the last 8 telling split jobs this many late starts a pause of PAUSE_MIN … PAUSE_MAX jobs. A quiet
 *  machine's stalls come a few in a row (fewer than this), a core taken by another process makes nearly every one late. */
const LATE_OF_8 = 7;
export const PAUSE_MIN = 16;
export const PAUSE_MAX = 1024;
const ON_TIME_RESET = 16;
/** Shares shorter than this say nothing about lateness. */
const TELLING_MS = 0.2;

/** No helper (a job run on this thread alone), without an array per job. */
const NONE: readonly Helper[] = [];

export { SPLIT_MIN_MULTIPLY_ADDS } from './arena';

export class ProductThreads implements RowSplitter {
  private helpers: Helper[] = [];
  private readyList: Helper[] = [];
  private stopped = false;
  private readonly kernels: EngineKernels;
  /** The whole job's arguments, and this thread's share of them. */
  private readonly all = new Int32Array(12);
  private readonly own = new Int32Array(12);
  private readonly used: Helper[] = [];
  private readonly bounds: number[] = [];
  private readonly lateness = new Lateness();

  /** Starts `count` helper threads on the arena's memory (none when the runtime cannot). */
  constructor(arena: Arena, count: number) {
    this.kernels = arena.kernels;
    const shared = arena.sharing();
    if (!shared) return;
    for (let h = 0; h < count; h++) {
      const control = arena.alloc(WORDS / 2); // 16 Int32 words, on their own cache line
      try {
        const worker = new Worker(HELPER_SOURCE, {
          eval: true, workerData: { module: shared.module, memory: shared.memory, control: control.byteOffset },
        });
        worker.unref(); // never what keeps a process alive
        worker.on('error', () => this.drop(worker));
        worker.on('exit', () => this.drop(worker));
        this.helpers.push({ worker, ctl: new Int32Array(control.buffer, control.byteOffset, WORDS), job: 0 });
      } catch {
        break;
      }
    }
  }

  /** Helpers started and ready to take a share now (kept once all are: no array per job). */
  private ready(): Helper[] {
    if (this.readyList.length !== this.helpers.length) {
      this.readyList = this.helpers.filter((h) => Atomics.load(h.ctl, READY) === 1);
    }
    return this.readyList;
  }

  get threads(): number {
    return 1 + this.helpers.length;
  }

  /** This thread plus the helpers that have started and can take a share now. */
  readyThreads(): number {
    return 1 + this.ready().length;
  }

  /** Jobs split so far (across at least two threads), and of them the element-wise ones (transpose, bias, maps). */
  splitCount = 0;
  elementwiseSplits = 0;

  /** Times the helpers were left idle for a while because they kept finishing late (a busy machine). */
  get pauses(): number {
    return this.lateness.pauses;
  }

  /** C[mt×nt] = A'·B as engine.wat's gemm over column panels of `panel` columns, the rows shared out in blocks of 4
   *  (the tile). */
  gemm(mt: number, nt: number, k: number, a: number, rs: number, ps: number, b: number, c: number, ld: number, panel = nt): void {
    const w = this.all;
    w[0] = mt; w[1] = nt; w[2] = k; w[3] = a; w[4] = rs; w[5] = ps; w[6] = b; w[7] = c; w[8] = ld; w[9] = panel;
    this.split(GEMM, mt, 4);
  }

  /** engine.wat's transpose of `rows` (even) source rows of `cols` values, the row pairs shared out. */
  transpose(src: number, rows: number, cols: number, dst: number, ld: number): void {
    const w = this.all;
    w[0] = src; w[1] = rows; w[2] = cols; w[3] = dst; w[4] = ld;
    this.split(TRANSPOSE, rows, 2, rows * cols);
  }

  /** engine.wat's biasAdd over n rows of an even width w, the rows shared out. */
  biasAdd(z: number, b: number, n: number, width: number): void {
    const w = this.all;
    w[0] = z; w[1] = b; w[2] = n; w[3] = width;
    this.split(BIAS_ADD, n, 1, n * width);
  }

  /** An element-wise kernel of engine.wat over `len` (even) elements, in ranges. `c` for the derivatives only. */
  map(kernel: MapKernel, a: number, b: number, c: number, len: number): void {
    const kind = MAP_KINDS[kernel];
    const w = this.all;
    w[0] = a; w[1] = b;
    if (kind === RELU || kind === TANH) w[2] = len;
    else { w[2] = c; w[3] = len; }
    this.split(kind, len, 8, len); // 8 values: a 64-byte line, so no two threads write one line
  }

  /** Runs job `kind` (arguments in this.all) over `total` units shared out in multiples of `grain`; `elements`, when
   *  given, is its size against SPLIT_MIN_ELEMENTS (products are sized by the trainer and the kernels). */
  private split(kind: number, total: number, grain: number, elements = SPLIT_MIN_ELEMENTS): void {
    const ready = this.stopped || elements < SPLIT_MIN_ELEMENTS ? NONE : this.ready();
    const parts = Math.min(1 + ready.length, Math.floor(total / grain));
    if (parts <= 1 || this.lateness.runAlone()) {
      runJob(this.kernels, kind, this.all, 0);
      return;
    }
    // Shares of multiples of `grain` (the last takes any rest); this thread takes the first.
    const blocks = Math.floor(total / grain);
    const bounds = this.bounds;
    bounds.length = 0;
    for (let p = 0; p < parts; p++) bounds.push(grain * Math.floor((blocks * p) / parts));
    bounds.push(total);
    const used = this.used;
    used.length = 0;
    for (let p = 1; p < parts; p++) {
      const h = ready[p - 1];
      h.ctl[KIND] = kind;
      shareArgs(kind, this.all, bounds[p], bounds[p + 1] - bounds[p], h.ctl, ARGS);
      h.job = h.job >= 0x3fffffff ? 1 : h.job + 1;
      Atomics.store(h.ctl, JOB, h.job);
      Atomics.notify(h.ctl, JOB);
      used.push(h);
    }
    this.splitCount++;
    if (kind !== GEMM) this.elementwiseSplits++;
    const started = performance.now();
    shareArgs(kind, this.all, 0, bounds[1], this.own, 0);
    runJob(this.kernels, kind, this.own, 0);
    const ownMs = performance.now() - started;
    let late = false;
    for (let i = 0; i < used.length; i++) {
      const h = used[i];
      if (Atomics.load(h.ctl, DONE) === h.job) continue;
      const waitFrom = performance.now();
      // Bounded waits: a helper that died mid-job (terminated, out of memory) is replaced by computing its share here.
      let waited = 0;
      for (let spin = 0; spin < SPIN && Atomics.load(h.ctl, DONE) !== h.job; spin++);
      while (Atomics.load(h.ctl, DONE) !== h.job) {
        if (waited > 2000 || this.stopped || !this.helpers.includes(h)) {
          this.drop(h.worker);
          shareArgs(kind, this.all, bounds[i + 1], bounds[i + 2] - bounds[i + 1], this.own, 0);
          runJob(this.kernels, kind, this.own, 0);
          break;
        }
        Atomics.wait(h.ctl, DONE, Atomics.load(h.ctl, DONE), 5);
        waited++;
      }
      if (lateAfter(ownMs, performance.now() - waitFrom)) late = true;
    }
    // Only shares long enough to tell a busy core from a helper waking up count (a short job right after the steps
    // that stay on one thread can find the helper asleep).
    if (ownMs >= TELLING_MS) this.lateness.record(late);
  }

  private drop(worker: Worker): void {
    const i = this.helpers.findIndex((h) => h.worker === worker);
    if (i < 0) return;
    const [h] = this.helpers.splice(i, 1);
    this.readyList = [];
    Atomics.store(h.ctl, READY, 0);
    void h.worker.terminate();
  }

  /** Ends every helper at once. */
  terminate(): void {
    this.stopped = true;
    for (const h of this.helpers) {
      Atomics.store(h.ctl, JOB, STOP);
      Atomics.notify(h.ctl, JOB);
      void h.worker.terminate();
    }
    this.helpers = [];
    this.readyList = [];
  }
}

/**
 * A helper finished late: this thread, done with its own equal share after `ownMs`, then waited `waitedMs` for it,
 * longer than 1.5 times that plus 0.25 ms (a wake-up, a short stall). A helper on a free core finishes about when this
 * thread does; one that had to wait for a core, much later.
 */
export function lateAfter(ownMs: number, waitedMs: number): boolean {
  return waitedMs > 1.5 * ownMs + 0.25;
}

/**
 * When to leave the helpers idle: LATE_OF_8 of the last 8 telling split jobs late → the next jobs run alone, first
 * PAUSE_MIN of them, twice as many after each pause that did not end it (up to PAUSE_MAX), back to PAUSE_MIN after
 * ON_TIME_RESET telling jobs on time. A busy machine thus costs a few late jobs per PAUSE_MAX; a quiet machine's rare
 * stalls (a helper descheduled for a few milliseconds) cost short pauses only.
 */
export class Lateness {
  /** The last 8 telling split jobs, a bit each: 1 = a helper finished late. */
  private bits = 0;
  /** Jobs still to run alone, the next pause's length, and telling jobs on time since the last late one. */
  private left = 0;
  private next = PAUSE_MIN;
  private onTime = 0;
  pauses = 0;

  /** True while pausing (and counts this job off the pause). */
  runAlone(): boolean {
    if (this.left === 0) return false;
    this.left--;
    return true;
  }

  record(late: boolean): void {
    this.bits = ((this.bits << 1) | (late ? 1 : 0)) & 0xff;
    if (!late) {
      if (++this.onTime >= ON_TIME_RESET) this.next = PAUSE_MIN;
      return;
    }
    this.onTime = 0;
    let count = 0;
    for (let b = this.bits; b !== 0; b >>= 1) count += b & 1;
    if (count >= LATE_OF_8) {
      this.left = this.next;
      this.next = Math.min(PAUSE_MAX, 2 * this.next);
      this.bits = 0;
      this.pauses++;
    }
  }
}
