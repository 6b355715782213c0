// The Compare Networks page in headless chromium: the real HTML (CSP and nonce) and bundle, fed the messages the
// real worker sends (run here in a worker thread). Compare view: one series per network, the final table; landscape
// view: rows filling in, a shared colour scale, the slice, the log toggle, cancel. Screenshots in
// test-artifacts/webview/compare-networks-*.png.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openSmallPanelPage } from './smallPanelPage';
import type { FromNetworksWorker, ToNetworksWebview } from '../../src/protocol';
import { THEME_STAND_INS } from '../../src/visualize/report';
import { workerMessages } from './networksWorkerRun';

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'webview');
type Theme = 'light' | 'dark';

async function openPage(browser: Browser, theme: Theme): Promise<{ page: Page; problems: string[] }> {
  return openSmallPanelPage(browser, {
    bundle: 'compareNetworks', artifact: `compare-networks-${theme}`, theme,
    themeVariables: THEME_STAND_INS[theme], viewport: { width: 1300, height: 1000 },
  });
}

async function send(page: Page, messages: ToNetworksWebview[]): Promise<void> {
  await page.evaluate(json => { for (const m of JSON.parse(json) as unknown[]) window.postMessage(m, '*'); }, JSON.stringify(messages));
  await page.evaluate(() => new Promise(r => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 50)));
}

async function posted(page: Page): Promise<{ type: string }[]> {
  return page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted);
}

