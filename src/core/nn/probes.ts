// Per-layer probes read from a workspace after a forward + backward pass: nothing here draws random numbers,
// runs the network or changes a parameter, so measuring never disturbs training.
import { ACTIVATIONS, SATURATION_SHARE, activationForward } from '../activations/activations';
import type { ActivationState } from './modules/activation';
import type { BatchNormState } from './modules/batchnorm';
import type { DropoutState } from './modules/dropout';
import type { LinearState } from './modules/linear';
import type { Workspace } from './modules/module';
import { Activation, BatchNorm, Dropout, Linear, type LinearLayerInfo, type Network, Residual, type Sequential } from './network';
import type { SpectralNormEstimator } from './spectralNorm';
import type { ActivationName, BackwardSplit, Distribution, LayerProbe } from '../types';

/** TensorBoard's distribution bands: min, ±1.5σ, ±1σ, ±0.5σ of a normal, median, max (percent). */
export const TENSORBOARD_PERCENTILES = [0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100];
export const HISTOGRAM_BINS = 30;
/** Above this many values, percentiles and histograms use an evenly strided sample (mean, std, min, max stay exact). */
export const DISTRIBUTION_SAMPLE_LIMIT = 65536;

/** Buffers by length, reused across snapshots (a network has a few distribution sizes; emptied past 8 sizes). */
const sortScratch = new Map<number, Float64Array>();
const mappedScratch = new Map<number, Float64Array>();

function scratchOf(buffers: Map<number, Float64Array>, m: number): Float64Array {
  let s = buffers.get(m);
  if (!s) {
    if (buffers.size >= 8) buffers.clear();
    s = new Float64Array(m);
    buffers.set(m, s);
  }
  return s;
}

/** v's values at 0, stride, 2·stride … (m of them), sorted, in a reused buffer. */
function sortedSample(v: Float64Array, m: number, stride: number): Float64Array {
  const s = scratchOf(sortScratch, m);
  if (stride === 1) for (let i = 0; i < m; i++) s[i] = v[i];
  else for (let i = 0; i < m; i++) s[i] = v[Math.floor(i * stride)];
  return s.sort();
}

/** How many values of n the percentiles and histogram use, and their stride (DISTRIBUTION_SAMPLE_LIMIT). */
function sampleShape(n: number): { m: number; stride: number } {
  const stride = n > DISTRIBUTION_SAMPLE_LIMIT ? n / DISTRIBUTION_SAMPLE_LIMIT : 1;
  return { m: stride === 1 ? n : DISTRIBUTION_SAMPLE_LIMIT, stride };
}

/** Activations non-decreasing at their default constants: f applied to z's sorted sample sorts a's (see below). */
const NON_DECREASING: ReadonlySet<ActivationName> = new Set<ActivationName>([
  'linear', 'step', 'sigmoid', 'tanh', 'relu', 'relu6', 'leaky_relu', 'elu', 'selu', 'softplus', 'softsign', 'hardtanh',
  'hardsigmoid',
]);

/**
 * The z and a distributions of an activation module (a = f(z) element by element, as its forward pass left them).
 * For a non-decreasing f, a's sample sorted is f of z's sorted sample: one sort, then f on m values. The result is
 * checked to be in ascending order (a constant such as a negative leaky slope breaks monotony, and relu maps NaN
 * to 0); otherwise a is sorted on its own. Either way the numbers are those of distribution(a).
 */
export function activationDistributions(act: Activation, z: Float64Array, a: Float64Array, n: number): { z: Distribution; a: Distribution } {
  const { m, stride } = sampleShape(n);
  if (m === 0) return { z: distribution(z, n), a: distribution(a, n) };
  const zSorted = sortedSample(z, m, stride);
  const zDistribution = distribution(z, n, HISTOGRAM_BINS, zSorted);
  if (act.preluSlope || !NON_DECREASING.has(act.name)) return { z: zDistribution, a: distribution(a, n) };
  const mapped = scratchOf(mappedScratch, m);
  activationForward(act.name, act.resolvedParams, zSorted, mapped, m);
  return { z: zDistribution, a: distribution(a, n, HISTOGRAM_BINS, inFloat64Order(mapped, m) ? mapped : undefined) };
}

/**
 * Whether v[0 … m) is ascending with no NaN, as Float64Array#sort would leave it. That sort also puts −0 before +0,
 * which this does not check: percentiles interpolate as lo + t·(hi − lo), which gives +0 for any two zeros whatever
 * their signs or order, and bins do not see the sign.
 */
