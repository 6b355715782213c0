// Builds gradscope-<version>.vsix: a production bundle (minified, no source maps), then `vsce package` with the
// .vscodeignore allow-list and --no-dependencies (the bundles carry their dependencies). Fails when the package
// holds what it must not (sources, tests, node_modules, maps) or lacks what it needs, or exceeds 2 MB.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const MAX_BYTES = 2 * 1024 * 1024;
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const vsixName = `${manifest.name}-${manifest.version}.vsix`;
const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
// No public repository is declared: keep README links relative instead of rewriting them to a guessed host.
const vsceFlags = ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links'];

function run(cmd, args, capture = false) {
  const r = spawnSync(cmd, args, { cwd: repoRoot, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.status})`);
  return r.stdout;
}

function main() {
  // Rebuilt in place (others may be running tests off dist/); development source maps left behind are not shipped.
  run(process.execPath, ['esbuild.mjs', '--production']);

  const files = run(process.execPath, [vsce, 'ls', '--no-dependencies'], true)
    .split('\n').map(l => l.trim()).filter(Boolean);
  const forbidden = files.filter(f => /^(src|test|webview|scripts|bench|node_modules|out)\//.test(f) || /\.(ts|map)$/.test(f));
  if (forbidden.length) throw new Error(`the package would ship files it must not:\n  ${forbidden.join('\n  ')}`);
  const required = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', manifest.main.replace(/^\.\//, ''), manifest.icon];
  // the details page renders README.md from inside the installed extension: every picture it links must be packaged
  const readmeImages = [...fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)]
    .map(m => m[1]).filter(src => !/^[a-z]+:/i.test(src)).map(src => src.replace(/^\.\//, ''));
  required.push(...readmeImages);
  const missing = required.filter(f => f && !files.includes(f));
  if (missing.length) throw new Error(`the package lacks: ${missing.join(', ')}`);

  fs.rmSync(path.join(repoRoot, vsixName), { force: true });
  run(process.execPath, [vsce, 'package', ...vsceFlags, '--out', vsixName]);
  const size = fs.statSync(path.join(repoRoot, vsixName)).size;
  console.log(`[package] ${vsixName}: ${(size / 1024).toFixed(0)} KiB, ${files.length} files: ${files.join(', ')}`);
  if (size > MAX_BYTES) throw new Error(`${vsixName} is ${(size / 1024 / 1024).toFixed(2)} MB, over the 2 MB budget`);
}

try {
  main();
} catch (err) {
  console.error(`[package] FAILED: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
