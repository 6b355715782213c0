// Reads a dataset file into a Dataset: CSV/TSV (streamed in chunks), JSON Lines (streamed line by line) and JSON
// (an array of objects, an array of arrays, or { "x": [[…]], "y": […] }). Bytes that are not valid UTF-8 become
// U+FFFD and, if they sit in a used column, an error that points at them, never a crash.
import * as path from 'node:path';
import { TextDecoder } from 'node:util';
import { parseTree, findNodeAtLocation, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Dataset } from '../types';
import { DelimitedTokenizer, sniffDelimiter } from './csv';
import { DatasetBuilder, readCell, type ColumnChoice, type Locator } from './datasetBuilder';
import { InputError, type SourceLocation } from '../inputError';
import { coreText, jsTypeText, type CoreText } from '../messages';
import { assertUnchanged, openRegularFile } from '../io/regularFile';
import { MAX_JSON_DEPTH, boundedJson, excessiveNestingOffset, isJsonObject } from '../io/jsonLimits';

export type DatasetFormat = 'delimited' | 'json' | 'jsonl';

export interface ReadDatasetOptions extends ColumnChoice {
  /** Force the header decision (default: detected). */
  header?: boolean;
  /** Force the delimiter (default: from the extension and the first lines). */
  delimiter?: string;
  /** Checked between chunks: reading stops with an error once it is true. */
  isCancelled?: () => boolean;
  /** Bytes read so far, after each chunk. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** Whole-file JSON (not JSON Lines) is parsed in memory; past this size the user is asked for CSV or JSON Lines. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;
const CHUNK_BYTES = 1 << 20;
/** The delimiter is chosen from this many characters of the start of the file. */
const SNIFF_CHARS = 64 * 1024;

export function formatOf(fileName: string): DatasetFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.json')) return 'json';
  return 'delimited';
}

/** Read a dataset file, streaming where the format allows. */
export async function readDatasetFile(filePath: string, options: ReadDatasetOptions = {}): Promise<Dataset> {
  const label = path.basename(filePath);
  const opened = await openRegularFile(filePath, 'data file');
  const { handle, stat } = opened;
  try {
    const size = stat.size;
    if (size === 0) throw new InputError(coreText('data.empty', { file: label }));
    const format = formatOf(filePath);
    if (format === 'json') {
      if (size > MAX_JSON_BYTES) {
        throw new InputError(coreText('data.jsonTooLarge', { file: label, mb: (size / 1e6).toFixed(0), max: MAX_JSON_BYTES / (1 << 20) }));
      }
      // At most size + 1 bytes: one more than expected means the file grew while it was read.
      const bytes = Buffer.allocUnsafe(size + 1);
      let bytesRead = 0;
      for (;;) {
        const { bytesRead: got } = await handle.read(bytes, bytesRead, bytes.length - bytesRead, null);
        if (got === 0) break;
        bytesRead += got;
        if (bytesRead === bytes.length) break;
      }
      await assertUnchanged(opened, bytesRead, filePath, label);
      return parseJsonDataset(decodeBytes(bytes.subarray(0, bytesRead)), label, options);
    }
    const reader = format === 'jsonl' ? new JsonLinesReader(label, options) : new DelimitedReader(label, options);
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new StreamingDecoder();
    let bytesRead = 0;
    for (;;) {
      if (options.isCancelled?.()) throw new InputError(coreText('data.cancelled', { file: label }));
      const { bytesRead: got } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (got === 0) break;
      bytesRead += got;
      // Past the size seen at the start the file is growing: stop reading (it may never end) and say so.
      if (bytesRead > size) break;
      reader.push(decoder.decode(buffer.subarray(0, got)));
      options.onProgress?.(bytesRead, size);
    }
    // Checked before the last rows are parsed: a cut-off file's parse error would hide that it changed.
    await assertUnchanged(opened, bytesRead, filePath, label);
    reader.push(decoder.flush());
    return reader.finish();
  } finally {
    await handle.close();
  }
}

