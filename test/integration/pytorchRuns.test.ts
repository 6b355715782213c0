// Watching a PyTorch run in a real VS Code: a real training script (Debian's /usr/bin/python3 with torch, the
// extension's python/ on PYTHONPATH) writes .gradscope/runs/deep-sigmoid.jsonl while the panel is open; new lines
// reach the panel as they are written, and the vanishing-gradient warning names the module. Also: the notification
// when a run file appears, and what Set Up PyTorch Watching shows.
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const PYTHON = '/usr/bin/python3';
const SCRIPT = `import sys, time
import torch
from torch import nn
import gradscope

torch.manual_seed(0)
layers = []
for i in range(8):
    layers += [nn.Linear(2 if i == 0 else 32, 32), nn.Sigmoid()]
model = nn.Sequential(*layers, nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
with gradscope.watch(model, every=5, name='deep-sigmoid') as w:
    for step in range(int(sys.argv[1])):
        x = torch.randn(64, 2)
        y = (x[:, :1] * x[:, 1:] > 0).float()
        loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)
        opt.zero_grad()
        loss.backward()
        w.step(loss)
        opt.step()
        time.sleep(float(sys.argv[2]))
`;

interface RunStatus { steps: number[]; notes: string[]; state: string; detail: string; layers: string[]; postedSteps: number[]; webviewReady: boolean }

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

