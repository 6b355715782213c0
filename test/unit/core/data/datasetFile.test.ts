import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseDatasetText, readDatasetFile, looksLikeHeader } from '../../../../src/core/data/datasetFile';
import { InputError } from '../../../../src/core/inputError';

function inputError(pattern: RegExp, where?: { line: number; column?: number }) {
  return (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match(e.message, pattern);
    if (where) {
      assert.equal(e.location?.line, where.line, `line of: ${e.describe()}`);
      if (where.column !== undefined) assert.equal(e.location?.column, where.column, `column of: ${e.describe()}`);
    }
    return true;
  };
}

describe('dataset files: CSV and TSV', () => {
  it('reads a header, inputs and a numeric target as regression', () => {
    const ds = parseDatasetText('size,rooms,price\n50,2,100.5\n80,3,150.25\n120,4,310\n', 'homes.csv');
    assert.deepEqual(ds.inputNames, ['size', 'rooms']);
    assert.equal(ds.targetName, 'price');
    assert.equal(ds.task, 'regression');
    assert.deepEqual([...ds.x], [50, 2, 80, 3, 120, 4]);
    assert.deepEqual([...ds.y], [100.5, 150.25, 310]);
  });

  it('keeps text class names, sorted, for a text target', () => {
    const ds = parseDatasetText('a\tb\tkind\n1\t2\tsetosa\n3\t4\tvirginica\n5\t6\tversicolor\n7\t8\tsetosa\n', 'iris.tsv');
    assert.equal(ds.task, 'multiclass');
    assert.deepEqual(ds.classes, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual([...ds.y], [0, 2, 1, 0]);
  });

  it('reads few distinct integers as classes (binary) and says so', () => {
    const ds = parseDatasetText('x,y,label\n0.1,0.2,1\n0.3,0.1,0\n0.5,0.5,1\n', 'p.csv');
    assert.equal(ds.task, 'binary');
    assert.deepEqual(ds.classes, ['0', '1']);
    assert.ok(ds.notes.some(n => /2 integer values/.test(n)));
    const forced = parseDatasetText('x,y,label\n0.1,0.2,1\n0.3,0.1,0\n0.5,0.5,1\n', 'p.csv', { task: 'regression' });
    assert.equal(forced.task, 'regression');
  });

  it('selects columns by name and by index', () => {
    const ds = parseDatasetText('a,b,c,d\n1,2.5,3,4\n5,6.5,7,8\n', 'x.csv', { inputs: ['d', 0], target: 'b' });
    assert.deepEqual(ds.inputNames, ['d', 'a']);
    assert.deepEqual([...ds.x], [4, 1, 8, 5]);
    assert.deepEqual([...ds.y], [2.5, 6.5]);
  });

  it('suggests the nearest column name for a typo', () => {
    assert.throws(() => parseDatasetText('size,price\n1,2\n', 'x.csv', { target: 'prise' }), inputError(/target column 'prise' is not in x\.csv — did you mean 'price'\?/));
  });

  it('skips rows with missing values, counting them and naming the first', () => {
    const text = 'x1,x2,y\n1,2,3.5\n4,NA,6\n7,8,?\n,1,1\n9,10,null\n11,12,NaN\n13,14,15.5\n';
    const ds = parseDatasetText(text, 'gaps.csv');
    assert.equal(ds.n, 2);
    assert.deepEqual([...ds.y], [3.5, 15.5]);
    assert.ok(ds.notes.includes("5 rows skipped for missing values (first at line 3, column 'x2')"), ds.notes.join('|'));
  });

  it('treats ragged short rows as missing values and refuses rows with extra values', () => {
    const ds = parseDatasetText('a,b,c\n1,2,3\n4,5\n6,7,8,\n', 'r.csv');
    assert.equal(ds.n, 2);
    assert.throws(() => parseDatasetText('a,b,c\n1,2,3\n4,5,6,7\n', 'r.csv'), inputError(/4 fields but the header has 3/, { line: 3, column: 7 }));
  });

  it('names file, line, column and value for text in an input column', () => {
    const text = 'age,height,weight\n30,1.80,80\n41,tall,70\n';
    assert.throws(() => parseDatasetText(text, 'people.csv'), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.describe(), "people.csv:3:4: column 'height' (2): 'tall' is not a number");
      return true;
    });
  });

  it('hints at a decimal comma where a comma cannot be one (a comma- or tab-separated file)', () => {
    const hint = /'1,5' is not a number \(a decimal comma\? numbers are read with '\.' as the decimal point\)/;
    assert.throws(() => parseDatasetText('x,y\n"1,5",2\n', 'us.csv'), inputError(hint, { line: 2, column: 1 }));
    // in a tab-separated file "1,234" may be a thousand: not guessed at
    assert.throws(() => parseDatasetText('x\ty\n1,5\t2\n', 'tab.tsv'), inputError(hint, { line: 2, column: 1 }));
  });

  it('reads decimal commas in a semicolon-separated file (a European spreadsheet export), and says so', () => {
    const text = '\uFEFF"Länge";"Breite";"Art"\r\n5,1;3,5;setosa\r\n-0,25;,5;setosa\r\n7;3,2e1;versicolor\r\n6,3;3.5;versicolor\r\n';
    const ds = parseDatasetText(text, 'iris-de.csv');
    assert.deepEqual(ds.inputNames, ['Länge', 'Breite']);
    assert.deepEqual([...ds.x], [5.1, 3.5, -0.25, 0.5, 7, 32, 6.3, 3.5]);
    assert.deepEqual(ds.classes, ['setosa', 'versicolor']);
    assert.ok(ds.notes.includes("semicolon-separated: 6 values with a decimal comma read as numbers (first '5,1' at line 2, column 'Länge')"), ds.notes.join('|'));
    // a decimal-comma target is a number, so a regression target, not 4 class labels
    const reg = parseDatasetText('x;y\n1;0,5\n2;1,25\n3;2,5\n4;3,75\n', 'reg.csv');
    assert.equal(reg.task, 'regression');
    assert.deepEqual([...reg.y], [0.5, 1.25, 2.5, 3.75]);
    // the header is told from numbers with a decimal comma too (else '5,1;3,5' would look like a row of text)
    const headless = parseDatasetText('5,1;3,5;1\n4,9;3;0\n', 'nohead.csv');
    assert.deepEqual([...headless.x], [5.1, 3.5, 4.9, 3]);
    // thousands separators are not guessed at: '1.234,5' stays text, with the file's place
    assert.throws(() => parseDatasetText('x;y\n1.234,5;2\n', 'eu.csv'), inputError(/'1\.234,5' is not a number/, { line: 2, column: 1 }));
    // without decimal commas a semicolon file has no such note (UCI's wine-quality files: ';' and '.')
    assert.ok(!parseDatasetText('"a";"b"\n7.4;0.7\n7.8;0.88\n', 'wine.csv').notes.some(n => /decimal comma/.test(n)));
  });

  it("leaves out a saved row index (pandas' to_csv: an unnamed first column of increasing whole numbers)", () => {
    // a dropped row (5) leaves a gap, as after pandas' dropna; the row with a missing value is skipped, not checked
    const text = ',x1,x2,label\n0,0.1,1E-5,True\n1,0.3,2e-1,False\n2,0.5,3,True\n3,,4,False\n4,0.9,5,True\n6,1.1,6,False\n';
    const ds = parseDatasetText(text, 'pandas.csv');
    assert.deepEqual(ds.inputNames, ['x1', 'x2']);
    assert.deepEqual([...ds.x], [0.1, 1e-5, 0.3, 0.2, 0.5, 3, 0.9, 5, 1.1, 6]);
    assert.ok(ds.notes.includes("'column 1' has no name and only increasing whole numbers: a saved row index (pandas' to_csv writes one), left out of the inputs (list it in data.inputs to use it)"), ds.notes.join('|'));
    // listed, it is an input
    assert.deepEqual(parseDatasetText(text, 'pandas.csv', { inputs: ['column 1', 'x1'] }).inputNames, ['column 1', 'x1']);
    // not increasing, not whole, or named: an input like any other
    for (const other of [',x,y\n0,1,2\n2,3,4\n1,5,6\n', ',x,y\n0.5,1,2\n1.5,3,4\n2.5,5,6\n', 'id,x,y\n0,1,2\n1,3,4\n2,5,6\n']) {
      const read = parseDatasetText(other, 'other.csv');
      assert.equal(read.d, 2, other);
      assert.ok(!read.notes.some(n => /row index/.test(n)), other);
    }
  });

  it('drops the empty last column of lines that all end in a delimiter', () => {
    const ds = parseDatasetText('a,b,c,\n1,2,0,\n3,4,1,\n5,6,0,\n', 'trail.csv');
    assert.deepEqual([ds.inputNames, ds.targetName, [...ds.x], [...ds.y]], [['a', 'b'], 'c', [1, 2, 3, 4, 5, 6], [0, 1, 0]]);
    const headless = parseDatasetText('1,2,0.5,\n3,4,1.5,\n5,6,2,\n', 'trail.csv');
    assert.deepEqual([headless.inputNames, [...headless.y]], [['column 1', 'column 2'], [0.5, 1.5, 2]]);
    // a value in that column later on is a row too wide, with its place
    assert.throws(() => parseDatasetText('a,b,c,\n1,2,0,\n3,4,1,9\n', 'trail.csv'), inputError(/this row has 4 fields but the header has 3/, { line: 3, column: 7 }));
    // a named last column stays, empty or not
    assert.deepEqual(parseDatasetText('a,b,c,d\n1,2,0,\n3,4,1,7\n', 'named.csv').inputNames, ['a', 'b', 'c']);
  });

  it('says so when a file is separated by spaces, which is no delimiter it reads', () => {
    assert.throws(() => parseDatasetText(' 0.00632  18.00   2.310\n 0.02731   0.00   7.070\n', 'housing.data'),
      inputError(/housing\.data has only one column \('0\.00632  18\.00   2\.310'\): its values are separated by spaces/, { line: 1, column: 1 }));
    assert.throws(() => parseDatasetText('x y label\n1 2 0\n3 4 1\n', 'xy.txt'), inputError(/save it as CSV, or put tabs between the values/));
    // a one-column file whose name has a space is still a one-column file, not space-separated
    assert.throws(() => parseDatasetText('body mass\n1\n2\n', 'one.csv'), inputError(/has only one column \('body mass'\): there is no input column/));
  });

  it('points at the right line after a quoted field with newlines', () => {
    const text = 'note,x,y\n"multi\nline",1,2\n"ok",oops,3\n';
    assert.throws(() => parseDatasetText(text, 'n.csv', { inputs: ['x'], target: 'y' }), inputError(/'oops' is not a number/, { line: 4, column: 6 }));
  });

  it('reports constant columns and keeps huge numbers finite', () => {
    const ds = parseDatasetText('a,b,y\n1e300,7,1.5\n-1e300,7,2.5\n1.7976931348623157e308,7,3.5\n', 'h.csv');
    assert.equal(ds.x[4], 1.7976931348623157e308);
    assert.ok(ds.notes.some(n => /column 'b' is constant \(7\)/.test(n)));
    assert.throws(() => parseDatasetText('a,y\n1e999,1\n2,2\n', 'h.csv'), inputError(/'1e999' is not a number/, { line: 2 }));
  });

  it('detects a missing header and names columns by position', () => {
    const ds = parseDatasetText('1,2,3\n4,5,6\n', 'nohead.csv');
    assert.deepEqual(ds.inputNames, ['column 1', 'column 2']);
    assert.equal(ds.n, 2);
    assert.equal(looksLikeHeader(['1.5', '2', 'cat'], ['3', '4', 'dog']), false);
    assert.equal(looksLikeHeader(['x', 'y', 'label'], ['3', '4', 'dog']), true);
  });

  it('turns invalid UTF-8 bytes into an error at their place, not a crash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-'));
    const file = path.join(dir, 'latin1.csv');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('caf\xe9,y\n', 'latin1'), Buffer.from('1,2\n\xff\xfe,3\n', 'latin1')]));
    await assert.rejects(readDatasetFile(file), inputError(/column 'caf\uFFFD' \(1\): '\uFFFD\uFFFD' is not a number/, { line: 3, column: 1 }));
    fs.writeFileSync(file, Buffer.concat([Buffer.from('caf\xe9,y\n1,2\n3,4\n', 'latin1')]));
    const ds = await readDatasetFile(file);
    assert.deepEqual(ds.inputNames, ['caf\uFFFD']);
    fs.rmSync(dir, { recursive: true });
  });

  it('never fails with anything but an InputError on arbitrary bytes (fuzz)', () => {
    const alphabet = fc.constantFrom(...'0123456789.,-e"\n\r\t#? NAabc\uFEFF\uFFFD'.split(''));
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 120 }).map(cs => cs.join('')), fc.constantFrom('f.csv', 'f.tsv', 'f.jsonl', 'f.json'), (text, name) => {
      try {
        const ds = parseDatasetText(text, name);
        assert.equal(ds.x.length, ds.n * ds.d);
        for (const v of ds.x) assert.ok(Number.isFinite(v));
      } catch (e) {
        assert.ok(e instanceof InputError, `${name} ${JSON.stringify(text)}: ${String(e)}`);
      }
    }), { numRuns: 1000 });
  });
});

