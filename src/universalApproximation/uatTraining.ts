// Host side of the panel's gradient descent: one worker thread per starting point (hand-built, random), so both
// curves can train at once and be compared; messages relayed to the webview. No vscode import (tested in Node).
import { Worker } from 'node:worker_threads';
import type { FromUatWorker, ToUatWebview, ToUatWorker, UatNetwork, UatTrainStart } from '../protocol';

/** Steps per "Let gradient descent take over" run (the user can stop earlier). */
export const UAT_MAX_STEPS = 20_000;

export interface UatTrainingOptions {
  workerPath: string;
  post: (message: ToUatWebview) => void;
  log: (line: string) => void;
}

export class UatTrainingSession {
  private readonly workers = new Map<UatTrainStart, Worker>();
  private readonly jobs = new Map<UatTrainStart, number>();
  private nextJob = 1;

  constructor(private readonly options: UatTrainingOptions) {}

  start(start: UatTrainStart, network: UatNetwork, x: number[], y: number[], lr: number, seed: number): void {
    const jobId = this.nextJob++;
    this.jobs.set(start, jobId);
    const worker = this.workerFor(start);
    const message: ToUatWorker = { type: 'uatTrain', jobId, start, network, x, y, lr, seed, maxSteps: UAT_MAX_STEPS };
    worker.postMessage(message);
    this.options.log(`uat: training from ${start === 'handBuilt' ? 'the hand-built weights' : 'a random start'} (${network.units.length} hidden units, lr ${lr})`);
    this.options.post({ type: 'uatTrainState', start, running: true });
  }

  stop(start: UatTrainStart): void {
    const jobId = this.jobs.get(start);
    const worker = this.workers.get(start);
    if (jobId !== undefined && worker) worker.postMessage({ type: 'uatStop', jobId } satisfies ToUatWorker);
  }

  get running(): UatTrainStart[] {
    return [...this.jobs.keys()];
  }

  private workerFor(start: UatTrainStart): Worker {
    const existing = this.workers.get(start);
    if (existing) return existing;
    const worker = new Worker(this.options.workerPath);
    worker.on('message', (message: FromUatWorker) => this.receive(start, message));
    worker.on('error', error => {
      this.options.log(`uat worker error: ${error.stack ?? error.message}`);
      this.workers.delete(start);
      this.jobs.delete(start);
      this.options.post({ type: 'uatTrainState', start, running: false, detail: `The training worker failed: ${error.message}` });
    });
    this.workers.set(start, worker);
    return worker;
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
          detail: message.reason === 'diverged' ? 'Training diverged: lower the learning rate.' : message.reason === 'steps' ? 'Finished its steps.' : undefined,
        });
        return;
      case 'uatFailed':
        this.jobs.delete(start);
        this.options.post({ type: 'uatTrainState', start, running: false, detail: message.message });
        return;
      default: {
        const never: never = message;
        throw new Error(`Unexpected message: ${JSON.stringify(never)}`);
      }
    }
  }

  dispose(): void {
    for (const worker of this.workers.values()) {
      worker.removeAllListeners();
      void worker.terminate();
    }
    this.workers.clear();
    this.jobs.clear();
  }
}
