// Draws the walkthrough's pictures (media/walkthrough/*.svg) from the core's activation table and from short real
// runs of the bundled examples through the CLI (`gradscope train … --json`). The SVGs colour themselves with VS
// Code's theme variables (with fallbacks), so they read in light, dark and high-contrast themes.
// Usage: npm run build && npx tsx scripts/walkthrough-media.ts
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bindActivation } from '../src/core/activations/activationFacts';
import { nielsenFunction } from '../src/core/data/builtinDatasets';

const repoRoot = path.resolve(__dirname, '..');
const outDir = path.join(repoRoot, 'media', 'walkthrough');
const W = 480;
const H = 300;
const M = { left: 52, right: 16, top: 20, bottom: 40 };

const STYLE = `<style>
  .axis { stroke: var(--vscode-foreground, #888); stroke-opacity: 0.5; stroke-width: 1; fill: none; }
  .grid { stroke: var(--vscode-foreground, #888); stroke-opacity: 0.12; stroke-width: 1; }
  .label { fill: var(--vscode-foreground, #888); font: 12px var(--vscode-font-family, sans-serif); }
  .small { fill: var(--vscode-descriptionForeground, #888); font: 11px var(--vscode-font-family, sans-serif); }
  .s0 { stroke: var(--vscode-charts-blue, #3794ff); fill: none; stroke-width: 2; }
  .s1 { stroke: var(--vscode-charts-orange, #d18616); fill: none; stroke-width: 2; }
  .s2 { stroke: var(--vscode-charts-green, #89d185); fill: none; stroke-width: 2; }
  .s3 { stroke: var(--vscode-charts-purple, #b180d7); fill: none; stroke-width: 2; }
  .dash { stroke-dasharray: 5 4; }
  .b0 { fill: var(--vscode-charts-blue, #3794ff); }
  .b1 { fill: var(--vscode-charts-orange, #d18616); }
  .k0 { fill: var(--vscode-charts-blue, #3794ff); } .k1 { fill: var(--vscode-charts-orange, #d18616); }
  .k2 { fill: var(--vscode-charts-green, #89d185); } .k3 { fill: var(--vscode-charts-purple, #b180d7); }
</style>`;

interface Scale { (v: number): number }
const linear = (d0: number, d1: number, r0: number, r1: number): Scale => v => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
const fmt = (v: number) => Number(v.toPrecision(3)).toString();

function frame(xTicks: [number, string][], yTicks: [number, string][], xLabel: string, yLabel: string): string {
  const parts: string[] = [];
  for (const [y, text] of yTicks) {
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/>`);
    parts.push(`<text class="small" x="${M.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${text}</text>`);
  }
  for (const [x, text] of xTicks) parts.push(`<text class="small" x="${x.toFixed(1)}" y="${H - M.bottom + 15}" text-anchor="middle">${text}</text>`);
  parts.push(`<path class="axis" d="M${M.left},${M.top} V${H - M.bottom} H${W - M.right}"/>`);
  parts.push(`<text class="small" x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle">${xLabel}</text>`);
  parts.push(`<text class="small" transform="translate(13 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`);
  return parts.join('\n');
}

function polyline(points: [number, number][], cls: string): string {
  return `<path class="${cls}" d="${points.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`;
}

function legend(entries: [string, string][]): string {
  return entries.map(([cls, text], i) => {
    const y = M.top + 6 + i * 16;
    return `<rect class="${cls}" x="${W - M.right - 170}" y="${y - 8}" width="12" height="4"/><text class="small" x="${W - M.right - 152}" y="${y}">${text}</text>`;
  }).join('\n');
}

function svg(title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">\n<title>${title}</title>\n${STYLE}\n${body}\n</svg>\n`;
}

function curves(fns: ((x: number) => number)[], x0: number, x1: number, y0: number, y1: number, classes: string[]): string {
  const sx = linear(x0, x1, M.left, W - M.right);
  const sy = linear(y0, y1, H - M.bottom, M.top);
  return fns.map((f, k) => {
    const pts: [number, number][] = [];
    for (let i = 0; i <= 240; i++) {
      const x = x0 + ((x1 - x0) * i) / 240;
      pts.push([sx(x), sy(Math.max(y0, Math.min(y1, f(x))))]);
    }
    return polyline(pts, classes[k]);
  }).join('\n');
}

