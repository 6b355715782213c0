// Facts about an activation that decide whether a deep stack of it learns, derived from the table's f and f′:
// the largest slope and where it is reached, the ranges where it saturates or is dead, whether it is zero-centred,
// and the expected slope E[f′(z)] for z ~ N(0, 1) with its compounding through n layers. Pure: no vscode, no DOM.
import type { ActivationName } from '../types';
import { ACTIVATIONS, SATURATION_SHARE, numericMaxSlope, resolveActivationParams, saturationRanges } from './activations';

/** f and f′ of one activation with its parameters bound. */
export interface BoundActivation {
  name: ActivationName;
  params: Record<string, number>;
  f(x: number): number;
  df(x: number): number;
}

/** An interval of x; ±Infinity for a half-line. */
export interface XRange {
  from: number;
  to: number;
}

export interface ActivationFacts {
  name: ActivationName;
  params: Record<string, number>;
  /** The largest |f′| (a supremum where it is only approached, e.g. SELU just left of 0, softplus as x → ∞). */
  maxSlope: number;
  /** Where |f′| reaches it, as text: "x = 0", "x > 0", "x ≈ 2.3994". */
  maxSlopeWhere: string;
  /** |f′| below 5% of the largest slope (the probes' definition of saturation); includes the dead ranges. */
  saturating: XRange[];
  /** f′ exactly 0: no gradient at all (ReLU left of 0, the step everywhere). */
  dead: XRange[];
  zeroCentred: boolean;
  /** E[f′(z)] for z ~ N(0, 1): the typical factor a layer applies to the gradient when its inputs are standardised. */
  expectedSlope: number;
}

/** The fraction of the largest slope below which a unit counts as saturated (as the engine's probes count it). */
export const SATURATION_FRACTION = SATURATION_SHARE;

export function bindActivation(name: ActivationName, params: Record<string, number> = {}): BoundActivation {
  const info = ACTIVATIONS[name];
  const merged = { ...resolveActivationParams(name, params) };
  return { name, params: merged, f: (x: number) => info.f(x, merged), df: (x: number) => info.df(x, merged) };
}

const factsCache = new Map<string, ActivationFacts>();

export function paramsKey(name: ActivationName, params: Record<string, number>): string {
  const keys = Object.keys(params).sort();
  return `${name}(${keys.map(k => `${k}=${params[k]}`).join(',')})`;
}

/** Facts for `name` with `params` (table defaults for the rest); cached per parameters. */
export function activationFacts(name: ActivationName, params: Record<string, number> = {}): ActivationFacts {
  const activation = bindActivation(name, params);
  const key = paramsKey(name, activation.params);
  let facts = factsCache.get(key);
  if (!facts) {
    facts = computeFacts(activation);
    if (factsCache.size > 1000) factsCache.clear();
    factsCache.set(key, facts);
  }
  return facts;
}

function isDefault(name: ActivationName, params: Record<string, number>): boolean {
  const defaults = ACTIVATIONS[name].defaults;
  return Object.keys(defaults).every(k => params[k] === defaults[k]);
}

function toRange([from, to]: readonly [number, number]): XRange {
  return { from, to };
}

function computeFacts(activation: BoundActivation): ActivationFacts {
  const info = ACTIVATIONS[activation.name];
  const defaultParams = isDefault(activation.name, activation.params);
  const maxSlope = defaultParams ? info.maxSlope.value : info.maxSlopeOf(activation.params);
  // The table's ranges are for its defaults; other parameters (a leaky slope of 0.2, β = 2) are scanned afresh.
  const saturates = defaultParams ? info.saturates : saturationRanges(activation.df, maxSlope);
  const saturating: XRange[] = [];
  if (saturates.low) saturating.push(toRange(saturates.low));
  for (const notch of saturates.notches) saturating.push(toRange(notch));
  if (saturates.high) saturating.push(toRange(saturates.high));
  const dead = saturates.dead.map(toRange);
  const maxSlopeWhere = defaultParams ? info.maxSlope.where : whereMaxSlope(activation, maxSlope, info.maxSlope.where);
  const expectedSlope = gaussianExpectation(x => activation.df(x));
  return {
    name: activation.name, params: activation.params, maxSlope, maxSlopeWhere, saturating, dead,
    zeroCentred: info.zeroCentred, expectedSlope,
  };
}

/** For non-default parameters: a single peak is located afresh; a plateau keeps the table's wording ("x > 0"). */
function whereMaxSlope(activation: BoundActivation, maxSlope: number, tableWhere: string): string {
  if (maxSlope === 0) return tableWhere;
  const peak = numericMaxSlope(activation.df);
  const flatAt = (x: number) => Math.abs(Math.abs(activation.df(x)) - peak.value) < 1e-9 * maxSlope;
  const plateau = [0.25, 0.5].every(d => flatAt(peak.at + d)) || [0.25, 0.5].every(d => flatAt(peak.at - d));
  if (plateau || peak.value < maxSlope * (1 - 1e-6)) return tableWhere;
  return Math.abs(peak.at) < 1e-6 ? 'x = 0' : `x ≈ ${formatNumber(peak.at, 4)}`;
}

/**
 * E[g(z)] for z ~ N(0, 1) over [−10, 10]: Simpson on pieces a quarter wide whose ends are nudged inwards, so a jump
 * of f′ at a kink on a piece boundary (0, ±1, ±3, 6 …) is integrated from each side exactly.
 */
export function gaussianExpectation(g: (z: number) => number): number {
  const pieceWidth = 0.25;
  const intervalsPerPiece = 24; // even
  const nudge = 1e-12;
  const norm = 1 / Math.sqrt(2 * Math.PI);
  const weighted = (z: number) => {
    const value = g(z);
    return Number.isFinite(value) ? value * norm * Math.exp(-0.5 * z * z) : 0;
  };
  let total = 0;
  for (let a = -10; a < 10 - 1e-9; a += pieceWidth) {
    const h = pieceWidth / intervalsPerPiece;
    let sum = weighted(a + nudge) + weighted(a + pieceWidth - nudge);
    for (let i = 1; i < intervalsPerPiece; i++) sum += (i % 2 === 1 ? 4 : 2) * weighted(a + i * h);
    total += (sum * h) / 3;
  }
  return total;
}

/** How a factor compounds through `layers` layers: factorⁿ, the vanishing (or exploding) gradient in one number. */
export function compoundThroughLayers(factor: number, layers: number): number {
  return Math.pow(Math.abs(factor), layers);
}

/** Formats a range of x for people: "x < −4.36", "0 < x < 6", "everywhere". */
export function describeRange(range: XRange, digits = 2): string {
  const fmt = (v: number) => formatNumber(v, digits);
  if (range.from === -Infinity && range.to === Infinity) return 'everywhere';
  if (range.from === -Infinity) return `x < ${fmt(range.to)}`;
  if (range.to === Infinity) return `x > ${fmt(range.from)}`;
  if (range.from === range.to) return `x = ${fmt(range.from)}`;
  return `${fmt(range.from)} < x < ${fmt(range.to)}`;
}

/** Short numbers for text: 0.25, 1.0507, 9.5e-7, −4.36 (a real minus sign). */
export function formatNumber(value: number, digits = 3): string {
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  let text: string;
  if (abs >= 1e-3 && abs < 1e5) text = String(Number(value.toPrecision(digits + 1)));
  else text = value.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return text.replace(/^-/, '−');
}
