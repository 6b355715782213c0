#!/usr/bin/env node
// Webview tests: bundle the panel's browser code, then run test/webview/*.test.ts (mocha) against it in
// Debian's headless chromium through playwright-core. Installs chromium with apt-get when it is missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import * as esbuild from 'esbuild';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  console.log(`test:webview: ${chromium} is missing; installing Debian's chromium with apt-get`);
  const install = spawnSync('sh', ['-c', 'apt-get install -y chromium || (apt-get update && apt-get install -y chromium)'], { stdio: 'inherit' });
  if (install.status !== 0) {
    console.error('test:webview: could not install chromium (set CHROMIUM_PATH to a Chromium binary)');
    process.exit(1);
  }
}

await esbuild.build({
  entryPoints: ['webview/visualize/main.ts'], outfile: 'media/webview.js', bundle: true, sourcemap: true,
  platform: 'browser', format: 'iife', target: 'es2020', logLevel: 'warning',
});

const mocha = spawnSync(process.execPath, [
  'node_modules/mocha/bin/mocha.js', '--no-config', '--require', 'tsx/cjs', '--timeout', '120000', '--reporter', 'spec',
  'test/webview/**/*.test.ts',
], { stdio: 'inherit' });
process.exit(mocha.status ?? 1);
