// A bare MLP training step written straight on the kernels: forward, MSE, backward, plain SGD, preallocated.
// Not the engine: it is the ceiling the engine's own loop (src/core) can be compared with, and a way to measure
// kernel changes end to end. Selected with `npm run bench -- training --libs kernel-mlp`.
import { gemmNN, gemmNT, gemmTN } from '../../src/core/nn/kernels';
import { type BenchData, type Workload, widths } from './workloads';
import type { Runner } from './runner';

export function kernelMlp(w: Workload, data: BenchData): Runner {
  const ws = widths(w);
  const layers = ws.length - 1;
  const bs = w.batchSize;
  const weights = ws.slice(1).map((out, l) => {
    const fanIn = ws[l];
    const m = new Float64Array(out * fanIn);
    let s = 12345 + l;
    for (let i = 0; i < m.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      m[i] = (s / 2147483648 - 1) * Math.sqrt(3 / fanIn);
    }
    return m;
  });
  const biases = ws.slice(1).map(out => new Float64Array(out));
  const gradW = weights.map(m => new Float64Array(m.length));
  const gradB = biases.map(b => new Float64Array(b.length));
  // acts[l]: input of layer l (acts[0] is the batch), batch × ws[l]
  const acts = ws.map(u => new Float64Array(bs * u));
  const deltas = ws.map(u => new Float64Array(bs * u));
  const act = w.activation;
  let next = 0;

  return {
    note: 'bare kernel loop, float64 (upper bound, not the engine)',
    step(): number {
      const end = Math.min(w.samples, next + bs);
      const n = end - next;
      acts[0].set(data.x.subarray(next * w.inputs, end * w.inputs));
      for (let l = 0; l < layers; l++) {
        const inW = ws[l], outW = ws[l + 1];
        const z = acts[l + 1];
        gemmNT(n, outW, inW, acts[l], weights[l], z);
        const b = biases[l];
        const last = l === layers - 1;
        for (let r = 0; r < n; r++) {
          const o = r * outW;
          for (let j = 0; j < outW; j++) {
            const v = z[o + j] + b[j];
            z[o + j] = last ? v : act === 'relu' ? (v > 0 ? v : 0) : act === 'tanh' ? Math.tanh(v) : 1 / (1 + Math.exp(-v));
          }
        }
      }
      const out = acts[layers];
      const dOut = deltas[layers];
      for (let r = 0; r < n; r++) dOut[r] = (2 / n) * (out[r] - data.y[next + r]);
      for (let l = layers - 1; l >= 0; l--) {
        const inW = ws[l], outW = ws[l + 1];
        const d = deltas[l + 1];
        gemmTN(outW, inW, n, d, acts[l], gradW[l]);
        const gb = gradB[l];
        gb.fill(0);
        for (let r = 0; r < n; r++) for (let j = 0; j < outW; j++) gb[j] += d[r * outW + j];
        if (l > 0) {
          const dx = deltas[l];
          gemmNN(n, inW, outW, d, weights[l], dx);
          const a = acts[l];
          for (let t = 0; t < n * inW; t++) {
            const v = a[t];
            dx[t] *= act === 'relu' ? (v > 0 ? 1 : 0) : act === 'tanh' ? 1 - v * v : v * (1 - v);
          }
        }
        const W = weights[l], G = gradW[l], lr = w.learningRate;
        for (let t = 0; t < W.length; t++) W[t] -= lr * G[t];
        const B = biases[l];
        for (let j = 0; j < outW; j++) B[j] -= lr * gb[j];
      }
      next = end % w.samples;
      return n;
    },
  };
}
