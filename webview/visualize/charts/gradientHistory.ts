// (3) Gradient history: layer × time heatmap of log10 gradNorm. Vanishing gradients show as a dark band over
// the early layers. Drawn with putImageData: one pixel per (snapshot, layer), scaled up without smoothing.
import { finiteExtent, log10OrFloor } from '../analysis';
import { drawAxes, drawColorBar, paintGrid, prepareCanvas, viridis, type PlotRect } from '../../shared/heatmap';
import { formatNumber } from '../../shared/format';
import { canvasById, type ChartContext, type PanelChart } from './common';

/** Colour range never wider than this many decades, so one zero-ish outlier does not wash out the rest. */
const MAX_DECADES = 12;

export class GradientHistoryChart implements PanelChart {
  readonly canvasIds = ['chart-gradient-history'];
  private context: ChartContext | undefined;
  private plot: PlotRect | undefined;
  private columns = 0;
  private rows = 0;
  private listening = false;
  /** The colour range last drawn, in log10 units (tests read it through the canvas's data attributes). */
  range: [number, number] | undefined;

  update(context: ChartContext): void {
    this.context = context;
    const canvas = canvasById('chart-gradient-history');
    if (!this.listening) this.listen(canvas);
    const prepared = prepareCanvas(canvas);
    if (prepared === undefined) return;
    const { ctx, width, height } = prepared;
    const { palette } = context;
    const snapshots = context.store.visibleSnapshots();
    const layerCount = snapshots[snapshots.length - 1]?.layers.length ?? 0;
    const plot: PlotRect = { left: 44, top: 8, width: Math.max(10, width - 44 - 70), height: Math.max(10, height - 8 - 40) };
    this.plot = plot;
    this.columns = snapshots.length;
    this.rows = layerCount;
    const logs = snapshots.map(s => s.layers.map(layer => log10OrFloor(layer.gradNorm)));
    const extent = finiteExtent(logs.flat());
    if (extent === undefined || layerCount === 0) {
      this.range = undefined;
      drawAxes(ctx, plot, { min: 0, max: 1, title: 'step', ticks: [] }, { min: 0, max: 1, title: 'layer', ticks: [] }, palette);
      return;
    }
    const high = extent[1];
    const low = Math.max(extent[0], high - MAX_DECADES);
    const span = high - low || 1;
    this.range = [low, high];
    canvas.dataset.logMin = String(low);
    canvas.dataset.logMax = String(high);
    paintGrid(ctx, plot, snapshots.length, layerCount, (column, row) => {
      const value = logs[column][row];
      if (value === undefined) return [0, 0, 0, 0];
      const [r, g, b] = viridis((value - low) / span);
      return [r, g, b, 255];
    });
    const stepTicks = pickColumnTicks(snapshots.map(s => s.step), 6);
    drawAxes(
      ctx, plot,
      { min: -0.5, max: snapshots.length - 0.5, title: 'step', ticks: stepTicks },
      { min: -0.5, max: layerCount - 0.5, title: 'layer', ticks: layerTicks(layerCount) },
      palette,
    );
    drawColorBar(ctx, { left: plot.left + plot.width + 10, top: plot.top, width: 10, height: plot.height }, viridis,
      `1e${low.toFixed(1)}`, `1e${high.toFixed(1)}`, palette);
  }

  private listen(canvas: HTMLCanvasElement): void {
    this.listening = true;
    canvas.addEventListener('mousemove', event => {
      const context = this.context;
      const plot = this.plot;
      if (context === undefined || plot === undefined || this.columns === 0) return;
      const box = canvas.getBoundingClientRect();
      const x = event.clientX - box.left - plot.left;
      const y = event.clientY - box.top - plot.top;
      if (x < 0 || y < 0 || x > plot.width || y > plot.height) {
        context.tooltip.hide();
        return;
      }
      const column = Math.min(this.columns - 1, Math.floor((x / plot.width) * this.columns));
      const row = Math.min(this.rows - 1, this.rows - 1 - Math.floor((y / plot.height) * this.rows));
      const snapshot = context.store.visibleSnapshots()[column];
      context.tooltip.show(snapshot, row, event.clientX, event.clientY, [
        ['at', `epoch ${snapshot.epoch} · step ${snapshot.step}`],
        ['log10 gradNorm', formatNumber(log10OrFloor(snapshot.layers[row]?.gradNorm ?? 0))],
      ]);
    });
    canvas.addEventListener('mouseleave', () => this.context?.tooltip.hide());
  }

  destroy(): void {
    // Nothing cached that depends on the theme: the next update repaints with the new palette.
  }
}

function layerTicks(layerCount: number): { value: number; label: string }[] {
  const every = Math.max(1, Math.ceil(layerCount / 8));
  const ticks: { value: number; label: string }[] = [];
  for (let i = 0; i < layerCount; i += every) ticks.push({ value: i, label: `L${i}` });
  if ((layerCount - 1) % every !== 0) ticks.push({ value: layerCount - 1, label: `L${layerCount - 1}` });
  return ticks;
}

function pickColumnTicks(steps: number[], count: number): { value: number; label: string }[] {
  if (steps.length === 0) return [];
  const ticks: { value: number; label: string }[] = [];
  const every = Math.max(1, Math.ceil(steps.length / count));
  for (let i = 0; i < steps.length; i += every) ticks.push({ value: i, label: String(steps[i]) });
  return ticks;
}
