// The shared vocabulary of Gradscope: architecture specs, run settings, probes and snapshots.
// Pure types (no runtime code) so the host, the worker and the webview can `import type` them.

/** Every activation the engine knows; the one table in activations.ts has an entry for each. */
export type ActivationName =
  | 'linear' | 'step' | 'sigmoid' | 'tanh' | 'relu' | 'relu6' | 'leaky_relu' | 'prelu' | 'elu' | 'selu'
  | 'serlu' | 'gelu' | 'gelu_tanh' | 'silu' | 'swish' | 'mish' | 'softplus' | 'softsign' | 'hardtanh'
  | 'hardsigmoid' | 'sin';

export type InitName =
  | 'xavier_uniform' | 'xavier_normal' | 'he_uniform' | 'he_normal' | 'lecun_normal' | 'normal' | 'uniform' | 'zeros';

/** Weight initialisation. `std` for `normal`, `a` (half-width) for `uniform`. */
export interface InitSpec {
  type: InitName;
  std?: number;
  a?: number;
}

/** One module of an nn.Sequential-like network. Widths are output widths; input widths are inferred. */
export type ModuleSpec =
  | { type: 'linear'; units: number; bias?: boolean; init?: InitSpec }
  | {
      type: 'activation';
      name: ActivationName;
      /** Named constants that override the table's defaults, e.g. { slope: 0.2 } for leaky_relu, { beta: 2 }. */
      params?: Record<string, number>;
      /** prelu only: one learned slope per unit instead of one per layer. */
      perUnit?: boolean;
    }
  | { type: 'batchnorm'; momentum?: number; eps?: number }
  | { type: 'dropout'; p: number }
  /** output = input + block(input); a linear projection (no bias) is added on the skip path when widths differ. */
  | { type: 'residual'; layers: ModuleSpec[] };

export interface NetworkSpec {
  inputs: number;
  layers: ModuleSpec[];
}

export type LossName = 'mse' | 'cross_entropy' | 'bce';
export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamw';

export interface OptimizerSpec {
  type: OptimizerName;
  lr: number;
  /** momentum / nesterov for 'momentum' (and sgd with momentum > 0, as torch.optim.SGD). */
  momentum?: number;
  nesterov?: boolean;
  betas?: [number, number];
  eps?: number;
  /** L2 weight decay (coupled for sgd/momentum/adam as in PyTorch; decoupled for adamw). */
  weightDecay?: number;
  /** Clip the global gradient norm to this value before the step (torch.nn.utils.clip_grad_norm_). */
  clipNorm?: number;
}

/** Everything the trainer needs besides the data. */
export interface TrainSpec {
  network: NetworkSpec;
  loss: LossName;
  optimizer: OptimizerSpec;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Emit a snapshot every this many steps (0: once per epoch). */
  snapshotEvery?: number;
}

export type Task = 'regression' | 'binary' | 'multiclass';

/** A dataset held as numbers: row-major inputs (n × d) and targets. */
export interface Dataset {
  name: string;
  inputNames: string[];
  targetName: string;
  n: number;
  d: number;
  x: Float64Array;
  /** Regression: n values. Classification: class index per row (0 … classes.length − 1). */
  y: Float64Array;
  task: Task;
  /** Class names for the legend (classification only). */
  classes?: string[];
  /** Human-readable notes: rows skipped for missing values, sampling, constant columns … */
  notes: string[];
}

/** Summary of a set of values as TensorBoard's distribution view draws it. */
export interface Distribution {
  mean: number;
  std: number;
  /** Values at 0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100 percent. */
  percentiles: number[];
  /** Fixed-bin histogram over [min, max]. */
  histogram: { min: number; max: number; counts: number[] };
}

/** What the probes measure for one linear layer (numbered 0 … L−1 from input to output, residuals depth-first). */
export interface LayerProbe {
  index: number;
  /** Path in the spec, e.g. "layers[3]" or "layers[2].layers[0]", so editors can point at the config line. */
  path: string;
  units: number;
  fanIn: number;
  /** The activation that follows this layer (before or after a batch norm), 'linear' when none. */
  activation: ActivationName;
  gradNorm: number;
  biasGradNorm: number;
  gradMeanAbs: number;
  gradMaxAbs: number;
  /** Norm of ∂L/∂z at this layer's output. */
  deltaNorm: number;
  /** ‖ΔW‖/‖W‖ of the last step (0 before any step). */
  updateRatio: number;
  weightNorm: number;
  /** Pre-activation and activation output of the following activation (z = a for 'linear'). */
  z: Distribution;
  a: Distribution;
  saturation: number;
  saturatedLow: number;
  saturatedHigh: number;
  dead: number;
  preluSlope?: { mean: number; min: number; max: number };
  batchNorm?: { gammaMean: number; gammaStd: number; betaMean: number; betaStd: number };
}

export interface Snapshot {
  epoch: number;
  step: number;
  samplesSeen: number;
  loss: number;
  valLoss?: number;
  accuracy?: number;
  valAccuracy?: number;
  lr: number;
  batchSize: number;
  layers: LayerProbe[];
}

/** The network's function over the data, for drawing. */
export type FunctionView =
  | {
      kind: 'curve';
      /** ≥ 200 points over the data's input range (original units). */
      xs: number[];
      /** One curve per output: regression value, or class probabilities per class. */
      ys: number[][];
    }
  | {
      kind: 'grid';
      xRange: [number, number];
      yRange: [number, number];
      size: number;
      /** size × size values row-major (row = y index): regression value, or probability of class 1 (binary). */
      values: number[];
      /** Multiclass: predicted class per cell. */
      classes?: number[];
    }
  | {
      kind: 'scatter';
      /** predicted vs actual pairs (validation first when present). */
      predicted: number[];
      actual: number[];
    };

export interface DivergenceInfo {
  epoch: number;
  step: number;
  message: string;
}

/** Where a run's data comes from (the `data` key of a config). */
export interface DataSpec {
  /** Path to a CSV/TSV/JSON/JSONL file (absolute once resolved against the config's folder). */
  file?: string;
  /** Or the name of a built-in generated dataset. */
  builtin?: string;
  /** Input columns by name or 0-based index; default: every column but the target. */
  inputs?: (string | number)[];
  /** Target column by name or index; default: the last column. */
  target?: string | number;
  /** Fraction held out for validation (0 … 0.9). */
  validation: number;
  /** Standardise inputs with statistics from the training split. */
  normalize: boolean;
  /** Built-in sets: noise level and sample count. */
  noise?: number;
  samples?: number;
  /** Past this many rows, sample uniformly (seeded) and say so. */
  rowLimit?: number;
  /** Force the task instead of detecting it from the target. */
  task?: Task;
  /** CSV/TSV: whether the first row holds column names (default: detected). */
  header?: boolean;
}

/** One split of the data, as numbers: x row-major (n × d), y as in Dataset. */
export interface DataSplit {
  n: number;
  x: Float64Array;
  y: Float64Array;
}

/** A dataset split into train/validation and standardised: what the trainer consumes. */
export interface PreparedData {
  task: Task;
  d: number;
  /** Width of the network's output: 1 for regression and binary (one logit), K for K classes. */
  outputs: number;
  inputNames: string[];
  targetName: string;
  classes?: string[];
  train: DataSplit;
  val: DataSplit;
  /** Per input column: the standardisation applied (mean 0 / std 1 when normalize is off). */
  mean: Float64Array;
  std: Float64Array;
  notes: string[];
}
