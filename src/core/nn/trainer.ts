// The training loop as an interruptible stepper: the caller (worker, CLI, tests) decides when to step, pause,
// snapshot or change settings. A seed fixes initialisation, shuffling and dropout, so runs are bit-identical.
import type { Arena } from './arena';
import { createArena } from './kernels';
import { ProductThreads, SPLIT_MIN_MULTIPLY_ADDS } from './productThreads';
import { computeLoss, countCorrect, lossProblem } from './losses';
import { Network, RNG_STREAM, type Workspace } from './network';
import { Optimizer, globalGradNorm } from './optimizers';
import { probeLayers, type PrecomputedProbes } from './probes';
import { Rng } from './rng';
import { CoreError } from '../coreError';
import { coreText, formatCoreText, type CoreText } from '../messages';
import type { DivergenceInfo, LayerProbe, PreparedData, Snapshot, TrainSpec } from '../types';

/**
 * The step-0 diagnostics hold the whole training split as one batch; past this many buffered numbers (256 MB of
 * Float64) they use an evenly strided subset of rows instead, so a wide net on a big file cannot exhaust memory.
 */
export const DIAGNOSTIC_MAX_VALUES = 1 << 25;

/** A step-0 forward and backward pass, not yet probed (Trainer.step0Pass). */
export interface Step0Pass {
  ws: Workspace;
  rows: number;
  loss: number;
  accuracy?: number;
}

export interface TrainerOptions {
  /**
   * Threads for the training steps' wide products (the `gradscope.threads` setting, CLI --threads): with more than
   * one, and a layer wide enough to repay the hand-over, helper threads take a share of each product's output rows
   * (bit-identical results). dispose() ends them.
   */
  threads?: number;
  /**
   * The arena to build the network in (kernels.ts createArena otherwise), with the helper threads already on it
   * when it has some: an arena that outlives this trainer (the live probe's, released between probes). Its threads
   * are the owner's: dispose() leaves them running.
   */
  arena?: Arena;
}

export interface StepResult {
  /** Mean loss of the batch just trained on (NaN/Infinity when it diverged). */
  loss: number;
  rows: number;
  /** This step finished an epoch (the data was reshuffled). */
  epochEnded: boolean;
  diverged: boolean;
  /** A snapshot is due by the spec's cadence (every `snapshotEvery` steps, or at each epoch end when 0). */
  snapshotDue: boolean;
}

export class Trainer {
  readonly network: Network;
  readonly optimizer: Optimizer;
  /** Completed epochs. */
  epoch = 0;
  /** Steps taken in total. */
  step = 0;
  samplesSeen = 0;
  seed: number;
  batchSize: number;
  diverged: DivergenceInfo | null = null;
  lastFiniteSnapshot: Snapshot | null = null;

  private shuffleRng: Rng;
  private readonly order: Uint32Array;
  /** Next row of `order` to train on. */
  private position = 0;
  private readonly trainWs: Workspace;
  private probeWs: Workspace | null = null;
  private diagnosticWs: Workspace | null = null;
  private batchX: Float64Array;
  private batchY: Float64Array;
  /** The helper threads are this trainer's own (not a borrowed arena's). */
  private readonly ownsThreads: boolean;
  // Training loss and accuracy accumulated since the last snapshot.
  private windowLoss = 0;
  private windowRows = 0;
  private windowCorrect = 0;
  private lastLoss: number | undefined;
  private lastAccuracy: number | undefined;

