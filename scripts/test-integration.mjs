// Runs test/integration/ (mocha, exporting run() as @vscode/test-electron expects) inside a real VS Code:
//  (a) @vscode/test-electron when VSCODE_EXECUTABLE names a VS Code, or one is already downloaded in .vscode-test/,
//      or VS Code's download server answers within a few seconds;
//  (b) otherwise code-server's extension host (set up offline by scripts/setup-vscode.mjs): the workbench URL's
//      payload carries extensionDevelopmentPath + extensionTestsPath, the server runs with the smoke-test driver
//      enabled, and the suite's outcome comes back through window.codeAutomationExit.
// Usage: node scripts/test-integration.mjs [--grep TEXT] [--no-build] [--dev] [--locale ko]    env: GRADSCOPE_VSCODE=electron|code-server
// The extension is built as it ships (production: minified, no source maps), so the activation time VS Code reports
// is a user's; --dev builds the development bundles instead (source maps in stack traces).
//  --locale ko: the display language is Korean (argv.json's "locale", plus a test-only language pack, without which
//  VS Code stays English) and only the tests titled "[ko]" run, unless --grep says otherwise.
import dns from 'node:dns/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import * as esbuild from 'esbuild';
import { chromiumLaunchOptions, extensionDir, makeStateDir, populateWorkspace, repoRoot, startCodeServer, stopCodeServer, tail, workbenchUrl } from './code-server.mjs';
import { ensureDebianPackages, setupVSCodeOffline } from './setup-vscode.mjs';

const args = process.argv.slice(2);
const locale = args.includes('--locale') ? args[args.indexOf('--locale') + 1] : undefined;
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : locale ? `\\[${locale}\\]` : undefined;
const testEnv = () => ({ GRADSCOPE_TEST_GREP: grep ?? '', GRADSCOPE_TEST_LOCALE: locale ?? '' });
const outDir = path.join(repoRoot, 'out', 'test', 'integration');
const suiteModule = path.join(outDir, 'index.js');
const artifactsDir = path.join(repoRoot, 'test-artifacts', 'integration');
const SUITE_TIMEOUT_MS = 300_000;
const log = msg => console.log(`[integration] ${msg}`);

function findSources(dir) {
  const found = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'fixtures') found.push(...findSources(p));
    else if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) found.push(p);
  }
  return found;
}

/** Bundles every suite file on its own (vscode and mocha stay external: the host provides one, node_modules the other). */
async function buildSuite() {
  fs.rmSync(outDir, { recursive: true, force: true });
  const entryPoints = findSources(path.join(repoRoot, 'test', 'integration'));
  await esbuild.build({
    entryPoints, outdir: outDir, outbase: path.join(repoRoot, 'test', 'integration'),
    bundle: true, platform: 'node', format: 'cjs', target: 'node18', sourcemap: 'inline',
    external: ['vscode', 'mocha'], logLevel: 'warning',
  });
  return entryPoints.filter(p => p.endsWith('.test.ts')).map(p => path.relative(repoRoot, p));
}

async function buildExtension() {
  const { spawnSync } = await import('node:child_process');
  const buildArgs = args.includes('--dev') ? ['esbuild.mjs'] : ['esbuild.mjs', '--production'];
  log(`building the extension: node ${buildArgs.join(' ')}`);
  const r = spawnSync(process.execPath, buildArgs, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`extension build failed (node ${buildArgs.join(' ')})`);
}

/** Which VS Code to use, decided quickly and without hanging when offline. */
async function chooseVSCode() {
  const forced = process.env.GRADSCOPE_VSCODE;
  if (forced === 'electron' || forced === 'code-server') return { kind: forced, why: 'GRADSCOPE_VSCODE' };
  if (process.env.VSCODE_EXECUTABLE) return { kind: 'electron', why: `VSCODE_EXECUTABLE=${process.env.VSCODE_EXECUTABLE}` };
  const cached = path.join(repoRoot, '.vscode-test');
  if (fs.existsSync(cached) && fs.readdirSync(cached).some(d => d.startsWith('vscode-'))) return { kind: 'electron', why: 'a VS Code is already in .vscode-test/' };
  const withTimeout = (p, ms) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), ms))]);
  try {
    await withTimeout(dns.lookup('update.code.visualstudio.com'), 2000);
    const res = await withTimeout(fetch('https://update.code.visualstudio.com/api/releases/stable', { method: 'HEAD' }), 4000);
    if (res.ok) return { kind: 'electron', why: 'VS Code can be downloaded' };
    return { kind: 'code-server', why: `VS Code download server answered ${res.status}` };
  } catch (err) {
    return { kind: 'code-server', why: `VS Code cannot be downloaded here (${err.code ?? err.message})` };
  }
}

