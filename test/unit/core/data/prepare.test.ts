import { strict as assert } from 'node:assert';
import { prepareData, columnStatistics } from '../../../../src/core/data/prepare';
import { generateBuiltinDataset, BUILTIN_DATASETS, nielsenFunction } from '../../../../src/core/data/builtinDatasets';
import type { Dataset } from '../../../../src/core/types';

function dataset(x: number[], y: number[], d: number, task: Dataset['task'] = 'regression', classes?: string[]): Dataset {
  return {
    name: 't', inputNames: Array.from({ length: d }, (_, i) => `x${i}`), targetName: 'y',
    n: y.length, d, x: Float64Array.from(x), y: Float64Array.from(y), task, classes, notes: [],
  };
}

describe('prepareData', () => {
  it('splits by seed, standardises with training statistics only', () => {
    const n = 100;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ds = dataset(xs, xs.map(v => v * 0.5), 1);
    const a = prepareData(ds, { validation: 0.2, normalize: true, seed: 3 });
    const b = prepareData(ds, { validation: 0.2, normalize: true, seed: 3 });
    const c = prepareData(ds, { validation: 0.2, normalize: true, seed: 4 });
    assert.equal(a.train.n, 80);
    assert.equal(a.val.n, 20);
    assert.deepEqual(a.train.x, b.train.x);
    assert.notDeepEqual(a.train.y, c.train.y);
    // Recover the raw training inputs and check the statistics were taken from them alone.
    const raw = [...a.train.x].map(v => v * a.std[0] + a.mean[0]);
    const mean = raw.reduce((s, v) => s + v, 0) / raw.length;
    const sd = Math.sqrt(raw.reduce((s, v) => s + (v - mean) ** 2, 0) / raw.length);
    assert.ok(Math.abs(a.mean[0] - mean) < 1e-9 && Math.abs(a.std[0] - sd) < 1e-9);
    const trainMean = [...a.train.x].reduce((s, v) => s + v, 0) / a.train.n;
    assert.ok(Math.abs(trainMean) < 1e-12);
    // Each row keeps its own target: y = x / 2 in original units.
    for (let i = 0; i < a.val.n; i++) assert.ok(Math.abs(a.val.y[i] - (a.val.x[i] * a.std[0] + a.mean[0]) / 2) < 1e-9);
  });

  it('leaves inputs alone when normalize is off, and never divides a constant column by zero', () => {
    const ds = dataset([1, 5, 2, 5, 3, 5, 4, 5], [1, 2, 3, 4], 2);
    const raw = prepareData(ds, { validation: 0, normalize: false, seed: 1 });
    assert.deepEqual([...raw.mean], [0, 0]);
    assert.deepEqual([...raw.std], [1, 1]);
    const scaled = prepareData(ds, { validation: 0, normalize: true, seed: 1 });
    assert.equal(scaled.std[1], 1);
    for (let i = 0; i < 4; i++) assert.equal(scaled.train.x[i * 2 + 1], 0);
  });

  it('computes statistics of 1e300-sized values without overflow', () => {
    const mean = new Float64Array(1);
    const std = new Float64Array(1);
    columnStatistics({ n: 2, x: Float64Array.from([1e308, -1e308]), y: new Float64Array(2) }, 1, mean, std);
    assert.equal(mean[0], 0);
    assert.ok(Math.abs(std[0] / 1e308 - 1) < 1e-12);
  });

  it('stratifies the validation split by class', () => {
    const y = [...Array(90).fill(0), ...Array(10).fill(1)];
    const ds = dataset(y.map((_, i) => i), y, 1, 'binary', ['a', 'b']);
    const p = prepareData(ds, { validation: 0.2, normalize: true, seed: 9 });
    assert.equal([...p.val.y].filter(v => v === 1).length, 2);
    assert.equal([...p.val.y].filter(v => v === 0).length, 18);
    assert.equal(p.outputs, 1);
  });
});

describe('built-in datasets', () => {
  it('are reproducible by seed and differ across seeds', () => {
    for (const spec of BUILTIN_DATASETS) {
      const a = generateBuiltinDataset(spec.name, { samples: 200, noise: 0.1, seed: 5 });
      const b = generateBuiltinDataset(spec.name, { samples: 200, noise: 0.1, seed: 5 });
      const c = generateBuiltinDataset(spec.name, { samples: 200, noise: 0.1, seed: 6 });
      assert.deepEqual(a.x, b.x, spec.name);
      assert.notDeepEqual(a.x, c.x, spec.name);
      assert.equal(a.d, spec.inputs);
      assert.equal(a.task, spec.task);
      for (const v of a.x) assert.ok(Number.isFinite(v));
    }
  });

  it('circle without noise: labels follow the radius 2.5 boundary, half each', () => {
    const ds = generateBuiltinDataset('circle', { samples: 400, seed: 1 });
    let positives = 0;
    for (let i = 0; i < ds.n; i++) {
      const r = Math.hypot(ds.x[2 * i], ds.x[2 * i + 1]);
      assert.equal(ds.y[i], r < 2.5 ? 1 : 0);
      positives += ds.y[i];
    }
    assert.equal(positives, 200);
  });

  it('xor labels are the sign of x1·x2 and points keep the 0.3 gap', () => {
    const ds = generateBuiltinDataset('xor', { samples: 300, seed: 2 });
    for (let i = 0; i < ds.n; i++) {
      const [a, b] = [ds.x[2 * i], ds.x[2 * i + 1]];
      assert.ok(Math.abs(a) >= 0.3 && Math.abs(b) >= 0.3);
      assert.equal(ds.y[i], a * b >= 0 ? 1 : 0);
    }
  });

  it("nielsen's set lies on f(x) = 0.2 + 0.4x² + 0.3x·sin(15x) + 0.05·cos(50x) over [0, 1], noise is Gaussian", () => {
    assert.ok(Math.abs(nielsenFunction(0) - 0.25) < 1e-15);
    assert.ok(Math.abs(nielsenFunction(1) - (0.6 + 0.3 * Math.sin(15) + 0.05 * Math.cos(50))) < 1e-15);
    const clean = generateBuiltinDataset('nielsen', { samples: 500, seed: 3 });
    for (let i = 0; i < clean.n; i++) {
      assert.ok(clean.x[i] >= 0 && clean.x[i] <= 1);
      assert.equal(clean.y[i], nielsenFunction(clean.x[i]));
    }
    const noisy = generateBuiltinDataset('nielsen', { samples: 20000, noise: 0.1, seed: 3 });
    let sq = 0;
    for (let i = 0; i < noisy.n; i++) sq += (noisy.y[i] - nielsenFunction(noisy.x[i])) ** 2;
    assert.ok(Math.abs(Math.sqrt(sq / noisy.n) - 0.1) < 0.005);
  });
});
