// The one activation table. Training, the probes, the hover preview, the config schema and validation are all
// generated from it. Conventions follow PyTorch where libraries differ (THEORY.md): relu′(0) = 0, softplus is
// linear above βx > 20, hardsigmoid = clamp(x/6 + 1/2, 0, 1), gelu is the exact erf form.
import type { ActivationName, InitName } from '../types';
import { coreText, formatCoreText, type CoreText } from '../messages';
import { ACTIVATION_MESSAGES } from './activationMessages';
import { tanhKernel } from './tanhKernel';

/** Named constants of an activation, with the table's defaults filled in (e.g. { slope: 0.01 }). */
export type ActivationParams = Readonly<Record<string, number>>;

/** A closed x-interval; ends may be ±Infinity (tails). */
export type Interval = [number, number];

export interface ParamDoc {
  description: string;
  /** Smallest allowed value (inclusive unless `exclusiveMin`). */
  min?: number;
  exclusiveMin?: boolean;
}

/** Where |f′(x)| falls below 5% of the largest slope, for the default parameters. */
export interface SaturationRanges {
  /** The cut-off: 5% of the largest slope (Infinity for `step`: flat wherever it is differentiable). */
  threshold: number;
  /** Saturated tail towards −∞, e.g. sigmoid [−∞, −3.66]. */
  low?: Interval;
  /** Saturated tail towards +∞. */
  high?: Interval;
  /** Bounded low-slope intervals, e.g. around the minimum of gelu, silu, mish, serlu, or sin's crests. */
  notches: Interval[];
  /** Where f′ is exactly 0: a unit whose z stays here for every sample gets no gradient (dead). */
  dead: Interval[];
  /** z below this counts as saturated low, above as saturated high (the probes' split). */
  split: number;
  /** Plain-text summary for the hover, e.g. "x < −3.66 and x > 3.66". */
  text: string;
}

export interface Paper {
  title: string;
  authors: string;
  year: number;
  /** Where to read it: an arXiv id or venue. */
  link: string;
  url?: string;
}

export interface ActivationInfo {
  name: ActivationName;
  /** Display name, e.g. "Leaky ReLU". */
  label: string;
  /** One sentence for the hover. */
  summary: string;
  /** Value; `p` has every key of `defaults` filled. */
  f(x: number, p: ActivationParams): number;
  /** Derivative as PyTorch's autograd computes it (its choice at kinks). */
  df(x: number, p: ActivationParams): number;
  /** Named constants and their defaults (PyTorch's), e.g. { slope: 0.01 }, { lambda, alpha }, { beta: 1 }. */
  defaults: Readonly<Record<string, number>>;
  paramDocs: Readonly<Record<string, ParamDoc>>;
  /** A parameter learned by backprop (prelu's slope), its initial value, and whether it can be one per unit. */
  learned?: { param: string; init: number; perUnit: boolean };
  /** Largest |f′| with the default parameters and where it is reached (`at` may be a limit, see `where`). */
  maxSlope: { value: number; at: number; where: string };
  /** Largest |f′| for given parameters (probes use it for the 5% saturation cut-off). */
  maxSlopeOf(p: ActivationParams): number;
  saturates: SaturationRanges;
  zeroCentred: boolean;
  /** Output range, as text, e.g. "(0, 1)". */
  range: string;
  formula: string;
  derivativeFormula: string;
  paper?: Paper;
  /** Qualified names in code: PyTorch, TF/Keras, JAX/flax, tfjs (e.g. `nn.ReLU`, `tf.nn.relu`). */
  aliases: string[];
  /** Bare names used inside strings, e.g. activation="relu" in Keras or a config. */
  stringNames: string[];
  /** Also an ordinary maths function (identity, step, sin): recognise it only in an activation context. */
  generic: boolean;
  /**
   * Made of straight pieces (identity, step, the ReLU family, hardtanh, hardsigmoid): where its slope is low it is
   * flat or leaky on a whole half-line or interval, so the probes call that share "inactive", not "saturated".
   */
  piecewiseLinear?: true;
  /** The initialisation matched to this activation. */
  defaultInit: InitName;
  /** Differences between libraries worth a line in the hover. */
  notes: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Special functions

const SQRT2 = Math.SQRT2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * erf for |x| < 1.5: e^{−x²}·(2/√π)·Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)). Every term is positive, so there is no
 * cancellation and the sum is accurate to a few ulps.
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 0; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 3);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc for x ≥ 1.5 by its continued fraction, evaluated bottom-up (120 levels reach full precision there). */
function erfcContinuedFraction(x: number): number {
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  let tail = x;
  for (let k = 120; k >= 1; k--) tail = x + k / 2 / tail;
  return (INV_SQRT_PI * Math.exp(-x * x)) / tail;
}

