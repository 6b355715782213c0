// The Compare Activations page: f and f′ of the chosen activations overlaid, and E[f′(z)]ⁿ for z ~ N(0, 1) on a log
// axis up to the chosen depth — the vanishing-gradient argument as a picture. Curves and slopes come from the
// core's activation table, bundled in; the host only says what to show. State lives in getState/setState.
import {
  CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip,
  type ChartDataset,
} from 'chart.js';
import { ACTIVATIONS, activationNames, activationParamProblems } from '../../src/core/activations/activations';
import { formatCoreText } from '../../src/core/messages';
import { activationFacts, compoundThroughLayers, formatNumber } from '../../src/core/activations/activationFacts';
import type { ActivationName } from '../../src/core/types';
import type { CompareState, FromCompareWebview, ToCompareWebview } from '../../src/protocol';
import type { CompareStrings } from '../../src/compareActivations/compareStrings';
import { readPageStrings, translator } from '../shared/strings';
import { formatNamed } from '../shared/translate';
import { themeVar } from '../shared/theme';

const words = readPageStrings<CompareStrings>();
const t = translator(words);
/** The activation table's English text in the display language (the host's lookup), else as it is. */
const tableText = (english: string): string => words.activationWords?.[english] ?? english;
/** A parameter check (act.param.*) in the display language: the host's template for its English, filled here. */
const checkText = (template: string, args: Record<string, string | number>): string => formatNamed(words.checkTemplates?.[template] ?? template, args);

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Legend, Tooltip);

