// The Compare Networks worker (bundled fresh by esbuild) in a real worker thread: side-by-side training gives each
// network the numbers of a single run with the same seed; a landscape streams rows in order and stops on cancel.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { loadChoices } from '../../../src/compareNetworks/networksWorker';
import { loadRun } from '../../../src/core/config/config';
import { presetConfigText } from '../../../src/core/config/presets';
import { Trainer } from '../../../src/core/nn/trainer';
import type { FromNetworksWorker, NetworkChoice, ToNetworksWorker } from '../../../src/protocol';

const ROOT = path.resolve(__dirname, '../../..');

describe('Compare Networks worker', function () {
  this.timeout(240_000);
  let dir: string;
  let workerPath: string;
  let worker: Worker | undefined;
  const messages: FromNetworksWorker[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-networks-worker-'));
    workerPath = path.join(dir, 'networksWorker.js');
    // The pool's script next to the worker, as dist/ has them.
    for (const [entry, out] of [['src/compareNetworks/networksWorker.ts', workerPath], ['src/core/parallel/poolWorker.ts', path.join(dir, 'poolWorker.js')]]) {
      await esbuild.build({ entryPoints: [path.join(ROOT, entry)], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', mainFields: ['module', 'main'] });
    }
    worker = new Worker(workerPath);
    worker.on('message', (m: FromNetworksWorker) => messages.push(m));
  });
  after(async () => {
    await worker?.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const send = (m: ToNetworksWorker) => worker!.postMessage(m);
  async function until<T extends FromNetworksWorker>(pred: (m: FromNetworksWorker) => m is T, ms = 200_000): Promise<T> {
    const start = Date.now();
    for (;;) {
      const found = messages.find(pred);
      if (found) return found;
      if (Date.now() - start > ms) throw new Error('timed out waiting for the worker');
      await new Promise(r => setTimeout(r, 20));
    }
  }

  it('trains two presets side by side; each one\'s final numbers equal a single run with the same seed', async () => {
    const choices: NetworkChoice[] = [
      { kind: 'preset', preset: 'deep-sigmoid', label: 'sigmoid' },
      { kind: 'preset', preset: 'relu-batchnorm', label: 'relu+bn' },
    ];
    send({ type: 'netsStart', jobId: 1, choices, data: { kind: 'builtin', builtin: 'circle' }, seed: 5, epochs: 2, snapshotEvery: 10, threads: 1 });
    const loaded = await until((m): m is Extract<FromNetworksWorker, { type: 'netsLoaded' }> => m.type === 'netsLoaded' && m.jobId === 1);
    assert.deepEqual(loaded.networks.map(n => n.label), ['sigmoid', 'relu+bn']);
    const done = await until((m): m is Extract<FromNetworksWorker, { type: 'netsDone' }> => m.type === 'netsDone' && m.jobId === 1);
    assert.equal(done.reason, 'epochs');
    const frames = messages.flatMap(m => (m.type === 'netsFrames' && m.jobId === 1 ? m.frames : []));
    for (const [index, choice] of choices.entries()) {
      const mine = frames.filter(f => f.index === index);
      const last = mine[mine.length - 1];
      const run = await loadRun({ kind: 'builtin', builtin: 'circle', preset: choice.kind === 'preset' ? choice.preset : '' }, { seed: 5, epochs: 2, snapshotEvery: 10 }, presetConfigText);
      const single = new Trainer(run.train, run.data);
      single.snapshot();
      let snap = single.snapshot();
      while (!single.done) { const r = single.stepBatch(); if (r.snapshotDue || single.done) snap = single.snapshot(); }
      assert.equal(last.step, single.step);
      assert.equal(last.loss, snap.loss);
      assert.equal(last.valLoss, snap.valLoss);
      assert.deepEqual(last.gradNorm, snap.layers.map(l => l.gradNorm));
    }
    assert.ok(messages.some(m => m.type === 'netsFunctions' && m.views.length === 2));
  });

  it("with 'the first config's data', a preset trains on the config's data file with the same split", async () => {
    const config = path.join(ROOT, 'examples/deep-sigmoid.nn.json');
    const runs = await loadChoices([
      { kind: 'config', configPath: config, label: 'config' },
      { kind: 'preset', preset: 'relu-batchnorm', label: 'preset' },
    ], { kind: 'config' }, 7);
    assert.equal(runs.length, 2);
    assert.equal(runs[1].dataset.name, runs[0].dataset.name);
    assert.deepEqual(runs[1].data.train.y, runs[0].data.train.y);
    assert.deepEqual(runs[1].data.val.x, runs[0].data.val.x);
    assert.equal(runs[0].train.seed, 7);
    await assert.rejects(loadChoices([{ kind: 'preset', preset: 'selu', label: 'p' }], { kind: 'config' }), /no config chosen/);
  });

  it('streams a landscape row by row, and a cancel stops it with the rows so far', async () => {
    messages.length = 0;
    const choice: NetworkChoice = { kind: 'preset', preset: 'deep-relu-he', label: 'relu' };
    send({ type: 'landscapeStart', jobId: 2, choice, data: { kind: 'builtin', builtin: 'circle' }, request: { grid: 7, range: 1, seed: 3, steps: 5, maxRows: 50, skipOnOff: true }, threads: 1 });
    const begin = await until((m): m is Extract<FromNetworksWorker, { type: 'landscapeBegin' }> => m.type === 'landscapeBegin' && m.jobId === 2);
    assert.equal(begin.views.length, 2, 'without and with skip connections');
    const end = await until((m): m is Extract<FromNetworksWorker, { type: 'landscapeEnd' }> => m.type === 'landscapeEnd' && m.jobId === 2);
    assert.equal(end.cancelled, false);
    const rows = messages.filter((m): m is Extract<FromNetworksWorker, { type: 'landscapeRow' }> => m.type === 'landscapeRow' && m.jobId === 2);
    assert.deepEqual(rows.map(r => `${r.view}:${r.index}`), [0, 1].flatMap(v => Array.from({ length: 7 }, (_, j) => `${v}:${j}`)));
    for (const v of end.views) {
      assert.equal(v.rows[3][3], v.lossAtTheta);
      assert.equal(v.slice?.losses[(v.slice.losses.length - 1) / 2], v.lossAtTheta);
    }

    messages.length = 0;
    send({ type: 'landscapeStart', jobId: 3, choice, data: { kind: 'builtin', builtin: 'circle' }, request: { grid: 101, range: 1, seed: 3, steps: 0, maxRows: 200, skipOnOff: false }, threads: 1 });
    await until((m): m is Extract<FromNetworksWorker, { type: 'landscapeRow' }> => m.type === 'landscapeRow' && m.jobId === 3);
    send({ type: 'landscapeCancel', jobId: 3 });
    const cancelled = await until((m): m is Extract<FromNetworksWorker, { type: 'landscapeEnd' }> => m.type === 'landscapeEnd' && m.jobId === 3);
    assert.equal(cancelled.cancelled, true);
    assert.ok(cancelled.views[0].rows.length < 101);

    // A cancel while the network is still training before the grid: no rows at all.
    messages.length = 0;
    send({ type: 'landscapeStart', jobId: 4, choice, data: { kind: 'builtin', builtin: 'circle' }, request: { grid: 5, range: 1, seed: 3, steps: 1_000_000, maxRows: 50, skipOnOff: false }, threads: 1 });
    await new Promise(r => setTimeout(r, 300));
    send({ type: 'landscapeCancel', jobId: 4 });
    const early = await until((m): m is Extract<FromNetworksWorker, { type: 'landscapeEnd' }> => m.type === 'landscapeEnd' && m.jobId === 4, 20_000);
    assert.equal(early.cancelled, true);
    assert.deepEqual(early.views, []);
    assert.ok(!messages.some(m => m.type === 'landscapeRow' && m.jobId === 4));
  });

  /** Threads of this process (Linux): each worker thread of the pool adds some. */
  const threadCount = (): number => fs.readdirSync('/proc/self/task').length;
  /** The count once threads of earlier jobs have finished ending (it stops falling). */
  async function settledThreadCount(): Promise<number> {
    let count = threadCount();
    for (let quiet = 0, waited = 0; quiet < 300 && waited < 5000; waited += 20) {
      await new Promise(r => setTimeout(r, 20));
      const now = threadCount();
      quiet = now < count ? 0 : quiet + 20;
      count = Math.min(count, now);
    }
    return count;
  }
  async function threadsBackTo(baseline: number): Promise<number> {
    const start = Date.now();
    while (threadCount() > baseline) {
      if (Date.now() - start > 5000) throw new Error(`still ${threadCount()} threads, ${baseline} before`);
      await new Promise(r => setTimeout(r, 5));
    }
    return Date.now() - start;
  }

  it('on 2 threads: the same frames and functions as on 1, and a stop ends the pool\'s threads at once', async () => {
    const choices: NetworkChoice[] = [
      { kind: 'preset', preset: 'deep-sigmoid', label: 'sigmoid' },
      { kind: 'preset', preset: 'relu-batchnorm', label: 'relu+bn' },
      { kind: 'preset', preset: 'deep-tanh', label: 'tanh' },
    ];
    const framesOf = async (jobId: number, threads: number) => {
      messages.length = 0;
      send({ type: 'netsStart', jobId, choices, data: { kind: 'builtin', builtin: 'circle' }, seed: 2, epochs: 5, snapshotEvery: 10, threads });
      const done = await until((m): m is Extract<FromNetworksWorker, { type: 'netsDone' }> => m.type === 'netsDone' && m.jobId === jobId);
      assert.equal(done.reason, 'epochs');
      const frames = messages.flatMap(m => (m.type === 'netsFrames' && m.jobId === jobId ? m.frames : []));
      const functions = messages.filter((m): m is Extract<FromNetworksWorker, { type: 'netsFunctions' }> => m.type === 'netsFunctions' && m.jobId === jobId);
      return { frames: frames.sort((a, b) => a.index - b.index || a.step - b.step), lastFunctions: functions[functions.length - 1].views };
    };
    const one = await framesOf(11, 1);
    const two = await framesOf(12, 2);
    assert.ok(one.frames.length > 3 * 5, `${one.frames.length} frames`);
    assert.deepEqual(two.frames, one.frames);
    assert.deepEqual(two.lastFunctions, one.lastFunctions);

    if (process.platform !== 'linux') return;
    const baseline = await settledThreadCount();
    messages.length = 0;
    send({ type: 'netsStart', jobId: 13, choices, data: { kind: 'builtin', builtin: 'circle' }, seed: 2, epochs: 100_000, snapshotEvery: 10, threads: 2 });
    await until((m): m is Extract<FromNetworksWorker, { type: 'netsFrames' }> => m.type === 'netsFrames' && m.jobId === 13 && m.frames.some(f => f.step > 0));
    assert.ok(threadCount() >= baseline + 2, `${threadCount()} threads while 2 pool threads train, ${baseline} before`);
    send({ type: 'netsStop', jobId: 13 });
    await until((m): m is Extract<FromNetworksWorker, { type: 'netsDone' }> => m.type === 'netsDone' && m.jobId === 13);
    const ms = await threadsBackTo(baseline);
    assert.ok(ms < 2000, `the pool's threads ended ${ms} ms after the stop`);
  });

  it('on 2 threads: the same landscape rows as on 1, and a cancel ends the pool\'s threads at once', async () => {
    const choice: NetworkChoice = { kind: 'preset', preset: 'deep-relu-he', label: 'relu' };
    const request = { grid: 9, range: 1, seed: 3, steps: 5, maxRows: 80, skipOnOff: true };
    const endOf = async (jobId: number, threads: number) => {
      messages.length = 0;
      send({ type: 'landscapeStart', jobId, choice, data: { kind: 'builtin', builtin: 'circle' }, request, threads });
      const end = await until((m): m is Extract<FromNetworksWorker, { type: 'landscapeEnd' }> => m.type === 'landscapeEnd' && m.jobId === jobId);
      const rows = messages.filter((m): m is Extract<FromNetworksWorker, { type: 'landscapeRow' }> => m.type === 'landscapeRow' && m.jobId === jobId);
      return { end, order: rows.map(r => `${r.view}:${r.index}`) };
    };
    const one = await endOf(21, 1);
    const two = await endOf(22, 2);
    assert.equal(two.end.cancelled, false);
    assert.deepEqual(two.order, one.order, 'rows stream in order');
    assert.deepEqual(two.end.views, one.end.views);

    if (process.platform !== 'linux') return;
    const baseline = await settledThreadCount();
    messages.length = 0;
    send({ type: 'landscapeStart', jobId: 23, choice, data: { kind: 'builtin', builtin: 'circle' }, request: { ...request, grid: 101, maxRows: 400, skipOnOff: false }, threads: 2 });
    await until((m): m is Extract<FromNetworksWorker, { type: 'landscapeRow' }> => m.type === 'landscapeRow' && m.jobId === 23);
    assert.ok(threadCount() >= baseline + 2, `${threadCount()} threads while the grid runs on 2, ${baseline} before`);
    send({ type: 'landscapeCancel', jobId: 23 });
    const cancelled = await until((m): m is Extract<FromNetworksWorker, { type: 'landscapeEnd' }> => m.type === 'landscapeEnd' && m.jobId === 23);
    assert.equal(cancelled.cancelled, true);
    const ms = await threadsBackTo(baseline);
    assert.ok(ms < 2000, `the pool's threads ended ${ms} ms after the cancel`);
    await new Promise(r => setTimeout(r, 200));
    assert.ok(!messages.some(m => m.type === 'landscapeRow' && m.jobId === 23 && messages.indexOf(m) > messages.indexOf(cancelled)), 'no row after the end');
  });

  it("closing the panel (terminating its worker) ends the pool's threads with it", async function () {
    if (process.platform !== 'linux') this.skip();
    const baseline = await settledThreadCount();
    const own = new Worker(workerPath);
    const seen: FromNetworksWorker[] = [];
    own.on('message', (m: FromNetworksWorker) => seen.push(m));
    try {
      const choices: NetworkChoice[] = ['deep-sigmoid', 'deep-tanh'].map(preset => ({ kind: 'preset', preset, label: preset }));
      own.postMessage({ type: 'netsStart', jobId: 31, choices, data: { kind: 'builtin', builtin: 'circle' }, seed: 1, epochs: 100_000, snapshotEvery: 10, threads: 2 } satisfies ToNetworksWorker);
      const start = Date.now();
      while (!seen.some(m => m.type === 'netsFrames' && m.frames.some(f => f.step > 0))) {
        if (Date.now() - start > 200_000) throw new Error('no frames from the pool');
        await new Promise(r => setTimeout(r, 20));
      }
      assert.ok(threadCount() >= baseline + 3, `${threadCount()} threads while training, ${baseline} before the worker`);
      await own.terminate();
      const ms = await threadsBackTo(baseline);
      assert.ok(ms < 2000, `the pool's threads ended ${ms} ms after the worker was terminated`);
    } finally {
      await own.terminate();
    }
  });
});
