import { strict as assert } from 'assert';
import fc from 'fast-check';
import { matTVec, matVec, SpectralNormEstimator } from '../../../../src/core/nn/spectralNorm';
import { Rng } from '../../../../src/core/nn/rng';

// The power iteration's mat-vecs run four rows per pass; every sum must still be the in-order sum of the plain
// loops, so ‖W‖₂ (and the snapshots that show it) keep their bits.

function plainMatVec(w: Float64Array, rows: number, cols: number, v: Float64Array): Float64Array {
  const u = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += w[r * cols + c] * v[c];
    u[r] = s;
  }
  return u;
}

function plainMatTVec(w: Float64Array, rows: number, cols: number, u: Float64Array): Float64Array {
  const v = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) v[c] += w[r * cols + c] * u[r];
  return v;
}

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

describe('spectral norm', () => {
  it('W·v and Wᵀ·u, four rows at a time, give the plain loops\' bits (any shape, tails of 1–3 rows)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 1, max: 19 }), fc.integer({ min: 1, max: 1e6 }), (rows, cols, seed) => {
      const rng = new Rng(seed);
      const w = Float64Array.from({ length: rows * cols }, () => rng.normal() * (rng.next() < 0.1 ? 1e8 : 1));
      const v = Float64Array.from({ length: cols }, () => rng.normal());
      const u = Float64Array.from({ length: rows }, () => rng.normal());
      const gotU = new Float64Array(rows);
      matVec(w, rows, cols, v, gotU);
      assert.equal(bits(gotU), bits(plainMatVec(w, rows, cols, v)));
      const gotV = new Float64Array(cols).fill(7); // overwritten, not accumulated into
      matTVec(w, rows, cols, u, gotV);
      assert.equal(bits(gotV), bits(plainMatTVec(w, rows, cols, u)));
    }), { numRuns: 300, seed: 5 });
  });

  it('estimates ‖W‖₂ of a known matrix and warm-starts in fewer iterations', () => {
    // diag(3, 2, 1) above two zero rows: singular values 3, 2, 1
    const rows = 5;
    const cols = 3;
    const w = new Float64Array([3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const estimator = new SpectralNormEstimator(rows, cols);
    assert.ok(Math.abs(estimator.estimate(w) - 3) < 1e-9);
    const cold = estimator.lastIterations;
    assert.ok(Math.abs(estimator.estimate(w) - 3) < 1e-12);
    assert.ok(estimator.lastIterations < cold, `warm ${estimator.lastIterations} vs cold ${cold}`);
  });
});
