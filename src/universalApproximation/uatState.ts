// The Universal Approximation panel's state as a restored webview hands it back (data from another process, so
// checked field by field). Pure: unit-tested in plain Node.
import type { UatNetwork, UatSource, UatState, UatTrainedCurve, UatTrainStart } from '../protocol';

export const UAT_MAX_BUMPS = 100;
export const UAT_MAX_TOWERS = 25;
export const DEFAULT_UAT_STATE: UatState = { bumps: 10, towers: 8, lr: 0.01, trained: {} };

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function sanitizeUatNetwork(raw: unknown): UatNetwork | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Partial<UatNetwork>;
  if (!Array.isArray(c.units) || c.units.length > 4 * UAT_MAX_BUMPS || !finite(c.outputBias)) return undefined;
  const units: UatNetwork['units'] = [];
  for (const u of c.units as unknown[]) {
    if (!u || typeof u !== 'object') return undefined;
    const { w, b, v } = u as Record<string, unknown>;
    if (!finite(w) || !finite(b) || !finite(v)) return undefined;
    units.push({ w, b, v });
  }
  return { units, outputBias: c.outputBias };
}

export function sanitizeUatSource(raw: unknown): UatSource | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Record<string, unknown>;
  const column = (v: unknown) => (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v) && v >= 0) ? v : undefined);
  if (c.kind === 'builtin' && typeof c.builtin === 'string') {
    const samples = Number.isInteger(c.samples) && (c.samples as number) >= 2 ? (c.samples as number) : undefined;
    return samples === undefined ? { kind: 'builtin', builtin: c.builtin } : { kind: 'builtin', builtin: c.builtin, samples };
  }
  if (c.kind === 'file' && typeof c.dataPath === 'string' && c.dataPath !== '') {
    const inputs = Array.isArray(c.inputs) ? c.inputs.map(column).filter((v): v is string | number => v !== undefined) : undefined;
    const target = column(c.target);
    return { kind: 'file', dataPath: c.dataPath, ...(inputs?.length ? { inputs } : {}), ...(target !== undefined ? { target } : {}) };
  }
  return undefined;
}

function sanitizeCurve(raw: unknown): UatTrainedCurve | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Partial<UatTrainedCurve>;
  const network = sanitizeUatNetwork(c.network);
  if (!network || !finite(c.step) || typeof c.loss !== 'number') return undefined;
  return { network, step: c.step, loss: c.loss };
}

export function sanitizeUatState(raw: unknown): UatState | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Partial<UatState>;
  const clampInt = (v: unknown, lo: number, hi: number, fallback: number) => (finite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : fallback);
  const trained: UatState['trained'] = {};
  for (const start of ['handBuilt', 'random'] as UatTrainStart[]) {
    const curve = sanitizeCurve(c.trained?.[start]);
    if (curve) trained[start] = curve;
  }
  return {
    source: sanitizeUatSource(c.source),
    network: sanitizeUatNetwork(c.network),
    bumps: clampInt(c.bumps, 1, UAT_MAX_BUMPS, DEFAULT_UAT_STATE.bumps),
    towers: clampInt(c.towers, 1, UAT_MAX_TOWERS, DEFAULT_UAT_STATE.towers),
    lr: finite(c.lr) && c.lr > 0 && c.lr <= 10 ? c.lr : DEFAULT_UAT_STATE.lr,
    trained,
  };
}
