// Tick labels for log axes and log colour bars, shared by every page: round values only (1, 2, 3, 5 × 10^k), short
// forms (1e-4, 0.01, 1e4), and powers of ten alone once an axis spans a decade or more.

export function isRoundLogTick(value: number, everyDigit = false): boolean {
  if (!(value > 0)) return false;
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  if (everyDigit) return Math.abs(mantissa - Math.round(mantissa)) < 1e-6;
  return [1, 2, 3, 5].some(m => Math.abs(mantissa - m) < 1e-6);
}

export function shortTick(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-2) {
    const exponent = Math.log10(magnitude);
    // Tiny values: only the powers of ten get a label, or the labels pile up.
    if (Math.abs(exponent - Math.round(exponent)) > 1e-9 && magnitude < 1e-2) return '';
    return value.toExponential(0).replace('e+', 'e');
  }
  return Number(value.toPrecision(3)).toString();
}

/**
 * Labels for a log colour bar or any log axis that must read in powers of ten: across a decade or more only the
 * powers (every second or third one past 8 decades), within less than a decade every round digit.
 */
export function logTickLabel(value: number, ticks: { value: number }[]): string {
  if (!(value > 0)) return '';
  const low = ticks[0]?.value ?? value;
  const high = ticks[ticks.length - 1]?.value ?? value;
  const decades = low > 0 ? Math.log10(high / low) : 0;
  const exponent = Math.log10(value);
  const isPower = Math.abs(exponent - Math.round(exponent)) < 1e-6;
  if (decades >= 1 - 1e-9) {
    const stride = Math.max(1, Math.ceil(decades / 8));
    return isPower && Math.round(exponent) % stride === 0 ? shortTick(10 ** Math.round(exponent)) : '';
  }
  return isRoundLogTick(value, true) ? Number(value.toPrecision(3)).toString() : '';
}
