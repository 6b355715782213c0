// The live config editor: as a `*.nn.json` is opened or edited, semantic diagnostics (debounced lightly), then a
// probe in a worker (debounced ~400 ms after typing stops) whose per-layer numbers appear at the end of each layer's
// line, as warnings with quick fixes, in a hover and in a CodeLens over the layers. Half-typed JSON keeps the last
// good hints, dimmed and marked stale, on the lines the text moved them to. (Retraining an open Visualize Network
// panel on save is the panel's own listener; it reads `gradscope.liveProbe.retrainOnSave`.)
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  combineWarnings, divergenceWarning, FIXES_BY_KIND, gradientRatios, mergeWarnings, warningsFromSnapshot, type ConfigFixKind,
  type ProbeWarning, type ProbeWarningKind,
} from '../core/analysis/probeWarnings';
import { configFixEdits } from '../core/config/configFixes';
import { coreText } from '../core/messages';
import { localizeCore, localizeCoreOr } from '../shared/localize';
import type { FromProbeWorker, ProbeProblem } from '../protocol';
import { VISUALIZE_NETWORK_COMMAND as VISUALIZE_COMMAND } from '../shared/commands';
import { analyzeConfig, type ConfigAnalysis } from './configAnalysis';
import { keySpan, parseConfigTree, spanOfPath, type TextSpan } from './jsonLocations';
import { hintSnapshot, layerHoverMarkdown, lineHints, type LayerHealth } from './layerHints';
import { countLineBreaks, shiftLines } from './lineTracking';
import { KeyedDebouncer, ProbeClient, type ProbeWorkerPort } from './probeClient';
import { LIVE_PROBE_SECTION, readLiveProbeSettings, THREADS_SETTING, type LiveProbeSettings } from './settings';
import { DEFAULT_WORKER_MEMORY_MB, describeDeath, spawnWorker } from '../shared/workerHost';

export const PROBE_AGAIN_COMMAND = 'gradscope.probeAgain';
const DIAGNOSTIC_SOURCE = 'Gradscope';
/** Semantic diagnostics follow typing closely; the probe waits for a pause. */
const ANALYZE_DELAY_MS = 120;
const WARNING_KINDS: readonly ProbeWarningKind[] = ['vanishing', 'exploding', 'dead', 'saturated', 'diverged'];

type ProbeSnapshotMessage = Extract<FromProbeWorker, { type: 'probeSnapshot' }>;

/** The last probe that completed a phase, with where its layers were written when it ran. */
interface GoodProbe {
  step0?: ProbeSnapshotMessage;
  trained?: ProbeSnapshotMessage;
  /** Line of each layer, moved along with the text since. */
  layerLines: Map<number, number>;
}

interface ConfigState {
  uri: vscode.Uri;
  analysis?: ConfigAnalysis;
  analyzedVersion: number;
  good?: GoodProbe;
  /** The probe in flight, for the text version it was started on. */
  probing?: { probeId: number; version: number; layerLines: Map<number, number>; step0?: ProbeSnapshotMessage };
  problems: ProbeProblem[];
  /** Why the last probe could not finish (worker crash), shown in the CodeLens. */
  failure?: string;
  /** The hints no longer match the text (it does not parse, or has errors). */
  stale: boolean;
  /** The document version the last probe was started on. */
  probedVersion?: number;
}

export function isNetworkConfig(document: vscode.TextDocument): boolean {
  return document.uri.path.toLowerCase().endsWith('.nn.json');
}

function workerPort(scriptPath: string): ProbeWorkerPort {
  const deathListeners: ((reason: string) => void)[] = [];
  // Heap-limited and registered (deactivate ends it); it never keeps the extension host alive on shutdown.
  const hosted = spawnWorker(scriptPath, {
    role: 'probe', memoryLimitMb: probeMemoryLimitMb(), unref: true,
    onDeath: death => { for (const listener of deathListeners) listener(describeDeath(death)); },
  });
  return {
    postMessage: message => hosted.worker.postMessage(message),
    onMessage: listener => { hosted.worker.on('message', listener); },
    onExit: listener => { deathListeners.push(listener); },
    terminate: () => { void hosted.stop(); },
  };
}

function probeMemoryLimitMb(): number {
  return vscode.workspace.getConfiguration('gradscope.workers').get<number>('memoryLimitMb', DEFAULT_WORKER_MEMORY_MB);
}

