// The function the network computes, over the data's range, for drawing: a curve (1 input), a grid (2 inputs) or
// predicted-vs-actual pairs (more inputs). Inputs are given in original units and standardised as the trainer's
// data was.
import { defaultLossFor, outputToProbabilities } from './losses';
import { Network } from './network';
import { Trainer } from './trainer';
import type { FunctionView, LossName, PreparedData } from '../types';

export const CURVE_POINTS = 256;
export const GRID_SIZE = 64;
export const SCATTER_LIMIT = 2000;
/** Share of the data's range added on each side of the drawn range. */
export const RANGE_PADDING = 0.05;

/** Min and max of one input column over both splits, in original units, padded. */
function inputRange(data: PreparedData, col: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of [data.train, data.val]) {
    for (let i = 0; i < s.n; i++) {
      const v = s.x[i * data.d + col] * data.std[col] + data.mean[col];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!Number.isFinite(lo)) return [-1, 1];
  const pad = hi > lo ? (hi - lo) * RANGE_PADDING : 1;
  return [lo - pad, hi + pad];
}

export function functionView(source: Trainer | Network, data: PreparedData, loss?: LossName): FunctionView {
  const network = source instanceof Trainer ? source.network : source;
  const lossName = loss ?? (source instanceof Trainer ? source.spec.loss : defaultLossFor(data.task));
  const k = network.outputs;
  const d = data.d;
  if (d === 1) {
    const [lo, hi] = inputRange(data, 0);
    const xs: number[] = [];
    const input = new Float64Array(CURVE_POINTS);
    for (let i = 0; i < CURVE_POINTS; i++) {
      const x = lo + ((hi - lo) * i) / (CURVE_POINTS - 1);
      xs.push(x);
      input[i] = (x - data.mean[0]) / data.std[0];
    }
    const p = outputToProbabilities(lossName, network.predict(input, CURVE_POINTS), CURVE_POINTS, k);
    let ys: number[][];
    if (lossName === 'bce') {
      const p1 = Array.from({ length: CURVE_POINTS }, (_, i) => p[i * k]);
      ys = [p1.map((v) => 1 - v), p1];
    } else {
      ys = Array.from({ length: k }, (_, j) => Array.from({ length: CURVE_POINTS }, (_, i) => p[i * k + j]));
    }
    return { kind: 'curve', xs, ys };
  }
  if (d === 2) {
    const xRange = inputRange(data, 0);
    const yRange = inputRange(data, 1);
    const size = GRID_SIZE;
    const cells = size * size;
    const input = new Float64Array(cells * 2);
    for (let r = 0; r < size; r++) {
      const yv = yRange[0] + ((yRange[1] - yRange[0]) * r) / (size - 1);
      for (let c = 0; c < size; c++) {
        const xv = xRange[0] + ((xRange[1] - xRange[0]) * c) / (size - 1);
        const cell = r * size + c;
        input[cell * 2] = (xv - data.mean[0]) / data.std[0];
        input[cell * 2 + 1] = (yv - data.mean[1]) / data.std[1];
      }
    }
    const p = outputToProbabilities(lossName, network.predict(input, cells), cells, k);
    const values: number[] = new Array(cells);
    if (lossName === 'cross_entropy') {
      const classes: number[] = new Array(cells);
      for (let cell = 0; cell < cells; cell++) {
        let best = 0;
        for (let j = 1; j < k; j++) if (p[cell * k + j] > p[cell * k + best]) best = j;
        classes[cell] = best;
        values[cell] = p[cell * k + best];
      }
      return { kind: 'grid', xRange, yRange, size, values, classes };
    }
    for (let cell = 0; cell < cells; cell++) values[cell] = p[cell * k];
    return { kind: 'grid', xRange, yRange, size, values };
  }
  // More inputs: predicted against actual, validation rows first, at most SCATTER_LIMIT pairs.
  const predicted: number[] = [];
  const actual: number[] = [];
  for (const s of [data.val, data.train]) {
    const rows = Math.min(s.n, SCATTER_LIMIT - predicted.length);
    if (rows <= 0) break;
    const p = outputToProbabilities(lossName, network.predict(s.x, rows), rows, k);
    for (let i = 0; i < rows; i++) {
      if (lossName === 'cross_entropy') {
        let best = 0;
        for (let j = 1; j < k; j++) if (p[i * k + j] > p[i * k + best]) best = j;
        predicted.push(best);
      } else predicted.push(p[i * k]);
      actual.push(s.y[i]);
    }
  }
  return { kind: 'scatter', predicted, actual };
}
