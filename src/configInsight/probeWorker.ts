// The live probe's worker (dist/probeWorker.js), separate from the panel's training worker: for the config being
// edited, build the network, take the step-0 diagnostics on a subsample, then train a few hundred steps under a time
// budget, yielding between chunks so a newer probe (or a cancel) stops this one at once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { findNodeAtLocation } from 'jsonc-parser';
import { parseTreeBounded } from '../core/io/jsonLimits';
import { buildRun, countParameters, loadDataset, parseConfig, type ConfigRun } from '../core/config/config';
import { seededPermutation, seededUniform } from '../core/data/datasetRandom';
import { errorText } from '../core/coreError';
import { isInputError } from '../core/inputError';
import { coreText, formatCoreText, type CoreText } from '../core/messages';
import { ReusableEngine } from '../core/nn/reusableEngine';
import { step0DiagnosticsOnPool } from '../core/parallel/parallelStep0';
import { bundledPoolScript, WorkerPool } from '../core/parallel/pool';
import { Trainer } from '../core/nn/trainer';
import type { Dataset } from '../core/types';
import type { FromProbeWorker, ProbeProblem, ProbeSettings, ToProbeWorker } from '../protocol';
import { installFaultSeam } from '../shared/workerFaultSeam';

installFaultSeam();

type ProbeRequest = Extract<ToProbeWorker, { type: 'probe' }>;

export interface ProbeHooks {
  post(message: FromProbeWorker): void;
  /** True once a newer probe or a cancel superseded this one. */
  isCancelled(): boolean;
}

/** Let queued messages (a cancel, a newer probe) in between chunks of work. */
const yieldToMessages = () => new Promise<void>(resolve => setImmediate(resolve));

/** Each training chunk aims at this much wall-clock time, so a cancel is heard within about that long. */
const CHUNK_TARGET_MS = 25;

/** Runs one probe to its end (or until cancelled) and posts what it finds; never throws for a user's mistake. */
export async function runProbe(request: ProbeRequest, hooks: ProbeHooks): Promise<{ cancelled: boolean }> {
  const started = performance.now();
  const { probeId, settings } = request;
  const problems = (list: ProbeProblem[]) => hooks.post({ type: 'probeProblems', probeId, problems: list });

  const parsed = parseConfig(request.configText, request.configPath);
  if (!parsed.ok || !parsed.run) {
    problems([]); // the host shows parse errors from its own parse of the same text
    return { cancelled: false };
  }
  const trustProblem = checkTrust(parsed.run.data.file, settings);
  if (trustProblem) {
    problems([trustProblem]);
    return { cancelled: false };
  }

  let run: ProbeRun | TooLarge;
  try {
    run = await loadProbeRun(parsed.run, settings, () => hooks.isCancelled());
  } catch (error) {
    if (hooks.isCancelled()) return { cancelled: true };
    if (isInputError(error)) {
      problems([dataProblem(error.message, error.text, error.location, parsed.run, request.configText)]);
      return { cancelled: false };
    }
    // The network cannot be built for this data (a mismatch the parser cannot see without the data).
    problems([{ severity: 'error', jsonPath: networkKey(request.configText), ...withText(coreText('probe.worker.cannotBuild', { reason: errorText(error) })) }]);
    return { cancelled: false };
  }
  if ('parameters' in run) {
    problems([{
      severity: 'warning', jsonPath: networkKey(request.configText),
      ...withText(coreText('probe.worker.tooLarge', { max: PROBE_MAX_PARAMETERS.toLocaleString('en-US'), parameters: run.parameters.toLocaleString('en-US') })),
    }]);
    return { cancelled: false };
  }
  const fullTrainRows = Math.round(run.datasetRows * (1 - parsed.run.data.validation));
  const batchSize = parsed.run.train.batchSize;
  problems(batchSize > fullTrainRows ? [{
    severity: 'warning', jsonPath: ['batchSize'],
    ...withText(coreText('probe.worker.fullBatch', { batchSize, rows: fullTrainRows })),
  }] : []);
  if (hooks.isCancelled()) return { cancelled: true };

  const { trainer, rows, lr } = run;
  const pool = probePool.poolFor(settings.threads ?? 1);
  const step0 = pool ? await step0DiagnosticsOnPool(trainer, pool) : trainer.step0Diagnostics();
  hooks.post({
    type: 'probeSnapshot', probeId, phase: 'step0', snapshot: step0, steps: 0, rows, lr,
    elapsedMs: performance.now() - started,
  });
  if (settings.maxSteps <= 0 || settings.timeBudgetMs <= 0) return { cancelled: false };

  const trainingStarted = performance.now();
  let steps = 0;
  let chunk = 1;
  while (steps < settings.maxSteps && performance.now() - trainingStarted < settings.timeBudgetMs) {
    await yieldToMessages();
    if (hooks.isCancelled()) return { cancelled: true };
    const chunkStarted = performance.now();
    const count = Math.min(chunk, settings.maxSteps - steps);
    trainer.runSteps(count);
    steps += count;
    if (trainer.diverged) break;
    const perStep = (performance.now() - chunkStarted) / count;
    chunk = Math.max(1, Math.min(64, Math.floor(CHUNK_TARGET_MS / Math.max(perStep, 1e-3))));
  }
  await yieldToMessages();
  if (hooks.isCancelled()) return { cancelled: true };
  hooks.post({
    type: 'probeSnapshot', probeId, phase: 'trained', snapshot: trainer.snapshot(), steps, rows, lr,
    elapsedMs: performance.now() - started, diverged: trainer.diverged ?? undefined,
  });
  return { cancelled: false };
}

