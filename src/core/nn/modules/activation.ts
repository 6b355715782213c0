// Element-wise activation from the table; PReLU carries its learned slope (one per layer or one per unit).
import {
  ACTIVATIONS, type ActivationInfo, type ActivationParams, activationBackward, activationDerivative, activationForward, resolveActivationParams,
} from '../../activations/activations';
import { tanhKernel } from '../../activations/tanhKernel';
import type { ActivationName } from '../../types';
import { Arena, byteAt } from '../arena';
import { residentArena } from '../kernels';
import { type ForwardMode, type Module, type ParamTensor, type Workspace, sized } from './module';

export interface ActivationState {
  a: Float64Array;
  /** f′(z) scratch for the probes. */
  slope: Float64Array;
  /** The input z of the last forward pass (the previous module's output). */
  z: Float64Array;
}

export class Activation implements Module {
  readonly kind = 'activation';
  readonly params: ParamTensor[];
  readonly resolvedParams: ActivationParams;
  /** PReLU only: the learned slopes (length 1 or width). */
  readonly preluSlope: ParamTensor | null;

  constructor(
    readonly id: number,
    readonly path: string,
    readonly width: number,
    readonly name: ActivationName,
    params: Readonly<Record<string, number>> | undefined,
    perUnit: boolean,
    nextParamIndex: () => number,
  ) {
    this.resolvedParams = resolveActivationParams(name, params);
    if (name === 'prelu') {
      const value = new Float64Array(perUnit ? width : 1).fill(this.resolvedParams.slope);
      this.preluSlope = { index: nextParamIndex(), name: `${path}.weight`, role: 'slope', value };
      this.params = [this.preluSlope];
    } else {
      this.preluSlope = null;
      this.params = [];
    }
  }

  get inWidth(): number {
    return this.width;
  }

  get outWidth(): number {
    return this.width;
  }

  get info(): ActivationInfo {
    return ACTIVATIONS[this.name];
  }

  /** Reset the learned slope to its initial value. */
  resetLearned(): void {
    if (this.preluSlope) this.preluSlope.value.fill(this.resolvedParams.slope);
  }

  allocate(ws: Workspace, capacity: number): void {
    const old = ws.states[this.id] as ActivationState | undefined;
    const len = capacity * this.width;
    // f′ scratch is only needed by the probes: allocated on first use (see derivative).
    ws.states[this.id] = { a: sized(old?.a, len, ws), slope: old?.slope ?? new Float64Array(0), z: old?.z ?? new Float64Array(0) } satisfies ActivationState;
  }

  forward(ws: Workspace, x: Float64Array, n: number, _mode: ForwardMode): Float64Array {
    const st = ws.states[this.id] as ActivationState;
    st.z = x;
    const len = n * this.width;
    if (this.preluSlope) {
      const s = this.preluSlope.value;
      const a = st.a;
      const w = this.width;
      if (s.length === 1) {
        const s0 = s[0];
        for (let i = 0; i < len; i++) {
          const v = x[i];
          a[i] = v > 0 ? v : s0 * v;
        }
      } else {
        for (let i = 0, r = 0; r < n; r++) {
          for (let j = 0; j < w; j++, i++) {
            const v = x[i];
            a[i] = v > 0 ? v : s[j] * v;
          }
        }
      }
    } else if ((this.name === 'relu' || this.name === 'tanh') && len >= 16 && residentArena(x, st.a)) {
      // In place in the arena, f64x2 (engine.wat); an odd last element in JS, by the same formula (tanhKernel.ts).
      const even = len - (len % 2);
      const ar = Arena.of(x) as Arena;
      const kernel = this.name === 'relu' ? 'reluForward' : 'tanhForward';
      if (ar.threads !== null) ar.threads.map(kernel, byteAt(x), byteAt(st.a), 0, even);
      else ar.kernels[kernel](byteAt(x), byteAt(st.a), even);
      if (even < len) st.a[even] = this.name === 'relu' ? (x[even] > 0 ? x[even] : 0) : tanhKernel(x[even]);
    } else {
      activationForward(this.name, this.resolvedParams, x, st.a, len);
    }
    ws.outputs[this.id] = st.a;
    return st.a;
  }

  /** f′(z) of the last forward pass into st.slope (also used by the probes). */
  derivative(ws: Workspace, n: number): Float64Array {
    const st = ws.states[this.id] as ActivationState;
    const len = n * this.width;
    st.slope = sized(st.slope, len);
    if (this.preluSlope) {
      const s = this.preluSlope.value;
      const w = this.width;
      for (let i = 0, r = 0; r < n; r++) {
        for (let j = 0; j < w; j++, i++) st.slope[i] = st.z[i] > 0 ? 1 : s[s.length === 1 ? 0 : j];
      }
    } else {
      activationDerivative(this.name, this.resolvedParams, st.z, st.a, st.slope, len);
    }
    return st.slope;
  }

  backward(ws: Workspace, x: Float64Array, g: Float64Array, gradIn: Float64Array | null, n: number): void {
    const st = ws.states[this.id] as ActivationState;
    st.z = x;
    const len = n * this.width;
    if (this.preluSlope) {
      // ∂L/∂a_slope = Σ min(0, z)·δ (over rows, and over units when the slope is shared).
      const s = this.preluSlope.value;
      const ds = ws.grads[this.preluSlope.index];
      ds.fill(0);
      const w = this.width;
      const shared = s.length === 1;
      for (let i = 0, r = 0; r < n; r++) {
        for (let j = 0; j < w; j++, i++) {
          const z = x[i];
          if (z > 0) {
            if (gradIn) gradIn[i] = g[i];
          } else {
            ds[shared ? 0 : j] += z * g[i];
            if (gradIn) gradIn[i] = g[i] * s[shared ? 0 : j];
          }
        }
      }
      return;
    }
    if (!gradIn) return;
    const simd = this.name === 'relu' || this.name === 'tanh' || this.name === 'sigmoid';
    const ar = simd && len >= 4 ? residentArena(x, g, gradIn) : undefined;
    if (ar && Arena.of(st.a) === ar) {
      // f64x2 in the arena; an odd last element by the scalar code.
      const even = len - (len % 2);
      const kernel = this.name === 'relu' ? 'reluBackward' : this.name === 'tanh' ? 'tanhBackward' : 'sigmoidBackward';
      const from = byteAt(this.name === 'relu' ? x : st.a);
      if (ar.threads !== null) ar.threads.map(kernel, from, byteAt(g), byteAt(gradIn), even);
      else ar.kernels[kernel](from, byteAt(g), byteAt(gradIn), even);
      if (even < len) {
        const t = st.a[even];
        gradIn[even] = this.name === 'relu' ? (x[even] > 0 ? g[even] : 0) : this.name === 'tanh' ? g[even] * (1 - t * t) : g[even] * t * (1 - t);
      }
      return;
    }
    activationBackward(this.name, this.resolvedParams, x, st.a, g, gradIn, len);
  }
}
