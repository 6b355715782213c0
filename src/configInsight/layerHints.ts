// The text and health colour of the per-layer hints, and the hover's numbers. Pure (no vscode) for unit tests.
import * as l10n from '@vscode/l10n';
import { localizeArg, localizeCoreOr } from '../shared/localize';
import type { Distribution, LayerProbe, Snapshot } from '../core/types';
import {
  flatShare, formatNumber, formatPercent, formatRatio, gradientRatios, type ProbeThresholds, type ProbeWarning,
} from '../core/analysis/probeWarnings';
import { formatFactor, meanSplitTextOf, slopeSymbol, splitFactorsText } from '../core/analysis/gradientSplit';

export type LayerHealth = 'good' | 'warn' | 'bad';

export interface LineHint {
  /** 0-based line of the config where the hint is drawn. */
  line: number;
  layerIndices: number[];
  text: string;
  health: LayerHealth;
}

const DEAD_PRONE = new Set(['relu', 'relu6', 'hardtanh', 'hardsigmoid', 'step']);

/**
 * "∇ 3.1e-6 (1/2400 of output) · σ′ 0.21 × W 0.90 · sat 91%" for one layer: the gradient, the split of the error
 * signal it passes on (its activation's part × the next layer's weights' part, BackwardSplit), the low-slope share
 * under its name (sat for smooth activations, inactive for the ReLU family), dead units where units can die.
 */
export function layerHintText(layer: LayerProbe, ratio: number, isOutput: boolean): string {
  const parts = [`∇ ${formatNumber(layer.gradNorm)} ${isOutput ? l10n.t('(output)') : l10n.t('({0} of output)', formatRatio(ratio))}`];
  if (layer.backward) parts.push(splitFactorsText(layer.backward, layer.activation));
  if (layer.lowSlopeKind === 'saturated' && (layer.saturation > 0.005 || layer.activation === 'sigmoid' || layer.activation === 'tanh')) {
    parts.push(l10n.t('sat {0}', formatPercent(layer.saturation)));
  } else if (layer.lowSlopeKind === 'inactive' && layer.inactive > 0.005) {
    parts.push(l10n.t('inactive {0}', formatPercent(layer.inactive)));
  }
  if (DEAD_PRONE.has(layer.activation)) parts.push(l10n.t('dead {0}', formatPercent(layer.dead)));
  return parts.join(' · ');
}

/**
 * Health from the warnings on that layer, with a middle band for layers within 10× of a gradient threshold or
 * past 60% of a share threshold, so a layer turns yellow before it turns red.
 */
export function layerHealth(
  layer: LayerProbe, ratio: number, isOutput: boolean, warnings: ProbeWarning[], thresholds: ProbeThresholds,
): LayerHealth {
  const own = warnings.filter(w => w.layerIndex === layer.index);
  if (own.some(w => w.severity === 'warning')) return 'bad';
  if (own.length > 0) return 'warn';
  if (!isOutput && Number.isFinite(ratio)
    && (ratio < thresholds.vanishingRatio * 10 || ratio > thresholds.explodingRatio / 10)) return 'warn';
  // ReLU's inactive half is how it works, not a warning sign: only the clamps' flat share counts (flatShare).
  const flat = layer.lowSlopeKind === 'saturated' || layer.activation === 'hardtanh' || layer.activation === 'hardsigmoid' ? flatShare(layer) : 0;
  if (flat > thresholds.saturatedShare * 0.6 || layer.dead > thresholds.deadShare * 0.6) return 'warn';
  return 'good';
}

const HEALTH_RANK: Record<LayerHealth, number> = { good: 0, warn: 1, bad: 2 };

/**
 * One hint per config line. Layers that share a line (a `repeat` or `hidden` shorthand on one line) are summarised:
 * "×8: ∇ 2.1e-7…4.0e-3 (worst 1/36000 of output) · sat ≤ 93%".
 */
