// "Gradscope: Compare Networks" and "Gradscope: Show Loss Landscape": one webview with two views. Compare trains
// 2–4 configs or presets on one dataset, with one seed and split, interleaved in one worker thread, and overlays
// their per-layer gradients, saturation, losses and functions. Landscape draws the loss around a network's weights
// on two filter-normalised random directions (Li et al. 2018), streamed row by row from the same worker,
// cancellable, optionally with and without skip connections side by side. One panel at a time.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { gradscopeOutput } from '../shared/output';
import { locateWorkerForTests, registerTestCommand } from '../shared/testSeam';
import { onCheckedMessage } from '../shared/webviewBoundary';
import { validateFromNetworksWebview } from '../shared/webviewMessages';
import { DEFAULT_WORKER_MEMORY_MB, describeDeath, spawnWorker, type HostedWorker, type WorkerDeath } from '../shared/workerHost';
import { BUILTIN_DATASETS } from '../core/data/builtinDatasets';
import { NETWORK_PRESETS } from '../core/config/presets';
import { resolveThreads } from '../core/parallel/pool';
import type {
  FromNetworksWebview, FromNetworksWorker, LandscapeRequest, NetworkChoice, NetworksDataSource, ToNetworksWebview, ToNetworksWorker,
} from '../protocol';
import { renderNetworksHtml } from './networksHtml';
import { pageWordsOf } from '../shared/webviewPage';
import { DEFAULT_LANDSCAPE_REQUEST, MAX_COMPARED, sanitizeRequest, sanitizeRestore } from './networksRestore';

export { DEFAULT_LANDSCAPE_REQUEST, MAX_COMPARED, sanitizeRequest };
import { writeUriAtomic } from '../shared/writeUri';
import { localizeCatalogued, localizeCoreOr } from '../shared/localize';

export const NETWORKS_VIEW_TYPE = 'gradscope.compareNetworks';
const COMPARE_COMMAND = 'gradscope.compareNetworks';
const LANDSCAPE_COMMAND = 'gradscope.lossLandscape';

/** Command arguments (tests, the CodeLens): what to compare or which network's landscape, without asking. */
export interface CompareNetworksArgs {
  choices?: NetworkChoice[];
  data?: NetworksDataSource;
  seed?: number;
  epochs?: number;
}

export interface LossLandscapeArgs {
  choice?: NetworkChoice;
  data?: NetworksDataSource;
  request?: Partial<LandscapeRequest>;
}

/** What the commands resolve to once the worker has loaded the networks (or the landscape has begun). */
export type NetworksOpenResult = { ok: true; networks: string[] } | { ok: false; error: string };

function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}

export class NetworksPanel {
  private static current: NetworksPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private worker: HostedWorker | undefined;
  /** Set by dispose(): the worker's messages still in flight then go nowhere (the webview is gone). */
  private disposed = false;
  /** What the worker is doing, for the words of a crash. */
  private jobKind: 'compare' | 'landscape' | undefined;
  private readonly output: vscode.OutputChannel;
  private jobId = 0;
  private ready = false;
  private readonly queue: (() => void)[] = [];
  private readonly waiters: ((r: NetworksOpenResult) => void)[] = [];
  private lastCompare: Extract<ToNetworksWorker, { type: 'netsStart' }> | undefined;
  private lastLandscape: { choice: NetworkChoice; data: NetworksDataSource } | undefined;
  /** Messages posted to the webview, counted by type (the integration test reads them). */
  readonly posted = new Map<string, number>();

