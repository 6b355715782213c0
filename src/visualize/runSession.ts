// One run as the extension host sees it: the training worker (worker_threads), the recorded history (for the
// webview's restore and the exports) and the throttle that keeps the webview from being flooded.
// No vscode import: the event-loop benchmark drives it in plain Node.
import * as l10n from '@vscode/l10n';
import type { DivergenceInfo, Snapshot } from '../core/types';
import { localizeArg, localizeCoreOr } from '../shared/localize';
import { describeDeath, groupedNumber, spawnWorker, type HostedWorker, type WorkerDeath } from '../shared/workerHost';
import type {
  ControlAction, FromWorker, RecordedRun, RunMeta, RunSource, RunState, SnapshotFrame, ToWebview, ToWorker,
} from '../protocol';

/** Webview messages with frames go out at most this often (the worker already sends ≤ 10 snapshots/s). */
export const FLUSH_INTERVAL_MS = 100;
/** At most this many frames in one message; a backlog is thinned evenly (the newest always kept). */
export const MAX_FRAMES_PER_MESSAGE = 20;
/** The host keeps this many snapshots per run for export and restore (older ones thinned). */
export const MAX_HISTORY = 3000;
/** And this many function views (for the HTML report's replay). */
export const MAX_HISTORY_VIEWS = 60;

export interface RunSessionOptions {
  workerPath: string;
  /** Everything for the webview goes through here (the panel posts it; the benchmark serialises it). */
  post: (message: ToWebview) => void;
  log: (line: string) => void;
  /** The worker's heap limit (MB), read each time a worker starts (the `gradscope.workers.memoryLimitMb` setting). */
  memoryLimitMb?: () => number;
  /** Optional hooks for the host UI (status bar, notifications). */
  onStateChange?: (state: RunState, session: RunSession) => void;
  onError?: (message: string, location: Extract<FromWorker, { type: 'error' }>['location']) => void;
  onDiverged?: (info: DivergenceInfo) => void;
  onSnapshot?: (frame: SnapshotFrame) => void;
}

export interface StartOptions {
  autoplay?: boolean;
  /**
   * Retrain on save: the run on screen stays (charts, snapshots, exports) until the new one is ready; if the new
   * one cannot start (the saved config has errors), the last good run is kept and the errors shown over it.
   */
  keepUntilReady?: boolean;
  lr?: number;
  batchSize?: number;
  snapshotEvery?: number;
  rowLimit?: number;
  maxPoints?: number;
  /** Threads for the training steps' wide products (`gradscope.threads`, resolved by the panel). */
  threads?: number;
}

/** Evenly thins `items` to at most `max`, keeping the first and the last. */
export function thinEvenly<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return items.slice();
  const picked: T[] = [];
  for (let k = 0; k < max; k++) picked.push(items[Math.round((k * (items.length - 1)) / (max - 1))]);
  return picked;
}

/** A run kept on screen while its successor loads (retrain on save). */
interface KeptRun {
  meta: RunMeta;
  history: SnapshotFrame[];
  divergence: DivergenceInfo | undefined;
  progress: RunSession['progress'];
  state: RunState;
}

export type RunError = { message: string; location?: { file: string; line: number; column: number }; restartable?: boolean; kept?: boolean };