export function lineHints(
  snapshot: Snapshot, lineOfLayer: (index: number) => number | undefined, warnings: ProbeWarning[],
  thresholds: ProbeThresholds,
): LineHint[] {
  const ratios = gradientRatios(snapshot);
  const last = snapshot.layers.length - 1;
  const byLine = new Map<number, { layer: LayerProbe; ratio: number; isOutput: boolean }[]>();
  snapshot.layers.forEach((layer, position) => {
    const line = lineOfLayer(layer.index);
    if (line === undefined) return;
    const group = byLine.get(line) ?? [];
    group.push({ layer, ratio: ratios[position], isOutput: position === last });
    byLine.set(line, group);
  });
  const hints: LineHint[] = [];
  for (const [line, group] of byLine) {
    const healths = group.map(g => layerHealth(g.layer, g.ratio, g.isOutput, warnings, thresholds));
    const health = healths.reduce((worst, h) => (HEALTH_RANK[h] > HEALTH_RANK[worst] ? h : worst), 'good');
    const layerIndices = group.map(g => g.layer.index);
    if (group.length === 1) {
      hints.push({ line, layerIndices, health, text: layerHintText(group[0].layer, group[0].ratio, group[0].isOutput) });
      continue;
    }
    const norms = group.map(g => g.layer.gradNorm);
    const hidden = group.filter(g => !g.isOutput && Number.isFinite(g.ratio));
    const worst = hidden.reduce<number | undefined>((w, g) =>
      w === undefined || Math.abs(Math.log(g.ratio)) > Math.abs(Math.log(w)) ? g.ratio : w, undefined);
    const parts = [`×${group.length}: ∇ ${formatNumber(Math.min(...norms))}…${formatNumber(Math.max(...norms))}` +
      (worst !== undefined ? l10n.t(' (worst {0} of output)', formatRatio(worst)) : '')];
    const split = meanSplitTextOf(group.filter(g => !g.isOutput).map(g => g.layer));
    if (split) parts.push(localizeArg(split));
    const maxSaturation = Math.max(...group.map(g => g.layer.saturation));
    if (maxSaturation > 0.005) parts.push(l10n.t('sat ≤ {0}', formatPercent(maxSaturation)));
    const maxInactive = Math.max(...group.map(g => g.layer.inactive));
    if (maxInactive > 0.005) parts.push(l10n.t('inactive ≤ {0}', formatPercent(maxInactive)));
    if (group.some(g => DEAD_PRONE.has(g.layer.activation))) {
      parts.push(l10n.t('dead ≤ {0}', formatPercent(Math.max(...group.map(g => g.layer.dead)))));
    }
    hints.push({ line, layerIndices, health, text: parts.join(' · ') });
  }
  return hints.sort((a, b) => a.line - b.line);
}

/**
 * What the hints show after training on the sample: the gradients as they were at step 0 (what the architecture
 * and initialisation do, the textbook's vanishing gradient) beside the saturation and dead shares after training
 * (which develop as the weights move).
 */
export function hintSnapshot(step0: Snapshot, trained: Snapshot | undefined): Snapshot {
  if (!trained) return step0;
  const byIndex = new Map(trained.layers.map(layer => [layer.index, layer]));
  return {
    ...step0,
    layers: step0.layers.map(layer => {
      const later = byIndex.get(layer.index);
      return later ? {
        ...layer, saturation: later.saturation, saturatedLow: later.saturatedLow, saturatedHigh: later.saturatedHigh,
        inactive: later.inactive, inactiveLow: later.inactiveLow, inactiveHigh: later.inactiveHigh, dead: later.dead,
      } : layer;
    }),
  };
}

/** The hover's rows for the backward split: what the layer passes on, and its path to the output layer. */
function splitRows(layer: LayerProbe): string[] {
  const b = layer.backward;
  if (!b) return [];
  const symbol = slopeSymbol(layer.activation);
  const rows = [
    `| ${l10n.t('error signal passed on')} ‖δ_${layer.index}‖/‖δ_${layer.index + 1}‖ | ${formatFactor(b.gain)} = ${splitFactorsText(b, layer.activation)} |`,
    `| ${l10n.t('{0} part, its bound', symbol)} | ${formatFactor(b.activationFactor)} ≤ max \\|f′\\| ${formatFactor(b.maxSlope)} |`,
    `| ${l10n.t('W part, its bound')} | ${formatFactor(b.weightFactor)} ≤ ‖W_${layer.index + 1}‖₂ ${formatFactor(b.weightSpectralNorm)} |`,
  ];
  let toOutput = `| ‖δ_${layer.index}‖/‖δ_out‖ | ${formatFactor(b.cumulativeGain)}`;
  if (b.rigorousBound !== undefined) toOutput += ` ≤ ${l10n.t('bound {0}', formatFactor(b.rigorousBound))}`;
  toOutput += `; ${l10n.t('activations\' part {0}', formatFactor(b.cumulativeActivationFactor))} ≤ ∏ max \\|f′\\| ${formatFactor(b.activationBound)} |`;
  rows.push(toOutput);
  return rows;
}

