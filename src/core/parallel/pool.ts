// A pool of worker threads for work that splits without changing any result: every task computes exactly what the
// calling thread would (same code, same inputs, same order of sums), only somewhere else. The pool itself knows no
// task: it starts `size` copies of one worker script (poolWorker.ts, bundled as dist/poolWorker.js), hands each
// task to the first idle worker (queued otherwise, so uneven tasks balance themselves), relays the task's progress
// messages and settles its promise with the result. `terminate()` ends every worker at once (a closed panel, a
// cancel): tasks still running or queued reject with PoolTerminated.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CoreError, isCoreText } from '../coreError';
import { coreText } from '../messages';
import type { PoolProgress, PoolReply, PoolRequest, PoolResult, PoolTask } from './tasks';

/** Most threads the setting and the CLI accept. */
export const MAX_THREADS = 8;

/** The default thread count: half the machine's cores, at least 1, at most MAX_THREADS. */
export function defaultThreads(cores: number = availableCores()): number {
  return clampThreads(Math.floor(cores / 2));
}

export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** A requested count made usable: 0 (or anything not a whole number ≥ 1) means the default. */
export function resolveThreads(requested: number | undefined, cores: number = availableCores()): number {
  if (requested === undefined || !Number.isFinite(requested) || requested < 1) return defaultThreads(cores);
  return clampThreads(Math.floor(requested));
}

function clampThreads(n: number): number {
  return Math.max(1, Math.min(MAX_THREADS, n));
}

/**
 * The bundled worker next to the running bundle (dist/poolWorker.js), or undefined when there is none (the sources
 * run directly, as in unit tests: they pass their own build, see scripts/lib/poolWorkerBuild.mjs).
 */
export function bundledPoolScript(): string | undefined {
  const script = path.join(__dirname, 'poolWorker.js');
  return fs.existsSync(script) ? script : undefined;
}

function defaultPoolScript(): string {
  const script = bundledPoolScript();
  if (!script) throw new Error(`the worker pool's script is missing next to ${__dirname} (run npm run build)`);
  return script;
}

export class PoolTerminated extends Error {
  constructor() {
    super('the worker pool was terminated');
    this.name = 'PoolTerminated';
  }
}

interface Pending {
  id: number;
  task: PoolTask;
  onProgress?: (progress: PoolProgress) => void;
  resolve: (result: PoolResult) => void;
  reject: (error: Error) => void;
  /** The worker the task must run on (one holding its context), or -1 for any. */
  worker: number;
}

interface Slot {
  worker: Worker;
  running: Pending | undefined;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private ended = false;

  constructor(readonly size: number, script: string = defaultPoolScript()) {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`a worker pool needs at least one thread, got ${size}`);
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script);
      const slot: Slot = { worker, running: undefined };
      worker.on('message', (reply: PoolReply) => this.receive(slot, reply));
      worker.on('error', (error) => this.fail(slot, (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? new CoreError(coreText('pool.workerOutOfMemory')) : error));
      worker.on('exit', (code) => { if (!this.ended) this.fail(slot, new CoreError(coreText('pool.workerExited', { code }))); });
      // A pool must never keep a CLI or test process alive by itself.
      worker.unref();
      this.slots.push(slot);
    }
  }

  get terminated(): boolean {
    return this.ended;
  }

  /** Posts a message every worker handles before its next task (a context that later tasks refer to). */
  broadcast(request: PoolRequest): void {
    if (this.ended) throw new PoolTerminated();
    for (const slot of this.slots) slot.worker.postMessage(request);
  }

  /** Runs a task on the first idle worker (or on `worker`), relaying its progress; resolves with its result. */
  run(task: PoolTask, options: { worker?: number; onProgress?: (progress: PoolProgress) => void } = {}): Promise<PoolResult> {
    if (this.ended) return Promise.reject(new PoolTerminated());
    return new Promise((resolve, reject) => {
      const worker = options.worker ?? -1;
      if (worker >= this.size) throw new Error(`no worker ${worker} in a pool of ${this.size}`);
      this.queue.push({ id: this.nextId++, task, onProgress: options.onProgress, resolve, reject, worker });
      this.dispatch();
    });
  }

  /** Ends every worker now; whatever runs or waits rejects with PoolTerminated. */
  async terminate(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const error = new PoolTerminated();
    for (const p of this.queue.splice(0)) p.reject(error);
    for (const slot of this.slots) {
      slot.running?.reject(error);
      slot.running = undefined;
    }
    await Promise.all(this.slots.map(s => s.worker.terminate()));
  }

  private dispatch(): void {
    for (let q = 0; q < this.queue.length;) {
      const pending = this.queue[q];
      const slot = pending.worker >= 0 ? this.slots[pending.worker] : this.slots.find(s => !s.running);
      if (!slot || slot.running) { q++; continue; }
      this.queue.splice(q, 1);
      slot.running = pending;
      slot.worker.ref();
      const request: PoolRequest = { type: 'task', id: pending.id, task: pending.task };
      slot.worker.postMessage(request);
    }
  }

  private receive(slot: Slot, reply: PoolReply): void {
    const pending = slot.running;
    if (!pending || pending.id !== reply.id) return;
    if (reply.type === 'progress') {
      pending.onProgress?.(reply.progress);
      return;
    }
    slot.running = undefined;
    slot.worker.unref();
    if (reply.type === 'result') pending.resolve(reply.result);
    // a refusal with a catalogue message stays one, so the thread that called the pool passes it on as it would its own
    else pending.reject(reply.text !== undefined && isCoreText(reply.text) ? new CoreError(reply.text) : new Error(reply.message));
    this.dispatch();
  }

  private fail(slot: Slot, error: Error): void {
    if (this.ended) return;
    // A worker that crashed takes the pool down: the caller sees the error and may start a new pool.
    const running = slot.running;
    slot.running = undefined;
    running?.reject(error);
    void this.terminate();
  }
}
