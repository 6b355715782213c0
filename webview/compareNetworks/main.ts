// The Compare Networks page. Compare view: one colour per network, overlaid — gradient norm by layer (log),
// saturation by layer, train (solid) and validation (dashed) loss, the approximated functions — and a table of the
// final numbers, exportable as JSON or PNG. Landscape view: the loss around θ as a heatmap with contour lines and the
// minimum marked, filled in row by row as rows stream from the worker, one colour scale across side-by-side
// landscapes, the 1-D slice along δ, a log-loss toggle and Cancel.
import {
  CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { FunctionView } from '../../src/core/types';
import type {
  FromNetworksWebview, LandscapeRequest, LandscapeView, NetworkFrame, NetworkSummary, ToNetworksWebview,
} from '../../src/protocol';
import type { NetworksStrings } from '../../src/compareNetworks/networksStrings';
import { readPageStrings, translator } from '../shared/strings';
import { finiteExtent } from '../shared/format';
import { niceTicks, ticksAt, viridis } from '../shared/heatmap';
import { HeatmapChart, type ColorBar } from '../shared/heatmapChart';
import { logTickLabel, shortTick } from '../shared/logTicks';
import { readPalette, withAlpha, type Palette } from '../shared/theme';
import { contourLevels, contourSegments } from '../../src/core/analysis/contours';

const t = translator(readPageStrings<NetworksStrings>());

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Legend, Tooltip);

interface VsCodeApi {
  postMessage(message: FromNetworksWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();

type XY = { x: number; y: number };
type LineChart = Chart<'line', XY[]>;

const app = document.getElementById('app') as HTMLElement;
let palette: Palette = readPalette();

// ---- state ----
let mode: 'compare' | 'landscape' = 'compare';
let title = '';
let networks: NetworkSummary[] = [];
let dataLabel = '';
let history: NetworkFrame[][] = [];
let functions: { views: FunctionView[]; data: { x: number[]; y: number[]; d: number } } | undefined;
let status = '';
let running = false;
let landscapes: LandscapeView[] = [];
let landscapeRunning = false;
let logLoss = true;
const request: LandscapeRequest = { grid: 41, range: 1, seed: 0, steps: 300, maxRows: 1000, skipOnOff: false };

const charts = new Map<string, LineChart>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function color(i: number): string {
  return palette.series[i % palette.series.length];
}

function fmt(v: number | undefined, digits = 4): string {
  if (v === undefined || !Number.isFinite(v)) return v === undefined ? '—' : String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : Number(v.toPrecision(digits)).toString();
}

// ---- layout ----
function render(): void {
  for (const c of charts.values()) c.destroy();
  charts.clear();
  for (const h of heatmaps.values()) h.destroy();
  heatmaps.clear();
  app.replaceChildren();
  app.setAttribute('aria-busy', 'false');
  const header = el('header', { class: 'head' });
  header.append(el('h1', {}, mode === 'compare' ? (title ? t('titleCompare', title) : t('title')) : (title ? t('titleLandscapeOf', title) : t('titleLandscape'))));
  const statusLine = el('p', { id: 'status', class: 'status', role: 'status' }, status);
  header.append(statusLine);
  app.append(header);
  if (mode === 'compare') renderCompare();
  else renderLandscape();
}

function button(label: string, id: string, onClick: () => void, disabled = false): HTMLButtonElement {
  const b = el('button', { id, type: 'button' }, label);
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

function chartBox(id: string, caption: string): { figure: HTMLElement; canvas: HTMLCanvasElement } {
  const figure = el('figure', { id: `fig-${id}` });
  figure.append(el('figcaption', {}, caption));
  const box = el('div', { class: 'chart-box' });
  const canvas = el('canvas', { id: `chart-${id}`, role: 'img', 'aria-label': caption });
  box.append(canvas);
  figure.append(box);
  return { figure, canvas };
}

/** Log axes label only 1, 2, 5 × 10^k (chart.js labels every minor tick otherwise); linear axes as chart.js does. */
function logTick(this: { type?: string }, value: number | string): string {
  const v = Number(value);
  if (this.type === 'logarithmic') {
    const mantissa = v / 10 ** Math.floor(Math.log10(v));
    // Written as the other log axes write them: 0.01, 1e-3, 1e-4 (not "1.00e-4").
    return [1, 2, 5].some(m => Math.abs(mantissa - m) < 1e-6) ? shortTick(v) : '';
  }
  return fmt(v, 4);
}

function lineChart(canvas: HTMLCanvasElement, xTitle: string, yTitle: string, yLog: boolean, xLinear = true): LineChart {
  const axisColor = { color: palette.muted, font: { family: palette.fontFamily } };
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: {
          type: xLinear ? 'linear' : 'category', title: { display: true, text: xTitle, color: palette.foreground }, ticks: { ...axisColor, precision: 0 }, grid: { color: palette.grid },
          // Steps are whole and never negative: one snapshot (step 0) spans [0, 1], not chart.js's ±1 ("-1 -0.5 0 0.5 1").
          ...(xTitle === t('axisStep') ? { afterDataLimits: (scale: { min: number; max: number }) => { if (!(scale.max > scale.min)) scale.max = scale.min + 1; if (scale.min < 0) scale.min = 0; } } : {}),
        } as never,
        y: { type: yLog ? 'logarithmic' : 'linear', title: { display: true, text: yTitle, color: palette.foreground }, ticks: { ...axisColor, callback: logTick }, grid: { color: palette.grid } },
      },
      plugins: { legend: { labels: { color: palette.foreground, boxWidth: 12 } } },
    },
    // The y axis's labels as laid out, on the canvas (tests read them; so can anyone inspecting the page).
    plugins: [{ id: 'recordTicks', afterLayout: c => {
      c.canvas.dataset.xTicks = JSON.stringify(c.scales.x?.ticks.map(t => String(t.label ?? '')) ?? []);
      c.canvas.dataset.yTicks = JSON.stringify(c.scales.y?.ticks.map(t => String(t.label ?? '')) ?? []);
    } }],
  });
}