  static createOrShow(context: vscode.ExtensionContext): NetworksPanel {
    if (NetworksPanel.current) {
      NetworksPanel.current.panel.reveal();
      return NetworksPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(NETWORKS_VIEW_TYPE, vscode.l10n.t('Compare Networks'), vscode.ViewColumn.Active, {
      ...webviewOptions(context), retainContextWhenHidden: true,
    });
    NetworksPanel.current = new NetworksPanel(panel, context);
    return NetworksPanel.current;
  }

  /**
   * After a window reload VS Code hands back the panel with the state its webview kept: the job it showed runs
   * again (same networks, data, seed and epochs, or the same landscape request), as the Visualize panel retrains.
   */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, state: unknown): NetworksPanel {
    panel.webview.options = webviewOptions(context);
    NetworksPanel.current?.dispose();
    const revived = new NetworksPanel(panel, context);
    NetworksPanel.current = revived;
    const restore = sanitizeRestore((state as { restore?: unknown } | undefined)?.restore);
    if (restore?.kind === 'compare') revived.compare(restore.choices, restore.data, restore.seed, restore.epochs);
    else if (restore?.kind === 'landscape') revived.landscape(restore.choice, restore.data, restore.request);
    return revived;
  }

  static get open(): NetworksPanel | undefined {
    return NetworksPanel.current;
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly context: vscode.ExtensionContext) {
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    panel.webview.html = renderNetworksHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'compareNetworks.js')).toString(),
      baseStyleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'base.css')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'compareNetworks.css')).toString(),
      nonce: randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, ''),
      lang: vscode.env.language,
    });
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    this.output = gradscopeOutput(context);
    this.disposables.push(onCheckedMessage(panel.webview, 'Compare Networks', validateFromNetworksWebview, this.output, m => this.receive(m)));
  }

  private ensureWorker(): HostedWorker {
    if (this.worker && !this.worker.exited) return this.worker;
    const hosted = spawnWorker(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'networksWorker.js').fsPath, {
      role: 'networks',
      memoryLimitMb: vscode.workspace.getConfiguration('gradscope.workers').get<number>('memoryLimitMb', DEFAULT_WORKER_MEMORY_MB),
      onDeath: death => { if (this.worker === hosted) this.workerDied(death); },
    });
    hosted.worker.on('message', (m: FromNetworksWorker) => this.fromWorker(m));
    this.worker = hosted;
    return hosted;
  }

  /**
   * The worker died (out of memory, a crash, a kill): the page keeps what it drew (curves, landscape rows) and is
   * told what happened; "Train again" or "Compute" starts a fresh worker.
   */
  private workerDied(death: WorkerDeath): void {
    this.worker = undefined;
    const landscape = this.jobKind === 'landscape';
    const described = describeDeath({ ...death, role: landscape ? 'landscape' : 'Compare Networks' });
    const text = landscape ? vscode.l10n.t('{0} Compute starts it again.', described) : vscode.l10n.t('{0} Train again starts it again.', described);
    this.output.appendLine(`[${new Date().toLocaleTimeString()}] ${text}${death.error !== undefined ? ` (${death.error})` : ''}`);
    this.post(landscape ? { type: 'landscapeFailed', jobId: this.jobId, message: text } : { type: 'netsFailed', jobId: this.jobId, message: text });
    this.settle({ ok: false, error: text });
    void vscode.window.showErrorMessage(vscode.l10n.t('Gradscope: {0}', text));
  }

  /** Test seam: the live worker. */
  get hostedWorker(): HostedWorker | undefined {
    return this.worker;
  }

  private toWorker(message: ToNetworksWorker): void {
    this.ensureWorker().worker.postMessage(message);
  }

  private fromWorker(m: FromNetworksWorker): void {
    if (m.jobId !== this.jobId) return;
    if ((m.type === 'netsFailed' || m.type === 'landscapeFailed') && m.text) m = { ...m, message: localizeCoreOr(m.text, m.message) };
    if (m.type === 'netsLoaded') this.settle({ ok: true, networks: m.networks.map(n => n.label) });
    else if (m.type === 'landscapeBegin') this.settle({ ok: true, networks: m.views.map(v => v.title) });
    else if (m.type === 'landscapeEnd' && m.views.length === 0) this.settle({ ok: false, error: 'cancelled before the grid began' });
    else if (m.type === 'netsDone') this.settle({ ok: false, error: 'stopped before the networks loaded' });
    else if (m.type === 'netsFailed' || m.type === 'landscapeFailed') {
      this.settle({ ok: false, error: m.message });
      void vscode.window.showErrorMessage(vscode.l10n.t('Gradscope: {0}', m.message));
    }
    this.post(m);
  }

  whenLoaded(): Promise<NetworksOpenResult> {
    return new Promise(resolve => this.waiters.push(resolve));
  }

  private settle(result: NetworksOpenResult): void {
    for (const resolve of this.waiters.splice(0)) resolve(result);
  }

  private whenReady(action: () => void): void {
    if (this.ready) action();
    else this.queue.push(action);
  }

  compare(choices: NetworkChoice[], data: NetworksDataSource, seed: number, epochs: number): void {
    this.whenReady(() => {
      const jobId = ++this.jobId;
      this.panel.title = vscode.l10n.t('Compare Networks: {0}', choices.map(c => c.label).join(' · '));
      this.post({ type: 'netsMode', mode: 'compare', title: choices.map(c => c.label).join(' vs '), restore: { kind: 'compare', choices, data, seed, epochs } });
      this.lastCompare = {
        type: 'netsStart', jobId, choices, data, seed, epochs, snapshotEvery: 10, threads: configuredThreads(),
        dataLabelTemplate: vscode.l10n.t('{0} ({1} train / {2} validation rows, seed {3})'),
      };
      this.jobKind = 'compare';
      this.toWorker(this.lastCompare);
    });
  }

  landscape(choice: NetworkChoice, data: NetworksDataSource, request: LandscapeRequest): void {
    this.whenReady(() => {
      const jobId = ++this.jobId;
      this.panel.title = vscode.l10n.t('Loss Landscape: {0}', choice.label);
      this.lastLandscape = { choice, data };
      this.jobKind = 'landscape';
      this.post({ type: 'netsMode', mode: 'landscape', title: choice.label, restore: { kind: 'landscape', choice, data, request } });
      const words = { withoutSkip: vscode.l10n.t('without skip connections'), withSkip: vscode.l10n.t('with skip connections'), titled: vscode.l10n.t('{0} — {1} steps') };
      this.toWorker({ type: 'landscapeStart', jobId, choice, data, request, threads: configuredThreads(), words });
    });
  }

  private receive(message: FromNetworksWebview): void {
    switch (message.type) {
      case 'netsReady':
        this.ready = true;
        for (const action of this.queue.splice(0)) action();
        return;
      case 'netsStop':
        this.toWorker({ type: 'netsStop', jobId: this.jobId });
        return;
      case 'netsRestart':
        if (this.lastCompare) this.compare(this.lastCompare.choices, this.lastCompare.data, this.lastCompare.seed, this.lastCompare.epochs);
        return;
      case 'landscapeCancel':
        this.toWorker({ type: 'landscapeCancel', jobId: this.jobId });
        return;
      case 'landscapeRun':
        if (this.lastLandscape) this.landscape(this.lastLandscape.choice, this.lastLandscape.data, sanitizeRequest(message.request));
        return;
      case 'netsExport':
        exportFile(message.format, message.name, message.content).catch((error: unknown) => {
          const text = error instanceof Error ? error.message : String(error);
          this.output.appendLine(`[${new Date().toLocaleTimeString()}] ${text}`);
          void vscode.window.showErrorMessage(vscode.l10n.t('Gradscope: {0}', text));
        });
        return;
      default:
        assertNever(message);
    }
  }

  private post(message: ToNetworksWebview): void {
    if (this.disposed) return;
    this.posted.set(message.type, (this.posted.get(message.type) ?? 0) + 1);
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (NetworksPanel.current === this) NetworksPanel.current = undefined;
    void this.worker?.stop();
    this.worker = undefined;
    this.settle({ ok: false, error: 'the panel was closed' });
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/** The `gradscope.threads` setting made usable (0: half the cores). */
function configuredThreads(): number {
  return resolveThreads(vscode.workspace.getConfiguration('gradscope').get<number>('threads', 0));
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')] };
}

async function exportFile(format: 'json' | 'png', name: string, content: string): Promise<void> {
  const safe = name.replace(/[^\w.-]+/g, '-');
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: base ? vscode.Uri.joinPath(base, `${safe}.${format}`) : undefined,
    filters: format === 'json' ? { JSON: ['json'] } : { [vscode.l10n.t('PNG image')]: ['png'] },
  });
  if (!target) return;
  const bytes = format === 'png' ? Buffer.from(content.replace(/^data:image\/png;base64,/, ''), 'base64') : Buffer.from(content, 'utf8');
  await writeUriAtomic(target, bytes);
  void vscode.window.showInformationMessage(vscode.l10n.t('Gradscope: saved {0}', path.basename(target.fsPath)));
}

