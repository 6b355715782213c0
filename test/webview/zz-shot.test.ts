import { launchBrowser } from '/work/main/test/webview/harness';
describe('shot', () => { it('report', async () => {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto('file:///tmp/gsprof/demo-report.html');
  await page.waitForTimeout(2500);
  await page.screenshot({ path: '/tmp/gsprof/demo-report.png', fullPage: true });
  console.log('errors', errors, await page.textContent('#status'));
  await browser.close();
}); });
