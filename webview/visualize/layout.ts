// The panel's DOM, built here once so the VS Code page and the HTML report share it exactly (their HTML only
// holds an empty #gradscope-panel). Ids are stable: the UI tests look for them.
import { format, S, t } from './strings';

export interface PanelElements {
  root: HTMLElement;
  title: HTMLElement;
  source: HTMLElement;
  status: HTMLElement;
  stateBadge: HTMLElement;
  playButton: HTMLButtonElement;
  playLabel: HTMLElement;
  setPlayIcon(running: boolean): void;
  stepBatchButton: HTMLButtonElement;
  stepEpochButton: HTMLButtonElement;
  resetButton: HTMLButtonElement;
  reseedButton: HTMLButtonElement;
  /** Buttons that need a live run (disabled while loading or after an error). */
  trainingButtons: HTMLButtonElement[];
  lrInput: HTMLInputElement;
  batchInput: HTMLInputElement;
  cadenceSelect: HTMLSelectElement;
  scaleButton: HTMLButtonElement;
  scaleLabel: HTMLElement;
  exportJson: HTMLButtonElement;
  exportCsv: HTMLButtonElement;
  exportHtml: HTMLButtonElement | undefined;
  saveConfig: HTMLButtonElement | undefined;
  errorBanner: HTMLElement;
  errorMessage: HTMLElement;
  errorOpenButton: HTMLButtonElement;
  retryButton: HTMLButtonElement;
  divergenceBanner: HTMLElement;
  divergenceMessage: HTMLElement;
  notes: HTMLElement;
  layerStrip: HTMLElement;
  chartsGrid: HTMLElement;
  loading: HTMLElement;
  layerSelect: HTMLSelectElement;
  distributionMode: HTMLSelectElement;
  distributionOf: HTMLSelectElement;
  pngButtons: [string, HTMLButtonElement][];
  replaySlider: HTMLInputElement;
  replayLabel: HTMLElement;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** 16×16 icons in the codicon style, drawn with currentColor. */
const ICONS: Record<string, string> = {
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
  stepBatch: 'M3 2.5v11l7-5.5zM11 2.5h2v11h-2z',
  stepEpoch: 'M1.5 2.5v11l6-5.5zM7.5 2.5v11l6-5.5zM13.5 2.5h1.5v11h-1.5z',
  reset: 'M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.4.5A4 4 0 1 0 8 4v2L4.5 3.25 8 .5z',
  reseed: 'M2 4h2.5l5 8H12v-1.5L14.5 12.75 12 15v-1.5H8.7l-5-8H2zM2 12h2.5l1.3-2 .9 1.4L5.3 13.5H2zM8.7 2.5H12V1l2.5 2.25L12 5.5V4H9.5L8.2 6 7.3 4.6z',
  scale: 'M2 14V2h1.5v10.5H14V14zM5 10l3-3 2 2 4-5 1 .8-5 6.2-2-2-2 2.1z',
  json: 'M5 2.5C3.5 2.5 3.5 3.5 3.5 5v1c0 1-.5 1.5-1.5 2 1 .5 1.5 1 1.5 2v1c0 1.5 0 2.5 1.5 2.5M11 2.5c1.5 0 1.5 1 1.5 2.5v1c0 1 .5 1.5 1.5 2-1 .5-1.5 1-1.5 2v1c0 1.5 0 2.5-1.5 2.5',
  table: 'M1.5 2.5h13v11h-13zM1.5 6h13M1.5 9.5h13M6 2.5v11',
  report: 'M3 1.5h7l3 3v10H3zM10 1.5v3h3M5 8h6M5 10.5h6M5 13h4',
  save: 'M2.5 2.5h9l2 2v9h-11zM5 2.5v3.5h5V2.5M5 13.5V9h6v4.5',
  image: 'M1.5 3h13v10h-13zM3 11.5l3.5-4 2.5 3 2-2 2.5 3M10.5 6.5a1 1 0 1 0 0-.01',
  error: 'M8 1.5a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13zM7.25 4.5h1.5v4.5h-1.5zM7.25 10.5h1.5V12h-1.5z',
  warning: 'M8 1.5l7 12.5H1zM7.25 6h1.5v4h-1.5zM7.25 11h1.5v1.5h-1.5z',
};
const FILLED = new Set(['play', 'pause', 'stepBatch', 'stepEpoch', 'reset', 'reseed', 'scale', 'error', 'warning']);

function icon(name: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', `icon icon-${name}`);
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICONS[name] ?? '');
  if (FILLED.has(name)) path.setAttribute('fill', 'currentColor');
  else {
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '1.2');
    path.setAttribute('stroke-linejoin', 'round');
  }
  svg.appendChild(path);
  return svg;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { id?: string; className?: string; text?: string; attrs?: Record<string, string> } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.id !== undefined) element.id = props.id;
  if (props.className !== undefined) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function button(id: string, iconName: string, label: string, title: string, options: { showLabel?: boolean; keys?: string; className?: string } = {}): HTMLButtonElement {
  const b = el('button', { id, className: options.className ?? 'toolbar-button', attrs: { type: 'button', title, 'aria-label': label } });
  b.append(icon(iconName));
  if (options.showLabel !== false) b.append(el('span', { className: 'button-label', text: label }));
  if (options.keys !== undefined) b.setAttribute('aria-keyshortcuts', options.keys);
  return b;
}

