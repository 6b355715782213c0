// The HTML report: one self-contained file that replays a recorded run with the panel's own bundled webview
// code (media/webview.js) and stylesheet inlined, openable in any browser offline. Used by the CLI's
// `--report` and the panel's "Open as HTML report". No vscode import: the CLI runs it in plain Node.
import * as l10n from '@vscode/l10n';
import { stringsBlock } from './panelHtml';
import { panelStrings } from './panelStrings';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RecordedLandscape, RecordedRun, SnapshotFrame } from '../protocol';
import type { Network } from '../core/nn/network';
import type { DataSplit, LossName } from '../core/types';
import { computeLandscape, landscapeRoughness } from '../core/analysis/landscape';
import { writeFileAtomicSync } from '../core/io/atomicWrite';

export interface ReportAssets {
  /** The bundled webview script (media/webview.js). */
  script: string;
  /** media/panel.css. */
  css: string;
}

export interface ReportOptions {
  /** Colour scheme: follow the reader's system setting (default), or force one. */
  theme?: 'auto' | 'light' | 'dark';
  /** At most this many snapshots are embedded (older ones thinned evenly; the last is always kept). */
  maxFrames?: number;
  /** At most this many function views are embedded (for the replay slider). */
  maxViews?: number;
}

/**
 * Reads the webview bundle and stylesheet. `root` is the extension / package folder; the default works from
 * dist/*.js (extension, CLI) and from src/visualize/*.ts (tests).
 */
export function loadReportAssets(root = path.resolve(__dirname, path.basename(__dirname) === 'dist' ? '..' : '../..')): ReportAssets {
  const scriptPath = path.join(root, 'media', 'webview.js');
  if (!fs.existsSync(scriptPath)) {
    throw new Error(`The webview bundle ${scriptPath} is missing: run \`npm run build\` first.`);
  }
  return {
    script: fs.readFileSync(scriptPath, 'utf8'),
    css: fs.readFileSync(path.join(root, 'media', 'panel.css'), 'utf8'),
  };
}

/** The landscape around trained weights, for a report (the defaults of `gradscope landscape`). */
export function recordedLandscape(network: Network, loss: LossName, train: DataSplit): RecordedLandscape | undefined {
  const result = computeLandscape(network, loss, train);
  if (result === null) return undefined;
  const { slice: _slice, ...grid } = result;
  return { ...grid, roughness: landscapeRoughness(result.rows) };
}

/** Keeps a report small: evenly thinned snapshots (first and last kept) and a bounded number of views. */
export function thinRun(run: RecordedRun, maxFrames = 1500, maxViews = 60): RecordedRun {
  let frames: SnapshotFrame[] = run.frames;
  if (frames.length > maxFrames) {
    const picked: SnapshotFrame[] = [];
    for (let k = 0; k < maxFrames; k++) picked.push(frames[Math.round((k * (frames.length - 1)) / (maxFrames - 1))]);
    frames = picked;
  }
  const withView = frames.map((frame, i) => (frame.view !== undefined ? i : -1)).filter(i => i >= 0);
  const keepView = new Set<number>();
  if (withView.length > 0) {
    const count = Math.min(maxViews, withView.length);
    for (let k = 0; k < count; k++) keepView.add(withView[count === 1 ? withView.length - 1 : Math.round((k * (withView.length - 1)) / (count - 1))]);
  }
  return {
    ...run,
    frames: frames.map((frame, i) => (frame.view === undefined || keepView.has(i) ? frame : { snapshot: frame.snapshot })),
  };
}

