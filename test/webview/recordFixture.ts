// Records a real run's webview messages (the worker training a preset through RunSession) into
// test/webview/fixtures/, so the panel tests can replay what the engine really sends.
//   npx tsx test/webview/recordFixture.ts [builtin] [preset] [seconds]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { RunSession } from '../../src/visualize/runSession';
import type { ToWebview } from '../../src/protocol';

const [builtin = 'sine', preset = 'deep-sigmoid', seconds = '4'] = process.argv.slice(2);

/** Six significant digits are plenty for drawing and keep the fixture small. */
function round(key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value;
}

void (async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-record-'));
  const workerPath = path.join(dir, 'worker.js');
  await esbuild.build({ entryPoints: [path.join(__dirname, '../../src/visualize/trainingWorker.ts')], outfile: workerPath, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', mainFields: ['module', 'main'] });
  const messages: ToWebview[] = [];
  const session = new RunSession({ workerPath, post: m => messages.push(JSON.parse(JSON.stringify(m, round)) as ToWebview), log: () => undefined });
  session.start({ kind: 'builtin', builtin, preset }, `${builtin} (built-in)`, { snapshotEvery: 25 });
  await session.firstSnapshot();
  await new Promise(resolve => setTimeout(resolve, Number(seconds) * 1000));
  session.control('pause');
  await new Promise(resolve => setTimeout(resolve, 500));
  session.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  // Only the newest function view is drawn; older ones would only make the fixture big.
  const lastViewAt = messages.map(m => m.type === 'frames' && m.frames.some(f => f.view !== undefined)).lastIndexOf(true);
  messages.forEach((m, i) => {
    if (m.type === 'frames' && i !== lastViewAt) m.frames = m.frames.map(f => ({ snapshot: f.snapshot }));
  });
  const file = path.join(__dirname, 'fixtures', `${preset}-${builtin}.messages.json`);
  fs.writeFileSync(file, JSON.stringify(messages));
  const frames = messages.flatMap(m => (m.type === 'frames' ? m.frames : []));
  console.log(`${file}: ${messages.length} messages, ${frames.length} snapshots, last step ${frames.at(-1)?.snapshot.step}, ${(fs.statSync(file).size / 1024).toFixed(0)} KiB`);
})();
