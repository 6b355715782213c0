// The extension as VS Code sees it: found, activates (timed), and every command in the manifest is registered.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { recordMetric } from './metrics';

const EXTENSION_ID = 'gradscope.gradscope';

interface ContributedCommand {
  command: string;
  title: string;
}

interface ActivationTimes {
  loadCodeMs: number;
  callActivateMs: number;
  finishActivateMs: number;
  event: string;
}

/**
 * VS Code's own measurement of an extension's activation, read from its "Startup Performance" report (a document
 * the workbench serves under the perf: scheme; its "Extension Activation Stats" table has one row per extension).
 */
async function activationTimesFromVSCode(extensionId: string): Promise<ActivationTimes | undefined> {
  const report = vscode.Uri.from({ scheme: 'perf', path: 'Startup Performance' });
  // The workbench registers the perf: documents lazily, when "Developer: Startup Performance" first runs.
  await vscode.commands.executeCommand('perfview.show');
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  for (let attempt = 0; attempt < 20; attempt++) {
    const text = (await vscode.workspace.openTextDocument(report)).getText();
    const row = text.split('\n').find(line => line.startsWith('|') && line.split('|')[1]?.trim() === extensionId);
    if (row) {
      const cells = row.split('|').slice(1, -1).map(c => c.trim());
      // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
      return { loadCodeMs: Number(cells[2]), callActivateMs: Number(cells[3]), finishActivateMs: Number(cells[4]), event: cells[5] };
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  return undefined;
}

describe('Gradscope in a real VS Code', () => {
  let extension: vscode.Extension<unknown>;

  before(() => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not loaded; extensions: ${vscode.extensions.all.map(e => e.id).filter(id => !id.startsWith('vscode.')).join(', ')}`);
    extension = found;
  });

  it('activates, and reports how long activation took', async () => {
    if (!extension.isActive) await extension.activate();
    assert.strictEqual(extension.isActive, true);
    const times = await activationTimesFromVSCode(EXTENSION_ID);
    assert.ok(times, `VS Code's startup performance report has no activation row for ${EXTENSION_ID}`);
    // Reported, not asserted: wall-clock on a shared 2-core machine is no pass/fail criterion (bench/ holds goals).
    // "Activation time" as VS Code's Running Extensions view defines it: loading the code + the activate() call.
    recordMetric('activationMs', times.loadCodeMs + times.callActivateMs);
    recordMetric('activationLoadCodeMs', times.loadCodeMs);
    recordMetric('activationCallMs', times.callActivateMs);
    console.log(`[smoke] activated by ${times.event}`);
  });

  it('registers every command it contributes', async () => {
    const contributed = (extension.packageJSON.contributes?.commands ?? []) as ContributedCommand[];
    const ids = contributed.map(c => c.command);
    assert.ok(ids.includes('gradscope.visualizeNetwork'), `the manifest contributes: ${ids.join(', ') || 'no command'}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = ids.filter(id => !registered.has(id));
    assert.deepStrictEqual(missing, [], `contributed but not registered by activate(): ${missing.join(', ')}`);
    for (const c of contributed) assert.ok(c.title && c.title.trim().length > 0, `${c.command} has no title`);
  });

  it('describes every setting it contributes', () => {
    const sections = [extension.packageJSON.contributes?.configuration ?? []].flat() as { properties?: Record<string, { description?: string; markdownDescription?: string }> }[];
    const settings = sections.flatMap(section => Object.entries(section.properties ?? {}));
    const undescribed = settings.filter(([, schema]) => !(schema.description ?? schema.markdownDescription)?.trim()).map(([key]) => key);
    assert.deepStrictEqual(undescribed, [], `settings without a description: ${undescribed.join(', ')}`);
    // each one is known to VS Code's configuration service with the default the manifest declares
    const configuration = vscode.workspace.getConfiguration();
    for (const [key] of settings) assert.notStrictEqual(configuration.inspect(key)?.defaultValue, undefined, `${key} has no default`);
  });

  it('activates only on specific events, never on startup', () => {
    const events = (extension.packageJSON.activationEvents ?? []) as string[];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `activationEvents: ${events.join(', ')}`);
  });
});