function renderCompare(): void {
  const controls = el('div', { class: 'controls' });
  controls.append(
    button(t('stop'), 'stop', () => vscode.postMessage({ type: 'netsStop' }), !running),
    button(t('trainAgain'), 'restart', () => vscode.postMessage({ type: 'netsRestart' }), running || networks.length === 0),
    button(t('exportJson'), 'export-json', exportJson, networks.length === 0),
    button(t('exportPng'), 'export-png', exportPng, networks.length === 0),
  );
  app.append(controls);
  if (dataLabel) app.append(el('p', { class: 'lede' }, t('dataLede', dataLabel)));
  const grid = el('div', { class: 'charts' });
  const specs: [string, string, string, string, boolean][] = [
    ['grad', t('gradCaption'), t('axisLayer'), '‖∂L/∂W‖', true],
    ['sat', t('satCaption'), t('axisLayer'), t('axisSaturatedShare'), false],
    ['loss', t('lossCaption'), t('axisStep'), t('axisLoss'), true],
  ];
  for (const [id, caption, xTitle, yTitle, log] of specs) {
    const { figure, canvas } = chartBox(id, caption);
    grid.append(figure);
    charts.set(id, lineChart(canvas, xTitle, yTitle, log));
  }
  const fn = el('figure', { id: 'fig-function' });
  fn.append(el('figcaption', {}, t('functionCaption')));
  const fnBody = el('div', { id: 'function-body', class: 'function-body' });
  fn.append(fnBody);
  grid.append(fn);
  app.append(grid);
  const table = el('div', { class: 'table-wrap' });
  table.append(el('table', { id: 'final' }));
  app.append(table);
  updateCompare();
}

function latest(i: number): NetworkFrame | undefined {
  const h = history[i];
  return h && h.length ? h[h.length - 1] : undefined;
}

