// Turns records (from CSV, TSV, JSON or JSON Lines) into a Dataset of numbers: picks the input and target columns,
// skips rows with missing values (counting them), refuses text in input columns with the file, line and column,
// decides regression or classification from the target, and samples past a row limit (seeded reservoir sampling).
// Rows are stored straight into growing Float64Arrays, so memory holds numbers, not the file's strings.
import type { Dataset, Task } from '../types';
import { InputError, type SourceLocation } from '../inputError';
import { coreText, notesOf, type CoreText } from '../messages';
import { seededUniform } from './datasetRandom';
import { boundedJson } from '../io/jsonLimits';
import { closestName } from '../didYouMean';

/** Values read as "missing" (case-insensitive), besides null and the empty string. */
export const MISSING_TOKENS: readonly string[] = ['na', 'n/a', 'nan', 'null', 'none', '?'];

/** Default row limit: past it, rows are sampled uniformly (and a note says so). */
export const DEFAULT_ROW_LIMIT = 1_000_000;

/** An integer target with at most this many distinct values is read as class labels. */
export const MAX_INTEGER_CLASSES = 10;
/** Regression targets larger than this (in magnitude) are refused: their squared error would overflow. */
export const MAX_REGRESSION_TARGET = 1e150;
/** Classification supports at most this many classes. */
export const MAX_CLASSES = 100;

const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A number with a decimal comma ("5,1", "-0,25e3"), read as such only in a semicolon-separated file (see readCell). */
const COMMA_NUMBER_PATTERN = /^[+-]?(?:\d+,\d*|,\d+)(?:[eE][+-]?\d+)?$/;

export interface ColumnChoice {
  /** Input columns by name or 0-based index; default: every column but the target. */
  inputs?: (string | number)[];
  /** Target column by name or 0-based index; default: the last column. */
  target?: string | number;
  /** Force the task instead of detecting it. */
  task?: Task;
  /** Past this many usable rows, keep a seeded uniform sample of this size. */
  rowLimit?: number;
  /** Seed for the sampling. */
  seed?: number;
}

/** Maps a row reference (a line number, or an item index in a JSON array) and field to a place in the file. */
export type Locator = (rowRef: number, field: number, fieldColumns?: number[]) => SourceLocation;

type Cell = { kind: 'missing' } | { kind: 'number'; value: number; comma?: true } | { kind: 'text'; text: string };

/**
 * The fast path for the common cell, a plain decimal number ("-1.5e3"): its value, or NaN when the cell needs the
 * full reading of readCell (spaces, missing tokens, text, hex-looking strings that Number() would accept).
 */
function plainNumber(raw: unknown): number {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : NaN;
  if (typeof raw !== 'string' || raw.length === 0) return NaN;
  const first = raw.charCodeAt(0);
  const last = raw.charCodeAt(raw.length - 1);
  const firstOk = (first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46;
  const lastOk = (last >= 48 && last <= 57) || last === 46;
  if (!firstOk || !lastOk) return NaN;
  if (raw.length > 1) {
    const second = raw.charCodeAt(1) | 32;
    if (second === 120 || second === 98 || second === 111) return NaN; // 0x…, 0b…, 0o…
  }
  const value = Number(raw);
  return Number.isFinite(value) ? value : NaN;
}

/**
 * How a cell reads: missing, a finite number, or text. Non-finite numbers (1e999) count as text: not usable. With
 * `decimalComma` (a semicolon-separated file, the spreadsheet export of locales that write 5,1 for 5.1), a number
 * with one decimal comma reads as that number; thousands separators ("1.234,5") are not guessed at and stay text.
 */
export function readCell(raw: unknown, decimalComma = false): Cell {
  if (raw === null || raw === undefined) return { kind: 'missing' };
  if (typeof raw === 'number') return Number.isFinite(raw) ? { kind: 'number', value: raw } : { kind: 'text', text: String(raw) };
  if (typeof raw === 'boolean') return { kind: 'text', text: String(raw) };
  if (typeof raw === 'string') {
    const s = raw.trim();
    if (s.length === 0) return { kind: 'missing' };
    if (NUMBER_PATTERN.test(s)) {
      const value = Number(s);
      return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'text', text: s };
    }
    if (decimalComma && COMMA_NUMBER_PATTERN.test(s)) {
      const value = Number(s.replace(',', '.'));
      return Number.isFinite(value) ? { kind: 'number', value, comma: true } : { kind: 'text', text: s };
    }
    if (MISSING_TOKENS.includes(s.toLowerCase())) return { kind: 'missing' };
    return { kind: 'text', text: s };
  }
  // Bounded and iterative: a cell nested ten thousand deep would overflow JSON.stringify's recursion.
  return { kind: 'text', text: boundedJson(raw, 200) };
}

