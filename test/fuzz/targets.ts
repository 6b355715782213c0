// The fuzz campaign's entry points: for each way hostile input reaches Gradscope, a fast-check generator of inputs
// (structured ones that get past the first checks, and mutations of the bundled examples) and the call that must
// either work or fail with an InputError. Anything else thrown is a bug; so is a hang (the runner's watchdog).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { buildRun, countParameters, parseConfig } from '../../src/core/config/config';
import { modelFileText, modelFromNetwork, parseModelFile } from '../../src/core/config/modelFile';
import { BUILTIN_DATASET_NAMES, generateBuiltinDataset } from '../../src/core/data/builtinDatasets';
import { parseDatasetChunks, parseDatasetText, readDatasetFile, type ReadDatasetOptions } from '../../src/core/data/datasetFile';
import { prepareData } from '../../src/core/data/prepare';
import { activationNames } from '../../src/core/activations/activations';
import { InputError } from '../../src/core/inputError';
import { Network } from '../../src/core/nn/network';
import { Trainer } from '../../src/core/nn/trainer';
import type { Dataset, ModuleSpec, NetworkSpec } from '../../src/core/types';
import {
  validateFromCompareWebview, validateFromNetworksWebview, validateFromUatWebview, validateFromVisualizeWebview,
} from '../../src/shared/webviewMessages';
import { sanitizeCompareState } from '../../src/compareActivations/compareState';
import { sanitizeUatState } from '../../src/universalApproximation/uatState';

const ROOT = path.resolve(__dirname, '../..');

/** What a case ended as: accepted (worked) or refused with an InputError (expected); a throw of anything else escapes. */
export type Outcome = 'accepted' | 'inputError';

export interface FuzzTarget<T = unknown> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  run(input: T): Outcome | Promise<Outcome>;
  /** The input as text, for the failure file. */
  show(input: T): string;
}

/** Run `work`; an InputError is the expected refusal, anything else is rethrown for the runner to record. */
async function expectInputErrors(work: () => unknown): Promise<Outcome> {
  try {
    await work();
    return 'accepted';
  } catch (error) {
    if (error instanceof InputError) return 'inputError';
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations: the examples, cut, spliced and salted with what breaks parsers.

const DICTIONARY = [
  '{', '}', '[', ']', ',', ':', '"', '\\', '\n', '\r', '\r\n', '\t', ' ', '//', '/*', '*/', '#', 'null', 'true', 'false',
  '0', '-0', '1e308', '-1.7e308', '1.7976931348623157e308', '5e-324', '1e999', 'NaN', 'Infinity', '-1', '0x10', '1,5',
  '"repeat"', '"count": 1000', '"type": "repeat", "count": 1000, "layers": [', '"residual"', '"layers": [', '"units": 8192',
  '"hidden": [', '"activation": "', '"sigmoid"', '"relu"', '"data": {', '"file": "/dev/zero"', '"builtin": "', '"target": ',
  '"inputs": [', '"lr": ', '"epochs": 1e9', '"format": "gradscope-model"', '"weight": [[', '"bias": [', '\uFEFF', '\u0000',
  '\uFFFD', 'é', '\uD800', '😀', ';', '""', '"a,b"', '"x\ny"', 'na', '?', '', ' ,, ',
];
const EXTREME_NUMBERS = ['0', '-0', '1', '-1', '0.5', '1e308', '-1.7e308', '1.7e308', '5e-324', '1e-320', '1e999', '9007199254740993', '8193', '100000', '1e9', '-2147483649', 'NaN', '2.5'];

type Mutation = { kind: number; at: number; length: number; token: string; count: number; number: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.integer({ min: 0, max: 9 }),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.nat(80),
  token: fc.constantFrom(...DICTIONARY),
  count: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 100, max: 6000 })),
  number: fc.constantFrom(...EXTREME_NUMBERS),
});

