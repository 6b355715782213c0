// The backward split (BackwardSplit in types.ts) in words, one wording for the CLI, the config hints, their
// warnings and the panels: "σ′ 0.21 × W 0.90", "Layer 3 passes on 19 % of the error signal it receives: …".
// Pure: no vscode, no DOM.
import type { ActivationName, BackwardSplit, LayerProbe } from '../types';
import { coreText, textOf, type CoreText } from '../messages';

/** The derivative's symbol as people write it: σ′ for sigmoid, tanh′, relu′ …; f′ when there is none to name. */
export function slopeSymbol(activation: ActivationName): string {
  if (activation === 'sigmoid') return 'σ′';
  if (activation === 'linear') return 'f′';
  return `${activation}′`;
}

/** The product of the batch-norm, dropout and residual factors; undefined when none sits between the layers. */
export function otherFactor(b: BackwardSplit): number | null | undefined {
  const parts = [b.batchNormFactor, b.dropoutFactor, b.residualFactor].filter(f => f !== undefined);
  if (parts.length === 0) return undefined;
  return parts.some(f => f === null) ? null : parts.reduce<number>((p, f) => p * (f as number), 1);
}

/** Two significant digits: 0.21, 1.4, 3.1e-3. */
export function formatFactor(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e-2 && a < 1e3) return String(Number(value.toPrecision(2)));
  const [mantissa, exponent] = value.toExponential(1).split('e');
  return `${mantissa.replace(/\.0$/, '')}e${Number(exponent)}`;
}

/**
 * "σ′ 0.21 × W 0.90", with "× BN 1.3", "× dropout 1.2", "× skip 1.4" when those sit between: the factors whose
 * product is the layer's gain.
 */
export function splitFactorsText(b: BackwardSplit, activation: ActivationName): string {
  const parts = [`${slopeSymbol(activation)} ${formatFactor(b.activationFactor)}`, `W ${formatFactor(b.weightFactor)}`];
  if (b.batchNormFactor !== undefined) parts.push(`BN ${formatFactor(b.batchNormFactor)}`);
  if (b.dropoutFactor !== undefined) parts.push(`dropout ${formatFactor(b.dropoutFactor)}`);
  if (b.residualFactor !== undefined) parts.push(`skip ${formatFactor(b.residualFactor)}`);
  return parts.join(' × ');
}

function percentOf(share: number): string {
  const p = share * 100;
  return p >= 10 ? `${Math.round(p)} %` : p >= 1 ? `${Number(p.toPrecision(2))} %` : `${formatFactor(p)} %`;
}

/**
 * One plain sentence from the numbers, e.g. "Layer 3 passes on 19 % of the error signal it receives: σ′ 0.21 (at
 * most 0.25) × W 0.90." (or "amplifies … 1.7×" above 1); undefined for the output layer.
 */
export function splitSentence(layer: LayerProbe): string | undefined {
  const b = layer.backward;
  if (!b) return undefined;
  if (b.gain === null) return `No error signal reaches layer ${layer.index + 1}, so layer ${layer.index} receives none to pass on.`;
  const how = b.gain <= 1
    ? `passes on ${percentOf(b.gain)} of the error signal it receives`
    : `amplifies the error signal it receives ${formatFactor(b.gain)}×`;
  const symbol = slopeSymbol(layer.activation);
  const parts = [`${symbol} ${formatFactor(b.activationFactor)} (at most ${formatFactor(b.maxSlope)})`, `W ${formatFactor(b.weightFactor)} (‖W‖₂ ${formatFactor(b.weightSpectralNorm)})`];
  if (b.batchNormFactor !== undefined) parts.push(`BN ${formatFactor(b.batchNormFactor)}`);
  if (b.dropoutFactor !== undefined) parts.push(`dropout ${formatFactor(b.dropoutFactor)}`);
  if (b.residualFactor !== undefined) parts.push(`skip ${formatFactor(b.residualFactor)}`);
  return `Layer ${layer.index} ${how}: ${parts.join(' × ')}.`;
}

/** The hidden layer that passes on the smallest share of its error signal (undefined without splits). */
export function weakestLayer(layers: readonly LayerProbe[]): LayerProbe | undefined {
  let weakest: LayerProbe | undefined;
  for (const l of layers) {
    const g = l.backward?.gain;
    if (g === undefined || g === null) continue;
    if (!weakest || g < (weakest.backward?.gain as number)) weakest = l;
  }
  return weakest;
}

/**
 * The geometric mean of each factor over the hidden layers of a list (a `hidden` list, a `repeat`): "σ′ 0.21 × W
 * 0.90 per layer". Layers with an undefined factor are left out of that factor's mean.
 */
export function meanSplitTextOf(layers: readonly LayerProbe[]): string | CoreText | undefined {
  const withSplit = layers.filter(l => l.backward);
  if (withSplit.length === 0) return undefined;
  const geo = (pick: (b: BackwardSplit) => number | null | undefined): number | undefined => {
    let logSum = 0;
    let count = 0;
    for (const l of withSplit) {
      const v = pick(l.backward as BackwardSplit);
      if (v === undefined || v === null) continue;
      if (v === 0) return 0;
      logSum += Math.log(v);
      count++;
    }
    return count ? Math.exp(logSum / count) : undefined;
  };
  const first = withSplit[0];
  const sameActivation = withSplit.every(l => l.activation === first.activation);
  const mean: BackwardSplit = {
    gain: geo(b => b.gain) ?? null,
    activationFactor: geo(b => b.activationFactor) ?? null,
    weightFactor: geo(b => b.weightFactor) ?? null,
    weightSpectralNorm: 0, maxSlope: 0, cumulativeGain: null, cumulativeActivationFactor: null, activationBound: 0,
  };
  const bn = geo(b => b.batchNormFactor);
  if (bn !== undefined) mean.batchNormFactor = bn;
  const dropout = geo(b => b.dropoutFactor);
  if (dropout !== undefined) mean.dropoutFactor = dropout;
  const skip = geo(b => b.residualFactor);
  if (skip !== undefined) mean.residualFactor = skip;
  const text = splitFactorsText(mean, sameActivation ? first.activation : 'linear');
  return withSplit.length > 1 ? coreText('split.perLayer', { factors: text }) : text;
}

/** meanSplitTextOf in English. */
export function meanSplitText(layers: readonly LayerProbe[]): string | undefined {
  const text = meanSplitTextOf(layers);
  return text === undefined ? undefined : textOf(text);
}
