// Optimizers exactly as torch.optim computes them (single-tensor code path), over every learned tensor:
//   sgd / momentum  g ← ∇ + wd·θ;  b ← g (first step) or μ·b + g;  g ← g + μ·b (Nesterov) or b;  θ ← θ − lr·g
//   adam            g ← ∇ + wd·θ (coupled L2);  m, v moments;  θ ← θ − (lr/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε)
//   adamw           θ ← θ·(1 − lr·wd) (decoupled), then Adam without the L2 term
// Gradient clipping is torch.nn.utils.clip_grad_norm_: scale by min(1, max/(‖g‖ + 1e-6)) over all tensors.
import { CoreError } from '../coreError';
import { coreText } from '../messages';
import type { OptimizerName, OptimizerSpec } from '../types';
import { type Arena, byteAt } from './arena';
import { addSquares, residentArena } from './kernels';
import type { ParamTensor } from './modules/module';

export const OPTIMIZER_NAMES: OptimizerName[] = ['sgd', 'momentum', 'adam', 'adamw'];

/** torch.optim defaults. */
export const OPTIMIZER_DEFAULTS = {
  momentum: 0.9,
  betas: [0.9, 0.999] as [number, number],
  eps: 1e-8,
  /** torch.optim.AdamW's default weight decay (the others default to 0). */
  adamwWeightDecay: 0.01,
} as const;

/** The global L2 norm of a set of gradients. */
export function globalGradNorm(grads: readonly Float64Array[]): number {
  let s = 0;
  for (const g of grads) s = addSquares(s, g, g.length);
  return Math.sqrt(s);
}

/** clip_grad_norm_'s scale factor for a given total norm (1 when no clipping applies). */
export function clipScale(totalNorm: number, maxNorm: number | undefined): number {
  if (maxNorm === undefined || !(maxNorm > 0)) return 1;
  return Math.min(1, maxNorm / (totalNorm + 1e-6));
}

export class Optimizer {
  lr: number;
  readonly type: OptimizerName;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly clipNorm: number | undefined;
  /** Steps taken (Adam's t). */
  stepCount = 0;
  /** ‖Δθ‖² of the last step, per parameter (by ParamTensor.index): the probes' update ratio. */
  readonly lastUpdateSq: Float64Array;
  /** The global gradient norm before clipping, of the last step. */
  lastGradNorm = 0;
  private readonly first: Float64Array[];
  private readonly second: Float64Array[];

  /** With an arena (the network's), the momentum and moment buffers live in it beside the weights. */
  constructor(spec: OptimizerSpec, readonly params: readonly ParamTensor[], arena: Arena | null = null) {
    this.type = spec.type;
    this.lr = spec.lr;
    this.momentum = spec.type === 'momentum' ? spec.momentum ?? OPTIMIZER_DEFAULTS.momentum : spec.type === 'sgd' ? spec.momentum ?? 0 : 0;
    this.nesterov = spec.nesterov === true;
    if (this.nesterov && this.momentum <= 0 && (spec.type === 'sgd' || spec.type === 'momentum')) {
      throw new CoreError(coreText('train.nesterovMomentum'));
    }
    this.beta1 = spec.betas?.[0] ?? OPTIMIZER_DEFAULTS.betas[0];
    this.beta2 = spec.betas?.[1] ?? OPTIMIZER_DEFAULTS.betas[1];
    this.eps = spec.eps ?? OPTIMIZER_DEFAULTS.eps;
    this.weightDecay = spec.weightDecay ?? (spec.type === 'adamw' ? OPTIMIZER_DEFAULTS.adamwWeightDecay : 0);
    this.clipNorm = spec.clipNorm;
    const usesFirst = this.type === 'adam' || this.type === 'adamw' || this.momentum !== 0;
    const usesSecond = this.type === 'adam' || this.type === 'adamw';
    const alloc = (length: number): Float64Array => (arena ? arena.alloc(length) : new Float64Array(length));
    this.first = params.map((p) => alloc(usesFirst ? p.value.length : 0));
    this.second = params.map((p) => alloc(usesSecond ? p.value.length : 0));
    this.lastUpdateSq = new Float64Array(params.length);
  }

  /** Forget momentum and moment estimates (after a reset of the network). */
  reset(): void {
    this.stepCount = 0;
    for (const b of this.first) b.fill(0);
    for (const b of this.second) b.fill(0);
    this.lastUpdateSq.fill(0);
    this.lastGradNorm = 0;
  }

  /**
   * One update from grads (by ParamTensor.index). Clipping is applied as a scale inside the update, so the
   * gradients themselves stay as computed (the probes report them unclipped). Returns the pre-clip global norm
   * (pass it in when already known).
   */
  step(grads: readonly Float64Array[], precomputedNorm?: number): number {
    const norm = precomputedNorm ?? globalGradNorm(grads);
    this.lastGradNorm = norm;
    const scale = clipScale(norm, this.clipNorm);
    this.stepCount++;
    const t = this.stepCount;
    const lr = this.lr;
    const wd = this.weightDecay;
    for (const p of this.params) {
      const theta = p.value;
      const g = grads[p.index];
      const len = theta.length;
      let updateSq = 0;
      // In the arena, all but an odd last element run in engine.wat (f64x2, the same operations per element, Σ Δθ²
      // in order); the loops below then finish from `start`.
      let start = 0;
      const even = len - (len % 2);
      switch (this.type) {
        case 'sgd':
        case 'momentum': {
          const mu = this.momentum;
          const buf = this.first[p.index];
          const ar = even > 0 ? residentArena(theta, g, mu !== 0 ? buf : undefined) : undefined;
          if (ar) {
            updateSq = ar.kernels.sgd(byteAt(theta), byteAt(g), byteAt(buf), even, scale, wd, lr, mu, t === 1 ? 1 : 0, this.nesterov ? 1 : 0);
            start = even;
          }
          for (let i = start; i < len; i++) {
            let d = g[i] * scale + wd * theta[i];
            if (mu !== 0) {
              buf[i] = t === 1 ? d : mu * buf[i] + d;
              d = this.nesterov ? d + mu * buf[i] : buf[i];
            }
            const old = theta[i];
            theta[i] = old - lr * d;
            const delta = theta[i] - old;
            updateSq += delta * delta;
          }
          break;
        }
        case 'adam':
        case 'adamw': {
          const b1 = this.beta1;
          const b2 = this.beta2;
          const m = this.first[p.index];
          const v = this.second[p.index];
          const stepSize = lr / (1 - Math.pow(b1, t));
          const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
          const decoupled = this.type === 'adamw';
          const ar = even > 0 ? residentArena(theta, g, m) : undefined;
          if (ar && residentArena(theta, v) === ar) {
            updateSq = ar.kernels.adam(
              byteAt(theta), byteAt(g), byteAt(m), byteAt(v), even, scale, wd, 1 - lr * wd, b1, 1 - b1, b2, 1 - b2,
              stepSize, bc2Sqrt, this.eps, decoupled ? 1 : 0,
            );
            start = even;
          }
          for (let i = start; i < len; i++) {
            const old = theta[i];
            let th = old;
            let d = g[i] * scale;
            if (decoupled) th = th * (1 - lr * wd);
            else d += wd * th;
            m[i] = b1 * m[i] + (1 - b1) * d;
            v[i] = b2 * v[i] + (1 - b2) * d * d;
            th -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + this.eps);
            theta[i] = th;
            const delta = th - old;
            updateSq += delta * delta;
          }
          break;
        }
      }
      this.lastUpdateSq[p.index] = updateSq;
    }
    return norm;
  }
}