function updateCompare(): void {
  const grad = charts.get('grad');
  const sat = charts.get('sat');
  const loss = charts.get('loss');
  if (!grad || !sat || !loss) return;
  const layerSeries = (pick: (f: NetworkFrame) => number[], positive: boolean): ChartDataset<'line', XY[]>[] => networks.map((n, i) => {
    const f = latest(i);
    const values = f ? pick(f) : [];
    return {
      label: n.label, borderColor: color(i), backgroundColor: color(i), pointRadius: 2, borderWidth: 2,
      data: values.map((v, k) => ({ x: k + 1, y: positive ? Math.max(v, 1e-12) : v })),
    };
  });
  grad.data.datasets = layerSeries(f => f.gradNorm, true);
  // Each layer's share with (nearly) zero slope: saturated for smooth activations, inactive for the ReLU family (a
  // layer has one or the other), so a deep ReLU net's ~50 % zero side shows — and is not called saturation.
  sat.data.datasets = layerSeries(f => f.saturation.map((v, k) => v + (f.inactive[k] ?? 0)), false);
  const lossSets: ChartDataset<'line', XY[]>[] = [];
  networks.forEach((n, i) => {
    const h = history[i] ?? [];
    lossSets.push({ label: t('seriesTrain', n.label), borderColor: color(i), backgroundColor: color(i), pointRadius: 0, borderWidth: 2, data: h.filter(f => f.loss > 0 && Number.isFinite(f.loss)).map(f => ({ x: f.step, y: f.loss })) });
    if (h.some(f => f.valLoss !== undefined)) {
      lossSets.push({ label: t('seriesValidation', n.label), borderColor: color(i), backgroundColor: color(i), borderDash: [6, 4], pointRadius: 0, borderWidth: 2, data: h.filter(f => f.valLoss !== undefined && f.valLoss > 0 && Number.isFinite(f.valLoss)).map(f => ({ x: f.step, y: f.valLoss! })) });
    }
  });
  loss.data.datasets = lossSets;
  for (const c of [grad, sat, loss]) c.update('none');
  // Series counts on the figures, for tests and for anyone inspecting the page.
  for (const [id, c] of [['grad', grad], ['sat', sat], ['loss', loss]] as const) {
    const fig = document.getElementById(`fig-${id}`);
    if (fig) fig.dataset.series = String(c.data.datasets.length);
    if (fig && id !== 'loss') fig.dataset.values = JSON.stringify(c.data.datasets.map(d => d.data.map(p => p.y)));
  }
  renderFunctions();
  renderTable();
}

function renderFunctions(): void {
  const body = document.getElementById('function-body');
  if (!body || !functions) return;
  const { views, data } = functions;
  const first = views[0];
  if (first?.kind === 'curve') {
    let canvas = body.querySelector('canvas#chart-function') as HTMLCanvasElement | null;
    let chart = charts.get('function');
    if (!canvas || !chart) {
      destroyFunctionCharts();
      body.replaceChildren();
      const box = el('div', { class: 'chart-box' });
      canvas = el('canvas', { id: 'chart-function', role: 'img', 'aria-label': t('functionAria') });
      box.append(canvas);
      body.append(box);
      chart = lineChart(canvas, t('axisInput'), t('axisOutput'), false);
      charts.set('function', chart);
    }
    const sets: ChartDataset<'line', XY[]>[] = [{
      label: t('seriesData'), showLine: false, pointRadius: 1.5, borderColor: withAlpha(palette.muted, 0.6), backgroundColor: withAlpha(palette.muted, 0.6),
      data: data.y.map((y, k) => ({ x: data.x[k], y })),
    }];
    views.forEach((v, i) => {
      if (v.kind !== 'curve') return;
      sets.push({ label: networks[i]?.label ?? t('seriesNetwork', i + 1), borderColor: color(i), backgroundColor: color(i), pointRadius: 0, borderWidth: 2, data: v.xs.map((x, k) => ({ x, y: v.ys[0][k] })) });
    });
    chart.data.datasets = sets;
    chart.update('none');
    document.getElementById('fig-function')?.setAttribute('data-series', String(sets.length));
    return;
  }
  // Two inputs: one small map per network (probability of class 1 or the value), framed in the network's colour,
  // on chart.js scales like every other chart (round ticks inside the map, the data points on top with tooltips).
  const current = body.querySelector('.maps');
  if (current === null || mapCharts.length !== views.length) {
    destroyFunctionCharts();
    body.replaceChildren();
    const row = el('div', { class: 'maps' });
    body.append(row); // in the page before the charts are made, so chart.js sizes them to their box
    views.forEach((_, i) => {
      const cell = el('div', { class: 'map' });
      const box = el('div', { class: 'map-box' });
      const canvas = el('canvas', { class: 'map-canvas', role: 'img', 'aria-label': t('functionOfAria', networks[i]?.label ?? '') });
      box.style.borderColor = color(i);
      box.append(canvas);
      cell.append(box, el('div', { class: 'map-label' }, networks[i]?.label ?? ''));
      row.append(cell);
      mapCharts.push(new HeatmapChart(canvas, palette));
    });
  }
  views.forEach((v, i) => {
    const chart = mapCharts[i];
    drawFunctionMap(chart, v, data);
    // What chart.js labelled and how many points it draws: the webview tests read it.
    const labels = (id: string) => chart.chart.scales[id]?.ticks.map(tick => String(tick.label ?? '')) ?? [];
    const canvas = chart.chart.canvas;
    canvas.dataset.ticks = JSON.stringify({ x: labels('x'), y: labels('y') });
    canvas.dataset.points = String(chart.chart.data.datasets.reduce((n, d) => n + d.data.length, 0));
  });
}

