// Colour and tick helpers for the heatmaps, which are chart.js charts (heatmapChart.ts): viridis, round tick values
// (and chart.js's afterBuildTicks for them), colour blends.
import { parseColor } from './theme';

/** Viridis exactly (d3-scale-chromatic's, which is matplotlib's): see palettes.ts. */
export { viridis } from './palettes';

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

/** chart.js `afterBuildTicks` that keeps the axis's ticks at niceTicks(min, max, count) only (chart.js would also
 *  label the axis's ends: "-2.13 … 2.07"). */
export function ticksAt(min: number, max: number, count = 5): (scale: { ticks: { value: number }[] }) => void {
  return scale => { scale.ticks = niceTicks(min, max, count).map(value => ({ value })); };
}

/** Blend of two colours, t ∈ [0, 1]. */
export function mixColors(a: string, b: string, t: number): [number, number, number] {
  const ca = parseColor(a);
  const cb = parseColor(b);
  return [ca[0] + (cb[0] - ca[0]) * t, ca[1] + (cb[1] - ca[1]) * t, ca[2] + (cb[2] - ca[2]) * t];
}
