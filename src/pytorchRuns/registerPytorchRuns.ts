// Watching PyTorch runs: a FileSystemWatcher on **/.gradscope/runs/*.jsonl (a new run: "PyTorch run NAME started —
// Open in Gradscope"), "Gradscope: Open PyTorch Run…" (the workspace's runs newest first, live ones marked) and
// "Gradscope: Set Up PyTorch Watching" (the two lines, and how to make `gradscope` importable; nothing installed
// without a click). In an untrusted workspace only runs inside the workspace are read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_STALL_SECONDS } from '../core/runs/runAnalysis';
import { RunPanel } from './runPanel';

export const OPEN_RUN_COMMAND = 'gradscope.openPytorchRun';
export const SETUP_COMMAND = 'gradscope.setUpPytorchWatching';
/** Not in the palette: what an open run panel has read and sent (the integration tests ask it). */
export const STATUS_COMMAND = 'gradscope.pytorchRunStatus';
const RUN_GLOB = '**/.gradscope/runs/*.jsonl';
/** How often the workspace folders' .gradscope/runs are listed, for a creation the file watcher did not report. */
const SCAN_MS = 3000;

function output(context: vscode.ExtensionContext): vscode.OutputChannel {
  const channel = vscode.window.createOutputChannel('Gradscope PyTorch');
  context.subscriptions.push(channel);
  return channel;
}

