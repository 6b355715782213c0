// A person runs "Universal Approximation" from the palette, picks Nielsen's function, drags a step on the chart
// with the mouse and sees the error change; then moves a bump's height with the keyboard.
import assert from 'node:assert/strict';

export const name = 'Universal Approximation: drag a step, the error changes';
export const extension = 'development';

/** @param {import('./workbench.mjs').Workbench} wb */
export async function run(wb) {
  await wb.step('run "Universal Approximation" from the command palette (F1)', () => wb.runCommand('Universal Approximation'));
  await wb.step("pick Nielsen's function in the data quick pick", async () => {
    for (let i = 0; i < 40 && !(await wb.quickPickLabels()).some(l => /Nielsen/.test(l)); i++) await wb.page.waitForTimeout(300);
    await wb.quickInputBox.fill('Nielsen');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: "Nielsen's function" }).first().waitFor({ timeout: 5000 });
    await wb.page.keyboard.press('Enter');
  });
  const frame = await wb.step('find the panel page inside the webview', () => wb.webviewFrame('#main-canvas'));
  const mse = async () => Number((await frame.locator('#mse').innerText()).trim());
  const first = await wb.step('the error of the built network is shown', async () => {
    let value = NaN;
    for (let i = 0; i < 40 && !(value > 0); i++) {
      value = await mse().catch(() => NaN);
      if (!(value > 0)) await wb.page.waitForTimeout(250);
    }
    assert.ok(value > 0, `#mse shows ${value}`);
    return value;
  });
  wb.log(`    MSE of 10 built bumps: ${first}`);

  const dragged = await wb.step('drag bump 4\'s left step 80 px to the right: the error changes', async () => {
    const handle = frame.locator('#handles button[data-index="9"]');
    const box = await handle.boundingBox();
    assert.ok(box, 'the step handle has a place on screen');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await wb.page.mouse.move(x, y);
    await wb.page.mouse.down();
    for (let dx = 10; dx <= 80; dx += 10) await wb.page.mouse.move(x + dx, y);
    await wb.page.mouse.up();
    let value = await mse();
    for (let i = 0; i < 20 && value === first; i++) {
      await wb.page.waitForTimeout(200);
      value = await mse();
    }
    assert.notEqual(value, first, 'the error did not change after the drag');
    assert.ok(value > first, `moving a built step off its place makes the error worse: ${first} → ${value}`);
    assert.match(await frame.locator('#weights').innerText(), /Bump 4/);
    return value;
  });
  wb.log(`    after the drag: ${dragged}`);
  await wb.screenshot('universal-approximation');

  await wb.step('Tab to a height handle and press ArrowUp: the error changes again', async () => {
    await frame.locator('#handles button[data-index="4"]').focus();
    await wb.page.keyboard.press('Shift+ArrowUp');
    const value = await mse();
    assert.notEqual(value, dragged);
  });
}
