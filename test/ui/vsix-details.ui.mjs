// The installed extension's details page, as a user opens it from the Extensions view: the README renders there
// from inside the installed extension, so its pictures must be in the .vsix and load.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const name = 'installed .vsix: the details page shows the README pictures';
export const extension = 'vsix';

const readmeImages = [...fs.readFileSync(path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'README.md'), 'utf8')
  .matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map(m => path.basename(m[1]));

/** @param {import('./workbench.mjs').Workbench} wb */
export async function run(wb) {
  assert.ok(readmeImages.length > 0, 'the README has pictures');
  await wb.step('open the Extensions view (Show Installed Extensions)', () => wb.runCommand('Extensions: Show Installed Extensions'));
  await wb.step('open Gradscope\'s details page', async () => {
    const entry = wb.page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Gradscope' }).first();
    await entry.waitFor({ timeout: 60000 });
    await entry.click();
  });
  const frame = await wb.step('the README renders in the details page', () => wb.webviewFrame('img[src*="screenshots"]', 60000));
  const images = await wb.step('every README picture loads', async () => {
    // wait for the pictures to finish loading (or fail) before reading their sizes
    await frame.waitForFunction(() => [...document.images].every(img => img.complete), null, { timeout: 30000 });
    return frame.evaluate(() => [...document.images].map(img => ({ src: img.getAttribute('src') ?? '', width: img.naturalWidth, height: img.naturalHeight })));
  });
  for (const file of readmeImages) {
    const shown = images.find(img => img.src.includes(file));
    assert.ok(shown, `${file} is on the details page (images there: ${images.map(i => i.src).join(', ')})`);
    assert.ok(shown.width > 0 && shown.height > 0, `${file} did not load on the details page (${shown.src})`);
  }
  await wb.screenshot('vsix-details-page');
}
