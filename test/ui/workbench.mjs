// What a person does in the VS Code workbench, as playwright-core steps: run a command from the palette, answer
// quick picks, open a file, hover a word, look inside a webview. Used by the scenarios in test/ui/*.ui.mjs.
import fs from 'node:fs';
import path from 'node:path';

export class StepFailure extends Error {
  constructor(step, cause) {
    super(`step "${step}" failed: ${cause instanceof Error ? cause.message.split('\n')[0] : cause}`);
    this.step = step;
    this.cause = cause;
  }
}

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page, artifactsDir, log) {
    this.page = page;
    this.artifactsDir = artifactsDir;
    this.log = log;
    this.quickInput = page.locator('.quick-input-widget');
    this.quickInputBox = page.locator('.quick-input-widget input');
  }

  /** Runs fn as a named step; a failure names the step, and a screenshot shows the screen at that moment. */
  async step(name, fn) {
    const t0 = Date.now();
    try {
      const value = await fn();
      this.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
      return value;
    } catch (err) {
      this.log(`  ✗ ${name} (${Date.now() - t0} ms)`);
      await this.screenshot(`failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => {});
      throw err instanceof StepFailure ? err : new StepFailure(name, err);
    }
  }

  async screenshot(name) {
    fs.mkdirSync(this.artifactsDir, { recursive: true });
    const file = path.join(this.artifactsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async waitForWorkbench() {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    // the status bar shows once the workbench is restored and the remote extension host is connecting
    await this.page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 90000 });
  }

  /**
   * F1, type the command's title, Enter. Commands contributed by an extension show in the palette only once the
   * extension host registered them, and a palette opened too early never refreshes: close and reopen until listed.
   */
  async runCommand(title, timeoutMs = 120000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      await this.page.keyboard.press('F1');
      await this.quickInputBox.waitFor({ timeout: 10000 });
      await this.quickInputBox.fill(`>${title}`);
      const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      try {
        await row.waitFor({ timeout: 2000 });
        await this.page.keyboard.press('Enter');
        await this.paletteClosed();
        return;
      } catch (err) {
        if (Date.now() > end) throw new Error(`"${title}" never appeared in the command palette within ${timeoutMs / 1000} s`);
        await this.page.keyboard.press('Escape');
        await this.page.waitForTimeout(1000);
      }
    }
  }

  /** Waits until the command palette (input starting with ">") gave way: hidden, or replaced by the command's own pick. */
  async paletteClosed(timeoutMs = 5000) {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (!(await this.quickInput.isVisible())) return;
      if (!(await this.quickInputBox.inputValue().catch(() => '')).startsWith('>')) return;
      await this.page.waitForTimeout(100);
    }
  }

  /** Labels of the rows the open quick pick shows (empty when none is open). */
  async quickPickLabels() {
    if (!(await this.quickInput.isVisible())) return [];
    return this.page.locator('.quick-input-list .monaco-list-row').evaluateAll(rows => rows.map(r => (r.getAttribute('aria-label') ?? r.textContent ?? '').trim()));
  }

  /** Ctrl+P, the file's name, Enter; waits for its editor. */
  async openFile(fileName) {
    await this.page.keyboard.press('Control+P');
    await this.quickInputBox.waitFor({ timeout: 10000 });
    await this.quickInputBox.fill(fileName);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ timeout: 20000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tab.active[aria-label*="${fileName}"], .tab.active:has-text("${fileName}")`).first().waitFor({ timeout: 20000 });
    await this.page.locator('.editor-instance .view-line').first().waitFor({ timeout: 20000 });
  }

  /** Puts the mouse on the first occurrence of `word` in the editor until a hover containing `expected` shows. */
  async hoverWord(word, expected, attempts = 6) {
    // the word on its own (Sigmoid in nn.Sigmoid, not in DeepSigmoid)
    const wordPattern = new RegExp(`(^|[^A-Za-z0-9_])${word}($|[^A-Za-z0-9_])`);
    const tokens = this.page.locator('.editor-instance .view-line span span', { hasText: wordPattern });
    await tokens.first().waitFor({ state: 'attached', timeout: 20000 });
    const hover = this.page.locator('.monaco-hover').filter({ hasText: expected }).first();
    let seen = '';
    for (let i = 0; i < attempts; i++) {
      await this.page.mouse.move(0, 0);
      await this.page.waitForTimeout(200);
      // the innermost visible token holding the word (the editor re-renders lines as tokenization arrives)
      let target;
      for (const candidate of await tokens.all()) {
        const box = await candidate.boundingBox().catch(() => null);
        if (box && box.width > 0) target = { box, text: (await candidate.textContent()) ?? word };
      }
      if (!target) {
        if (i === attempts - 1) throw new Error(`"${word}" is not visible in the editor`);
        continue;
      }
      const { box, text } = target;
      // the token may hold more than the word (e.g. "nn.Sigmoid()"): aim at the word's own characters
      const charWidth = box.width / Math.max(1, text.length);
      const match = wordPattern.exec(text);
      const start = match ? match.index + match[1].length : 0;
      const x = box.x + charWidth * (start + word.length / 2);
      await this.page.mouse.move(x, box.y + box.height / 2);
      try {
        await hover.waitFor({ timeout: 5000 });
        return (await hover.innerText()).trim();
      } catch {
        seen = (await this.page.locator('.monaco-hover').allInnerTexts().catch(() => [])).join(' | ');
        this.log(`    hover attempt ${i + 1}: ${seen ? `showed "${seen.slice(0, 120)}"` : 'no hover'}`);
      }
    }
    throw new Error(`no hover containing "${expected}" on "${word}"${seen ? `; last hover: "${seen.slice(0, 300)}"` : ''}`);
  }

  /** The page inside a webview: outer iframe.webview, then its #active-frame. Picks the webview that has `selector`. */
  webviewContent() {
    return this.page.frameLocator('iframe.webview').frameLocator('#active-frame');
  }

  /** The playwright Frame of the webview's content, for evaluate() inside it. */
  async webviewFrame(selector, timeoutMs = 60000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of this.page.frames()) {
        if (frame.name() !== 'active-frame' && !/fake\.html|index\.html/.test(frame.url())) continue;
        try {
          if (await frame.locator(selector).count()) return frame;
        } catch { /* frame navigating */ }
      }
      if (Date.now() > end) throw new Error(`no webview shows ${selector} within ${timeoutMs / 1000} s`);
      await this.page.waitForTimeout(250);
    }
  }
}

/**
 * What a canvas shows, read inside the webview: size, how many pixels are painted, a fingerprint of the pixels
 * (to see a chart change as training proceeds), and its accessible label.
 */
export async function readCanvases(frame, ids) {
  return frame.evaluate(canvasIds => canvasIds.map(id => {
    const canvas = document.getElementById(id);
    if (!(canvas instanceof HTMLCanvasElement)) return { id, present: false };
    const { width, height } = canvas;
    let painted = 0;
    let fingerprint = 0;
    if (width > 0 && height > 0) {
      const pixels = canvas.getContext('2d')?.getImageData(0, 0, width, height).data;
      if (pixels) {
        for (let i = 3; i < pixels.length; i += 4) {
          if (pixels[i] > 0) {
            painted++;
            fingerprint = (fingerprint * 31 + pixels[i - 3] * 7 + pixels[i - 2] * 3 + pixels[i - 1] + i) % 1_000_000_007;
          }
        }
      }
    }
    return { id, present: true, width, height, painted, paintedShare: width * height ? painted / (width * height) : 0, fingerprint, label: canvas.getAttribute('aria-label') ?? '' };
  }), ids);
}