interface VsCodeApi {
  postMessage(message: FromCompareWebview): void;
  getState(): unknown;
  setState(state: CompareState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
/** The depth slider's end (MAX_COMPARE_DEPTH on the host, which clamps restored state to it). */
const MAX_DEPTH = 50;
const X_RANGE: [number, number] = [-5, 5];
const SAMPLES = 201;

let state: CompareState | undefined;
let curveChart: Chart<'line', { x: number; y: number }[]> | undefined;
let depthChart: Chart<'line', { x: number; y: number | null }[]> | undefined;
/** Which theme colours draw what on this page. */
interface CompareTheme {
  foreground: string;
  grid: string;
  fontFamily: string;
  series: string[];
}

function readCompareTheme(): CompareTheme {
  // Series colours: VS Code's chart palette first, then the terminal's ANSI colours for more distinct hues.
  const series = [
    '--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple',
    '--vscode-charts-yellow', '--vscode-terminal-ansiCyan', '--vscode-terminal-ansiMagenta', '--vscode-terminal-ansiBrightGreen',
    '--vscode-terminal-ansiBrightRed', '--vscode-terminal-ansiBrightBlue', '--vscode-terminal-ansiBrightYellow',
  ].map(n => themeVar(n)).filter(v => v !== '');
  return {
    foreground: themeVar('--vscode-foreground', '--vscode-editor-foreground') || 'CanvasText',
    grid: themeVar('--vscode-editorWidget-border', '--vscode-panel-border', '--vscode-widget-border') || 'GrayText',
    fontFamily: themeVar('--vscode-font-family') || 'sans-serif',
    series: series.length ? [...new Set(series)] : ['CanvasText'],
  };
}

let theme: CompareTheme = readCompareTheme();

function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}

function element<T extends HTMLElement>(tag: string, props: Partial<T> = {}, children: (Node | string)[] = []): T {
  const node = document.createElement(tag) as T;
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

function paramsOf(name: ActivationName): Record<string, number> {
  return state?.params[name] ?? {};
}

function displayName(name: ActivationName): string {
  const params = paramsOf(name);
  const changed = Object.keys(params).filter(k => params[k] !== ACTIVATIONS[name].defaults[k]);
  return changed.length ? `${name} (${changed.map(k => `${k} ${formatNumber(params[k], 3)}`).join(', ')})` : name;
}

function save(): void {
  if (state) vscode.setState(state);
}

// ---------------------------------------------------------------------------------------------------------------
// Page

function buildPage(): void {
  const app = document.getElementById('app');
  if (!app || !state) return;
  app.replaceChildren();
  app.removeAttribute('aria-busy');

  app.append(
    element('h1', { textContent: t('title') }),
    element('p', {
      className: 'lede',
      textContent: t('lede'),
    }),
  );

  const picker = element<HTMLFieldSetElement>('fieldset', { className: 'picker' });
  picker.append(element('legend', { textContent: t('activations') }));
  for (const name of activationNames()) {
    const id = `pick-${name}`;
    const box = element<HTMLInputElement>('input', { type: 'checkbox', id, checked: state.selected.includes(name), value: name });
    box.addEventListener('change', () => toggle(name, box.checked));
    const label = element<HTMLLabelElement>('label', { htmlFor: id, title: tableText(ACTIVATIONS[name].summary) }, [ACTIVATIONS[name].label]);
    const swatch = element<HTMLSpanElement>('span', { className: 'swatch' });
    swatch.dataset.name = name;
    swatch.setAttribute('aria-hidden', 'true');
    picker.append(element('div', { className: 'pick' }, [box, swatch, label]));
  }

  const depthInput = element<HTMLInputElement>('input', {
    type: 'range', id: 'depth', min: '1', max: String(MAX_DEPTH), step: '1', value: String(state.depth),
  });
  const depthOutput = element<HTMLOutputElement>('output', { id: 'depth-value' }, [String(state.depth)]);
  depthOutput.setAttribute('for', 'depth');
  depthInput.setAttribute('aria-valuetext', t('depthValue', state.depth));
  depthInput.addEventListener('input', () => {
    if (!state) return;
    state.depth = Number(depthInput.value);
    depthOutput.textContent = String(state.depth);
    depthInput.setAttribute('aria-valuetext', t('depthValue', state.depth));
    save();
    updateDepthChart();
    updateTable();
  });
  const derivativeBox = element<HTMLInputElement>('input', { type: 'checkbox', id: 'show-derivatives', checked: state.showDerivatives });
  derivativeBox.addEventListener('change', () => {
    if (!state) return;
    state.showDerivatives = derivativeBox.checked;
    save();
    updateCurveChart();
  });
  const controls = element('div', { className: 'controls' }, [
    element('label', { htmlFor: 'depth' } as Partial<HTMLLabelElement>, [`${t('depth')} `]),
    depthInput,
    depthOutput,
    element('span', { className: 'spacer' }),
    derivativeBox,
    element('label', { htmlFor: 'show-derivatives' } as Partial<HTMLLabelElement>, [t('showDerivatives')]),
  ]);

  const curveCanvas = element<HTMLCanvasElement>('canvas', { id: 'curves' });
  curveCanvas.setAttribute('role', 'img');
  curveCanvas.setAttribute('aria-label', t('curvesAria'));
  const depthCanvas = element<HTMLCanvasElement>('canvas', { id: 'compounding' });
  depthCanvas.setAttribute('role', 'img');
  depthCanvas.setAttribute('aria-label', t('compoundingAria'));
  const charts = element('div', { className: 'charts' }, [
    element('figure', {}, [element('figcaption', { textContent: t('curvesCaption') }), element('div', { className: 'chart-box' }, [curveCanvas])]),
    element('figure', {}, [element('figcaption', { id: 'depth-caption' }), element('div', { className: 'chart-box' }, [depthCanvas])]),
  ]);

  const table = element<HTMLTableElement>('table', { id: 'facts' });
  table.append(element('caption', { className: 'visually-hidden', textContent: t('tableCaption') }));
  const summary = element('div', { className: 'table-wrap', id: 'facts-live' }, [table]);
  summary.setAttribute('aria-live', 'polite');

  app.append(picker, controls, charts, summary);
  createCharts(curveCanvas, depthCanvas);
  refreshAll();
}

function toggle(name: ActivationName, on: boolean): void {
  if (!state) return;
  state.selected = on ? [...state.selected.filter(n => n !== name), name] : state.selected.filter(n => n !== name);
  save();
  refreshAll();
}

function refreshAll(): void {
  updateSwatches();
  updateCurveChart();
  updateDepthChart();
  updateTable();
}

function colorOf(name: ActivationName): string {
  const index = state ? state.selected.indexOf(name) : -1;
  const palette = theme.series;
  return index < 0 ? 'transparent' : palette[index % palette.length];
}

function updateSwatches(): void {
  for (const swatch of document.querySelectorAll<HTMLSpanElement>('.swatch')) {
    const name = swatch.dataset.name as ActivationName;
    swatch.style.backgroundColor = colorOf(name);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Charts

function scaleColors() {
  return {
    ticks: { color: theme.foreground },
    grid: { color: theme.grid },
    title: { color: theme.foreground },
  };
}

function createCharts(curveCanvas: HTMLCanvasElement, depthCanvas: HTMLCanvasElement): void {
  curveChart?.destroy();
  depthChart?.destroy();
  Chart.defaults.font.family = theme.fontFamily;
  Chart.defaults.color = theme.foreground;
  const common = { animation: false as const, responsive: true, maintainAspectRatio: false, parsing: false as const };
  curveChart = new Chart(curveCanvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      ...common,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      plugins: { legend: { labels: { color: theme.foreground, filter: item => !String(item.text).endsWith('′') } } },
      scales: {
        x: { type: 'linear', min: X_RANGE[0], max: X_RANGE[1], ...scaleColors(), title: { display: true, text: 'x', color: theme.foreground } },
        y: { type: 'linear', ...scaleColors() },
      },
    },
  });
  depthChart = new Chart(depthCanvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      ...common,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      plugins: {
        legend: { labels: { color: theme.foreground } },
        tooltip: { callbacks: { label: item => `${item.dataset.label}: ${formatNumber(Number(item.parsed.y), 3)}` } },
      },
      scales: {
        x: { type: 'linear', min: 1, ...scaleColors(), title: { display: true, text: t('axisLayers'), color: theme.foreground } },
        y: {
          type: 'logarithmic',
          ...scaleColors(),
          // Label the powers of ten only (1, 1e-3 …): the 2× and 5× ticks would crowd the axis.
          ticks: { color: theme.foreground, callback: value => powerOfTenLabel(Number(value)) },
          title: { display: true, text: 'E[f′(z)]ⁿ', color: theme.foreground },
        },
      },
    },
  });
}

