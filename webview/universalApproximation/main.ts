// The Universal Approximation page: Nielsen's constructive proof you can touch. One input: the data, the network's
// curve and each hidden pair drawn as its bump, with handles to drag (or move with the arrow keys) a step's
// position and a bump's height; "Build N bumps" and the error against N; gradient descent (in the host's worker)
// from the hand-built weights or from random, both curves kept. Two inputs: N×N towers as a heatmap with the error.
// The network is built and edited here with the pure functions of src/core/analysis/uat.ts; state lives in getState/setState.
import { Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Tooltip } from 'chart.js';
import {
  addBump, buildBumps, buildTowers, removeBump, bumpCount, bumpValue, dataRange, errorCurve, evaluate, evaluateTowers, knownFunctionFor, meanSquaredError,
  setSteepness, steepnessFor, stepPosition, towerError, type HeightSource, type OneHiddenLayerNetwork, type TowerNetwork,
} from '../../src/core/analysis/uat';
import { DEFAULT_UAT_STATE, sanitizeUatState, UAT_MAX_BUMPS, UAT_MAX_TOWERS } from '../../src/universalApproximation/uatState';
import type { FromUatWebview, ToUatWebview, UatData, UatSource, UatState, UatTrainStart } from '../../src/protocol';
import type { UatStrings } from '../../src/universalApproximation/uatStrings';
import { readPageStrings, translator } from '../shared/strings';
import { applyDrag, applyKey, formatValue, handleLabel, handlePosition, handlesOf, hitTest, toPixelX, toPixelY, type Handle, type Plot } from './handles';
import { rgbOf, themeVar } from '../shared/theme';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