  constructor(readonly spec: TrainSpec, readonly data: PreparedData, options: TrainerOptions = {}) {
    if (data.train.n < 1) throw new CoreError(coreText('train.emptySplit'));
    this.seed = spec.seed;
    this.batchSize = validBatchSize(spec.batchSize);
    // The resident engine (kernels.ts): the network, its optimizer state and the batch share one arena.
    this.ownsThreads = options.arena === undefined;
    this.network = new Network(spec.network, spec.seed, options.arena ?? createArena());
    if (this.network.inputs !== data.d) throw new CoreError(coreText('train.inputsMismatch', { inputs: this.network.inputs, columns: data.d }));
    // A two-class task takes one logit (bce) or two (cross_entropy), so the output width is checked per loss.
    const problem = lossProblem(spec.loss, data.task, this.network.outputs, data.classes?.length ?? 0);
    if (problem) throw new CoreError(problem);
    if (spec.loss === 'mse' && this.network.outputs !== data.outputs) {
      throw new CoreError(coreText('train.outputsMismatch', { outputs: this.network.outputs, needed: data.outputs }));
    }
    this.optimizer = new Optimizer(spec.optimizer, this.network.parameters, this.network.arena);
    this.order = new Uint32Array(data.train.n);
    this.shuffleRng = Rng.stream(spec.seed, RNG_STREAM.shuffle);
    this.resetOrder();
    const capacity = Math.min(this.batchSize, data.train.n);
    this.trainWs = this.network.createWorkspace(capacity);
    this.batchX = this.allocBatch(capacity * data.d);
    this.batchY = new Float64Array(capacity);
    const arena = this.network.arena;
    const threads = Math.floor(options.threads ?? 1);
    if (arena && this.ownsThreads && threads > 1 && this.widestProduct(capacity) >= SPLIT_MIN_MULTIPLY_ADDS) {
      arena.threads = new ProductThreads(arena, threads - 1);
    }
  }

  /** Multiply-adds of the largest product of a training step (batch × in × out of the widest layer). */
  private widestProduct(rows: number): number {
    let most = 0;
    for (const l of this.network.linearLayers) most = Math.max(most, rows * l.linear.inWidth * l.linear.outWidth);
    return most;
  }

  /** Threads the training steps use (1 + helper threads). */
  get threads(): number {
    return this.network.arena?.threads?.threads ?? 1;
  }

  /** Ends the helper threads at once (the trainer still works, on one thread); a borrowed arena's are left alone. */
  dispose(): void {
    const arena = this.network.arena;
    if (!arena?.threads || !this.ownsThreads) return;
    arena.threads.terminate();
    arena.threads = null;
  }

  private allocBatch(length: number): Float64Array {
    return this.network.arena ? this.network.arena.alloc(length) : new Float64Array(length);
  }

  get lr(): number {
    return this.optimizer.lr;
  }

  get stepsPerEpoch(): number {
    return Math.ceil(this.data.train.n / this.batchSize);
  }

  /** All planned epochs are done (stepping further is still allowed). */
  get done(): boolean {
    return this.epoch >= this.spec.epochs;
  }

  setLearningRate(lr: number): void {
    if (!(lr > 0 && Number.isFinite(lr))) throw new CoreError(coreText('worker.lrNotPositive', { lr: String(lr) }));
    this.optimizer.lr = lr;
  }

  /** Takes effect from the next batch; the current epoch continues where it is. */
  setBatchSize(batchSize: number): void {
    this.batchSize = validBatchSize(batchSize);
  }

  /**
   * Start again from a fresh initialisation (with the given seed, or the current one). The learning rate and batch
   * size set live are kept: a reset restarts the weights, not the user's settings.
   */
  reset(seed = this.seed): void {
    this.seed = seed;
    this.network.initialize(seed);
    this.optimizer.reset();
    this.shuffleRng = Rng.stream(seed, RNG_STREAM.shuffle);
    this.resetOrder();
    this.epoch = 0;
    this.step = 0;
    this.samplesSeen = 0;
    this.diverged = null;
    this.lastFiniteSnapshot = null;
    this.trainWs.hasGradients = false;
    this.windowLoss = 0;
    this.windowRows = 0;
    this.windowCorrect = 0;
    this.lastLoss = undefined;
    this.lastAccuracy = undefined;
  }

  private resetOrder(): void {
    for (let i = 0; i < this.order.length; i++) this.order[i] = i;
    this.position = 0;
    this.shuffleRng.shuffle(this.order);
  }

