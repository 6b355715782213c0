// The panel in headless chromium: recorded snapshot messages in, and what each chart shows checked against
// the numbers that went in — in the light and the dark theme, with screenshots in test-artifacts/webview.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { RecordedRun } from '../../src/protocol';
import { canvasInk, launchBrowser, openPanel, pageErrors, posted, screenshot, send, settle, themeScript, type Theme } from './harness';
import { syntheticRun } from './syntheticRuns';
import path from 'node:path';
import { readRunLogFile } from '../../src/core/runs/runLog';
import { recordedRunOf } from '../../src/pytorchRuns/runRecording';
import type { ChartDescription } from '../../webview/visualize/main';

type Described = Record<string, ChartDescription>;

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

      it('shows where the gradient is lost: δ ratio under its bounds, factors whose product is the gain, the weight gradient beside', async () => {
        const charts = await describeCharts(page);
        const latest = deepSigmoid.frames[deepSigmoid.frames.length - 1].snapshot;
        const norms = charts['chart-gradient'];
        assert.equal(norms.scales.y.type, 'logarithmic');
        assert.equal(norms.scales.y.title, 'weight gradient ‖∂L/∂W‖');
        assert.deepEqual(norms.labels, latest.layers.map(l => `L${l.index}`));
        assert.deepEqual(norms.datasets[0].data, latest.layers.map(l => l.gradNorm));
        // The axis spans the decay: from below the first layer's norm to above the output's.
        assert.ok(norms.scales.y.min <= latest.layers[0].gradNorm && norms.scales.y.max >= latest.layers[10].gradNorm);
        // The cumulative ratio is the error signal's, ‖δ_i‖/‖δ_out‖, never above ∏ max σ′·‖W‖₂.
        const ratio = charts['chart-gradient-ratio'];
        assert.deepEqual(ratio.datasets.map(d => d.label), ['error signal ‖δ_i‖/‖δ_out‖', 'bound ∏ max f′·‖W‖₂', 'activations’ part ∏ ‖f′⊙g‖/‖g‖', 'bound ∏ max σ′ = ¼ per layer']);
        const out = latest.layers[10].deltaNorm;
        const [measured, rigorous, activationPart, activationBound] = ratio.datasets.map(d => d.data as number[]);
        latest.layers.forEach((layer, i) => {
          assert.ok(Math.abs(measured[i] - layer.deltaNorm / out) <= 1e-12 * measured[i]);
          assert.ok(measured[i] <= rigorous[i] * (1 + 1e-12), `layer ${i}: ${measured[i]} above the bound ${rigorous[i]}`);
          assert.ok(activationPart[i] <= activationBound[i] * (1 + 1e-12));
          assert.ok(Math.abs(activationBound[i] - 0.25 ** (10 - i)) <= 1e-15);
        });
        assert.equal(measured[10], 1);
        // Per hidden layer: floating bars from 1 whose product is the measured gain ‖δ_i‖/‖δ_{i+1}‖.
        const factors = charts['chart-gradient-factors'];
        assert.equal(factors.scales.y.type, 'logarithmic');
        assert.deepEqual(factors.labels, latest.layers.slice(0, -1).map(l => `L${l.index}`));
        assert.deepEqual(factors.legend, ['gain ‖δ_i‖/‖δ_{i+1}‖ (their product)', 'weights ‖g‖/‖δ next‖ (≤ ‖W‖₂)', 'activation ‖f′⊙g‖/‖g‖ (≤ max f′)']);
        const bars = factors.datasets.slice(0, 5).map(d => d.data as unknown as ([number, number] | null)[]);
        const gains = factors.datasets[5].data as number[];
        latest.layers.slice(0, -1).forEach((layer, i) => {
          const product = bars.reduce((p, bar) => (bar[i] === null ? p : p * (bar[i] as [number, number])[1]), 1);
          bars.forEach(bar => { if (bar[i] !== null) assert.equal((bar[i] as [number, number])[0], 1); });
          const measuredGain = layer.deltaNorm / latest.layers[i + 1].deltaNorm;
          assert.ok(Math.abs(product - measuredGain) <= 1e-12 * measuredGain, `layer ${i}: bars multiply to ${product}, gain ${measuredGain}`);
          assert.ok(Math.abs(gains[i] - measuredGain) <= 1e-12 * measuredGain);
          assert.ok((bars[1][i] as [number, number])[1] <= 0.25, 'σ′ factor above ¼');
        });
        const note = await page.textContent('#note-gradient');
        assert.match(note ?? '', /first layer gets \d\.\d+e-\d+ × the output layer’s error signal δ/);
        // The sentence under the chart names the layer that passes on the least, from the numbers.
        const hidden = latest.layers.slice(0, -1);
        const weakest = hidden.reduce((a, b) => (b.deltaNorm / latest.layers[b.index + 1].deltaNorm < a.deltaNorm / latest.layers[a.index + 1].deltaNorm ? b : a));
        const split = weakest.backward as { gain: number; activationFactor: number; weightFactor: number };
        const caption = await page.textContent('#caption-gradient') ?? '';
        assert.equal(caption, `Layer ${weakest.index} passes on ${Math.round(split.gain * 100)}% of the gradient it receives: σ′ averages ${Number(split.activationFactor.toPrecision(2))} (at most ¼), the weights pass ${Number(split.weightFactor.toPrecision(2))}.`);
        for (const id of ['chart-gradient', 'chart-gradient-ratio', 'chart-gradient-factors']) {
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
          const area = window.gradscopePanel.describeCharts()['chart-gradient-history'].area;
          const plot = { left: area.left, top: area.top, width: area.right - area.left, height: area.bottom - area.top };
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
        // A sigmoid net: saturated tails, no "inactive" (that is the ReLU family's flat side).
        assert.deepEqual(bars.legend, ['saturated low', 'saturated high', 'dead', 'active']);
        const latest = deepSigmoid.frames[deepSigmoid.frames.length - 1].snapshot;
        latest.layers.forEach((layer, i) => {
          const total = bars.datasets.reduce((sum, d) => sum + (d.data[i] as number), 0);
          assert.ok(Math.abs(total - 1) < 1e-12, `layer ${i} stacks to ${total}`);
          // The output layer has no activation after it: all active.
          assert.ok(Math.abs((bars.datasets[1].data[i] as number) - (layer.lowSlopeKind === 'none' ? 0 : layer.saturatedHigh)) < 1e-12);
        });
        assert.equal(bars.datasets[3].data[2], 0.05);
        const history = charts['chart-saturation-history'];
        assert.deepEqual(history.datasets.map(d => d.label), ['L0', 'L1', 'L3', 'L4', 'L6', 'L7', 'L9', 'L10']);
        // Every drawn layer has its own colour, and the legend says which layers are not drawn.
        assert.equal(new Set(history.datasets.map(d => d.color)).size, 8);
        assert.equal(history.legendTitle, '8 of 11 layers; not drawn: L2, L5, L8');
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
      const area = window.gradscopePanel.describeCharts()['chart-function'].area;
      const plot = { left: area.left, top: area.top, width: area.right - area.left, height: area.bottom - area.top };
      const at = (fx: number, fy: number) => Array.from(ctx.getImageData(Math.round(plot.left + fx * plot.width), Math.round(plot.top + fy * plot.height), 1, 1).data);
      return { centre: at(0.5, 0.5), corner: at(0.03, 0.03) };
    });
    // Light theme: class 0 is blue (#1a85ff), class 1 orange (#d18616): the centre is redder, the corner bluer.
    assert.ok(colours.centre[0] > colours.centre[2], `centre ${colours.centre}`);
    assert.ok(colours.corner[2] > colours.corner[0], `corner ${colours.corner}`);
    assert.match(await page.textContent('#note-function') ?? '', /decision regions over x1 × x2; points are the data \(rings: validation\)$/);
    // The map's axes tick at round, evenly spaced values inside it, never at its edges (chart.js's "-2.13 … 2.07").
    const map = (await describeCharts(page))['chart-function'];
    for (const axis of ['x', 'y'] as const) {
      const values = map.scales[axis].tickLabels.map(Number);
      assert.ok(values.length >= 3 && values.every(Number.isFinite), map.scales[axis].tickLabels.join(' '));
      const step = values[1] - values[0];
      values.forEach((v, i) => assert.ok(Math.abs(v - values[0] - i * step) < 1e-9 && Math.abs(v / step - Math.round(v / step)) < 1e-9, `${axis}: ${values.join(' ')}`));
      assert.ok(values[0] >= map.scales[axis].min && values.at(-1)! <= map.scales[axis].max);
    }
    await screenshot(page, 'panel-light-two-inputs');
    await page.close();
  });

  it('says how many data points it leaves out when it draws a sample of them', async () => {
    const drawn = circle.meta.points.y.length;
    const sampled = { ...circle, meta: { ...circle.meta, points: { ...circle.meta.points, total: drawn * 5 } } };
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(sampled), { type: 'frames', runId: 1, frames: circle.frames });
    assert.match(await page.textContent('#note-function') ?? '', new RegExp(`^decision regions over x1 × x2; points are the data \\(rings: validation\\) \\(${drawn} of ${drawn * 5} data points drawn\\)$`));
    const groups = (await describeCharts(page))['chart-function'].datasets.reduce((t, d) => t + d.data.length, 0);
    assert.equal(groups, drawn, 'every point it has is drawn');
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
    // The worker measures a sample of the rows; the note says how many of them the chart shows.
    const rows = wide.meta.points.y.length;
    assert.ok(view.predicted.length < rows, `${view.predicted.length} pairs of ${rows} rows`);
    assert.match(await page.textContent('#note-function') ?? '', new RegExp(` \\(${view.predicted.length} of ${rows} data points drawn\\)$`));
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
    assert.ok(text.includes(`weight gradient ‖∂L/∂W‖${layer.gradNorm.toExponential(2).replace(/e([+-])(\d+)/, (_, s, d) => `e${s === '-' ? '-' : ''}${Number(d)}`)}`), text);
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

  it('draws no sigmoid reference on a ReLU net: the bounds follow its own activations', async () => {
    const relu = syntheticRun({ inputs: 1, hiddenLayers: 6, units: 16, activation: 'relu', task: 'regression', frames: 12, seed: 4 });
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(relu), { type: 'frames', runId: 1, frames: relu.frames });
    const charts = await describeCharts(page);
    const ratio = charts['chart-gradient-ratio'];
    const labels = [...ratio.datasets.map(d => d.label), ...ratio.legend].join(' | ');
    assert.doesNotMatch(labels, /sigmoid|σ|¼/, labels);
    assert.equal(ratio.datasets[3].label, 'bound ∏ max ReLU′ = 1 per layer');
    // A bound shares its curve's colour: the legend draws it dashed (dotted) as the chart does, the measured lines solid.
    assert.deepEqual(ratio.legendDash, [[], [5, 4], [], [2, 3]]);
    // ReLU′ ≤ 1: the activations' bound is 1 at every layer, not ¼ⁿ.
    assert.deepEqual(ratio.datasets[3].data, relu.meta.layers.map(() => 1));
    const latest = relu.frames[relu.frames.length - 1].snapshot;
    const measured = ratio.datasets[0].data as number[];
    const rigorous = ratio.datasets[1].data as number[];
    measured.forEach((value, i) => assert.ok(value <= rigorous[i] * (1 + 1e-12), `layer ${i}`));
    assert.match(await page.textContent('#caption-gradient') ?? '', /^Layer \d passes on \d+% of the gradient it receives: ReLU′ averages 0\.\d+ \(at most 1\), the weights pass 0\.\d+\.$/);
    // Its saturation chart says "inactive (zero slope)" for the flat side, and never "saturated".
    const bars = charts['chart-saturation'];
    assert.deepEqual(bars.legend, ['inactive (zero slope)', 'dead', 'active']);
    const stack = bars.datasets[2].data as number[];
    assert.ok(Math.abs(stack[1] - (latest.layers[1].inactiveLow + latest.layers[1].inactiveHigh - latest.layers[1].dead)) < 1e-12);
    assert.ok(stack[1] > 0.1);
    assert.equal(charts['chart-saturation-history'].scales.y.title, 'inactive or dead');
    await page.hover('.layer-chip[data-layer="2"]');
    await page.waitForSelector('#layer-tooltip:not([hidden])');
    const card = await page.textContent('#layer-tooltip') ?? '';
    const split = latest.layers[2].backward as { gain: number; activationFactor: number; weightFactor: number };
    const f = (v: number) => String(Number(v.toPrecision(3)));
    assert.ok(card.includes(`gain ‖δ‖ ÷ next layer’sReLU′ ${f(split.activationFactor)} × W ${f(split.weightFactor)} = ${f(split.gain)}`), card);
    assert.match(card, /inactive \(zero slope\)\d/);
    await screenshot(page, 'panel-dark-relu');
    await page.close();
  });

  it('scrubs the live run: while paused the slider moves every chart to the chosen snapshot; Play returns to the present', async () => {
    const page = await openPanel(browser, 'light');
    await send(page, runMessage(deepSigmoid), { type: 'state', runId: 1, state: 'running' }, { type: 'frames', runId: 1, frames: deepSigmoid.frames });
    assert.equal(await page.isDisabled('#replay-slider'), true, 'the slider waits for a pause');
    await send(page, { type: 'state', runId: 1, state: 'paused' });
    assert.equal(await page.isDisabled('#replay-slider'), false);
    const k = 23;
    const shown = deepSigmoid.frames[k].snapshot;
    await page.locator('#replay-slider').fill(String(k));
    await settle(page);
    const charts = await describeCharts(page);
    assert.deepEqual(charts['chart-gradient'].datasets[0].data, shown.layers.map(l => l.gradNorm));
    assert.deepEqual(charts['chart-gradient-ratio'].datasets[0].data, shown.layers.map(l => l.deltaNorm / shown.layers[10].deltaNorm));
    assert.deepEqual(charts['chart-gradient-factors'].datasets[5].data, shown.layers.slice(0, -1).map(l => l.backward?.gain));
    const loss = charts['chart-loss'].datasets[0].data as { x: number; y: number }[];
    assert.equal(loss.length, k + 1);
    assert.equal(loss[k].x, shown.step);
    assert.deepEqual(charts['chart-saturation'].datasets[1].data, shown.layers.map(l => (l.lowSlopeKind === 'none' ? 0 : l.saturatedHigh)));
    const history = charts['chart-saturation-history'].datasets[0].data as { x: number }[];
    assert.equal(history[history.length - 1].x, shown.step);
    const median = charts['chart-distribution'].datasets[4].data as { x: number; y: number }[];
    assert.equal(median.length, k + 1);
    assert.equal(await page.getAttribute('#chart-gradient-history', 'data-columns'), String(k + 1));
    // The function: the view recorded at or before the chosen snapshot (views come every fifth frame here).
    const view = deepSigmoid.frames.slice(0, k + 1).reverse().find(frame => frame.view !== undefined)?.view;
    assert.ok(view?.kind === 'curve');
    const curve = charts['chart-function'].datasets[2].data as { x: number; y: number }[];
    assert.equal(curve[57].y, view.ys[0][57]);
    assert.match(await page.textContent('#replay-label') ?? '', new RegExp(`step ${shown.step} of ${deepSigmoid.frames.at(-1)?.snapshot.step} — Play returns to the present`));
    assert.match(await page.textContent('#status') ?? '', new RegExp(`step ${shown.step} `));
    await screenshot(page, 'panel-light-scrubbed');
    await page.click('#btn-play');
    await settle(page);
    const after = await describeCharts(page);
    const last = deepSigmoid.frames[deepSigmoid.frames.length - 1].snapshot;
    assert.deepEqual(after['chart-gradient'].datasets[0].data, last.layers.map(l => l.gradNorm));
    assert.equal((after['chart-loss'].datasets[0].data as unknown[]).length, deepSigmoid.frames.length);
    assert.equal(await page.inputValue('#replay-slider'), String(deepSigmoid.frames.length - 1));
    await page.close();
  });

  it('labels the gradient history colour bar in powers of ten, like the log axes', async () => {
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(deepSigmoid), { type: 'frames', runId: 1, frames: deepSigmoid.frames });
    const history = (await describeCharts(page))['chart-gradient-history'];
    const bar = history.scales.c;
    assert.equal(bar.type, 'logarithmic');
    const logs = deepSigmoid.frames.flatMap(f => f.snapshot.layers.map(l => Math.log10(l.gradNorm)));
    assert.ok(Math.abs(Math.log10(bar.min) - Math.min(...logs)) < 1e-9 && Math.abs(Math.log10(bar.max) - Math.max(...logs)) < 1e-9);
    const labels = bar.tickLabels.filter(label => label !== '');
    assert.ok(labels.length >= 3, JSON.stringify(bar.tickLabels));
    for (const label of labels) {
      assert.match(label, /^(1|0\.1|0\.01|10|100|1000|1e-?\d+)$/, `colour bar label ${label}`);
      const exponent = Math.log10(Number(label));
      assert.ok(Math.abs(exponent - Math.round(exponent)) < 1e-9, label);
    }
    // The axes are chart.js scales too: layers on y, steps on x, each label once.
    assert.deepEqual(history.scales.y.tickLabels, ['L0', 'L2', 'L4', 'L6', 'L8', 'L10']);
    const steps = history.scales.x.tickLabels;
    assert.equal(new Set(steps).size, steps.length, steps.join(' '));
    assert.equal(steps[0], String(deepSigmoid.frames[0].snapshot.step));
    await page.close();
  });

  it('reads right at step 0: one snapshot gives the step axes distinct integer ticks', async () => {
    const first = { ...deepSigmoid.frames[0], snapshot: { ...deepSigmoid.frames[0].snapshot, step: 0, epoch: 0 } };
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(deepSigmoid), { type: 'frames', runId: 1, frames: [first] });
    const charts = await describeCharts(page);
    for (const id of ['chart-loss', 'chart-saturation-history', 'chart-distribution']) {
      const labels = charts[id].scales.x.tickLabels.filter(label => label !== '');
      assert.equal(new Set(labels).size, labels.length, `${id}: ${labels.join(' ')}`);
      assert.ok(labels.every(label => /^\d+$/.test(label)), `${id}: ${labels.join(' ')}`);
      assert.ok(charts[id].scales.x.min >= 0);
    }
    await page.close();
  });

  it('says when the output is flat: the curve and the decision map', async () => {
    const flatCurve = deepSigmoid.frames.slice(0, 5).map((frame, i) => (i === 4 && frame.view?.kind === 'curve'
      ? { ...frame, view: { ...frame.view, ys: [frame.view.xs.map(() => 0.0312)] } } : frame));
    let page = await openPanel(browser, 'dark');
    await send(page, runMessage(deepSigmoid), { type: 'frames', runId: 1, frames: flatCurve });
    assert.equal(await page.textContent('#note-function'), 'the network predicts y ≈ 0.0312 over x1 (it varies by less than 1% of the data’s range)');
    await page.close();
    const flatMap = circle.frames.slice(0, 5).map((frame, i) => (i === 4 && frame.view?.kind === 'grid'
      ? { ...frame, view: { ...frame.view, values: frame.view.values.map((_, j) => 0.5 + 0.001 * Math.sin(j)) } } : frame));
    page = await openPanel(browser, 'light');
    await send(page, runMessage(circle), { type: 'frames', runId: 1, frames: flatMap });
    assert.equal(await page.textContent('#note-function'), 'the network predicts P(inside) ≈ 0.50 everywhere over x1 × x2: the output is flat, so the map is one colour until it learns');
    // Once it learns, the note says what the map is again.
    await send(page, { type: 'frames', runId: 1, frames: circle.frames.slice(5) });
    assert.match(await page.textContent('#note-function') ?? '', /^decision regions over x1 × x2/);
    await page.close();
  });

  it('says when a recording has no backward split, and draws no reference it does not have', async () => {
    const old = syntheticRun({ inputs: 1, hiddenLayers: 4, units: 8, activation: 'sigmoid', task: 'regression', frames: 6, withoutBackward: true });
    const page = await openPanel(browser, 'dark');
    await send(page, runMessage(old), { type: 'frames', runId: 1, frames: old.frames });
    const ratio = (await describeCharts(page))['chart-gradient-ratio'];
    assert.deepEqual(ratio.legend, ['error signal ‖δ_i‖/‖δ_out‖']);
    assert.deepEqual(ratio.datasets[3].data.slice(0, 4), [null, null, null, null]);
    assert.match(await page.textContent('#caption-gradient') ?? '', /no slope × weights split/);
    await page.close();
  });
});

