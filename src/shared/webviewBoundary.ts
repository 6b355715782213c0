// Subscribes a panel to its webview's messages through the boundary check (src/shared/webviewMessages.ts): a
// malformed message is ignored with one line in the Gradscope Output channel, and a handler that throws is logged
// there too, never rethrown into VS Code's event loop.
import * as vscode from 'vscode';
import type { ValidatedMessage } from './webviewMessages';
import { logLine } from './output';

export function onCheckedMessage<T>(
  webview: vscode.Webview,
  panelName: string,
  validate: (raw: unknown) => ValidatedMessage<T>,
  output: vscode.OutputChannel,
  handle: (message: T) => void,
): vscode.Disposable {
  return webview.onDidReceiveMessage((raw: unknown) => {
    const checked = validate(raw);
    if (!checked.ok) {
      logLine(output, `${panelName}: ignored a malformed message from the webview (${checked.reason})`);
      return;
    }
    try {
      handle(checked.message);
    } catch (error) {
      logLine(output, `${panelName}: handling a "${(checked.message as { type: string }).type}" message failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  });
}