describe('PyTorch runs', function () {
  this.timeout(240_000);
  let child: ChildProcess | undefined;

  after(async () => {
    child?.kill();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes its commands with the Gradscope category', () => {
    const manifest = vscode.extensions.all.find(e => e.packageJSON?.name === 'gradscope')?.packageJSON as { contributes: { commands: { command: string; title: string; category: string }[] } };
    const titles = manifest.contributes.commands.filter(c => c.command.includes('ytorch')).map(c => [c.command, c.title, c.category]);
    assert.deepStrictEqual(titles, [
      ['gradscope.openPytorchRun', 'Open PyTorch Run…', 'Gradscope'],
      ['gradscope.setUpPytorchWatching', 'Set Up PyTorch Watching', 'Gradscope'],
    ]);
  });

  /** Replaces window.showInformationMessage while `body` runs: records each call, answers with `answer(items)`. */
  async function withInformationMessages<T>(answer: (message: string, items: string[]) => string | undefined, body: (calls: { message: string; items: string[] }[]) => Promise<T>): Promise<T> {
    const window = vscode.window as unknown as { showInformationMessage: (...args: unknown[]) => Thenable<unknown> };
    const original = window.showInformationMessage;
    const calls: { message: string; items: string[] }[] = [];
    window.showInformationMessage = (message: unknown, ...rest: unknown[]) => {
      const items = rest.filter((r): r is string => typeof r === 'string');
      calls.push({ message: String(message), items });
      return Promise.resolve(answer(String(message), items));
    };
    try {
      return await body(calls);
    } finally {
      window.showInformationMessage = original;
    }
  }

  it('offers "PyTorch run NAME started — Open in Gradscope" when a run file appears, and the button opens it', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const runFile = path.join(folder, '.gradscope', 'runs', 'appearing-run.jsonl');
    fs.rmSync(runFile, { force: true });
    await withInformationMessages((message, items) => (message.includes('appearing-run') ? items[0] : undefined), async calls => {
      // through VS Code's file service, which reports the creation to watchers itself (the OS-level watcher of this
      // test host is not relied on; the training-script test below writes with Python)
      await vscode.workspace.fs.writeFile(vscode.Uri.file(runFile), Buffer.from(JSON.stringify({ type: 'meta', format: 1, name: 'appearing-run', modules: [
        { name: '0', type: 'Linear', params: [{ name: 'weight', shape: [4, 2] }, { name: 'bias', shape: [4] }] },
      ] }) + '\n' + JSON.stringify({ type: 'snapshot', step: 0, loss: 0.5, layers: [
        { name: '0', type: 'Linear', param: 'weight', gradNorm: 0.1, biasGradNorm: 0.05, weightNorm: 1, updateRatio: null, gradMeanAbs: 0.01, gradMaxAbs: 0.05 },
      ], activations: [] }) + '\n'));
      const offer = await waitFor('the notification', async () => calls.find(c => c.message.includes('appearing-run')), 30_000);
      assert.strictEqual(offer.message, 'PyTorch run appearing-run started');
      assert.deepStrictEqual(offer.items, ['Open in Gradscope']);
      // the answer was the button: the run opens in a panel, which reads the snapshot
      const opened = await waitFor('the panel', async () => {
        const s = await vscode.commands.executeCommand<RunStatus | undefined>('gradscope.pytorchRunStatus', runFile);
        return s !== undefined && s.steps.length === 1 ? s : undefined;
      }, 30_000);
      assert.deepStrictEqual(opened.layers, ['0']);
      assert.strictEqual(calls.filter(c => c.message.includes('appearing-run')).length, 1, 'offered once');
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Set Up PyTorch Watching shows the two lines and how to make gradscope importable, and installs nothing unasked', async () => {
    const extension = vscode.extensions.all.find(e => e.packageJSON?.name === 'gradscope')!;
    const terminals = vscode.window.terminals.length;
    await withInformationMessages(() => undefined, async calls => {
      await vscode.commands.executeCommand('gradscope.setUpPytorchWatching');
      const text = await waitFor('the setup document', async () => {
        const doc = vscode.window.activeTextEditor?.document;
        return doc !== undefined && doc.getText().includes('gradscope.watch') ? doc.getText() : undefined;
      }, 20_000);
      const pythonDir = path.join(extension.extensionPath, 'python');
      assert.ok(text.includes('import gradscope\nw = gradscope.watch(model, every=10)'), text);
      assert.ok(text.includes(`-m pip install ${pythonDir}`) || text.includes(`-m pip install "${pythonDir}"`), text);
      assert.ok(text.includes('PYTHONPATH='), text);
      assert.ok(fs.existsSync(path.join(pythonDir, 'gradscope', '__init__.py')), 'the folder it names holds the package');
      const ask = await waitFor('the install question', async () => calls.find(c => c.message.startsWith('Gradscope: install the gradscope package with')), 10_000);
      assert.deepStrictEqual(ask.items, ['Install in a Terminal', 'Copy PYTHONPATH']);
    });
    assert.strictEqual(vscode.window.terminals.length, terminals, 'no terminal without the click');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('tails a run written by a real training script, live, and names the vanishing module', async function () {
    if (!fs.existsSync(PYTHON)) this.skip();
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const extension = vscode.extensions.all.find(e => e.packageJSON?.name === 'gradscope')!;
    const script = path.join(folder, 'train_deep_sigmoid.py');
    const runFile = path.join(folder, '.gradscope', 'runs', 'deep-sigmoid.jsonl');
    fs.rmSync(runFile, { force: true });
    fs.writeFileSync(script, SCRIPT);
    let stderr = '';
    // 60 steps, 0.25 s apart after torch's import: the run writes a snapshot about every 1.3 s for ~15 s.
    child = spawn(PYTHON, [script, '60', '0.25'], { cwd: folder, env: { ...process.env, PYTHONPATH: path.join(extension.extensionPath, 'python') } });
    child.stderr?.on('data', chunk => { stderr += String(chunk); });
    const exited = new Promise<number | null>(resolve => child!.on('exit', code => resolve(code)));
    await waitFor('the run file', async () => (fs.existsSync(runFile) && fs.statSync(runFile).size > 0 ? true : undefined), 120_000)
      .catch(error => { throw new Error(`${String(error)}; python stderr: ${stderr}`); });
    const opened = await vscode.commands.executeCommand<boolean>('gradscope.openPytorchRun', runFile);
    assert.strictEqual(opened, true);
    const status = () => vscode.commands.executeCommand<RunStatus | undefined>('gradscope.pytorchRunStatus', runFile);
    const early = await waitFor('the first snapshot in the panel', async () => {
      const s = await status();
      return s !== undefined && s.webviewReady && s.postedSteps.length > 0 ? s : undefined;
    }, 60_000);
    assert.deepStrictEqual(early.layers, ['0', '2', '4', '6', '8', '10', '12', '14', '16']);
    const code = await exited;
    assert.strictEqual(code, 0, stderr);
    const done = await waitFor('the end record', async () => {
      const s = await status();
      return s?.state === 'done' ? s : undefined;
    }, 30_000);
    // Every snapshot the script wrote (steps 0, 5 … 55) was read, and more of them reached the page than were there
    // when it opened: the lines appeared while the panel was open.
    assert.deepStrictEqual(done.steps, [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    assert.ok(early.steps.length < done.steps.length, `opened with ${early.steps.length} snapshots, ended with ${done.steps.length}`);
    assert.ok(done.postedSteps.length > early.postedSteps.length, `posted ${done.postedSteps}`);
    assert.strictEqual(done.postedSteps.at(-1), 55);
    assert.match(done.detail, /the run ended \(close\) after 60 steps/);
    const vanishing = done.notes.filter(n => n.startsWith('⚠ Vanishing gradient'));
    assert.ok(vanishing.some(n => n.includes('module 0 (32 sigmoid)')), done.notes.join('\n'));
    // Linear → Sigmoid → Linear all the way: the gradient-loss split is there, so no note says it is missing
    assert.ok(!done.notes.some(n => n.startsWith('Where the gradient is lost')), done.notes.join('\n'));
  });
});
