// The `*.nn.json` format in one place: every key with its description and default, the allowed names (from the
// activation table, the init list and the built-in datasets), and the JSON Schema generated from them. The config
// parser validates against these same tables, so the schema VS Code uses and the parser can never disagree.
import type { LossName, OptimizerName, Task } from '../types';
import { ACTIVATIONS, activationNames } from '../activations/activations';
import { INIT_NAMES } from '../nn/init';
import { BUILTIN_DATASETS } from '../data/builtinDatasets';

export const LOSS_NAMES: readonly LossName[] = ['mse', 'cross_entropy', 'bce'];
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'momentum', 'adam', 'adamw'];
export const TASK_NAMES: readonly Task[] = ['regression', 'binary', 'multiclass'];

/** Defaults the parser fills in (and the schema documents). */
export const CONFIG_DEFAULTS = {
  validation: 0.2,
  normalize: true,
  batchSize: 32,
  epochs: 50,
  seed: 1,
  optimizer: 'adam' as OptimizerName,
  lr: 0.01,
  momentum: 0.9,
  betas: [0.9, 0.999] as [number, number],
  batchNormPlacement: 'before' as const,
} as const;

/** Sizes past which a config is refused rather than allocated. */
export const CONFIG_LIMITS = {
  maxUnits: 8192,
  maxLinearLayers: 1000,
  maxRepeat: 1000,
  /** Every module counts (activations, dropout, batch norm, residual blocks), so nested repeats stay bounded. */
  maxModules: 10_000,
  maxParameters: 50_000_000,
  maxEpochs: 1_000_000,
  maxBatchSize: 1_000_000,
  maxSamples: 1_000_000,
} as const;

export const LOSS_DESCRIPTIONS: Record<LossName, string> = {
  mse: 'Mean squared error over all outputs (nn.MSELoss). The default for regression.',
  cross_entropy: 'Softmax over the output logits, then negative log-likelihood (nn.CrossEntropyLoss). The default for 3+ classes.',
  bce: 'Sigmoid over one output logit, then binary cross-entropy, computed stably (nn.BCEWithLogitsLoss). The default for two classes.',
};

export const OPTIMIZER_DESCRIPTIONS: Record<OptimizerName, string> = {
  sgd: 'Plain stochastic gradient descent (torch.optim.SGD); with `momentum` > 0 it is heavy-ball momentum.',
  momentum: 'SGD with momentum (default 0.9), Nesterov with `nesterov: true`.',
  adam: 'Adam (torch.optim.Adam): per-parameter step sizes from running gradient moments. Weight decay is coupled L2.',
  adamw: 'AdamW (torch.optim.AdamW): Adam with decoupled weight decay.',
};

export const INIT_DESCRIPTIONS: Record<string, string> = {
  xavier_uniform: 'Glorot/Xavier uniform: U(±√(6/(fan_in + fan_out))). Matched to sigmoid and tanh.',
  xavier_normal: 'Glorot/Xavier normal: N(0, 2/(fan_in + fan_out)).',
  he_uniform: 'He/Kaiming uniform: U(±√(6/fan_in)). Matched to ReLU.',
  he_normal: 'He/Kaiming normal: N(0, 2/fan_in). Matched to ReLU.',
  lecun_normal: 'LeCun normal: N(0, 1/fan_in). Matched to SELU and SERLU.',
  normal: 'N(0, std²) with `std` (default 0.01): reproduce a badly scaled initialisation.',
  uniform: 'U(±a) with `a` (default 0.05).',
  zeros: 'All weights 0: every unit in a layer stays identical (symmetry is never broken).',
};

/** Other spellings accepted for init names. */
export const INIT_ALIASES: Record<string, string> = {
  glorot_uniform: 'xavier_uniform', glorot_normal: 'xavier_normal', xavier: 'xavier_uniform', glorot: 'xavier_uniform',
  kaiming_uniform: 'he_uniform', kaiming_normal: 'he_normal', he: 'he_normal', kaiming: 'he_normal',
  lecun: 'lecun_normal', lecun_uniform: 'lecun_normal',
};

