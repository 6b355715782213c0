// Streaming tokenizer for delimited text (CSV, TSV, semicolon-separated): RFC 4180 quoting (delimiters, quotes and
// newlines inside "…", "" for a quote), `#` comment lines, blank lines, CRLF, lone CR (old Mac) and a UTF-8 BOM. Text arrives in chunks
// of any size; a record cut by a chunk boundary is parsed again once the rest arrives, so no chunk size changes the
// result. Records are handed out one at a time and nothing is kept, so memory stays flat however large the file.
import { InputError } from '../inputError';
import { coreText } from '../messages';

/**
 * Receives each record: its fields, the 1-based line it starts on and, per field, the 1-based character column where
 * the field starts (on the record's first line; fields after an embedded newline count from that line's start).
 */
export type RecordHandler = (fields: string[], line: number, fieldColumns: number[]) => void;

const QUOTE = 34; // "
const HASH = 35; // #
const CR = 13;
const LF = 10;
const LONE_CR = /\r(?!\n)/g;

export class DelimitedTokenizer {
  private buffer = '';
  /** Line number of buffer[0]. */
  private line = 1;
  private started = false;
  /** The last chunk ended in CR: whether it was a line end depends on the next chunk's first character. */
  private pendingCR = false;
  private readonly delimiterCode: number;

  constructor(
    delimiter: string,
    private readonly onRecord: RecordHandler,
    private readonly fileLabel = 'input',
  ) {
    if (delimiter.length !== 1) throw new Error(`delimiter must be one character, got '${delimiter}'`);
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  push(chunk: string): void {
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    chunk = this.normaliseLineEnds(chunk);
    this.buffer = this.buffer.length > 0 ? this.buffer + chunk : chunk;
    this.drain(false);
  }

  end(): void {
    if (this.pendingCR) this.buffer += '\n';
    this.pendingCR = false;
    this.drain(true);
    this.buffer = '';
  }

  /**
   * Old Mac files end lines with a lone CR: each CR not followed by LF becomes LF (so the rest of the tokenizer sees
   * one kind of line end); CRLF is left as is. The common chunk without CR costs one indexOf.
   */
  private normaliseLineEnds(chunk: string): string {
    if (this.pendingCR) {
      chunk = `\r${chunk}`;
      this.pendingCR = false;
    }
    if (chunk.indexOf('\r') < 0) return chunk;
    if (chunk.charCodeAt(chunk.length - 1) === CR) {
      this.pendingCR = true;
      chunk = chunk.slice(0, -1);
    }
    return chunk.replace(LONE_CR, '\n');
  }

  private drain(final: boolean): void {
    const text = this.buffer;
    const length = text.length;
    const delimiterCode = this.delimiterCode;
    let pos = 0;
    let line = this.line;
    while (pos < length) {
      let newline = text.indexOf('\n', pos);
      if (newline < 0) {
        if (!final) break;
        newline = length;
      }
      const first = text.charCodeAt(pos);
      if (first === HASH) {
        pos = newline + 1;
        line++;
        continue;
      }
      // One pass over the line: split at delimiters unless a quote shows up (then the general parser takes over).
      let end = newline;
      if (end > pos && text.charCodeAt(end - 1) === CR) end--;
      let blank = true;
      let quoted = false;
      const fields: string[] = [];
      const columns: number[] = [];
      let start = pos;
      for (let i = pos; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c === delimiterCode) {
          fields.push(text.slice(start, i));
          columns.push(start - pos + 1);
          start = i + 1;
          blank = false;
        } else if (c === QUOTE) {
          quoted = true;
          break;
        } else if (blank && c !== 32 && c !== 9 && c !== CR) {
          blank = false;
        }
      }
      if (!quoted) {
        if (!blank) {
          fields.push(text.slice(start, end));
          columns.push(start - pos + 1);
          this.onRecord(fields, line, columns);
        }
        pos = newline + 1;
        line++;
        continue;
      }
      const parsed = this.parseQuotedRecord(text, pos, line, final);
      if (parsed === undefined) break;
      this.onRecord(parsed.fields, line, parsed.columns);
      pos = parsed.next;
      line = parsed.nextLine;
    }
    this.buffer = pos >= length ? '' : text.slice(pos);
    this.line = line;
  }