/** Parse a dataset held in a string (tests, editors' unsaved buffers). The format comes from `fileName`. */
export function parseDatasetText(text: string, fileName: string, options: ReadDatasetOptions = {}): Dataset {
  const label = path.basename(fileName);
  const format = formatOf(fileName);
  if (format === 'json') return parseJsonDataset(text, label, options);
  const reader = format === 'jsonl' ? new JsonLinesReader(label, options) : new DelimitedReader(label, options);
  reader.push(text);
  return reader.finish();
}

/** Parse a dataset arriving in pieces, as the streaming reader receives it (JSON, read whole, is joined first). */
export function parseDatasetChunks(chunks: readonly string[], fileName: string, options: ReadDatasetOptions = {}): Dataset {
  const label = path.basename(fileName);
  const format = formatOf(fileName);
  if (format === 'json') return parseJsonDataset(chunks.join(''), label, options);
  const reader = format === 'jsonl' ? new JsonLinesReader(label, options) : new DelimitedReader(label, options);
  for (const chunk of chunks) reader.push(chunk);
  return reader.finish();
}

/** UTF-8 by default (invalid bytes become U+FFFD); UTF-16 when the file starts with its byte-order mark. */
class StreamingDecoder {
  private decoder?: TextDecoder;

  decode(bytes: Uint8Array): string {
    if (!this.decoder) {
      const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
      this.decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: false });
    }
    return this.decoder.decode(bytes, { stream: true });
  }

  flush(): string {
    return this.decoder ? this.decoder.decode() : '';
  }
}

function decodeBytes(bytes: Uint8Array): string {
  const decoder = new StreamingDecoder();
  return decoder.decode(bytes) + decoder.flush();
}

interface ChunkReader {
  push(text: string): void;
  finish(): Dataset;
}

/** CSV/TSV: the first two records decide the header and are then replayed into the builder. */
class DelimitedReader implements ChunkReader {
  private tokenizer?: DelimitedTokenizer;
  /** Text before the tokenizer starts (until SNIFF_CHARS have arrived). */
  private head = '';
  private pending: { fields: string[]; line: number; columns: number[] }[] = [];
  private builder?: DatasetBuilder;
  private headerLine?: number;
  private decimalComma = false;
  private readonly locate: Locator;

  constructor(private readonly label: string, private readonly options: ReadDatasetOptions) {
    this.locate = (line, _field, columns) => ({ file: label, line, column: columns?.[_field] ?? 1 });
  }

  push(text: string): void {
    if (!this.tokenizer) {
      // The delimiter is sniffed from the first 64 KB however the text arrives: a short first chunk must not decide it.
      this.head += text;
      if (this.head.length < SNIFF_CHARS) return;
      this.startTokenizer();
      return;
    }
    this.tokenizer.push(text);
  }

  private startTokenizer(): void {
    const head = this.head;
    this.head = '';
    const delimiter = this.options.delimiter ?? sniffDelimiter(head.slice(0, SNIFF_CHARS), this.label);
    // A semicolon-separated file is the spreadsheet export of locales that write 5,1 for 5.1 (the comma being
    // taken): there a decimal comma is read as one. Not in a tab-separated file, where "1,234" may be a thousand.
    this.decimalComma = delimiter === ';';
    this.tokenizer = new DelimitedTokenizer(delimiter, (fields, line, columns) => this.onRecord(fields, line, columns), this.label);
    this.tokenizer.push(head);
  }

  finish(): Dataset {
    if (!this.tokenizer && this.head.length > 0) this.startTokenizer();
    if (!this.tokenizer) throw new InputError(coreText('data.empty', { file: this.label }));
    this.tokenizer.end();
    if (!this.builder) this.startBuilder();
    const notes: CoreText[] = [];
    if (this.headerLine === undefined) notes.push(coreText('data.note.noHeader', { file: this.label }));
    return this.builder!.finish(this.label, notes);
  }

