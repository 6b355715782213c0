// Loads one of the bench's own TypeScript modules as Gradscope ships: one esbuild bundle (as dist/*.js are built),
// or straight from the sources through tsx. Each bundle is a module of its own, with its own module state (the
// copying engine is a module-level switch), so two loads with different tags can run side by side in one process.
import { buildSync } from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * `file` (relative to bench/lib) bundled, or with `how === 'sources'` from the TypeScript through tsx, where every
 * use of an imported binding is a CommonJS getter call: that cost W1 about a third of its step (2026-12-02), which
 * no user pays. `tag` tells bundles of one file apart.
 */
export function ownModule<T>(file: string, how: 'bundle' | 'sources' = 'bundle', tag = ''): T {
  const from = path.join(__dirname, file);
  if (how === 'sources') return createRequire(__filename)(from) as T;
  const outfile = path.join(os.tmpdir(), `gradscope-bench-${process.pid}-${path.basename(file, '.ts')}${tag}.js`);
  buildSync({ entryPoints: [from], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' });
  try {
    return createRequire(__filename)(outfile) as T;
  } finally {
    fs.rmSync(outfile, { force: true });
  }
}
