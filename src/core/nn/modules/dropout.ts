// Inverted dropout: in training each unit is kept with probability 1 − p and scaled by 1/(1 − p), so evaluation
// needs no rescaling and simply passes the input through.
import type { Rng } from '../rng';
import { type ForwardMode, type Module, type ParamTensor, type Workspace, sized } from './module';

export interface DropoutState {
  y: Float64Array;
  /** 0 or 1/(1 − p) per element of the last training pass. */
  mask: Float64Array;
  /** Whether the last forward applied a mask (train mode) or passed the input through. */
  masked: boolean;
}

export class Dropout implements Module {
  readonly kind = 'dropout';
  readonly params: ParamTensor[] = [];
  /** Tests: a fixed keep-mask (1 keep, 0 drop; row-major rows × width) used instead of random draws. */
  fixedMask: Float64Array | null = null;

  constructor(
    readonly id: number,
    readonly path: string,
    readonly width: number,
    readonly p: number,
    private readonly rng: () => Rng,
  ) {}

  get inWidth(): number {
    return this.width;
  }

  get outWidth(): number {
    return this.width;
  }

  allocate(ws: Workspace, capacity: number): void {
    const old = ws.states[this.id] as DropoutState | undefined;
    const len = capacity * this.width;
    ws.states[this.id] = { y: sized(old?.y, len, ws), mask: sized(old?.mask, len), masked: false } satisfies DropoutState;
  }

  forward(ws: Workspace, x: Float64Array, n: number, mode: ForwardMode): Float64Array {
    const st = ws.states[this.id] as DropoutState;
    if (mode !== 'train' || this.p <= 0) {
      st.masked = false;
      ws.outputs[this.id] = x;
      return x;
    }
    st.masked = true;
    const len = n * this.width;
    const keep = this.p >= 1 ? 0 : 1 / (1 - this.p);
    const { mask, y } = st;
    if (this.fixedMask) {
      for (let i = 0; i < len; i++) mask[i] = this.fixedMask[i] !== 0 ? keep : 0;
    } else {
      const rng = this.rng();
      for (let i = 0; i < len; i++) mask[i] = rng.next() < this.p ? 0 : keep;
    }
    for (let i = 0; i < len; i++) y[i] = x[i] * mask[i];
    ws.outputs[this.id] = y;
    return y;
  }

  backward(ws: Workspace, _x: Float64Array, g: Float64Array, gradIn: Float64Array | null, n: number): void {
    if (!gradIn) return;
    const st = ws.states[this.id] as DropoutState;
    const len = n * this.width;
    if (!st.masked) {
      gradIn.set(g.subarray(0, len));
      return;
    }
    const mask = st.mask;
    for (let i = 0; i < len; i++) gradIn[i] = g[i] * mask[i];
  }
}