/** The error function, accurate to about 1e-16 (absolute) over the whole line. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 1.5) return erfSeries(x);
  if (ax > 6) return x > 0 ? 1 : -1;
  const r = 1 - erfcContinuedFraction(ax);
  return x > 0 ? r : -r;
}

/** Complementary error function, with relative accuracy in the right tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  // Below 1.5 erfc ≥ 0.034, so 1 − erf loses at most a few ulps; above, the continued fraction is exact to rounding.
  if (x < 1.5) return 1 - erfSeries(x);
  if (x > 27.3) return 0;
  return erfcContinuedFraction(x);
}

/** Standard normal distribution function Φ. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

/** Standard normal density φ. */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Logistic sigmoid, without overflow on either side. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** ln(1 + eˣ) without overflow. */
function softplusRaw(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** tanh(ln(1 + eˣ)) = (e²ˣ + 2eˣ)/(e²ˣ + 2eˣ + 2), the mish gate, stable for any x. */
function tanhSoftplus(x: number): number {
  if (x > 20) return Math.tanh(softplusRaw(x));
  const e = Math.exp(x);
  const n = e * (e + 2);
  return n / (n + 2);
}

// ---------------------------------------------------------------------------------------------------------------
// Constants (THEORY.md)

export const SELU_LAMBDA = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;
/** SERLU constants (Zhang & Li 2018): make mean 0 / variance 1 a fixed point for N(0, 1) inputs. */
export const SERLU_LAMBDA = 1.0786182836;
export const SERLU_ALPHA = 2.9042712325;
export const LEAKY_RELU_SLOPE = 0.01;
export const PRELU_INIT = 0.25;
export const SOFTPLUS_THRESHOLD = 20;
export const GELU_TANH_COEFF = 0.044715;
/** Saturation: |f′| below this share of the largest slope. */
export const SATURATION_SHARE = 0.05;

// ---------------------------------------------------------------------------------------------------------------
// The table. Saturation ranges and some maxima are computed once at load (below) from f′ itself.

type Entry = Omit<ActivationInfo, 'saturates' | 'maxSlope'> & {
  /** The x where the max slope is reached (or approached), with text; value comes from maxSlopeOf(defaults). */
  maxSlopeAt: { at: number; where: string };
  /** Scan only this range and do not extend saturated ends to ±∞ (periodic functions). */
  periodicScan?: Interval;
};

const noParams: Record<string, number> = {};
const noDocs: Record<string, ParamDoc> = {};

const PYTORCH_NOTE_SUBGRADIENT = ACTIVATION_MESSAGES['act.note.subgradient'];

const entries: Entry[] = [
  {
    name: 'linear',
    piecewiseLinear: true,
    label: 'Linear (identity)',
    summary: ACTIVATION_MESSAGES['act.linear.summary'],
    f: (x) => x,
    df: () => 1,
    defaults: noParams,
    paramDocs: noDocs,
    maxSlopeOf: () => 1,
    maxSlopeAt: { at: 0, where: ACTIVATION_MESSAGES['act.linear.where'] },
    zeroCentred: true,
    range: '(−∞, ∞)',
    formula: 'f(x) = x',
    derivativeFormula: 'f′(x) = 1',
    aliases: ['nn.Identity', 'torch.nn.Identity', 'keras.activations.linear', 'tf.keras.activations.linear', 'tf.identity'],
    stringNames: ['linear', 'identity'],
    generic: true,
    defaultInit: 'xavier_uniform',
    notes: [],
  },
  {
    name: 'step',
    piecewiseLinear: true,
    label: 'Unit step (Heaviside)',
    summary: ACTIVATION_MESSAGES['act.step.summary'],
    f: (x) => (x > 0 ? 1 : 0),
    df: () => 0,
    defaults: noParams,
    paramDocs: noDocs,
    maxSlopeOf: () => 0,
    maxSlopeAt: { at: 0, where: ACTIVATION_MESSAGES['act.step.where'] },
    zeroCentred: false,
    range: '{0, 1}',
    formula: 'f(x) = 1 if x > 0, else 0',
    derivativeFormula: 'f′(x) = 0 (undefined at 0)',
    paper: {
      title: 'A logical calculus of the ideas immanent in nervous activity',
      authors: 'W. S. McCulloch, W. Pitts',
      year: 1943,
      link: 'Bulletin of Mathematical Biophysics 5, 115–133',
    },
    aliases: ['torch.heaviside'],
    stringNames: ['step', 'heaviside', 'binary_step'],
    generic: true,
    defaultInit: 'xavier_uniform',
    notes: [ACTIVATION_MESSAGES['act.step.note']],
  },
  {
    name: 'sigmoid',
    label: 'Sigmoid (logistic)',
    summary: ACTIVATION_MESSAGES['act.sigmoid.summary'],
    f: (x) => sigmoid(x),
    df: (x) => {
      const s = sigmoid(x);
      return s * (1 - s);
    },
    defaults: noParams,
    paramDocs: noDocs,
    maxSlopeOf: () => 0.25,
    maxSlopeAt: { at: 0, where: 'x = 0' },
    zeroCentred: false,
    range: '(0, 1)',
    formula: 'σ(x) = 1 / (1 + e⁻ˣ)',
    derivativeFormula: 'σ′(x) = σ(x)·(1 − σ(x))',
    paper: {
      title: 'Learning representations by back-propagating errors',
      authors: 'D. E. Rumelhart, G. E. Hinton, R. J. Williams',
      year: 1986,
      link: 'Nature 323, 533–536',
    },
    aliases: [
      'nn.Sigmoid', 'torch.nn.Sigmoid', 'F.sigmoid', 'torch.nn.functional.sigmoid', 'torch.sigmoid', 'torch.special.expit',
      'tf.nn.sigmoid', 'tf.sigmoid', 'tf.math.sigmoid', 'keras.activations.sigmoid', 'tf.keras.activations.sigmoid',
      'jax.nn.sigmoid', 'nn.sigmoid', 'scipy.special.expit',
    ],
    stringNames: ['sigmoid', 'logistic'],
    generic: false,
    defaultInit: 'xavier_uniform',
    notes: [],
  },
  {
    name: 'tanh',
    label: 'Tanh',
    summary: ACTIVATION_MESSAGES['act.tanh.summary'],
    f: (x) => Math.tanh(x),
    df: (x) => {
      const t = Math.tanh(x);
      return 1 - t * t;
    },
    defaults: noParams,
    paramDocs: noDocs,
    maxSlopeOf: () => 1,
    maxSlopeAt: { at: 0, where: 'x = 0' },
    zeroCentred: true,
    range: '(−1, 1)',
    formula: 'f(x) = tanh x = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ)',
    derivativeFormula: 'f′(x) = 1 − tanh² x',
    paper: { title: 'Efficient BackProp', authors: 'Y. LeCun, L. Bottou, G. B. Orr, K.-R. Müller', year: 1998, link: 'Neural Networks: Tricks of the Trade, LNCS 1524' },
    aliases: [
      'nn.Tanh', 'torch.nn.Tanh', 'F.tanh', 'torch.nn.functional.tanh', 'torch.tanh', 'tf.nn.tanh', 'tf.tanh', 'tf.math.tanh',
      'keras.activations.tanh', 'tf.keras.activations.tanh', 'jnp.tanh', 'jax.numpy.tanh', 'nn.tanh',
    ],
    stringNames: ['tanh'],
    generic: false,
    defaultInit: 'xavier_uniform',
    notes: [],
  },
  {
    name: 'relu',
    piecewiseLinear: true,
    label: 'ReLU',
    summary: ACTIVATION_MESSAGES['act.relu.summary'],
    f: (x) => (x > 0 ? x : 0),
    df: (x) => (x > 0 ? 1 : 0),
    defaults: noParams,
    paramDocs: noDocs,
    maxSlopeOf: () => 1,
    maxSlopeAt: { at: 1, where: 'x > 0' },
    zeroCentred: false,
    range: '[0, ∞)',
    formula: 'f(x) = max(0, x)',
    derivativeFormula: 'f′(x) = 1 if x > 0, else 0',
    paper: {
      title: 'Rectified Linear Units Improve Restricted Boltzmann Machines',
      authors: 'V. Nair, G. E. Hinton',
      year: 2010,
      link: 'ICML 2010',
    },
    aliases: [
      'nn.ReLU', 'torch.nn.ReLU', 'F.relu', 'F.relu_', 'torch.nn.functional.relu', 'torch.relu', 'tf.nn.relu',
      'keras.activations.relu', 'tf.keras.activations.relu', 'keras.layers.ReLU', 'tf.keras.layers.ReLU', 'layers.ReLU',
      'jax.nn.relu', 'nn.relu', 'tf.relu', 'tf.layers.reLU',
    ],
    stringNames: ['relu'],
    generic: false,
    defaultInit: 'he_normal',
    notes: [PYTORCH_NOTE_SUBGRADIENT],
  },
  {
    name: 'relu6',
    piecewiseLinear: true,
    label: 'ReLU6',
    summary: ACTIVATION_MESSAGES['act.relu6.summary'],
    f: (x) => (x > 0 ? (x < 6 ? x : 6) : 0),
    df: (x) => (x > 0 && x < 6 ? 1 : 0),
    defaults: noParams,
    paramDocs: noDocs,
    maxSlopeOf: () => 1,
    maxSlopeAt: { at: 3, where: '0 < x < 6' },
    zeroCentred: false,
    range: '[0, 6]',
    formula: 'f(x) = min(max(0, x), 6)',
    derivativeFormula: 'f′(x) = 1 if 0 < x < 6, else 0',
    paper: { title: 'Convolutional Deep Belief Networks on CIFAR-10', authors: 'A. Krizhevsky', year: 2010, link: 'Technical report, University of Toronto' },
    aliases: [
      'nn.ReLU6', 'torch.nn.ReLU6', 'F.relu6', 'torch.nn.functional.relu6', 'tf.nn.relu6', 'keras.activations.relu6',
      'tf.keras.activations.relu6', 'jax.nn.relu6', 'nn.relu6', 'tf.relu6',
    ],
    stringNames: ['relu6'],
    generic: false,
    defaultInit: 'he_normal',
    notes: [ACTIVATION_MESSAGES['act.relu6.note']],
  },
  {
    name: 'leaky_relu',
    piecewiseLinear: true,
    label: 'Leaky ReLU',
    summary: ACTIVATION_MESSAGES['act.leaky_relu.summary'],
    f: (x, p) => (x > 0 ? x : p.slope * x),
    df: (x, p) => (x > 0 ? 1 : p.slope),
    defaults: { slope: LEAKY_RELU_SLOPE },
    paramDocs: { slope: { description: ACTIVATION_MESSAGES['act.leaky_relu.param.slope'] } },
    maxSlopeOf: (p) => Math.max(1, Math.abs(p.slope)),
    maxSlopeAt: { at: 1, where: 'x > 0' },
    zeroCentred: false,
    range: '(−∞, ∞)',
    formula: 'f(x) = x if x > 0, else a·x  (a = 0.01)',
    derivativeFormula: 'f′(x) = 1 if x > 0, else a',
    paper: {
      title: 'Rectifier Nonlinearities Improve Neural Network Acoustic Models',
      authors: 'A. L. Maas, A. Y. Hannun, A. Y. Ng',
      year: 2013,
      link: 'ICML 2013 Workshop on Deep Learning for Audio, Speech and Language Processing',
    },
    aliases: [
      'nn.LeakyReLU', 'torch.nn.LeakyReLU', 'F.leaky_relu', 'torch.nn.functional.leaky_relu', 'tf.nn.leaky_relu',
      'keras.layers.LeakyReLU', 'tf.keras.layers.LeakyReLU', 'layers.LeakyReLU', 'keras.activations.leaky_relu',
      'tf.keras.activations.leaky_relu', 'jax.nn.leaky_relu', 'nn.leaky_relu', 'tf.leakyRelu', 'tf.layers.leakyReLU',
    ],
    stringNames: ['leaky_relu', 'leakyrelu', 'leakyRelu'],
    generic: false,
    defaultInit: 'he_normal',
    notes: [ACTIVATION_MESSAGES['act.leaky_relu.note']],
  },
  {
    name: 'prelu',
    piecewiseLinear: true,
    label: 'PReLU (parametric ReLU)',
    summary: ACTIVATION_MESSAGES['act.prelu.summary'],
    f: (x, p) => (x > 0 ? x : p.slope * x),
    df: (x, p) => (x > 0 ? 1 : p.slope),
    defaults: { slope: PRELU_INIT },
    paramDocs: { slope: { description: ACTIVATION_MESSAGES['act.prelu.param.slope'] } },
    learned: { param: 'slope', init: PRELU_INIT, perUnit: true },
    maxSlopeOf: (p) => Math.max(1, Math.abs(p.slope)),
    maxSlopeAt: { at: 1, where: 'x > 0' },
    zeroCentred: false,
    range: '(−∞, ∞)',
    formula: 'f(x) = x if x > 0, else a·x  (a learned, init 0.25)',
    derivativeFormula: 'f′(x) = 1 if x > 0, else a;  ∂f/∂a = min(0, x)',
    paper: {
      title: 'Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification',
      authors: 'K. He, X. Zhang, S. Ren, J. Sun',
      year: 2015,
      link: 'arXiv:1502.01852',
      url: 'https://arxiv.org/abs/1502.01852',
    },
    aliases: [
      'nn.PReLU', 'torch.nn.PReLU', 'F.prelu', 'torch.nn.functional.prelu', 'torch.prelu', 'keras.layers.PReLU',
      'tf.keras.layers.PReLU', 'layers.PReLU', 'tf.prelu', 'tf.layers.prelu',
    ],
    stringNames: ['prelu'],
    generic: false,
    defaultInit: 'he_normal',
    notes: [ACTIVATION_MESSAGES['act.prelu.note']],
  },
  {
    name: 'elu',
    label: 'ELU',
    summary: ACTIVATION_MESSAGES['act.elu.summary'],
    f: (x, p) => (x > 0 ? x : p.alpha * Math.expm1(x)),
    df: (x, p) => (x > 0 ? 1 : p.alpha * Math.exp(x)),
    defaults: { alpha: 1 },
    paramDocs: { alpha: { description: ACTIVATION_MESSAGES['act.elu.param.alpha'], min: 0 } },
    maxSlopeOf: (p) => Math.max(1, Math.abs(p.alpha)),
    maxSlopeAt: { at: 1, where: ACTIVATION_MESSAGES['act.elu.where'] },
    zeroCentred: false,
    range: '(−α, ∞)',
    formula: 'f(x) = x if x > 0, else α(eˣ − 1)  (α = 1)',
    derivativeFormula: 'f′(x) = 1 if x > 0, else α·eˣ',
    paper: {
      title: 'Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)',
      authors: 'D.-A. Clevert, T. Unterthiner, S. Hochreiter',
      year: 2015,
      link: 'arXiv:1511.07289',
      url: 'https://arxiv.org/abs/1511.07289',
    },
    aliases: [
      'nn.ELU', 'torch.nn.ELU', 'F.elu', 'torch.nn.functional.elu', 'tf.nn.elu', 'keras.activations.elu',
      'tf.keras.activations.elu', 'keras.layers.ELU', 'tf.keras.layers.ELU', 'layers.ELU', 'jax.nn.elu', 'nn.elu',
      'tf.elu', 'tf.layers.elu',
    ],
    stringNames: ['elu'],
    generic: false,
    defaultInit: 'he_normal',
    notes: [],
  },
  {
    name: 'selu',
    label: 'SELU (self-normalising)',
    summary: ACTIVATION_MESSAGES['act.selu.summary'],
    f: (x, p) => (x > 0 ? p.lambda * x : p.lambda * p.alpha * Math.expm1(x)),
    df: (x, p) => (x > 0 ? p.lambda : p.lambda * p.alpha * Math.exp(x)),
    defaults: { lambda: SELU_LAMBDA, alpha: SELU_ALPHA },
    paramDocs: {
      lambda: { description: ACTIVATION_MESSAGES['act.selu.param.lambda'], min: 0, exclusiveMin: true },
      alpha: { description: ACTIVATION_MESSAGES['act.selu.param.alpha'], min: 0 },
    },
    maxSlopeOf: (p) => Math.abs(p.lambda) * Math.max(1, Math.abs(p.alpha)),
    maxSlopeAt: { at: 0, where: ACTIVATION_MESSAGES['act.selu.where'] },
    zeroCentred: false,
    range: '(−λα, ∞) ≈ (−1.758, ∞)',
    formula: 'f(x) = λx if x > 0, else λα(eˣ − 1)  (λ ≈ 1.0507, α ≈ 1.6733)',
    derivativeFormula: 'f′(x) = λ if x > 0, else λα·eˣ',
    paper: {
      title: 'Self-Normalizing Neural Networks',
      authors: 'G. Klambauer, T. Unterthiner, A. Mayr, S. Hochreiter',
      year: 2017,
      link: 'arXiv:1706.02515',
      url: 'https://arxiv.org/abs/1706.02515',
    },
    aliases: [
      'nn.SELU', 'torch.nn.SELU', 'F.selu', 'torch.nn.functional.selu', 'torch.selu', 'tf.nn.selu', 'keras.activations.selu',
      'tf.keras.activations.selu', 'jax.nn.selu', 'nn.selu', 'tf.selu',
    ],
    stringNames: ['selu'],
    generic: false,
    defaultInit: 'lecun_normal',
    notes: [ACTIVATION_MESSAGES['act.selu.note']],
  },
  {
    name: 'serlu',
    label: 'SERLU',
    summary: ACTIVATION_MESSAGES['act.serlu.summary'],
    f: (x, p) => (x >= 0 ? p.lambda * x : p.lambda * p.alpha * x * Math.exp(x)),
    df: (x, p) => (x >= 0 ? p.lambda : p.lambda * p.alpha * Math.exp(x) * (1 + x)),
    defaults: { lambda: SERLU_LAMBDA, alpha: SERLU_ALPHA },
    paramDocs: {
      lambda: { description: ACTIVATION_MESSAGES['act.serlu.param.lambda'], min: 0, exclusiveMin: true },
      alpha: { description: ACTIVATION_MESSAGES['act.serlu.param.alpha'], min: 0 },
    },
    // sup over x < 0 of λα·eˣ(1 + x) is λα, approached at 0⁻ (eˣ(1 + x) increases on (−2, 0)).
    maxSlopeOf: (p) => Math.abs(p.lambda) * Math.max(1, Math.abs(p.alpha)),
    maxSlopeAt: { at: 0, where: ACTIVATION_MESSAGES['act.serlu.where'] },
    zeroCentred: false,
    range: '[−λα/e, ∞) ≈ [−1.152, ∞)',
    formula: 'f(x) = λx if x ≥ 0, else λα·x·eˣ  (λ ≈ 1.0786, α ≈ 2.9043)',
    derivativeFormula: 'f′(x) = λ if x ≥ 0, else λα·eˣ(1 + x)',
    paper: {
      title: 'Effectiveness of Scaled Exponentially-Regularized Linear Units (SERLUs)',
      authors: 'G. Zhang, H. Li',
      year: 2018,
      link: 'arXiv:1807.10117',
      url: 'https://arxiv.org/abs/1807.10117',
    },
    aliases: [],
    stringNames: ['serlu'],
    generic: false,
    defaultInit: 'lecun_normal',
    notes: [ACTIVATION_MESSAGES['act.serlu.note']],
  },
  {
    name: 'gelu',
    label: 'GELU',
    summary: ACTIVATION_MESSAGES['act.gelu.summary'],
    f: (x) => x * normalCdf(x),
    df: (x) => normalCdf(x) + x * normalPdf(x),
    defaults: noParams,
    paramDocs: noDocs,
    // d/dx[Φ + xφ] = φ(2 − x²) = 0 at x = √2.
    maxSlopeOf: () => normalCdf(SQRT2) + SQRT2 * normalPdf(SQRT2),
    maxSlopeAt: { at: SQRT2, where: 'x = √2' },
    zeroCentred: false,
    range: '[≈ −0.17, ∞)',
    formula: 'f(x) = x·Φ(x) = ½x(1 + erf(x/√2))',
    derivativeFormula: 'f′(x) = Φ(x) + x·φ(x)',
    paper: {
      title: 'Gaussian Error Linear Units (GELUs)',
      authors: 'D. Hendrycks, K. Gimpel',
      year: 2016,
      link: 'arXiv:1606.08415',
      url: 'https://arxiv.org/abs/1606.08415',
    },
    aliases: [
      'nn.GELU', 'torch.nn.GELU', 'F.gelu', 'torch.nn.functional.gelu', 'tf.nn.gelu', 'keras.activations.gelu',
      'tf.keras.activations.gelu', 'tf.gelu',
    ],
    stringNames: ['gelu'],
    generic: false,
    defaultInit: 'he_normal',
    notes: [ACTIVATION_MESSAGES['act.gelu.note']],
  },
  {
    name: 'gelu_tanh',
    label: 'GELU (tanh approximation)',
    summary: ACTIVATION_MESSAGES['act.gelu_tanh.summary'],
    f: (x) => {
      const u = SQRT_2_OVER_PI * (x + GELU_TANH_COEFF * x * x * x);
      return 0.5 * x * (1 + Math.tanh(u));
    },
    df: (x) => {
      const u = SQRT_2_OVER_PI * (x + GELU_TANH_COEFF * x * x * x);
      const t = Math.tanh(u);
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_COEFF * x * x);
    },
    defaults: noParams,
    paramDocs: noDocs,
    maxSlopeOf: () => NaN, // filled numerically below
    maxSlopeAt: { at: NaN, where: '' },
    zeroCentred: false,
    range: '[≈ −0.17, ∞)',
    formula: 'f(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))',
    derivativeFormula: 'f′(x) = ½(1 + tanh u) + ½x·sech²u·√(2/π)(1 + 0.134145x²)',
    paper: {
      title: 'Gaussian Error Linear Units (GELUs)',
      authors: 'D. Hendrycks, K. Gimpel',
      year: 2016,
      link: 'arXiv:1606.08415',
      url: 'https://arxiv.org/abs/1606.08415',
    },
    aliases: ['jax.nn.gelu', 'nn.gelu'],
    stringNames: ['gelu_tanh', 'gelu_new', 'gelu_pytorch_tanh'],
    generic: false,
    defaultInit: 'he_normal',
    notes: [ACTIVATION_MESSAGES['act.gelu_tanh.note']],
  },
  {
    name: 'silu',
    label: 'SiLU',
    summary: ACTIVATION_MESSAGES['act.silu.summary'],
    f: (x, p) => x * sigmoid(p.beta * x),
    df: (x, p) => {
      const s = sigmoid(p.beta * x);
      return s + p.beta * x * s * (1 - s);
    },
    defaults: { beta: 1 },
    paramDocs: { beta: { description: ACTIVATION_MESSAGES['act.silu.param.beta'] } },
    maxSlopeOf: () => NaN, // independent of β (substitute u = βx); filled numerically below
    maxSlopeAt: { at: NaN, where: '' },
    zeroCentred: false,
    range: '[≈ −0.278/β, ∞)',
    formula: 'f(x) = x·σ(βx)  (β = 1)',
    derivativeFormula: 'f′(x) = σ(βx) + βx·σ(βx)(1 − σ(βx))',
    paper: {
      title: 'Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning',
      authors: 'S. Elfwing, E. Uchibe, K. Doya',
      year: 2017,
      link: 'arXiv:1702.03118',
      url: 'https://arxiv.org/abs/1702.03118',
    },
    aliases: [
      'nn.SiLU', 'torch.nn.SiLU', 'F.silu', 'torch.nn.functional.silu', 'tf.nn.silu', 'keras.activations.silu',
      'tf.keras.activations.silu', 'jax.nn.silu', 'nn.silu',
    ],
    stringNames: ['silu'],
    generic: false,
    defaultInit: 'he_normal',
    notes: [ACTIVATION_MESSAGES['act.silu.note']],
  },
  {
    name: 'swish',
    label: 'Swish',
    summary: ACTIVATION_MESSAGES['act.swish.summary'],
    f: (x, p) => x * sigmoid(p.beta * x),
    df: (x, p) => {
      const s = sigmoid(p.beta * x);
      return s + p.beta * x * s * (1 - s);
    },
    defaults: { beta: 1 },
    paramDocs: { beta: { description: ACTIVATION_MESSAGES['act.swish.param.beta'] } },
    maxSlopeOf: () => NaN,
    maxSlopeAt: { at: NaN, where: '' },
    zeroCentred: false,
    range: '[≈ −0.278/β, ∞)',
    formula: 'f(x) = x·σ(βx)  (β = 1)',
    derivativeFormula: 'f′(x) = σ(βx) + βx·σ(βx)(1 − σ(βx))',
    paper: {
      title: 'Searching for Activation Functions',
      authors: 'P. Ramachandran, B. Zoph, Q. V. Le',
      year: 2017,
      link: 'arXiv:1710.05941',
      url: 'https://arxiv.org/abs/1710.05941',
    },
    aliases: ['tf.nn.swish', 'keras.activations.swish', 'tf.keras.activations.swish', 'jax.nn.swish', 'nn.swish'],
    stringNames: ['swish'],
    generic: false,
    defaultInit: 'he_normal',
    notes: [ACTIVATION_MESSAGES['act.swish.note']],
  },
  {
    name: 'mish',
    label: 'Mish',
    summary: ACTIVATION_MESSAGES['act.mish.summary'],
    f: (x) => x * tanhSoftplus(x),
    df: (x) => {
      const t = tanhSoftplus(x);
      return t + x * (1 - t * t) * sigmoid(x);
    },
    defaults: noParams,
    paramDocs: noDocs,
    maxSlopeOf: () => NaN,
    maxSlopeAt: { at: NaN, where: '' },
    zeroCentred: false,
    range: '[≈ −0.309, ∞)',
    formula: 'f(x) = x·tanh(softplus(x)) = x·tanh(ln(1 + eˣ))',
    derivativeFormula: 'f′(x) = tanh(sp) + x·sech²(sp)·σ(x),  sp = softplus(x)',
    paper: {
      title: 'Mish: A Self Regularized Non-Monotonic Activation Function',
      authors: 'D. Misra',
      year: 2019,
      link: 'arXiv:1908.08681',
      url: 'https://arxiv.org/abs/1908.08681',
    },
    aliases: ['nn.Mish', 'torch.nn.Mish', 'F.mish', 'torch.nn.functional.mish', 'keras.activations.mish', 'tf.keras.activations.mish', 'tfa.activations.mish', 'jax.nn.mish'],
    stringNames: ['mish'],
    generic: false,
    defaultInit: 'he_normal',
    notes: [],
  },
  {
    name: 'softplus',
    label: 'Softplus',
    summary: ACTIVATION_MESSAGES['act.softplus.summary'],
    f: (x, p) => (p.beta * x > p.threshold ? x : softplusRaw(p.beta * x) / p.beta),
    df: (x, p) => (p.beta * x > p.threshold ? 1 : sigmoid(p.beta * x)),
    defaults: { beta: 1, threshold: SOFTPLUS_THRESHOLD },
    paramDocs: {
      beta: { description: ACTIVATION_MESSAGES['act.softplus.param.beta'], min: 0, exclusiveMin: true },
      threshold: { description: ACTIVATION_MESSAGES['act.softplus.param.threshold'] },
    },
    maxSlopeOf: () => 1,
    maxSlopeAt: { at: SOFTPLUS_THRESHOLD, where: ACTIVATION_MESSAGES['act.softplus.where'] },
    zeroCentred: false,
    range: '(0, ∞)',
    formula: 'f(x) = (1/β)·ln(1 + e^{βx}),  x when βx > 20  (β = 1)',
    derivativeFormula: 'f′(x) = σ(βx),  1 when βx > 20',
    paper: {
      title: 'Incorporating Second-Order Functional Knowledge for Better Option Pricing',
      authors: 'C. Dugas, Y. Bengio, F. Bélisle, C. Nadeau, R. Garcia',
      year: 2001,
      link: 'NIPS 13 (2000)',
    },
    aliases: [
      'nn.Softplus', 'torch.nn.Softplus', 'F.softplus', 'torch.nn.functional.softplus', 'tf.nn.softplus', 'tf.math.softplus',
      'keras.activations.softplus', 'tf.keras.activations.softplus', 'jax.nn.softplus', 'nn.softplus', 'tf.softplus',
    ],
    stringNames: ['softplus'],
    generic: false,
    defaultInit: 'he_normal',
    notes: [],
  },
  {
    name: 'softsign',
    label: 'Softsign',
    summary: ACTIVATION_MESSAGES['act.softsign.summary'],
    f: (x) => x / (1 + Math.abs(x)),
    df: (x) => {
      const d = 1 + Math.abs(x);
      return 1 / (d * d);
    },
    defaults: noParams,
    paramDocs: noDocs,
    maxSlopeOf: () => 1,
    maxSlopeAt: { at: 0, where: 'x = 0' },
    zeroCentred: true,
    range: '(−1, 1)',
    formula: 'f(x) = x / (1 + |x|)',
    derivativeFormula: 'f′(x) = 1 / (1 + |x|)²',
    paper: {
      title: 'Understanding the difficulty of training deep feedforward neural networks',
      authors: 'X. Glorot, Y. Bengio',
      year: 2010,
      link: 'AISTATS 2010',
    },
    aliases: [
      'nn.Softsign', 'torch.nn.Softsign', 'F.softsign', 'torch.nn.functional.softsign', 'tf.nn.softsign', 'tf.math.softsign',
      'keras.activations.softsign', 'tf.keras.activations.softsign', 'jax.nn.soft_sign', 'nn.soft_sign',
    ],
    stringNames: ['softsign', 'soft_sign'],
    generic: false,
    defaultInit: 'xavier_uniform',
    notes: [],
  },
  {
    name: 'hardtanh',
    piecewiseLinear: true,
    label: 'Hardtanh',
    summary: ACTIVATION_MESSAGES['act.hardtanh.summary'],
    f: (x, p) => (x < p.min ? p.min : x > p.max ? p.max : x),
    df: (x, p) => (x > p.min && x < p.max ? 1 : 0),
    defaults: { min: -1, max: 1 },
    paramDocs: {
      min: { description: ACTIVATION_MESSAGES['act.hardtanh.param.min'] },
      max: { description: ACTIVATION_MESSAGES['act.hardtanh.param.max'] },
    },
    maxSlopeOf: () => 1,
    maxSlopeAt: { at: 0, where: 'min < x < max' },
    zeroCentred: true,
    range: '[−1, 1]',
    formula: 'f(x) = clamp(x, −1, 1)',
    derivativeFormula: 'f′(x) = 1 if −1 < x < 1, else 0',
    paper: { title: 'Large Scale Machine Learning', authors: 'R. Collobert', year: 2004, link: 'PhD thesis, Université Paris VI' },
    aliases: ['nn.Hardtanh', 'torch.nn.Hardtanh', 'F.hardtanh', 'torch.nn.functional.hardtanh', 'jax.nn.hard_tanh', 'nn.hard_tanh'],
    stringNames: ['hardtanh', 'hard_tanh'],
    generic: false,
    defaultInit: 'xavier_uniform',
    notes: [],
  },
  {
    name: 'hardsigmoid',
    piecewiseLinear: true,
    label: 'Hardsigmoid',
    summary: ACTIVATION_MESSAGES['act.hardsigmoid.summary'],
    f: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5),
    df: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
    defaults: noParams,
    paramDocs: noDocs,
    maxSlopeOf: () => 1 / 6,
    maxSlopeAt: { at: 0, where: '−3 < x < 3' },
    zeroCentred: false,
    range: '[0, 1]',
    formula: 'f(x) = clamp(x/6 + 1/2, 0, 1)',
    derivativeFormula: 'f′(x) = 1/6 if −3 < x < 3, else 0',
    paper: {
      title: 'Searching for MobileNetV3',
      authors: 'A. Howard, M. Sandler, G. Chu, L.-C. Chen, B. Chen, M. Tan, et al.',
      year: 2019,
      link: 'arXiv:1905.02244',
      url: 'https://arxiv.org/abs/1905.02244',
    },
    aliases: [
      'nn.Hardsigmoid', 'torch.nn.Hardsigmoid', 'F.hardsigmoid', 'torch.nn.functional.hardsigmoid', 'keras.activations.hard_sigmoid',
      'tf.keras.activations.hard_sigmoid', 'jax.nn.hard_sigmoid', 'nn.hard_sigmoid',
    ],
    stringNames: ['hardsigmoid', 'hard_sigmoid'],
    generic: false,
    defaultInit: 'xavier_uniform',
    notes: [ACTIVATION_MESSAGES['act.hardsigmoid.note']],
  },
  {
    name: 'sin',
    label: 'Sine',
    summary: ACTIVATION_MESSAGES['act.sin.summary'],
    f: (x) => Math.sin(x),
    df: (x) => Math.cos(x),
    defaults: noParams,
    paramDocs: noDocs,
    maxSlopeOf: () => 1,
    maxSlopeAt: { at: 0, where: 'x = kπ' },
    zeroCentred: true,
    range: '[−1, 1]',
    formula: 'f(x) = sin x',
    derivativeFormula: 'f′(x) = cos x',
    paper: {
      title: 'Implicit Neural Representations with Periodic Activation Functions',
      authors: 'V. Sitzmann, J. N. P. Martel, A. W. Bergman, D. B. Lindell, G. Wetzstein',
      year: 2020,
      link: 'arXiv:2006.09661',
      url: 'https://arxiv.org/abs/2006.09661',
    },
    aliases: ['torch.sin', 'tf.sin', 'tf.math.sin', 'jnp.sin', 'jax.numpy.sin'],
    stringNames: ['sin', 'sine'],
    generic: true,
    defaultInit: 'xavier_uniform',
    periodicScan: [-2 * Math.PI, 2 * Math.PI],
    notes: [ACTIVATION_MESSAGES['act.sin.note']],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Numerical helpers to derive maxima and saturation ranges from f′ itself

/** Largest |f′| on [lo, hi] by a fine scan and golden-section refinement; returns { value, at }. */
export function numericMaxSlope(
  df: (x: number) => number, lo = -12, hi = 12,
): { value: number; at: number } {
  const steps = 4800;
  let bestX = lo;
  let best = -Infinity;
  for (let i = 0; i <= steps; i++) {
    const x = lo + ((hi - lo) * i) / steps;
    const v = Math.abs(df(x));
    if (v > best) {
      best = v;
      bestX = x;
    }
  }
  const h = (hi - lo) / steps;
  let a = bestX - h;
  let b = bestX + h;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 100 && b - a > 1e-12; i++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (Math.abs(df(c)) > Math.abs(df(d))) b = d;
    else a = c;
  }
  const at = (a + b) / 2;
  const value = Math.abs(df(at));
  return value >= best ? { value, at } : { value: best, at: bestX };
}

