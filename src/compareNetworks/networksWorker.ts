// The Compare Networks / Loss Landscape worker (worker_threads, dist/networksWorker.js). Trains 2–4 networks
// interleaved — one step of each in turn, same seed, same data and split — in 20 ms slices so a stop gets through at
// once, and computes loss landscapes one grid row per slice, so rows stream to the panel and a cancel takes effect
// within a row. The extension host never trains. With more than one thread (the `gradscope.threads` setting) the
// networks are dealt round-robin to a worker pool (src/core/parallel) and a landscape's rows spread over it; the
// numbers are the same as on one thread. A stop or cancel terminates the pool at once.
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { loadRun, type LoadedRun, type RunOverrides, type RunRequest } from '../core/config/config';
import { functionView } from '../core/nn/functionView';
import { createLandscape, landscapeRoughness, skipConnectionVariants, type LandscapeEvaluator } from '../core/analysis/landscape';
import { presetConfigText } from '../core/config/presets';
import { Trainer } from '../core/nn/trainer';
import { landscapeRowsOnPool } from '../core/parallel/parallelLandscape';
import { PoolTerminated, WorkerPool, bundledPoolScript } from '../core/parallel/pool';
import type { FunctionView, Snapshot } from '../core/types';
import type {
  FromNetworksWorker, LandscapeRequest, LandscapeView, LandscapeWords, NetworkChoice, NetworkFrame, NetworksDataSource, ToNetworksWorker,
} from '../protocol';
import { installFaultSeam } from '../shared/workerFaultSeam';
import { CoreError, errorText } from '../core/coreError';
import { coreText, formatCoreText, type CoreText } from '../core/messages';

installFaultSeam();

const SLICE_MS = 20;
const FRAME_INTERVAL_MS = 150;
const FUNCTION_INTERVAL_MS = 1000;
const DATA_POINTS = 400;

function send(message: FromNetworksWorker): void {
  parentPort?.postMessage(message);
}

function requestFor(choice: NetworkChoice, data: NetworksDataSource): { request: RunRequest; overrides: RunOverrides } {
  const overrides: RunOverrides = {};
  if (data.kind === 'builtin') overrides.builtin = data.builtin;
  if (data.kind === 'file') overrides.dataFile = data.dataPath;
  if (choice.kind === 'config') return { request: { kind: 'config', configPath: choice.configPath }, overrides };
  const request: RunRequest = data.kind === 'file'
    ? { kind: 'dataset', dataPath: data.dataPath, preset: choice.preset }
    : { kind: 'builtin', builtin: data.kind === 'builtin' ? data.builtin : 'spiral', preset: choice.preset };
  return { request, overrides: {} };
}

/** Load every choice on the one dataset with the one seed (so the split and the initial draw match single runs). */
export async function loadChoices(choices: NetworkChoice[], data: NetworksDataSource, seed?: number, epochs?: number): Promise<LoadedRun[]> {
  const runs: LoadedRun[] = [];
  if (data.kind === 'config') {
    // "The first config's data": load that config as it is, then give every other network its file or built-in set.
    const first = choices.find(c => c.kind === 'config');
    if (!first) throw new CoreError(coreText('worker.networksNoConfig'));
    const run = await loadRun(requestFor(first, data).request, { seed, epochs }, presetConfigText);
    const source = run.config.data;
    data = source.file !== undefined ? { kind: 'file', dataPath: source.file } : { kind: 'builtin', builtin: source.builtin ?? 'spiral' };
    for (const choice of choices) {
      if (choice === first) runs.push(run);
      else {
        const { request, overrides } = requestFor(choice, data);
        runs.push(await loadRun(request, { ...overrides, seed, epochs }, presetConfigText));
      }
    }
    return runs;
  }
  for (const choice of choices) {
    const { request, overrides } = requestFor(choice, data);
    runs.push(await loadRun(request, { ...overrides, seed, epochs }, presetConfigText));
  }
  return runs;
}

export function frameOf(index: number, s: Snapshot): NetworkFrame {
  return {
    index, step: s.step, epoch: s.epoch, loss: s.loss, valLoss: s.valLoss, accuracy: s.accuracy, valAccuracy: s.valAccuracy,
    gradNorm: s.layers.map(l => l.gradNorm), saturation: s.layers.map(l => l.saturation), inactive: s.layers.map(l => l.inactive),
    dead: s.layers.map(l => l.dead), deltaNorm: s.layers.map(l => l.deltaNorm),
    activationFactor: s.layers.slice(0, -1).map(l => l.backward?.activationFactor ?? null),
    weightFactor: s.layers.slice(0, -1).map(l => l.backward?.weightFactor ?? null),
  };
}

// ---- Side-by-side training -------------------------------------------------------------------------------------

