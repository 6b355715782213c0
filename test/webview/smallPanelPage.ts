// Opens one of the small panels (Compare Activations, Compare Networks, Universal Approximation) in headless
// chromium the way VS Code hosts it: the real page from the feature's renderer (src/shared/webviewPage.ts: CSP, nonce
// and the page's words, English unless the test gives a table) and bundle, a stand-in
// for acquireVsCodeApi that records posted messages and keeps state, VS Code's theme variables on <html> and the
// theme's name in <body>'s class, CSP violations reported as posted messages.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { renderCompareHtml } from '../../src/compareActivations/compareHtml';
import { renderNetworksHtml } from '../../src/compareNetworks/networksHtml';
import { renderUatHtml } from '../../src/universalApproximation/uatHtml';
import type { CompareStrings } from '../../src/compareActivations/compareStrings';
import type { NetworksStrings } from '../../src/compareNetworks/networksStrings';
import type { UatStrings } from '../../src/universalApproximation/uatStrings';
import { ARTIFACTS, ROOT } from './harness';

export type SmallPanelPageOptions = SmallPanelPageCommon & (
  | { bundle: 'compare'; strings?: CompareStrings }
  | { bundle: 'compareNetworks'; strings?: NetworksStrings }
  | { bundle: 'uat'; strings?: UatStrings }
);

interface SmallPanelPageCommon {
  /** The display language the page's lang attribute says. */
  lang?: string;
  /** The html written to test-artifacts/webview/ under this name. */
  artifact: string;
  theme: 'light' | 'dark';
  /** --vscode-* variables (without the prefix) for the theme. */
  themeVariables: Record<string, string>;
  viewport: { width: number; height: number };
  initialState?: unknown;
}

export async function openSmallPanelPage(browser: Browser, options: SmallPanelPageOptions): Promise<{ page: Page; problems: string[] }> {
  const media = path.join(ROOT, 'media');
  const page = {
    cspSource: 'file:',
    scriptUri: pathToFileURL(path.join(media, `${options.bundle}.js`)).href,
    baseStyleUri: pathToFileURL(path.join(media, 'base.css')).href,
    styleUri: pathToFileURL(path.join(media, `${options.bundle}.css`)).href,
    nonce: 'testnonce42',
    lang: options.lang,
  };
  const html = options.bundle === 'compare' ? renderCompareHtml({ ...page, strings: options.strings })
    : options.bundle === 'compareNetworks' ? renderNetworksHtml({ ...page, strings: options.strings })
      : renderUatHtml({ ...page, strings: options.strings });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${options.artifact}.html`);
  fs.writeFileSync(file, html);
  const tab = await browser.newPage({ viewport: options.viewport });
  const problems: string[] = [];
  tab.on('pageerror', error => problems.push(String(error)));
  tab.on('console', message => { if (message.type() === 'error') problems.push(message.text()); });
  await tab.addInitScript(`
    window.__name = fn => fn;
    window.__posted = [];
    window.__state = ${JSON.stringify(options.initialState ?? null)} || undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: m => window.__posted.push(m),
      getState: () => window.__state,
      setState: s => { window.__state = s; },
    });
    document.addEventListener('securitypolicyviolation', e => window.__posted.push({ type: 'csp-violation', directive: e.violatedDirective }));
    document.addEventListener('DOMContentLoaded', () => {
      for (const [k, v] of Object.entries(${JSON.stringify(options.themeVariables)})) document.documentElement.style.setProperty('--vscode-' + k, v);
      document.body.className = 'vscode-${options.theme}';
    });`);
  await tab.goto(pathToFileURL(file).href);
  return { page: tab, problems };
}
