// Loads the real panel page (same HTML, CSP and bundle as in VS Code) into headless chromium, with a stand-in
// for acquireVsCodeApi that records what the page posts, and VS Code's theme variables set the way VS Code
// sets them (on <html>, with the body class naming the theme).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderPanelHtml } from '../../src/visualize/panelHtml';
import type { PanelStrings } from '../../src/visualize/panelStrings';
import { THEME_STAND_INS } from '../../src/visualize/report';
import type { ToWebview } from '../../src/protocol';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'webview');

export type Theme = 'light' | 'dark';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A script applying a theme as VS Code does: variables on <html>, class on <body>. */
export function themeScript(theme: Theme): string {
  const variables = JSON.stringify(THEME_STAND_INS[theme]);
  return `(() => { const vars = ${variables}; const style = document.documentElement.style;
    for (const [name, value] of Object.entries(vars)) style.setProperty('--vscode-' + name, value);
    document.body.className = 'vscode-${theme}'; })();`;
}

// tsx compiles test callbacks with esbuild's keepNames, whose __name helper the page lacks.
const FAKE_VSCODE_API = `
  window.__name = fn => fn;
  window.__posted = [];
  window.__state = window.__initialState;
  window.acquireVsCodeApi = () => ({
    postMessage: message => window.__posted.push(message),
    getState: () => window.__state,
    setState: state => { window.__state = state; },
  });`;

export async function openPanel(browser: Browser, theme: Theme, options: { width?: number; height?: number; initialState?: unknown; strings?: PanelStrings } = {}): Promise<Page> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const media = path.join(ROOT, 'media');
  const html = renderPanelHtml({
    cspSource: 'file:',
    scriptUri: pathToFileURL(path.join(media, 'webview.js')).href,
    styleUri: pathToFileURL(path.join(media, 'panel.css')).href,
    strings: options.strings,
    testPreludeScript: `window.__initialState = ${JSON.stringify(options.initialState ?? null) ?? 'null'} ?? undefined;${FAKE_VSCODE_API}${themeScript(theme)}`,
  });
  const file = path.join(ARTIFACTS, `panel-${theme}.html`);
  fs.writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 1500 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', error => errors.push(String(error)));
  page.on('console', message => { if (message.type() === 'error') errors.push(message.text()); });
  errorsByPage.set(page, errors);
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => window.gradscopePanel !== undefined);
  return page;
}

const errorsByPage = new WeakMap<Page, string[]>();

/** Uncaught errors and console errors the page reported. */
export function pageErrors(page: Page): string[] {
  return errorsByPage.get(page) ?? [];
}

export async function send(page: Page, ...messages: ToWebview[]): Promise<void> {
  // As text: playwright's own argument serialisation is slow for big snapshot batches; VS Code sends JSON too.
  for (const message of messages) await page.evaluate(json => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
  await settle(page);
}

/** Waits until the page has handled its messages and painted. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>(resolve => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => resolve())), 20)));
}

export interface CanvasInk {
  width: number;
  height: number;
  /** Share of pixels that are not fully transparent. */
  inked: number;
  /** Distinct colours (quantised), a rough measure of how much is drawn. */
  colours: number;
}

export async function canvasInk(page: Page, id: string): Promise<CanvasInk> {
  return page.evaluate(canvasId => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (ctx === null) return { width: 0, height: 0, inked: 0, colours: 0 };
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      inked++;
      colours.add(((data[i] >> 4) << 8) | ((data[i + 1] >> 4) << 4) | (data[i + 2] >> 4));
    }
    return { width: canvas.width, height: canvas.height, inked: inked / (canvas.width * canvas.height), colours: colours.size };
  }, id);
}

export async function posted(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