  private onRecord(fields: string[], line: number, columns: number[]): void {
    if (this.builder) {
      this.builder.addRow(fields, line, columns);
      return;
    }
    this.pending.push({ fields, line, columns });
    if (this.pending.length >= 2) this.startBuilder();
  }

  private startBuilder(): void {
    const [first, second] = this.pending;
    if (!first) throw new InputError(coreText('data.noDataRows', { file: this.label }));
    const header = this.options.header ?? looksLikeHeader(first.fields, second?.fields, this.decimalComma);
    let names: string[];
    let rows = this.pending;
    // Lines that all end in a delimiter ("a,b,c," — some exporters write one) have an empty last field, not a
    // column: an unnamed, empty last column is dropped (a row with a value there still fails, as too many fields)
    const blankAt = (fields: string[], i: number) => !(fields[i] ?? '').trim();
    if (header) {
      rows = this.pending.slice(1);
      let width = first.fields.length;
      while (width > 1 && blankAt(first.fields, width - 1) && rows.every(r => blankAt(r.fields, width - 1))) width--;
      names = uniqueNames(first.fields.slice(0, width).map((f, i) => f.trim() || `column ${i + 1}`));
      this.headerLine = first.line;
    } else {
      let width = Math.max(...this.pending.map(r => r.fields.length));
      if (width > 1 && this.pending.every(r => r.fields.length === width && blankAt(r.fields, width - 1))) width--;
      names = Array.from({ length: width }, (_, i) => `column ${i + 1}`);
    }
    if (names.length === 1 && header && /\S[ \t]+\S/.test(names[0]) && rows.some(r => /\S[ \t]+\S/.test(r.fields[0] ?? ''))) {
      // "x y label" / "1 2 0": a file separated by runs of spaces (UCI's .data files), which is no delimiter here
      throw new InputError(coreText('data.spaceSeparated', { file: this.label, column: names[0] }),
        { file: this.label, line: first.line, column: 1 });
    }
    this.builder = new DatasetBuilder(names, this.options, this.label, this.locate, this.options.task, {
      decimalComma: this.decimalComma, unnamedFirstColumn: header && first.fields.length > 1 && first.fields[0].trim() === '',
    });
    this.pending = [];
    for (const r of rows) this.builder.addRow(r.fields, r.line, r.columns);
  }
}

/**
 * A first row is a header when every field is text, or when some column holds text there and a number in the next
 * row. (A text target alone, "1.5,2,cat", does not make a header: its column is text in both rows.)
 */
export function looksLikeHeader(first: string[], second: string[] | undefined, decimalComma = false): boolean {
  const kinds = first.map(f => readCell(f, decimalComma).kind);
  if (kinds.every(k => k === 'text')) return true;
  if (!second) return false;
  return kinds.some((k, i) => k === 'text' && i < second.length && readCell(second[i], decimalComma).kind === 'number');
}

function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map(n => {
    const count = seen.get(n) ?? 0;
    seen.set(n, count + 1);
    return count === 0 ? n : `${n}.${count}`;
  });
}

const LONE_CR = /\r(?!\n)/g;

/** JSON Lines: one object (or array) per line; keys of the first object name the columns. */
class JsonLinesReader implements ChunkReader {
  private carry = '';
  private line = 1;
  private builder?: DatasetBuilder;
  private keys?: string[];
  /** The shape of the first data line; every later line must have the same. */
  private shape?: { kind: 'array' | 'object'; line: number };
  private started = false;
  private pendingCR = false;
  private readonly locate: Locator;

  constructor(private readonly label: string, private readonly options: ReadDatasetOptions) {
    this.locate = line => ({ file: label, line, column: 1 });
  }

