// The "Visualize Network" panel: one webview per run, its RunSession (the worker), the status bar item, the
// progress notification, exports, and restore after a window reload (WebviewPanelSerializer).
import { panelStrings } from './panelStrings';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveThreads } from '../core/parallel/pool';
import { applyEdits, modify } from 'jsonc-parser';
import { presetConfigText } from '../core/config/presets';
import type { DivergenceInfo } from '../core/types';
import type { ErrorLocation, FromWebview, RunSource, RunState, ToWebview, WebviewState } from '../protocol';
import { onCheckedMessage } from '../shared/webviewBoundary';
import { DEFAULT_WORKER_MEMORY_MB } from '../shared/workerHost';
import { validateFromVisualizeWebview } from '../shared/webviewMessages';
import { loadReportAssets, renderReport } from './report';
import { renderPanelHtml } from './panelHtml';
import { RunSession, type FirstSnapshot, type StartOptions } from './runSession';
import { snapshotsToCsv } from './snapshotTable';
import { writeFileAtomic } from '../core/io/atomicWrite';
import { writeUriAtomic } from '../shared/writeUri';
import { SaveError } from '../shared/saveError';

export const PANEL_VIEW_TYPE = 'gradscope.panel';

export interface PanelServices {
  context: vscode.ExtensionContext;
  output: vscode.OutputChannel;
}

function settings(): StartOptions & { autoplay: boolean; progressAfterMs: number } {
  const config = vscode.workspace.getConfiguration('gradscope.panel');
  return {
    autoplay: config.get<boolean>('autoplay', true),
    snapshotEvery: config.get<number>('snapshotEvery', 10),
    rowLimit: config.get<number>('rowLimit', 100000),
    maxPoints: config.get<number>('maxPoints', 2000),
    threads: resolveThreads(vscode.workspace.getConfiguration('gradscope').get<number>('threads', 0)),
    progressAfterMs: Math.max(0, config.get<number>('progressNotificationAfterSeconds', 3)) * 1000,
  };
}

/** The `gradscope.workers.memoryLimitMb` setting, read when a worker starts. */
export function workerMemoryLimitMb(): number {
  return vscode.workspace.getConfiguration('gradscope.workers').get<number>('memoryLimitMb', DEFAULT_WORKER_MEMORY_MB);
}

