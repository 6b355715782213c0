// The network presets the panel offers, each a config in the `*.nn.json` shorthand so that "Save as config" writes
// exactly what was run and the same parser builds it. Each tells one part of the story of why deep nets stop
// learning, and what fixes it.
import { parseConfig, type ConfigRun } from './config';
import { InputError } from '../inputError';
import { coreText } from '../messages';
import { PRESET_MESSAGES } from './presetMessages';

export interface NetworkPreset {
  id: string;
  label: string;
  description: string;
  /** The config keys besides `data` (shorthand form), in the order they are written. */
  network: Record<string, unknown>;
}

const deep = { hidden: { units: 32, repeat: 10 } };
const momentumSgd = { optimizer: { type: 'momentum', lr: 0.01, momentum: 0.9 } };

export const NETWORK_PRESETS: readonly NetworkPreset[] = [
  {
    id: 'deep-sigmoid', label: 'Deep sigmoid (10×32)',
    description: PRESET_MESSAGES['preset.deepSigmoid'],
    network: { ...deep, activation: 'sigmoid', init: 'xavier_uniform', ...momentumSgd, epochs: 50 },
  },
  {
    id: 'deep-tanh', label: 'Deep tanh',
    description: PRESET_MESSAGES['preset.deepTanh'],
    network: { ...deep, activation: 'tanh', init: 'xavier_uniform', ...momentumSgd, epochs: 50 },
  },
  {
    id: 'deep-relu-he', label: 'Deep ReLU, He init',
    description: PRESET_MESSAGES['preset.deepReluHe'],
    network: { ...deep, activation: 'relu', init: 'he_normal', ...momentumSgd, epochs: 50 },
  },
  {
    id: 'relu-batchnorm', label: 'ReLU + BatchNorm',
    description: PRESET_MESSAGES['preset.reluBatchnorm'],
    network: { ...deep, activation: 'relu', init: 'he_normal', batchNorm: true, ...momentumSgd, epochs: 50 },
  },
  {
    id: 'prelu', label: 'PReLU (learned slope)',
    description: PRESET_MESSAGES['preset.prelu'],
    network: { ...deep, activation: 'prelu', init: 'he_normal', ...momentumSgd, epochs: 50 },
  },
  {
    id: 'selu', label: 'SELU / SERLU self-normalizing',
    description: PRESET_MESSAGES['preset.selu'],
    network: { ...deep, activation: 'selu', init: 'lecun_normal', ...momentumSgd, epochs: 50 },
  },
  {
    id: 'residual', label: 'Residual (skip every 2)',
    description: PRESET_MESSAGES['preset.residual'],
    network: { ...deep, activation: 'tanh', init: 'xavier_uniform', skip: 2, optimizer: { type: 'sgd', lr: 0.01 }, epochs: 50 },
  },
  {
    id: 'one-hidden', label: 'One hidden layer (universal approximation)',
    description: PRESET_MESSAGES['preset.oneHidden'],
    network: { hidden: [64], activation: 'sigmoid', optimizer: { type: 'adam', lr: 0.01 }, epochs: 300 },
  },
];

export function findPreset(id: string): NetworkPreset | undefined {
  return NETWORK_PRESETS.find(p => p.id === id || p.label === id);
}

/** The preset used when none is chosen. */
export const DEFAULT_PRESET_ID = 'deep-sigmoid';

/** Short arrays and small flat objects on one line, as people write them. */
function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replace(/\[\n\s+([^[\]{}\n]*(?:\n\s+[^[\]{}\n]*)*?)\n\s+\]/g, (_m, inner: string) => `[${inner.split(/,\n\s+/).join(', ')}]`)
    .replace(/\{\n\s+([^[\]{}\n]*(?:\n\s+[^[\]{}\n]*)*?)\n\s+\}/g, (_m, inner: string) => `{ ${inner.split(/,\n\s+/).join(', ')} }`);
}

/**
 * A preset with a data choice, as `*.nn.json` text ("Save as config"): a comment with the preset's story, the data,
 * then the network keys. `file` is written as given (make it relative to where the config will be saved).
 */
export function presetConfigText(presetId: string, data: { file?: string; builtin?: string }): string {
  const preset = findPreset(presetId);
  if (!preset) throw new InputError(coreText('preset.unknown', { preset: presetId, presets: NETWORK_PRESETS.map(p => p.id).join(', ') }));
  const config: Record<string, unknown> = {
    name: preset.label,
    data: data.file !== undefined ? { file: data.file.replace(/\\/g, '/') } : { builtin: data.builtin ?? 'spiral' },
    ...preset.network,
    seed: 1,
  };
  return `// ${preset.label}: ${preset.description}\n// Edit freely: hover a key for what it does.\n${compactJson(config)}\n`;
}

/** Parse a preset + data choice as if it were a saved config. */
export function presetRun(presetId: string, data: { file?: string; builtin?: string }, configPath: string): ConfigRun {
  const result = parseConfig(presetConfigText(presetId, data), configPath);
  if (!result.run) throw new InputError(result.errors.map(e => e.message).join('; '));
  return result.run;
}