  push(text: string): void {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.pendingCR) text = `\r${text}`;
    this.pendingCR = false;
    if (text.indexOf('\r') >= 0) {
      // Old Mac line ends: a CR not followed by LF ends a line. A CR at the chunk's end waits for the next chunk.
      if (text.charCodeAt(text.length - 1) === 13) {
        this.pendingCR = true;
        text = text.slice(0, -1);
      }
      text = text.replace(LONE_CR, '\n');
    }
    const all = this.carry + text;
    let pos = 0;
    for (;;) {
      const newline = all.indexOf('\n', pos);
      if (newline < 0) break;
      this.onLine(all.slice(pos, newline));
      pos = newline + 1;
    }
    this.carry = all.slice(pos);
  }

  finish(): Dataset {
    this.pendingCR = false;
    if (this.carry.length > 0) this.onLine(this.carry);
    this.carry = '';
    if (!this.builder) throw new InputError(coreText('data.noDataRows', { file: this.label }));
    return this.builder.finish(this.label);
  }

  private onLine(raw: string): void {
    const line = this.line++;
    const text = raw.trim();
    if (text.length === 0 || text.startsWith('#') || text.startsWith('//')) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InputError(coreText('data.jsonl.invalid'), { file: this.label, line, column: 1 });
    }
    const kind = Array.isArray(value) ? 'array' : value !== null && typeof value === 'object' ? 'object' : undefined;
    if (kind === undefined) {
      throw new InputError(coreText('data.jsonl.notRow', { value: boundedJson(value, 40) }), { file: this.label, line, column: 1 });
    }
    if (this.shape === undefined) {
      this.shape = { kind, line };
      if (kind === 'array') this.start(Array.from({ length: (value as unknown[]).length }, (_, i) => `column ${i + 1}`));
      else {
        this.keys = Object.keys(value as object);
        this.start(this.keys);
      }
    } else if (kind !== this.shape.kind) {
      throw new InputError(coreText('data.jsonl.shape', { kind: jsonKindText(kind), line: this.shape.line, first: jsonKindText(this.shape.kind) }), { file: this.label, line, column: 1 });
    }
    if (kind === 'array') this.builder!.addRow(value as unknown[], line);
    else {
      const record = value as Record<string, unknown>;
      this.builder!.addRow(this.keys!.map(k => record[k]), line);
    }
  }

  private start(names: string[]): void {
    this.builder = new DatasetBuilder(names, this.options, this.label, this.locate, this.options.task);
  }
}

