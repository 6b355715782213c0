import { strict as assert } from 'node:assert';
import { generateBuiltinDataset, nielsenFunction } from '../../../../src/core/data/builtinDatasets';
import { Network } from '../../../../src/core/nn/network';
import { sigmoid } from '../../../../src/core/activations/activations';
import {
  addBump, buildBumps, buildTowers, bumpValue, errorCurve, evaluate, evaluateTowers, fromModuleParams, intervalMeans,
  meanSquaredError, moveStep, networkSpecFor, removeBump, setBumpHeight, setSteepness, stepPosition, steepnessFor,
  toModuleParams, towerError, towerModuleParams, type OneHiddenLayerNetwork,
} from '../../../../src/core/analysis/uat';

const nielsen = generateBuiltinDataset('nielsen', { samples: 500, seed: 0 });
const xs = Array.from(nielsen.x);
const ys = Array.from(nielsen.y);

describe('universal approximation: building bumps', () => {
  it('puts N bumps on equal intervals with b = −w·s and output weights ±f(midpoint)', () => {
    const n = 4;
    const w = 300;
    const net = buildBumps({ kind: 'function', f: nielsenFunction }, n, { range: [0, 1], steepness: w });
    assert.equal(net.units.length, 2 * n);
    assert.equal(net.outputBias, 0);
    // Boundaries 0, .25, .5, .75, 1; the outer two moved half an interval (0.125) outwards.
    const positions = [-0.125, 0.25, 0.5, 0.75, 1.125];
    for (let k = 0; k < n; k++) {
      const left = net.units[2 * k];
      const right = net.units[2 * k + 1];
      const h = nielsenFunction((k + 0.5) / n);
      assert.deepEqual([left.w, right.w], [w, w]);
      assert.equal(left.b, -w * positions[k]);
      assert.equal(right.b, -w * positions[k + 1]);
      assert.equal(left.v, h);
      assert.equal(right.v, -h);
    }
  });

  it('takes heights from the mean target in each interval, and an empty interval from its nearest neighbour', () => {
    const x = [0, 0.1, 0.2, 0.9, 1];
    const y = [1, 2, 6, 10, 20];
    assert.deepEqual(intervalMeans(x, y, [0, 1], 4), [3, 3, 15, 15]);
    const net = buildBumps({ kind: 'data', xs: x, ys: y }, 4);
    assert.deepEqual(net.units.map(u => u.v), [3, -3, 3, -3, 15, -15, 15, -15]);
    // Default steepness: the 1 %–99 % rise spans 2 % of an interval (0.25 wide).
    const w = steepnessFor(0.25);
    assert.ok(Math.abs(sigmoid(w * 0.0025) - 0.99) < 1e-9, `σ at 1 % of an interval past the step: ${sigmoid(w * 0.0025)}`);
    assert.equal(net.units[0].w, w);
  });

  it('evaluates as outputBias + Σ v·σ(w·x + b), the same numbers as the core network with these weights', () => {
    const net = buildBumps({ kind: 'data', xs, ys }, 7, { steepness: 60 });
    const core = new Network(networkSpecFor(net.units.length), 1);
    core.importParams(toModuleParams(net));
    const ws = core.createWorkspace(xs.length);
    const out = core.forward(ws, Float64Array.from(xs), xs.length, 'eval');
    for (let i = 0; i < xs.length; i += 37) assert.ok(Math.abs(out[i] - evaluate(net, xs[i])) < 1e-12, `row ${i}`);
    assert.deepEqual(fromModuleParams(toModuleParams(net)), net);
    let sum = 0;
    for (let k = 0; k < 7; k++) sum += bumpValue(net, k, 0.3);
    assert.ok(Math.abs(sum - evaluate(net, 0.3)) < 1e-15);
  });

  it("on Nielsen's f the error falls as N grows, below 2 % of its N = 5 value by N = 100", () => {
    const ns = [5, 10, 20, 50, 100];
    const curve = errorCurve({ kind: 'function', f: nielsenFunction }, xs, ys, ns);
    for (let i = 1; i < curve.length; i++) assert.ok(curve[i].mse < curve[i - 1].mse, JSON.stringify(curve));
    const ratio = curve[4].mse / curve[0].mse;
    assert.ok(ratio < 0.02, `MSE(100)/MSE(5) = ${ratio}`);
    // Heights from the data's interval means behave the same way.
    const fromData = errorCurve({ kind: 'data', xs, ys }, xs, ys, [5, 100]);
    assert.ok(fromData[1].mse / fromData[0].mse < 0.02, JSON.stringify(fromData));
  });
});

