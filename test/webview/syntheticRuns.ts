// Synthetic runs with the shape real ones have (a deep sigmoid stack whose early gradients vanish, an
// overfitting loss curve, decision regions), for testing the panel before and apart from the engine.
import type { Distribution, FunctionView, LayerProbe, Snapshot } from '../../src/core/types';
import type { RecordedRun, RunMeta, SnapshotFrame } from '../../src/protocol';

/** Deterministic noise so every run of the tests draws the same pictures. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function distribution(mean: number, std: number, random: () => number): Distribution {
  const z = [-3, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 3];
  const counts = Array.from({ length: 20 }, (_, i) => Math.round(200 * Math.exp(-(((i - 9.5) / 4) ** 2)) * (0.9 + 0.2 * random())));
  return { mean, std, percentiles: z.map(k => mean + k * std), histogram: { min: mean - 3 * std, max: mean + 3 * std, counts } };
}

export interface SyntheticOptions {
  inputs: number;
  hiddenLayers: number;
  units: number;
  activation: string;
  task: 'regression' | 'binary' | 'multiclass';
  frames: number;
  /** Validation loss turns up after this fraction of the run (1: never). */
  overfitFrom?: number;
  seed?: number;
  title?: string;
  /** Leave out the per-layer backward split (a recording from before it was measured). */
  withoutBackward?: boolean;
}

/** The largest slope of the activations the synthetic runs use (sigmoid ¼, tanh and ReLU 1). */
const MAX_SLOPE: Record<string, number> = { sigmoid: 0.25, tanh: 1, relu: 1, leaky_relu: 1, selu: 1.0507009873554805 * 1.6732632423543772 };

/**
 * Adds the backward split the probes measure, consistent with the layers' error signals: gain_i =
 * ‖δ_i‖/‖δ_{i+1}‖ split into an activation factor under the activation's largest slope and a weight factor under
 * the next layer's spectral norm, with the cumulative products and bounds from the output back.
 */
export function addBackwardSplit(layers: LayerProbe[], random: () => number): void {
  let cumulativeActivation = 1;
  let activationBound = 1;
  let rigorousBound = 1;
  for (let i = layers.length - 2; i >= 0; i--) {
    const layer = layers[i];
    const maxSlope = MAX_SLOPE[layer.activation] ?? 1;
    const gain = layer.deltaNorm / layers[i + 1].deltaNorm;
    const activationFactor = maxSlope * (0.6 + 0.3 * random());
    const weightFactor = gain / activationFactor;
    const weightSpectralNorm = Math.max(1.8, weightFactor * (1.1 + 0.2 * random()));
    cumulativeActivation *= activationFactor;
    activationBound *= maxSlope;
    rigorousBound *= maxSlope * weightSpectralNorm;
    layer.backward = {
      gain, activationFactor, weightFactor, weightSpectralNorm, maxSlope, gainBound: maxSlope * weightSpectralNorm,
      cumulativeGain: layer.deltaNorm / layers[layers.length - 1].deltaNorm,
      cumulativeActivationFactor: cumulativeActivation, activationBound, rigorousBound,
    };
  }
}

export function syntheticMeta(options: SyntheticOptions): RunMeta {
  const random = mulberry32(options.seed ?? 1);
  const layerCount = options.hiddenLayers + 1;
  const n = 300;
  const x: number[][] = [];
  const y: number[] = [];
  const split: ('train' | 'val')[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: options.inputs }, () => random() * 2 - 1);
    x.push(row);
    if (options.task === 'regression') y.push(Math.sin(3 * row[0]) + 0.1 * (random() - 0.5));
    else if (options.task === 'binary') y.push(row[0] * row[0] + (row[1] ?? 0) * (row[1] ?? 0) < 0.4 ? 1 : 0);
    else y.push(Math.floor(random() * 3));
    split.push(i % 5 === 0 ? 'val' : 'train');
  }
  return {
    title: options.title ?? `Synthetic ${options.hiddenLayers}×${options.units} ${options.activation}`,
    task: options.task,
    inputNames: Array.from({ length: options.inputs }, (_, i) => `x${i + 1}`),
    targetName: 'y',
    classes: options.task === 'binary' ? ['outside', 'inside'] : options.task === 'multiclass' ? ['a', 'b', 'c'] : undefined,
    layers: Array.from({ length: layerCount }, (_, index) => ({
      index,
      units: index === layerCount - 1 ? 1 : options.units,
      activation: index === layerCount - 1 ? 'linear' : options.activation,
      path: `layers[${index * 2}]`,
    })),
    epochs: 20,
    batchSize: 32,
    lr: 0.1,
    seed: options.seed ?? 1,
    points: { x, y, split },
    notes: ['60 rows skipped for missing values (first at line 12)'],
  };
}