interface VsCodeApi {
  postMessage(message: FromUatWebview): void;
  getState(): unknown;
  setState(state: UatState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: UatState = sanitizeUatState(vscode.getState()) ?? { ...DEFAULT_UAT_STATE, trained: {} };
let data: UatData | undefined;
/** Which theme colours draw what on this page. */
interface UatTheme {
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  focus: string;
  fontFamily: string;
  curve: string;
  points: string;
  trainedHand: string;
  trainedRandom: string;
  low: string;
  high: string;
  series: string[];
}

function readUatTheme(): UatTheme {
  const series = ['--vscode-charts-purple', '--vscode-charts-green', '--vscode-charts-yellow', '--vscode-charts-red', '--vscode-terminal-ansiCyan', '--vscode-terminal-ansiMagenta']
    .map(n => themeVar(n)).filter(x => x !== '');
  return {
    foreground: themeVar('--vscode-foreground', '--vscode-editor-foreground') || 'CanvasText',
    muted: themeVar('--vscode-descriptionForeground', '--vscode-foreground') || 'GrayText',
    background: themeVar('--vscode-editor-background') || 'Canvas',
    grid: themeVar('--vscode-editorWidget-border', '--vscode-panel-border', '--vscode-widget-border') || 'GrayText',
    focus: themeVar('--vscode-focusBorder', '--vscode-charts-blue') || 'Highlight',
    fontFamily: themeVar('--vscode-font-family') || 'sans-serif',
    curve: themeVar('--vscode-charts-blue') || 'CanvasText',
    points: themeVar('--vscode-descriptionForeground', '--vscode-foreground') || 'GrayText',
    trainedHand: themeVar('--vscode-charts-orange', '--vscode-charts-red') || 'CanvasText',
    trainedRandom: themeVar('--vscode-charts-green', '--vscode-charts-purple') || 'GrayText',
    low: themeVar('--vscode-charts-blue') || 'blue',
    high: themeVar('--vscode-charts-orange', '--vscode-charts-red') || 'orange',
    series: series.length ? series : ['GrayText'],
  };
}

let theme: UatTheme = readUatTheme();
let network: OneHiddenLayerNetwork = state.network ?? { units: [], outputBias: 0 };
const running: Record<UatTrainStart, boolean> = { handBuilt: false, random: false };
const trainDetail: Partial<Record<UatTrainStart, string>> = {};
let dragging: Handle | undefined;
let focused: Handle | undefined;
/** The bump last touched by pointer or keyboard (focus moves to a button when it is clicked). */
let lastTouched: Handle | undefined;
let errorChart: Chart<'line', { x: number; y: number }[]> | undefined;
let errorByN: { n: number; mse: number }[] = [];
let towerNet: TowerNetwork | undefined;

const t = translator(readPageStrings<UatStrings>());
const TRAIN_LABEL: Record<UatTrainStart, string> = { handBuilt: t('labelHandBuilt'), random: t('labelRandom') };
const TRAIN_SEED = 1;

function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}

function element<T extends HTMLElement>(tag: string, props: Partial<T> = {}, children: (Node | string)[] = []): T {
  const node = document.createElement(tag) as T;
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

function byId<T extends HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

let saveQueued = false;
function save(): void {
  if (saveQueued) return;
  saveQueued = true;
  requestAnimationFrame(() => {
    saveQueued = false;
    vscode.setState({ ...state, network: data?.inputs === 1 ? network : state.network });
  });
}

function post(message: FromUatWebview): void {
  vscode.postMessage(message);
}

const sameSource = (a: UatSource | undefined, b: UatSource | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

// ---------------------------------------------------------------------------------------------------------------
// Messages

window.addEventListener('message', (event: MessageEvent<ToUatWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'uatLoading':
      showPlaceholder(t('loadingData', message.label));
      return;
    case 'uatError':
      showPlaceholder(message.message, true);
      return;
    case 'uatData': {
      const keep = sameSource(state.source, message.source);
      state = { ...state, source: message.source, trained: keep ? state.trained : {} };
      if (!keep) state.network = undefined;
      data = message.data;
      running.handBuilt = running.random = false;
      if (data.inputs === 1) {
        network = keep && state.network ? state.network : build(state.bumps);
        buildPage1D();
      } else {
        buildPage2D();
      }
      save();
      return;
    }
    case 'uatTrainFrame':
      state.trained = { ...state.trained, [message.start]: message.curve };
      drawMain();
      updateTrainStatus();
      save();
      return;
    case 'uatTrainState':
      running[message.start] = message.running;
      if (message.detail) trainDetail[message.start] = message.detail;
      else delete trainDetail[message.start];
      updateTrainStatus();
      return;
    default:
      assertNever(message);
  }
});

function showPlaceholder(text: string, isError = false): void {
  const app = byId('app');
  if (!app) return;
  app.replaceChildren(element('h1', { textContent: t('title') }), element('p', { className: isError ? 'error' : 'lede', textContent: text, role: isError ? 'alert' : 'status' }));
  if (isError) app.append(element<HTMLButtonElement>('button', { textContent: t('chooseData'), onclick: () => post({ type: 'uatChooseData' }) }));
  app.removeAttribute('aria-busy');
}

// ---------------------------------------------------------------------------------------------------------------
// One input: bumps

function heightSource(): HeightSource {
  const f = knownFunctionFor(data?.builtin);
  return f ? { kind: 'function', f } : { kind: 'data', xs: data?.x ?? [], ys: data?.y ?? [] };
}

function build(n: number): OneHiddenLayerNetwork {
  if (!data) return { units: [], outputBias: 0 };
  return buildBumps(heightSource(), n, { range: dataRange(data.x) });
}

function currentSteepness(): number {
  return network.units[0]?.w ?? steepnessFor((dataRange(data?.x ?? [0, 1])[1] - dataRange(data?.x ?? [0, 1])[0]) / state.bumps);
}

function header(app: HTMLElement): void {
  app.replaceChildren();
  app.removeAttribute('aria-busy');
  const top = element('div', { className: 'title-row' }, [
    element('h1', { textContent: t('title') }),
    element('span', { className: 'source', textContent: t('sourcePoints', data?.label ?? '', data?.y.length ?? 0) }),
    element<HTMLButtonElement>('button', { className: 'secondary', textContent: t('chooseData'), onclick: () => post({ type: 'uatChooseData' }) }),
  ]);
  app.append(top);
}

function buildPage1D(): void {
  const app = byId('app');
  if (!app || !data) return;
  header(app);
  app.append(element('p', {
    className: 'lede',
    textContent: t('lede1D'),
  }));

  const bumpsSlider = element<HTMLInputElement>('input', { type: 'range', id: 'bumps', min: '1', max: String(UAT_MAX_BUMPS), value: String(state.bumps) });
  bumpsSlider.setAttribute('aria-label', t('bumpsAria'));
  const bumpsOut = element<HTMLOutputElement>('output', { id: 'bumps-value', textContent: String(state.bumps) });
  bumpsSlider.addEventListener('input', () => {
    state.bumps = Number(bumpsSlider.value);
    bumpsOut.textContent = String(state.bumps);
    network = build(state.bumps);
    networkChanged(true);
  });
  const buildButton = element<HTMLButtonElement>('button', { id: 'build', textContent: t('buildBumps') });
  buildButton.addEventListener('click', () => { network = build(state.bumps); networkChanged(true); });

  const steep = element<HTMLInputElement>('input', { type: 'range', id: 'steepness', min: '0', max: '5', step: '0.01', value: String(Math.log10(Math.max(1, currentSteepness()))) });
  steep.setAttribute('aria-label', t('steepnessAria'));
  const steepOut = element<HTMLOutputElement>('output', { id: 'steepness-value', textContent: formatValue(currentSteepness()) });
  steep.addEventListener('input', () => {
    const w = 10 ** Number(steep.value);
    network = setSteepness(network, w);
    steepOut.textContent = formatValue(w);
    networkChanged(false);
  });

  // A new bump: a tenth of the x range wide in the middle, at the mean target; the last (or the focused) one goes.
  const addButton = element<HTMLButtonElement>('button', { className: 'secondary', id: 'add-bump', textContent: t('addBump') });
  addButton.addEventListener('click', () => {
    if (!data) return;
    const [a, b] = dataRange(data.x);
    const mean = data.y.reduce((sum, v) => sum + v, 0) / Math.max(1, data.y.length);
    network = addBump(network, a + 0.45 * (b - a), a + 0.55 * (b - a), mean, currentSteepness());
    networkChanged(true);
  });
  const removeButton = element<HTMLButtonElement>('button', { className: 'secondary', id: 'remove-bump', textContent: t('removeBump') });
  removeButton.title = t('removeBumpTitle');
  removeButton.addEventListener('click', () => {
    if (bumpCount(network) === 0) return;
    const chosen = lastTouched && lastTouched.bump < bumpCount(network) ? lastTouched.bump : bumpCount(network) - 1;
    network = removeBump(network, chosen);
    focused = lastTouched = undefined;
    networkChanged(true);
  });

  app.append(element('div', { className: 'controls' }, [
    element('span', { className: 'group' }, [element<HTMLLabelElement>('label', { htmlFor: 'bumps', textContent: t('bumpsLabel') }), bumpsSlider, bumpsOut, buildButton]),
    element('span', { className: 'group' }, [element<HTMLLabelElement>('label', { htmlFor: 'steepness', textContent: t('steepnessLabel') }), steep, steepOut]),
    element('span', { className: 'group' }, [addButton, removeButton]),
  ]));

  const canvas = element<HTMLCanvasElement>('canvas', { id: 'main-canvas' });
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', t('mainAria'));
  const handleLayer = element('div', { className: 'handles', id: 'handles' });
  const chartBox = element('div', { className: 'main-chart' }, [canvas, handleLayer]);
  const readout = element('div', { className: 'readout' }, [
    element('div', {}, [element('span', { className: 'label', textContent: `${t('errorMse')} ` }), element('output', { id: 'mse', className: 'mse' })]),
    element('div', { id: 'unit-count', className: 'muted' }),
    element('div', { id: 'weights', className: 'weights', ariaLive: 'polite' }),
  ]);

  const errorCanvas = element<HTMLCanvasElement>('canvas', { id: 'error-canvas' });
  errorCanvas.setAttribute('role', 'img');
  errorCanvas.setAttribute('aria-label', t('errorAria'));
  const side = element('div', { className: 'side' }, [
    readout,
    element('figure', {}, [element('figcaption', { textContent: t('errorCaption1D') }), element('div', { className: 'error-box' }, [errorCanvas])]),
  ]);
  app.append(element('div', { className: 'layout' }, [chartBox, side]));

  const lr = element<HTMLInputElement>('input', { type: 'number', id: 'lr', min: '0.0001', max: '10', step: '0.001', value: String(state.lr) });
  lr.addEventListener('change', () => {
    const v = Number(lr.value);
    if (v > 0 && v <= 10) { state.lr = v; save(); } else lr.value = String(state.lr);
  });
  const trainButton = (start: UatTrainStart, text: string) => {
    const b = element<HTMLButtonElement>('button', { id: `train-${start}`, textContent: text });
    b.addEventListener('click', () => {
      if (running[start]) post({ type: 'uatStopTraining', start });
      else post({ type: 'uatTrain', start, network, lr: state.lr, seed: TRAIN_SEED });
    });
    return b;
  };
  const clear = element<HTMLButtonElement>('button', { className: 'secondary', id: 'clear-trained', textContent: t('clearTrained') });
  clear.addEventListener('click', () => {
    for (const s of ['handBuilt', 'random'] as UatTrainStart[]) if (running[s]) post({ type: 'uatStopTraining', start: s });
    state.trained = {};
    drawMain();
    updateTrainStatus();
    save();
  });
  // Take what gradient descent found as the hand-built network: its handles show where the steps went.
  const adopt = element<HTMLButtonElement>('button', { className: 'secondary', id: 'adopt-trained', textContent: t('adoptTrained') });
  adopt.addEventListener('click', () => {
    const trained = state.trained.handBuilt ?? state.trained.random;
    if (!trained) return;
    network = { units: trained.network.units.map(u => ({ ...u })), outputBias: trained.network.outputBias };
    networkChanged(true);
  });
  app.append(
    element('h2', { textContent: t('training') }),
    element('p', { className: 'muted', textContent: t('trainingLede') }),
    element('div', { className: 'controls' }, [
      element<HTMLLabelElement>('label', { htmlFor: 'lr', textContent: t('learningRate') }), lr,
      trainButton('handBuilt', t('trainHandBuilt')), trainButton('random', t('trainRandom')), adopt, clear,
    ]),
    element('ul', { id: 'train-status', className: 'train-status', ariaLive: 'polite' }),
  );

  setupCanvasEvents(canvas);
  new ResizeObserver(() => drawMain()).observe(chartBox);
  makeErrorChart(errorCanvas);
  networkChanged(true);
  updateTrainStatus();
}

/** After any change to the hand-built network: redraw, recompute the error, refresh handles and state. */
function networkChanged(structural: boolean): void {
  state.network = network;
  if (structural) {
    rebuildHandles();
    const slider = byId<HTMLInputElement>('steepness');
    if (slider) slider.value = String(Math.log10(Math.max(1, currentSteepness())));
    const out = byId('steepness-value');
    if (out) out.textContent = formatValue(currentSteepness());
  }
  drawMain();
  updateReadout();
  updateErrorChart();
  save();
}

function plotFor(canvas: HTMLCanvasElement): Plot {
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const [x0, x1] = dataRange(data?.x ?? []);
  const [ylo, yhi] = dataRange(data?.y ?? []);
  const lo = Math.min(0, ylo);
  const hi = Math.max(0, yhi);
  const padX = (x1 - x0) * 0.04;
  const padY = (hi - lo) * 0.12 || 0.5;
  return { left: 52, top: 12, width: Math.max(10, width - 64), height: Math.max(10, height - 12 - 36), x0: x0 - padX, x1: x1 + padX, y0: lo - padY, y1: hi + padY };
}

function ticks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= step0) ?? step0;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function drawMain(): void {
  const canvas = byId<HTMLCanvasElement>('main-canvas');
  if (!canvas || !data || data.inputs !== 1) return;
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const plot = plotFor(canvas);
  ctx.font = `11px ${theme.fontFamily}`;

  // Axes and grid.
  ctx.strokeStyle = theme.grid;
  ctx.fillStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const tick of ticks(plot.x0, plot.x1, 8)) {
    const px = toPixelX(plot, tick);
    ctx.globalAlpha = 0.5;
    ctx.beginPath(); ctx.moveTo(px, plot.top); ctx.lineTo(px, plot.top + plot.height); ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.fillText(formatValue(tick), px, plot.top + plot.height + 4);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const tick of ticks(plot.y0, plot.y1, 6)) {
    const py = toPixelY(plot, tick);
    ctx.globalAlpha = tick === 0 ? 1 : 0.5;
    ctx.beginPath(); ctx.moveTo(plot.left, py); ctx.lineTo(plot.left + plot.width, py); ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.fillText(formatValue(tick), plot.left - 6, py);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(`${data.inputNames[0] ?? 'x'}`, plot.left + plot.width / 2, plot.top + plot.height + 18);

  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top, plot.width, plot.height);
  ctx.clip();
  const columns = Math.max(2, Math.round(plot.width));
  const xAt = (i: number) => plot.x0 + ((plot.x1 - plot.x0) * i) / (columns - 1);
  const zero = toPixelY(plot, 0);

