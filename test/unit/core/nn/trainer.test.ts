import { strict as assert } from 'assert';
import { functionView } from '../../../../src/core/nn/functionView';
import { Network } from '../../../../src/core/nn/network';
import { distribution, TENSORBOARD_PERCENTILES } from '../../../../src/core/nn/probes';
import { Trainer } from '../../../../src/core/nn/trainer';
import type { ModuleSpec, TrainSpec } from '../../../../src/core/types';
import { makeData, randomArray, Rng } from './helpers';

const regression = makeData(300, 2, (x) => Math.sin(2 * x[0]) + 0.5 * x[1]);

function spec(overrides: Partial<TrainSpec> = {}, layers?: ModuleSpec[]): TrainSpec {
  return {
    network: {
      inputs: 2,
      layers: layers ?? [
        { type: 'linear', units: 16 },
        { type: 'batchnorm' },
        { type: 'activation', name: 'prelu', perUnit: true },
        { type: 'dropout', p: 0.2 },
        { type: 'residual', layers: [{ type: 'linear', units: 8 }, { type: 'activation', name: 'tanh' }] },
        { type: 'linear', units: 1 },
      ],
    },
    loss: 'mse',
    optimizer: { type: 'adam', lr: 0.01 },
    batchSize: 32,
    epochs: 3,
    seed: 123,
    ...overrides,
  };
}

