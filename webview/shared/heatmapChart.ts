// A heatmap on chart.js scales: the cells are painted as before (one pixel per cell with putImageData, scaled up
// without smoothing) by a small plugin into the chart area, while the axes, their ticks, the colour bar's axis and
// the hover lookup are chart.js's own — so they are labelled like every other chart (log colour bars read 1, 0.1,
// 1e-3 …) and points drawn on top (datasets) get chart.js's tooltips.
import {
  Chart, Legend, LinearScale, LogarithmicScale, PointElement, ScatterController, Tooltip,
  type ChartDataset, type ChartOptions, type Plugin,
} from 'chart.js';
import type { Palette } from './theme';

Chart.register(Legend, LinearScale, LogarithmicScale, PointElement, ScatterController, Tooltip);

export type Rgba = [number, number, number, number];

/** The cells: `columns × rows` colours (row 0 at the bottom), spanning [x0, x1] × [y0, y1] in scale units. */
export interface HeatmapCells {
  columns: number;
  rows: number;
  colorAt(column: number, row: number): Rgba;
  extent: { x0: number; x1: number; y0: number; y1: number };
}

export interface ColorBar {
  type: 'linear' | 'logarithmic';
  min: number;
  max: number;
  title: string;
  /** Colour at t ∈ [0, 1] along the bar, bottom to top (linear in the axis's own units: log for log bars). */
  colorAt(t: number): [number, number, number];
  /** Where the ticks go (round values inside [min, max], say); defaults to chart.js's, which include min and max. */
  tickValues?: number[];
  /** Tick labels; defaults to chart.js's. */
  tickLabel?(value: number, ticks: { value: number }[]): string;
}

export interface HeatmapPluginOptions {
  image?: HTMLCanvasElement;
  extent?: HeatmapCells['extent'];
  colorBar?: ColorBar;
  /**
   * Lines over the cells and under the datasets (contours, say), drawn clipped to the plot area; `toPixel` maps
   * scale values to canvas pixels through chart.js's scales.
   */
  overlay?(ctx: CanvasRenderingContext2D, toPixel: (x: number, y: number) => [number, number]): void;
  /** Called with the scale values under the pointer (undefined when it leaves the plot). */
  onHover?(value: { x: number; y: number; clientX: number; clientY: number } | undefined): void;
}

const BAR_WIDTH = 10;
const BAR_GAP = 4;

const heatmapPlugin: Plugin<'scatter', HeatmapPluginOptions> = {
  id: 'gradscopeHeatmap',
  beforeDatasetsDraw(chart, _args, options) {
    const { ctx, chartArea, scales } = chart;
    const { image, extent, colorBar } = options;
    if (image !== undefined && extent !== undefined) {
      const left = scales.x.getPixelForValue(extent.x0);
      const right = scales.x.getPixelForValue(extent.x1);
      const top = scales.y.getPixelForValue(extent.y1);
      const bottom = scales.y.getPixelForValue(extent.y0);
      ctx.save();
      ctx.beginPath();
      ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
      ctx.clip();
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(image, left, top, right - left, bottom - top);
      ctx.restore();
    }
    if (options.overlay !== undefined) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
      ctx.clip();
      options.overlay(ctx, (x, y) => [scales.x.getPixelForValue(x), scales.y.getPixelForValue(y)]);
      ctx.restore();
    }
    const bar = scales.c;
    if (colorBar !== undefined && bar !== undefined) {
      const height = bar.bottom - bar.top;
      const steps = Math.max(2, Math.round(height));
      ctx.save();
      for (let i = 0; i < steps; i++) {
        const [r, g, b] = colorBar.colorAt(1 - i / (steps - 1));
        ctx.fillStyle = `rgb(${r | 0}, ${g | 0}, ${b | 0})`;
        ctx.fillRect(bar.left + BAR_GAP, bar.top + (i * height) / steps, BAR_WIDTH, height / steps + 1);
      }
      ctx.restore();
    }
  },
  afterEvent(chart, args, options) {
    const onHover = options.onHover;
    if (onHover === undefined) return;
    const event = args.event;
    const native = event.native as MouseEvent | null;
    if (event.type === 'mouseout' || !args.inChartArea || event.x === null || event.y === null || native === null) {
      onHover(undefined);
      return;
    }
    if (event.type !== 'mousemove') return;
    onHover({ x: chart.scales.x.getValueForPixel(event.x) ?? Number.NaN, y: chart.scales.y.getValueForPixel(event.y) ?? Number.NaN, clientX: native.clientX, clientY: native.clientY });
  },
};

/** chart.js cartesian scale options (loosely typed: the nested parts are partial as chart.js merges defaults). */
type Scale = { type: 'linear' | 'logarithmic'; ticks?: Record<string, unknown> } & Record<string, unknown>;

