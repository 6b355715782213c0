// "Visualize Network" in a real VS Code: the command opens the panel and training in the worker reaches its first
// snapshot; a bad dataset ends in an error message (in the panel and as a notification), not an exception.
import * as assert from 'assert';
import * as vscode from 'vscode';

const COMMAND = 'gradscope.visualizeNetwork';

const DEEP_SIGMOID = `// Ten sigmoid layers on the circle set
{
  "data": { "builtin": "circle", "samples": 400 },
  "hidden": { "units": 32, "repeat": 10 },
  "activation": "sigmoid",
  "optimizer": { "type": "momentum", "lr": 0.01, "momentum": 0.9 },
  "batchSize": 32,
  "epochs": 20,
  "seed": 1
}
`;

type FirstSnapshot = { ok: true; snapshot: { epoch: number; step: number; loss: number } } | { ok: false; error: string };

/** The tab model reaches the extension host asynchronously: wait a moment for the panel's tab. */
async function waitForGradscopeTabs(count: number): Promise<vscode.Tab[]> {
  const until = Date.now() + 10_000;
  while (gradscopeTabs().length !== count && Date.now() < until) await new Promise(resolve => setTimeout(resolve, 100));
  return gradscopeTabs();
}

function gradscopeTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap(group => group.tabs)
    .filter(tab => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('gradscope.panel'));
}

describe('Visualize Network panel', function () {
  this.timeout(120_000);
  let folder: vscode.Uri;

  before(() => {
    const workspace = vscode.workspace.workspaceFolders?.[0];
    assert.ok(workspace, 'the integration run opens a workspace folder');
    folder = workspace.uri;
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is contributed to the palette with its title and category', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes(COMMAND));
    const manifest = vscode.extensions.all.find(e => e.packageJSON?.name === 'gradscope')?.packageJSON as { contributes: { commands: { command: string; title: string; category: string }[] } };
    const entry = manifest.contributes.commands.find(c => c.command === COMMAND);
    assert.deepStrictEqual([entry?.title, entry?.category], ['Visualize Network', 'Gradscope']);
  });

  it('opens the panel for a *.nn.json config and trains to its first snapshot', async () => {
    const config = vscode.Uri.joinPath(folder, 'visualize-deep-sigmoid.nn.json');
    await vscode.workspace.fs.writeFile(config, Buffer.from(DEEP_SIGMOID, 'utf8'));
    await vscode.window.showTextDocument(config);
    // No URI: the active *.nn.json is the run's source.
    const result = await vscode.commands.executeCommand<FirstSnapshot>(COMMAND, { autoplay: true });
    assert.ok(result !== undefined, 'the command was not cancelled');
    assert.ok(result.ok, `expected a snapshot, got: ${result.ok ? '' : result.error}`);
    assert.strictEqual(result.snapshot.step, 0);
    assert.ok(Number.isFinite(result.snapshot.loss) && result.snapshot.loss > 0, `loss ${result.snapshot.loss}`);
    const tabs = await waitForGradscopeTabs(1);
    assert.strictEqual(tabs.length, 1, `tabs: ${vscode.window.tabGroups.all.flatMap(g => g.tabs).map(t => t.label).join(', ')}`);
    assert.match(tabs[0].label, /Gradscope: visualize-deep-sigmoid\.nn\.json/);
  });

  it('trains a preset on a built-in dataset when asked by options (no quick picks)', async () => {
    const result = await vscode.commands.executeCommand<FirstSnapshot>(COMMAND, { builtin: 'circle', preset: 'deep-relu-he' });
    assert.ok(result?.ok, JSON.stringify(result));
    assert.match((await waitForGradscopeTabs(1))[0]?.label ?? '', /circle \(built-in\)/);
  });

  it('answers a bad dataset with an error message, not an exception', async () => {
    const bad = vscode.Uri.joinPath(folder, 'visualize-bad.csv');
    await vscode.workspace.fs.writeFile(bad, Buffer.from('x,y\n1,2\n2,3\nfoo,4\n', 'utf8'));
    let result: FirstSnapshot | undefined;
    await assert.doesNotReject(async () => {
      result = await vscode.commands.executeCommand<FirstSnapshot>(COMMAND, bad, { preset: 'deep-sigmoid' });
    });
    assert.ok(result !== undefined && !result.ok, JSON.stringify(result));
    assert.match(result.error, /foo/);
    // The panel stays open to show the message (never a blank panel).
    assert.strictEqual((await waitForGradscopeTabs(1)).length, 1);
  });
});