describe('trainer', () => {
  it('the same seed gives bit-identical snapshots (init, shuffling, dropout, batch norm); another seed differs', () => {
    const run = (seed: number) => {
      const t = new Trainer(spec({ seed }), regression);
      const snaps = [];
      for (let i = 0; i < 4; i++) {
        t.runSteps(5);
        snaps.push(t.snapshot());
      }
      return { snaps, params: t.network.exportParams() };
    };
    const a = run(123);
    const b = run(123);
    assert.deepEqual(a.snaps, b.snaps);
    assert.deepEqual(a.params, b.params);
    const c = run(124);
    assert.notDeepEqual(a.snaps[3].loss, c.snaps[3].loss);
  });

  it('reset(seed) reproduces a fresh run', () => {
    const t = new Trainer(spec(), regression);
    t.runSteps(7);
    const first = t.snapshot();
    t.runSteps(3);
    t.reset();
    t.runSteps(7);
    assert.deepEqual(t.snapshot(), first);
    t.reset(5);
    const other = new Trainer(spec({ seed: 5 }), regression);
    t.runSteps(4);
    other.runSteps(4);
    assert.deepEqual(t.snapshot(), other.snapshot());
  });

  it('snapshots and step-0 diagnostics do not disturb training', () => {
    const quiet = new Trainer(spec(), regression);
    const probed = new Trainer(spec(), regression);
    probed.snapshot();
    probed.step0Diagnostics();
    for (let i = 0; i < 12; i++) {
      quiet.stepBatch();
      probed.stepBatch();
      probed.snapshot();
      if (i % 4 === 0) probed.step0Diagnostics();
    }
    assert.deepEqual(probed.network.exportParams(), quiet.network.exportParams());
    assert.deepEqual(probed.network.dropoutRandom.getState(), quiet.network.dropoutRandom.getState());
  });

  it('probes measure the last batch: gradNorm, deltaNorm, updateRatio, weightNorm', () => {
    const t = new Trainer(spec({ optimizer: { type: 'sgd', lr: 0.05 } }), regression);
    t.runSteps(3);
    const before = t.network.linearLayers.map((l) => l.linear.weight.value.slice());
    t.stepBatch();
    const snap = t.snapshot();
    // The residual's skip projection (16 → 8) is trained but not numbered among the linear layers.
    assert.deepEqual(snap.layers.map((l) => l.path), ['layers[0]', 'layers[4].layers[0]', 'layers[5]']);
    assert.deepEqual(snap.layers.map((l) => l.index), [0, 1, 2]);
    t.network.linearLayers.forEach((l, i) => {
      const w = l.linear.weight.value;
      let dw = 0;
      let ww = 0;
      for (let k = 0; k < w.length; k++) {
        dw += (w[k] - before[i][k]) ** 2;
        ww += w[k] ** 2;
      }
      const probe = snap.layers[i];
      assert.ok(Math.abs(probe.weightNorm - Math.sqrt(ww)) < 1e-12);
      assert.ok(Math.abs(probe.updateRatio - Math.sqrt(dw) / Math.sqrt(ww)) < 1e-12 * probe.updateRatio + 1e-15);
      // Plain SGD: ΔW = −lr·∂L/∂W exactly.
      assert.ok(Math.abs(Math.sqrt(dw) - 0.05 * probe.gradNorm) < 1e-12, `${Math.sqrt(dw)} vs ${0.05 * probe.gradNorm}`);
      assert.ok(probe.gradMaxAbs >= probe.gradMeanAbs && probe.gradMeanAbs > 0);
      assert.ok(probe.deltaNorm > 0);
    });
    assert.equal(snap.layers[0].activation, 'prelu');
    assert.ok(snap.layers[0].preluSlope && snap.layers[0].preluSlope.min <= snap.layers[0].preluSlope.max);
    assert.ok(snap.layers[0].batchNorm);
    assert.equal(snap.layers[1].path, 'layers[4].layers[0]');
    assert.equal(snap.layers[1].activation, 'tanh');
    assert.equal(snap.layers[2].activation, 'linear');
  });

  it('saturation and dead units: sigmoid with huge weights saturates on both sides; ReLU with negative biases dies', () => {
    const sat = new Trainer(spec({}, [
      { type: 'linear', units: 64, init: { type: 'normal', std: 20 } },
      { type: 'activation', name: 'sigmoid' },
      { type: 'linear', units: 1 },
    ]), regression).step0Diagnostics();
    assert.ok(sat.layers[0].saturation > 0.8, `${sat.layers[0].saturation}`);
    assert.ok(sat.layers[0].saturatedLow > 0.3 && sat.layers[0].saturatedHigh > 0.3);
    assert.ok(Math.abs(sat.layers[0].saturation - sat.layers[0].saturatedLow - sat.layers[0].saturatedHigh) < 1e-15);
    assert.equal(sat.layers[1].saturation, 0);

    const t = new Trainer(spec({}, [{ type: 'linear', units: 10 }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 1 }]), regression);
    const first = t.network.linearLayers[0].linear;
    // Units 0-4 get a bias far below any input's reach: z < 0 on every sample.
    for (let j = 0; j < 5; j++) first.bias!.value[j] = -100;
    const d = t.step0Diagnostics();
    assert.equal(d.layers[0].dead, 0.5);
    // ReLU's zero side is "inactive", not saturated (LayerProbe.lowSlopeKind).
    assert.equal(d.layers[0].lowSlopeKind, 'inactive');
    assert.ok(d.layers[0].inactiveLow >= 0.5 && d.layers[0].inactiveHigh === 0);
    assert.equal(d.layers[0].saturation, 0);
  });

  it('divergence: a huge learning rate stops with epoch and step, keeping the last finite snapshot', () => {
    const t = new Trainer(spec({ optimizer: { type: 'sgd', lr: 1e6 } }, [
      { type: 'linear', units: 16 }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 16 },
      { type: 'activation', name: 'relu' }, { type: 'linear', units: 1 },
    ]), regression);
    const first = t.snapshot();
    assert.ok(Number.isFinite(first.loss));
    let steps = 0;
    while (!t.diverged && steps < 100) {
      t.stepBatch();
      steps++;
    }
    assert.ok(t.diverged, 'diverged');
    const info = t.diverged!;
    assert.match(info.message, new RegExp(`^diverged at epoch ${info.epoch}, step ${info.step}`));
    assert.match(info.message, /learning rate/);
    assert.ok(info.step >= 1 && info.epoch >= 1);
    const kept = t.snapshot();
    assert.ok(Number.isFinite(kept.loss));
    assert.equal(kept, t.lastFiniteSnapshot);
    assert.equal(t.stepBatch().diverged, true);
    assert.equal(t.runSteps(5), 0);
  });

  it('epochs, batch size and learning rate changes; classification accuracy', () => {
    const data = makeData(200, 2, (x) => (x[0] * x[1] > 0 ? 1 : 0), { task: 'binary' });
    const t = new Trainer({
      network: { inputs: 2, layers: [{ type: 'linear', units: 16 }, { type: 'activation', name: 'tanh' }, { type: 'linear', units: 1 }] },
      loss: 'bce', optimizer: { type: 'adam', lr: 0.03 }, batchSize: 16, epochs: 30, seed: 1,
    }, data);
    assert.equal(t.stepsPerEpoch, 10);
    assert.equal(t.stepEpoch(), 10);
    assert.equal(t.epoch, 1);
    t.setBatchSize(40);
    assert.equal(t.stepEpoch(), 4);
    t.setLearningRate(0.02);
    assert.equal(t.snapshot().lr, 0.02);
    while (!t.done) t.stepEpoch();
    const s = t.snapshot();
    assert.equal(s.epoch, 30);
    assert.ok(s.accuracy! > 0.85 && s.valAccuracy! > 0.85, `${s.accuracy} ${s.valAccuracy}`);
    assert.ok(s.valLoss! < 0.4);
  });

  it('function view: curve over the data range, 64×64 grid, predicted-vs-actual', () => {
    const one = makeData(100, 1, (x) => x[0] * x[0]);
    one.mean[0] = 10;
    one.std[0] = 2;
    const net1 = new Network({ inputs: 1, layers: [{ type: 'linear', units: 4 }, { type: 'activation', name: 'tanh' }, { type: 'linear', units: 1 }] }, 1);
    const curve = functionView(net1, one);
    assert.equal(curve.kind, 'curve');
    if (curve.kind !== 'curve') return;
    assert.ok(curve.xs.length >= 200);
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of [one.train, one.val]) for (const v of s.x) {
      lo = Math.min(lo, v * 2 + 10);
      hi = Math.max(hi, v * 2 + 10);
    }
    assert.ok(curve.xs[0] <= lo && curve.xs[0] > lo - 0.1 * (hi - lo));
    assert.ok(curve.xs[curve.xs.length - 1] >= hi);
    // The curve is the network at the standardised input.
    const mid = 100;
    const direct = net1.predict(Float64Array.of((curve.xs[mid] - 10) / 2), 1)[0];
    assert.equal(curve.ys[0][mid], direct);

    const multi = makeData(150, 2, (x) => (x[0] > 0.5 ? 2 : x[0] > -0.5 ? 1 : 0), { task: 'multiclass', classes: 3 });
    const t = new Trainer({
      network: { inputs: 2, layers: [{ type: 'linear', units: 8 }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 3 }] },
      loss: 'cross_entropy', optimizer: { type: 'sgd', lr: 0.1 }, batchSize: 16, epochs: 1, seed: 2,
    }, multi);
    const grid = functionView(t, multi);
    assert.equal(grid.kind, 'grid');
    if (grid.kind !== 'grid') return;
    assert.equal(grid.size, 64);
    assert.equal(grid.values.length, 64 * 64);
    assert.equal(grid.classes!.length, 64 * 64);
    assert.ok(grid.values.every((p) => p >= 1 / 3 - 1e-12 && p <= 1));

    const four = makeData(50, 4, (x) => x[0] + x[3]);
    const scatter = functionView(new Network({ inputs: 4, layers: [{ type: 'linear', units: 1 }] }, 1), four);
    assert.equal(scatter.kind, 'scatter');
    if (scatter.kind !== 'scatter') return;
    assert.equal(scatter.predicted.length, 50);
    assert.equal(scatter.actual[0], four.val.y[0]);
  });
});

