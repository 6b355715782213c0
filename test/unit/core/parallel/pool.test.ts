// The worker pool: thread counts, and work split across threads giving the numbers of one thread bit for bit.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { computeLandscape, createLandscape } from '../../../../src/core/analysis/landscape';
import { engineBackend } from '../../../../src/core/nn/kernels';
import { closeLandscape, landscapeEvaluator, openLandscape } from '../../../../src/core/parallel/tasks';
import { computeLandscapeOnPool } from '../../../../src/core/parallel/parallelLandscape';
import { PoolTerminated, WorkerPool, defaultThreads, resolveThreads } from '../../../../src/core/parallel/pool';
import { Rng } from '../../../../src/core/nn/rng';
import { Trainer } from '../../../../src/core/nn/trainer';
import type { PreparedData, TrainSpec } from '../../../../src/core/types';
import { buildPoolWorker } from '../../../../scripts/lib/poolWorkerBuild.mjs';


function spiral(rows: number, seed: number): PreparedData {
  const rng = new Rng(seed);
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    x[2 * i] = rng.normal();
    x[2 * i + 1] = rng.normal();
    y[i] = Math.sin(2 * x[2 * i]) * Math.cos(2 * x[2 * i + 1]) > 0 ? 1 : 0;
  }
  const empty = { n: 0, x: new Float64Array(0), y: new Float64Array(0) };
  return { task: 'binary', d: 2, outputs: 1, inputNames: ['x0', 'x1'], targetName: 'y', classes: ['0', '1'], train: { n: rows, x, y }, val: empty, mean: new Float64Array(2), std: new Float64Array([1, 1]), notes: [] };
}

/** Batch norm (running statistics matter in eval mode) and a residual block: every kind of state travels. */
const spec: TrainSpec = {
  network: {
    inputs: 2,
    layers: [
      { type: 'linear', units: 8 }, { type: 'batchnorm' }, { type: 'activation', name: 'relu' },
      { type: 'residual', layers: [{ type: 'linear', units: 8 }, { type: 'activation', name: 'tanh' }] },
      { type: 'linear', units: 1 },
    ],
  },
  loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 16, epochs: 1, seed: 3,
};

const ROOT = path.resolve(__dirname, '../../../..');

