// Per-layer probes read from a workspace after a forward + backward pass: nothing here draws random numbers,
// runs the network or changes a parameter, so measuring never disturbs training.
import { ACTIVATIONS, SATURATION_SHARE } from '../activations/activations';
import type { ActivationState } from './modules/activation';
import type { LinearState } from './modules/linear';
import type { Workspace } from './modules/module';
import type { LinearLayerInfo, Network } from './network';
import type { Distribution, LayerProbe } from '../types';

/** TensorBoard's distribution bands: min, ±1.5σ, ±1σ, ±0.5σ of a normal, median, max (percent). */
export const TENSORBOARD_PERCENTILES = [0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100];
export const HISTOGRAM_BINS = 30;
/** Above this many values, percentiles and histograms use an evenly strided sample (mean, std, min, max stay exact). */
export const DISTRIBUTION_SAMPLE_LIMIT = 65536;

/** Mean, population std, TensorBoard percentiles (linear interpolation) and a fixed-bin histogram of v[0 … n). */
export function distribution(v: Float64Array, n: number, bins = HISTOGRAM_BINS): Distribution {
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
  const stride = n > DISTRIBUTION_SAMPLE_LIMIT ? n / DISTRIBUTION_SAMPLE_LIMIT : 1;
  const m = stride === 1 ? n : DISTRIBUTION_SAMPLE_LIMIT;
  const sorted = new Float64Array(m);
  for (let i = 0; i < m; i++) sorted[i] = v[Math.floor(i * stride)];
  sorted.sort();
  const percentiles = TENSORBOARD_PERCENTILES.map((q) => {
    if (q === 0) return min;
    if (q === 100) return max;
    const pos = (q / 100) * (m - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(m - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  });
  const counts = new Array<number>(bins).fill(0);
  const width = max - min;
  for (let i = 0; i < m; i++) {
    const b = width > 0 ? Math.min(bins - 1, Math.floor(((sorted[i] - min) / width) * bins)) : Math.floor(bins / 2);
    counts[b]++;
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

/** Saturation and dead-unit shares of an activation over the last forward pass (n rows). */
export function saturationOf(
  layer: LinearLayerInfo, ws: Workspace, n: number,
): { saturation: number; saturatedLow: number; saturatedHigh: number; dead: number } {
  const act = layer.activation;
  if (!act || act.name === 'linear' || n === 0) return { saturation: 0, saturatedLow: 0, saturatedHigh: 0, dead: 0 };
  const info = ACTIVATIONS[act.name];
  const width = act.width;
  const st = ws.states[act.id] as ActivationState;
  const d = act.derivative(ws, n);
  const z = st.z;
  let maxSlope = info.maxSlopeOf(act.resolvedParams);
  if (act.preluSlope) for (const s of act.preluSlope.value) maxSlope = Math.max(maxSlope, Math.abs(s));
  // step: flat wherever differentiable, so every point counts as saturated (threshold ∞).
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
  return { saturation: (low + high) / total, saturatedLow: low / total, saturatedHigh: high / total, dead: deadUnits / width };
}

/**
 * The probes of every linear layer, from a workspace holding a forward and backward pass, and the optimizer's
 * last update (‖Δθ‖² per parameter index; omit before the first step).
 */
export function probeLayers(network: Network, ws: Workspace, lastUpdateSq?: Float64Array): LayerProbe[] {
  const n = ws.batch;
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
      z = distribution(st.z, n * units);
      a = distribution(st.a, n * units);
    } else {
      z = distribution(linState.z, n * units);
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
      deltaNorm: ws.hasGradients ? Math.sqrt(linState.deltaNormSq) : 0,
      updateRatio: weightNorm > 0 ? Math.sqrt(updateSq) / weightNorm : 0,
      weightNorm,
      z,
      a,
      ...saturationOf(layer, ws, n),
    };
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