export class RunSession {
  private worker: HostedWorker | undefined;
  private workerRunId = 0;
  /** Each worker `ready` (start, reset, re-seed) is a new chart history in the webview. */
  private webviewRunId = 0;
  meta: RunMeta | undefined;
  source: RunSource | undefined;
  sourceLabel = '';
  state: RunState = 'loading';
  divergence: DivergenceInfo | undefined;
  error: RunError | undefined;
  /** How the last worker died, if it did (the banner's words come from it). */
  death: WorkerDeath | undefined;
  private kept: KeptRun | undefined;
  progress: { epoch: number; epochs: number; step: number } | undefined;
  private history: SnapshotFrame[] = [];
  private pending: SnapshotFrame[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private disposed = false;
  private readonly firstSnapshotWaiters: ((result: FirstSnapshot) => void)[] = [];
  private firstSnapshotSeen: FirstSnapshot | undefined;
  startOptions: StartOptions = {};

  constructor(private readonly options: RunSessionOptions) {}

  /** Starts (or restarts) a run in the worker; the webview shows "loading" until the worker says ready. */
  start(source: RunSource, sourceLabel: string, options: StartOptions = {}): void {
    if (this.disposed) return;
    if (this.worker !== undefined && this.meta !== undefined) this.send({ type: 'stop', runId: this.workerRunId });
    const { keepUntilReady, ...kept } = options;
    this.flush();
    this.kept = keepUntilReady === true && this.meta !== undefined
      ? { meta: this.meta, history: this.history, divergence: this.divergence, progress: this.progress, state: this.state === 'running' ? 'paused' : this.state }
      : keepUntilReady === true ? this.kept : undefined;
    this.source = source;
    this.sourceLabel = sourceLabel;
    this.startOptions = kept;
    this.meta = undefined;
    this.history = [];
    this.pending = [];
    this.divergence = undefined;
    this.error = undefined;
    this.death = undefined;
    this.progress = undefined;
    this.firstSnapshotSeen = undefined;
    this.setState('loading');
    // A kept run stays drawn: the page hears only that a new one is loading.
    if (this.kept !== undefined) this.options.post({ type: 'state', runId: this.webviewRunId, state: 'loading', detail: l10n.t('retraining {0}…', sourceLabel) });
    else this.options.post({ type: 'loading', sourceLabel });
    this.workerRunId++;
    this.ensureWorker();
    this.options.log(`run ${this.workerRunId}: loading ${sourceLabel}`);
    this.send({
      type: 'start',
      runId: this.workerRunId,
      source,
      options: {
        autoplay: options.autoplay, lr: options.lr, batchSize: options.batchSize, snapshotEvery: options.snapshotEvery,
        rowLimit: options.rowLimit, maxPoints: options.maxPoints, threads: options.threads,
      },
    });
  }

  /** Restart after a crash or an error: the same source and settings, a fresh worker. */
  restart(): void {
    if (this.source === undefined) return;
    this.start(this.source, this.sourceLabel, this.startOptions);
  }

  control(action: ControlAction): void {
    if (this.meta === undefined) return;
    this.send({ type: 'control', runId: this.workerRunId, action });
  }

  set(settings: { lr?: number; batchSize?: number; snapshotEvery?: number }): void {
    this.startOptions = { ...this.startOptions, ...settings };
    if (this.meta === undefined) return;
    this.send({ type: 'set', runId: this.workerRunId, ...settings });
  }

  /** Everything the webview needs to draw the run from scratch (after it was hidden or reloaded). */
  replayMessages(): ToWebview[] {
    const messages: ToWebview[] = [];
    if (this.meta !== undefined) {
      messages.push({
        type: 'run', runId: this.webviewRunId, meta: this.meta, source: this.source, sourceLabel: this.sourceLabel,
        frames: this.framesForReplay(), snapshotEvery: this.startOptions.snapshotEvery,
      });
      messages.push({ type: 'state', runId: this.webviewRunId, state: this.state });
      if (this.progress !== undefined) messages.push({ type: 'progress', runId: this.webviewRunId, ...this.progress });
      if (this.divergence !== undefined) messages.push({ type: 'diverged', runId: this.webviewRunId, info: localizedDivergence(this.divergence) });
      if (this.error !== undefined) messages.push(this.errorMessage(this.error));
    } else if (this.error !== undefined) {
      messages.push(this.errorMessage(this.error));
    } else {
      messages.push({ type: 'loading', sourceLabel: this.sourceLabel });
    }
    return messages;
  }

  /** The recorded run (all kept snapshots, views thinned), for JSON/CSV export and the HTML report. */
  recordedRun(): RecordedRun | undefined {
    if (this.meta === undefined) return undefined;
    return { meta: this.meta, sourceLabel: this.sourceLabel, frames: this.history.slice(), divergence: this.divergence, createdAt: new Date().toISOString() };
  }

  /** Resolves at the run's first snapshot or its error (the integration tests and the command's result). */
  firstSnapshot(): Promise<FirstSnapshot> {
    if (this.firstSnapshotSeen !== undefined) return Promise.resolve(this.firstSnapshotSeen);
    return new Promise(resolve => this.firstSnapshotWaiters.push(resolve));
  }

  get running(): boolean {
    return this.state === 'running';
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) {
      void worker.stop();
      this.options.log(`run ${this.workerRunId}: worker stopped`);
    }
    this.resolveFirst({ ok: false, error: 'the panel was closed' });
  }

  /** The live training worker (the integration tests' fault seam reaches it through here). */
  get hostedWorker(): HostedWorker | undefined {
    return this.worker;
  }

  private ensureWorker(): void {
    // A worker ended from outside (deactivate's shutdown) is replaced like a missing one.
    if (this.worker !== undefined && !this.worker.exited) return;
    const hosted = spawnWorker(this.options.workerPath, {
      role: 'training',
      memoryLimitMb: this.options.memoryLimitMb?.(),
      onDeath: death => {
        if (this.disposed || this.worker !== hosted) return;
        this.worker = undefined;
        this.crashed(death);
      },
    });
    hosted.worker.on('message', (message: FromWorker) => this.onWorkerMessage(message));
    this.worker = hosted;
  }

  private send(message: ToWorker): void {
    this.worker?.worker.postMessage(message);
  }

