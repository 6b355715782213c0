import { strict as assert } from 'assert';
import { ACTIVATIONS, activationNames } from '../../../../src/core/activations/activations';
import { computeLoss } from '../../../../src/core/nn/losses';
import { Network } from '../../../../src/core/nn/network';
import { Rng } from '../../../../src/core/nn/rng';
import type { ActivationName, LossName, ModuleSpec, NetworkSpec } from '../../../../src/core/types';
import { gradCheck, randomArray, relativeError } from './helpers';

const TOL = 1e-6;

function assertGradients(net: Network, x: Float64Array, y: Float64Array, n: number, loss: LossName, mode: 'train' | 'eval' | 'batchStats'): void {
  const r = gradCheck(net, x, y, n, loss, mode);
  for (const p of r.params) assert.ok(p.error < TOL, `${p.name}: relative error ${p.error} (‖g‖ = ${p.norm})`);
  assert.ok(r.input < TOL, `input gradient: relative error ${r.input}`);
}

/** Kinks of the piecewise activations: finite differences are only checked away from them. */
const KINKS: Partial<Record<ActivationName, number[]>> = {
  relu: [0], relu6: [0, 6], leaky_relu: [0], prelu: [0], elu: [0], selu: [0], serlu: [0], step: [0],
  hardtanh: [-1, 1], hardsigmoid: [-3, 3], softplus: [20],
};

describe('activation derivatives against central differences of f', () => {
  for (const name of activationNames()) {
    it(`${name}: f′ matches (f(x+h) − f(x−h))/2h on a grid, away from kinks`, () => {
      const info = ACTIVATIONS[name];
      const p = info.defaults;
      const kinks = KINKS[name] ?? [];
      const h = 1e-6;
      let worst = 0;
      for (let x = -7.013; x <= 7; x += 0.0537) {
        if (kinks.some((k) => Math.abs(x - k) < 1e-3)) continue;
        const numeric = (info.f(x + h, p) - info.f(x - h, p)) / (2 * h);
        const exact = info.df(x, p);
        worst = Math.max(worst, Math.abs(numeric - exact) / Math.max(1, Math.abs(exact)));
      }
      assert.ok(worst < 1e-8, `${name}: worst error ${worst}`);
    });
  }
});