/** Module types of the `layers` list; activation names are also accepted as a type ({ "type": "relu" }). */
export const MODULE_TYPES = ['linear', 'activation', 'batchnorm', 'dropout', 'residual', 'repeat'] as const;
export const MODULE_TYPE_ALIASES: Record<string, (typeof MODULE_TYPES)[number]> = {
  dense: 'linear', fc: 'linear', batch_norm: 'batchnorm', batchnorm1d: 'batchnorm', bn: 'batchnorm', skip: 'residual',
};

type Described = Record<string, string>;

export const TOP_LEVEL_KEYS: Described = {
  $schema: 'The JSON Schema of this file (editors use it for completion and hover).',
  name: 'A title for this setup (shown in the panel and the report).',
  description: 'Free text: what this setup demonstrates.',
  data: 'Where the data comes from: a file (CSV, TSV, JSON, JSON Lines) relative to this config, or a built-in generated set.',
  hidden: 'Hidden layer widths, e.g. [32, 32, 32] (each: linear → activation), or { "units": 32, "repeat": 10 } for a deep stack. The output layer is added, sized to the data.',
  layers: 'The whole network as a module list, like nn.Sequential: { "type": "linear", "units": 32 }, { "type": "activation", "name": "relu" }, batchnorm, dropout, residual, repeat. The last linear module is the output layer (its units may be left out: they come from the data). A list of plain numbers means the same as `hidden`.',
  activation: 'Activation after each hidden layer (shorthand form): a name such as "sigmoid", "relu", "selu", or { "name": "leaky_relu", "params": { "slope": 0.2 } }.',
  output: 'Activation after the output layer (shorthand form). Default "linear": the losses take logits.',
  batchNorm: 'Batch normalisation in every hidden block (shorthand form): true or "before" (before the activation, as in Ioffe & Szegedy), "after", or false.',
  skip: 'Residual connections every k hidden layers (shorthand form): the first hidden layer maps the inputs to the hidden width, then each group of k layers becomes x + block(x).',
  dropout: 'Dropout probability after each hidden activation (shorthand form), 0 … <1.',
  init: 'Weight initialisation of every linear layer: a name, or { "type": "normal", "std": 1 }. Default: the one matched to the activation that follows each layer (He for ReLU, LeCun for SELU, Xavier otherwise).',
  loss: 'Loss function. Default: mse for regression, bce for two classes, cross_entropy for more.',
  optimizer: 'Optimizer: a name ("adam") or { "type": "sgd", "lr": 0.1, "momentum": 0.9, … }.',
  lr: 'Learning rate (shorthand for optimizer.lr).',
  batchSize: `Samples per gradient step (default ${CONFIG_DEFAULTS.batchSize}).`,
  epochs: `Passes over the training split (default ${CONFIG_DEFAULTS.epochs}); 0 computes the step-0 diagnostics only.`,
  seed: `Seed for the split, the initialisation, shuffling and dropout (default ${CONFIG_DEFAULTS.seed}): the same seed gives the same run.`,
  snapshotEvery: 'Record the per-layer probes every this many steps (default 0: once per epoch).',
};

export const DATA_KEYS: Described = {
  file: 'Dataset file, relative to this config: .csv, .tsv, .json (array of objects, array of arrays, or { "x": [[…]], "y": […] }) or .jsonl.',
  builtin: 'A built-in generated dataset instead of a file.',
  inputs: 'Input columns, by name or 0-based index. Default: every column but the target.',
  target: 'Target column, by name or 0-based index. Default: the last column.',
  task: 'Force the task instead of detecting it (a numeric target is regression; text, or integers with at most 10 distinct values, are classes).',
  validation: `Fraction of rows held out for validation, 0 … 0.9 (default ${CONFIG_DEFAULTS.validation}). The split is seeded.`,
  normalize: 'Standardise inputs to mean 0 and standard deviation 1 using training-split statistics (default true).',
  noise: 'Built-in sets: noise level (Playground sets: 0 … 0.5; 1-D curves: standard deviation added to y).',
  samples: 'Built-in sets: number of points (default 500).',
  rowLimit: 'Files: past this many rows, use a seeded uniform sample of this size (default 1,000,000).',
  header: 'CSV/TSV: whether the first row holds column names (default: detected).',
};

