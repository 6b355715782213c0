// From a config to a run: the one path from a config (or a preset + data) to PreparedData + TrainSpec that the
// worker, the CLI and the live probe all call (loadRun), and what it needs: the output layer sized from the data,
// the loss checked against the task, the parameter count, and errors pointed back at the config line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { Dataset, LossName, ModuleSpec, NetworkSpec, PreparedData, Task, TrainSpec } from '../types';
import { BUILTIN_DATASET_NAMES, findBuiltinDataset, generateBuiltinDataset } from '../data/builtinDatasets';
import { closestName } from '../didYouMean';
import { readDatasetFile, type ReadDatasetOptions } from '../data/datasetFile';
import { prepareData } from '../data/prepare';
import { InputError, type SourceLocation } from '../inputError';
import { coreText, formatCoreText, type CoreText } from '../messages';
import { noSuchFile } from '../data/missingFile';
import { describeFileType, readRegularTextSync } from '../io/regularFile';
import { IssueList, propertiesOf, type Path } from './configReader';
import { CONFIG_LIMITS } from './configSchema';
import type { ConfigIssue, ConfigRun, LayerLocation } from './configTypes';
import { parseConfig } from './parseConfig';

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
    throw new InputError(coreText('run.outputUnits', { units: run.network.outputUnits, outputs, task: describeTask(task, outputs) }));
  }
  output.units = outputs;
  const network: NetworkSpec = { inputs, layers };
  const parameters = countParameters(network);
  if (parameters > CONFIG_LIMITS.maxParameters) {
    throw new InputError(coreText('run.tooManyParameters', { parameters: parameters.toLocaleString('en-US'), max: CONFIG_LIMITS.maxParameters.toLocaleString('en-US') }));
  }
  return { network, loss, ...run.train };
}

function describeTask(task: Task, outputs: number): CoreText {
  return task === 'regression' ? coreText('run.task.regression') : task === 'binary' ? coreText('run.task.binary') : coreText('run.task.multiclass', { outputs });
}

function checkLossFitsTask(loss: LossName, task: Task): void {
  if (loss === 'mse' && task !== 'regression') {
    throw new InputError(coreText('run.mseNeedsNumbers', { task }));
  }
  if (loss === 'bce' && task !== 'binary') {
    throw new InputError(coreText('run.bceNeedsTwo', { task, loss: task === 'regression' ? "'mse'" : "'cross_entropy'" }));
  }
  if (loss === 'cross_entropy' && task === 'regression') {
    throw new InputError(coreText('run.ceNeedsClasses'));
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
      const note = coreText('run.note.squashedTwice', { activation: last.name, loss: train.loss });
      data.notes.push(formatCoreText(note));
      data.noteTexts?.push(note);
    }
  }
  return { data, train };
}

/** Read (or generate) the dataset a config names. */
export async function loadDataset(data: ConfigRun['data'], seed: number, io: Pick<ReadDatasetOptions, 'isCancelled' | 'onProgress'> = {}): Promise<Dataset> {
  if (data.builtin) {
    const generated = generateBuiltinDataset(data.builtin, { samples: data.samples, noise: data.noise, seed });
    if (data.task && data.task !== generated.task) {
      throw new InputError(coreText('run.builtinTask', { name: data.builtin, task: generated.task, given: data.task }));
    }
    return generated;
  }
  if (!data.file) throw new InputError(coreText('run.noData'));
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

/** Configs are small text; past this size one is refused before it is read. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** A config that has errors: the first one's place, and all of them. */
export class ConfigError extends InputError {
  constructor(readonly issues: ConfigIssue[], file: string) {
    const errors = issues.filter(i => i.severity === 'error');
    const first = errors[0];
    super(
      errors.length > 2 ? coreText('run.moreProblems', { message: first.text, count: errors.length - 1 })
        : errors.length === 2 ? coreText('run.oneMoreProblem', { message: first.text }) : first.text,
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
      if (!fs.existsSync(configPath)) throw noSuchFile(request.configPath, 'config', configPath);
      // A regular file only (a FIFO would block the read forever), of a sane size, unchanged while read.
      text = readRegularTextSync(configPath, 'config', path.basename(configPath), MAX_CONFIG_BYTES);
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
      if (!stat.isFile()) throw new InputError(coreText('run.notADataFile', { file: shown, type: describeFileType(stat) }));
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
      throw new InputError(coreText('config.data.unknownBuiltin', { name: overrides.builtin, suggestion: guess ? coreText('config.didYouMean', { name: guess }) : '', builtins: BUILTIN_DATASET_NAMES.join(', ') }));
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
      return new InputError(e.text ?? e.message, where);
    }
  }
  return e;
}