/** The low-slope share under its name: saturated (smooth activations) or inactive (piecewise-linear ones). */
function lowSlopeRows(layer: LayerProbe): string[] {
  switch (layer.lowSlopeKind) {
    case 'saturated':
      return [`| ${l10n.t('saturated')} | ${l10n.t('{0} (low {1}, high {2})', formatPercent(layer.saturation), formatPercent(layer.saturatedLow), formatPercent(layer.saturatedHigh))} |`];
    case 'inactive':
      return [`| ${layer.activation === 'leaky_relu' || layer.activation === 'prelu' ? l10n.t('inactive (slope small)') : l10n.t('inactive (slope 0)')} | ${l10n.t('{0} (low {1}, high {2})', formatPercent(layer.inactive), formatPercent(layer.inactiveLow), formatPercent(layer.inactiveHigh))} |`];
    case 'none':
      return [];
    default:
      return assertNever(layer.lowSlopeKind);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}

const BARS = '▁▂▃▄▅▆▇█';

/** A histogram as one line of block characters, tallest bin = █. */
export function sparkline(counts: number[], width = 32): string {
  if (counts.length === 0) return '';
  // Merge bins down to `width` so the hover stays one line.
  const merged: number[] = [];
  const per = Math.max(1, Math.ceil(counts.length / width));
  for (let i = 0; i < counts.length; i += per) {
    let sum = 0;
    for (let j = i; j < Math.min(i + per, counts.length); j++) sum += counts[j];
    merged.push(sum);
  }
  const peak = Math.max(...merged);
  if (peak <= 0) return BARS[0].repeat(merged.length);
  return merged.map(c => (c === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((c / peak) * (BARS.length - 1) + 0.5))]))
    .join('');
}

function distributionLines(label: string, distribution: Distribution): string[] {
  const h = distribution.histogram;
  return [
    `**${label}** ` + l10n.t('mean {0}, std {1}, range [{2}, {3}]', formatNumber(distribution.mean), formatNumber(distribution.std),
      formatNumber(h.min), formatNumber(h.max)),
    '',
    '```text',
    sparkline(h.counts),
    `${formatNumber(h.min)}${' '.repeat(Math.max(1, Math.min(32, h.counts.length) - formatNumber(h.min).length - formatNumber(h.max).length))}${formatNumber(h.max)}`,
    '```',
  ];
}

/** The hover's markdown for one layer: its numbers, then the histogram of its activations and pre-activations. */
export function layerHoverMarkdown(
  layer: LayerProbe, ratio: number, isOutput: boolean, when: string, warnings: ProbeWarning[],
  atStep0?: { layer: LayerProbe; ratio: number },
): string {
  const lines = [
    l10n.t('**Layer {0}** · {1} → {2} · {3} — live probe {4}', layer.index, layer.fanIn, layer.units, layer.activation, when),
    '',
    '| | |',
    '|---|---|',
    ...(atStep0 ? [`| ${l10n.t('‖∂L/∂W‖ at step 0')} | ${formatNumber(atStep0.layer.gradNorm)}${isOutput ? l10n.t(' (output layer)') : l10n.t(' — {0} of the output layer\'s', formatRatio(atStep0.ratio))} |`] : []),
    `| ‖∂L/∂W‖ | ${formatNumber(layer.gradNorm)}${isOutput ? l10n.t(' (output layer)') : l10n.t(' — {0} of the output layer\'s', formatRatio(ratio))} |`,
    `| ‖∂L/∂b‖ | ${formatNumber(layer.biasGradNorm)} |`,
    `| ‖∂L/∂z‖ | ${formatNumber(layer.deltaNorm)} |`,
    `| ${l10n.t('mean / max')} \\|∂L/∂W\\| | ${formatNumber(layer.gradMeanAbs)} / ${formatNumber(layer.gradMaxAbs)} |`,
    `| ‖W‖ | ${formatNumber(layer.weightNorm)} |`,
    `| ${l10n.t('update')} ‖ΔW‖/‖W‖ | ${formatNumber(layer.updateRatio)} |`,
    ...splitRows(layer),
    ...lowSlopeRows(layer),
    `| ${l10n.t('dead units')} | ${formatPercent(layer.dead)} |`,
  ];
  if (layer.preluSlope) {
    lines.push(`| ${l10n.t('PReLU slope')} | ${l10n.t('mean')} ${formatNumber(layer.preluSlope.mean)} [${formatNumber(layer.preluSlope.min)}, ${formatNumber(layer.preluSlope.max)}] |`);
  }
  if (layer.batchNorm) {
    const bn = layer.batchNorm;
    lines.push(`| BN γ / β | ${formatNumber(bn.gammaMean)} ± ${formatNumber(bn.gammaStd)} / ${formatNumber(bn.betaMean)} ± ${formatNumber(bn.betaStd)} |`);
  }
  lines.push('', ...distributionLines(l10n.t('Activations a = {0}(z)', layer.activation), layer.a), '',
    ...distributionLines(l10n.t('Pre-activations z'), layer.z));
  const own = warnings.filter(w => w.layerIndex === layer.index);
  if (own.length > 0) lines.push('', ...own.map(w => `⚠ ${localizeCoreOr(w.text, w.message)}`));
  return lines.join('\n');
}