  // Each bump: its pair's contribution, filled down to 0.
  const bumps = bumpCount(network);
  for (let k = 0; k < bumps; k++) {
    const color = theme.series[k % theme.series.length];
    ctx.beginPath();
    ctx.moveTo(plot.left, zero);
    for (let i = 0; i < columns; i++) ctx.lineTo(toPixelX(plot, xAt(i)), toPixelY(plot, bumpValue(network, k, xAt(i))));
    ctx.lineTo(plot.left + plot.width, zero);
    ctx.closePath();
    ctx.globalAlpha = bumps > 30 ? 0.1 : 0.16;
    ctx.fillStyle = color;
    ctx.fill();
    ctx.globalAlpha = bumps > 30 ? 0.3 : 0.55;
    ctx.strokeStyle = color;
    ctx.stroke();
  }
  ctx.globalAlpha = 1;

  // Data points.
  ctx.fillStyle = theme.points;
  ctx.globalAlpha = 0.55;
  const stride = Math.max(1, Math.floor(data.x.length / 3000));
  for (let i = 0; i < data.x.length; i += stride) {
    ctx.beginPath();
    ctx.arc(toPixelX(plot, data.x[i]), toPixelY(plot, data.y[i]), 1.8, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.globalAlpha = 1;

  const curve = (net: OneHiddenLayerNetwork, color: string, width: number, dash: number[]) => {
    ctx.beginPath();
    for (let i = 0; i < columns; i++) {
      const px = toPixelX(plot, xAt(i));
      const py = toPixelY(plot, evaluate(net, xAt(i)));
      if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    }
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.setLineDash(dash);
    ctx.stroke();
    ctx.setLineDash([]);
  };
  const trainedStyles: Record<UatTrainStart, { color: string; dash: number[] }> = {
    handBuilt: { color: theme.trainedHand, dash: [7, 4] },
    random: { color: theme.trainedRandom, dash: [2, 3] },
  };
  for (const start of ['random', 'handBuilt'] as UatTrainStart[]) {
    const trained = state.trained[start];
    if (trained) curve(trained.network, trainedStyles[start].color, 2, trainedStyles[start].dash);
  }
  curve(network, theme.curve, 2.5, []);
  ctx.restore();

  // Where gradient descent has put the steps: ticks just under the plot, in the trained curve's colour.
  for (const start of ['random', 'handBuilt'] as UatTrainStart[]) {
    const trained = state.trained[start];
    if (!trained) continue;
    ctx.strokeStyle = trainedStyles[start].color;
    ctx.lineWidth = 2;
    for (const u of trained.network.units) {
      const s = stepPosition(u);
      if (!(s >= plot.x0 && s <= plot.x1)) continue;
      const px = toPixelX(plot, s);
      ctx.beginPath();
      ctx.moveTo(px, plot.top + plot.height - (start === 'handBuilt' ? 34 : 30));
      ctx.lineTo(px, plot.top + plot.height - (start === 'handBuilt' ? 28 : 24));
      ctx.stroke();
    }
  }

  // Handles: left steps ▶ on the lower row, right steps ◀ on the upper row, heights as squares.
  for (const handle of handlesOf(network)) {
    const p = handlePosition(network, handle, plot);
    const active = sameHandle(handle, dragging) || sameHandle(handle, focused);
    const color = theme.series[handle.bump % theme.series.length];
    ctx.fillStyle = active ? theme.focus : color;
    ctx.strokeStyle = active ? theme.focus : theme.background;
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (handle.kind === 'step') {
      const dir = handle.side === 'left' ? 1 : -1;
      ctx.moveTo(p.x, p.y - 5); ctx.lineTo(p.x + dir * 7, p.y); ctx.lineTo(p.x, p.y + 5); ctx.closePath();
      ctx.fill();
      ctx.globalAlpha = active ? 0.9 : 0.35;
      ctx.strokeStyle = active ? theme.focus : color;
      ctx.setLineDash([3, 3]);
      ctx.beginPath(); ctx.moveTo(p.x, plot.top); ctx.lineTo(p.x, p.y - 5); ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    } else {
      ctx.rect(p.x - 4.5, p.y - 4.5, 9, 9);
      ctx.fill();
      ctx.stroke();
    }
  }
  ctx.strokeStyle = theme.grid;
  ctx.strokeRect(plot.left + 0.5, plot.top + 0.5, plot.width, plot.height);
  positionHandles(plot);
}

function sameHandle(a: Handle | undefined, b: Handle | undefined): boolean {
  if (!a || !b || a.kind !== b.kind) return false;
  return a.kind === 'step' ? b.kind === 'step' && a.unit === b.unit : a.bump === b.bump;
}

// Focusable handle buttons over the canvas: keyboard and screen reader access to the same edits as the pointer.
function rebuildHandles(): void {
  const layer = byId('handles');
  if (!layer) return;
  layer.replaceChildren();
  handlesOf(network).forEach((handle, i) => {
    const button = element<HTMLButtonElement>('button', { className: `handle ${handle.kind}` });
    button.dataset.index = String(i);
    button.addEventListener('focus', () => { focused = lastTouched = handle; drawMain(); showWeights(handle); });
    button.addEventListener('blur', () => { if (sameHandle(focused, handle)) focused = undefined; drawMain(); });
    button.addEventListener('keydown', event => {
      const canvas = byId<HTMLCanvasElement>('main-canvas');
      if (!canvas) return;
      const edited = applyKey(network, handle, event.key, event.shiftKey, plotFor(canvas));
      if (!edited) return;
      event.preventDefault();
      network = edited;
      networkChanged(false);
      showWeights(handle);
    });
    layer.append(button);
  });
}

function positionHandles(plot: Plot): void {
  const layer = byId('handles');
  if (!layer) return;
  const all = handlesOf(network);
  layer.querySelectorAll<HTMLButtonElement>('button.handle').forEach(button => {
    const handle = all[Number(button.dataset.index)];
    if (!handle) return;
    const p = handlePosition(network, handle, plot);
    button.style.transform = `translate(${p.x - 6}px, ${p.y - 6}px)`;
    button.setAttribute('aria-label', handleLabel(network, handle, t));
  });
}

function setupCanvasEvents(canvas: HTMLCanvasElement): void {
  const local = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  canvas.addEventListener('pointerdown', event => {
    const p = local(event);
    const hit = hitTest(network, plotFor(canvas), p.x, p.y, 9);
    if (!hit) return;
    dragging = lastTouched = hit;
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
    showWeights(hit);
    drawMain();
  });
  canvas.addEventListener('pointermove', event => {
    const p = local(event);
    const plot = plotFor(canvas);
    if (!dragging) {
      canvas.style.cursor = hitTest(network, plot, p.x, p.y, 9) ? 'grab' : 'default';
      return;
    }
    canvas.style.cursor = 'grabbing';
    const x = plot.x0 + ((p.x - plot.left) / plot.width) * (plot.x1 - plot.x0);
    const y = plot.y0 + (1 - (p.y - plot.top) / plot.height) * (plot.y1 - plot.y0);
    network = applyDrag(network, dragging, Math.min(plot.x1, Math.max(plot.x0, x)), Math.min(plot.y1, Math.max(plot.y0, y)));
    networkChanged(false);
    showWeights(dragging);
  });
  const end = (event: PointerEvent) => {
    if (!dragging) return;
    dragging = undefined;
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    canvas.style.cursor = 'default';
    drawMain();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
}

/** The weights of the bump being edited: w, b = −w·s and the output weights ±h follow every edit. */
function showWeights(handle: Handle): void {
  const box = byId('weights');
  if (!box) return;
  const k = handle.bump;
  const rows = [2 * k, 2 * k + 1].map(i => {
    const u = network.units[i];
    return element('tr', {}, [t('unitRow', i + 1), formatValue(stepPosition(u)), formatValue(u.w), formatValue(u.b), formatValue(u.v)].map(text => element('td', { textContent: text })));
  });
  box.replaceChildren(
    element('div', { className: 'muted', textContent: t('bumpWeights', k + 1) }),
    element('table', {}, [
      element('thead', {}, [element('tr', {}, ['', 's', 'w', 'b', 'v'].map(text => element('th', { textContent: text })))]),
      element('tbody', {}, rows),
    ]),
  );
}

function updateReadout(): void {
  if (!data) return;
  const mse = meanSquaredError(network, data.x, data.y);
  const out = byId('mse');
  if (out) out.textContent = formatValue(mse);
  const count = byId('unit-count');
  if (count) count.textContent = t('unitCount', bumpCount(network), network.units.length, knownFunctionFor(data.builtin) ? 'f(midpoint)' : t('heightsMean'));
}

function makeErrorChart(canvas: HTMLCanvasElement): void {
  errorChart?.destroy();
  errorChart = new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      plugins: { legend: { display: true, labels: { color: theme.foreground, boxWidth: 10, font: { family: theme.fontFamily } } }, tooltip: { enabled: true } },
      scales: {
        x: { type: 'linear', min: 1, max: UAT_MAX_BUMPS, title: { display: true, text: 'N', color: theme.muted }, ticks: { color: theme.muted }, grid: { color: theme.grid } },
        y: { type: 'logarithmic', title: { display: true, text: 'MSE', color: theme.muted }, ticks: { color: theme.muted, maxTicksLimit: 6 }, grid: { color: theme.grid } },
      },
    },
  });
  errorByN = [];
}

