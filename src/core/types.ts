// The shared vocabulary of Gradscope: architecture specs, run settings, probes and snapshots.
// Pure types (no runtime code) so the host, the worker and the webview can `import type` them.
import type { CoreText } from './messages';

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
  /** The same notes as messages (index for index), for the extension to translate. */
  noteTexts?: (string | CoreText)[];
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
  /** A PyTorch run's qualified module name (e.g. "encoder.0"): the label the panel and warnings use instead of L<index>. */
  name?: string;
  units: number;
  fanIn: number;
  /** The activation that follows this layer (before or after a batch norm), 'linear' when none. */
  activation: ActivationName;
  gradNorm: number;
  /**
   * A PyTorch run's module whose weight does not require a gradient (requires_grad=False: a frozen part of a model
   * being fine-tuned): its gradNorm is 0 by design, so it is not held against the output for a vanishing gradient.
   */
  frozen?: boolean;
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
  /**
   * What the low-slope share of this layer's activation is called. Both are (sample, unit) pairs where
   * |f′(z)| < 5 % of the activation's largest slope, but they mean different things to a learner:
   * - 'saturated': a smooth activation (sigmoid, tanh, softsign, elu, selu, gelu, silu, mish, softplus, sin …)
   *   in a tail or notch where f′ is small but not zero: the gradient shrinks there. Counted in `saturation`.
   * - 'inactive': a piecewise-linear activation (relu, relu6, leaky_relu, prelu, hardtanh, hardsigmoid, step) on a
   *   flat (f′ = 0) or leaky (f′ = slope) piece: the unit is off there (relu's zero side), the gradient stops or
   *   passes a fixed small share. Counted in `inactive`.
   * - 'none': no activation follows (the output layer, or 'linear').
   */
  lowSlopeKind: 'saturated' | 'inactive' | 'none';
  /** Smooth activations only (0 when lowSlopeKind is not 'saturated'): share of pairs in a low-slope region. */
  saturation: number;
  /** … of which z is below the activation's split point (its left tail) … */
  saturatedLow: number;
  /** … or above it. */
  saturatedHigh: number;
  /** Piecewise-linear activations only (0 otherwise): share of pairs on a flat/leaky piece (relu: z ≤ 0). */
  inactive: number;
  /** … on the low side (relu's, leaky_relu's, prelu's negative side; hardtanh below −1) … */
  inactiveLow: number;
  /** … on the high side (relu6 above 6, hardtanh above 1, hardsigmoid above 3). */
  inactiveHigh: number;
  /** Share of units with f′ = 0 on every sample (they learn nothing); such pairs are also in saturatedLow/inactiveLow. */
  dead: number;
  preluSlope?: { mean: number; min: number; max: number };
  batchNorm?: { gammaMean: number; gammaStd: number; betaMean: number; betaStd: number };
  /** Every layer but the output layer (and only after a backward pass): where the gradient is lost on its way here. */
  backward?: BackwardSplit;
}

/**
 * Where the gradient is lost between linear layer i+1 and linear layer i: the exact split (README, "Where the
 * gradient is lost: the exact split"). δ_k = ∂L/∂z_k is the error signal at linear layer k's output over the whole
 * batch (rows × units), every norm is a Frobenius norm. Going FORWARD from z_i to the input of layer i+1, the
 * signal passes through stages; each factor is ‖∂L/∂(stage input)‖ / ‖∂L/∂(stage output)‖, so the factors
 * telescope and their product is the gain EXACTLY (up to rounding):
 *
 *     gain = activationFactor × weightFactor × batchNormFactor × dropoutFactor × residualFactor
 *
 * (a factor that is absent counts as 1). The stages, in the order the forward pass meets them:
 * - batch norm (before and/or after the activation; training-mode Jacobian with the batch's statistics):
 *   batchNormFactor = ‖∂L/∂(BN input)‖ / ‖∂L/∂(BN output)‖ ≤ batchNormBound = max_j |γ_j| / √(σ_j² + ε).
 * - the activation a = f(z): activationFactor = ‖f′(z) ⊙ g‖ / ‖g‖ with g = ∂L/∂a ≤ maxSlope = max |f′| (¼ sigmoid,
 *   1 tanh/relu, λ·α selu, max(1, |slope|) prelu …). Several activations in a row: products of both.
 * - dropout (inverted; in training mode its mask): dropoutFactor = ‖m ⊙ g‖ / ‖g‖ ≤ dropoutBound = 1/(1 − p);
 *   exactly 1 when the pass ran without dropout (step-0 diagnostics, evaluation).
 * - entering a residual block whose body holds layer i+1: the gradient at the block's input is the body's part
 *   plus the skip's, residualFactor = ‖∂L/∂x‖ / ‖∂L/∂x through the body‖ (> 1 when the skip adds, < 1 when the
 *   two cancel). Leaving a block is exact identity (the body's output gradient is the block's): no factor.
 * - the weights of layer i+1: weightFactor = ‖δ_{i+1} · W_{i+1}‖ / ‖δ_{i+1}‖ ≤ weightSpectralNorm = ‖W_{i+1}‖₂.
 *
 * A ratio whose denominator is exactly 0 (no gradient arrives, e.g. below a layer of dead units) is null.
 */
