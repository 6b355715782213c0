// Gradscope's entry point: activate() only registers things; each feature owns its registration.
import type * as vscode from 'vscode';
import { registerActivationPreviews } from './editor/hoverProvider';

export function activate(context: vscode.ExtensionContext): void {
  registerActivationPreviews(context);
}

export function deactivate(): void {}
