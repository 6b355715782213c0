// The universal approximation theorem, constructively (Nielsen, "Neural Networks and Deep Learning", ch. 4):
// one hidden layer of sigmoid units, each so steep that σ(w·x + b) is a step at s = −b/w; two steps with output
// weights +h and −h make a bump of height h; N bumps follow any continuous function. In two inputs, x- and y-steps
// combine into towers. Pure: the panel's webview, its worker, the CLI and the tests share these functions.
import { sigmoid } from '../activations/activations';
import { findBuiltinDataset, nielsenFunction } from '../data/builtinDatasets';
import type { ModuleParams } from '../nn/network';

// ---------------------------------------------------------------------------------------------------------------
// One input

/** One hidden sigmoid unit σ(w·x + b) and its weight v into the (linear) output. */
export interface HiddenUnit {
  w: number;
  b: number;
  v: number;
}

/**
 * y(x) = outputBias + Σ v·σ(w·x + b). Units 2k and 2k+1 are bump k (its left and right step); after gradient descent
 * the pair's output weights need no longer be exactly +h and −h, so a bump is always drawn from its two units.
 */
export interface OneHiddenLayerNetwork {
  units: HiddenUnit[];
  outputBias: number;
}

/** The sharpness a built network gets: the sigmoid's 1%–99% rise (|w·(x − s)| < 4.6) spans this share of an interval. */
export const DEFAULT_STEP_WIDTH_SHARE = 0.02;
/** |w·(x − s)| at which σ reaches 1% / 99%. */
const SIGMOID_RISE = Math.log(99);

/** Where the unit's sigmoid crosses ½: s = −b/w (±∞ for a flat unit). */
export function stepPosition(unit: HiddenUnit): number {
  return unit.w === 0 ? (unit.b >= 0 ? -Infinity : Infinity) : -unit.b / unit.w;
}

/** A step at s with steepness w: b = −w·s. */
export function stepUnit(s: number, w: number, v: number): HiddenUnit {
  return { w, b: -w * s, v };
}

/** The steepness that makes a step rise within `share` of an interval of width `interval`. */
export function steepnessFor(interval: number, share = DEFAULT_STEP_WIDTH_SHARE): number {
  return (2 * SIGMOID_RISE) / (share * interval);
}

export function evaluate(network: OneHiddenLayerNetwork, x: number): number {
  let y = network.outputBias;
  for (const u of network.units) y += u.v * sigmoid(u.w * x + u.b);
  return y;
}

/** The contribution of bump k (units 2k, 2k+1) at x. */
export function bumpValue(network: OneHiddenLayerNetwork, bump: number, x: number): number {
  const left = network.units[2 * bump];
  const right = network.units[2 * bump + 1];
  let y = 0;
  if (left) y += left.v * sigmoid(left.w * x + left.b);
  if (right) y += right.v * sigmoid(right.w * x + right.b);
  return y;
}

export function bumpCount(network: OneHiddenLayerNetwork): number {
  return Math.floor(network.units.length / 2);
}

/** Mean squared error of the network on (xs[i], ys[i]). */
export function meanSquaredError(network: OneHiddenLayerNetwork, xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const e = evaluate(network, xs[i]) - ys[i];
    sum += e * e;
  }
  return sum / xs.length;
}

export function dataRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return [0, 1];
  // A single distinct x still gets an interval to put bumps on.
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

/** A built-in set's own function, when "Build N bumps" should take f(midpoint) instead of the data's means. */
export function knownFunctionFor(builtin: string | undefined): ((x: number) => number) | undefined {
  return builtin !== undefined && findBuiltinDataset(builtin)?.name === 'nielsen' ? nielsenFunction : undefined;
}

/** Where the heights come from: the data (mean target per interval) or a known function (its value at the midpoint). */
export type HeightSource = { kind: 'data'; xs: ArrayLike<number>; ys: ArrayLike<number> } | { kind: 'function'; f: (x: number) => number };

export interface BuildOptions {
  /** Interval to cover; default the data's x range (required for a function source). */
  range?: [number, number];
  /** Steepness of every step; default steepnessFor(interval width). */
  steepness?: number;
}

/** The intervals' boundaries a + kΔ, k = 0 … N. */
export function intervalBoundaries(range: [number, number], n: number): number[] {
  const [a, b] = range;
  const out: number[] = [];
  for (let k = 0; k <= n; k++) out.push(k === n ? b : a + ((b - a) * k) / n);
  return out;
}