interface TrainingJob {
  jobId: number;
  trainers: Trainer[];
  runs: LoadedRun[];
  snapshotEvery: number;
  lastFrame: number;
  lastFunctions: number;
  pending: NetworkFrame[];
  /** Set when the networks train on a worker pool rather than in this thread. */
  pool?: WorkerPool;
  /** The latest function of each network, as the pool's threads report them. */
  views?: (FunctionView | undefined)[];
}

/** A pool of min(threads, tasks) threads, or none when one thread would do or no pool script was bundled here. */
function poolFor(threads: number, tasks: number): WorkerPool | undefined {
  const size = Math.min(threads, tasks);
  const script = bundledPoolScript();
  return size > 1 && script ? new WorkerPool(size, script) : undefined;
}

let training: TrainingJob | undefined;
let trainingTimer: NodeJS.Immediate | undefined;

function sendFunctions(job: TrainingJob): void {
  const views = job.views ? job.views : job.trainers.map(t => functionView(t, t.data));
  if (views.some(v => v === undefined)) return;
  const data = job.runs[0].data;
  const n = Math.min(DATA_POINTS, data.train.n);
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = Math.floor((k * data.train.n) / n);
    for (let j = 0; j < data.d; j++) x.push(data.train.x[i * data.d + j] * data.std[j] + data.mean[j]);
    y.push(data.train.y[i]);
  }
  send({ type: 'netsFunctions', jobId: job.jobId, views: views as FunctionView[], data: { x, y, d: data.d } });
  job.lastFunctions = performance.now();
}

function flushFrames(job: TrainingJob): void {
  if (job.pending.length) send({ type: 'netsFrames', jobId: job.jobId, frames: job.pending.splice(0) });
  job.lastFrame = performance.now();
}

function trainSlice(): void {
  trainingTimer = undefined;
  const job = training;
  if (!job) return;
  const until = performance.now() + SLICE_MS;
  let running = false;
  while (performance.now() < until) {
    running = false;
    job.trainers.forEach((t, i) => {
      if (t.done || t.diverged) return;
      running = true;
      const result = t.stepBatch();
      if (result.snapshotDue || t.done || t.diverged) job.pending.push(frameOf(i, t.snapshot()));
    });
    if (!running) break;
  }
  const now = performance.now();
  if (now - job.lastFrame >= FRAME_INTERVAL_MS || !running) flushFrames(job);
  if (now - job.lastFunctions >= FUNCTION_INTERVAL_MS || !running) sendFunctions(job);
  if (!running) {
    send({ type: 'netsDone', jobId: job.jobId, reason: 'epochs' });
    training = undefined;
    return;
  }
  trainingTimer = setImmediate(trainSlice);
}

async function startTraining(message: Extract<ToNetworksWorker, { type: 'netsStart' }>): Promise<void> {
  stopTraining();
  try {
    const runs = await loadChoices(message.choices, message.data, message.seed, message.epochs);
    const trainers = runs.map(r => new Trainer({ ...r.train, snapshotEvery: message.snapshotEvery }, r.data));
    const job: TrainingJob = { jobId: message.jobId, trainers, runs, snapshotEvery: message.snapshotEvery, lastFrame: 0, lastFunctions: 0, pending: [] };
    training = job;
    send({
      type: 'netsLoaded', jobId: message.jobId, dataLabel: fillTemplate(message.dataLabelTemplate ?? '{0} ({1} train / {2} validation rows, seed {3})', [runs[0].dataset.name, runs[0].data.train.n, runs[0].data.val.n, message.seed]),
      networks: trainers.map((t, i) => ({ index: i, label: message.choices[i].label, parameters: t.network.parameterCount, layers: t.network.linearLayers.length, task: t.data.task })),
    });
    job.pool = poolFor(message.threads, trainers.length);
    if (job.pool) trainOnPool(job, job.pool);
    else {
      trainers.forEach((t, i) => job.pending.push(frameOf(i, t.snapshot())));
      flushFrames(job);
      sendFunctions(job);
      trainingTimer = setImmediate(trainSlice);
    }
  } catch (error) {
    send({ type: 'netsFailed', jobId: message.jobId, ...failure(error, 'nets') });
  }
}

/**
 * Network i trains on thread i mod size, interleaved with the others dealt to that thread, exactly as trainSlice
 * steps them here; each thread reports the snapshots that fall due and, now and then, its networks' functions.
 */