function inFloat64Order(v: Float64Array, m: number): boolean {
  if (m > 0 && v[0] !== v[0]) return false;
  for (let i = 1; i < m; i++) if (!(v[i - 1] <= v[i])) return false; // false for NaN too
  return true;
}

/**
 * Mean, population std, TensorBoard percentiles (linear interpolation) and a fixed-bin histogram of v[0 … n).
 * `sorted`, when given, is v's sample (sampleShape) already in ascending order (signed zeros in either order: see
 * inFloat64Order).
 */
export function distribution(v: Float64Array, n: number, bins = HISTOGRAM_BINS, sorted?: Float64Array): Distribution {
  if (n === 0) {
    return { mean: 0, std: 0, percentiles: TENSORBOARD_PERCENTILES.map(() => 0), histogram: { min: 0, max: 0, counts: new Array(bins).fill(0) } };
  }
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = v[i] - mean;
    ss += d * d;
  }
  const std = Math.sqrt(ss / n);
  const { m, stride } = sampleShape(n);
  const sample = sorted ?? sortedSample(v, m, stride);
  const percentiles = new Array<number>(TENSORBOARD_PERCENTILES.length);
  for (let j = 0; j < percentiles.length; j++) {
    const q = TENSORBOARD_PERCENTILES[j];
    if (q === 0) percentiles[j] = min;
    else if (q === 100) percentiles[j] = max;
    else {
      const pos = (q / 100) * (m - 1);
      const lo = Math.floor(pos);
      const hi = Math.min(m - 1, lo + 1);
      percentiles[j] = sample[lo] + (pos - lo) * (sample[hi] - sample[lo]);
    }
  }
  const counts = new Array<number>(bins).fill(0);
  const width = max - min;
  if (width > 0) {
    for (let i = 0; i < m; i++) counts[Math.min(bins - 1, Math.floor(((sample[i] - min) / width) * bins))]++;
  } else {
    counts[Math.floor(bins / 2)] += m;
  }
  return { mean, std, percentiles, histogram: { min, max, counts } };
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function meanStd(v: Float64Array): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const mean = v.length ? s / v.length : 0;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i] - mean) ** 2;
  return { mean, std: v.length ? Math.sqrt(ss / v.length) : 0 };
}

/** The largest |f′| an activation module can have: the table's, or for PReLU the largest |learned slope| (≥ 1). */
export function maxSlopeOfModule(act: Activation): number {
  let maxSlope = ACTIVATIONS[act.name].maxSlopeOf(act.resolvedParams);
  if (act.preluSlope) for (const s of act.preluSlope.value) maxSlope = Math.max(maxSlope, Math.abs(s));
  return maxSlope;
}

export interface LowSlopeShares {
  lowSlopeKind: LayerProbe['lowSlopeKind'];
  saturation: number;
  saturatedLow: number;
  saturatedHigh: number;
  inactive: number;
  inactiveLow: number;
  inactiveHigh: number;
  dead: number;
}

/**
 * Low-slope and dead-unit shares of an activation over the last forward pass (n rows): pairs with |f′(z)| below
 * 5 % of the largest slope, called "saturated" for smooth activations and "inactive" for piecewise-linear ones
 * (LayerProbe.lowSlopeKind), split at the table's split point into low and high.
 */
export function saturationOf(layer: LinearLayerInfo, ws: Workspace, n: number): LowSlopeShares {
  const act = layer.activation;
  if (!act || act.name === 'linear' || n === 0) {
    return {
      lowSlopeKind: act && act.name !== 'linear' ? kindOf(act) : 'none',
      saturation: 0, saturatedLow: 0, saturatedHigh: 0, inactive: 0, inactiveLow: 0, inactiveHigh: 0, dead: 0,
    };
  }
  const info = ACTIVATIONS[act.name];
  const width = act.width;
  const st = ws.states[act.id] as ActivationState;
  const d = act.derivative(ws, n);
  const z = st.z;
  const maxSlope = maxSlopeOfModule(act);
  // step: flat wherever differentiable, so every point counts (threshold ∞).
  const threshold = maxSlope > 0 ? SATURATION_SHARE * maxSlope : Infinity;
  const split = info.saturates.split;
  let low = 0;
  let high = 0;
  let deadUnits = 0;
  for (let j = 0; j < width; j++) {
    let allZero = true;
    for (let i = 0; i < n; i++) {
      const k = i * width + j;
      const s = Math.abs(d[k]);
      if (s !== 0) allZero = false;
      if (s < threshold) {
        if (z[k] < split) low++;
        else high++;
      }
    }
    if (allZero) deadUnits++;
  }
  const total = n * width;
  const lowShare = low / total;
  const highShare = high / total;
  const kind = kindOf(act);
  const saturated = kind === 'saturated';
  return {
    lowSlopeKind: kind,
    saturation: saturated ? lowShare + highShare : 0,
    saturatedLow: saturated ? lowShare : 0,
    saturatedHigh: saturated ? highShare : 0,
    inactive: saturated ? 0 : lowShare + highShare,
    inactiveLow: saturated ? 0 : lowShare,
    inactiveHigh: saturated ? 0 : highShare,
    dead: deadUnits / width,
  };
}

