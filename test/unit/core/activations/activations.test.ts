import { strict as assert } from 'assert';
import {
  ACTIVATIONS, activationNames, erf, erfc, lookupActivation, normalCdf, resolveActivationParams, SELU_ALPHA, SELU_LAMBDA,
  validateActivationParams,
} from '../../../../src/core/activations/activations';

// x, erf(x), erfc(x) from CPython's math module (correctly rounded libm).
const ERF_REFERENCE: [number, number, number][] = [
  [1e-10, 1.1283791670955126e-10, 0.999999999887162],
  [0.1, 0.1124629160182849, 0.8875370839817152],
  [0.5, 0.5204998778130465, 0.4795001221869535],
  [1.0, 0.8427007929497149, 0.15729920705028513],
  [1.5, 0.9661051464753108, 0.033894853524689274],
  [2.0, 0.9953222650189527, 0.004677734981047265],
  [2.4999, 0.9995928300996666, 0.0004071699003334514],
  [2.5, 0.999593047982555, 0.0004069520174449589],
  [3.0, 0.9999779095030014, 2.2090496998585438e-05],
  [4.0, 0.9999999845827421, 1.541725790028002e-08],
  [5.5, 0.9999999999999927, 7.357847917974398e-15],
  [6.5, 1.0, 3.8421483271206475e-20],
  [-0.3, -0.3286267594591274, 1.3286267594591274],
  [-1.7, -0.9837904585907745, 1.9837904585907746],
  [-3.2, -0.9999939742388483, 1.9999939742388482],
];

