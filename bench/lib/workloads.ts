// The three training workloads of `npm run bench` (issue 2, "Speed"): same data, architecture, batch size and
// plain SGD for every library. Data is generated from a fixed seed so every library sees the same numbers.

export type BenchActivation = 'tanh' | 'sigmoid' | 'relu';

export interface Workload {
  id: 'W1' | 'W2' | 'W3';
  title: string;
  inputs: number;
  /** Hidden layer widths, each followed by `activation`; the output layer (1 unit) is linear. */
  hidden: number[];
  activation: BenchActivation;
  samples: number;
  batchSize: number;
  learningRate: number;
}

export const workloads: Workload[] = [
  { id: 'W1', title: '2-8-8-1 tanh', inputs: 2, hidden: [8, 8], activation: 'tanh', samples: 500, batchSize: 10, learningRate: 0.05 },
  {
    id: 'W2', title: '1-(16×32 sigmoid)-1', inputs: 1, hidden: new Array<number>(16).fill(32), activation: 'sigmoid',
    samples: 1000, batchSize: 32, learningRate: 0.05,
  },
  {
    id: 'W3', title: '8-256-256-256-1 relu', inputs: 8, hidden: [256, 256, 256], activation: 'relu',
    samples: 10000, batchSize: 256, learningRate: 0.01,
  },
];

export interface BenchData {
  /** samples × inputs, row-major */
  x: Float64Array;
  /** samples targets */
  y: Float64Array;
}

/** Inputs uniform in [-1, 1), target a smooth function of them (a sum of sines), from a fixed LCG seed. */
export function makeData(w: Workload): BenchData {
  const x = new Float64Array(w.samples * w.inputs);
  const y = new Float64Array(w.samples);
  let s = 20240601;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  };
  for (let i = 0; i < w.samples; i++) {
    let target = 0;
    for (let d = 0; d < w.inputs; d++) {
      const v = next();
      x[i * w.inputs + d] = v;
      target += Math.sin(2 * v + d) / w.inputs;
    }
    y[i] = target;
  }
  return { x, y };
}

/** Layer widths from input to output, e.g. [2, 8, 8, 1]. */
export function widths(w: Workload): number[] {
  return [w.inputs, ...w.hidden, 1];
}

/**
 * Nominal dense FLOPs to train on one sample: forward Z = X·Wᵀ, weight gradient dW = dZᵀ·X, and input gradient
 * dX = dZ·W for every layer but the first (nobody needs ∂L/∂input). 2 FLOPs per multiply-add. Element-wise work
 * (bias, activation, loss, update) is not counted, so "GFLOP/s" is a lower bound on the work actually done.
 */
export function flopsPerSample(w: Workload): number {
  const ws = widths(w);
  let macs = 0;
  for (let l = 0; l + 1 < ws.length; l++) {
    const layer = ws[l] * ws[l + 1];
    macs += l === 0 ? 2 * layer : 3 * layer;
  }
  return 2 * macs;
}