describe('dataset files: JSON and JSON Lines', () => {
  it('reads an array of objects, with null as a missing value', () => {
    const ds = parseDatasetText('[{"a":1,"b":2,"c":"yes"},{"a":3,"b":null,"c":"no"},{"a":5,"b":6,"c":"no"}]', 'o.json');
    assert.deepEqual(ds.inputNames, ['a', 'b']);
    assert.deepEqual(ds.classes, ['no', 'yes']);
    assert.equal(ds.n, 2);
  });

  it('reads an array of arrays and the {x, y} form', () => {
    const rows = parseDatasetText('[[1,2,0.5],[3,4,1.5]]', 'a.json');
    assert.deepEqual([...rows.x], [1, 2, 3, 4]);
    const xy = parseDatasetText('{"x":[[1,2],[3,4],[5,6]],"y":[0.1,0.2,[0.3]]}', 'xy.json');
    assert.deepEqual(xy.inputNames, ['x1', 'x2']);
    assert.deepEqual([...xy.y], [0.1, 0.2, 0.3]);
  });

  it("reads every shape of pandas' DataFrame.to_json alike (orients columns, index, split, table), null as missing", () => {
    // the texts pandas 1.5 writes for DataFrame({'len': [5.1, 4.9, 7.0], 'wid': [3.5, None, 3.2], 'kind': ['a', 'a', 'b']})
    // after .drop(index=[1]) is undone: row labels 0, 1, 2
    const shapes: Record<string, string> = {
      columns: '{"len":{"0":5.1,"1":4.9,"2":7.0},"wid":{"0":3.5,"1":null,"2":3.2},"kind":{"0":"a","1":"a","2":"b"}}',
      index: '{"0":{"len":5.1,"wid":3.5,"kind":"a"},"1":{"len":4.9,"wid":null,"kind":"a"},"2":{"len":7.0,"wid":3.2,"kind":"b"}}',
      split: '{"columns":["len","wid","kind"],"index":[0,1,2],"data":[[5.1,3.5,"a"],[4.9,null,"a"],[7.0,3.2,"b"]]}',
      table: '{"schema":{"fields":[{"name":"index","type":"integer"},{"name":"len","type":"number"},{"name":"wid","type":"number"},'
        + '{"name":"kind","type":"string"}],"primaryKey":["index"],"pandas_version":"1.4.0"},"data":[{"index":0,"len":5.1,"wid":3.5,'
        + '"kind":"a"},{"index":1,"len":4.9,"wid":null,"kind":"a"},{"index":2,"len":7.0,"wid":3.2,"kind":"b"}]}',
    };
    for (const [orient, text] of Object.entries(shapes)) {
      const ds = parseDatasetText(text, `${orient}.json`);
      assert.deepEqual([ds.inputNames, ds.targetName, [...ds.x], ds.classes, ds.n], [['len', 'wid'], 'kind', [5.1, 3.5, 7, 3.2], ['a', 'b'], 2], orient);
      assert.ok(ds.notes.some(n => /1 row skipped for missing values/.test(n)), orient);
    }
    // table orient: the primary key (pandas' index) is a column when listed
    assert.deepEqual(parseDatasetText(shapes.table, 't.json', { inputs: ['index', 'len'] }).inputNames, ['index', 'len']);
    // a bad cell of the columns orient is pointed at where it is written
    assert.throws(() => parseDatasetText('{"a":{"0":1,"1":2},\n "y":{"0":1,"1":"x"}}', 'c.json', { task: 'regression' }),
      inputError(/target 'y' has text values/));
    assert.throws(() => parseDatasetText('{"a":{"0":1,\n "1":"oops"},"y":{"0":1,"1":2}}', 'c.json'),
      inputError(/column 'a' \(1\): 'oops' is not a number/, { line: 2, column: 6 }));
    // any other object is still refused, naming the shapes read
    assert.throws(() => parseDatasetText('{"rows":[1,2]}', 'o.json'), inputError(/or a pandas DataFrame\.to_json shape \(orient 'columns', 'index', 'split' or 'table'\)/));
  });

  it('locates a bad JSON value by line and column', () => {
    const text = '[\n  {"a": 1, "y": 2},\n  {"a": "oops", "y": 3}\n]';
    assert.throws(() => parseDatasetText(text, 'bad.json'), inputError(/column 'a' \(1\): 'oops' is not a number/, { line: 3, column: 9 }));
    assert.throws(() => parseDatasetText('[\n{"a":1,}\n]', 'bad.json'), inputError(/not valid JSON/, { line: 2 }));
  });

  it('reads JSON Lines and reports a broken line', () => {
    const ds = parseDatasetText('{"x":1,"y":2.5}\n\n{"x":2,"y":4}\r\n{"x":3,"y":6}', 'l.jsonl');
    assert.deepEqual([...ds.y], [2.5, 4, 6]);
    assert.throws(() => parseDatasetText('{"x":1,"y":2}\n{"x":2,"y":\n', 'l.jsonl'), inputError(/not valid JSON/, { line: 2 }));
  });
});

