// The one layer card: hovering (or focusing) a layer anywhere in the panel shows all its numbers.
import type { LayerProbe, Snapshot } from '../../src/core/types';
import { formatNumber, formatPercent } from '../shared/format';
import { format, S, t } from './strings';
import { backwardOf, isPiecewiseLinear, saturationStack, slopeBoundText, slopeSymbol } from './analysis';

export class LayerTooltip {
  private readonly element: HTMLElement;
  private hideTimer: number | undefined;

  constructor(root: HTMLElement) {
    this.element = document.createElement('div');
    this.element.id = 'layer-tooltip';
    this.element.className = 'layer-tooltip';
    this.element.setAttribute('role', 'tooltip');
    this.element.hidden = true;
    root.appendChild(this.element);
  }

  /** Shows layer `index` of `snapshot` near the viewport point (x, y). */
  show(snapshot: Snapshot | undefined, index: number, x: number, y: number, extraRows: [string, string][] = []): void {
    const layer = snapshot?.layers[index];
    if (snapshot === undefined || layer === undefined) {
      this.hide();
      return;
    }
    window.clearTimeout(this.hideTimer);
    this.element.replaceChildren(...this.rows(snapshot, layer, extraRows));
    this.element.hidden = false;
    const margin = 12;
    const box = this.element.getBoundingClientRect();
    const left = Math.min(window.innerWidth - box.width - 4, x + margin);
    const top = y + margin + box.height > window.innerHeight ? Math.max(4, y - box.height - margin) : y + margin;
    this.element.style.left = `${Math.max(4, left)}px`;
    this.element.style.top = `${top}px`;
  }

  hide(): void {
    window.clearTimeout(this.hideTimer);
    this.hideTimer = window.setTimeout(() => { this.element.hidden = true; }, 60);
  }

  /** The slope × weights split of the layer's gain (hidden layers of snapshots that carry it). */
  private splitRows(layer: LayerProbe): [string, string][] {
    const split = backwardOf(layer);
    if (split === undefined) return [];
    // null: no gradient arrived at that stage (its denominator was exactly 0).
    const f = (v: number | null | undefined) => (v === null ? t('tipNoneArrives') : formatNumber(v, 3));
    const product = [`${slopeSymbol(layer.activation)} ${f(split.activationFactor)}`, `W ${f(split.weightFactor)}`];
    if (split.batchNormFactor !== undefined) product.push(`BN ${f(split.batchNormFactor)}`);
    if (split.dropoutFactor !== undefined) product.push(t('tipDropout', f(split.dropoutFactor)));
    if (split.residualFactor !== undefined) product.push(t('tipSkip', f(split.residualFactor)));
    const rows: [string, string][] = [
      [t('tipGain'), `${product.join(' × ')} = ${f(split.gain)}`],
      [t('tipAtMost'), t('tipAtMostValue', slopeSymbol(layer.activation), slopeBoundText(split.maxSlope, f), f(split.weightSpectralNorm), f(split.maxSlope * split.weightSpectralNorm))],
    ];
    if (split.rigorousBound !== undefined) rows.push([t('tipDeltaBound'), f(split.rigorousBound)]);
    return rows;
  }

  private rows(snapshot: Snapshot, layer: LayerProbe, extraRows: [string, string][]): HTMLElement[] {
    const output = snapshot.layers[snapshot.layers.length - 1];
    const ratio = output !== undefined && output.gradNorm > 0 ? layer.gradNorm / output.gradNorm : Number.NaN;
    const deltaRatio = output !== undefined && output.deltaNorm > 0 ? layer.deltaNorm / output.deltaNorm : Number.NaN;
    const rows: [string, string][] = [
      [t('tipUnits'), t('tipUnitsValue', layer.units, layer.fanIn)],
      [t('tipActivation'), layer.activation],
      [t('tipErrorSignal'), formatNumber(layer.deltaNorm)],
      [t('tipDeltaRatio'), formatNumber(deltaRatio)],
      ...this.splitRows(layer),
      [t('tipWeightGradient'), layer.frozen === true ? t('tipFrozen') : formatNumber(layer.gradNorm)],
      [t('tipGradRatio'), layer.frozen === true ? '—' : formatNumber(ratio)],
      [t('tipBiasGradient'), formatNumber(layer.biasGradNorm)],
      isPiecewiseLinear(layer.activation)
        ? [t('tipInactive'), formatPercent(saturationStack(layer).inactive)]
        : [t('tipSaturation'), t('tipSaturationValue', formatPercent(layer.saturation), formatPercent(layer.saturatedLow), formatPercent(layer.saturatedHigh))],
      [t('tipDead'), formatPercent(layer.dead)],
      [t('tipUpdateRatio'), formatNumber(layer.updateRatio)],
      [t('tipWeightNorm'), formatNumber(layer.weightNorm)],
      [t('tipZ'), `${formatNumber(layer.z.mean)} ± ${formatNumber(layer.z.std)}`],
      [t('tipA'), `${formatNumber(layer.a.mean)} ± ${formatNumber(layer.a.std)}`],
    ];
    if (layer.preluSlope !== undefined) {
      const slope = layer.preluSlope;
      rows.push([t('tipPreluSlope'), `${formatNumber(slope.mean)} (${formatNumber(slope.min)} … ${formatNumber(slope.max)})`]);
    }
    if (layer.batchNorm !== undefined) {
      const bn = layer.batchNorm;
      rows.push(['BN γ', `${formatNumber(bn.gammaMean)} ± ${formatNumber(bn.gammaStd)}`]);
      rows.push(['BN β', `${formatNumber(bn.betaMean)} ± ${formatNumber(bn.betaStd)}`]);
    }
    rows.push(...extraRows);
    const title = document.createElement('div');
    title.className = 'layer-tooltip-title';
    title.textContent = layer.name !== undefined ? t('tipModule', layer.name) : format(S.layerTooltipTitle, layer.index, layer.path);
    const table = document.createElement('table');
    for (const [name, value] of rows) {
      const row = table.insertRow();
      const nameCell = row.insertCell();
      nameCell.textContent = name;
      const valueCell = row.insertCell();
      valueCell.textContent = value;
    }
    return [title, table];
  }
}
