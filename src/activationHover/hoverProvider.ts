// Hover an activation name (`nn.Sigmoid`, `F.gelu`, `activation="selu"`) to see its curve and the facts that decide
// whether a deep stack of it learns. Thin glue: recognition, facts and the picture live in src/core, the text in
// hoverMarkdown.ts; this file reads settings, slices the text around the cursor and caches the result.
import * as vscode from 'vscode';
import { findActivationAt, importsFlax, type ActivationReference } from '../core/activations/activationRecognizer';
import type { ThemeKind } from '../core/activations/activationSvg';
import { buildHoverMarkdown, HOVER_COMMANDS } from './hoverMarkdown';

export const DEFAULT_HOVER_LANGUAGES = [
  'python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'json', 'jsonc', 'yaml', 'julia', 'r', 'markdown',
];
const DEFAULT_MAX_FILE_SIZE = 1_000_000;
/** Lines of context around the cursor: an `activation=` key sits just before, arguments may run on below. */
const LINES_BEFORE = 2;
const LINES_AFTER = 8;
/** Imports sit at the top; Flax's `nn` is told apart from PyTorch's by them. */
const IMPORT_LINES = 120;

interface HoverSettings {
  enabled: boolean;
  languages: string[];
  maxFileSize: number;
}

function readSettings(): HoverSettings {
  const config = vscode.workspace.getConfiguration('gradscope.hover');
  const languages = config.get<string[]>('languages', DEFAULT_HOVER_LANGUAGES);
  return {
    enabled: config.get<boolean>('enabled', true),
    languages: Array.isArray(languages) ? languages.filter(l => typeof l === 'string') : DEFAULT_HOVER_LANGUAGES,
    maxFileSize: config.get<number>('maxFileSize', DEFAULT_MAX_FILE_SIZE),
  };
}

export function themeKindOf(kind: vscode.ColorThemeKind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Light: return 'light';
    case vscode.ColorThemeKind.Dark: return 'dark';
    case vscode.ColorThemeKind.HighContrast: return 'highContrast';
    case vscode.ColorThemeKind.HighContrastLight: return 'highContrastLight';
    default: return 'dark';
  }
}

export class ActivationHoverProvider implements vscode.HoverProvider {
  /** Markdown per (name, parameters, framework, spelling, theme): a repeated hover is a map lookup. */
  private readonly markdownCache = new Map<string, string>();
  /** Whether a document imports Flax, per document version. */
  private readonly flaxByDocument = new WeakMap<vscode.TextDocument, { version: number; flax: boolean }>();

  constructor(private settings: HoverSettings) {}

  updateSettings(settings: HoverSettings): void {
    this.settings = settings;
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.settings.enabled) return undefined;
    const lastLine = document.lineAt(document.lineCount - 1);
    if (document.offsetAt(lastLine.range.end) > this.settings.maxFileSize) return undefined;

    const reference = this.referenceAt(document, position);
    if (!reference) return undefined;
    const { start, end } = reference.range;
    const markdown = new vscode.MarkdownString(this.markdownFor(reference.found), true);
    markdown.isTrusted = { enabledCommands: HOVER_COMMANDS };
    return new vscode.Hover(markdown, new vscode.Range(start, end));
  }

  /** The reference under `position`, with its range in the document. */
  referenceAt(document: vscode.TextDocument, position: vscode.Position): { found: ActivationReference; range: { start: vscode.Position; end: vscode.Position } } | undefined {
    const first = Math.max(0, position.line - LINES_BEFORE);
    const last = Math.min(document.lineCount - 1, position.line + LINES_AFTER);
    const window = document.getText(new vscode.Range(first, 0, last, document.lineAt(last).text.length));
    const windowStart = document.offsetAt(new vscode.Position(first, 0));
    const cursor = document.offsetAt(position) - windowStart;
    const found = findActivationAt(window, cursor, {
      languageId: document.languageId,
      isConfig: document.uri.path.endsWith('.nn.json'),
      flax: this.importsFlax(document),
    });
    if (!found) return undefined;
    return {
      found,
      range: { start: document.positionAt(windowStart + found.start), end: document.positionAt(windowStart + found.end) },
    };
  }

  private importsFlax(document: vscode.TextDocument): boolean {
    if (document.languageId !== 'python' && document.languageId !== 'markdown') return false;
    const cached = this.flaxByDocument.get(document);
    if (cached && cached.version === document.version) return cached.flax;
    const head = document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, IMPORT_LINES), 0));
    const flax = importsFlax(head);
    this.flaxByDocument.set(document, { version: document.version, flax });
    return flax;
  }

  private markdownFor(reference: ActivationReference): string {
    const theme = themeKindOf(vscode.window.activeColorTheme.kind);
    const params = Object.keys(reference.params).sort().map(k => `${k}=${reference.params[k]}`).join(',');
    const key = `${reference.name}|${params}|${reference.writtenParams.join(',')}|${reference.framework}|${reference.spelling}|${reference.note ?? ''}|${theme}`;
    let text = this.markdownCache.get(key);
    if (text === undefined) {
      text = buildHoverMarkdown(reference, theme);
      if (this.markdownCache.size > 300) this.markdownCache.clear();
      this.markdownCache.set(key, text);
    }
    return text;
  }
}

function selectorFor(languages: string[]): vscode.DocumentSelector {
  return [...languages.map(language => ({ language })), { pattern: '**/*.nn.json' }];
}

/** Registers the activation hover (re-registered when its languages change) and the Compare Activations panel. */
export function registerActivationHover(context: vscode.ExtensionContext): void {
  let settings = readSettings();
  const provider = new ActivationHoverProvider(settings);
  let registration: vscode.Disposable | undefined;
  const register = () => {
    registration?.dispose();
    registration = settings.enabled ? vscode.languages.registerHoverProvider(selectorFor(settings.languages), provider) : undefined;
  };
  register();
  context.subscriptions.push(
    { dispose: () => registration?.dispose() },
    vscode.workspace.onDidChangeConfiguration(event => {
      if (!event.affectsConfiguration('gradscope.hover')) return;
      const previous = settings;
      settings = readSettings();
      provider.updateSettings(settings);
      if (previous.enabled !== settings.enabled || previous.languages.join() !== settings.languages.join()) register();
    }),
  );
}
