// A person runs "Visualize Network" from the palette, picks a bundled example, and watches the charts fill in.
import assert from 'node:assert/strict';
import { readCanvases } from './workbench.mjs';

export const name = 'Visualize Network from the palette';
export const extension = 'development';

export const CHART_IDS = ['chart-function', 'chart-gradient', 'chart-gradient-history', 'chart-saturation', 'chart-distribution', 'chart-loss'];
// The bundled example to pick when the command asks for a source: the deep sigmoid stack tells the story best.
const EXAMPLE = /deep[-_ ]?sigmoid/i;

/** Answers the quick picks the command shows (source, then preset) until the panel's page is there. */
export async function answerPicksUntilPanel(wb, picked) {
  const end = Date.now() + 60000;
  while (Date.now() < end) {
    if (await wb.webviewContent().locator('#gradscope-panel').count().catch(() => 0)) return;
    const labels = await wb.quickPickLabels();
    if (labels.length) {
      const example = labels.find(l => EXAMPLE.test(l));
      if (example && !picked.some(p => EXAMPLE.test(p))) {
        await wb.quickInputBox.fill(example.match(EXAMPLE)[0]);
        await wb.page.waitForTimeout(300);
      }
      picked.push(example && !picked.some(p => EXAMPLE.test(p)) ? example : labels[0]);
      await wb.page.keyboard.press('Enter');
      await wb.page.waitForTimeout(500);
      continue;
    }
    await wb.page.waitForTimeout(300);
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

  const first = await wb.step('every chart canvas is on the page and painted', async () => {
    let charts = [];
    for (let i = 0; i < 40; i++) {
      charts = await readCanvases(frame, CHART_IDS);
      if (charts.every(c => c.present && c.painted > 0)) break;
      await wb.page.waitForTimeout(500);
    }
    const blank = charts.filter(c => !c.present || c.painted === 0).map(c => `${c.id}${c.present ? ' (blank)' : ' (missing)'}`);
    assert.deepEqual(blank, [], `charts missing or blank: ${blank.join(', ')}`);
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

  await wb.step('the charts change as training proceeds', async () => {
    let changed = [];
    for (let i = 0; i < 30 && changed.length === 0; i++) {
      await wb.page.waitForTimeout(500);
      const now = await readCanvases(frame, CHART_IDS);
      changed = now.filter((c, k) => c.fingerprint !== first[k].fingerprint).map(c => c.id);
    }
    assert.ok(changed.length > 0, 'no chart changed within 15 s of training');
    wb.log(`    redrawn: ${changed.join(', ')}`);
  });
  await wb.screenshot('visualize-network');
}