function ticks(d0: number, d1: number, r0: number, r1: number, values: number[]): [number, string][] {
  const s = linear(d0, d1, r0, r1);
  return values.map(v => [s(v), fmt(v)]);
}

// 1. Nielsen's bumps: n steps of width 1/n, each height f(midpoint), each a difference of two steep sigmoids.
function universalApproximation(): string {
  const sigmoid = bindActivation('sigmoid');
  const n = 10;
  const steepness = 400;
  const heights = Array.from({ length: n }, (_, i) => nielsenFunction((i + 0.5) / n));
  // the outer steps sit beyond [0, 1] so the picture shows no half-height bump at the ends
  const edge = (i: number) => (i === 0 ? -1 : i === n ? 2 : i / n);
  const bumps = (x: number) => heights.reduce((sum, h, i) =>
    sum + h * (sigmoid.f(steepness * (x - edge(i))) - sigmoid.f(steepness * (x - edge(i + 1)))), 0);
  const body = [
    frame(ticks(0, 1, M.left, W - M.right, [0, 0.25, 0.5, 0.75, 1]), ticks(0, 1, H - M.bottom, M.top, [0, 0.5, 1]), 'x', 'f(x)'),
    curves([nielsenFunction, bumps], 0, 1, 0, 1, ['s0', 's1']),
    legend([['b0', "Nielsen's f(x)"], ['b1', `${n} bumps = ${2 * n} sigmoids`]]),
  ].join('\n');
  return svg('Universal approximation with sigmoid bumps', body);
}

// 2. σ and σ′, with the ¼ bound.
function sigmoidSlope(): string {
  const s = bindActivation('sigmoid');
  const y = linear(-0.05, 1.05, H - M.bottom, M.top);
  const body = [
    frame(ticks(-8, 8, M.left, W - M.right, [-8, -4, 0, 4, 8]), ticks(-0.05, 1.05, H - M.bottom, M.top, [0, 0.25, 0.5, 1]), 'z', ''),
    `<line class="s2 dash" x1="${M.left}" x2="${W - M.right}" y1="${y(0.25).toFixed(1)}" y2="${y(0.25).toFixed(1)}"/>`,
    curves([s.f, s.df], -8, 8, -0.05, 1.05, ['s0', 's1']),
    legend([['b0', 'σ(z)'], ['b1', `σ′(z), max ${fmt(s.df(0))}`], ['k2', '¼']]),
  ].join('\n');
  return svg('The sigmoid and its slope', body);
}

interface LayerStat { gradNorm: number }
interface Snapshot { type: 'snapshot'; step: number; loss: number; layers: LayerStat[] }

function cliRun(config: string, epochs: number): Snapshot[] {
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'gradscope.js'), 'train', path.join(repoRoot, 'examples', config),
    '--epochs', String(epochs), '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.split('\n').filter(Boolean).map(l => JSON.parse(l)).filter((r: { type: string }) => r.type === 'snapshot');
}

function gradientBars(title: string, runs: { label: string; grads: number[] }[]): string {
  const all = runs.flatMap(r => r.grads).filter(g => g > 0);
  const lo = Math.floor(Math.log10(Math.min(...all)));
  const hi = Math.ceil(Math.log10(Math.max(...all)));
  const y = linear(lo, hi, H - M.bottom, M.top);
  const layers = Math.max(...runs.map(r => r.grads.length));
  const slot = (W - M.left - M.right) / layers;
  const barW = (slot * 0.8) / runs.length;
  const bars = runs.flatMap((r, k) => r.grads.map((g, i) => {
    const top = y(Math.log10(Math.max(g, 10 ** lo)));
    return `<rect class="b${k}" x="${(M.left + i * slot + slot * 0.1 + k * barW).toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${(H - M.bottom - top).toFixed(1)}"/>`;
  }));
  const yTicks: [number, string][] = [];
  for (let e = lo; e <= hi; e += Math.max(1, Math.round((hi - lo) / 5))) yTicks.push([y(e), `1e${e}`]);
  const xTicks: [number, string][] = Array.from({ length: layers }, (_, i) => [M.left + (i + 0.5) * slot, String(i + 1)]);
  return svg(title, [frame(xTicks, yTicks, 'layer (input → output)', '‖∂L/∂W‖'), ...bars,
    legend(runs.map((r, k) => [`b${k}`, r.label]))].join('\n'));
}