function field(labelText: string, control: HTMLElement, hint: string): HTMLElement {
  const id = control.id;
  return el('div', { className: 'toolbar-field', attrs: { title: hint } }, el('label', { text: labelText, attrs: { for: id } }), control);
}

export interface ChartCard {
  section: HTMLElement;
  pngButtons: [string, HTMLButtonElement][];
}

export function chartCard(id: string, title: string, canvases: { id: string; label: string; className?: string }[], extraHeader: HTMLElement[] = [], wide = false, caption = false): ChartCard {
  const pngButtons: [string, HTMLButtonElement][] = canvases.map(canvas => [
    canvas.id,
    button(`png-${canvas.id}`, 'image', format(S.savePng, canvas.label), format(S.savePngTitle, canvas.label), { showLabel: false, className: 'icon-button' }),
  ]);
  const header = el('header', { className: 'card-header' },
    el('div', { className: 'card-titles' }, el('h2', { text: title, attrs: { id: `title-${id}` } }), el('p', { id: `note-${id}`, className: 'card-note' })),
    el('div', { className: 'card-actions' }, ...pngButtons.map(([, b]) => b)));
  // A card's own choices (layer, z or a, view) sit on a row under the title rather than squeezing it.
  const controls = extraHeader.length === 0 ? [] : [el('div', { className: 'card-controls', attrs: { role: 'group', 'aria-label': t('cardOptions', title) } }, ...extraHeader)];
  const boxes = el('div', { className: `chart-row chart-row-${canvases.length}` }, ...canvases.map(canvas =>
    el('div', { className: `chart-box ${canvas.className ?? ''}` },
      el('canvas', { id: canvas.id, attrs: { role: 'img', 'aria-label': canvas.label } }))));
  // A caption under the charts says in one sentence what the numbers mean.
  const captions = caption ? [el('p', { id: `caption-${id}`, className: 'card-caption', attrs: { 'aria-live': 'polite' } })] : [];
  const section = el('section', { id: `card-${id}`, className: `card${wide ? ' card-wide' : ''}`, attrs: { 'aria-labelledby': `title-${id}` } }, header, ...controls, boxes, ...captions);
  return { section, pngButtons };
}

