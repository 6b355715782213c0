// Helper threads for the resident engine's wide products: each helper is a worker thread with its own instance of
// engine.wat on the network's shared memory (the Arena), so it reads the operands and writes its rows of C in
// place. A product is split by output rows only: every element of C is still summed by the same kernel over p in
// order from 0, so the result is bit-identical whatever the thread count (test/unit/core/nn/resident.test.ts).
//
// Protocol, per helper, on a few Int32 words in the shared memory (no message per product):
//   the caller writes the job's arguments, bumps `job` and notifies; the helper, blocked in Atomics.wait on `job`,
//   runs gemm and stores the job number into `done`, then notifies; the caller, after computing its own rows,
//   waits on `done`. A helper that is not ready yet (still starting) is simply not used: the caller computes all.
// terminate() ends the helpers at once (a closed panel, a cancel, the end of a run).
import { Worker } from 'node:worker_threads';
import type { Arena, RowSplitter } from './arena';

/** Words per helper: job, done, ready, then the 10 gemm arguments and the column panel width. */
const WORDS = 16;
const JOB = 0;
const DONE = 1;
const READY = 2;
const ARGS = 3;
/** Stop word value. */
const STOP = -1;
/** Polls of a word before sleeping on it (a few hundred microseconds): between two products the other thread runs
 *  the element-wise steps, and waking a sleeping thread costs more than polling through them. */
const SPIN = 200000;

// The helper's whole program, run with `eval` (no separate bundle): instantiate, then serve jobs until STOP.
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const ctl = new Int32Array(memory.buffer, control, ${WORDS});
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
let seen = 0;
Atomics.store(ctl, ${READY}, 1);
for (;;) {
  // Poll a while before sleeping: within a training step the next product comes after the element-wise steps,
  // sooner than a sleeping thread wakes.
  let job = Atomics.load(ctl, ${JOB});
  for (let s = 0; job === seen && s < ${SPIN}; s++) job = Atomics.load(ctl, ${JOB});
  if (job === seen) {
    Atomics.wait(ctl, ${JOB}, seen);
    job = Atomics.load(ctl, ${JOB});
  }
  if (job === ${STOP}) break;
  seen = job;
  const a = ctl.subarray(${ARGS}, ${ARGS + 12});
  // The rows given, over every column panel of the product (one hand-over per product, not per panel).
  for (let j0 = 0; j0 < a[1]; j0 += a[10]) {
    gemm(a[0], Math.min(a[10], a[1] - j0), a[2], a[3], a[4], a[5], a[6] + 8 * j0, a[7] + 8 * j0, a[8], a[9]);
  }
  Atomics.store(ctl, ${DONE}, job);
  Atomics.notify(ctl, ${DONE});
}
`;

interface Helper {
  worker: Worker;
  ctl: Int32Array;
  job: number;
}

export { SPLIT_MIN_MULTIPLY_ADDS } from './arena';

export class ProductThreads implements RowSplitter {
  private helpers: Helper[] = [];
  private stopped = false;

  /** Starts `count` helper threads on the arena's memory (none when the runtime cannot). */
  constructor(arena: Arena, count: number) {
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

  /** Helpers started and ready to take rows now. */
  private ready(): Helper[] {
    return this.helpers.filter((h) => Atomics.load(h.ctl, READY) === 1);
  }

  get threads(): number {
    return 1 + this.helpers.length;
  }

  /** This thread plus the helpers that have started and can take rows now. */
  readyThreads(): number {
    return 1 + this.ready().length;
  }

  /** Products split so far (across at least two threads). */
  splitCount = 0;

  /**
   * C[mt×nt] = A'·B as engine.wat's gemm over column panels of `panel` columns, with the rows shared between this
   * thread and the ready helpers (in blocks of 4, the tile). `run` computes rows on this thread, every panel:
   * run(rowFrom, rowCount).
   */
  gemm(
    mt: number, nt: number, k: number, a: number, rs: number, ps: number, b: number, c: number, ld: number, acc: number,
    run: (rowFrom: number, rows: number) => void, panel = nt,
  ): void {
    const ready = this.stopped ? [] : this.ready();
    const parts = Math.min(1 + ready.length, Math.floor(mt / 4));
    if (parts <= 1) {
      run(0, mt);
      return;
    }
    // Rows per part, a multiple of 4; this thread takes the first part.
    const blocks = mt / 4;
    const bounds: number[] = [];
    for (let p = 0; p <= parts; p++) bounds.push(4 * Math.floor((blocks * p) / parts));
    const used: Helper[] = [];
    for (let p = 1; p < parts; p++) {
      const h = ready[p - 1];
      const from = bounds[p];
      const rows = bounds[p + 1] - from;
      const args = h.ctl;
      args[ARGS] = rows; args[ARGS + 1] = nt; args[ARGS + 2] = k; args[ARGS + 3] = a + from * rs * 8; args[ARGS + 4] = rs;
      args[ARGS + 5] = ps; args[ARGS + 6] = b; args[ARGS + 7] = c + from * ld * 8; args[ARGS + 8] = ld; args[ARGS + 9] = acc;
      args[ARGS + 10] = panel;
      h.job = h.job >= 0x3fffffff ? 1 : h.job + 1;
      Atomics.store(h.ctl, JOB, h.job);
      Atomics.notify(h.ctl, JOB);
      used.push(h);
    }
    this.splitCount++;
    run(0, bounds[1]);
    for (let i = 0; i < used.length; i++) {
      const h = used[i];
      // Bounded waits: a helper that died mid-job (terminated, out of memory) is replaced by computing its rows here.
      let waited = 0;
      for (let spin = 0; spin < SPIN && Atomics.load(h.ctl, DONE) !== h.job; spin++);
      while (Atomics.load(h.ctl, DONE) !== h.job) {
        if (waited > 2000 || this.stopped || !this.helpers.includes(h)) {
          this.drop(h.worker);
          run(bounds[i + 1], bounds[i + 2] - bounds[i + 1]);
          break;
        }
        Atomics.wait(h.ctl, DONE, Atomics.load(h.ctl, DONE), 5);
        waited++;
      }
    }
  }

  private drop(worker: Worker): void {
    const i = this.helpers.findIndex((h) => h.worker === worker);
    if (i < 0) return;
    const [h] = this.helpers.splice(i, 1);
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
  }
}
