// The Gradscope panel's browser code. In VS Code it talks to the host through acquireVsCodeApi(); in an HTML
// report (CLI `--report`, "Open as HTML report") it replays the run embedded in the page instead.
import { format, S, t } from './strings';
import type { FromWebview, RecordedRun, RunState, ToWebview, WebviewState } from '../../src/protocol';
import { Chart, applyChartDefaults, type ChartContext, type PanelChart, type ViewSettings } from './charts/common';
import { DistributionChart } from './charts/distributionChart';
import { FunctionChart } from './charts/functionChart';
import { GradientChart } from './charts/gradientChart';
import { GradientHistoryChart } from './charts/gradientHistory';
import { LossChart } from './charts/lossChart';
import { SaturationChart } from './charts/saturationChart';
import { formatNumber, formatPercent } from '../shared/format';
import { LayerTooltip } from './layerTooltip';
import { RunStore } from './runStore';
import { observeTheme, readPalette, type Palette } from '../shared/theme';
import { buildPanel, chartCard, type PanelElements } from './layout';
import { LandscapeChart } from './charts/landscapeChart';
import { recordedRunToCsv } from './exportData';
import { viridis } from '../shared/heatmap';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface PanelStats {
  renders: number;
  lastRenderMs: number;
  maxRenderMs: number;
  totalRenderMs: number;
  messages: number;
}

export interface ChartDescription {
  type: string;
  labels: string[];
  datasets: { label: string; hidden: boolean; color: string; data: (number | null | { x: number; y: number | null })[] }[];
  scales: Record<string, { type: string; min: number; max: number; title: string; color: string; tickLabels: string[] }>;
  /** The plot area in canvas pixels (the heatmaps' cells fill it). */
  area: { left: number; top: number; right: number; bottom: number };
  legend: string[];
  /** Each legend entry's line dash as drawn ([] solid). */
  legendDash: number[][];
  legendTitle: string;
}

declare global {
  interface Window {
    /** Render timings and counts, read by the webview tests and the frame-time benchmark. */
    gradscopeStats: PanelStats;
    /** The panel's internals for tests (charts' computed notes, the store). */
    gradscopePanel: GradscopePanel;
  }
}

class GradscopePanel {
  readonly store = new RunStore();
  readonly charts: PanelChart[];
  readonly functionChart = new FunctionChart();
  readonly lossChart = new LossChart();
  readonly historyChart = new GradientHistoryChart();
  private palette: Palette;
  private renderQueued = false;
  readonly settings: ViewSettings = { logScale: true, selectedLayer: 0, distributionMode: 'bands', distributionOf: 'a' };
  private readonly tooltip: LayerTooltip;
  private readonly elements: PanelElements;
  private saveStateTimer: number | undefined;
  private runSettings: WebviewState['settings'] = {};

  constructor(private readonly vscode: VsCodeApi | undefined, private readonly report: RecordedRun | undefined) {
    const root = document.getElementById('gradscope-panel');
    if (root === null) throw new Error('missing #gradscope-panel');
    this.elements = buildPanel(root, { report: report !== undefined });
    this.tooltip = new LayerTooltip(root);
    this.charts = [this.functionChart, new GradientChart(), this.historyChart, new SaturationChart(), new DistributionChart(), this.lossChart];
    this.palette = readPalette();
    applyChartDefaults(this.palette);
    const saved = vscode?.getState();
    if (saved?.ui !== undefined) Object.assign(this.settings, stripUndefined(saved.ui));
    this.runSettings = saved?.settings ?? {};
    if (saved?.source !== undefined) {
      this.store.source = saved.source;
      this.store.sourceLabel = saved.sourceLabel ?? '';
    }
    this.wireControls();
    this.wireSlider();
    observeTheme(() => this.onThemeChange());
    new ResizeObserver(() => this.scheduleRender()).observe(this.elements.chartsGrid);
    this.observeVisibility();
    window.gradscopeStats = { renders: 0, lastRenderMs: 0, maxRenderMs: 0, totalRenderMs: 0, messages: 0 };
    if (report !== undefined) this.loadReport(report);
    else {
      window.addEventListener('message', event => this.onMessage(event.data as ToWebview));
      this.post({ type: 'ready' });
    }
    this.renderChrome();
  }