describe('network', () => {
  it('exportParams / importParams round-trip, with shape errors naming the path', () => {
    const s = spec();
    const a = new Network(s.network, 1);
    const b = new Network(s.network, 2);
    const rng = new Rng(3);
    for (const bn of a.batchNorms) bn.runningVar.set(randomArray(bn.width, rng).map((v) => 1 + v * v));
    b.importParams(a.exportParams());
    assert.deepEqual(b.exportParams(), a.exportParams());
    const x = randomArray(20, rng);
    assert.deepEqual(b.predict(x, 10), a.predict(x, 10));
    const broken = a.exportParams();
    (broken[0] as { weight: number[][] }).weight.pop();
    assert.throws(() => b.importParams(broken), /layers\[0\]\.weight: expected 16 rows of 2/);
  });

  it('batch norm: running mean/var with momentum 0.1 and the unbiased variance; eval uses them', () => {
    const net = new Network({ inputs: 2, layers: [{ type: 'batchnorm' }] }, 1);
    const x = Float64Array.from([1, 10, 3, 20, 8, 60]);
    const ws = net.createWorkspace(3);
    const y = net.forward(ws, x, 3, 'train');
    const bn = net.batchNorms[0];
    // column 0: mean 4, biased var 26/3, unbiased 13
    assert.ok(Math.abs(bn.runningMean[0] - 0.4) < 1e-15);
    assert.ok(Math.abs(bn.runningVar[0] - (0.9 + 1.3)) < 1e-12);
    assert.ok(Math.abs(y[0] - (1 - 4) / Math.sqrt(26 / 3 + 1e-5)) < 1e-12);
    const e = net.forward(ws, x, 3, 'eval');
    assert.ok(Math.abs(e[0] - (1 - 0.4) / Math.sqrt(2.2 + 1e-5)) < 1e-12);
    const before = bn.runningMean.slice();
    net.forward(ws, x, 3, 'batchStats');
    assert.deepEqual(bn.runningMean, before);
  });

  it('dropout draws a seeded mask keeping about 1 − p of the units, scaled by 1/(1 − p); residual adds its input', () => {
    const net = new Network({ inputs: 50, layers: [{ type: 'dropout', p: 0.3 }] }, 9);
    const ws = net.createWorkspace(200);
    const x = new Float64Array(200 * 50).fill(2);
    const y = net.forward(ws, x, 200, 'train');
    let kept = 0;
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
      if (y[i] !== 0) {
        kept++;
        assert.ok(Math.abs(y[i] - 2 / 0.7) < 1e-15);
      }
      sum += y[i];
    }
    assert.ok(Math.abs(kept / x.length - 0.7) < 0.015, `${kept / x.length}`);
    assert.ok(Math.abs(sum / x.length - 2) < 0.05);
    const again = new Network({ inputs: 50, layers: [{ type: 'dropout', p: 0.3 }] }, 9);
    assert.deepEqual(Array.from(again.forward(again.createWorkspace(200), x, 200, 'train')), Array.from(y));

    const res = new Network({ inputs: 3, layers: [{ type: 'residual', layers: [{ type: 'linear', units: 3 }, { type: 'activation', name: 'tanh' }] }] }, 4);
    const inner = new Network({ inputs: 3, layers: [{ type: 'linear', units: 3 }, { type: 'activation', name: 'tanh' }] }, 4);
    const residualParams = res.exportParams()[0];
    assert.equal(residualParams.type, 'residual');
    if (residualParams.type === 'residual') inner.importParams(residualParams.layers);
    const xs = randomArray(12, new Rng(1));
    const out = res.predict(xs, 4);
    const block = inner.predict(xs, 4);
    for (let i = 0; i < 12; i++) assert.ok(Math.abs(out[i] - (xs[i] + block[i])) < 1e-15);
  });

  it('works at depth and width: 120 layers of 32, and 1,024 units', () => {
    const deep: ModuleSpec[] = [];
    for (let l = 0; l < 120; l++) deep.push({ type: 'linear', units: 32 }, { type: 'activation', name: 'relu' });
    deep.push({ type: 'linear', units: 1 });
    const data = makeData(64, 2, (x) => x[0]);
    const t = new Trainer({ network: { inputs: 2, layers: deep }, loss: 'mse', optimizer: { type: 'sgd', lr: 1e-3 }, batchSize: 16, epochs: 1, seed: 1 }, data);
    t.runSteps(2);
    const s = t.snapshot();
    assert.equal(s.layers.length, 121);
    assert.ok(s.layers.every((l) => Number.isFinite(l.gradNorm)));
    const wide = new Trainer({
      network: { inputs: 2, layers: [{ type: 'linear', units: 1024 }, { type: 'activation', name: 'gelu' }, { type: 'linear', units: 1024 }, { type: 'activation', name: 'gelu' }, { type: 'linear', units: 1 }] },
      loss: 'mse', optimizer: { type: 'adam', lr: 1e-3 }, batchSize: 8, epochs: 1, seed: 1,
    }, data);
    wide.runSteps(2);
    assert.equal(wide.snapshot().layers[1].units, 1024);
  });
});

