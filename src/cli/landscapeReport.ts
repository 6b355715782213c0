// `gradscope landscape … --report FILE.html`: a self-contained page (no script) with the landscape as an SVG
// heatmap — log-loss colours, contour lines, θ and the lowest cell marked — the 1-D slice and the numbers.
import { contourLevels, contourSegments } from '../core/analysis/contours';
import type { LandscapeResult } from '../core/analysis/landscape';

/** Viridis at 9 stops (as the panel's heatmaps), so the report reads like the panel. */
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

function viridis(t: number): string {
  const p = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const lo = Math.floor(p);
  const hi = Math.min(VIRIDIS.length - 1, lo + 1);
  const f = p - lo;
  const c = VIRIDIS[lo].map((v, k) => Math.round(v + (VIRIDIS[hi][k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const num = (v: number): string => (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toPrecision(5));

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
table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: left; border-bottom: 1px solid #8884; }
</style></head><body>
<h1>${escapeHtml(title)} — loss landscape</h1>
<p>Training loss at θ + α·δ + β·η, α, β ∈ [−${r.range}, ${r.range}], δ and η seeded random directions filter-normalised as in
Li et al. (2018): each unit's incoming weights scaled to the norm of θ's; biases, batch norm and PReLU slopes not moved.</p>
<figure><figcaption>Heatmap of log loss (${n}×${n}); ○ θ, ✕ lowest cell; α to the right, β up</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="loss landscape heatmap">
${rects.join('')}
${contours.join('\n')}
<circle cx="${cx}" cy="${cy}" r="6" fill="none" stroke="white" stroke-width="2"/>
<path d="M${mx - 6},${my - 6}L${mx + 6},${my + 6}M${mx + 6},${my - 6}L${mx - 6},${my + 6}" stroke="#e51400" stroke-width="2.5"/>
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
