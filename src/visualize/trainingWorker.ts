// The training worker (worker_threads): loads the run's data, trains the core in slices so control messages
// get through at once, and sends snapshots throttled to ≤ 10/s with the function view at most ~4/s.
// The extension host never trains; it only relays what this thread sends.
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { loadRun, type LoadedRun } from '../core/config/config';
import { functionView } from '../core/nn/functionView';
import { isInputError } from '../core/inputError';
import { errorText } from '../core/coreError';
import { presetConfigText } from '../core/config/presets';
import { Trainer } from '../core/nn/trainer';
import type { PreparedData, Snapshot } from '../core/types';
import { coreText, formatCoreText, notesOf } from '../core/messages';
import type { FromWorker, RunMeta, RunSource, ToWorker } from '../protocol';
import { installFaultSeam } from '../shared/workerFaultSeam';

installFaultSeam();

/** Training time per slice before the worker looks at its message queue again. */
const SLICE_MS = 20;
/** At most one snapshot per this many ms reaches the host (the issue's ≤ ~10/s). */
const MIN_SNAPSHOT_INTERVAL_MS = 100;
/** The function view (a 64×64 grid of predictions, say) at most this often. */
const MIN_VIEW_INTERVAL_MS = 250;
const DEFAULT_MAX_POINTS = 2000;
const DEFAULT_SNAPSHOT_EVERY = 10;

type StartMessage = Extract<ToWorker, { type: 'start' }>;

function send(message: FromWorker): void {
  parentPort?.postMessage(message);
}

/** Up to `max` data points in original units, validation and train interleaved evenly, for drawing. */
export function samplePoints(data: PreparedData, max: number): RunMeta['points'] {
  const points: RunMeta['points'] = { x: [], y: [], split: [] };
  const total = data.train.n + data.val.n;
  const stride = Math.max(1, total / max);
  for (const [name, split] of [['train', data.train], ['val', data.val]] as const) {
    const count = Math.min(split.n, Math.ceil(split.n / stride));
    for (let k = 0; k < count; k++) {
      const row = Math.min(split.n - 1, Math.floor(k * stride));
      const x: number[] = [];
      for (let c = 0; c < data.d; c++) x.push(split.x[row * data.d + c] * data.std[c] + data.mean[c]);
      points.x.push(x);
      points.y.push(split.y[row]);
      points.split.push(name);
    }
  }
  // The page says what it leaves out: "N of M data points drawn".
  if (points.y.length < total) points.total = total;
  return points;
}

function metaOf(loaded: LoadedRun, trainer: Trainer, first: Snapshot, maxPoints: number): RunMeta {
  const { data } = loaded;
  return {
    title: loaded.title,
    task: data.task,
    inputNames: data.inputNames,
    targetName: data.targetName,
    classes: data.classes,
    layers: first.layers.map(layer => ({ index: layer.index, units: layer.units, activation: layer.activation, path: layer.path })),
    epochs: trainer.spec.epochs,
    batchSize: trainer.batchSize,
    lr: trainer.lr,
    seed: trainer.seed,
    points: samplePoints(data, maxPoints),
    ...notesOf([...(data.noteTexts ?? data.notes), ...loaded.warnings.map(w => coreText('run.note.configWarning', { message: w.text, line: w.line }))]),
  };
}

class ActiveRun {
  private running = false;
  private scheduled = false;
  private snapshotEvery: number;
  private lastSnapshotStep = 0;
  private lastSnapshotEpoch = 0;
  private lastEmit = -Infinity;
  private lastViewEmit = -Infinity;
  private lastProgress = -Infinity;
  /** Stop when this many epochs are done (Play after the end extends it by the planned epochs). */
  private targetEpochs: number;
  private stopped = false;

  constructor(
    readonly runId: number,
    private readonly loaded: LoadedRun,
    private readonly trainer: Trainer,
    private readonly maxPoints: number,
    snapshotEvery: number,
  ) {
    this.snapshotEvery = snapshotEvery;
    this.targetEpochs = trainer.spec.epochs;
  }

  /** Announce the run (meta + the step-0 snapshot); the host turns each `ready` into a fresh chart history. */
  announce(): void {
    const started = performance.now();
    const first = this.trainer.snapshot();
    this.snapshotCostMs = performance.now() - started;
    send({ type: 'ready', runId: this.runId, meta: metaOf(this.loaded, this.trainer, first, this.maxPoints) });
    this.emit(true, first);
  }

