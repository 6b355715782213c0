// In-host test suite entry: the @vscode/test-electron contract (`run(): Promise<void>`, rejecting fails the run),
// loaded by the extension host of a real VS Code — code-server here, a downloaded VS Code elsewhere.
//
// To add a test: create test/integration/<topic>.test.ts (any sub-folder is fine) using mocha's BDD globals
// (`describe`/`it`/`before`) and `import * as vscode from 'vscode'`. `npm run test:integration` finds it, bundles
// it into out/test/integration/ and runs it; nothing to register. The workspace is a temp copy of examples/ plus
// test/integration/fixtures/ (e.g. `model.py`); reach it with `vscode.workspace.workspaceFolders![0].uri`.
// `GRADSCOPE_UI=0`/`--grep TEXT` on the runner narrow a run. Use `recordMetric(name, value)` from ./metrics to
// print a measured figure in the runner's summary.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { collectedMetrics } from './metrics';

/** Every *.test.js below this folder, smoke first (it measures activation before anything else can trigger it). */
function findTestFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...findTestFiles(p));
    else if (entry.name.endsWith('.test.js')) files.push(p);
  }
  const isSmoke = (f: string) => path.basename(f) === 'smoke.test.js';
  return files.sort((a, b) => Number(isSmoke(b)) - Number(isSmoke(a)) || a.localeCompare(b));
}

interface TestOutcome {
  title: string;
  file?: string;
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60000,
    grep: process.env.GRADSCOPE_TEST_GREP || undefined,
  });
  for (const file of findTestFiles(__dirname)) mocha.addFile(file);
  const passed: TestOutcome[] = [];
  const failed: TestOutcome[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      // The runner reads this file: the extension host's console is not always forwarded in full.
      const resultsFile = process.env.GRADSCOPE_TEST_RESULTS;
      if (resultsFile) {
        fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
        fs.writeFileSync(resultsFile, JSON.stringify({
          vscodeVersion: require('vscode').version as string,
          node: process.version,
          passed,
          failed,
          metrics: collectedMetrics(),
        }, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', t => passed.push({ title: t.fullTitle(), file: t.file, durationMs: t.duration }));
    runner.on('fail', (t, err: Error) => failed.push({ title: t.fullTitle(), file: t.file, error: err?.stack ?? String(err) }));
  });
}
