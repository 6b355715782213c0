// Regression tests for hostile configs (issue 16): deep nesting overflowed jsonc-parser's recursion, nested repeats
// of activations built 27 M modules from 236 bytes, "did you mean" on a 1M-character key took seconds, and
// non-regular files named by a config or the command line hung or were reported as missing.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadRun, parseConfig } from '../../../../src/core/config/config';
import { configFixEdits } from '../../../../src/core/config/configFixes';
import { presetConfigText } from '../../../../src/core/config/presets';
import { InputError } from '../../../../src/core/inputError';

function within<T>(ms: number, work: () => T): T {
  const started = Date.now();
  const result = work();
  assert.ok(Date.now() - started < ms, `took ${Date.now() - started} ms (limit ${ms})`);
  return result;
}

const errorsOf = (text: string) => parseConfig(text, '/tmp/hostile.nn.json', { fileExists: () => true, listFolder: () => [] }).errors.filter(e => e.severity === 'error');

describe('hostile configs', function () {
  this.timeout(30_000);

  it('a config nested 5,000 deep is one located error, not a stack overflow', () => {
    const text = `{\n  "data": { "builtin": "xor" },\n  "x": ${'['.repeat(5000)}${']'.repeat(5000)}\n}`;
    const errors = within(1000, () => errorsOf(text));
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /nested more than 100 deep/);
    assert.equal(errors[0].line, 3);
    // The editor's quick fixes read the same text: no fixes, no throw.
    assert.deepEqual(configFixEdits(text, 'reluHe'), []);
    // Brackets in comments and strings do not count.
    assert.deepEqual(errorsOf(`// ${'['.repeat(5000)}\n{ "data": { "builtin": "xor" }, "name": "${'{'.repeat(5000)}", "hidden": [4] }`), []);
  });

  it('nested repeats of activations, dropout or batch norm are bounded before anything is built', () => {
    // 236 bytes that built 27 million modules (1.6 GB, > 4 s).
    const repeat = (count: number, inner: string) => `{ "type": "repeat", "count": ${count}, "layers": [${inner}] }`;
    for (const leaf of ['{ "type": "relu" }', '{ "type": "dropout", "p": 0.1 }', '{ "type": "batchnorm" }']) {
      const text = `{ "data": { "builtin": "xor" }, "layers": [${repeat(300, repeat(300, repeat(300, leaf)))}, { "type": "linear" }] }`;
      const errors = within(1000, () => errorsOf(text));
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.match(errors[0].message, /repeat 300 × 300 modules: at most 10,000 modules are supported/);
    }
    // 3 × 1000 nested once ended in a RangeError from push(...copy).
    const wide = `{ "data": { "builtin": "xor" }, "layers": [${repeat(1000, repeat(1000, repeat(1000, '{ "type": "tanh" }')))}, { "type": "linear" }] }`;
    assert.match(within(1000, () => errorsOf(wide))[0].message, /at most 10,000 modules/);
    // Many sibling repeats add up.
    const siblings = `{ "data": { "builtin": "xor" }, "layers": [${Array.from({ length: 12 }, () => repeat(1000, '{ "type": "tanh" }')).join(',')}, { "type": "linear" }] }`;
    assert.match(errorsOf(siblings)[0].message, /at most 10,000 modules/);
    // An ordinary deep network still parses.
    assert.deepEqual(errorsOf(`{ "data": { "builtin": "xor" }, "layers": [${repeat(100, '{ "type": "linear", "units": 8 }, { "type": "relu" }, { "type": "dropout", "p": 0.1 }')}, { "type": "linear" }] }`), []);
  });

  it('"did you mean" on a 1M-character unknown key or name answers at once', () => {
    const huge = 'k'.repeat(1_000_000);
    for (const text of [
      `{ "data": { "builtin": "xor" }, "${huge}": 1 }`,
      `{ "data": { "builtin": "xor" }, "hidden": [4], "activation": "${huge}" }`,
      `{ "data": { "builtin": "${huge}" } }`,
      `{ "data": { "builtin": "xor" }, "layers": [{ "type": "${huge}" }, { "type": "linear" }] }`,
    ]) {
      const errors = within(1500, () => errorsOf(text));
      assert.equal(errors.length, 1);
    }
  });

  it('data.file naming /dev/zero or a FIFO says what it is, not "not found (looked in /dev)"', function () {
    if (process.platform === 'win32') this.skip();
    const errors = parseConfig('{ "data": { "file": "/dev/zero" }, "hidden": [4] }', '/tmp/x.nn.json').errors;
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /^data\.file '\/dev\/zero' is a character device, not a data file$/);
    assert.equal(errors[0].column, 21);
  });

  it('--data /dev/zero is an error about /dev/zero, not one pointing into a config that does not exist', async function () {
    if (process.platform === 'win32') this.skip();
    await assert.rejects(loadRun({ kind: 'dataset', dataPath: '/dev/zero', preset: 'deep-sigmoid' }, {}, presetConfigText), (e: unknown) => {
      assert.ok(e instanceof InputError && !(e instanceof ConfigError), String(e));
      assert.equal(e.message, '/dev/zero is a character device, not a data file');
      assert.equal(e.location, undefined);
      return true;
    });
  });

  it('a config that is a FIFO is refused at once, not read forever', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-config-'));
    try {
      const fifo = path.join(dir, 'run.nn.json');
      execFileSync('mkfifo', [fifo]);
      await assert.rejects(loadRun({ kind: 'config', configPath: fifo }), (e: unknown) => e instanceof InputError && /is a named pipe \(FIFO\), not a config/.test(e.message));
      const data = path.join(dir, 'data.csv');
      execFileSync('mkfifo', [data]);
      fs.writeFileSync(path.join(dir, 'b.nn.json'), '{ "data": { "file": "data.csv" }, "hidden": [4] }');
      await assert.rejects(loadRun({ kind: 'config', configPath: path.join(dir, 'b.nn.json') }), (e: unknown) => e instanceof ConfigError && /data\.file 'data\.csv' is a named pipe \(FIFO\)/.test(e.message));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
