// `*.nn.json` configs: JSON with comments and trailing commas, validated against the tables in configSchema.ts with
// every problem reported at once and at its exact place, then expanded into the engine's module list. The shorthand
// (`hidden` + `activation` + `batchNorm` + `skip` + `dropout` + `output`) and the explicit `layers` list (with
// `repeat` and `residual`) both end as a NetworkSpec whose output layer is sized once the data is known.
// `loadRun` is the one path from a config (or a preset + data) to PreparedData + TrainSpec: the worker, the CLI and
// the live probe all call it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree, type Node as JsonNode, type ParseError, printParseErrorCode } from 'jsonc-parser';
import type {
  ActivationName, DataSpec, Dataset, InitSpec, LossName, ModuleSpec, NetworkSpec, OptimizerSpec, PreparedData, Task,
  TrainSpec,
} from '../types';
import { ACTIVATIONS, activationNames, isActivationName, lookupActivation, validateActivationParams } from '../activations/activations';
import { INIT_NAMES } from '../nn/init';
import { BUILTIN_DATASET_NAMES, findBuiltinDataset, generateBuiltinDataset } from '../data/builtinDatasets';
import { closestName } from '../data/datasetBuilder';
import { readDatasetFile, type ReadDatasetOptions } from '../data/datasetFile';
import { noSuchFile } from '../data/missingFile';
import { prepareData } from '../data/prepare';
import { InputError, type SourceLocation } from '../inputError';
import {
  CONFIG_DEFAULTS, CONFIG_LIMITS, DATA_KEYS, INIT_ALIASES, LOSS_NAMES, MODULE_KEYS, MODULE_TYPES, MODULE_TYPE_ALIASES,
  OPTIMIZER_KEYS, OPTIMIZER_NAMES, TASK_NAMES, TOP_LEVEL_KEYS,
} from './configSchema';

export interface ConfigIssue {
  message: string;
  severity: 'error' | 'warning';
  /** Character range in the config text. */
  offset: number;
  length: number;
  /** 1-based, as people read them. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** JSON path of the offending value, e.g. "optimizer.lr" or "layers[3].units" ("" for the whole file). */
  path: string;
}

/** Where a linear layer of the resolved network is written in the config (for per-layer hints). */
export interface LayerLocation {
  /** Linear layer index, 0 … L−1 as the probes number them. */
  index: number;
  /** JSON path of the source element that produced the layer (a `hidden` entry, a `layers` module, a repeat). */
  path: string;
  /** The layer's path in the resolved NetworkSpec (LayerProbe.path), e.g. "layers[4]". */
  specPath: string;
  offset: number;
  length: number;
  /** 1-based. */
  line: number;
  column: number;
  /** True for the output layer (added from `output` in the shorthand form). */
  output: boolean;
}

/** A config's network before the data is known: the output layer's width is filled by resolveNetwork. */
export interface NetworkTemplate {
  layers: ModuleSpec[];
  /** Index (in `layers`) of the top-level output linear module. */
  outputIndex: number;
  /** Units written on the output layer, when given (checked against the data). */
  outputUnits?: number;
}

/** Training settings besides the network and the loss (which depend on the data). */
export type TrainSettings = Omit<TrainSpec, 'network' | 'loss'>;

/** A valid config, resolved except for what needs the data. */
export interface ConfigRun {
  name?: string;
  /** Absolute path of the config file. */
  configPath: string;
  data: DataSpec;
  network: NetworkTemplate;
  /** The loss written in the config; undefined: chosen from the task. */
  loss?: LossName;
  train: TrainSettings;
}

export interface ConfigResult {
  /** Every problem found, errors and warnings, in source order. */
  errors: ConfigIssue[];
  /** No issue of severity 'error'. */
  ok: boolean;
  /** Present when ok. */
  run?: ConfigRun;
  /** Per linear layer, where it is written (also when other parts of the config have errors, if the network parsed). */
  layerLocations: LayerLocation[];
}

