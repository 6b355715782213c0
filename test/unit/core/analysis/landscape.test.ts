import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { loadRun } from '../../../../src/core/config/config';
import {
  LandscapeEvaluator, computeLandscape, filterNormalizedDirection, landscapeAxis, landscapeDirections, landscapeRoughness, landscapeSample,
  skipConnectionVariants, withSkipConnections, withoutSkipConnections,
} from '../../../../src/core/analysis/landscape';
import { Linear, Network } from '../../../../src/core/nn/network';
import { findPreset, presetConfigText } from '../../../../src/core/config/presets';
import { Rng } from '../../../../src/core/nn/rng';
import { Trainer } from '../../../../src/core/nn/trainer';
import type { DataSplit, NetworkSpec } from '../../../../src/core/types';

const root = path.resolve(__dirname, '../../../..');

function randomSplit(n: number, d: number, seed: number, target: (x: Float64Array) => number): DataSplit {
  const rng = new Rng(seed);
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = rng.normal();
    y[i] = target(x.subarray(i * d, (i + 1) * d));
  }
  return { n, x, y };
}

/** Linear, batch norm, PReLU, a residual block whose width changes (so it has a skip projection), output. */
const mixedSpec: NetworkSpec = {
  inputs: 3,
  layers: [
    { type: 'linear', units: 6 },
    { type: 'batchnorm' },
    { type: 'activation', name: 'prelu', perUnit: true },
    { type: 'residual', layers: [{ type: 'linear', units: 5 }, { type: 'activation', name: 'tanh' }] },
    { type: 'linear', units: 1 },
  ],
};

function rowNorm(v: Float64Array, r: number, cols: number): number {
  let s = 0;
  for (let c = 0; c < cols; c++) s += v[r * cols + c] ** 2;
  return Math.sqrt(s);
}

