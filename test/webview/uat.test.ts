// The Universal Approximation page in headless chromium: the real HTML (CSP and nonce) and bundle, a stand-in for
// acquireVsCodeApi, VS Code's theme variables; a step dragged with the mouse and moved with the keyboard, the
// error following, Build N bumps, training messages, restore, and towers for two inputs. Screenshots in
// test-artifacts/webview/uat-*.png.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openSmallPanelPage } from './smallPanelPage';
import { generateBuiltinDataset } from '../../src/core/data/builtinDatasets';
import { meanSquaredError, stepPosition, type OneHiddenLayerNetwork } from '../../src/core/analysis/uat';
import { uatDataFromDataset } from '../../src/universalApproximation/uatData';
import type { ToUatWebview, UatState } from '../../src/protocol';
import { THEME_STAND_INS } from '../../src/visualize/report';

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'webview');
type Theme = 'light' | 'dark';

const nielsen = uatDataFromDataset(generateBuiltinDataset('nielsen', { samples: 500, seed: 0 }), 'nielsen (built-in)', 'nielsen');
const towersData = uatDataFromDataset(generateBuiltinDataset('multi-gauss', { samples: 800, seed: 0 }), 'multi-gauss (built-in)', 'multi-gauss');

async function openUatPage(browser: Browser, theme: Theme, initialState?: UatState): Promise<{ page: Page; problems: string[] }> {
  return openSmallPanelPage(browser, {
    bundle: 'uat', artifact: `uat-${theme}`, theme,
    themeVariables: THEME_STAND_INS[theme], viewport: { width: 1200, height: 900 }, initialState,
  });
}

