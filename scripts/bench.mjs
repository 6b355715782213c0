#!/usr/bin/env node
// `npm run bench [-- <name filter>… [options]]`: runs every bench/*.bench.ts and bench/*.bench.mjs in name order,
// one after another, each in its own Node process (TypeScript through tsx). A positional argument keeps only the
// files whose name contains it; every argument is passed on to each file, which ignores what it does not know.
// To add a benchmark, drop a `bench/<name>.bench.ts` (or .mjs) that prints its own table; nothing to register.
//
// The peer libraries the training benchmark compares against live in bench/package.json, apart from the
// extension's dependencies; they are installed on first use (serialized with the team's npm lock when flock exists).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');
const args = process.argv.slice(2);
// Options that take a value (the benches' own), so `--rounds 3` is not read as a name filter "3".
const valueOptions = new Set([
  '--libs', '--workloads', '--window', '--windows', '--sizes', '--rounds', '--epochs', '--grid', '--pairs', '--slice',
  '--samples', '--sample', '--seconds', '--debounce',
]);
const filters = args.filter((a, i) => !a.startsWith('--') && !valueOptions.has(args[i - 1]));

function ensurePeers() {
  if (fs.existsSync(path.join(benchDir, 'node_modules', '.package-lock.json'))) return;
  console.log('Installing the peer libraries into bench/node_modules (first run only)…');
  const npm = ['npm', 'ci', '--no-audit', '--no-fund', '--prefix', benchDir];
  const hasFlock = spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0;
  const cmd = hasFlock ? ['flock', '/tmp/gradscope-npm.lock', ...npm] : npm;
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', cwd: benchDir });
  if (r.status !== 0) {
    console.error('Could not install the peer libraries; the training benchmark will report them as errors.');
  }
}

const files = fs.readdirSync(benchDir)
  .filter(f => /\.bench\.(ts|mjs)$/.test(f))
  .filter(f => filters.length === 0 || filters.some(x => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`No bench/*.bench.{ts,mjs} matches ${filters.join(', ')}`);
  process.exit(1);
}
ensurePeers();

const [l1, l5, l15] = os.loadavg();
console.log(`npm run bench ${args.join(' ')}`.trim());
console.log(`${new Date().toISOString()} · ${os.cpus().length} cores · load average ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)}` +
  (l1 > os.cpus().length * 0.5 ? ' (busy machine: figures will be low and noisy)' : ''));
let failed = 0;
for (const f of files) {
  console.log(`\n━━ ${f} ━━`);
  const file = path.join(benchDir, f);
  const nodeArgs = f.endsWith('.ts') ? ['--import', 'tsx', file, ...args] : [file, ...args];
  const r = spawnSync(process.execPath, nodeArgs, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) { failed++; console.error(`${f} exited with ${r.status ?? r.signal}`); }
}
process.exit(failed ? 1 : 0);