describe('loss landscape (Li et al. 2018)', function () {
  this.timeout(120_000);

  it('filter-normalises: each weight row of the direction has the norm of θ\'s row; biases, batch norm and PReLU slopes get 0', () => {
    const net = new Network(mixedSpec, 7);
    // Make the batch norm and PReLU parameters non-trivial, so a zero direction is not an accident of their init.
    for (const p of net.parameters) if (p.role !== 'weight' && p.role !== 'projection') p.value.fill(0.3);
    const d = filterNormalizedDirection(net, new Rng(3));
    assert.equal(d.length, net.parameters.length);
    const linears: Linear[] = [...net.linearLayers.map(l => l.linear), ...net.projections];
    assert.equal(linears.length, 4, 'three numbered layers and one projection');
    const checked = new Set<number>();
    for (const l of linears) {
      const theta = l.weight.value;
      const dir = d[l.weight.index];
      for (let r = 0; r < l.outWidth; r++) {
        const want = rowNorm(theta, r, l.inWidth);
        assert.ok(want > 0);
        assert.ok(Math.abs(rowNorm(dir, r, l.inWidth) - want) <= 1e-12 * want, `${l.weight.name} row ${r}`);
      }
      // A random direction, not θ itself: the cosine with θ is well below 1.
      let dot = 0;
      let nt = 0;
      let nd = 0;
      for (let i = 0; i < theta.length; i++) { dot += theta[i] * dir[i]; nt += theta[i] ** 2; nd += dir[i] ** 2; }
      assert.ok(Math.abs(dot) / Math.sqrt(nt * nd) < 0.9, `${l.weight.name} direction is not θ`);
      checked.add(l.weight.index);
    }
    const zeroRoles = new Set<string>();
    for (const p of net.parameters) {
      if (checked.has(p.index)) continue;
      assert.ok(d[p.index].every(v => v === 0), `${p.name} (${p.role}) gets a zero direction`);
      zeroRoles.add(p.role);
    }
    assert.deepEqual([...zeroRoles].sort(), ['beta', 'bias', 'gamma', 'slope']);
  });

  it('the grid\'s centre is exactly the loss at θ, which is the trainer\'s training loss in eval mode; θ is restored', () => {
    const spec: NetworkSpec = { inputs: 2, layers: [{ type: 'linear', units: 8 }, { type: 'batchnorm' }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 1 }] };
    const train = randomSplit(120, 2, 5, x => Math.sin(x[0]) + x[1] * x[1]);
    const data = { task: 'regression' as const, d: 2, outputs: 1, inputNames: ['a', 'b'], targetName: 'y', train, val: { n: 0, x: new Float64Array(0), y: new Float64Array(0) }, mean: new Float64Array(2), std: new Float64Array([1, 1]), notes: [] };
    const trainer = new Trainer({ network: spec, loss: 'mse', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 16, epochs: 1, seed: 3 }, data);
    trainer.runSteps(20);
    const before = trainer.network.saveState();
    const result = computeLandscape(trainer.network, 'mse', train, { grid: 7, range: 0.5, seed: 2 })!;
    assert.equal(result.rows.length, 7);
    assert.equal(result.axis[3], 0);
    assert.equal(result.rows[3][3], result.lossAtTheta);
    assert.equal(result.lossAtTheta, trainer.evaluate('train')!.loss);
    // Away from the centre the loss differs, and the minimum is no higher than the centre.
    assert.notEqual(result.rows[0][0], result.lossAtTheta);
    assert.ok(result.min.loss <= result.lossAtTheta);
    assert.deepEqual(trainer.network.saveState(), before);
  });

  it('a sample past one chunk (1,024 rows) gives the mean loss over every row; past maxRows an evenly strided subsample', () => {
    const net = new Network({ inputs: 2, layers: [{ type: 'linear', units: 4 }, { type: 'activation', name: 'tanh' }, { type: 'linear', units: 1 }] }, 3);
    const train = randomSplit(2500, 2, 4, x => x[0] - x[1]);
    const full = computeLandscape(net, 'mse', train, { grid: 3, maxRows: 5000 })!;
    assert.equal(full.rowsUsed, 2500);
    const out = net.predict(train.x, train.n);
    let sq = 0;
    for (let i = 0; i < train.n; i++) sq += (out[i] - train.y[i]) ** 2;
    assert.ok(Math.abs(full.lossAtTheta - sq / train.n) <= 1e-12 * full.lossAtTheta);
    assert.equal(full.rows[1][1], full.lossAtTheta);
    const sub = landscapeSample(train, 2, 1000);
    assert.equal(sub.n, 1000);
    // Row k of the subsample is row floor(k · 2500 / 1000) of the split.
    assert.deepEqual(Array.from(sub.x.subarray(2 * 7, 2 * 8)), Array.from(train.x.subarray(2 * 17, 2 * 18)));
    assert.equal(sub.y[7], train.y[17]);
  });

  it('a seed fixes the directions and the grid; another seed gives another plane', () => {
    const train = randomSplit(60, 3, 9, x => (x[0] > x[1] ? 1 : 0));
    const make = (seed: number) => {
      const net = new Network(mixedSpec, 4);
      return computeLandscape(net, 'bce', train, { grid: 5, seed })!;
    };
    const a = make(11);
    const b = make(11);
    const c = make(12);
    assert.deepEqual(a.rows, b.rows);
    assert.deepEqual(a.slice, b.slice);
    assert.equal(a.rows[2][2], c.rows[2][2], 'the centre does not depend on the directions');
    assert.notDeepEqual(a.rows, c.rows);
    const net = new Network(mixedSpec, 4);
    assert.deepEqual(landscapeDirections(net, 5), landscapeDirections(net, 5));
  });

  it('stopping the row stream early restores θ and yields rows in order', () => {
    const net = new Network(mixedSpec, 2);
    const train = randomSplit(30, 3, 1, x => x[0]);
    const before = net.saveState();
    const { delta, eta } = landscapeDirections(net, 0);
    const evaluator = new LandscapeEvaluator(net, 'mse', train, delta, eta);
    const seen: number[] = [];
    for (const row of evaluator.rows(landscapeAxis(9, 1))) {
      seen.push(row.index);
      assert.equal(row.losses.length, 9);
      if (row.index === 2) break;
    }
    assert.deepEqual(seen, [0, 1, 2]);
    assert.deepEqual(net.saveState(), before);
  });

  it('the 1-D slice of a linear model with MSE is the closed-form parabola', () => {
    // L(α) = mean((r + α·u)²) with r = Xw + b − y and u = X·d (the bias direction is 0):
    //      = mean(r²) + 2α·mean(r·u) + α²·mean(u²).
    const d = 4;
    const net = new Network({ inputs: d, layers: [{ type: 'linear', units: 1 }] }, 1);
    const train = randomSplit(50, d, 8, x => 2 * x[0] - x[2] + 0.5);
    const { delta, eta } = landscapeDirections(net, 6);
    assert.ok(delta[1].every(v => v === 0), 'bias direction is zero');
    const w = net.parameters[0].value;
    const b = net.parameters[1].value[0];
    let rr = 0;
    let ru = 0;
    let uu = 0;
    for (let i = 0; i < train.n; i++) {
      let r = b - train.y[i];
      let u = 0;
      for (let j = 0; j < d; j++) { r += w[j] * train.x[i * d + j]; u += delta[0][j] * train.x[i * d + j]; }
      rr += r * r; ru += r * u; uu += u * u;
    }
    rr /= train.n; ru /= train.n; uu /= train.n;
    const evaluator = new LandscapeEvaluator(net, 'mse', train, delta, eta);
    const axis = landscapeAxis(21, 2);
    const slice = evaluator.slice(axis);
    axis.forEach((alpha, i) => {
      const want = rr + 2 * alpha * ru + alpha * alpha * uu;
      assert.ok(Math.abs(slice[i] - want) <= 1e-12 * Math.max(1, want), `α=${alpha}: ${slice[i]} vs ${want}`);
    });
  });

  it('skip connections on/off: the residual preset and the deep tanh preset are each other\'s variants', async () => {
    const build = async (preset: string) => (await loadRun({ kind: 'builtin', builtin: 'sine', preset }, { seed: 1 }, presetConfigText)).train.network;
    assert.ok(findPreset('residual') && findPreset('deep-tanh'));
    const residual = await build('residual');
    const plain = await build('deep-tanh');
    assert.deepEqual(withoutSkipConnections(residual), plain);
    assert.deepEqual(withSkipConnections(plain, 2), residual);
    const both = skipConnectionVariants(residual);
    assert.deepEqual(both, { plain, residual });
    assert.equal(new Network(both.plain, 1).parameterCount, new Network(both.residual, 1).parameterCount);
  });

  it('roughness: mean |Laplacian| relative to the range is 0 on a plane, small on a bowl, large on a checkerboard', () => {
    const grid = (f: (i: number, j: number) => number) => Array.from({ length: 11 }, (_, j) => Array.from({ length: 11 }, (_, i) => f(i, j)));
    assert.equal(landscapeRoughness(grid((i, j) => 2 * i + j)), 0);
    const bowl = landscapeRoughness(grid((i, j) => (i - 5) ** 2 + (j - 5) ** 2));
    assert.ok(Math.abs(bowl - 4 / 50) < 1e-12, String(bowl));
    assert.ok(landscapeRoughness(grid((i, j) => (i + j) % 2)) > 1);
  });

  it('gradscope landscape --json prints the axis, the rows of losses, the loss at θ and the slice; --report writes the heatmap page', async () => {
    // The real command line in its own process, as a user runs it.
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'cli', 'cli.ts'), 'landscape', ...args], {
      cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' },
    });
    const ok = run([path.join(root, 'examples/deep-relu-he.nn.json'), '--grid', '5', '--range', '0.5', '--rows', '60', '--steps', '3', '--seed', '4', '--json']);
    assert.equal(ok.status, 0, ok.stderr);
    const stdout = ok.stdout;
    const out = JSON.parse(stdout) as Record<string, unknown> & { axis: number[]; rows: number[][]; lossAtTheta: number; slice: { axis: number[]; losses: number[] } };
    assert.deepEqual(out.axis, [-0.5, -0.25, 0, 0.25, 0.5]);
    assert.equal(out.rows.length, 5);
    for (const row of out.rows) assert.equal(row.length, 5);
    assert.equal(out.rows[2][2], out.lossAtTheta);
    assert.equal(out.seed, 4);
    assert.equal(out.rowsUsed, 60);
    assert.equal(out.steps, 3);
    assert.equal(out.slice.axis.length, out.slice.losses.length);
    assert.equal(out.slice.losses[(out.slice.losses.length - 1) / 2], out.lossAtTheta);
    assert.ok(typeof out.roughness === 'number');

    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-landscape-')), 'landscape.html');
    const withReport = run([path.join(root, 'examples/deep-relu-he.nn.json'), '--grid', '5', '--rows', '60', '--report', report]);
    assert.equal(withReport.status, 0, withReport.stderr);
    const html = fs.readFileSync(report, 'utf8');
    const heatmap = html.slice(html.indexOf('aria-label="loss landscape heatmap"'), html.indexOf('<g class="color-bar"'));
    const fills = [...heatmap.matchAll(/<rect [^>]*fill="([^"]+)"\/>/g)].map(m => m[1]);
    assert.equal(fills.length, 25, 'one cell per grid point');
    // d3-scale-chromatic's viridis: the lowest cell at its first colour, the highest at its last.
    assert.ok(fills.includes('#440154') && fills.includes('#fde725') && fills.every(f => /^#[0-9a-f]{6}$/.test(f)), fills.join(' '));
    assert.match(html, /<g class="color-bar"/);
    assert.match(html, /<polyline points="/);
    assert.doesNotMatch(html, /<script/);
    fs.rmSync(path.dirname(report), { recursive: true, force: true });

    const bad = run([path.join(root, 'examples/deep-relu-he.nn.json'), '--grid', '4']);
    assert.equal(bad.status, 2);
    const err = bad.stderr;
    assert.match(err, /--grid must be odd/);
  });
});
