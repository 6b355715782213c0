// The activation hover and the Compare Activations panel through the real VS Code API.
import * as assert from 'assert';
import * as vscode from 'vscode';

function fixture(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, name);
}

/** Hover text (all providers' Markdown joined) at the first occurrence of `target`, one character in. */
async function hoverText(document: vscode.TextDocument, target: string, occurrence = 0): Promise<string> {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = document.getText().indexOf(target, index + 1);
  assert.ok(index >= 0, `"${target}" not in ${document.uri.path}`);
  const position = document.positionAt(index + 1);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  return (hovers ?? [])
    .flatMap(h => h.contents)
    .map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n---\n');
}

async function setHoverEnabled(enabled: boolean | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('gradscope.hover').update('enabled', enabled, vscode.ConfigurationTarget.Global);
}

describe('Activation hover', () => {
  let model: vscode.TextDocument;

  before(async () => {
    model = await vscode.workspace.openTextDocument(fixture('model.py'));
    await vscode.window.showTextDocument(model);
    await vscode.extensions.getExtension('gradscope.gradscope')?.activate();
  });

  it('hovering nn.Sigmoid in a .py file shows the 0.25 slope bound and a picture', async () => {
    const text = await hoverText(model, 'nn.Sigmoid');
    assert.match(text, /0\.25/);
    assert.match(text, /0\.25ⁿ/);
    assert.match(text, /!\[[^\]]*\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+\)/, 'an SVG image in the hover');
    assert.match(text, /command:gradscope\.compareActivations/);
  });

  it('reads F.gelu as the exact GELU, and leaves nn.Linear alone', async () => {
    assert.match(await hoverText(model, 'F.gelu'), /GELU/);
    assert.doesNotMatch(await hoverText(model, 'nn.Linear'), /Largest slope/);
  });

  it('recognises Keras strings and TensorFlow defaults, but not a variable named step', async () => {
    const keras = await vscode.workspace.openTextDocument(fixture('activations.py'));
    assert.match(await hoverText(keras, 'selu'), /λ = 1\.0507009873554805/);
    assert.match(await hoverText(keras, 'tf.nn.leaky_relu'), /slope = 0\.2 \(TensorFlow default\)/);
    assert.match(await hoverText(keras, '"linear"'), /Linear/);
    assert.doesNotMatch(await hoverText(keras, 'step = 0'), /Largest slope/);
  });

  it('answers in a *.nn.json config for its activation, not for other strings', async () => {
    const config = await vscode.workspace.openTextDocument(fixture('examples/deep-sigmoid.nn.json'));
    assert.match(await hoverText(config, '"sigmoid"'), /0\.25ⁿ/);
    assert.doesNotMatch(await hoverText(config, 'xavier_uniform'), /Largest slope/);
  });

  it('can be switched off with gradscope.hover.enabled', async () => {
    try {
      await setHoverEnabled(false);
      assert.doesNotMatch(await hoverText(model, 'nn.Sigmoid'), /Largest slope/);
    } finally {
      await setHoverEnabled(undefined);
    }
    assert.match(await hoverText(model, 'nn.Sigmoid'), /Largest slope/);
  });

  it('"Compare Activations" opens its panel', async () => {
    await vscode.commands.executeCommand('gradscope.compareActivations', { activations: ['selu'] });
    const findTab = () => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.label === 'Compare Activations');
    // The webview's tab appears once the workbench has created the editor.
    for (let attempt = 0; attempt < 50 && !findTab(); attempt++) await new Promise(resolve => setTimeout(resolve, 100));
    const tab = findTab();
    assert.ok(tab, `a Compare Activations tab; tabs: ${vscode.window.tabGroups.all.flatMap(g => g.tabs).map(t => t.label).join(', ')}`);
    assert.ok(tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('gradscope.compareActivations'));
    await vscode.window.tabGroups.close(tab);
  });
});