/** The small maps' charts, one per network, kept between updates (a new frame repaints them in place). */
let mapCharts: HeatmapChart[] = [];

function destroyFunctionCharts(): void {
  for (const chart of mapCharts) chart.destroy();
  mapCharts = [];
  charts.get('function')?.destroy();
  charts.delete('function');
}

function drawFunctionMap(chart: HeatmapChart, v: FunctionView, data: { x: number[]; y: number[]; d: number }): void {
  const axisTitle = (text: string) => ({ display: true, text, color: palette.foreground });
  const points = { pointRadius: 1.5, pointHoverRadius: 3, backgroundColor: withAlpha(palette.foreground, 0.6), borderWidth: 0 };
  if (v.kind === 'grid') {
    const [lo, hi] = finiteExtent(v.values) ?? [0, 1];
    const cells = {
      columns: v.size, rows: v.size,
      extent: { x0: v.xRange[0], x1: v.xRange[1], y0: v.yRange[0], y1: v.yRange[1] },
      colorAt: (c: number, r: number): [number, number, number, number] => {
        const [R, G, B] = viridis(hi > lo ? (v.values[r * v.size + c] - lo) / (hi - lo) : 0.5);
        return [R, G, B, 255];
      },
    };
    const shown: XY[] = [];
    if (data.d === 2) for (let k = 0; k < data.y.length; k++) shown.push({ x: data.x[2 * k], y: data.x[2 * k + 1] });
    chart.update(cells, {
      x: { type: 'linear', min: v.xRange[0], max: v.xRange[1], title: axisTitle('x₁'), afterBuildTicks: ticksAt(v.xRange[0], v.xRange[1]) },
      y: { type: 'linear', min: v.yRange[0], max: v.yRange[1], title: axisTitle('x₂'), afterBuildTicks: ticksAt(v.yRange[0], v.yRange[1]) },
    }, undefined, palette, [{ label: t('seriesData'), data: shown, ...points }]);
  } else if (v.kind === 'scatter') {
    const [lo, hi] = finiteExtent([...v.predicted, ...v.actual]) ?? [0, 1];
    const pad = (hi - lo) * 0.05 || 0.5;
    chart.update(undefined, {
      x: { type: 'linear', min: lo - pad, max: hi + pad, title: axisTitle(t('axisActual', 'y')), afterBuildTicks: ticksAt(lo - pad, hi + pad) },
      y: { type: 'linear', min: lo - pad, max: hi + pad, title: axisTitle(t('axisPredicted', 'y')), afterBuildTicks: ticksAt(lo - pad, hi + pad) },
    }, undefined, palette, [{ label: t('seriesData'), data: v.predicted.map((p, k) => ({ x: v.actual[k], y: p })), ...points }]);
  }
}

/** Geometric mean of the defined, positive entries (what a layer passes on multiplies, so the mean is geometric). */
function geometricMean(values: (number | null)[] | undefined): number | undefined {
  const usable = (values ?? []).filter((v): v is number => v !== null && v > 0 && Number.isFinite(v));
  if (usable.length === 0) return undefined;
  return Math.exp(usable.reduce((s, v) => s + Math.log(v), 0) / usable.length);
}