/** Where the network is written: `layers`, else the `hidden` shorthand. */
function networkKey(configText: string): string[] {
  const root = parseTreeBounded(configText, [], { allowTrailingComma: true, disallowComments: false });
  return root && findNodeAtLocation(root, ['layers']) ? ['layers'] : ['hidden'];
}

/** Untrusted workspace: the data file must resolve (symlinks followed) inside a workspace folder. */
function checkTrust(file: string | undefined, settings: ProbeSettings): ProbeProblem | undefined {
  const roots = settings.trustedRoots;
  if (!roots || !file) return undefined;
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return undefined; // a missing file is reported by the loader, with its name
  }
  const inside = roots.some(root => {
    let realRoot = root;
    try { realRoot = fs.realpathSync(root); } catch { /* keep as given */ }
    const relative = path.relative(realRoot, real);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  });
  if (inside) return undefined;
  return {
    severity: 'error', jsonPath: ['data', 'file'],
    ...withText(coreText('probe.worker.untrusted', { file })),
  };
}

/**
 * Point a data error at the config key that caused it: a named input column, the target, the loss, else the file.
 * A problem inside the data file itself keeps its place in that file in the message.
 */
function withText(text: CoreText): { message: string; text: CoreText } {
  return { message: formatCoreText(text), text };
}

function dataProblem(message: string, said: CoreText | undefined, location: { file: string; line: number; column: number } | undefined, run: ConfigRun, configText: string): ProbeProblem {
  const data = run.data;
  const place = location && path.resolve(location.file) !== path.resolve(run.configPath)
    ? `${path.basename(location.file)}:${location.line}:${location.column}` : undefined;
  const shown = place ? coreText('probe.worker.dataAt', { message: said ?? message, place }) : said;
  const text = shown ? formatCoreText(shown) : message;
  // Only the head of the message names the culprit; the rest lists suggestions and the file's columns.
  const head = message.split(' — ')[0].split(' (')[0];
  const mentions = (value: string | number) => head.includes(`'${value}'`) || head.includes(`"${value}"`);
  const inputIndex = (data.inputs ?? []).findIndex(mentions);
  if (inputIndex >= 0) return { severity: 'error', message: text, text: shown, jsonPath: ['data', 'inputs', inputIndex] };
  if (/input column/.test(message) && data.inputs) return { severity: 'error', message: text, text: shown, jsonPath: ['data', 'inputs'] };
  if (/target column/.test(message) || (data.target !== undefined && mentions(data.target))) {
    return { severity: 'error', message: text, text: shown, jsonPath: ['data', 'target'] };
  }
  if (/data\.task/.test(message)) return { severity: 'error', message: text, text: shown, jsonPath: ['data', 'task'] };
  if (/^loss /.test(message)) return { severity: 'error', message: text, text: shown, jsonPath: ['loss'] };
  if (/output layer/.test(message)) return { severity: 'error', message: text, text: shown, jsonPath: networkKey(configText) };
  return { severity: 'error', message: text, text: shown, jsonPath: data.builtin ? ['data', 'builtin'] : ['data', 'file'] };
}

// ---- data and trainer ----

export interface ProbeRun {
  trainer: Trainer;
  /** Training rows the probe uses. */
  rows: number;
  /** Rows in the whole dataset (before the probe's subsample). */
  datasetRows: number;
  lr: number;
}

/** The probes' arena and helper threads, kept from one probe to the next (starting threads per probe costs more
 *  than they save). */
export const probeEngine = new ReusableEngine();

/** The probes' worker pool for the step-0 pass (threads − 1 workers), kept from one probe to the next. `script`:
 *  the pool's bundled worker (dist/poolWorker.js next to this bundle; tests and benches set their own build). */
export const probePool = {
  script: undefined as string | undefined,
  pool: undefined as WorkerPool | undefined,
  poolFor(threads: number): WorkerPool | undefined {
    const size = Math.max(0, Math.floor(threads) - 1);
    if (this.pool && (this.pool.terminated || this.pool.size !== size)) this.close();
    const script = this.script ?? bundledPoolScript();
    if (!this.pool && size > 0 && script) this.pool = new WorkerPool(size, script);
    return this.pool;
  },
  close(): void {
    void this.pool?.terminate();
    this.pool = undefined;
  },
};