export interface ParseConfigOptions {
  /** Whether a data file exists (default: fs.existsSync). */
  fileExists?: (absolutePath: string) => boolean;
  /** Names in a folder, for "did you mean" on a missing data file (default: fs.readdirSync). */
  listFolder?: (absolutePath: string) => string[];
  /** A `data` key is optional (the data comes from elsewhere, e.g. `gradscope train --data`). */
  dataOptional?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Positions and issues

class IssueList {
  readonly issues: ConfigIssue[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  add(severity: 'error' | 'warning', at: { offset: number; length: number }, path: string, message: string): void {
    const start = this.position(at.offset);
    const end = this.position(at.offset + at.length);
    this.issues.push({
      message, severity, offset: at.offset, length: at.length,
      line: start.line, column: start.column, endLine: end.line, endColumn: end.column, path,
    });
  }

  get hasErrors(): boolean {
    return this.issues.some(i => i.severity === 'error');
  }
}

type Path = (string | number)[];

function pathText(p: Path): string {
  let out = '';
  for (const part of p) out += typeof part === 'number' ? `[${part}]` : out.length > 0 ? `.${part}` : part;
  return out;
}

function describeJson(node: JsonNode): string {
  switch (node.type) {
    case 'string': return `'${String(node.value)}'`;
    case 'number': case 'boolean': case 'null': return String(node.value);
    case 'array': return 'a list';
    case 'object': return 'an object';
    default: return node.type;
  }
}

/** A property of an object node: the key node and the value node. */
interface Property {
  key: string;
  keyNode: JsonNode;
  value: JsonNode;
}

function propertiesOf(node: JsonNode): Property[] {
  const out: Property[] = [];
  for (const child of node.children ?? []) {
    const [keyNode, value] = child.children ?? [];
    if (keyNode && value) out.push({ key: String(keyNode.value), keyNode, value });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The parser

export function parseConfig(text: string, configPath: string, options: ParseConfigOptions = {}): ConfigResult {
  const issues = new IssueList(text);
  const parser = new ConfigParser(issues, path.resolve(configPath), options);
  const run = parser.parse();
  issues.issues.sort((a, b) => a.offset - b.offset);
  const ok = !issues.hasErrors && run !== undefined;
  return { errors: issues.issues, ok, run: ok ? run : undefined, layerLocations: parser.layerLocations };
}

interface PendingLayer {
  /** Source node that produced the linear layer. */
  node: JsonNode;
  path: Path;
  output: boolean;
}

class ConfigParser {
  layerLocations: LayerLocation[] = [];
  private linearSources: PendingLayer[] = [];
  private linearCount = 0;
  private topInit?: InitSpec;
  /** Linear modules written without units: allowed only on the output layer, checked once the list is read. */
  private pendingAutoUnits: { node: JsonNode; path: Path; ordinal: number; list: ModuleSpec[]; index: number; depth: number }[] = [];

  constructor(private readonly issues: IssueList, private readonly configPath: string, private readonly options: ParseConfigOptions) {}

  private error(node: { offset: number; length: number }, p: Path, message: string): void {
    this.issues.add('error', node, pathText(p), message);
  }

  private warn(node: { offset: number; length: number }, p: Path, message: string): void {
    this.issues.add('warning', node, pathText(p), message);
  }

  parse(): ConfigRun | undefined {
    const text = this.issues.text;
    const syntax: ParseError[] = [];
    const root = parseTree(text, syntax, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
    for (const e of syntax) {
      this.error({ offset: e.offset, length: Math.max(e.length, 1) }, [], `JSON syntax: ${syntaxMessage(printParseErrorCode(e.error))}`);
    }
    if (!root) {
      if (syntax.length === 0) this.error({ offset: 0, length: 0 }, [], 'the config is empty: expected an object such as { "data": { "builtin": "spiral" }, "hidden": [32, 32] }');
      return undefined;
    }
    if (root.type !== 'object') {
      this.error(root, [], `the config must be an object ({ … }), not ${describeJson(root)}`);
      return undefined;
    }
    const props = new Map<string, Property>();
    for (const p of propertiesOf(root)) {
      if (props.has(p.key)) this.error(p.keyNode, [p.key], `'${p.key}' is given twice`);
      props.set(p.key, p);
      if (!(p.key in TOP_LEVEL_KEYS)) this.unknownKey(p, [], Object.keys(TOP_LEVEL_KEYS));
    }
    const get = (key: string) => props.get(key)?.value;

    const name = this.optionalString(get('name'), ['name']);
    this.optionalString(get('description'), ['description']);
    const data = this.parseData(get('data'), root);
    this.topInit = get('init') ? this.parseInit(get('init')!, ['init']) : undefined;
    const network = this.parseNetwork(props, root);
    const loss = this.parseEnum(get('loss'), ['loss'], LOSS_NAMES, 'loss') as LossName | undefined;
    const optimizer = this.parseOptimizer(get('optimizer'), get('lr'));
    const batchSize = this.integer(get('batchSize'), ['batchSize'], 1, CONFIG_LIMITS.maxBatchSize) ?? CONFIG_DEFAULTS.batchSize;
    const epochs = this.integer(get('epochs'), ['epochs'], 0, CONFIG_LIMITS.maxEpochs) ?? CONFIG_DEFAULTS.epochs;
    const seed = this.integer(get('seed'), ['seed'], -(2 ** 31), 2 ** 32 - 1) ?? CONFIG_DEFAULTS.seed;
    const snapshotEvery = this.integer(get('snapshotEvery'), ['snapshotEvery'], 0, 1e9);

    if (network) this.finishLayerLocations(network);
    if (this.issues.hasErrors || !network || !data || !optimizer) return undefined;
    return {
      name, configPath: this.configPath, data, network, loss,
      train: { optimizer, batchSize, epochs, seed, ...(snapshotEvery !== undefined ? { snapshotEvery } : {}) },
    };
  }

  private unknownKey(p: Property, parent: Path, allowed: string[]): void {
    const guess = closestName(p.key, allowed.filter(k => k !== '$schema'));
    const where = parent.length > 0 ? ` in ${pathText(parent)}` : '';
    this.error(p.keyNode, [...parent, p.key], `unknown key '${p.key}'${where}${guess ? ` — did you mean '${guess}'?` : ` (allowed: ${allowed.filter(k => k !== '$schema').join(', ')})`}`);
  }

  private objectProps(node: JsonNode, p: Path, allowed: string[]): Map<string, Property> | undefined {
    if (node.type !== 'object') {
      this.error(node, p, `${pathText(p)} must be an object, not ${describeJson(node)}`);
      return undefined;
    }
    const out = new Map<string, Property>();
    for (const prop of propertiesOf(node)) {
      if (out.has(prop.key)) this.error(prop.keyNode, [...p, prop.key], `'${prop.key}' is given twice`);
      out.set(prop.key, prop);
      if (!allowed.includes(prop.key)) this.unknownKey(prop, p, allowed);
    }
    return out;
  }

  // ---- scalars ----

  private optionalString(node: JsonNode | undefined, p: Path): string | undefined {
    if (!node) return undefined;
    if (node.type !== 'string') {
      this.error(node, p, `${pathText(p)} must be text, not ${describeJson(node)}`);
      return undefined;
    }
    return String(node.value);
  }

  private number(node: JsonNode | undefined, p: Path, check: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }): number | undefined {
    if (!node) return undefined;
    if (node.type !== 'number' || !Number.isFinite(node.value)) {
      this.error(node, p, `${pathText(p)} must be a number, not ${describeJson(node)}`);
      return undefined;
    }
    const v = node.value as number;
    const { min, max, minExclusive, maxExclusive } = check;
    const low = min !== undefined && (minExclusive ? v <= min : v < min);
    const high = max !== undefined && (maxExclusive ? v >= max : v > max);
    if (low || high) {
      const from = min === undefined ? '' : `${minExclusive ? '>' : '≥'} ${min}`;
      const to = max === undefined ? '' : `${maxExclusive ? '<' : '≤'} ${max}`;
      this.error(node, p, `${pathText(p)} is ${v}: it must be ${[from, to].filter(Boolean).join(' and ')}`);
      return undefined;
    }
    return v;
  }

  private integer(node: JsonNode | undefined, p: Path, min: number, max: number): number | undefined {
    if (!node) return undefined;
    if (node.type !== 'number' || !Number.isInteger(node.value)) {
      this.error(node, p, `${pathText(p)} must be a whole number, not ${describeJson(node)}`);
      return undefined;
    }
    const v = node.value as number;
    if (v < min || v > max) {
      this.error(node, p, `${pathText(p)} is ${v}: it must be from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`);
      return undefined;
    }
    return v;
  }

  private boolean(node: JsonNode | undefined, p: Path): boolean | undefined {
    if (!node) return undefined;
    if (node.type !== 'boolean') {
      this.error(node, p, `${pathText(p)} must be true or false, not ${describeJson(node)}`);
      return undefined;
    }
    return node.value as boolean;
  }

  private parseEnum(node: JsonNode | undefined, p: Path, allowed: readonly string[], what: string, aliases: Record<string, string> = {}): string | undefined {
    if (!node) return undefined;
    if (node.type !== 'string') {
      this.error(node, p, `${pathText(p)} must be one of ${allowed.map(a => `'${a}'`).join(', ')}, not ${describeJson(node)}`);
      return undefined;
    }
    const v = String(node.value);
    if (allowed.includes(v)) return v;
    const guess = aliases[v.toLowerCase()] ?? allowed.find(a => a === v.toLowerCase()) ?? closestName(v, allowed);
    this.error(node, p, `unknown ${what} '${v}'${guess ? ` — did you mean '${guess}'?` : ''} (allowed: ${allowed.join(', ')})`);
    return undefined;
  }

  // ---- data ----

  private parseData(node: JsonNode | undefined, root: JsonNode): ConfigRun['data'] | undefined {
    const defaults = { validation: CONFIG_DEFAULTS.validation, normalize: CONFIG_DEFAULTS.normalize };
    if (!node) {
      if (this.options.dataOptional) return defaults;
      this.error({ offset: root.offset, length: 1 }, ['data'], `missing 'data': give "data": { "file": "your.csv" } or "data": { "builtin": "${BUILTIN_DATASET_NAMES[0]}" }`);
      return undefined;
    }
    const p: Path = ['data'];
    const props = this.objectProps(node, p, Object.keys(DATA_KEYS));
    if (!props) return undefined;
    const get = (k: string) => props.get(k)?.value;
    const data: ConfigRun['data'] = { ...defaults };
    const fileNode = get('file');
    const builtinNode = get('builtin');
    if (fileNode && builtinNode) {
      this.error(props.get('builtin')!.keyNode, ['data', 'builtin'], `data has both 'file' and 'builtin': keep one`);
    } else if (!fileNode && !builtinNode && !this.options.dataOptional) {
      this.error(node, p, `data needs 'file' (a CSV, TSV, JSON or JSON Lines file) or 'builtin' (${BUILTIN_DATASET_NAMES.join(', ')})`);
    }
    if (fileNode) {
      const file = this.optionalString(fileNode, ['data', 'file']);
      if (file !== undefined) {
        const absolute = path.resolve(path.dirname(this.configPath), file);
        const exists = this.options.fileExists ?? ((f: string) => fs.existsSync(f) && fs.statSync(f).isFile());
        if (file.trim().length === 0) this.error(fileNode, ['data', 'file'], 'data.file is empty');
        else if (!this.options.fileExists && fs.existsSync(absolute) && fs.statSync(absolute).isDirectory()) {
          this.error(fileNode, ['data', 'file'], `data.file '${file}' is a folder, not a data file`);
        } else if (!exists(absolute)) {
          const folder = path.dirname(absolute);
          let names: string[] = [];
          try {
            names = (this.options.listFolder ?? (f => fs.readdirSync(f)))(folder);
          } catch {
            names = [];
          }
          const guess = closestName(path.basename(file), names.filter(n => n !== path.basename(file)));
          const shown = guess ? path.join(path.dirname(file), guess) : undefined;
          this.error(fileNode, ['data', 'file'], `data.file '${file}' not found${shown ? ` — did you mean '${shown.replace(/\\/g, '/')}'?` : ` (looked in ${folder})`}`);
        }
        data.file = absolute;
      }
    }
    if (builtinNode) {
      const builtin = this.optionalString(builtinNode, ['data', 'builtin']);
      if (builtin !== undefined) {
        if (findBuiltinDataset(builtin)?.name === builtin) data.builtin = builtin;
        else {
          const guess = closestName(builtin, BUILTIN_DATASET_NAMES);
          this.error(builtinNode, ['data', 'builtin'], `unknown built-in dataset '${builtin}'${guess ? ` — did you mean '${guess}'?` : ''} (built-in: ${BUILTIN_DATASET_NAMES.join(', ')})`);
        }
      }
    }
    const inputsNode = get('inputs');
    if (inputsNode) {
      if (inputsNode.type !== 'array') this.error(inputsNode, ['data', 'inputs'], 'data.inputs must be a list of column names or 0-based indices');
      else {
        const inputs: (string | number)[] = [];
        (inputsNode.children ?? []).forEach((c, i) => {
          const column = this.column(c, ['data', 'inputs', i]);
          if (column !== undefined) inputs.push(column);
        });
        if (inputs.length === 0 && (inputsNode.children ?? []).length === 0) this.error(inputsNode, ['data', 'inputs'], 'data.inputs is empty: list at least one input column');
        data.inputs = inputs;
      }
    }
    const targetNode = get('target');
    if (targetNode) data.target = this.column(targetNode, ['data', 'target']);
    const task = this.parseEnum(get('task'), ['data', 'task'], TASK_NAMES, 'task');
    if (task) data.task = task as Task;
    data.validation = this.number(get('validation'), ['data', 'validation'], { min: 0, max: 0.9 }) ?? data.validation;
    data.normalize = this.boolean(get('normalize'), ['data', 'normalize']) ?? data.normalize;
    const noise = this.number(get('noise'), ['data', 'noise'], { min: 0 });
    if (noise !== undefined) data.noise = noise;
    const samples = this.integer(get('samples'), ['data', 'samples'], 2, CONFIG_LIMITS.maxSamples);
    if (samples !== undefined) data.samples = samples;
    const rowLimit = this.integer(get('rowLimit'), ['data', 'rowLimit'], 1, 1e9);
    if (rowLimit !== undefined) data.rowLimit = rowLimit;
    const header = this.boolean(get('header'), ['data', 'header']);
    if (header !== undefined) data.header = header;
    if (fileNode) {
      for (const k of ['noise', 'samples']) if (props.has(k)) this.warn(props.get(k)!.keyNode, ['data', k], `data.${k} applies to built-in datasets only; it is ignored for a file`);
    }
    if (builtinNode) {
      for (const k of ['inputs', 'target', 'rowLimit', 'header']) if (props.has(k)) this.warn(props.get(k)!.keyNode, ['data', k], `data.${k} applies to files only; it is ignored for a built-in dataset`);
    }
    return data;
  }

  private column(node: JsonNode, p: Path): string | number | undefined {
    if (node.type === 'string') return String(node.value);
    if (node.type === 'number' && Number.isInteger(node.value) && node.value >= 0) return node.value as number;
    this.error(node, p, `${pathText(p)} must be a column name or a 0-based column index, not ${describeJson(node)}`);
    return undefined;
  }

  // ---- activations, inits ----

  /** An activation given as a name or { name, params, perUnit }. */
  private parseActivation(node: JsonNode, p: Path): Extract<ModuleSpec, { type: 'activation' }> | undefined {
    if (node.type === 'string') {
      const name = this.activationName(node, p);
      return name ? { type: 'activation', name } : undefined;
    }
    const props = this.objectProps(node, p, ['name', 'params', 'perUnit']);
    if (!props) return undefined;
    const nameNode = props.get('name')?.value;
    if (!nameNode) {
      this.error(node, p, `${pathText(p)} needs a 'name', e.g. { "name": "leaky_relu", "params": { "slope": 0.2 } }`);
      return undefined;
    }
    const name = this.activationName(nameNode, [...p, 'name']);
    return name ? this.activationExtras(name, props, p) : undefined;
  }

  private activationExtras(name: ActivationName, props: Map<string, Property>, p: Path): Extract<ModuleSpec, { type: 'activation' }> {
    const spec: Extract<ModuleSpec, { type: 'activation' }> = { type: 'activation', name };
    const paramsNode = props.get('params')?.value;
    if (paramsNode) {
      const params = this.activationParams(name, paramsNode, [...p, 'params']);
      if (params) spec.params = params;
    }
    const perUnitNode = props.get('perUnit');
    if (perUnitNode) {
      const perUnit = this.boolean(perUnitNode.value, [...p, 'perUnit']);
      if (perUnit !== undefined) {
        if (!ACTIVATIONS[name].learned?.perUnit) this.error(perUnitNode.keyNode, [...p, 'perUnit'], `perUnit applies to activations with a learned parameter (prelu), not ${name}`);
        else spec.perUnit = perUnit;
      }
    }
    return spec;
  }

  private activationParams(name: ActivationName, node: JsonNode, p: Path): Record<string, number> | undefined {
    if (node.type !== 'object') {
      this.error(node, p, `${pathText(p)} must be an object of numbers, e.g. { "slope": 0.2 }`);
      return undefined;
    }
    const params: Record<string, number> = {};
    const raw: Record<string, unknown> = {};
    const reported = new Set<string>();
    for (const prop of propertiesOf(node)) {
      raw[prop.key] = prop.value.value;
      const problems = validateActivationParams(name, { [prop.key]: prop.value.value });
      problems.forEach(m => reported.add(m));
      if (problems.length > 0) {
        const known = Object.keys(ACTIVATIONS[name].defaults);
        const unknownKey = !(prop.key in ACTIVATIONS[name].paramDocs);
        const guess = known.length > 0 && unknownKey ? closestName(prop.key, known) : undefined;
        this.error(unknownKey ? prop.keyNode : prop.value, [...p, prop.key], `${problems[0]}${guess ? ` — did you mean '${guess}'?` : ''}`);
      } else {
        params[prop.key] = prop.value.value as number;
      }
    }
    // Problems only the parameters together have (hardtanh's min below max), on the whole object.
    for (const m of validateActivationParams(name, raw)) if (!reported.has(m)) this.error(node, p, m);
    return params;
  }

  private activationName(node: JsonNode, p: Path): ActivationName | undefined {
    if (node.type !== 'string') {
      this.error(node, p, `${pathText(p)} must be an activation name such as 'relu', not ${describeJson(node)}`);
      return undefined;
    }
    const v = String(node.value);
    if (isActivationName(v)) return v;
    const known = lookupActivation(v)?.name ?? closestName(v, activationNames());
    this.error(node, p, `unknown activation '${v}'${known ? ` — did you mean '${known}'?` : ` (known: ${activationNames().join(', ')})`}`);
    return undefined;
  }

  private parseInit(node: JsonNode, p: Path): InitSpec | undefined {
    if (node.type === 'string') {
      const type = this.parseEnum(node, p, INIT_NAMES, 'initialisation', INIT_ALIASES);
      return type ? { type: type as InitSpec['type'] } : undefined;
    }
    const props = this.objectProps(node, p, ['type', 'std', 'a']);
    if (!props) return undefined;
    const typeNode = props.get('type')?.value;
    if (!typeNode) {
      this.error(node, p, `${pathText(p)} needs a 'type' (${INIT_NAMES.join(', ')})`);
      return undefined;
    }
    const type = this.parseEnum(typeNode, [...p, 'type'], INIT_NAMES, 'initialisation', INIT_ALIASES) as InitSpec['type'] | undefined;
    if (!type) return undefined;
    const spec: InitSpec = { type };
    const std = this.number(props.get('std')?.value, [...p, 'std'], { min: 0, minExclusive: true });
    const a = this.number(props.get('a')?.value, [...p, 'a'], { min: 0, minExclusive: true });
    if (std !== undefined) {
      if (type !== 'normal') this.warn(props.get('std')!.keyNode, [...p, 'std'], `std applies to the 'normal' initialisation only`);
      spec.std = std;
    }
    if (a !== undefined) {
      if (type !== 'uniform') this.warn(props.get('a')!.keyNode, [...p, 'a'], `a applies to the 'uniform' initialisation only`);
      spec.a = a;
    }
    return spec;
  }

  // ---- the network ----

  private parseNetwork(props: Map<string, Property>, root: JsonNode): NetworkTemplate | undefined {
    const hidden = props.get('hidden');
    const layers = props.get('layers');
    const shorthandKeys = ['activation', 'output', 'batchNorm', 'skip', 'dropout'];
    if (hidden && layers) {
      this.error(layers.keyNode, ['layers'], `give either 'hidden' (shorthand) or 'layers' (a module list), not both`);
      return undefined;
    }
    const numericLayers = layers && layers.value.type === 'array' && (layers.value.children ?? []).length > 0
      && (layers.value.children ?? []).every(c => c.type === 'number');
    if (layers && !numericLayers) {
      for (const k of shorthandKeys) {
        const prop = props.get(k);
        if (prop) this.error(prop.keyNode, [k], `'${k}' belongs to the 'hidden' shorthand; in a 'layers' list write the modules themselves`);
      }
      return this.parseLayerList(layers);
    }
    const source = hidden ?? layers;
    return this.parseShorthand(source, props, root);
  }

  /** hidden: [32, 32] or { units, repeat }, with activation, batchNorm, skip, dropout and output. */
  private parseShorthand(source: Property | undefined, props: Map<string, Property>, root: JsonNode): NetworkTemplate | undefined {
    const key = source?.key ?? 'hidden';
    type HiddenLayer = { units: number; node: JsonNode; path: Path };
    const widths: HiddenLayer[] = [];
    let ok = true;
    if (source) {
      const node = source.value;
      if (node.type === 'array') {
        (node.children ?? []).forEach((c, i) => {
          const units = this.units(c, [key, i], widths.length + 1);
          if (units === undefined) ok = false;
          else widths.push({ units, node: c, path: [key, i] });
        });
      } else if (node.type === 'object' && key === 'hidden') {
        const own = this.objectProps(node, [key], ['units', 'repeat']) ?? new Map<string, Property>();
        const unitsNode = own.get('units')?.value;
        const repeatNode = own.get('repeat')?.value;
        if (!unitsNode || !repeatNode) {
          this.error(node, [key], `hidden as an object needs 'units' and 'repeat', e.g. { "units": 32, "repeat": 10 }`);
          ok = false;
        }
        const units = unitsNode ? this.units(unitsNode, [key, 'units'], 1) : undefined;
        const repeat = repeatNode ? this.integer(repeatNode, [key, 'repeat'], 1, CONFIG_LIMITS.maxRepeat) : undefined;
        if (units === undefined || repeat === undefined) ok = false;
        else for (let i = 0; i < repeat; i++) widths.push({ units, node, path: [key] });
      } else {
        this.error(node, [key], `${key} must be a list of layer widths such as [32, 32, 32]${key === 'hidden' ? ' or { "units": 32, "repeat": 10 }' : ''}`);
        ok = false;
      }
    }
    if (widths.length + 1 > CONFIG_LIMITS.maxLinearLayers) {
      this.error(source!.value, [key], `${widths.length} hidden layers: at most ${CONFIG_LIMITS.maxLinearLayers - 1} are supported`);
      return undefined;
    }
    const get = (k: string) => props.get(k)?.value;
    const activation = get('activation') ? this.parseActivation(get('activation')!, ['activation']) : { type: 'activation' as const, name: 'relu' as ActivationName };
    const output = get('output') ? this.parseActivation(get('output')!, ['output']) : undefined;
    let batchNorm: false | 'before' | 'after' = false;
    const bnNode = get('batchNorm');
    if (bnNode) {
      if (bnNode.type === 'boolean') batchNorm = bnNode.value ? CONFIG_DEFAULTS.batchNormPlacement : false;
      else if (bnNode.type === 'string' && (bnNode.value === 'before' || bnNode.value === 'after')) batchNorm = bnNode.value;
      else this.error(bnNode, ['batchNorm'], `batchNorm must be true, false, "before" or "after" (the activation), not ${describeJson(bnNode)}`);
    }
    const skip = this.integer(get('skip'), ['skip'], 1, CONFIG_LIMITS.maxLinearLayers);
    const dropout = this.number(get('dropout'), ['dropout'], { min: 0, max: 1, maxExclusive: true });
    if (!ok || !activation || (get('output') && !output)) return undefined;
    if (skip !== undefined && widths.length < skip + 1) {
      this.warn(props.get('skip')!.keyNode, ['skip'], `skip ${skip} needs at least ${skip + 1} hidden layers (the first maps the inputs); with ${widths.length} there is no residual block`);
    }
    if (!source && !props.has('activation')) {
      // No network at all: a linear model, which is legitimate (logistic or linear regression) but worth a word.
      this.warn({ offset: root.offset, length: 1 }, ['hidden'], `no 'hidden' or 'layers': the network is a single linear layer`);
    }

    const blockOf = (h: HiddenLayer): ModuleSpec[] => {
      const block: ModuleSpec[] = [this.linear(h.units)];
      this.linearSources.push({ node: h.node, path: h.path, output: false });
      if (batchNorm === 'before') block.push({ type: 'batchnorm' });
      block.push({ ...activation });
      if (batchNorm === 'after') block.push({ type: 'batchnorm' });
      if (dropout !== undefined && dropout > 0) block.push({ type: 'dropout', p: dropout });
      return block;
    };
    const layers: ModuleSpec[] = [];
    if (skip !== undefined && widths.length >= skip + 1) {
      layers.push(...blockOf(widths[0]));
      let i = 1;
      for (; i + skip <= widths.length; i += skip) {
        const inner: ModuleSpec[] = [];
        for (let k = 0; k < skip; k++) inner.push(...blockOf(widths[i + k]));
        layers.push({ type: 'residual', layers: inner });
      }
      for (; i < widths.length; i++) layers.push(...blockOf(widths[i]));
    } else {
      for (const h of widths) layers.push(...blockOf(h));
    }
    const outputIndex = layers.length;
    layers.push(this.linear(0));
    const outputProp = props.get('output') ?? source ?? undefined;
    this.linearSources.push({
      node: outputProp ? (props.get('output') ? outputProp.value : outputProp.keyNode) : { offset: root.offset, length: 1 } as JsonNode,
      path: props.get('output') ? ['output'] : source ? [key] : [],
      output: true,
    });
    if (output && output.name !== 'linear') layers.push(output);
    return { layers, outputIndex };
  }

  private linear(units: number): Extract<ModuleSpec, { type: 'linear' }> {
    this.linearCount++;
    return this.topInit ? { type: 'linear', units, init: { ...this.topInit } } : { type: 'linear', units };
  }

  /** A layer width; `layerNumber` is 1-based for messages ("layer 3 has 0 units"). */
  private units(node: JsonNode, p: Path, layerNumber: number): number | undefined {
    if (node.type !== 'number' || !Number.isInteger(node.value)) {
      this.error(node, p, `layer ${layerNumber} must have a whole number of units, not ${describeJson(node)}`);
      return undefined;
    }
    const v = node.value as number;
    if (v < 1) {
      this.error(node, p, `layer ${layerNumber} has ${v} units — a layer needs at least 1`);
      return undefined;
    }
    if (v > CONFIG_LIMITS.maxUnits) {
      this.error(node, p, `layer ${layerNumber} has ${v} units — at most ${CONFIG_LIMITS.maxUnits} are supported`);
      return undefined;
    }
    return v;
  }

  /** An explicit module list; the last top-level linear module is the output layer. */
  private parseLayerList(prop: Property): NetworkTemplate | undefined {
    const node = prop.value;
    if (node.type !== 'array') {
      this.error(node, ['layers'], `layers must be a list of modules such as { "type": "linear", "units": 32 }`);
      return undefined;
    }
    const errorsBefore = this.issues.issues.length;
    const layers = this.parseModules(node, ['layers'], [], 0);
    if (layers === undefined || this.issues.issues.slice(errorsBefore).some(i => i.severity === 'error')) return undefined;
    let outputIndex = -1;
    layers.forEach((m, i) => { if (m.type === 'linear') outputIndex = i; });
    if (outputIndex < 0) {
      this.error(node, ['layers'], `layers has no linear module at the top level: the last one is the output layer, e.g. { "type": "linear" }`);
      return undefined;
    }
    if (this.linearCount > CONFIG_LIMITS.maxLinearLayers) {
      this.error(node, ['layers'], `${this.linearCount} linear layers: at most ${CONFIG_LIMITS.maxLinearLayers} are supported`);
      return undefined;
    }
    // The output layer is the last top-level linear: mark its source.
    const outputLinear = layers[outputIndex] as Extract<ModuleSpec, { type: 'linear' }>;
    const outputOrdinal = this.ordinalOf(layers, outputIndex);
    if (outputOrdinal >= 0) this.linearSources[outputOrdinal].output = true;
    const outputUnits = outputLinear.units > 0 ? outputLinear.units : undefined;
    return { layers, outputIndex, outputUnits };
  }

  /** Position among all linear layers (depth-first) of the top-level module at `index`. */
  private ordinalOf(layers: ModuleSpec[], index: number): number {
    let count = 0;
    const countIn = (mods: ModuleSpec[]): void => {
      for (const m of mods) {
        if (m.type === 'linear') count++;
        else if (m.type === 'residual') countIn(m.layers);
      }
    };
    countIn(layers.slice(0, index));
    return count;
  }

  private parseModules(node: JsonNode, p: Path, out: ModuleSpec[], depth: number): ModuleSpec[] | undefined {
    if (depth > 20) {
      this.error(node, p, 'modules nested more than 20 deep');
      return undefined;
    }
    const items = node.children ?? [];
    if (items.length === 0) this.error(node, p, `${pathText(p)} is empty`);
    items.forEach((item, i) => this.parseModule(item, [...p, i], out, depth));
    return out;
  }

  private parseModule(node: JsonNode, p: Path, out: ModuleSpec[], depth: number): void {
    if (node.type === 'number') {
      this.error(node, p, `write a layer in a module list as { "type": "linear", "units": ${node.value} } (plain numbers only work when every entry is a number)`);
      return;
    }
    if (node.type !== 'object') {
      this.error(node, p, `a module must be an object such as { "type": "linear", "units": 32 }, not ${describeJson(node)}`);
      return;
    }
    const own = new Map(propertiesOf(node).map(pr => [pr.key, pr]));
    const typeProp = own.get('type');
    let type: string | undefined;
    if (typeProp) {
      if (typeProp.value.type !== 'string') {
        this.error(typeProp.value, [...p, 'type'], `type must be text such as "linear", not ${describeJson(typeProp.value)}`);
        return;
      }
      type = String(typeProp.value.value);
    } else if (own.has('units')) type = 'linear';
    else if (own.has('count')) type = 'repeat';
    else {
      this.error(node, p, `this module has no 'type' (${MODULE_TYPES.join(', ')}, or an activation name)`);
      return;
    }
    if (isActivationName(type) && !(MODULE_TYPES as readonly string[]).includes(type)) {
      const props = this.objectProps(node, p, ['type', 'params', 'perUnit']);
      if (props) out.push(this.activationExtras(type, props, p));
      return;
    }
    if (!(MODULE_TYPES as readonly string[]).includes(type)) {
      const alias = MODULE_TYPE_ALIASES[type.toLowerCase()] ?? lookupActivation(type)?.name;
      const guess = alias ?? closestName(type, [...MODULE_TYPES, ...activationNames()]);
      this.error(typeProp!.value, [...p, 'type'], `unknown module type '${type}'${guess ? ` — did you mean '${guess}'?` : ''} (module types: ${MODULE_TYPES.join(', ')}, or an activation name)`);
      return;
    }
    const props = this.objectProps(node, p, Object.keys(MODULE_KEYS[type]));
    if (!props) return;
    const get = (k: string) => props.get(k)?.value;
    switch (type as (typeof MODULE_TYPES)[number]) {
      case 'linear': {
        const unitsNode = get('units');
        const ordinal = this.linearCount + 1;
        let units = 0;
        if (unitsNode && !(unitsNode.type === 'string' && unitsNode.value === 'auto')) {
          const u = this.units(unitsNode, [...p, 'units'], ordinal);
          if (u === undefined) return;
          units = u;
        }
        const spec = this.linear(units);
        this.linearSources.push({ node, path: p, output: false });
        const bias = this.boolean(get('bias'), [...p, 'bias']);
        if (bias === false) spec.bias = false;
        if (get('init')) {
          const init = this.parseInit(get('init')!, [...p, 'init']);
          if (init) spec.init = init;
        }
        out.push(spec);
        if (get('activation')) {
          const act = this.parseActivation(get('activation')!, [...p, 'activation']);
          if (act) out.push(act);
        }
        if (units === 0) {
          // Only the output layer may leave its width to the data; checked once the whole list is read.
          this.pendingAutoUnits.push({ node: unitsNode ?? node, path: [...p, 'units'], ordinal, list: out, index: out.indexOf(spec), depth });
        }
        return;
      }
      case 'activation': {
        const nameNode = get('name');
        if (!nameNode) {
          this.error(node, p, `an activation module needs a 'name', e.g. { "type": "activation", "name": "relu" }`);
          return;
        }
        const name = this.activationName(nameNode, [...p, 'name']);
        if (name) out.push(this.activationExtras(name, props, p));
        return;
      }
      case 'batchnorm': {
        const spec: Extract<ModuleSpec, { type: 'batchnorm' }> = { type: 'batchnorm' };
        const momentum = this.number(get('momentum'), [...p, 'momentum'], { min: 0, max: 1, minExclusive: true });
        const eps = this.number(get('eps'), [...p, 'eps'], { min: 0, minExclusive: true });
        if (momentum !== undefined) spec.momentum = momentum;
        if (eps !== undefined) spec.eps = eps;
        out.push(spec);
        return;
      }
      case 'dropout': {
        const pNode = get('p');
        if (!pNode) {
          this.error(node, p, `a dropout module needs 'p', the drop probability, e.g. { "type": "dropout", "p": 0.1 }`);
          return;
        }
        const prob = this.number(pNode, [...p, 'p'], { min: 0, max: 1, maxExclusive: true });
        if (prob !== undefined) out.push({ type: 'dropout', p: prob });
        return;
      }
      case 'residual': {
        const inner = get('layers');
        if (!inner || inner.type !== 'array') {
          this.error(inner ?? node, [...p, 'layers'], `a residual block needs 'layers', a list of modules`);
          return;
        }
        const block = this.parseModules(inner, [...p, 'layers'], [], depth + 1);
        if (block) out.push({ type: 'residual', layers: block });
        return;
      }
      case 'repeat': {
        const count = this.integer(get('count'), [...p, 'count'], 1, CONFIG_LIMITS.maxRepeat);
        const inner = get('layers');
        if (!get('count')) this.error(node, p, `a repeat needs 'count', e.g. { "type": "repeat", "count": 8, "layers": [ … ] }`);
        if (!inner || inner.type !== 'array') {
          this.error(inner ?? node, [...p, 'layers'], `a repeat needs 'layers', the modules to repeat`);
          return;
        }
        if (count === undefined) return;
        // Parse once (one set of errors and sources), then copy: each copy's linear layers map back to the template.
        const sourcesBefore = this.linearSources.length;
        const linearBefore = this.linearCount;
        const block = this.parseModules(inner, [...p, 'layers'], [], depth + 1);
        if (!block) return;
        const templateSources = this.linearSources.slice(sourcesBefore);
        const perCopy = this.linearCount - linearBefore;
        if (linearBefore + perCopy * count > CONFIG_LIMITS.maxLinearLayers) {
          this.error(get('count')!, [...p, 'count'], `repeat ${count} × ${perCopy} linear layers: at most ${CONFIG_LIMITS.maxLinearLayers} are supported`);
          return;
        }
        for (let c = 0; c < count; c++) {
          out.push(...(JSON.parse(JSON.stringify(block)) as ModuleSpec[]));
          if (c > 0) {
            this.linearSources.push(...templateSources.map(s => ({ ...s })));
            this.linearCount += perCopy;
          }
        }
        return;
      }
    }
  }

  /** Map every linear layer to its source, and refuse "auto" widths anywhere but on the output layer. */
  private finishLayerLocations(network: NetworkTemplate): void {
    const outputOrdinal = this.ordinalOf(network.layers, network.outputIndex);
    for (const pending of this.pendingAutoUnits) {
      const isOutput = pending.depth === 0 && pending.list === network.layers && pending.index === network.outputIndex;
      if (!isOutput) this.error(pending.node, pending.path, `layer ${pending.ordinal} needs 'units' (only the output layer, the last linear module, takes its width from the data)`);
    }
    const specPaths: string[] = [];
    const walk = (mods: ModuleSpec[], prefix: string): void => {
      mods.forEach((m, i) => {
        if (m.type === 'linear') specPaths.push(`${prefix}[${i}]`);
        else if (m.type === 'residual') walk(m.layers, `${prefix}[${i}].layers`);
      });
    };
    walk(network.layers, 'layers');
    this.layerLocations = this.linearSources.map((s, index) => {
      const start = this.issues.position(s.node.offset);
      return {
        index, path: pathText(s.path), specPath: specPaths[index] ?? '', offset: s.node.offset, length: s.node.length,
        line: start.line, column: start.column, output: index === outputOrdinal,
      };
    });
  }

  // ---- optimizer ----

  private parseOptimizer(node: JsonNode | undefined, lrNode: JsonNode | undefined): OptimizerSpec | undefined {
    let type: OptimizerSpec['type'] = CONFIG_DEFAULTS.optimizer;
    const spec: Partial<OptimizerSpec> = {};
    let ok = true;
    if (node) {
      if (node.type === 'string') {
        const t = this.parseEnum(node, ['optimizer'], OPTIMIZER_NAMES, 'optimizer');
        if (!t) ok = false;
        else type = t as OptimizerSpec['type'];
      } else {
        const props = this.objectProps(node, ['optimizer'], Object.keys(OPTIMIZER_KEYS));
        if (!props) return undefined;
        const get = (k: string) => props.get(k)?.value;
        const p: Path = ['optimizer'];
        if (get('type')) {
          const t = this.parseEnum(get('type'), [...p, 'type'], OPTIMIZER_NAMES, 'optimizer');
          if (!t) ok = false;
          else type = t as OptimizerSpec['type'];
        }
        const lr = this.number(get('lr'), [...p, 'lr'], { min: 0, minExclusive: true });
        if (lr !== undefined) spec.lr = lr;
        if (lr !== undefined && lrNode) this.error(lrNode, ['lr'], `the learning rate is given twice (lr and optimizer.lr): keep one`);
        const momentum = this.number(get('momentum'), [...p, 'momentum'], { min: 0, max: 1, maxExclusive: true });
        if (momentum !== undefined) spec.momentum = momentum;
        const nesterov = this.boolean(get('nesterov'), [...p, 'nesterov']);
        if (nesterov !== undefined) spec.nesterov = nesterov;
        const betasNode = get('betas');
        if (betasNode) {
          const items = betasNode.type === 'array' ? betasNode.children ?? [] : [];
          if (betasNode.type !== 'array' || items.length !== 2) this.error(betasNode, [...p, 'betas'], 'optimizer.betas must be two numbers [β1, β2], e.g. [0.9, 0.999]');
          else {
            const b1 = this.number(items[0], [...p, 'betas', 0], { min: 0, max: 1, maxExclusive: true });
            const b2 = this.number(items[1], [...p, 'betas', 1], { min: 0, max: 1, maxExclusive: true });
            if (b1 !== undefined && b2 !== undefined) spec.betas = [b1, b2];
          }
        }
        const eps = this.number(get('eps'), [...p, 'eps'], { min: 0, minExclusive: true });
        if (eps !== undefined) spec.eps = eps;
        const weightDecay = this.number(get('weightDecay'), [...p, 'weightDecay'], { min: 0 });
        if (weightDecay !== undefined) spec.weightDecay = weightDecay;
        const clipNorm = this.number(get('clipNorm'), [...p, 'clipNorm'], { min: 0, minExclusive: true });
        if (clipNorm !== undefined) spec.clipNorm = clipNorm;
        const sgdLike = type === 'sgd' || type === 'momentum';
        for (const k of ['momentum', 'nesterov'] as const) {
          if (props.has(k) && !sgdLike) this.warn(props.get(k)!.keyNode, [...p, k], `${k} applies to sgd and momentum, not ${type}; it is ignored`);
        }
        for (const k of ['betas', 'eps'] as const) {
          if (props.has(k) && sgdLike) this.warn(props.get(k)!.keyNode, [...p, k], `${k} applies to adam and adamw, not ${type}; it is ignored`);
        }
        if (spec.nesterov && type === 'sgd' && !(spec.momentum && spec.momentum > 0)) {
          this.error(props.get('nesterov')!.value, [...p, 'nesterov'], 'Nesterov momentum needs momentum > 0 (as in torch.optim.SGD)');
        }
      }
    }
    if (lrNode) {
      const lr = this.number(lrNode, ['lr'], { min: 0, minExclusive: true });
      if (lr !== undefined && spec.lr === undefined) spec.lr = lr;
    }
    if (!ok) return undefined;
    const out: OptimizerSpec = { type, lr: spec.lr ?? CONFIG_DEFAULTS.lr };
    if (type === 'momentum') out.momentum = spec.momentum ?? CONFIG_DEFAULTS.momentum;
    else if (type === 'sgd' && spec.momentum !== undefined) out.momentum = spec.momentum;
    if (spec.nesterov !== undefined && (type === 'sgd' || type === 'momentum')) out.nesterov = spec.nesterov;
    if (type === 'adam' || type === 'adamw') {
      if (spec.betas) out.betas = spec.betas;
      if (spec.eps !== undefined) out.eps = spec.eps;
    }
    if (spec.weightDecay !== undefined) out.weightDecay = spec.weightDecay;
    if (spec.clipNorm !== undefined) out.clipNorm = spec.clipNorm;
    return out;
  }
}

function syntaxMessage(code: string): string {
  const friendly: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'not a valid number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: "expected ':' after the property name",
    CommaExpected: "expected ',' between entries",
    CloseBraceExpected: "expected '}'",
    CloseBracketExpected: "expected ']'",
    EndOfFileExpected: 'unexpected text after the end of the config',
    InvalidCommentToken: 'broken comment',
    UnexpectedEndOfComment: 'a /* comment */ is never closed',
    UnexpectedEndOfString: 'a string is never closed (missing ")',
    UnexpectedEndOfNumber: 'a number ends too early',
    InvalidUnicode: 'invalid \\u escape',
    InvalidEscapeCharacter: 'invalid escape character in a string',
    InvalidCharacter: 'invalid character in a string',
  };
  return friendly[code] ?? code;
}

// ---------------------------------------------------------------------------------------------------------------
// From a config to a run

/** The loss a task uses when the config names none. */
export function defaultLoss(task: Task): LossName {
  return task === 'regression' ? 'mse' : task === 'binary' ? 'bce' : 'cross_entropy';
}

/**
 * The TrainSpec for data with `inputs` columns and `outputs` network outputs: the template with its output layer
 * sized, the loss chosen (or checked) for the task. Throws an InputError when config and data do not fit together.
 */
export function resolveNetwork(run: ConfigRun, inputs: number, outputs: number, task: Task): TrainSpec {
  const loss = run.loss ?? defaultLoss(task);
  checkLossFitsTask(loss, task);
  const layers = JSON.parse(JSON.stringify(run.network.layers)) as ModuleSpec[];
  const output = layers[run.network.outputIndex] as Extract<ModuleSpec, { type: 'linear' }>;
  if (run.network.outputUnits !== undefined && run.network.outputUnits !== outputs) {
    throw new InputError(`the output layer has ${run.network.outputUnits} units but the data needs ${outputs} (${describeTask(task, outputs)}); leave 'units' out on the last linear module to size it from the data`);
  }
  output.units = outputs;
  const network: NetworkSpec = { inputs, layers };
  const parameters = countParameters(network);
  if (parameters > CONFIG_LIMITS.maxParameters) {
    throw new InputError(`the network has ${parameters.toLocaleString('en-US')} parameters: at most ${CONFIG_LIMITS.maxParameters.toLocaleString('en-US')} are supported`);
  }
  return { network, loss, ...run.train };
}

function describeTask(task: Task, outputs: number): string {
  return task === 'regression' ? 'regression: one output' : task === 'binary' ? 'two classes: one logit' : `${outputs} classes: one logit each`;
}

function checkLossFitsTask(loss: LossName, task: Task): void {
  if (loss === 'mse' && task !== 'regression') {
    throw new InputError(`loss 'mse' needs a numeric target, but the target holds classes (${task}): use 'bce' for two classes or 'cross_entropy' for more, or set data.task to 'regression'`);
  }
  if (loss === 'bce' && task !== 'binary') {
    throw new InputError(`loss 'bce' needs exactly two classes, but the task is ${task}: use ${task === 'regression' ? "'mse'" : "'cross_entropy'"}`);
  }
  if (loss === 'cross_entropy' && task === 'regression') {
    throw new InputError(`loss 'cross_entropy' needs class labels, but the target is numeric (regression): use 'mse', or set data.task to 'binary' or 'multiclass'`);
  }
}

/** Learned parameters of a network spec (residual projections included). */
export function countParameters(network: NetworkSpec): number {
  let total = 0;
  const walk = (mods: ModuleSpec[], width: number): number => {
    for (const m of mods) {
      switch (m.type) {
        case 'linear':
          total += width * m.units + (m.bias === false ? 0 : m.units);
          width = m.units;
          break;
        case 'batchnorm':
          total += 2 * width;
          break;
        case 'activation':
          if (m.name === 'prelu') total += m.perUnit ? width : 1;
          break;
        case 'dropout':
          break;
        case 'residual': {
          const out = walk(m.layers, width);
          if (out !== width) total += width * out;
          width = out;
          break;
        }
      }
    }
    return width;
  };
  walk(network.layers, network.inputs);
  return total;
}

/**
 * From a parsed config and its dataset to what the trainer takes: the split and standardised data and the TrainSpec.
 * Binary data with cross_entropy becomes a two-class multiclass problem (two logits), as PyTorch would train it.
 */
export function buildRun(run: ConfigRun, dataset: Dataset, options: { standardisation?: { mean: ArrayLike<number>; std: ArrayLike<number> } } = {}): { data: PreparedData; train: TrainSpec } {
  const data = prepareData(dataset, {
    validation: run.data.validation, normalize: run.data.normalize, seed: run.train.seed,
    standardisation: options.standardisation,
  });
  if (data.task === 'binary' && run.loss === 'cross_entropy') {
    data.task = 'multiclass';
    data.outputs = 2;
  }
  const train = resolveNetwork(run, data.d, data.outputs, data.task);
  if (train.loss === 'bce' || train.loss === 'cross_entropy') {
    const last = train.network.layers[train.network.layers.length - 1];
    if (last.type === 'activation' && (last.name === 'sigmoid' || last.name === 'softplus' || last.name === 'tanh')) {
      data.notes.push(`the output activation '${last.name}' comes before ${train.loss}, which already takes logits: the output is squashed twice`);
    }
  }
  return { data, train };
}

/** Read (or generate) the dataset a config names. */
export async function loadDataset(data: ConfigRun['data'], seed: number, io: Pick<ReadDatasetOptions, 'isCancelled' | 'onProgress'> = {}): Promise<Dataset> {
  if (data.builtin) {
    const generated = generateBuiltinDataset(data.builtin, { samples: data.samples, noise: data.noise, seed });
    if (data.task && data.task !== generated.task) {
      throw new InputError(`the built-in dataset '${data.builtin}' is ${generated.task}; data.task '${data.task}' does not apply`);
    }
    return generated;
  }
  if (!data.file) throw new InputError(`no data: give data.file or data.builtin in the config, or --data / --builtin on the command line`);
  return readDatasetFile(data.file, {
    inputs: data.inputs, target: data.target, task: data.task, rowLimit: data.rowLimit, seed, header: data.header, ...io,
  });
}

/** What starts a run: a config file, or a preset with a data file or a built-in set. */
export type RunRequest =
  | { kind: 'config'; configPath: string; configText?: string }
  | { kind: 'dataset'; dataPath: string; preset: string }
  | { kind: 'builtin'; builtin: string; preset: string };

export interface RunOverrides {
  /** Replace the config's data with a file or a built-in set (keeps inputs/target only for a file → file swap). */
  dataFile?: string;
  builtin?: string;
  epochs?: number;
  seed?: number;
  rowLimit?: number;
  snapshotEvery?: number;
  isCancelled?: () => boolean;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface LoadedRun {
  title: string;
  config: ConfigRun;
  dataset: Dataset;
  data: PreparedData;
  train: TrainSpec;
  /** Warnings from the config (errors throw). */
  warnings: ConfigIssue[];
  layerLocations: LayerLocation[];
}

/** A config that has errors: the first one's place, and all of them. */
export class ConfigError extends InputError {
  constructor(readonly issues: ConfigIssue[], file: string) {
    const errors = issues.filter(i => i.severity === 'error');
    const first = errors[0];
    super(
      errors.length > 1 ? `${first.message} (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : first.message,
      { file, line: first.line, column: first.column },
    );
    this.name = 'ConfigError';
  }

  /** Every error as "file:line:column: message". */
  describeAll(): string[] {
    return this.issues.filter(i => i.severity === 'error').map(i => `${this.location!.file}:${i.line}:${i.column}: ${i.message}`);
  }
}

/**
 * The one way from a run request to data + TrainSpec. Reads the config (from disk unless its text is given), applies
 * overrides, reads or generates the data, splits and standardises it, sizes the network. Throws InputError (a
 * ConfigError for config problems) with a location for every user mistake.
 */
export async function loadRun(request: RunRequest, overrides: RunOverrides = {}, presetConfigText?: (preset: string, data: { file?: string; builtin?: string }, configPath: string) => string): Promise<LoadedRun> {
  let configPath: string;
  let text: string;
  if (request.kind === 'config') {
    configPath = path.resolve(request.configPath);
    if (request.configText !== undefined) text = request.configText;
    else {
      try {
        text = fs.readFileSync(configPath, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw noSuchFile(request.configPath, 'config', configPath);
        throw new InputError(`cannot read ${request.configPath}: ${(e as Error).message}`);
      }
    }
  } else {
    if (!presetConfigText) throw new Error('loadRun: a preset request needs presetConfigText (from presets.ts)');
    const dataPath = request.kind === 'dataset' ? path.resolve(request.dataPath) : undefined;
    if (dataPath !== undefined) {
      // Checked here: a preset's config is virtual, so its errors must not point into it.
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(dataPath);
      } catch {
        stat = undefined;
      }
      const shown = request.kind === 'dataset' ? request.dataPath : dataPath;
      if (!stat) throw noSuchFile(shown, '', dataPath);
      if (stat.isDirectory()) throw new InputError(`${shown} is a folder, not a data file`);
    }
    configPath = dataPath ? path.join(path.dirname(dataPath), `${path.basename(dataPath)}.nn.json`) : path.resolve('builtin.nn.json');
    text = presetConfigText(request.preset, request.kind === 'dataset' ? { file: path.basename(request.dataPath) } : { builtin: request.builtin }, configPath);
  }
  const dataOverridden = overrides.dataFile !== undefined || overrides.builtin !== undefined;
  const parsed = parseConfig(text, configPath, { dataOptional: dataOverridden });
  const displayPath = request.kind === 'config' ? request.configPath : configPath;
  if (!parsed.ok || !parsed.run) throw new ConfigError(parsed.errors, displayPath);
  const run = parsed.run;
  if (overrides.dataFile !== undefined) {
    const keepColumns = run.data.file !== undefined;
    run.data = {
      validation: run.data.validation, normalize: run.data.normalize, file: path.resolve(overrides.dataFile),
      ...(keepColumns ? { inputs: run.data.inputs, target: run.data.target, task: run.data.task, header: run.data.header } : {}),
      rowLimit: run.data.rowLimit,
    };
  } else if (overrides.builtin !== undefined) {
    const spec = findBuiltinDataset(overrides.builtin);
    if (!spec) {
      const guess = closestName(overrides.builtin, BUILTIN_DATASET_NAMES);
      throw new InputError(`unknown built-in dataset '${overrides.builtin}'${guess ? ` — did you mean '${guess}'?` : ''} (built-in: ${BUILTIN_DATASET_NAMES.join(', ')})`);
    }
    run.data = { validation: run.data.validation, normalize: run.data.normalize, builtin: spec.name, noise: run.data.noise, samples: run.data.samples };
  }
  if (overrides.rowLimit !== undefined) run.data.rowLimit = overrides.rowLimit;
  if (overrides.epochs !== undefined) run.train.epochs = overrides.epochs;
  if (overrides.seed !== undefined) run.train.seed = overrides.seed;
  if (overrides.snapshotEvery !== undefined) run.train.snapshotEvery = overrides.snapshotEvery;

  let dataset: Dataset;
  try {
    dataset = await loadDataset(run.data, run.train.seed, { isCancelled: overrides.isCancelled, onProgress: overrides.onProgress });
  } catch (e) {
    throw pointAtConfig(e, text, displayPath, request.kind === 'config' && !dataOverridden);
  }
  let built: { data: PreparedData; train: TrainSpec };
  try {
    built = buildRun(run, dataset);
  } catch (e) {
    throw pointAtConfig(e, text, displayPath, request.kind === 'config', 'loss');
  }
  const title = run.name ?? (request.kind === 'config' ? path.basename(configPath) : `${request.preset} on ${dataset.name}`);
  return {
    title, config: run, dataset, data: built.data, train: built.train,
    warnings: parsed.errors.filter(i => i.severity === 'warning'), layerLocations: parsed.layerLocations,
  };
}

/** A data or network error without a place gets the config line it comes from (data.target, data.file, loss). */
function pointAtConfig(e: unknown, text: string, file: string, inConfig: boolean, key?: string): unknown {
  if (!(e instanceof InputError) || e.location || !inConfig) return e;
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (!root) return e;
  const find = (keys: Path): JsonNode | undefined => {
    let node: JsonNode | undefined = root;
    for (const k of keys) node = node && propertiesOf(node).find(p => p.key === k)?.value;
    return node;
  };
  const candidates: Path[] = key
    ? [[key], ['hidden'], ['layers']]
    : /target column/.test(e.message) ? [['data', 'target']]
      : /input column/.test(e.message) ? [['data', 'inputs']]
        : /data\.task/.test(e.message) ? [['data', 'task']]
          : [['data', 'file'], ['data', 'builtin'], ['data']];
  for (const c of candidates) {
    const node = find(c);
    if (node) {
      const list = new IssueList(text);
      const where: SourceLocation = { file, ...list.position(node.offset) };
      return new InputError(e.message, where);
    }
  }
  return e;
}