function renderTable(): void {
  const table = document.getElementById('final');
  if (!table) return;
  table.replaceChildren();
  const classification = networks.some(n => n.task !== 'regression');
  const head = el('tr');
  const headers: [string, string?][] = [
    [t('colNetwork')], [t('colParameters')], [t('colLayers')], [t('colStep')], [t('colTrainLoss')], [t('colValLoss')],
    ...(classification ? [[t('colTrainAcc')], [t('colValAcc')]] as [string][] : []),
    [t('colGradRatio')], [t('colSignalRatio'), t('colSignalRatioTitle')], [t('colActivationPart'), t('colActivationPartTitle')],
    [t('colWeightPart'), t('colWeightPartTitle')], [t('colSaturated'), t('colSaturatedTitle')], [t('colInactive'), t('colInactiveTitle')],
    [t('colDead')],
  ];
  for (const [h, tip] of headers) head.append(el('th', tip ? { scope: 'col', title: tip } : { scope: 'col' }, h));
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  networks.forEach((n, i) => {
    const f = latest(i);
    const tr = el('tr');
    const name = el('th', { scope: 'row' });
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = color(i);
    name.append(swatch, document.createTextNode(n.label));
    tr.append(name);
    const ratio = f && f.gradNorm.length ? f.gradNorm[0] / f.gradNorm[f.gradNorm.length - 1] : undefined;
    const signalRatio = f && f.deltaNorm.length > 1 ? f.deltaNorm[0] / f.deltaNorm[f.deltaNorm.length - 1] : undefined;
    const mean = (a: number[] | undefined) => (a && a.length ? a.reduce((s, x) => s + x, 0) / a.length : undefined);
    const cells = [
      String(n.parameters), String(n.layers), f ? String(f.step) : '—', fmt(f?.loss), fmt(f?.valLoss),
      ...(classification ? [f?.accuracy !== undefined ? `${(f.accuracy * 100).toFixed(1)} %` : '—', f?.valAccuracy !== undefined ? `${(f.valAccuracy * 100).toFixed(1)} %` : '—'] : []),
      fmt(ratio, 3), fmt(signalRatio, 3), fmt(geometricMean(f?.activationFactor), 2), fmt(geometricMean(f?.weightFactor), 2),
      f ? `${((mean(f.saturation) ?? 0) * 100).toFixed(1)} %` : '—', f ? `${((mean(f.inactive) ?? 0) * 100).toFixed(1)} %` : '—',
      f ? `${((mean(f.dead) ?? 0) * 100).toFixed(1)} %` : '—',
    ];
    for (const c of cells) tr.append(el('td', {}, c));
    tbody.append(tr);
  });
  table.append(thead, tbody);
}

function exportJson(): void {
  const payload = { title, data: dataLabel, networks: networks.map((n, i) => ({ ...n, final: latest(i), history: history[i] ?? [] })), functions };
  vscode.postMessage({ type: 'netsExport', format: 'json', name: `compare-networks`, content: JSON.stringify(payload, null, 1) });
}

/** Every chart canvas of the page, stacked, on the editor background. */
function exportPng(): void {
  const canvases = [...app.querySelectorAll('canvas')] as HTMLCanvasElement[];
  if (!canvases.length) return;
  const width = Math.max(...canvases.map(c => c.width));
  const height = canvases.reduce((s, c) => s + c.height + 8, 0);
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, width, height);
  let y = 0;
  for (const c of canvases) { ctx.drawImage(c, 0, y); y += c.height + 8; }
  vscode.postMessage({ type: 'netsExport', format: 'png', name: mode === 'compare' ? 'compare-networks' : 'loss-landscape', content: out.toDataURL('image/png') });
}

// ---- landscape ----
function numberField(label: string, id: string, value: number, min: number, max: number, step: number, set: (v: number) => void): HTMLElement {
  const wrap = el('label', { class: 'field' }, `${label} `);
  const input = el('input', { id, type: 'number', min: String(min), max: String(max), step: String(step), value: String(value) });
  input.addEventListener('change', () => { const v = Number(input.value); if (Number.isFinite(v)) set(v); });
  wrap.append(input);
  return wrap;
}