/** Mean target per interval; an empty interval takes the nearest non-empty one's mean (0 with no data at all). */
export function intervalMeans(xs: ArrayLike<number>, ys: ArrayLike<number>, range: [number, number], n: number): number[] {
  const [a, b] = range;
  const sums = new Float64Array(n);
  const counts = new Uint32Array(n);
  const width = (b - a) / n;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (!(x >= a && x <= b)) continue;
    const k = Math.min(n - 1, Math.floor((x - a) / width));
    sums[k] += ys[i];
    counts[k]++;
  }
  const means: (number | undefined)[] = Array.from(sums, (s, k) => (counts[k] > 0 ? s / counts[k] : undefined));
  return means.map((m, k) => {
    if (m !== undefined) return m;
    for (let d = 1; d < n; d++) {
      const left = means[k - d];
      if (left !== undefined) return left;
      const right = means[k + d];
      if (right !== undefined) return right;
    }
    return 0;
  });
}

/**
 * "Build N bumps": N equal intervals over the range; bump k is the step pair at its boundaries t_k < t_{k+1} with
 * output weights +h_k and −h_k, every step with steepness w and b = −w·s. The outermost two steps sit half an interval
 * beyond the range, so the sigmoid's half-height at a step does not halve the data's end points. No training.
 */
export function buildBumps(source: HeightSource, n: number, options: BuildOptions = {}): OneHiddenLayerNetwork {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`the number of bumps must be a whole number ≥ 1, got ${n}`);
  const range = options.range ?? (source.kind === 'data' ? dataRange(source.xs) : undefined);
  if (!range) throw new RangeError('a function source needs a range');
  const boundaries = intervalBoundaries(range, n);
  const width = (range[1] - range[0]) / n;
  const w = options.steepness ?? steepnessFor(width);
  const heights = source.kind === 'data'
    ? intervalMeans(source.xs, source.ys, range, n)
    : boundaries.slice(0, n).map((t, k) => source.f((t + boundaries[k + 1]) / 2));
  const positions = boundaries.slice();
  positions[0] -= width / 2;
  positions[n] += width / 2;
  const units: HiddenUnit[] = [];
  for (let k = 0; k < n; k++) units.push(stepUnit(positions[k], w, heights[k]), stepUnit(positions[k + 1], w, -heights[k]));
  return { units, outputBias: 0 };
}

// ---------------------------------------------------------------------------------------------------------------
// Edits by hand (the webview calls these; each changes exactly the weights it names)

function cloneNetwork(network: OneHiddenLayerNetwork): OneHiddenLayerNetwork {
  return { units: network.units.map(u => ({ ...u })), outputBias: network.outputBias };
}

/** Move unit `index`'s step to s: b = −w·s; w and v unchanged. */
export function moveStep(network: OneHiddenLayerNetwork, index: number, s: number): OneHiddenLayerNetwork {
  const out = cloneNetwork(network);
  const unit = out.units[index];
  if (!unit || !Number.isFinite(s)) return network;
  unit.b = -unit.w * s;
  return out;
}

/** Set bump k's height: output weights +h (left step) and −h (right step); nothing else changes. */
export function setBumpHeight(network: OneHiddenLayerNetwork, bump: number, h: number): OneHiddenLayerNetwork {
  const out = cloneNetwork(network);
  const left = out.units[2 * bump];
  const right = out.units[2 * bump + 1];
  if (!left || !right || !Number.isFinite(h)) return network;
  left.v = h;
  right.v = -h;
  return out;
}

/** The bump's height as the user sees it: the left step's output weight (−right's for a hand-built pair). */
export function bumpHeight(network: OneHiddenLayerNetwork, bump: number): number {
  return network.units[2 * bump]?.v ?? 0;
}

/**
 * Give the chosen units (default all) steepness w keeping each one's step where it is: b = −w·s with s = −b/w
 * before the change. v unchanged. A flat unit (w = 0) has no position and is left alone.
 */
export function setSteepness(network: OneHiddenLayerNetwork, w: number, indices?: readonly number[]): OneHiddenLayerNetwork {
  if (!Number.isFinite(w) || w === 0) return network;
  const out = cloneNetwork(network);
  const chosen = indices ?? out.units.map((_, i) => i);
  for (const i of chosen) {
    const unit = out.units[i];
    if (!unit || unit.w === 0) continue;
    const s = stepPosition(unit);
    unit.w = w;
    unit.b = -w * s;
  }
  return out;
}