  /**
   * The worker died (out of memory, a throw, an exit, a kill): everything recorded so far stays — on screen, in
   * the exports and for a restore — and the panel says what happened, with Restart.
   */
  private crashed(death: WorkerDeath): void {
    this.flush();
    this.death = death;
    const loading = this.meta === undefined;
    if (loading) this.restoreKept();
    // The worker's progress can be newer than its last snapshot (a slow cadence), or older (steps by hand).
    const steps = [this.progress?.step, this.history.at(-1)?.snapshot.step].filter((n): n is number => n !== undefined);
    const step = steps.length > 0 ? Math.max(...steps) : undefined;
    const where = loading ? l10n.t('while loading the run') : step !== undefined ? l10n.t('at step {0}', groupedNumber(step)) : '';
    const kept = this.history.length;
    const keptText = this.meta === undefined ? ''
      : kept === 1 ? l10n.t('The 1 snapshot so far is kept: export it, or Restart.') : l10n.t('The {0} snapshots so far are kept: export them, or Restart.', groupedNumber(kept));
    const message = keptText === '' ? describeDeath(death, where) : `${describeDeath(death, where)} ${keptText}`;
    this.options.log(`run ${this.workerRunId}: ${message}${death.error !== undefined ? ` (${death.error})` : ''}`);
    this.fail(message, undefined, { restartable: true });
  }

  /** A run that could not start falls back to the run kept on screen (retrain on save), if there is one. */
  private restoreKept(): boolean {
    const kept = this.kept;
    if (kept === undefined) return false;
    this.kept = undefined;
    this.meta = kept.meta;
    this.history = kept.history;
    this.divergence = kept.divergence;
    this.progress = kept.progress;
    return true;
  }

  /** Shows an error (over the run when one is on screen; instead of it otherwise). */
  fail(message: string, location?: { file: string; line: number; column: number }, flags: { restartable?: boolean } = {}): void {
    const kept = this.meta !== undefined;
    this.error = { message, location, restartable: flags.restartable, kept };
    this.setState('error');
    this.options.post(this.errorMessage(this.error));
    this.options.onError?.(message, location);
    this.resolveFirst({ ok: false, error: message });
  }

  private errorMessage(error: RunError): ToWebview {
    return { type: 'error', message: error.message, location: error.location, restartable: error.restartable, kept: error.kept };
  }

  private onWorkerMessage(message: FromWorker): void {
    if (this.disposed || message.runId !== this.workerRunId) return;
    switch (message.type) {
      case 'ready':
        this.flush();
        this.kept = undefined;
        this.webviewRunId++;
        // the core's notes (skipped rows, sampling, config warnings) in the display language
        if (message.meta.noteTexts) {
          const { noteTexts, ...meta } = message.meta;
          message = { ...message, meta: { ...meta, notes: noteTexts.map(localizeArg) } };
        }
        this.meta = message.meta;
        this.history = [];
        this.pending = [];
        this.divergence = undefined;
        this.options.log(`run ${this.workerRunId}: ${message.meta.title} — ${message.meta.layers.length} linear layers, seed ${message.meta.seed}, lr ${message.meta.lr}, batch ${message.meta.batchSize}`);
        for (const note of message.meta.notes) this.options.log(`  note: ${note}`);
        this.options.post({ type: 'run', runId: this.webviewRunId, meta: message.meta, source: this.source, sourceLabel: this.sourceLabel, frames: [], snapshotEvery: this.startOptions.snapshotEvery });
        this.setState('paused');
        break;
      case 'snapshot': {
        const frame: SnapshotFrame = message.view === undefined ? { snapshot: message.snapshot } : { snapshot: message.snapshot, view: message.view };
        this.record(frame);
        this.pending.push(frame);
        this.scheduleFlush();
        this.options.onSnapshot?.(frame);
        this.resolveFirst({ ok: true, snapshot: { epoch: message.snapshot.epoch, step: message.snapshot.step, loss: message.snapshot.loss } });
        break;
      }
      case 'progress':
        this.progress = { epoch: message.epoch, epochs: message.epochs, step: message.step };
        break;
      case 'state':
        this.flush();
        this.setState(message.running ? 'running' : this.state === 'diverged' ? 'diverged' : 'paused');
        this.options.post({ type: 'state', runId: this.webviewRunId, state: this.state });
        break;
      case 'done':
        this.flush();
        this.setState('done');
        this.options.log(`run ${this.workerRunId}: done after ${this.progress?.epoch ?? '?'} epochs, step ${this.progress?.step ?? '?'}`);
        this.options.post({ type: 'state', runId: this.webviewRunId, state: 'done' });
        break;
      case 'diverged':
        this.flush();
        this.divergence = message.info;
        this.setState('diverged');
        this.options.log(`run ${this.workerRunId}: ${message.info.message}`);
        this.options.post({ type: 'diverged', runId: this.webviewRunId, info: localizedDivergence(message.info) });
        this.options.onDiverged?.(message.info);
        break;
      case 'error': {
        if (message.text) message = { ...message, message: localizeCoreOr(message.text, message.message) };
        const where = message.location === undefined ? '' : `${message.location.file}:${message.location.line}:${message.location.column}: `;
        this.options.log(`run ${this.workerRunId}: error: ${where}${message.message}`);
        if (this.meta !== undefined) {
          // A live run stays on screen (e.g. a refused learning rate); only the message is shown.
          this.options.onError?.(message.message, message.location);
          break;
        }
        // A saved config with errors: the last good run stays, with the errors over it.
        if (this.restoreKept()) {
          this.fail(l10n.t('The saved config has errors; this is the last good run. {0}', message.message), message.location);
          break;
        }
        this.fail(message.message, message.location);
        break;
      }
      default: {
        const never: never = message;
        throw new Error(`unknown worker message ${JSON.stringify(never)}`);
      }
    }
  }

