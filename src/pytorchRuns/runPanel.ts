// The PyTorch run panel: tails one run log (polling with incremental reads from the last complete line) and draws
// it with the Visualize page (meta.kind 'pytorch': module names as labels, no training controls). Frames reach the
// webview at most every FLUSH_MS, a backlog thinned; a run with no new line is stalled, not an error.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunLogTail } from '../core/runs/runLog';
import { runLiveness, runNotes, runWarnings, DEFAULT_STALL_SECONDS } from '../core/runs/runAnalysis';
import type { Snapshot } from '../core/types';
import type { FromWebview, RunState, ToWebview } from '../protocol';
import { receiveValidated, validateFromVisualizeWebview } from '../shared/webviewMessages';
import { renderPanelHtml } from '../visualize/panelHtml';
import { loadReportAssets, renderReport } from '../visualize/report';
import { snapshotsToCsv } from '../visualize/snapshotTable';
import { recordedRunOf, runMetaOf, runTitle } from './runRecording';
import { writeFileAtomic } from '../core/io/atomicWrite';
import { localizeCoreOr } from '../shared/localize';
import { SaveError } from '../shared/saveError';
import { writeUriAtomic } from '../shared/writeUri';

export const RUN_PANEL_VIEW_TYPE = 'gradscope.pytorchRun';
const POLL_MS = 500;
const FLUSH_MS = 100;
const MAX_FRAMES_PER_MESSAGE = 20;
/** Bytes read per poll: a 100 MB log loads in 1 MB slices (~0.1 s each) between which the host stays responsive. */
const BYTES_PER_POLL = 1 << 20;

/** Why the log cannot be read now, in the display language for the usual causes, else the system's own words. */
function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return vscode.l10n.t('the file is no longer there (moved or deleted?)');
  if (code === 'EACCES' || code === 'EPERM') return vscode.l10n.t('permission denied');
  return error instanceof Error ? error.message : String(error);
}

export class RunPanel {
  private static readonly panels = new Map<string, RunPanel>();
  private readonly tail: RunLogTail;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pending: Snapshot[] = [];
  private lastFlush = 0;
  private ready = false;
  private runId = 1;
  private layout = -1;
  private lastNotes = '';
  private state: RunState = 'loading';
  private detail = '';
  private mtimeMs = 0;
  private error: string | undefined;

