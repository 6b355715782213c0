// Regression tests for hostile data files (issue 16): each of these once escaped as a RangeError or TypeError,
// hung, or was read wrong without a word. Each must now read correctly or fail with a located InputError, fast.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseDatasetChunks, parseDatasetText, readDatasetFile } from '../../../../src/core/data/datasetFile';
import { tokenizeDelimited, DelimitedTokenizer } from '../../../../src/core/data/csv';
import { resolveColumn } from '../../../../src/core/data/datasetBuilder';
import { closestName } from '../../../../src/core/didYouMean';
import { prepareData } from '../../../../src/core/data/prepare';
import { InputError } from '../../../../src/core/inputError';

function inputError(pattern: RegExp, where?: { line: number; column?: number }) {
  return (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${e instanceof Error ? e.stack : String(e)}`);
    assert.match(e.message, pattern);
    if (where) {
      assert.equal(e.location?.line, where.line, `line of: ${e.describe()}`);
      if (where.column !== undefined) assert.equal(e.location?.column, where.column, `column of: ${e.describe()}`);
    }
    return true;
  };
}

function timed<T>(work: () => T, maxMs: number, what: string): T {
  const started = Date.now();
  const result = work();
  const ms = Date.now() - started;
  assert.ok(ms < maxMs, `${what} took ${ms} ms (limit ${maxMs})`);
  return result;
}

describe('hostile data files', function () {
  this.timeout(60_000);

  it('JSON nested 5,000 deep (valid or not) is refused with its place, not a stack overflow', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    assert.throws(() => parseDatasetText(`[[1,2],\n[3,${deep}]]`, 'deep.json'), inputError(/nested more than 100 deep/, { line: 2 }));
    // Invalid JSON too: the error locator (jsonc-parser's parseTree) recursed per level before it reached the error.
    assert.throws(() => parseDatasetText(`[[1,2],[3,${'['.repeat(5000)}`, 'deep.json'), inputError(/nested more than 100 deep/, { line: 1 }));
    // Brackets inside strings do not count.
    const ds = parseDatasetText(`[{"a": 1, "n": "${'['.repeat(5000)}", "y": 2}, {"a": 2, "n": "x", "y": 3}]`, 'strings.json', { inputs: ['a'], target: 'y' });
    assert.equal(ds.n, 2);
  });

  it('a JSON array of 200,000 rows reads (no spread of its items into Math.max)', () => {
    const rows: string[] = [];
    for (let i = 0; i < 200_000; i++) rows.push(`[${i % 7},${i % 5}]`);
    const ds = timed(() => parseDatasetText(`[${rows.join(',')}]`, 'rows.json'), 20_000, '200k rows');
    assert.equal(ds.n, 200_000);
    assert.equal(ds.d, 1);
    assert.equal(ds.x[199_999], 199_999 % 7);
  });

  it('a CSV with 130,000 columns reads (no spread of the column indices)', () => {
    const width = 130_001;
    const header = Array.from({ length: width }, (_, i) => `c${i}`).join(',');
    const row = (k: number) => Array.from({ length: width }, (_, i) => String((i + k) % 10)).join(',');
    const ds = parseDatasetText(`${header}\n${row(0)}\n${row(1)}\n`, 'wide.csv');
    assert.equal(ds.d, 130_000);
    assert.equal(ds.n, 2);
    assert.equal(ds.x[130_000 + 129_999], (129_999 + 1) % 10);
  });

  it('JSON Lines: an array line then an object line (and the reverse) is a located error, not a TypeError', () => {
    assert.throws(() => parseDatasetText('[0,0]\n{"a":0}\n', 'mixed.jsonl'), inputError(/holds an object but line 1 held an array/, { line: 2, column: 1 }));
    assert.throws(() => parseDatasetText('{"a":0,"y":1}\n\n[0,0]\n', 'mixed.jsonl'), inputError(/holds an array but line 1 held an object/, { line: 3 }));
  });

  it('a cell nested 10,000 deep is text in a message, not a stack overflow', () => {
    const deep = '['.repeat(10_000) + '1' + ']'.repeat(10_000);
    assert.throws(() => parseDatasetText(`{"a":1,"y":2}\n{"a":${deep},"y":3}\n`, 'cell.jsonl'), inputError(/column 'a' \(1\): '\[\[\[.*…' is not a number/, { line: 2 }));
    assert.throws(() => parseDatasetText(`${deep}\n`, 'line.jsonl'), (e: unknown) => e instanceof InputError);
  });

  it('CR-only line ends (old Mac) are line ends, however the text is cut into chunks', () => {
    const ds = parseDatasetText('a,b,y\r1,2,3.5\r4,5,6.5\r7,8,9.5\r', 'mac.csv');
    assert.deepEqual(ds.inputNames, ['a', 'b']);
    assert.equal(ds.n, 3);
    assert.deepEqual([...ds.x], [1, 2, 4, 5, 7, 8]);
    const jsonl = parseDatasetText('{"a":1,"y":2.5}\r{"a":2,"y":3.5}\r{"a":3,"y":1.5}', 'mac.jsonl');
    assert.equal(jsonl.n, 3);
    // Any text, cut anywhere: lone CRs read exactly as LFs would (CRLF stays one line end).
    fc.assert(fc.property(
      fc.array(fc.constantFrom('a', '1', ',', '"', '\r', '\n', '\r\n', ' ', '#'), { maxLength: 60 }).map(parts => parts.join('')),
      fc.array(fc.nat(80), { maxLength: 5 }),
      (text, cuts) => {
        const asLf = text.replace(/\r(?!\n)/g, '\n');
        let expected: unknown;
        try { expected = tokenizeDelimited(asLf, ','); } catch (e) { expected = (e as Error).message; }
        let actual: unknown;
        try {
          const records: { fields: string[]; line: number }[] = [];
          const tokenizer = new DelimitedTokenizer(',', (fields, line) => records.push({ fields, line }));
          let from = 0;
          for (const cut of [...cuts].sort((x, y) => x - y)) {
            tokenizer.push(text.slice(from, Math.max(from, cut)));
            from = Math.max(from, cut);
          }
          tokenizer.push(text.slice(from));
          tokenizer.end();
          actual = records;
        } catch (e) { actual = (e as Error).message; }
        assert.deepEqual(actual, expected);
      }), { numRuns: 500 });
  });

  it('the delimiter does not depend on how the text is cut (found by the fuzz campaign)', () => {
    // The first chunk alone ('a') decided the delimiter: comma, so 'a;b;y' was one column.
    const text = 'a;b;y\n1;2;3.5\n4;5;6.5\n';
    const whole = parseDatasetText(text, 'semi.csv');
    const cut = parseDatasetChunks(['a', text.slice(1, 7), text.slice(7)], 'semi.csv');
    assert.deepEqual(cut.inputNames, ['a', 'b']);
    assert.deepEqual([...cut.x], [...whole.x]);
    assert.deepEqual([...cut.y], [...whole.y]);
  });

  it('inputs of ±1.7e308 that overflow when standardised are an input error naming the column and row', () => {
    const ds = parseDatasetText('a,b,y\n1,1.7e308,1\n2,-1.7e308,2\n3,0,3\n4,1.7e308,4\n', 'huge.csv');
    // A split that leaves one 1.7e308 in validation and both signs in training (mean ≈ −0.6e308) overflows.
    let error: unknown;
    for (let seed = 0; seed < 20 && error === undefined; seed++) {
      try { prepareData(ds, { validation: 0.5, normalize: true, seed }); } catch (e) { error = e; }
    }
    assert.ok(error instanceof InputError, `some split must overflow, got ${String(error)}`);
    assert.match(error.message, /column 'b', data row [124]: -?1\.7e\+308 overflows when standardised .*rescale the column/);
  });

  it('a regression target too large for its squared error is a located input error, not "diverged at step 0"', () => {
    assert.throws(() => parseDatasetText('a,y\n1,1.5\n2,1e200\n3,2.5\n', 't.csv'), inputError(/target 'y': 1e\+200 is too large to regress on/, { line: 3 }));
  });

  it('"did you mean" work is bounded on a 1M-character name or column', () => {
    const huge = 'x'.repeat(1_000_000);
    const error = timed(() => {
      try { resolveColumn(huge, ['a', 'b', huge.slice(1)], 'f.csv', 'target'); } catch (e) { return e; }
      return undefined;
    }, 500, 'resolveColumn on a 1M-character name');
    assert.ok(error instanceof InputError);
    assert.ok(error.message.length < 400, `message is ${error.message.length} characters`);
    assert.equal(timed(() => closestName('sigmod', [huge, 'sigmoid']), 100, 'closestName'), 'sigmoid');
    assert.equal(closestName(huge, [huge.slice(1)]), undefined);
  });
});

describe('hostile data files on disk', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-hostile-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a FIFO is refused by its type at once, not read forever', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    await assert.rejects(readDatasetFile(fifo), inputError(/pipe\.csv is a named pipe \(FIFO\), not a data file/));
    assert.ok(Date.now() - started < 2000);
  });

  it('/dev/zero and a folder are refused by type (size 0 says nothing about them)', async function () {
    if (process.platform === 'win32') this.skip();
    await assert.rejects(readDatasetFile('/dev/zero'), inputError(/\/dev\/zero is a character device, not a data file/));
    await assert.rejects(readDatasetFile(dir), inputError(/is a folder, not a data file/));
    await assert.rejects(readDatasetFile(path.join(dir, 'none.csv')), inputError(/cannot open data file .*none\.csv: no such file/));
  });

  it('a file truncated while it is read is an error, not a training on the part read', async () => {
    const file = path.join(dir, 'big.csv');
    const lines = ['a,b,y'];
    for (let i = 0; i < 300_000; i++) lines.push(`${i % 13},${i % 7},${(i % 11) / 10}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    let cut = false;
    await assert.rejects(readDatasetFile(file, {
      onProgress: () => {
        if (!cut) fs.truncateSync(file, 1_500_000);
        cut = true;
      },
    }), inputError(/big\.csv changed while it was read/));
  });

  it('a file that grows while it is read is an error too (a log still being written)', async () => {
    const file = path.join(dir, 'growing.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i++) lines.push(`{"a":${i % 13},"y":${(i % 11) / 10}}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    let grown = false;
    await assert.rejects(readDatasetFile(file, {
      onProgress: () => {
        if (!grown) fs.appendFileSync(file, '{"a":1,"y":2}\n'.repeat(1000));
        grown = true;
      },
    }), inputError(/growing\.jsonl changed while it was read/));
  });
});