  /** The general case: a record with quoted fields, possibly spanning lines. undefined when the record is cut off. */
  private parseQuotedRecord(
    text: string, start: number, startLine: number, final: boolean,
  ): { fields: string[]; columns: number[]; next: number; nextLine: number } | undefined {
    const length = text.length;
    const delimiterCode = this.delimiterCode;
    const fields: string[] = [];
    const columns: number[] = [];
    let line = startLine;
    let lineStart = start;
    let pos = start;
    for (;;) {
      columns.push(pos - lineStart + 1);
      if (pos < length && text.charCodeAt(pos) === QUOTE) {
        // Quoted field: up to the closing quote, "" standing for one quote.
        let value = '';
        let from = pos + 1;
        let closed = false;
        let i = from;
        while (i < length) {
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (i + 1 < length && text.charCodeAt(i + 1) === QUOTE) {
              value += text.slice(from, i + 1);
              i += 2;
              from = i;
              continue;
            }
            if (i + 1 >= length && !final) return undefined; // might be the first half of ""
            value += text.slice(from, i);
            closed = true;
            i++;
            break;
          }
          if (c === LF) {
            line++;
            lineStart = i + 1;
          }
          i++;
        }
        if (!closed) {
          if (!final) return undefined;
          throw new InputError(coreText('data.csv.unclosedQuote'), {
            file: this.fileLabel, line: startLine, column: columns[columns.length - 1],
          });
        }
        // Anything between the closing quote and the next delimiter is kept as is (lenient, like Python's csv).
        let j = i;
        while (j < length) {
          const c = text.charCodeAt(j);
          if (c === delimiterCode || c === LF) break;
          j++;
        }
        if (j >= length && !final) return undefined;
        let tail = text.slice(i, j);
        if (tail.length > 0 && tail.charCodeAt(tail.length - 1) === CR) tail = tail.slice(0, -1);
        fields.push(value + tail);
        pos = j;
      } else {
        let j = pos;
        while (j < length) {
          const c = text.charCodeAt(j);
          if (c === delimiterCode || c === LF) break;
          j++;
        }
        if (j >= length && !final) return undefined;
        let end = j;
        if (end > pos && text.charCodeAt(end - 1) === CR && (j >= length || text.charCodeAt(j) === LF)) end--;
        fields.push(text.slice(pos, end));
        pos = j;
      }
      if (pos >= length) return { fields, columns, next: length, nextLine: line };
      if (text.charCodeAt(pos) === LF) return { fields, columns, next: pos + 1, nextLine: line + 1 };
      pos++; // past the delimiter
    }
  }
}

/** Tokenise a whole string at once (tests, small inputs). */
export function tokenizeDelimited(text: string, delimiter: string): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  const tokenizer = new DelimitedTokenizer(delimiter, (fields, line) => records.push({ fields, line }));
  tokenizer.push(text);
  tokenizer.end();
  return records;
}

/**
 * Pick the delimiter from the file name and a sample of its first lines: tab for .tsv/.tab, else the most frequent
 * and consistent of comma, tab and semicolon outside quotes (comma when there is none: a one-column file).
 */
export function sniffDelimiter(sample: string, fileName = ''): string {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return '\t';
  const lines = sample.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
    .filter(l => l.trim().length > 0 && !l.startsWith('#'))
    .slice(0, 20);
  const candidates = [',', '\t', ';'];
  let best = ',';
  let bestScore = 0;
  for (const candidate of candidates) {
    const counts = lines.map(l => countOutsideQuotes(l, candidate));
    const min = Math.min(...counts);
    // Consistent counts on every sampled line score highest; ties go to the order above.
    const score = min > 0 ? min * 1000 : counts.reduce((a, b) => a + b, 0) > 0 ? 1 : 0;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, ch: string): number {
  let count = 0;
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === ch && !inQuotes) count++;
  }
  return count;
}
