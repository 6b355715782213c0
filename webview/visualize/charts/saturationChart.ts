// (4) Saturation by layer: stacked shares now — saturated low / high for smooth activations, inactive (zero slope)
// for piecewise-linear ones, dead, active — and each layer's (nearly) zero-slope share over time as lines (a sample
// of layers when there are many; the legend says which are left out). Line colours are Tableau10's, never repeated.
import { t } from '../strings';
import { isPiecewiseLinear, layerLabel, sampleLayerIndices, saturationStack, type SaturationStack } from '../analysis';
import { withAlpha } from '../../shared/theme';
import { categorical, CATEGORICAL_COUNT } from '../../shared/palettes';
import {
  Chart, stepAxis, axisTitle, baseOptions, canvasById, layerCardTooltip,
  type ChartContext, type PanelChart,
} from './common';

/** At most this many lines: fewer than the categorical colours, so no two drawn layers look alike. */
const MAX_HISTORY_LINES = Math.min(8, CATEGORICAL_COUNT);

const STACK: { key: keyof SaturationStack; label: string }[] = [
  { key: 'saturatedLow', label: t('stackSaturatedLow') },
  { key: 'saturatedHigh', label: t('stackSaturatedHigh') },
  { key: 'inactive', label: t('stackInactive') },
  { key: 'dead', label: t('stackDead') },
  { key: 'active', label: t('stackActive') },
];

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
        x: { type: 'category', stacked: true, title: axisTitle(t('axisLayerInOut'), palette), grid: { display: false }, ticks: { color: palette.muted, autoSkip: true, maxRotation: 0 } },
        y: { type: 'linear', stacked: true, min: 0, max: 1, title: axisTitle(t('axisShare'), palette), grid: { color: palette.grid }, ticks: { color: palette.muted, callback: value => `${Math.round(Number(value) * 100)}%` } },
      };
      barOptions.interaction = { mode: 'index', intersect: false };
      barOptions.plugins = {
        ...barOptions.plugins,
        tooltip: layerCardTooltip(() => this.context, i => i) as never,
        // Only the kinds this network has: no "saturated" on a ReLU net, no "inactive" on a sigmoid one.
        legend: { ...barOptions.plugins?.legend, labels: { ...barOptions.plugins?.legend?.labels, filter: (item, data) => data.datasets[item.datasetIndex ?? 0].hidden !== true } },
      };
      const colours: Record<string, string> = {
        saturatedLow: palette.train, saturatedHigh: palette.val, inactive: palette.series[3] ?? palette.muted, dead: palette.bad, active: withAlpha(palette.good, 0.55),
      };
      this.barChart = new Chart(canvasById('chart-saturation'), {
        type: 'bar',
        data: { labels: [], datasets: STACK.map(({ key, label }) => ({ label, data: [], backgroundColor: colours[key], stack: 's' })) },
        options: barOptions,
      });
      const historyOptions = baseOptions<'line'>(palette);
      historyOptions.parsing = false;
      historyOptions.scales = {
        x: stepAxis(palette, 6, t('axisStep')),
        y: { type: 'linear', min: 0, max: 1, title: axisTitle(t('axisSaturatedOrDead'), palette), grid: { color: palette.grid }, ticks: { color: palette.muted, callback: value => `${Math.round(Number(value) * 100)}%` } },
      };
      historyOptions.plugins = { ...historyOptions.plugins, legend: { ...historyOptions.plugins?.legend, title: { display: false, text: '', color: palette.muted } } };
      this.historyChart = new Chart(canvasById('chart-saturation-history'), { type: 'line', data: { datasets: [] }, options: historyOptions });
    }
    const barChart = this.barChart;
    const historyChart = this.historyChart;
    if (barChart === undefined || historyChart === undefined) return;
    const stacks = layers.map(saturationStack);
    barChart.data.labels = layers.map(layerLabel);
    const smooth = layers.some(layer => !isPiecewiseLinear(layer.activation) && layer.activation !== 'linear');
    const piecewise = layers.some(layer => isPiecewiseLinear(layer.activation));
    STACK.forEach(({ key }, k) => {
      const dataset = barChart.data.datasets[k];
      dataset.data = stacks.map(s => s[key]);
      dataset.hidden = (key === 'inactive' && !piecewise) || ((key === 'saturatedLow' || key === 'saturatedHigh') && !smooth);
    });
    barChart.update('none');

    const snapshots = store.visibleSnapshots();
    const shown = sampleLayerIndices(layers.length, MAX_HISTORY_LINES);
    const yTitle = historyChart.options.scales?.y?.title;
    if (yTitle !== undefined) {
      yTitle.text = smooth && piecewise ? t('axisSaturatedInactiveOrDead') : smooth ? t('axisSaturatedOrDead') : piecewise ? t('axisInactiveOrDead') : t('axisDead');
    }
    const legendTitle = historyChart.options.plugins?.legend?.title;
    if (legendTitle !== undefined) {
      const left = layers.map(layer => layer.index).filter((_, i) => !shown.includes(i));
      legendTitle.display = left.length > 0;
      legendTitle.text = left.length === 0 ? '' : t('legendNotDrawn', shown.length, layers.length, abbreviateLayers(left));
    }
    historyChart.data.datasets = shown.map((layerIndex, k) => {
      const color = categorical(k);
      return {
        label: layers[layerIndex] !== undefined ? layerLabel(layers[layerIndex]) : `L${layerIndex}`,
        data: snapshots.map(s => {
          const layer = s.layers[layerIndex];
          return { x: s.step, y: layer === undefined ? null : 1 - saturationStack(layer).active };
        }),
        borderColor: color,
        backgroundColor: color,
        borderWidth: 1.5,
        pointRadius: 0,
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

/** "L2, L5, L8" — or "L1–L12, L14 …" style runs when many are left out. */
export function abbreviateLayers(indices: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < indices.length; i++) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    runs.push(j === i ? `L${indices[i]}` : `L${indices[i]}–L${indices[j]}`);
    i = j;
  }
  return runs.join(', ');
}