function bisectBoundary(pred: (x: number) => boolean, inside: number, outside: number): number {
  let a = inside;
  let b = outside;
  for (let i = 0; i < 80; i++) {
    const m = (a + b) / 2;
    if (pred(m)) a = m;
    else b = m;
  }
  const x = (a + b) / 2;
  // Kinks sit at round numbers (0, 6, ±1, ±3): do not report 2e-27 for 0.
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-12 ? r : x;
}

function round4(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const s = (Math.round(x * 1e4) / 1e4).toString();
  return s.replace('-', '−');
}

/**
 * The x-intervals where |f′| < threshold, found on a fine grid and refined by bisection. Ends touching the scan
 * range extend to ±∞ unless `periodic`.
 */
export function saturationRanges(
  df: (x: number) => number, maxSlope: number, scan: Interval = [-30, 30], periodic = false,
): SaturationRanges {
  const threshold = maxSlope > 0 ? SATURATION_SHARE * maxSlope : Infinity;
  const saturatedAt = (x: number): boolean => Math.abs(df(x)) < threshold;
  const deadAt = (x: number): boolean => df(x) === 0;
  const runs = (pred: (x: number) => boolean, [lo, hi]: Interval): Interval[] => {
    const steps = 12000;
    const out: Interval[] = [];
    let start: number | undefined;
    let prevX = lo;
    for (let i = 0; i <= steps; i++) {
      const x = lo + ((hi - lo) * i) / steps;
      const inside = pred(x);
      if (inside && start === undefined) start = i === 0 ? (periodic ? lo : -Infinity) : bisectBoundary(pred, x, prevX);
      if (!inside && start !== undefined) {
        out.push([start, bisectBoundary(pred, prevX, x)]);
        start = undefined;
      }
      prevX = x;
    }
    if (start !== undefined) out.push([start, periodic ? hi : Infinity]);
    return out;
  };
  const all = runs(saturatedAt, scan);
  // f′ underflows to exactly 0 far out (tanh beyond |x| ≈ 19): only flat pieces within ±7 count as dead.
  const dead = runs(deadAt, periodic ? scan : [-7, 7]).filter((r) => r[1] > r[0]);
  let low: Interval | undefined;
  let high: Interval | undefined;
  const notches: Interval[] = [];
  for (const r of all) {
    if (r[0] === -Infinity && r[1] === Infinity) {
      low = [-Infinity, 0];
      high = [0, Infinity];
    } else if (r[0] === -Infinity) low = r;
    else if (r[1] === Infinity) high = r;
    else notches.push(r);
  }
  const split = low && high ? (low[1] + high[0]) / 2 : 0;
  const parts: string[] = [];
  if (low && high && low[1] === 0 && high[0] === 0) parts.push('everywhere');
  else {
    if (low) parts.push(`x < ${round4(low[1])}`);
    for (const n of notches) parts.push(`${round4(n[0])} < x < ${round4(n[1])}`);
    if (high) parts.push(`x > ${round4(high[0])}`);
  }
  return { threshold, low, high, notches, dead, split, text: parts.length ? parts.join(', ') : 'never' };
}