function kindOf(act: Activation): 'saturated' | 'inactive' {
  return ACTIVATIONS[act.name].piecewiseLinear ? 'inactive' : 'saturated';
}

/** √(num/den), or null when den is 0 (nothing arrives to divide by). Squared norms in, a norm ratio out. */
function normRatio(numSq: number, denSq: number): number | null {
  return denSq > 0 ? Math.sqrt(numSq / denSq) : null;
}

function times(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a * b;
}

/** a·b for bounds, where 0 beats ∞ (a zero slope passes nothing, whatever arrives). */
function boundTimes(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a * b;
}

/** max_j |γ_j|/√(σ_j² + ε) of the last pass: the norm of batch norm's Jacobian is at most this (README). */
function batchNormBoundOf(bn: BatchNorm, ws: Workspace): number {
  const st = ws.states[bn.id] as BatchNormState;
  const gamma = bn.gamma.value;
  let m = 0;
  for (let j = 0; j < bn.width; j++) m = Math.max(m, Math.abs(gamma[j]) * st.invStd[j]);
  return m;
}

function dropoutBoundOf(d: Dropout, ws: Workspace): number {
  const st = ws.states[d.id] as DropoutState;
  return st.masked && d.p > 0 ? 1 / (1 - d.p) : 1;
}

/**
 * The independent heavy parts of probeLayers, computed ahead (the live probe's step-0 pass shares them out to a
 * worker pool, see parallel/parallelStep0.ts): distributions by the array they summarize, ‖W‖₂ by its estimator.
 * A value found here is used instead of computing it; the caller's values are what those calls return.
 */
export interface PrecomputedProbes {
  distributions: Map<Float64Array, Distribution>;
  spectral: Map<SpectralNormEstimator, number>;
}

/** What probeLayers(network, ws) computes that PrecomputedProbes can hold, in the order it computes them. */
export function probeWork(network: Network, ws: Workspace): {
  distributions: { values: Float64Array; n: number }[];
  spectral: { estimator: SpectralNormEstimator; w: Float64Array }[];
} {
  const n = ws.batch;
  const distributions: { values: Float64Array; n: number }[] = [];
  for (const layer of network.linearLayers) {
    const count = n * layer.linear.outWidth;
    if (layer.activation) {
      const st = ws.states[layer.activation.id] as ActivationState;
      distributions.push({ values: st.z, n: count }, { values: st.a, n: count });
    } else {
      distributions.push({ values: (ws.states[layer.linear.id] as LinearState).z, n: count });
    }
  }
  const spectral: { estimator: SpectralNormEstimator; w: Float64Array }[] = [];
  const layers = network.linearLayers;
  if (ws.hasGradients && layers.length >= 2) { // as backwardSplits
    for (const p of network.projections) spectral.push({ estimator: p.spectralNorm, w: p.weight.value });
    for (let i = 0; i + 1 < layers.length; i++) {
      const next = layers[i].next;
      if (next) spectral.push({ estimator: next.spectralNorm, w: next.weight.value });
    }
  }
  return { distributions, spectral };
}

function spectralOf(estimator: SpectralNormEstimator, w: Float64Array, pre: PrecomputedProbes | undefined): number {
  return pre?.spectral.get(estimator) ?? estimator.estimate(w);
}

function distributionOf(values: Float64Array, n: number, pre: PrecomputedProbes | undefined): Distribution {
  return pre?.distributions.get(values) ?? distribution(values, n);
}

/**
 * The exact split of every layer's gradient gain (BackwardSplit in types.ts, README "Where the gradient is lost:
 * the exact split"), from the squared gradient norms the backward pass left in the workspace; undefined for the
 * output layer and before any backward pass. Updates the power iterations' warm-start vectors, nothing else.
 */