describe('gradient checks (relative error < 1e-6)', () => {
  const paramCases: { name: ActivationName; params?: Record<string, number> }[] = [
    ...activationNames().map((name) => ({ name })),
    { name: 'leaky_relu', params: { slope: 0.2 } },
    { name: 'elu', params: { alpha: 0.7 } },
    { name: 'silu', params: { beta: 1.7 } },
    { name: 'softplus', params: { beta: 2 } },
    { name: 'hardtanh', params: { min: -0.5, max: 2 } },
  ];
  for (const c of paramCases) {
    it(`through ${c.name}${c.params ? ' ' + JSON.stringify(c.params) : ''}`, () => {
      const spec: NetworkSpec = {
        inputs: 3,
        layers: [
          { type: 'linear', units: 6, init: { type: 'normal', std: 1.5 } },
          { type: 'activation', name: c.name, params: c.params },
          { type: 'linear', units: 4, init: { type: 'normal', std: 0.8 } },
          { type: 'activation', name: c.name, params: c.params },
          { type: 'linear', units: 2 },
        ],
      };
      const net = new Network(spec, 11);
      const rng = new Rng(5);
      const n = 5;
      const x = randomArray(n * 3, rng);
      const y = randomArray(n * 2, rng);
      assertGradients(net, x, y, n, 'mse', 'train');
    });
  }

  it('PReLU slopes, one per layer and one per unit', () => {
    for (const perUnit of [false, true]) {
      const net = new Network({
        inputs: 3,
        layers: [
          { type: 'linear', units: 5, init: { type: 'normal', std: 1 } },
          { type: 'activation', name: 'prelu', perUnit },
          { type: 'linear', units: 1 },
        ],
      }, 3);
      const slopes = net.parameters.find((p) => p.role === 'slope')!;
      assert.equal(slopes.value.length, perUnit ? 5 : 1);
      assert.ok(slopes.value.every((s) => s === 0.25));
      const rng = new Rng(9);
      const r = gradCheck(net, randomArray(18, rng), randomArray(6, rng), 6, 'mse', 'train');
      const slopeCheck = r.params.find((p) => p.name.endsWith('.weight') && p.name.startsWith('layers[1]'))!;
      assert.ok(slopeCheck.norm > 0, 'slope gradient is non-zero');
      for (const p of r.params) assert.ok(p.error < TOL, `${p.name}: ${p.error}`);
      assert.ok(r.input < TOL);
    }
  });

  const bnNet = (before: boolean): Network => {
    const layers: ModuleSpec[] = before
      ? [{ type: 'linear', units: 4 }, { type: 'batchnorm' }, { type: 'activation', name: 'tanh' }, { type: 'linear', units: 2 }]
      : [{ type: 'linear', units: 4 }, { type: 'activation', name: 'tanh' }, { type: 'batchnorm' }, { type: 'linear', units: 2 }];
    const net = new Network({ inputs: 3, layers }, 21);
    // Non-trivial γ, β and running statistics.
    const rng = new Rng(77);
    for (const bn of net.batchNorms) {
      for (let j = 0; j < bn.width; j++) {
        bn.gamma.value[j] = 1 + 0.3 * rng.normal();
        bn.beta.value[j] = 0.2 * rng.normal();
        bn.runningMean[j] = 0.1 * rng.normal();
        bn.runningVar[j] = 0.5 + rng.next();
      }
    }
    return net;
  };
  for (const mode of ['train', 'eval'] as const) {
    for (const before of [true, false]) {
      it(`batch norm ${before ? 'before' : 'after'} the activation, ${mode} mode`, () => {
        const rng = new Rng(4);
        const n = 7;
        const net = bnNet(before);
        const x = randomArray(n * 3, rng, 2);
        const y = randomArray(n * 2, rng);
        assertGradients(net, x, y, n, 'mse', mode);
        const r = gradCheck(net, x, y, n, 'mse', mode);
        const bias = r.params.find((p) => p.name === 'layers[0].bias')!;
        // A bias right before batch norm is cancelled by the mean subtraction: no gradient in training.
        if (before && mode === 'train') assert.ok(bias.norm < 1e-12, `${bias.norm}`);
        else assert.ok(bias.norm > 1e-4, `${bias.norm}`);
      });
    }
  }

  it('residual block without projection (same width)', () => {
    const net = new Network({
      inputs: 4,
      layers: [
        { type: 'residual', layers: [{ type: 'linear', units: 3 }, { type: 'activation', name: 'gelu' }, { type: 'linear', units: 4 }] },
        { type: 'activation', name: 'tanh' },
        { type: 'linear', units: 1 },
      ],
    }, 8);
    assert.equal(net.projections.length, 0);
    const rng = new Rng(2);
    assertGradients(net, randomArray(20, rng), randomArray(5, rng), 5, 'mse', 'train');
  });

  it('residual block with a projection (width change), nested residuals', () => {
    const net = new Network({
      inputs: 3,
      layers: [
        {
          type: 'residual',
          layers: [
            { type: 'linear', units: 5 },
            { type: 'activation', name: 'selu' },
            { type: 'residual', layers: [{ type: 'linear', units: 5 }, { type: 'activation', name: 'sigmoid' }] },
          ],
        },
        { type: 'linear', units: 2 },
      ],
    }, 12);
    assert.equal(net.projections.length, 1);
    assert.deepEqual(net.linearLayers.map((l) => l.path), ['layers[0].layers[0]', 'layers[0].layers[2].layers[0]', 'layers[1]']);
    const rng = new Rng(6);
    assertGradients(net, randomArray(12, rng), randomArray(8, rng), 4, 'mse', 'train');
  });

  it('dropout with a fixed mask scales kept units by 1/(1 − p) and passes gradients only through them', () => {
    const net = new Network({
      inputs: 3,
      layers: [{ type: 'linear', units: 6 }, { type: 'activation', name: 'tanh' }, { type: 'dropout', p: 0.4 }, { type: 'linear', units: 2 }],
    }, 5);
    const n = 4;
    const mask = new Float64Array(n * 6);
    const rng = new Rng(31);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < 0.4 ? 0 : 1;
    net.dropouts[0].fixedMask = mask;
    const x = randomArray(n * 3, rng);
    assertGradients(net, x, randomArray(n * 2, rng), n, 'mse', 'train');
    const ws = net.createWorkspace(n);
    net.forward(ws, x, n, 'train');
    const a = ws.outputs[net.activations[0].id];
    const dropped = ws.outputs[net.dropouts[0].id];
    for (let i = 0; i < n * 6; i++) assert.ok(dropped[i] === (mask[i] ? a[i] / 0.6 : 0), `element ${i}`);
    // Evaluation passes the input through unchanged.
    net.forward(ws, x, n, 'eval');
    assert.equal(ws.outputs[net.dropouts[0].id], ws.outputs[net.activations[0].id]);
  });

  for (const loss of ['mse', 'cross_entropy', 'bce'] as const) {
    it(`loss ${loss}`, () => {
      const outputs = loss === 'cross_entropy' ? 4 : loss === 'bce' ? 1 : 3;
      const net = new Network({ inputs: 3, layers: [{ type: 'linear', units: 5 }, { type: 'activation', name: 'mish' }, { type: 'linear', units: outputs, init: { type: 'normal', std: 2 } }] }, 3);
      const rng = new Rng(8);
      const n = 6;
      const y = loss === 'mse' ? randomArray(n * outputs, rng) : Float64Array.from({ length: n }, (_, i) => (loss === 'bce' ? i % 2 : i % outputs));
      assertGradients(net, randomArray(n * 3, rng), y, n, loss, 'train');
    });
  }
});

describe('losses', () => {
  it('match their definitions and stay finite for huge logits', () => {
    const out = Float64Array.from([1000, -1000, 0.5, 2]);
    // bce: max(z,0) − z·y + log(1 + e^−|z|)
    const bce = computeLoss('bce', out, Float64Array.from([0, 0, 1, 1]), 4, 1, null);
    const expected = (1000 + 0 + (Math.log1p(Math.exp(-0.5)) + 0.5 - 0.5) + Math.log1p(Math.exp(-2))) / 4;
    assert.ok(Math.abs(bce - expected) < 1e-12, `${bce} vs ${expected}`);
    const ce = computeLoss('cross_entropy', Float64Array.from([1000, 0, -1000, 3, 1, 2]), Float64Array.from([1, 0]), 2, 3, null);
    const row2 = Math.log(Math.exp(3) + Math.exp(1) + Math.exp(2)) - 3;
    assert.ok(Math.abs(ce - (1000 + row2) / 2) < 1e-10);
    const mse = computeLoss('mse', Float64Array.from([1, 2, 3, 4]), Float64Array.from([0, 0, 0, 0]), 2, 2, null);
    assert.equal(mse, (1 + 4 + 9 + 16) / 4);
  });

  it('relative error helper sees a real difference', () => {
    assert.ok(relativeError([1, 2], [1, 2.1]) > 0.04);
  });
});
