// (1) The function the network approximates, drawn over the data:
//   1 input  — data (train / validation in two colours) and the network's curve;
//   2 inputs — heatmap of the prediction (decision regions for classification) with the points on top;
//   more     — predicted against actual with the y = x line.
import { t } from '../strings';
import type { FunctionView } from '../../../src/core/types';
import type { RunMeta } from '../../../src/protocol';
import { flatPrediction } from '../analysis';
import type { ChartDataset } from 'chart.js';
import { finiteExtent } from '../../shared/format';
import { mixColors, ticksAt } from '../../shared/heatmap';
import { HeatmapChart, type ColorBar, type HeatmapCells } from '../../shared/heatmapChart';
import { viridis } from '../../shared/palettes';
import { type Palette, parseColor, withAlpha } from '../../shared/theme';
import { Chart, axisTitle, baseOptions, canvasById, type ChartContext, type PanelChart } from './common';

type Mode = 'curve' | 'grid' | 'scatter' | 'points';

/** How many data points the function chart draws at most (the worker already downsamples). */
const MAX_POINTS = 2000;

export class FunctionChart implements PanelChart {
  readonly canvasIds = ['chart-function'];
  private chart: Chart<'scatter'> | undefined;
  private heatmap: HeatmapChart | undefined;
  private mode: Mode | undefined;
  /** What is drawn now (tests read it from the canvas's data-mode attribute). */
  drawnMode: Mode | undefined;

  update({ store, palette }: ChartContext): void {
    const meta = store.meta;
    const canvas = canvasById('chart-function');
    if (meta === undefined) return;
    const view = store.latestView();
    const mode: Mode = view === undefined ? (meta.inputNames.length === 2 ? 'grid' : 'points') : view.kind;
    if (mode !== this.mode) {
      this.destroy();
      this.mode = mode;
    }
    this.drawnMode = mode;
    canvas.dataset.mode = mode;
    const note = document.getElementById('note-function');
    if (note !== null) note.textContent = describe(meta, view) + leftOut(meta, mode, view);
    if (mode === 'grid') {
      this.drawGrid(canvas, meta, view?.kind === 'grid' ? view : undefined, palette);
      return;
    }
    if (this.chart === undefined) this.chart = this.build(canvas, meta, mode, palette);
    const chart = this.chart;
    const datasets = chart.data.datasets;
    if (mode === 'scatter' && view?.kind === 'scatter') {
      const n = Math.min(view.predicted.length, MAX_POINTS);
      datasets[0].data = Array.from({ length: n }, (_, i) => ({ x: view.actual[i], y: view.predicted[i] }));
      const extent = finiteExtent([...view.actual.slice(0, n), ...view.predicted.slice(0, n)]) ?? [0, 1];
      datasets[1].data = [{ x: extent[0], y: extent[0] }, { x: extent[1], y: extent[1] }];
    } else {
      const { train, val } = pointsByClass(meta);
      datasets[0].data = train;
      datasets[1].data = val;
      const curves = view?.kind === 'curve' ? curvesToDraw(meta, view) : [];
      for (let k = 0; k < curves.length; k++) {
        const dataset = datasets[2 + k];
        if (dataset !== undefined) dataset.data = curves[k];
      }
    }
    chart.update('none');
  }

  private build(canvas: HTMLCanvasElement, meta: RunMeta, mode: Mode, palette: Palette): Chart<'scatter'> {
    const options = baseOptions<'scatter'>(palette);
    options.interaction = { mode: 'nearest', intersect: true };
    if (mode === 'scatter') {
      options.scales = {
        x: { type: 'linear', title: axisTitle(t('axisActual', meta.targetName), palette), grid: { color: palette.grid } },
        y: { type: 'linear', title: axisTitle(t('axisPredicted', meta.targetName), palette), grid: { color: palette.grid } },
      };
      return new Chart(canvas, {
        type: 'scatter',
        data: {
          datasets: [
            { label: t('seriesSamples'), data: [], backgroundColor: withAlpha(palette.train, 0.55), pointRadius: 2.5 },
            { label: 'y = x', data: [], type: 'line' as never, borderColor: palette.muted, borderDash: [5, 4], pointRadius: 0, borderWidth: 1.5 },
          ],
        },
        options,
      });
    }
    const classification = meta.task !== 'regression';
    options.scales = {
      x: { type: 'linear', title: axisTitle(meta.inputNames[0] ?? 'x', palette), grid: { color: palette.grid } },
      y: {
        type: 'linear',
        title: axisTitle(classification ? `P(${meta.targetName})` : meta.targetName, palette),
        grid: { color: palette.grid },
        ...(classification ? { min: -0.05, max: 1.05 } : {}),
      },
    };
    const curveLabels = curveNames(meta);
    return new Chart(canvas, {
      type: 'scatter',
      data: {
        datasets: [
          { label: t('seriesTrain'), data: [], backgroundColor: withAlpha(palette.train, 0.6), borderColor: palette.train, pointRadius: 2.5 },
          { label: t('seriesValidation'), data: [], backgroundColor: withAlpha(palette.val, 0.75), borderColor: palette.val, pointRadius: 2.5, pointStyle: 'rectRot' },
          ...curveLabels.map((label, k) => ({
            label,
            data: [],
            type: 'line' as never,
            borderColor: curveLabels.length === 1 ? palette.curve : palette.series[(k + 2) % palette.series.length],
            backgroundColor: curveLabels.length === 1 ? palette.curve : palette.series[(k + 2) % palette.series.length],
            pointRadius: 0,
            borderWidth: 2.5,
          })),
        ],
      },
      options,
    });
  }

