// The live probe's worker (dist/probeWorker.js), separate from the panel's training worker: for the config being
// edited, build the network, take the step-0 diagnostics on a subsample, then train a few hundred steps under a time
// budget, yielding between chunks so a newer probe (or a cancel) stops this one at once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { parseConfig } from '../core/config';
import type { FromProbeWorker, ProbeProblem, ProbeSettings, ToProbeWorker } from '../protocol';
import { isInputError } from '../core/inputError';
import { loadProbeRun, type ProbeRun } from './probeRun';

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
  if (parsed.errors.length > 0 || !parsed.run) {
    problems([]); // the host shows parse errors from its own parse of the same text
    return { cancelled: false };
  }
  const trustProblem = checkTrust(parsed.run.data.file, settings);
  if (trustProblem) {
    problems([trustProblem]);
    return { cancelled: false };
  }

  let run: ProbeRun;
  try {
    run = await loadProbeRun(parsed.run, settings);
  } catch (error) {
    if (!isInputError(error)) throw error;
    problems([dataProblem(error.message, parsed.run.data)]);
    return { cancelled: false };
  }
  problems([]);
  if (hooks.isCancelled()) return { cancelled: true };

  const { trainer, rows, lr } = run;
  const step0 = trainer.step0Diagnostics();
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
    message: `This workspace is not trusted: the live probe reads only files inside the workspace, and ${file} is outside it.`,
  };
}

/** Point a data error at the key that caused it: a named column, the target, else the file. */
function dataProblem(message: string, data: { inputs?: (string | number)[]; target?: string | number }): ProbeProblem {
  const mentions = (value: string | number) => message.includes(`'${value}'`) || message.includes(`"${value}"`);
  const inputIndex = (data.inputs ?? []).findIndex(mentions);
  if (inputIndex >= 0) return { severity: 'error', message, jsonPath: ['data', 'inputs', inputIndex] };
  if (data.target !== undefined && mentions(data.target)) return { severity: 'error', message, jsonPath: ['data', 'target'] };
  return { severity: 'error', message, jsonPath: ['data', 'file'] };
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
              problems: [{ severity: 'warning', message: `The live probe failed: ${(error as Error).message}` }],
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
