// Colour maps and categorical colours from d3-scale-chromatic: viridis exactly (matplotlib's, as a 256-entry table
// so heatmaps look a colour up per pixel without parsing a string), and Tableau10 for series that must stay apart
// (designed to be told apart with common colour-vision deficiencies; ten colours, so up to ten lines never repeat).
import { interpolateViridis, schemeTableau10 } from 'd3-scale-chromatic';

const VIRIDIS_TABLE: [number, number, number][] = Array.from({ length: 256 }, (_, i) => parseRgb(interpolateViridis(i / 255)));

/** Viridis at t ∈ [0, 1] (clamped; NaN reads as 0), as [r, g, b] in 0–255. */
export function viridis(t: number): [number, number, number] {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  return VIRIDIS_TABLE[Math.round(clamped * 255)];
}

/** The categorical colours, in order; `categorical(i)` never repeats for i < CATEGORICAL_COUNT. */
export const CATEGORICAL: readonly string[] = schemeTableau10;
export const CATEGORICAL_COUNT = CATEGORICAL.length;

export function categorical(index: number): string {
  return CATEGORICAL[((index % CATEGORICAL_COUNT) + CATEGORICAL_COUNT) % CATEGORICAL_COUNT];
}

function parseRgb(text: string): [number, number, number] {
  const match = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(text);
  if (match !== null) return [Number(match[1]), Number(match[2]), Number(match[3])];
  const hex = text.replace('#', '');
  return [Number.parseInt(hex.slice(0, 2), 16), Number.parseInt(hex.slice(2, 4), 16), Number.parseInt(hex.slice(4, 6), 16)];
}
