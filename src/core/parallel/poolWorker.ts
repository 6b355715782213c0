// One thread of the worker pool (bundled as dist/poolWorker.js): runs the tasks of tasks.ts as the pool sends them.
import { parentPort } from 'node:worker_threads';
import { errorText } from '../coreError';
import { closeLandscape, openLandscape, runTask, type PoolReply, type PoolRequest } from './tasks';

function reply(message: PoolReply): void {
  parentPort?.postMessage(message);
}

parentPort?.on('message', (request: PoolRequest) => {
  switch (request.type) {
    case 'landscapeOpen': openLandscape(request.context); return;
    case 'landscapeClose': closeLandscape(request.context); return;
    case 'task':
      runTask(request.task, progress => reply({ type: 'progress', id: request.id, progress }))
        .then(result => reply({ type: 'result', id: request.id, result }))
        .catch((error: unknown) => {
          const text = errorText(error);
          reply({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error), ...(typeof text === 'object' ? { text } : {}) });
        });
      return;
    default: {
      const never: never = request;
      throw new Error(`unknown pool message ${JSON.stringify(never)}`);
    }
  }
});
