// Gradscope's entry point: activate() only registers things; each feature owns its registration.
import type * as vscode from 'vscode';
import { registerActivationPreviews } from './editor/hoverProvider';
import { registerLiveConfigInsight } from './editor/config/liveProbe';
import { registerVisualizeNetwork } from './panel/registerVisualizeNetwork';
import { registerUniversalApproximation } from './uat/uatPanel';
import { registerCompareNetworks } from './compareNetworks/networksPanel';

export function activate(context: vscode.ExtensionContext): void {
  registerActivationPreviews(context);
  registerLiveConfigInsight(context);
  registerVisualizeNetwork(context);
  registerUniversalApproximation(context);
  registerCompareNetworks(context);
}

export function deactivate(): void {}