  /** Copy rows order[from … from + rows) of the training split into the batch buffers. */
  private gather(from: number, rows: number): void {
    const d = this.data.d;
    if (this.batchX.length < rows * d) {
      this.batchX = this.allocBatch(rows * d);
      this.batchY = new Float64Array(rows);
    }
    const { x, y } = this.data.train;
    const bx = this.batchX;
    // Element copies rather than subarray views: no allocation per row.
    for (let r = 0; r < rows; r++) {
      const i = this.order[from + r];
      const src = i * d;
      const dst = r * d;
      for (let k = 0; k < d; k++) bx[dst + k] = x[src + k];
      this.batchY[r] = y[i];
    }
  }

  /**
   * Train on one batch. Does nothing once diverged. The result is one object reused by every call (no allocation
   * in the step loop): read it before the next step.
   */
  stepBatch(): StepResult {
    if (this.diverged) return this.result(NaN, 0, false, true, false);
    const n = this.data.train.n;
    const rows = Math.min(this.batchSize, n - this.position);
    this.gather(this.position, rows);
    const net = this.network;
    const ws = this.trainWs;
    const out = net.forward(ws, this.batchX, rows, 'train');
    const k = net.outputs;
    const loss = computeLoss(this.spec.loss, out, this.batchY, rows, k, ws.outputGrad);
    const stepNumber = this.step + 1;
    if (!Number.isFinite(loss)) return this.diverge(stepNumber, coreText('train.lossBecame', { loss: String(loss) }), loss, rows);
    const correct = countCorrect(this.spec.loss, out, this.batchY, rows, k);
    net.backward(ws, this.batchX);
    const gradNorm = globalGradNorm(ws.grads);
    if (!Number.isFinite(gradNorm)) return this.diverge(stepNumber, coreText('train.gradInfinite'), loss, rows);
    this.optimizer.step(ws.grads, gradNorm);
    let updateSq = 0;
    const updates = this.optimizer.lastUpdateSq;
    for (let i = 0; i < updates.length; i++) updateSq += updates[i];
    if (!Number.isFinite(updateSq)) return this.diverge(stepNumber, coreText('train.weightsOverflow'), loss, rows);

    this.step = stepNumber;
    this.samplesSeen += rows;
    this.windowLoss += loss * rows;
    this.windowRows += rows;
    this.windowCorrect += correct;
    this.position += rows;
    let epochEnded = false;
    if (this.position >= n) {
      this.epoch++;
      this.position = 0;
      this.shuffleRng.shuffle(this.order);
      epochEnded = true;
    }
    const every = this.spec.snapshotEvery ?? 0;
    const snapshotDue = every > 0 ? this.step % every === 0 : epochEnded;
    return this.result(loss, rows, epochEnded, false, snapshotDue);
  }

  private readonly lastStep: StepResult = { loss: NaN, rows: 0, epochEnded: false, diverged: false, snapshotDue: false };

  private result(loss: number, rows: number, epochEnded: boolean, diverged: boolean, snapshotDue: boolean): StepResult {
    const r = this.lastStep;
    r.loss = loss;
    r.rows = rows;
    r.epochEnded = epochEnded;
    r.diverged = diverged;
    r.snapshotDue = snapshotDue;
    return r;
  }

  private diverge(step: number, what: CoreText, loss: number, rows: number): StepResult {
    const epoch = this.epoch + 1;
    const advice = coreText(this.optimizer.clipNorm ? 'train.adviceLr' : 'train.adviceLrClip', { lr: this.optimizer.lr });
    const text = coreText('train.diverged', { epoch, step, what, advice });
    this.diverged = { epoch, step, message: formatCoreText(text), text };
    return this.result(loss, rows, false, true, false);
  }

