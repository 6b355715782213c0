// Shared test helpers: central finite differences over a network's parameters and inputs.
import { computeLoss } from '../../../../src/core/nn/losses';
import { Network, type ForwardMode, type Workspace } from '../../../../src/core/nn/network';
import { Rng } from '../../../../src/core/nn/rng';
import type { LossName } from '../../../../src/core/types';

export function randomArray(n: number, rng: Rng, scale = 1): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = scale * rng.normal();
  return a;
}

/**
 * ‖a − b‖ / max(‖a‖, ‖b‖, floor). The floor keeps a gradient that is 0 in exact arithmetic (a bias feeding
 * batch norm) from turning rounding noise into a relative error of 1.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-8): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(Math.max(na, nb)), floor);
}

export interface GradCheckResult {
  /** Worst relative error over parameter tensors, and over the input gradient. */
  params: { name: string; error: number; norm: number }[];
  input: number;
}

/**
 * Compare backprop gradients of mean loss (against targets y) with central differences, for every parameter
 * tensor and for the input. Running statistics are restored after each evaluation so train-mode batch norm can
 * be checked too.
 */
export function gradCheck(
  net: Network, x: Float64Array, y: Float64Array, n: number, loss: LossName, mode: ForwardMode, h = 1e-5,
): GradCheckResult {
  const ws: Workspace = net.createWorkspace(n);
  const saved = net.saveState();
  const lossAt = (): number => {
    const out = net.forward(ws, x, n, mode);
    const l = computeLoss(loss, out, y, n, net.outputs, null);
    // Undo running-statistic updates so every evaluation sees the same network.
    const now = net.saveState();
    for (let k = net.parameters.length; k < saved.length; k++) now[k] = saved[k];
    net.restoreState(now);
    return l;
  };
  const out = net.forward(ws, x, n, mode);
  computeLoss(loss, out, y, n, net.outputs, ws.outputGrad);
  const inputGrad = new Float64Array(x.length);
  net.backward(ws, x, inputGrad);
  const analytic = ws.grads.map((g) => g.slice());
  const restore = net.saveState();
  for (let k = net.parameters.length; k < restore.length; k++) restore[k] = saved[k];
  net.restoreState(restore);

  const params = net.parameters.map((p) => {
    const numeric = new Float64Array(p.value.length);
    for (let i = 0; i < p.value.length; i++) {
      const old = p.value[i];
      p.value[i] = old + h;
      const up = lossAt();
      p.value[i] = old - h;
      const down = lossAt();
      p.value[i] = old;
      numeric[i] = (up - down) / (2 * h);
    }
    let norm = 0;
    for (const v of analytic[p.index]) norm += v * v;
    return { name: p.name, error: relativeError(analytic[p.index], numeric), norm: Math.sqrt(norm) };
  });
  const numericInput = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const old = x[i];
    x[i] = old + h;
    const up = lossAt();
    x[i] = old - h;
    const down = lossAt();
    x[i] = old;
    numericInput[i] = (up - down) / (2 * h);
  }
  return { params, input: relativeError(inputGrad, numericInput) };
}

export { Network, Rng };

import type { PreparedData, Task } from '../../../../src/core/types';

/**
 * A small PreparedData from a target function over d N(0, 1) inputs (already standardised: mean 0, std 1).
 * Classification targets come from `target` rounded down into [0, classes).
 */
export function makeData(
  n: number, d: number, target: (x: Float64Array) => number, opts: { task?: Task; classes?: number; valShare?: number; seed?: number } = {},
): PreparedData {
  const task = opts.task ?? 'regression';
  const rng = new Rng(opts.seed ?? 1);
  const nVal = Math.round(n * (opts.valShare ?? 0.2));
  const split = (rows: number) => {
    const x = randomArray(rows * d, rng);
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) y[i] = target(x.subarray(i * d, i * d + d));
    return { n: rows, x, y };
  };
  const classes = task === 'binary' ? 2 : task === 'multiclass' ? opts.classes ?? 3 : 0;
  return {
    task, d,
    outputs: task === 'multiclass' ? classes : 1,
    inputNames: Array.from({ length: d }, (_, i) => `x${i}`),
    targetName: 'y',
    classes: classes ? Array.from({ length: classes }, (_, i) => `c${i}`) : undefined,
    train: split(n - nVal),
    val: split(nVal),
    mean: new Float64Array(d),
    std: new Float64Array(d).fill(1),
    notes: [],
  };
}
