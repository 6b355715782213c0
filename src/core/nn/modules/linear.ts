// Fully connected layer, PyTorch's nn.Linear layout: weight out × in (row-major), z = x·Wᵀ + b.
import { addBias, columnSums, gemmNN, gemmNT, gemmTN } from '../kernels';
import { SpectralNormEstimator } from '../spectralNorm';
import type { InitSpec } from '../../types';
import { type ForwardMode, type Module, type ParamTensor, type Workspace, sized } from './module';

export interface LinearState {
  z: Float64Array;
}

export class Linear implements Module {
  readonly kind = 'linear';
  readonly params: ParamTensor[];
  readonly weight: ParamTensor;
  readonly bias: ParamTensor | null;
  /** Probe numbering (0 … L−1 input to output, residual blocks depth-first); −1 for a skip projection. */
  layerIndex = -1;
  /** ‖W‖₂ by warm-started power iteration, for the probes' backward split (not touched by training). */
  readonly spectralNorm: SpectralNormEstimator;

  constructor(
    readonly id: number,
    readonly path: string,
    readonly inWidth: number,
    readonly outWidth: number,
    hasBias: boolean,
    readonly init: InitSpec,
    nextParamIndex: () => number,
    role: 'weight' | 'projection' = 'weight',
    /** Where the weight and bias live (the network's arena, or ordinary arrays). */
    alloc: (length: number) => Float64Array = (length) => new Float64Array(length),
  ) {
    this.weight = { index: nextParamIndex(), name: `${path}.${role}`, role, value: alloc(outWidth * inWidth) };
    this.bias = hasBias
      ? { index: nextParamIndex(), name: `${path}.bias`, role: 'bias', value: alloc(outWidth) }
      : null;
    this.params = this.bias ? [this.weight, this.bias] : [this.weight];
    this.spectralNorm = new SpectralNormEstimator(outWidth, inWidth);
  }

  allocate(ws: Workspace, capacity: number): void {
    const old = ws.states[this.id] as LinearState | undefined;
    ws.states[this.id] = { z: sized(old?.z, capacity * this.outWidth, ws) } satisfies LinearState;
  }

  forward(ws: Workspace, x: Float64Array, n: number, _mode: ForwardMode): Float64Array {
    const st = ws.states[this.id] as LinearState;
    const z = st.z;
    const out = this.outWidth;
    gemmNT(n, out, this.inWidth, x, this.weight.value, z);
    if (this.bias) addBias(z, this.bias.value, n, out);
    ws.outputs[this.id] = z;
    return z;
  }

  backward(ws: Workspace, x: Float64Array, g: Float64Array, gradIn: Float64Array | null, n: number): void {
    // (Σ (∂L/∂z)², the probes' deltaNorm, is Sequential.backward's ws.gradOutSq[this.id]: not summed twice.)
    const out = this.outWidth;
    gemmTN(out, this.inWidth, n, g, x, ws.grads[this.weight.index]);
    if (this.bias) columnSums(g, n, out, ws.grads[this.bias.index]);
    if (gradIn) gemmNN(n, this.inWidth, out, g, this.weight.value, gradIn);
  }
}