export interface HeatmapAxes {
  x: Scale;
  y: Scale;
}

/** Paints cells into a small offscreen canvas, one pixel per cell. */
export function paintCells(cells: HeatmapCells, into?: HTMLCanvasElement): HTMLCanvasElement | undefined {
  if (cells.columns <= 0 || cells.rows <= 0) return undefined;
  const canvas = into ?? document.createElement('canvas');
  canvas.width = cells.columns;
  canvas.height = cells.rows;
  const image = new ImageData(cells.columns, cells.rows);
  const pixels = image.data;
  for (let row = 0; row < cells.rows; row++) {
    const imageRow = cells.rows - 1 - row;
    for (let column = 0; column < cells.columns; column++) {
      const [r, g, b, a] = cells.colorAt(column, row);
      const offset = (imageRow * cells.columns + column) * 4;
      pixels[offset] = r;
      pixels[offset + 1] = g;
      pixels[offset + 2] = b;
      pixels[offset + 3] = a;
    }
  }
  canvas.getContext('2d')?.putImageData(image, 0, 0);
  return canvas;
}

/**
 * One heatmap chart on a canvas. `update` repaints the cells, sets the axes and the colour bar, and the datasets
 * drawn on top (e.g. the data points over a decision map).
 */
export class HeatmapChart {
  readonly chart: Chart<'scatter'>;
  private readonly image = document.createElement('canvas');
  private hasImage = false;

  constructor(canvas: HTMLCanvasElement, palette: Palette, options: { onHover?: HeatmapPluginOptions['onHover']; legend?: boolean } = {}) {
    const chartOptions: ChartOptions<'scatter'> = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: true },
      scales: {
        x: { type: 'linear', grid: { display: false }, ticks: { color: palette.muted } },
        y: { type: 'linear', grid: { display: false }, ticks: { color: palette.muted } },
      },
      plugins: {
        legend: { display: options.legend === true, labels: { color: palette.foreground, boxWidth: 12, boxHeight: 12, usePointStyle: true } },
        tooltip: { backgroundColor: palette.background, titleColor: palette.foreground, bodyColor: palette.foreground, borderColor: palette.grid, borderWidth: 1 },
        gradscopeHeatmap: { onHover: options.onHover },
      } as ChartOptions<'scatter'>['plugins'],
    };
    this.chart = new Chart(canvas, { type: 'scatter', data: { datasets: [] }, options: chartOptions, plugins: [heatmapPlugin as Plugin<'scatter'>] });
  }

  update(
    cells: HeatmapCells | undefined, axes: HeatmapAxes, colorBar: ColorBar | undefined, palette: Palette, datasets: ChartDataset<'scatter'>[] = [],
    overlay?: HeatmapPluginOptions['overlay'],
  ): void {
    const chart = this.chart;
    const image = cells === undefined ? undefined : paintCells(cells, this.image);
    this.hasImage = image !== undefined;
    const pluginOptions = (chart.options.plugins as Record<string, HeatmapPluginOptions>).gradscopeHeatmap;
    pluginOptions.image = this.hasImage ? this.image : undefined;
    pluginOptions.extent = cells?.extent;
    pluginOptions.colorBar = colorBar;
    pluginOptions.overlay = overlay;
    const scales: Record<string, unknown> = {
      x: { grid: { display: false }, border: { color: palette.grid }, ...axes.x, ticks: { color: palette.muted, ...axes.x.ticks } },
      y: { grid: { display: false }, border: { color: palette.grid }, ...axes.y, ticks: { color: palette.muted, ...axes.y.ticks } },
    };
    if (colorBar !== undefined) {
      scales.c = {
        type: colorBar.type,
        position: 'right',
        min: colorBar.min,
        max: colorBar.max,
        grid: { display: false, drawTicks: false },
        border: { display: false },
        title: { display: true, text: colorBar.title, color: palette.foreground },
        ...(colorBar.tickValues !== undefined ? { afterBuildTicks: (scale: { ticks: { value: number }[] }) => { scale.ticks = colorBar.tickValues!.map(value => ({ value })); } } : {}),
        ticks: {
          color: palette.muted,
          padding: BAR_GAP + BAR_WIDTH + 4,
          autoSkip: false,
          ...(colorBar.tickLabel !== undefined ? { callback: (value: string | number, _i: number, ticks: { value: number }[]) => colorBar.tickLabel?.(Number(value), ticks) ?? '' } : {}),
        },
      };
    }
    chart.options.scales = scales as ChartOptions<'scatter'>['scales'];
    chart.data.datasets = datasets;
    chart.update('none');
  }

  destroy(): void {
    this.chart.destroy();
  }
}