function applyMutation(text: string, m: Mutation): string {
  const at = Math.floor(m.at * (text.length + 1));
  switch (m.kind) {
    case 0: return text.slice(0, at) + text.slice(at + m.length); // delete
    case 1: case 2: return text.slice(0, at) + m.token + text.slice(at); // insert a token
    case 3: return text.slice(0, at) + text.slice(at, at + m.length).repeat(Math.min(m.count, 50)) + text.slice(at); // duplicate
    case 4: return text.slice(0, at); // truncate
    case 5: { // replace the n-th number
      let n = m.count % 40;
      return text.replace(/-?\d+(\.\d+)?([eE][+-]?\d+)?/g, found => (n-- === 0 ? m.number : found));
    }
    case 6: return text.slice(0, at) + m.token.repeat(m.count) + text.slice(at); // a burst (deep nesting, long text)
    case 7: return text.slice(0, at) + String.fromCharCode(Math.floor(m.at * 0xffff)) + text.slice(at + 1); // one character
    case 8: { // swap two slices
      const other = Math.floor(((m.at * 7919) % 1) * text.length);
      const [a, b] = at < other ? [at, other] : [other, at];
      return text.slice(0, a) + text.slice(b, b + m.length) + text.slice(a + m.length, b) + text.slice(a, a + m.length) + text.slice(b + m.length);
    }
    default: return text.replace(/\n/g, m.length % 2 === 0 ? '\r' : '\r\n'); // line ends
  }
}

function mutationsOf(bases: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...bases), fc.array(mutationArb, { minLength: 1, maxLength: 6 }))
    .map(([base, mutations]) => mutations.reduce(applyMutation, base));
}

function readExamples(dir: string, pattern: RegExp): string[] {
  const folder = path.join(ROOT, dir);
  return fs.readdirSync(folder).filter(n => pattern.test(n)).map(n => fs.readFileSync(path.join(folder, n), 'utf8'));
}

// ---------------------------------------------------------------------------------------------------------------
// Configs.

const typo = (names: readonly string[]) => fc.tuple(fc.constantFrom(...names), fc.nat(), fc.constantFrom('', 'x', 'e', '_', 'S'))
  .map(([name, at, ch]) => { const i = at % (name.length + 1); return name.slice(0, i) + ch + name.slice(i + 1); });
const activationArb = fc.oneof(fc.constantFrom(...activationNames()), typo(activationNames()), fc.constantFrom('nn.ReLU', 'F.gelu', 'tf.nn.relu', 'ReLU', ''));
const weird: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1e308, -1e308, 5e-324, 2 ** 53, 1e9, 0.5, '', 'x'.repeat(300)) },
);
const unitsArb = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 64 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -3, 8192, 8193, 1e9, 1.5, 'auto') }, { weight: 1, arbitrary: weird });

const moduleArb: fc.Arbitrary<unknown> = fc.letrec<{ module: unknown; list: unknown[] }>(tie => ({
  module: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constant('linear'), units: unitsArb, activation: activationArb, bias: fc.boolean() }, { requiredKeys: ['type'] }),
    fc.record({ type: activationArb }),
    fc.record({ type: fc.constant('activation'), name: activationArb, params: fc.dictionary(fc.constantFrom('slope', 'alpha', 'beta', 'x'), fc.oneof(fc.double(), weird), { maxKeys: 2 }) }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('dropout'), p: fc.oneof(fc.double({ min: 0, max: 1 }), weird) }),
    fc.record({ type: fc.constant('batchnorm'), momentum: fc.oneof(fc.double({ min: 0, max: 1 }), weird), eps: fc.double() }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('residual'), layers: tie('list') }),
    fc.record({ type: fc.constant('repeat'), count: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 10, 300, 1000, 1001, 1e6)), layers: tie('list') }),
    weird,
  ),
  list: fc.array(tie('module'), { minLength: 0, maxLength: 4 }),
})).module;