/** Whole-file JSON in its three shapes. Locations are looked up in the text only when an error needs one. */
export function parseJsonDataset(text: string, label: string, options: ReadDatasetOptions = {}): Dataset {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Before any parse: the error locator's parseTree (and JSON.stringify of a cell) recurse per level.
  const tooDeep = excessiveNestingOffset(text, MAX_JSON_DEPTH, false);
  if (tooDeep !== undefined) {
    throw new InputError(coreText('data.json.tooDeep', { depth: MAX_JSON_DEPTH }), locationOf(text, tooDeep, label));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const errors: ParseError[] = [];
    parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    const at = errors.length > 0 ? locationOf(text, errors[0].offset, label) : { file: label, line: 1, column: 1 };
    throw new InputError(coreText('data.json.invalid'), at);
  }
  let tree: JsonNode | undefined;
  const locateItem = (jsonPath: (string | number)[]): SourceLocation => {
    tree ??= parseTree(text);
    const node = tree ? findNodeAtLocation(tree, jsonPath) : undefined;
    return node ? locationOf(text, node.offset, label) : { file: label, line: 1, column: 1 };
  };

  if (Array.isArray(value)) {
    const items = value as unknown[];
    if (items.length === 0) throw new InputError(coreText('data.json.emptyArray', { file: label }));
    const first = items.find(i => i !== null && i !== undefined);
    if (Array.isArray(first)) {
      let width = 0;
      for (const item of items) if (Array.isArray(item) && item.length > width) width = item.length;
      const names = Array.from({ length: width }, (_, i) => `column ${i + 1}`);
      return arraysDataset(items, [], names, label, options, locateItem);
    }
    if (first !== null && typeof first === 'object') return recordsDataset(items, [], label, options, locateItem);
    throw new InputError(coreText('data.json.arrayOf', { file: label, found: first === undefined ? coreText('data.jsType.nulls') : jsTypeText(first) }), locateItem([0]));
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const pandas = pandasDataset(record, label, options, locateItem);
    if (pandas) return pandas;
    if (!Array.isArray(record.x) || !Array.isArray(record.y)) {
      throw new InputError(coreText('data.json.needsXY', { file: label }), { file: label, line: 1, column: 1 });
    }
    const xs = record.x as unknown[];
    const ys = record.y as unknown[];
    if (xs.length !== ys.length) {
      throw new InputError(coreText('data.json.xyLength', { x: xs.length, y: ys.length }), locateItem(['y']));
    }
    if (xs.length === 0) throw new InputError(coreText('data.noDataRows', { file: label }), locateItem(['x']));
    const width = Array.isArray(xs[0]) ? (xs[0] as unknown[]).length : 1;
    const names = [...Array.from({ length: width }, (_, i) => (width === 1 ? 'x' : `x${i + 1}`)), 'y'];
    const choice: ColumnChoice = { ...options, inputs: options.inputs ?? names.slice(0, width), target: options.target ?? 'y' };
    const builder = new DatasetBuilder(names, choice, label,
      (i, field) => locateItem(field < width ? ['x', i, ...(Array.isArray(xs[i]) ? [field] : [])] : ['y', i]), options.task);
    for (let i = 0; i < xs.length; i++) {
      const row = Array.isArray(xs[i]) ? (xs[i] as unknown[]) : [xs[i]];
      if (row.length !== width) {
        throw new InputError(coreText('data.json.rowWidth', { row: i + 1, count: row.length, width }), locateItem(['x', i]));
      }
      let target = ys[i];
      if (Array.isArray(target)) {
        if (target.length !== 1) throw new InputError(coreText('data.json.oneTarget'), locateItem(['y', i]));
        target = target[0];
      }
      builder.addRow([...row, target], i);
    }
    return builder.finish(label);
  }
  throw new InputError(coreText('data.json.shape', { file: label }), { file: label, line: 1, column: 1 });
}

type ItemLocator = (jsonPath: (string | number)[]) => SourceLocation;

/** An array of arrays (under `at` in the file), one row each, its columns named `names`. */
function arraysDataset(items: unknown[], at: (string | number)[], names: string[], label: string, options: ReadDatasetOptions,
  locateItem: ItemLocator): Dataset {
  const builder = new DatasetBuilder(names, options, label, (item, field) => locateItem([...at, item, field]), options.task);
  items.forEach((item, i) => {
    if (!Array.isArray(item)) throw new InputError(coreText('data.json.itemNotArray', { item: i + 1 }), locateItem([...at, i]));
    builder.addRow(item, i);
  });
  return builder.finish(label);
}

/** An array of objects (under `at` in the file), one row each; the keys of them all, in order of appearance, name
 * the columns (`leftOut`: keys that are no column unless listed, e.g. the index of pandas' table orient). */
function recordsDataset(items: unknown[], at: (string | number)[], label: string, options: ReadDatasetOptions,
  locateItem: ItemLocator, leftOut: string[] = []): Dataset {
  const keys: string[] = [];
  const known = new Set<string>();
  for (const item of items) {
    if (!isJsonObject(item)) continue;
    for (const k of Object.keys(item)) if (!known.has(k)) { known.add(k); keys.push(k); }
  }
  const listed = new Set([...(options.inputs ?? []), ...(options.target !== undefined ? [options.target] : [])]);
  const columns = keys.filter(k => !leftOut.includes(k) || listed.has(k));
  const builder = new DatasetBuilder(columns, options, label,
    (item, field) => locateItem(columns[field] !== undefined && hasKey(items[item], columns[field]) ? [...at, item, columns[field]] : [...at, item]), options.task);
  items.forEach((item, i) => {
    if (!isJsonObject(item)) throw new InputError(coreText('data.json.itemNotObject', { item: i + 1 }), locateItem([...at, i]));
    builder.addRow(columns.map(k => item[k]), i);
  });
  return builder.finish(label);
}

