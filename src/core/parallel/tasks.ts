// What the worker pool's threads can do, and the messages between a pool and its workers. Each task runs the same
// core code the calling thread would run on the same inputs (structured clones of them), so a result never depends
// on how many threads there are or which one did the work.
//
// - Landscape points: a network's parameters (θ), the sample and the two directions are sent once per landscape
//   (a context, broadcast to every worker); then each task is a list of (α, β) points, evaluated exactly as
//   LandscapeEvaluator.lossAt does on the calling thread.
// - Training: a few networks trained interleaved (one step of each in turn), as Compare Networks does on one
//   thread, reporting snapshots when due and the functions they compute now and then.
import { performance } from 'node:perf_hooks';
import { LandscapeEvaluator, type Direction } from '../analysis/landscape';
import { functionView } from '../nn/functionView';
import { createArena } from '../nn/kernels';
import { Network } from '../nn/network';
import { distribution } from '../nn/probes';
import { SpectralNormEstimator } from '../nn/spectralNorm';
import { Trainer } from '../nn/trainer';
import type { CoreText } from '../messages';
import type { DataSplit, Distribution, FunctionView, LossName, NetworkSpec, PreparedData, Snapshot, TrainSpec } from '../types';

/** Everything a worker needs to evaluate points of one landscape. */
export interface LandscapeContext {
  context: number;
  spec: NetworkSpec;
  /** Network.saveState(): parameter values, then each batch norm's running mean and variance. */
  state: Float64Array[];
  loss: LossName;
  sample: DataSplit;
  delta: Direction;
  eta: Direction;
}

export interface TrainedNetwork {
  /** The caller's number for it (frames and functions carry it back). */
  index: number;
  spec: TrainSpec;
  data: PreparedData;
}

/** Heavy, independent parts of a network's probes (nn/probes.ts probeWork): distributions, and ‖W‖₂ by power
 *  iteration from a given estimator state. Arrays in an arena's shared memory arrive shared, not copied. */
export interface LayerStatsTask {
  kind: 'layerStats';
  distributions: { values: Float64Array; n: number }[];
  spectral: { w: Float64Array; rows: number; cols: number; state: { v: Float64Array; warm: boolean } }[];
}

export interface LayerStats {
  kind: 'layerStats';
  distributions: Distribution[];
  /** Each estimate with the estimator's state after it, for the caller's estimator to continue from. */
  spectral: { sigma: number; state: { v: Float64Array; warm: boolean }; iterations: number }[];
}

export type PoolTask =
  | { kind: 'landscapePoints'; context: number; alphas: Float64Array; betas: Float64Array }
  | LayerStatsTask
  | { kind: 'train'; networks: TrainedNetwork[]; sliceMs: number; progressIntervalMs: number; functionIntervalMs: number };

export type PoolResult =
  | { kind: 'losses'; losses: Float64Array }
  | LayerStats
  | { kind: 'trained'; steps: number[] };

export type PoolProgress =
  | { kind: 'trainProgress'; snapshots: { index: number; snapshot: Snapshot }[]; functions: { index: number; view: FunctionView }[] };

export type PoolRequest =
  | { type: 'task'; id: number; task: PoolTask }
  | { type: 'landscapeOpen'; context: LandscapeContext }
  | { type: 'landscapeClose'; context: number };

export type PoolReply =
  | { type: 'progress'; id: number; progress: PoolProgress }
  | { type: 'result'; id: number; result: PoolResult }
  /** `text`: the error's catalogue message when it has one (a CoreError, an InputError), so the host can translate it. */
  | { type: 'error'; id: number; message: string; text?: CoreText };

// ---- What a worker does with them -------------------------------------------------------------------------------

const evaluators = new Map<number, LandscapeEvaluator>();

/**
 * Builds the network of a landscape context with θ's values and running statistics, in an arena of its own (the
 * resident engine, as the calling thread's trained network: without one every product copied its operands, and a
 * pool thread evaluated points at 0.4× the calling thread's speed).
 */
