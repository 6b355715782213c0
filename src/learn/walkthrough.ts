// The "Why deep networks stop learning" walkthrough: the commands behind its buttons (each runs one step on a
// bundled example) and opening it once, the first time Gradscope activates after being installed.
import * as vscode from 'vscode';
import { bundledExample, EXAMPLE_FILES } from './examples';

export const WALKTHROUGH_ID = 'gradscope.gradscope#whyDeepNetworksStopLearning';
const SHOWN_KEY = 'gradscope.learn.walkthroughShown';

async function openExample(context: vscode.ExtensionContext, file: string): Promise<vscode.TextEditor> {
  const uri = await bundledExample(context, file);
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.One });
}

/** Waits until a diagnostic of `source` with `code` is on `uri` (the live probe runs in a worker), or gives up. */
async function waitForDiagnostic(uri: vscode.Uri, source: string, code: string, timeoutMs: number): Promise<vscode.Diagnostic | undefined> {
  const find = () => vscode.languages.getDiagnostics(uri).find(d => d.source === source && d.code === code);
  const existing = find();
  if (existing) return existing;
  return new Promise(resolve => {
    const timer = setTimeout(() => { listener.dispose(); resolve(undefined); }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics(event => {
      if (!event.uris.some(u => u.toString() === uri.toString())) return;
      const found = find();
      if (!found) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(found);
    });
  });
}

/** What each button resolves to (tests await these; the walkthrough ignores them). */
export interface LearnStepResult {
  file?: string;
  result?: unknown;
}

export function registerWalkthrough(context: vscode.ExtensionContext): void {
  const visualize = async (file: string): Promise<LearnStepResult> => {
    const uri = await bundledExample(context, file);
    return { file: uri.fsPath, result: await vscode.commands.executeCommand('gradscope.visualizeNetwork', uri) };
  };
  const steps: Record<string, () => Promise<LearnStepResult>> = {
    openWalkthrough: async () => {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
      return {};
    },
    universalApproximation: async () => ({ result: await vscode.commands.executeCommand('gradscope.universalApproximation', { builtin: 'nielsen' }) }),
    hoverSigmoid: async () => {
      const editor = await openExample(context, EXAMPLE_FILES.pytorchModel);
      const offset = editor.document.getText().indexOf('nn.Sigmoid()');
      const position = editor.document.positionAt(offset + 'nn.Sig'.length);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
      await vscode.commands.executeCommand('editor.action.showHover');
      return { file: editor.document.uri.fsPath, result: { line: position.line, character: position.character } };
    },
    visualizeDeepSigmoid: () => visualize(EXAMPLE_FILES.deepSigmoid),
    showReluFix: async () => {
      const editor = await openExample(context, EXAMPLE_FILES.deepSigmoid);
      const diagnostic = await waitForDiagnostic(editor.document.uri, 'Gradscope', 'vanishing', 20000);
      if (!diagnostic) {
        void vscode.window.showInformationMessage(vscode.l10n.t('The live probe found no vanishing gradient in this config yet; edit it or run "Probe Again".'));
        return { file: editor.document.uri.fsPath };
      }
      editor.selection = new vscode.Selection(diagnostic.range.start, diagnostic.range.start);
      editor.revealRange(diagnostic.range, vscode.TextEditorRevealType.InCenter);
      await vscode.commands.executeCommand('editor.action.quickFix');
      return { file: editor.document.uri.fsPath, result: { line: diagnostic.range.start.line, message: diagnostic.message } };
    },
    // Run by the quick fix itself (the code action's command), so applying it completes the step.
    fixApplied: async () => ({}),
    visualizeReluHe: () => visualize(EXAMPLE_FILES.deepReluHe),
    visualizeBatchNorm: () => visualize(EXAMPLE_FILES.batchNorm),
    compareSelu: async () => {
      await vscode.commands.executeCommand('gradscope.compareActivations', { activations: ['sigmoid', 'selu', 'serlu'] });
      return {};
    },
    compareNetworks: async () => {
      const plain = await bundledExample(context, EXAMPLE_FILES.deepSigmoid);
      const residual = await bundledExample(context, EXAMPLE_FILES.residual);
      // The two exam-score configs plus presets on the same data: every network gets the first config's data.
      const choices = [
        { kind: 'config', configPath: plain.fsPath, label: 'deep-sigmoid.nn.json' },
        { kind: 'preset', preset: 'deep-relu-he', label: 'ReLU + He' },
        { kind: 'preset', preset: 'relu-batchnorm', label: 'ReLU + BatchNorm' },
        { kind: 'config', configPath: residual.fsPath, label: 'residual.nn.json' },
      ];
      return { result: await vscode.commands.executeCommand('gradscope.compareNetworks', { choices, data: { kind: 'config' } }) };
    },
    lossLandscape: async () => {
      const residual = await bundledExample(context, EXAMPLE_FILES.residual);
      const choice = { kind: 'config', configPath: residual.fsPath, label: 'residual.nn.json' };
      return { file: residual.fsPath, result: await vscode.commands.executeCommand('gradscope.lossLandscape', { choice }) };
    },
  };
  for (const [id, run] of Object.entries(steps)) {
    context.subscriptions.push(vscode.commands.registerCommand(`gradscope.learn.${id}`, async () => {
      try {
        return await run();
      } catch (error) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Gradscope could not run this walkthrough step: {0}', (error as Error).message));
        return undefined;
      }
    }));
  }
  offerOnFirstActivation(context);
}

/**
 * VS Code opens an extension's walkthrough when it is installed from the Marketplace; a .vsix installed from the
 * command line does not get that, so the first activation offers it once (tests start with a fresh profile: not
 * there). It is offered in a notification, not opened: the first activation often comes from what the person is
 * doing (a command from the palette, Ctrl+P to a Python file, a folder with configs just opened), and the
 * walkthrough's page takes the focus wherever it opens, which closed that command's quick pick and lost it.
 */
function offerOnFirstActivation(context: vscode.ExtensionContext): void {
  if (context.globalState.get<boolean>(SHOWN_KEY)) return;
  if (context.extensionMode === vscode.ExtensionMode.Test) return;
  if (vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall') === false) return;
  void context.globalState.update(SHOWN_KEY, true);
  const open = vscode.l10n.t('Open the Walkthrough');
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Gradscope: "Why deep networks stop learning" walks through the textbook story in six steps, each on a bundled example.'),
    open,
  ).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  });
}
