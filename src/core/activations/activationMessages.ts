// The activation table's words for the hover and the parameter checks, by id (part of the core's catalogue,
// src/core/messages.ts). activations.ts takes its summaries and notes from here, so the English the CLI and the
// webviews read and the bundle key the extension translates are one string.
export const ACTIVATION_MESSAGES = {
  // parameter checks (validateActivationParams)
  'act.param.unknown': '{name} has no parameter "{key}" (it has: {known})',
  'act.param.none': '{name} takes no parameters (got "{key}")',
  'act.param.notFinite': '{name}.{key} must be a finite number',
  'act.param.min': '{name}.{key} must be {bound}',
  'act.param.hardtanhOrder': 'hardtanh.min must be below hardtanh.max',
} as const;
