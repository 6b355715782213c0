// The one "Gradscope" Output channel, created on first use and shared by every feature that logs.
import * as vscode from 'vscode';

let sharedOutput: vscode.OutputChannel | undefined;

export function gradscopeOutput(context: vscode.ExtensionContext): vscode.OutputChannel {
  if (sharedOutput === undefined) {
    sharedOutput = vscode.window.createOutputChannel('Gradscope');
    context.subscriptions.push(sharedOutput, { dispose: () => { sharedOutput = undefined; } });
  }
  return sharedOutput;
}

/** A timestamped line, as the panels write them. */
export function logLine(output: vscode.OutputChannel, line: string): void {
  output.appendLine(`[${new Date().toLocaleTimeString()}] ${line}`);
}