export class LiveConfigInsight implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('gradscope-config');
  private readonly states = new Map<string, ConfigState>();
  private readonly client: ProbeClient;
  private readonly analyzeDebouncer = new KeyedDebouncer(key => this.analyzeNow(key));
  private readonly probeDebouncer = new KeyedDebouncer(key => this.probeNow(key));
  private readonly codeLensChanged = new vscode.EventEmitter<void>();
  private readonly rendered = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after hints and diagnostics of a config were redrawn from a probe result (tests and the benchmark). */
  readonly onDidRenderProbe = this.rendered.event;
  private settings: LiveProbeSettings = readLiveProbeSettings();
  /** Created once, reused for every render: health × fresh/stale. */
  private readonly decorationTypes: Record<`${LayerHealth}:${'fresh' | 'stale'}`, vscode.TextEditorDecorationType>;

  constructor(context: vscode.ExtensionContext) {
    this.client = new ProbeClient(() => workerPort(path.join(context.extensionPath, 'dist', 'probeWorker.js')));
    const make = (color: string, stale: boolean) => vscode.window.createTextEditorDecorationType({
      after: {
        color: new vscode.ThemeColor(stale ? 'disabledForeground' : color),
        margin: '0 0 0 2.5em',
        fontStyle: stale ? 'italic' : 'normal',
      },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.decorationTypes = {
      'good:fresh': make('charts.green', false), 'warn:fresh': make('charts.yellow', false),
      'bad:fresh': make('charts.red', false), 'good:stale': make('charts.green', true),
      'warn:stale': make('charts.yellow', true), 'bad:stale': make('charts.red', true),
    };
    const selector: vscode.DocumentSelector = [{ pattern: '**/*.nn.json' }];
    this.disposables.push(
      this.diagnostics, this.codeLensChanged, this.rendered,
      ...Object.values(this.decorationTypes),
      { dispose: () => { this.client.dispose(); this.analyzeDebouncer.dispose(); this.probeDebouncer.dispose(); } },
      vscode.workspace.onDidOpenTextDocument(document => this.opened(document)),
      vscode.workspace.onDidChangeTextDocument(event => this.changed(event)),
      vscode.workspace.onDidCloseTextDocument(document => this.closed(document)),
      vscode.window.onDidChangeVisibleTextEditors(editors => {
        for (const editor of editors) this.probeIfUnprobed(editor.document);
        this.renderAllDecorations();
      }),
      vscode.workspace.onDidChangeConfiguration(event => {
        if (!event.affectsConfiguration(LIVE_PROBE_SECTION) && !event.affectsConfiguration(THREADS_SETTING)) return;
        const before = this.settings;
        this.settings = readLiveProbeSettings();
        // Thresholds only change how the numbers are judged; the probe's size or switching it on needs new numbers.
        const reprobe = this.settings.enabled
          && (!before.enabled || JSON.stringify(before.probe) !== JSON.stringify(this.settings.probe));
        for (const state of this.states.values()) {
          if (!this.settings.enabled) {
            this.client.cancel(state.uri.toString());
            state.probing = undefined;
          }
          this.render(state);
          const shown = vscode.window.visibleTextEditors.some(e => e.document.uri.toString() === state.uri.toString());
          if (reprobe && shown) this.probeDebouncer.trigger(state.uri.toString(), 0);
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.probeAll()),
      vscode.languages.registerCodeLensProvider(selector, {
        onDidChangeCodeLenses: this.codeLensChanged.event,
        provideCodeLenses: document => this.codeLenses(document),
      }),
      vscode.languages.registerHoverProvider(selector, {
        provideHover: (document, position) => this.hover(document, position),
      }),
      vscode.languages.registerCodeActionsProvider(selector, {
        provideCodeActions: (document, _range, context) => this.codeActions(document, context),
      }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.commands.registerCommand(PROBE_AGAIN_COMMAND, (uri?: vscode.Uri) => this.probeAgain(uri)),
    );
    for (const document of vscode.workspace.textDocuments) this.opened(document);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.states.clear();
  }

  // ---- document lifecycle ----

  private opened(document: vscode.TextDocument): void {
    if (!isNetworkConfig(document)) return;
    const key = document.uri.toString();
    if (!this.states.has(key)) this.states.set(key, { uri: document.uri, analyzedVersion: -1, problems: [], stale: false });
    this.analyzeNow(key);
    this.probeIfUnprobed(document);
  }

  /**
   * Probe a config the first time it shows in an editor: documents opened without an editor (another extension
   * reading the file) get diagnostics but cost no training.
   */
  private probeIfUnprobed(document: vscode.TextDocument): void {
    const state = this.states.get(document.uri.toString());
    if (!state || state.good || state.probing || state.probedVersion === document.version || !this.settings.enabled) return;
    const shown = vscode.window.visibleTextEditors.some(e => e.document.uri.toString() === state.uri.toString());
    if (shown) this.probeDebouncer.trigger(state.uri.toString(), 0);
  }

  private changed(event: vscode.TextDocumentChangeEvent): void {
    if (!isNetworkConfig(event.document) || event.contentChanges.length === 0) return;
    const key = event.document.uri.toString();
    const state = this.states.get(key);
    if (!state) { this.opened(event.document); return; }
    // The hints follow their lines as the text moves; a running probe is for text that no longer exists.
    const changes = event.contentChanges.map(change => ({
      startLine: change.range.start.line, endLine: change.range.end.line,
      insertedLineBreaks: countLineBreaks(change.text),
    }));
    if (state.good) state.good.layerLines = shiftLines(state.good.layerLines, changes);
    if (state.probing) { this.client.cancel(key); state.probing = undefined; }
    this.analyzeDebouncer.trigger(key, ANALYZE_DELAY_MS);
    if (this.settings.enabled) this.probeDebouncer.trigger(key, this.settings.debounceMs);
  }

  private closed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (!this.states.has(key)) return;
    this.client.cancel(key);
    this.analyzeDebouncer.cancel(key);
    this.probeDebouncer.cancel(key);
    this.states.delete(key);
    this.diagnostics.delete(document.uri);
    this.codeLensChanged.fire();
  }

  private probeAll(): void {
    for (const state of this.states.values()) this.probeDebouncer.trigger(state.uri.toString(), 0);
  }

  private probeAgain(uri?: vscode.Uri): void {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) return;
    const document = vscode.workspace.textDocuments.find(d => d.uri.toString() === target.toString());
    if (!document || !isNetworkConfig(document)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Gradscope: open a *.nn.json network config to probe it.'));
      return;
    }
    this.opened(document);
    this.probeNow(target.toString());
  }

  private document(key: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find(d => d.uri.toString() === key);
  }

  // ---- analysis and probing ----

  private analyzeNow(key: string): void {
    const state = this.states.get(key);
    const document = this.document(key);
    if (!state || !document) return;
    if (state.analyzedVersion !== document.version) {
      state.analysis = safeAnalyze(document.getText(), document.uri.fsPath);
      state.analyzedVersion = document.version;
    }
    state.stale = state.good !== undefined && !state.analysis?.ok;
    this.render(state);
  }

  private probeNow(key: string): void {
    const state = this.states.get(key);
    const document = this.document(key);
    if (!state || !document || !this.settings.enabled) return;
    this.analyzeNow(key);
    if (!state.analysis?.ok) return; // its errors are on screen; the last good hints stay, marked stale
    const version = document.version;
    const trustedRoots = vscode.workspace.isTrusted
      ? undefined
      : (vscode.workspace.workspaceFolders ?? []).map(folder => folder.uri.fsPath);
    const layerLines = new Map(state.analysis.layerLines);
    state.failure = undefined;
    const probeId = this.client.request({
      key, configPath: document.uri.fsPath, configText: document.getText(),
      settings: { ...this.settings.probe, trustedRoots },
    }, {
      onMessage: message => this.probeMessage(state, version, message),
      onEnd: outcome => {
        if (state.probing?.probeId !== probeId) return;
        state.probing = undefined;
        if (outcome.error) {
          // The worker died on this config: the hints it gave before are stale, the death is a diagnostic.
          state.failure = outcome.error;
          state.stale = state.good !== undefined;
          this.render(state);
          this.rendered.fire(state.uri);
        }
        this.codeLensChanged.fire();
      },
    });
    state.probing = { probeId, version, layerLines };
    state.probedVersion = version;
    this.codeLensChanged.fire();
  }

  private probeMessage(state: ConfigState, version: number, message: FromProbeWorker): void {
    const probing = state.probing;
    if (!probing || probing.version !== version || this.document(state.uri.toString())?.version !== version) return;
    switch (message.type) {
      case 'probeProblems':
        state.problems = message.problems;
        // A config whose data cannot be read has no numbers: the old ones no longer describe it.
        if (message.problems.some(p => p.severity === 'error')) state.stale = state.good !== undefined;
        this.render(state);
        break;
      case 'probeSnapshot':
        if (message.phase === 'step0') {
          probing.step0 = message;
          state.good = { step0: message, layerLines: new Map(probing.layerLines) };
          state.problems = state.problems.filter(p => p.severity !== 'error');
        } else if (state.good) {
          state.good.trained = message;
        }
        state.stale = false;
        this.render(state);
        this.rendered.fire(state.uri);
        break;
      case 'probeDone':
        break;
      default:
        assertNever(message);
    }
  }

  // ---- rendering ----

  private warnings(state: ConfigState): ProbeWarning[] {
    const good = state.good;
    if (!good) return [];
    const lists: ProbeWarning[][] = [];
    const thresholds = this.settings.thresholds;
    if (good.step0) {
      lists.push(warningsFromSnapshot(good.step0.snapshot, thresholds, coreText('probe.atStep0Rows', { rows: good.step0.rows })));
    }
    const trained = good.trained;
    if (trained) {
      lists.push(warningsFromSnapshot(trained.snapshot, thresholds, coreText('probe.afterSteps', { steps: trained.steps })));
      if (trained.diverged) lists.push([divergenceWarning(trained.diverged, trained.lr)]);
    }
    return mergeWarnings(...lists);
  }

  private render(state: ConfigState): void {
    const document = this.document(state.uri.toString());
    if (!document) return;
    this.diagnostics.set(state.uri, this.buildDiagnostics(state, document));
    this.renderDecorations(state);
    this.codeLensChanged.fire();
  }

  private renderAllDecorations(): void {
    for (const state of this.states.values()) this.renderDecorations(state);
  }

  private renderDecorations(state: ConfigState): void {
    const editors = vscode.window.visibleTextEditors.filter(e => e.document.uri.toString() === state.uri.toString());
    if (editors.length === 0) return;
    const byType = new Map<vscode.TextEditorDecorationType, vscode.DecorationOptions[]>();
    for (const type of Object.values(this.decorationTypes)) byType.set(type, []);
    const good = state.good;
    const latest = good?.trained ?? good?.step0;
    if (good && latest && this.settings.enabled) {
      const document = editors[0].document;
      const shown = good.step0 ? hintSnapshot(good.step0.snapshot, good.trained?.snapshot) : latest.snapshot;
      const hints = lineHints(shown, index => good.layerLines.get(index), this.warnings(state), this.settings.thresholds);
      const when = good.trained
        ? vscode.l10n.t('∇ at step 0, saturation and dead units after {0} steps on {1} rows', good.trained.steps, good.trained.rows)
        : vscode.l10n.t('at step 0 on {0} rows', latest.rows);
      for (const hint of hints) {
        if (hint.line >= document.lineCount) continue;
        const end = document.lineAt(hint.line).range.end;
        const type = this.decorationTypes[`${hint.health}:${state.stale ? 'stale' : 'fresh'}`];
        byType.get(type)?.push({
          range: new vscode.Range(end, end),
          renderOptions: { after: { contentText: state.stale ? vscode.l10n.t('{0}  (stale)', hint.text) : hint.text } },
          hoverMessage: state.stale
            ? vscode.l10n.t('Gradscope: these numbers are from the last version that parsed; fix the config to update them.')
            : vscode.l10n.t('Gradscope live probe {0}', when),
        });
      }
    }
    for (const editor of editors) for (const [type, options] of byType) editor.setDecorations(type, options);
  }

  private buildDiagnostics(state: ConfigState, document: vscode.TextDocument): vscode.Diagnostic[] {
    const text = document.getText();
    const spanRange = (span: TextSpan) =>
      new vscode.Range(document.positionAt(span.offset), document.positionAt(span.offset + span.length));
    const diagnostics: vscode.Diagnostic[] = [];
    for (const issue of state.analysis?.issues ?? []) {
      const diagnostic = new vscode.Diagnostic(spanRange(issue), localizeCoreOr(issue.text, issue.message), severityOf(issue.severity));
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostics.push(diagnostic);
    }
    const root = parseConfigTree(text);
    for (const problem of state.problems) {
      const span = problem.offset !== undefined
        ? { offset: problem.offset, length: problem.length ?? 0 }
        : spanOfPath(root, problem.jsonPath ?? []) ?? { offset: 0, length: 0 };
      const diagnostic = new vscode.Diagnostic(spanRange(span), localizeCoreOr(problem.text, problem.message), severityOf(problem.severity));
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostics.push(diagnostic);
    }
    if (state.failure !== undefined) {
      const span = keySpan(root, ['layers', 'hidden', 'repeat']);
      const diagnostic = new vscode.Diagnostic(span ? spanRange(span) : new vscode.Range(0, 0, 0, 1),
        vscode.l10n.t('{0} The live probe starts again on the next edit (or “Gradscope: Probe Again”).', state.failure), vscode.DiagnosticSeverity.Warning);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = 'probeWorkerDied';
      diagnostics.push(diagnostic);
    }
    if (!this.settings.enabled) return diagnostics;
    const good = state.good;
    const analysis = state.analysis;
    // Warnings of one kind on the same span (layers written by one `hidden` or `repeat`) become one diagnostic.
    const grouped = new Map<string, { range: vscode.Range; warnings: ProbeWarning[] }>();
    for (const warning of this.warnings(state)) {
      let range: vscode.Range | undefined;
      if (warning.layerIndex !== undefined) {
        // Exact span of the layer's element while the text parses; else the line the text moved it to.
        const span = !state.stale && analysis?.ok ? analysis.layerSpans.get(warning.layerIndex) : undefined;
        const line = good?.layerLines.get(warning.layerIndex);
        if (span) range = spanRange(span);
        else if (line !== undefined && line < document.lineCount) {
          const textLine = document.lineAt(line);
          range = new vscode.Range(line, textLine.firstNonWhitespaceCharacterIndex, line, textLine.range.end.character);
        }
      } else {
        const span = analysis?.lrSpan ?? keySpan(root, ['optimizer', 'lr', 'layers', 'hidden']);
        range = span ? spanRange(span) : new vscode.Range(0, 0, 0, 1);
      }
      if (!range) continue;
      const key = `${warning.kind}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
      const group = grouped.get(key) ?? { range, warnings: [] };
      group.warnings.push(warning);
      grouped.set(key, group);
    }
    for (const { range, warnings } of grouped.values()) {
      const warning = combineWarnings(warnings);
      const message = localizeCoreOr(warning.text, warning.message);
      const diagnostic = new vscode.Diagnostic(range, state.stale ? vscode.l10n.t('{0} (stale: from the last version that parsed)', message) : message,
        warning.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = warning.kind;
      diagnostics.push(diagnostic);
    }
    return diagnostics;
  }

  // ---- providers ----

  private codeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const state = this.states.get(document.uri.toString());
    const span = keySpan(parseConfigTree(document.getText()), ['layers', 'hidden', 'repeat']);
    const position = span ? document.positionAt(span.offset) : new vscode.Position(0, 0);
    const range = new vscode.Range(position, position);
    const lenses = [
      new vscode.CodeLens(range, { title: vscode.l10n.t('Visualize Network'), command: VISUALIZE_COMMAND, arguments: [document.uri],
        tooltip: vscode.l10n.t('Train this config in the Gradscope panel') }),
      new vscode.CodeLens(range, { title: vscode.l10n.t('Probe again'), command: PROBE_AGAIN_COMMAND, arguments: [document.uri],
        tooltip: vscode.l10n.t('Re-run the live probe on this config') }),
    ];
    lenses.push(new vscode.CodeLens(range, { title: this.statusText(state), command: '' }));
    return lenses;
  }

  private statusText(state: ConfigState | undefined): string {
    if (!this.settings.enabled) return vscode.l10n.t('live probe off (gradscope.liveProbe.enabled)');
    if (!state) return '';
    if (state.probing) return state.probing.step0 ? vscode.l10n.t('probing: training on the sample…') : vscode.l10n.t('probing…');
    if (state.failure) return vscode.l10n.t('probe failed: {0}', state.failure);
    if (state.stale) return vscode.l10n.t('hints are stale: fix the config to update them');
    const good = state.good;
    if (!good?.step0) return state.analysis?.ok === false ? vscode.l10n.t('fix the errors to probe') : '';
    const warnings = this.warnings(state).length;
    const trained = good.trained;
    const what = trained
      ? vscode.l10n.t('step 0 + {0} steps on {1} rows in {2} s', trained.steps, trained.rows, (trained.elapsedMs / 1000).toFixed(1))
      : vscode.l10n.t('step 0 on {0} rows', good.step0.rows);
    const count = warnings === 0 ? vscode.l10n.t('no warnings') : warnings === 1 ? vscode.l10n.t('1 warning') : vscode.l10n.t('{0} warnings', warnings);
    return vscode.l10n.t('probe: {0} · {1}', what, count);
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const state = this.states.get(document.uri.toString());
    const good = state?.good;
    const latest = good?.trained ?? good?.step0;
    if (!state || !good || !latest) return undefined;
    const indices = [...good.layerLines].filter(([, line]) => line === position.line).map(([index]) => index);
    if (indices.length === 0) return undefined;
    const ratios = gradientRatios(latest.snapshot);
    const last = latest.snapshot.layers.length - 1;
    const when = good.trained ? vscode.l10n.t('after {0} steps on {1} rows', good.trained.steps, good.trained.rows) : vscode.l10n.t('at step 0 on {0} rows', latest.rows);
    const warnings = this.warnings(state);
    const step0 = good.trained && good.step0 ? good.step0.snapshot : undefined;
    const step0Ratios = step0 ? gradientRatios(step0) : [];
    const parts = indices.slice(0, 3).flatMap(index => {
      const position = latest.snapshot.layers.findIndex(layer => layer.index === index);
      if (position < 0) return [];
      const atStep0 = step0?.layers[position] ? { layer: step0.layers[position], ratio: step0Ratios[position] } : undefined;
      return [layerHoverMarkdown(latest.snapshot.layers[position], ratios[position], position === last, when, warnings, atStep0)];
    });
    if (indices.length > 3) parts.push(vscode.l10n.t('… and {0} more layers on this line.', indices.length - 3));
    if (state.stale) parts.unshift(vscode.l10n.t('*Stale: from the last version of this config that parsed.*'));
    const markdown = new vscode.MarkdownString(parts.join('\n\n---\n\n'));
    markdown.isTrusted = false;
    return new vscode.Hover(markdown);
  }

  private codeActions(document: vscode.TextDocument, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const text = document.getText();
    const actions: vscode.CodeAction[] = [];
    const offered = new Map<ConfigFixKind, vscode.CodeAction>();
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const kind = WARNING_KINDS.find(k => k === diagnostic.code);
      if (!kind) continue;
      for (const fix of FIXES_BY_KIND[kind]) {
        const existing = offered.get(fix);
        if (existing) { existing.diagnostics?.push(diagnostic); continue; }
        const edits = configFixEdits(text, fix);
        if (edits.length === 0) continue;
        const action = new vscode.CodeAction(localizeCore(coreText(`fix.${fix}`)), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix === FIXES_BY_KIND[kind][0];
        // completes the walkthrough's quick-fix step
        action.command = { command: 'gradscope.learn.fixApplied', title: '' };
        action.edit = new vscode.WorkspaceEdit();
        for (const edit of edits) {
          action.edit.replace(document.uri,
            new vscode.Range(document.positionAt(edit.offset), document.positionAt(edit.offset + edit.length)), edit.content);
        }
        offered.set(fix, action);
        actions.push(action);
      }
    }
    return actions;
  }
}

function safeAnalyze(text: string, configPath: string): ConfigAnalysis {
  try {
    return analyzeConfig(text, configPath);
  } catch (error) {
    // A bug in parsing must not take the editor down with it: report it on the first character.
    return {
      issues: [{ message: vscode.l10n.t('Gradscope could not check this config: {0}', (error as Error).message), severity: 'warning', offset: 0, length: 0 }],
      ok: false, layerLines: new Map(), layerSpans: new Map(),
    };
  }
}

function severityOf(severity: 'error' | 'warning' | 'information'): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'information': return vscode.DiagnosticSeverity.Information;
    default: return assertNever(severity);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

/** The one line extension.ts calls. */
export function registerConfigInsight(context: vscode.ExtensionContext): LiveConfigInsight {
  const insight = new LiveConfigInsight(context);
  context.subscriptions.push(insight);
  return insight;
}
