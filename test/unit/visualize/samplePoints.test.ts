// The data points the Visualize panel draws under the function: a sample of at most maxPoints rows in original
// units, and the data's row count when the sample leaves rows out (the page says "N of M data points drawn").
import { strict as assert } from 'node:assert';
import { samplePoints } from '../../../src/visualize/trainingWorker';
import type { PreparedData } from '../../../src/core/types';

function data(trainRows: number, valRows: number): PreparedData {
  const split = (n: number, offset: number) => ({ n, x: Float64Array.from({ length: n }, (_, i) => i + offset), y: Float64Array.from({ length: n }, (_, i) => (i + offset) % 2) });
  return {
    task: 'binary', d: 1, outputs: 1, inputNames: ['x'], targetName: 'y', classes: ['0', '1'],
    train: split(trainRows, 0), val: split(valRows, 1000), mean: Float64Array.of(10), std: Float64Array.of(2), notes: [],
  } as PreparedData;
}

describe('samplePoints', () => {
  it('keeps every row when they fit, in original units, and gives no total', () => {
    const points = samplePoints(data(30, 10), 2000);
    assert.equal(points.y.length, 40);
    assert.equal(points.total, undefined);
    assert.deepEqual(points.x[1], [1 * 2 + 10]);
    assert.deepEqual(points.split.filter(s => s === 'val').length, 10);
  });

  it('a sample of at most maxPoints rows, train and validation in proportion, with the data\'s row count', () => {
    const points = samplePoints(data(8000, 2000), 500);
    assert.ok(points.y.length <= 500 && points.y.length >= 499, String(points.y.length));
    assert.equal(points.total, 10000);
    assert.equal(points.split.filter(s => s === 'val').length, 100);
  });
});