function insideWorkspace(file: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some(f => {
    const rel = path.relative(f.uri.fsPath, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
}

/** A run file is live when written in the last N seconds and it has no end record (its last line). */
function isLive(file: string, mtimeMs: number): boolean {
  const stall = vscode.workspace.getConfiguration('gradscope.pytorch').get<number>('stallSeconds', DEFAULT_STALL_SECONDS);
  if (Date.now() - mtimeMs > stall * 1000) return false;
  try {
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(Math.min(size, 4096));
    fs.readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    fs.closeSync(fd);
    const lines = buffer.toString('utf8').trimEnd().split('\n');
    return !lines[lines.length - 1].startsWith('{"type":"end"');
  } catch {
    return false;
  }
}

export function registerPytorchRuns(context: vscode.ExtensionContext): void {
  const channel = output(context);
  const open = (file: string): RunPanel | undefined => {
    if (!vscode.workspace.isTrusted && !insideWorkspace(file)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Gradscope: this workspace is not trusted, so only runs inside it are read ({0} is outside).', file));
      return undefined;
    }
    return RunPanel.show(context, channel, file);
  };
  const watcher = vscode.workspace.createFileSystemWatcher(RUN_GLOB, false, true, true);
  const announced = new Set<string>();
  const announce = (file: string): void => {
    if (announced.has(file) || RunPanel.of(file) !== undefined) return;
    announced.add(file);
    if (!vscode.workspace.getConfiguration('gradscope.pytorch').get<boolean>('notifyOnStart', true)) return;
    const name = path.basename(file, '.jsonl');
    const openIt = vscode.l10n.t('Open in Gradscope');
    void vscode.window.showInformationMessage(vscode.l10n.t('PyTorch run {0} started', name), openIt).then(choice => {
      if (choice === openIt) open(file);
    });
  };
  // The file watcher can miss a creation (an OS watcher that is late or overflows under many changes: seen once in a
  // full integration run), so each workspace folder's own .gradscope/runs is also listed every few seconds: a run
  // file that was not there at activation and that the watcher did not report is announced all the same.
  const runsFolders = (): string[] => (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => path.join(f.uri.fsPath, '.gradscope', 'runs'));
  const listRuns = (): string[] => runsFolders().flatMap(dir => {
    try { return fs.readdirSync(dir).filter(n => n.endsWith('.jsonl')).map(n => path.join(dir, n)); } catch { return []; }
  });
  for (const file of listRuns()) announced.add(file);
  const scan = setInterval(() => { for (const file of listRuns()) announce(file); }, SCAN_MS);
  context.subscriptions.push(
    watcher,
    { dispose: () => clearInterval(scan) },
    watcher.onDidCreate(uri => announce(uri.fsPath)),
    vscode.commands.registerCommand(OPEN_RUN_COMMAND, async (arg?: unknown): Promise<boolean> => {
      const given = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
      if (given !== undefined) return open(given) !== undefined;
      const uris = await vscode.workspace.findFiles(RUN_GLOB, '**/node_modules/**', 500);
      const runs = uris.map(uri => {
        try { return { file: uri.fsPath, mtimeMs: fs.statSync(uri.fsPath).mtimeMs }; } catch { return undefined; }
      }).filter((r): r is { file: string; mtimeMs: number } => r !== undefined).sort((a, b) => b.mtimeMs - a.mtimeMs);
      if (runs.length === 0) {
        const setUp = vscode.l10n.t('Set Up PyTorch Watching');
        const openFile = vscode.l10n.t('Open a File…');
        const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Gradscope: no PyTorch runs in this workspace yet ({0}).', '.gradscope/runs/*.jsonl'), setUp, openFile);
        if (choice === setUp) await vscode.commands.executeCommand(SETUP_COMMAND);
        if (choice === openFile) {
          const picked = await vscode.window.showOpenDialog({ filters: { [vscode.l10n.t('Run log')]: ['jsonl'] }, canSelectMany: false });
          if (picked?.[0] !== undefined) return open(picked[0].fsPath) !== undefined;
        }
        return false;
      }
      const item = await vscode.window.showQuickPick(runs.map(r => {
        const live = isLive(r.file, r.mtimeMs);
        return {
          label: `${live ? '$(pulse) ' : ''}${path.basename(r.file, '.jsonl')}`,
          description: `${live ? `${vscode.l10n.t('live')} · ` : ''}${new Date(r.mtimeMs).toLocaleString()}`,
          detail: vscode.workspace.asRelativePath(r.file),
          file: r.file,
        };
      }), { placeHolder: vscode.l10n.t('PyTorch runs, newest first ($(pulse) live)') });
      return item !== undefined && open(item.file) !== undefined;
    }),
    vscode.commands.registerCommand(SETUP_COMMAND, () => showSetup(context)),
    vscode.commands.registerCommand(STATUS_COMMAND, (file: string) => RunPanel.of(file)?.status()),
    { dispose: () => RunPanel.disposeAll() },
  );
}

/** The Python extension's selected interpreter, if that extension is installed and says. */
async function selectedInterpreter(): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension('ms-python.python');
  if (extension === undefined) return undefined;
  try {
    const api = (extension.isActive ? extension.exports : await extension.activate()) as {
      environments?: { getActiveEnvironmentPath?: (resource?: vscode.Uri) => { path: string } | undefined };
    } | undefined;
    return api?.environments?.getActiveEnvironmentPath?.(vscode.workspace.workspaceFolders?.[0]?.uri)?.path;
  } catch {
    return undefined;
  }
}

async function showSetup(context: vscode.ExtensionContext): Promise<void> {
  const pythonDir = path.join(context.extensionPath, 'python');
  const interpreter = await selectedInterpreter();
  const python = interpreter ?? 'python3';
  const pip = `${quote(python)} -m pip install ${quote(pythonDir)}`;
  const doc = await vscode.workspace.openTextDocument({
    language: 'markdown',
    content: [
      `# ${vscode.l10n.t('Watch a PyTorch run with Gradscope')}`,
      '',
      vscode.l10n.t('Add two lines to your training script:'),
      '',
      '```python',
      'import gradscope',
      `w = gradscope.watch(model, every=10)   # ${vscode.l10n.t('then, after each loss.backward(): w.step(loss)')}`,
      '```',
      '',
      vscode.l10n.t('The run is written to {0}; Gradscope offers to open it when it starts (or run **{1}**).', '`.gradscope/runs/<script>-<time>.jsonl`', vscode.l10n.t('Gradscope: Open PyTorch Run…')),
      '',
      vscode.l10n.t('Make {0} importable (it needs only torch ≥ 1.13), either', '`gradscope`'),
      '',
      `- ${interpreter !== undefined ? vscode.l10n.t('install it into the Python extension\'s selected interpreter ({0}):', interpreter) : vscode.l10n.t('install it into your Python:')}`,
      '',
      `      ${pip}`,
      '',
      `- ${vscode.l10n.t('or, without installing, put it on the path:')}`,
      '',
      `      PYTHONPATH=${quote(pythonDir)} ${python} train.py`,
      '',
      vscode.l10n.t('Reference: {0}', path.join(pythonDir, 'README.md')),
    ].join('\n'),
  });
  await vscode.window.showTextDocument(doc, { preview: true });
  const install = vscode.l10n.t('Install in a Terminal');
  const copy = vscode.l10n.t('Copy PYTHONPATH');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Gradscope: install the gradscope package with {0}?', python), install, copy);
  if (choice === install) {
    const terminal = vscode.window.createTerminal('Gradscope: pip install');
    terminal.show();
    terminal.sendText(pip);
  } else if (choice === copy) {
    await vscode.env.clipboard.writeText(pythonDir);
  }
}

function quote(text: string): string {
  return /^[\w./:\\-]+$/.test(text) ? text : `"${text.replace(/"/g, '\\"')}"`;
}