// The numeric parts (maxima without a closed form, saturation ranges) are derived on first use, not at load:
// scanning every activation's f′ when the module loads cost most of the extension's activation time.
function finish(e: Entry): ActivationInfo {
  const { maxSlopeAt, periodicScan, ...rest } = e;
  const p = e.defaults;
  const df = (x: number): number => e.df(x, p);
  const closedForm = e.maxSlopeOf(p);
  let maxSlope: ActivationInfo['maxSlope'] | undefined;
  const slope = (): ActivationInfo['maxSlope'] => {
    if (maxSlope) return maxSlope;
    if (!Number.isNaN(closedForm)) return (maxSlope = { value: closedForm, at: maxSlopeAt.at, where: maxSlopeAt.where });
    // Smooth maxima without a closed form (gelu_tanh, silu/swish, mish): find them numerically once.
    const m = numericMaxSlope(df, 0, 6);
    return (maxSlope = { value: m.value, at: m.at, where: `x ≈ ${m.at.toFixed(4)}` });
  };
  let saturates: SaturationRanges | undefined;
  const info = { ...rest } as ActivationInfo;
  if (Number.isNaN(closedForm)) info.maxSlopeOf = () => slope().value;
  Object.defineProperties(info, {
    maxSlope: { enumerable: true, get: slope },
    saturates: {
      enumerable: true,
      get: () =>
        (saturates ??= periodicScan
          ? saturationRanges(df, slope().value, periodicScan, true)
          : saturationRanges(df, slope().value)),
    },
  });
  return info;
}