  private post(message: FromWebview): void {
    if (this.vscode !== undefined) {
      this.vscode.postMessage(message);
      return;
    }
    this.handleLocally(message);
  }

  /** In a report there is no host: exports download straight from the page. */
  private handleLocally(message: FromWebview): void {
    const run = this.report;
    if (run === undefined) return;
    switch (message.type) {
      case 'savePng':
        download(`${message.chart}.png`, message.dataUrl);
        break;
      case 'export':
        if (message.format === 'json') download('gradscope-run.json', blobUrl(JSON.stringify(run, null, 1), 'application/json'));
        else if (message.format === 'csv') download('gradscope-run.csv', blobUrl(recordedRunToCsv(run), 'text/csv'));
        break;
      case 'ready': case 'control': case 'set': case 'saveConfig': case 'openLocation': case 'retry':
        break;
      default:
        assertNever(message);
    }
  }

  onMessage(message: ToWebview): void {
    window.gradscopeStats.messages++;
    const store = this.store;
    switch (message.type) {
      case 'run':
        store.startRun(message.runId, message.meta, message.sourceLabel, message.source, message.frames);
        store.state = 'paused';
        this.settings.selectedLayer = Math.min(this.settings.selectedLayer, Math.max(0, message.meta.layers.length - 1));
        this.runSettings = {
          ...this.runSettings, lr: message.meta.lr, batchSize: message.meta.batchSize,
          snapshotEvery: message.snapshotEvery ?? this.runSettings?.snapshotEvery,
        };
        for (const chart of this.charts) chart.destroy();
        this.saveState();
        break;
      case 'frames':
        if (message.runId !== store.runId) return;
        store.add(message.frames);
        break;
      case 'state':
        if (message.runId !== store.runId) return;
        store.state = message.state;
        store.stateDetail = message.detail;
        if (message.state === 'running') store.scrubTo(undefined);
        break;
      case 'progress':
        if (message.runId !== store.runId) return;
        store.progress = { epoch: message.epoch, epochs: message.epochs, step: message.step };
        break;
      case 'diverged':
        if (message.runId !== store.runId) return;
        store.divergence = message.info;
        store.state = 'diverged';
        break;
      case 'loading':
        store.meta = undefined;
        store.frames = [];
        store.state = 'loading';
        store.error = undefined;
        store.sourceLabel = message.sourceLabel;
        for (const chart of this.charts) chart.destroy();
        break;
      case 'notes':
        if (message.runId !== store.runId || store.meta === undefined) return;
        store.meta = { ...store.meta, notes: message.notes };
        break;
      case 'error':
        // The charts and snapshots of a kept run stay; the banner shows over them.
        store.error = { message: message.message, location: message.location, restartable: message.restartable };
        store.state = 'error';
        break;
      default:
        assertNever(message);
    }
    this.renderChrome();
    this.scheduleRender();
  }

  private loadReport(run: RecordedRun): void {
    if (run.landscape !== undefined) {
      // `--landscape`: one more card, after the others, with the loss around the trained weights.
      const card = chartCard('landscape', t('cardLandscape'), [{ id: 'chart-landscape', label: t('cardLandscapeAria') }]);
      this.elements.chartsGrid.append(card.section);
      this.charts.push(new LandscapeChart(run.landscape));
      this.visibilityObserver?.observe(card.section);
      for (const [chartId, button] of card.pngButtons) {
        button.addEventListener('click', () => this.post({ type: 'savePng', chart: chartId, dataUrl: this.chartPng(chartId) }));
      }
    }
    this.store.keepAllViews = true;
    this.store.startRun(0, run.meta, run.sourceLabel, undefined, run.frames);
    this.store.divergence = run.divergence;
    this.store.state = run.divergence !== undefined ? 'diverged' : 'done';
  }

  /** The history slider: in a report it replays the recording; live it scrubs back while paused. */
  private wireSlider(): void {
    const slider = this.elements.replaySlider;
    slider.addEventListener('input', () => {
      if (this.report === undefined && !this.canScrub()) return;
      this.store.scrubTo(Number(slider.value));
      this.renderChrome();
      this.scheduleRender();
    });
  }

  /** Live, the past can be shown while training stands still; Play (or any step) returns to the present. */
  private canScrub(): boolean {
    const state = this.store.state;
    return this.store.frames.length > 1 && (state === 'paused' || state === 'done' || state === 'diverged');
  }

