// The panel's page: an empty root, the stylesheet and the bundled script, under a strict CSP with a nonce.
// No vscode import, so the webview tests render the very same page.
import type { PanelStrings } from './panelStrings';
import { panelStrings } from './panelStrings';
import { randomBytes } from 'node:crypto';
import { stringsBlock } from '../shared/webviewPage';

export interface PanelHtmlInput {
  /** webview.cspSource */
  cspSource: string;
  /** webview.asWebviewUri(media/webview.js), as a string. */
  scriptUri: string;
  /** webview.asWebviewUri(media/panel.css), as a string. */
  styleUri: string;
  nonce?: string;
  /** The page's words; English (panelStrings() unconfigured) when absent. */
  strings?: PanelStrings;
  /** The display language (vscode.env.language), for the page's lang attribute. */
  lang?: string;
  /** Tests only: a script run first (same nonce), e.g. a stand-in for acquireVsCodeApi. */
  testPreludeScript?: string;
}

export { stringsBlock } from '../shared/webviewPage';

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function renderPanelHtml(input: PanelHtmlInput): string {
  const nonce = input.nonce ?? makeNonce();
  // Inline styles set from script (chart.js sizes its canvases through element.style) are CSSOM, which
  // style-src does not block; <style> elements and style="" attributes stay forbidden.
  const csp = [
    "default-src 'none'",
    `img-src ${input.cspSource} data: blob:`,
    `style-src ${input.cspSource}`,
    `font-src ${input.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const prelude = input.testPreludeScript === undefined ? '' : `\n<script nonce="${nonce}">${input.testPreludeScript}</script>`;
  return `<!DOCTYPE html>
<html lang="${input.lang ?? 'en'}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${input.styleUri}">
<title>Gradscope</title>
</head>
<body>
<div id="gradscope-panel"></div>
${stringsBlock(input.strings ?? panelStrings())}${prelude}
<script nonce="${nonce}" src="${input.scriptUri}"></script>
</body>
</html>
`;
}
