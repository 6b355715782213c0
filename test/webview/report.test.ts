// The HTML report (CLI --report, "Open as HTML report"): one self-contained file replaying a recorded run with
// the panel's own bundled code. Loaded from disk in headless chromium with the network cut off.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { loadReportAssets, recordedLandscape, renderReport, thinRun } from '../../src/visualize/report';
import { generateBuiltinDataset } from '../../src/core/data/builtinDatasets';
import { prepareData } from '../../src/core/data/prepare';
import { Trainer } from '../../src/core/nn/trainer';
import { ARTIFACTS, ROOT, canvasInk, launchBrowser, pageErrors, settle } from './harness';
import { syntheticRun } from './syntheticRuns';

describe('HTML report (headless chromium, offline)', function () {
  let browser: Browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  it('is one file that replays the run with every chart, offline', async () => {
    const run = syntheticRun({ inputs: 1, hiddenLayers: 6, units: 16, activation: 'sigmoid', task: 'regression', frames: 40, overfitFrom: 0.5, title: 'Report </script><b>test</b>' });
    run.meta.notes.push('a note with </script> inside');
    const html = renderReport(run, loadReportAssets(ROOT), { theme: 'light' });
    // Self-contained: no external script, stylesheet or image reference.
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+stylesheet|<img[^>]+src="http/);
    // theme picker, run data, the page's words (strings block) and the bundle: no other </script> got through
    assert.equal((html.match(/<\/script>/g) ?? []).length, 4);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'report.html');
    fs.writeFileSync(file, html);
    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 1500 } });
    const requests: string[] = [];
    const page = await context.newPage();
    page.on('request', request => requests.push(request.url()));
    const errors: string[] = [];
    page.on('pageerror', error => errors.push(String(error)));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => window.gradscopePanel !== undefined);
    await settle(page);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.filter(url => !url.startsWith('file:') && !url.startsWith('data:') && !url.startsWith('blob:')), []);
    assert.equal(await page.textContent('#run-title'), 'Report </script><b>test</b>');
    assert.equal(await page.textContent('#run-state'), 'Done');
    const last = run.frames[run.frames.length - 1].snapshot;
    assert.match(await page.textContent('#status') ?? '', new RegExp(`epoch ${last.epoch}/20 · step ${last.step} ·`));
    // Training controls are hidden; view and export controls stay.
    assert.equal(await page.isVisible('#btn-play'), false);
    assert.equal(await page.isVisible('#btn-scale'), true);
    for (const id of ['chart-function', 'chart-gradient', 'chart-gradient-ratio', 'chart-gradient-history', 'chart-saturation', 'chart-saturation-history', 'chart-distribution', 'chart-loss']) {
      const ink = await canvasInk(page, id);
      assert.ok(ink.inked > 0.02, `${id} is blank in the report`);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-light.png'), fullPage: true });
    // The replay slider goes back in time: status and loss chart follow.
    await page.fill('#replay-slider', '9');
    await settle(page);
    const at = run.frames[9].snapshot;
    assert.match(await page.textContent('#status') ?? '', new RegExp(`step ${at.step} ·`));
    const lossPoints = await page.evaluate(() => window.gradscopePanel.describeCharts()['chart-loss'].datasets[0].data.length);
    assert.equal(lossPoints, 10);
    assert.deepEqual(pageErrors(page), []);
    await context.close();
  });

  it('thins long runs: at most maxFrames snapshots and maxViews views, first and last kept', () => {
    const run = syntheticRun({ inputs: 1, hiddenLayers: 2, units: 4, activation: 'tanh', task: 'regression', frames: 500 });
    const thinned = thinRun(run, 100, 10);
    assert.equal(thinned.frames.length, 100);
    assert.equal(thinned.frames[0].snapshot, run.frames[0].snapshot);
    assert.equal(thinned.frames[99].snapshot, run.frames[499].snapshot);
    const views = thinned.frames.filter(f => f.view !== undefined).length;
    assert.ok(views <= 10 && views >= 5, `${views} views`);
    assert.notEqual(thinned.frames[99].view, undefined);
  });

  it('includes the loss landscape of the trained weights (--landscape): a heatmap on chart.js scales with θ and the minimum', async () => {
    // A real landscape: the engine's own, around a small net trained a few steps on the sine set.
    const data = prepareData(generateBuiltinDataset('sine', { samples: 120, seed: 1 }), { validation: 0.2, normalize: true, seed: 1 });
    const trainer = new Trainer({
      network: { inputs: 1, layers: [{ type: 'linear', units: 8 }, { type: 'activation', name: 'tanh' }, { type: 'linear', units: 1 }] },
      loss: 'mse', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 16, epochs: 2, seed: 1,
    }, data);
    trainer.runSteps(10);
    const landscape = recordedLandscape(trainer.network, 'mse', data.train);
    assert.ok(landscape !== undefined);
    assert.equal(landscape.rows.length, 41);
    const run = { ...syntheticRun({ inputs: 1, hiddenLayers: 1, units: 8, activation: 'tanh', task: 'regression', frames: 5 }), landscape };
    const file = path.join(ARTIFACTS, 'report-landscape.html');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(file, renderReport(run, loadReportAssets(ROOT), { theme: 'dark' }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 2400 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => window.gradscopePanel !== undefined);
    await settle(page);
    assert.deepEqual(pageErrors(page), []);
    const chart = (await page.evaluate(() => window.gradscopePanel.describeCharts()))['chart-landscape'];
    assert.ok(chart !== undefined, 'no landscape chart');
    assert.equal(chart.scales.c.type, 'logarithmic');
    assert.ok(Math.abs(chart.scales.c.min - landscape.min.loss) <= 1e-9 * landscape.min.loss);
    assert.ok(Math.abs(chart.scales.c.max - landscape.max) <= 1e-9 * landscape.max);
    assert.deepEqual(chart.datasets.map(d => d.label), ['θ (the trained weights)', 'lowest cell']);
    // α and β at round ticks inside ±range, the colour bar at powers of ten.
    assert.deepEqual(chart.scales.x.tickLabels, ['-1', '-0.5', '0', '0.5', '1']);
    assert.deepEqual(chart.scales.y.tickLabels, ['-1', '-0.5', '0', '0.5', '1']);
    for (const label of chart.scales.c.tickLabels.filter(Boolean)) assert.ok(Math.abs(Math.log10(Number(label)) - Math.round(Math.log10(Number(label)))) < 1e-9 || chart.scales.c.max / chart.scales.c.min < 10, label);
    assert.deepEqual(chart.datasets[1].data, [{ x: landscape.min.alpha, y: landscape.min.beta }]);
    assert.match(await page.textContent('#note-landscape') ?? '', new RegExp(`^loss at θ ${String(Number(landscape.lossAtTheta.toPrecision(3))).replace('.', '\\.')};`));
    const ink = await canvasInk(page, 'chart-landscape');
    assert.ok(ink.inked > 0.3 && ink.colours > 20, JSON.stringify(ink));
    await page.locator('#card-landscape').screenshot({ path: path.join(ARTIFACTS, 'report-landscape.png') });
    await page.close();
  });
});
