// Registers the "Visualize Network" command, the panel's serializer and the Output channel.
import * as vscode from 'vscode';
import { chooseSource, type VisualizeOptions } from './chooseSource';
import { PANEL_VIEW_TYPE, VisualizePanel, type PanelServices } from './visualizePanel';
import type { FirstSnapshot } from './runSession';
import type { WebviewState } from '../protocol';
import { gradscopeOutput } from '../shared/output';

export const VISUALIZE_COMMAND = 'gradscope.visualizeNetwork';

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
