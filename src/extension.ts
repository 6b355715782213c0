// Gradscope's entry point: activate() only registers things; each feature owns its registration.
import type * as vscode from 'vscode';
import { registerActivationPreviews } from './activationHover/hoverProvider';
import { registerLiveConfigInsight } from './configInsight/liveProbe';
import { registerVisualizeNetwork } from './visualize/registerVisualizeNetwork';
import { registerUniversalApproximation } from './universalApproximation/uatPanel';
import { registerCompareNetworks } from './compareNetworks/networksPanel';
import { registerTestSeam } from './shared/testSeam';
import { terminateAllWorkers } from './shared/workerHost';

export function activate(context: vscode.ExtensionContext): void {
  registerTestSeam(context);
  registerActivationPreviews(context);
  registerLiveConfigInsight(context);
  registerVisualizeNetwork(context);
  registerUniversalApproximation(context);
  registerCompareNetworks(context);
}

/**
 * Closing VS Code (or disabling the extension) mid-run: every worker still alive is terminated, whichever panel
 * started it; VS Code waits for the promise (a few seconds at most), and the panels' own disposal follows.
 */
export function deactivate(): Promise<number> {
  return terminateAllWorkers();
}
