// Two bundles (plus the worker and the CLI): the extension host (node, cjs, `vscode` external) and the webview
// (browser, iife). Types are checked apart from bundling by `npm run typecheck`.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { writeGemmBytes } from './scripts/build-wasm.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// mainFields: jsonc-parser's `main` is a UMD build whose require('./impl/…') calls esbuild cannot follow; its ESM
// `module` build bundles cleanly.
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', mainFields: ['module', 'main'] };

const entries = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node18', external: ['vscode'] },
  { ...common, entryPoints: ['src/visualize/trainingWorker.ts'], outfile: 'dist/worker.js', platform: 'node', format: 'cjs', target: 'node18' },
  { ...common, entryPoints: ['src/configInsight/probeWorker.ts'], outfile: 'dist/probeWorker.js', platform: 'node', format: 'cjs', target: 'node18' },
  { ...common, entryPoints: ['src/cli/cli.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node18' },
  { ...common, entryPoints: ['webview/visualize/main.ts'], outfile: 'media/webview.js', platform: 'browser', format: 'iife', target: 'es2020' },
  { ...common, entryPoints: ['webview/compareActivations/main.ts'], outfile: 'media/compare.js', platform: 'browser', format: 'iife', target: 'es2020' },
  { ...common, entryPoints: ['src/universalApproximation/uatWorker.ts'], outfile: 'dist/uatWorker.js', platform: 'node', format: 'cjs', target: 'node18' },
  { ...common, entryPoints: ['webview/universalApproximation/main.ts'], outfile: 'media/uat.js', platform: 'browser', format: 'iife', target: 'es2020' },
  { ...common, entryPoints: ['src/compareNetworks/networksWorker.ts'], outfile: 'dist/networksWorker.js', platform: 'node', format: 'cjs', target: 'node18' },
  { ...common, entryPoints: ['webview/compareNetworks/main.ts'], outfile: 'media/compareNetworks.js', platform: 'browser', format: 'iife', target: 'es2020' },
].filter(e => e.entryPoints.every(p => fs.existsSync(p)));

// The WebAssembly kernel's bytes, compiled from its .wat source (rewritten only when the .wat changed).
await writeGemmBytes();

if (watch) {
  for (const e of entries) await (await esbuild.context(e)).watch();
} else {
  await Promise.all(entries.map(e => esbuild.build(e)));
}
