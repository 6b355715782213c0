// The Visualize page shows the words the host gives it: built by panelStrings() in the display language (here the
// Korean bundle, loaded into @vscode/l10n as activate() does) and embedded in the page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { configureL10n } from '../../src/shared/localize';
import { panelStrings } from '../../src/visualize/panelStrings';
import { launchBrowser, openPanel, pageErrors } from './harness';

const ROOT = path.resolve(__dirname, '..', '..');

describe('Visualize page words (webview, headless chromium)', function () {
  let browser: Browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  it('are English by default and Korean from the Korean bundle', async () => {
    const english = panelStrings();
    assert.equal(english.play, 'Play');
    // through the same module instance the page's table is built with
    configureL10n(JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.ko.json'), 'utf8')));
    let korean;
    try {
      korean = panelStrings();
    } finally {
      configureL10n({});
    }
    assert.equal(panelStrings().play, 'Play', 'the English table is back for the other tests');
    assert.equal(korean.play, '재생');
    const page = await openPanel(browser, 'dark', { strings: korean });
    const text = (selector: string) => page.$eval(selector, el => el.textContent ?? '');
    assert.equal(await text('#btn-play .button-label'), '재생');
    assert.equal(await text('#run-state'), '불러오는 중');
    assert.equal(await page.$eval('#btn-step-epoch', el => el.getAttribute('title')), '에폭(epoch) 하나만 학습 (E)');
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });
});
