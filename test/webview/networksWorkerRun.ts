// Node side of the Compare Networks page tests: the real networks worker, run on one request.
import { Worker } from 'node:worker_threads';
import type { FromNetworksWorker, ToNetworksWorker } from '../../src/protocol';

/** Runs the real worker (a bundle at `workerPath`) on one request and returns every message until `isLast`. */
export async function workerMessages(workerPath: string, start: ToNetworksWorker, isLast: (m: FromNetworksWorker) => boolean): Promise<FromNetworksWorker[]> {
  const worker = new Worker(workerPath);
  const out: FromNetworksWorker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromNetworksWorker) => { out.push(m); if (isLast(m)) resolve(); });
      worker.on('error', reject);
      worker.postMessage(start);
    });
  } finally {
    await worker.terminate();
  }
  return out;
}