export function openLandscape(context: LandscapeContext): void {
  const network = new Network(context.spec, 0, createArena());
  network.restoreState(context.state);
  evaluators.set(context.context, new LandscapeEvaluator(network, context.loss, context.sample, context.delta, context.eta));
}

/** The evaluator of an open landscape context in this thread (for the tests). */
export function landscapeEvaluator(context: number): LandscapeEvaluator | undefined {
  return evaluators.get(context);
}

export function closeLandscape(context: number): void {
  evaluators.delete(context);
}

function landscapePoints(task: Extract<PoolTask, { kind: 'landscapePoints' }>): PoolResult {
  const evaluator = evaluators.get(task.context);
  if (!evaluator) throw new Error(`no landscape ${task.context} in this worker`);
  const losses = new Float64Array(task.alphas.length);
  try {
    for (let i = 0; i < losses.length; i++) losses[i] = evaluator.lossAt(task.alphas[i], task.betas[i]);
  } finally {
    evaluator.restore();
  }
  return { kind: 'losses', losses };
}

/** Trains every network to its epochs, interleaved in slices; yields between slices so messages get through. */
async function train(task: Extract<PoolTask, { kind: 'train' }>, progress: (p: PoolProgress) => void): Promise<PoolResult> {
  const trainers = task.networks.map(n => ({ index: n.index, trainer: new Trainer(n.spec, n.data) }));
  let snapshots: { index: number; snapshot: Snapshot }[] = trainers.map(t => ({ index: t.index, snapshot: t.trainer.snapshot() }));
  const functionsNow = () => trainers.map(t => ({ index: t.index, view: functionView(t.trainer, t.trainer.data) }));
  progress({ kind: 'trainProgress', snapshots, functions: functionsNow() });
  snapshots = [];
  let lastProgress = performance.now();
  let lastFunctions = lastProgress;
  for (;;) {
    const until = performance.now() + task.sliceMs;
    let running = false;
    while (performance.now() < until) {
      running = false;
      for (const { index, trainer } of trainers) {
        if (trainer.done || trainer.diverged) continue;
        running = true;
        const result = trainer.stepBatch();
        if (result.snapshotDue || trainer.done || trainer.diverged) snapshots.push({ index, snapshot: trainer.snapshot() });
      }
      if (!running) break;
    }
    const now = performance.now();
    const functionsDue = now - lastFunctions >= task.functionIntervalMs || !running;
    if (now - lastProgress >= task.progressIntervalMs || functionsDue) {
      progress({ kind: 'trainProgress', snapshots, functions: functionsDue ? functionsNow() : [] });
      snapshots = [];
      lastProgress = now;
      if (functionsDue) lastFunctions = now;
    }
    if (!running) return { kind: 'trained', steps: trainers.map(t => t.trainer.step) };
    // setImmediate, not setTimeout: a timer waits at least 1 ms, a twentieth of each slice spent idle.
    await new Promise(resolve => setImmediate(resolve));
  }
}

/** A LayerStatsTask's results, as the calling thread's probeLayers would compute them (the same functions). */
export function layerStats(task: LayerStatsTask): LayerStats {
  return {
    kind: 'layerStats',
    distributions: task.distributions.map(d => distribution(d.values, d.n)),
    spectral: task.spectral.map(({ w, rows, cols, state }) => {
      const estimator = new SpectralNormEstimator(rows, cols);
      estimator.importState(state, 0);
      const sigma = estimator.estimate(w);
      return { sigma, state: estimator.exportState(), iterations: estimator.lastIterations };
    }),
  };
}

/** Runs one task (in a pool worker). */
export async function runTask(task: PoolTask, progress: (p: PoolProgress) => void): Promise<PoolResult> {
  switch (task.kind) {
    case 'landscapePoints': return landscapePoints(task);
    case 'train': return train(task, progress);
    case 'layerStats': return layerStats(task);
    default: {
      const never: never = task;
      throw new Error(`unknown pool task ${JSON.stringify(never)}`);
    }
  }
}
