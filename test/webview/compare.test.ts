// The Compare Activations page in headless chromium: the real HTML (CSP and nonce) and bundle, a stand-in for
// acquireVsCodeApi, VS Code's theme variables; driven with the keyboard as a person would.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openSmallPanelPage } from './smallPanelPage';
import type { CompareState } from '../../src/protocol';

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'webview');
const THEMES = {
  light: { foreground: '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#717171', 'panel-border': '#e5e5e5', 'charts-blue': '#1a85ff', 'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-red': '#e51400', 'charts-purple': '#652d90', 'charts-yellow': '#bf8803', 'button-background': '#005fb8', 'button-foreground': '#ffffff', focusBorder: '#005fb8', 'font-family': 'sans-serif', 'font-size': '13px', 'editorWidget-border': '#c8c8c8' },
  dark: { foreground: '#cccccc', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d', 'panel-border': '#2b2b2b', 'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-red': '#f14c4c', 'charts-purple': '#b180d7', 'charts-yellow': '#cca700', 'button-background': '#0078d4', 'button-foreground': '#ffffff', focusBorder: '#0078d4', 'font-family': 'sans-serif', 'font-size': '13px', 'editorWidget-border': '#454545' },
};
type Theme = keyof typeof THEMES;

async function openComparePage(browser: Browser, theme: Theme, initialState?: CompareState): Promise<{ page: Page; problems: string[] }> {
  return openSmallPanelPage(browser, {
    bundle: 'compare', artifact: `compare-${theme}`, theme,
    themeVariables: THEMES[theme], viewport: { width: 1100, height: 900 }, initialState,
  });
}

async function posted(page: Page): Promise<{ type: string; [key: string]: unknown }[]> {
  return page.evaluate('window.__posted');
}

async function send(page: Page, message: unknown): Promise<void> {
  await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
}

async function tableRows(page: Page): Promise<string[][]> {
  return page.$$eval('#facts tbody tr', rows => rows.map(r => [...r.querySelectorAll('th, td')].map(c => (c.textContent ?? '').trim())));
}

/** Share of a canvas' pixels that are not transparent: a drawn chart covers some, a blank one none. */
async function inkShare(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
    return ink / (c.width * c.height);
  });
}

describe('Compare Activations page', function () {
  this.timeout(120000);
  let browser: Browser;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'webview/compareActivations/main.ts')], outfile: path.join(ROOT, 'media/compare.js'), bundle: true,
      sourcemap: true, platform: 'browser', format: 'iife', target: 'es2020', logLevel: 'warning',
    });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
  });

  for (const theme of ['light', 'dark'] as Theme[]) {
    it(`draws the chosen activations and their compounded slopes (${theme})`, async () => {
      const { page, problems } = await openComparePage(browser, theme);
      await page.waitForFunction('window.__posted.length > 0');
      assert.deepEqual(await posted(page), [{ type: 'compareReady' }]);
      await send(page, { type: 'compareInit', state: { selected: ['sigmoid', 'relu'], params: {}, depth: 10, showDerivatives: true } });
      await page.waitForSelector('#facts tbody tr');
      const rows = await tableRows(page);
      assert.deepEqual(rows.map(r => r[0]), ['sigmoid', 'relu']);
      assert.deepEqual(rows[0].slice(1, 5), ['0.25 (x = 0)', '0.2066', '1.42e-7', '9.54e-7']);
      assert.deepEqual(rows[1].slice(2, 4), ['0.5', '9.77e-4']);
      assert.ok(await inkShare(page, '#curves') > 0.01, 'the curves chart is drawn');
      assert.ok(await inkShare(page, '#compounding') > 0.01, 'the compounding chart is drawn');
      await page.screenshot({ path: path.join(ARTIFACTS, `compare-${theme}.png`), fullPage: true });
      assert.deepEqual(problems, []);
      assert.equal((await posted(page)).filter(m => m.type === 'csp-violation').length, 0);
      await page.close();
    });
  }

  it('is keyboard-operable: the depth slider, the activation checkboxes and the visualize buttons', async () => {
    const { page, problems } = await openComparePage(browser, 'dark');
    await page.waitForFunction('window.__posted.length > 0');
    await send(page, { type: 'compareInit', state: { selected: ['sigmoid'], params: {}, depth: 10, showDerivatives: true } });
    await page.waitForSelector('#depth');
    await page.focus('#depth');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.textContent('#depth-value'), '12');
    assert.match(await page.textContent('#facts thead') ?? '', /n = 12/);
    assert.equal((await tableRows(page))[0][3], '6.05e-9');
    await page.focus('#pick-tanh');
    await page.keyboard.press('Space');
    assert.deepEqual((await tableRows(page)).map(r => r[0]), ['sigmoid', 'tanh']);
    const saved = await page.evaluate('window.__state') as CompareState;
    assert.equal(saved.depth, 12);
    assert.deepEqual(saved.selected, ['sigmoid', 'tanh']);
    await page.focus('#facts tbody tr:nth-child(2) button');
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted(page)).at(-1), { type: 'compareVisualize', activation: 'tanh', params: {} });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('hands its saved state back on restore, and adds what a later command asks for', async () => {
    const saved: CompareState = { selected: ['selu', 'serlu'], params: {}, depth: 30, showDerivatives: false };
    const { page } = await openComparePage(browser, 'light', saved);
    await page.waitForFunction('window.__posted.length > 0');
    assert.deepEqual(await posted(page), [{ type: 'compareReady', restored: saved }]);
    await send(page, { type: 'compareInit', state: saved });
    await page.waitForSelector('#facts tbody tr');
    assert.equal(await page.textContent('#depth-value'), '30');
    assert.equal(await page.isChecked('#show-derivatives'), false);
    await send(page, { type: 'compareAdd', activations: ['leaky_relu'], params: { leaky_relu: { slope: 0.2 } } });
    const rows = await tableRows(page);
    assert.deepEqual(rows.map(r => r[0]), ['selu', 'serlu', 'leaky_relu (slope 0.2)']);
    assert.equal(rows[2][2], '0.6', 'E[f′(z)] = ½(1 + 0.2) for a slope of 0.2');
    assert.equal(await page.isChecked('#pick-leaky_relu'), true);
    // Edit the slope with the keyboard: E[f′(z)] = ½(1 + a) follows.
    await page.focus('#param-leaky_relu-slope');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.5');
    await page.keyboard.press('Enter');
    assert.equal((await tableRows(page))[2][2], '0.75');
    assert.equal(await page.evaluate('document.activeElement.id'), 'param-leaky_relu-slope');
    assert.deepEqual((await page.evaluate('window.__state') as CompareState).params.leaky_relu, { slope: 0.5 });
    await page.focus('#param-selu-lambda');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('-1');
    await page.keyboard.press('Enter');
    assert.equal(await page.$eval('#param-selu-lambda', el => (el as HTMLInputElement).validationMessage), 'selu.lambda must be > 0');
    await page.close();
  });
});