async function send(page: Page, message: ToUatWebview): Promise<void> {
  await page.evaluate(json => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
  await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function posted(page: Page): Promise<{ type: string; [key: string]: unknown }[]> {
  return page.evaluate('window.__posted');
}

const mseText = (page: Page) => page.textContent('#mse');
const networkOf = (page: Page) => page.evaluate(() => window.gradscopeUat!.network()) as Promise<OneHiddenLayerNetwork>;

describe('Universal Approximation page', function () {
  this.timeout(120_000);
  let browser: Browser;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'webview/universalApproximation/main.ts')], outfile: path.join(ROOT, 'media/uat.js'), bundle: true,
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
    it(`shows the data, the curve, the bumps and the error; dragging a step changes its bias and the error (${theme})`, async () => {
      const { page, problems } = await openUatPage(browser, theme);
      await page.waitForFunction('window.__posted.length > 0');
      assert.deepEqual(await posted(page), [{ type: 'uatReady' }]);
      await send(page, { type: 'uatData', source: { kind: 'builtin', builtin: 'nielsen' }, data: nielsen });
      await page.waitForSelector('#main-canvas');
      const before = await networkOf(page);
      assert.equal(before.units.length, 20, 'ten bumps by default');
      const shown = Number(await mseText(page));
      assert.ok(Math.abs(shown - meanSquaredError(before, nielsen.x, nielsen.y)) / shown < 1e-3, `shown ${shown}`);

      // Drag bump 4's left step (handle index 9) 60 px to the right.
      const handle = await page.$eval('#handles button[data-index="9"]', b => (b as HTMLElement).style.transform);
      const [hx, hy] = (handle.match(/-?[\d.]+/g) ?? []).map(Number);
      const box = await (await page.$('#main-canvas'))!.boundingBox();
      assert.ok(box);
      await page.mouse.move(box.x + hx + 6, box.y + hy + 6);
      await page.mouse.down();
      await page.mouse.move(box.x + hx + 36, box.y + hy + 6, { steps: 3 });
      await page.mouse.move(box.x + hx + 66, box.y + hy + 6, { steps: 3 });
      await page.mouse.up();
      const after = await networkOf(page);
      const changed = after.units.flatMap((u, i) => (['w', 'b', 'v'] as const).filter(k => u[k] !== before.units[i][k]).map(k => `${k}${i}`));
      assert.deepEqual(changed, ['b6'], 'only the dragged step\'s bias changes');
      assert.ok(stepPosition(after.units[6]) > stepPosition(before.units[6]) + 0.05, `${stepPosition(before.units[6])} → ${stepPosition(after.units[6])}`);
      assert.equal(after.units[6].b, -after.units[6].w * stepPosition(after.units[6]));
      const moved = Number(await mseText(page));
      assert.ok(moved > shown, `the error grows when a step leaves its place: ${shown} → ${moved}`);
      assert.match(await page.textContent('#weights') ?? '', /Bump 4/);
      await page.screenshot({ path: path.join(ARTIFACTS, `uat-${theme}.png`), fullPage: true });
      assert.deepEqual(problems, []);
      assert.equal((await posted(page)).filter(m => m.type === 'csp-violation').length, 0);
      await page.close();
    });
  }

  it('is keyboard-operable: arrow keys on a height handle set ±h, the N slider rebuilds, state is saved and restored', async () => {
    const { page, problems } = await openUatPage(browser, 'dark');
    await page.waitForFunction('window.__posted.length > 0');
    await send(page, { type: 'uatData', source: { kind: 'builtin', builtin: 'nielsen' }, data: nielsen });
    await page.waitForSelector('#handles button');
    const before = await networkOf(page);
    await page.focus('#handles button[data-index="4"]');
    assert.match(await page.getAttribute('#handles button[data-index="4"]', 'aria-label') ?? '', /^Bump 2 height h = /);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Shift+ArrowUp');
    const after = await networkOf(page);
    const changed = after.units.flatMap((u, i) => (['w', 'b', 'v'] as const).filter(k => u[k] !== before.units[i][k]).map(k => `${k}${i}`));
    assert.deepEqual(changed, ['v2', 'v3']);
    assert.equal(after.units[3].v, -after.units[2].v);
    assert.ok(after.units[2].v > before.units[2].v);

    await page.focus('#bumps');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    assert.equal(await page.textContent('#bumps-value'), '5');
    const five = await networkOf(page);
    assert.equal(five.units.length, 10);
    await page.evaluate(() => new Promise(r => requestAnimationFrame(r)));
    const saved = await page.evaluate('window.__state') as UatState;
    assert.equal(saved.bumps, 5);
    assert.deepEqual(saved.network, five);

    // Training: the buttons ask the host; frames draw the trained curve and its status.
    await page.click('#train-handBuilt');
    const request = (await posted(page)).at(-1);
    assert.equal(request?.type, 'uatTrain');
    assert.equal(request?.start, 'handBuilt');
    assert.deepEqual(request?.network, five);
    await send(page, { type: 'uatTrainState', start: 'handBuilt', running: true });
    await send(page, { type: 'uatTrainFrame', start: 'handBuilt', curve: { network: five, step: 120, loss: 0.0123 } });
    assert.equal(await page.textContent('#train-handBuilt'), 'Stop');
    assert.match(await page.textContent('#train-status') ?? '', /step 120, MSE 0\.0123 \(training\)/);
    await page.evaluate(() => new Promise(r => requestAnimationFrame(r)));
    const withTraining = await page.evaluate('window.__state') as UatState;
    assert.equal(withTraining.trained.handBuilt?.step, 120);

    // Edit the trained weights: the hand-built network becomes what training found.
    const trainedNet = { units: five.units.map(u => ({ ...u, b: u.b + 1 })), outputBias: 0.05 };
    await send(page, { type: 'uatTrainFrame', start: 'handBuilt', curve: { network: trainedNet, step: 200, loss: 0.01 } });
    await page.click('#adopt-trained');
    assert.deepEqual(await networkOf(page), trainedNet);
    await page.close();

    // A reload: the same state comes back, and the page says so in its ready message.
    const restored = await openUatPage(browser, 'light', withTraining);
    await restored.page.waitForFunction('window.__posted.length > 0');
    const ready = (await posted(restored.page))[0] as { type: string; restored?: UatState };
    assert.equal(ready.type, 'uatReady');
    assert.deepEqual(ready.restored?.source, { kind: 'builtin', builtin: 'nielsen' });
    await send(restored.page, { type: 'uatData', source: { kind: 'builtin', builtin: 'nielsen' }, data: nielsen });
    await restored.page.waitForSelector('#main-canvas');
    assert.deepEqual(await networkOf(restored.page), five);
    assert.equal(await restored.page.textContent('#bumps-value'), '5');
    assert.match(await restored.page.textContent('#train-status') ?? '', /step 120/);

    // Add a bump (a tenth of the range wide, in the middle, at the mean target), then remove the one last touched.
    await restored.page.click('#add-bump');
    const added = await networkOf(restored.page);
    assert.equal(added.units.length, 12);
    const [a, b] = [Math.min(...nielsen.x), Math.max(...nielsen.x)];
    const mean = nielsen.y.reduce((s, v) => s + v, 0) / nielsen.y.length;
    const [left, right] = added.units.slice(10);
    assert.ok(Math.abs(stepPosition(left) - (a + 0.45 * (b - a))) < 1e-9 && Math.abs(stepPosition(right) - (a + 0.55 * (b - a))) < 1e-9);
    assert.ok(Math.abs(left.v - mean) < 1e-12 && right.v === -left.v);
    assert.deepEqual(added.units.slice(0, 10), five.units);
    await restored.page.focus('#handles button[data-index="4"]');
    await restored.page.click('#remove-bump');
    const removed = await networkOf(restored.page);
    assert.deepEqual(removed.units, [...five.units.slice(0, 2), ...five.units.slice(4), left, right], 'bump 2 (last touched) is gone');
    assert.deepEqual([...problems, ...restored.problems], []);
    await restored.page.close();
  });

  it('draws N×N towers as a heatmap with their error for two inputs', async () => {
    const { page, problems } = await openUatPage(browser, 'dark');
    await page.waitForFunction('window.__posted.length > 0');
    await send(page, { type: 'uatData', source: { kind: 'builtin', builtin: 'multi-gauss' }, data: towersData });
    await page.waitForSelector('#heatmap');
    const coarse = Number(await mseText(page));
    await page.focus('#towers');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await page.textContent('#towers-value'), '14×14');
    const fine = Number(await mseText(page));
    assert.ok(fine < coarse, `${coarse} → ${fine}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'uat-towers-dark.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
