// What every module of the network shares: widths, parameters, and per-workspace buffers.
// Parameters live in the module (one copy); everything that depends on a batch (outputs, saved statistics,
// parameter gradients) lives in a Workspace, so a training pass, an evaluation pass and a diagnostic pass never
// overwrite each other's buffers.
import type { Arena } from '../arena';
import { addSquares } from '../kernels';

/**
 * How a forward pass treats batch-dependent modules:
 * - `train`: batch norm uses batch statistics and updates its running estimates; dropout draws a mask.
 * - `eval`: batch norm uses its running estimates; dropout is off.
 * - `batchStats`: batch norm uses batch statistics but changes nothing; dropout is off (the step-0 diagnostics).
 */
export type ForwardMode = 'train' | 'eval' | 'batchStats';

export type ParamRole = 'weight' | 'bias' | 'gamma' | 'beta' | 'slope' | 'projection';

/** One learned tensor. `index` is its position in Network.parameters and Workspace.grads. */
export interface ParamTensor {
  index: number;
  /** Spec path plus role, e.g. "layers[2].weight". */
  name: string;
  role: ParamRole;
  value: Float64Array;
}

/** Per-pass buffers of every module, sized for `capacity` rows. */
export class Workspace {
  capacity = 0;
  /** Rows of the last forward pass and how it ran. */
  batch = 0;
  mode: ForwardMode = 'eval';
  /** Module state by module id (each module knows its own type). */
  readonly states: unknown[] = [];
  /** Output of each module in the last forward pass, by module id (may alias its input for identity passes). */
  readonly outputs: Float64Array[] = [];
  /** ∂L/∂θ for each parameter, by ParamTensor.index (overwritten by each backward pass). */
  readonly grads: Float64Array[] = [];
  /** ∂L/∂(network output), rows × outputs: the loss writes it, backward reads it. */
  outputGrad: Float64Array = new Float64Array(0);
  /** Whether grads hold the result of a backward pass over the last forward. */
  hasGradients = false;
  /**
   * By module id, after a backward pass: ‖∂L/∂(module output)‖² and ‖∂L/∂(module input)‖² over the batch
   * (Sequential.backward writes them; the input's is absent where no input gradient was needed). For a residual
   * block's body (a Sequential) the input's is the body's part only, before the skip's is added; for the block
   * itself it is the sum. The probes split each layer's gradient gain with them (BackwardSplit).
   */
  readonly gradOutSq: Float64Array;
  readonly gradInSq: Float64Array;

  constructor(
    readonly paramSizes: readonly number[],
    moduleCount = 0,
    /** Where the workspace's buffers live (the network's arena), or null for ordinary arrays. */
    readonly arena: Arena | null = null,
  ) {
    for (const size of paramSizes) this.grads.push(this.alloc(size));
    this.gradOutSq = new Float64Array(moduleCount);
    this.gradInSq = new Float64Array(moduleCount);
  }

  /** A zeroed array of `length` values, in the arena when there is one. */
  alloc(length: number): Float64Array {
    return this.arena ? this.arena.alloc(length) : new Float64Array(length);
  }
}

/** Σ v[i]² over v[0 … length), in order. */
export function sumOfSquares(v: Float64Array, length: number): number {
  return addSquares(0, v, length);
}

export interface Module {
  readonly id: number;
  readonly kind: 'linear' | 'activation' | 'batchnorm' | 'dropout' | 'residual' | 'sequential';
  /** Spec path, e.g. "layers[3]" or "layers[2].layers[0]". */
  readonly path: string;
  readonly inWidth: number;
  readonly outWidth: number;
  /** Own parameters (not those of children). */
  readonly params: ParamTensor[];
  /** Allocate this module's buffers for `capacity` rows into the workspace. */
  allocate(ws: Workspace, capacity: number): void;
  /** Compute the output for n rows of x (n × inWidth); returns it (n × outWidth). */
  forward(ws: Workspace, x: Float64Array, n: number, mode: ForwardMode): Float64Array;
  /**
   * Given x (the forward input) and g = ∂L/∂output, write parameter gradients into ws.grads and, when gradIn is
   * given, ∂L/∂x into it (gradIn never aliases g).
   */
  backward(ws: Workspace, x: Float64Array, g: Float64Array, gradIn: Float64Array | null, n: number): void;
}

/** Grow-only buffer helper: a new array (in the workspace's arena, when given one) when the old one is too small. */
export function sized(buf: Float64Array | undefined, length: number, ws?: Workspace): Float64Array {
  if (buf && buf.length >= length) return buf;
  return ws ? ws.alloc(length) : new Float64Array(length);
}
