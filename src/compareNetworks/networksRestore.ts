// What a Compare Networks / Loss Landscape panel may be asked to run: the landscape request clamped to what the
// worker does in reasonable time, and the job a reloaded webview's state names, checked field by field (it is data
// from the page). Pure (no vscode) so unit tests check it.
import { BUILTIN_DATASETS } from '../core/data/builtinDatasets';
import { LANDSCAPE_DEFAULTS } from '../core/analysis/landscape';
import { NETWORK_PRESETS } from '../core/config/presets';
import type { LandscapeRequest, NetworkChoice, NetworksDataSource, NetworksRestore } from '../protocol';

export const MAX_COMPARED = 4;

export const DEFAULT_LANDSCAPE_REQUEST: LandscapeRequest = {
  grid: LANDSCAPE_DEFAULTS.grid, range: LANDSCAPE_DEFAULTS.range, seed: LANDSCAPE_DEFAULTS.seed, steps: 300, maxRows: 1000, skipOnOff: false,
};

/** Clamp what the webview asks for to what the worker can do in reasonable time. */
export function sanitizeRequest(r: Partial<LandscapeRequest> | undefined): LandscapeRequest {
  const d = DEFAULT_LANDSCAPE_REQUEST;
  const int = (v: unknown, lo: number, hi: number, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : fallback);
  let grid = int(r?.grid, 5, 101, d.grid);
  if (grid % 2 === 0) grid += 1;
  const range = typeof r?.range === 'number' && r.range > 0 && r.range <= 100 ? r.range : d.range;
  return {
    grid, range, seed: int(r?.seed, -(2 ** 31), 2 ** 31, d.seed), steps: int(r?.steps, 0, 100_000, d.steps),
    maxRows: int(r?.maxRows, 10, 100_000, d.maxRows), skipOnOff: r?.skipOnOff === true,
  };
}

/** What a reloaded webview's state may hold, checked field by field (it is data from the page). */
export function sanitizeRestore(value: unknown): NetworksRestore | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const data = sanitizeData(v.data);
  if (data === undefined) return undefined;
  if (v.kind === 'compare' && Array.isArray(v.choices)) {
    const choices = v.choices.map(sanitizeChoice).filter((c): c is NetworkChoice => c !== undefined).slice(0, MAX_COMPARED);
    if (choices.length < 2 || choices.length !== v.choices.length) return undefined;
    const seed = typeof v.seed === 'number' && Number.isInteger(v.seed) ? v.seed : 1;
    const epochs = typeof v.epochs === 'number' && Number.isInteger(v.epochs) && v.epochs >= 1 && v.epochs <= 100_000 ? v.epochs : 30;
    return { kind: 'compare', choices, data, seed, epochs };
  }
  if (v.kind === 'landscape') {
    const choice = sanitizeChoice(v.choice);
    return choice === undefined ? undefined : { kind: 'landscape', choice, data, request: sanitizeRequest(v.request as Partial<LandscapeRequest> | undefined) };
  }
  return undefined;
}

function sanitizeChoice(value: unknown): NetworkChoice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  if (typeof c.label !== 'string') return undefined;
  if (c.kind === 'preset' && typeof c.preset === 'string' && NETWORK_PRESETS.some(p => p.id === c.preset)) return { kind: 'preset', preset: c.preset, label: c.label };
  if (c.kind === 'config' && typeof c.configPath === 'string' && c.configPath !== '') return { kind: 'config', configPath: c.configPath, label: c.label };
  return undefined;
}

function sanitizeData(value: unknown): NetworksDataSource | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const d = value as Record<string, unknown>;
  if (d.kind === 'config') return { kind: 'config' };
  if (d.kind === 'builtin' && typeof d.builtin === 'string' && BUILTIN_DATASETS.some(b => b.name === d.builtin)) return { kind: 'builtin', builtin: d.builtin };
  if (d.kind === 'file' && typeof d.dataPath === 'string' && d.dataPath !== '') return { kind: 'file', dataPath: d.dataPath };
  return undefined;
}

