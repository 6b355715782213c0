// Canvas heatmaps (putImageData) for what chart.js does not draw: the function over two inputs and the
// layer × time gradient history. A small plot frame with ticks keeps them looking like the chart.js charts.
import { type Palette, parseColor } from './theme';

/** Viridis exactly (d3-scale-chromatic's, which is matplotlib's): see palettes.ts. */
export { viridis } from './palettes';

export interface PlotRect { left: number; top: number; width: number; height: number }

/** Sizes the canvas's backing store to its CSS box × devicePixelRatio; returns the context in CSS pixels. */
export function prepareCanvas(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; width: number; height: number } | undefined {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return undefined;
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, canvas.clientWidth);
  const height = Math.max(1, canvas.clientHeight);
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, height };
}

/**
 * Paints a rows × columns grid of colours (row 0 at the bottom) into `rect`, without smoothing so each
 * cell stays a crisp block.
 */
export function paintGrid(
  ctx: CanvasRenderingContext2D,
  rect: PlotRect,
  columns: number,
  rows: number,
  colorAt: (column: number, row: number) => [number, number, number, number],
): void {
  if (columns <= 0 || rows <= 0) return;
  const image = new ImageData(columns, rows);
  const pixels = image.data;
  for (let row = 0; row < rows; row++) {
    const imageRow = rows - 1 - row;
    for (let column = 0; column < columns; column++) {
      const [r, g, b, a] = colorAt(column, row);
      const offset = (imageRow * columns + column) * 4;
      pixels[offset] = r;
      pixels[offset + 1] = g;
      pixels[offset + 2] = b;
      pixels[offset + 3] = a;
    }
  }
  const offscreen = document.createElement('canvas');
  offscreen.width = columns;
  offscreen.height = rows;
  offscreen.getContext('2d')?.putImageData(image, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(offscreen, rect.left, rect.top, rect.width, rect.height);
  ctx.restore();
}

/** Round tick values (1, 2, 5 × 10^k) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min) return [min];
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map(m => m * power).find(s => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export interface AxisSpec {
  min: number;
  max: number;
  title: string;
  ticks?: { value: number; label: string }[];
}

/** Draws the frame, grid lines, tick labels and axis titles around `rect`, in the theme's colours. */
export function drawAxes(ctx: CanvasRenderingContext2D, rect: PlotRect, x: AxisSpec, y: AxisSpec, palette: Palette): void {
  const fontSize = Math.max(10, palette.fontSize - 2);
  ctx.save();
  ctx.font = `${fontSize}px ${palette.fontFamily}`;
  ctx.strokeStyle = palette.grid;
  ctx.fillStyle = palette.muted;
  ctx.lineWidth = 1;
  const xTicks = x.ticks ?? niceTicks(x.min, x.max).map(value => ({ value, label: formatTick(value) }));
  const yTicks = y.ticks ?? niceTicks(y.min, y.max).map(value => ({ value, label: formatTick(value) }));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const tick of xTicks) {
    const px = rect.left + ((tick.value - x.min) / (x.max - x.min || 1)) * rect.width;
    if (px < rect.left - 0.5 || px > rect.left + rect.width + 0.5) continue;
    ctx.beginPath();
    ctx.moveTo(px, rect.top + rect.height);
    ctx.lineTo(px, rect.top + rect.height + 4);
    ctx.stroke();
    ctx.fillText(tick.label, px, rect.top + rect.height + 6);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const tick of yTicks) {
    const py = rect.top + rect.height - ((tick.value - y.min) / (y.max - y.min || 1)) * rect.height;
    if (py < rect.top - 0.5 || py > rect.top + rect.height + 0.5) continue;
    ctx.beginPath();
    ctx.moveTo(rect.left - 4, py);
    ctx.lineTo(rect.left, py);
    ctx.stroke();
    ctx.fillText(tick.label, rect.left - 6, py);
  }
  ctx.strokeRect(rect.left + 0.5, rect.top + 0.5, rect.width - 1, rect.height - 1);
  ctx.fillStyle = palette.foreground;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(x.title, rect.left + rect.width / 2, rect.top + rect.height + fontSize * 2 + 12);
  ctx.translate(12, rect.top + rect.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(y.title, 0, 0);
  ctx.restore();
}

export function formatTick(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-2) return value.toExponential(0).replace('e+', 'e');
  return Number(value.toPrecision(3)).toString();
}

/** A vertical colour bar with min/max labels, for the heatmaps' legend. */
export function drawColorBar(
  ctx: CanvasRenderingContext2D,
  rect: PlotRect,
  colorAt: (t: number) => [number, number, number],
  lowLabel: string,
  highLabel: string,
  palette: Palette,
): void {
  const steps = Math.max(2, Math.round(rect.height));
  for (let i = 0; i < steps; i++) {
    const [r, g, b] = colorAt(1 - i / (steps - 1));
    ctx.fillStyle = `rgb(${r | 0}, ${g | 0}, ${b | 0})`;
    ctx.fillRect(rect.left, rect.top + (i * rect.height) / steps, rect.width, rect.height / steps + 1);
  }
  ctx.save();
  ctx.strokeStyle = palette.grid;
  ctx.strokeRect(rect.left + 0.5, rect.top + 0.5, rect.width - 1, rect.height - 1);
  ctx.fillStyle = palette.muted;
  ctx.font = `${Math.max(10, palette.fontSize - 2)}px ${palette.fontFamily}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(highLabel, rect.left + rect.width + 4, rect.top);
  ctx.textBaseline = 'bottom';
  ctx.fillText(lowLabel, rect.left + rect.width + 4, rect.top + rect.height);
  ctx.restore();
}

/** Blend of two colours, t ∈ [0, 1]. */
export function mixColors(a: string, b: string, t: number): [number, number, number] {
  const ca = parseColor(a);
  const cb = parseColor(b);
  return [ca[0] + (cb[0] - ca[0]) * t, ca[1] + (cb[1] - ca[1]) * t, ca[2] + (cb[2] - ca[2]) * t];
}
