// What every chart shares: chart.js registration, theme-aware base options, and the chart interface.
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LineController, LineElement, LinearScale,
  LogarithmicScale, PointElement, ScatterController, Tooltip,
  type ChartOptions, type ChartType, type ScaleOptionsByType,
} from 'chart.js';
import type { RunStore } from '../runStore';
import type { Palette } from '../../shared/theme';
import type { LayerTooltip } from '../layerTooltip';

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

export function isRoundLogTick(value: number, everyDigit = false): boolean {
  if (!(value > 0)) return false;
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  if (everyDigit) return Math.abs(mantissa - Math.round(mantissa)) < 1e-6;
  return [1, 2, 3, 5].some(m => Math.abs(mantissa - m) < 1e-6);
}

export function shortTick(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-2) {
    const exponent = Math.log10(magnitude);
    // Tiny values: only the powers of ten get a label, or the labels pile up.
    if (Math.abs(exponent - Math.round(exponent)) > 1e-9 && magnitude < 1e-2) return '';
    return value.toExponential(0).replace('e+', 'e');
  }
  return Number(value.toPrecision(3)).toString();
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

/**
 * Labels for a log colour bar or any log axis that must read in powers of ten: across a decade or more only the
 * powers (every second or third one past 8 decades), within less than a decade every round digit.
 */
export function logTickLabel(value: number, ticks: { value: number }[]): string {
  if (!(value > 0)) return '';
  const low = ticks[0]?.value ?? value;
  const high = ticks[ticks.length - 1]?.value ?? value;
  const decades = low > 0 ? Math.log10(high / low) : 0;
  const exponent = Math.log10(value);
  const isPower = Math.abs(exponent - Math.round(exponent)) < 1e-6;
  if (decades >= 1 - 1e-9) {
    const stride = Math.max(1, Math.ceil(decades / 8));
    return isPower && Math.round(exponent) % stride === 0 ? shortTick(10 ** Math.round(exponent)) : '';
  }
  return isRoundLogTick(value, true) ? Number(value.toPrecision(3)).toString() : '';
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
