import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DelimitedTokenizer, sniffDelimiter, tokenizeDelimited } from '../../../../src/core/data/csv';
import { InputError } from '../../../../src/core/inputError';

/** Feed text in pieces cut at the given positions. */
function tokenizeInPieces(text: string, delimiter: string, cuts: number[]): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  const tokenizer = new DelimitedTokenizer(delimiter, (fields, line) => records.push({ fields, line }));
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    tokenizer.push(text.slice(from, cut));
    from = Math.max(from, cut);
  }
  tokenizer.push(text.slice(from));
  tokenizer.end();
  return records;
}

describe('DelimitedTokenizer', () => {
  it('reads quoted fields with delimiters, doubled quotes and newlines, and counts lines across them', () => {
    const text = 'a,b,c\n"x, y","say ""hi""","two\nlines"\n4,5,6\n';
    const records = tokenizeDelimited(text, ',');
    assert.deepEqual(records.map(r => r.fields), [['a', 'b', 'c'], ['x, y', 'say "hi"', 'two\nlines'], ['4', '5', '6']]);
    assert.deepEqual(records.map(r => r.line), [1, 2, 4]);
  });

  it('strips a BOM, handles CRLF, skips comment and blank lines', () => {
    const text = '\uFEFFx,y\r\n# a comment, with a comma\r\n\r\n   \r\n1,2\r\n"3","4"\r\n';
    const records = tokenizeDelimited(text, ',');
    assert.deepEqual(records.map(r => r.fields), [['x', 'y'], ['1', '2'], ['3', '4']]);
    assert.deepEqual(records.map(r => r.line), [1, 5, 6]);
  });

  it('gives each field its 1-based character column', () => {
    const columns: number[][] = [];
    const tokenizer = new DelimitedTokenizer(',', (_f, _l, c) => columns.push(c));
    tokenizer.push('ab,cde,f\n"q",12\n');
    tokenizer.end();
    assert.deepEqual(columns, [[1, 4, 8], [1, 5]]);
  });

  it('reads the last line without a newline, and an empty trailing field', () => {
    assert.deepEqual(tokenizeDelimited('1,2,\n3,4,5', ',').map(r => r.fields), [['1', '2', ''], ['3', '4', '5']]);
  });

  it('reports an unterminated quote with its line', () => {
    assert.throws(() => tokenizeDelimited('a,b\n1,"open\n2,3\n', ','), (e: unknown) =>
      e instanceof InputError && e.location?.line === 2 && e.location.column === 3 && /never closed/.test(e.message));
  });

  it('gives the same records however the text is cut into chunks (property)', () => {
    const field = fc.oneof(
      fc.stringMatching(/^[a-z0-9.\-]{0,5}$/),
      fc.string({ maxLength: 6 }).map(s => `"${s.replace(/"/g, '""')}"`),
    );
    const row = fc.array(field, { minLength: 1, maxLength: 4 }).map(fs => fs.join(','));
    const file = fc.array(row, { minLength: 1, maxLength: 8 }).map(rows => rows.join('\r\n') + '\n');
    fc.assert(fc.property(file, fc.array(fc.nat(200), { maxLength: 6 }), (text, cuts) => {
      assert.deepEqual(tokenizeInPieces(text, ',', cuts), tokenizeDelimited(text, ','));
    }), { numRuns: 300 });
  });

  it('never throws anything but an InputError on arbitrary text (fuzz)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), fc.constantFrom(',', '\t', ';'), (text, delimiter) => {
      try {
        tokenizeDelimited(text, delimiter);
      } catch (e) {
        assert.ok(e instanceof InputError, String(e));
      }
    }), { numRuns: 500 });
  });
});

describe('sniffDelimiter', () => {
  it('picks tab for .tsv, semicolon when it is the consistent separator, comma otherwise', () => {
    assert.equal(sniffDelimiter('a,b\n1,2', 'x.tsv'), '\t');
    assert.equal(sniffDelimiter('a;b;c\n1;2;3\n', 'x.csv'), ';');
    assert.equal(sniffDelimiter('a\tb\n1\t2\n', 'x.txt'), '\t');
    assert.equal(sniffDelimiter('"a;b",c\n"1;2",3\n', 'x.csv'), ',');
    assert.equal(sniffDelimiter('value\n1\n2\n', 'x.csv'), ',');
  });
});