export const OPTIMIZER_KEYS: Described = {
  type: 'Optimizer kind.',
  lr: `Learning rate (default ${CONFIG_DEFAULTS.lr}).`,
  momentum: `Momentum for sgd/momentum (default ${CONFIG_DEFAULTS.momentum} for "momentum", 0 for "sgd").`,
  nesterov: 'Nesterov momentum (sgd/momentum).',
  betas: 'Adam/AdamW moment decay rates [β1, β2] (default [0.9, 0.999]).',
  eps: 'Adam/AdamW denominator term (default 1e-8).',
  weightDecay: 'L2 weight decay (coupled for sgd/momentum/adam as in PyTorch, decoupled for adamw).',
  clipNorm: 'Clip the global gradient norm to this value before each step (torch.nn.utils.clip_grad_norm_).',
};

export const MODULE_KEYS: Record<string, Described> = {
  linear: {
    type: 'A fully connected layer (nn.Linear).',
    units: 'Output width. On the last linear module (the output layer) it may be left out or "auto": it comes from the data.',
    bias: 'Whether the layer has a bias (default true).',
    init: 'Initialisation of this layer (overrides the top-level `init`).',
    activation: 'Shorthand: an activation module right after this layer.',
  },
  activation: {
    type: 'An activation module.',
    name: 'Activation name.',
    params: 'Constants that override the defaults, e.g. { "slope": 0.2 } for leaky_relu.',
    perUnit: 'prelu only: one learned slope per unit instead of one per layer.',
  },
  batchnorm: {
    type: 'Batch normalisation (nn.BatchNorm1d): learned scale γ and shift β.',
    momentum: 'Running-statistics momentum, PyTorch convention (default 0.1).',
    eps: 'Added to the variance (default 1e-5).',
  },
  dropout: {
    type: 'Dropout (nn.Dropout): zeroes each unit with probability p in training.',
    p: 'Drop probability, 0 … <1.',
  },
  residual: {
    type: 'A residual block: output = input + block(input), with a linear projection on the skip path when widths differ.',
    layers: 'The modules inside the block.',
  },
  repeat: {
    type: 'Repeats its modules `count` times (a deep stack in a few lines).',
    count: 'How many times.',
    layers: 'The modules to repeat.',
  },
};

const ACTIVATION_PARAMS_KEYS = ['name', 'params', 'perUnit'];

/** Every name accepted where an activation is expected, canonical first (for the schema's enum). */
export function activationEnum(): string[] {
  return activationNames();
}

function describedProperties(keys: Described, overrides: Record<string, object>): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [key, description] of Object.entries(keys)) out[key] = { description, ...(overrides[key] ?? {}) };
  return out;
}