export function backwardSplits(network: Network, ws: Workspace, pre?: PrecomputedProbes): (BackwardSplit | undefined)[] {
  const layers = network.linearLayers;
  const splits: (BackwardSplit | undefined)[] = layers.map(() => undefined);
  if (!ws.hasGradients || layers.length < 2) return splits;
  const { gradInSq, gradOutSq } = ws;
  const out = layers[layers.length - 1].linear;
  // ‖W‖₂ per linear module id, for the next layers and the skip projections (the bound propagation needs both).
  const spectral = new Map<Linear, number>();
  for (const p of network.projections) spectral.set(p, spectralOf(p.spectralNorm, p.weight.value, pre));
  for (let i = 0; i + 1 < layers.length; i++) {
    const layer = layers[i];
    const next = layer.next;
    if (!next) continue;
    let activationFactor: number | null = 1;
    let maxSlope = 1;
    let batchNormFactor: number | null = 1;
    let batchNormBound = 1;
    let hasBatchNorm = false;
    let dropoutFactor: number | null = 1;
    let dropoutBound = 1;
    let hasDropout = false;
    let residualFactor: number | null = 1;
    let hasResidual = false;
    for (const stage of layer.gradientPath) {
      switch (stage.kind) {
        case 'activation':
          activationFactor = times(activationFactor, normRatio(gradInSq[stage.module.id], gradOutSq[stage.module.id]));
          maxSlope *= maxSlopeOfModule(stage.module);
          break;
        case 'batchnorm':
          hasBatchNorm = true;
          batchNormFactor = times(batchNormFactor, normRatio(gradInSq[stage.module.id], gradOutSq[stage.module.id]));
          batchNormBound *= batchNormBoundOf(stage.module, ws);
          break;
        case 'dropout':
          hasDropout = true;
          dropoutFactor = times(dropoutFactor, normRatio(gradInSq[stage.module.id], gradOutSq[stage.module.id]));
          dropoutBound *= dropoutBoundOf(stage.module, ws);
          break;
        case 'enterResidual':
          hasResidual = true;
          residualFactor = times(residualFactor, normRatio(gradInSq[stage.module.id], gradInSq[stage.module.block.id]));
          break;
        case 'exitResidual':
          break;
        default:
          assertNever(stage);
      }
    }
    const weightFactor = normRatio(gradInSq[next.id], gradOutSq[next.id]);
    // Both are lower estimates of ‖W‖₂; the larger is the better one, and weightFactor ≤ it holds exactly.
    const weightSpectralNorm = Math.max(spectralOf(next.spectralNorm, next.weight.value, pre), weightFactor ?? 0);
    spectral.set(next, weightSpectralNorm);
    const split: BackwardSplit = {
      gain: normRatio(gradOutSq[layer.linear.id], gradOutSq[next.id]),
      activationFactor,
      weightFactor,
      weightSpectralNorm,
      maxSlope,
      cumulativeGain: normRatio(gradOutSq[layer.linear.id], gradOutSq[out.id]),
      cumulativeActivationFactor: null,
      activationBound: 1,
    };
    if (hasBatchNorm) {
      split.batchNormFactor = batchNormFactor;
      split.batchNormBound = batchNormBound;
    }
    if (hasDropout) {
      split.dropoutFactor = dropoutFactor;
      split.dropoutBound = dropoutBound;
    }
    if (hasResidual) split.residualFactor = residualFactor;
    else split.gainBound = boundTimes(boundTimes(boundTimes(maxSlope, weightSpectralNorm), batchNormBound), dropoutBound);
    splits[i] = split;
  }
  // Products from each layer to the output layer.
  let cumulativeActivation: number | null = 1;
  let activationBound = 1;
  for (let i = layers.length - 2; i >= 0; i--) {
    const split = splits[i];
    if (!split) continue;
    cumulativeActivation = times(cumulativeActivation, split.activationFactor);
    activationBound = boundTimes(activationBound, split.maxSlope);
    split.cumulativeActivationFactor = cumulativeActivation;
    split.activationBound = activationBound;
  }
  // The rigorous bound: ‖∂L/∂(point)‖/‖δ_out‖ bounded stage by stage from the output layer back, a residual block
  // adding its skip's bound to its body's (triangle inequality). Past the output layer nothing is known (∞).
  const boundAt = new Map<Linear, number>();
  const propagate = (seq: Sequential, atOutput: number): number => {
    let b = atOutput;
    for (let k = seq.modules.length - 1; k >= 0; k--) {
      const m = seq.modules[k];
      if (m instanceof Linear) {
        if (m === out) b = 1;
        boundAt.set(m, b);
        b = boundTimes(b, spectral.get(m) ?? Infinity);
      } else if (m instanceof Activation) b = boundTimes(b, maxSlopeOfModule(m));
      else if (m instanceof BatchNorm) b = boundTimes(b, batchNormBoundOf(m, ws));
      else if (m instanceof Dropout) b = boundTimes(b, dropoutBoundOf(m, ws));
      else if (m instanceof Residual) {
        const skip = m.projection ? boundTimes(b, spectral.get(m.projection) ?? Infinity) : b;
        b = propagate(m.block, b) + skip;
      }
    }
    return b;
  };
  propagate(network.root, Infinity);
  layers.forEach((layer, i) => {
    const split = splits[i];
    const bound = boundAt.get(layer.linear);
    if (split && bound !== undefined && Number.isFinite(bound)) split.rigorousBound = bound;
  });
  return splits;
}

