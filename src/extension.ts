// Gradscope's entry point: activate() only registers things; each feature owns its registration.
import * as vscode from 'vscode';
import { configureL10n } from './shared/localize';
import { registerActivationPreviews } from './activationHover/hoverProvider';
import { registerLiveConfigInsight } from './configInsight/liveProbe';
import { registerVisualizeNetwork } from './visualize/registerVisualizeNetwork';
import { registerUniversalApproximation } from './universalApproximation/uatPanel';
import { registerCompareNetworks } from './compareNetworks/networksPanel';
import { registerWalkthrough } from './learn/walkthrough';

export function activate(context: vscode.ExtensionContext): void {
  configureL10n(vscode.l10n.bundle);
  registerActivationPreviews(context);
  registerLiveConfigInsight(context);
  registerVisualizeNetwork(context);
  registerUniversalApproximation(context);
  registerCompareNetworks(context);
  registerWalkthrough(context);
}

export function deactivate(): void {}
