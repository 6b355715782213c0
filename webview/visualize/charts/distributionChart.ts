// (5) Activation distributions of the selected layer: TensorBoard's percentile bands over time
// (min … max, ±1.5σ, ±σ, ±σ/2 of a normal, median), or the histogram now.
import { t } from '../strings';
import type { Distribution, Snapshot } from '../../../src/core/types';
import { withAlpha } from '../../shared/theme';
import { formatNumber } from '../../shared/format';
import { Chart, stepAxis, axisTitle, baseOptions, canvasById, finiteOrNull, type ChartContext, type PanelChart } from './common';

type Mode = 'bands' | 'histogram';

export class DistributionChart implements PanelChart {
  readonly canvasIds = ['chart-distribution'];
  private chart: Chart<'line'> | Chart<'bar'> | undefined;
  private builtMode: Mode | undefined;

  update({ store, palette, settings }: ChartContext): void {
    const snapshots = store.visibleSnapshots();
    const latest = snapshots[snapshots.length - 1];
    const layerCount = latest?.layers.length ?? 0;
    const layerIndex = Math.min(Math.max(0, settings.selectedLayer), Math.max(0, layerCount - 1));
    const which = settings.distributionOf;
    const label = which === 'z' ? t('distPre') : t('distAct');
    const layer = latest?.layers[layerIndex];
    const note = document.getElementById('note-distribution');
    if (note !== null) {
      note.textContent = layer === undefined ? '' : t('distNote', layer.name ?? `L${layer.index}`, layer.activation, label, formatNumber(layer[which].mean), formatNumber(layer[which].std));
    }
    if (this.chart === undefined || this.builtMode !== settings.distributionMode) {
      this.destroy();
      this.builtMode = settings.distributionMode;
      if (settings.distributionMode === 'bands') {
        const options = baseOptions<'line'>(palette);
        options.parsing = false;
        options.scales = {
          x: stepAxis(palette, 6, t('axisStep')),
          y: { type: 'linear', title: axisTitle(label, palette), grid: { color: palette.grid }, ticks: { color: palette.muted, maxTicksLimit: 6 } },
        };
        options.plugins = { ...options.plugins, legend: { display: false } };
        // Nine percentile lines; line i fills to its mirror 8 − i, darker towards the median.
        const bandAlpha = [0.12, 0.2, 0.28, 0.38];
        const datasets = Array.from({ length: 9 }, (_, i) => ({
          label: [t('bandMin'), '6.7%', '15.9%', '30.9%', t('bandMedian'), '69.1%', '84.1%', '93.3%', t('bandMax')][i],
          data: [] as { x: number; y: number | null }[],
          borderColor: i === 4 ? palette.train : withAlpha(palette.train, 0.35),
          borderWidth: i === 4 ? 2 : 0.5,
          pointRadius: 0,
          fill: i < 4 ? { target: 8 - i } : false,
          backgroundColor: withAlpha(palette.train, bandAlpha[Math.min(i, 3)]),
        }));
        this.chart = new Chart(canvasById('chart-distribution'), { type: 'line', data: { datasets }, options });
      } else {
        const options = baseOptions<'bar'>(palette);
        options.scales = {
          x: { type: 'category', title: axisTitle(label, palette), grid: { display: false }, ticks: { color: palette.muted, maxTicksLimit: 8, maxRotation: 0 } },
          y: { type: 'linear', title: axisTitle('count', palette), grid: { color: palette.grid }, ticks: { color: palette.muted } },
        };
        options.plugins = { ...options.plugins, legend: { display: false } };
        this.chart = new Chart(canvasById('chart-distribution'), {
          type: 'bar',
          data: { labels: [], datasets: [{ label: t('distCount'), data: [], backgroundColor: palette.train, barPercentage: 1, categoryPercentage: 1 }] },
          options,
        });
      }
    }
    const chart = this.chart;
    const scaleY = chart.options.scales?.y;
    const scaleX = chart.options.scales?.x;
    if (settings.distributionMode === 'bands') {
      if (scaleY?.title !== undefined) scaleY.title.text = label;
      chart.data.datasets.forEach((dataset, p) => {
        dataset.data = snapshots.map(s => ({ x: s.step, y: finiteOrNull(s.layers[layerIndex]?.[which].percentiles[p]) })) as never;
      });
    } else {
      if (scaleX?.title !== undefined) scaleX.title.text = label;
      // Scrubbed back, the snapshot shown may have given up its histogram: the nearest earlier one that kept it.
      const histogram = histogramNear(snapshots, layerIndex, which);
      const counts = histogram?.counts ?? [];
      const width = histogram === undefined || counts.length === 0 ? 0 : (histogram.max - histogram.min) / counts.length;
      chart.data.labels = counts.map((_, i) => formatNumber((histogram?.min ?? 0) + (i + 0.5) * width, 2));
      chart.data.datasets[0].data = counts;
    }
    chart.update('none');
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }
}

function histogramNear(snapshots: readonly Snapshot[], layerIndex: number, which: 'z' | 'a'): Distribution['histogram'] | undefined {
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const histogram = snapshots[i].layers[layerIndex]?.[which].histogram;
    if (histogram !== undefined && histogram.counts.length > 0) return histogram;
  }
  return snapshots[snapshots.length - 1]?.layers[layerIndex]?.[which].histogram;
}