describe('worker pool', function () {
  this.timeout(120_000);
  let script: string;
  before(async () => { script = await buildPoolWorker(); });

  it('defaults to half the cores, at least 1 and at most 8; 0 or nonsense means the default', () => {
    assert.equal(defaultThreads(1), 1);
    assert.equal(defaultThreads(2), 1);
    assert.equal(defaultThreads(4), 2);
    assert.equal(defaultThreads(64), 8);
    assert.equal(resolveThreads(0, 4), 2);
    assert.equal(resolveThreads(undefined, 4), 2);
    assert.equal(resolveThreads(3, 4), 3);
    assert.equal(resolveThreads(20, 4), 8);
    assert.equal(resolveThreads(Number.NaN, 16), 8);
  });

  it('a landscape on 1 and 2 threads equals the one computed here, bit for bit', async () => {
    const trainer = new Trainer(spec, spiral(300, 1));
    trainer.runSteps(40);
    const options = { grid: 9, range: 0.8, seed: 4, sliceSize: 23 };
    const here = computeLandscape(trainer.network, 'bce', trainer.data.train, options)!;
    for (const threads of [1, 2]) {
      const pool = new WorkerPool(threads, script);
      try {
        const rowsSeen: number[] = [];
        const there = await computeLandscapeOnPool(pool, trainer.network, 'bce', trainer.data.train, options, (i) => { rowsSeen.push(i); });
        assert.deepEqual(rowsSeen, [...Array(9).keys()], 'rows arrive in order');
        assert.deepEqual(there, here, `${threads} thread(s)`);
        assert.ok(Number.isFinite(here.lossAtTheta) && here.max > here.min.loss);
      } finally {
        await pool.terminate();
      }
    }
  });

  it("a pool thread builds a landscape's network in an arena of its own, as the trained network lives in one", () => {
    // Without one, every product of a point's evaluation copied its operands: a pool thread ran at 0.4× this one.
    const trainer = new Trainer(spec, spiral(100, 2));
    assert.equal(engineBackend(), 'resident');
    assert.ok(trainer.network.arena !== null);
    const { evaluator } = createLandscape(trainer.network, 'bce', trainer.data.train, { grid: 3 });
    const state = [...evaluator.theta, ...trainer.network.saveState().slice(evaluator.theta.length)];
    openLandscape({ context: -1, spec: trainer.network.spec, state, loss: 'bce', sample: evaluator.sample, delta: evaluator.delta, eta: evaluator.eta });
    try {
      const opened = landscapeEvaluator(-1)!;
      assert.ok(opened.network.arena !== null, 'the pool thread\'s network has an arena');
      assert.equal(opened.lossAt(0.3, -0.2), evaluator.lossAt(0.3, -0.2));
    } finally {
      closeLandscape(-1);
      evaluator.restore();
    }
  });

  it('a stop from onRow ends early with null; terminate rejects what still runs', async () => {
    const trainer = new Trainer(spec, spiral(200, 2));
    const pool = new WorkerPool(2, script);
    try {
      const stopped = await computeLandscapeOnPool(pool, trainer.network, 'bce', trainer.data.train, { grid: 15 }, (i) => i < 2);
      assert.equal(stopped, null);
      // Terminated when its first row arrives, so rows are surely still running (a fixed wait raced a fast grid).
      let terminating: Promise<void> | undefined;
      const running = computeLandscapeOnPool(pool, trainer.network, 'bce', trainer.data.train, { grid: 31 }, () => {
        terminating ??= pool.terminate();
        return true;
      });
      await assert.rejects(running, PoolTerminated);
      await terminating;
      assert.ok(pool.terminated);
    } finally {
      await pool.terminate();
    }
  });

  it('trains networks on several threads to the numbers of training them here', async () => {
    const data = spiral(120, 5);
    const specs = [1, 2, 3].map(seed => ({ ...spec, seed, epochs: 2, snapshotEvery: 5 }));
    const pool = new WorkerPool(2, script);
    try {
      const last = new Map<number, { step: number; loss: number; gradNorms: number[] }>();
      let functions = 0;
      // Networks 0 and 2 on one thread (interleaved), 1 on the other, as Compare Networks splits them.
      await Promise.all([[0, 2], [1]].map((indices, w) => pool.run({
        kind: 'train', networks: indices.map(index => ({ index, spec: specs[index], data })), sliceMs: 5, progressIntervalMs: 10, functionIntervalMs: 50,
      }, {
        worker: w,
        onProgress: (p) => {
          for (const s of p.snapshots) last.set(s.index, { step: s.snapshot.step, loss: s.snapshot.loss, gradNorms: s.snapshot.layers.map(l => l.gradNorm) });
          functions += p.functions.length;
        },
      })));
      assert.ok(functions >= 3);
      for (const [index, s] of specs.entries()) {
        const single = new Trainer(s, data);
        let snap = single.snapshot();
        while (!single.done) { const r = single.stepBatch(); if (r.snapshotDue || single.done) snap = single.snapshot(); }
        assert.deepEqual(last.get(index), { step: single.step, loss: snap.loss, gradNorms: snap.layers.map(l => l.gradNorm) });
      }
    } finally {
      await pool.terminate();
    }
  });

  it('gradscope landscape --threads 2 prints the numbers of --threads 1 (the bundled CLI beside its pool script)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-cli-pool-'));
    try {
      for (const [entry, out] of [['src/cli/cli.ts', 'cli.js'], ['src/core/parallel/poolWorker.ts', 'poolWorker.js']]) {
        await esbuild.build({ entryPoints: [path.join(ROOT, entry)], outfile: path.join(dir, out), bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', mainFields: ['module', 'main'] });
      }
      const run = (threads: number) => {
        const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'landscape', path.join(ROOT, 'examples/deep-relu-he.nn.json'), '--grid', '7', '--rows', '80', '--steps', '5', '--threads', String(threads), '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
        assert.equal(r.status, 0, r.stderr);
        const { seconds: _seconds, ...numbers } = JSON.parse(r.stdout) as Record<string, unknown>;
        return numbers;
      };
      const one = run(1);
      assert.equal((one.rows as number[][]).length, 7);
      assert.deepEqual(run(2), one);
      const bad = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'landscape', path.join(ROOT, 'examples/deep-relu-he.nn.json'), '--threads', '9'], { encoding: 'utf8' });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--threads must be a whole number from 1 to 8/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
