// Gradscope's entry point: activate() only registers things; each feature owns its registration (its commands,
// panels and serializers, providers and listeners, all pushed onto context.subscriptions).
import type * as vscode from 'vscode';
import { registerActivationHover } from './activationHover/hoverProvider';
import { registerCompareActivations } from './compareActivations/comparePanel';
import { registerCompareNetworks } from './compareNetworks/networksPanel';
import { registerConfigInsight } from './configInsight/liveProbe';
import { registerUniversalApproximation } from './universalApproximation/uatPanel';
import { registerVisualizeNetwork } from './visualize/registerVisualizeNetwork';

/** One registration per feature folder, in activation order. */
const FEATURES: readonly ((context: vscode.ExtensionContext) => unknown)[] = [
  registerActivationHover,
  registerCompareActivations,
  registerConfigInsight,
  registerVisualizeNetwork,
  registerUniversalApproximation,
  registerCompareNetworks,
];

export function activate(context: vscode.ExtensionContext): void {
  for (const register of FEATURES) register(context);
}

export function deactivate(): void {}
