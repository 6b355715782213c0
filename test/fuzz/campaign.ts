// The fuzz campaign: cases run in a worker thread (fuzzWorker.ts) under a watchdog. A case that runs longer than the
// per-case limit is a hang: the worker is terminated and restarted past it. A worker that exceeds its heap limit is
// an out-of-memory: recorded the same way. Every unexpected exception, hang and out-of-memory is written to
// out/fuzz/ with its input and how to reproduce it.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { writeFileAtomicSync } from '../../src/core/io/atomicWrite';
import { TARGETS } from './targets';
import { SLOT, type WorkerInput, type WorkerReport } from './fuzzWorker';

export interface CampaignOptions {
  seed: number;
  seconds: number;
  maxCases?: number;
  /** A case running longer than this is a hang (default 15 s: the machine is shared). */
  caseTimeoutMs?: number;
  /** The worker's heap limit; past it a case is an out-of-memory (default 1024 MB). */
  heapMb?: number;
  /** Only these targets (indices into TARGETS). */
  only?: number[];
  /** Where failure files go (default out/fuzz). */
  outDir?: string;
  log?: (line: string) => void;
}

export interface Failure {
  kind: 'exception' | 'hang' | 'out of memory' | 'worker crash';
  target: string;
  batch: number;
  index: number;
  detail: string;
  file?: string;
}

export interface CampaignResult {
  seed: number;
  seconds: number;
  perTarget: { name: string; cases: number; accepted: number; inputErrors: number }[];
  cases: number;
  failures: Failure[];
}

const ROOT = path.resolve(__dirname, '../..');
const STARTUP_TIMEOUT_MS = 180_000;

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  const maxCases = options.maxCases ?? Number.MAX_SAFE_INTEGER;
  const caseTimeout = options.caseTimeoutMs ?? 15_000;
  const outDir = options.outDir ?? path.join(ROOT, 'out', 'fuzz');
  const log = options.log ?? (() => undefined);
  const shared = new SharedArrayBuffer(4 * (SLOT.counts + 2 * TARGETS.length));
  const counters = new Int32Array(shared);
  const failures: Failure[] = [];
  const total = () => {
    let n = 0;
    for (let t = 0; t < TARGETS.length; t++) n += Atomics.load(counters, SLOT.counts + 2 * t);
    return n;
  };
  const record = (failure: Failure, input?: string) => {
    const file = path.join(outDir, `seed${options.seed}-${failures.length + 1}-${failure.kind.replace(/ /g, '-')}.txt`);
    try {
      writeFileAtomicSync(file, [
        `${failure.kind} in ${failure.target}`,
        `reproduce: npm run fuzz -- --seed ${options.seed} --replay ${TARGETS.findIndex(t => t.name === failure.target)}:${failure.batch}:${failure.index}`,
        '', failure.detail, '', '--- input ---', input ?? '(see the replay)', '',
      ].join('\n'));
      failure.file = file;
    } catch {
      // The failure is still reported on the console.
    }
    failures.push(failure);
    log(`${failure.kind.toUpperCase()} in ${failure.target} (batch ${failure.batch}, case ${failure.index}): ${failure.detail.split('\n')[0]}${failure.file ? ` → ${path.relative(ROOT, failure.file)}` : ''}`);
  };

  let start = { batch: 0, target: options.only?.[0] ?? 0, index: 0 };
  for (;;) {
    const input: WorkerInput = {
      seed: options.seed, shared, startBatch: start.batch, startTarget: start.target, startIndex: start.index,
      deadline, maxCases, casesBefore: total(), only: options.only,
    };
    const beatsBefore = Atomics.load(counters, SLOT.heartbeat);
    const worker = new Worker(path.join(__dirname, 'fuzzWorker.ts'), {
      workerData: input,
      execArgv: ['--require', require.resolve('tsx/cjs')],
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? 1024 },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    const outcome = await new Promise<'finished' | Failure['kind']>(resolve => {
      let lastBeat = Atomics.load(counters, SLOT.heartbeat);
      let lastChange = Date.now();
      // Loading the targets takes seconds on a busy machine: the per-case limit applies once the first case began.
      let begun = false;
      const spawned = Date.now();
      let settled = false;
      const settle = (value: 'finished' | Failure['kind']) => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        resolve(value);
      };
      const watchdog = setInterval(() => {
        const beat = Atomics.load(counters, SLOT.heartbeat);
        if (beat !== lastBeat) {
          lastBeat = beat;
          lastChange = Date.now();
          begun = true;
        } else if (!begun) {
          if (Date.now() - spawned > STARTUP_TIMEOUT_MS) {
            settle('worker crash');
            void worker.terminate();
          }
        } else if (Date.now() - lastChange > caseTimeout) {
          settle('hang');
          void worker.terminate();
        }
      }, 100);
      worker.on('message', (report: WorkerReport) => {
        if (report.type === 'finished') settle('finished');
        else {
          record({ kind: 'exception', target: TARGETS[report.target].name, batch: report.batch, index: report.index, detail: report.error }, report.input);
        }
      });
      worker.on('error', error => settle((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory' : 'worker crash'));
      worker.on('exit', () => settle('worker crash'));
    });
    await worker.terminate();
    if (outcome === 'finished') break;
    if (outcome === 'worker crash' && Atomics.load(counters, SLOT.heartbeat) === beatsBefore) {
      // It died before its first case: retrying would loop.
      throw new Error('the fuzz worker failed to start');
    }
    const t = Atomics.load(counters, SLOT.target);
    const batch = Atomics.load(counters, SLOT.batch);
    const index = Atomics.load(counters, SLOT.index);
    // The case in flight counts as run (and failed).
    Atomics.add(counters, SLOT.counts + 2 * t, 1);
    record({ kind: outcome, target: TARGETS[t].name, batch, index, detail: outcome === 'hang' ? `no progress for ${caseTimeout} ms` : outcome });
    start = { batch, target: t, index: index + 1 };
    if (Date.now() >= deadline || total() >= maxCases) break;
  }
  const perTarget = TARGETS.map((target, t) => {
    const cases = Atomics.load(counters, SLOT.counts + 2 * t);
    const accepted = Atomics.load(counters, SLOT.counts + 2 * t + 1);
    return { name: target.name, cases, accepted, inputErrors: cases - accepted };
  }).filter((_, t) => !options.only || options.only.includes(t));
  return { seed: options.seed, seconds: (Date.now() - started) / 1000, perTarget, cases: total(), failures };
}