function assertNever(value: never): never {
  throw new Error(`unexpected stage ${JSON.stringify(value)}`);
}

/**
 * The probes of every linear layer, from a workspace holding a forward and backward pass, and the optimizer's
 * last update (‖Δθ‖² per parameter index; omit before the first step).
 */
export function probeLayers(network: Network, ws: Workspace, lastUpdateSq?: Float64Array, pre?: PrecomputedProbes): LayerProbe[] {
  const n = ws.batch;
  const splits = backwardSplits(network, ws, pre);
  return network.linearLayers.map((layer): LayerProbe => {
    const lin = layer.linear;
    const w = lin.weight.value;
    const dW = ws.grads[lin.weight.index];
    let gradSq = 0;
    let absSum = 0;
    let absMax = 0;
    for (let i = 0; i < dW.length; i++) {
      const g = dW[i];
      gradSq += g * g;
      const a = Math.abs(g);
      absSum += a;
      if (a > absMax) absMax = a;
    }
    const weightNorm = norm(w);
    const updateSq = lastUpdateSq ? lastUpdateSq[lin.weight.index] : 0;
    const linState = ws.states[lin.id] as LinearState;
    const units = lin.outWidth;
    let z: Distribution;
    let a: Distribution;
    if (layer.activation) {
      const st = ws.states[layer.activation.id] as ActivationState;
      const zPre = pre?.distributions.get(st.z);
      const aPre = pre?.distributions.get(st.a);
      if (zPre && aPre) {
        z = zPre;
        a = aPre;
      } else {
        ({ z, a } = activationDistributions(layer.activation, st.z, st.a, n * units));
      }
    } else {
      z = distributionOf(linState.z, n * units, pre);
      a = z;
    }
    const probe: LayerProbe = {
      index: layer.index,
      path: layer.path,
      units,
      fanIn: lin.inWidth,
      activation: layer.activationName,
      gradNorm: ws.hasGradients ? Math.sqrt(gradSq) : 0,
      biasGradNorm: ws.hasGradients && lin.bias ? norm(ws.grads[lin.bias.index]) : 0,
      gradMeanAbs: ws.hasGradients && dW.length ? absSum / dW.length : 0,
      gradMaxAbs: ws.hasGradients ? absMax : 0,
      // Σ (∂L/∂z)² of the last backward pass, as Sequential.backward measured it on its way into the layer.
      deltaNorm: ws.hasGradients ? Math.sqrt(ws.gradOutSq[lin.id]) : 0,
      updateRatio: weightNorm > 0 ? Math.sqrt(updateSq) / weightNorm : 0,
      weightNorm,
      z,
      a,
      ...saturationOf(layer, ws, n),
    };
    const split = splits[layer.index];
    if (split) probe.backward = split;
    const slope = layer.activation?.preluSlope?.value;
    if (slope) {
      let mn = Infinity;
      let mx = -Infinity;
      for (const s of slope) {
        mn = Math.min(mn, s);
        mx = Math.max(mx, s);
      }
      probe.preluSlope = { mean: meanStd(slope).mean, min: mn, max: mx };
    }
    if (layer.batchNorm) {
      const g = meanStd(layer.batchNorm.gamma.value);
      const b = meanStd(layer.batchNorm.beta.value);
      probe.batchNorm = { gammaMean: g.mean, gammaStd: g.std, betaMean: b.mean, betaStd: b.std };
    }
    return probe;
  });
}