/** What the reader knows of the file that the columns do not say. */
export interface BuilderReading {
  /** Read "5,1" as 5.1 (a semicolon-separated file): see readCell. */
  decimalComma?: boolean;
  /** The header's first field was empty (the column is named 'column 1'): it may be a saved row index. */
  unnamedFirstColumn?: boolean;
}

export class DatasetBuilder {
  readonly inputIndices: number[];
  readonly targetIndex: number;
  readonly inputNames: string[];
  readonly targetName: string;
  private readonly d: number;
  private readonly rowLimit: number;
  private readonly uniform: () => number;
  private capacity = 0;
  private x = new Float64Array(0);
  private yNumber = new Float64Array(0);
  private yKey = new Int32Array(0);
  /** The row reference (line or item) of each stored row, to point at a value found bad only once all are read. */
  private refs = new Float64Array(0);
  private stored = 0;
  /** Usable rows seen, including those sampling dropped. */
  private usable = 0;
  private skipped = 0;
  private firstSkipped?: { location: SourceLocation; column: string };
  private readonly keys = new Map<string, number>();
  private readonly keyIsNumber: boolean[] = [];
  private keysOverflowed = false;
  private firstText?: { text: string; location: SourceLocation };
  private readonly decimalComma: boolean;
  /** Which input (position among the inputs) may be a saved row index, or -1; and its last value. */
  private indexInput = -1;
  private lastIndex = -Infinity;
  /** Cells read with a decimal comma, and the first of them (for the note that says so). */
  private commaCells = 0;
  private firstComma?: { text: string; location: SourceLocation; column: string };
  private readonly neededWidth: number;
  /** The row being read, before it is known to be complete. */
  private readonly rowInputs: Float64Array;

  constructor(
    readonly columnNames: string[],
    choice: ColumnChoice,
    private readonly fileLabel: string,
    private readonly locate: Locator,
    private readonly forcedTask?: Task,
    reading: BuilderReading = {},
  ) {
    this.decimalComma = reading.decimalComma ?? false;
    if (columnNames.length === 0) throw new InputError(coreText('data.noColumns', { file: fileLabel }));
    this.targetIndex = choice.target === undefined
      ? columnNames.length - 1
      : resolveColumn(choice.target, columnNames, fileLabel, 'target');
    this.inputIndices = choice.inputs === undefined
      ? columnNames.map((_, i) => i).filter(i => i !== this.targetIndex)
      : choice.inputs.map(c => resolveColumn(c, columnNames, fileLabel, 'input'));
    if (this.inputIndices.length === 0) {
      throw new InputError(coreText('data.oneColumn', { file: fileLabel, column: columnNames[this.targetIndex] }));
    }
    if (this.inputIndices.includes(this.targetIndex)) {
      throw new InputError(coreText('data.inputIsTarget', { column: columnNames[this.targetIndex] }));
    }
    const seen = new Set<number>();
    for (const i of this.inputIndices) {
      if (seen.has(i)) throw new InputError(coreText('data.inputTwice', { column: columnNames[i] }));
      seen.add(i);
    }
    if (reading.unnamedFirstColumn && choice.inputs === undefined && this.inputIndices[0] === 0 && this.inputIndices.length > 1) {
      this.indexInput = 0;
    }
    this.inputNames = this.inputIndices.map(i => columnNames[i]);
    this.targetName = columnNames[this.targetIndex];
    this.d = this.inputIndices.length;
    this.rowLimit = Math.max(1, Math.floor(choice.rowLimit ?? DEFAULT_ROW_LIMIT));
    this.uniform = seededUniform(choice.seed ?? 0);
    let widest = this.targetIndex;
    for (const i of this.inputIndices) if (i > widest) widest = i; // a loop: a spread of 130k columns overflows the stack
    this.neededWidth = widest + 1;
    this.rowInputs = new Float64Array(this.d);
  }

