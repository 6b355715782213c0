// What every chart shares: chart.js registration, theme-aware base options, and the chart interface.
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LineController, LineElement, LinearScale,
  LogarithmicScale, PointElement, ScatterController, Tooltip,
  type ChartOptions, type ChartType, type ScaleOptionsByType,
} from 'chart.js';
import type { RunStore } from '../runStore';
import type { Palette } from '../../shared/theme';
import type { LayerTooltip } from '../layerTooltip';
import { isRoundLogTick, logTickLabel, shortTick } from '../../shared/logTicks';

export { isRoundLogTick, logTickLabel, shortTick };

Chart.register(
  BarController, BarElement, CategoryScale, Filler, Legend, LineController, LineElement, LinearScale,
  LogarithmicScale, PointElement, ScatterController, Tooltip,
);

export interface ViewSettings {
  logScale: boolean;
  selectedLayer: number;
  distributionMode: 'bands' | 'histogram';
  distributionOf: 'z' | 'a';
}

export interface ChartContext {
  store: RunStore;
  palette: Palette;
  settings: ViewSettings;
  tooltip: LayerTooltip;
}

export interface PanelChart {
  /** The canvas ids this chart draws into (PNG export offers each). */
  readonly canvasIds: string[];
  update(context: ChartContext): void;
  /** Forget chart.js instances (theme change): the next update builds them afresh with the new colours. */
  destroy(): void;
}

export function applyChartDefaults(palette: Palette): void {
  Chart.defaults.color = palette.muted;
  Chart.defaults.borderColor = palette.grid;
  Chart.defaults.font.family = palette.fontFamily;
  Chart.defaults.font.size = Math.max(10, palette.fontSize - 2);
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
}

export function axisTitle(text: string, palette: Palette): { display: boolean; text: string; color: string } {
  return { display: true, text, color: palette.foreground };
}

type CartesianScale = Partial<ScaleOptionsByType<'linear' | 'logarithmic' | 'category'>>;

export function valueScale(log: boolean, title: string, palette: Palette, extra: CartesianScale = {}): CartesianScale {
  return {
    type: log ? 'logarithmic' : 'linear',
    title: axisTitle(title, palette),
    grid: { color: palette.grid },
    // Log axes: chart.js proposes 1…9 × 10ᵏ; labelling only 1, 2, 3 and 5 keeps the labels from piling up.
    ticks: log
      ? {
          color: palette.muted,
          autoSkip: true,
          callback: (value: string | number, _index: number, ticks: { value: number }[]) => {
            // Within one decade (a loss that hovers around 0.6) every 0.1 step earns a label; across decades 1-2-3-5.
            const narrow = ticks.length > 1 && ticks[ticks.length - 1].value / ticks[0].value < 10;
            return isRoundLogTick(Number(value), narrow) ? shortTick(Number(value)) : '';
          },
        }
      : { color: palette.muted, maxTicksLimit: 7, callback: (value: string | number) => shortTick(Number(value)) },
    ...extra,
  } as CartesianScale;
}

/** The time axis (training step, titled in the page's words): spans the data; the end label is dropped when it would crowd its neighbour. */
export function stepAxis(palette: Palette, maxTicks: number, title: string) {
  return {
    type: 'linear' as const,
    bounds: 'data' as const,
    title: axisTitle(title, palette),
    grid: { color: palette.grid },
    // One snapshot (step 0) would get chart.js's ±1 padding and ticks −1, −0.5, 0, 0.5, 1, read as "-1 0 0 1 1":
    // steps are whole and never negative, so the range is [step, step + 1] and ticks are integers.
    afterDataLimits: (scale: { min: number; max: number }) => {
      if (!(scale.max > scale.min)) scale.max = scale.min + 1;
      if (scale.min < 0) scale.min = 0;
    },
    ticks: {
      color: palette.muted,
      maxTicksLimit: maxTicks,
      precision: 0,
      callback: (value: string | number, index: number, ticks: { value: number }[]) => {
        const n = ticks.length;
        if (n > 2 && (index === n - 1 || index === 0)) {
          const inner = ticks[n - 2].value - ticks[1].value;
          const spacing = inner / Math.max(1, n - 3);
          const gap = index === 0 ? ticks[1].value - ticks[0].value : ticks[n - 1].value - ticks[n - 2].value;
          if (spacing > 0 && gap < 0.6 * spacing) return '';
        }
        return stepLabel(Number(value));
      },
    },
  };
}

export function stepLabel(step: number): string {
  return Math.abs(step) >= 10000 ? `${Number((step / 1000).toPrecision(3))}k` : String(Math.round(step));
}

export function baseOptions<T extends ChartType>(palette: Palette): ChartOptions<T> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', intersect: false },
    plugins: {
      legend: { labels: { color: palette.foreground, boxWidth: 12, boxHeight: 12, usePointStyle: true } },
      tooltip: {
        backgroundColor: palette.background,
        titleColor: palette.foreground,
        bodyColor: palette.foreground,
        borderColor: palette.grid,
        borderWidth: 1,
      },
    },
  } as ChartOptions<T>;
}

/** Positive values only (log axes): 0 and non-finite values become gaps rather than errors. */
export function positiveOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}

export function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

export function canvasById(id: string): HTMLCanvasElement {
  const element = document.getElementById(id);
  if (!(element instanceof HTMLCanvasElement)) throw new Error(`missing canvas #${id}`);
  return element;
}

export { Chart };

/**
 * chart.js tooltip options that show the layer card instead of chart.js's box: `layerAt` maps the hovered
 * data index to a layer index.
 */
export function layerCardTooltip(getContext: () => ChartContext | undefined, layerAt: (dataIndex: number) => number) {
  return {
    enabled: false,
    external: ({ chart, tooltip }: { chart: Chart; tooltip: { opacity: number; dataPoints: { dataIndex: number }[]; caretX: number; caretY: number } }) => {
      const context = getContext();
      if (context === undefined) return;
      if (tooltip.opacity === 0 || tooltip.dataPoints.length === 0) {
        context.tooltip.hide();
        return;
      }
      const rect = chart.canvas.getBoundingClientRect();
      context.tooltip.show(context.store.latest(), layerAt(tooltip.dataPoints[0].dataIndex), rect.left + tooltip.caretX, rect.top + tooltip.caretY);
    },
  };
}
