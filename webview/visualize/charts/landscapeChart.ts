// (Report only, `gradscope train --report … --landscape`) The loss on the plane θ + α·δ + β·η through the trained
// weights (Li et al. 2018): a heatmap of log loss on chart.js scales, θ and the lowest cell marked, the numbers in
// the note.
import { t } from '../strings';
import type { RecordedLandscape } from '../../../src/protocol';
import { HeatmapChart } from '../../shared/heatmapChart';
import { viridis } from '../../shared/palettes';
import { ticksAt } from '../../shared/heatmap';
import { formatNumber } from '../../shared/format';
import { axisTitle, canvasById, logTickLabel, shortTick, type ChartContext, type PanelChart } from './common';


export class LandscapeChart implements PanelChart {
  readonly canvasIds = ['chart-landscape'];
  private heatmap: HeatmapChart | undefined;

  constructor(private readonly landscape: RecordedLandscape) {}

  update({ palette }: ChartContext): void {
    const canvas = canvasById('chart-landscape');
    this.heatmap ??= new HeatmapChart(canvas, palette, { legend: true });
    const r = this.landscape;
    const n = r.axis.length;
    const step = n > 1 ? r.axis[1] - r.axis[0] : 1;
    const low = Math.log10(Math.max(r.min.loss, 1e-300));
    const high = Math.log10(Math.max(r.max, 1e-300));
    const [barLow, barHigh] = high - low > 1e-9 ? [low, high] : [low - 0.5, high + 0.5];
    const note = document.getElementById('note-landscape');
    if (note !== null) {
      note.textContent = t('landscapeNote', formatNumber(r.lossAtTheta), formatNumber(r.min.loss), formatNumber(r.min.alpha), formatNumber(r.min.beta),
        formatNumber(r.roughness), n, r.range, r.rowsUsed, r.seed);
    }
    const edge = r.range + step / 2;
    this.heatmap.update(
      {
        columns: n,
        rows: r.rows.length,
        extent: { x0: -edge, x1: edge, y0: -edge, y1: -edge + r.rows.length * step },
        colorAt: (column, row) => {
          const value = r.rows[row]?.[column];
          if (value === undefined || !(value > 0) || !Number.isFinite(value)) return [0, 0, 0, 0];
          const [red, green, blue] = viridis((Math.log10(value) - barLow) / (barHigh - barLow));
          return [red, green, blue, 255];
        },
      },
      {
        // Round ticks inside ±range (chart.js would also label the cells' outer edges, ±1.03).
        x: { type: 'linear', min: -edge, max: edge, title: axisTitle(t('axisAlpha'), palette), afterBuildTicks: ticksAt(-r.range, r.range), ticks: { callback: (v: string | number) => shortTick(Number(v)) } },
        y: { type: 'linear', min: -edge, max: edge, title: axisTitle(t('axisBeta'), palette), afterBuildTicks: ticksAt(-r.range, r.range), ticks: { callback: (v: string | number) => shortTick(Number(v)) } },
      },
      { type: 'logarithmic', min: 10 ** barLow, max: 10 ** barHigh, title: t('landscapeColorBar', r.loss), colorAt: viridis, tickLabel: logTickLabel },
      palette,
      [
        { label: t('seriesTheta'), data: [{ x: 0, y: 0 }], pointRadius: 6, pointBorderWidth: 2, borderColor: palette.foreground, backgroundColor: 'rgba(0, 0, 0, 0)' },
        { label: t('seriesLowest'), data: [{ x: r.min.alpha, y: r.min.beta }], pointStyle: 'crossRot', pointRadius: 7, pointBorderWidth: 2.5, borderColor: palette.bad, backgroundColor: palette.bad },
      ],
    );
  }

  destroy(): void {
    this.heatmap?.destroy();
    this.heatmap = undefined;
  }
}
