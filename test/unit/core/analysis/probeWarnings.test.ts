import assert from 'node:assert/strict';
import type { Distribution, LayerProbe, Snapshot } from '../../../../src/core/types';
import {
  combineWarnings, DEFAULT_PROBE_THRESHOLDS, divergenceWarning, formatNumber, formatRatio, gradientRatios, mergeWarnings,
  warningsFromSnapshot,
} from '../../../../src/core/analysis/probeWarnings';

const flat: Distribution = { mean: 0, std: 1, percentiles: [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2], histogram: { min: -2, max: 2, counts: [1, 3, 5, 3, 1] } };

function layer(index: number, activation: LayerProbe['activation'], gradNorm: number, extra: Partial<LayerProbe> = {}): LayerProbe {
  return {
    index, path: `layers[${index * 2}]`, units: 8, fanIn: 8, activation, gradNorm, biasGradNorm: gradNorm / 10,
    gradMeanAbs: gradNorm / 64, gradMaxAbs: gradNorm / 4, deltaNorm: gradNorm, updateRatio: 0, weightNorm: 2,
    z: flat, a: flat, lowSlopeKind: activation === 'linear' ? 'none' : activation === 'relu' ? 'inactive' : 'saturated',
    saturation: 0, saturatedLow: 0, saturatedHigh: 0, inactive: 0, inactiveLow: 0, inactiveHigh: 0, dead: 0, ...extra,
  };
}

function snapshot(layers: LayerProbe[]): Snapshot {
  return { epoch: 0, step: 0, samplesSeen: 0, loss: 0.7, lr: 0.1, batchSize: 32, layers };
}

describe('probe warnings', () => {
  it('formats numbers and ratios as the hints print them', () => {
    assert.equal(formatNumber(3.1234e-6), '3.1e-6');
    assert.equal(formatNumber(0.0421), '0.042');
    assert.equal(formatNumber(12.54), '13');
    assert.equal(formatNumber(52000), '5.2e4');
    assert.equal(formatRatio(1 / 2400), '1/2400');
    assert.equal(formatRatio(5321), '5300×');
    assert.equal(formatRatio(0.31), '0.31×');
  });

  it('flags a hidden layer below 1/1000 of the output gradient with the measured ratio', () => {
    const s = snapshot([layer(0, 'sigmoid', 2e-7), layer(1, 'sigmoid', 3e-5), layer(2, 'linear', 0.05)]);
    const ratios = gradientRatios(s);
    assert.ok(Math.abs(ratios[0] - 4e-6) < 1e-18);
    const warnings = warningsFromSnapshot(s, DEFAULT_PROBE_THRESHOLDS, 'at step 0');
    assert.deepEqual(warnings.map(w => [w.kind, w.layerIndex]), [['vanishing', 0], ['vanishing', 1]]);
    assert.ok(Math.abs(warnings[1].measured - 6e-4) < 1e-15);
    assert.match(warnings[0].message, /1\/250000 of the output layer's 0\.05/);
    assert.match(warnings[1].message, /‖∂L\/∂W‖ = 3e-5, 1\/1700/);
    assert.ok(warnings[0].fixes.includes('reluHe'));
  });

  it('respects the thresholds from the settings and never flags the output layer against itself', () => {
    const s = snapshot([layer(0, 'tanh', 2e-3), layer(1, 'linear', 1)]);
    assert.equal(warningsFromSnapshot(s, DEFAULT_PROBE_THRESHOLDS, 'at step 0').length, 0);
    const strict = { ...DEFAULT_PROBE_THRESHOLDS, vanishingRatio: 1e-2 };
    assert.deepEqual(warningsFromSnapshot(s, strict, 'at step 0').map(w => w.kind), ['vanishing']);
  });

  it('flags exploding, dead and saturated layers with their shares', () => {
    const s = snapshot([
      layer(0, 'relu', 5000, { dead: 0.625 }),
      layer(1, 'sigmoid', 1, { saturation: 0.91, saturatedLow: 0.4, saturatedHigh: 0.51 }),
      layer(2, 'relu', 1, { dead: 0.5 }),
      layer(3, 'linear', 2),
    ]);
    const warnings = warningsFromSnapshot(s, DEFAULT_PROBE_THRESHOLDS, 'after 300 steps');
    assert.deepEqual(warnings.map(w => `${w.kind}@${w.layerIndex}`), ['exploding@0', 'dead@0', 'saturated@1']);
    assert.equal(warnings[0].measured, 2500);
    assert.match(warnings[1].message, /63% of layer 0/);
    assert.match(warnings[2].message, /91% .*\(40% low, 51% high/);
  });

  it('skips gradient ratios when the output gradient is zero or not finite', () => {
    const s = snapshot([layer(0, 'sigmoid', 1e-9), layer(1, 'linear', 0)]);
    assert.deepEqual(warningsFromSnapshot(s, DEFAULT_PROBE_THRESHOLDS, 'at step 0'), []);
    assert.ok(Number.isNaN(gradientRatios(s)[0]));
  });

  it('merges two probes keeping the measurement furthest past the threshold', () => {
    const step0 = warningsFromSnapshot(snapshot([layer(0, 'sigmoid', 1e-5, { saturation: 0.55 }), layer(1, 'linear', 1)]),
      DEFAULT_PROBE_THRESHOLDS, 'at step 0');
    const trained = warningsFromSnapshot(snapshot([layer(0, 'sigmoid', 1e-4, { saturation: 0.9 }), layer(1, 'linear', 1)]),
      DEFAULT_PROBE_THRESHOLDS, 'after 200 steps');
    const diverged = divergenceWarning({ epoch: 1, step: 37, message: 'loss became NaN at epoch 1, step 37' }, 2);
    const merged = mergeWarnings(step0, trained, [diverged]);
    assert.deepEqual(merged.map(w => `${w.kind}:${w.when}`),
      ['diverged:at step 37', 'vanishing:at step 0', 'saturated:after 200 steps']);
    assert.match(merged[0].message, /learning rate 2: loss became NaN/);
  });

  it('combines warnings on layers written in one place into the worst one, naming the others', () => {
    const s = snapshot([layer(0, 'sigmoid', 1e-7), layer(1, 'sigmoid', 1e-6), layer(2, 'sigmoid', 1e-5), layer(3, 'sigmoid', 2e-4), layer(4, 'linear', 1)]);
    const warnings = warningsFromSnapshot(s, DEFAULT_PROBE_THRESHOLDS, 'at step 0');
    assert.equal(warnings.length, 4);
    const combined = combineWarnings(warnings);
    assert.equal(combined.layerIndex, 0);
    assert.equal(combined.measured, 1e-7);
    assert.match(combined.message, /1\/1e7 of the output.* Also layers 1–3 here\.$/);
    assert.equal(combineWarnings([warnings[2]]), warnings[2]);
  });
});