/** The activation table, keyed by canonical name. */
export const ACTIVATIONS: Record<ActivationName, ActivationInfo> = Object.fromEntries(
  entries.map((e) => [e.name, finish(e)]),
) as Record<ActivationName, ActivationInfo>;

/** Canonical names in table order. */
export function activationNames(): ActivationName[] {
  return entries.map((e) => e.name);
}

const byAnyName = new Map<string, ActivationInfo>();
for (const info of Object.values(ACTIVATIONS)) {
  for (const s of info.stringNames) if (!byAnyName.has(s.toLowerCase())) byAnyName.set(s.toLowerCase(), info);
}
for (const info of Object.values(ACTIVATIONS)) {
  for (const a of info.aliases) if (!byAnyName.has(a)) byAnyName.set(a, info);
  byAnyName.set(info.name, info);
}

/**
 * The entry for a canonical name (`relu`), a string name (`leakyrelu`, `hard_sigmoid`, case-insensitive) or a
 * qualified alias (`nn.ReLU`, `tf.nn.relu`, case-sensitive); undefined when unknown.
 */
export function lookupActivation(name: string): ActivationInfo | undefined {
  return byAnyName.get(name) ?? byAnyName.get(name.toLowerCase());
}

export function isActivationName(name: string): name is ActivationName {
  return Object.prototype.hasOwnProperty.call(ACTIVATIONS, name);
}

