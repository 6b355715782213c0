// (2) Gradient decay by layer: gradNorm per layer now (log axis), and beside it the decay relative to the
// output layer with the sigmoid chain-rule bound (×1/4 per layer) as a dashed guide.
import { decayRelativeToOutput, sigmoidChainBound } from '../analysis';
import { formatNumber } from '../../shared/format';
import {
  Chart, axisTitle, baseOptions, canvasById, finiteOrNull, layerCardTooltip, positiveOrNull, valueScale,
  type ChartContext, type PanelChart,
} from './common';

export class GradientChart implements PanelChart {
  readonly canvasIds = ['chart-gradient', 'chart-gradient-ratio'];
  private normChart: Chart<'line' | 'bar'> | undefined;
  private ratioChart: Chart<'line'> | undefined;
  private builtForLog: boolean | undefined;
  private context: ChartContext | undefined;

  update(context: ChartContext): void {
    this.context = context;
    const { store, palette, settings } = context;
    const snapshot = store.latest();
    const layers = snapshot?.layers ?? [];
    const labels = layers.map(layer => `L${layer.index}`);
    const pick = settings.logScale ? positiveOrNull : finiteOrNull;
    if (this.normChart === undefined || this.ratioChart === undefined || this.builtForLog !== settings.logScale) {
      this.destroy();
      this.builtForLog = settings.logScale;
      const normOptions = baseOptions<'bar'>(palette);
      normOptions.scales = {
        x: { type: 'category', title: axisTitle('layer (input → output)', palette), grid: { display: false }, ticks: { color: palette.muted, autoSkip: true, maxRotation: 0 } },
        y: valueScale(settings.logScale, 'gradNorm ‖∂L/∂W‖', palette),
      };
      normOptions.interaction = { mode: 'index', intersect: false };
      normOptions.plugins = { ...normOptions.plugins, tooltip: layerCardTooltip(() => this.context, i => i) as never };
      this.normChart = new Chart(canvasById('chart-gradient'), {
        type: 'bar',
        data: {
          labels,
          datasets: [
            { type: 'bar', label: 'weight gradNorm', data: [], backgroundColor: palette.train, borderRadius: 2, order: 2 },
            { type: 'line', label: 'bias gradNorm', data: [], borderColor: palette.val, backgroundColor: palette.val, pointRadius: 2, borderWidth: 1.5, order: 1 },
          ],
        } as never,
        options: normOptions,
      }) as Chart<'line' | 'bar'>;

      const ratioOptions = baseOptions<'line'>(palette);
      ratioOptions.scales = {
        x: { type: 'category', title: axisTitle('layer', palette), grid: { display: false }, ticks: { color: palette.muted, autoSkip: true, maxRotation: 0 } },
        // Ratios span many decades; a linear axis would hide everything but the last layers.
        y: valueScale(true, 'gradNorm ÷ output layer', palette),
      };
      ratioOptions.interaction = { mode: 'index', intersect: false };
      ratioOptions.plugins = { ...ratioOptions.plugins, tooltip: layerCardTooltip(() => this.context, i => i) as never };
      this.ratioChart = new Chart(canvasById('chart-gradient-ratio'), {
        type: 'line',
        data: {
          labels,
          datasets: [
            { label: 'measured', data: [], borderColor: palette.train, backgroundColor: palette.train, pointRadius: 3, borderWidth: 2 },
            { label: 'sigmoid bound ×¼ per layer', data: [], borderColor: palette.muted, backgroundColor: palette.muted, borderDash: [5, 4], pointRadius: 0, borderWidth: 1.5 },
          ],
        },
        options: ratioOptions,
      });
    }
    const normChart = this.normChart;
    const ratioChart = this.ratioChart;
    if (normChart === undefined || ratioChart === undefined) return;
    normChart.data.labels = labels;
    normChart.data.datasets[0].data = layers.map(layer => pick(layer.gradNorm));
    normChart.data.datasets[1].data = layers.map(layer => pick(layer.biasGradNorm));
    normChart.update('none');

    ratioChart.data.labels = labels;
    ratioChart.data.datasets[0].data = decayRelativeToOutput(layers).map(value => positiveOrNull(value));
    ratioChart.data.datasets[1].data = sigmoidChainBound(layers.length);
    ratioChart.update('none');

    const note = document.getElementById('note-gradient');
    if (note !== null && layers.length > 1) {
      const first = decayRelativeToOutput(layers)[0];
      note.textContent = `first layer gets ${formatNumber(first)} × the output layer’s gradient`;
      note.classList.toggle('warning', Number.isFinite(first) && first < 1e-3);
    }
  }

  destroy(): void {
    this.normChart?.destroy();
    this.ratioChart?.destroy();
    this.normChart = undefined;
    this.ratioChart = undefined;
  }
}
