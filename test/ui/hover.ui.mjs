// A person opens a PyTorch model and rests the mouse on nn.Sigmoid: the hover shows the curve and its peak slope.
import assert from 'node:assert/strict';

export const name = 'hover nn.Sigmoid in a Python file';
export const extension = 'development';

/** @param {import('./workbench.mjs').Workbench} wb */
export async function run(wb) {
  await wb.step('open model.py with Ctrl+P', () => wb.openFile('model.py'));
  const text = await wb.step('hover "Sigmoid" and read .monaco-hover', () => wb.hoverWord('Sigmoid', '0.25'));
  wb.log(`    hover: "${text.replace(/\s+/g, ' ').slice(0, 200)}"`);
  await wb.step('the hover names sigmoid and its largest slope 0.25', async () => {
    assert.match(text, /sigmoid/i);
    assert.match(text, /0\.25/);
  });
  await wb.screenshot('hover-sigmoid');
  await wb.page.keyboard.press('Escape');
}