/** Params with the table's defaults filled; unknown keys are ignored here (see validateActivationParams). */
export function resolveActivationParams(name: ActivationName, params?: Readonly<Record<string, number>>): ActivationParams {
  const info = ACTIVATIONS[name];
  const out: Record<string, number> = { ...info.defaults };
  if (params) for (const k of Object.keys(info.defaults)) if (typeof params[k] === 'number') out[k] = params[k];
  return out;
}

/** Problems with user-given params for an activation, as messages (empty when fine). */
export function validateActivationParams(name: ActivationName, params: Readonly<Record<string, unknown>>): string[] {
  return activationParamProblems(name, params).map(text => formatCoreText(text));
}

/** The same problems as catalogue messages (act.param.*), for the extension to translate. */
export function activationParamProblems(name: ActivationName, params: Readonly<Record<string, unknown>>): CoreText[] {
  const info = ACTIVATIONS[name];
  const problems: CoreText[] = [];
  const known = Object.keys(info.defaults);
  for (const [k, v] of Object.entries(params)) {
    const doc = info.paramDocs[k];
    if (!doc) {
      problems.push(known.length
        ? coreText('act.param.unknown', { name, key: k, known: known.join(', ') })
        : coreText('act.param.none', { name, key: k }));
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push(coreText('act.param.notFinite', { name, key: k }));
      continue;
    }
    if (doc.min !== undefined && (doc.exclusiveMin ? v <= doc.min : v < doc.min)) {
      problems.push(coreText('act.param.min', { name, key: k, bound: `${doc.exclusiveMin ? '>' : '≥'} ${doc.min}` }));
    }
  }
  if (name === 'hardtanh') {
    const p = resolveActivationParams(name, params as Record<string, number>);
    if (!(p.min < p.max)) problems.push(coreText('act.param.hardtanhOrder'));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Array kernels for the network: one loop per activation picked once, so the inner loop makes no indirect call.

/** a[i] = f(z[i]) for i < n. */
export function activationForward(name: ActivationName, p: ActivationParams, z: Float64Array, a: Float64Array, n: number): void {
  switch (name) {
    case 'linear':
      a.set(z.subarray(0, n));
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const x = z[i];
        if (x >= 0) a[i] = 1 / (1 + Math.exp(-x));
        else {
          const e = Math.exp(x);
          a[i] = e / (1 + e);
        }
      }
      return;
    case 'tanh':
      // The engine's own tanh, whose bits engine.wat's tanhForward shares (tanhKernel.ts).
      for (let i = 0; i < n; i++) a[i] = tanhKernel(z[i]);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const x = z[i];
        a[i] = x > 0 ? x : 0;
      }
      return;
    case 'leaky_relu': {
      const s = p.slope;
      for (let i = 0; i < n; i++) {
        const x = z[i];
        a[i] = x > 0 ? x : s * x;
      }
      return;
    }
    default: {
      const f = ACTIVATIONS[name].f;
      for (let i = 0; i < n; i++) a[i] = f(z[i], p);
    }
  }
}

