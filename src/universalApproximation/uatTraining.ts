// Host side of the panel's gradient descent: one worker thread per starting point (hand-built, random), so both
// curves can train at once and be compared; messages relayed to the webview. No vscode import (tested in Node).
import * as l10n from '@vscode/l10n';
import type { FromUatWorker, ToUatWebview, ToUatWorker, UatNetwork, UatTrainStart } from '../protocol';
import { describeDeath, spawnWorker, type HostedWorker } from '../shared/workerHost';
import { localizeCoreOr } from '../shared/localize';

/** Steps per "Let gradient descent take over" run (the user can stop earlier). */
export const UAT_MAX_STEPS = 20_000;

export interface UatTrainingOptions {
  workerPath: string;
  post: (message: ToUatWebview) => void;
  log: (line: string) => void;
  /** Heap limit of each worker (MB), read when one starts. */
  memoryLimitMb?: () => number;
}

export class UatTrainingSession {
  private readonly workers = new Map<UatTrainStart, HostedWorker>();
  private readonly jobs = new Map<UatTrainStart, number>();
  private nextJob = 1;

  constructor(private readonly options: UatTrainingOptions) {}

  start(start: UatTrainStart, network: UatNetwork, x: number[], y: number[], lr: number, seed: number): void {
    const jobId = this.nextJob++;
    this.jobs.set(start, jobId);
    const worker = this.workerFor(start);
    const message: ToUatWorker = { type: 'uatTrain', jobId, start, network, x, y, lr, seed, maxSteps: UAT_MAX_STEPS };
    worker.worker.postMessage(message);
    this.options.log(`uat: training from ${start === 'handBuilt' ? 'the hand-built weights' : 'a random start'} (${network.units.length} hidden units, lr ${lr})`);
    this.options.post({ type: 'uatTrainState', start, running: true });
  }

  stop(start: UatTrainStart): void {
    const jobId = this.jobs.get(start);
    const worker = this.workers.get(start);
    if (jobId !== undefined && worker) worker.worker.postMessage({ type: 'uatStop', jobId } satisfies ToUatWorker);
  }

  get running(): UatTrainStart[] {
    return [...this.jobs.keys()];
  }

  /** Test seam: the live worker of one start. */
  workerOf(start: UatTrainStart): HostedWorker | undefined {
    return this.workers.get(start);
  }

  private workerFor(start: UatTrainStart): HostedWorker {
    const existing = this.workers.get(start);
    if (existing && !existing.exited) return existing;
    const hosted = spawnWorker(this.options.workerPath, {
      role: 'universal approximation',
      memoryLimitMb: this.options.memoryLimitMb?.(),
      onDeath: death => {
        if (this.workers.get(start) !== hosted) return;
        // The curve trained so far stays in the page; training again starts a fresh worker.
        const text = l10n.t('{0} Train again to restart it.', describeDeath(death));
        this.options.log(`uat: ${text}${death.error !== undefined ? ` (${death.error})` : ''}`);
        this.workers.delete(start);
        this.jobs.delete(start);
        this.options.post({ type: 'uatTrainState', start, running: false, detail: text });
      },
    });
    hosted.worker.on('message', (message: FromUatWorker) => this.receive(start, message));
    this.workers.set(start, hosted);
    return hosted;
  }

  private receive(start: UatTrainStart, message: FromUatWorker): void {
    if (this.jobs.get(start) !== message.jobId) return;
    switch (message.type) {
      case 'uatFrame':
        this.options.post({ type: 'uatTrainFrame', start, curve: message.curve });
        return;
      case 'uatDone':
        this.jobs.delete(start);
        this.options.post({
          type: 'uatTrainState', start, running: false,
          detail: message.reason === 'diverged' ? l10n.t('Training diverged: lower the learning rate.') : message.reason === 'steps' ? l10n.t('Finished its steps.') : undefined,
        });
        return;
      case 'uatFailed':
        this.jobs.delete(start);
        this.options.post({ type: 'uatTrainState', start, running: false, detail: localizeCoreOr(message.text, message.message) });
        return;
      default: {
        const never: never = message;
        throw new Error(`Unexpected message: ${JSON.stringify(never)}`);
      }
    }
  }

  dispose(): void {
    for (const worker of this.workers.values()) void worker.stop();
    this.workers.clear();
    this.jobs.clear();
  }
}