type ChoiceItem = vscode.QuickPickItem & { choice: NetworkChoice };

async function choiceItems(): Promise<ChoiceItem[]> {
  const configs = await vscode.workspace.findFiles('**/*.nn.json', '**/node_modules/**', 50);
  const items: ChoiceItem[] = NETWORK_PRESETS.map(p => ({ label: p.label, description: vscode.l10n.t('preset'), detail: localizeCatalogued(p.description), choice: { kind: 'preset', preset: p.id, label: p.label } }));
  for (const uri of configs) {
    const label = vscode.workspace.asRelativePath(uri);
    items.push({ label, description: vscode.l10n.t('config'), choice: { kind: 'config', configPath: uri.fsPath, label } });
  }
  return items;
}

async function pickData(configChosen: boolean): Promise<NetworksDataSource | undefined> {
  type Item = vscode.QuickPickItem & { source?: NetworksDataSource };
  const items: Item[] = [
    ...(configChosen ? [{ label: vscode.l10n.t("The first config's data"), description: vscode.l10n.t('every network on it'), source: { kind: 'config' as const } }] : []),
    { label: vscode.l10n.t('Open data file…'), description: vscode.l10n.t('CSV, TSV, JSON or JSON Lines') },
    ...BUILTIN_DATASETS.map(b => ({ label: b.label, description: vscode.l10n.t('built-in · {0}', b.name), detail: localizeCatalogued(b.description), source: { kind: 'builtin' as const, builtin: b.name } })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Compare Networks: one dataset for all'), placeHolder: vscode.l10n.t('Data every network trains on') });
  if (!picked) return undefined;
  if (picked.source) return picked.source;
  const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Data: ['csv', 'tsv', 'json', 'jsonl'] } });
  return files?.[0] ? { kind: 'file', dataPath: files[0].fsPath } : undefined;
}