/** Add a bump of height h on [s1, s2] (s1 < s2) with steepness w. */
export function addBump(network: OneHiddenLayerNetwork, s1: number, s2: number, h: number, w: number): OneHiddenLayerNetwork {
  const out = cloneNetwork(network);
  const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
  out.units.push(stepUnit(lo, w, h), stepUnit(hi, w, -h));
  return out;
}

export function removeBump(network: OneHiddenLayerNetwork, bump: number): OneHiddenLayerNetwork {
  const out = cloneNetwork(network);
  out.units.splice(2 * bump, 2);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The same network as the core trains it: Linear(1 → M) · Sigmoid · Linear(M → 1)

export function networkSpecFor(hiddenUnits: number): { inputs: number; layers: ({ type: 'linear'; units: number } | { type: 'activation'; name: 'sigmoid' })[] } {
  return { inputs: 1, layers: [{ type: 'linear', units: hiddenUnits }, { type: 'activation', name: 'sigmoid' }, { type: 'linear', units: 1 }] };
}

export function toModuleParams(network: OneHiddenLayerNetwork): ModuleParams[] {
  return [
    { type: 'linear', weight: network.units.map(u => [u.w]), bias: network.units.map(u => u.b) },
    { type: 'activation', name: 'sigmoid' },
    { type: 'linear', weight: [network.units.map(u => u.v)], bias: [network.outputBias] },
  ];
}

export function fromModuleParams(params: ModuleParams[]): OneHiddenLayerNetwork {
  const [first, , last] = params;
  if (!first || first.type !== 'linear' || !last || last.type !== 'linear') throw new Error('expected Linear · Sigmoid · Linear');
  const units = first.weight.map((row, i) => ({ w: row[0], b: first.bias?.[i] ?? 0, v: last.weight[0][i] }));
  return { units, outputBias: last.bias?.[0] ?? 0 };
}

// ---------------------------------------------------------------------------------------------------------------
// Two inputs: N×N towers

/**
 * Nielsen's 2-D construction, with the first layer's steps shared between towers. First hidden layer: an x-step
 * σ(w·(x − t_i)) at every boundary t_0 … t_N and a y-step σ(w·(y − u_j)) at every u_0 … u_N. Then
 * X_i = σx(t_i) − σx(t_{i+1}) is 1 inside column i and 0 outside, likewise Y_j, so X_i + Y_j is 2 in cell (i, j),
 * 1 in the rest of its row and column and 0 elsewhere. Tower (i, j) is a second hidden sigmoid unit
 * σ(K·(X_i + Y_j − 3/2)) — weights +K, −K, +K, −K on the four steps and bias −3K/2 — so it is ≈1 only in the cell.
 * The output is Σ H_ij·tower_ij with H_ij the mean target in the cell (an empty cell: the mean of all targets).
 * As in 1-D the outermost boundaries sit half a cell beyond the data.
 */
export interface TowerNetwork {
  /** N + 1 x-step positions and N + 1 y-step positions. */
  xSteps: number[];
  ySteps: number[];
  /** Steepness of the first layer's steps. */
  steepness: number;
  /** Steepness K of the towers' threshold. */
  towerSteepness: number;
  /** N×N heights, row-major with row = y cell. */
  heights: number[];
  outputBias: number;
}

export const DEFAULT_TOWER_STEEPNESS = 40;

export function buildTowers(xs: ArrayLike<number>, ys: ArrayLike<number>, targets: ArrayLike<number>, n: number, options: { steepness?: number; towerSteepness?: number } = {}): TowerNetwork {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`the number of towers per side must be a whole number ≥ 1, got ${n}`);
  const xRange = dataRange(xs);
  const yRange = dataRange(ys);
  const xWidth = (xRange[1] - xRange[0]) / n;
  const yWidth = (yRange[1] - yRange[0]) / n;
  const sums = new Float64Array(n * n);
  const counts = new Uint32Array(n * n);
  let total = 0;
  for (let i = 0; i < xs.length; i++) {
    const cx = Math.min(n - 1, Math.max(0, Math.floor((xs[i] - xRange[0]) / xWidth)));
    const cy = Math.min(n - 1, Math.max(0, Math.floor((ys[i] - yRange[0]) / yWidth)));
    sums[cy * n + cx] += targets[i];
    counts[cy * n + cx]++;
    total += targets[i];
  }
  const overall = xs.length ? total / xs.length : 0;
  const heights = Array.from(sums, (s, k) => (counts[k] ? s / counts[k] : overall));
  const xSteps = intervalBoundaries(xRange, n);
  const ySteps = intervalBoundaries(yRange, n);
  xSteps[0] -= xWidth / 2;
  xSteps[n] += xWidth / 2;
  ySteps[0] -= yWidth / 2;
  ySteps[n] += yWidth / 2;
  // One steepness for both axes in data units would favour the wider one; scale it per axis instead.
  const steepness = options.steepness ?? 1;
  return { xSteps, ySteps, steepness, towerSteepness: options.towerSteepness ?? DEFAULT_TOWER_STEEPNESS, heights, outputBias: 0 };
}