export function buildPanel(root: HTMLElement, options: { report: boolean }): PanelElements {
  root.classList.add('gradscope');
  if (options.report) root.classList.add('report');
  const title = el('h1', { id: 'run-title', text: 'Gradscope' });
  const source = el('div', { id: 'run-source', className: 'run-source' });
  const stateBadge = el('span', { id: 'run-state', className: 'state-badge', text: S.stateLoading });
  const status = el('div', { id: 'status', className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const header = el('header', { className: 'panel-header' },
    el('div', { className: 'title-block' }, el('div', { className: 'title-line' }, title, stateBadge), source),
    status);

  const playButton = button('btn-play', 'play', S.play, S.resumeTitle, { keys: 'Space', className: 'toolbar-button primary' });
  const playLabel = playButton.querySelector('.button-label') as HTMLElement;
  const setPlayIcon = (running: boolean): void => {
    const wanted = running ? 'pause' : 'play';
    const current = playButton.querySelector('svg');
    if (current?.classList.contains(`icon-${wanted}`) === true) return;
    current?.replaceWith(icon(wanted));
  };
  const stepBatchButton = button('btn-step-batch', 'stepBatch', S.stepBatch, S.stepBatchTitle, { keys: '.' });
  const stepEpochButton = button('btn-step-epoch', 'stepEpoch', S.stepEpoch, S.stepEpochTitle, { keys: 'e' });
  const resetButton = button('btn-reset', 'reset', S.reset, S.resetTitle, { keys: 'r' });
  const reseedButton = button('btn-reseed', 'reseed', S.reseed, S.reseedTitle);
  const lrInput = el('input', { id: 'input-lr', attrs: { type: 'number', min: '0', step: 'any', inputmode: 'decimal', 'aria-label': S.learningRate } });
  const batchInput = el('input', { id: 'input-batch', attrs: { type: 'number', min: '1', step: '1', inputmode: 'numeric', 'aria-label': S.batchSize } });
  const cadenceSelect = el('select', { id: 'select-cadence', attrs: { 'aria-label': S.snapshotCadence } });
  for (const [value, text] of [['1', t('everyStep')], ['5', t('everySteps', 5)], ['10', t('everySteps', 10)], ['50', t('everySteps', 50)], ['200', t('everySteps', 200)], ['0', t('everyEpoch')]]) {
    cadenceSelect.append(new Option(text, value));
  }
  cadenceSelect.value = '10';
  const scaleButton = button('btn-scale', 'scale', S.log, S.scaleTitle, { keys: 'l' });
  const scaleLabel = scaleButton.querySelector('.button-label') as HTMLElement;
  const exportJson = button('btn-export-json', 'json', 'JSON', S.exportJsonTitle);
  const exportCsv = button('btn-export-csv', 'table', 'CSV', S.exportCsvTitle);
  const exportHtml = options.report ? undefined : button('btn-export-html', 'report', S.htmlReport, S.htmlReportTitle);
  const saveConfig = options.report ? undefined : button('btn-save-config', 'save', S.saveAsConfig, S.saveAsConfigTitle);

  const group = (label: string, ...children: HTMLElement[]): HTMLElement =>
    el('div', { className: 'toolbar-group', attrs: { role: 'group', 'aria-label': label } }, ...children);
  const toolbar = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': S.trainingControls } },
    group(S.groupRun, playButton, stepBatchButton, stepEpochButton),
    group(S.groupReset, resetButton, reseedButton),
    group(S.groupSettings,
      field(t('fieldLr'), lrInput, S.lrHint),
      field(t('fieldBatch'), batchInput, S.batchHint),
      field(t('fieldSnapshot'), cadenceSelect, S.snapshotHint)),
    group(S.groupView, scaleButton),
    group(S.groupExport, exportJson, exportCsv, ...(exportHtml !== undefined ? [exportHtml] : []), ...(saveConfig !== undefined ? [saveConfig] : [])));

  const errorMessage = el('div', { id: 'error-message', className: 'banner-message' });
  const errorOpenButton = el('button', { id: 'btn-open-error', className: 'link-button', attrs: { type: 'button' }, text: S.openFile });
  const retryButton = el('button', { id: 'btn-retry', className: 'link-button', attrs: { type: 'button' }, text: S.retry });
  const errorBanner = el('div', { id: 'error-banner', className: 'banner banner-error', attrs: { role: 'alert' } },
    icon('error'), errorMessage, el('div', { className: 'banner-actions' }, errorOpenButton, retryButton));
  errorBanner.hidden = true;
  const divergenceMessage = el('div', { id: 'divergence-message', className: 'banner-message' });
  const divergenceBanner = el('div', { id: 'divergence-banner', className: 'banner banner-warning', attrs: { role: 'alert' } }, icon('warning'), divergenceMessage);
  divergenceBanner.hidden = true;
  const notes = el('div', { id: 'notes', className: 'notes' });
  notes.hidden = true;

  const layerStrip = el('div', { id: 'layer-strip', className: 'layer-strip', attrs: { role: 'list', 'aria-label': S.layersAria } });

  const layerSelect = el('select', { id: 'select-layer', attrs: { 'aria-label': S.layerSelectAria } });
  const distributionOf = el('select', { id: 'select-distribution-of', attrs: { 'aria-label': S.distributionOfAria } });
  distributionOf.append(new Option(t('distributionA'), 'a'), new Option(t('distributionZ'), 'z'));
  const distributionMode = el('select', { id: 'select-distribution-mode', attrs: { 'aria-label': S.distributionModeAria } });
  distributionMode.append(new Option(t('distributionOverTime'), 'bands'), new Option(t('distributionHistogram'), 'histogram'));

  const cards = [
    chartCard('function', t('cardFunction'), [{ id: 'chart-function', label: t('cardFunctionLabel') }]),
    chartCard('gradient', t('cardGradientLost'), [
      { id: 'chart-gradient-ratio', label: t('cardGradientRatioAria') },
      { id: 'chart-gradient-factors', label: t('cardGradientFactorsAria') },
      { id: 'chart-gradient', label: t('cardGradientNormAria') },
    ], [], true, true),
    chartCard('gradient-history', t('cardGradientHistory'), [{ id: 'chart-gradient-history', label: t('cardGradientHistoryLabel') }]),
    chartCard('saturation', t('cardSaturation'), [
      { id: 'chart-saturation', label: t('cardSaturationAria') },
      { id: 'chart-saturation-history', label: t('cardSaturationHistoryAria') },
    ]),
    chartCard('distribution', S.cardDistribution, [{ id: 'chart-distribution', label: S.cardDistributionLabel }],
      [layerSelect, distributionOf, distributionMode]),
    chartCard('loss', S.cardLoss, [{ id: 'chart-loss', label: S.cardLossLabel }]),
  ];
  const loading = el('div', { id: 'loading', className: 'loading', attrs: { role: 'status' } });
  const chartsGrid = el('main', { id: 'charts', className: 'charts-grid empty' }, loading, ...cards.map(card => card.section));

  // The history slider: a report replays its recording with it; the live panel scrubs back while paused.
  const replaySlider = el('input', { id: 'replay-slider', attrs: { type: 'range', min: '0', max: '0', step: '1', 'aria-label': options.report ? t('replayPosition') : t('historyPosition') } });
  const replayLabel = el('span', { id: 'replay-label', className: 'replay-label' });
  const replay = [el('div', { className: 'replay', attrs: { role: 'group', 'aria-label': options.report ? t('replay') : t('history') } },
    el('label', { text: options.report ? t('replay') : t('history'), attrs: { for: 'replay-slider' } }), replaySlider, replayLabel)];

  root.replaceChildren(header, toolbar, ...replay, errorBanner, divergenceBanner, notes, layerStrip, chartsGrid);
  return {
    root, title, source, status, stateBadge, playButton, playLabel, setPlayIcon, stepBatchButton, stepEpochButton, resetButton,
    reseedButton, trainingButtons: [playButton, stepBatchButton, stepEpochButton, resetButton, reseedButton],
    lrInput, batchInput, cadenceSelect, scaleButton, scaleLabel, exportJson, exportCsv, exportHtml, saveConfig,
    errorBanner, errorMessage, errorOpenButton, retryButton, divergenceBanner, divergenceMessage, notes, layerStrip,
    chartsGrid, loading, layerSelect, distributionMode, distributionOf,
    pngButtons: cards.flatMap(card => card.pngButtons), replaySlider, replayLabel,
  };
}