/** Datasets read for earlier probes, so typing in the config does not re-read the file each time. */
const datasetCache = new Map<string, Dataset>();
const DATASET_CACHE_SIZE = 4;

function datasetKey(run: ConfigRun): string {
  let stamp = '';
  if (run.data.file) {
    try {
      const stat = fs.statSync(run.data.file);
      stamp = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      stamp = 'missing';
    }
  }
  const { validation: _validation, normalize: _normalize, ...source } = run.data;
  return JSON.stringify({ source, seed: run.train.seed, stamp });
}

async function cachedDataset(run: ConfigRun, isCancelled: () => boolean): Promise<Dataset> {
  const key = datasetKey(run);
  const cached = datasetCache.get(key);
  if (cached) {
    datasetCache.delete(key);
    datasetCache.set(key, cached); // most recently used last
    return cached;
  }
  const dataset = await loadDataset(run.data, run.train.seed, { isCancelled });
  datasetCache.set(key, dataset);
  while (datasetCache.size > DATASET_CACHE_SIZE) datasetCache.delete(datasetCache.keys().next().value as string);
  return dataset;
}

/** A seeded subsample of `rows` rows (the dataset itself when it is no larger). */
export function subsampleDataset(dataset: Dataset, rows: number, seed: number): Dataset {
  if (dataset.n <= rows) return dataset;
  const order = seededPermutation(dataset.n, seededUniform(seed ^ 0x1b873593)).subarray(0, rows);
  // Keep the original row order, so the sample is as the file has it, only thinner.
  const picked = Array.from(order).sort((a, b) => a - b);
  const d = dataset.d;
  const x = new Float64Array(rows * d);
  const y = new Float64Array(rows);
  picked.forEach((row, i) => {
    x.set(dataset.x.subarray(row * d, row * d + d), i * d);
    y[i] = dataset.y[row];
  });
  const note = `live probe: a seeded sample of ${rows} of ${dataset.n} rows`; // not shown: the probe's notes stay internal
  return { ...dataset, n: rows, x, y, notes: [...dataset.notes, note], noteTexts: [...(dataset.noteTexts ?? dataset.notes), note] };
}

/** Past this many learned parameters a probe would take seconds per keystroke: it is skipped, with a word. */
export const PROBE_MAX_PARAMETERS = 2_000_000;

interface TooLarge {
  parameters: number;
}

/** Data (cached, subsampled to the probe's size) and a trainer for this config. */
export async function loadProbeRun(run: ConfigRun, settings: ProbeSettings, isCancelled: () => boolean = () => false): Promise<ProbeRun | TooLarge> {
  const dataset = await cachedDataset(run, isCancelled);
  // The probe trains on `sampleSize` rows; the validation share comes on top.
  const validation = Math.min(run.data.validation, 0.5);
  const wanted = Math.ceil(settings.sampleSize / (1 - validation));
  const sample = subsampleDataset(dataset, wanted, run.train.seed);
  const { data, train } = buildRun({ ...run, data: { ...run.data, validation } }, sample);
  const parameters = countParameters(train.network);
  if (parameters > PROBE_MAX_PARAMETERS) return { parameters };
  // One probe at a time runs in this worker, so each trainer takes over the arena and helper threads of the last.
  const trainer = new Trainer({ ...train, snapshotEvery: 0 }, data, { arena: probeEngine.arenaFor(settings.threads ?? 1) });
  return { trainer, rows: data.train.n, datasetRows: dataset.n, lr: train.optimizer.lr };
}

// ---- worker wiring ----

if (parentPort) {
  const port = parentPort;
  let current = 0;
  const cancelled = new Set<number>();
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message: ToProbeWorker) => {
    switch (message.type) {
      case 'cancel':
        cancelled.add(message.probeId);
        break;
      case 'probe': {
        current = message.probeId;
        // One probe at a time: the previous sees `current` move on at its next yield and stops.
        queue = queue.then(async () => {
          const started = performance.now();
          const hooks: ProbeHooks = {
            post: m => port.postMessage(m),
            isCancelled: () => cancelled.has(message.probeId) || current !== message.probeId,
          };
          let outcome = { cancelled: true };
          try {
            if (!hooks.isCancelled()) outcome = await runProbe(message, hooks);
          } catch (error) {
            hooks.post({
              type: 'probeProblems', probeId: message.probeId,
              problems: [{ severity: 'warning', ...withText(coreText('probe.worker.failed', { reason: errorText(error) })) }],
            });
            outcome = { cancelled: false };
          }
          cancelled.delete(message.probeId);
          port.postMessage({ type: 'probeDone', probeId: message.probeId, cancelled: outcome.cancelled, elapsedMs: performance.now() - started });
        });
        break;
      }
      default: {
        const unknown: never = message;
        throw new Error(`unknown message ${JSON.stringify(unknown)}`);
      }
    }
  });
}
