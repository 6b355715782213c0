// Pure computations over recorded snapshots for the charts (no DOM), so Node tests can check them directly.
import type { BackwardSplit, FunctionView, LayerProbe, Snapshot } from '../../src/core/types';
import type { RunMeta } from '../../src/protocol';
import type { PanelStrings } from '../../src/visualize/panelStrings';
import { finiteExtent } from '../shared/format';
import type { Translate } from '../shared/translate';

/** Each layer's weight-gradient norm ‖∂L/∂W‖ divided by the output layer's (it also carries each layer's input). */
export function decayRelativeToOutput(layers: readonly LayerProbe[]): number[] {
  const output = layers[layers.length - 1]?.gradNorm ?? 0;
  return layers.map(layer => (output > 0 ? layer.gradNorm / output : Number.NaN));
}

/** The error signal's ratio ‖δ_i‖/‖δ_out‖ (δ = ∂L/∂z at each linear layer's output): what the chain rule multiplies. */
export function errorSignalRatio(layers: readonly LayerProbe[]): number[] {
  const output = layers[layers.length - 1]?.deltaNorm ?? 0;
  return layers.map(layer => (output > 0 ? layer.deltaNorm / output : Number.NaN));
}

/**
 * The backward split of one hidden layer, as the probes measure it (src/core/types.ts, README "Where the gradient
 * is lost"): gain = ‖δ_i‖/‖δ_{i+1}‖ = activationFactor × weightFactor (× batch norm, dropout, residual factors).
 */
export type { BackwardSplit };

/** The layer's split when the snapshot carries one with a finite gain (null: no gradient arrived there). */
export function backwardOf(layer: LayerProbe | undefined): BackwardSplit | undefined {
  const backward = layer?.backward;
  return backward !== undefined && backward.gain !== null && Number.isFinite(backward.gain) ? backward : undefined;
}

export interface GainFactor {
  /** Which stage: the activation's slope, the next layer's weights, batch norm, dropout, entering a residual block. */
  kind: 'activation' | 'weights' | 'batchNorm' | 'dropout' | 'residual';
  /** null: the stage passed no gradient (a denominator of exactly 0). */
  value: number | null;
}

/** The factors whose product is the layer's gain (absent stages count as 1 and are not listed). */
export function gainFactors(split: BackwardSplit): GainFactor[] {
  const factors: GainFactor[] = [
    { kind: 'weights', value: split.weightFactor },
    { kind: 'activation', value: split.activationFactor },
  ];
  if (split.batchNormFactor !== undefined) factors.push({ kind: 'batchNorm', value: split.batchNormFactor });
  if (split.dropoutFactor !== undefined) factors.push({ kind: 'dropout', value: split.dropoutFactor });
  if (split.residualFactor !== undefined) factors.push({ kind: 'residual', value: split.residualFactor });
  return factors;
}

export interface ChainReferences {
  /** ‖δ_i‖/‖δ_out‖ measured (1 at the output layer). */
  measured: number[];
  /** ∏ activationFactor from layer i to the output: the activations' part of the decay alone. */
  activationPart: (number | null)[];
  /** ∏ maxSlope: the bound on activationPart (¼ⁿ for a sigmoid stack). */
  activationBound: (number | null)[];
  /** ∏ maxSlope · ‖W‖₂: the bound on the measured ratio itself. */
  rigorousBound: (number | null)[];
}

/**
 * The cumulative ratio and its references, per layer, from the probes' split. The probes' own cumulative fields
 * are used when present; otherwise products of the per-layer numbers, from the output back.
 */