/** A config's own data when the first choice is a config; presets need a dataset, so configs lead. */
function orderForData(choices: NetworkChoice[], data: NetworksDataSource): NetworkChoice[] {
  if (data.kind !== 'config') return choices;
  return [...choices.filter(c => c.kind === 'config'), ...choices.filter(c => c.kind === 'preset')];
}

function choiceFromUri(uri: vscode.Uri): NetworkChoice {
  return { kind: 'config', configPath: uri.fsPath, label: vscode.workspace.asRelativePath(uri) };
}

export function registerCompareNetworks(context: vscode.ExtensionContext): void {
  locateWorkerForTests('networks', () => NetworksPanel.open?.hostedWorker);
  // What VS Code calls after a window reload, with the state the page kept; the integration test calls the same
  // serializer on a panel it opens as VS Code would, since a real reload would end the test run.
  const serializer: vscode.WebviewPanelSerializer = {
    deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
      NetworksPanel.revive(panel, context, state);
    },
  };
  registerTestCommand(context, 'gradscope._test.reviveNetworks', async (state: unknown) => {
    const panel = vscode.window.createWebviewPanel(NETWORKS_VIEW_TYPE, 'Compare Networks', vscode.ViewColumn.Active, { retainContextWhenHidden: true });
    await serializer.deserializeWebviewPanel(panel, state);
    const revived = NetworksPanel.open;
    return revived?.panel === panel && sanitizeRestore((state as { restore?: unknown } | undefined)?.restore) !== undefined ? revived.whenLoaded() : undefined;
  });
  registerTestCommand(context, 'gradscope._test.networksPosted', () => Object.fromEntries(NetworksPanel.open?.posted ?? []));
  registerTestCommand(context, 'gradscope._test.networksWords', () => {
    const html = NetworksPanel.open?.panel.webview.html;
    return html === undefined ? undefined : pageWordsOf(html);
  });
  context.subscriptions.push(
    vscode.commands.registerCommand(COMPARE_COMMAND, async (args?: unknown): Promise<NetworksOpenResult | undefined> => {
      let choices: NetworkChoice[] | undefined;
      let data: NetworksDataSource | undefined;
      const a = (args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {}) as CompareNetworksArgs;
      if (Array.isArray(a.choices) && a.choices.length >= 2) choices = a.choices.slice(0, MAX_COMPARED);
      data = a.data;
      if (!choices) {
        const items = await choiceItems();
        const against = args instanceof vscode.Uri ? choiceFromUri(args) : undefined;
        const picked = await vscode.window.showQuickPick(items, {
          canPickMany: true, title: against ? vscode.l10n.t('Compare {0} with…', against.label) : vscode.l10n.t('Compare Networks: pick 2 to 4'), placeHolder: vscode.l10n.t('Presets and the workspace\'s *.nn.json configs'),
        });
        if (!picked) return undefined;
        choices = [...(against ? [against] : []), ...picked.map(p => p.choice)];
        if (choices.length < 2 || choices.length > MAX_COMPARED) {
          void vscode.window.showWarningMessage(vscode.l10n.t('Gradscope: compare 2 to {0} networks ({1} chosen).', MAX_COMPARED, choices.length));
          return undefined;
        }
      }
      data ??= await pickData(choices.some(c => c.kind === 'config'));
      if (!data) return undefined;
      choices = orderForData(choices, data);
      const panel = NetworksPanel.createOrShow(context);
      const loaded = panel.whenLoaded();
      panel.compare(choices, data, a.seed ?? 1, a.epochs ?? 30);
      return loaded;
    }),
    vscode.commands.registerCommand(LANDSCAPE_COMMAND, async (args?: unknown): Promise<NetworksOpenResult | undefined> => {
      const a = (args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {}) as LossLandscapeArgs;
      let choice = a.choice;
      const editor = vscode.window.activeTextEditor;
      if (!choice && args instanceof vscode.Uri) choice = choiceFromUri(args);
      if (!choice && editor && /\.nn\.json$/.test(editor.document.fileName)) {
        if (editor.document.isDirty) await editor.document.save();
        choice = choiceFromUri(editor.document.uri);
      }
      if (!choice) {
        const picked = await vscode.window.showQuickPick(await choiceItems(), { title: vscode.l10n.t('Show Loss Landscape: which network') });
        if (!picked) return undefined;
        choice = picked.choice;
      }
      let data = a.data;
      if (!data) data = choice.kind === 'config' ? { kind: 'config' } : await pickData(false);
      if (!data) return undefined;
      const panel = NetworksPanel.createOrShow(context);
      const loaded = panel.whenLoaded();
      panel.landscape(choice, data, sanitizeRequest(a.request));
      return loaded;
    }),
    // "Compare with…" above a config: opens it against presets chosen in a quick pick.
    vscode.languages.registerCodeLensProvider({ pattern: '**/*.nn.json' }, {
      provideCodeLenses: document => {
        const top = new vscode.Range(0, 0, 0, 0);
        return [
          new vscode.CodeLens(top, { title: vscode.l10n.t('Compare with…'), command: COMPARE_COMMAND, arguments: [document.uri] }),
          new vscode.CodeLens(top, { title: vscode.l10n.t('Loss landscape'), command: LANDSCAPE_COMMAND, arguments: [document.uri] }),
        ];
      },
    }),
    vscode.window.registerWebviewPanelSerializer(NETWORKS_VIEW_TYPE, serializer),
    { dispose: () => NetworksPanel.open?.dispose() },
  );
}

