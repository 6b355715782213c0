// Canvas helpers for cells chart.js does not draw: the small function maps of Compare Networks (no axes) and round
// tick values. Heatmaps with axes and a colour bar are chart.js charts (heatmapChart.ts).
import { parseColor } from './theme';

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

/** Blend of two colours, t ∈ [0, 1]. */
export function mixColors(a: string, b: string, t: number): [number, number, number] {
  const ca = parseColor(a);
  const cb = parseColor(b);
  return [ca[0] + (cb[0] - ca[0]) * t, ca[1] + (cb[1] - ca[1]) * t, ca[2] + (cb[2] - ca[2]) * t];
}