const PIECEWISE = new Set(['relu', 'relu6', 'leaky_relu', 'prelu', 'hardtanh', 'hardsigmoid', 'step']);

function layerProbe(index: number, layerCount: number, units: number, activation: string, progress: number, random: () => number): LayerProbe {
  const depthFromOutput = layerCount - 1 - index;
  // A sigmoid stack: each layer towards the input gets about a quarter of the gradient of the next.
  const gradNorm = 0.5 * (1 - 0.6 * progress) * 0.25 ** depthFromOutput * (0.8 + 0.4 * random());
  const saturation = Math.min(0.95, 0.1 + 0.06 * index + 0.3 * progress);
  return {
    index,
    path: `layers[${index * 2}]`,
    units,
    fanIn: index === 0 ? 1 : units,
    activation: activation as LayerProbe['activation'],
    gradNorm,
    biasGradNorm: gradNorm * 0.3,
    gradMeanAbs: gradNorm / 40,
    gradMaxAbs: gradNorm / 5,
    deltaNorm: gradNorm * 2,
    updateRatio: 1e-3 * 0.5 ** depthFromOutput,
    weightNorm: 4 + index * 0.1,
    z: distribution(0.2 * index * progress, 1 + 0.5 * index, random),
    a: distribution(0.5, 0.2 + 0.02 * index, random),
    // The probes call a piecewise-linear activation's flat side inactive, a smooth one's tails saturated.
    lowSlopeKind: PIECEWISE.has(activation) ? 'inactive' : activation === 'linear' ? 'none' : 'saturated',
    saturation: PIECEWISE.has(activation) ? 0 : saturation,
    saturatedLow: PIECEWISE.has(activation) ? 0 : saturation * 0.6,
    saturatedHigh: PIECEWISE.has(activation) ? 0 : saturation * 0.4,
    inactive: PIECEWISE.has(activation) ? saturation : 0,
    inactiveLow: PIECEWISE.has(activation) ? saturation * 0.9 : 0,
    inactiveHigh: PIECEWISE.has(activation) ? saturation * 0.1 : 0,
    dead: index === 2 ? 0.05 : 0,
  };
}

function functionView(meta: RunMeta, progress: number): FunctionView {
  if (meta.inputNames.length === 1) {
    const xs = Array.from({ length: 200 }, (_, i) => -1 + (2 * i) / 199);
    return { kind: 'curve', xs, ys: [xs.map(x => progress * Math.sin(3 * x))] };
  }
  if (meta.inputNames.length === 2) {
    const size = 64;
    const values: number[] = [];
    for (let row = 0; row < size; row++) {
      for (let column = 0; column < size; column++) {
        const gx = -1.1 + (2.2 * column) / (size - 1);
        const gy = -1.1 + (2.2 * row) / (size - 1);
        values.push(1 / (1 + Math.exp(8 * progress * (gx * gx + gy * gy - 0.4))));
      }
    }
    return { kind: 'grid', xRange: [-1.1, 1.1], yRange: [-1.1, 1.1], size, values };
  }
  const actual = meta.points.y.slice(0, 200);
  return { kind: 'scatter', actual, predicted: actual.map((a, i) => a * progress + 0.2 * Math.sin(i)) };
}

export function syntheticFrames(meta: RunMeta, options: SyntheticOptions): SnapshotFrame[] {
  const random = mulberry32((options.seed ?? 1) + 7);
  const frames: SnapshotFrame[] = [];
  const overfitFrom = options.overfitFrom ?? 1;
  for (let f = 0; f < options.frames; f++) {
    const progress = (f + 1) / options.frames;
    const loss = 0.5 * Math.exp(-3 * progress) + 0.01;
    const valLoss = progress < overfitFrom ? loss * 1.1 : loss * 1.1 + 0.4 * (progress - overfitFrom);
    const snapshot: Snapshot = {
      epoch: Math.floor(progress * meta.epochs),
      step: (f + 1) * 10,
      samplesSeen: (f + 1) * 320,
      loss,
      valLoss,
      accuracy: meta.task === 'regression' ? undefined : 0.5 + 0.45 * progress,
      lr: meta.lr,
      batchSize: meta.batchSize,
      layers: meta.layers.map(layer => layerProbe(layer.index, meta.layers.length, layer.units, layer.activation, progress, random)),
    };
    if (options.withoutBackward !== true) addBackwardSplit(snapshot.layers, random);
    frames.push({ snapshot, view: f % 5 === 4 || f === options.frames - 1 ? functionView(meta, progress) : undefined });
  }
  return frames;
}

export function syntheticRun(options: SyntheticOptions): RecordedRun {
  const meta = syntheticMeta(options);
  return { meta, sourceLabel: 'synthetic.csv', frames: syntheticFrames(meta, options) };
}