  get rowsSeen(): number {
    return this.usable + this.skipped;
  }

  addRow(values: ArrayLike<unknown>, rowRef: number, fieldColumns?: number[]): void {
    const width = this.columnNames.length;
    if (values.length > width) {
      for (let f = width; f < values.length; f++) {
        if (readCell(values[f]).kind !== 'missing') {
          throw new InputError(coreText('data.tooManyFields', { fields: values.length, width }), this.locate(rowRef, f, fieldColumns));
        }
      }
    }
    // Read every chosen cell first: a missing one skips the row before anything is stored.
    const d = this.d;
    const inputs = this.rowInputs;
    for (let k = 0; k < d; k++) {
      const field = this.inputIndices[k];
      const raw = field < values.length ? values[field] : undefined;
      const fast = plainNumber(raw);
      if (fast === fast) {
        inputs[k] = fast;
        continue;
      }
      const cell = readCell(raw, this.decimalComma);
      if (cell.kind === 'missing') return this.skip(rowRef, field, fieldColumns);
      if (cell.kind === 'text') {
        const hint = /^[+-]?\d+,\d+$/.test(cell.text) ? coreText('data.decimalComma') : '';
        throw new InputError(
          coreText('data.notNumber', { column: this.columnNames[field], position: field + 1, value: clip(cell.text), hint }),
          this.locate(rowRef, field, fieldColumns),
        );
      }
      if (cell.comma) this.noteComma(raw, rowRef, field, fieldColumns);
      inputs[k] = cell.value;
    }
    const targetField = this.targetIndex;
    const rawTarget = targetField < values.length ? values[targetField] : undefined;
    const fastTarget = plainNumber(rawTarget);
    const target: Cell = fastTarget === fastTarget ? { kind: 'number', value: fastTarget } : readCell(rawTarget, this.decimalComma);
    if (target.kind === 'number' && target.comma) this.noteComma(rawTarget, rowRef, targetField, fieldColumns);
    if (target.kind === 'missing') return this.skip(rowRef, targetField, fieldColumns);
    if (target.kind === 'text' && this.firstText === undefined) {
      this.firstText = { text: target.text, location: this.locate(rowRef, targetField, fieldColumns) };
    }
    if (this.indexInput >= 0) {
      const v = inputs[this.indexInput];
      if (Number.isInteger(v) && v > this.lastIndex) this.lastIndex = v;
      else this.indexInput = -1;
    }
    const key = this.keyOf(target);

    // Reservoir sampling (Algorithm R): the first rowLimit rows fill the store, then row t replaces a random slot
    // with probability rowLimit / t, which keeps every row equally likely to be in the sample.
    let slot: number;
    if (this.stored < this.rowLimit) {
      slot = this.stored++;
      if (slot >= this.capacity) this.grow();
    } else {
      slot = Math.floor(this.uniform() * (this.usable + 1));
      if (slot >= this.rowLimit) {
        this.usable++;
        return;
      }
    }
    this.usable++;
    const base = slot * d;
    for (let k = 0; k < d; k++) this.x[base + k] = inputs[k];
    this.yNumber[slot] = target.kind === 'number' ? target.value : NaN;
    this.yKey[slot] = key;
    this.refs[slot] = rowRef;
  }

  private noteComma(raw: unknown, rowRef: number, field: number, fieldColumns?: number[]): void {
    if (this.commaCells++ === 0) {
      this.firstComma = { text: String(raw).trim(), location: this.locate(rowRef, field, fieldColumns), column: this.columnNames[field] };
    }
  }

  /** The width the chosen columns need; rows with fewer fields count as missing values. */
  get requiredWidth(): number {
    return this.neededWidth;
  }

