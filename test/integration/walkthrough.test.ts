// The "Why deep networks stop learning" walkthrough as VS Code sees it: contributed with its six steps, and the
// buttons' commands run each step on the bundled examples (the workspace's examples/ copy).
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'gradscope.gradscope';

interface Step { id: string; title: string; description: string; media: { svg: string; altText: string }; completionEvents: string[] }

function buttonsOf(step: Step): string[] {
  return [...step.description.matchAll(/\]\(command:([\w.]+)\)/g)].map(m => m[1]);
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

describe('Walkthrough: why deep networks stop learning', function () {
  this.timeout(120_000);
  let steps: Step[];

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    const walkthroughs = extension.packageJSON.contributes.walkthroughs as { id: string; title: string; steps: Step[] }[];
    assert.strictEqual(walkthroughs.length, 1);
    assert.strictEqual(walkthroughs[0].title, 'Why deep networks stop learning', 'the manifest strings are resolved from package.nls.json');
    steps = walkthroughs[0].steps;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('has six steps, each with a picture, a button whose command is registered, and completion events', async () => {
    assert.deepStrictEqual(steps.map(s => s.id), ['universalApproximation', 'sigmoidSlope', 'vanishing', 'reluHe', 'batchNorm', 'skipConnections']);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of steps) {
      assert.match(step.media.svg, /^media\/walkthrough\/[\w-]+\.svg$/);
      assert.ok(step.media.altText.length > 20, `${step.id}: alt text`);
      const buttons = buttonsOf(step);
      assert.ok(buttons.length > 0, `${step.id} has no button`);
      for (const command of buttons) assert.ok(registered.has(command), `${step.id}: ${command} is not registered`);
      assert.ok(step.completionEvents.some(e => buttons.some(b => e === `onCommand:${b}`) || e.startsWith('onContext:')), `${step.id}: ${step.completionEvents.join(', ')}`);
    }
  });

  it('opens the walkthrough from its command', async () => {
    await vscode.commands.executeCommand('gradscope.learn.openWalkthrough');
    const tab = await waitFor('the walkthrough tab', () =>
      vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.isActive && !(t.input instanceof vscode.TabInputText)), 10_000);
    assert.ok(tab.label.length > 0);
  });

  it('step 1 fits Nielsen\'s function with one hidden layer', async () => {
    const result = await vscode.commands.executeCommand<{ result: { ok: boolean; rows: number; inputs: number } }>('gradscope.learn.universalApproximation');
    assert.strictEqual(result.result.ok, true, JSON.stringify(result));
    assert.strictEqual(result.result.inputs, 1);
    assert.ok(result.result.rows > 100);
  });

  it('step 2 opens the PyTorch model at nn.Sigmoid and its hover says the slope is at most 0.25', async () => {
    const result = await vscode.commands.executeCommand<{ file: string; result: { line: number; character: number } }>('gradscope.learn.hoverSigmoid');
    assert.match(result.file, /examples[\\/]deep_sigmoid\.py$/);
    const editor = vscode.window.activeTextEditor!;
    assert.strictEqual(editor.document.uri.fsPath, result.file);
    const position = new vscode.Position(result.result.line, result.result.character);
    assert.strictEqual(editor.selection.active.line, position.line);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
    const text = hovers.flatMap(h => h.contents).map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
    assert.match(text, /\*\*0\.25\*\*/);
  });

  it('step 3 trains the deep sigmoid network in the Visualize Network panel', async () => {
    const result = await vscode.commands.executeCommand<{ file: string; result: { ok: boolean; snapshot?: { step: number } } }>('gradscope.learn.visualizeDeepSigmoid');
    assert.match(result.file, /deep-sigmoid\.nn\.json$/);
    assert.strictEqual(result.result.ok, true, JSON.stringify(result.result));
  });

  it('step 4 puts the cursor on the vanishing-gradient warning, and applying the ReLU + He fix completes the step', async () => {
    const result = await vscode.commands.executeCommand<{ file: string; result?: { line: number; message: string } }>('gradscope.learn.showReluFix');
    assert.ok(result.result, 'no vanishing-gradient diagnostic appeared');
    assert.match(result.result.message, /^Vanishing gradient/);
    const editor = vscode.window.activeTextEditor!;
    assert.strictEqual(editor.selection.active.line, result.result.line);
    const before = editor.document.getText();
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider',
      editor.document.uri, new vscode.Range(editor.selection.active, editor.selection.active), vscode.CodeActionKind.QuickFix.value);
    const relu = actions.find(a => a.title === 'Switch hidden activations to ReLU with He initialisation');
    assert.ok(relu?.edit, actions.map(a => a.title).join(' | '));
    // the fix carries the command that completes the walkthrough step
    assert.strictEqual(relu.command?.command, 'gradscope.learn.fixApplied');
    await vscode.commands.executeCommand(relu.command.command);
    assert.ok(await vscode.workspace.applyEdit(relu.edit));
    assert.match(editor.document.getText(), /"activation": "relu"/);
    // leave the example as it was for whoever runs it next
    const whole = new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length));
    await editor.edit(b => b.replace(whole, before));
    await editor.document.save();
  });

  it('step 6 compares the plain, ReLU, batch-norm and residual networks side by side', async () => {
    const result = await vscode.commands.executeCommand<{ result: { ok: boolean; networks?: string[] } }>('gradscope.learn.compareNetworks');
    assert.strictEqual(result.result.ok, true, JSON.stringify(result.result));
    assert.strictEqual(result.result.networks?.length, 4);
  });
});
