import assert from 'node:assert/strict';
import type { Distribution, LayerProbe, ModuleSpec, Snapshot } from '../../../src/core/types';
import { formatFactor } from '../../../src/core/analysis/gradientSplit';
import { Rng } from '../../../src/core/nn/rng';
import { Trainer } from '../../../src/core/nn/trainer';
import { randomArray } from '../core/nn/helpers';
import { DEFAULT_PROBE_THRESHOLDS, warningsFromSnapshot } from '../../../src/core/analysis/probeWarnings';
import { hintSnapshot, layerHoverMarkdown, lineHints, sparkline } from '../../../src/configInsight/layerHints';
import { shiftLine, shiftLines } from '../../../src/configInsight/lineTracking';

const dist = (counts: number[]): Distribution => ({
  mean: 0.5, std: 0.2, percentiles: [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1], histogram: { min: 0, max: 1, counts },
});

function layer(index: number, activation: LayerProbe['activation'], gradNorm: number, extra: Partial<LayerProbe> = {}): LayerProbe {
  return {
    index, path: `hidden[${index}]`, units: 64, fanIn: 64, activation, gradNorm, biasGradNorm: 0, gradMeanAbs: 0,
    gradMaxAbs: 0, deltaNorm: 0, updateRatio: 0, weightNorm: 1, z: dist([1, 2, 3]), a: dist([0, 8, 1, 0]),
    lowSlopeKind: activation === 'linear' ? 'none' : activation === 'relu' ? 'inactive' : 'saturated',
    saturation: 0, saturatedLow: 0, saturatedHigh: 0, inactive: 0, inactiveLow: 0, inactiveHigh: 0, dead: 0, ...extra,
  };
}

const snapshot = (layers: LayerProbe[]): Snapshot => ({ epoch: 0, step: 0, samplesSeen: 0, loss: 1, lr: 0.1, batchSize: 32, layers });