/** Text safe inside a <script> element: no `</script`, no `<!--`. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function renderReport(run: RecordedRun, assets: ReportAssets, options: ReportOptions = {}): string {
  const thinned = thinRun({ ...run, createdAt: run.createdAt ?? new Date().toISOString() }, options.maxFrames, options.maxViews);
  // JSON inside a script element: escaping `<` keeps any `</script>` in names or notes inert.
  const data = JSON.stringify(thinned).replace(/</g, '\\u003c');
  const theme = options.theme ?? 'auto';
  const pickTheme = theme === 'auto'
    ? "document.body.className = window.matchMedia && window.matchMedia('(prefers-color-scheme: light)').matches ? 'vscode-light' : 'vscode-dark';"
    : `document.body.className = 'vscode-${theme}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Gradscope">
<title>${escapeHtml(l10n.t('Gradscope report — {0}', run.meta.title))}</title>
<style>
${themeStandInCss()}
${assets.css}
</style>
</head>
<body class="vscode-${theme === 'light' ? 'light' : 'dark'}">
<script>${pickTheme}</script>
<div id="gradscope-panel"></div>
<script type="application/json" id="gradscope-report-data">${data}</script>
${stringsBlock(panelStrings())}
<script>
${scriptSafe(assets.script)}
</script>
</body>
</html>
`;
}

export function writeReport(file: string, run: RecordedRun, options: ReportOptions = {}, assets = loadReportAssets()): void {
  writeFileAtomicSync(file, renderReport(run, assets, options));
}

/** VS Code's Dark Modern and Light Modern colours, for pages shown outside VS Code (report, webview tests). */
export const THEME_STAND_INS: Record<'dark' | 'light', Record<string, string>> = {
  dark: {
    'font-family': 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif',
    'font-size': '13px',
    'font-weight': 'normal',
    'editor-font-family': 'Menlo, Consolas, "DejaVu Sans Mono", monospace',
    'editor-font-size': '12px',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    errorForeground: '#f85149',
    focusBorder: '#0078d4',
    'editor-background': '#1f1f1f',
    'sideBar-background': '#181818',
    'editorWidget-background': '#202020',
    'panel-border': '#2b2b2b',
    'widget-shadow': 'rgba(0, 0, 0, 0.36)',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#026ec1',
    'button-border': 'rgba(255, 255, 255, 0.07)',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'button-secondaryHoverBackground': '#3c3c3c',
    'toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
    'icon-foreground': '#cccccc',
    'input-background': '#313131',
    'input-foreground': '#cccccc',
    'input-border': '#3c3c3c',
    'inputOption-activeBackground': 'rgba(36, 137, 219, 0.51)',
    'inputOption-activeBorder': '#2488db',
    'inputOption-activeForeground': '#ffffff',
    'inputValidation-errorBackground': '#5a1d1d',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-warningBackground': '#352a05',
    'inputValidation-warningBorder': '#b89500',
    'dropdown-background': '#313131',
    'dropdown-foreground': '#cccccc',
    'dropdown-border': '#3c3c3c',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'list-hoverBackground': '#2a2d2e',
    'list-activeSelectionBackground': '#04395e',
    'list-activeSelectionForeground': '#ffffff',
    'textLink-foreground': '#4daafc',
    'textLink-activeForeground': '#4daafc',
    'textCodeBlock-background': '#2b2b2b',
    'editorWarning-foreground': '#cca700',
    'editorHoverWidget-background': '#202020',
    'editorHoverWidget-foreground': '#cccccc',
    'editorHoverWidget-border': '#454545',
    'charts-foreground': '#cccccc',
    'charts-lines': 'rgba(204, 204, 204, 0.5)',
    'charts-blue': '#3794ff',
    'charts-orange': '#d18616',
    'charts-green': '#89d185',
    'charts-red': '#f14c4c',
    'charts-purple': '#b180d7',
    'charts-yellow': '#cca700',
  },
  light: {
    'font-family': 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif',
    'font-size': '13px',
    'font-weight': 'normal',
    'editor-font-family': 'Menlo, Consolas, "DejaVu Sans Mono", monospace',
    'editor-font-size': '12px',
    foreground: '#3b3b3b',
    descriptionForeground: '#717171',
    errorForeground: '#f85149',
    focusBorder: '#005fb8',
    'editor-background': '#ffffff',
    'sideBar-background': '#f8f8f8',
    'editorWidget-background': '#f8f8f8',
    'panel-border': '#e5e5e5',
    'widget-shadow': 'rgba(0, 0, 0, 0.16)',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#0258a8',
    'button-border': 'rgba(0, 0, 0, 0.1)',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'button-secondaryHoverBackground': '#cccccc',
    'toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
    'icon-foreground': '#3b3b3b',
    'input-background': '#ffffff',
    'input-foreground': '#3b3b3b',
    'input-border': '#cecece',
    'inputOption-activeBackground': 'rgba(0, 95, 184, 0.2)',
    'inputOption-activeBorder': '#005fb8',
    'inputOption-activeForeground': '#000000',
    'inputValidation-errorBackground': '#f2dede',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-warningBackground': '#f6f5d2',
    'inputValidation-warningBorder': '#b89500',
    'dropdown-background': '#ffffff',
    'dropdown-foreground': '#3b3b3b',
    'dropdown-border': '#cecece',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'list-hoverBackground': '#f2f2f2',
    'list-activeSelectionBackground': '#e8e8e8',
    'list-activeSelectionForeground': '#000000',
    'textLink-foreground': '#005fb8',
    'textLink-activeForeground': '#005fb8',
    'textCodeBlock-background': '#f0f0f0',
    'editorWarning-foreground': '#bf8803',
    'editorHoverWidget-background': '#f8f8f8',
    'editorHoverWidget-foreground': '#3b3b3b',
    'editorHoverWidget-border': '#c8c8c8',
    'charts-foreground': '#3b3b3b',
    'charts-lines': 'rgba(59, 59, 59, 0.5)',
    'charts-blue': '#1a85ff',
    'charts-orange': '#d18616',
    'charts-green': '#388a34',
    'charts-red': '#e51400',
    'charts-purple': '#652d90',
    'charts-yellow': '#bf8803',
  },
};

/** CSS defining the --vscode-* variables under body.vscode-dark and body.vscode-light. */
export function themeStandInCss(): string {
  return (['dark', 'light'] as const).map(theme => {
    const declarations = Object.entries(THEME_STAND_INS[theme]).map(([name, value]) => `  --vscode-${name}: ${value};`).join('\n');
    return `body.vscode-${theme} {\n${declarations}\n}`;
  }).join('\n');
}
