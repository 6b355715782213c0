// Registers the "Visualize Network" command, the panel's serializer and the Output channel.
import * as vscode from 'vscode';
import { chooseSource, type VisualizeOptions } from './chooseSource';
import { PANEL_VIEW_TYPE, VisualizePanel, type PanelServices } from './visualizePanel';
import type { FirstSnapshot } from './runSession';
import type { WebviewState } from '../protocol';
import { gradscopeOutput } from '../shared/output';
import { locateWorkerForTests, registerTestCommand } from '../shared/testSeam';
import { VISUALIZE_NETWORK_COMMAND as VISUALIZE_COMMAND } from '../shared/commands';


export { gradscopeOutput };

function isOptions(value: unknown): value is VisualizeOptions {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && !Array.isArray(value);
}

/**
 * The command takes (uri?, options?) — the explorer and the editor title pass the file; tests pass options to
 * skip the quick picks. It resolves once the run has its first snapshot (or failed), undefined when cancelled.
 */
export function registerVisualizeNetwork(context: vscode.ExtensionContext): void {
  const services: PanelServices = { context, output: gradscopeOutput(context) };
  registerVisualizeTestCommands(context);
  context.subscriptions.push(
    vscode.commands.registerCommand(VISUALIZE_COMMAND, async (first?: unknown, second?: unknown): Promise<FirstSnapshot | undefined> => {
      const uri = first instanceof vscode.Uri ? first : undefined;
      const options = isOptions(first) ? first : isOptions(second) ? second : {};
      const chosen = await chooseSource(uri, options);
      if (chosen === undefined) return undefined;
      const panel = VisualizePanel.show(services, chosen.source, chosen.label, { autoplay: options.autoplay });
      return panel.firstSnapshot();
    }),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        VisualizePanel.revive(panel, services, (state ?? undefined) as WebviewState | undefined);
      },
    }),
    { dispose: () => VisualizePanel.disposeAll() },
  );
}

/** Extension tests only: the panel on top's worker, its run as the host keeps it, an export without the dialog. */
function registerVisualizeTestCommands(context: vscode.ExtensionContext): void {
  locateWorkerForTests('training', () => VisualizePanel.all().at(-1)?.runSession.hostedWorker);
  registerTestCommand(context, 'gradscope._test.visualizeRuns', () => VisualizePanel.all().map(panel => {
    const session = panel.runSession;
    const run = session.recordedRun();
    return {
      state: session.state, error: session.error, death: session.death, title: run?.meta.title, frames: run?.frames.length ?? 0,
      lastStep: run?.frames.at(-1)?.snapshot.step, layers: run?.meta.layers.length, threadId: session.hostedWorker?.worker.threadId,
      errorsShown: panel.errorsShown, pageReady: panel.pageReady,
      // What the page is sent when it (re)loads: the run, and the banner over it.
      replay: session.replayMessages().map(m => (m.type === 'error' ? m : { type: m.type })),
    };
  }));
  registerTestCommand(context, 'gradscope._test.exportRun', (format: 'json' | 'csv', target: vscode.Uri) => VisualizePanel.all().at(-1)?.exportRun(format, target));
  // What the page's Restart button does (a `retry` message), for the panel on top.
  registerTestCommand(context, 'gradscope._test.restart', () => {
    const session = VisualizePanel.all().at(-1)?.runSession;
    session?.restart();
    return session?.firstSnapshot();
  });
}
