// The panel in headless chromium: recorded snapshot messages in, and what each chart shows checked against
// the numbers that went in — in the light and the dark theme, with screenshots in test-artifacts/webview.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { RecordedRun } from '../../src/protocol';
import { canvasInk, launchBrowser, openPanel, pageErrors, posted, screenshot, send, settle, themeScript, type Theme } from './harness';
import { syntheticRun } from './syntheticRuns';

type Described = Record<string, {
  type: string;
  labels: string[];
  datasets: { label: string; hidden: boolean; color: string; data: (number | null | { x: number; y: number | null })[] }[];
  scales: Record<string, { type: string; min: number; max: number; title: string; color: string }>;
}>;

async function describeCharts(page: Page): Promise<Described> {
  return page.evaluate(() => window.gradscopePanel.describeCharts()) as Promise<Described>;
}

function runMessage(run: RecordedRun, runId = 1) {
  return { type: 'run' as const, runId, meta: run.meta, sourceLabel: run.sourceLabel, frames: [] };
}

const deepSigmoid = syntheticRun({ inputs: 1, hiddenLayers: 10, units: 32, activation: 'sigmoid', task: 'regression', frames: 60, overfitFrom: 0.6 });
const circle = syntheticRun({ inputs: 2, hiddenLayers: 3, units: 8, activation: 'tanh', task: 'binary', frames: 30, seed: 3 });
const wide = syntheticRun({ inputs: 5, hiddenLayers: 4, units: 16, activation: 'relu', task: 'regression', frames: 20, seed: 5 });