  private returnToPresent(): void {
    if (this.store.cursor === undefined) return;
    this.store.scrubTo(undefined);
    this.renderChrome();
    this.scheduleRender();
  }

  private renderSlider(): void {
    const { store, elements } = this;
    const slider = elements.replaySlider;
    const last = Math.max(0, store.frames.length - 1);
    slider.max = String(last);
    slider.value = String(store.cursor ?? last);
    const live = this.report === undefined;
    slider.disabled = live && !this.canScrub();
    const shown = store.latest();
    const newest = store.frames[last]?.snapshot;
    if (shown === undefined) {
      elements.replayLabel.textContent = '';
      return;
    }
    const at = t('replayAt', shown.epoch, shown.step);
    if (!live) elements.replayLabel.textContent = at;
    else if (store.cursor !== undefined && newest !== undefined) elements.replayLabel.textContent = t('replayOfNewest', at, newest.step);
    else elements.replayLabel.textContent = slider.disabled ? t('replayPauseToLook', at) : t('replayLatest', at);
  }

  private onThemeChange(): void {
    this.palette = readPalette();
    applyChartDefaults(this.palette);
    for (const chart of this.charts) chart.destroy();
    this.renderChrome();
    this.scheduleRender();
  }

  scheduleRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  /** Draws every chart from the store (at most once per animation frame, however many messages arrived). */
  render(): void {
    const started = performance.now();
    const hasData = this.store.meta !== undefined;
    this.elements.chartsGrid.classList.toggle('empty', !hasData);
    if (hasData) {
      const context: ChartContext = { store: this.store, palette: this.palette, settings: this.settings, tooltip: this.tooltip };
      for (const chart of this.charts) {
        // Charts scrolled out of view wait until they come back (the observer schedules a render then).
        if (!this.isOnScreen(chart)) {
          this.staleCharts.add(chart);
          continue;
        }
        this.staleCharts.delete(chart);
        try {
          chart.update(context);
        } catch (error) {
          // One chart failing must not blank the others; the message shows in its card.
          console.error(error);
        }
      }
    }
    const elapsed = performance.now() - started;
    const stats = window.gradscopeStats;
    stats.renders++;
    stats.lastRenderMs = elapsed;
    stats.maxRenderMs = Math.max(stats.maxRenderMs, elapsed);
    stats.totalRenderMs += elapsed;
  }

  private readonly visibleCards = new Set<Element>();
  private readonly staleCharts = new Set<PanelChart>();
  private visibilityKnown = false;
  private visibilityObserver: IntersectionObserver | undefined;

  private cardOf(chart: PanelChart): Element | null {
    return document.getElementById(chart.canvasIds[0])?.closest('section') ?? null;
  }

  private isOnScreen(chart: PanelChart): boolean {
    if (!this.visibilityKnown) return true;
    const card = this.cardOf(chart);
    return card === null || this.visibleCards.has(card);
  }

  private observeVisibility(): void {
    if (typeof IntersectionObserver !== 'function') return;
    const observer = this.visibilityObserver = new IntersectionObserver(entries => {
      this.visibilityKnown = true;
      let cameIntoView = false;
      for (const entry of entries) {
        if (entry.isIntersecting) {
          if (!this.visibleCards.has(entry.target)) cameIntoView = true;
          this.visibleCards.add(entry.target);
        } else {
          this.visibleCards.delete(entry.target);
        }
      }
      if (cameIntoView && this.staleCharts.size > 0) this.scheduleRender();
    }, { rootMargin: '200px 0px' });
    for (const chart of this.charts) {
      const card = this.cardOf(chart);
      if (card !== null) observer.observe(card);
    }
  }

