// The Compare Activations panel's state: what a command asks for, and what a restored webview may hand back.
// Pure (no vscode), so it is unit-tested in plain Node.
import { isActivationName } from '../core/activations/activations';
import type { ActivationName } from '../core/types';
import type { CompareState } from '../protocol';
import type { CompareActivationsArgs } from '../shared/commands';

/** The depth slider's end (the webview's MAX_DEPTH). */
export const MAX_COMPARE_DEPTH = 50;

/** What a first-time panel shows: the vanishing-gradient story in three curves. */
export const DEFAULT_COMPARE_STATE: CompareState = {
  selected: ['sigmoid', 'tanh', 'relu'],
  params: {},
  depth: 10,
  showDerivatives: true,
};

/** Accepts only well-formed state from a restored webview (it is data from another process). */
export function sanitizeCompareState(raw: unknown): CompareState | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const candidate = raw as Partial<CompareState>;
  const selected = Array.isArray(candidate.selected) ? candidate.selected.filter((n): n is ActivationName => typeof n === 'string' && isActivationName(n)) : [];
  const params: CompareState['params'] = {};
  if (candidate.params && typeof candidate.params === 'object') {
    for (const [name, values] of Object.entries(candidate.params)) {
      if (!isActivationName(name) || !values || typeof values !== 'object') continue;
      const clean: Record<string, number> = {};
      for (const [k, v] of Object.entries(values)) if (typeof v === 'number' && Number.isFinite(v)) clean[k] = v;
      params[name] = clean;
    }
  }
  const depth = typeof candidate.depth === 'number' && candidate.depth >= 1 && candidate.depth <= MAX_COMPARE_DEPTH ? Math.round(candidate.depth) : DEFAULT_COMPARE_STATE.depth;
  return { selected, params, depth, showDerivatives: candidate.showDerivatives !== false };
}

/** The state a command invocation asks for: its activations first, then the defaults for contrast. */
export function stateFromArgs(args: CompareActivationsArgs | undefined): CompareState {
  const requested = (args?.activations ?? []).filter(isActivationName);
  if (requested.length === 0) return { ...DEFAULT_COMPARE_STATE, params: {} };
  const selected = [...requested];
  // Put the textbook contrast next to what was hovered: sigmoid against ReLU.
  for (const n of ['sigmoid', 'relu'] as ActivationName[]) if (!selected.includes(n) && selected.length < 3) selected.push(n);
  const params: CompareState['params'] = {};
  for (const name of requested) if (args?.params?.[name]) params[name] = args.params[name];
  return { ...DEFAULT_COMPARE_STATE, selected, params };
}

