// The packaged extension as a user gets it: the .vsix installed with `code-server --install-extension`, then
// "Visualize Network" run from the palette of a workbench that has no extension under development.
import assert from 'node:assert/strict';
import { answerPicksUntilPanel } from './visualize-network.ui.mjs';

export const name = 'installed .vsix runs Visualize Network';
export const extension = 'vsix';

/** @param {import('./workbench.mjs').Workbench} wb */
export async function run(wb) {
  await wb.step('run "Visualize Network" from the command palette (F1)', () => wb.runCommand('Visualize Network'));
  const picked = [];
  await wb.step('pick a bundled example and open the panel', () => answerPicksUntilPanel(wb, picked));
  const frame = await wb.step('the panel page is inside the webview', () => wb.webviewFrame('#gradscope-panel'));
  await wb.step('the panel has its charts', async () => {
    const canvases = await frame.locator('canvas').count();
    assert.ok(canvases > 0, 'no canvas in the panel');
  });
  // The first activation offers the walkthrough once, in a notification: the command that activated the extension
  // kept its quick pick (the step above: a walkthrough opened right away took the focus and closed it).
  await wb.step('a notification offers the walkthrough, and its button opens it', async () => {
    const toast = wb.page.locator('.notification-toast', { hasText: 'Why deep networks stop learning' }).first();
    await toast.waitFor({ timeout: 10000 });
    await toast.locator('.monaco-button', { hasText: 'Open the Walkthrough' }).first().click();
    await wb.page.locator('.tab[aria-label*="Welcome"]').first().waitFor({ timeout: 10000 });
  });
  await wb.screenshot('vsix-visualize-network');
}
