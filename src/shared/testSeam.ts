// Hidden commands for the extension's own integration tests, registered only when VS Code runs the extension in
// test mode: list the live workers, make one fail the way a real fault would, and run deactivate's worker
// shutdown. Features add their own (a panel's run, an export without the save dialog) with registerTestCommand,
// and say which worker a role means with locateWorkerForTests. Never contributed to the palette.
import * as vscode from 'vscode';
import type { InjectedFault } from './workerFaultSeam';
import { enableFaultSeam, injectFault, liveWorkers, terminateAllWorkers, workersOfRole, type HostedWorker } from './workerHost';

export const TEST_COMMANDS = {
  workers: 'gradscope._test.workers',
  injectFault: 'gradscope._test.injectFault',
  shutdownWorkers: 'gradscope._test.shutdownWorkers',
} as const;

let seamOn = false;
const locators = new Map<string, () => HostedWorker | undefined>();

function isTestMode(context: vscode.ExtensionContext): boolean {
  return context.extensionMode === vscode.ExtensionMode.Test || process.env.GRADSCOPE_TEST_SEAM === '1';
}

/** First in activate(): turns the seam on in test mode (workers started later listen for injected faults). */
export function registerTestSeam(context: vscode.ExtensionContext): void {
  if (!isTestMode(context)) return;
  seamOn = true;
  enableFaultSeam();
  context.subscriptions.push(
    vscode.commands.registerCommand(TEST_COMMANDS.workers, () => liveWorkers()),
    vscode.commands.registerCommand(TEST_COMMANDS.injectFault, async (role: string, fault: InjectedFault | 'kill') => {
      const hosted = locators.get(role)?.() ?? workersOfRole(role)[0];
      if (hosted === undefined) return undefined;
      await injectFault(hosted, fault);
      return hosted.worker.threadId;
    }),
    vscode.commands.registerCommand(TEST_COMMANDS.shutdownWorkers, () => terminateAllWorkers()),
    { dispose: () => { seamOn = false; locators.clear(); } },
  );
}

/** A feature's own hidden test command (nothing is registered outside test mode). */
export function registerTestCommand(context: vscode.ExtensionContext, command: string, handler: (...args: never[]) => unknown): void {
  if (!seamOn) return;
  context.subscriptions.push(vscode.commands.registerCommand(command, handler as (...args: unknown[]) => unknown));
}

/** Which worker of a role a test means (the panel on top's, say), instead of the first one alive. */
export function locateWorkerForTests(role: string, locate: () => HostedWorker | undefined): void {
  if (seamOn) locators.set(role, locate);
}