  private setState(state: RunState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStateChange?.(state, this);
  }

  private resolveFirst(result: FirstSnapshot): void {
    if (this.firstSnapshotSeen !== undefined) return;
    this.firstSnapshotSeen = result;
    for (const resolve of this.firstSnapshotWaiters.splice(0)) resolve(result);
  }

  private record(frame: SnapshotFrame): void {
    this.history.push(frame);
    if (this.history.length > MAX_HISTORY) {
      // Thin the older three quarters by half; the recent past stays dense.
      const keepTail = Math.floor(this.history.length / 4);
      const head = this.history.slice(0, this.history.length - keepTail).filter((_, i) => i % 2 === 0);
      this.history = head.concat(this.history.slice(this.history.length - keepTail));
    }
    if (frame.view !== undefined) {
      let withView = 0;
      for (const f of this.history) if (f.view !== undefined) withView++;
      if (withView > MAX_HISTORY_VIEWS) {
        let k = 0;
        this.history = this.history.map(f => {
          if (f.view === undefined || f === frame) return f;
          return k++ % 2 === 0 ? { snapshot: f.snapshot } : f;
        });
      }
    }
  }

  private framesForReplay(): SnapshotFrame[] {
    // The webview keeps its own bounded history and draws only the newest view: send that one, on the last frame.
    // A deep net's snapshots are big: about 20k layer probes at most, histograms only on the newest.
    const layers = Math.max(1, this.meta?.layers.length ?? 1);
    const budget = Math.max(100, Math.min(1000, Math.floor(20000 / layers)));
    const frames = thinEvenly(this.history, budget).map((f, i, all) =>
      ({ snapshot: i === all.length - 1 ? f.snapshot : withoutHistograms(f.snapshot) }) as SnapshotFrame);
    const newestView = [...this.history].reverse().find(f => f.view !== undefined)?.view;
    if (newestView !== undefined && frames.length > 0) frames[frames.length - 1] = { snapshot: frames[frames.length - 1].snapshot, view: newestView };
    return frames;
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined) return;
    const wait = Math.max(0, FLUSH_INTERVAL_MS - (Date.now() - this.lastFlush));
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0 || this.disposed) return;
    let frames = this.pending;
    this.pending = [];
    if (frames.length > MAX_FRAMES_PER_MESSAGE) {
      const newestView = [...frames].reverse().find(f => f.view !== undefined)?.view;
      frames = thinEvenly(frames, MAX_FRAMES_PER_MESSAGE).map(f => ({ snapshot: f.snapshot }) as SnapshotFrame);
      if (newestView !== undefined) frames[frames.length - 1] = { snapshot: frames[frames.length - 1].snapshot, view: newestView };
    }
    this.lastFlush = Date.now();
    this.options.post({ type: 'frames', runId: this.webviewRunId, frames });
    if (this.progress !== undefined) this.options.post({ type: 'progress', runId: this.webviewRunId, ...this.progress });
  }
}

export type FirstSnapshot =
  | { ok: true; snapshot: { epoch: number; step: number; loss: number } }
  | { ok: false; error: string };

function withoutHistograms(snapshot: Snapshot): Snapshot {
  return {
    ...snapshot,
    layers: snapshot.layers.map(layer => ({
      ...layer,
      z: { ...layer.z, histogram: { min: layer.z.histogram.min, max: layer.z.histogram.max, counts: [] } },
      a: { ...layer.a, histogram: { min: layer.a.histogram.min, max: layer.a.histogram.max, counts: [] } },
    })),
  };
}

/** The trainer's divergence message in the display language, for the panel's banner. */
function localizedDivergence(info: DivergenceInfo): DivergenceInfo {
  return { ...info, message: localizeCoreOr(info.text, info.message) };
}