function trainOnPool(job: TrainingJob, pool: WorkerPool): void {
  job.views = job.trainers.map(() => undefined);
  const tasks = Array.from({ length: pool.size }, (_, w) => job.trainers.flatMap((t, index) => (index % pool.size === w ? [{ index, spec: t.spec, data: t.data }] : [])));
  const running = tasks.map((networks, w) => pool.run(
    { kind: 'train', networks, sliceMs: SLICE_MS, progressIntervalMs: FRAME_INTERVAL_MS, functionIntervalMs: FUNCTION_INTERVAL_MS },
    {
      worker: w,
      onProgress: (p) => {
        if (training !== job) return;
        for (const s of p.snapshots) job.pending.push(frameOf(s.index, s.snapshot));
        for (const f of p.functions) job.views![f.index] = f.view;
        const now = performance.now();
        if (now - job.lastFrame >= FRAME_INTERVAL_MS) flushFrames(job);
        if (p.functions.length && now - job.lastFunctions >= FUNCTION_INTERVAL_MS) sendFunctions(job);
      },
    },
  ));
  Promise.all(running).then(() => {
    if (training !== job) return;
    training = undefined;
    void pool.terminate();
    // Frames in index order within each step, as the one-thread loop produces them.
    job.pending.sort((a, b) => a.step - b.step || a.index - b.index);
    flushFrames(job);
    sendFunctions(job);
    send({ type: 'netsDone', jobId: job.jobId, reason: 'epochs' });
  }, (error: unknown) => {
    if (training !== job || error instanceof PoolTerminated) return;
    stopTraining(job.jobId);
    send({ type: 'netsFailed', jobId: job.jobId, ...failure(error, 'nets') });
  });
}

function stopTraining(jobId?: number): void {
  if (!training || (jobId !== undefined && training.jobId !== jobId)) return;
  if (trainingTimer) clearImmediate(trainingTimer);
  trainingTimer = undefined;
  const job = training;
  training = undefined;
  void job.pool?.terminate(); // its threads end now, mid-step
  flushFrames(job);
  send({ type: 'netsDone', jobId: job.jobId, reason: 'stopped' });
}

// ---- Landscapes ------------------------------------------------------------------------------------------------

interface LandscapeJob {
  jobId: number;
  views: LandscapeView[];
  evaluators: LandscapeEvaluator[];
  axes: Float64Array[];
  sliceAxes: Float64Array[];
  rowIters: Generator<{ index: number; losses: Float64Array }, void, void>[];
  current: number;
  started: number;
  pool?: WorkerPool;
}

let landscape: LandscapeJob | undefined;
let landscapeTimer: NodeJS.Immediate | undefined;

/** Bumped by every start and cancel, so a start still training its networks notices it was superseded. */
let landscapeToken = 0;

/** Train to `steps` in slices, yielding between them so a cancel gets through; false when superseded. */
async function trainSliced(trainer: Trainer, steps: number, token: number): Promise<boolean> {
  while (trainer.step < steps && !trainer.diverged) {
    if (token !== landscapeToken) return false;
    const until = performance.now() + SLICE_MS;
    while (trainer.step < steps && !trainer.diverged && performance.now() < until) trainer.stepBatch();
    await new Promise(resolve => setImmediate(resolve));
  }
  return token === landscapeToken;
}

/** `{0}`-style placeholders filled in one pass (a value holding "{1}" stays as it is). */
function fillTemplate(template: string, args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, k: string) => (Number(k) < args.length ? String(args[Number(k)]) : whole));
}

const ENGLISH_LANDSCAPE_WORDS: LandscapeWords = { withoutSkip: 'without skip connections', withSkip: 'with skip connections', titled: '{0} — {1} steps' };

async function startLandscape(message: Extract<ToNetworksWorker, { type: 'landscapeStart' }>): Promise<void> {
  cancelLandscape();
  const token = ++landscapeToken;
  const req: LandscapeRequest = message.request;
  const words = message.words ?? ENGLISH_LANDSCAPE_WORDS;
  try {
    const started = performance.now();
    const [run] = await loadChoices([message.choice], message.data);
    const variants = req.skipOnOff
      ? (() => { const v = skipConnectionVariants(run.train.network); return [{ title: words.withoutSkip, network: v.plain }, { title: words.withSkip, network: v.residual }]; })()
      : [{ title: message.choice.label, network: run.train.network }];
    const job: LandscapeJob = { jobId: message.jobId, views: [], evaluators: [], axes: [], sliceAxes: [], rowIters: [], current: 0, started };
    for (const [i, v] of variants.entries()) {
      const trainer = new Trainer({ ...run.train, network: v.network }, run.data);
      if (!(await trainSliced(trainer, req.steps, token))) {
        send({ type: 'landscapeEnd', jobId: message.jobId, views: [], cancelled: true, seconds: (performance.now() - started) / 1000 });
        return;
      }
      const made = createLandscape(trainer.network, run.train.loss, run.data.train, { grid: req.grid, range: req.range, seed: req.seed, maxRows: req.maxRows });
      job.evaluators.push(made.evaluator);
      job.axes.push(made.axis);
      job.sliceAxes.push(made.sliceAxis);
      job.rowIters.push(made.evaluator.rows(made.axis));
      job.views.push({
        id: i, title: fillTemplate(words.titled, [v.title, trainer.step]), axis: Array.from(made.axis), rows: [], lossAtTheta: made.evaluator.lossAtTheta(),
        rowsUsed: made.evaluator.sample.n, seed: req.seed, range: req.range,
      });
    }
    landscape = job;
    send({ type: 'landscapeBegin', jobId: job.jobId, views: job.views });
    job.pool = poolFor(message.threads, req.grid);
    if (job.pool) void landscapeOnPool(job, job.pool);
    else landscapeTimer = setImmediate(landscapeSlice);
  } catch (error) {
    send({ type: 'landscapeFailed', jobId: message.jobId, ...failure(error, 'landscape') });
  }
}

