// Contour lines of a grid by marching squares: for each level, the segments where the interpolated surface crosses
// it, in grid coordinates (column, row). Rows not yet computed (shorter `rows`) simply have no segments yet.

export type Segment = [number, number, number, number];

/** Crossing point on the edge from (x0, y0) with value a to (x1, y1) with value b. */
function cross(x0: number, y0: number, a: number, x1: number, y1: number, b: number, level: number): [number, number] {
  const t = (level - a) / (b - a);
  return [x0 + (x1 - x0) * t, y0 + (y1 - y0) * t];
}

export function contourSegments(rows: ArrayLike<number>[], level: number): Segment[] {
  const out: Segment[] = [];
  for (let j = 0; j + 1 < rows.length; j++) {
    const r0 = rows[j];
    const r1 = rows[j + 1];
    for (let i = 0; i + 1 < r0.length; i++) {
      // Corners counter-clockwise from the bottom left: (i, j), (i+1, j), (i+1, j+1), (i, j+1).
      const v = [r0[i], r0[i + 1], r1[i + 1], r1[i]];
      if (!v.every(Number.isFinite)) continue;
      const p: [number, number][] = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
      const points: [number, number][] = [];
      for (let e = 0; e < 4; e++) {
        const a = v[e];
        const b = v[(e + 1) % 4];
        if ((a < level) !== (b < level)) points.push(cross(p[e][0], p[e][1], a, p[(e + 1) % 4][0], p[(e + 1) % 4][1], b, level));
      }
      if (points.length === 2) out.push([points[0][0], points[0][1], points[1][0], points[1][1]]);
      else if (points.length === 4) {
        // A saddle: pair the crossings by the cell's mean, the usual disambiguation.
        const centreAbove = (v[0] + v[1] + v[2] + v[3]) / 4 >= level;
        const bottomLeftAbove = v[0] >= level;
        if (centreAbove === bottomLeftAbove) {
          out.push([points[0][0], points[0][1], points[1][0], points[1][1]], [points[2][0], points[2][1], points[3][0], points[3][1]]);
        } else {
          out.push([points[0][0], points[0][1], points[3][0], points[3][1]], [points[1][0], points[1][1], points[2][0], points[2][1]]);
        }
      }
    }
  }
  return out;
}

/** `count` levels evenly spaced strictly inside (lo, hi), in the shown scale (log when asked). */
export function contourLevels(lo: number, hi: number, count: number, log: boolean): number[] {
  if (!(hi > lo)) return [];
  const f = log ? Math.log : (x: number) => x;
  const g = log ? Math.exp : (x: number) => x;
  const a = f(Math.max(lo, log ? 1e-300 : lo));
  const b = f(hi);
  return Array.from({ length: count }, (_, k) => g(a + ((b - a) * (k + 1)) / (count + 1)));
}