// 3. The deep sigmoid net's gradient per layer at step 0.
function vanishing(): string {
  const [first] = cliRun('deep-sigmoid.nn.json', 0);
  return gradientBars('Gradient norm per layer, deep sigmoid network', [{ label: 'deep sigmoid, step 0', grads: first.layers.map(l => l.gradNorm) }]);
}

// 4. Loss per epoch: deep sigmoid against deep ReLU + He (each on its bundled data).
function reluHe(): string {
  const runs = [
    { label: 'sigmoid, Xavier', snaps: cliRun('deep-sigmoid.nn.json', 40) },
    { label: 'ReLU, He', snaps: cliRun('deep-relu-he.nn.json', 40) },
  ];
  const maxLoss = Math.max(...runs.flatMap(r => r.snaps.map(s => s.loss)));
  const x = linear(0, runs[0].snaps.length - 1, M.left, W - M.right);
  const y = linear(0, maxLoss * 1.05, H - M.bottom, M.top);
  const lines = runs.map((r, k) => polyline(r.snaps.map((s, i) => [x(i), y(s.loss)]), `s${k}`));
  const epochs = runs[0].snaps.length - 1;
  return svg('Training loss: sigmoid against ReLU with He initialisation', [
    frame(ticks(0, epochs, M.left, W - M.right, [0, 10, 20, 30, 40].filter(e => e <= epochs)),
      ticks(0, maxLoss * 1.05, H - M.bottom, M.top, [0, maxLoss / 2, maxLoss].map(v => Number(v.toPrecision(2)))), 'epoch', 'loss'),
    ...lines, legend(runs.map((r, k) => [`b${k}`, `${r.label}: ${fmt(r.snaps[r.snaps.length - 1].loss)}`])),
  ].join('\n'));
}

// 5. SELU and SERLU beside the sigmoid.
function batchNormSelu(): string {
  const fns = (['sigmoid', 'selu', 'serlu'] as const).map(n => bindActivation(n).f);
  return svg('SELU and SERLU beside the sigmoid', [
    frame(ticks(-4, 3, M.left, W - M.right, [-4, -2, 0, 2]), ticks(-2, 3, H - M.bottom, M.top, [-2, -1, 0, 1, 2, 3]), 'z', 'f(z)'),
    curves(fns, -4, 3, -2, 3, ['s0', 's1', 's2']),
    legend([['k0', 'sigmoid'], ['k1', 'SELU'], ['k2', 'SERLU']]),
  ].join('\n'));
}

// 6. Step-0 gradients: the deep sigmoid stack against the residual tanh stack.
function skip(): string {
  const [plain] = cliRun('deep-sigmoid.nn.json', 0);
  const [residual] = cliRun('residual.nn.json', 0);
  return gradientBars('Gradient norm per layer, without and with skip connections', [
    { label: 'plain sigmoid stack', grads: plain.layers.map(l => l.gradNorm) },
    { label: 'residual tanh stack', grads: residual.layers.map(l => l.gradNorm) },
  ]);
}

fs.mkdirSync(outDir, { recursive: true });
const pictures: Record<string, () => string> = {
  'uat.svg': universalApproximation, 'sigmoid-slope.svg': sigmoidSlope, 'vanishing.svg': vanishing,
  'relu-he.svg': reluHe, 'batchnorm-selu.svg': batchNormSelu, 'skip.svg': skip,
};
for (const [file, draw] of Object.entries(pictures)) {
  fs.writeFileSync(path.join(outDir, file), draw());
  console.log(`media/walkthrough/${file}`);
}