  /** Run up to `count` steps (fewer when it diverges); returns the steps run. */
  runSteps(count: number): number {
    let done = 0;
    while (done < count && !this.diverged) {
      this.stepBatch();
      if (!this.diverged) done++;
    }
    return done;
  }

  /** Train to the end of the current epoch; returns the steps run. */
  stepEpoch(): number {
    let done = 0;
    while (!this.diverged) {
      const r = this.stepBatch();
      if (r.diverged) break;
      done++;
      if (r.epochEnded) break;
    }
    return done;
  }

  /**
   * The state now: training loss/accuracy since the previous snapshot, validation loss/accuracy (evaluation
   * mode), and the layer probes of the last batch (or, before any step, of the next batch with batch statistics,
   * without changing anything). Once diverged, the last finite snapshot.
   */
  snapshot(): Snapshot {
    if (this.diverged && this.lastFiniteSnapshot) return this.lastFiniteSnapshot;
    let layers: LayerProbe[];
    let probeLoss: number | undefined;
    let probeAccuracy: number | undefined;
    if (this.trainWs.hasGradients) {
      layers = probeLayers(this.network, this.trainWs, this.optimizer.lastUpdateSq);
    } else {
      const rows = Math.min(this.batchSize, this.data.train.n - this.position);
      const probe = this.probePass(this.position, rows);
      layers = probe.layers;
      probeLoss = probe.loss;
      probeAccuracy = probe.accuracy;
    }
    const classification = this.spec.loss !== 'mse';
    if (this.windowRows > 0) {
      this.lastLoss = this.windowLoss / this.windowRows;
      this.lastAccuracy = classification ? this.windowCorrect / this.windowRows : undefined;
      this.windowLoss = 0;
      this.windowRows = 0;
      this.windowCorrect = 0;
    }
    const snap: Snapshot = {
      epoch: this.epoch,
      step: this.step,
      samplesSeen: this.samplesSeen,
      loss: this.lastLoss ?? probeLoss ?? NaN,
      lr: this.optimizer.lr,
      batchSize: this.batchSize,
      layers,
    };
    const accuracy = this.lastAccuracy ?? probeAccuracy;
    if (classification && accuracy !== undefined) snap.accuracy = accuracy;
    const val = this.evaluate('val');
    if (val) {
      snap.valLoss = val.loss;
      if (classification) snap.valAccuracy = val.accuracy;
    }
    if (!Number.isFinite(snap.loss) || (snap.valLoss !== undefined && !Number.isFinite(snap.valLoss))) {
      if (!this.diverged) {
        const epoch = this.epoch + 1;
        const text = coreText('train.notFinite', { epoch, step: this.step, lr: this.optimizer.lr });
        this.diverged = { epoch, step: this.step, message: formatCoreText(text), text };
      }
      return this.lastFiniteSnapshot ?? snap;
    }
    this.lastFiniteSnapshot = snap;
    return snap;
  }

  /** Forward + backward over rows order[from …) in batch-statistics mode on a private workspace; no update. */
  private probePass(from: number, rows: number): { layers: LayerProbe[]; loss: number; accuracy?: number } {
    this.gather(from, rows);
    this.probeWs ??= this.network.createWorkspace(rows);
    return this.diagnose(this.probeWs, this.batchX, this.batchY, rows);
  }

  private diagnose(ws: Workspace, x: Float64Array, y: Float64Array, rows: number): { layers: LayerProbe[]; loss: number; accuracy?: number } {
    const { loss, accuracy } = this.forwardBackward(ws, x, y, rows);
    return { layers: probeLayers(this.network, ws), loss, accuracy };
  }

  /** One forward pass on batch statistics and its backward pass over `rows` rows, no update: loss and accuracy. */
  private forwardBackward(ws: Workspace, x: Float64Array, y: Float64Array, rows: number): { loss: number; accuracy?: number } {
    const net = this.network;
    const out = net.forward(ws, x, rows, 'batchStats');
    const loss = computeLoss(this.spec.loss, out, y, rows, net.outputs, ws.outputGrad);
    const accuracy = this.spec.loss === 'mse' ? undefined : countCorrect(this.spec.loss, out, y, rows, net.outputs) / rows;
    net.backward(ws, x);
    return { loss, accuracy };
  }

