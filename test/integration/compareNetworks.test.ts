// "Compare Networks" and "Show Loss Landscape" in a real VS Code: both commands are contributed, open the one panel,
// and resolve once the worker has loaded the networks (one per choice) or begun the landscape (two with skip
// connections on/off); a config of the workspace can be compared against a preset; a broken config is an error.
import * as assert from 'assert';
import * as vscode from 'vscode';

type OpenResult = { ok: true; networks: string[] } | { ok: false; error: string };

function networksTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap(group => group.tabs)
    .filter(tab => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('gradscope.compareNetworks'));
}

/** The panel's tab label once it matches (the workbench updates a tab's label a moment after the panel's title). */
async function tabLabel(expected: RegExp): Promise<string> {
  for (let i = 0; i < 50 && !expected.test(networksTabs()[0]?.label ?? ''); i++) await new Promise(r => setTimeout(r, 100));
  return networksTabs()[0]?.label ?? '';
}

describe('Compare Networks and Loss Landscape', function () {
  this.timeout(180_000);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes both commands with their titles in the Gradscope category', async () => {
    const commands = await vscode.commands.getCommands(true);
    const manifest = vscode.extensions.all.find(e => e.packageJSON?.name === 'gradscope')?.packageJSON as { contributes: { commands: { command: string; title: string; category: string }[] } };
    for (const [id, title] of [['gradscope.compareNetworks', 'Compare Networks'], ['gradscope.lossLandscape', 'Show Loss Landscape']]) {
      assert.ok(commands.includes(id), id);
      const entry = manifest.contributes.commands.find(c => c.command === id);
      assert.deepStrictEqual([entry?.title, entry?.category], [title, 'Gradscope']);
    }
  });

  it('comes back after a window reload: the panel\'s serializer is registered and activates the extension', async () => {
    const manifest = vscode.extensions.all.find(e => e.packageJSON?.name === 'gradscope')?.packageJSON as { activationEvents: string[] };
    for (const viewType of ['gradscope.panel', 'gradscope.compareActivations', 'gradscope.universalApproximation', 'gradscope.compareNetworks']) {
      assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${viewType}`), viewType);
    }
    // A second serializer for the same view type is refused by VS Code: proof that Gradscope registered its own.
    assert.throws(() => vscode.window.registerWebviewPanelSerializer('gradscope.compareNetworks', { deserializeWebviewPanel: async () => undefined }));
  });

  it('after a reload, the serializer runs again the job the page kept: the compare networks, the landscape request', async () => {
    // A real reload would end this test run: the test opens the panel as VS Code does after one and hands the
    // extension's own serializer the state a page keeps (test/webview/compareNetworks.test.ts checks the page keeps it).
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const compare = {
      kind: 'compare', data: { kind: 'builtin', builtin: 'circle' }, seed: 3, epochs: 1,
      choices: [{ kind: 'preset', preset: 'deep-tanh', label: 'Deep tanh' }, { kind: 'preset', preset: 'residual', label: 'Residual' }],
    };
    const revived = await vscode.commands.executeCommand<OpenResult | undefined>('gradscope._test.reviveNetworks', { restore: compare });
    assert.ok(revived?.ok, JSON.stringify(revived));
    assert.deepStrictEqual(revived.networks, ['Deep tanh', 'Residual']);
    assert.strictEqual(networksTabs().length, 1);
    assert.match(await tabLabel(/Compare Networks: Deep tanh · Residual/), /Compare Networks: Deep tanh · Residual/);
    const posted = await vscode.commands.executeCommand<Record<string, number>>('gradscope._test.networksPosted');
    assert.ok((posted.netsMode ?? 0) >= 1 && (posted.netsLoaded ?? 0) >= 1, JSON.stringify(posted));

    const landscape = {
      kind: 'landscape', data: { kind: 'builtin', builtin: 'circle' },
      choice: { kind: 'preset', preset: 'residual', label: 'Residual' }, request: { grid: 7, range: 1, seed: 0, steps: 5, maxRows: 50, skipOnOff: true },
    };
    const again = await vscode.commands.executeCommand<OpenResult | undefined>('gradscope._test.reviveNetworks', { restore: landscape });
    assert.ok(again?.ok, JSON.stringify(again));
    assert.strictEqual(again.networks.length, 2, 'skip connections on and off, as the request said');
    assert.strictEqual(networksTabs().length, 1, 'the revived panel replaces the one before');
    assert.match(await tabLabel(/Loss Landscape: Residual/), /Loss Landscape: Residual/);

    // A state the page could not have written (an unknown preset) revives an empty panel and runs nothing.
    const refused = await vscode.commands.executeCommand<OpenResult | undefined>('gradscope._test.reviveNetworks', {
      restore: { ...compare, choices: [{ kind: 'preset', preset: 'no-such-preset', label: 'x' }, compare.choices[0]] },
    });
    assert.strictEqual(refused, undefined);
    assert.strictEqual(networksTabs().length, 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('compares three presets on one built-in set: the panel opens with one network per choice', async () => {
    const result = await vscode.commands.executeCommand<OpenResult>('gradscope.compareNetworks', {
      choices: [
        { kind: 'preset', preset: 'deep-sigmoid', label: 'Deep sigmoid' },
        { kind: 'preset', preset: 'deep-relu-he', label: 'Deep ReLU' },
        { kind: 'preset', preset: 'residual', label: 'Residual' },
      ],
      data: { kind: 'builtin', builtin: 'circle' }, epochs: 2,
    });
    assert.ok(result?.ok, JSON.stringify(result));
    assert.deepStrictEqual(result.networks, ['Deep sigmoid', 'Deep ReLU', 'Residual']);
    assert.strictEqual(networksTabs().length, 1);
  });

  it('compares a workspace config with a preset on the config\'s data', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const config = vscode.Uri.joinPath(folder, 'examples', 'deep-sigmoid.nn.json');
    const result = await vscode.commands.executeCommand<OpenResult>('gradscope.compareNetworks', {
      choices: [{ kind: 'config', configPath: config.fsPath, label: 'deep-sigmoid.nn.json' }, { kind: 'preset', preset: 'relu-batchnorm', label: 'ReLU + BN' }],
      data: { kind: 'config' }, epochs: 1,
    });
    assert.ok(result?.ok, JSON.stringify(result));
    assert.deepStrictEqual(result.networks, ['deep-sigmoid.nn.json', 'ReLU + BN']);
    assert.strictEqual(networksTabs().length, 1, 'the one panel is reused');
  });

  it('shows the loss landscape of a config with skip connections on and off (two maps)', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const config = vscode.Uri.joinPath(folder, 'examples', 'residual.nn.json');
    const result = await vscode.commands.executeCommand<OpenResult>('gradscope.lossLandscape', {
      choice: { kind: 'config', configPath: config.fsPath, label: 'residual.nn.json' },
      request: { grid: 9, steps: 10, maxRows: 100, skipOnOff: true },
    });
    assert.ok(result?.ok, JSON.stringify(result));
    assert.strictEqual(result.networks.length, 2);
    assert.match(result.networks[0], /without skip connections/);
    assert.match(result.networks[1], /with skip connections/);
    for (let i = 0; i < 50 && !/Loss Landscape/.test(networksTabs()[0]?.label ?? ''); i++) await new Promise(r => setTimeout(r, 100));
    assert.match(networksTabs()[0]?.label ?? '', /Loss Landscape: residual\.nn\.json/);
  });

  it('puts "Compare with…" and "Loss landscape" above a config', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const config = vscode.Uri.joinPath(folder, 'examples', 'deep-relu-he.nn.json');
    await vscode.window.showTextDocument(config);
    let lenses: vscode.CodeLens[] = [];
    for (let i = 0; i < 50 && !lenses.some(l => l.command?.title === 'Compare with…'); i++) {
      lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', config)) ?? [];
      if (!lenses.some(l => l.command?.title === 'Compare with…')) await new Promise(r => setTimeout(r, 100));
    }
    const compare = lenses.find(l => l.command?.title === 'Compare with…');
    assert.ok(compare, JSON.stringify(lenses.map(l => l.command?.title)));
    assert.strictEqual(compare.command?.command, 'gradscope.compareNetworks');
    assert.strictEqual((compare.command?.arguments?.[0] as vscode.Uri).fsPath, config.fsPath);
    assert.ok(lenses.some(l => l.command?.title === 'Loss landscape' && l.command.command === 'gradscope.lossLandscape'));
  });

  it('answers a broken config with an error, not an exception', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const broken = vscode.Uri.joinPath(folder, 'broken-landscape.nn.json');
    await vscode.workspace.fs.writeFile(broken, Buffer.from('{ "data": { "builtin": "circle" }, "hidden": [8], "activation": "nope" }', 'utf8'));
    const result = await vscode.commands.executeCommand<OpenResult>('gradscope.lossLandscape', {
      choice: { kind: 'config', configPath: broken.fsPath, label: 'broken' }, request: { grid: 5 },
    });
    assert.ok(result && !result.ok, JSON.stringify(result));
    assert.match(result.error, /nope|activation/);
  });
});
