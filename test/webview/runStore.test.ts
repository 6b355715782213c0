// The panel's run store and chart computations, in plain Node (they hold no DOM).
import assert from 'node:assert/strict';
import { MAX_FRAMES, RunStore } from '../../webview/visualize/runStore';
import { decayRelativeToOutput, overfittingRanges, sampleLayerIndices, saturationStack, sigmoidChainBound } from '../../webview/visualize/analysis';
import { syntheticRun } from './syntheticRuns';

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
    // Live, only the newest function view is kept.
    assert.equal(store.frames.filter(f => f.view !== undefined).length, 1);
    assert.equal(store.latestView(), run.frames[run.frames.length - 1].view);
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

  it('computes decay relative to the output layer and the ×¼ bound', () => {
    const run = syntheticRun({ inputs: 1, hiddenLayers: 3, units: 4, activation: 'sigmoid', task: 'regression', frames: 1 });
    const layers = run.frames[0].snapshot.layers;
    const ratio = decayRelativeToOutput(layers);
    assert.equal(ratio[3], 1);
    assert.equal(ratio[0], layers[0].gradNorm / layers[3].gradNorm);
    assert.deepEqual(sigmoidChainBound(4), [1 / 64, 1 / 16, 1 / 4, 1]);
  });

  it('splits saturation into shares that add up to one without counting dead units twice', () => {
    const base = syntheticRun({ inputs: 1, hiddenLayers: 1, units: 4, activation: 'relu', task: 'regression', frames: 1 }).frames[0].snapshot.layers[0];
    const stack = saturationStack({ ...base, saturation: 0.5, saturatedLow: 0.5, saturatedHigh: 0, dead: 0.25 });
    assert.deepEqual(stack, { saturatedLow: 0.25, saturatedHigh: 0, dead: 0.25, active: 0.5 });
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