  /** The non-chart parts: title, status line, banners, layer strip, control states. */
  renderChrome(): void {
    const { store, elements } = this;
    const meta = store.meta;
    const latest = store.latest();
    elements.title.textContent = meta?.title ?? (store.sourceLabel !== '' ? store.sourceLabel : 'Gradscope');
    elements.source.textContent = meta === undefined ? '' : describeRun(meta, store.sourceLabel);
    elements.status.textContent = meta?.kind === 'pytorch'
      ? [latest !== undefined ? `${t('statusStep', latest.step)} · ${t('statusLoss', formatNumber(latest.loss))}` : t('waitingFirstSnapshot'), store.stateDetail].filter(Boolean).join(' · ')
      : statusText(store.state, latest, store.progress, meta?.epochs);
    elements.stateBadge.textContent = meta?.kind === 'pytorch' ? watchStateLabel(store.state) : stateLabel(store.state);
    elements.stateBadge.dataset.state = store.state;
    elements.root.dataset.state = store.state;
    // A PyTorch run is watched, not trained here: no training controls, no function view.
    elements.root.classList.toggle('watch', meta?.kind === 'pytorch');
    const running = store.state === 'running';
    elements.playButton.setAttribute('aria-pressed', String(running));
    elements.playButton.title = running ? S.pauseTitle : S.resumeTitle;
    elements.playButton.setAttribute('aria-label', running ? S.pauseAria : S.resumeAria);
    elements.playLabel.textContent = running ? S.pause : S.play;
    elements.setPlayIcon(running);
    const idle = store.state === 'loading' || store.state === 'error' || meta === undefined;
    for (const button of elements.trainingButtons) button.disabled = idle;
    elements.scaleButton.setAttribute('aria-pressed', String(this.settings.logScale));
    elements.scaleLabel.textContent = this.settings.logScale ? S.log : S.linear;
    if (document.activeElement !== elements.lrInput && this.runSettings?.lr !== undefined) elements.lrInput.value = String(this.runSettings.lr);
    if (document.activeElement !== elements.batchInput && this.runSettings?.batchSize !== undefined) elements.batchInput.value = String(this.runSettings.batchSize);
    const cadence = this.runSettings?.snapshotEvery;
    if (cadence !== undefined) {
      // A cadence from settings or a config may not be one of the menu's; it gets an entry of its own.
      if (![...elements.cadenceSelect.options].some(option => option.value === String(cadence))) {
        elements.cadenceSelect.append(new Option(cadence === 0 ? S.everyEpoch : format(S.everySteps, cadence), String(cadence)));
      }
      elements.cadenceSelect.value = String(cadence);
    }
    this.renderBanners();
    this.renderLayerStrip();
    this.renderDistributionControls();
    this.renderSlider();
    elements.loading.textContent = store.state === 'error'
      ? S.couldNotStart
      : format(S.loadingRun, store.sourceLabel || S.theRun);
  }

  private renderBanners(): void {
    const { store, elements } = this;
    const error = store.error;
    elements.errorBanner.hidden = error === undefined;
    if (error !== undefined) {
      elements.errorMessage.textContent = error.message;
      const location = error.location;
      elements.errorOpenButton.hidden = location === undefined || this.vscode === undefined;
      if (location !== undefined) elements.errorOpenButton.textContent = format(S.openLocation, basename(location.file), location.line);
      elements.retryButton.textContent = error.restartable === true ? t('restart') : t('retry');
      elements.retryButton.title = error.restartable === true ? t('restartTitle') : t('retryTitle');
      elements.retryButton.hidden = this.vscode === undefined;
    }
    const divergence = store.divergence;
    elements.divergenceBanner.hidden = divergence === undefined;
    if (divergence !== undefined) {
      const lr = store.latest()?.lr ?? store.meta?.lr;
      const suggestion = lr !== undefined
        ? format(S.trySmallerLr, formatNumber(lr / 10))
        : S.trySmallerLrPlain;
      elements.divergenceMessage.textContent = format(S.divergedBanner, divergence.epoch, divergence.step, divergence.message, suggestion);
    }
    const notes = store.meta?.notes ?? [];
    elements.notes.hidden = notes.length === 0;
    elements.notes.textContent = notes.join(store.meta?.kind === 'pytorch' ? '\n' : ' · ');
  }

