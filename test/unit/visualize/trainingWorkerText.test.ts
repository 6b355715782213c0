// What the training worker posts to the page when it refuses something: the English and the same text as a catalogue
// message (`text`), which the host shows in the display language — the real worker, bundled fresh by esbuild.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import type { FromWorker, ToWorker } from '../../../src/protocol';
import { localizeCoreOr } from '../../../src/shared/localize';
import { inKorean } from '../l10n/inKorean';

const ROOT = path.resolve(__dirname, '../../..');


/** Sends `messages` in order, each after the worker's answer that `until` picks, and returns everything it posted. */
async function talk(workerPath: string, steps: { send: ToWorker; until: (m: FromWorker) => boolean }[]): Promise<FromWorker[]> {
  const worker = new Worker(workerPath);
  const seen: FromWorker[] = [];
  try {
    for (const step of steps) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(step.send)}: ${JSON.stringify(seen.map(m => m.type))}`)), 30_000);
        const listen = (m: FromWorker) => {
          seen.push(m);
          if (step.until(m)) { clearTimeout(timer); worker.off('message', listen); resolve(); }
        };
        worker.on('message', listen);
        worker.postMessage(step.send);
      });
    }
    return seen;
  } finally {
    await worker.terminate();
  }
}

describe('training worker: refusals as catalogue messages', function () {
  this.timeout(120_000);
  let dir: string;
  let workerPath: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-training-worker-'));
    workerPath = path.join(dir, 'trainingWorker.js');
    await esbuild.build({ entryPoints: [path.join(ROOT, 'src/visualize/trainingWorker.ts')], outfile: workerPath, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', mainFields: ['module', 'main'] });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a learning rate of −1 set on a run: English, and Korean through the host', async () => {
    const seen = await talk(workerPath, [
      { send: { type: 'start', runId: 1, source: { kind: 'builtin', builtin: 'circle', preset: 'deep-relu-he' }, options: { autoplay: false } }, until: m => m.type === 'state' || m.type === 'error' },
      { send: { type: 'set', runId: 1, lr: -1 }, until: m => m.type === 'error' },
    ]);
    const error = seen.find(m => m.type === 'error');
    assert.ok(error?.type === 'error', JSON.stringify(seen.map(m => m.type)));
    assert.equal(error.message, 'learning rate must be a positive number, got -1');
    assert.equal(error.text?.id, 'worker.lrNotPositive');
    assert.equal(inKorean(() => localizeCoreOr(error.text, error.message)), '학습률(learning rate)은 양수여야 합니다. 받은 값: -1');
  });

  // batchSize Infinity passes the worker's own guard and the trainer refuses it (a CoreError): the sentence and the
  // reason both in Korean.
  it('a run that the trainer refuses to start: the prefix and the trainer\'s reason in Korean', async () => {
    const seen = await talk(workerPath, [
      { send: { type: 'start', runId: 2, source: { kind: 'builtin', builtin: 'circle', preset: 'deep-relu-he' }, options: { autoplay: false, batchSize: Infinity } }, until: m => m.type === 'state' || m.type === 'error' },
    ]);
    const error = seen.find(m => m.type === 'error');
    assert.ok(error?.type === 'error', JSON.stringify(seen.map(m => m.type)));
    assert.equal(error.message, 'Gradscope could not start this run: batch size must be a positive integer, got Infinity');
    assert.equal(error.text?.id, 'worker.cannotStartRun');
    assert.equal(inKorean(() => localizeCoreOr(error.text, error.message)), 'Gradscope가 이 학습을 시작하지 못했습니다: 배치 크기(batch size)는 양의 정수여야 합니다. 받은 값: Infinity');
  });
});