const configObjectArb = fc.record({
  data: fc.oneof(
    fc.record({ builtin: fc.oneof(fc.constantFrom(...BUILTIN_DATASET_NAMES), typo(BUILTIN_DATASET_NAMES)), samples: fc.oneof(fc.integer({ min: 2, max: 300 }), weird), noise: fc.oneof(fc.double({ min: 0, max: 1 }), weird) }, { requiredKeys: ['builtin'] }),
    fc.record({
      file: fc.constantFrom('data.csv', 'missing.csv', '/dev/zero', '', 'x'.repeat(5000), '../../etc/passwd', 'trian.csv'),
      inputs: fc.array(fc.oneof(fc.string(), fc.integer({ min: -2, max: 10 })), { maxLength: 3 }), target: fc.oneof(fc.string(), fc.integer()),
      task: fc.constantFrom('regression', 'binary', 'multiclass', 'clustering'), validation: fc.oneof(fc.double(), weird), rowLimit: fc.oneof(fc.integer(), weird),
    }, { requiredKeys: ['file'] }),
    weird,
  ),
  hidden: fc.oneof(fc.array(unitsArb, { maxLength: 5 }), fc.record({ units: unitsArb, repeat: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(0, 1000, 1001)) }), weird),
  layers: fc.oneof(fc.array(moduleArb, { maxLength: 5 }).map(l => [...l, { type: 'linear' }]), weird),
  activation: activationArb,
  init: fc.oneof(fc.constantFrom('he', 'xavier', 'lecun', 'normal', 'zeros', 'orthogonal'), weird),
  batchNorm: fc.oneof(fc.boolean(), weird),
  dropout: fc.oneof(fc.double({ min: 0, max: 1 }), weird),
  skip: fc.oneof(fc.boolean(), fc.integer({ min: 0, max: 4 }), weird),
  loss: fc.oneof(fc.constantFrom('mse', 'cross_entropy', 'bce', 'hinge'), weird),
  optimizer: fc.oneof(fc.record({ type: fc.constantFrom('sgd', 'momentum', 'adam', 'adamw', 'rmsprop'), lr: fc.oneof(fc.double({ min: 1e-5, max: 1 }), weird), momentum: fc.double(), weightDecay: fc.double(), clip: fc.oneof(fc.double(), weird) }, { requiredKeys: ['type'] }), weird),
  lr: fc.oneof(fc.double({ min: 1e-5, max: 1 }), weird),
  batchSize: fc.oneof(fc.integer({ min: 1, max: 64 }), weird),
  epochs: fc.oneof(fc.integer({ min: 0, max: 3 }), weird),
  seed: fc.oneof(fc.integer(), weird),
  name: fc.oneof(fc.string(), weird),
  snapshotEvery: fc.oneof(fc.nat(100), weird),
  $schema: fc.string(),
  extra: fc.oneof(fc.string(), weird),
}, { requiredKeys: [] });

const CONFIG_EXAMPLES = readExamples('examples', /\.nn\.json$/);

const configText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(configObjectArb, fc.constantFrom(0, 2), fc.boolean()).map(([o, indent, comment]) => (comment ? '// fuzz\n' : '') + JSON.stringify(o, null, indent)) },
  { weight: 2, arbitrary: mutationsOf(CONFIG_EXAMPLES) },
  { weight: 1, arbitrary: fc.tuple(configObjectArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([o, ms]) => ms.reduce(applyMutation, JSON.stringify(o, null, 2))) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '1', 'a', '/', '*', '\n'), maxLength: 200 }) },
);

const smallData = new Map<string, Dataset>();
function builtinSample(name: string): Dataset {
  let ds = smallData.get(name);
  if (!ds) {
    ds = generateBuiltinDataset(name, { samples: 64, seed: 1 });
    smallData.set(name, ds);
  }
  return ds;
}

