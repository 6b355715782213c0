// The HTML report (CLI --report, "Open as HTML report"): one self-contained file replaying a recorded run with
// the panel's own bundled code. Loaded from disk in headless chromium with the network cut off.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { loadReportAssets, renderReport, thinRun } from '../../src/visualize/report';
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
});