describe('Compare Networks webview', function () {
  this.timeout(240_000);
  let browser: Browser;
  let dir: string;
  let workerPath: string;
  let compareRun: FromNetworksWorker[];
  let landscapeRun: FromNetworksWorker[];

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-cn-webview-'));
    workerPath = path.join(dir, 'networksWorker.js');
    await Promise.all([
      esbuild.build({ entryPoints: [path.join(ROOT, 'src/compareNetworks/networksWorker.ts')], outfile: workerPath, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', mainFields: ['module', 'main'] }),
      esbuild.build({ entryPoints: [path.join(ROOT, 'webview/compareNetworks/main.ts')], outfile: path.join(ROOT, 'media/compareNetworks.js'), bundle: true, sourcemap: true, platform: 'browser', format: 'iife', target: 'es2020', logLevel: 'warning' }),
    ]);
    compareRun = await workerMessages(workerPath, {
      type: 'netsStart', jobId: 1, data: { kind: 'builtin', builtin: 'sine' }, seed: 1, epochs: 20, snapshotEvery: 5, threads: 1,
      choices: [
        { kind: 'preset', preset: 'deep-sigmoid', label: 'Deep sigmoid' },
        { kind: 'preset', preset: 'deep-relu-he', label: 'Deep ReLU' },
        { kind: 'preset', preset: 'relu-batchnorm', label: 'ReLU + BN' },
        { kind: 'preset', preset: 'residual', label: 'Residual' },
      ],
    }, m => m.type === 'netsDone' || m.type === 'netsFailed');
    landscapeRun = await workerMessages(workerPath, {
      type: 'landscapeStart', jobId: 2, choice: { kind: 'preset', preset: 'deep-tanh', label: 'Deep tanh' }, data: { kind: 'builtin', builtin: 'circle' },
      request: { grid: 31, range: 1, seed: 0, steps: 300, maxRows: 300, skipOnOff: true }, threads: 1,
    }, m => m.type === 'landscapeEnd' || m.type === 'landscapeFailed');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const theme of ['dark', 'light'] as Theme[]) {
    it(`compare view (${theme}): one series per network in each chart, a row per network in the table`, async () => {
      const { page, problems } = await openPage(browser, theme);
      assert.ok(!compareRun.some(m => m.type === 'netsFailed'), JSON.stringify(compareRun.find(m => m.type === 'netsFailed')));
      await send(page, [{ type: 'netsMode', mode: 'compare', title: 'four presets on sine' }, ...compareRun]);
      const counts = await page.evaluate(() => ({ rows: document.querySelectorAll('#final tbody tr').length, canvases: document.querySelectorAll('canvas').length }));
      assert.equal(counts.rows, 4);
      const series = await page.evaluate(() => ['grad', 'sat', 'loss', 'function'].map(id => document.getElementById(`fig-${id}`)?.dataset.series));
      // Gradient and saturation: one line per network; loss: training and validation per network; function: data + one curve each.
      assert.deepEqual(series, ['4', '4', '8', '5']);
      assert.ok(counts.canvases >= 4, `charts drawn: ${counts.canvases}`);
      const legend = await page.locator('#final tbody th').allTextContents();
      assert.deepEqual(legend, ['Deep sigmoid', 'Deep ReLU', 'ReLU + BN', 'Residual']);
      // The final table's split columns: geometric means over the hidden layers of the last frame's factors.
      const headers = await page.locator('#final thead th').allTextContents();
      const column = (h: string): number => headers.indexOf(h) - 1;
      const rows = await page.evaluate(() => [...document.querySelectorAll('#final tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent ?? '')));
      const frames = compareRun.flatMap(m => (m.type === 'netsFrames' ? m.frames : []));
      const geo = (v: (number | null)[]) => Math.exp(v.reduce<number>((t, x) => t + Math.log(x as number), 0) / v.length);
      for (let i = 0; i < 4; i++) {
        const last = frames.filter(f => f.index === i).at(-1)!;
        assert.equal(last.activationFactor.length, last.gradNorm.length - 1);
        assert.ok(last.activationFactor.every(v => v !== null && v > 0), 'every hidden layer has a split');
        assert.equal(Number(rows[i][column('f′ part per layer')]), Number(geo(last.activationFactor).toPrecision(2)));
        assert.equal(Number(rows[i][column('W part per layer')]), Number(geo(last.weightFactor).toPrecision(2)));
        assert.equal(Number(rows[i][column('first/last layer ‖δ‖')]), Number((last.deltaNorm[0] / last.deltaNorm.at(-1)!).toPrecision(3)));
      }
      // Sigmoid: its f′ part at most ¼; ReLU: saturation 0, the zero side counted as inactive.
      assert.ok(Number(rows[0][column('f′ part per layer')]) <= 0.25);
      assert.equal(rows[1][column('mean saturated')], '0.0 %');
      assert.ok(parseFloat(rows[1][column('mean inactive')]) > 20, rows[1].join(' | '));
      // The zero-slope chart shows the ReLU net's inactive share (not 0 as "saturation"), the sigmoid net's saturation.
      assert.match(await page.locator('#fig-sat figcaption').textContent() ?? '', /saturated \(smooth activations\) or inactive/);
      const zeroSlope = JSON.parse(await page.locator('#fig-sat').getAttribute('data-values') ?? '[]') as number[][];
      for (let i = 0; i < 4; i++) {
        const last = frames.filter(f => f.index === i).at(-1)!;
        assert.deepEqual(zeroSlope[i], last.saturation.map((v, k) => v + last.inactive[k]), `network ${i}`);
      }
      assert.ok(zeroSlope[1].slice(0, -1).every(v => v > 0.2), `deep ReLU's hidden layers are about half inactive: ${zeroSlope[1]}`);
      assert.match(await page.locator('#status').textContent() ?? '', /Done/);
      // The gradient chart's log axis reads like the other log axes: 1, 0.1, 0.01, 1e-3 …, never "1.00e-4".
      const gradTicks = await page.evaluate(() => document.getElementById('chart-grad')?.dataset.yTicks ?? '');
      const labels = (JSON.parse(gradTicks) as string[]).filter(Boolean);
      assert.ok(labels.length >= 4, gradTicks);
      for (const label of labels) assert.match(label, /^(1|2|5)(e-\d+|0*)$|^0\.0*[125]$/, `gradient axis label ${label}`);
      await page.screenshot({ path: path.join(ARTIFACTS, `compare-networks-${theme}.png`), fullPage: true });
      await page.click('#export-json');
      const exported = (await posted(page)).find(m => m.type === 'netsExport') as unknown as { content: string } | undefined;
      assert.ok(exported);
      assert.equal((JSON.parse(exported.content) as { networks: unknown[] }).networks.length, 4);
      assert.deepEqual(problems, []);
      assert.ok(!(await posted(page)).some(m => m.type === 'csp-violation'));
      await page.close();
    });
  }

  it('two inputs: one small map per network on chart.js axes with round ticks, the data on top, kept between frames', async () => {
    const circleRun = await workerMessages(workerPath, {
      type: 'netsStart', jobId: 3, data: { kind: 'builtin', builtin: 'circle' }, seed: 1, epochs: 2, snapshotEvery: 5, threads: 1,
      choices: [
        { kind: 'preset', preset: 'deep-sigmoid', label: 'Deep sigmoid' },
        { kind: 'preset', preset: 'deep-relu-he', label: 'Deep ReLU' },
      ],
    }, m => m.type === 'netsDone' || m.type === 'netsFailed');
    const functionsMessage = circleRun.find(m => m.type === 'netsFunctions') as Extract<FromNetworksWorker, { type: 'netsFunctions' }> | undefined;
    assert.ok(functionsMessage !== undefined && functionsMessage.data.d === 2 && functionsMessage.views.every(v => v.kind === 'grid'));
    const { page, problems } = await openPage(browser, 'dark');
    await send(page, [{ type: 'netsMode', mode: 'compare', title: 'two presets on circle' }, ...circleRun]);
    type Map = { ticks: { x: string[]; y: string[] }; points: number; border: string };
    const maps = (): Promise<Map[]> => page.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>('.maps canvas')].map(c => ({
      ticks: JSON.parse(c.dataset.ticks ?? '{}'), points: Number(c.dataset.points), border: getComputedStyle(c.parentElement!).borderTopColor,
    })));
    const drawn = await maps();
    assert.equal(drawn.length, 2);
    assert.notEqual(drawn[0].border, drawn[1].border, 'each map framed in its network\'s colour');
    for (const [i, map] of drawn.entries()) {
      const view = functionsMessage.views[i] as Extract<typeof functionsMessage.views[number], { kind: 'grid' }>;
      assert.equal(map.points, functionsMessage.data.y.length, 'every data point drawn over the map');
      for (const [axis, range] of [['x', view.xRange], ['y', view.yRange]] as const) {
        const values = map.ticks[axis].map(Number);
        assert.ok(values.length >= 3 && values.every(Number.isFinite), `${axis}: ${map.ticks[axis].join(' ')}`);
        const step = values[1] - values[0];
        values.forEach((v, k) => assert.ok(Math.abs(v - values[0] - k * step) < 1e-9 && Math.abs(v / step - Math.round(v / step)) < 1e-9, `${axis}: ${values.join(' ')}`));
        assert.ok(values[0] >= range[0] && values.at(-1)! <= range[1], `${axis} ticks ${values.join(' ')} inside ${range.join(' … ')}`);
      }
    }
    // A later frame repaints the same charts (no new canvases).
    await page.evaluate(() => document.querySelectorAll('.maps canvas').forEach(c => c.setAttribute('data-kept', '1')));
    await send(page, circleRun.filter(m => m.type === 'netsFrames').slice(-1));
    assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('.maps canvas')].map(c => c.getAttribute('data-kept'))), ['1', '1']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'compare-networks-maps.png'), fullPage: true });
    // Another job with as many networks but other names (the page is laid out again): the new captions.
    const renamed = JSON.parse(JSON.stringify(circleRun).replaceAll('"Deep ReLU"', '"Leaky ReLU"')) as ToNetworksWebview[];
    await send(page, [{ type: 'netsMode', mode: 'compare', title: 'two other presets on circle' }, ...renamed]);
    assert.deepEqual(await page.locator('.maps .map-label').allTextContents(), ['Deep sigmoid', 'Leaky ReLU']);
    assert.equal((await maps()).length, 2);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('reads right at step 0: the loss chart\'s step axis has distinct, whole, non-negative ticks', async () => {
    const { page, problems } = await openPage(browser, 'dark');
    const loaded = compareRun.filter(m => m.type === 'netsLoaded');
    const firstFrames = compareRun.flatMap(m => (m.type === 'netsFrames' ? m.frames : [])).filter(f => f.step === 0);
    assert.equal(firstFrames.length, 4, 'one step-0 frame per network');
    await send(page, [{ type: 'netsMode', mode: 'compare', title: 'step 0' }, ...loaded, { type: 'netsFrames', jobId: 1, frames: firstFrames } as ToNetworksWebview]);
    const ticks = JSON.parse(await page.evaluate(() => document.getElementById('chart-loss')?.dataset.xTicks ?? '[]')) as string[];
    const labels = ticks.filter(Boolean);
    assert.ok(labels.length >= 2, ticks.join(' '));
    assert.equal(new Set(labels).size, labels.length, labels.join(' '));
    assert.ok(labels.every(l => /^\d+$/.test(l)), labels.join(' '));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('landscape view: rows fill in as they stream; both maps share one scale; log toggle; cancel', async () => {
    const { page, problems } = await openPage(browser, 'dark');
    assert.ok(!landscapeRun.some(m => m.type === 'landscapeFailed'), JSON.stringify(landscapeRun.find(m => m.type === 'landscapeFailed')));
    const begin = landscapeRun.filter(m => m.type === 'landscapeBegin');
    const rows = landscapeRun.filter(m => m.type === 'landscapeRow');
    const end = landscapeRun.filter(m => m.type === 'landscapeEnd');
    assert.equal(rows.length, 62);
    await send(page, [{ type: 'netsMode', mode: 'landscape', title: 'Deep tanh' }, ...begin, ...rows.slice(0, 20)]);
    assert.match(await page.locator('#status').textContent() ?? '', /row 20 of 62/);
    assert.equal(await page.locator('#cancel').isDisabled(), false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'compare-networks-landscape-partial.png'), fullPage: true });
    await page.click('#cancel');
    assert.ok((await posted(page)).some(m => m.type === 'landscapeCancel'));
    await send(page, [...rows.slice(20), ...end]);
    assert.match(await page.locator('#status').textContent() ?? '', /Done/);
    const notes = await page.locator('.figure-note').allTextContents();
    assert.equal(notes.length, 2);
    for (const n of notes) assert.match(n, /31\/31 rows/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'compare-networks-landscape.png'), fullPage: true });
    // The maps are chart.js charts: the axes' ticks, the colour bar's and the legend are chart.js's.
    type Drawn = { ticks: { x: string[]; y: string[]; c: string[] }; area: { left: number; top: number; right: number; bottom: number }; colorBar: string };
    const drawn = async (): Promise<Drawn[]> => page.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>('figure.landscape canvas')].map(c => ({
      ticks: JSON.parse(c.dataset.ticks ?? '{}'), area: JSON.parse(c.dataset.area ?? '{}'), colorBar: c.dataset.colorBar ?? '',
    })));
    const views = (end[0] as Extract<FromNetworksWorker, { type: 'landscapeEnd' }>).views;
    const losses = views.flatMap(v => v.rows.flat());
    const [lo, hi] = [Math.min(...losses), Math.max(...losses)];
    assert.ok(hi / lo > 10, `the two maps span ${lo}…${hi}: more than a decade, so the log bar has powers of ten`);
    const logMaps = await drawn();
    assert.equal(logMaps.length, 2);
    for (const map of logMaps) {
      assert.equal(map.colorBar, 'logarithmic');
      const labels = map.ticks.c.filter(t => t !== '');
      assert.ok(labels.length >= 2, JSON.stringify(map.ticks.c));
      // Labelled like the other charts' log axes: powers of ten only (1, 0.1, 0.01, 1e-3 …), never "1e-0.7".
      for (const label of labels) assert.ok(Math.abs(Math.log10(Number(label)) - Math.round(Math.log10(Number(label)))) < 1e-9, `colour bar label ${label}`);
      const powers = labels.map(Number);
      assert.ok(powers.every(p => p >= lo / 10 && p <= hi * 10), `${powers} within a decade of ${lo}…${hi}`);
      assert.ok(map.ticks.x.includes('0') && map.ticks.x.includes('-1') && map.ticks.x.includes('1'), JSON.stringify(map.ticks.x));
      assert.equal(new Set(map.ticks.x.filter(Boolean)).size, map.ticks.x.filter(Boolean).length, 'no duplicate ticks');
    }
    // Hover: the centre of the plot is θ (α = β = 0), and the readout gives its loss through the scales.
    const box = await page.locator('.landscape canvas').first().boundingBox();
    const area = logMaps[0].area;
    await page.mouse.move(box!.x + (area.left + area.right) / 2, box!.y + (area.top + area.bottom) / 2);
    const readout = await page.locator('.hover-readout').first().textContent();
    const centre = (views[0].axis.length - 1) / 2;
    assert.equal(readout, `α = 0, β = 0: loss ${Number(views[0].rows[centre][centre].toPrecision(4))}`);
    await page.click('#log-loss');
    const linearMaps = await drawn();
    for (const map of linearMaps) {
      assert.equal(map.colorBar, 'linear');
      const labels = map.ticks.c.filter(t => t !== '').map(Number);
      assert.ok(labels.length >= 3 && labels.every(Number.isFinite), JSON.stringify(map.ticks.c));
      assert.ok(labels[0] >= lo - 1e-12 && labels.at(-1)! <= hi + 1e-12, `${labels} within ${lo}…${hi}`);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'compare-networks-landscape-linear.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('keeps the job it shows in its webview state, for the serializer to run again after a reload', async () => {
    const { page, problems } = await openPage(browser, 'light');
    const compare = { kind: 'compare' as const, choices: [{ kind: 'preset' as const, preset: 'deep-sigmoid', label: 'Deep sigmoid' }, { kind: 'preset' as const, preset: 'residual', label: 'Residual' }], data: { kind: 'builtin' as const, builtin: 'sine' }, seed: 2, epochs: 3 };
    await send(page, [{ type: 'netsMode', mode: 'compare', title: 'Deep sigmoid vs Residual', restore: compare }]);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __state: unknown }).__state), { restore: compare });
    const landscape = { kind: 'landscape' as const, choice: compare.choices[1], data: compare.data, request: { grid: 21, range: 1, seed: 0, steps: 10, maxRows: 100, skipOnOff: true } };
    await send(page, [{ type: 'netsMode', mode: 'landscape', title: 'Residual', restore: landscape }]);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __state: unknown }).__state), { restore: landscape });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
