// `gradscope landscape … --report FILE.html`: a self-contained page (no script) with the landscape as an SVG
// heatmap — log-loss colours, contour lines, θ and the lowest cell marked — the 1-D slice and the numbers.
import { contourLevels, contourSegments } from '../core/analysis/contours';
import type { LandscapeResult } from '../core/analysis/landscape';
import { interpolateViridis } from 'd3-scale-chromatic';

/**
 * Viridis exactly: d3-scale-chromatic's interpolateViridis (matplotlib's), as the panel's heatmaps use it. The page
 * has no script: each cell's colour is computed here and written into the SVG.
 */
export function viridis(t: number): string {
  return interpolateViridis(Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)));
}

/** Powers of ten inside [low, high] (log10 units), every `stride`-th once there are more than 8, as the panel's log bars. */
export function powersOfTen(low: number, high: number): number[] {
  const first = Math.ceil(low - 1e-9);
  const last = Math.floor(high + 1e-9);
  const stride = Math.max(1, Math.ceil((last - first) / 8));
  const out: number[] = [];
  for (let e = first; e <= last; e++) if (e % stride === 0) out.push(e);
  return out;
}

/** 10^e as the panel labels it: 1, 10, 0.1, 0.01, 1e-3, 1e4. */
export function powerLabel(exponent: number): string {
  return exponent >= -2 && exponent <= 3 ? String(Number((10 ** exponent).toPrecision(1))) : `1e${exponent}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const num = (v: number): string => (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toPrecision(5));

const BAR_ROOM = 90;

/**
 * The colour bar right of the map: viridis from the lowest loss (bottom) to the highest, labelled at the powers of
 * ten inside (1, 0.1, 0.01 …) like the panel's log bars; the two ends' values when the range is under a decade.
 */
function colorBarSvg(size: number, low10: number, high10: number): string {
  const x = size + 12;
  const width = 14;
  const steps = Math.max(2, Math.min(size, 256));
  const cells: string[] = [];
  for (let k = 0; k < steps; k++) {
    const top = (k * size) / steps;
    cells.push(`<rect x="${x}" y="${top.toFixed(2)}" width="${width}" height="${(size / steps + 0.5).toFixed(2)}" fill="${viridis(1 - (k + 0.5) / steps)}"/>`);
  }
  const span = high10 - low10;
  const at = (e: number) => (span > 0 ? size - ((e - low10) / span) * size : size / 2);
  const powers = span > 0 ? powersOfTen(low10, high10) : [];
  let labels = powers.map(e => ({ y: at(e), text: powerLabel(e) }));
  if (powers.length < 2) {
    // Under a decade (a loss between 0.67 and 0.76, say): the round digits inside (0.7), as the panel's log axes,
    // and the two ends' values when that leaves fewer than two labels.
    const digit = 10 ** Math.floor(low10);
    labels = [];
    for (let k = 1; k <= 10; k++) {
      const value = k * digit;
      if (Math.log10(value) >= low10 - 1e-9 && Math.log10(value) <= high10 + 1e-9) labels.push({ y: at(Math.log10(value)), text: String(Number(value.toPrecision(2))) });
    }
    if (labels.length < 2) labels.push({ y: size, text: String(Number((10 ** low10).toPrecision(3))) }, { y: 0, text: String(Number((10 ** high10).toPrecision(3))) });
  }
  const text = labels.map(l => `<text class="tick" x="${x + width + 4}" y="${Math.min(size - 2, Math.max(10, l.y + 4)).toFixed(1)}">${escapeHtml(l.text)}</text>`
    + `<line x1="${x + width}" x2="${x + width + 3}" y1="${l.y.toFixed(1)}" y2="${l.y.toFixed(1)}" stroke="currentColor"/>`);
  return `<g class="color-bar" aria-label="colour bar: loss, log scale">${cells.join('')}${text.join('')}</g>`;
}

export function landscapeReportHtml(title: string, r: LandscapeResult, roughness: number): string {
  const n = r.grid;
  const cell = Math.max(4, Math.floor(480 / n));
  const size = cell * n;
  const lo = Math.log(Math.max(r.min.loss, 1e-300));
  const hi = Math.log(Math.max(r.max, 1e-300));
  const t = (v: number) => (hi > lo ? (Math.log(Math.max(v, 1e-300)) - lo) / (hi - lo) : 0.5);
  const rects: string[] = [];
  r.rows.forEach((row, j) => row.forEach((v, i) => {
    rects.push(`<rect x="${i * cell}" y="${(n - 1 - j) * cell}" width="${cell}" height="${cell}" fill="${Number.isFinite(v) ? viridis(t(v)) : 'none'}"/>`);
  }));
  const px = (gx: number, gy: number) => `${((gx + 0.5) * cell).toFixed(1)},${(size - (gy + 0.5) * cell).toFixed(1)}`;
  const contours = contourLevels(r.min.loss, r.max, 10, true)
    .map(level => contourSegments(r.rows, level).map(([x0, y0, x1, y1]) => `M${px(x0, y0)}L${px(x1, y1)}`).join(''))
    .filter(d => d).map(d => `<path d="${d}" stroke="rgba(0,0,0,0.55)" fill="none" stroke-width="1"/>`);
  const centre = (n - 1) / 2;
  const minI = r.axis.indexOf(r.min.alpha);
  const minJ = r.axis.indexOf(r.min.beta);
  const [mx, my] = px(minI, minJ).split(',').map(Number);
  const [cx, cy] = px(centre, centre).split(',').map(Number);
  // The slice as a polyline on log loss.
  const sw = 480;
  const sh = 200;
  const sl = r.slice.losses.map(v => Math.log(Math.max(v, 1e-300)));
  const slo = Math.min(...sl);
  const shi = Math.max(...sl);
  const points = sl.map((v, k) => `${((k / (sl.length - 1)) * sw).toFixed(1)},${(sh - (shi > slo ? (v - slo) / (shi - slo) : 0.5) * sh).toFixed(1)}`).join(' ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>${escapeHtml(title)} — loss landscape</title>
<style>
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; background: #fff; }
@media (prefers-color-scheme: dark) { body { color: #ddd; background: #1e1e1e; } }
figure { margin: 16px 0; } figcaption { color: #888; margin-bottom: 6px; }
svg .tick { font-size: 11px; fill: currentColor; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: left; border-bottom: 1px solid #8884; }
</style></head><body>
<h1>${escapeHtml(title)} — loss landscape</h1>
<p>Training loss at θ + α·δ + β·η, α, β ∈ [−${r.range}, ${r.range}], δ and η seeded random directions filter-normalised as in
Li et al. (2018): each unit's incoming weights scaled to the norm of θ's; biases, batch norm and PReLU slopes not moved.</p>
<figure><figcaption>Heatmap of log loss (${n}×${n}), colour bar on the right; ○ θ, ✕ lowest cell; α to the right, β up</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" width="${size + BAR_ROOM}" height="${size}" viewBox="0 0 ${size + BAR_ROOM} ${size}" role="img" aria-label="loss landscape heatmap">
${rects.join('')}
${contours.join('\n')}
<circle cx="${cx}" cy="${cy}" r="6" fill="none" stroke="white" stroke-width="2"/>
<path d="M${mx - 6},${my - 6}L${mx + 6},${my + 6}M${mx + 6},${my - 6}L${mx - 6},${my + 6}" stroke="#e51400" stroke-width="2.5"/>
${colorBarSvg(size, lo / Math.LN10, hi / Math.LN10)}
</svg></figure>
<figure><figcaption>1-D slice along δ (log loss, α from −${r.range} to ${r.range})</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" width="${sw}" height="${sh}" viewBox="0 -4 ${sw} ${sh + 8}" role="img" aria-label="1-D slice">
<polyline points="${points}" fill="none" stroke="#1a85ff" stroke-width="2"/></svg></figure>
<table>
<tr><th>loss at θ</th><td>${num(r.lossAtTheta)}</td></tr>
<tr><th>lowest on the grid</th><td>${num(r.min.loss)} at α = ${r.min.alpha}, β = ${r.min.beta}</td></tr>
<tr><th>highest on the grid</th><td>${num(r.max)}</td></tr>
<tr><th>roughness (mean |Laplacian| / range)</th><td>${num(roughness)}</td></tr>
<tr><th>training rows / seed / loss</th><td>${r.rowsUsed} / ${r.seed} / ${escapeHtml(r.loss)}</td></tr>
</table>
</body></html>
`;
}
