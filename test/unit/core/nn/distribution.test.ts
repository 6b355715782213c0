import { strict as assert } from 'assert';
import fc from 'fast-check';
import { activationForward } from '../../../../src/core/activations/activations';
import { Activation } from '../../../../src/core/nn/modules/activation';
import {
  activationDistributions, DISTRIBUTION_SAMPLE_LIMIT, distribution, HISTOGRAM_BINS, TENSORBOARD_PERCENTILES,
} from '../../../../src/core/nn/probes';
import type { ActivationName } from '../../../../src/core/types';
import type { Distribution } from '../../../../src/core/types';

// distribution() sorts in reused buffers and fills its arrays in loops (a W1 snapshot is mostly five distributions
// of 80 values); it must give exactly what the plain definition below gives, whatever sizes came before.

function reference(v: Float64Array, n: number, bins = HISTOGRAM_BINS): Distribution {
  if (n === 0) {
    return { mean: 0, std: 0, percentiles: TENSORBOARD_PERCENTILES.map(() => 0), histogram: { min: 0, max: 0, counts: new Array(bins).fill(0) } };
  }
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    sum += v[i];
    if (v[i] < min) min = v[i];
    if (v[i] > max) max = v[i];
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (v[i] - mean) * (v[i] - mean);
  const stride = n > DISTRIBUTION_SAMPLE_LIMIT ? n / DISTRIBUTION_SAMPLE_LIMIT : 1;
  const m = stride === 1 ? n : DISTRIBUTION_SAMPLE_LIMIT;
  const sorted = Float64Array.from({ length: m }, (_, i) => v[Math.floor(i * stride)]).sort();
  const percentiles = TENSORBOARD_PERCENTILES.map((q) => {
    if (q === 0) return min;
    if (q === 100) return max;
    const pos = (q / 100) * (m - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(m - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  });
  const counts = new Array<number>(bins).fill(0);
  const width = max - min;
  for (let i = 0; i < m; i++) counts[width > 0 ? Math.min(bins - 1, Math.floor(((sorted[i] - min) / width) * bins)) : Math.floor(bins / 2)]++;
  return { mean, std: Math.sqrt(ss / n), percentiles, histogram: { min, max, counts } };
}

/** Equal to the bit (Object.is: −0 and NaN too), in the same keys and lengths. */
function same(a: Distribution, b: Distribution, where: string): void {
  const flat = (d: Distribution) => [d.mean, d.std, ...d.percentiles, d.histogram.min, d.histogram.max, ...d.histogram.counts];
  const x = flat(a);
  const y = flat(b);
  assert.equal(x.length, y.length, where);
  x.forEach((value, i) => assert.ok(Object.is(value, y[i]), `${where}: value ${i} is ${value}, the definition's ${y[i]}`));
}

describe('distribution', () => {
  it('equals the plain definition on any values, sizes in any order (reused buffers)', () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.double({ min: -5, max: 5, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1, 1e-300, NaN, Infinity, -Infinity) },
    );
    fc.assert(fc.property(fc.array(fc.array(value, { maxLength: 200 }), { minLength: 1, maxLength: 6 }), (arrays) => {
      for (const values of arrays) {
        const v = Float64Array.from(values);
        same(distribution(v, v.length), reference(v, v.length), `[${values.join(', ')}]`);
        // only the first n values count
        if (v.length > 2) same(distribution(v, v.length - 2), reference(v, v.length - 2), 'a prefix');
      }
    }), { numRuns: 300, seed: 17 });
  });

  it('a constant array lands in the middle bin; above the sample limit the strided sample is sorted', () => {
    const constant = new Float64Array(50).fill(0.25);
    same(distribution(constant, 50), reference(constant, 50), 'constant');
    assert.equal(distribution(constant, 50).histogram.counts[Math.floor(HISTOGRAM_BINS / 2)], 50);
    const n = DISTRIBUTION_SAMPLE_LIMIT * 2 + 7;
    const big = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 11)));
    same(distribution(big, n), reference(big, n), 'strided');
    const counts = distribution(big, n).histogram.counts;
    assert.equal(counts.reduce((s, c) => s + c, 0), DISTRIBUTION_SAMPLE_LIMIT);
  });

  it('an activation\'s a = f(z): the same distribution whether a is sorted or f is applied to z\'s sorted sample', () => {
    const cases: [ActivationName, Record<string, number> | undefined][] = [
      ['relu', undefined], ['tanh', undefined], ['sigmoid', undefined], ['leaky_relu', undefined], ['leaky_relu', { slope: -0.5 }],
      ['elu', undefined], ['selu', undefined], ['softplus', undefined], ['hardtanh', undefined], ['relu6', undefined],
      ['hardsigmoid', undefined], ['softsign', undefined], ['linear', undefined], ['step', undefined], ['gelu', undefined],
      ['sin', undefined], ['prelu', undefined],
    ];
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -30, max: 30, noNaN: true }) },
      { weight: 2, arbitrary: fc.constantFrom(-2, -1, 0, 0.5, 3) }, // ties
      { weight: 1, arbitrary: fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e-310, -5e-324) },
    );
    fc.assert(fc.property(fc.constantFrom(...cases), fc.array(value, { maxLength: 120 }), ([name, params], values) => {
      const act = new Activation(1, 'act', 1, name, params, false, () => 0);
      const z = Float64Array.from(values);
      const a = new Float64Array(z.length);
      activationForward(name, act.resolvedParams, z, a, z.length);
      const got = activationDistributions(act, z, a, z.length);
      same(got.z, reference(z, z.length), `${name} z of [${values.join(', ')}]`);
      same(got.a, reference(a, a.length), `${name} a of [${values.join(', ')}]`);
    }), { numRuns: 600, seed: 23 });
    // a negative leaky slope reverses the order, signed zeros included (−0 ↦ +0, +0 ↦ −0, which the order check
    // lets through: the percentiles do not depend on the order of zeros)
    const act = new Activation(1, 'act', 1, 'leaky_relu', { slope: -0.5 }, false, () => 0);
    for (const values of [[-0, -0, 0], [0, -0, 0, -0, 0], [-1, -0, 0, 0, 2]]) {
      const z = Float64Array.from(values);
      const a = new Float64Array(z.length);
      activationForward('leaky_relu', act.resolvedParams, z, a, z.length);
      same(activationDistributions(act, z, a, z.length).a, reference(a, a.length), `signed zeros [${values.join(', ')}]`);
    }
  });
});