function landscapeSlice(): void {
  landscapeTimer = undefined;
  const job = landscape;
  if (!job) return;
  const until = performance.now() + SLICE_MS;
  do {
    const next = job.rowIters[job.current].next();
    if (next.done) {
      const view = job.views[job.current];
      view.slice = { axis: Array.from(job.sliceAxes[job.current]), losses: Array.from(job.evaluators[job.current].slice(job.sliceAxes[job.current])) };
      view.roughness = landscapeRoughness(view.rows);
      job.current++;
      if (job.current >= job.views.length) {
        landscape = undefined;
        send({ type: 'landscapeEnd', jobId: job.jobId, views: job.views, cancelled: false, seconds: (performance.now() - job.started) / 1000 });
        return;
      }
      continue;
    }
    const losses = Array.from(next.value.losses);
    job.views[job.current].rows.push(losses);
    send({ type: 'landscapeRow', jobId: job.jobId, view: job.current, index: next.value.index, losses });
  } while (performance.now() < until);
  landscapeTimer = setImmediate(landscapeSlice);
}

/** Each view's rows across the pool's threads, streamed in order; the same numbers as landscapeSlice's. */
async function landscapeOnPool(job: LandscapeJob, pool: WorkerPool): Promise<void> {
  try {
    for (; job.current < job.views.length; job.current++) {
      const view = job.views[job.current];
      const done = await landscapeRowsOnPool(pool, job.evaluators[job.current], job.axes[job.current], job.sliceAxes[job.current], (index, row) => {
        if (landscape !== job) return false;
        const losses = Array.from(row);
        view.rows.push(losses);
        send({ type: 'landscapeRow', jobId: job.jobId, view: job.current, index, losses });
      });
      if (!done || landscape !== job) return;
      view.slice = { axis: Array.from(job.sliceAxes[job.current]), losses: Array.from(done.slice) };
      view.roughness = landscapeRoughness(view.rows);
    }
    landscape = undefined;
    send({ type: 'landscapeEnd', jobId: job.jobId, views: job.views, cancelled: false, seconds: (performance.now() - job.started) / 1000 });
  } catch (error) {
    if (landscape !== job || error instanceof PoolTerminated) return;
    landscape = undefined;
    send({ type: 'landscapeFailed', jobId: job.jobId, ...failure(error, 'landscape') });
  } finally {
    void pool.terminate();
  }
}

function cancelLandscape(jobId?: number): void {
  if (jobId !== undefined) landscapeToken++; // a start still training stops at its next slice
  if (!landscape || (jobId !== undefined && landscape.jobId !== jobId)) return;
  if (landscapeTimer) clearImmediate(landscapeTimer);
  landscapeTimer = undefined;
  const job = landscape;
  landscape = undefined;
  void job.pool?.terminate(); // its threads end now, mid-row
  for (const it of job.rowIters) it.return(); // puts θ back
  send({ type: 'landscapeEnd', jobId: job.jobId, views: job.views, cancelled: true, seconds: (performance.now() - job.started) / 1000 });
}

parentPort?.on('message', (message: ToNetworksWorker) => {
  switch (message.type) {
    case 'netsStart': void startTraining(message); return;
    case 'netsStop': stopTraining(message.jobId); return;
    case 'landscapeStart': void startLandscape(message); return;
    case 'landscapeCancel': cancelLandscape(message.jobId); return;
    default: {
      const never: never = message;
      throw new Error(`unexpected message ${JSON.stringify(never)}`);
    }
  }
});

/**
 * A failure as the host shows it: the error's own catalogue message (an InputError, a CoreError: a refusal of the
 * core), else, for an error that has none (a bug), its English inside a sentence the host translates.
 */
function failure(error: unknown, job: 'nets' | 'landscape'): { message: string; text: CoreText } {
  const reason = errorText(error);
  const text = typeof reason === 'object' ? reason : coreText(job === 'nets' ? 'worker.networksFailed' : 'worker.landscapeFailed', { reason });
  return { message: formatCoreText(text), text };
}
