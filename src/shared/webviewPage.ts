// The page of each small Gradscope panel (Compare Activations, Compare Networks, Universal Approximation): a strict
// CSP (nothing but our stylesheets, our nonce'd script and data: images), no inline script or style, an empty root
// the bundled script fills, and the page's words (one table, built by the feature in the display language) as a JSON
// data block the page reads first (webview/shared/strings.ts). Pure, so the webview tests load exactly this HTML.
import * as l10n from '@vscode/l10n';

export interface WebviewPageOptions {
  /** webview.cspSource in VS Code; the test's file: origin in headless chromium. */
  cspSource: string;
  scriptUri: string;
  /** media/base.css, what the small pages share; loaded before `styleUri`. */
  baseStyleUri: string;
  /** The page's own stylesheet. */
  styleUri: string;
  nonce: string;
  /** The page's words in the display language (the feature's *Strings() table). */
  strings: object;
  /** The display language (vscode.env.language), for the page's lang attribute. */
  lang?: string;
}

/** The page's words as a JSON data block (not run, so the CSP's script-src does not apply); `<` escaped. */
export function stringsBlock(strings: object): string {
  return `<script type="application/json" id="gradscope-strings">${JSON.stringify(strings).replace(/</g, '\\u003c')}</script>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The table a page was given and the language it says it is in, read back from its HTML (the extension's tests). */
export function pageWordsOf(html: string): { lang: string; strings: Record<string, string> } | undefined {
  const block = /<script type="application\/json" id="gradscope-strings">([\s\S]*?)<\/script>/.exec(html);
  if (block === null) return undefined;
  return { lang: /<html lang="([^"]*)"/.exec(html)?.[1] ?? '', strings: JSON.parse(block[1]) as Record<string, string> };
}

export function renderWebviewPage(title: string, options: WebviewPageOptions): string {
  const { cspSource, nonce } = options;
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(options.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.baseStyleUri)}">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>${title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title>
</head>
<body>
<main id="app" aria-busy="true"><p>${l10n.t('Loading…').replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p></main>
${stringsBlock(options.strings)}
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>`;
}
