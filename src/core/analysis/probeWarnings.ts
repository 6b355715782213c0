// From a probe's Snapshot to the warnings the config editor shows, each carrying the number it measured.
// Pure: no vscode, no I/O. The thresholds come from the user's settings.
import type { ActivationName, DivergenceInfo, LayerProbe, Snapshot } from '../types';
import { formatFactor, meanSplitTextOf } from './gradientSplit';
import { coreText, formatCoreText, textOf, type CoreText } from '../messages';

/** The remedies a warning can offer; configFixes.ts turns each into JSON edits. */
export type ConfigFixKind = 'reluHe' | 'seluLecun' | 'batchNorm' | 'skipEvery2' | 'lowerLr';

export type ProbeWarningKind = 'vanishing' | 'exploding' | 'dead' | 'saturated' | 'diverged';

/** The quick fixes offered for each kind of warning, most effective first. */
export const FIXES_BY_KIND: Readonly<Record<ProbeWarningKind, readonly ConfigFixKind[]>> = {
  vanishing: ['reluHe', 'seluLecun', 'batchNorm', 'skipEvery2'],
  exploding: ['lowerLr', 'batchNorm', 'reluHe', 'seluLecun'],
  dead: ['seluLecun', 'lowerLr', 'batchNorm'],
  saturated: ['reluHe', 'seluLecun', 'batchNorm'],
  diverged: ['lowerLr', 'batchNorm'],
};

export interface ProbeThresholds {
  /** A hidden layer whose gradNorm is below this fraction of the output layer's is vanishing (1/1000). */
  vanishingRatio: number;
  /** … above this multiple, exploding (1000). */
  explodingRatio: number;
  /** Share of units dead on every sample above which a layer is flagged (0.5). */
  deadShare: number;
  /** Share of (sample, unit) pairs in the flat part of a bounded activation above which it is flagged (0.5). */
  saturatedShare: number;
}

export const DEFAULT_PROBE_THRESHOLDS: ProbeThresholds = {
  vanishingRatio: 1e-3,
  explodingRatio: 1e3,
  deadShare: 0.5,
  saturatedShare: 0.5,
};

export interface ProbeWarning {
  kind: ProbeWarningKind;
  severity: 'warning' | 'information';
  /** The linear layer it concerns (absent for whole-run warnings such as divergence). */
  layerIndex?: number;
  /** What was measured: gradient ratio to the output layer, dead or saturated share, or the learning rate. */
  measured: number;
  threshold: number;
  /** Where the number was measured, e.g. "at step 0" or "after 300 steps". */
  when: string;
  /** In English (the CLI's); `text` is the same message as data, for the extension to translate. */
  message: string;
  text?: CoreText;
  fixes: readonly ConfigFixKind[];
}

/** Activations bounded on both sides: their slope flattens to ~0 far from the origin. */
const SATURATING: ReadonlySet<ActivationName> = new Set<ActivationName>([
  'sigmoid', 'tanh', 'hardsigmoid', 'hardtanh', 'softsign',
]);

/**
 * The flat share a 'saturated' warning measures: for smooth bounded activations (sigmoid, tanh, softsign) their
 * saturation; for the piecewise-linear clamps (hardtanh, hardsigmoid) their inactive share (flat pieces, f′ = 0).
 */
export function flatShare(layer: LayerProbe): number {
  return layer.lowSlopeKind === 'inactive' ? layer.inactive : layer.saturation;
}

/**
 * "Between it and the output layer, each layer passes on 0.23 of the error signal on average (σ′ 0.24 × W 0.95
 * per layer)": the geometric means of the backward split over layers position … last − 1; '' without splits.
 */
export function pathSplitText(layers: readonly LayerProbe[], position: number): string {
  return textOf(pathSplitTextOf(layers, position));
}

/** pathSplitText as a message ('' without splits). */
export function pathSplitTextOf(layers: readonly LayerProbe[], position: number): string | CoreText {
  const path = layers.slice(position, layers.length - 1).filter(l => l.backward);
  const factors = meanSplitTextOf(path);
  if (!factors || path.length === 0) return '';
  const gains = path.map(l => l.backward?.gain);
  if (gains.some(g => g === null || g === undefined || !(g > 0))) return coreText('split.between', { factors });
  const meanGain = Math.exp(gains.reduce<number>((sum, g) => sum + Math.log(g as number), 0) / gains.length);
  return coreText(path.length === 1 ? 'split.betweenOne' : 'split.betweenEach', { gain: formatFactor(meanGain), factors });
}

