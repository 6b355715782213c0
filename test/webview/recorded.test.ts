// The panel fed the messages a real run sent (recorded from the training worker by recordFixture.ts): the
// textbook pictures must come out of real numbers — vanishing gradients in the deep sigmoid stack, a curve
// over 1-D data, decision regions over the circle set.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { SnapshotFrame, ToWebview } from '../../src/protocol';
import { canvasInk, launchBrowser, openPanel, screenshot, send, type Theme } from './harness';

function recorded(name: string): ToWebview[] {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', `${name}.messages.json`), 'utf8')) as ToWebview[];
}

function framesOf(messages: ToWebview[]): SnapshotFrame[] {
  return messages.flatMap(m => (m.type === 'frames' ? m.frames : []));
}

describe('panel replaying recorded worker messages (headless chromium)', function () {
  let browser: Browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  for (const theme of ['dark', 'light'] as Theme[]) {
    it(`deep sigmoid on sine (${theme}): vanishing gradient, curve over the data`, async () => {
      const messages = recorded('deep-sigmoid-sine');
      const page = await openPanel(browser, theme);
      await send(page, ...messages);
      const frames = framesOf(messages);
      const last = frames[frames.length - 1].snapshot;
      const charts = await page.evaluate(() => window.gradscopePanel.describeCharts());
      // The gradient chart shows the worker's numbers, and they vanish towards the input.
      assert.deepEqual(charts['chart-gradient'].datasets[0].data, last.layers.map(l => l.gradNorm));
      const ratio = charts['chart-gradient-ratio'].datasets[0].data as number[];
      assert.equal(ratio[ratio.length - 1], 1);
      assert.ok(ratio[0] < 1e-3, `first layer ratio ${ratio[0]}`);
      const fn = charts['chart-function'];
      assert.equal(fn.datasets[2].label, 'network');
      assert.ok(fn.datasets[2].data.length >= 200);
      assert.equal(await page.getAttribute('#chart-function', 'data-mode'), 'curve');
      assert.match(await page.textContent('#status') ?? '', new RegExp(`^epoch ${last.epoch}/\\d+ · step ${last.step} · loss \\d`));
      for (const id of ['chart-function', 'chart-gradient', 'chart-gradient-ratio', 'chart-gradient-history', 'chart-saturation', 'chart-saturation-history', 'chart-distribution', 'chart-loss']) {
        const ink = await canvasInk(page, id);
        assert.ok(ink.inked > 0.02 && ink.colours > 3, `${id} looks blank (${theme}): ${JSON.stringify(ink)}`);
      }
      await screenshot(page, `recorded-deep-sigmoid-${theme}`);
      await page.close();
    });
  }

  it('deep ReLU on circle: decision regions and the layer strip from real probes', async () => {
    const messages = recorded('deep-relu-he-circle');
    const page = await openPanel(browser, 'dark');
    await send(page, ...messages);
    assert.equal(await page.getAttribute('#chart-function', 'data-mode'), 'grid');
    const ink = await canvasInk(page, 'chart-function');
    assert.ok(ink.inked > 0.5 && ink.colours > 20);
    const last = framesOf(messages).at(-1)?.snapshot;
    assert.ok(last !== undefined);
    assert.equal(await page.locator('.layer-chip').count(), last.layers.length);
    const label = await page.getAttribute('.layer-chip[data-layer="0"]', 'aria-label');
    assert.match(label ?? '', /^Layer 0, 32 units, relu, gradient norm \S+, saturation \S+%, dead \S+%$/);
    await screenshot(page, 'recorded-deep-relu-circle-dark');
    await page.close();
  });
});