describe('Gradscope panel (webview, headless chromium)', function () {
  let browser: Browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  for (const theme of ['dark', 'light'] as Theme[]) {
    describe(`${theme} theme`, () => {
      let page: Page;
      before(async () => {
        page = await openPanel(browser, theme);
        await send(page, runMessage(deepSigmoid), { type: 'state', runId: 1, state: 'running' });
        // Frames arrive in batches, as the host sends them (≤ 10 messages a second).
        for (let i = 0; i < deepSigmoid.frames.length; i += 12) {
          await send(page, { type: 'frames', runId: 1, frames: deepSigmoid.frames.slice(i, i + 12) });
        }
      });
      after(async () => { await page?.close(); });

      it('says ready first, then shows the run and a readable status', async () => {
        const messages = await posted(page);
        assert.deepEqual(messages[0], { type: 'ready' });
        const last = deepSigmoid.frames[deepSigmoid.frames.length - 1].snapshot;
        const status = await page.textContent('#status');
        assert.match(status ?? '', new RegExp(`^epoch ${last.epoch}/20 · step ${last.step} · loss 0\\.0\\d+ · val 0\\.\\d+`));
        assert.equal(await page.textContent('#run-state'), 'Training');
        assert.equal(await page.getAttribute('#gradscope-panel', 'data-state'), 'running');
        assert.equal(await page.locator('.layer-chip').count(), 11);
        assert.deepEqual(pageErrors(page), []);
      });

      it('draws the function: train and validation points and the network curve', async () => {
        const charts = await describeCharts(page);
        const fn = charts['chart-function'];
        assert.deepEqual(fn.datasets.map(d => d.label), ['train', 'validation', 'network']);
        const points = deepSigmoid.meta.points;
        assert.equal(fn.datasets[0].data.length, points.split.filter(s => s === 'train').length);
        assert.equal(fn.datasets[1].data.length, points.split.filter(s => s === 'val').length);
        const lastView = deepSigmoid.frames[deepSigmoid.frames.length - 1].view;
        assert.ok(lastView?.kind === 'curve');
        const curve = fn.datasets[2].data as { x: number; y: number }[];
        assert.equal(curve.length, lastView.xs.length);
        assert.equal(curve[57].y, lastView.ys[0][57]);
        assert.equal(fn.scales.x.title, 'x1');
        assert.equal(await page.getAttribute('#chart-function', 'data-mode'), 'curve');
        const ink = await canvasInk(page, 'chart-function');
        assert.ok(ink.inked > 0.02 && ink.colours > 5, `function canvas looks blank: ${JSON.stringify(ink)}`);
      });

      it('shows gradient decay by layer on a log axis, with the ×¼ sigmoid bound', async () => {
        const charts = await describeCharts(page);
        const latest = deepSigmoid.frames[deepSigmoid.frames.length - 1].snapshot;
        const norms = charts['chart-gradient'];
        assert.equal(norms.scales.y.type, 'logarithmic');
        assert.deepEqual(norms.labels, latest.layers.map(l => `L${l.index}`));
        assert.deepEqual(norms.datasets[0].data, latest.layers.map(l => l.gradNorm));
        // The axis spans the decay: from below the first layer's norm to above the output's.
        assert.ok(norms.scales.y.min <= latest.layers[0].gradNorm && norms.scales.y.max >= latest.layers[10].gradNorm);
        const ratio = charts['chart-gradient-ratio'];
        const out = latest.layers[10].gradNorm;
        const measured = ratio.datasets[0].data as number[];
        latest.layers.forEach((layer, i) => assert.ok(Math.abs(measured[i] - layer.gradNorm / out) <= 1e-12 * Math.max(1, measured[i])));
        assert.equal(measured[10], 1);
        assert.deepEqual(ratio.datasets[1].data, latest.layers.map((_, i) => 0.25 ** (10 - i)));
        const note = await page.textContent('#note-gradient');
        assert.match(note ?? '', /first layer gets \d\.\d+e-\d+ × the output layer’s gradient/);
        for (const id of ['chart-gradient', 'chart-gradient-ratio']) {
          const ink = await canvasInk(page, id);
          assert.ok(ink.inked > 0.02, `${id} looks blank`);
        }
      });

      it('paints the gradient history with early layers darker than late ones (vanishing band)', async () => {
        const range = await page.evaluate(() => {
          const canvas = document.getElementById('chart-gradient-history') as HTMLCanvasElement;
          return [Number(canvas.dataset.logMin), Number(canvas.dataset.logMax)];
        });
        const logs = deepSigmoid.frames.flatMap(f => f.snapshot.layers.map(l => Math.log10(l.gradNorm)));
        assert.ok(Math.abs(range[0] - Math.min(...logs)) < 1e-9 && Math.abs(range[1] - Math.max(...logs)) < 1e-9);
        // Sample the heatmap's middle column at the first and at the last layer's row.
        const brightness = await page.evaluate(() => {
          const canvas = document.getElementById('chart-gradient-history') as HTMLCanvasElement;
          const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
          const plot = { left: 44, top: 8, width: canvas.width - 44 - 70, height: canvas.height - 48 };
          const x = Math.round(plot.left + plot.width / 2);
          const rowY = (layer: number) => Math.round(plot.top + plot.height - ((layer + 0.5) / 11) * plot.height);
          const lum = (y: number) => { const [r, g, b] = ctx.getImageData(x, y, 1, 1).data; return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          return { first: lum(rowY(0)), last: lum(rowY(10)) };
        });
        assert.ok(brightness.first + 60 < brightness.last, `expected a dark band at layer 0: ${JSON.stringify(brightness)}`);
      });

      it('stacks saturation shares to 100% per layer and draws their history', async () => {
        const charts = await describeCharts(page);
        const bars = charts['chart-saturation'];
        assert.deepEqual(bars.datasets.map(d => d.label), ['saturated low', 'saturated high', 'dead', 'active']);
        const latest = deepSigmoid.frames[deepSigmoid.frames.length - 1].snapshot;
        latest.layers.forEach((layer, i) => {
          const total = bars.datasets.reduce((sum, d) => sum + (d.data[i] as number), 0);
          assert.ok(Math.abs(total - 1) < 1e-12, `layer ${i} stacks to ${total}`);
          assert.ok(Math.abs((bars.datasets[1].data[i] as number) - layer.saturatedHigh) < 1e-12);
        });
        assert.equal(bars.datasets[2].data[2], 0.05);
        const history = charts['chart-saturation-history'];
        assert.deepEqual(history.datasets.map(d => d.label), ['L0', 'L1', 'L3', 'L4', 'L6', 'L7', 'L9', 'L10']);
        assert.equal(history.datasets[0].data.length, deepSigmoid.frames.length);
      });

      it('shows percentile bands of the selected layer, and its histogram on request', async () => {
        await page.click('.layer-chip[data-layer="3"]');
        await settle(page);
        let charts = await describeCharts(page);
        const bands = charts['chart-distribution'];
        assert.equal(bands.datasets.length, 9);
        const latest = deepSigmoid.frames[deepSigmoid.frames.length - 1].snapshot;
        const median = bands.datasets[4].data as { x: number; y: number }[];
        assert.equal(median[median.length - 1].y, latest.layers[3].a.percentiles[4]);
        assert.equal(await page.inputValue('#select-layer'), '3');
        await page.selectOption('#select-distribution-mode', 'histogram');
        await page.selectOption('#select-distribution-of', 'z');
        await settle(page);
        charts = await describeCharts(page);
        const histogram = charts['chart-distribution'];
        assert.equal(histogram.type, 'bar');
        assert.deepEqual(histogram.datasets[0].data, latest.layers[3].z.histogram.counts);
        assert.equal(histogram.scales.x.title, 'pre-activation z');
        await page.selectOption('#select-distribution-mode', 'bands');
        await page.selectOption('#select-distribution-of', 'a');
        await settle(page);
      });

      it('plots train and validation loss on a log axis and flags overfitting', async () => {
        const charts = await describeCharts(page);
        const loss = charts['chart-loss'];
        assert.equal(loss.scales.y.type, 'logarithmic');
        assert.deepEqual(loss.datasets.map(d => d.label), ['train', 'validation']);
        const train = loss.datasets[0].data as { x: number; y: number }[];
        assert.equal(train.length, deepSigmoid.frames.length);
        assert.equal(train[9].y, deepSigmoid.frames[9].snapshot.loss);
        const note = await page.textContent('#note-loss');
        // Validation turns up at 60% of the run: from epoch 12 of 20 (the first window that shows it).
        assert.match(note ?? '', /Overfitting: validation loss rising while training loss falls from epoch 1[0-3]/);
        await screenshot(page, `panel-${theme}`);
      });

      it('switches axes to linear and back (log/linear control)', async () => {
        await page.click('#btn-scale');
        await settle(page);
        let charts = await describeCharts(page);
        assert.equal(charts['chart-loss'].scales.y.type, 'linear');
        assert.equal(charts['chart-gradient'].scales.y.type, 'linear');
        assert.equal(await page.getAttribute('#btn-scale', 'aria-pressed'), 'false');
        await page.keyboard.press('l');
        await settle(page);
        charts = await describeCharts(page);
        assert.equal(charts['chart-loss'].scales.y.type, 'logarithmic');
      });
    });
  }

  it('redraws every chart in the new colours when VS Code switches theme', async () => {
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(deepSigmoid), { type: 'frames', runId: 1, frames: deepSigmoid.frames });
    const before = await describeCharts(page);
    await page.evaluate(script => { new Function(script)(); }, themeScript('light'));
    await settle(page);
    const after = await describeCharts(page);
    assert.equal(before['chart-loss'].datasets[0].color, '#3794ff');
    assert.equal(after['chart-loss'].datasets[0].color, '#1a85ff');
    assert.notEqual(before['chart-loss'].scales.x.color, after['chart-loss'].scales.x.color);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(255, 255, 255)');
    await page.close();
  });

  it('draws decision regions with the points on top for two inputs', async () => {
    const page = await openPanel(browser, 'light');
    await send(page, runMessage(circle), { type: 'frames', runId: 1, frames: circle.frames });
    assert.equal(await page.getAttribute('#chart-function', 'data-mode'), 'grid');
    const ink = await canvasInk(page, 'chart-function');
    assert.ok(ink.inked > 0.5 && ink.colours > 20, `heatmap too plain: ${JSON.stringify(ink)}`);
    // The centre of the plot is inside the circle (class "inside", the second class colour), a corner is not.
    const colours = await page.evaluate(() => {
      const canvas = document.getElementById('chart-function') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const plot = { left: 48, top: 8, width: canvas.width - 48 - 70, height: canvas.height - 48 };
      const at = (fx: number, fy: number) => Array.from(ctx.getImageData(Math.round(plot.left + fx * plot.width), Math.round(plot.top + fy * plot.height), 1, 1).data);
      return { centre: at(0.5, 0.5), corner: at(0.03, 0.03) };
    });
    // Light theme: class 0 is blue (#1a85ff), class 1 orange (#d18616): the centre is redder, the corner bluer.
    assert.ok(colours.centre[0] > colours.centre[2], `centre ${colours.centre}`);
    assert.ok(colours.corner[2] > colours.corner[0], `corner ${colours.corner}`);
    assert.match(await page.textContent('#note-function') ?? '', /decision regions over x1 × x2/);
    await screenshot(page, 'panel-light-two-inputs');
    await page.close();
  });

  it('draws predicted against actual with y = x for more than two inputs', async () => {
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(wide), { type: 'frames', runId: 1, frames: wide.frames });
    const charts = await describeCharts(page);
    const fn = charts['chart-function'];
    assert.deepEqual(fn.datasets.map(d => d.label), ['samples', 'y = x']);
    const view = wide.frames[wide.frames.length - 1].view;
    assert.ok(view?.kind === 'scatter');
    assert.deepEqual(fn.datasets[0].data[7], { x: view.actual[7], y: view.predicted[7] });
    const diagonal = fn.datasets[1].data as { x: number; y: number }[];
    assert.equal(diagonal[0].x, diagonal[0].y);
    assert.equal(fn.scales.x.title, 'actual y');
    await page.close();
  });

  it('sends controls to the host at once, by mouse and keyboard', async () => {
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(deepSigmoid), { type: 'state', runId: 1, state: 'paused' }, { type: 'frames', runId: 1, frames: deepSigmoid.frames.slice(0, 3) });
    await page.click('#btn-play');
    await page.click('#btn-step-batch');
    await page.click('#btn-step-epoch');
    await page.click('#btn-reset');
    await page.click('#btn-reseed');
    await page.fill('#input-lr', '0.03');
    await page.press('#input-lr', 'Enter');
    await page.fill('#input-batch', '64');
    await page.press('#input-batch', 'Tab');
    await page.selectOption('#select-cadence', '50');
    await page.focus('#btn-export-json');
    await page.keyboard.press('Enter');
    await page.click('#btn-export-csv');
    await page.click('#btn-export-html');
    await page.click('#btn-save-config');
    await page.click('#png-chart-loss');
    // Keyboard shortcuts from the page body: Space plays, "." steps a batch.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Space');
    await page.keyboard.press('.');
    const messages = (await posted(page)) as { type: string; [key: string]: unknown }[];
    const png = messages.find(m => m.type === 'savePng');
    assert.ok(typeof png?.dataUrl === 'string' && png.dataUrl.startsWith('data:image/png;base64,') && png.dataUrl.length > 5000);
    assert.deepEqual(messages.filter(m => m.type !== 'savePng'), [
      { type: 'ready' },
      { type: 'control', action: 'play' },
      { type: 'control', action: 'stepBatch' },
      { type: 'control', action: 'stepEpoch' },
      { type: 'control', action: 'reset' },
      { type: 'control', action: 'reseed' },
      { type: 'set', lr: 0.03 },
      { type: 'set', batchSize: 64 },
      { type: 'set', snapshotEvery: 50 },
      { type: 'export', format: 'json' },
      { type: 'export', format: 'csv' },
      { type: 'export', format: 'html' },
      { type: 'saveConfig' },
      { type: 'control', action: 'play' },
      { type: 'control', action: 'stepBatch' },
    ]);
    // Every control has a name for screen readers.
    const unnamed = await page.evaluate(() => Array.from(document.querySelectorAll('button, input, select'))
      .filter(el => !(el.getAttribute('aria-label') || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.textContent?.trim()))
      .map(el => el.id));
    assert.deepEqual(unnamed, []);
    // The settings survive a reload through setState.
    await page.waitForTimeout(300);
    const state = await page.evaluate(() => (window as unknown as { __state: { settings: unknown; ui: { logScale: boolean } } }).__state);
    assert.deepEqual(state.settings, { lr: 0.03, batchSize: 64, snapshotEvery: 50 });
    await page.close();
  });

  it('comes back after a reload with its view choices (getState) and tells the host its source (setState)', async () => {
    const source = { kind: 'builtin' as const, builtin: 'sine', preset: 'deep-sigmoid' };
    const page = await openPanel(browser, 'light', {
      initialState: { source, sourceLabel: 'sine (built-in)', settings: { lr: 0.02 }, ui: { logScale: false, selectedLayer: 2, distributionMode: 'histogram', distributionOf: 'z' } },
    });
    await send(page, { ...runMessage(deepSigmoid), source, snapshotEvery: 25 }, { type: 'frames', runId: 1, frames: deepSigmoid.frames.slice(0, 20) });
    const charts = await page.evaluate(() => window.gradscopePanel.describeCharts());
    assert.equal(charts['chart-loss'].scales.y.type, 'linear');
    assert.equal(charts['chart-distribution'].type, 'bar');
    assert.equal(charts['chart-distribution'].scales.x.title, 'pre-activation z');
    assert.equal(await page.inputValue('#select-layer'), '2');
    assert.equal(await page.inputValue('#select-cadence'), '25');
    assert.equal(await page.textContent('#select-cadence option:checked'), 'every 25 steps');
    await page.waitForTimeout(400);
    const state = await page.evaluate(() => (window as unknown as { __state: Record<string, unknown> }).__state);
    assert.deepEqual(state.source, source);
    assert.equal(state.sourceLabel, 'synthetic.csv');
    assert.deepEqual(state.ui, { logScale: false, selectedLayer: 2, distributionMode: 'histogram', distributionOf: 'z' });
    await page.close();
  });

  it('shows the layer card with all its numbers when a layer is hovered', async () => {
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(deepSigmoid), { type: 'frames', runId: 1, frames: deepSigmoid.frames });
    await page.hover('.layer-chip[data-layer="2"]');
    await page.waitForSelector('#layer-tooltip:not([hidden])');
    const text = await page.textContent('#layer-tooltip') ?? '';
    const layer = deepSigmoid.frames[deepSigmoid.frames.length - 1].snapshot.layers[2];
    assert.match(text, /Layer 2 · layers\[4\]/);
    assert.match(text, /units32 \(fan-in 32\)/);
    assert.match(text, /activationsigmoid/);
    assert.ok(text.includes(`gradNorm ‖∂L/∂W‖${layer.gradNorm.toExponential(2).replace(/e([+-])(\d+)/, (_, s, d) => `e${s === '-' ? '-' : ''}${Number(d)}`)}`), text);
    assert.match(text, /dead units5\.0%/);
    // Hovering a bar of the gradient chart shows the same card for that layer.
    const box = await page.locator('#chart-gradient').boundingBox();
    assert.ok(box !== null);
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.5);
    await page.waitForFunction(() => /^Layer (9|10) ·/.test(document.getElementById('layer-tooltip')?.textContent ?? ''));
    await screenshot(page, 'panel-dark-layer-card');
    await page.close();
  });

  it('never leaves a blank panel: loading, then an error with a way to the line', async () => {
    const page = await openPanel(browser, 'light');
    await send(page, { type: 'loading', sourceLabel: 'broken.csv' });
    assert.equal(await page.isVisible('#loading'), true);
    assert.match(await page.textContent('#loading') ?? '', /Loading broken\.csv/);
    await send(page, { type: 'error', message: "broken.csv:14:3: 'abc' is not a number (column x)", location: { file: '/ws/broken.csv', line: 14, column: 3 } });
    assert.equal(await page.isVisible('#error-banner'), true);
    assert.match(await page.textContent('#error-message') ?? '', /not a number/);
    assert.equal(await page.textContent('#btn-open-error'), 'Open broken.csv:14');
    await page.click('#btn-open-error');
    await page.click('#btn-retry');
    const messages = await posted(page);
    assert.deepEqual(messages.slice(1), [{ type: 'openLocation', location: { file: '/ws/broken.csv', line: 14, column: 3 } }, { type: 'retry' }]);
    assert.equal(await page.textContent('#run-state'), 'Error');
    await screenshot(page, 'panel-light-error');
    await page.close();
  });

  it('a crashed worker: the banner says what died and why, offers Restart, and the charts and exports stay', async () => {
    const page = await openPanel(browser, 'dark');
    const frames = deepSigmoid.frames.slice(0, 25);
    await send(page, runMessage(deepSigmoid), { type: 'state', runId: 1, state: 'running' }, { type: 'frames', runId: 1, frames });
    const before = await describeCharts(page);
    const lossPointsBefore = before['chart-loss'].datasets[0].data.length;
    assert.ok(lossPointsBefore > 0);
    const text = 'The training worker ran out of memory (limit 2,048 MB) at step 1,234. The 25 snapshots so far are kept: export them, or Restart.';
    await send(page, { type: 'error', message: text, restartable: true, kept: true });
    await settle(page);
    assert.equal(await page.isVisible('#error-banner'), true);
    assert.equal(await page.textContent('#error-message'), text);
    assert.equal(await page.textContent('#btn-retry'), 'Restart');
    assert.equal(await page.isVisible('#btn-open-error'), false);
    assert.equal(await page.textContent('#run-state'), 'Error');
    // Everything drawn before the crash is still drawn: the same loss points, the same layer strip.
    const after = await describeCharts(page);
    assert.equal(after['chart-loss'].datasets[0].data.length, lossPointsBefore);
    assert.deepEqual(after['chart-loss'].datasets[0].data, before['chart-loss'].datasets[0].data);
    assert.equal(await page.locator('.layer-chip').count(), 11);
    assert.equal(await page.isVisible('#loading'), false);
    // Training controls wait for the restart; exports do not.
    assert.equal(await page.isDisabled('#btn-play'), true);
    assert.equal(await page.isDisabled('#btn-export-json'), false);
    await page.click('#btn-export-json');
    await page.click('#btn-retry');
    const messages = await posted(page);
    assert.deepEqual(messages.slice(1), [{ type: 'export', format: 'json' }, { type: 'retry' }]);
    await screenshot(page, 'panel-dark-worker-crashed');
    // The restart's new run clears the banner.
    await send(page, runMessage(deepSigmoid, 2), { type: 'frames', runId: 2, frames: deepSigmoid.frames.slice(0, 2) });
    assert.equal(await page.isVisible('#error-banner'), false);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('shows a divergence banner with the epoch and a suggestion', async () => {
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(deepSigmoid), { type: 'frames', runId: 1, frames: deepSigmoid.frames.slice(0, 10) },
      { type: 'diverged', runId: 1, info: { epoch: 4, step: 130, message: 'loss became NaN.' } });
    assert.equal(await page.isVisible('#divergence-banner'), true);
    const text = await page.textContent('#divergence-message') ?? '';
    assert.match(text, /diverged at epoch 4, step 130: loss became NaN\. Try a smaller learning rate \(e\.g\. 0\.01\)/);
    assert.equal(await page.textContent('#run-state'), 'Diverged');
    await page.close();
  });

  it('ignores frames of an old run after a new one started', async () => {
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(deepSigmoid, 1), runMessage(circle, 2), { type: 'frames', runId: 1, frames: deepSigmoid.frames.slice(0, 5) });
    assert.equal(await page.evaluate(() => window.gradscopePanel.store.frames.length), 0);
    await send(page, { type: 'frames', runId: 2, frames: circle.frames.slice(0, 4) });
    assert.equal(await page.evaluate(() => window.gradscopePanel.store.frames.length), 4);
    await page.close();
  });

  it('draws a 100-layer net (sampled history lines, every layer in the bars and heatmap)', async () => {
    const deep = syntheticRun({ inputs: 2, hiddenLayers: 99, units: 64, activation: 'sigmoid', task: 'regression', frames: 300, seed: 9 });
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(deep));
    for (let i = 0; i < deep.frames.length; i += 50) await send(page, { type: 'frames', runId: 1, frames: deep.frames.slice(i, i + 50) });
    const stats = await page.evaluate(() => ({ ...window.gradscopeStats, frames: window.gradscopePanel.store.frames.length }));
    assert.equal(stats.frames, 300);
    const charts = await describeCharts(page);
    assert.equal(charts['chart-gradient'].labels.length, 100);
    assert.equal(charts['chart-saturation-history'].datasets.length, 8);
    const ink = await canvasInk(page, 'chart-gradient-history');
    assert.ok(ink.inked > 0.3, 'history heatmap blank');
    console.log(`      100 layers × ${stats.frames} frames: ${stats.renders} renders, last ${stats.lastRenderMs.toFixed(1)} ms, max ${stats.maxRenderMs.toFixed(1)} ms`);
    await screenshot(page, 'panel-dark-100-layers');
    await page.close();
  });
});