  private renderLayerStrip(): void {
    const strip = this.elements.layerStrip;
    const latest = this.store.latest();
    const metaLayers = this.store.meta?.layers ?? [];
    const layers = latest?.layers;
    if (strip.childElementCount !== metaLayers.length) {
      strip.replaceChildren(...metaLayers.map(layer => {
        const chip = document.createElement('button');
        chip.type = 'button';
        chip.className = 'layer-chip';
        chip.dataset.layer = String(layer.index);
        chip.setAttribute('role', 'listitem');
        const name = document.createElement('span');
        name.className = 'layer-chip-name';
        const detail = document.createElement('span');
        detail.className = 'layer-chip-detail';
        const swatch = document.createElement('span');
        swatch.className = 'layer-chip-swatch';
        chip.append(swatch, name, detail);
        const show = (): void => {
          const box = chip.getBoundingClientRect();
          this.tooltip.show(this.store.latest(), layer.index, box.left, box.bottom);
        };
        chip.addEventListener('mouseenter', show);
        chip.addEventListener('focus', show);
        chip.addEventListener('mouseleave', () => this.tooltip.hide());
        chip.addEventListener('blur', () => this.tooltip.hide());
        chip.addEventListener('click', () => {
          this.settings.selectedLayer = layer.index;
          this.saveState();
          this.renderChrome();
          this.scheduleRender();
        });
        return chip;
      }));
    }
    const logs = (layers ?? []).map(layer => (layer.gradNorm > 0 ? Math.log10(layer.gradNorm) : Number.NaN));
    const finite = logs.filter(Number.isFinite);
    const low = finite.length > 0 ? Math.min(...finite) : 0;
    const high = finite.length > 0 ? Math.max(...finite) : 1;
    metaLayers.forEach((layer, i) => {
      const chip = strip.children[i] as HTMLElement;
      const probe = layers?.[i];
      const selected = layer.index === this.settings.selectedLayer;
      chip.classList.toggle('selected', selected);
      chip.setAttribute('aria-current', String(selected));
      (chip.children[1] as HTMLElement).textContent = layer.name ?? `L${layer.index}`;
      (chip.children[2] as HTMLElement).textContent = `${layer.units} ${layer.activation}`;
      const swatch = chip.children[0] as HTMLElement;
      const t = Number.isFinite(logs[i]) ? (logs[i] - low) / (high - low || 1) : 0;
      const [r, g, b] = viridis(t);
      // The swatch's colour is data (like a chart's), so it is set from script, not from the stylesheet.
      swatch.style.backgroundColor = probe === undefined ? 'transparent' : `rgb(${r | 0}, ${g | 0}, ${b | 0})`;
      chip.setAttribute('aria-label', probe === undefined
        ? format(S.layerChip, layer.index, layer.units, layer.activation)
        : format(S.layerChipProbe, layer.index, layer.units, layer.activation, formatNumber(probe.gradNorm), formatPercent(probe.saturation), formatPercent(probe.dead)));
    });
  }

  private renderDistributionControls(): void {
    const { layerSelect, distributionMode, distributionOf } = this.elements;
    const layers = this.store.meta?.layers ?? [];
    if (layerSelect.options.length !== layers.length) {
      layerSelect.replaceChildren(...layers.map(layer => new Option(`${layer.name ?? `L${layer.index}`} · ${layer.units} ${layer.activation}`, String(layer.index))));
    }
    layerSelect.value = String(this.settings.selectedLayer);
    distributionMode.value = this.settings.distributionMode;
    distributionOf.value = this.settings.distributionOf;
  }