describe('distribution', () => {
  it('TensorBoard percentiles by linear interpolation, histogram over [min, max]', () => {
    const v = Float64Array.from({ length: 101 }, (_, i) => 100 - i);
    const d = distribution(v, 101, 10);
    d.percentiles.forEach((p, i) => assert.ok(Math.abs(p - TENSORBOARD_PERCENTILES[i]) < 1e-12, `${p}`));
    assert.equal(d.mean, 50);
    assert.ok(Math.abs(d.std - Math.sqrt(850)) < 1e-12);
    assert.equal(d.histogram.counts.reduce((a, b) => a + b, 0), 101);
    assert.deepEqual(d.histogram.counts, [10, 10, 10, 10, 10, 10, 10, 10, 10, 11]);
  });
});

describe('trainer setup', () => {
  const binary = makeData(60, 2, (x) => (x[0] > 0 ? 1 : 0), { task: 'binary' });
  const base = (layers: ModuleSpec[], loss: TrainSpec['loss']): TrainSpec => ({
    network: { inputs: 2, layers }, loss, optimizer: { type: 'sgd', lr: 0.1 }, batchSize: 8, epochs: 1, seed: 1,
  });

  it('rejects a loss that does not fit the task, and mismatched widths, with a message', () => {
    assert.throws(() => new Trainer(base([{ type: 'linear', units: 1 }], 'mse'), binary), /mse expects a regression target/);
    assert.throws(() => new Trainer(base([{ type: 'linear', units: 3 }], 'bce'), binary), /bce needs 1 output \(one logit\), the network has 3/);
    assert.throws(() => new Trainer({ ...base([{ type: 'linear', units: 1 }], 'mse'), network: { inputs: 3, layers: [{ type: 'linear', units: 1 }] } }, regression), /takes 3 inputs, the data has 2/);
    assert.throws(() => new Trainer(base([{ type: 'linear', units: 1 }], 'mse'), regression).setBatchSize(0), /batch size/);
  });

  it('a two-class task trains with one logit (bce) or two (cross_entropy); the curve shows both class probabilities', () => {
    const ce = new Trainer(base([{ type: 'linear', units: 4 }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 2 }], 'cross_entropy'), binary);
    ce.runSteps(3);
    assert.ok(Number.isFinite(ce.snapshot().loss));
    const one = makeData(40, 1, (x) => (x[0] > 0 ? 1 : 0), { task: 'binary' });
    const t = new Trainer({ ...base([{ type: 'linear', units: 1 }], 'bce'), network: { inputs: 1, layers: [{ type: 'linear', units: 1 }] } }, one);
    const view = functionView(t, one);
    assert.equal(view.kind, 'curve');
    if (view.kind !== 'curve') return;
    assert.equal(view.ys.length, 2);
    view.ys[0].forEach((p0, i) => assert.ok(Math.abs(p0 + view.ys[1][i] - 1) < 1e-15));
  });

  it('a linear layer without an init takes the one matched to the activation that follows it', () => {
    const net = new Network({
      inputs: 64,
      layers: [{ type: 'linear', units: 400 }, { type: 'batchnorm' }, { type: 'activation', name: 'relu' }, { type: 'linear', units: 400 }, { type: 'activation', name: 'selu' }, { type: 'linear', units: 1 }],
    }, 3);
    const std = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
    const [he, lecun, out] = net.linearLayers.map((l) => std(l.linear.weight.value));
    assert.ok(Math.abs(he / Math.sqrt(2 / 64) - 1) < 0.03, `he ${he}`);
    assert.ok(Math.abs(lecun / Math.sqrt(1 / 400) - 1) < 0.03, `lecun ${lecun}`);
    // The output layer (no activation after it): Xavier uniform, std √(2/(fan_in + fan_out)).
    assert.ok(Math.abs(out / Math.sqrt(2 / 401) - 1) < 0.15, `xavier ${out}`);
  });
});
