// Runs live probes on one worker thread, one at a time: a newer request for the same config cancels the running
// probe (a `cancel` message, then terminate and respawn if the worker does not answer in time); requests for other
// configs wait their turn, only the latest per config kept. No vscode import, so the scheduling is unit-tested.
import type { FromProbeWorker, ProbeSettings, ToProbeWorker } from '../protocol';

/** The part of a worker_threads Worker the client uses (a fake in tests). */
export interface ProbeWorkerPort {
  postMessage(message: ToProbeWorker): void;
  onMessage(listener: (message: FromProbeWorker) => void): void;
  onExit(listener: (reason: string) => void): void;
  terminate(): void;
}

export interface ProbeRequest {
  /** Identifies the config (its URI); a newer request with the same key supersedes an older one. */
  key: string;
  configPath: string;
  configText: string;
  settings: ProbeSettings;
}

/** Callbacks for one request; none fires after the request is superseded or cancelled. */
export interface ProbeListener {
  onMessage(message: FromProbeWorker): void;
  /** The worker finished this probe (done), or died on it (`error` set). */
  onEnd(outcome: { cancelled: boolean; error?: string }): void;
}

interface Pending {
  request: ProbeRequest;
  listener: ProbeListener;
  probeId: number;
}

export class ProbeClient {
  private worker: ProbeWorkerPort | undefined;
  private running: Pending | undefined;
  /** Waiting requests, latest per key, in arrival order. */
  private readonly queue = new Map<string, Pending>();
  private nextProbeId = 1;
  private cancelTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  /**
   * @param createWorker spawns a fresh worker
   * @param cancelGraceMs how long a cancelled probe may take to stop before its worker is terminated
   */
  constructor(private readonly createWorker: () => ProbeWorkerPort, private readonly cancelGraceMs = 250) {}

  /** Start (or queue) a probe; supersedes any earlier request with the same key. Returns its probe id. */
  request(request: ProbeRequest, listener: ProbeListener): number {
    if (this.disposed) throw new Error('ProbeClient is disposed');
    const pending: Pending = { request, listener, probeId: this.nextProbeId++ };
    this.queue.delete(request.key);
    this.queue.set(request.key, pending);
    if (this.running?.request.key === request.key) this.cancelRunning();
    else this.pump();
    return pending.probeId;
  }

  /** Drop the queued and running probes of one config (its editor closed). */
  cancel(key: string): void {
    this.queue.delete(key);
    if (this.running?.request.key === key) this.cancelRunning();
  }

  /** True while a probe for `key` is queued or running. */
  isBusy(key: string): boolean {
    return this.queue.has(key) || this.running?.request.key === key;
  }

  dispose(): void {
    this.disposed = true;
    this.queue.clear();
    if (this.cancelTimer) clearTimeout(this.cancelTimer);
    this.running = undefined;
    this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): ProbeWorkerPort {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onMessage(message => { if (this.worker === worker) this.handle(message); });
    worker.onExit(reason => { if (this.worker === worker) this.workerDied(reason); });
    this.worker = worker;
    return worker;
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    const next = this.queue.values().next();
    if (next.done) return;
    const pending = next.value;
    this.queue.delete(pending.request.key);
    this.running = pending;
    const { configPath, configText, settings } = pending.request;
    this.ensureWorker().postMessage({ type: 'probe', probeId: pending.probeId, configPath, configText, settings });
  }

  /** Ask the worker to stop the running probe; if it does not confirm in time, replace the worker. */
  private cancelRunning(): void {
    const running = this.running;
    if (!running || this.cancelTimer) return;
    // The superseded listener hears nothing more: its results would be stale.
    running.listener = { onMessage: () => undefined, onEnd: () => undefined };
    this.worker?.postMessage({ type: 'cancel', probeId: running.probeId });
    this.cancelTimer = setTimeout(() => {
      this.cancelTimer = undefined;
      if (this.running !== running) return;
      const stuck = this.worker;
      this.worker = undefined;
      stuck?.terminate();
      this.running = undefined;
      this.pump();
    }, this.cancelGraceMs);
  }

  private handle(message: FromProbeWorker): void {
    const running = this.running;
    if (!running || message.probeId !== running.probeId) return;
    if (message.type === 'probeDone') {
      this.finish({ cancelled: message.cancelled });
      return;
    }
    running.listener.onMessage(message);
  }

  private finish(outcome: { cancelled: boolean; error?: string }): void {
    const running = this.running;
    this.running = undefined;
    if (this.cancelTimer) { clearTimeout(this.cancelTimer); this.cancelTimer = undefined; }
    running?.listener.onEnd(outcome);
    this.pump();
  }

  private workerDied(reason: string): void {
    this.worker = undefined;
    // The reason is a sentence (what died and why); the next request starts a fresh worker.
    if (this.running) this.finish({ cancelled: false, error: reason });
  }
}

/** Per-key debounce: `trigger(key)` runs `action(key)` once `delayMs` pass without another trigger of that key. */
export class KeyedDebouncer {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly action: (key: string) => void) {}

  trigger(key: string, delayMs: number): void {
    const previous = this.timers.get(key);
    if (previous) clearTimeout(previous);
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); this.action(key); }, delayMs));
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