  private wireControls(): void {
    const e = this.elements;
    // Any move of the run (play, a step, a reset) shows the present again.
    const control = (action: Extract<FromWebview, { type: 'control' }>['action']) => () => {
      this.returnToPresent();
      this.post({ type: 'control', action });
    };
    e.playButton.addEventListener('click', () => {
      this.returnToPresent();
      this.post({ type: 'control', action: this.store.state === 'running' ? 'pause' : 'play' });
    });
    e.stepBatchButton.addEventListener('click', control('stepBatch'));
    e.stepEpochButton.addEventListener('click', control('stepEpoch'));
    e.resetButton.addEventListener('click', control('reset'));
    e.reseedButton.addEventListener('click', control('reseed'));
    e.lrInput.addEventListener('change', () => {
      const lr = Number(e.lrInput.value);
      if (!(lr > 0) || !Number.isFinite(lr)) {
        e.lrInput.setAttribute('aria-invalid', 'true');
        return;
      }
      e.lrInput.removeAttribute('aria-invalid');
      this.runSettings = { ...this.runSettings, lr };
      this.post({ type: 'set', lr });
      this.saveState();
    });
    e.batchInput.addEventListener('change', () => {
      const batchSize = Math.round(Number(e.batchInput.value));
      if (!(batchSize >= 1)) {
        e.batchInput.setAttribute('aria-invalid', 'true');
        return;
      }
      e.batchInput.removeAttribute('aria-invalid');
      this.runSettings = { ...this.runSettings, batchSize };
      this.post({ type: 'set', batchSize });
      this.saveState();
    });
    e.cadenceSelect.addEventListener('change', () => {
      const snapshotEvery = Number(e.cadenceSelect.value);
      this.runSettings = { ...this.runSettings, snapshotEvery };
      this.post({ type: 'set', snapshotEvery });
      this.saveState();
    });
    e.scaleButton.addEventListener('click', () => {
      this.settings.logScale = !this.settings.logScale;
      this.saveState();
      this.renderChrome();
      this.scheduleRender();
    });
    e.layerSelect.addEventListener('change', () => {
      this.settings.selectedLayer = Number(e.layerSelect.value);
      this.saveState();
      this.renderChrome();
      this.scheduleRender();
    });
    e.distributionMode.addEventListener('change', () => {
      this.settings.distributionMode = e.distributionMode.value === 'histogram' ? 'histogram' : 'bands';
      this.saveState();
      this.scheduleRender();
    });
    e.distributionOf.addEventListener('change', () => {
      this.settings.distributionOf = e.distributionOf.value === 'z' ? 'z' : 'a';
      this.saveState();
      this.scheduleRender();
    });
    e.exportJson.addEventListener('click', () => this.post({ type: 'export', format: 'json' }));
    e.exportCsv.addEventListener('click', () => this.post({ type: 'export', format: 'csv' }));
    e.exportHtml?.addEventListener('click', () => this.post({ type: 'export', format: 'html' }));
    e.saveConfig?.addEventListener('click', () => this.post({ type: 'saveConfig' }));
    e.errorOpenButton.addEventListener('click', () => {
      const location = this.store.error?.location;
      if (location !== undefined) this.post({ type: 'openLocation', location });
    });
    e.retryButton.addEventListener('click', () => this.post({ type: 'retry' }));
    for (const [chartId, button] of e.pngButtons) {
      button.addEventListener('click', () => this.post({ type: 'savePng', chart: chartId, dataUrl: this.chartPng(chartId) }));
    }
    document.addEventListener('keydown', event => this.onKey(event));
  }

  /** Keyboard shortcuts, when focus is not in a text field. */
  private onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    if (target !== null && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
    if (event.ctrlKey || event.metaKey || event.altKey || this.report !== undefined) return;
    const e = this.elements;
    const buttons: Record<string, HTMLButtonElement> = { ' ': e.playButton, '.': e.stepBatchButton, e: e.stepEpochButton, r: e.resetButton, l: e.scaleButton };
    const button = buttons[event.key];
    // Space on a focused button already clicks it.
    if (button === undefined || button.disabled || (event.key === ' ' && target?.tagName === 'BUTTON')) return;
    event.preventDefault();
    button.click();
  }

  /** What each chart.js canvas holds (labels, values, axes): the webview tests assert on it. */
  describeCharts(): Record<string, ChartDescription> {
    const result: Record<string, ChartDescription> = {};
    for (const canvas of Array.from(document.querySelectorAll('canvas'))) {
      const chart = Chart.getChart(canvas);
      if (chart === undefined) continue;
      const scales: ChartDescription['scales'] = {};
      for (const [id, scale] of Object.entries(chart.scales)) {
        const title = (scale.options as { title?: { text?: string | string[] } }).title?.text;
        scales[id] = {
          type: scale.type, min: scale.min, max: scale.max, title: Array.isArray(title) ? title.join(' ') : title ?? '',
          color: String((scale.options as { ticks?: { color?: unknown } }).ticks?.color ?? ''),
          tickLabels: scale.ticks.map(tick => (Array.isArray(tick.label) ? tick.label.join(' ') : String(tick.label ?? ''))),
        };
      }
      result[canvas.id] = {
        type: (chart.config as { type: string }).type,
        labels: (chart.data.labels ?? []).map(String),
        datasets: chart.data.datasets.map(dataset => ({
          label: dataset.label ?? '',
          hidden: dataset.hidden === true,
          color: String(dataset.borderColor ?? ''),
          data: (dataset.data as unknown[]).map(point => (point !== null && typeof point === 'object' ? { ...(point as object) } : point)) as ChartDescription['datasets'][number]['data'],
        })),
        scales,
        area: { left: chart.chartArea.left, top: chart.chartArea.top, right: chart.chartArea.right, bottom: chart.chartArea.bottom },
        legend: (chart.legend?.legendItems ?? []).map(item => item.text),
        legendDash: (chart.legend?.legendItems ?? []).map(item => [...(item.lineDash ?? [])]),
        legendTitle: String((chart.options.plugins?.legend?.title?.display === true ? chart.options.plugins.legend.title.text : '') ?? ''),
      };
    }
    return result;
  }

