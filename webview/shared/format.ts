// Number formatting for labels, tooltips and the status line: short, and exact enough to compare layers; and the
// finite extent of a set of values, which axes and colour scales start from. No DOM: Node tests import it too.

/** 0.000123 → "1.23e-4", 12.5 → "12.5", NaN → "NaN". */
export function formatNumber(value: number | undefined, digits = 3): string {
  if (value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
    return `${mantissa}e${Number(exponent)}`;
  }
  return Number(value.toPrecision(digits)).toString();
}

export function formatPercent(share: number | undefined): string {
  if (share === undefined || !Number.isFinite(share)) return '–';
  const percent = share * 100;
  return `${percent >= 10 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** Human name of a linear layer: "L3 · 32 sigmoid". */
export function layerName(layer: { index: number; units: number; activation: string }): string {
  return `L${layer.index} · ${layer.units} ${layer.activation}`;
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
