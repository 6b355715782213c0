// A chain of modules (nn.Sequential) and the residual block built on it.
import { gemmNN, gemmNT, gemmTN } from '../kernels';
import type { Linear } from './linear';
import { type ForwardMode, type Module, type ParamTensor, type Workspace, sized, sumOfSquares } from './module';

interface SequentialState {
  /** Two ∂L/∂(intermediate) buffers used in turn during backward, rows × widest input. */
  gradA: Float64Array;
  gradB: Float64Array;
}

export class Sequential implements Module {
  readonly kind = 'sequential';
  readonly params: ParamTensor[] = [];
  private readonly maxInnerWidth: number;

  constructor(
    readonly id: number,
    readonly path: string,
    readonly inWidth: number,
    readonly modules: Module[],
  ) {
    // Gradient buffers are needed for the inputs of modules 1 … k−1.
    let w = 0;
    for (let i = 1; i < modules.length; i++) w = Math.max(w, modules[i].inWidth);
    this.maxInnerWidth = w;
  }

  get outWidth(): number {
    return this.modules.length ? this.modules[this.modules.length - 1].outWidth : this.inWidth;
  }

  allocate(ws: Workspace, capacity: number): void {
    const old = ws.states[this.id] as SequentialState | undefined;
    const len = capacity * this.maxInnerWidth;
    ws.states[this.id] = { gradA: sized(old?.gradA, len, ws), gradB: sized(old?.gradB, len, ws) } satisfies SequentialState;
    for (const m of this.modules) m.allocate(ws, capacity);
  }

  forward(ws: Workspace, x: Float64Array, n: number, mode: ForwardMode): Float64Array {
    let cur = x;
    for (const m of this.modules) cur = m.forward(ws, cur, n, mode);
    ws.outputs[this.id] = cur;
    return cur;
  }

  backward(ws: Workspace, x: Float64Array, g: Float64Array, gradIn: Float64Array | null, n: number): void {
    const mods = this.modules;
    // The squared norm of every gradient handed between modules, once each (see Workspace.gradOutSq).
    let curSq = sumOfSquares(g, n * this.outWidth);
    ws.gradOutSq[this.id] = curSq;
    if (mods.length === 0) {
      if (gradIn) {
        gradIn.set(g.subarray(0, n * this.inWidth));
        ws.gradInSq[this.id] = curSq;
      }
      return;
    }
    const st = ws.states[this.id] as SequentialState;
    let cur = g;
    for (let i = mods.length - 1; i >= 0; i--) {
      const m = mods[i];
      const input = i === 0 ? x : ws.outputs[mods[i - 1].id];
      const target = i === 0 ? gradIn : cur === st.gradA ? st.gradB : st.gradA;
      m.backward(ws, input, cur, target, n);
      ws.gradOutSq[m.id] = curSq;
      if (target) {
        cur = target;
        curSq = sumOfSquares(target, n * m.inWidth);
        ws.gradInSq[m.id] = curSq;
      }
    }
    if (gradIn) ws.gradInSq[this.id] = curSq;
  }
}

interface ResidualState {
  y: Float64Array;
}

/** output = input + block(input), with a bias-free linear projection on the skip path when widths differ. */
export class Residual implements Module {
  readonly kind = 'residual';
  readonly params: ParamTensor[];

  constructor(
    readonly id: number,
    readonly path: string,
    readonly block: Sequential,
    /** Present when block.outWidth ≠ block.inWidth; its weight is outWidth × inWidth. */
    readonly projection: Linear | null,
  ) {
    this.params = projection ? [projection.weight] : [];
  }

  get inWidth(): number {
    return this.block.inWidth;
  }

  get outWidth(): number {
    return this.block.outWidth;
  }

  allocate(ws: Workspace, capacity: number): void {
    const old = ws.states[this.id] as ResidualState | undefined;
    ws.states[this.id] = { y: sized(old?.y, capacity * this.outWidth, ws) } satisfies ResidualState;
    this.block.allocate(ws, capacity);
  }

  forward(ws: Workspace, x: Float64Array, n: number, mode: ForwardMode): Float64Array {
    const st = ws.states[this.id] as ResidualState;
    const h = this.block.forward(ws, x, n, mode);
    const y = st.y;
    const len = n * this.outWidth;
    if (this.projection) {
      gemmNT(n, this.outWidth, this.inWidth, x, this.projection.weight.value, y);
      for (let i = 0; i < len; i++) y[i] += h[i];
    } else {
      for (let i = 0; i < len; i++) y[i] = x[i] + h[i];
    }
    ws.outputs[this.id] = y;
    return y;
  }

  backward(ws: Workspace, x: Float64Array, g: Float64Array, gradIn: Float64Array | null, n: number): void {
    this.block.backward(ws, x, g, gradIn, n);
    if (this.projection) {
      gemmTN(this.outWidth, this.inWidth, n, g, x, ws.grads[this.projection.weight.index]);
      if (gradIn) {
        if (this.block.modules.length === 0) gradIn.fill(0, 0, n * this.inWidth);
        gemmNN(n, this.inWidth, this.outWidth, g, this.projection.weight.value, gradIn, true);
      }
    } else if (gradIn) {
      const len = n * this.inWidth;
      for (let i = 0; i < len; i++) gradIn[i] += g[i];
    }
  }
}
