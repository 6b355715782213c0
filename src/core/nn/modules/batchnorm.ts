// Batch normalisation over features (PyTorch's BatchNorm1d): batch statistics with a biased variance in training,
// running estimates (momentum m, unbiased variance) in evaluation.
import { type ForwardMode, type Module, type ParamTensor, type Workspace, sized } from './module';

export interface BatchNormState {
  y: Float64Array;
  xhat: Float64Array;
  invStd: Float64Array;
  /** Whether the last forward normalised with batch statistics (train/batchStats) or running ones (eval). */
  usedBatchStats: boolean;
}

export class BatchNorm implements Module {
  readonly kind = 'batchnorm';
  readonly params: ParamTensor[];
  readonly gamma: ParamTensor;
  readonly beta: ParamTensor;
  readonly runningMean: Float64Array;
  readonly runningVar: Float64Array;

  constructor(
    readonly id: number,
    readonly path: string,
    readonly width: number,
    readonly momentum: number,
    readonly eps: number,
    nextParamIndex: () => number,
  ) {
    this.gamma = { index: nextParamIndex(), name: `${path}.weight`, role: 'gamma', value: new Float64Array(width).fill(1) };
    this.beta = { index: nextParamIndex(), name: `${path}.bias`, role: 'beta', value: new Float64Array(width) };
    this.params = [this.gamma, this.beta];
    this.runningMean = new Float64Array(width);
    this.runningVar = new Float64Array(width).fill(1);
  }

  get inWidth(): number {
    return this.width;
  }

  get outWidth(): number {
    return this.width;
  }

  reset(): void {
    this.gamma.value.fill(1);
    this.beta.value.fill(0);
    this.runningMean.fill(0);
    this.runningVar.fill(1);
  }

  allocate(ws: Workspace, capacity: number): void {
    const old = ws.states[this.id] as BatchNormState | undefined;
    const len = capacity * this.width;
    ws.states[this.id] = {
      y: sized(old?.y, len, ws), // in the arena: the activation after it runs on the resident engine
      xhat: sized(old?.xhat, len),
      invStd: sized(old?.invStd, this.width),
      usedBatchStats: false,
    } satisfies BatchNormState;
  }

  forward(ws: Workspace, x: Float64Array, n: number, mode: ForwardMode): Float64Array {
    const st = ws.states[this.id] as BatchNormState;
    const w = this.width;
    const gamma = this.gamma.value;
    const beta = this.beta.value;
    const { y, xhat, invStd } = st;
    st.usedBatchStats = mode !== 'eval';
    for (let j = 0; j < w; j++) {
      let mean: number;
      let inv: number;
      if (mode === 'eval') {
        mean = this.runningMean[j];
        inv = 1 / Math.sqrt(this.runningVar[j] + this.eps);
      } else {
        let s = 0;
        for (let i = 0; i < n; i++) s += x[i * w + j];
        mean = s / n;
        let ss = 0;
        for (let i = 0; i < n; i++) {
          const d = x[i * w + j] - mean;
          ss += d * d;
        }
        const biasedVar = ss / n;
        inv = 1 / Math.sqrt(biasedVar + this.eps);
        if (mode === 'train') {
          const m = this.momentum;
          const unbiasedVar = n > 1 ? ss / (n - 1) : biasedVar;
          this.runningMean[j] = (1 - m) * this.runningMean[j] + m * mean;
          this.runningVar[j] = (1 - m) * this.runningVar[j] + m * unbiasedVar;
        }
      }
      invStd[j] = inv;
      const gj = gamma[j];
      const bj = beta[j];
      for (let i = 0; i < n; i++) {
        const k = i * w + j;
        const h = (x[k] - mean) * inv;
        xhat[k] = h;
        y[k] = gj * h + bj;
      }
    }
    ws.outputs[this.id] = y;
    return y;
  }

  backward(ws: Workspace, _x: Float64Array, g: Float64Array, gradIn: Float64Array | null, n: number): void {
    const st = ws.states[this.id] as BatchNormState;
    const w = this.width;
    const gamma = this.gamma.value;
    const dGamma = ws.grads[this.gamma.index];
    const dBeta = ws.grads[this.beta.index];
    const { xhat, invStd } = st;
    for (let j = 0; j < w; j++) {
      let sumG = 0;
      let sumGx = 0;
      for (let i = 0; i < n; i++) {
        const k = i * w + j;
        sumG += g[k];
        sumGx += g[k] * xhat[k];
      }
      dGamma[j] = sumGx;
      dBeta[j] = sumG;
      if (!gradIn) continue;
      const scale = gamma[j] * invStd[j];
      if (st.usedBatchStats) {
        // ∂L/∂x = γ/(N·√(σ² + ε))·(N·g − Σg − x̂·Σ(g·x̂))  (THEORY.md)
        const meanG = sumG / n;
        const meanGx = sumGx / n;
        for (let i = 0; i < n; i++) {
          const k = i * w + j;
          gradIn[k] = scale * (g[k] - meanG - xhat[k] * meanGx);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const k = i * w + j;
          gradIn[k] = scale * g[k];
        }
      }
    }
  }
}
