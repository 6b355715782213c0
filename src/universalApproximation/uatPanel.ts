// "Gradscope: Universal Approximation": Nielsen's constructive proof on the user's 1-D data (or towers on 2-D data)
// in a webview. The webview builds and edits the network itself; the host loads the data and relays gradient
// descent from the worker threads. One panel at a time, restored after a reload by a serializer.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { gradscopeOutput } from '../shared/output';
import { locateWorkerForTests } from '../shared/testSeam';
import { onCheckedMessage } from '../shared/webviewBoundary';
import { validateFromUatWebview } from '../shared/webviewMessages';
import { DEFAULT_WORKER_MEMORY_MB } from '../shared/workerHost';
import { BUILTIN_DATASETS } from '../core/data/builtinDatasets';
import type { FromUatWebview, ToUatWebview, UatData, UatSource } from '../protocol';
import { loadUatData } from './uatData';
import { renderUatHtml } from './uatHtml';
import { sanitizeUatSource, sanitizeUatState } from './uatState';
import { UatTrainingSession } from './uatTraining';
import { isInputError } from '../core/inputError';
import { localizeCatalogued, localizeCoreOr } from '../shared/localize';

export const UAT_VIEW_TYPE = 'gradscope.universalApproximation';
const UAT_COMMAND = 'gradscope.universalApproximation';

/** What the command resolves to once the panel shows its data (tests and other commands await it). */
export type UatOpenResult = { ok: true; rows: number; inputs: number; label: string } | { ok: false; error: string };

/** Command arguments: a built-in set or a data file; none asks with a quick pick. */
export interface UatCommandArgs {
  builtin?: string;
  dataPath?: string;
  inputs?: (string | number)[];
  target?: string | number;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}

export class UatPanel {
  private static current: UatPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly training: UatTrainingSession;
  private data: UatData | undefined;
  private loadToken = 0;
  /** Set by dispose(): a worker's answer still in flight then goes nowhere (the webview is gone). */
  private disposed = false;
  private readonly waiters: ((result: UatOpenResult) => void)[] = [];
  private ready = false;

