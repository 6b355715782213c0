// The worker pool's thread script (src/core/parallel/poolWorker.ts) bundled for unit tests and benchmarks, which run
// the TypeScript sources directly and so have no dist/poolWorker.js next to them. Built once per process.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let built;

/** The path of a freshly bundled pool worker in a temporary folder (removed when the process exits). */
export function buildPoolWorker() {
  built ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-pool-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const outfile = path.join(dir, 'poolWorker.js');
    await esbuild.build({
      entryPoints: [path.join(root, 'src/core/parallel/poolWorker.ts')], outfile, bundle: true, platform: 'node',
      format: 'cjs', target: 'node18', logLevel: 'warning', mainFields: ['module', 'main'],
    });
    return outfile;
  })();
  return built;
}