/** The JSON Schema (draft-07) for `*.nn.json`, built from the tables above and the engine's own tables. */
export function buildConfigSchema(): object {
  const activationNamesList = activationEnum();
  const activationName = {
    type: 'string',
    enum: activationNamesList,
    markdownEnumDescriptions: activationNamesList.map(n => `**${ACTIVATIONS[n as keyof typeof ACTIVATIONS].label}**: ${ACTIVATIONS[n as keyof typeof ACTIVATIONS].summary}`),
  };
  const activation = {
    description: 'An activation: a name, or { "name": …, "params": { … }, "perUnit": … }.',
    oneOf: [
      activationName,
      {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { description: MODULE_KEYS.activation.name, ...activationName },
          params: { description: MODULE_KEYS.activation.params, type: 'object', additionalProperties: { type: 'number' } },
          perUnit: { description: MODULE_KEYS.activation.perUnit, type: 'boolean' },
        },
      },
    ],
  };
  const initName = { type: 'string', enum: [...INIT_NAMES], enumDescriptions: INIT_NAMES.map(n => INIT_DESCRIPTIONS[n] ?? '') };
  const init = {
    oneOf: [
      initName,
      {
        type: 'object',
        required: ['type'],
        additionalProperties: false,
        properties: {
          type: { description: 'Initialisation kind.', ...initName },
          std: { description: 'Standard deviation for "normal".', type: 'number', exclusiveMinimum: 0 },
          a: { description: 'Half-width for "uniform".', type: 'number', exclusiveMinimum: 0 },
        },
      },
    ],
  };
  const units = { type: 'integer', minimum: 1, maximum: CONFIG_LIMITS.maxUnits };
  const moduleRef = { $ref: '#/definitions/module' };
  const moduleList = { type: 'array', items: moduleRef };
  const moduleSchemas = [
    {
      // The type may be left out when `units` is given, as the parser reads it.
      type: 'object', description: MODULE_KEYS.linear.type, anyOf: [{ required: ['type'] }, { required: ['units'] }], additionalProperties: false,
      properties: describedProperties(MODULE_KEYS.linear, {
        type: { const: 'linear' },
        units: { oneOf: [units, { const: 'auto' }] },
        bias: { type: 'boolean', default: true },
        init: { $ref: '#/definitions/init' },
        activation: { $ref: '#/definitions/activation' },
      }),
    },
    {
      type: 'object', description: MODULE_KEYS.activation.type, required: ['type', 'name'], additionalProperties: false,
      properties: describedProperties(MODULE_KEYS.activation, {
        type: { const: 'activation' }, name: activationName,
        params: { type: 'object', additionalProperties: { type: 'number' } }, perUnit: { type: 'boolean' },
      }),
    },
    {
      type: 'object', description: 'An activation module named by its type, e.g. { "type": "relu" }.', required: ['type'], additionalProperties: false,
      properties: {
        // "linear" as a type is the linear module, so the identity activation is only reachable by name.
        type: { description: 'The activation, named directly as the module type.', type: 'string', enum: activationNamesList.filter(n => !(MODULE_TYPES as readonly string[]).includes(n)) },
        params: { description: MODULE_KEYS.activation.params, type: 'object', additionalProperties: { type: 'number' } },
        perUnit: { description: MODULE_KEYS.activation.perUnit, type: 'boolean' },
      },
    },
    {
      type: 'object', description: MODULE_KEYS.batchnorm.type, required: ['type'], additionalProperties: false,
      properties: describedProperties(MODULE_KEYS.batchnorm, {
        type: { const: 'batchnorm' }, momentum: { type: 'number', exclusiveMinimum: 0, maximum: 1 }, eps: { type: 'number', exclusiveMinimum: 0 },
      }),
    },
    {
      type: 'object', description: MODULE_KEYS.dropout.type, required: ['type', 'p'], additionalProperties: false,
      properties: describedProperties(MODULE_KEYS.dropout, { type: { const: 'dropout' }, p: { type: 'number', minimum: 0, exclusiveMaximum: 1 } }),
    },
    {
      type: 'object', description: MODULE_KEYS.residual.type, required: ['type', 'layers'], additionalProperties: false,
      properties: describedProperties(MODULE_KEYS.residual, { type: { const: 'residual' }, layers: moduleList }),
    },
    {
      type: 'object', description: MODULE_KEYS.repeat.type, required: ['count', 'layers'], additionalProperties: false,
      properties: describedProperties(MODULE_KEYS.repeat, {
        type: { const: 'repeat' }, count: { type: 'integer', minimum: 1, maximum: CONFIG_LIMITS.maxRepeat }, layers: moduleList,
      }),
    },
  ];
  const builtinNames = BUILTIN_DATASETS.map(b => b.name);
  const optimizerName = { type: 'string', enum: [...OPTIMIZER_NAMES], enumDescriptions: OPTIMIZER_NAMES.map(n => OPTIMIZER_DESCRIPTIONS[n]) };
  const column = { oneOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }] };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Gradscope network config (*.nn.json)',
    description: 'A network and its data for Gradscope. JSON with comments and trailing commas.',
    type: 'object',
    additionalProperties: false,
    allowTrailingCommas: true,
    allowComments: true,
    definitions: {
      activation,
      init,
      module: { oneOf: moduleSchemas },
    },
    properties: describedProperties(TOP_LEVEL_KEYS, {
      $schema: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      data: {
        type: 'object',
        additionalProperties: false,
        properties: describedProperties(DATA_KEYS, {
          file: { type: 'string' },
          builtin: { type: 'string', enum: builtinNames, enumDescriptions: BUILTIN_DATASETS.map(b => b.description) },
          inputs: { type: 'array', items: column },
          target: column,
          task: { type: 'string', enum: [...TASK_NAMES] },
          validation: { type: 'number', minimum: 0, maximum: 0.9, default: CONFIG_DEFAULTS.validation },
          normalize: { type: 'boolean', default: CONFIG_DEFAULTS.normalize },
          noise: { type: 'number', minimum: 0 },
          samples: { type: 'integer', minimum: 2, maximum: CONFIG_LIMITS.maxSamples },
          rowLimit: { type: 'integer', minimum: 1 },
          header: { type: 'boolean' },
        }),
      },
      hidden: {
        oneOf: [
          { type: 'array', items: units },
          {
            type: 'object', required: ['units', 'repeat'], additionalProperties: false,
            properties: {
              units: { description: 'Width of every hidden layer.', ...units },
              repeat: { description: 'Number of hidden layers.', type: 'integer', minimum: 1, maximum: CONFIG_LIMITS.maxRepeat },
            },
          },
        ],
      },
      layers: { oneOf: [{ type: 'array', items: units }, moduleList] },
      activation: { $ref: '#/definitions/activation' },
      output: { $ref: '#/definitions/activation' },
      batchNorm: { oneOf: [{ type: 'boolean' }, { type: 'string', enum: ['before', 'after'] }] },
      skip: { type: 'integer', minimum: 1 },
      dropout: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
      init: { $ref: '#/definitions/init' },
      loss: { type: 'string', enum: [...LOSS_NAMES], enumDescriptions: LOSS_NAMES.map(n => LOSS_DESCRIPTIONS[n]) },
      optimizer: {
        oneOf: [
          optimizerName,
          {
            type: 'object', additionalProperties: false,
            properties: describedProperties(OPTIMIZER_KEYS, {
              type: optimizerName,
              lr: { type: 'number', exclusiveMinimum: 0 },
              momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
              nesterov: { type: 'boolean' },
              betas: { type: 'array', items: { type: 'number', minimum: 0, exclusiveMaximum: 1 }, minItems: 2, maxItems: 2 },
              eps: { type: 'number', exclusiveMinimum: 0 },
              weightDecay: { type: 'number', minimum: 0 },
              clipNorm: { type: 'number', exclusiveMinimum: 0 },
            }),
          },
        ],
      },
      lr: { type: 'number', exclusiveMinimum: 0 },
      batchSize: { type: 'integer', minimum: 1, maximum: CONFIG_LIMITS.maxBatchSize, default: CONFIG_DEFAULTS.batchSize },
      epochs: { type: 'integer', minimum: 0, maximum: CONFIG_LIMITS.maxEpochs, default: CONFIG_DEFAULTS.epochs },
      seed: { type: 'integer', default: CONFIG_DEFAULTS.seed },
      snapshotEvery: { type: 'integer', minimum: 0 },
    }),
  };
}

/** The schema file's exact text (what scripts/gen-schema.ts writes and the test compares). */
export function configSchemaText(): string {
  return `${JSON.stringify(buildConfigSchema(), null, 2)}\n`;
}

export const ACTIVATION_OBJECT_KEYS = ACTIVATION_PARAMS_KEYS;
