// The commands one feature runs on another (hover links, the Compare Activations panel's "Visualize", the config's
// CodeLens): their ids and argument shapes, so no feature imports another's folder. No `vscode` import.
import { NETWORK_PRESETS } from '../core/config/presets';
import type { ActivationName } from '../core/types';

export const VISUALIZE_NETWORK_COMMAND = 'gradscope.visualizeNetwork';
export const COMPARE_ACTIVATIONS_COMMAND = 'gradscope.compareActivations';

/** Depth used for the "n layers" examples in the hover text and for "Visualize a deep stack of it". */
export const EXAMPLE_DEPTH = 10;

/** Arguments of `gradscope.compareActivations`: the activations to overlay first (the panel lets the user add more). */
export interface CompareActivationsArgs {
  activations?: ActivationName[];
  params?: Partial<Record<ActivationName, Record<string, number>>>;
}

/**
 * Arguments the hover passes to `gradscope.visualizeNetwork`: a deep stack of this activation. `preset` is what the
 * command reads today (its VisualizeOptions); `activation`, `params` and `depth` say the rest for when it reads them.
 */
export interface VisualizeActivationArgs {
  preset?: string;
  activation: ActivationName;
  params: Record<string, number>;
  depth: number;
}

/** The panel's plain deep-stack preset of this activation (no batch norm, no skips), if it has one. */
export function deepStackPresetFor(name: ActivationName): string | undefined {
  return NETWORK_PRESETS.find(p => {
    const n = p.network;
    return n.activation === name && typeof n.hidden === 'object' && n.hidden !== null && !Array.isArray(n.hidden) && !n.batchNorm && !n.skip;
  })?.id;
}

export function visualizeArgs(name: ActivationName, params: Record<string, number>): VisualizeActivationArgs {
  const preset = deepStackPresetFor(name);
  return { ...(preset ? { preset } : {}), activation: name, params, depth: EXAMPLE_DEPTH };
}