describe('activation table', () => {
  it('erf to ~1e-16 absolute and erfc to ~1e-14 relative in the tail', () => {
    for (const [x, e, ec] of ERF_REFERENCE) {
      assert.ok(Math.abs(erf(x) - e) <= 2.3e-16 * Math.max(1, Math.abs(e)), `erf(${x}) = ${erf(x)} vs ${e}`);
      const tol = x > 0.5 ? 2e-14 * ec : 4e-16;
      assert.ok(Math.abs(erfc(x) - ec) <= tol, `erfc(${x}) = ${erfc(x)} vs ${ec}`);
    }
    assert.equal(normalCdf(0), 0.5);
  });

  it('has every ActivationName, each complete and self-consistent', () => {
    const names = activationNames();
    assert.equal(names.length, 21);
    for (const name of names) {
      const a = ACTIVATIONS[name];
      assert.equal(a.name, name);
      for (const field of ['label', 'summary', 'formula', 'derivativeFormula', 'range'] as const) assert.ok(a[field].length > 0, `${name}.${field}`);
      assert.ok(Number.isFinite(a.maxSlope.value), `${name} max slope`);
      assert.ok(a.stringNames.length > 0);
      assert.equal(a.maxSlopeOf(a.defaults), a.maxSlope.value);
      for (const k of Object.keys(a.defaults)) assert.ok(a.paramDocs[k], `${name}.${k} documented`);
      // The documented saturation ranges really are where |f′| < 5% of the max slope.
      const t = a.saturates.threshold;
      for (const r of [a.saturates.low, a.saturates.high, ...a.saturates.notches]) {
        if (!r) continue;
        const inside = Number.isFinite(r[0]) && Number.isFinite(r[1]) ? (r[0] + r[1]) / 2 : Number.isFinite(r[0]) ? r[0] + 1 : r[1] - 1;
        assert.ok(Math.abs(a.df(inside, a.defaults)) < t, `${name}: ${inside} inside ${r}`);
      }
    }
  });

  it('uses PyTorch’s constants and conventions', () => {
    const p = (n: keyof typeof ACTIVATIONS) => ACTIVATIONS[n].defaults;
    assert.equal(ACTIVATIONS.relu.df(0, {}), 0);
    assert.equal(ACTIVATIONS.relu6.df(6, {}), 0);
    assert.equal(ACTIVATIONS.hardsigmoid.f(1.5, {}), 0.75);
    assert.equal(ACTIVATIONS.hardsigmoid.df(2.9, {}), 1 / 6);
    assert.equal(p('leaky_relu').slope, 0.01);
    assert.equal(ACTIVATIONS.prelu.learned?.init, 0.25);
    assert.equal(p('selu').lambda, SELU_LAMBDA);
    assert.equal(p('selu').alpha, SELU_ALPHA);
    assert.equal(p('serlu').lambda, 1.0786182836);
    assert.equal(p('serlu').alpha, 2.9042712325);
    // softplus is exactly linear past βx > 20
    assert.equal(ACTIVATIONS.softplus.f(25, p('softplus')), 25);
    assert.equal(ACTIVATIONS.softplus.df(25, p('softplus')), 1);
    // gelu exact: x·Φ(x)
    assert.ok(Math.abs(ACTIVATIONS.gelu.f(1, {}) - 0.8413447460685429) < 2.3e-16);
    // serlu's minimum −λα/e at x = −1 (f′(−1) = 0)
    assert.equal(ACTIVATIONS.serlu.df(-1, p('serlu')), 0);
    assert.ok(Math.abs(ACTIVATIONS.serlu.f(-1, p('serlu')) + (1.0786182836 * 2.9042712325) / Math.E) < 1e-15);
    assert.equal(ACTIVATIONS.selu.maxSlope.value, SELU_LAMBDA * SELU_ALPHA);
    assert.equal(ACTIVATIONS.gelu.maxSlope.at, Math.SQRT2);
  });

  it('saturation ranges from the table: sigmoid both sides, relu dead below 0, linear never', () => {
    const s = ACTIVATIONS.sigmoid.saturates;
    // σ(1 − σ) = 0.0125  ⇔  σ = (1 − √0.95)/2
    const edge = Math.log((1 - Math.sqrt(0.95)) / (1 + Math.sqrt(0.95)));
    assert.ok(Math.abs(s.low![1] - edge) < 1e-9 && Math.abs(s.high![0] + edge) < 1e-9);
    assert.deepEqual(ACTIVATIONS.relu.saturates.dead, [[-Infinity, 0]]);
    assert.deepEqual(ACTIVATIONS.relu6.saturates.dead, [[-Infinity, 0], [6, Infinity]]);
    assert.equal(ACTIVATIONS.relu6.saturates.split, 3);
    assert.equal(ACTIVATIONS.linear.saturates.text, 'never');
    assert.equal(ACTIVATIONS.step.saturates.text, 'everywhere');
    assert.ok(Math.abs(ACTIVATIONS.elu.saturates.low![1] - Math.log(0.05)) < 1e-9);
    assert.equal(ACTIVATIONS.gelu.saturates.notches.length, 1);
  });

  it('looks up canonical names, string names and aliases from the wild', () => {
    const cases: [string, string][] = [
      ['nn.ReLU', 'relu'], ['F.relu', 'relu'], ['torch.nn.functional.relu', 'relu'], ['tf.nn.relu', 'relu'],
      ['keras.layers.LeakyReLU', 'leaky_relu'], ['LeakyReLU', 'leaky_relu'], ['keras.layers.PReLU', 'prelu'],
      ['jax.nn.gelu', 'gelu_tanh'], ['F.gelu', 'gelu'], ['tf.leakyRelu', 'leaky_relu'], ['hard_sigmoid', 'hardsigmoid'],
      ['nn.SiLU', 'silu'], ['swish', 'swish'], ['nn.Identity', 'linear'], ['Sigmoid', 'sigmoid'], ['nn.Mish', 'mish'],
    ];
    for (const [alias, name] of cases) assert.equal(lookupActivation(alias)?.name, name, alias);
    assert.equal(lookupActivation('nn.Conv2d'), undefined);
    assert.equal(ACTIVATIONS.sin.generic, true);
    assert.equal(ACTIVATIONS.relu.generic, false);
  });

  it('validates and resolves parameters', () => {
    assert.deepEqual(validateActivationParams('leaky_relu', { slope: 0.2 }), []);
    assert.match(validateActivationParams('leaky_relu', { alpha: 0.2 })[0], /no parameter "alpha".*slope/);
    assert.match(validateActivationParams('relu', { slope: 1 })[0], /takes no parameters/);
    assert.match(validateActivationParams('softplus', { beta: 0 })[0], /beta must be > 0/);
    assert.match(validateActivationParams('hardtanh', { min: 2 })[0], /min must be below/);
    assert.deepEqual(resolveActivationParams('softplus', { beta: 2 }), { beta: 2, threshold: 20 });
  });

  it('recommends the init matched to each family', () => {
    assert.equal(ACTIVATIONS.relu.defaultInit, 'he_normal');
    assert.equal(ACTIVATIONS.selu.defaultInit, 'lecun_normal');
    assert.equal(ACTIVATIONS.serlu.defaultInit, 'lecun_normal');
    assert.equal(ACTIVATIONS.sigmoid.defaultInit, 'xavier_uniform');
    assert.equal(ACTIVATIONS.tanh.defaultInit, 'xavier_uniform');
  });
});
