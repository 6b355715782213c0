// (4) Saturation by layer: stacked shares now (saturated low, saturated high, dead, active), and each
// layer's saturated + dead share over time as lines (a sample of layers when there are many).
import { sampleLayerIndices, saturationStack } from '../analysis';
import { withAlpha } from '../../shared/theme';
import {
  Chart, stepAxis, axisTitle, baseOptions, canvasById, layerCardTooltip,
  type ChartContext, type PanelChart,
} from './common';

const MAX_HISTORY_LINES = 8;

export class SaturationChart implements PanelChart {
  readonly canvasIds = ['chart-saturation', 'chart-saturation-history'];
  private barChart: Chart<'bar'> | undefined;
  private historyChart: Chart<'line'> | undefined;
  private context: ChartContext | undefined;

  update(context: ChartContext): void {
    this.context = context;
    const { store, palette } = context;
    const snapshot = store.latest();
    const layers = snapshot?.layers ?? [];
    if (this.barChart === undefined || this.historyChart === undefined) {
      this.destroy();
      const barOptions = baseOptions<'bar'>(palette);
      barOptions.scales = {
        x: { type: 'category', stacked: true, title: axisTitle('layer (input → output)', palette), grid: { display: false }, ticks: { color: palette.muted, autoSkip: true, maxRotation: 0 } },
        y: { type: 'linear', stacked: true, min: 0, max: 1, title: axisTitle('share of units × samples', palette), grid: { color: palette.grid }, ticks: { color: palette.muted, callback: value => `${Math.round(Number(value) * 100)}%` } },
      };
      barOptions.interaction = { mode: 'index', intersect: false };
      barOptions.plugins = { ...barOptions.plugins, tooltip: layerCardTooltip(() => this.context, i => i) as never };
      this.barChart = new Chart(canvasById('chart-saturation'), {
        type: 'bar',
        data: {
          labels: [],
          datasets: [
            { label: 'saturated low', data: [], backgroundColor: palette.train, stack: 's' },
            { label: 'saturated high', data: [], backgroundColor: palette.val, stack: 's' },
            { label: 'dead', data: [], backgroundColor: palette.bad, stack: 's' },
            { label: 'active', data: [], backgroundColor: withAlpha(palette.good, 0.55), stack: 's' },
          ],
        },
        options: barOptions,
      });
      const historyOptions = baseOptions<'line'>(palette);
      historyOptions.parsing = false;
      historyOptions.scales = {
        x: stepAxis(palette, 6),
        y: { type: 'linear', min: 0, max: 1, title: axisTitle('saturated or dead', palette), grid: { color: palette.grid }, ticks: { color: palette.muted, callback: value => `${Math.round(Number(value) * 100)}%` } },
      };
      this.historyChart = new Chart(canvasById('chart-saturation-history'), { type: 'line', data: { datasets: [] }, options: historyOptions });
    }
    const barChart = this.barChart;
    const historyChart = this.historyChart;
    if (barChart === undefined || historyChart === undefined) return;
    const stacks = layers.map(saturationStack);
    barChart.data.labels = layers.map(layer => `L${layer.index}`);
    barChart.data.datasets[0].data = stacks.map(s => s.saturatedLow);
    barChart.data.datasets[1].data = stacks.map(s => s.saturatedHigh);
    barChart.data.datasets[2].data = stacks.map(s => s.dead);
    barChart.data.datasets[3].data = stacks.map(s => s.active);
    barChart.update('none');

    const snapshots = store.visibleSnapshots();
    const shown = sampleLayerIndices(layers.length, MAX_HISTORY_LINES);
    historyChart.data.datasets = shown.map((layerIndex, k) => {
      const color = palette.series[k % palette.series.length];
      return {
        label: `L${layerIndex}`,
        data: snapshots.map(s => {
          const layer = s.layers[layerIndex];
          return { x: s.step, y: layer === undefined ? null : 1 - saturationStack(layer).active };
        }),
        borderColor: color,
        backgroundColor: color,
        borderWidth: 1.5,
        pointRadius: 0,
        // Later layers in the sample draw dashed once the palette's colours repeat.
        borderDash: k >= palette.series.length ? [4, 3] : [],
      };
    }) as never;
    historyChart.update('none');
  }

  destroy(): void {
    this.barChart?.destroy();
    this.historyChart?.destroy();
    this.barChart = undefined;
    this.historyChart = undefined;
  }
}