export interface BackwardSplit {
  /** ‖δ_i‖ / ‖δ_{i+1}‖: the share of the error signal at layer i+1 that reaches layer i (below 1: lost). */
  gain: number | null;
  /** The activation's part, ≤ maxSlope (1 when no activation sits between). */
  activationFactor: number | null;
  /** The next layer's weights' part, ‖δ_{i+1}·W_{i+1}‖/‖δ_{i+1}‖ ≤ weightSpectralNorm. */
  weightFactor: number | null;
  /**
   * ‖W_{i+1}‖₂, the largest singular value of the NEXT layer's weights (the matrix this layer's gradient crosses),
   * by power iteration warm-started from the previous snapshot's vector; never below weightFactor (both are lower
   * estimates of ‖W‖₂, the larger is kept), converged to ~1e-10 relative.
   */
  weightSpectralNorm: number;
  /** max |f′| over all z of the activation(s) between (the table's value; PReLU: max(1, |learned slopes|)); 1 when none. */
  maxSlope: number;
  /** Present when a batch norm sits between (product over several). */
  batchNormFactor?: number | null;
  /** max_j |γ_j|/√(σ_j² + ε) with this pass's σ² (running σ² in evaluation): bounds batchNormFactor. */
  batchNormBound?: number;
  /** Present when a dropout sits between. */
  dropoutFactor?: number | null;
  /** 1/(1 − p) when the pass drew a mask, else 1: bounds dropoutFactor. */
  dropoutBound?: number;
  /** Present when layer i+1 is the first linear layer inside a residual block that starts between the two. */
  residualFactor?: number | null;
  /**
   * Bound on gain: maxSlope · weightSpectralNorm · batchNormBound · dropoutBound. Absent when a residualFactor is
   * present (the skip's share has no bound relative to the body's signal; rigorousBound still covers it).
   */
  gainBound?: number;
  /** ‖δ_i‖ / ‖δ_out‖ to the output layer (= the product of the gains from here to the output). */
  cumulativeGain: number | null;
  /** ∏ activationFactor from this layer to the output layer: the activations' part of cumulativeGain. */
  cumulativeActivationFactor: number | null;
  /** ∏ maxSlope from this layer to the output layer: bounds cumulativeActivationFactor (sigmoid: ¼ⁿ). */
  activationBound: number;
  /**
   * A true upper bound on cumulativeGain: propagated backward from the output layer stage by stage (× maxSlope,
   * × ‖W‖₂, × batchNormBound, × dropoutBound; a residual block adds its skip's bound, ‖P‖₂ or 1, to its body's).
   * Without residual blocks it is ∏ gainBound = ∏ maxSlope·‖W‖₂(·BN·dropout bounds). Absent when no finite bound
   * exists (the skip carries gradient from beyond the output layer, e.g. an activation after the last linear
   * layer inside a residual block).
   */
  rigorousBound?: number;
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
  /** In English (the CLI's); `text` is the same message as data, for the extension to translate. */
  message: string;
  text?: CoreText;
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
  /** The same notes as messages (index for index), for the extension to translate. */
  noteTexts?: (string | CoreText)[];
}
