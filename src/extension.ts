// Gradscope's entry point: activate() only registers things; each feature owns its registration.
import type * as vscode from 'vscode';
import { registerActivationPreviews } from './activationHover/hoverProvider';
import { registerLiveConfigInsight } from './configInsight/liveProbe';
import { registerVisualizeNetwork } from './visualize/registerVisualizeNetwork';
import { registerUniversalApproximation } from './universalApproximation/uatPanel';
import { registerCompareNetworks } from './compareNetworks/networksPanel';
import { registerWalkthrough } from './learn/walkthrough';

export function activate(context: vscode.ExtensionContext): void {
  registerActivationPreviews(context);
  registerLiveConfigInsight(context);
  registerVisualizeNetwork(context);
  registerUniversalApproximation(context);
  registerCompareNetworks(context);
  registerWalkthrough(context);
}

export function deactivate(): void {}