function slug(text: string): string {
  return text.replace(/\.nn\.json$|\.[a-z]+$/i, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'run';
}

export class VisualizePanel {
  private static readonly panels = new Set<VisualizePanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly session: RunSession;
  private readonly statusItem: vscode.StatusBarItem;
  private webviewReady = false;
  private progressTimer: NodeJS.Timeout | undefined;
  private endProgress: (() => void) | undefined;
  private sourceLabel = '';
  private disposed = false;

  /** Opens a panel for `source` (or reuses the one already showing it) and starts the run. */
  static show(services: PanelServices, source: RunSource, label: string, overrides: StartOptions = {}): VisualizePanel {
    const existing = [...VisualizePanel.panels].find(p => p.session.source !== undefined && sameSource(p.session.source, source));
    if (existing !== undefined) {
      existing.panel.reveal();
      existing.start(source, label, overrides);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, vscode.l10n.t('Gradscope: {0}', label), vscode.ViewColumn.Active, VisualizePanel.webviewOptions(services.context));
    const created = new VisualizePanel(panel, services);
    created.start(source, label, overrides);
    return created;
  }

  /** After a window reload: the webview's saved state names the run's source; it trains again from there. */
  static revive(panel: vscode.WebviewPanel, services: PanelServices, state: WebviewState | undefined): VisualizePanel {
    panel.webview.options = VisualizePanel.webviewOptions(services.context);
    const revived = new VisualizePanel(panel, services);
    if (state?.source !== undefined) {
      revived.start(state.source, state.sourceLabel ?? vscode.l10n.t('restored run'), { ...state.settings, autoplay: false });
    } else {
      revived.session.fail(vscode.l10n.t('Nothing to restore here: run “Gradscope: Visualize Network” again.'));
    }
    return revived;
  }

  static webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media'), vscode.Uri.joinPath(context.extensionUri, 'dist')],
    };
  }

  static disposeAll(): void {
    for (const panel of [...VisualizePanel.panels]) panel.dispose();
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly services: PanelServices) {
    VisualizePanel.panels.add(this);
    const { context, output } = services;
    this.statusItem = vscode.window.createStatusBarItem('gradscope.training', vscode.StatusBarAlignment.Left, 50);
    this.statusItem.name = vscode.l10n.t('Gradscope training');
    this.session = new RunSession({
      workerPath: path.join(context.extensionPath, 'dist', 'worker.js'),
      post: message => this.post(message),
      log: line => output.appendLine(`[${new Date().toLocaleTimeString()}] ${line}`),
      memoryLimitMb: workerMemoryLimitMb,
      onStateChange: state => this.onStateChange(state),
      onError: (message, location) => void this.showError(message, location),
      onDiverged: info => this.showDivergence(info),
      onSnapshot: () => this.updateStatus(),
    });
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      onCheckedMessage(panel.webview, 'Visualize Network', validateFromVisualizeWebview, output, message => this.onMessage(message)),
      // Without retainContextWhenHidden the page is torn down when hidden; it says `ready` again when shown.
      panel.onDidChangeViewState(event => { if (!event.webviewPanel.visible) this.webviewReady = false; }),
      vscode.workspace.onDidSaveTextDocument(document => this.onSaved(document)),
      this.statusItem,
    );
  }

  /** The run's first snapshot, or its error. */
  firstSnapshot(): Promise<FirstSnapshot> {
    return this.session.firstSnapshot();
  }

  private start(source: RunSource, label: string, overrides: StartOptions): void {
    const defaults = settings();
    this.sourceLabel = label;
    this.panel.title = vscode.l10n.t('Gradscope: {0}', label);
    this.services.output.appendLine(`[${new Date().toLocaleTimeString()}] Visualize Network: ${describeSource(source)}`);
    this.session.start(source, label, {
      autoplay: defaults.autoplay, snapshotEvery: defaults.snapshotEvery, rowLimit: defaults.rowLimit, maxPoints: defaults.maxPoints,
      threads: defaults.threads,
      ...stripUndefined(overrides),
    });
  }

  private html(): string {
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.services.context.extensionUri, 'media');
    return renderPanelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
      strings: panelStrings(),
      lang: vscode.env.language,
    });
  }

  private post(message: ToWebview): void {
    if (!this.webviewReady || this.disposed) return;
    if (message.type === 'error') this.errorsShown.push(message);
    void this.panel.webview.postMessage(message);
  }

  /** The page has said `ready` (and is visible). */
  get pageReady(): boolean {
    return this.webviewReady;
  }

  /** Error banners delivered to the page, newest last (the integration tests read them). */
  readonly errorsShown: Extract<ToWebview, { type: 'error' }>[] = [];

  private onMessage(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        for (const replay of this.session.replayMessages()) this.post(replay);
        break;
      case 'control':
        this.session.control(message.action);
        break;
      case 'set':
        this.session.set({ lr: message.lr, batchSize: message.batchSize, snapshotEvery: message.snapshotEvery });
        break;
      case 'export':
        this.reportFailure('export', this.exportRun(message.format));
        break;
      case 'savePng':
        this.reportFailure('chart', this.savePng(message.chart, message.dataUrl));
        break;
      case 'saveConfig':
        this.reportFailure('config', this.saveConfig());
        break;
      case 'openLocation':
        // The page may only open the file the host reported an error in (or the run's own config).
        if (message.location.file === this.session.error?.location?.file
          || (this.session.source?.kind === 'config' && message.location.file === this.session.source.configPath)) {
          void openLocation(message.location);
        } else {
          this.services.output.appendLine(`Visualize Network: ignored openLocation for ${message.location.file} (not this run's file)`);
        }
        break;
      case 'retry':
        // Retry after an error, Restart after a crash: the same source and settings in a fresh worker.
        this.session.restart();
        break;
      default: {
        const never: never = message;
        throw new Error(`unknown webview message ${JSON.stringify(never)}`);
      }
    }
  }

  /** A write that fails (a full disk, no permission) says so; the previous file is whole (atomic writes). */
  private reportFailure(what: 'export' | 'chart' | 'config', work: Promise<void>): void {
    work.catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      this.services.output.appendLine(`Visualize Network: could not ${what === 'export' ? 'export the run' : what === 'chart' ? 'save the chart' : 'save the config'}: ${text}${cause}`);
      const shown = what === 'export' ? vscode.l10n.t('Gradscope: could not export the run: {0}', text)
        : what === 'chart' ? vscode.l10n.t('Gradscope: could not save the chart: {0}', text)
          : vscode.l10n.t('Gradscope: could not save the config: {0}', text);
      void vscode.window.showErrorMessage(shown);
    });
  }

  /** Test seam (extension tests only): the open panels. */
  static all(): VisualizePanel[] {
    return [...VisualizePanel.panels];
  }

  /** Test seam: the panel's run. */
  get runSession(): RunSession {
    return this.session;
  }

  private onSaved(document: vscode.TextDocument): void {
    const source = this.session.source;
    if (source?.kind !== 'config' || document.uri.fsPath !== source.configPath) return;
    if (!vscode.workspace.getConfiguration('gradscope.liveProbe').get<boolean>('retrainOnSave', true)) return;
    // The run on screen stays until the saved config trains; a config saved with errors keeps it, errors over it.
    this.start({ ...source, configText: undefined }, this.sourceLabel, { ...this.session.startOptions, keepUntilReady: true });
  }

  private onStateChange(state: RunState): void {
    this.updateStatus();
    if (state === 'running') {
      // Only runs longer than a few seconds earn a notification.
      if (this.progressTimer === undefined && this.endProgress === undefined) {
        this.progressTimer = setTimeout(() => {
          this.progressTimer = undefined;
          if (this.session.running) this.showProgress();
        }, settings().progressAfterMs);
      }
    } else {
      if (this.progressTimer !== undefined) clearTimeout(this.progressTimer);
      this.progressTimer = undefined;
      this.endProgress?.();
      this.endProgress = undefined;
    }
  }

  private showProgress(): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Gradscope: training {0}', this.session.meta?.title ?? this.sourceLabel), cancellable: true },
      (progress, token) => new Promise<void>(resolve => {
        let reported = 0;
        const tick = setInterval(() => {
          const p = this.session.progress;
          if (p === undefined) return;
          const percent = p.epochs > 0 ? Math.min(100, (100 * p.epoch) / p.epochs) : 0;
          const latest = this.session.recordedRun()?.frames.at(-1)?.snapshot;
          progress.report({ increment: percent - reported, message: `${vscode.l10n.t('epoch {0}/{1} · step {2}', p.epoch, p.epochs, p.step)}${latest !== undefined ? ` · ${vscode.l10n.t('loss {0}', latest.loss.toPrecision(3))}` : ''}` });
          reported = percent;
        }, 500);
        const finish = () => {
          clearInterval(tick);
          resolve();
        };
        this.endProgress = finish;
        // Cancelling the notification pauses training (the panel's Play resumes it).
        token.onCancellationRequested(() => {
          this.session.control('pause');
          finish();
        });
      }),
    );
  }

  private updateStatus(): void {
    const state = this.session.state;
    const p = this.session.progress;
    if (state !== 'running' || p === undefined) {
      this.statusItem.hide();
      return;
    }
    const latest = this.session.recordedRun()?.frames.at(-1)?.snapshot;
    this.statusItem.text = `$(pulse) ${vscode.l10n.t('Gradscope: epoch {0}/{1}', p.epoch, p.epochs)}${latest !== undefined ? ` · ${vscode.l10n.t('loss {0}', latest.loss.toPrecision(3))}` : ''}`;
    this.statusItem.tooltip = vscode.l10n.t('Training {0} in a worker thread', this.session.meta?.title ?? this.sourceLabel);
    this.statusItem.show();
  }

  private async showError(message: string, location: ErrorLocation | undefined): Promise<void> {
    const where = location === undefined ? '' : ` (${path.basename(location.file)}:${location.line}:${location.column})`;
    const openFile = vscode.l10n.t('Open File');
    const open = location === undefined ? [] : [openFile];
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Gradscope: {0}', `${message}${where}`), ...open);
    if (choice === openFile && location !== undefined) await openLocation(location);
  }

  private showDivergence(info: DivergenceInfo): void {
    void vscode.window.showWarningMessage(vscode.l10n.t('Gradscope: {0}', info.message));
  }

  private defaultUri(name: string): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return folder !== undefined ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(path.join(this.services.context.globalStorageUri.fsPath, name));
  }

  /** `chosen` skips the save dialog (the extension tests' seam); the page's Export asks where. */
  async exportRun(format: 'json' | 'csv' | 'html', chosen?: vscode.Uri): Promise<void> {
    const run = this.session.recordedRun();
    if (run === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Gradscope: nothing to export yet — wait for the first snapshot.'));
      return;
    }
    const base = slug(run.meta.title);
    if (format === 'html') {
      const folder = vscode.Uri.joinPath(this.services.context.globalStorageUri, 'reports');
      const file = path.join(folder.fsPath, `${base}-${new Date().toISOString().replace(/[:.]/g, '-')}.html`);
      await writeFileAtomic(file, renderReport(run, loadReportAssets(this.services.context.extensionPath))).catch((error: unknown) => { throw new SaveError(file, error); });
      this.services.output.appendLine(vscode.l10n.t('HTML report written to {0}', file));
      await vscode.env.openExternal(vscode.Uri.file(file));
      const saveCopy = vscode.l10n.t('Save a Copy…');
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Gradscope: report written to {0}', file), saveCopy);
      if (choice === saveCopy) {
        const target = await vscode.window.showSaveDialog({ defaultUri: this.defaultUri(`${base}-report.html`), filters: { HTML: ['html'] } });
        if (target !== undefined) await writeUriAtomic(target, fs.readFileSync(file));
      }
      return;
    }
    const target = chosen ?? await vscode.window.showSaveDialog({
      defaultUri: this.defaultUri(`${base}-snapshots.${format}`),
      filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
      saveLabel: vscode.l10n.t('Export snapshots'),
    });
    if (target === undefined) return;
    const text = format === 'json' ? JSON.stringify(run) : snapshotsToCsv(run.frames.map(f => f.snapshot));
    await writeUriAtomic(target, text);
    this.services.output.appendLine(`exported ${run.frames.length} snapshots to ${target.fsPath}`);
  }

  private async savePng(chart: string, dataUrl: string): Promise<void> {
    const prefix = 'data:image/png;base64,';
    if (!dataUrl.startsWith(prefix)) return;
    const target = await vscode.window.showSaveDialog({ defaultUri: this.defaultUri(`${slug(this.session.meta?.title ?? 'gradscope')}-${chart}.png`), filters: { PNG: ['png'] } });
    if (target === undefined) return;
    await writeUriAtomic(target, Buffer.from(dataUrl.slice(prefix.length), 'base64'));
  }

  /** Writes the run's setup as a *.nn.json (preset or config, with the panel's lr and batch size) and opens it. */
  private async saveConfig(): Promise<void> {
    const source = this.session.source;
    if (source === undefined) return;
    const suggested = source.kind === 'dataset'
      ? vscode.Uri.file(path.join(path.dirname(source.dataPath), `${slug(path.basename(source.dataPath))}-${source.preset}.nn.json`))
      : source.kind === 'config' ? vscode.Uri.file(source.configPath.replace(/\.nn\.json$/i, '-copy.nn.json'))
        : this.defaultUri(`${source.builtin}-${source.preset}.nn.json`);
    const target = await vscode.window.showSaveDialog({ defaultUri: suggested, filters: { [vscode.l10n.t('Network config')]: ['nn.json'] }, saveLabel: vscode.l10n.t('Save config') });
    if (target === undefined) return;
    const dir = path.dirname(target.fsPath);
    let text: string;
    try {
      if (source.kind === 'config') {
        text = source.configText ?? fs.readFileSync(source.configPath, 'utf8');
        if (source.dataPath !== undefined) text = applyEdits(text, modify(text, ['data'], { file: path.relative(dir, source.dataPath).replace(/\\/g, '/') }, {}));
        else if (source.builtin !== undefined) text = applyEdits(text, modify(text, ['data'], { builtin: source.builtin }, {}));
      } else if (source.kind === 'dataset') {
        text = presetConfigText(source.preset, { file: path.relative(dir, source.dataPath) });
      } else {
        text = presetConfigText(source.preset, { builtin: source.builtin });
      }
      const lr = this.session.startOptions.lr;
      const batchSize = this.session.startOptions.batchSize;
      const formatting = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
      if (lr !== undefined) text = applyEdits(text, modify(text, ['optimizer', 'lr'], lr, formatting));
      if (batchSize !== undefined) text = applyEdits(text, modify(text, ['batchSize'], batchSize, formatting));
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Gradscope: could not write the config: {0}', error instanceof Error ? error.message : String(error)));
      return;
    }
    await writeUriAtomic(target, text);
    await vscode.window.showTextDocument(target, { viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    VisualizePanel.panels.delete(this);
    if (this.progressTimer !== undefined) clearTimeout(this.progressTimer);
    this.endProgress?.();
    // Closing the panel stops and disposes its worker.
    this.session.dispose();
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

async function openLocation(location: ErrorLocation): Promise<void> {
  const position = new vscode.Position(Math.max(0, location.line - 1), Math.max(0, location.column - 1));
  await vscode.window.showTextDocument(vscode.Uri.file(location.file), { selection: new vscode.Range(position, position) });
}

function sameSource(a: RunSource, b: RunSource): boolean {
  if (a.kind === 'config' && b.kind === 'config') return a.configPath === b.configPath && a.dataPath === b.dataPath && a.builtin === b.builtin;
  if (a.kind === 'dataset' && b.kind === 'dataset') return a.dataPath === b.dataPath && a.preset === b.preset;
  if (a.kind === 'builtin' && b.kind === 'builtin') return a.builtin === b.builtin && a.preset === b.preset;
  return false;
}

function describeSource(source: RunSource): string {
  switch (source.kind) {
    case 'config': return `config ${source.configPath}${source.dataPath !== undefined ? ` on ${source.dataPath}` : source.builtin !== undefined ? ` on built-in ${source.builtin}` : ''}`;
    case 'dataset': return `${source.dataPath} with preset ${source.preset}`;
    case 'builtin': return `built-in ${source.builtin} with preset ${source.preset}`;
    default: {
      const never: never = source;
      return String(never);
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