function renderLandscape(): void {
  const controls = el('div', { class: 'controls' });
  const skip = el('label', { class: 'field' });
  const skipBox = el('input', { id: 'skip', type: 'checkbox' });
  skipBox.checked = request.skipOnOff;
  skipBox.addEventListener('change', () => { request.skipOnOff = skipBox.checked; });
  skip.append(skipBox, document.createTextNode(` ${t('skipOnOff')}`));
  const log = el('label', { class: 'field' });
  const logBox = el('input', { id: 'log-loss', type: 'checkbox' });
  logBox.checked = logLoss;
  logBox.addEventListener('change', () => { logLoss = logBox.checked; drawLandscapes(); });
  log.append(logBox, document.createTextNode(` ${t('logLoss')}`));
  controls.append(
    numberField(t('fieldGrid'), 'grid', request.grid, 5, 101, 2, v => { request.grid = v; }),
    numberField(t('fieldRange'), 'range', request.range, 0.01, 100, 0.1, v => { request.range = v; }),
    numberField(t('fieldSeed'), 'seed', request.seed, -1e9, 1e9, 1, v => { request.seed = v; }),
    numberField(t('fieldSteps'), 'steps', request.steps, 0, 100000, 50, v => { request.steps = v; }),
    skip,
    button(t('compute'), 'compute', () => vscode.postMessage({ type: 'landscapeRun', request: { ...request } }), landscapeRunning),
    button(t('cancel'), 'cancel', () => vscode.postMessage({ type: 'landscapeCancel' }), !landscapeRunning),
    log,
    button(t('exportJson'), 'export-json', () => vscode.postMessage({ type: 'netsExport', format: 'json', name: 'loss-landscape', content: JSON.stringify(landscapes) }), landscapes.length === 0),
    button(t('exportPng'), 'export-png', exportPng, landscapes.length === 0),
  );
  app.append(controls);
  app.append(el('p', { class: 'lede' }, t('landscapeLede')));
  const maps = el('div', { class: 'landscapes' });
  landscapes.forEach(v => {
    const fig = el('figure', { class: 'landscape', id: `landscape-${v.id}` });
    fig.append(el('figcaption', {}, v.title));
    const box = el('div', { class: 'heat-box' });
    box.append(el('canvas', { id: `heat-${v.id}`, role: 'img', 'aria-label': t('landscapeAria', v.title) }));
    fig.append(box);
    fig.append(el('p', { class: 'figure-note', id: `note-${v.id}` }));
    fig.append(el('p', { class: 'hover-readout', id: `hover-${v.id}`, 'aria-live': 'polite' }));
    maps.append(fig);
  });
  app.append(maps);
  const { figure, canvas } = chartBox('slice', t('sliceCaption'));
  figure.classList.add('slice');
  app.append(figure);
  charts.set('slice', lineChart(canvas, 'α', t('axisLoss'), logLoss));
  drawLandscapes();
}

function landscapeScale(): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of landscapes) for (const row of v.rows) for (const x of row) if (Number.isFinite(x)) { if (x < lo) lo = x; if (x > hi) hi = x; }
  return { lo, hi };
}

/** The cell under the pointer, read through the chart's scales: α, β and its loss, under the map. */
function hoverLandscape(v: LandscapeView, value: { x: number; y: number } | undefined): void {
  const readout = document.getElementById(`hover-${v.id}`);
  if (!readout) return;
  const n = v.axis.length;
  const step = n > 1 ? v.axis[1] - v.axis[0] : 1;
  const i = value === undefined ? -1 : Math.round((value.x + v.range) / step);
  const j = value === undefined ? -1 : Math.round((value.y + v.range) / step);
  const loss = v.rows[j]?.[i];
  readout.textContent = i >= 0 && i < n && loss !== undefined ? t('hoverReadout', fmt(v.axis[i], 3), fmt(v.axis[j], 3), fmt(loss)) : '';
}

/** α, β tick labels as the other charts write numbers: "-1", "0.5", not "-1.0". */
const axisTick = (value: string | number): string => shortTick(Number(value));

/** Ticks at round values inside ±range (chart.js would put its first and last at the cells' outer edges, ±1.03). */

/** One heatmap chart per landscape view, on chart.js scales (axes, ticks, colour bar, the θ / minimum tooltips). */
const heatmaps = new Map<LandscapeView['id'], HeatmapChart>();