const configTarget: FuzzTarget<string> = {
  name: 'config (parseConfig → buildRun → step 0)',
  arbitrary: configText,
  show: text => text,
  run: async text => {
    // parseConfig reports problems in its result: it must never throw.
    const result = parseConfig(text, '/virtual/fuzz.nn.json', { fileExists: f => !f.includes('missing'), listFolder: () => ['data.csv', 'train.csv'] });
    if (!result.ok || !result.run) return 'inputError';
    const run = result.run;
    if (run.data.builtin === undefined) return 'accepted';
    return expectInputErrors(() => {
      const built = buildRun(run, builtinSample(run.data.builtin!));
      // Building and a forward/backward pass: only for networks small enough to cost milliseconds.
      if (countParameters(built.train.network) > 20_000) return;
      const trainer = new Trainer({ ...built.train, epochs: Math.min(built.train.epochs, 1) }, built.data);
      trainer.step0Diagnostics();
    });
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Data files, in every format, through the streaming readers (cut into random chunks) and sometimes from disk.

const cellArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(String) },
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 12 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom(...EXTREME_NUMBERS, 'na', 'N/A', '?', '', ' ', 'null', 'cat', 'dog', '1,5', '0x1F', '1e', '.', '-', '+1', ' 2 ') },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('"', ',', '\n', '\r', '\t', ';', 'a', '1', ' '), maxLength: 6 }) },
);

type Table = { header: string[] | undefined; rows: string[][] };
const tableArb: fc.Arbitrary<Table> = fc.integer({ min: 1, max: 6 }).chain(width => fc.record({
  header: fc.option(fc.array(fc.oneof(fc.constantFrom('x', 'y', 'a', 'b', 'target', 'label', 'x'), fc.string({ maxLength: 6 })), { minLength: width, maxLength: width }), { nil: undefined }),
  rows: fc.array(fc.array(cellArb, { minLength: Math.max(0, width - 1), maxLength: width + 1 }), { maxLength: 30 }),
}));

function quote(cell: string, delimiter: string): string {
  return /["\n\r]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

const cellValue = (cell: string): unknown => {
  const n = Number(cell);
  return cell.trim() !== '' && Number.isFinite(n) && cell.length % 3 !== 0 ? n : cell === 'null' ? null : cell;
};

function renderTable(table: Table, format: string, variant: number): string {
  const { header, rows } = table;
  const eol = ['\n', '\r\n', '\r'][variant % 3];
  switch (format) {
    case 'csv': case 'tsv': case 'txt': {
      const delimiter = format === 'tsv' ? '\t' : variant % 5 === 4 ? ';' : ',';
      const lines = [...(header ? [header] : []), ...rows].map(r => r.map(c => quote(c, delimiter)).join(delimiter));
      return lines.join(eol) + (variant % 2 === 0 ? eol : '');
    }
    case 'jsonl': {
      const keys = header ?? rows[0]?.map((_, i) => `c${i}`) ?? ['a'];
      return rows.map(r => JSON.stringify(variant % 4 === 0 ? r.map(cellValue) : Object.fromEntries(r.map((c, i) => [keys[i] ?? `extra${i}`, cellValue(c)])))).join(eol);
    }
    default: {
      if (variant % 3 === 0) return JSON.stringify(rows.map(r => r.map(cellValue)));
      if (variant % 3 === 1) {
        const keys = header ?? rows[0]?.map((_, i) => `c${i}`) ?? ['a'];
        return JSON.stringify(rows.map(r => Object.fromEntries(r.map((c, i) => [keys[i] ?? `extra${i}`, cellValue(c)]))));
      }
      return JSON.stringify({ x: rows.map(r => r.slice(0, -1).map(cellValue)), y: rows.map(r => cellValue(r[r.length - 1] ?? '')) });
    }
  }
}

const DATA_EXAMPLES: Record<string, string[]> = { csv: [], tsv: [], json: [], jsonl: [] };
for (const name of fs.readdirSync(path.join(ROOT, 'examples', 'data'))) {
  const ext = path.extname(name).slice(1);
  if (DATA_EXAMPLES[ext]) DATA_EXAMPLES[ext].push(fs.readFileSync(path.join(ROOT, 'examples', 'data', name), 'utf8').slice(0, 20_000));
}
// The built-in sets as files, too.
for (const name of BUILTIN_DATASET_NAMES) {
  const ds = generateBuiltinDataset(name, { samples: 40, seed: 3 });
  const rows: string[][] = [];
  for (let i = 0; i < ds.n; i++) rows.push([...Array.from(ds.x.subarray(i * ds.d, (i + 1) * ds.d), String), ds.classes ? ds.classes[ds.y[i]] : String(ds.y[i])]);
  const table = { header: [...ds.inputNames, ds.targetName], rows };
  DATA_EXAMPLES.csv.push(renderTable(table, 'csv', 0));
  DATA_EXAMPLES.jsonl.push(renderTable(table, 'jsonl', 1));
  DATA_EXAMPLES.json.push(renderTable(table, 'json', 1));
}
DATA_EXAMPLES.tsv.push(...DATA_EXAMPLES.csv.slice(-3).map(t => t.replace(/,/g, '\t')));

const optionsArb: fc.Arbitrary<ReadDatasetOptions> = fc.record({
  inputs: fc.array(fc.oneof(fc.constantFrom('x', 'a', 'b', 'column 1', 'X'), fc.integer({ min: -1, max: 7 })), { maxLength: 3 }),
  target: fc.oneof(fc.constantFrom('y', 'target', 'label', 'Y', 'z'), fc.integer({ min: -1, max: 7 })),
  task: fc.constantFrom('regression' as const, 'binary' as const, 'multiclass' as const),
  rowLimit: fc.integer({ min: 1, max: 50 }),
  header: fc.boolean(),
  delimiter: fc.constantFrom(',', '\t', ';'),
  seed: fc.integer(),
}, { requiredKeys: [] });

interface DataCase { format: string; text: string; cuts: number[]; options: ReadDatasetOptions; viaFile: boolean }

const dataCaseArb: fc.Arbitrary<DataCase> = fc.constantFrom('csv', 'tsv', 'json', 'jsonl', 'txt').chain(format => fc.record({
  format: fc.constant(format),
  text: fc.oneof(
    { weight: 3, arbitrary: fc.tuple(tableArb, fc.nat(29)).map(([t, v]) => renderTable(t, format, v)) },
    { weight: 2, arbitrary: mutationsOf(DATA_EXAMPLES[format === 'txt' ? 'csv' : format]) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('1', '2', '.', 'e', '-', ',', '\t', ';', '"', '\n', '\r', '[', ']', '{', '}', ':', 'a', ' '), maxLength: 120 }) },
  ),
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
  options: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 2, arbitrary: optionsArb }),
  viaFile: fc.integer({ min: 0, max: 24 }).map(n => n === 0),
}));

