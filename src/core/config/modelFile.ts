// The gradscope-model file (JSON, version 1): a trained network as a module list mirroring PyTorch's nn.Sequential,
// weights as `out` rows of `in` like nn.Linear.weight. Loading checks every shape and size against the widths the
// layers imply before anything is allocated, and refuses absurd sizes with a message. Numbers are written with
// JSON's shortest round-trip form, so save → load gives the same doubles bit for bit.
import * as path from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { ActivationName, ModuleSpec, NetworkSpec, Task } from '../types';
import type { ModuleParams, Network } from '../nn/network';
import { ACTIVATIONS, activationNames, isActivationName, lookupActivation, activationParamProblems } from '../activations/activations';
import { closestName } from '../didYouMean';
import { CONFIG_LIMITS } from './configSchema';
import { InputError, type SourceLocation } from '../inputError';
import { coreText, jsTypeText, type CoreText } from '../messages';
import { writeFileAtomicSync } from '../io/atomicWrite';
import { MAX_JSON_DEPTH, boundedJson, excessiveNestingOffset, isJsonObject as isObject } from '../io/jsonLimits';
import { readRegularTextSync } from '../io/regularFile';

export const MODEL_FORMAT = 'gradscope-model';
export const MODEL_VERSION = 1;
/** Files larger than this are refused before reading. */
export const MAX_MODEL_BYTES = 1 << 30;
export const MAX_MODEL_INPUTS = 1_000_000;

export type ModelLayer =
  | { type: 'linear'; weight: number[][]; bias?: number[] | null }
  | { type: 'activation'; name: ActivationName; weight?: number[]; params?: Record<string, number> }
  | { type: 'batchnorm'; weight: number[]; bias: number[]; runningMean: number[]; runningVar: number[]; momentum?: number; eps?: number }
  | { type: 'dropout'; p: number }
  | { type: 'residual'; layers: ModelLayer[]; projection?: number[][] };

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  inputs: number;
  layers: ModelLayer[];
  /** Optional: what the inputs and outputs mean, and the input standardisation the network was trained with. */
  inputNames?: string[];
  targetName?: string;
  task?: Task;
  classes?: string[];
  standardisation?: { mean: number[]; std: number[] };
}

export interface LoadedModel {
  spec: NetworkSpec;
  params: ModuleParams[];
  file: ModelFile;
}

/** The network's spec and current parameters as a model file object. */
export function modelFromNetwork(network: Network, extra: Omit<ModelFile, 'format' | 'version' | 'inputs' | 'layers'> = {}): ModelFile {
  const params = network.exportParams();
  const merge = (specs: ModuleSpec[], values: ModuleParams[]): ModelLayer[] => values.map((v, i) => {
    const spec = specs[i];
    switch (v.type) {
      case 'linear': return { type: 'linear', weight: v.weight, bias: v.bias };
      case 'activation': {
        const layer: ModelLayer = { type: 'activation', name: v.name };
        if (v.weight) layer.weight = v.weight;
        if (spec?.type === 'activation' && spec.params && Object.keys(spec.params).length > 0) layer.params = { ...spec.params };
        return layer;
      }
      case 'batchnorm': {
        const layer: ModelLayer = { type: 'batchnorm', weight: v.weight, bias: v.bias, runningMean: v.runningMean, runningVar: v.runningVar };
        if (spec?.type === 'batchnorm') {
          if (spec.momentum !== undefined) layer.momentum = spec.momentum;
          if (spec.eps !== undefined) layer.eps = spec.eps;
        }
        return layer;
      }
      case 'dropout': return { type: 'dropout', p: v.p };
      case 'residual': {
        const layer: ModelLayer = { type: 'residual', layers: merge(spec?.type === 'residual' ? spec.layers : [], v.layers) };
        if (v.projection) layer.projection = v.projection;
        return layer;
      }
    }
  });
  return { format: MODEL_FORMAT, version: MODEL_VERSION, inputs: network.inputs, layers: merge(network.spec.layers, params), ...extra };
}