  finish(name: string, extraNotes: CoreText[] = []): Dataset {
    const n = this.stored;
    const notes: CoreText[] = [...extraNotes];
    if (n === 0) {
      throw new InputError(this.skipped > 0
        ? coreText('data.allRowsMissing', { file: this.fileLabel, rows: this.skipped, line: this.firstSkipped!.location.line, column: this.firstSkipped!.column })
        : coreText('data.noUsableRows', { file: this.fileLabel }));
    }
    let d = this.d;
    let inputNames = this.inputNames;
    let stored = this.x;
    if (this.indexInput >= 0 && this.usable >= 3) {
      // an unnamed first column of ever-increasing whole numbers on every row is a saved row index (pandas'
      // to_csv writes one by default): as an input it would only teach the rows' order. Left out, and said so.
      const k = this.indexInput;
      const kept = new Float64Array(n * (d - 1));
      for (let i = 0, o = 0; i < n; i++) for (let j = 0; j < d; j++) if (j !== k) kept[o++] = stored[i * d + j];
      notes.push(coreText('data.note.indexColumn', { column: inputNames[k] }));
      inputNames = inputNames.filter((_, j) => j !== k);
      d -= 1;
      stored = kept;
    }
    if (this.skipped > 0) {
      const first = this.firstSkipped!;
      notes.push(coreText(this.skipped === 1 ? 'data.note.skippedOne' : 'data.note.skipped', { count: this.skipped, line: first.location.line, column: first.column }));
    }
    if (this.commaCells > 0) {
      const first = this.firstComma!;
      notes.push(coreText('data.note.decimalComma', {
        count: this.commaCells.toLocaleString('en-US'), value: clip(first.text), line: first.location.line, column: first.column,
      }));
    }
    if (this.usable > n) {
      notes.push(coreText('data.note.sampled', { usable: this.usable.toLocaleString('en-US'), n: n.toLocaleString('en-US') }));
    }
    const x = stored === this.x ? stored.slice(0, n * d) : stored;
    for (let k = 0; k < d; k++) {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = x[i * d + k];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (min === max && n > 1) {
        notes.push(coreText('data.note.constantColumn', { column: inputNames[k], value: min }));
      }
    }
    const { task, y, classes } = this.decideTarget(n, notes);
    return { name, inputNames, targetName: this.targetName, n, d, x, y, task, classes, ...notesOf(notes) };
  }