function updateErrorChart(): void {
  if (!errorChart || !data) return;
  if (errorByN.length === 0) {
    const ns = Array.from({ length: UAT_MAX_BUMPS }, (_, i) => i + 1);
    errorByN = errorCurve(heightSource(), data.x, data.y, ns, { range: dataRange(data.x) });
  }
  const positive = (v: number) => Math.max(v, 1e-12);
  const current = meanSquaredError(network, data.x, data.y);
  errorChart.data.datasets = [
    { label: t('seriesBuilt'), data: errorByN.map(e => ({ x: e.n, y: positive(e.mse) })), borderColor: theme.curve, backgroundColor: theme.curve, pointRadius: 0, borderWidth: 1.5 },
    { label: t('seriesThisNetwork'), data: [{ x: Math.max(1, bumpCount(network)), y: positive(current) }], borderColor: theme.focus, backgroundColor: theme.focus, pointRadius: 5, showLine: false },
  ];
  errorChart.update('none');
}

function updateTrainStatus(): void {
  const list = byId('train-status');
  if (!list) return;
  list.replaceChildren();
  const adopt = byId<HTMLButtonElement>('adopt-trained');
  if (adopt) adopt.disabled = !state.trained.handBuilt && !state.trained.random;
  for (const start of ['handBuilt', 'random'] as UatTrainStart[]) {
    const button = byId<HTMLButtonElement>(`train-${start}`);
    if (button) button.textContent = running[start] ? t('stop') : start === 'handBuilt' ? t('trainHandBuilt') : t('trainRandom');
    if (button) button.setAttribute('aria-pressed', String(running[start]));
    const trained = state.trained[start];
    if (!trained && !running[start]) continue;
    const swatch = element('span', { className: `swatch ${start}` });
    const text = trained ? t('trainedAt', TRAIN_LABEL[start], trained.step, formatValue(trained.loss)) : t('trainStarting', TRAIN_LABEL[start]);
    list.append(element('li', {}, [swatch, text + (running[start] ? t('trainRunning') : '') + (trainDetail[start] ? ` — ${trainDetail[start]}` : '')]));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Two inputs: towers

function buildPage2D(): void {
  const app = byId('app');
  if (!app || !data) return;
  header(app);
  app.append(element('p', {
    className: 'lede',
    textContent: t('lede2D'),
  }));
  const slider = element<HTMLInputElement>('input', { type: 'range', id: 'towers', min: '1', max: String(UAT_MAX_TOWERS), value: String(state.towers) });
  slider.setAttribute('aria-label', t('towersAria'));
  const out = element<HTMLOutputElement>('output', { id: 'towers-value', textContent: `${state.towers}×${state.towers}` });
  slider.addEventListener('input', () => {
    state.towers = Number(slider.value);
    out.textContent = `${state.towers}×${state.towers}`;
    towersChanged();
  });
  app.append(element('div', { className: 'controls' }, [element<HTMLLabelElement>('label', { htmlFor: 'towers', textContent: t('towersLabel') }), slider, out]));
  const canvas = element<HTMLCanvasElement>('canvas', { id: 'heatmap' });
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', t('heatmapAria'));
  const errorCanvas = element<HTMLCanvasElement>('canvas', { id: 'error-canvas' });
  const [t0, t1] = dataRange(data.y);
  app.append(element('div', { className: 'layout' }, [
    element('figure', {}, [
      element('div', { className: 'heatmap-box' }, [canvas]),
      element('figcaption', { textContent: t('heatmapCaption', data.inputNames[0] ?? 'x1', data.inputNames[1] ?? 'x2', data.targetName, formatValue(t0), formatValue(t1)) }),
    ]),
    element('div', { className: 'side' }, [
      element('div', { className: 'readout' }, [
        element('div', {}, [element('span', { className: 'label', textContent: `${t('errorMse')} ` }), element('output', { id: 'mse', className: 'mse' })]),
        element('div', { id: 'unit-count', className: 'muted' }),
      ]),
      element('figure', {}, [element('figcaption', { textContent: t('errorCaption2D') }), element('div', { className: 'error-box' }, [errorCanvas])]),
    ]),
  ]));
  errorChart?.destroy();
  errorChart = new Chart(errorCanvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false, maintainAspectRatio: false, parsing: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { type: 'linear', min: 1, max: UAT_MAX_TOWERS, title: { display: true, text: 'N', color: theme.muted }, ticks: { color: theme.muted }, grid: { color: theme.grid } },
        y: { type: 'logarithmic', title: { display: true, text: 'MSE', color: theme.muted }, ticks: { color: theme.muted, maxTicksLimit: 6 }, grid: { color: theme.grid } },
      },
    },
  });
  const x2 = data.x2 ?? [];
  const curve = Array.from({ length: UAT_MAX_TOWERS }, (_, i) => ({ x: i + 1, y: Math.max(1e-12, towerError(buildTowers(data!.x, x2, data!.y, i + 1), data!.x, x2, data!.y)) }));
  errorChart.data.datasets = [{ label: t('seriesTowers'), data: curve, borderColor: theme.curve, backgroundColor: theme.curve, pointRadius: 0, borderWidth: 1.5 }];
  new ResizeObserver(() => drawHeatmap()).observe(canvas.parentElement!);
  towersChanged();
}