/**
 * d[i] = f′(z[i]) for i < n; `a` holds f(z) from the forward pass (sigmoid and tanh reuse it, as PyTorch does).
 */
export function activationDerivative(
  name: ActivationName, p: ActivationParams, z: Float64Array, a: Float64Array, d: Float64Array, n: number,
): void {
  switch (name) {
    case 'linear':
      d.fill(1, 0, n);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const s = a[i];
        d[i] = s * (1 - s);
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) {
        const t = a[i];
        d[i] = 1 - t * t;
      }
      return;
    case 'relu':
      for (let i = 0; i < n; i++) d[i] = z[i] > 0 ? 1 : 0;
      return;
    case 'leaky_relu': {
      const s = p.slope;
      for (let i = 0; i < n; i++) d[i] = z[i] > 0 ? 1 : s;
      return;
    }
    default: {
      const df = ACTIVATIONS[name].df;
      for (let i = 0; i < n; i++) d[i] = df(z[i], p);
    }
  }
}

/**
 * out[i] = g[i]·f′(z[i]) for i < n, in one pass (the backward step of an activation layer); `a` holds f(z).
 */
export function activationBackward(
  name: ActivationName, p: ActivationParams, z: Float64Array, a: Float64Array, g: Float64Array, out: Float64Array, n: number,
): void {
  switch (name) {
    case 'linear':
      out.set(g.subarray(0, n));
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const s = a[i];
        out[i] = g[i] * s * (1 - s);
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) {
        const t = a[i];
        out[i] = g[i] * (1 - t * t);
      }
      return;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = z[i] > 0 ? g[i] : 0;
      return;
    case 'leaky_relu': {
      const s = p.slope;
      for (let i = 0; i < n; i++) out[i] = z[i] > 0 ? g[i] : g[i] * s;
      return;
    }
    default: {
      const df = ACTIVATIONS[name].df;
      for (let i = 0; i < n; i++) out[i] = g[i] * df(z[i], p);
    }
  }
}