describe('universal approximation: edits change exactly the weights they name', () => {
  const base: OneHiddenLayerNetwork = buildBumps({ kind: 'function', f: nielsenFunction }, 3, { range: [0, 1], steepness: 50 });

  it('moving a step sets b = −w·s of that unit only', () => {
    const moved = moveStep(base, 3, 0.42);
    assert.equal(moved.units[3].b, -50 * 0.42);
    assert.equal(stepPosition(moved.units[3]), 0.42);
    moved.units.forEach((u, i) => {
      assert.equal(u.w, base.units[i].w);
      assert.equal(u.v, base.units[i].v);
      if (i !== 3) assert.equal(u.b, base.units[i].b);
    });
    assert.notEqual(base.units[3].b, moved.units[3].b, 'the input is not mutated');
  });

  it("setting a bump's height sets +h and −h on its pair only", () => {
    const edited = setBumpHeight(base, 1, 0.7);
    assert.deepEqual([edited.units[2].v, edited.units[3].v], [0.7, -0.7]);
    edited.units.forEach((u, i) => {
      assert.equal(u.w, base.units[i].w);
      assert.equal(u.b, base.units[i].b);
      if (i !== 2 && i !== 3) assert.equal(u.v, base.units[i].v);
    });
  });

  it('changing the steepness keeps every step where it was: w′ = w_new, b′ = −w_new·s', () => {
    const steeper = setSteepness(base, 400);
    steeper.units.forEach((u, i) => {
      const s = -base.units[i].b / base.units[i].w;
      assert.equal(u.w, 400);
      assert.equal(u.b, -400 * s);
      assert.equal(u.v, base.units[i].v);
    });
    const one = setSteepness(base, 9, [0]);
    assert.equal(one.units[0].w, 9);
    assert.deepEqual(one.units.slice(1), base.units.slice(1));
  });

  it('adds and removes a bump as a pair', () => {
    const added = addBump(base, 0.6, 0.2, 0.3, 80);
    assert.equal(added.units.length, 8);
    assert.deepEqual(added.units.slice(6), [{ w: 80, b: -80 * 0.2, v: 0.3 }, { w: 80, b: -80 * 0.6, v: -0.3 }]);
    const removed = removeBump(added, 1);
    assert.deepEqual(removed.units, [...base.units.slice(0, 2), ...base.units.slice(4), ...added.units.slice(6)]);
  });

  it('an edit moves the error: a bump pushed far off the data makes it worse', () => {
    const net = buildBumps({ kind: 'function', f: nielsenFunction }, 10, { range: [0, 1] });
    const before = meanSquaredError(net, xs, ys);
    const after = meanSquaredError(setBumpHeight(net, 4, 2), xs, ys);
    assert.ok(after > before * 10, `${before} → ${after}`);
  });
});

describe('universal approximation: towers in two inputs', () => {
  const plane = generateBuiltinDataset('multi-gauss', { samples: 2000, seed: 3 });
  const px = Array.from({ length: plane.n }, (_, i) => plane.x[2 * i]);
  const py = Array.from({ length: plane.n }, (_, i) => plane.x[2 * i + 1]);
  const targets = Array.from(plane.y);

  it('a tower is ≈ its height inside its cell and ≈ 0 elsewhere', () => {
    const x = [0, 1, 2, 0, 1, 2, 0, 1, 2];
    const y = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const t = [0, 0, 0, 0, 5, 0, 0, 0, 0];
    const net = buildTowers(x, y, t, 3);
    assert.equal(net.heights[4], 5);
    const out = evaluateTowers(net, [1, 0, 2, 1], [1, 0, 1, 2]);
    assert.ok(Math.abs(out[0] - 5) < 1e-3, `inside ${out[0]}`);
    for (const v of out.slice(1)) assert.ok(Math.abs(v) < 1e-3, `outside ${v}`);
  });

  it('its layer weights follow the construction and compute the same function', () => {
    const net = buildTowers(px, py, targets, 4);
    const layers = towerModuleParams(net);
    const first = layers[0];
    const second = layers[2];
    assert.ok(first.type === 'linear' && second.type === 'linear');
    assert.equal(first.weight.length, 10);
    assert.equal(second.weight.length, 16);
    const k = net.towerSteepness;
    // Tower (i = 1, j = 2): +K, −K on x-steps 1, 2; +K, −K on y-steps 2, 3; bias −3K/2.
    const row = second.weight[2 * 4 + 1];
    assert.deepEqual(row.map((v, c) => (v !== 0 ? [c, v] : null)).filter(Boolean), [[1, k], [2, -k], [7, k], [8, -k]]);
    assert.equal(second.bias?.[9], -1.5 * k);
    const spec = { inputs: 2, layers: [{ type: 'linear' as const, units: 10 }, { type: 'activation' as const, name: 'sigmoid' as const }, { type: 'linear' as const, units: 16 }, { type: 'activation' as const, name: 'sigmoid' as const }, { type: 'linear' as const, units: 1 }] };
    const core = new Network(spec, 1);
    core.importParams(layers);
    const input = new Float64Array(px.length * 2);
    px.forEach((v, i) => { input[2 * i] = v; input[2 * i + 1] = py[i]; });
    const out = core.forward(core.createWorkspace(px.length), input, px.length, 'eval');
    const ours = evaluateTowers(net, px, py);
    for (let i = 0; i < px.length; i += 101) assert.ok(Math.abs(out[i] - ours[i]) < 1e-9, `row ${i}: ${out[i]} vs ${ours[i]}`);
  });

  it('the error falls as N grows', () => {
    const errors = [2, 4, 8, 16].map(n => towerError(buildTowers(px, py, targets, n), px, py, targets));
    for (let i = 1; i < errors.length; i++) assert.ok(errors[i] < errors[i - 1], errors.join(', '));
  });
});