let tempDir: string | undefined;
let tempCounter = 0;

function sameDataset(a: Dataset, b: Dataset): boolean {
  if (a.n !== b.n || a.d !== b.d || a.task !== b.task || a.x.length !== b.x.length) return false;
  for (let i = 0; i < a.x.length; i++) if (!Object.is(a.x[i], b.x[i])) return false;
  for (let i = 0; i < a.y.length; i++) if (!Object.is(a.y[i], b.y[i])) return false;
  return JSON.stringify(a.inputNames) === JSON.stringify(b.inputNames) && JSON.stringify(a.classes) === JSON.stringify(b.classes);
}

const dataTarget: FuzzTarget<DataCase> = {
  name: 'data files (CSV/TSV/JSON/JSONL, streamed in chunks, + prepare)',
  arbitrary: dataCaseArb,
  show: c => `format ${c.format}, options ${JSON.stringify(c.options)}, cuts ${JSON.stringify(c.cuts)}, via file ${c.viaFile}\n${c.text}`,
  run: async c => {
    const fileName = `fuzz.${c.format}`;
    let whole: Dataset | InputError;
    try {
      whole = parseDatasetText(c.text, fileName, c.options);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      whole = error;
    }
    // The same text cut into pieces must read the same: the streaming reader may not depend on chunk boundaries.
    const positions = c.cuts.map(f => Math.floor(f * c.text.length)).sort((x, y) => x - y);
    const chunks: string[] = [];
    let from = 0;
    for (const p of positions) { chunks.push(c.text.slice(from, p)); from = p; }
    chunks.push(c.text.slice(from));
    let chunked: Dataset | InputError;
    try {
      chunked = parseDatasetChunks(chunks, fileName, c.options);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      chunked = error;
    }
    if ((whole instanceof InputError) !== (chunked instanceof InputError)
      || (whole instanceof InputError && chunked instanceof InputError && whole.describe() !== chunked.describe())
      || (!(whole instanceof InputError) && !(chunked instanceof InputError) && !sameDataset(whole, chunked))) {
      throw new Error(`chunked reading differs from whole-text reading: ${whole instanceof InputError ? whole.describe() : `${whole.n} rows`} vs ${chunked instanceof InputError ? chunked.describe() : `${chunked.n} rows`}`);
    }
    if (c.viaFile) {
      tempDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-fuzz-'));
      const file = path.join(tempDir, `case${tempCounter++ % 16}.${c.format}`);
      fs.writeFileSync(file, c.text);
      const outcome = await expectInputErrors(() => readDatasetFile(file, c.options));
      if (outcome !== (whole instanceof InputError ? 'inputError' : 'accepted')) {
        throw new Error(`reading the file gives ${outcome}, reading its text gives ${whole instanceof InputError ? whole.describe() : 'a dataset'}`);
      }
    }
    if (whole instanceof InputError) return 'inputError';
    const dataset = whole;
    return expectInputErrors(() => prepareData(dataset, { validation: 0.25, normalize: true, seed: 7 }));
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Model files: saved from random small networks, then damaged.

const specArb: fc.Arbitrary<NetworkSpec> = fc.record({
  inputs: fc.integer({ min: 1, max: 4 }),
  hidden: fc.array(fc.record({
    units: fc.integer({ min: 1, max: 6 }),
    activation: fc.constantFrom(...activationNames()),
    extra: fc.constantFrom('none', 'batchnorm', 'dropout', 'residual'),
  }), { maxLength: 3 }),
  outputs: fc.integer({ min: 1, max: 3 }),
}).map(({ inputs, hidden, outputs }) => {
  const layers: ModuleSpec[] = [];
  for (const h of hidden) {
    const block: ModuleSpec[] = [{ type: 'linear', units: h.units }, { type: 'activation', name: h.activation }];
    if (h.extra === 'batchnorm') block.push({ type: 'batchnorm' });
    if (h.extra === 'dropout') block.push({ type: 'dropout', p: 0.1 });
    if (h.extra === 'residual') layers.push(...block, { type: 'residual', layers: [{ type: 'linear', units: h.units }, { type: 'activation', name: 'tanh' }] });
    else layers.push(...block);
  }
  layers.push({ type: 'linear', units: outputs });
  return { inputs, layers };
});

const savedModels: string[] = fc.sample(specArb, { seed: 42, numRuns: 40 }).flatMap(spec => {
  try {
    return [modelFileText(modelFromNetwork(new Network(spec, 1), { inputNames: Array.from({ length: spec.inputs }, (_, i) => `x${i}`), targetName: 'y', task: 'regression', standardisation: { mean: Array(spec.inputs).fill(0), std: Array(spec.inputs).fill(1) } }))];
  } catch {
    return [];
  }
});

/** Replace the value at a random place of the parsed model with something hostile. */
function damageJson(text: string, seedA: number, replacement: unknown): string {
  const value = JSON.parse(text) as unknown;
  const holders: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0 && holders.length < 5000) {
    const v = stack.pop();
    if (Array.isArray(v)) v.forEach((item, i) => { holders.push({ parent: v, key: i }); stack.push(item); });
    else if (v !== null && typeof v === 'object') for (const [k, item] of Object.entries(v)) { holders.push({ parent: v as Record<string, unknown>, key: k }); stack.push(item); }
  }
  if (holders.length === 0) return text;
  const h = holders[seedA % holders.length];
  (h.parent as Record<string | number, unknown>)[h.key] = replacement;
  return JSON.stringify(value);
}

const modelText: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...savedModels) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...savedModels), fc.array(fc.tuple(fc.nat(), weird), { minLength: 1, maxLength: 3 })).map(([t, damages]) => damages.reduce((acc, [at, v]) => damageJson(acc, at, v), t)) },
  { weight: 2, arbitrary: mutationsOf(savedModels) },
);

