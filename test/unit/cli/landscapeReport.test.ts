// `gradscope landscape --report`: the page's colours are d3-scale-chromatic's viridis exactly (no 9-stop
// approximation), its colour bar is labelled at the powers of ten, and the page stays script-free.
import { strict as assert } from 'node:assert';
import { interpolateViridis } from 'd3-scale-chromatic';
import { landscapeReportHtml, powerLabel, powersOfTen, viridis } from '../../../src/cli/landscapeReport';
import type { LandscapeResult } from '../../../src/core/analysis/landscape';

function synthetic(): LandscapeResult {
  // 5 × 5 losses from 1e-3 (centre) up to 10 at the corners: four decades.
  const axis = [-1, -0.5, 0, 0.5, 1];
  const rows = axis.map(b => axis.map(a => 10 ** (-3 + 2 * (a * a + b * b))));
  return {
    grid: 5, range: 1, seed: 0, rowsUsed: 10, loss: 'mse', axis, rows, lossAtTheta: rows[2][2],
    min: { alpha: 0, beta: 0, loss: 1e-3 }, max: 10, slice: { axis, losses: rows[2] },
  };
}

/** The heatmap cells' fills, in row-major SVG order (top row first). */
function cellFills(html: string): string[] {
  const svg = html.slice(html.indexOf('aria-label="loss landscape heatmap"'), html.indexOf('<g class="color-bar"'));
  return [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="\d+" height="\d+" fill="([^"]+)"\/>/g)].map(m => m[1]);
}

describe('landscape report', () => {
  it('colours each cell with d3-scale-chromatic\'s viridis at its log loss', () => {
    const r = synthetic();
    const fills = cellFills(landscapeReportHtml('synthetic', r, 0.1));
    assert.equal(fills.length, 25);
    const lo = Math.log(1e-3);
    const hi = Math.log(10);
    for (let j = 0; j < 5; j++) {
      for (let i = 0; i < 5; i++) {
        const expected = interpolateViridis((Math.log(r.rows[j][i]) - lo) / (hi - lo));
        assert.equal(fills[(4 - j) * 5 + i], expected, `cell α=${r.axis[i]}, β=${r.axis[j]}`);
      }
    }
    // Between the 9 stops the old table had, the exact map differs: e.g. t = 1/16 is #482173, not a blend of two stops.
    assert.equal(viridis(1 / 16), interpolateViridis(1 / 16));
    assert.equal(viridis(0), '#440154');
    assert.equal(viridis(1), '#fde725');
    assert.equal(viridis(Number.NaN), '#440154');
  });

  it('labels the colour bar at the powers of ten inside the range', () => {
    const html = landscapeReportHtml('synthetic', synthetic(), 0.1);
    const bar = html.slice(html.indexOf('<g class="color-bar"'), html.indexOf('</g>', html.indexOf('<g class="color-bar"')));
    const labels = [...bar.matchAll(/<text class="tick"[^>]*>([^<]+)<\/text>/g)].map(m => m[1]);
    assert.deepEqual(labels, ['1e-3', '0.01', '0.1', '1', '10']);
    assert.deepEqual(powersOfTen(-12.3, 0.2), [-12, -10, -8, -6, -4, -2, 0]);
    assert.deepEqual([-4, -3, -2, 0, 2, 4].map(powerLabel), ['1e-4', '1e-3', '0.01', '1', '100', '1e4']);
    assert.ok(!/<script/i.test(html), 'the page runs no script');
    // Under a decade (0.667 … 0.762): the round digit inside, and the two ends.
    const narrow = synthetic();
    narrow.rows = narrow.rows.map(row => row.map(v => 0.667 + (Math.log10(v) + 3) * 0.095 / 4));
    Object.assign(narrow, { min: { alpha: 0, beta: 0, loss: 0.667 }, max: 0.762 });
    const narrowHtml = landscapeReportHtml('narrow', narrow, 0.1);
    const narrowBar = narrowHtml.slice(narrowHtml.indexOf('<g class="color-bar"'));
    assert.deepEqual([...narrowBar.matchAll(/<text class="tick"[^>]*>([^<]+)<\/text>/g)].map(m => m[1]), ['0.7', '0.667', '0.762']);
  });
});
