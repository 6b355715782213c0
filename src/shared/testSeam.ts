// Hidden commands for the extension's own integration tests, registered only when VS Code runs the extension
// in test mode: list the live workers, make one fail the way a real fault would, read a Visualize panel's run,
// export it without the save dialog, and run deactivate's worker shutdown. Never contributed to the palette.
import * as vscode from 'vscode';
import { UatPanel } from '../universalApproximation/uatPanel';
import { NetworksPanel } from '../compareNetworks/networksPanel';
import { VisualizePanel } from '../visualize/visualizePanel';
import type { InjectedFault } from './workerFaultSeam';
import { enableFaultSeam, injectFault, liveWorkers, terminateAllWorkers, workersOfRole, type HostedWorker } from './workerHost';

export const TEST_COMMANDS = {
  workers: 'gradscope._test.workers',
  injectFault: 'gradscope._test.injectFault',
  visualizeRuns: 'gradscope._test.visualizeRuns',
  exportRun: 'gradscope._test.exportRun',
  restart: 'gradscope._test.restart',
  shutdownWorkers: 'gradscope._test.shutdownWorkers',
  networksPosted: 'gradscope._test.networksPosted',
} as const;

export function isTestMode(context: vscode.ExtensionContext): boolean {
  return context.extensionMode === vscode.ExtensionMode.Test || process.env.GRADSCOPE_TEST_SEAM === '1';
}

/** The worker a test means: the Visualize panel's, the networks panel's, a UAT start's, else any of the role. */
function workerFor(role: string): HostedWorker | undefined {
  if (role === 'training') return VisualizePanel.all().at(-1)?.runSession.hostedWorker;
  if (role === 'networks') return NetworksPanel.open?.hostedWorker;
  if (role === 'universal approximation') return UatPanel.open?.trainingSession.workerOf('handBuilt') ?? UatPanel.open?.trainingSession.workerOf('random');
  return workersOfRole(role)[0];
}

export function registerTestSeam(context: vscode.ExtensionContext): void {
  if (!isTestMode(context)) return;
  enableFaultSeam();
  context.subscriptions.push(
    vscode.commands.registerCommand(TEST_COMMANDS.workers, () => liveWorkers()),
    vscode.commands.registerCommand(TEST_COMMANDS.injectFault, async (role: string, fault: InjectedFault | 'kill') => {
      const hosted = workerFor(role);
      if (hosted === undefined) return undefined;
      await injectFault(hosted, fault);
      return hosted.worker.threadId;
    }),
    vscode.commands.registerCommand(TEST_COMMANDS.visualizeRuns, () => VisualizePanel.all().map(panel => {
      const session = panel.runSession;
      const run = session.recordedRun();
      return {
        state: session.state, error: session.error, death: session.death, title: run?.meta.title, frames: run?.frames.length ?? 0,
        lastStep: run?.frames.at(-1)?.snapshot.step, layers: run?.meta.layers.length, threadId: session.hostedWorker?.worker.threadId,
        errorsShown: panel.errorsShown, pageReady: panel.pageReady,
        // What the page is sent when it (re)loads: the run, and the banner over it.
        replay: session.replayMessages().map(m => (m.type === 'error' ? m : { type: m.type })),
      };
    })),
    vscode.commands.registerCommand(TEST_COMMANDS.exportRun, (format: 'json' | 'csv', target: vscode.Uri) => VisualizePanel.all().at(-1)?.exportRun(format, target)),
    // What the page's Restart button sends (a `retry` message), for the panel on top.
    vscode.commands.registerCommand(TEST_COMMANDS.restart, () => {
      const session = VisualizePanel.all().at(-1)?.runSession;
      session?.restart();
      return session?.firstSnapshot();
    }),
    vscode.commands.registerCommand(TEST_COMMANDS.shutdownWorkers, () => terminateAllWorkers()),
    vscode.commands.registerCommand(TEST_COMMANDS.networksPosted, () => Object.fromEntries(NetworksPanel.open?.posted ?? [])),
  );
}
