// The picture in the hover: f and f′ of one activation over a window that shows what matters (its kinks, where it
// saturates), with axes, ticks and the saturating and dead ranges shaded, coloured for the editor's theme.
// The hover shows it as an <img> (a data URI), where no CSS variable reaches, so each theme has its own palette.
// Pure: no vscode, no DOM.
import type { ActivationName } from '../types';
import { ACTIVATIONS } from './activations';
import { activationFacts, bindActivation, type XRange } from './activationFacts';

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

interface Palette {
  text: string;
  axis: string;
  grid: string;
  f: string;
  df: string;
  saturating: string;
  saturatingOpacity: number;
  dead: string;
  deadOpacity: number;
  strokeWidth: number;
}

const PALETTES: Record<ThemeKind, Palette> = {
  light: {
    text: '#3b3b3b', axis: '#767676', grid: '#e4e4e4', f: '#005fb8', df: '#c4410c',
    saturating: '#d19a00', saturatingOpacity: 0.16, dead: '#d1242f', deadOpacity: 0.13, strokeWidth: 2,
  },
  dark: {
    text: '#cccccc', axis: '#8b8b8b', grid: '#383838', f: '#4fc1ff', df: '#ffa657',
    saturating: '#e5c07b', saturatingOpacity: 0.22, dead: '#f14c4c', deadOpacity: 0.18, strokeWidth: 2,
  },
  highContrast: {
    text: '#ffffff', axis: '#ffffff', grid: '#6b6b6b', f: '#00e5ff', df: '#ffd000',
    saturating: '#ffffff', saturatingOpacity: 0.18, dead: '#ff5c5c', deadOpacity: 0.3, strokeWidth: 2.5,
  },
  highContrastLight: {
    text: '#000000', axis: '#000000', grid: '#a0a0a0', f: '#0000c8', df: '#a31500',
    saturating: '#000000', saturatingOpacity: 0.12, dead: '#c00000', deadOpacity: 0.2, strokeWidth: 2.5,
  },
};

export interface PlotWindow {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface SvgOptions {
  theme: ThemeKind;
  width?: number;
  height?: number;
  /** Overrides the automatic x window. */
  xRange?: [number, number];
}

/** Plot area inside the picture (the margins hold tick labels and the legend). */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const SAMPLES_PER_CURVE = 241;

/** The x window: symmetric, wide enough to show every finite saturation or dead boundary with room past it. */
export function chooseXRange(name: ActivationName, params: Record<string, number> = {}): [number, number] {
  const facts = activationFacts(name, params);
  let extent = 0;
  for (const r of [...facts.saturating, ...facts.dead]) {
    for (const v of [r.from, r.to]) if (Number.isFinite(v)) extent = Math.max(extent, Math.abs(v));
  }
  const peak = ACTIVATIONS[name].maxSlope.at;
  if (Number.isFinite(peak) && Math.abs(peak) < 10) extent = Math.max(extent, Math.abs(peak));
  const half = Math.min(8, Math.max(4, Math.ceil(1.3 * extent)));
  return [-half, half];
}

export function plotWindow(name: ActivationName, params: Record<string, number>, xRange: [number, number]): PlotWindow {
  const activation = bindActivation(name, params);
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < SAMPLES_PER_CURVE; i++) {
    const x = xRange[0] + ((xRange[1] - xRange[0]) * i) / (SAMPLES_PER_CURVE - 1);
    for (const y of [activation.f(x), activation.df(x)]) {
      if (!Number.isFinite(y)) continue;
      lo = Math.min(lo, y);
      hi = Math.max(hi, y);
    }
  }
  const pad = 0.08 * (hi - lo);
  return { xMin: xRange[0], xMax: xRange[1], yMin: lo - pad, yMax: hi + pad };
}