  static createOrShow(context: vscode.ExtensionContext, source: UatSource | undefined): UatPanel {
    if (UatPanel.current) {
      UatPanel.current.panel.reveal();
      if (source) UatPanel.current.load(source);
      return UatPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(UAT_VIEW_TYPE, vscode.l10n.t('Universal Approximation'), vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
    UatPanel.current = new UatPanel(panel, context, source);
    return UatPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, state: unknown): void {
    panel.webview.options = webviewOptions(context.extensionUri);
    UatPanel.current?.dispose();
    UatPanel.current = new UatPanel(panel, context, sanitizeUatState(state)?.source);
  }

  /** Test seam: the panel's training session. */
  get trainingSession(): UatTrainingSession {
    return this.training;
  }

  static get open(): UatPanel | undefined {
    return UatPanel.current;
  }

  private constructor(readonly panel: vscode.WebviewPanel, context: vscode.ExtensionContext, private source: UatSource | undefined) {
    this.training = new UatTrainingSession({
      workerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'uatWorker.js').fsPath,
      post: message => this.post(message),
      log: line => gradscopeOutput(context).appendLine(`[${new Date().toLocaleTimeString()}] ${line}`),
      memoryLimitMb: () => vscode.workspace.getConfiguration('gradscope.workers').get<number>('memoryLimitMb', DEFAULT_WORKER_MEMORY_MB),
    });
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    panel.webview.html = renderUatHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'uat.js')).toString(),
      baseStyleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'base.css')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'uat.css')).toString(),
      nonce: randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, ''),
      lang: vscode.env.language,
    });
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    this.disposables.push(onCheckedMessage(panel.webview, 'Universal Approximation', validateFromUatWebview, gradscopeOutput(context), message => this.receive(message)));
  }

  /** Resolves when the panel has its data (or failed to load it). */
  whenLoaded(): Promise<UatOpenResult> {
    return new Promise(resolve => this.waiters.push(resolve));
  }

  private settle(result: UatOpenResult): void {
    for (const resolve of this.waiters.splice(0)) resolve(result);
  }

  private receive(message: FromUatWebview): void {
    switch (message.type) {
      case 'uatReady': {
        this.ready = true;
        const restored = sanitizeUatSource(message.restored?.source);
        // The command's source wins over an older restored one; a reload has only the restored one.
        this.load(this.source ?? restored ?? { kind: 'builtin', builtin: 'nielsen' });
        return;
      }
      case 'uatChooseData':
        void chooseSource().then(source => { if (source) this.load(source); });
        return;
      case 'uatTrain':
        if (!this.data || this.data.inputs !== 1) return;
        this.training.start(message.start, message.network, this.data.x, this.data.y, message.lr, message.seed);
        return;
      case 'uatStopTraining':
        this.training.stop(message.start);
        return;
      default:
        assertNever(message);
    }
  }

  load(source: UatSource): void {
    this.source = source;
    if (!this.ready) return;
    const token = ++this.loadToken;
    const label = source.kind === 'builtin' ? vscode.l10n.t('{0} (built-in)', source.builtin) : vscode.workspace.asRelativePath(source.dataPath);
    this.panel.title = vscode.l10n.t('Universal Approximation: {0}', label);
    this.post({ type: 'uatLoading', label });
    this.training.stop('handBuilt');
    this.training.stop('random');
    // The manifest promises: in an untrusted workspace, data files only from inside the workspace.
    if (source.kind === 'file' && !vscode.workspace.isTrusted && !insideWorkspace(source.dataPath)) {
      const text = vscode.l10n.t('{0} is outside the workspace, and the workspace is not trusted: open the file from inside the workspace, or trust it.', label);
      this.post({ type: 'uatError', message: text });
      this.settle({ ok: false, error: text });
      return;
    }
    loadUatData(source).then(data => {
      if (token !== this.loadToken) return;
      this.data = data;
      this.post({ type: 'uatData', source, data });
      this.settle({ ok: true, rows: data.y.length, inputs: data.inputs, label: data.label });
    }, (error: unknown) => {
      if (token !== this.loadToken) return;
      // a data error (InputError) carries its message as data: shown in the display language
      const text = error instanceof Error ? localizeCoreOr(isInputError(error) ? error.text : undefined, error.message) : String(error);
      this.post({ type: 'uatError', message: text });
      void vscode.window.showErrorMessage(vscode.l10n.t('Gradscope: {0}', text));
      this.settle({ ok: false, error: text });
    });
  }

  private post(message: ToUatWebview): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (UatPanel.current === this) UatPanel.current = undefined;
    this.training.dispose();
    this.settle({ ok: false, error: 'the panel was closed' });
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function insideWorkspace(file: string): boolean {
  const resolved = path.resolve(file);
  return (vscode.workspace.workspaceFolders ?? []).some(folder => {
    const relative = path.relative(folder.uri.fsPath, resolved);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  });
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

/** Built-in sets first (Nielsen's f on top), then a data file. */
async function chooseSource(): Promise<UatSource | undefined> {
  type Item = vscode.QuickPickItem & { source?: UatSource };
  const ordered = [...BUILTIN_DATASETS].sort((a, b) => Number(b.name === 'nielsen') - Number(a.name === 'nielsen') || a.inputs - b.inputs);
  const items: Item[] = [
    { label: vscode.l10n.t('Open data file…'), description: vscode.l10n.t('CSV, TSV, JSON or JSON Lines: 1 or 2 input columns and a target') },
    { label: vscode.l10n.t('Built-in'), kind: vscode.QuickPickItemKind.Separator },
    ...ordered.map(b => ({ label: b.label, description: `${b.inputs === 1 ? vscode.l10n.t('bumps') : vscode.l10n.t('towers')} · ${b.name}`, detail: localizeCatalogued(b.description), source: { kind: 'builtin' as const, builtin: b.name } })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Universal Approximation: data'), placeHolder: vscode.l10n.t('Data to approximate') });
  if (!picked) return undefined;
  if (picked.source) return picked.source;
  const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Data')]: ['csv', 'tsv', 'json', 'jsonl'] }, title: vscode.l10n.t('Data to approximate') });
  return files?.[0] ? { kind: 'file', dataPath: files[0].fsPath } : undefined;
}

function sourceFromArgs(args: unknown): UatSource | undefined {
  if (args instanceof vscode.Uri) return { kind: 'file', dataPath: args.fsPath };
  if (!args || typeof args !== 'object') return undefined;
  const a = args as UatCommandArgs;
  if (typeof a.builtin === 'string') return { kind: 'builtin', builtin: a.builtin };
  if (typeof a.dataPath === 'string') return { kind: 'file', dataPath: a.dataPath, inputs: a.inputs, target: a.target };
  return undefined;
}

/** The command and the serializer that restores the panel after a window reload. */
export function registerUniversalApproximation(context: vscode.ExtensionContext): void {
  locateWorkerForTests('universal approximation', () => UatPanel.open?.trainingSession.workerOf('handBuilt') ?? UatPanel.open?.trainingSession.workerOf('random'));
  context.subscriptions.push(
    vscode.commands.registerCommand(UAT_COMMAND, async (args?: unknown): Promise<UatOpenResult | undefined> => {
      const source = sourceFromArgs(args) ?? (UatPanel.open ? undefined : await chooseSource());
      if (!source && !UatPanel.open) return undefined;
      const panel = UatPanel.createOrShow(context, source);
      return source ? panel.whenLoaded() : undefined;
    }),
    vscode.window.registerWebviewPanelSerializer(UAT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        UatPanel.revive(panel, context, state);
      },
    }),
    { dispose: () => UatPanel.open?.dispose() },
  );
}