  control(action: Extract<ToWorker, { type: 'control' }>['action']): void {
    switch (action) {
      case 'play':
        if (this.trainer.diverged) return;
        if (this.trainer.epoch >= this.targetEpochs) this.targetEpochs = this.trainer.epoch + this.trainer.spec.epochs;
        this.setRunning(true);
        break;
      case 'pause':
        this.setRunning(false);
        this.emit(true);
        break;
      case 'stepBatch':
        this.setRunning(false);
        if (!this.trainer.diverged) this.trainer.stepBatch();
        this.afterManualStep();
        break;
      case 'stepEpoch':
        this.setRunning(false);
        if (!this.trainer.diverged) this.trainer.stepEpoch();
        this.afterManualStep();
        break;
      case 'reset':
      case 'reseed': {
        const wasRunning = this.running;
        this.setRunning(false);
        this.trainer.reset(action === 'reseed' ? (Math.random() * 2 ** 31) >>> 0 : this.trainer.seed);
        this.lastSnapshotStep = 0;
        this.lastSnapshotEpoch = 0;
        this.targetEpochs = this.trainer.spec.epochs;
        this.announce();
        if (wasRunning) this.setRunning(true);
        break;
      }
      default: {
        const never: never = action;
        throw new Error(`unknown control ${String(never)}`);
      }
    }
  }

  set(message: Extract<ToWorker, { type: 'set' }>): void {
    if (message.lr !== undefined) this.trainer.setLearningRate(message.lr);
    if (message.batchSize !== undefined) this.trainer.setBatchSize(message.batchSize);
    if (message.snapshotEvery !== undefined && message.snapshotEvery >= 0) this.snapshotEvery = Math.floor(message.snapshotEvery);
    if (!this.running) this.emit(false);
  }

  stop(): void {
    this.stopped = true;
    this.running = false;
    this.trainer.dispose();
  }

  setRunning(running: boolean): void {
    if (this.stopped || this.running === running) return;
    this.running = running;
    send({ type: 'state', runId: this.runId, running });
    if (running) this.schedule();
  }

  private afterManualStep(): void {
    if (this.checkDiverged()) return;
    this.emit(true);
  }

  private schedule(): void {
    if (this.scheduled || !this.running || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.slice();
    });
  }

  /** Train for ~SLICE_MS, then yield to the message queue. */
  private slice(): void {
    if (!this.running || this.stopped) return;
    const trainer = this.trainer;
    const started = performance.now();
    let snapshotDue = false;
    while (performance.now() - started < SLICE_MS) {
      const result = trainer.stepBatch();
      if (result.diverged) break;
      const due = this.snapshotEvery > 0
        ? trainer.step - this.lastSnapshotStep >= this.snapshotEvery
        : trainer.epoch > this.lastSnapshotEpoch;
      if (due) snapshotDue = true;
      if (trainer.epoch >= this.targetEpochs) break;
      // With a due snapshot and the throttle open, stop early so it goes out on time.
      if (snapshotDue && performance.now() - this.lastEmit >= this.snapshotInterval()) break;
    }
    if (this.checkDiverged()) return;
    const now = performance.now();
    const finished = trainer.epoch >= this.targetEpochs;
    if (finished) {
      this.emit(true);
      if (this.checkDiverged()) return;
      this.setRunning(false);
      send({ type: 'done', runId: this.runId });
      return;
    }
    if (snapshotDue && now - this.lastEmit >= this.snapshotInterval()) {
      this.emit(now - this.lastViewEmit >= Math.max(MIN_VIEW_INTERVAL_MS, this.snapshotInterval()));
      if (this.checkDiverged()) return;
    } else if (now - this.lastProgress >= 250) {
      this.lastProgress = now;
      send({ type: 'progress', runId: this.runId, epoch: trainer.epoch, epochs: this.targetEpochs, step: trainer.step });
    }
    this.schedule();
  }

  /** Sends the divergence (with the last finite snapshot) once; true when the run has diverged. */
  private divergenceSent = false;
  private checkDiverged(): boolean {
    const info = this.trainer.diverged;
    if (info === null) return false;
    if (!this.divergenceSent) {
      this.divergenceSent = true;
      this.running = false;
      send({ type: 'state', runId: this.runId, running: false });
      const last = this.trainer.lastFiniteSnapshot;
      if (last !== null) send({ type: 'snapshot', runId: this.runId, snapshot: last });
      send({ type: 'diverged', runId: this.runId, info });
    }
    return true;
  }

  /** How long the last snapshot (probes, validation loss, function view) took to measure and send. */
  private snapshotCostMs = 0;

  /**
   * ≥ 100 ms between snapshots (≤ 10/s), and longer when measuring is expensive (a big validation split, a very
   * deep net): measuring then takes at most a fifth of the worker's time, so training keeps moving.
   */
  private snapshotInterval(): number {
    return Math.max(MIN_SNAPSHOT_INTERVAL_MS, 4 * this.snapshotCostMs);
  }

  /** Measures the network now (unless `given`) and sends the snapshot, with the function view when asked. */
  private emit(withView: boolean, given?: Snapshot): void {
    const started = performance.now();
    const snapshot = given ?? this.trainer.snapshot();
    this.lastEmit = started;
    this.lastProgress = started;
    this.lastSnapshotStep = snapshot.step;
    this.lastSnapshotEpoch = snapshot.epoch;
    let view;
    if (withView && this.trainer.diverged === null) {
      view = functionView(this.trainer, this.loaded.data);
      this.lastViewEmit = started;
    }
    send({ type: 'snapshot', runId: this.runId, snapshot, view });
    send({ type: 'progress', runId: this.runId, epoch: snapshot.epoch, epochs: this.targetEpochs, step: snapshot.step });
    if (given === undefined) this.snapshotCostMs = performance.now() - started;
  }
}