export function chainReferences(layers: readonly LayerProbe[]): ChainReferences {
  const measured = errorSignalRatio(layers);
  const n = layers.length;
  const activationPart: (number | null)[] = new Array(n).fill(null);
  const activationBound: (number | null)[] = new Array(n).fill(null);
  const rigorousBound: (number | null)[] = new Array(n).fill(null);
  // A recording without the split draws no references at all (not even the trivial 1 at the output).
  if (n === 0 || !layers.slice(0, -1).some(layer => backwardOf(layer) !== undefined)) return { measured, activationPart, activationBound, rigorousBound };
  activationPart[n - 1] = 1;
  activationBound[n - 1] = 1;
  rigorousBound[n - 1] = 1;
  for (let i = n - 2; i >= 0; i--) {
    const split = backwardOf(layers[i]);
    if (split === undefined) continue;
    // The probes' own products (the rigorous bound is propagated through residual blocks, not a plain product).
    activationPart[i] = split.cumulativeActivationFactor;
    activationBound[i] = split.activationBound;
    rigorousBound[i] = split.rigorousBound ?? null;
  }
  return { measured, activationPart, activationBound, rigorousBound };
}

/** f′ as people write it: σ′ for sigmoid, tanh′, ReLU′ …, for the sentence and the tooltip. */
export function slopeSymbol(activation: string): string {
  const names: Record<string, string> = {
    sigmoid: 'σ′', tanh: 'tanh′', relu: 'ReLU′', relu6: 'ReLU6′', leaky_relu: 'LeakyReLU′', prelu: 'PReLU′', elu: 'ELU′',
    selu: 'SELU′', serlu: 'SERLU′', gelu: 'GELU′', gelu_tanh: 'GELU′', silu: 'SiLU′', swish: 'swish′', mish: 'Mish′',
    softplus: 'softplus′', softsign: 'softsign′', hardtanh: 'hardtanh′', hardsigmoid: 'hardsigmoid′', sin: 'sin′', linear: 'identity′',
  };
  return names[activation] ?? `${activation}′`;
}

/** ¼ and ½ read better than 0.25 and 0.5 where the textbook writes them so. */
export function slopeBoundText(value: number, format: (v: number) => string): string {
  if (Math.abs(value - 0.25) < 1e-12) return '¼';
  if (Math.abs(value - 0.5) < 1e-12) return '½';
  return format(value);
}

export interface SaturationStack {
  /** Smooth activations (sigmoid, tanh …): slope below 5% of its peak, on the low or the high tail. */
  saturatedLow: number;
  saturatedHigh: number;
  /** Piecewise-linear activations (ReLU family, hardtanh …): on a flat side, zero slope (or the leak's). */
  inactive: number;
  dead: number;
  active: number;
}

/** Activations made of straight pieces: their flat sides are "inactive" (zero slope), not "saturated". */
const PIECEWISE_LINEAR = new Set(['relu', 'relu6', 'leaky_relu', 'prelu', 'hardtanh', 'hardsigmoid', 'step']);

export function isPiecewiseLinear(activation: string): boolean {
  return PIECEWISE_LINEAR.has(activation);
}

/**
 * Splits a layer into shares that add up to 1. Dead units have f′ = 0 on every sample, so their pairs are
 * also counted in saturatedLow by the probe; they are taken out of it here so the stack is not counted twice.
 */
export function saturationStack(layer: LayerProbe): SaturationStack {
  const dead = clampShare(layer.dead);
  // No activation follows (the output layer, 'linear'): nothing saturates or switches off.
  if (layer.lowSlopeKind === 'none') return { saturatedLow: 0, saturatedHigh: 0, inactive: 0, dead, active: 1 - dead };
  // Recordings from before the probes told the two apart carry only saturatedLow/High: the activation decides.
  const inactiveKind = layer.lowSlopeKind === 'inactive' || (layer.lowSlopeKind === undefined && isPiecewiseLinear(layer.activation));
  const [lowShare, highShare] = inactiveKind && layer.lowSlopeKind === 'inactive'
    ? [layer.inactiveLow, layer.inactiveHigh]
    : [layer.saturatedLow, layer.saturatedHigh];
  const low = Math.max(0, clampShare(lowShare) - dead);
  const high = clampShare(highShare);
  const used = Math.min(1, dead + low + high);
  if (inactiveKind) return { saturatedLow: 0, saturatedHigh: 0, inactive: Math.min(1 - dead, low + high), dead, active: 1 - used };
  return { saturatedLow: low, saturatedHigh: high, inactive: 0, dead, active: 1 - used };
}

