// "Gradscope: Compare Activations": a webview overlaying chosen activations and their derivatives, with a depth
// slider showing how each one's expected slope under N(0, 1) inputs compounds through n layers.
// One panel at a time (createOrShow), restored after a reload by a serializer; the webview holds the state.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isActivationName } from '../core/activations/activations';
import type { CompareState, FromCompareWebview, ToCompareWebview } from '../protocol';
import {
  COMPARE_ACTIVATIONS_COMMAND as COMPARE_COMMAND, VISUALIZE_NETWORK_COMMAND as VISUALIZE_COMMAND, visualizeArgs, type CompareActivationsArgs,
} from '../shared/commands';
import { renderCompareHtml } from './compareHtml';
import { DEFAULT_COMPARE_STATE, sanitizeCompareState, stateFromArgs } from './compareState';
import { gradscopeOutput } from '../shared/output';
import { onCheckedMessage } from '../shared/webviewBoundary';
import { validateFromCompareWebview } from '../shared/webviewMessages';
import { registerTestCommand } from '../shared/testSeam';
import { pageWordsOf } from '../shared/webviewPage';

function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}

export const COMPARE_VIEW_TYPE = 'gradscope.compareActivations';

export class ComparePanel {
  private static current: ComparePanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;

  static createOrShow(extensionUri: vscode.Uri, args?: CompareActivationsArgs): ComparePanel {
    if (ComparePanel.current) {
      ComparePanel.current.panel.reveal();
      const activations = (args?.activations ?? []).filter(isActivationName);
      if (activations.length) ComparePanel.current.post({ type: 'compareAdd', activations, params: args?.params ?? {} });
      return ComparePanel.current;
    }
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, vscode.l10n.t('Compare Activations'), vscode.ViewColumn.Beside, webviewOptions(extensionUri));
    ComparePanel.current = new ComparePanel(panel, extensionUri, stateFromArgs(args));
    return ComparePanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: unknown): void {
    panel.webview.options = webviewOptions(extensionUri);
    ComparePanel.current?.dispose();
    ComparePanel.current = new ComparePanel(panel, extensionUri, sanitizeCompareState(state) ?? DEFAULT_COMPARE_STATE);
  }

  /** Where refused webview messages are logged (set when the feature registers). */
  static output: vscode.OutputChannel | undefined;

  /** The open panel, if any (for tests). */
  static get open(): ComparePanel | undefined {
    return ComparePanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private initialState: CompareState,
  ) {
    panel.webview.html = this.html();
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    if (ComparePanel.output !== undefined) {
      this.disposables.push(onCheckedMessage(panel.webview, 'Compare Activations', validateFromCompareWebview, ComparePanel.output, message => this.receive(message)));
    }
  }

  get isReady(): boolean {
    return this.ready;
  }

  private receive(message: FromCompareWebview): void {
    switch (message.type) {
      case 'compareReady': {
        this.ready = true;
        // A webview that restored its own state keeps it; a fresh one gets what the command asked for.
        const state = sanitizeCompareState(message.restored) ?? this.initialState;
        this.initialState = state;
        this.post({ type: 'compareInit', state });
        return;
      }
      case 'compareVisualize': {
        if (!isActivationName(message.activation)) return;
        void vscode.commands.executeCommand(VISUALIZE_COMMAND, visualizeArgs(message.activation, message.params)).then(undefined, (error: unknown) => {
          void vscode.window.showErrorMessage(vscode.l10n.t('Gradscope: could not open Visualize Network: {0}', error instanceof Error ? error.message : String(error)));
        });
        return;
      }
      default:
        assertNever(message);
    }
  }

  private post(message: ToCompareWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    return renderCompareHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'compare.js')).toString(),
      baseStyleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'base.css')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'compare.css')).toString(),
      nonce: makeNonce(),
      lang: vscode.env.language,
    });
  }

  dispose(): void {
    if (ComparePanel.current === this) ComparePanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** The command and the serializer that restores the panel after a window reload. */
export function registerCompareActivations(context: vscode.ExtensionContext): void {
  ComparePanel.output = gradscopeOutput(context);
  context.subscriptions.push(
    vscode.commands.registerCommand(COMPARE_COMMAND, (args?: CompareActivationsArgs) => {
      ComparePanel.createOrShow(context.extensionUri, args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : undefined);
    }),
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        ComparePanel.revive(panel, context.extensionUri, state);
      },
    }),
    { dispose: () => ComparePanel.open?.dispose() },
  );
  // The open page's words as the host gave them (the Korean integration test reads them).
  registerTestCommand(context, 'gradscope._test.compareActivationsWords', () => {
    const html = ComparePanel.open?.panel.webview.html;
    return html === undefined ? undefined : pageWordsOf(html);
  });
}