function drawLandscapes(): void {
  const { lo, hi } = landscapeScale();
  // Log loss reads on a log colour bar (1, 0.1, 1e-2 …) when every loss is positive; otherwise a linear one.
  const logBar = logLoss && lo > 0;
  const f = (x: number) => (logBar ? Math.log10(x) : x);
  const flo = f(lo);
  const fhi = f(hi);
  // A flat landscape (one value everywhere) still gets a readable bar: half a decade (or ±½) either side.
  const [barLow, barHigh] = fhi - flo > 1e-12 * Math.max(1, Math.abs(fhi)) ? [flo, fhi] : [flo - 0.5, fhi + 0.5];
  for (const v of landscapes) {
    const canvas = document.getElementById(`heat-${v.id}`) as HTMLCanvasElement | null;
    if (!canvas) continue;
    let heatmap = heatmaps.get(v.id);
    if (heatmap === undefined || heatmap.chart.canvas !== canvas) {
      heatmap?.destroy();
      heatmap = new HeatmapChart(canvas, palette, { legend: true, onHover: value => hoverLandscape(v, value) });
      heatmaps.set(v.id, heatmap);
    }
    const n = v.axis.length;
    const done = v.rows.length;
    const step = n > 1 ? v.axis[1] - v.axis[0] : 1;
    const edge = v.range + step / 2;
    // The minimum so far (✕) and θ (○).
    let best = { i: -1, j: -1, loss: Infinity };
    v.rows.forEach((row, j) => row.forEach((x, i) => { if (x < best.loss) best = { i, j, loss: x }; }));
    const levels = Number.isFinite(lo) && hi > lo ? contourLevels(lo, hi, 10, logLoss) : [];
    const contourColor = withAlpha(palette.background, 0.8);
    const colorBar: ColorBar | undefined = Number.isFinite(flo) && Number.isFinite(fhi)
      ? (logBar
        ? { type: 'logarithmic', min: 10 ** barLow, max: 10 ** barHigh, title: t('axisLoss'), colorAt: viridis, tickLabel: logTickLabel }
        : { type: 'linear', min: barLow, max: barHigh, title: t('axisLoss'), colorAt: viridis, tickValues: niceTicks(barLow, barHigh), tickLabel: value => shortTick(value) })
      : undefined;
    canvas.dataset.colorBar = colorBar?.type ?? 'none';
    heatmap.update(
      {
        columns: n,
        rows: done,
        extent: { x0: -edge, x1: edge, y0: -edge, y1: -edge + done * step },
        colorAt: (c, r) => {
          const x = v.rows[r]?.[c];
          if (x === undefined || !Number.isFinite(x) || (logBar && !(x > 0))) return [0, 0, 0, 0];
          const [R, G, B] = viridis((f(x) - barLow) / (barHigh - barLow));
          return [R, G, B, 255];
        },
      },
      {
        x: { type: 'linear', min: -edge, max: edge, title: { display: true, text: t('axisAlpha'), color: palette.foreground }, ticks: { callback: axisTick }, afterBuildTicks: ticksAt(-v.range, v.range) },
        y: { type: 'linear', min: -edge, max: edge, title: { display: true, text: t('axisBeta'), color: palette.foreground }, ticks: { callback: axisTick }, afterBuildTicks: ticksAt(-v.range, v.range) },
      },
      colorBar,
      palette,
      [
        { label: t('seriesTheta'), data: [{ x: 0, y: 0 }], pointRadius: 6, pointBorderWidth: 2, borderColor: palette.foreground, backgroundColor: 'rgba(0, 0, 0, 0)' },
        ...(best.i >= 0 ? [{ label: t('seriesLowest'), data: [{ x: v.axis[best.i], y: v.axis[best.j] }], pointStyle: 'crossRot' as const, pointRadius: 7, pointBorderWidth: 2.5, borderColor: palette.bad, backgroundColor: palette.bad }] : []),
      ],
      // Contours over the rows computed so far, at levels of the shared scale: grid index → α, β through the scales.
      (ctx, toPixel) => {
        ctx.strokeStyle = contourColor;
        ctx.lineWidth = 1;
        const at = (gx: number, gy: number) => toPixel(-v.range + gx * step, -v.range + gy * step);
        for (const level of levels) {
          ctx.beginPath();
          for (const [x0, y0, x1, y1] of contourSegments(v.rows, level)) {
            const [a, b] = at(x0, y0);
            const [c2, d] = at(x1, y1);
            ctx.moveTo(a, b);
            ctx.lineTo(c2, d);
          }
          ctx.stroke();
        }
      },
    );
    // What chart.js labelled (axes and colour bar) and where the plot sits: the webview tests read it.
    const scaleLabels = (id: string) => heatmap!.chart.scales[id]?.ticks.map(tick => String(tick.label ?? '')) ?? [];
    const area = heatmap.chart.chartArea;
    canvas.dataset.ticks = JSON.stringify({ x: scaleLabels('x'), y: scaleLabels('y'), c: scaleLabels('c') });
    canvas.dataset.area = JSON.stringify({ left: area.left, top: area.top, right: area.right, bottom: area.bottom });
    const note = document.getElementById(`note-${v.id}`);
    if (note) {
      const lowest = best.i >= 0 ? t('noteLowest', fmt(best.loss), fmt(v.axis[best.i], 3), fmt(v.axis[best.j], 3)) : '—';
      note.textContent = t('note', fmt(v.lossAtTheta), lowest, done, n, v.rowsUsed, v.seed)
        + (v.roughness !== undefined ? t('noteRoughness', fmt(v.roughness, 3)) : '');
    }
  }
  const slice = charts.get('slice');
  if (slice) {
    (slice.options.scales!.y as { type: string }).type = logLoss ? 'logarithmic' : 'linear';
    slice.data.datasets = landscapes.filter(v => v.slice).map((v, i) => ({
      label: v.title, borderColor: color(i), backgroundColor: color(i), pointRadius: 0, borderWidth: 2,
      data: v.slice!.axis.map((x, k) => ({ x, y: v.slice!.losses[k] })),
    }));
    slice.update('none');
  }
}

