// Weight initialisation with PyTorch's formulas for an out × in weight (fan_in = in, fan_out = out):
//   xavier_uniform  U(±√(6/(fan_in + fan_out)))        xavier_normal  N(0, 2/(fan_in + fan_out))
//   he_uniform      U(±√(6/fan_in))  (kaiming_uniform_, relu gain √2)
//   he_normal       N(0, 2/fan_in)   (kaiming_normal_, relu gain √2)
//   lecun_normal    N(0, 1/fan_in)   (PyTorch's advice for SELU: kaiming_normal_ with the linear gain; Keras
//                                     truncates at 2σ, we do not)
//   normal(std)     N(0, std²)       uniform(a)     U(±a)       zeros
// Biases start at 0 (as Keras does). PyTorch's nn.Linear would draw them from U(±1/√fan_in); a layer's bias
// matters little next to its weights, and zeros make "what the init does" easier to see.
import type { ActivationName, InitName, InitSpec } from '../types';
import { ACTIVATIONS } from '../activations/activations';
import type { Rng } from './rng';

export const INIT_NAMES: InitName[] = [
  'xavier_uniform', 'xavier_normal', 'he_uniform', 'he_normal', 'lecun_normal', 'normal', 'uniform', 'zeros',
];

export const DEFAULT_NORMAL_STD = 0.01;
export const DEFAULT_UNIFORM_A = 0.05;

/** What a weight's entries are drawn from, for given fans. */
export interface InitDistribution {
  kind: 'normal' | 'uniform' | 'zeros';
  /** Standard deviation (normal) or half-width (uniform). */
  scale: number;
}

export function initDistribution(spec: InitSpec, fanIn: number, fanOut: number): InitDistribution {
  switch (spec.type) {
    case 'xavier_uniform':
      return { kind: 'uniform', scale: Math.sqrt(6 / (fanIn + fanOut)) };
    case 'xavier_normal':
      return { kind: 'normal', scale: Math.sqrt(2 / (fanIn + fanOut)) };
    case 'he_uniform':
      return { kind: 'uniform', scale: Math.sqrt(6 / fanIn) };
    case 'he_normal':
      return { kind: 'normal', scale: Math.sqrt(2 / fanIn) };
    case 'lecun_normal':
      return { kind: 'normal', scale: Math.sqrt(1 / fanIn) };
    case 'normal':
      return { kind: 'normal', scale: spec.std ?? DEFAULT_NORMAL_STD };
    case 'uniform':
      return { kind: 'uniform', scale: spec.a ?? DEFAULT_UNIFORM_A };
    case 'zeros':
      return { kind: 'zeros', scale: 0 };
    default:
      return assertNeverInit(spec.type);
  }
}

function assertNeverInit(x: never): never {
  throw new Error(`unknown initialisation ${String(x)}`);
}

/** The standard deviation an init gives each weight (uniform U(±a) has std a/√3). */
export function initStd(spec: InitSpec, fanIn: number, fanOut: number): number {
  const d = initDistribution(spec, fanIn, fanOut);
  return d.kind === 'uniform' ? d.scale / Math.sqrt(3) : d.scale;
}

/** Fill an out × in row-major weight in place, drawing in row-major order. */
export function initWeight(w: Float64Array, fanOut: number, fanIn: number, spec: InitSpec, rng: Rng): void {
  const d = initDistribution(spec, fanIn, fanOut);
  const n = fanOut * fanIn;
  switch (d.kind) {
    case 'zeros':
      w.fill(0, 0, n);
      return;
    case 'normal':
      for (let i = 0; i < n; i++) w[i] = d.scale * rng.normal();
      return;
    case 'uniform':
      for (let i = 0; i < n; i++) w[i] = d.scale * (2 * rng.next() - 1);
      return;
  }
}

/** The init used when a linear layer names none: the one matched to the activation that follows it. */
export function defaultInitFor(activation: ActivationName): InitSpec {
  return { type: ACTIVATIONS[activation].defaultInit };
}
