import { strict as assert } from 'node:assert';
import { contourLevels, contourSegments } from '../../../../src/core/analysis/contours';

describe('landscape contour lines (marching squares)', () => {
  it('on a cone, every segment end lies on the circle of the level (linear interpolation along grid edges)', () => {
    const n = 21;
    const c = 10;
    const rows = Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, i) => Math.hypot(i - c, j - c)));
    const segments = contourSegments(rows, 5.5);
    assert.ok(segments.length > 20);
    for (const [x0, y0, x1, y1] of segments) {
      // Along a grid edge the cone is not linear, so the ends sit near (not on) the circle: within a cell's chord error.
      assert.ok(Math.abs(Math.hypot(x0 - c, y0 - c) - 5.5) < 0.06, `${x0},${y0}`);
      assert.ok(Math.abs(Math.hypot(x1 - c, y1 - c) - 5.5) < 0.06, `${x1},${y1}`);
    }
    // The segments close into one loop: each end point is shared by exactly two segments.
    const key = (x: number, y: number) => `${x.toFixed(9)},${y.toFixed(9)}`;
    const degree = new Map<string, number>();
    for (const [x0, y0, x1, y1] of segments) for (const k of [key(x0, y0), key(x1, y1)]) degree.set(k, (degree.get(k) ?? 0) + 1);
    assert.ok([...degree.values()].every(d => d === 2));
  });

  it('draws nothing for a level outside the values, for rows not computed yet, or over non-finite cells', () => {
    const rows = [[1, 2, 3], [2, 3, 4]];
    assert.deepEqual(contourSegments(rows, 10), []);
    assert.deepEqual(contourSegments(rows.slice(0, 1), 2.5), []);
    assert.deepEqual(contourSegments([[1, NaN], [2, 3]], 1.5), []);
  });

  it('levels sit strictly inside the range, evenly in the shown scale', () => {
    assert.deepEqual(contourLevels(0, 10, 4, false), [2, 4, 6, 8]);
    const log = contourLevels(0.01, 100, 3, true);
    assert.ok(Math.abs(log[1] - 1) < 1e-12);
    assert.ok(Math.abs(log[0] / 0.01 - log[1] / log[0]) < 1e-9);
    assert.deepEqual(contourLevels(2, 2, 5, false), []);
  });
});
