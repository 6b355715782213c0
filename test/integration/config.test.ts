// The live config probe in a real VS Code: a deep sigmoid config gets a vanishing-gradient warning with its measured
// ratio, the "switch to ReLU" quick fix edits the JSON, and after the probe runs again the warning is gone.
import * as assert from 'assert';
import * as vscode from 'vscode';

const DEEP_SIGMOID = `// Ten sigmoid layers: the textbook's vanishing gradient.
{
  "data": { "builtin": "circle", "samples": 300 },
  "hidden": [32, 32, 32, 32, 32, 32, 32, 32, 32],
  "activation": "sigmoid",
  "init": "xavier_normal",
  "optimizer": { "type": "sgd", "lr": 0.1 },
  "batchSize": 32,
  "epochs": 5,
  "seed": 1
}
`;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 45_000, context?: () => Promise<string>): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${context ? `; ${await context()}` : ''}`);
    await sleep(100);
  }
}

/** What the editor shows for this config, for failure messages. */
async function describeState(uri: vscode.Uri): Promise<string> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  const diagnostics = vscode.languages.getDiagnostics(uri).map(d => `[${d.source}/${String(d.code)}] ${d.message}`);
  return `CodeLens: ${lenses.map(l => l.command?.title).join(' | ')}; diagnostics: ${diagnostics.join(' | ') || 'none'}`;
}

function gradscopeDiagnostics(uri: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter(d => d.source === 'Gradscope' && (code === undefined || d.code === code));
}

describe('live config probe (*.nn.json)', function () {
  this.timeout(120_000);
  let uri: vscode.Uri;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration run opens a workspace folder');
    uri = vscode.Uri.joinPath(folder.uri, 'live-probe-deep-sigmoid.nn.json');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(DEEP_SIGMOID, 'utf8'));
  });

  after(async () => {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.toString() === uri.toString() && document.isDirty) await document.save();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  it('warns of the vanishing gradient, and the ReLU quick fix makes the warning go away', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const extension = vscode.extensions.getExtension('gradscope.gradscope');
    await extension?.activate();

    const vanishing = await waitFor('a vanishing-gradient warning', () => {
      const found = gradscopeDiagnostics(uri, 'vanishing');
      return found.length > 0 ? found : undefined;
    }, 45_000, () => describeState(uri));
    assert.strictEqual(vanishing[0].severity, vscode.DiagnosticSeverity.Warning);
    // Each vanishing layer's diagnostic covers exactly its own entry of the `hidden` list: "32", left to right.
    const ranges = vanishing.map(d => d.range).sort((a, b) => a.start.character - b.start.character);
    for (const range of ranges) assert.strictEqual(document.getText(range), '32');
    assert.strictEqual(new Set(ranges.map(r => r.start.character)).size, ranges.length);
    assert.ok(vanishing.length >= 3, `${vanishing.length} vanishing layers`);
    // The message carries the measured ratio, e.g. "1/2400 of the output layer's".
    assert.match(vanishing[0].message, /1\/[\d.e]+ of the output layer's/);
    // On the first hidden layer's line: the `hidden` array's first element.
    const firstLayerLine = DEEP_SIGMOID.split('\n').findIndex(line => line.includes('"hidden"'));
    assert.strictEqual(vanishing[0].range.start.line, firstLayerLine);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', uri, vanishing[0].range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map(a => a.title);
    const relu = actions.find(a => /ReLU with He/.test(a.title));
    assert.ok(relu?.edit, `quick fixes offered: ${titles.join(' | ')}`);
    assert.ok(titles.some(t => /SELU with LeCun/.test(t)) && titles.some(t => /batch norm/i.test(t)), titles.join(' | '));

    assert.strictEqual(await vscode.workspace.applyEdit(relu.edit), true);
    assert.match(editor.document.getText(), /"activation": "relu"/);
    assert.match(editor.document.getText(), /"init": "he_normal"/);
    assert.match(editor.document.getText(), /^\/\/ Ten sigmoid layers/, 'the comment survives the edit');

    await waitFor('the vanishing-gradient warning to go away', () =>
      gradscopeDiagnostics(uri, 'vanishing').length === 0 && gradscopeDiagnostics(uri).every(d => !/stale/.test(d.message))
        ? true : undefined, 45_000, () => describeState(uri));
    // The new probe really ran on the edited config: the hover on the first layer reports relu and its numbers.
    const layerLine = editor.document.getText().split('\n').findIndex(line => line.includes('"hidden"'));
    const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri,
      new vscode.Position(layerLine, 5));
    const hoverText = hover.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hoverText, /relu/);
    assert.match(hoverText, /‖∂L\/∂W‖/);
  });

  it('keeps the last hints, marked stale, while the JSON is half-typed', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const insertAt = document.getText().lastIndexOf('}');
    const end = document.positionAt(insertAt);
    await editor.edit(edit => edit.insert(end, '"oops": ['));
    await sleep(800);
    const codeLenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const titles = codeLenses.map(l => l.command?.title ?? '');
    assert.ok(titles.includes('Visualize Network') && titles.includes('Probe again'), titles.join(' | '));
    assert.ok(titles.some(t => /stale/.test(t)), titles.join(' | '));
    // The last good numbers are still there, on the layer's line, saying they are stale.
    const layerLine = document.getText().split('\n').findIndex(line => line.includes('"hidden"'));
    const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri,
      new vscode.Position(layerLine, 5));
    const hoverText = hover.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hoverText, /Stale/);
    assert.match(hoverText, /‖∂L\/∂W‖/);
    // Put the text back and save, so closing the editor asks nothing.
    await editor.edit(edit => edit.delete(new vscode.Range(document.positionAt(insertAt), document.positionAt(insertAt + '"oops": ['.length))));
    await document.save();
  });

  it('switching the live probe off removes its warnings; on again, or "Probe again", brings them back', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    // Back to the deep sigmoid stack (the first test switched it to ReLU).
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), DEEP_SIGMOID);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the vanishing warning', () => (gradscopeDiagnostics(uri, 'vanishing').length > 0 ? true : undefined),
      45_000, () => describeState(uri));
    const settings = vscode.workspace.getConfiguration('gradscope.liveProbe');
    try {
      await settings.update('enabled', false, vscode.ConfigurationTarget.Global);
      await waitFor('the warnings to go', () => (gradscopeDiagnostics(uri, 'vanishing').length === 0 ? true : undefined),
        10_000, () => describeState(uri));
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      assert.ok(lenses.some(l => /live probe off/.test(l.command?.title ?? '')));
    } finally {
      await settings.update('enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the warning to return', () => (gradscopeDiagnostics(uri, 'vanishing').length > 0 ? true : undefined),
      45_000, () => describeState(uri));
    await vscode.commands.executeCommand('gradscope.probeAgain', uri);
    const status = async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri))
      .map(l => l.command?.title ?? '').join(' | ');
    assert.match(await status(), /probing/);
    const until = Date.now() + 45_000;
    while (!/probe: step 0/.test(await status()) && Date.now() < until) await sleep(200);
    assert.match(await status(), /probe: step 0 \+ \d+ steps on \d+ rows/);
    await document.save();
  });
});
