// The host side of a run, in plain Node: the real training worker (bundled fresh by esbuild) driven through
// RunSession, checking what reaches the webview: a `run`, throttled frames, controls that act at once, errors
// with a place, and a worker that is gone after dispose.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { RunSession, MAX_FRAMES_PER_MESSAGE } from '../../src/visualize/runSession';
import type { RunSource, ToWebview } from '../../src/protocol';
import { enableFaultSeam, injectFault, liveWorkers } from '../../src/shared/workerHost';

const ROOT = path.resolve(__dirname, '..', '..');

function waitFor(predicate: () => boolean, timeoutMs = 60000): Promise<void> {
  const where = new Error('timed out').stack?.split('\n')[2]?.trim() ?? '';
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (predicate()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out waiting ${where}`));
      }
    }, 20);
  });
}

describe('RunSession with the training worker (Node)', function () {
  this.timeout(120000);
  let workerPath: string;
  let dir: string;
  const sessions: RunSession[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-worker-'));
    workerPath = path.join(dir, 'worker.js');
    await esbuild.build({ entryPoints: [path.join(ROOT, 'src/visualize/trainingWorker.ts')], outfile: workerPath, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', mainFields: ['module', 'main'] });
  });
  afterEach(() => { for (const s of sessions.splice(0)) s.dispose(); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function session(memoryLimitMb?: number): { session: RunSession; messages: ToWebview[]; log: string[] } {
    const messages: ToWebview[] = [];
    const log: string[] = [];
    const s = new RunSession({
      workerPath, post: m => messages.push(JSON.parse(JSON.stringify(m)) as ToWebview), log: line => log.push(line),
      memoryLimitMb: memoryLimitMb === undefined ? undefined : () => memoryLimitMb,
    });
    sessions.push(s);
    return { session: s, messages, log };
  }

  it('trains a preset on a built-in set: run, then throttled frames with snapshots and views', async () => {
    const { session: s, messages, log } = session();
    const source: RunSource = { kind: 'builtin', builtin: 'sine', preset: 'deep-sigmoid' };
    s.start(source, 'sine (built-in)', { snapshotEvery: 1 });
    assert.deepEqual(messages[0], { type: 'loading', sourceLabel: 'sine (built-in)' });
    const first = await s.firstSnapshot();
    assert.equal(first.ok, true);
    // The preset's 50 epochs on 400 rows may be over within seconds on a fast machine: stop at 5 batches or the end.
    await waitFor(() => messages.filter(m => m.type === 'frames').length >= 5 || s.state === 'done');
    s.control('pause');
    await waitFor(() => s.state === 'paused' || s.state === 'done');
    const run = messages.find(m => m.type === 'run');
    assert.ok(run?.type === 'run');
    assert.equal(run.meta.layers.length, 11);
    assert.deepEqual(run.meta.layers.slice(0, 2).map(l => [l.units, l.activation]), [[32, 'sigmoid'], [32, 'sigmoid']]);
    assert.equal(run.meta.inputNames.length, 1);
    assert.ok(run.meta.points.x.length > 100 && run.meta.points.split.includes('val'));
    const frameMessages = messages.filter((m): m is Extract<ToWebview, { type: 'frames' }> => m.type === 'frames');
    const frames = frameMessages.flatMap(m => m.frames);
    // Steps grow, the first is step 0 (before any update), and every frame has a probe per layer.
    assert.equal(frames[0].snapshot.step, 0);
    for (let i = 1; i < frames.length; i++) assert.ok(frames[i].snapshot.step > frames[i - 1].snapshot.step);
    assert.ok(frames.every(f => f.snapshot.layers.length === 11));
    assert.ok(frames.every(f => frameMessages.length > 0 && f.snapshot.layers[0].gradNorm >= 0));
    assert.ok(frameMessages.every(m => m.frames.length <= MAX_FRAMES_PER_MESSAGE));
    assert.ok(frames.some(f => f.view?.kind === 'curve'));
    // Throttle: with a snapshot due every step, far fewer snapshots than steps reach the webview (≤ ~10/s).
    const lastStep = frames[frames.length - 1].snapshot.step;
    assert.ok(lastStep > frames.length * 3, `steps ${lastStep} vs frames ${frames.length}`);
    assert.ok(log.some(line => /Deep sigmoid|deep-sigmoid/i.test(line)), log.join('\n'));
    // The recorded run has every snapshot, and each reaches the webview (the last one within a flush interval).
    const posted = () => messages.flatMap(m => (m.type === 'frames' ? m.frames : [])).length;
    await waitFor(() => posted() === s.recordedRun()?.frames.length, 5000);
  });

  it('applies controls at once: step batch, set lr, reset starts a new chart history', async () => {
    const { session: s, messages } = session();
    s.start({ kind: 'builtin', builtin: 'circle', preset: 'deep-relu-he' }, 'circle', { autoplay: false });
    await s.firstSnapshot();
    await waitFor(() => messages.some(m => m.type === 'frames'));
    const framesBefore = () => messages.filter(m => m.type === 'frames').flatMap(m => (m.type === 'frames' ? m.frames : []));
    assert.equal(framesBefore()[framesBefore().length - 1].snapshot.step, 0);
    s.control('stepBatch');
    await waitFor(() => framesBefore().some(f => f.snapshot.step === 1));
    s.set({ lr: 0.005 });
    await waitFor(() => framesBefore().some(f => f.snapshot.lr === 0.005));
    const grid = framesBefore().find(f => f.view !== undefined)?.view;
    assert.equal(grid?.kind, 'grid');
    const runsBefore = messages.filter(m => m.type === 'run').length;
    s.control('reset');
    await waitFor(() => messages.filter(m => m.type === 'run').length === runsBefore + 1);
    const newRun = messages.filter(m => m.type === 'run').pop();
    assert.ok(newRun?.type === 'run' && newRun.runId === 2);
    await waitFor(() => messages.some(m => m.type === 'frames' && m.runId === 2));
  });

  it('reports a bad dataset as an error with its file and line, not an exception', async () => {
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'x,y\n1,2\n2,abc3\n3,4\nfoo,5\n');
    const { session: s, messages } = session();
    s.start({ kind: 'dataset', dataPath: bad, preset: 'deep-sigmoid' }, 'bad.csv');
    const first = await s.firstSnapshot();
    assert.equal(first.ok, false);
    const error = messages.find(m => m.type === 'error');
    assert.ok(error?.type === 'error');
    assert.equal(error.location?.file, bad);
    assert.equal(error.location?.line, 5);
    assert.match(error.message, /foo/);
    assert.equal(s.state, 'error');
  });

  it('points a config mistake at its line and column', async () => {
    const { session: s, messages } = session();
    const configPath = path.join(dir, 'typo.nn.json');
    const text = '{\n  "data": { "builtin": "sine" },\n  "hidden": [8, 8],\n  "activation": "sigmod"\n}\n';
    s.start({ kind: 'config', configPath, configText: text }, 'typo.nn.json');
    const first = await s.firstSnapshot();
    assert.equal(first.ok, false);
    const error = messages.find(m => m.type === 'error');
    assert.ok(error?.type === 'error');
    assert.match(error.message, /sigmod.*sigmoid/);
    assert.deepEqual([error.location?.file, error.location?.line], [configPath, 4]);
  });

  it('stops at divergence with the epoch, the last finite snapshot and a suggestion', async () => {
    const { session: s, messages } = session();
    const text = '{ "data": { "builtin": "sine", "samples": 200 }, "hidden": [16, 16], "activation": "relu", "optimizer": { "type": "sgd", "lr": 1000 }, "epochs": 50, "seed": 1 }';
    s.start({ kind: 'config', configPath: path.join(dir, 'explode.nn.json'), configText: text }, 'explode', { snapshotEvery: 1 });
    await waitFor(() => s.state === 'diverged');
    const diverged = messages.find(m => m.type === 'diverged');
    assert.ok(diverged?.type === 'diverged');
    assert.match(diverged.info.message, /diverged at epoch \d+, step \d+/);
    assert.match(diverged.info.message, /learning rate|clipNorm/);
    const frames = messages.flatMap(m => (m.type === 'frames' ? m.frames : []));
    assert.ok(frames.length > 0 && frames.every(f => Number.isFinite(f.snapshot.loss)));
    // Play after divergence does nothing: the run stays stopped.
    s.control('play');
    await new Promise(resolve => setTimeout(resolve, 300));
    assert.equal(s.state, 'diverged');
  });

  it('stops the worker on dispose', async () => {
    const { session: s } = session();
    s.start({ kind: 'builtin', builtin: 'sine', preset: 'one-hidden' }, 'sine');
    await s.firstSnapshot();
    const threadId = s.hostedWorker?.worker.threadId;
    assert.ok(threadId !== undefined && threadId > 0);
    assert.ok(liveWorkers().some(w => w.threadId === threadId && w.role === 'training'));
    s.dispose();
    assert.equal(s.hostedWorker, undefined);
    await waitFor(() => !liveWorkers().some(w => w.threadId === threadId), 5000);
  });

  it('a killed worker leaves the run on screen with every snapshot, a Restart, and trains again on restart', async () => {
    const { session: s, messages } = session();
    s.start({ kind: 'builtin', builtin: 'circle', preset: 'deep-relu-he' }, 'circle', { snapshotEvery: 1, autoplay: false });
    await s.firstSnapshot();
    // Stepped by hand, so the count does not depend on how busy the machine is: step 0 plus five batches.
    for (let k = 1; k <= 5; k++) {
      s.control('stepBatch');
      await waitFor(() => s.recordedRun()?.frames.at(-1)?.snapshot.step === k);
    }
    assert.equal(s.recordedRun()?.frames.length, 6);
    const worker = s.hostedWorker;
    assert.ok(worker !== undefined);
    await injectFault(worker, 'kill');
    await waitFor(() => s.state === 'error');
    const error = messages.filter(m => m.type === 'error').pop();
    assert.ok(error?.type === 'error');
    const kept = s.recordedRun();
    assert.ok(kept !== undefined && kept.frames.length >= 5, 'the snapshots before the crash are still recorded');
    const lastStep = kept.frames.at(-1)!.snapshot.step;
    assert.equal(lastStep, 5);
    assert.equal(error.message, 'The training worker stopped unexpectedly at step 5 (exit code 1). The 6 snapshots so far are kept: export them, or Restart.');
    assert.deepEqual([error.restartable, error.kept], [true, true]);
    // The page never heard `loading`: its charts stay. A reload replays the run and the banner.
    assert.equal(messages.filter(m => m.type === 'loading').length, 1);
    const replay = s.replayMessages();
    assert.deepEqual(replay.map(m => m.type), ['run', 'state', 'progress', 'error'].filter(t => t !== 'progress' || s.progress !== undefined));
    const replayedRun = replay[0];
    assert.ok(replayedRun.type === 'run' && replayedRun.frames.length > 0 && replayedRun.frames.at(-1)!.snapshot.step === lastStep);
    // Restart: a fresh worker, a new run, new snapshots.
    const runsBefore = messages.filter(m => m.type === 'run').length;
    s.restart();
    const again = await s.firstSnapshot();
    assert.equal(again.ok, true);
    assert.equal(messages.filter(m => m.type === 'run').length, runsBefore + 1);
    assert.ok(s.hostedWorker !== undefined && s.hostedWorker !== worker);
    assert.equal(s.error, undefined);
  });

  it('a worker out of memory says so, with its limit and step; the host stays up', async () => {
    enableFaultSeam();
    const { session: s, messages } = session(96);
    // A long run: the deep-sigmoid preset's 50 epochs can end (snapshots throttled to <= 10/s, fewer when measuring
    // is slow on a loaded machine) before the 3 snapshots waited for.
    const configText = '{\n  "data": { "builtin": "sine" },\n  "hidden": { "units": 32, "repeat": 8 },\n  "activation": "sigmoid",\n  "epochs": 20000\n}\n';
    const configPath = path.join(dir, 'oom.nn.json');
    fs.writeFileSync(configPath, configText);
    s.start({ kind: 'config', configPath, configText }, 'oom.nn.json', { snapshotEvery: 1 });
    await s.firstSnapshot();
    await waitFor(() => (s.recordedRun()?.frames.length ?? 0) >= 3);
    await injectFault(s.hostedWorker!, 'oom');
    await waitFor(() => s.state === 'error', 60_000);
    const error = messages.filter(m => m.type === 'error').pop();
    assert.ok(error?.type === 'error');
    assert.match(error.message, /^The training worker ran out of memory \(limit 96 MB\) at step [\d,]+\. The [\d,]+ snapshots so far are kept/);
    assert.equal(s.death?.kind, 'oom');
    assert.ok((s.recordedRun()?.frames.length ?? 0) >= 3);
  });

  it('retrain on save with errors keeps the last good run and shows the errors over it', async () => {
    const configPath = path.join(dir, 'retrain.nn.json');
    fs.writeFileSync(configPath, '{\n  "data": { "builtin": "sine", "samples": 200 },\n  "hidden": [8, 8],\n  "activation": "tanh",\n  "epochs": 5\n}\n');
    const { session: s, messages } = session();
    const source: RunSource = { kind: 'config', configPath };
    s.start(source, 'retrain.nn.json', { snapshotEvery: 1, autoplay: false });
    await s.firstSnapshot();
    s.control('stepBatch');
    await waitFor(() => (s.recordedRun()?.frames.length ?? 0) >= 2);
    const good = s.recordedRun()!;
    const postedBefore = messages.length;
    // Saved with a typo: the worker refuses it; the panel keeps what it had.
    fs.writeFileSync(configPath, '{\n  "data": { "builtin": "sine", "samples": 200 },\n  "hidden": [8, 8],\n  "activation": "tanhh",\n  "epochs": 5\n}\n');
    s.start(source, 'retrain.nn.json', { ...s.startOptions, keepUntilReady: true });
    await waitFor(() => s.state === 'error');
    const after = messages.slice(postedBefore);
    assert.ok(!after.some(m => m.type === 'loading' || m.type === 'run'), after.map(m => m.type).join());
    const error = after.find(m => m.type === 'error');
    assert.ok(error?.type === 'error');
    assert.match(error.message, /^The saved config has errors; this is the last good run\. .*tanhh/);
    assert.deepEqual([error.location?.file, error.location?.line, error.kept], [configPath, 4, true]);
    assert.equal(s.meta?.title, good.meta.title);
    assert.equal(s.recordedRun()?.frames.length, good.frames.length);
    // Fixed and saved again: it trains the new config.
    fs.writeFileSync(configPath, '{\n  "data": { "builtin": "sine", "samples": 200 },\n  "hidden": [8, 8, 8],\n  "activation": "tanh",\n  "epochs": 5\n}\n');
    s.start(source, 'retrain.nn.json', { ...s.startOptions, keepUntilReady: true });
    await waitFor(() => s.meta !== undefined && s.meta.layers.length === 4);
    assert.equal(s.error, undefined);
  });
});