  private drawGrid(canvas: HTMLCanvasElement, meta: RunMeta, view: Extract<FunctionView, { kind: 'grid' }> | undefined, palette: Palette): void {
    if (this.heatmap === undefined) this.heatmap = new HeatmapChart(canvas, palette, { legend: true });
    const points = meta.points;
    const xs = points.x.map(p => p[0]);
    const ys = points.x.map(p => p[1]);
    const xRange = view?.xRange ?? padded(finiteExtent(xs) ?? [0, 1]);
    const yRange = view?.yRange ?? padded(finiteExtent(ys) ?? [0, 1]);
    const classification = meta.task !== 'regression';
    const classColors = palette.series;
    let valueRange: [number, number] = [0, 1];
    let cells: HeatmapCells | undefined;
    if (view !== undefined) {
      const size = view.size;
      // One colour bar for the map and the points: a point's colour matches the map where the net is right.
      if (meta.task === 'regression') valueRange = widen(finiteExtent([...view.values, ...points.y]) ?? [0, 1]);
      const [bgR, bgG, bgB] = parseColor(palette.background);
      cells = {
        columns: size,
        rows: size,
        extent: { x0: view.xRange[0], x1: view.xRange[1], y0: view.yRange[0], y1: view.yRange[1] },
        colorAt: (column, row) => {
          const index = row * size + column;
          if (view.classes !== undefined) {
            const [r, g, b] = parseColor(classColors[view.classes[index] % classColors.length]);
            return [bgR + (r - bgR) * 0.45, bgG + (g - bgG) * 0.45, bgB + (b - bgB) * 0.45, 255];
          }
          if (classification) {
            // Decision regions: class colours, faint near p = ½ so the boundary reads as a soft line.
            const p = view.values[index];
            const [r, g, b] = mixColors(classColors[0], classColors[1], p);
            const strength = 0.15 + 0.5 * Math.abs(p - 0.5) * 2;
            return [bgR + (r - bgR) * strength, bgG + (g - bgG) * strength, bgB + (b - bgB) * strength, 255];
          }
          const [r, g, b] = viridis((view.values[index] - valueRange[0]) / (valueRange[1] - valueRange[0] || 1));
          return [r, g, b, 255];
        },
      };
    }
    // The data on top, as chart.js points (filled: train, rings: validation), one legend entry per class.
    const shown = Math.min(points.y.length, MAX_POINTS);
    const groups = new Map<string, { label: string; color: string; colors: string[]; ring: boolean; data: { x: number; y: number }[] }>();
    for (let i = 0; i < shown; i++) {
      const ring = points.split[i] === 'val';
      const name = classification ? (meta.classes?.[points.y[i]] ?? String(points.y[i])) : t('seriesData');
      const key = `${name}|${ring}`;
      let group = groups.get(key);
      if (group === undefined) {
        const color = classification ? classColors[points.y[i] % classColors.length] : palette.foreground;
        group = { label: ring ? t('seriesClassValidation', name) : name, color, colors: [], ring, data: [] };
        groups.set(key, group);
      }
      group.data.push({ x: xs[i], y: ys[i] });
      group.colors.push(classification ? group.color : rgb(viridis((points.y[i] - valueRange[0]) / (valueRange[1] - valueRange[0] || 1))));
    }
    const datasets = [...groups.values()].sort((a, b) => Number(a.ring) - Number(b.ring) || a.label.localeCompare(b.label)).map(group => ({
      label: group.label,
      data: group.data,
      pointRadius: 3,
      pointBorderWidth: group.ring ? 1.5 : 0.75,
      backgroundColor: group.ring ? 'rgba(0, 0, 0, 0)' : (classification ? group.color : group.colors),
      borderColor: group.ring ? (classification ? group.color : group.colors) : palette.background,
    })) as ChartDataset<'scatter'>[];
    const axes = {
      // Round ticks inside the map (chart.js would also label its edges: "26.6 … 103.0").
      x: { type: 'linear' as const, min: xRange[0], max: xRange[1], title: axisTitle(meta.inputNames[0] ?? 'x₁', palette), afterBuildTicks: ticksAt(xRange[0], xRange[1], 6) },
      y: { type: 'linear' as const, min: yRange[0], max: yRange[1], title: axisTitle(meta.inputNames[1] ?? 'x₂', palette), afterBuildTicks: ticksAt(yRange[0], yRange[1], 6) },
    };
    let colorBar: ColorBar | undefined;
    if (view !== undefined && meta.task === 'regression') {
      colorBar = { type: 'linear', min: valueRange[0], max: valueRange[1], title: meta.targetName, colorAt: viridis };
    } else if (view !== undefined && meta.task === 'binary') {
      colorBar = { type: 'linear', min: 0, max: 1, title: `P(${meta.classes?.[1] ?? '1'})`, colorAt: t => mixColors(classColors[0], classColors[1], t) };
    }
    this.heatmap.update(cells, axes, colorBar, palette, datasets);
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
    this.heatmap?.destroy();
    this.heatmap = undefined;
    this.mode = undefined;
  }
}

