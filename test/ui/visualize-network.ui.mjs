// A person runs "Visualize Network" from the palette, picks a bundled example, and watches the charts fill in.
import assert from 'node:assert/strict';
import { readCanvases } from './workbench.mjs';

export const name = 'Visualize Network from the palette';
export const extension = 'development';

export const CHART_IDS = ['chart-function', 'chart-gradient', 'chart-gradient-history', 'chart-saturation', 'chart-distribution', 'chart-loss'];
// The bundled example to pick when the command asks for a source: the deep sigmoid stack tells the story best.
const EXAMPLE = /deep-sigmoid\.nn\.json/i;

/**
 * Answers the quick picks the command shows until the panel's page is there: in the first one the bundled example
 * (its workspace search may list it a moment after the pick opens), in any later one the first entry.
 */
export async function answerPicksUntilPanel(wb, picked) {
  const end = Date.now() + 60000;
  let examplePicked = false;
  while (Date.now() < end) {
    if (await wb.webviewContent().locator('#gradscope-panel').count().catch(() => 0)) return;
    let labels = await wb.quickPickLabels();
    if (labels.length === 0) {
      await wb.page.waitForTimeout(300);
      continue;
    }
    if (!examplePicked) {
      for (let i = 0; i < 30 && !labels.some(l => EXAMPLE.test(l)); i++) {
        await wb.page.waitForTimeout(300);
        labels = await wb.quickPickLabels();
      }
      const example = labels.find(l => EXAMPLE.test(l));
      if (!example) throw new Error(`the source quick pick does not list the bundled example; it shows: ${labels.join(' | ')}`);
      await wb.quickInputBox.fill('deep-sigmoid.nn.json');
      await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'deep-sigmoid.nn.json' }).first().waitFor({ timeout: 5000 });
      picked.push(example);
      examplePicked = true;
    } else {
      picked.push(labels[0]);
    }
    await wb.page.keyboard.press('Enter');
    await wb.page.waitForTimeout(500);
  }
  throw new Error(`the panel (#gradscope-panel) did not open; quick picks answered: ${picked.join(' → ') || 'none'}`);
}

