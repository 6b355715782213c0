// Gradscope's entry point: activate() only registers things; each feature owns its registration (its commands,
// panels and serializers, providers and listeners, all pushed onto context.subscriptions).
import * as vscode from 'vscode';
import { registerActivationHover } from './activationHover/hoverProvider';
import { registerCompareActivations } from './compareActivations/comparePanel';
import { registerCompareNetworks } from './compareNetworks/networksPanel';
import { registerConfigInsight } from './configInsight/liveProbe';
import { registerUniversalApproximation } from './universalApproximation/uatPanel';
import { registerVisualizeNetwork } from './visualize/registerVisualizeNetwork';
import { registerWalkthrough } from './learn/walkthrough';
import { configureL10n } from './shared/localize';
import { registerPytorchRuns } from './pytorchRuns/registerPytorchRuns';
import { registerTestSeam } from './shared/testSeam';
import { terminateAllWorkers } from './shared/workerHost';

/** One registration per feature folder, in activation order. */
const FEATURES: readonly ((context: vscode.ExtensionContext) => unknown)[] = [
  // First, so workers started by the others listen for injected faults (extension tests only; nothing otherwise).
  registerTestSeam,
  registerActivationHover,
  registerCompareActivations,
  registerConfigInsight,
  registerVisualizeNetwork,
  registerUniversalApproximation,
  registerCompareNetworks,
  registerWalkthrough,
  registerPytorchRuns,
];

export function activate(context: vscode.ExtensionContext): void {
  // before any feature builds a string: @vscode/l10n (pure modules) reads the bundle vscode.l10n loaded
  configureL10n(vscode.l10n.bundle);
  for (const register of FEATURES) register(context);
}

/**
 * Closing VS Code (or disabling the extension) mid-run: every worker still alive is terminated, whichever panel
 * started it; VS Code waits for the promise (a few seconds at most), and the panels' own disposal follows.
 */
export function deactivate(): Promise<number> {
  return terminateAllWorkers();
}
