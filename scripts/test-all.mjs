// `npm test`: every stage in order, stopping at the first that fails, with each stage's time and a summary at the end.
// The first stage sets up what the later ones need (a real VS Code offline, chromium, PyTorch) on first use.
//   node scripts/test-all.mjs [stage …]     e.g. `npm test -- unit webview` runs those two only
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const scripts = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts;

/** Stage name -> npm script; a stage whose script is absent is skipped. */
const STAGES = [
  ['setup', 'setup:vscode'],
  ['typecheck', 'typecheck'],
  ['build', 'build'],
  ['unit', 'test:unit'],
  ['webview', 'test:webview'],
  ['python', 'test:python'],
  ['integration', 'test:integration'],
  ['ui', 'test:ui'],
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter(w => !STAGES.some(([name]) => name === w));
if (unknown.length) {
  console.error(`[test] unknown stage ${unknown.join(', ')}: the stages are ${STAGES.map(([n]) => n).join(', ')}`);
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const timings = [];
const started = Date.now();
let failed;
for (const [name, script] of STAGES) {
  if (wanted.length && !wanted.includes(name)) continue;
  if (!scripts[script]) continue;
  console.log(`\n[test] ── ${name} (npm run ${script})`);
  const t0 = Date.now();
  const r = spawnSync(npm, ['run', '--silent', script], { cwd: repoRoot, stdio: 'inherit' });
  const seconds = (Date.now() - t0) / 1000;
  timings.push([name, seconds, r.status === 0 ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`]);
  console.log(`[test] ${name}: ${seconds.toFixed(1)} s`);
  if (r.status !== 0) {
    failed = name;
    break;
  }
}
console.log('\n[test] stage times');
for (const [name, seconds, outcome] of timings) console.log(`[test]   ${name.padEnd(12)} ${seconds.toFixed(1).padStart(7)} s  ${outcome}`);
console.log(`[test]   ${'total'.padEnd(12)} ${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s`);
if (failed) {
  console.error(`[test] stopped: ${failed} failed`);
  process.exit(1);
}