  /**
   * One forward + backward pass over the whole training split as a single batch (batch norm on batch statistics,
   * dropout off), no update: what the network does right now, for `--epochs 0` and the live config probe. The
   * validation loss also uses batch statistics, so both losses describe the same network. Changes nothing.
   * (Beyond DIAGNOSTIC_MAX_VALUES buffered numbers, an evenly strided subset of the rows stands in for the split.)
   */
  step0Diagnostics(): Snapshot {
    return this.step0Snapshot(this.step0Pass());
  }

  /**
   * The step-0 pass's forward and backward passes, which step0Snapshot then probes (with the heavy parts of the
   * probes computed ahead, on other threads, when given: parallel/parallelStep0.ts). Nothing may run on the
   * trainer's network in between.
   */
  step0Pass(): Step0Pass {
    const { train } = this.data;
    const rows = this.diagnosticRows(train.n);
    let x = train.x;
    let y = train.y;
    if (rows < train.n) {
      // Too large for one batch in memory: an evenly strided subset (deterministic, no random draws).
      const d = this.data.d;
      x = new Float64Array(rows * d);
      y = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        const i = Math.floor((r * train.n) / rows);
        x.set(train.x.subarray(i * d, i * d + d), r * d);
        y[r] = train.y[i];
      }
    }
    this.diagnosticWs ??= this.network.createWorkspace(rows);
    const ws = this.diagnosticWs;
    return { ws, rows, ...this.forwardBackward(ws, x, y, rows) };
  }

  /** The snapshot of a step-0 pass (step0Pass), its probes taken now except what `pre` already holds. */
  step0Snapshot(pass: Step0Pass, pre?: PrecomputedProbes): Snapshot {
    const { ws, rows } = pass;
    const val = this.data.val;
    const snap: Snapshot = {
      epoch: this.epoch,
      step: this.step,
      samplesSeen: this.samplesSeen,
      loss: pass.loss,
      lr: this.optimizer.lr,
      batchSize: this.batchSize,
      layers: probeLayers(this.network, ws, undefined, pre),
    };
    if (pass.accuracy !== undefined) snap.accuracy = pass.accuracy;
    if (val.n > 0) {
      const vn = Math.min(val.n, rows);
      const out = this.network.forward(ws, val.x, vn, 'batchStats');
      snap.valLoss = computeLoss(this.spec.loss, out, val.y, vn, this.network.outputs, null);
      if (this.spec.loss !== 'mse') snap.valAccuracy = countCorrect(this.spec.loss, out, val.y, vn, this.network.outputs) / vn;
    }
    return snap;
  }

  /** Rows the step-0 pass can hold within DIAGNOSTIC_MAX_VALUES buffered numbers (all of them, usually). */
  private diagnosticRows(n: number): number {
    const perRow = this.network.bufferValuesPerRow();
    return Math.max(1, Math.min(n, Math.floor(DIAGNOSTIC_MAX_VALUES / Math.max(1, perRow))));
  }

  /** Loss and accuracy of a split in evaluation mode (undefined for an empty split). */
  evaluate(split: 'train' | 'val'): { loss: number; accuracy: number } | undefined {
    const s = this.data[split];
    if (s.n === 0) return undefined;
    const out = this.network.predict(s.x, s.n);
    const k = this.network.outputs;
    return {
      loss: computeLoss(this.spec.loss, out, s.y, s.n, k, null),
      accuracy: countCorrect(this.spec.loss, out, s.y, s.n, k) / s.n,
    };
  }
}

function validBatchSize(b: number): number {
  if (!(Number.isInteger(b) && b >= 1)) throw new CoreError(coreText('worker.batchSizeNotPositive', { batchSize: String(b) }));
  return b;
}