  /** The chart's pixels on the theme's background (a transparent PNG is unreadable on the other theme). */
  chartPng(canvasId: string): string {
    const source = document.getElementById(canvasId) as HTMLCanvasElement | null;
    if (source === null) return '';
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const ctx = copy.getContext('2d');
    if (ctx === null) return source.toDataURL('image/png');
    ctx.fillStyle = this.palette.background;
    ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(source, 0, 0);
    return copy.toDataURL('image/png');
  }

  private saveState(): void {
    if (this.vscode === undefined) return;
    window.clearTimeout(this.saveStateTimer);
    this.saveStateTimer = window.setTimeout(() => {
      this.vscode?.setState({
        source: this.store.source,
        sourceLabel: this.store.sourceLabel,
        settings: this.runSettings,
        ui: { ...this.settings },
      });
    }, 200);
  }
}

function statusText(state: RunState, latest: ReturnType<RunStore['latest']>, progress: RunStore['progress'], epochs: number | undefined): string {
  if (latest === undefined) {
    if (state === 'error') return t('notStarted');
    return progress === undefined ? t('waitingFirstSnapshot') : t('replayAt', progress.epoch, progress.step);
  }
  // Between snapshots (a slow cadence) the worker's progress is newer than the last snapshot.
  const now = progress !== undefined && progress.step > latest.step ? progress : latest;
  const parts = [epochs !== undefined ? t('statusEpochOf', now.epoch, epochs) : t('statusEpoch', now.epoch), t('statusStep', now.step), t('statusLoss', formatNumber(latest.loss))];
  if (latest.valLoss !== undefined) parts.push(t('statusVal', formatNumber(latest.valLoss)));
  if (latest.accuracy !== undefined) parts.push(t('statusAcc', formatPercent(latest.accuracy)));
  return parts.join(' · ');
}

function stateLabel(state: RunState): string {
  switch (state) {
    case 'loading': return S.stateLoading;
    case 'running': return S.stateRunning;
    case 'paused': return S.statePaused;
    case 'done': return S.stateDone;
    case 'diverged': return S.stateDiverged;
    case 'error': return S.stateError;
    default: return assertNever(state);
  }
}

/** A watched PyTorch run: live while lines arrive, stalled when they stop (not an error), ended at its end record. */
function watchStateLabel(state: RunState): string {
  switch (state) {
    case 'running': return t('watchLive');
    case 'paused': return t('watchStalled');
    case 'done': return t('watchEnded');
    default: return stateLabel(state);
  }
}

function describeRun(meta: NonNullable<RunStore['meta']>, sourceLabel: string): string {
  if (meta.kind === 'pytorch') return t('describePytorch', sourceLabel, meta.layers.length);
  const task = meta.task === 'regression' ? t('taskRegression') : meta.task === 'binary' ? t('taskBinary') : t('taskMulticlass', meta.classes?.length ?? '?');
  const widths = meta.layers.map(layer => layer.units).join('-');
  return t('describeRun', sourceLabel, task, `${meta.inputNames.length}-${widths}`, formatNumber(meta.lr), meta.batchSize, meta.seed);
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function blobUrl(text: string, type: string): string {
  return URL.createObjectURL(new Blob([text], { type }));
}

function download(name: string, url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
}

function assertNever(value: never): never {
  throw new Error(`unexpected message ${JSON.stringify(value)}`);
}

function readEmbeddedRun(): RecordedRun | undefined {
  const element = document.getElementById('gradscope-report-data');
  if (element === null || element.textContent === null) return undefined;
  return JSON.parse(element.textContent) as RecordedRun;
}

function start(): void {
  const report = readEmbeddedRun();
  const vscode = report === undefined && typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  window.gradscopePanel = new GradscopePanel(vscode, report);
}

export type { GradscopePanel };

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