/**
 * pandas' DataFrame.to_json shapes, told apart by their keys: orient 'split' ({"columns": […], "data": [[…]]}),
 * 'table' ({"schema": {…}, "data": [{…}]}: the schema's primary key, pandas' index, is no column unless listed),
 * 'columns', the default ({column: {row label: value}}), and 'index' ({row label: {column: value}}, told from
 * 'columns' by whole-number outer keys and not inner ones). Undefined for any other object.
 */
function pandasDataset(record: Record<string, unknown>, label: string, options: ReadDatasetOptions, locateItem: ItemLocator): Dataset | undefined {
  if (Array.isArray(record.columns) && Array.isArray(record.data) && record.columns.every(c => typeof c === 'string' || typeof c === 'number')) {
    const names = record.columns.map(String);
    const rows = record.data as unknown[];
    if (rows.length === 0) throw new InputError(coreText('data.noDataRows', { file: label }), locateItem(['data']));
    return arraysDataset(rows, ['data'], names, label, options, locateItem);
  }
  if (isJsonObject(record.schema) && Array.isArray(record.data)) {
    const rows = record.data as unknown[];
    if (rows.length === 0) throw new InputError(coreText('data.noDataRows', { file: label }), locateItem(['data']));
    const key = record.schema.primaryKey;
    const leftOut = Array.isArray(key) ? key.filter((k): k is string => typeof k === 'string') : typeof key === 'string' ? [key] : [];
    return recordsDataset(rows, ['data'], label, options, locateItem, leftOut);
  }
  const outer = Object.keys(record);
  if (outer.length === 0 || !outer.every(k => isJsonObject(record[k]))) return undefined;
  const whole = (k: string) => /^-?\d+$/.test(k);
  const firstInner = Object.keys(record[outer[0]] as Record<string, unknown>);
  if (outer.every(whole) && !firstInner.every(whole)) {
    // 'index': one object per row label, a record each
    return recordsDataset(outer.map(k => record[k]), [], label, options, (path) => locateItem([outer[path[0] as number], ...path.slice(1)]));
  }
  // 'columns': the row labels of every column, in order of appearance
  const labels: string[] = [];
  const seen = new Set<string>();
  for (const c of outer) for (const r of Object.keys(record[c] as Record<string, unknown>)) if (!seen.has(r)) { seen.add(r); labels.push(r); }
  if (labels.length === 0) throw new InputError(coreText('data.noDataRows', { file: label }), { file: label, line: 1, column: 1 });
  const columns = outer.map(c => record[c] as Record<string, unknown>);
  const builder = new DatasetBuilder(outer, options, label,
    (row, field) => locateItem(hasKey(columns[field], labels[row]) ? [outer[field], labels[row]] : [outer[field]]), options.task);
  labels.forEach((r, i) => builder.addRow(columns.map(c => c[r]), i));
  return builder.finish(label);
}

function hasKey(item: unknown, key: string): boolean {
  return item !== null && typeof item === 'object' && Object.prototype.hasOwnProperty.call(item, key);
}

/** 1-based line and column of a character offset. */
export function locationOf(text: string, offset: number, file: string): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, line, column: offset - lineStart + 1 };
}

/** "an array" / "an object" as a message, so the display language names the JSON kind too. */
function jsonKindText(kind: 'array' | 'object'): CoreText {
  return coreText(kind === 'array' ? 'data.kind.anArray' : 'data.kind.anObject');
}
