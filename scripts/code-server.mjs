// One code-server instance per test run: fresh state folder, loopback only, no auth, no telemetry, and stopped by
// process id (its tree, then anything still carrying this instance's marker in its environment). Shared by
// scripts/test-integration.mjs and scripts/test-ui.mjs.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { codeServerEntry, node24Bin, node24Env, CHROMIUM } from './setup-vscode.mjs';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const EXTENSION_ID = 'gradscope.gradscope';
// The extension under test; GRADSCOPE_EXTENSION_DIR points the runners at another build of it (e.g. to check the
// harness itself against a stand-in extension while the real one does not build).
export const extensionDir = path.resolve(process.env.GRADSCOPE_EXTENSION_DIR ?? repoRoot);

// Chromium as the project's browser tests start it: these flags keep it off the (closed) network.
export const chromiumLaunchOptions = {
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

// Built-ins that activate at startup or on every language and only cost CPU on 2 cores; none is needed by our tests.
const SKIPPED_BUILTINS = [
  'GitHub.copilot-chat', 'vscode.git', 'vscode.git-base', 'vscode.github', 'vscode.github-authentication',
  'vscode.microsoft-authentication', 'vscode.emmet', 'vscode.debug-auto-launch', 'vscode.merge-conflict', 'vscode.npm',
  'vscode.typescript-language-features', 'vscode.configuration-editing', 'vscode.json-language-features',
  'vscode.extension-editing', 'ms-vscode.js-debug', 'ms-vscode.js-debug-companion',
].join(',');

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.enableExperiments': false,
  'editor.hover.delay': 100,
  'window.commandCenter': false,
};

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh state folder: user data, extensions, XDG dirs and TMPDIR of this instance, plus a workspace folder. */
export function makeStateDir(label) {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), `gradscope-${label}-`));
  for (const d of ['ud/User', 'ext', 'ws', 'xdg-config', 'xdg-data', 'tmp']) fs.mkdirSync(path.join(state, d), { recursive: true });
  fs.writeFileSync(path.join(state, 'ud', 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  return state;
}

/**
 * The test workspace: a copy of examples/ (the bundled configs and data) plus fixture files tests need,
 * so tests may edit files freely without touching the repo.
 */
export function populateWorkspace(wsDir) {
  const examples = path.join(repoRoot, 'examples');
  if (fs.existsSync(examples)) fs.cpSync(examples, path.join(wsDir, 'examples'), { recursive: true });
  const fixtures = path.join(repoRoot, 'test', 'integration', 'fixtures');
  if (fs.existsSync(fixtures)) fs.cpSync(fixtures, wsDir, { recursive: true });
  return wsDir;
}

function serverEnv(state, extraEnv) {
  return {
    ...node24Env(),
    XDG_CONFIG_HOME: path.join(state, 'xdg-config'),
    XDG_DATA_HOME: path.join(state, 'xdg-data'),
    // IPC sockets (vscode-ipc-*.sock) go to TMPDIR: keep them in the state folder
    TMPDIR: path.join(state, 'tmp'),
    VSCODE_SKIP_BUILTIN_EXTENSIONS: SKIPPED_BUILTINS,
    // inherited by every process of this instance; stopCodeServer finds leftovers by it
    GRADSCOPE_VSCODE_STATE: state,
    ...extraEnv,
  };
}

/** `code-server --install-extension FILE` into this instance's extensions folder. */
export function installExtension(state, vsixPath) {
  const r = spawnSync(node24Bin, [codeServerEntry, '--user-data-dir', path.join(state, 'ud'),
    '--extensions-dir', path.join(state, 'ext'), '--install-extension', vsixPath], { env: serverEnv(state, {}), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Starts code-server on a free loopback port and waits for /healthz.
 * @param {{ state: string, smokeTestDriver?: boolean, env?: Record<string,string> }} opts
 */
export async function startCodeServer({ state, smokeTestDriver = false, env = {} }) {
  const port = await freePort();
  fs.writeFileSync(path.join(state, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [codeServerEntry, '--config', path.join(state, 'config.yaml'),
    '--user-data-dir', path.join(state, 'ud'), '--extensions-dir', path.join(state, 'ext'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    // the default grace time (3 h) would keep an old extension host alive after the browser leaves
    '--reconnection-grace-time', '5'];
  // lets the workbench URL's payload carry extensionDevelopmentPath/extensionTestsPath and report the exit code
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(path.join(state, 'ws'));
  const logFile = path.join(state, 'server.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(node24Bin, args, { env: serverEnv(state, env), stdio: ['ignore', log, log], detached: false });
  fs.closeSync(log);
  const base = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  let exited = null;
  child.once('exit', code => { exited = code; });
  while (true) {
    if (exited !== null) throw new Error(`code-server exited with ${exited} before it was ready; log: ${logFile}\n${tail(logFile)}`);
    if (Date.now() - t0 > 60000) throw new Error(`code-server not ready after 60 s; log: ${logFile}\n${tail(logFile)}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    await new Promise(r => setTimeout(r, 150));
  }
  return { pid: child.pid, base, state, logFile, readyMs: Date.now() - t0 };
}

export function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** vscode-remote URI of a path on the server (code-server's remote authority is the literal "remote"). */
const remote = p => `vscode-remote://remote${p}`;

/** Workbench URL opening `folder`, optionally with an extension under development and a test suite. */
export function workbenchUrl(base, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [['skipWelcome', 'true']];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function childrenOf(pid) {
  const r = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

function processTree(pid) {
  return [pid, ...childrenOf(pid).flatMap(processTree)];
}

/** Processes (other than us) whose environment carries this instance's marker. */
function leftoversOf(state) {
  const marker = `GRADSCOPE_VSCODE_STATE=${state}`;
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) found.push(Number(entry));
    } catch { /* gone or not ours */ }
  }
  return found;
}

const kill = (pids, signal) => { for (const p of pids) { try { process.kill(p, signal); } catch { /* already gone */ } } };

/** Stops the server's process tree, then any process of this instance still alive; removes the state unless kept. */
export async function stopCodeServer(server, { keepState = false } = {}) {
  if (!server) return;
  kill(processTree(server.pid), 'SIGTERM');
  for (let i = 0; i < 20; i++) {
    const left = leftoversOf(server.state);
    if (left.length === 0) break;
    if (i === 10) kill(left, 'SIGKILL');
    await new Promise(r => setTimeout(r, 250));
  }
  const left = leftoversOf(server.state);
  if (left.length) console.error(`[code-server] still running after stop: ${left.join(' ')}`);
  if (!keepState) fs.rmSync(server.state, { recursive: true, force: true });
}