function rgb([r, g, b]: [number, number, number]): string {
  return `rgb(${r | 0}, ${g | 0}, ${b | 0})`;
}

/** A flat prediction still gets a colour bar with two distinct ends. */
function widen([min, max]: [number, number]): [number, number] {
  if (max - min > 1e-12 * Math.max(1, Math.abs(max))) return [min, max];
  const pad = Math.max(1e-6, Math.abs(max) * 0.01);
  return [min - pad, max + pad];
}

function padded([min, max]: [number, number]): [number, number] {
  const pad = (max - min) * 0.05 || 0.5;
  return [min - pad, max + pad];
}

function curveNames(meta: RunMeta): string[] {
  if (meta.task === 'regression') return [t('curveNetwork')];
  if (meta.task === 'binary') return [t('curveNetworkP', meta.classes?.[1] ?? '1')];
  return (meta.classes ?? []).map(name => `P(${name})`);
}

/** Binary views may carry one curve (P(class 1)) or two (both classes); the chart draws P(class 1). */

function curvesToDraw(meta: RunMeta, view: Extract<FunctionView, { kind: 'curve' }>): { x: number; y: number }[][] {
  const curves = meta.task === 'binary' ? [view.ys[view.ys.length - 1] ?? []] : view.ys;
  return curves.map(ys => view.xs.map((x, i) => ({ x, y: ys[i] })));
}

function pointsByClass(meta: RunMeta): { train: { x: number; y: number }[]; val: { x: number; y: number }[] } {
  const train: { x: number; y: number }[] = [];
  const val: { x: number; y: number }[] = [];
  const classCount = meta.classes?.length ?? 2;
  const shown = Math.min(meta.points.y.length, MAX_POINTS);
  for (let i = 0; i < shown; i++) {
    let y = meta.points.y[i];
    // Multiclass targets are class indices: spread them over [0, 1] to share the probability axis.
    if (meta.task === 'multiclass') y = classCount > 1 ? y / (classCount - 1) : y;
    const point = { x: meta.points.x[i]?.[0] ?? 0, y };
    (meta.points.split[i] === 'val' ? val : train).push(point);
  }
  return { train, val };
}

/**
 * What the chart leaves out of the data: " (N of M data points drawn)", or nothing when it draws them all. Predicted
 * against actual draws the view's pairs (the worker measures at most a few thousand rows, validation first).
 */
function leftOut(meta: RunMeta, mode: Mode, view: FunctionView | undefined): string {
  const rows = Math.max(meta.points.total ?? 0, meta.points.y.length);
  if (mode === 'scatter') {
    if (view?.kind !== 'scatter') return '';
    const drawn = Math.min(view.predicted.length, MAX_POINTS);
    return drawn < rows ? t('pointsDrawn', drawn, rows) : '';
  }
  const drawn = Math.min(meta.points.y.length, MAX_POINTS);
  const total = rows;
  return drawn < total ? t('pointsDrawn', drawn, total) : '';
}

function describe(meta: RunMeta, view: FunctionView | undefined): string {
  const inputs = meta.inputNames.length;
  if (view === undefined) return t('waitingPrediction');
  // A flat output is said in words: a one-colour map or a straight line is otherwise a puzzle.
  const flat = flatPrediction(meta, view, t);
  if (flat !== undefined) return flat;
  switch (view.kind) {
    case 'curve':
      return t('describeCurve', meta.targetName, meta.inputNames[0] ?? 'x');
    case 'grid':
      return meta.task === 'regression'
        ? t('describeGridRegression', meta.targetName, meta.inputNames.join(' × '))
        : t('describeGridClasses', meta.inputNames.join(' × '));
    case 'scatter':
      return t('describeScatter', inputs, meta.targetName);
    default:
      return assertNever(view);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
