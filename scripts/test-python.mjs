#!/usr/bin/env node
// Python tests: the gradscope package (python/gradscope) under Debian's python3 and torch 1.13, run by stdlib
// unittest. Installs python3-torch with apt-get when it is missing. The last line is `python: N passed, N failed`.
import { spawn } from 'node:child_process';
import { ensureDebianPackages } from './setup-vscode.mjs';

const PYTHON = '/usr/bin/python3'; // not a pyenv shim on PATH: Debian's torch is installed for this one

ensureDebianPackages(['python3', 'python3-torch'], 'PyTorch for the gradscope Python tests');

const child = spawn(PYTHON, ['-m', 'unittest', 'discover', '-s', 'test/python', '-v'], {
  env: { ...process.env, PYTHONPATH: 'python', PYTHONDONTWRITEBYTECODE: '1' },
  stdio: ['ignore', 'inherit', 'pipe'],
});
let stderr = '';
child.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  stderr += chunk;
});
const status = await new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));

// unittest's summary: "Ran 34 tests in 1.2s" then "OK (skipped=1)" or "FAILED (failures=1, errors=2)"
const ran = /^Ran (\d+) tests? in /m.exec(stderr);
if (!ran) {
  console.error(`test:python: no unittest summary (python exited with ${status})`);
  console.log('python: 0 passed, 0 failed');
  process.exit(1);
}
const count = (key) => Number(new RegExp(`\\b${key}=(\\d+)`).exec(stderr.slice(ran.index))?.[1] ?? 0);
const failed = count('failures') + count('errors') + count('unexpected successes');
const notRun = count('skipped') + count('expected failures');
const passed = Number(ran[1]) - failed - notRun;
if (notRun) console.log(`python: ${count('skipped')} skipped (no CUDA device, …)`);
console.log(`python: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && status === 0 ? 0 : 1);
