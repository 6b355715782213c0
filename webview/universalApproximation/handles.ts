// The chart's draggable handles and what each drag or key press does to the weights. Pure (no DOM): the webview
// draws and listens; these functions decide, and the unit tests check that each edit touches only its weights.
import type { UatStrings } from '../../src/universalApproximation/uatStrings';
import type { Translate } from '../shared/translate';
import { bumpCount, bumpHeight, moveStep, setBumpHeight, stepPosition, type OneHiddenLayerNetwork } from '../../src/core/analysis/uat';

export type Handle =
  | { kind: 'step'; unit: number; bump: number; side: 'left' | 'right' }
  | { kind: 'height'; bump: number };

/** The plot area in CSS pixels and the data window it shows. */
export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Left-step handles sit in the lower row under the plot, right-step handles in the upper one (adjacent bumps share a position). */
export const STEP_ROW_OFFSET = { left: 8, right: 20 } as const;

export const toPixelX = (plot: Plot, x: number) => plot.left + ((x - plot.x0) / (plot.x1 - plot.x0)) * plot.width;
export const toPixelY = (plot: Plot, y: number) => plot.top + (1 - (y - plot.y0) / (plot.y1 - plot.y0)) * plot.height;
export const fromPixelX = (plot: Plot, px: number) => plot.x0 + ((px - plot.left) / plot.width) * (plot.x1 - plot.x0);
export const fromPixelY = (plot: Plot, py: number) => plot.y0 + (1 - (py - plot.top) / plot.height) * (plot.y1 - plot.y0);

export function handlesOf(network: OneHiddenLayerNetwork): Handle[] {
  const out: Handle[] = [];
  for (let k = 0; k < bumpCount(network); k++) {
    out.push({ kind: 'step', unit: 2 * k, bump: k, side: 'left' }, { kind: 'height', bump: k }, { kind: 'step', unit: 2 * k + 1, bump: k, side: 'right' });
  }
  return out;
}

/** Where a bump's height handle sits on x: between its two steps, kept inside the plot. */
export function bumpCentre(network: OneHiddenLayerNetwork, bump: number, plot: Plot): number {
  const a = stepPosition(network.units[2 * bump]);
  const b = stepPosition(network.units[2 * bump + 1]);
  const lo = Math.max(plot.x0, Math.min(a, b));
  const hi = Math.min(plot.x1, Math.max(a, b));
  return lo <= hi ? (lo + hi) / 2 : Math.min(plot.x1, Math.max(plot.x0, (a + b) / 2));
}

export function handlePosition(network: OneHiddenLayerNetwork, handle: Handle, plot: Plot): { x: number; y: number } {
  if (handle.kind === 'step') {
    const s = stepPosition(network.units[handle.unit]);
    const clamped = Math.min(plot.x1, Math.max(plot.x0, Number.isFinite(s) ? s : s > 0 ? plot.x1 : plot.x0));
    return { x: toPixelX(plot, clamped), y: plot.top + plot.height - STEP_ROW_OFFSET[handle.side] };
  }
  const h = Math.min(plot.y1, Math.max(plot.y0, bumpHeight(network, handle.bump)));
  return { x: toPixelX(plot, bumpCentre(network, handle.bump, plot)), y: toPixelY(plot, h) };
}

/** The handle under the pointer (height handles first: they are smaller targets), within `radius` pixels. */
export function hitTest(network: OneHiddenLayerNetwork, plot: Plot, px: number, py: number, radius = 7): Handle | undefined {
  let best: Handle | undefined;
  let bestDistance = Infinity;
  for (const handle of handlesOf(network)) {
    const p = handlePosition(network, handle, plot);
    const distance = Math.hypot(p.x - px, p.y - py) - (handle.kind === 'height' ? 1 : 0);
    if (distance <= radius && distance < bestDistance) {
      best = handle;
      bestDistance = distance;
    }
  }
  return best;
}

/** A drag to data point (x, y): a step moves to s = x (b = −w·x), a height handle sets ±h = y. */
export function applyDrag(network: OneHiddenLayerNetwork, handle: Handle, x: number, y: number): OneHiddenLayerNetwork {
  return handle.kind === 'step' ? moveStep(network, handle.unit, x) : setBumpHeight(network, handle.bump, y);
}

/** Arrow keys: a step moves by 1 % of the x window (10 % with Shift), a height by 1 % (10 %) of the y window. */
export function applyKey(network: OneHiddenLayerNetwork, handle: Handle, key: string, shift: boolean, plot: Plot): OneHiddenLayerNetwork | undefined {
  const share = shift ? 0.1 : 0.01;
  if (handle.kind === 'step') {
    const delta = key === 'ArrowRight' || key === 'ArrowUp' ? 1 : key === 'ArrowLeft' || key === 'ArrowDown' ? -1 : 0;
    if (delta === 0) return undefined;
    return moveStep(network, handle.unit, stepPosition(network.units[handle.unit]) + delta * share * (plot.x1 - plot.x0));
  }
  const delta = key === 'ArrowUp' || key === 'ArrowRight' ? 1 : key === 'ArrowDown' || key === 'ArrowLeft' ? -1 : 0;
  if (delta === 0) return undefined;
  return setBumpHeight(network, handle.bump, bumpHeight(network, handle.bump) + delta * share * (plot.y1 - plot.y0));
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(2) : Number(v.toPrecision(4)).toString();
}

/** The handle's accessible name, in the page's words (the host's table, webview/shared/strings.ts). */
export function handleLabel(network: OneHiddenLayerNetwork, handle: Handle, t: Translate<UatStrings>): string {
  if (handle.kind === 'step') {
    const u = network.units[handle.unit];
    const side = handle.side === 'left' ? t('stepLeft') : t('stepRight');
    return t('stepHandle', handle.bump + 1, side, formatValue(stepPosition(u)), formatValue(u.w), formatValue(u.b));
  }
  return t('heightHandle', handle.bump + 1, formatValue(bumpHeight(network, handle.bump)));
}
