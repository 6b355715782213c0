// How long VS Code spends loading the extension's bundle before activate() runs — the "Load Code" part of its
// activation time (the integration run reads both parts from VS Code itself; this isolates the first, repeatably).
// Each sample is a fresh Node process that requires dist/extension.js with a stand-in for the `vscode` module, so
// only the bundle's own top-level work is timed. Goal: load + activate() under 100 ms.
//   node bench/activation.bench.mjs [--samples N]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'extension.js');
const samplesArg = process.argv.indexOf('--samples');
const samples = samplesArg > 0 ? Number(process.argv[samplesArg + 1]) : 7;

// Runs in the child: any property of the stand-in is another stand-in, so top-level `vscode.X.Y` lookups succeed.
const child = `
const Module = require('module');
const standIn = new Proxy(function () {}, { get: (_, key) => (key === '__esModule' ? false : standIn), apply: () => standIn, construct: () => standIn });
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? standIn : load.call(this, request, ...rest); };
const t0 = process.hrtime.bigint();
require(process.argv[1]);
process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));
`;

if (!fs.existsSync(bundle)) {
  const built = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(1);
}
const times = [];
for (let i = 0; i < samples; i++) {
  const r = spawnSync(process.execPath, ['-e', child, bundle], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`loading ${path.relative(root, bundle)} failed:\n${r.stderr}`);
    process.exit(1);
  }
  times.push(Number(r.stdout));
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const minified = !fs.readFileSync(bundle, 'utf8').slice(0, 2000).includes('\n  ');
console.log('\nExtension bundle load time (the "Load Code" part of activation; goal: load + activate() < 100 ms)');
console.log(`| bundle | size | build | samples | min ms | median ms | max ms |`);
console.log(`|---|---:|---|---:|---:|---:|---:|`);
console.log(`| dist/extension.js | ${(fs.statSync(bundle).size / 1024).toFixed(0)} KiB | ${minified ? 'production' : 'development'} | ${times.length} | ${times[0].toFixed(1)} | ${median.toFixed(1)} | ${times[times.length - 1].toFixed(1)} |`);
