// (6) Train and validation loss over steps, log axis, with the stretches where the net overfits shaded.
import { t } from '../strings';
import type { Plugin } from 'chart.js';
import { overfittingRanges, type OverfitRange } from '../analysis';
import { withAlpha } from '../../shared/theme';
import {
  Chart, stepAxis, baseOptions, canvasById, finiteOrNull, positiveOrNull, valueScale,
  type ChartContext, type PanelChart,
} from './common';

interface OverfitShading { ranges: OverfitRange[]; steps: number[]; color: string }

const shadeOverfitting: Plugin<'line'> = {
  id: 'gradscopeOverfitShading',
  beforeDatasetsDraw(chart) {
    const shading = (chart.options.plugins as Record<string, unknown>).gradscopeOverfitShading as OverfitShading | undefined;
    if (shading === undefined || shading.ranges.length === 0) return;
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.fillStyle = shading.color;
    for (const range of shading.ranges) {
      const left = scales.x.getPixelForValue(shading.steps[range.from]);
      const right = scales.x.getPixelForValue(shading.steps[range.to]);
      ctx.fillRect(left, chartArea.top, Math.max(2, right - left), chartArea.bottom - chartArea.top);
    }
    ctx.restore();
  },
};

export class LossChart implements PanelChart {
  readonly canvasIds = ['chart-loss'];
  private chart: Chart<'line'> | undefined;
  private builtForLog: boolean | undefined;
  /** What the card's note says about overfitting (read by tests and the status line). */
  overfitNote = '';

  update({ store, palette, settings }: ChartContext): void {
    const snapshots = store.visibleSnapshots();
    const steps = snapshots.map(s => s.step);
    const pick = settings.logScale ? positiveOrNull : finiteOrNull;
    const train = snapshots.map(s => ({ x: s.step, y: pick(s.loss) }));
    const val = snapshots.map(s => ({ x: s.step, y: pick(s.valLoss) }));
    const ranges = overfittingRanges(snapshots);
    this.overfitNote = ranges.length === 0 ? '' : t('overfitRising', ranges[0].epoch);
    const note = document.getElementById('note-loss');
    if (note !== null) {
      note.textContent = this.overfitNote === '' ? t('lossNote') : t('overfitting', this.overfitNote);
      note.classList.toggle('warning', this.overfitNote !== '');
    }
    if (this.chart === undefined || this.builtForLog !== settings.logScale) {
      this.destroy();
      this.builtForLog = settings.logScale;
      const options = baseOptions<'line'>(palette);
      options.parsing = false;
      options.scales = {
        x: stepAxis(palette, 8, t('axisStep')),
        y: valueScale(settings.logScale, settings.logScale ? t('axisLossLog') : t('axisLoss'), palette),
      };
      options.plugins = { ...options.plugins, gradscopeOverfitShading: { ranges: [], steps: [], color: withAlpha(palette.bad, 0.12) } } as typeof options.plugins;
      this.chart = new Chart(canvasById('chart-loss'), {
        type: 'line',
        data: {
          datasets: [
            { label: t('seriesTrain'), data: [], borderColor: palette.train, backgroundColor: palette.train, pointRadius: 0, borderWidth: 2, tension: 0.15, spanGaps: true },
            { label: t('seriesValidation'), data: [], borderColor: palette.val, backgroundColor: palette.val, pointRadius: 0, borderWidth: 2, tension: 0.15, spanGaps: true },
          ],
        },
        options,
        plugins: [shadeOverfitting],
      });
    }
    const chart = this.chart;
    chart.data.datasets[0].data = train as never;
    chart.data.datasets[1].data = val as never;
    chart.data.datasets[1].hidden = val.every(point => point.y === null);
    (chart.options.plugins as Record<string, unknown>).gradscopeOverfitShading = { ranges, steps, color: withAlpha(palette.bad, 0.12) };
    chart.update('none');
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }
}