function powerOfTenLabel(value: number): string {
  const exponent = Math.log10(value);
  if (!Number.isFinite(exponent) || Math.abs(exponent - Math.round(exponent)) > 1e-9) return '';
  const e = Math.round(exponent);
  return e === 0 ? '1' : e === 1 ? '10' : `1e${e}`;
}

function sample(name: ActivationName, derivative: boolean): { x: number; y: number }[] {
  const info = ACTIVATIONS[name];
  const p = { ...info.defaults, ...paramsOf(name) };
  const points: { x: number; y: number }[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const x = X_RANGE[0] + ((X_RANGE[1] - X_RANGE[0]) * i) / (SAMPLES - 1);
    points.push({ x, y: derivative ? info.df(x, p) : info.f(x, p) });
  }
  return points;
}

function updateCurveChart(): void {
  if (!curveChart || !state) return;
  const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = [];
  for (const name of state.selected) {
    const color = colorOf(name);
    datasets.push({ label: displayName(name), data: sample(name, false), borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 0 });
    if (state.showDerivatives) {
      datasets.push({ label: `${displayName(name)}′`, data: sample(name, true), borderColor: color, backgroundColor: color, borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0 });
    }
  }
  curveChart.data.datasets = datasets;
  curveChart.update();
}

function updateDepthChart(): void {
  if (!depthChart || !state) return;
  const depth = state.depth;
  const caption = document.getElementById('depth-caption');
  if (caption) caption.textContent = t('compoundingCaption', depth);
  depthChart.data.datasets = state.selected.map(name => {
    const { expectedSlope } = activationFacts(name, paramsOf(name));
    const data: { x: number; y: number | null }[] = [];
    for (let n = 1; n <= depth; n++) {
      const value = compoundThroughLayers(expectedSlope, n);
      // A log axis cannot show 0 (the step passes no gradient at all): leave a gap.
      data.push({ x: n, y: value > 0 && Number.isFinite(value) ? value : null });
    }
    const color = colorOf(name);
    return { label: displayName(name), data, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: depth <= 20 ? 2 : 0 };
  });
  const scales = depthChart.options.scales;
  if (scales?.x) scales.x.max = depth;
  depthChart.update();
}

