// The Universal Approximation panel's training worker (worker_threads, dist/uatWorker.js): gradient descent with
// the core Trainer from the hand-built weights or from a seeded random start, full batch, in 20 ms slices so a stop
// gets through at once, sending the network ≤ 10 times a second. The extension host never trains.
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Trainer } from '../core/nn/trainer';
import { fromModuleParams, meanSquaredError, networkSpecFor, toModuleParams } from '../core/analysis/uat';
import type { PreparedData, TrainSpec } from '../core/types';
import { errorText } from '../core/coreError';
import { coreText, formatCoreText } from '../core/messages';
import type { FromUatWorker, ToUatWorker } from '../protocol';
import { installFaultSeam } from '../shared/workerFaultSeam';

installFaultSeam();

const SLICE_MS = 20;
const FRAME_INTERVAL_MS = 100;

type TrainMessage = Extract<ToUatWorker, { type: 'uatTrain' }>;

function send(message: FromUatWorker): void {
  parentPort?.postMessage(message);
}

/** The data as the trainer takes it: one input in original units (no standardisation: s stays on the x axis). */
export function preparedFor(x: number[], y: number[]): PreparedData {
  const n = x.length;
  return {
    task: 'regression', d: 1, outputs: 1, inputNames: ['x'], targetName: 'y',
    train: { n, x: Float64Array.from(x), y: Float64Array.from(y) },
    val: { n: 0, x: new Float64Array(0), y: new Float64Array(0) },
    mean: new Float64Array([0]), std: new Float64Array([1]), notes: [],
  };
}

/** A trainer on the same Linear · Sigmoid · Linear network; 'handBuilt' loads the given weights. */
export function uatTrainer(message: Pick<TrainMessage, 'start' | 'network' | 'x' | 'y' | 'lr' | 'seed' | 'maxSteps'>): Trainer {
  const hidden = Math.max(1, message.network.units.length);
  const spec: TrainSpec = {
    network: networkSpecFor(hidden),
    loss: 'mse',
    optimizer: { type: 'adam', lr: message.lr },
    batchSize: message.x.length,
    epochs: message.maxSteps,
    seed: message.seed,
    snapshotEvery: 0,
  };
  const trainer = new Trainer(spec, preparedFor(message.x, message.y));
  if (message.start === 'handBuilt' && message.network.units.length > 0) trainer.network.importParams(toModuleParams(message.network));
  return trainer;
}

let current: { jobId: number; trainer: Trainer; message: TrainMessage; lastFrame: number } | undefined;
let timer: NodeJS.Immediate | undefined;

function frame(): void {
  if (!current) return;
  const network = fromModuleParams(current.trainer.network.exportParams());
  const loss = meanSquaredError(network, current.message.x, current.message.y);
  send({ type: 'uatFrame', jobId: current.jobId, curve: { network, step: current.trainer.step, loss } });
  current.lastFrame = performance.now();
}

function slice(): void {
  timer = undefined;
  const job = current;
  if (!job) return;
  const until = performance.now() + SLICE_MS;
  while (performance.now() < until && job.trainer.step < job.message.maxSteps) {
    const result = job.trainer.stepBatch();
    if (result.diverged) {
      frame();
      send({ type: 'uatDone', jobId: job.jobId, reason: 'diverged' });
      current = undefined;
      return;
    }
  }
  if (job.trainer.step >= job.message.maxSteps) {
    frame();
    send({ type: 'uatDone', jobId: job.jobId, reason: 'steps' });
    current = undefined;
    return;
  }
  if (performance.now() - job.lastFrame >= FRAME_INTERVAL_MS) frame();
  timer = setImmediate(slice);
}

function receive(message: ToUatWorker): void {
  switch (message.type) {
    case 'uatTrain': {
      if (timer) clearImmediate(timer);
      try {
        current = { jobId: message.jobId, trainer: uatTrainer(message), message, lastFrame: 0 };
      } catch (error) {
        current = undefined;
        const text = coreText('worker.uatCannotTrain', { reason: errorText(error) });
        send({ type: 'uatFailed', jobId: message.jobId, message: formatCoreText(text), text });
        return;
      }
      frame();
      timer = setImmediate(slice);
      return;
    }
    case 'uatStop':
      if (current?.jobId === message.jobId) {
        if (timer) clearImmediate(timer);
        timer = undefined;
        frame();
        send({ type: 'uatDone', jobId: message.jobId, reason: 'stopped' });
        current = undefined;
      }
      return;
    default: {
      const never: never = message;
      throw new Error(`Unexpected message: ${JSON.stringify(never)}`);
    }
  }
}

parentPort?.on('message', receive);