/** The step steepness along each axis: `steepness` × steepnessFor(that axis's cell width). */
function axisSteepness(net: TowerNetwork): [number, number] {
  const n = net.xSteps.length - 1;
  const xCell = (net.xSteps[n] - net.xSteps[0]) / n;
  const yCell = (net.ySteps[n] - net.ySteps[0]) / n;
  return [net.steepness * steepnessFor(xCell), net.steepness * steepnessFor(yCell)];
}

/** Evaluate the tower network at many points (first-layer steps computed once per point). */
export function evaluateTowers(net: TowerNetwork, xs: ArrayLike<number>, ys: ArrayLike<number>, out = new Float64Array(xs.length)): Float64Array {
  const n = net.xSteps.length - 1;
  const [wx, wy] = axisSteepness(net);
  const sx = new Float64Array(n + 1);
  const sy = new Float64Array(n + 1);
  const k = net.towerSteepness;
  for (let p = 0; p < xs.length; p++) {
    for (let i = 0; i <= n; i++) sx[i] = sigmoid(wx * (xs[p] - net.xSteps[i]));
    for (let j = 0; j <= n; j++) sy[j] = sigmoid(wy * (ys[p] - net.ySteps[j]));
    let y = net.outputBias;
    for (let j = 0; j < n; j++) {
      const column = sy[j] - sy[j + 1];
      for (let i = 0; i < n; i++) y += net.heights[j * n + i] * sigmoid(k * (sx[i] - sx[i + 1] + column - 1.5));
    }
    out[p] = y;
  }
  return out;
}

export function towerError(net: TowerNetwork, xs: ArrayLike<number>, ys: ArrayLike<number>, targets: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  const out = evaluateTowers(net, xs, ys);
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += (out[i] - targets[i]) ** 2;
  return sum / out.length;
}

/**
 * The tower network's weights as layers (Linear(2 → 2(N+1)) · Sigmoid · Linear(2(N+1) → N²) · Sigmoid ·
 * Linear(N² → 1)), first-layer rows x-steps then y-steps: exactly what evaluateTowers computes.
 */
export function towerModuleParams(net: TowerNetwork): ModuleParams[] {
  const n = net.xSteps.length - 1;
  const [wx, wy] = axisSteepness(net);
  const stepWeights = [...net.xSteps.map(() => [wx, 0]), ...net.ySteps.map(() => [0, wy])];
  const stepBias = [...net.xSteps.map(t => -wx * t), ...net.ySteps.map(u => -wy * u)];
  const k = net.towerSteepness;
  const towerWeights: number[][] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const row = new Array<number>(2 * (n + 1)).fill(0);
      row[i] = k;
      row[i + 1] = -k;
      row[n + 1 + j] = k;
      row[n + 1 + j + 1] = -k;
      towerWeights.push(row);
    }
  }
  return [
    { type: 'linear', weight: stepWeights, bias: stepBias },
    { type: 'activation', name: 'sigmoid' },
    { type: 'linear', weight: towerWeights, bias: towerWeights.map(() => -1.5 * k) },
    { type: 'activation', name: 'sigmoid' },
    { type: 'linear', weight: [net.heights.slice()], bias: [net.outputBias] },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Error against N

export interface ErrorAtN {
  n: number;
  mse: number;
}

/** The built network's error for each N (1-D). */
export function errorCurve(source: HeightSource, xs: ArrayLike<number>, ys: ArrayLike<number>, ns: readonly number[], options: BuildOptions = {}): ErrorAtN[] {
  const range = options.range ?? dataRange(xs);
  return ns.map(n => ({ n, mse: meanSquaredError(buildBumps(source, n, { ...options, range }), xs, ys) }));
}
