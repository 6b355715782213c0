// (3) Gradient history: layer × time heatmap of log10 gradNorm. Vanishing gradients show as a dark band over
// the early layers. The cells are painted with putImageData (one pixel per (snapshot, layer)); the axes, the log
// colour bar and the hover lookup are chart.js scales (shared/heatmapChart).
import { t } from '../strings';
import { log10OrFloor } from '../analysis';
import { HeatmapChart } from '../../shared/heatmapChart';
import { viridis } from '../../shared/palettes';
import { finiteExtent, formatNumber } from '../../shared/format';
import { axisTitle, canvasById, logTickLabel, type ChartContext, type PanelChart } from './common';

/** Colour range never wider than this many decades, so one zero-ish outlier does not wash out the rest. */
const MAX_DECADES = 12;

export class GradientHistoryChart implements PanelChart {
  readonly canvasIds = ['chart-gradient-history'];
  private context: ChartContext | undefined;
  private heatmap: HeatmapChart | undefined;
  /** The colour range last drawn, in log10 units (tests read it through the canvas's data attributes). */
  range: [number, number] | undefined;

  update(context: ChartContext): void {
    this.context = context;
    const canvas = canvasById('chart-gradient-history');
    const { palette } = context;
    if (this.heatmap === undefined) {
      this.heatmap = new HeatmapChart(canvas, palette, { onHover: value => this.hover(value) });
    }
    const snapshots = context.store.visibleSnapshots();
    const layerCount = snapshots[snapshots.length - 1]?.layers.length ?? 0;
    const logs = snapshots.map(s => s.layers.map(layer => log10OrFloor(layer.gradNorm)));
    const extent = finiteExtent(logs.flat());
    canvas.dataset.columns = String(snapshots.length);
    const steps = snapshots.map(s => s.step);
    const axes = {
      x: {
        type: 'linear' as const, min: -0.5, max: Math.max(0.5, snapshots.length - 0.5), title: axisTitle(t('axisStep'), palette),
        afterBuildTicks: (scale: { ticks: { value: number }[] }) => { scale.ticks = columnTicks(steps, 6).map(value => ({ value })); },
        ticks: { callback: (value: string | number) => String(steps[Number(value)] ?? '') },
      },
      y: {
        type: 'linear' as const, min: -0.5, max: Math.max(0.5, layerCount - 0.5), title: axisTitle(t('axisLayer'), palette),
        afterBuildTicks: (scale: { ticks: { value: number }[] }) => { scale.ticks = layerTicks(layerCount).map(value => ({ value })); },
        ticks: { callback: (value: string | number) => { const named = context.store.meta?.layers[Number(value)]?.name; return named ?? `L${value}`; } },
      },
    };
    if (extent === undefined || layerCount === 0) {
      this.range = undefined;
      delete canvas.dataset.logMin;
      delete canvas.dataset.logMax;
      this.heatmap.update(undefined, axes, undefined, palette);
      return;
    }
    const high = extent[1];
    const low = Math.max(extent[0], high - MAX_DECADES);
    // A flat history (one value everywhere) still gets a readable bar: half a decade either side.
    const [barLow, barHigh] = high - low > 1e-9 ? [low, high] : [low - 0.5, high + 0.5];
    const span = barHigh - barLow;
    this.range = [low, high];
    canvas.dataset.logMin = String(low);
    canvas.dataset.logMax = String(high);
    this.heatmap.update(
      {
        columns: snapshots.length,
        rows: layerCount,
        extent: { x0: -0.5, x1: snapshots.length - 0.5, y0: -0.5, y1: layerCount - 0.5 },
        colorAt: (column, row) => {
          const value = logs[column][row];
          if (value === undefined) return [0, 0, 0, 0];
          const [r, g, b] = viridis((value - barLow) / span);
          return [r, g, b, 255];
        },
      },
      axes,
      { type: 'logarithmic', min: 10 ** barLow, max: 10 ** barHigh, title: t('colorBarGradNorm'), colorAt: viridis, tickLabel: logTickLabel },
      palette,
    );
  }

  private hover(value: { x: number; y: number; clientX: number; clientY: number } | undefined): void {
    const context = this.context;
    if (context === undefined) return;
    const snapshots = context.store.visibleSnapshots();
    const column = Math.round(value?.x ?? Number.NaN);
    const row = Math.round(value?.y ?? Number.NaN);
    const snapshot = snapshots[column];
    if (value === undefined || snapshot === undefined || snapshot.layers[row] === undefined) {
      context.tooltip.hide();
      return;
    }
    context.tooltip.show(snapshot, row, value.clientX, value.clientY, [
      [t('tipAt'), t('replayAt', snapshot.epoch, snapshot.step)],
      [t('tipGradNormHere'), formatNumber(snapshot.layers[row].gradNorm)],
    ]);
  }

  destroy(): void {
    this.heatmap?.destroy();
    this.heatmap = undefined;
  }
}

/** Layer rows to label: every one up to 8, else evenly spaced with the last always shown. */
export function layerTicks(layerCount: number): number[] {
  const every = Math.max(1, Math.ceil(layerCount / 8));
  const ticks: number[] = [];
  for (let i = 0; i < layerCount; i += every) ticks.push(i);
  if (layerCount > 0 && (layerCount - 1) % every !== 0) ticks.push(layerCount - 1);
  return ticks;
}

/** Columns to label: about `count`, evenly spaced, each a distinct step (no "0 0" when steps repeat). */
export function columnTicks(steps: readonly number[], count: number): number[] {
  const ticks: number[] = [];
  const every = Math.max(1, Math.ceil(steps.length / count));
  for (let i = 0; i < steps.length; i += every) {
    if (ticks.length === 0 || steps[ticks[ticks.length - 1]] !== steps[i]) ticks.push(i);
  }
  return ticks;
}