/**
 * Data errors name the file as the reader saw it (often its base name); the panel's "open at the line" needs a
 * path, so a bare name is matched against the run's data file or resolved against the config's folder.
 */
function resolveFile(file: string, source: RunSource): string {
  if (path.isAbsolute(file)) return file;
  const dataPath = source.kind === 'dataset' ? source.dataPath : source.kind === 'config' ? source.dataPath : undefined;
  if (dataPath !== undefined && path.basename(dataPath) === path.basename(file)) return path.resolve(dataPath);
  if (source.kind === 'config') {
    if (path.basename(source.configPath) === file) return path.resolve(source.configPath);
    return path.resolve(path.dirname(source.configPath), file);
  }
  return dataPath !== undefined ? path.resolve(path.dirname(dataPath), file) : file;
}

let active: ActiveRun | undefined;
let loadingRunId: number | undefined;

async function start(message: StartMessage): Promise<void> {
  active?.stop();
  active = undefined;
  loadingRunId = message.runId;
  const options = message.options ?? {};
  try {
    const source = message.source;
    const loaded = await loadRun(source, {
      rowLimit: options.rowLimit,
      dataFile: source.kind === 'config' ? source.dataPath : undefined,
      builtin: source.kind === 'config' ? source.builtin : undefined,
      // A newer start (or stop) cancels this load.
      isCancelled: () => loadingRunId !== message.runId,
    }, presetConfigText);
    if (loadingRunId !== message.runId) return;
    const spec = { ...loaded.train };
    if (options.lr !== undefined && options.lr > 0) spec.optimizer = { ...spec.optimizer, lr: options.lr };
    if (options.batchSize !== undefined && options.batchSize >= 1) spec.batchSize = Math.floor(options.batchSize);
    // Helper threads for wide layers' products (ended with the run: stop(), or this worker's termination).
    const trainer = new Trainer(spec, loaded.data, { threads: options.threads });
    const snapshotEvery = options.snapshotEvery ?? (loaded.train.snapshotEvery !== undefined && loaded.train.snapshotEvery > 0 ? loaded.train.snapshotEvery : DEFAULT_SNAPSHOT_EVERY);
    const run = new ActiveRun(message.runId, loaded, trainer, options.maxPoints ?? DEFAULT_MAX_POINTS, snapshotEvery);
    active = run;
    run.announce();
    if (options.autoplay !== false) run.setRunning(true);
    else send({ type: 'state', runId: message.runId, running: false });
  } catch (error) {
    if (loadingRunId !== message.runId) return;
    if (isInputError(error)) {
      const location = error.location === undefined ? undefined : { ...error.location, file: resolveFile(error.location.file, message.source) };
      send({ type: 'error', runId: message.runId, message: error.message, ...(error.text ? { text: error.text } : {}), location });
    } else {
      const text = coreText('worker.cannotStartRun', { reason: errorText(error) });
      send({ type: 'error', runId: message.runId, message: formatCoreText(text), text });
    }
  }
}

function onMessage(message: ToWorker): void {
  switch (message.type) {
    case 'start':
      void start(message);
      break;
    case 'control':
      if (active?.runId === message.runId) active.control(message.action);
      break;
    case 'set':
      if (active?.runId === message.runId) {
        // The trainer refuses these too, in English only: checked here so the page hears a message it can translate.
        const refused = message.lr !== undefined && !(message.lr > 0 && Number.isFinite(message.lr)) ? coreText('worker.lrNotPositive', { lr: String(message.lr) })
          : message.batchSize !== undefined && !(Number.isInteger(message.batchSize) && message.batchSize >= 1) ? coreText('worker.batchSizeNotPositive', { batchSize: String(message.batchSize) })
          : undefined;
        if (refused) {
          send({ type: 'error', runId: message.runId, message: formatCoreText(refused), text: refused });
          break;
        }
        try {
          active.set(message);
        } catch (error) {
          const reason = errorText(error);
          const text = typeof reason === 'object' ? reason : coreText('worker.error', { reason });
          send({ type: 'error', runId: message.runId, message: formatCoreText(text), text });
        }
      }
      break;
    case 'stop':
      if (active?.runId === message.runId) active.stop();
      if (loadingRunId === message.runId) loadingRunId = undefined;
      break;
    default: {
      const never: never = message;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}

parentPort?.on('message', (message: ToWorker) => {
  try {
    onMessage(message);
  } catch (error) {
    const runId = 'runId' in message ? message.runId : -1;
    const text = coreText('worker.error', { reason: errorText(error) });
    send({ type: 'error', runId, message: formatCoreText(text), text });
  }
});