/** Activations whose units die (slope exactly 0 on a half-line). */
const CAN_DIE: ReadonlySet<ActivationName> = new Set<ActivationName>(['relu', 'relu6', 'hardtanh', 'hardsigmoid', 'step']);

/** Compact scientific notation as the hints print it: 3.1e-6, 0.042, 12.5. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '-∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-2 && magnitude < 1e3) return String(Number(value.toPrecision(2)));
  const [mantissa, exponent] = value.toExponential(1).split('e');
  return `${mantissa.replace(/\.0$/, '')}e${Number(exponent)}`;
}

/** A ratio to the output layer as a person reads it: "1/2400", "×5300", "0.31×". */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return formatNumber(ratio);
  if (ratio === 0) return '0';
  if (ratio < 0.1) return `1/${roundForDisplay(1 / ratio)}`;
  if (ratio > 10) return `${roundForDisplay(ratio)}×`;
  return `${Number(ratio.toPrecision(2))}×`;
}

/** Two significant digits, written without exponent below 1e6 ("2400", "130000"). */
function roundForDisplay(value: number): string {
  if (value >= 1e6) return formatNumber(value);
  return String(Number(value.toPrecision(2)));
}

export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** gradNorm of each layer divided by the output (last) layer's; NaN where the output's is 0 or not finite. */
export function gradientRatios(snapshot: Snapshot): number[] {
  const layers = snapshot.layers;
  if (layers.length === 0) return [];
  const outputNorm = layers[layers.length - 1].gradNorm;
  const usable = Number.isFinite(outputNorm) && outputNorm > 0;
  return layers.map(layer => (usable ? layer.gradNorm / outputNorm : Number.NaN));
}

function layerName(layer: LayerProbe): CoreText {
  return coreText('probe.layer', { index: layer.index, units: layer.units, activation: layer.activation });
}

/** The warning's message in English and as data. */
function withText(text: CoreText): { message: string; text: CoreText } {
  return { message: formatCoreText(text), text };
}

/** Warnings measured on one snapshot. `when` says which ("at step 0", "after 300 steps"). */
export function warningsFromSnapshot(snapshot: Snapshot, thresholds: ProbeThresholds, whenText: string | CoreText): ProbeWarning[] {
  const when = textOf(whenText);
  const warnings: ProbeWarning[] = [];
  const ratios = gradientRatios(snapshot);
  const last = snapshot.layers.length - 1;
  const outputNorm = last >= 0 ? snapshot.layers[last].gradNorm : Number.NaN;
  snapshot.layers.forEach((layer, position) => {
    const ratio = ratios[position];
    if (position < last && Number.isFinite(ratio)) {
      if (ratio < thresholds.vanishingRatio) {
        warnings.push({
          kind: 'vanishing', severity: 'warning', layerIndex: layer.index, measured: ratio,
          threshold: thresholds.vanishingRatio, when,
          ...withText(coreText('probe.vanishing', { when: whenText, layer: layerName(layer), norm: formatNumber(layer.gradNorm),
            ratio: formatRatio(ratio), outputNorm: formatNumber(outputNorm), threshold: formatRatio(thresholds.vanishingRatio),
            split: pathSplitTextOf(snapshot.layers, position) })),
          fixes: FIXES_BY_KIND.vanishing,
        });
      } else if (ratio > thresholds.explodingRatio) {
        warnings.push({
          kind: 'exploding', severity: 'warning', layerIndex: layer.index, measured: ratio,
          threshold: thresholds.explodingRatio, when,
          ...withText(coreText('probe.exploding', { when: whenText, layer: layerName(layer), norm: formatNumber(layer.gradNorm),
            ratio: formatRatio(ratio), outputNorm: formatNumber(outputNorm), threshold: formatRatio(thresholds.explodingRatio),
            split: pathSplitTextOf(snapshot.layers, position) })),
          fixes: FIXES_BY_KIND.exploding,
        });
      }
    }
    if (position < last && CAN_DIE.has(layer.activation) && layer.dead > thresholds.deadShare) {
      warnings.push({
        kind: 'dead', severity: 'information', layerIndex: layer.index, measured: layer.dead,
        threshold: thresholds.deadShare, when,
        ...withText(coreText('probe.dead', { when: whenText, share: formatPercent(layer.dead), layer: layerName(layer),
          threshold: formatPercent(thresholds.deadShare) })),
        fixes: FIXES_BY_KIND.dead,
      });
    }
    const flat = flatShare(layer);
    if (position < last && SATURATING.has(layer.activation) && flat > thresholds.saturatedShare) {
      const inactive = layer.lowSlopeKind === 'inactive';
      warnings.push({
        kind: 'saturated', severity: 'information', layerIndex: layer.index, measured: flat,
        threshold: thresholds.saturatedShare, when,
        ...withText(inactive
          ? coreText('probe.inactive', { when: whenText, share: formatPercent(flat), layer: layerName(layer),
            low: formatPercent(layer.inactiveLow), high: formatPercent(layer.inactiveHigh), threshold: formatPercent(thresholds.saturatedShare) })
          : coreText('probe.saturated', { when: whenText, share: formatPercent(flat), layer: layerName(layer),
            low: formatPercent(layer.saturatedLow), high: formatPercent(layer.saturatedHigh), threshold: formatPercent(thresholds.saturatedShare) })),
        fixes: FIXES_BY_KIND.saturated,
      });
    }
  });
  return warnings;
}