/** The parts of `ranges` outside every range of `remove`. */
export function subtractRanges(ranges: XRange[], remove: XRange[]): XRange[] {
  let pieces = ranges.map(r => ({ ...r }));
  for (const cut of remove) {
    const next: XRange[] = [];
    for (const r of pieces) {
      if (cut.to <= r.from || cut.from >= r.to) { next.push(r); continue; }
      if (cut.from > r.from) next.push({ from: r.from, to: cut.from });
      if (cut.to < r.to) next.push({ from: cut.to, to: r.to });
    }
    pieces = next;
  }
  return pieces.filter(r => r.to - r.from > 1e-9);
}

function niceStep(span: number, targetTicks: number): number {
  const raw = span / targetTicks;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

function ticks(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : Number(v.toFixed(6)));
  return out;
}

function label(v: number): string {
  return String(Number(v.toPrecision(3))).replace(/^-/, '−');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders the SVG document for `name` with `params` (table defaults for the rest). */
export function renderActivationSvg(name: ActivationName, params: Record<string, number>, options: SvgOptions): string {
  const width = options.width ?? 360;
  const height = options.height ?? 190;
  const palette = PALETTES[options.theme];
  const activation = bindActivation(name, params);
  const facts = activationFacts(name, params);
  const xRange = options.xRange ?? chooseXRange(name, params);
  const win = plotWindow(name, params, xRange);
  const area: PlotArea = { left: 36, top: 24, width: width - 36 - 10, height: height - 24 - 22 };
  const px = (x: number) => area.left + ((x - win.xMin) / (win.xMax - win.xMin)) * area.width;
  const py = (y: number) => area.top + (1 - (y - win.yMin) / (win.yMax - win.yMin)) * area.height;
  const r2 = (v: number) => v.toFixed(2);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
      ` font-family="-apple-system, 'Segoe UI', Ubuntu, sans-serif" font-size="10"` +
      ` data-activation="${escapeXml(name)}" data-x-min="${win.xMin}" data-x-max="${win.xMax}" data-y-min="${win.yMin}" data-y-max="${win.yMax}"` +
      ` data-plot="${area.left} ${area.top} ${area.width} ${area.height}">`,
  );
  parts.push(`<title>${escapeXml(name)}: f(x) and f′(x)</title>`);
  parts.push(`<defs><clipPath id="plot"><rect x="${area.left}" y="${area.top}" width="${area.width}" height="${area.height}"/></clipPath></defs>`);

  // Shaded ranges first, under everything else.
  const shade = (r: XRange, color: string, opacity: number, kind: string) => {
    const from = Math.max(win.xMin, r.from);
    const to = Math.min(win.xMax, r.to);
    if (to <= from) return;
    parts.push(
      `<rect data-range="${kind}" x="${r2(px(from))}" y="${area.top}" width="${r2(px(to) - px(from))}" height="${area.height}" fill="${color}" fill-opacity="${opacity}"/>`,
    );
  };
  // Dead ranges are saturated too; shade them once, in their own colour.
  for (const r of subtractRanges(facts.saturating, facts.dead)) shade(r, palette.saturating, palette.saturatingOpacity, 'saturating');
  for (const r of facts.dead) shade(r, palette.dead, palette.deadOpacity, 'dead');

  // Grid and tick labels.
  const xStep = niceStep(win.xMax - win.xMin, 8);
  const yStep = niceStep(win.yMax - win.yMin, 5);
  for (const x of ticks(win.xMin, win.xMax, xStep)) {
    parts.push(`<line x1="${r2(px(x))}" y1="${area.top}" x2="${r2(px(x))}" y2="${area.top + area.height}" stroke="${palette.grid}" stroke-width="1"/>`);
    parts.push(`<text x="${r2(px(x))}" y="${area.top + area.height + 13}" text-anchor="middle" fill="${palette.text}">${label(x)}</text>`);
  }
  for (const y of ticks(win.yMin, win.yMax, yStep)) {
    parts.push(`<line x1="${area.left}" y1="${r2(py(y))}" x2="${area.left + area.width}" y2="${r2(py(y))}" stroke="${palette.grid}" stroke-width="1"/>`);
    parts.push(`<text x="${area.left - 4}" y="${r2(py(y) + 3.5)}" text-anchor="end" fill="${palette.text}">${label(y)}</text>`);
  }
  // Axes through the origin (the window always contains x = 0 and y = 0).
  parts.push(`<line data-axis="x" x1="${area.left}" y1="${r2(py(0))}" x2="${area.left + area.width}" y2="${r2(py(0))}" stroke="${palette.axis}" stroke-width="1.2"/>`);
  parts.push(`<line data-axis="y" x1="${r2(px(0))}" y1="${area.top}" x2="${r2(px(0))}" y2="${area.top + area.height}" stroke="${palette.axis}" stroke-width="1.2"/>`);

  const curve = (g: (x: number) => number) => {
    const points: string[] = [];
    let pen = 'M';
    for (let i = 0; i < SAMPLES_PER_CURVE; i++) {
      const x = win.xMin + ((win.xMax - win.xMin) * i) / (SAMPLES_PER_CURVE - 1);
      const y = g(x);
      if (!Number.isFinite(y)) { pen = 'M'; continue; }
      points.push(`${pen}${r2(px(x))} ${r2(py(y))}`);
      pen = 'L';
    }
    return points.join('');
  };
  parts.push(
    `<g clip-path="url(#plot)" fill="none" stroke-linejoin="round">` +
      `<path data-series="df" d="${curve(activation.df)}" stroke="${palette.df}" stroke-width="${palette.strokeWidth}" stroke-dasharray="5 3"/>` +
      `<path data-series="f" d="${curve(activation.f)}" stroke="${palette.f}" stroke-width="${palette.strokeWidth}"/>` +
      `</g>`,
  );

  // Legend along the top.
  let lx = area.left;
  const legendY = 12;
  const legendLine = (text: string, color: string, dashed: boolean) => {
    parts.push(`<line x1="${lx}" y1="${legendY - 3}" x2="${lx + 16}" y2="${legendY - 3}" stroke="${color}" stroke-width="${palette.strokeWidth}"${dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    parts.push(`<text x="${lx + 20}" y="${legendY}" fill="${palette.text}">${escapeXml(text)}</text>`);
    lx += 20 + text.length * 5.6 + 12;
  };
  const legendBox = (text: string, color: string, opacity: number) => {
    parts.push(`<rect x="${lx}" y="${legendY - 8}" width="10" height="10" fill="${color}" fill-opacity="${Math.min(1, opacity * 2.5)}"/>`);
    parts.push(`<text x="${lx + 14}" y="${legendY}" fill="${palette.text}">${escapeXml(text)}</text>`);
    lx += 14 + text.length * 5.6 + 12;
  };
  legendLine(`${name}(x)`, palette.f, false);
  legendLine('derivative', palette.df, true);
  if (subtractRanges(facts.saturating, facts.dead).length > 0) legendBox('saturating', palette.saturating, palette.saturatingOpacity);
  if (facts.dead.length > 0) legendBox('dead', palette.dead, palette.deadOpacity);

  parts.push('</svg>');
  return parts.join('');
}

const svgCache = new Map<string, string>();

/** The SVG as a base64 data URI, cached per (name, parameters, theme): the hover's hot path is a map lookup. */
export function activationSvgDataUri(name: ActivationName, params: Record<string, number>, theme: ThemeKind): string {
  const keys = Object.keys(params).sort();
  const key = `${name}|${keys.map(k => `${k}=${params[k]}`).join(',')}|${theme}`;
  let uri = svgCache.get(key);
  if (!uri) {
    const svg = renderActivationSvg(name, params, { theme });
    uri = `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
    if (svgCache.size > 500) svgCache.clear();
    svgCache.set(key, uri);
  }
  return uri;
}
