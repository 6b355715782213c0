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
  await wb.screenshot('vsix-visualize-network');
}
