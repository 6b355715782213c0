// The one layer card: hovering (or focusing) a layer anywhere in the panel shows all its numbers.
import type { LayerProbe, Snapshot } from '../../src/core/types';
import { formatNumber, formatPercent } from '../shared/format';
import { format, S } from './strings';

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

  private rows(snapshot: Snapshot, layer: LayerProbe, extraRows: [string, string][]): HTMLElement[] {
    const output = snapshot.layers[snapshot.layers.length - 1];
    const ratio = output !== undefined && output.gradNorm > 0 ? layer.gradNorm / output.gradNorm : Number.NaN;
    const rows: [string, string][] = [
      ['units', `${layer.units} (fan-in ${layer.fanIn})`],
      ['activation', layer.activation],
      ['gradNorm ‖∂L/∂W‖', formatNumber(layer.gradNorm)],
      ['ratio to output layer', formatNumber(ratio)],
      ['bias gradNorm', formatNumber(layer.biasGradNorm)],
      ['‖∂L/∂z‖', formatNumber(layer.deltaNorm)],
      ['saturation', `${formatPercent(layer.saturation)} (low ${formatPercent(layer.saturatedLow)}, high ${formatPercent(layer.saturatedHigh)})`],
      ['dead units', formatPercent(layer.dead)],
      ['update ratio ‖ΔW‖/‖W‖', formatNumber(layer.updateRatio)],
      ['weight norm', formatNumber(layer.weightNorm)],
      ['z mean ± std', `${formatNumber(layer.z.mean)} ± ${formatNumber(layer.z.std)}`],
      ['a mean ± std', `${formatNumber(layer.a.mean)} ± ${formatNumber(layer.a.std)}`],
    ];
    if (layer.preluSlope !== undefined) {
      const slope = layer.preluSlope;
      rows.push(['PReLU slope', `${formatNumber(slope.mean)} (${formatNumber(slope.min)} … ${formatNumber(slope.max)})`]);
    }
    if (layer.batchNorm !== undefined) {
      const bn = layer.batchNorm;
      rows.push(['BN γ', `${formatNumber(bn.gammaMean)} ± ${formatNumber(bn.gammaStd)}`]);
      rows.push(['BN β', `${formatNumber(bn.betaMean)} ± ${formatNumber(bn.betaStd)}`]);
    }
    rows.push(...extraRows);
    const title = document.createElement('div');
    title.className = 'layer-tooltip-title';
    title.textContent = format(S.layerTooltipTitle, layer.index, layer.path);
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