/** @param {import('./workbench.mjs').Workbench} wb */
export async function run(wb) {
  await wb.step('run "Visualize Network" from the command palette (F1)', () => wb.runCommand('Visualize Network'));
  const picked = [];
  await wb.step('pick a bundled example and open the panel', () => answerPicksUntilPanel(wb, picked));
  wb.log(`    picked: ${picked.join(' → ') || '(no quick pick shown)'}`);
  const frame = await wb.step('find the panel page inside the webview (iframe.webview → #active-frame)', () => wb.webviewFrame('#gradscope-panel'));

  const first = await wb.step('every chart canvas is on the page and painted (scrolled into view)', async () => {
    // the panel draws only the charts in view, so look at each as a person scrolling down would
    const charts = [];
    for (const id of CHART_IDS) {
      const canvas = frame.locator(`#${id}`);
      if (await canvas.count() === 0) {
        charts.push({ id, present: false });
        continue;
      }
      await canvas.scrollIntoViewIfNeeded();
      let [chart] = await readCanvases(frame, [id]);
      for (let i = 0; i < 40 && chart.painted === 0; i++) {
        await wb.page.waitForTimeout(500);
        [chart] = await readCanvases(frame, [id]);
      }
      charts.push(chart);
    }
    const blank = charts.filter(c => !c.present || c.painted === 0).map(c => `${c.id}${c.present ? ' (blank)' : ' (missing)'}`);
    assert.deepEqual(blank, [], `charts missing or blank: ${blank.join(', ')}`);
    await frame.locator('#chart-function').scrollIntoViewIfNeeded();
    return charts;
  });
  for (const c of first) wb.log(`    ${c.id}: ${c.width}×${c.height}, ${(c.paintedShare * 100).toFixed(1)}% painted${c.label ? `, "${c.label.slice(0, 80)}"` : ''}`);

  const status = await wb.step('#status reports training progress', async () => {
    const statusLocator = frame.locator('#status');
    await statusLocator.waitFor({ timeout: 30000 });
    let text = '';
    for (let i = 0; i < 60 && !/\d/.test(text); i++) {
      text = (await statusLocator.innerText()).trim();
      if (!/\d/.test(text)) await wb.page.waitForTimeout(500);
    }
    assert.match(text, /\d/, `#status shows no figure: "${text}"`);
    return text;
  });
  wb.log(`    #status: "${status.replace(/\s+/g, ' ').slice(0, 160)}"`);

  await wb.screenshot('visualize-network');

  const waitForRedraw = async (before, seconds) => {
    for (let i = 0; i < seconds * 2; i++) {
      await wb.page.waitForTimeout(500);
      const now = await readCanvases(frame, CHART_IDS);
      const changed = now.filter((c, k) => c.painted > 0 && c.fingerprint !== before[k].fingerprint).map(c => c.id);
      if (changed.length) return changed;
    }
    return [];
  };
  const settledCharts = async () => {
    let previous = await readCanvases(frame, CHART_IDS);
    for (let i = 0; i < 20; i++) {
      await wb.page.waitForTimeout(500);
      const now = await readCanvases(frame, CHART_IDS);
      if (now.every((c, k) => c.fingerprint === previous[k].fingerprint)) return now;
      previous = now;
    }
    return previous;
  };

  await wb.step('Re-seed resets to a new network, and the charts redraw', async () => {
    const before = await readCanvases(frame, CHART_IDS);
    await frame.locator('#btn-reseed').click();
    const changed = await waitForRedraw(before, 30);
    assert.ok(changed.length > 0, 'no chart was redrawn within 30 s of Re-seed');
    wb.log(`    redrawn: ${changed.join(', ')}`);
  });

  await wb.step('Step epoch trains one epoch, and the charts follow', async () => {
    // should training run after Re-seed, pause it (Play toggles), so that only the click moves the charts
    const runState = (await frame.locator('#run-state').innerText().catch(() => '')).trim();
    if (/run|train/i.test(runState)) await frame.locator('#btn-play').click();
    const before = await settledCharts();
    const statusBefore = (await frame.locator('#status').innerText()).trim();
    await frame.locator('#btn-step-epoch').click();
    const changed = await waitForRedraw(before, 30);
    const statusAfter = (await frame.locator('#status').innerText()).trim();
    assert.ok(changed.length > 0, `no chart changed within 30 s of Step epoch (#status "${statusBefore}" → "${statusAfter}")`);
    assert.notEqual(statusAfter, statusBefore, '#status did not move on Step epoch');
    wb.log(`    #status: "${statusBefore}" → "${statusAfter}"; redrawn: ${changed.join(', ')}`);
  });
  await wb.step('the gradient card reads the vanishing gradient of the deep sigmoid stack', async () => {
    // the text the card shows under its title, e.g. "first layer gets 5.3e-7 × the output layer's gradient"
    const cardText = await frame.locator('section', { has: frame.locator('#chart-gradient') }).first().innerText();
    const ratio = /first layer gets\s+([0-9.eE+\-−]+)/.exec(cardText);
    assert.ok(ratio, `the gradient card states no first-to-output ratio: "${cardText.replace(/\s+/g, ' ').slice(0, 200)}"`);
    const value = Number(ratio[1].replace('−', '-'));
    wb.log(`    first layer's gradient / output layer's: ${value}`);
    assert.ok(value > 0 && value < 1e-2, `a 10-layer sigmoid stack should starve its first layer, but the ratio is ${value}`);
  });
  await wb.step('the "Where the gradient is lost" card in view, for the README', async () => {
    const card = frame.locator('section', { has: frame.locator('#chart-gradient-ratio') }).first();
    await card.scrollIntoViewIfNeeded();
    await frame.locator('#caption-gradient').waitFor({ timeout: 10000 });
    const caption = (await frame.locator('#caption-gradient').innerText()).trim();
    wb.log(`    caption: "${caption}"`);
    assert.match(caption, /^Layer \d+ passes on \S+ of the gradient it receives: σ′ averages [\d.e-]+ \(at most ¼\), the weights pass [\d.e-]+\.$/);
    await wb.page.waitForTimeout(500);
    await wb.screenshot('visualize-gradient-lost');
  });
}
