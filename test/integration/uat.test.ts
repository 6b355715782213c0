// "Universal Approximation" in a real VS Code: the command is contributed, opens its panel on a built-in set or a
// data file and resolves once the panel has the data; a file with too many inputs ends in an error, not an exception.
import * as assert from 'assert';
import * as vscode from 'vscode';

const COMMAND = 'gradscope.universalApproximation';
type OpenResult = { ok: true; rows: number; inputs: number; label: string } | { ok: false; error: string };

function uatTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap(group => group.tabs)
    .filter(tab => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('gradscope.universalApproximation'));
}

describe('Universal Approximation panel', function () {
  this.timeout(120_000);

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is contributed to the palette with its title and category', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes(COMMAND));
    const manifest = vscode.extensions.all.find(e => e.packageJSON?.name === 'gradscope')?.packageJSON as { contributes: { commands: { command: string; title: string; category: string }[] } };
    const entry = manifest.contributes.commands.find(c => c.command === COMMAND);
    assert.deepStrictEqual([entry?.title, entry?.category], ['Universal Approximation', 'Gradscope']);
  });

  it("opens the panel on Nielsen's function and loads its data", async () => {
    const result = await vscode.commands.executeCommand<OpenResult>(COMMAND, { builtin: 'nielsen' });
    assert.ok(result?.ok, JSON.stringify(result));
    assert.strictEqual(result.inputs, 1);
    assert.strictEqual(result.rows, 500);
    assert.strictEqual(uatTabs().length, 1);
    // The tab model catches up with the panel's new title a moment later.
    for (let i = 0; i < 50 && !/nielsen/.test(uatTabs()[0]?.label ?? ''); i++) await new Promise(r => setTimeout(r, 100));
    assert.match(uatTabs()[0]?.label ?? '', /Universal Approximation: nielsen \(built-in\)/);
  });

  it('reuses the one panel for a data file with two inputs (towers)', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const file = vscode.Uri.joinPath(folder, 'uat-surface.csv');
    const rows = ['a,b,z'];
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) rows.push(`${i},${j},${Math.sin(i) * Math.cos(j)}`);
    await vscode.workspace.fs.writeFile(file, Buffer.from(rows.join('\n'), 'utf8'));
    await vscode.commands.executeCommand<OpenResult>(COMMAND, { builtin: 'sine' });
    const result = await vscode.commands.executeCommand<OpenResult>(COMMAND, { dataPath: file.fsPath });
    assert.ok(result?.ok, JSON.stringify(result));
    assert.deepStrictEqual([result.inputs, result.rows], [2, 100]);
    assert.strictEqual(uatTabs().length, 1);
  });

  it('answers a file with three inputs with an error message, not an exception', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const file = vscode.Uri.joinPath(folder, 'uat-wide.csv');
    await vscode.workspace.fs.writeFile(file, Buffer.from('a,b,c,y\n1,2,3,4\n2,3,4,5\n', 'utf8'));
    const result = await vscode.commands.executeCommand<OpenResult>(COMMAND, { dataPath: file.fsPath });
    assert.ok(result && !result.ok);
    assert.match(result.error, /1 or 2 input columns/);
  });
});