function updateTable(): void {
  const table = document.getElementById('facts') as HTMLTableElement | null;
  if (!table || !state) return;
  const depth = state.depth;
  const head = element('thead', {}, [
    element('tr', {}, [
      element('th', { scope: 'col', textContent: t('colActivation') } as Partial<HTMLTableCellElement>),
      element('th', { scope: 'col', textContent: t('colLargestSlope') } as Partial<HTMLTableCellElement>),
      element('th', { scope: 'col', textContent: 'E[f′(z)]' } as Partial<HTMLTableCellElement>),
      element('th', { scope: 'col', textContent: `E[f′(z)]ⁿ, n = ${depth}` } as Partial<HTMLTableCellElement>),
      element('th', { scope: 'col', textContent: t('colMaxSlopePower', depth) } as Partial<HTMLTableCellElement>),
      element('th', { scope: 'col', textContent: t('colParameters') } as Partial<HTMLTableCellElement>),
      element('th', { scope: 'col', textContent: '' } as Partial<HTMLTableCellElement>),
    ]),
  ]);
  const body = element('tbody');
  for (const name of state.selected) {
    const facts = activationFacts(name, paramsOf(name));
    const button = element<HTMLButtonElement>('button', { type: 'button', textContent: t('visualizeStack') });
    button.setAttribute('aria-label', t('visualizeStackAria', name));
    button.addEventListener('click', () => vscode.postMessage({ type: 'compareVisualize', activation: name, params: facts.params }));
    const swatch = element<HTMLSpanElement>('span', { className: 'swatch' });
    swatch.style.backgroundColor = colorOf(name);
    swatch.setAttribute('aria-hidden', 'true');
    const row = element('tr', {}, [
      element('th', { scope: 'row' } as Partial<HTMLTableCellElement>, [swatch, displayName(name)]),
      element('td', { textContent: `${formatNumber(facts.maxSlope, 3)} (${tableText(facts.maxSlopeWhere)})` }),
      element('td', { textContent: formatNumber(facts.expectedSlope, 3) }),
      element('td', { textContent: formatNumber(compoundThroughLayers(facts.expectedSlope, depth), 3) }),
      element('td', { textContent: formatNumber(compoundThroughLayers(facts.maxSlope, depth), 3) }),
      element('td', { className: 'params' }, parameterInputs(name, facts.params)),
      element('td', {}, [button]),
    ]);
    body.append(row);
  }
  if (state.selected.length === 0) {
    body.append(element('tr', {}, [element('td', { colSpan: 7, textContent: t('pickSome') } as Partial<HTMLTableCellElement>)]));
  }
  table.replaceChildren(table.caption ?? element('caption'), head, body);
}

/** One number input per parameter of the table's entry (a leaky slope, ELU's α, softplus' β …). */
function parameterInputs(name: ActivationName, current: Record<string, number>): (HTMLElement | string)[] {
  const info = ACTIVATIONS[name];
  const keys = Object.keys(info.defaults);
  if (keys.length === 0) return ['—'];
  return keys.map(key => {
    const id = `param-${name}-${key}`;
    const input = element<HTMLInputElement>('input', { type: 'number', id, step: 'any', value: String(current[key]) });
    input.title = tableText(info.paramDocs[key]?.description ?? key);
    input.addEventListener('change', () => {
      if (!state) return;
      const value = Number(input.value);
      const next = { ...current, [key]: value };
      const problems = input.value.trim() === '' ? [t('needsNumber', `${name}.${key}`)] : activationParamProblems(name, next).map(p => formatCoreText(p, checkText));
      input.setCustomValidity(problems.join('; '));
      if (problems.length) {
        input.reportValidity();
        return;
      }
      state.params[name] = next;
      save();
      refreshAll();
      // The table was rebuilt: keep the keyboard where it was.
      document.getElementById(id)?.focus();
    });
    return element('label', { className: 'param' }, [`${key} `, input]);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Messages, state, theme

function addActivations(names: ActivationName[], params: CompareState['params']): void {
  if (!state) return;
  for (const name of names) {
    if (!(name in ACTIVATIONS)) continue;
    if (!state.selected.includes(name)) state.selected.push(name);
    const p = params[name];
    if (p) state.params[name] = p;
  }
  save();
  for (const box of document.querySelectorAll<HTMLInputElement>('.picker input[type=checkbox]')) {
    box.checked = state.selected.includes(box.value as ActivationName);
  }
  refreshAll();
}

window.addEventListener('message', (event: MessageEvent<ToCompareWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'compareInit':
      state = { ...message.state, selected: [...message.state.selected], params: { ...message.state.params } };
      save();
      buildPage();
      return;
    case 'compareAdd':
      addActivations(message.activations, message.params);
      return;
    default:
      assertNever(message);
  }
});

// Charts take their colours from --vscode-* variables: rebuild them when VS Code switches the theme class.
new MutationObserver(() => {
  theme = readCompareTheme();
  const curves = document.getElementById('curves') as HTMLCanvasElement | null;
  const depth = document.getElementById('compounding') as HTMLCanvasElement | null;
  if (curves && depth) {
    createCharts(curves, depth);
    refreshAll();
  }
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

const restored = vscode.getState() as CompareState | undefined;
vscode.postMessage(restored ? { type: 'compareReady', restored } : { type: 'compareReady' });
