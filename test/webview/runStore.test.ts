// The panel's run store and chart computations, in plain Node (they hold no DOM).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MAX_FRAMES, MAX_KEPT_VIEWS, RunStore } from '../../webview/visualize/runStore';
import {
  chainReferences, decayRelativeToOutput, errorSignalRatio, flatPrediction, gainFactors, gradientLossSentence, overfittingRanges,
  sampleLayerIndices, saturationStack,
} from '../../webview/visualize/analysis';
import { logTickLabel } from '../../webview/visualize/charts/common';
import { syntheticRun } from './syntheticRuns';
import { translator } from '../../webview/shared/translate';
import { panelStrings } from '../../src/visualize/panelStrings';
import { configureL10n } from '../../src/shared/localize';

/** The page's words as the host builds them: English, and Korean from the Korean bundle. */
const EN = translator(panelStrings());
const KO = (() => {
  configureL10n(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>);
  try { return translator(panelStrings()); } finally { configureL10n({}); }
})();

describe('panel run store and chart maths (Node)', () => {
  it('thins a long history to at most MAX_FRAMES, keeping the first and the newest snapshots in order', () => {
    const run = syntheticRun({ inputs: 1, hiddenLayers: 2, units: 4, activation: 'tanh', task: 'regression', frames: 5000 });
    const store = new RunStore();
    store.startRun(1, run.meta, 'x', undefined, []);
    for (let i = 0; i < run.frames.length; i += 37) store.add(run.frames.slice(i, i + 37));
    assert.ok(store.frames.length <= MAX_FRAMES && store.frames.length > MAX_FRAMES / 2, `${store.frames.length}`);
    const steps = store.frames.map(f => f.snapshot.step);
    assert.equal(steps[0], run.frames[0].snapshot.step);
    assert.equal(steps[steps.length - 1], run.frames[run.frames.length - 1].snapshot.step);
    for (let i = 1; i < steps.length; i++) assert.ok(steps[i] > steps[i - 1]);
    // The newest quarter stays dense: the last 100 recorded steps are all there.
    assert.deepEqual(steps.slice(-100), run.frames.slice(-100).map(f => f.snapshot.step));
    // Live, a thinned set of function views is kept for scrubbing back, the newest among them.
    const kept = store.frames.filter(f => f.view !== undefined).length;
    assert.ok(kept >= 10 && kept <= MAX_KEPT_VIEWS, `${kept} views kept`);
    assert.equal(store.latestView(), run.frames[run.frames.length - 1].view);
    // Histograms only where a view is kept, and on the newest snapshot.
    assert.ok(store.frames.every((f, i) => f.view !== undefined || i === store.frames.length - 1 || f.snapshot.layers[0].a.histogram.counts.length === 0));
    assert.ok(store.frames.at(-1)?.snapshot.layers[0].a.histogram.counts.length);
  });

  it('replays up to a cursor with the view recorded at that point (report)', () => {
    const run = syntheticRun({ inputs: 1, hiddenLayers: 2, units: 4, activation: 'tanh', task: 'regression', frames: 20 });
    const store = new RunStore();
    store.keepAllViews = true;
    store.startRun(0, run.meta, 'x', undefined, run.frames);
    store.cursor = 12;
    assert.equal(store.latest(), run.frames[12].snapshot);
    assert.equal(store.latestView(), run.frames[9].view);
  });

  it('computes the weight-gradient and error-signal ratios to the output layer, and the references from the probes', () => {
    const run = syntheticRun({ inputs: 1, hiddenLayers: 3, units: 4, activation: 'sigmoid', task: 'regression', frames: 1 });
    const layers = run.frames[0].snapshot.layers;
    const ratio = decayRelativeToOutput(layers);
    assert.equal(ratio[3], 1);
    assert.equal(ratio[0], layers[0].gradNorm / layers[3].gradNorm);
    const delta = errorSignalRatio(layers);
    assert.equal(delta[0], layers[0].deltaNorm / layers[3].deltaNorm);
    const references = chainReferences(layers);
    assert.deepEqual(references.activationBound, [1 / 64, 1 / 16, 1 / 4, 1]);
    assert.deepEqual(references.rigorousBound.slice(0, 3), layers.slice(0, 3).map(l => l.backward?.rigorousBound));
    // The bars: the factors of each hidden layer multiply to its gain.
    for (const layer of layers.slice(0, 3)) {
      const split = layer.backward;
      assert.ok(split !== undefined && split.gain !== null);
      const product = gainFactors(split).reduce((p, f) => p * (f.value ?? Number.NaN), 1);
      assert.ok(Math.abs(product - split.gain) <= 1e-12 * split.gain);
    }
    const relu = syntheticRun({ inputs: 1, hiddenLayers: 3, units: 4, activation: 'relu', task: 'regression', frames: 1 }).frames[0].snapshot.layers;
    assert.deepEqual(chainReferences(relu).activationBound, [1, 1, 1, 1]);
  });

  it('says in one sentence which layer loses most, and how its factors split it', () => {
    const layers = syntheticRun({ inputs: 1, hiddenLayers: 3, units: 4, activation: 'sigmoid', task: 'regression', frames: 1 }).frames[0].snapshot.layers;
    const backward = { gain: 0.19, activationFactor: 0.21, weightFactor: 0.19 / 0.21, weightSpectralNorm: 1.9, maxSlope: 0.25, cumulativeGain: 0.1, cumulativeActivationFactor: 0.1, activationBound: 0.25 };
    const edited = layers.map((layer, i) => (i === 2 ? { ...layer, backward } : i < 3 ? { ...layer, backward: { ...backward, gain: 0.5 } } : layer));
    const format = (v: number) => String(Number(v.toPrecision(2)));
    assert.equal(gradientLossSentence(edited, format, v => `${Math.round(v * 100)} %`, EN),
      'Layer 2 passes on 19 % of the gradient it receives: σ′ averages 0.21 (at most ¼), the weights pass 0.9.');
    const bn = edited.map((layer, i) => (i === 2 ? { ...layer, activation: 'relu' as const, backward: { ...backward, maxSlope: 1, batchNormFactor: 1.3 } } : layer));
    assert.equal(gradientLossSentence(bn, format, v => `${Math.round(v * 100)} %`, EN),
      'Layer 2 passes on 19 % of the gradient it receives: ReLU′ averages 0.21 (at most 1), batch norm passes 1.3, and the weights pass 0.9.');
    // The same sentence from the Korean templates: the numbers in place, the words Korean.
    assert.equal(gradientLossSentence(bn, format, v => `${Math.round(v * 100)} %`, KO),
      '2번 층은 받은 기울기의 19 %만 넘겨줍니다: ReLU′ 평균 0.21 (최대 1), 배치 정규화 통과 1.3, 그리고 가중치 통과 0.9.');
    const old = syntheticRun({ inputs: 1, hiddenLayers: 3, units: 4, activation: 'sigmoid', task: 'regression', frames: 1, withoutBackward: true }).frames[0].snapshot.layers;
    assert.equal(gradientLossSentence(old, format, String, EN), undefined);
    assert.deepEqual(chainReferences(old).activationBound, [null, null, null, null]);
  });

  it('labels log colour bars in powers of ten (every one up to 8 decades), round digits within a decade', () => {
    const decades = (low: number, high: number) => {
      const ticks: { value: number }[] = [];
      for (let e = low; e <= high; e++) for (const m of [1, 2, 5]) if (m * 10 ** e <= 10 ** high) ticks.push({ value: m * 10 ** e });
      return ticks;
    };
    const six = decades(-6, 0);
    assert.deepEqual(six.map(t => logTickLabel(t.value, six)).filter(Boolean), ['1e-6', '1e-5', '1e-4', '1e-3', '0.01', '0.1', '1']);
    const twelve = decades(-12, 0);
    assert.deepEqual(twelve.map(t => logTickLabel(t.value, twelve)).filter(Boolean), ['1e-12', '1e-10', '1e-8', '1e-6', '1e-4', '0.01', '1']);
    const narrow = [0.2, 0.3, 0.4, 0.45, 0.5].map(value => ({ value }));
    assert.deepEqual(narrow.map(t => logTickLabel(t.value, narrow)), ['0.2', '0.3', '0.4', '', '0.5']);
  });

  it('tells a flat output from a learned one', () => {
    const run = syntheticRun({ inputs: 2, hiddenLayers: 2, units: 4, activation: 'tanh', task: 'binary', frames: 1 });
    const flat = { kind: 'grid' as const, xRange: [0, 1] as [number, number], yRange: [0, 1] as [number, number], size: 2, values: [0.501, 0.499, 0.5, 0.5049] };
    assert.equal(flatPrediction(run.meta, flat, EN), 'the network predicts P(inside) ≈ 0.50 everywhere over x1 × x2: the output is flat, so the map is one colour until it learns');
    assert.equal(flatPrediction(run.meta, flat, KO), '신경망의 예측이 x1 × x2 전체에서 P(inside) ≈ 0.50입니다: 출력이 평평해서 학습하기 전까지 지도가 한 가지 색입니다');
    assert.equal(flatPrediction(run.meta, { ...flat, values: [0.4, 0.6, 0.5, 0.5] }, EN), undefined);
    const regression = syntheticRun({ inputs: 1, hiddenLayers: 2, units: 4, activation: 'tanh', task: 'regression', frames: 1 });
    const range = Math.max(...regression.meta.points.y) - Math.min(...regression.meta.points.y);
    assert.match(flatPrediction(regression.meta, { kind: 'curve', xs: [0, 1], ys: [[0.2, 0.2 + 0.009 * range]] }, EN) ?? '', /^the network predicts y ≈ 0\.2\d* over x1/);
    assert.equal(flatPrediction(regression.meta, { kind: 'curve', xs: [0, 1], ys: [[0.2, 0.2 + 0.011 * range]] }, EN), undefined);
  });

  it('splits saturation into shares that add up to one without counting dead units twice', () => {
    const base = syntheticRun({ inputs: 1, hiddenLayers: 1, units: 4, activation: 'relu', task: 'regression', frames: 1 }).frames[0].snapshot.layers[0];
    // ReLU: its zero side is inactive (not saturated); dead units are taken out of it.
    const stack = saturationStack({ ...base, inactive: 0.5, inactiveLow: 0.5, inactiveHigh: 0, dead: 0.25 });
    assert.deepEqual(stack, { saturatedLow: 0, saturatedHigh: 0, inactive: 0.25, dead: 0.25, active: 0.5 });
    const sigmoid = { ...base, activation: 'sigmoid' as const, lowSlopeKind: 'saturated' as const, saturation: 0.5, saturatedLow: 0.3, saturatedHigh: 0.2, inactive: 0, inactiveLow: 0, inactiveHigh: 0, dead: 0.1 };
    const smooth = saturationStack(sigmoid);
    assert.ok(Math.abs(smooth.saturatedLow - 0.2) < 1e-15 && smooth.saturatedHigh === 0.2 && smooth.inactive === 0 && smooth.dead === 0.1);
    assert.ok(Math.abs(smooth.active - 0.5) < 1e-15);
  });

  it('flags overfitting only where validation rises while training falls', () => {
    const falling = syntheticRun({ inputs: 1, hiddenLayers: 1, units: 4, activation: 'tanh', task: 'regression', frames: 60 });
    assert.deepEqual(overfittingRanges(falling.frames.map(f => f.snapshot)), []);
    const overfit = syntheticRun({ inputs: 1, hiddenLayers: 1, units: 4, activation: 'tanh', task: 'regression', frames: 60, overfitFrom: 0.5 });
    const ranges = overfittingRanges(overfit.frames.map(f => f.snapshot));
    assert.equal(ranges.length, 1);
    // Validation turns at frame 30 (progress 0.5); the flagged stretch starts within a window of it.
    assert.ok(ranges[0].from >= 27 && ranges[0].from <= 33, JSON.stringify(ranges));
    assert.equal(ranges[0].to, 59);
  });

  it('samples layers evenly, always with the first and the last', () => {
    assert.deepEqual(sampleLayerIndices(5, 8), [0, 1, 2, 3, 4]);
    assert.deepEqual(sampleLayerIndices(100, 5), [0, 25, 50, 74, 99]);
  });
});