describe('layer hints', () => {
  it('writes the issue\'s hint for a vanishing, saturated sigmoid layer and colours it by health', () => {
    const s = snapshot([
      layer(0, 'sigmoid', 3.1e-6, { saturation: 0.91 }),
      layer(1, 'relu', 1e-3, { dead: 0.25 }),
      layer(2, 'linear', 3.1e-6 * 2400),
    ]);
    const warnings = warningsFromSnapshot(s, DEFAULT_PROBE_THRESHOLDS, 'at step 0');
    const hints = lineHints(s, index => index + 3, warnings, DEFAULT_PROBE_THRESHOLDS);
    assert.deepEqual(hints.map(h => [h.line, h.text, h.health]), [
      [3, '∇ 3.1e-6 (1/2400 of output) · sat 91%', 'bad'],
      [4, '∇ 1e-3 (0.13× of output) · dead 25%', 'good'],
      [5, '∇ 7.4e-3 (output)', 'good'],
    ]);
  });

  it('summarises layers written on one line (a shorthand list)', () => {
    const s = snapshot([layer(0, 'tanh', 1e-5, { saturation: 0.3 }), layer(1, 'tanh', 1e-3, { saturation: 0.7 }), layer(2, 'linear', 1)]);
    const hints = lineHints(s, index => (index < 2 ? 7 : 9), [], DEFAULT_PROBE_THRESHOLDS);
    assert.equal(hints[0].text, '×2: ∇ 1e-5…1e-3 (worst 1/100000 of output) · sat ≤ 70%');
    assert.equal(hints[0].health, 'warn');
    assert.equal(hints[1].line, 9);
  });

  it('after training, shows the step-0 gradients beside the trained saturation and dead shares', () => {
    const step0 = snapshot([layer(0, 'sigmoid', 2e-6, { saturation: 0.01 }), layer(1, 'linear', 0.5)]);
    const trained = snapshot([layer(0, 'sigmoid', 4e-3, { saturation: 0.8, saturatedHigh: 0.8 }), layer(1, 'linear', 0.1)]);
    const shown = hintSnapshot(step0, trained);
    assert.equal(shown.layers[0].gradNorm, 2e-6);
    assert.equal(shown.layers[0].saturation, 0.8);
    assert.equal(shown.layers[0].saturatedHigh, 0.8);
    const [hint] = lineHints(shown, () => 0, [], DEFAULT_PROBE_THRESHOLDS);
    assert.equal(hint.text, '×2: ∇ 2e-6…0.5 (worst 1/250000 of output) · sat ≤ 80%');
    assert.equal(hintSnapshot(step0, undefined), step0);
  });

  it('on the real engine: each hint and the hover split the error signal as σ′ part × W part, the warning per layer on the path', () => {
    const layers: ModuleSpec[] = [];
    for (let i = 0; i < 6; i++) layers.push({ type: 'linear', units: 16 }, { type: 'activation', name: 'sigmoid' });
    layers.push({ type: 'linear', units: 1 });
    const n = 64;
    const x = randomArray(n * 2, new Rng(3));
    const y = Float64Array.from({ length: n }, (_, i) => (x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0));
    const trainer = new Trainer(
      { network: { inputs: 2, layers }, loss: 'bce', optimizer: { type: 'sgd', lr: 0.1 }, batchSize: n, epochs: 1, seed: 2 },
      { task: 'binary', d: 2, outputs: 1, inputNames: ['a', 'b'], targetName: 'y', classes: ['0', '1'], train: { n, x, y },
        val: { n: 0, x: new Float64Array(0), y: new Float64Array(0) }, mean: new Float64Array(2), std: new Float64Array(2).fill(1), notes: [] },
    );
    const s = trainer.step0Diagnostics();
    const warnings = warningsFromSnapshot(s, { ...DEFAULT_PROBE_THRESHOLDS, vanishingRatio: 0.05 }, 'at step 0');
    const hints = lineHints(s, index => index, warnings, DEFAULT_PROBE_THRESHOLDS);
    const b0 = s.layers[0].backward!;
    assert.ok(b0.activationFactor! < 0.25 && b0.weightFactor! > 0);
    assert.ok(hints[0].text.includes(`σ′ ${formatFactor(b0.activationFactor)} × W ${formatFactor(b0.weightFactor)}`), hints[0].text);
    assert.ok(!hints[6].text.includes('×'), 'the output layer has no split');
    // Layers on one line: the geometric means of the factors, "per layer".
    const [grouped] = lineHints(s, () => 0, [], DEFAULT_PROBE_THRESHOLDS);
    const geo = (pick: (l: LayerProbe) => number) => Math.exp(s.layers.slice(0, 6).reduce((t, l) => t + Math.log(pick(l)), 0) / 6);
    assert.ok(grouped.text.includes(`σ′ ${formatFactor(geo(l => l.backward!.activationFactor!))} × W ${formatFactor(geo(l => l.backward!.weightFactor!))} per layer`), grouped.text);
    // The vanishing warning on layer 0: its mean gain over the path is the 6th root of ‖δ_0‖/‖δ_out‖.
    const vanishing = warnings.find(w => w.kind === 'vanishing' && w.layerIndex === 0)!;
    const perLayer = Math.pow(s.layers[0].deltaNorm / s.layers[6].deltaNorm, 1 / 6);
    assert.ok(vanishing.message.includes(`each layer passes on ${formatFactor(perLayer)} of the error signal on average (σ′ `), vanishing.message);
    const md = layerHoverMarkdown(s.layers[0], 0.01, false, 'at step 0', warnings);
    assert.ok(md.includes(`| ${formatFactor(b0.gain)} = σ′ ${formatFactor(b0.activationFactor)} × W ${formatFactor(b0.weightFactor)} |`), md);
    assert.ok(md.includes(`≤ ‖W_1‖₂ ${formatFactor(b0.weightSpectralNorm)}`), md);
    assert.ok(md.includes(`≤ ∏ max \\|f′\\| ${formatFactor(0.25 ** 6)}`), md);
  });

  it('ReLU: its zero side is named inactive, and its normal half-inactive state is not a warning colour', () => {
    const s = snapshot([layer(0, 'relu', 0.5, { inactive: 0.52, inactiveLow: 0.52 }), layer(1, 'linear', 1)]);
    const hints = lineHints(s, index => index, [], DEFAULT_PROBE_THRESHOLDS);
    assert.deepEqual([hints[0].text, hints[0].health], ['∇ 0.5 (0.5× of output) · inactive 52% · dead 0%', 'good']);
    const md = layerHoverMarkdown(s.layers[0], 0.5, false, 'at step 0', []);
    assert.match(md, /\| inactive \(slope 0\) \| 52% \(low 52%, high 0%\) \|/);
    assert.ok(!md.includes('saturated'));
  });

  it('draws a histogram as block characters scaled to the tallest bin', () => {
    assert.equal(sparkline([0, 4, 8, 2]), ' ▅█▃');
    assert.equal(sparkline([1, 1, 1, 1], 2), '██');
    const md = layerHoverMarkdown(layer(0, 'sigmoid', 2e-6), 1 / 5000, false, 'at step 0 on 256 rows', []);
    assert.match(md, /\*\*Layer 0\*\* · 64 → 64 · sigmoid/);
    assert.match(md, /‖∂L\/∂W‖ \| 2e-6 — 1\/5000 of the output layer's/);
    assert.ok(md.includes(' █▂ '), md);
  });

  it('moves remembered lines with the edits, as the editor moves the text', () => {
    assert.equal(shiftLine(10, { startLine: 2, endLine: 2, insertedLineBreaks: 3 }), 13);
    assert.equal(shiftLine(2, { startLine: 2, endLine: 2, insertedLineBreaks: 3 }), 2);
    assert.equal(shiftLine(5, { startLine: 3, endLine: 6, insertedLineBreaks: 0 }), 3);
    assert.equal(shiftLine(8, { startLine: 3, endLine: 6, insertedLineBreaks: 1 }), 6);
    const moved = shiftLines(new Map([[0, 4], [1, 5]]), [
      { startLine: 0, endLine: 0, insertedLineBreaks: 2 },
      { startLine: 1, endLine: 3, insertedLineBreaks: 0 },
    ]);
    assert.deepEqual([...moved], [[0, 4], [1, 5]]);
  });
});