function clampShare(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

export interface OverfitRange {
  /** Index into the snapshots, inclusive. */
  from: number;
  to: number;
  epoch: number;
}

/**
 * Where validation loss rises while training loss falls: compares the mean over a trailing window with the
 * window before it. Small wiggles (validation up under 3%, training flat) and short blips do not count.
 */
export function overfittingRanges(snapshots: readonly Snapshot[], minWindow = 4): OverfitRange[] {
  const n = snapshots.length;
  const window = Math.max(minWindow, Math.floor(n / 20));
  const ranges: OverfitRange[] = [];
  const mean = (from: number, to: number, pick: (s: Snapshot) => number | undefined): number => {
    let sum = 0;
    let count = 0;
    for (let i = from; i < to; i++) {
      const value = pick(snapshots[i]);
      if (value !== undefined && Number.isFinite(value)) {
        sum += value;
        count++;
      }
    }
    return count === 0 ? Number.NaN : sum / count;
  };
  let open: OverfitRange | undefined;
  for (let i = 2 * window; i < n; i++) {
    const valNow = mean(i - window + 1, i + 1, s => s.valLoss);
    const valBefore = mean(i - 2 * window + 1, i - window + 1, s => s.valLoss);
    const trainNow = mean(i - window + 1, i + 1, s => s.loss);
    const trainBefore = mean(i - 2 * window + 1, i - window + 1, s => s.loss);
    const flagged = valNow > valBefore * 1.03 && trainNow < trainBefore * 0.995;
    if (flagged) {
      const start = i - window + 1;
      if (open !== undefined && start <= open.to + 1) open.to = i;
      else {
        open = { from: start, to: i, epoch: snapshots[start].epoch };
        ranges.push(open);
      }
    }
  }
  // A blip of noise is not overfitting: keep stretches that last at least a full window.
  return ranges.filter(range => range.to - range.from + 1 >= 2 * window - 1);
}

/** Evenly spaced layer indices (always the first and the last) when a net has too many layers to draw each. */
export function sampleLayerIndices(layerCount: number, maxShown: number): number[] {
  if (layerCount <= maxShown) return Array.from({ length: layerCount }, (_, i) => i);
  const picked = new Set<number>();
  for (let k = 0; k < maxShown; k++) picked.add(Math.round((k * (layerCount - 1)) / (maxShown - 1)));
  return [...picked].sort((a, b) => a - b);
}

/** log10 of a positive value; −∞ stands for 0 (drawn as the coldest colour). */
export function log10OrFloor(value: number): number {
  return value > 0 ? Math.log10(value) : Number.NEGATIVE_INFINITY;
}


/**
 * The one plain sentence under "Where the gradient is lost", from the numbers: the hidden layer that passes on the
 * least of what it receives, and how its factors split that. Undefined when the snapshot carries no split.
 */
export function gradientLossSentence(layers: readonly LayerProbe[], format: (v: number) => string, percent: (v: number) => string, t: Translate<PanelStrings>): string | undefined {
  let weakest: { layer: LayerProbe; split: BackwardSplit } | undefined;
  for (const layer of layers.slice(0, -1)) {
    const split = backwardOf(layer);
    if (split === undefined) continue;
    if (weakest === undefined || (split.gain ?? 0) < (weakest.split.gain ?? 0)) weakest = { layer, split };
  }
  if (weakest === undefined) return undefined;
  const { layer, split } = weakest;
  const gain = split.gain ?? 0;
  // A template per clause, so a language orders the numbers its own way.
  const parts = [t('sentenceSlope', slopeSymbol(layer.activation), split.activationFactor === null ? '–' : format(split.activationFactor), slopeBoundText(split.maxSlope, format))];
  const value = (v: number | null | undefined) => (v === null || v === undefined ? '–' : format(v));
  if (split.batchNormFactor !== undefined) parts.push(t('sentenceBatchNorm', value(split.batchNormFactor)));
  if (split.dropoutFactor !== undefined && split.dropoutFactor !== 1) parts.push(t('sentenceDropout', value(split.dropoutFactor)));
  if (split.residualFactor !== undefined) parts.push(t('sentenceSkip', value(split.residualFactor)));
  parts.push(t('sentenceWeights', value(split.weightFactor)));
  const how = parts.length === 2 ? t('sentenceJoinTwo', parts[0], parts[1]) : t('sentenceJoinLast', parts.slice(0, -1).join(', '), parts[parts.length - 1]);
  if (gain < 1) {
    const share = gain >= 0.01 ? percent(gain) : format(gain);
    return t('sentenceLoses', layer.index, share, how);
  }
  return t('sentenceGainsLeast', layer.index, format(gain), how);
}

/** Probabilities that vary by less than this over the inputs read as one flat colour or a straight line. */
export const FLAT_PROBABILITY_SPAN = 0.01;
/** A regression output flatter than this share of the targets' range reads as constant. */
export const FLAT_VALUE_SHARE = 0.01;

/**
 * When the network's output is (nearly) the same everywhere, the sentence that says so — "the network predicts
 * P(inside) ≈ 0.50 everywhere …" — else undefined.
 */
export function flatPrediction(meta: Pick<RunMeta, 'task' | 'targetName' | 'classes' | 'points' | 'inputNames'>, view: FunctionView, t: Translate<PanelStrings>): string | undefined {
  // Over the inputs when there are one or two of them, else "for every sample".
  const over = meta.inputNames.length <= 2 ? meta.inputNames.join(' × ') : undefined;
  const valueWords = (values: readonly number[]): string | undefined => {
    const extent = finiteExtent(values);
    const targets = finiteExtent(meta.points.y);
    if (extent === undefined) return undefined;
    const scale = targets === undefined ? 1 : Math.max(targets[1] - targets[0], 1e-12);
    if (extent[1] - extent[0] > FLAT_VALUE_SHARE * scale) return undefined;
    const mid = formatFlat((extent[0] + extent[1]) / 2);
    return over !== undefined ? t('flatValueOver', meta.targetName, mid, over) : t('flatValueEvery', meta.targetName, mid);
  };
  // A map says it stays one colour; a curve only that it is flat.
  const probabilityWords = (values: readonly number[], name: string, map: boolean): string | undefined => {
    const extent = finiteExtent(values);
    if (extent === undefined || extent[1] - extent[0] > FLAT_PROBABILITY_SPAN) return undefined;
    const mid = ((extent[0] + extent[1]) / 2).toFixed(2);
    if (map) return over !== undefined ? t('flatProbabilityOver', name, mid, over) : t('flatProbabilityEvery', name, mid);
    return over !== undefined ? t('flatCurveOver', name, mid, over) : t('flatCurveEvery', name, mid);
  };
  const positive = meta.classes?.[1] ?? '1';
  switch (view.kind) {
    case 'curve':
      if (meta.task === 'regression') return valueWords(view.ys[0] ?? []);
      if (meta.task === 'binary') return probabilityWords(view.ys[view.ys.length - 1] ?? [], positive, false);
      // Multiclass: flat when every class's probability is.
      return view.ys.every(ys => { const e = finiteExtent(ys); return e !== undefined && e[1] - e[0] <= FLAT_PROBABILITY_SPAN; })
        ? t('flatClasses', view.ys.map((ys, k) => `${meta.classes?.[k] ?? k} ≈ ${(ys[0] ?? 0).toFixed(2)}`).join(', '))
        : undefined;
    case 'grid':
      if (view.classes !== undefined) {
        const first = view.classes[0];
        if (!view.classes.every(c => c === first)) return undefined;
        const name = meta.classes?.[first] ?? first;
        return over !== undefined ? t('flatClassOver', name, over) : t('flatClassEvery', name);
      }
      return meta.task === 'regression' ? valueWords(view.values) : probabilityWords(view.values, positive, true);
    case 'scatter':
      return valueWords(view.predicted);
    default:
      return undefined;
  }
}

function formatFlat(value: number): string {
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5 || value === 0 ? String(Number(value.toPrecision(3))) : value.toExponential(2);
}

/** A layer's label: a PyTorch run's module name ("encoder.0"), else L<index>. */
export function layerLabel(layer: { index: number; name?: string }): string {
  return layer.name ?? `L${layer.index}`;
}