const modelTarget: FuzzTarget<string> = {
  name: 'model files (parseModelFile → network → import)',
  arbitrary: modelText,
  show: text => text,
  run: text => expectInputErrors(() => {
    const loaded = parseModelFile(text, 'fuzz-model.json');
    // Everything the loader accepted must build and import: a throw here is a check the loader missed.
    const network = new Network(loaded.spec, 0);
    network.importParams(loaded.params);
    network.predict(new Float64Array(loaded.spec.inputs * 2).fill(0.5), 2);
  }),
};

// ---------------------------------------------------------------------------------------------------------------
// Webview → host messages.

const VALID_MESSAGES: unknown[] = [
  { type: 'ready' }, { type: 'control', action: 'play' }, { type: 'set', lr: 0.1, batchSize: 32 }, { type: 'export', format: 'csv' },
  { type: 'savePng', chart: 'loss', dataUrl: 'data:image/png;base64,AA' }, { type: 'saveConfig' }, { type: 'retry' },
  { type: 'openLocation', location: { file: 'a.csv', line: 2, column: 3 } },
  { type: 'compareReady', restored: { selected: ['relu', 'gelu'], params: { leaky_relu: { slope: 0.1 } }, depth: 10, showDerivatives: false } },
  { type: 'compareVisualize', activation: 'sigmoid', params: {} },
  { type: 'uatReady', restored: { source: { kind: 'builtin', builtin: 'nielsen' }, bumps: 3, towers: 2, lr: 0.01, trained: {} } },
  { type: 'uatChooseData' }, { type: 'uatTrain', start: 'handBuilt', network: { units: [{ w: 10, b: -3, v: 1 }], outputBias: 0 }, lr: 0.01, seed: 3 },
  { type: 'uatStopTraining', start: 'random' },
  { type: 'netsReady' }, { type: 'netsStop' }, { type: 'netsRestart' }, { type: 'landscapeCancel' },
  { type: 'landscapeRun', request: { grid: 11, range: 1, seed: 0, steps: 0, maxRows: 100, skipOnOff: true } },
  { type: 'netsExport', format: 'png', name: 'x', content: 'data:image/png;base64,AA' },
];

const messageArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...VALID_MESSAGES) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...VALID_MESSAGES), fc.array(fc.tuple(fc.nat(), fc.anything({ maxDepth: 3 })), { minLength: 1, maxLength: 3 }))
    .map(([m, damages]) => damages.reduce((acc: unknown, [at, v]) => JSON.parse(damageJson(JSON.stringify(acc), at, v === undefined ? null : v)), m)) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 4, withBigInt: true, withTypedArray: true, withMap: true, withSet: true, withDate: true, withSparseArray: true }) },
  { weight: 1, arbitrary: fc.record({ type: fc.oneof(fc.string(), fc.constantFrom('ready', 'set', 'uatTrain', 'landscapeRun', '__proto__', 'constructor', 'toString')), restored: fc.anything({ maxDepth: 3 }) }) },
);

const messageTarget: FuzzTarget<unknown> = {
  name: 'webview → host messages (validators + restored-state sanitisers)',
  arbitrary: messageArb,
  show: m => { try { return JSON.stringify(m) ?? String(m); } catch { return String(m); } },
  run: message => {
    let accepted = false;
    for (const validate of [validateFromVisualizeWebview, validateFromCompareWebview, validateFromUatWebview, validateFromNetworksWebview]) {
      const result = validate(message);
      if (result.ok) accepted = true;
    }
    // What the panels do with a restored state (sanitise field by field) must not throw either.
    const restored = message !== null && typeof message === 'object' ? (message as Record<string, unknown>).restored : undefined;
    sanitizeCompareState(restored);
    sanitizeUatState(restored);
    return accepted ? 'accepted' : 'inputError';
  },
};

export const TARGETS: FuzzTarget[] = [configTarget, dataTarget, modelTarget, messageTarget] as FuzzTarget[];

export function cleanUpTargets(): void {
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
}