async function runWithTestElectron(workspace, resultsFile) {
  const { runTests } = await import('@vscode/test-electron');
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    log('no DISPLAY: VS Code desktop needs one on Linux (run under xvfb-run, or GRADSCOPE_VSCODE=code-server)');
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-electron-ud-'));
  try {
    const code = await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      extensionDevelopmentPath: extensionDir,
      extensionTestsPath: suiteModule,
      extensionTestsEnv: { GRADSCOPE_TEST_RESULTS: resultsFile, ...testEnv() },
      launchArgs: [workspace, ...(locale ? [`--locale=${locale}`] : []), '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust', `--user-data-dir=${userDataDir}`],
    });
    return code;
  } catch (err) {
    log(`VS Code reported failure: ${err}`);
    return 1;
  } finally {
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

/**
 * VS Code shows a display language only when a language pack for it is known: register the test-only pack of
 * test/integration/languagePack-<locale>/ in the user data's languagepacks.json (the index VS Code writes when a
 * pack is installed; a pack installed with --install-extension does not update it in code-server) and set the
 * locale in argv.json, where the server reads it. The pack translates none of VS Code's own strings.
 */
function useDisplayLanguage(state, lang) {
  const packDir = path.join(repoRoot, 'test', 'integration', `languagePack-${lang}`);
  if (!fs.existsSync(packDir)) throw new Error(`no test language pack for "${lang}" in ${path.relative(repoRoot, packDir)}`);
  const pack = JSON.parse(fs.readFileSync(path.join(packDir, 'package.json'), 'utf8'));
  const [localization] = pack.contributes.localizations;
  const index = {
    [lang]: {
      hash: `gradscopetest${pack.version.replace(/\W/g, '')}`,
      extensions: [{ extensionIdentifier: { id: `${pack.publisher}.${pack.name}` }, version: pack.version }],
      translations: Object.fromEntries(localization.translations.map(t => [t.id, path.join(packDir, t.path)])),
      label: localization.localizedLanguageName,
    },
  };
  fs.writeFileSync(path.join(state, 'ud', 'languagepacks.json'), JSON.stringify(index));
  fs.writeFileSync(path.join(state, 'ud', 'User', 'argv.json'), JSON.stringify({ locale: lang }));
  log(`display language ${lang}: test language pack registered, argv.json locale set`);
}

// Console lines from the workbench that say nothing about our tests (no network here, no gallery, no auth).
const NOISE = /gallery|open-vsx|ENOTFOUND|ERR_NAME_NOT_RESOLVED|vsda|github\.com|marketplace|^\s+at /i;

async function runInCodeServer(resultsFile) {
  setupVSCodeOffline();
  const { chromium } = await import('playwright-core');
  const state = makeStateDir('integration');
  const workspace = populateWorkspace(path.join(state, 'ws'));
  if (locale) useDisplayLanguage(state, locale);
  let server;
  let browser;
  try {
    server = await startCodeServer({
      state, smokeTestDriver: true,
      env: { GRADSCOPE_TEST_RESULTS: resultsFile, ...testEnv() },
    });
    log(`code-server ready on ${server.base} in ${(server.readyMs / 1000).toFixed(1)} s`);
    browser = await chromium.launch(chromiumLaunchOptions);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let reportExit;
    const exited = new Promise(resolve => { reportExit = resolve; });
    await page.exposeFunction('codeAutomationExit', code => reportExit(code));
    await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
      const line = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
      if (!NOISE.test(line)) console.log(line.split('\n').filter(l => !NOISE.test(l)).join('\n'));
    });
    await page.goto(workbenchUrl(server.base, { folder: workspace, extensionDevelopmentPath: extensionDir, extensionTestsPath: suiteModule }));
    const timedOut = new Promise(resolve => setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS));
    const code = await Promise.race([exited, timedOut]);
    if (code === 'timeout') {
      fs.mkdirSync(artifactsDir, { recursive: true });
      await page.screenshot({ path: path.join(artifactsDir, 'timeout.png') }).catch(() => {});
      log(`the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s; server log:\n${tail(server.logFile)}`);
      return 1;
    }
    return code;
  } finally {
    await browser?.close().catch(() => {});
    await stopCodeServer(server ?? { pid: -1, state }, { keepState: process.env.GRADSCOPE_KEEP_STATE === '1' });
  }
}

async function main() {
  const t0 = Date.now();
  // The PyTorch runs suite trains a real script under Debian's python3; `npm test -- integration` alone must set it up too.
  ensureDebianPackages(['python3', 'python3-torch'], 'PyTorch for the integration test that watches a real training script');
  if (!args.includes('--no-build')) await buildExtension();
  const testFiles = await buildSuite();
  log(`suite: ${testFiles.join(', ')}`);
  const choice = await chooseVSCode();
  log(`using ${choice.kind === 'electron' ? '@vscode/test-electron (VS Code desktop)' : "code-server's extension host (VS Code web workbench, offline)"}: ${choice.why}`);
  fs.mkdirSync(artifactsDir, { recursive: true });
  const resultsFile = path.join(artifactsDir, 'results.json');
  fs.rmSync(resultsFile, { force: true });
  let exitCode;
  if (choice.kind === 'electron') {
    const workspace = populateWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-ws-')));
    exitCode = await runWithTestElectron(workspace, resultsFile);
    fs.rmSync(workspace, { recursive: true, force: true });
  } else {
    exitCode = await runInCodeServer(resultsFile);
  }
  if (!fs.existsSync(resultsFile)) {
    log(`no results written (the suite did not run to its end); exit code ${exitCode}`);
    console.log('integration: 0 passed, 1 failed');
    process.exit(1);
  }
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  for (const f of results.failed) log(`FAILED: ${f.title}\n${f.error}`);
  for (const [name, value] of Object.entries(results.metrics ?? {})) log(`${name}: ${value}`);
  log(`VS Code ${results.vscodeVersion}, extension host Node ${results.node}, ${((Date.now() - t0) / 1000).toFixed(1)} s in all; results in ${path.relative(repoRoot, resultsFile)}`);
  const failedCount = results.failed.length + (exitCode !== 0 && results.failed.length === 0 ? 1 : 0);
  console.log(`integration: ${results.passed.length} passed, ${failedCount} failed`);
  process.exit(failedCount === 0 && results.passed.length > 0 ? 0 : 1);
}

main().catch(err => {
  console.error(`[integration] ${err instanceof Error ? err.stack : err}`);
  console.log('integration: 0 passed, 1 failed');
  process.exit(1);
});