function towersChanged(): void {
  if (!data?.x2) return;
  towerNet = buildTowers(data.x, data.x2, data.y, state.towers);
  const mse = towerError(towerNet, data.x, data.x2, data.y);
  const out = byId('mse');
  if (out) out.textContent = formatValue(mse);
  const count = byId('unit-count');
  if (count) count.textContent = t('towerCount', state.towers * state.towers, 2 * (state.towers + 1), state.towers * state.towers);
  if (errorChart) {
    const base = errorChart.data.datasets[0];
    errorChart.data.datasets = [base, { label: t('seriesThisN'), data: [{ x: state.towers, y: Math.max(1e-12, mse) }], borderColor: theme.focus, backgroundColor: theme.focus, pointRadius: 5, showLine: false }];
    errorChart.update('none');
  }
  drawHeatmap();
  save();
}

function drawHeatmap(): void {
  const canvas = byId<HTMLCanvasElement>('heatmap');
  if (!canvas || !data?.x2 || !towerNet) return;
  const size = Math.max(50, Math.min(canvas.clientWidth, canvas.clientHeight));
  const grid = 96;
  const [x0, x1] = dataRange(data.x);
  const [y0, y1] = dataRange(data.x2);
  const [t0, t1] = dataRange(data.y);
  const gx: number[] = [];
  const gy: number[] = [];
  for (let j = 0; j < grid; j++) for (let i = 0; i < grid; i++) { gx.push(x0 + ((i + 0.5) / grid) * (x1 - x0)); gy.push(y1 - ((j + 0.5) / grid) * (y1 - y0)); }
  const values = evaluateTowers(towerNet, gx, gy);
  const low = rgbOf(theme.low);
  const mid = rgbOf(theme.background);
  const high = rgbOf(theme.high);
  const colour = (v: number): [number, number, number] => {
    const t = Math.min(1, Math.max(0, (v - t0) / (t1 - t0 || 1)));
    const [a, b, u] = t < 0.5 ? [low, mid, t * 2] : [mid, high, (t - 0.5) * 2];
    return [0, 1, 2].map(c => Math.round(a[c] + (b[c] - a[c]) * u)) as [number, number, number];
  };
  const image = new ImageData(grid, grid);
  for (let p = 0; p < grid * grid; p++) {
    const [r, g, b] = colour(values[p]);
    image.data.set([r, g, b, 255], p * 4);
  }
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(size * dpr);
  canvas.height = Math.round(size * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const off = document.createElement('canvas');
  off.width = grid;
  off.height = grid;
  off.getContext('2d')?.putImageData(image, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, size, size);
  const stride = Math.max(1, Math.floor(data.x.length / 1500));
  for (let i = 0; i < data.x.length; i += stride) {
    const [r, g, b] = colour(data.y[i]);
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.strokeStyle = theme.foreground;
    ctx.lineWidth = 0.6;
    ctx.beginPath();
    ctx.arc(((data.x[i] - x0) / (x1 - x0)) * size, ((y1 - data.x2[i]) / (y1 - y0)) * size, 3, 0, 2 * Math.PI);
    ctx.fill();
    ctx.globalAlpha = 0.45;
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Theme changes and start-up

new MutationObserver(() => {
  theme = readUatTheme();
  if (data?.inputs === 1) { const canvas = byId<HTMLCanvasElement>('error-canvas'); if (canvas) { makeErrorChart(canvas); updateErrorChart(); } drawMain(); } else if (data) buildPage2D();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

post(vscode.getState() === undefined ? { type: 'uatReady' } : { type: 'uatReady', restored: state });

declare global {
  interface Window {
    /** For tests: the hand-built network and its error right now. */
    gradscopeUat?: { network: () => OneHiddenLayerNetwork; mse: () => number };
  }
}
window.gradscopeUat = { network: () => network, mse: () => (data ? meanSquaredError(network, data.x, data.y) : NaN) };
