// Pure computations over recorded snapshots for the charts (no DOM), so Node tests can check them directly.
import type { LayerProbe, Snapshot } from '../../src/core/types';

/** Each layer's gradNorm divided by the output layer's (1 at the output; tiny early on when gradients vanish). */
export function decayRelativeToOutput(layers: readonly LayerProbe[]): number[] {
  const output = layers[layers.length - 1]?.gradNorm ?? 0;
  return layers.map(layer => (output > 0 ? layer.gradNorm / output : Number.NaN));
}

/**
 * The chain-rule bound of a sigmoid stack, relative to the output layer: σ′ ≤ 1/4, so each sigmoid between a
 * layer and the output scales the error signal by at most ‖W‖/4 — with ‖W‖ ≈ 1, ×1/4 per layer.
 */
export function sigmoidChainBound(layerCount: number): number[] {
  return Array.from({ length: layerCount }, (_, index) => 0.25 ** (layerCount - 1 - index));
}

export interface SaturationStack {
  saturatedLow: number;
  saturatedHigh: number;
  dead: number;
  active: number;
}

/**
 * Splits a layer into shares that add up to 1. Dead units have f′ = 0 on every sample, so their pairs are
 * also counted in saturatedLow by the probe; they are taken out of it here so the stack is not counted twice.
 */
export function saturationStack(layer: LayerProbe): SaturationStack {
  const dead = clampShare(layer.dead);
  const saturatedLow = Math.max(0, clampShare(layer.saturatedLow) - dead);
  const saturatedHigh = clampShare(layer.saturatedHigh);
  const used = Math.min(1, dead + saturatedLow + saturatedHigh);
  return { saturatedLow, saturatedHigh, dead, active: 1 - used };
}

function clampShare(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

export interface OverfitRange {
  /** Index into the snapshots, inclusive. */
  from: number;
  to: number;
  epoch: number;
}

/**
 * Where validation loss rises while training loss falls: compares the mean over a trailing window with the
 * window before it. Small wiggles (validation up under 3%, training flat) and short blips do not count.
 */
export function overfittingRanges(snapshots: readonly Snapshot[], minWindow = 4): OverfitRange[] {
  const n = snapshots.length;
  const window = Math.max(minWindow, Math.floor(n / 20));
  const ranges: OverfitRange[] = [];
  const mean = (from: number, to: number, pick: (s: Snapshot) => number | undefined): number => {
    let sum = 0;
    let count = 0;
    for (let i = from; i < to; i++) {
      const value = pick(snapshots[i]);
      if (value !== undefined && Number.isFinite(value)) {
        sum += value;
        count++;
      }
    }
    return count === 0 ? Number.NaN : sum / count;
  };
  let open: OverfitRange | undefined;
  for (let i = 2 * window; i < n; i++) {
    const valNow = mean(i - window + 1, i + 1, s => s.valLoss);
    const valBefore = mean(i - 2 * window + 1, i - window + 1, s => s.valLoss);
    const trainNow = mean(i - window + 1, i + 1, s => s.loss);
    const trainBefore = mean(i - 2 * window + 1, i - window + 1, s => s.loss);
    const flagged = valNow > valBefore * 1.03 && trainNow < trainBefore * 0.995;
    if (flagged) {
      const start = i - window + 1;
      if (open !== undefined && start <= open.to + 1) open.to = i;
      else {
        open = { from: start, to: i, epoch: snapshots[start].epoch };
        ranges.push(open);
      }
    }
  }
  // A blip of noise is not overfitting: keep stretches that last at least a full window.
  return ranges.filter(range => range.to - range.from + 1 >= 2 * window - 1);
}

/** Evenly spaced layer indices (always the first and the last) when a net has too many layers to draw each. */
export function sampleLayerIndices(layerCount: number, maxShown: number): number[] {
  if (layerCount <= maxShown) return Array.from({ length: layerCount }, (_, i) => i);
  const picked = new Set<number>();
  for (let k = 0; k < maxShown; k++) picked.add(Math.round((k * (layerCount - 1)) / (maxShown - 1)));
  return [...picked].sort((a, b) => a - b);
}

/** log10 of a positive value; −∞ stands for 0 (drawn as the coldest colour). */
export function log10OrFloor(value: number): number {
  return value > 0 ? Math.log10(value) : Number.NEGATIVE_INFINITY;
}

/** Finite min and max of a set of values, or undefined when none is finite. */
export function finiteExtent(values: Iterable<number>): [number, number] | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min <= max ? [min, max] : undefined;
}
