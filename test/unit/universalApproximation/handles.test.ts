import { strict as assert } from 'node:assert';
import { buildBumps } from '../../../src/core/analysis/uat';
import { applyDrag, applyKey, fromPixelX, handlePosition, handlesOf, hitTest, type Plot } from '../../../webview/universalApproximation/handles';

const plot: Plot = { left: 40, top: 10, width: 500, height: 300, x0: 0, x1: 1, y0: -0.5, y1: 1.5 };
const net = buildBumps({ kind: 'function', f: x => x }, 4, { range: [0, 1], steepness: 100 });

function changed(a: typeof net, b: typeof net): string[] {
  const out: string[] = [];
  a.units.forEach((u, i) => (['w', 'b', 'v'] as const).forEach(k => { if (u[k] !== b.units[i][k]) out.push(`${k}${i}`); }));
  if (a.outputBias !== b.outputBias) out.push('c');
  return out;
}

describe('universal approximation panel: handles', () => {
  it('has a left step, a height and a right step per bump', () => {
    assert.deepEqual(handlesOf(net).map(h => (h.kind === 'step' ? `${h.side}${h.unit}` : `h${h.bump}`)), ['left0', 'h0', 'right1', 'left2', 'h1', 'right3', 'left4', 'h2', 'right5', 'left6', 'h3', 'right7']);
  });

  it('a drag of a step changes only its bias (b = −w·s); of a height only the pair’s output weights (±h)', () => {
    const step = handlesOf(net)[3];
    const moved = applyDrag(net, step, 0.3, 99);
    assert.deepEqual(changed(net, moved), ['b2']);
    assert.equal(moved.units[2].b, -100 * 0.3);
    const height = handlesOf(net)[4];
    const raised = applyDrag(net, height, 99, 0.8);
    assert.deepEqual(changed(net, raised), ['v2', 'v3']);
    assert.deepEqual([raised.units[2].v, raised.units[3].v], [0.8, -0.8]);
  });

  it('arrow keys move a step by 1 % of the x window (10 % with Shift) and a height by 1 % of the y window', () => {
    const step = handlesOf(net)[0];
    const s0 = -net.units[0].b / net.units[0].w;
    const right = applyKey(net, step, 'ArrowRight', false, plot)!;
    assert.deepEqual(changed(net, right), ['b0']);
    assert.ok(Math.abs(-right.units[0].b / 100 - (s0 + 0.01)) < 1e-12);
    const far = applyKey(net, step, 'ArrowLeft', true, plot)!;
    assert.ok(Math.abs(-far.units[0].b / 100 - (s0 - 0.1)) < 1e-12);
    const up = applyKey(net, handlesOf(net)[1], 'ArrowUp', false, plot)!;
    assert.deepEqual(changed(net, up), ['v0', 'v1']);
    assert.ok(Math.abs(up.units[0].v - (net.units[0].v + 0.02)) < 1e-12);
    assert.equal(applyKey(net, step, 'Enter', false, plot), undefined);
  });

  it('finds the handle under the pointer, and the drag lands where the pointer is', () => {
    const handle = handlesOf(net)[4];
    const p = handlePosition(net, handle, plot);
    assert.deepEqual(hitTest(net, plot, p.x + 2, p.y - 2), handle);
    const left = handlesOf(net)[3];
    const q = handlePosition(net, left, plot);
    assert.deepEqual(hitTest(net, plot, q.x, q.y), left);
    assert.equal(hitTest(net, plot, q.x, q.y - 60), undefined);
    assert.ok(Math.abs(fromPixelX(plot, q.x) - 0.25) < 1e-12);
  });
});