describe('Gradscope panel watching a PyTorch run (webview, headless chromium)', function () {
  let browser: Browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  it('labels layers with the module names, hides the training controls, and says the run ended', async () => {
    // The committed run written by python/gradscope, read by the core's reader as the host reads it.
    const file = path.join(__dirname, '..', 'unit', 'pytorch', 'fixtures', 'sigmoid-mlp.jsonl');
    const run = recordedRunOf(readRunLogFile(file), file);
    const page = await openPanel(browser, 'dark');
    await send(page, { ...runMessage(run), frames: run.frames },
      { type: 'state', runId: 1, state: 'done', detail: 'the run ended (close) after 11 steps' },
      { type: 'notes', runId: 1, notes: [...run.meta.notes, '⚠ Vanishing gradient at step 10: module 0 (8 sigmoid)'] });
    await settle(page);
    assert.deepEqual(await page.locator('.layer-chip-name').allTextContents(), ['0', '2', '4']);
    const charts = await describeCharts(page);
    assert.deepEqual(charts['chart-gradient'].labels, ['0', '2', '4']);
    const last = run.frames.at(-1)!.snapshot;
    assert.deepEqual(charts['chart-gradient'].datasets[0].data, last.layers.map(l => l.gradNorm));
    assert.deepEqual(charts['chart-saturation'].labels, ['0', '2', '4']);
    assert.equal(await page.textContent('#run-state'), 'Ended');
    assert.match(await page.textContent('#status') ?? '', /^step 10 · loss 1\.05 · the run ended \(close\) after 11 steps$/);
    assert.match(await page.textContent('#notes') ?? '', /Vanishing gradient at step 10: module 0/);
    // gradscope 0.2 logs what the split needs (δ per module, the activations' gradients, ‖W‖₂): the card has it, from
    // the run's own numbers, and no note says it is missing.
    assert.doesNotMatch(await page.textContent('#notes') ?? '', /needs ‖∂L\/∂z‖/);
    assert.ok(last.layers[1].backward !== undefined && last.layers[1].backward.gain! < last.layers[0].backward!.gain!);
    assert.match(await page.textContent('#caption-gradient') ?? '', /^Layer 1 passes on [\d.]+% of the gradient it receives: σ′ averages [\d.]+ \(at most ¼\), the weights pass [\d.]+\.$/);
    assert.equal(await page.isVisible('#btn-play'), false);
    assert.equal(await page.isVisible('#card-function'), false);
    assert.equal(await page.isVisible('#btn-export-html'), true);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });
});