  static show(context: vscode.ExtensionContext, output: vscode.OutputChannel, file: string): RunPanel {
    const existing = RunPanel.panels.get(file);
    if (existing !== undefined) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RUN_PANEL_VIEW_TYPE, `PyTorch: ${path.basename(file, '.jsonl')}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    return new RunPanel(panel, context, output, file);
  }

  static disposeAll(): void {
    for (const p of [...RunPanel.panels.values()]) p.dispose();
  }

  /** For tests: the open panel of `file`. */
  static of(file: string): RunPanel | undefined {
    return RunPanel.panels.get(file);
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly context: vscode.ExtensionContext, private readonly output: vscode.OutputChannel, readonly file: string) {
    RunPanel.panels.set(file, this);
    this.tail = new RunLogTail(file);
    const webview = panel.webview;
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    panel.iconPath = vscode.Uri.joinPath(media, 'icon.png');
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
      lang: vscode.env.language,
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage(receiveValidated('PyTorch run', validateFromVisualizeWebview, (m: FromWebview) => this.onMessage(m))),
      panel.onDidChangeViewState(e => { if (!e.webviewPanel.visible) this.ready = false; }),
    );
    this.poll();
  }

  /** What the panel has read (tests): steps of the kept snapshots, the notes, the state. */
  status(): { steps: number[]; notes: string[]; state: RunState; detail: string; layers: string[]; postedSteps: number[]; webviewReady: boolean } {
    const s = this.tail.parser.state;
    return {
      steps: s.snapshots.map(x => x.step), notes: runNotes(s, runWarnings(s)), state: this.state, detail: this.detail,
      layers: s.layers.map(l => l.name), postedSteps: this.postedSteps.slice(), webviewReady: this.ready,
    };
  }

  private poll(): void {
    this.timer = undefined;
    let more = false;
    try {
      const result = this.tail.poll(BYTES_PER_POLL);
      this.error = undefined;
      more = result.more;
      this.mtimeMs = result.mtimeMs;
      if (this.tail.restarted) {
        this.tail.restarted = false;
        this.layout = -1;
      }
      const s = this.tail.parser.state;
      if (s.layout !== this.layout && s.meta !== undefined) {
        // The first meta, a later run in the same file, or the first snapshot pairing the activations with the
        // modules that fed them: the page starts over with everything kept so far.
        this.layout = s.layout;
        this.runId++;
        this.pending = [];
        this.sendRun();
      } else {
        this.pending.push(...result.added);
      }
    } catch (error) {
      this.error = readFailure(error);
    }
    this.updateState();
    this.flush();
    if (!this.disposed) this.timer = setTimeout(() => this.poll(), more ? 0 : POLL_MS);
  }

  private updateState(): void {
    const s = this.tail.parser.state;
    let state: RunState;
    if (this.error !== undefined) {
      // The file went away or cannot be read for now: say so, keep what was read, keep trying.
      state = 'paused';
      this.detail = vscode.l10n.t('cannot read the file ({0}); still trying', this.error);
    } else if (s.meta === undefined) {
      state = s.issues.some(i => i.severity === 'error') ? 'error' : 'loading';
      this.detail = '';
    } else {
      const stall = vscode.workspace.getConfiguration('gradscope.pytorch').get<number>('stallSeconds', DEFAULT_STALL_SECONDS);
      const liveness = runLiveness(s, this.mtimeMs, Date.now(), stall);
      const seconds = Math.round((Date.now() - this.mtimeMs) / 1000);
      state = liveness === 'ended' ? 'done' : liveness === 'live' ? 'running' : 'paused';
      this.detail = liveness === 'ended'
        ? vscode.l10n.t('the run ended ({0}) after {1} steps', s.end?.reason ?? '?', s.end?.steps ?? '?')
        : liveness === 'live' ? vscode.l10n.t('live') : vscode.l10n.t('stalled: no new line for {0} s (the script may be paused or stopped without an end record)', seconds);
    }
    if (state === 'error' && this.state !== 'error') {
      const first = s.issues.find(i => i.severity === 'error');
      this.post({ type: 'error', message: `${path.basename(this.file)}: ${first !== undefined ? localizeCoreOr(first.text, first.message) : vscode.l10n.t('not a gradscope run')}` });
    }
    const changed = state !== this.state;
    this.state = state;
    if (changed || state !== 'error') this.post({ type: 'state', runId: this.runId, state, detail: this.detail });
    const notes = runNotes(s, runWarnings(s));
    const key = notes.join('\n');
    if (key !== this.lastNotes) {
      this.lastNotes = key;
      this.post({ type: 'notes', runId: this.runId, notes: runMetaOf(s, this.file).notes });
    }
  }

  private sendRun(): void {
    const s = this.tail.parser.state;
    this.lastNotes = runNotes(s, runWarnings(s)).join('\n');
    this.post({
      type: 'run', runId: this.runId, meta: runMetaOf(s, this.file), sourceLabel: path.basename(this.file),
      frames: s.snapshots.map(snapshot => ({ snapshot })),
    });
  }

  private flush(): void {
    if (this.pending.length === 0 || Date.now() - this.lastFlush < FLUSH_MS) return;
    let frames = this.pending;
    this.pending = [];
    if (frames.length > MAX_FRAMES_PER_MESSAGE) {
      const picked: Snapshot[] = [];
      for (let k = 0; k < MAX_FRAMES_PER_MESSAGE; k++) picked.push(frames[Math.round((k * (frames.length - 1)) / (MAX_FRAMES_PER_MESSAGE - 1))]);
      frames = picked;
    }
    this.lastFlush = Date.now();
    this.post({ type: 'frames', runId: this.runId, frames: frames.map(snapshot => ({ snapshot })) });
  }

  /** Steps of the snapshots sent to the page, in order (a new `run` message starts the list over). */
  private postedSteps: number[] = [];

  private post(message: ToWebview): void {
    if (!this.ready || this.disposed) return;
    if (message.type === 'run') this.postedSteps = message.frames.map(f => f.snapshot.step);
    if (message.type === 'frames') this.postedSteps.push(...message.frames.map(f => f.snapshot.step));
    void this.panel.webview.postMessage(message);
  }

  private onMessage(message: FromWebview): void {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        this.pending = [];
        if (this.tail.parser.state.meta !== undefined) this.sendRun();
        const first = this.tail.parser.state.issues.find(i => i.severity === 'error');
        if (this.state === 'error' && first !== undefined) this.post({ type: 'error', message: `${path.basename(this.file)}: ${localizeCoreOr(first.text, first.message)}` });
        this.post({ type: 'state', runId: this.runId, state: this.state, detail: this.detail });
        break;
      }
      case 'export':
        this.reportFailure(this.exportRun(message.format));
        break;
      case 'savePng': {
        const prefix = 'data:image/png;base64,';
        if (!message.dataUrl.startsWith(prefix)) break;
        void vscode.window.showSaveDialog({ defaultUri: this.defaultUri(`${this.base()}-${message.chart}.png`), filters: { PNG: ['png'] } }).then(target => {
          if (target !== undefined) this.reportFailure(writeUriAtomic(target, Buffer.from(message.dataUrl.slice(prefix.length), 'base64')));
        });
        break;
      }
      case 'control': case 'set': case 'saveConfig': case 'openLocation': case 'retry':
        // Nothing to steer: the run is trained by the user's script.
        break;
      default: {
        const never: never = message;
        throw new Error(`unknown webview message ${JSON.stringify(never)}`);
      }
    }
  }

  private base(): string {
    return runTitle(this.tail.parser.state, this.file).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'run';
  }

  private defaultUri(name: string): vscode.Uri {
    return vscode.Uri.file(path.join(path.dirname(this.file), name));
  }

  private async exportRun(format: 'json' | 'csv' | 'html'): Promise<void> {
    const run = recordedRunOf(this.tail.parser.state, this.file);
    if (format === 'html') {
      const folder = path.join(this.context.globalStorageUri.fsPath, 'reports');
      const file = path.join(folder, `${this.base()}-${new Date().toISOString().replace(/[:.]/g, '-')}.html`);
      await writeFileAtomic(file, renderReport(run, loadReportAssets(this.context.extensionPath))).catch((error: unknown) => { throw new SaveError(file, error); });
      this.output.appendLine(vscode.l10n.t('HTML report of {0} written to {1}', this.file, file));
      await vscode.env.openExternal(vscode.Uri.file(file));
      return;
    }
    const target = await vscode.window.showSaveDialog({
      defaultUri: this.defaultUri(`${this.base()}-snapshots.${format}`), filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
    });
    if (target === undefined) return;
    const text = format === 'json' ? JSON.stringify(run) : snapshotsToCsv(run.frames.map(f => f.snapshot));
    await writeUriAtomic(target, text);
  }

  /** A save that fails (no permission, a full disk) says so; the previous file is whole (atomic writes). */
  private reportFailure(work: Promise<void>): void {
    work.catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      this.output.appendLine(`PyTorch run ${this.file}: ${text}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Gradscope: {0}', text));
    });
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    RunPanel.panels.delete(this.file);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