describe('dataset files: streaming and sampling', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-')); });
  after(() => fs.rmSync(dir, { recursive: true }));

  it('streams a 200,000-row file and matches the values written', async () => {
    const file = path.join(dir, 'big.csv');
    const lines = ['x1,x2,x3,y'];
    for (let i = 0; i < 200_000; i++) lines.push(`${i},${(i % 7) * 0.5},${-i / 3},${(i * 0.25).toFixed(2)}`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    let progressCalls = 0;
    const ds = await readDatasetFile(file, { onProgress: () => { progressCalls++; } });
    assert.equal(ds.n, 200_000);
    assert.ok(progressCalls >= 5, `progress reported ${progressCalls} times`);
    assert.equal(ds.x[3 * 123_457], 123_457);
    assert.equal(ds.x[3 * 123_457 + 2], -123_457 / 3);
    assert.equal(ds.y[199_999], 49_999.75);
  });

  it('samples past the row limit, seeded and uniform, and says so', async () => {
    const file = path.join(dir, 'limit.csv');
    const lines = ['i,y'];
    for (let i = 0; i < 10_000; i++) lines.push(`${i},${i % 2 === 0 ? 0.5 : 1.5}`);
    fs.writeFileSync(file, lines.join('\n'));
    const a = await readDatasetFile(file, { rowLimit: 1000, seed: 7 });
    const b = await readDatasetFile(file, { rowLimit: 1000, seed: 7 });
    assert.equal(a.n, 1000);
    assert.deepEqual(a.x, b.x);
    assert.ok(a.notes.some(n => /10,000 usable rows; a seeded uniform sample of 1,000/.test(n)));
    // A uniform sample of 0 … 9999 has a mean near 5000 (sd of the mean ≈ 91).
    const mean = a.x.reduce((s, v) => s + v, 0) / a.n;
    assert.ok(Math.abs(mean - 4999.5) < 400, `mean ${mean}`);
    assert.equal(new Set(a.x).size, 1000);
  });
});
