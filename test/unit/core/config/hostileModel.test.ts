// Regression tests for hostile model files (issue 16): deep nesting reached jsonc-parser's recursion (even after the
// "nested more than 20 deep" check), JSON.stringify recursed on deep values in messages, and --load read a FIFO or
// /dev/zero forever (the size check trusted stat.size, 0 for both).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseModelFile, readModelFile, saveModelFile, modelFromNetwork } from '../../../../src/core/config/modelFile';
import { Network } from '../../../../src/core/nn/network';
import { InputError } from '../../../../src/core/inputError';

const isInputError = (pattern: RegExp, line?: number) => (e: unknown) => {
  assert.ok(e instanceof InputError, `expected an InputError, got ${e instanceof Error ? e.stack : String(e)}`);
  assert.match(e.message, pattern);
  if (line !== undefined) assert.equal(e.location?.line, line, e.describe());
  return true;
};

describe('hostile model files', function () {
  this.timeout(30_000);

  it('residuals nested 5,000 deep are refused before any tree is built', () => {
    const open = '{"type":"residual","layers":['.repeat(5000);
    const text = `{"format":"gradscope-model","version":1,"inputs":1,\n"layers":[${open}${']}'.repeat(5000)}]}`;
    assert.throws(() => parseModelFile(text, 'deep.json'), isInputError(/nested more than 100 deep/, 2));
    assert.throws(() => parseModelFile(text.slice(0, -10), 'deep.json'), isInputError(/nested more than 100 deep/, 2));
  });

  it('values in messages are written bounded (deep or wide), not by a recursing JSON.stringify', () => {
    // 99 levels passes the depth scan; a wide value in every message slot is cut.
    const deep = '['.repeat(98) + ']'.repeat(98);
    for (const [field, pattern] of [['format', /"format" must be "gradscope-model" \(got \[\[\[/], ['version', /unsupported model file version \[\[/], ['inputs', /"inputs" must be a whole number .*\(got \[\[/]] as const) {
      const model: Record<string, string> = { format: '"gradscope-model"', version: '1', inputs: '1', layers: '[{"type":"linear","weight":[[1]]}]' };
      model[field] = deep;
      const text = `{${Object.entries(model).map(([k, v]) => `"${k}":${v}`).join(',')}}`;
      assert.throws(() => parseModelFile(text, 'm.json'), isInputError(pattern));
    }
    const wide = `"${'n'.repeat(1_000_000)}"`;
    const text = `{"format":"gradscope-model","version":1,"inputs":1,"layers":[{"type":"activation","name":${wide}}]}`;
    const started = Date.now();
    assert.throws(() => parseModelFile(text, 'm.json'), (e: unknown) => e instanceof InputError && /unknown activation "nnn/.test(e.message) && e.message.length < 300);
    assert.ok(Date.now() - started < 1000);
  });

  it('--load of a FIFO, /dev/zero or a folder is refused by type at once', function () {
    if (process.platform === 'win32') this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-model-'));
    try {
      const fifo = path.join(dir, 'model.json');
      execFileSync('mkfifo', [fifo]);
      const started = Date.now();
      assert.throws(() => readModelFile(fifo), isInputError(/model\.json is a named pipe \(FIFO\), not a model file/));
      assert.throws(() => readModelFile('/dev/zero'), isInputError(/\/dev\/zero is a character device, not a model file/));
      assert.throws(() => readModelFile(dir), isInputError(/is a folder, not a model file/));
      assert.ok(Date.now() - started < 2000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a saved model loads back, and a second save replaces it whole', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-model-'));
    try {
      const network = new Network({ inputs: 2, layers: [{ type: 'linear', units: 3 }, { type: 'activation', name: 'tanh' }, { type: 'linear', units: 1 }] }, 1);
      const file = path.join(dir, 'm.json');
      saveModelFile(file, modelFromNetwork(network));
      const first = readModelFile(file);
      saveModelFile(file, modelFromNetwork(network));
      assert.deepEqual(readModelFile(file).params, first.params);
      assert.deepEqual(fs.readdirSync(dir), ['m.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