/** The divergence warning, attached to the learning rate. */
export function divergenceWarning(info: DivergenceInfo, lr: number): ProbeWarning {
  return {
    kind: 'diverged', severity: 'warning', measured: lr, threshold: Number.NaN, when: `at step ${info.step}`,
    ...withText(coreText('probe.diverged', { lr: formatNumber(lr), reason: info.text ?? info.message })),
    fixes: FIXES_BY_KIND.diverged,
  };
}

/** How far past its threshold a warning is, on a log scale for ratios, so two measurements can be compared. */
function excess(warning: ProbeWarning): number {
  switch (warning.kind) {
    case 'vanishing': return Math.log(warning.threshold / warning.measured);
    case 'exploding': return Math.log(warning.measured / warning.threshold);
    case 'dead':
    case 'saturated': return warning.measured - warning.threshold;
    case 'diverged': return Number.POSITIVE_INFINITY;
    default: return assertNever(warning.kind);
  }
}

/**
 * Warnings from several probes of one config (step 0, then after training on the subsample): per kind and layer,
 * the measurement furthest past its threshold; ordered by layer, then kind.
 */
export function mergeWarnings(...lists: ProbeWarning[][]): ProbeWarning[] {
  const strongest = new Map<string, ProbeWarning>();
  for (const list of lists) {
    for (const warning of list) {
      const key = `${warning.kind}:${warning.layerIndex ?? -1}`;
      const seen = strongest.get(key);
      if (!seen || excess(warning) > excess(seen)) strongest.set(key, warning);
    }
  }
  const order: ProbeWarningKind[] = ['diverged', 'vanishing', 'exploding', 'dead', 'saturated'];
  return [...strongest.values()].sort((a, b) =>
    (a.layerIndex ?? -1) - (b.layerIndex ?? -1) || order.indexOf(a.kind) - order.indexOf(b.kind));
}

/**
 * Several warnings of one kind on layers written in one place (a `hidden` list or a `repeat`): one warning, the
 * worst measurement's, naming the other layers, so one line does not carry a pile of near-identical diagnostics.
 */
export function combineWarnings(warnings: ProbeWarning[]): ProbeWarning {
  if (warnings.length === 1) return warnings[0];
  const worst = warnings.reduce((a, b) => (excess(b) > excess(a) ? b : a));
  const others = warnings.filter(w => w !== worst && w.layerIndex !== undefined).map(w => w.layerIndex as number)
    .sort((a, b) => a - b);
  if (others.length === 0) return worst;
  const text = coreText(others.length === 1 ? 'probe.alsoLayer' : 'probe.alsoLayers', { message: worst.text ?? worst.message, layers: listIndices(others) });
  return { ...worst, ...withText(text) };
}

/** "1, 2, 3" or "1–5" for a run of consecutive indices. */
function listIndices(indices: number[]): string {
  const consecutive = indices.every((value, i) => i === 0 || value === indices[i - 1] + 1);
  return consecutive && indices.length > 2 ? `${indices[0]}–${indices[indices.length - 1]}` : indices.join(', ');
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}