export function modelFileText(model: ModelFile): string {
  return `${JSON.stringify(model)}\n`;
}

/** Written to a temporary file and renamed: an interrupted save leaves the previous model file whole. */
export function saveModelFile(file: string, model: ModelFile): void {
  writeFileAtomicSync(file, modelFileText(model));
}

export function readModelFile(file: string): LoadedModel {
  const label = path.basename(file);
  // Regular files only (a FIFO or /dev/zero is refused by its type), read no further than the size it had when
  // opened, and refused if it changes while being read.
  const text = readRegularTextSync(file, 'model file', label, MAX_MODEL_BYTES,
    size => coreText('model.tooLarge', { file: label, mb: (size / 2 ** 20).toFixed(0), max: MAX_MODEL_BYTES / 2 ** 20 }));
  return parseModelFile(text, label);
}

/** Validate a model file's text and turn it into a NetworkSpec plus the parameters to import. */
export function parseModelFile(text: string, label = 'model.json'): LoadedModel {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Before any parse: locate()'s parseTree and the messages' JSON text would recurse once per level.
  const tooDeep = excessiveNestingOffset(text, MAX_JSON_DEPTH, false);
  if (tooDeep !== undefined) throw new InputError(coreText('model.tooDeep', { depth: MAX_JSON_DEPTH }), locate(text, label, undefined, tooDeep));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const errors: { offset: number }[] = [];
    parseTree(text, errors as never);
    throw new InputError(coreText('model.invalidJson'), locate(text, label, undefined, errors[0]?.offset ?? 0));
  }
  const fail = (message: CoreText, at: (string | number)[] = []): never => {
    throw new InputError(message, locate(text, label, at));
  };
  if (!isObject(raw)) return fail(coreText('model.notObject', { example: `{ "format": "${MODEL_FORMAT}", "version": 1, "inputs": …, "layers": […] }` }));
  if (raw.format !== MODEL_FORMAT) return fail(coreText('model.format', { format: MODEL_FORMAT, got: boundedJson(raw.format, 40) }), ['format']);
  if (raw.version !== MODEL_VERSION) return fail(coreText('model.version', { got: boundedJson(raw.version, 40), version: MODEL_VERSION }), ['version']);
  const inputs = raw.inputs;
  if (typeof inputs !== 'number' || !Number.isInteger(inputs) || inputs < 1 || inputs > MAX_MODEL_INPUTS) {
    return fail(coreText('model.inputs', { max: MAX_MODEL_INPUTS.toLocaleString('en-US'), got: boundedJson(inputs, 40) }), ['inputs']);
  }
  if (!Array.isArray(raw.layers) || raw.layers.length === 0) return fail(coreText('model.layers'), ['layers']);

  let parameterCount = 0;
  let linearCount = 0;
  let moduleCount = 0;
  const countParameters = (n: number, at: (string | number)[]) => {
    parameterCount += n;
    if (parameterCount > CONFIG_LIMITS.maxParameters) fail(coreText('model.tooManyParameters', { max: CONFIG_LIMITS.maxParameters.toLocaleString('en-US') }), at);
  };
  const vector = (v: unknown, length: number, at: (string | number)[], what: string): number[] => {
    if (!Array.isArray(v) || v.length !== length) fail(coreText('model.vectorLength', { what, length, got: Array.isArray(v) ? v.length : boundedJson(v, 20) }), at);
    (v as unknown[]).forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) fail(coreText('model.notFinite', { what, index: i }), [...at, i]);
    });
    return v as number[];
  };
  const matrix = (v: unknown, at: (string | number)[], inWidth: number, what: string, rows?: number): number[][] => {
    if (!Array.isArray(v) || v.length === 0) fail(coreText('model.matrix', { what }), at);
    const m = v as unknown[];
    if (rows !== undefined && m.length !== rows) fail(coreText('model.matrixRows', { what, rows, got: m.length }), at);
    if (m.length > CONFIG_LIMITS.maxUnits) fail(coreText('model.tooManyRows', { what, rows: m.length, max: CONFIG_LIMITS.maxUnits }), at);
    countParameters(m.length * inWidth, at);
    m.forEach((row, r) => {
      if (!Array.isArray(row) || row.length !== inWidth) {
        fail(coreText('model.rowWidth', { what, row: r, width: inWidth, got: Array.isArray(row) ? row.length : jsTypeText(row) }), [...at, r]);
      }
      vector(row, inWidth, [...at, r], `${what}[${r}]`);
    });
    return m as number[][];
  };

  const walk = (layers: unknown[], width: number, at: (string | number)[], depth: number): { specs: ModuleSpec[]; params: ModuleParams[]; width: number } => {
    if (depth > 20) fail(coreText('model.tooDeepModules'), at);
    const specs: ModuleSpec[] = [];
    const params: ModuleParams[] = [];
    layers.forEach((layer, i) => {
      const here = [...at, i];
      if (++moduleCount > CONFIG_LIMITS.maxModules) fail(coreText('model.tooManyModules', { max: CONFIG_LIMITS.maxModules.toLocaleString('en-US') }), here);
      if (!isObject(layer)) fail(coreText('model.layerNotObject', { index: i }), here);
      const l = layer as Record<string, unknown>;
      switch (l.type) {
        case 'linear': {
          linearCount++;
          if (linearCount > CONFIG_LIMITS.maxLinearLayers) fail(coreText('model.tooManyLinear', { max: CONFIG_LIMITS.maxLinearLayers }), here);
          const weight = matrix(l.weight, [...here, 'weight'], width, 'weight');
          const out = weight.length;
          let bias: number[] | null = null;
          if (l.bias !== undefined && l.bias !== null) {
            bias = vector(l.bias, out, [...here, 'bias'], 'bias');
            countParameters(out, here);
          }
          specs.push(bias ? { type: 'linear', units: out } : { type: 'linear', units: out, bias: false });
          params.push({ type: 'linear', weight, bias });
          width = out;
          return;
        }
        case 'activation': {
          const name = l.name;
          if (typeof name !== 'string' || !isActivationName(name)) {
            const known = typeof name === 'string' ? lookupActivation(name)?.name ?? closestName(name, activationNames()) : undefined;
            fail(coreText('model.unknownActivation', { name: boundedJson(name, 60), suggestion: known ? coreText('config.didYouMean', { name: known }) : '' }), [...here, 'name']);
          }
          const act = name as ActivationName;
          const spec: Extract<ModuleSpec, { type: 'activation' }> = { type: 'activation', name: act };
          if (l.params !== undefined) {
            if (!isObject(l.params)) fail(coreText('model.paramsNotObject'), [...here, 'params']);
            const problems = activationParamProblems(act, l.params as Record<string, unknown>);
            if (problems.length > 0) fail(problems[0], [...here, 'params']);
            spec.params = l.params as Record<string, number>;
          }
          const p: ModuleParams = { type: 'activation', name: act };
          if (ACTIVATIONS[act].learned) {
            if (l.weight !== undefined) {
              if (!Array.isArray(l.weight) || (l.weight.length !== 1 && l.weight.length !== width)) {
                fail(coreText('model.preluWeight', { width }), [...here, 'weight']);
              }
              p.weight = vector(l.weight, (l.weight as unknown[]).length, [...here, 'weight'], 'weight');
              if (p.weight.length > 1) spec.perUnit = true;
            }
          } else if (l.weight !== undefined) {
            fail(coreText('model.noLearnedWeight', { activation: act }), [...here, 'weight']);
          }
          specs.push(spec);
          params.push(p);
          return;
        }
        case 'batchnorm': {
          const spec: Extract<ModuleSpec, { type: 'batchnorm' }> = { type: 'batchnorm' };
          if (l.momentum !== undefined) {
            if (typeof l.momentum !== 'number' || !(l.momentum > 0 && l.momentum <= 1)) fail(coreText('model.momentum'), [...here, 'momentum']);
            spec.momentum = l.momentum as number;
          }
          if (l.eps !== undefined) {
            if (typeof l.eps !== 'number' || !(l.eps > 0)) fail(coreText('model.eps'), [...here, 'eps']);
            spec.eps = l.eps as number;
          }
          countParameters(2 * width, here);
          const runningVar = vector(l.runningVar, width, [...here, 'runningVar'], 'runningVar');
          runningVar.forEach((v, k) => { if (v < 0) fail(coreText('model.negativeVariance', { index: k }), [...here, 'runningVar', k]); });
          params.push({
            type: 'batchnorm',
            weight: vector(l.weight, width, [...here, 'weight'], 'weight (γ)'),
            bias: vector(l.bias, width, [...here, 'bias'], 'bias (β)'),
            runningMean: vector(l.runningMean, width, [...here, 'runningMean'], 'runningMean'),
            runningVar,
          });
          specs.push(spec);
          return;
        }
        case 'dropout': {
          if (typeof l.p !== 'number' || !(l.p >= 0 && l.p < 1)) fail(coreText('model.dropout'), [...here, 'p']);
          specs.push({ type: 'dropout', p: l.p as number });
          params.push({ type: 'dropout', p: l.p as number });
          return;
        }
        case 'residual': {
          if (!Array.isArray(l.layers) || l.layers.length === 0) fail(coreText('model.residualLayers'), [...here, 'layers']);
          const inner = walk(l.layers as unknown[], width, [...here, 'layers'], depth + 1);
          const p: ModuleParams = { type: 'residual', layers: inner.params };
          if (inner.width !== width) {
            p.projection = matrix(l.projection, [...here, 'projection'], width, 'projection', inner.width);
          } else if (l.projection !== undefined) {
            fail(coreText('model.noProjection'), [...here, 'projection']);
          }
          specs.push({ type: 'residual', layers: inner.specs });
          params.push(p);
          width = inner.width;
          return;
        }
        default:
          fail(coreText('model.unknownType', { type: boundedJson(l.type, 60) }), [...here, 'type']);
      }
    });
    return { specs, params, width };
  };
  const { specs, params, width } = walk(raw.layers, inputs, ['layers'], 0);
  if (linearCount === 0) fail(coreText('model.noLinear'), ['layers']);

  const file: ModelFile = { format: MODEL_FORMAT, version: MODEL_VERSION, inputs, layers: raw.layers as ModelLayer[] };
  if (raw.standardisation !== undefined) {
    const s = raw.standardisation;
    if (!isObject(s)) fail(coreText('model.standardisation'), ['standardisation']);
    const st = s as Record<string, unknown>;
    const mean = vector(st.mean, inputs, ['standardisation', 'mean'], 'standardisation.mean');
    const std = vector(st.std, inputs, ['standardisation', 'std'], 'standardisation.std');
    std.forEach((v, k) => { if (!(v > 0)) fail(coreText('model.stdPositive', { index: k }), ['standardisation', 'std', k]); });
    file.standardisation = { mean, std };
  }
  if (Array.isArray(raw.inputNames) && raw.inputNames.every(n => typeof n === 'string')) file.inputNames = raw.inputNames as string[];
  if (typeof raw.targetName === 'string') file.targetName = raw.targetName;
  if (raw.task === 'regression' || raw.task === 'binary' || raw.task === 'multiclass') file.task = raw.task;
  if (Array.isArray(raw.classes) && raw.classes.every(n => typeof n === 'string')) file.classes = raw.classes as string[];
  void width;
  return { spec: { inputs, layers: specs }, params, file };
}


function locate(text: string, file: string, at?: (string | number)[], offset?: number): SourceLocation {
  let where = offset ?? 0;
  if (at && at.length > 0) {
    const root = parseTree(text);
    // The deepest existing node on the path.
    for (let k = at.length; k > 0 && root; k--) {
      const node = findNodeAtLocation(root, at.slice(0, k));
      if (node) {
        where = node.offset;
        break;
      }
    }
  }
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < where && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, line, column: where - lineStart + 1 };
}