  private decideTarget(n: number, notes: CoreText[]): { task: Task; y: Float64Array; classes?: string[] } {
    const distinct = this.keys.size;
    const allNumeric = this.firstText === undefined;
    const yNumber = this.yNumber.subarray(0, n);
    const keyNames = [...this.keys.keys()];
    let integerValued = allNumeric && !this.keysOverflowed;
    if (integerValued) for (const k of keyNames) if (!Number.isInteger(Number(k))) integerValued = false;
    const forced = this.forcedTask;
    let classify: boolean;
    if (forced === 'regression') {
      if (!allNumeric) {
        throw new InputError(coreText('data.targetText', { target: this.targetName, value: clip(this.firstText!.text) }), this.firstText!.location);
      }
      classify = false;
    } else if (forced === 'binary' || forced === 'multiclass') {
      classify = true;
    } else {
      classify = !allNumeric || (integerValued && distinct >= 2 && distinct <= MAX_INTEGER_CLASSES);
    }
    if (!classify) {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = yNumber[i];
        if (v < min) min = v;
        if (v > max) max = v;
        if (Math.abs(v) > MAX_REGRESSION_TARGET) {
          // Its squared error would overflow at step 0 and the run would look diverged for no fault of the settings.
          throw new InputError(
            coreText('data.targetTooLarge', { target: this.targetName, value: v, max: MAX_REGRESSION_TARGET }),
            this.locate(this.refs[i], this.targetIndex),
          );
        }
      }
      if (min === max) notes.push(coreText('data.note.constantTarget', { target: this.targetName, value: min }));
      return { task: 'regression', y: yNumber.slice() };
    }
    if (this.keysOverflowed || distinct > MAX_CLASSES) {
      throw new InputError(coreText(allNumeric ? 'data.tooManyClassesNumeric' : 'data.tooManyClasses', { target: this.targetName, max: MAX_CLASSES }));
    }
    if (distinct < 2) {
      throw new InputError(coreText('data.singleClass', { target: this.targetName, value: keyNames[0] }));
    }
    if (forced === 'binary' && distinct > 2) {
      throw new InputError(coreText('data.binaryTooMany', { target: this.targetName, count: distinct, classes: `${keyNames.slice(0, 5).join(', ')}${distinct > 5 ? ', …' : ''}` }));
    }
    // Class order: numeric labels by value, text labels alphabetically (as scikit-learn's LabelEncoder).
    const order = keyNames.map((name, id) => ({ name, id }));
    const numericKeys = order.every(o => this.keyIsNumber[o.id]);
    order.sort((a, b) => (numericKeys ? Number(a.name) - Number(b.name) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const classOfKey = new Float64Array(distinct);
    order.forEach((o, classIndex) => { classOfKey[o.id] = classIndex; });
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = classOfKey[this.yKey[i]];
    const classes = order.map(o => o.name);
    const task: Task = forced === 'multiclass' ? 'multiclass' : distinct === 2 ? 'binary' : 'multiclass';
    if (allNumeric && forced === undefined) {
      notes.push(coreText('data.note.integerClasses', { target: this.targetName, count: distinct, classes: classes.join(', ') }));
    }
    return { task, y, classes };
  }

  private keyOf(cell: Cell): number {
    if (this.keysOverflowed) return -1;
    const name = cell.kind === 'number' ? String(cell.value) : cell.kind === 'text' ? cell.text : '';
    let id = this.keys.get(name);
    if (id === undefined) {
      // Past a thousand distinct values the target is a number to regress on (or an error if it is text).
      if (this.keys.size >= 1000) {
        this.keysOverflowed = true;
        return -1;
      }
      id = this.keys.size;
      this.keys.set(name, id);
      this.keyIsNumber.push(cell.kind === 'number');
    }
    return id;
  }

  private skip(rowRef: number, field: number, fieldColumns?: number[]): void {
    this.skipped++;
    if (this.firstSkipped === undefined) {
      this.firstSkipped = { location: this.locate(rowRef, field, fieldColumns), column: this.columnNames[field] };
    }
  }

  private grow(): void {
    const capacity = Math.min(this.rowLimit, Math.max(1024, this.capacity * 2));
    const x = new Float64Array(capacity * this.d);
    x.set(this.x);
    const yNumber = new Float64Array(capacity);
    yNumber.set(this.yNumber);
    const yKey = new Int32Array(capacity);
    yKey.set(this.yKey);
    const refs = new Float64Array(capacity);
    refs.set(this.refs);
    this.refs = refs;
    this.x = x;
    this.yNumber = yNumber;
    this.yKey = yKey;
    this.capacity = capacity;
  }
}

/** A column given by name (exact, then case-insensitive) or 0-based index; unknown names get a suggestion. */
export function resolveColumn(choice: string | number, names: string[], fileLabel: string, role: 'input' | 'target'): number {
  if (typeof choice === 'number') {
    if (Number.isInteger(choice) && choice >= 0 && choice < names.length) return choice;
    throw new InputError(coreText(role === 'input' ? 'data.inputIndexRange' : 'data.targetIndexRange', { index: clip(String(choice)), file: fileLabel, count: names.length, last: names.length - 1 }));
  }
  const exact = names.indexOf(choice);
  if (exact >= 0) return exact;
  const lower = choice.toLowerCase();
  const loose = names.findIndex(n => n.toLowerCase() === lower);
  if (loose >= 0) return loose;
  const guess = closestName(choice, names);
  throw new InputError(coreText(role === 'input' ? 'data.inputNotFound' : 'data.targetNotFound', {
    column: clip(choice), file: fileLabel, suggestion: guess ? coreText('config.didYouMean', { name: clip(guess) }) : '',
    columns: `${names.slice(0, 12).map(n => `'${clip(n)}'`).join(', ')}${names.length > 12 ? ', …' : ''}`,
  }));
}


function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