function setStatus(text: string): void {
  status = text;
  const s = document.getElementById('status');
  if (s) s.textContent = text;
}

let redrawPending = false;
function scheduleLandscapeDraw(): void {
  if (redrawPending) return;
  redrawPending = true;
  requestAnimationFrame(() => { redrawPending = false; drawLandscapes(); });
}

window.addEventListener('message', (event: MessageEvent<ToNetworksWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'netsMode':
      mode = m.mode;
      title = m.title;
      // Kept by VS Code across a window reload: the host's serializer runs the same job again from it.
      if (m.restore !== undefined) vscode.setState({ restore: m.restore });
      if (mode === 'compare') { networks = []; history = []; functions = undefined; running = true; setStatus(t('statusLoading')); }
      else { landscapes = []; landscapeRunning = true; setStatus(t('statusLandscapeStart')); }
      render();
      return;
    case 'netsLoaded':
      networks = m.networks;
      dataLabel = m.dataLabel;
      history = networks.map(() => []);
      running = true;
      status = t('statusTraining', networks.length);
      render();
      return;
    case 'netsFrames':
      for (const f of m.frames) (history[f.index] ??= []).push(f);
      setStatus(t('statusTrainingStep', Math.max(...networks.map((_, i) => latest(i)?.step ?? 0))));
      updateCompare();
      return;
    case 'netsFunctions':
      functions = { views: m.views, data: m.data };
      renderFunctions();
      return;
    case 'netsDone':
      running = false;
      status = m.reason === 'stopped' ? t('statusStopped') : t('statusDone');
      render();
      return;
    case 'netsFailed':
    case 'landscapeFailed':
      running = false;
      landscapeRunning = false;
      status = t('statusError', m.message);
      render();
      return;
    case 'landscapeBegin':
      landscapes = m.views;
      if (m.views[0]) Object.assign(request, { grid: m.views[0].axis.length, range: m.views[0].range, seed: m.views[0].seed, skipOnOff: m.views.length > 1 });
      landscapeRunning = true;
      status = landscapes.length > 1 ? t('statusComputingMany', landscapes.length) : t('statusComputingOne');
      render();
      return;
    case 'landscapeRow': {
      const v = landscapes[m.view];
      if (!v) return;
      v.rows[m.index] = m.losses;
      const total = landscapes.reduce((s, x) => s + x.axis.length, 0);
      const done = landscapes.reduce((s, x) => s + x.rows.length, 0);
      setStatus(t('statusRow', done, total));
      scheduleLandscapeDraw();
      return;
    }
    case 'landscapeEnd':
      landscapes = m.views;
      landscapeRunning = false;
      status = m.cancelled ? t('statusCancelled', m.seconds.toFixed(1)) : t('statusDoneIn', m.seconds.toFixed(1));
      render();
      return;
    default: {
      const never: never = m;
      void never;
    }
  }
});

new MutationObserver(() => { palette = readPalette(); render(); }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
render();
vscode.postMessage({ type: 'netsReady' });
