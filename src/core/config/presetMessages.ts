// The network presets' stories (presets.ts), by id: part of the core's catalogue (src/core/messages.ts), so the
// quick picks show them in the display language while the CLI and a saved config's comment keep the English.
export const PRESET_MESSAGES = {
  'preset.deepSigmoid': 'Ten sigmoid layers of 32 with Xavier init: σ′ ≤ 1/4 shrinks the gradient at every layer, so the first layers barely learn (vanishing gradient).',
  'preset.deepTanh': 'Ten tanh layers of 32 with Xavier init: zero-centred and with slope 1 at 0, better than sigmoid, but it still saturates.',
  'preset.deepReluHe': 'Ten ReLU layers with He init: slope 1 on the positive side keeps the gradient alive; watch for dead units.',
  'preset.reluBatchnorm': 'Ten ReLU layers with batch normalisation before each activation: pre-activations stay centred where the slope is large.',
  'preset.prelu': 'Ten PReLU layers: the negative-side slope (initially 0.25) is learned, so no unit dies.',
  'preset.selu': 'Ten SELU layers with LeCun init: activations keep mean 0 and variance 1 through depth without batch norm (switch the activation to "serlu" to compare).',
  'preset.residual': 'Ten tanh layers with a skip connection around every two (x + block(x)): the identity path carries the gradient back to the first layer. Plain SGD: without normalisation, residual sums grow and momentum overshoots.',
  'preset.oneHidden': 'One wide sigmoid layer: enough units can approximate any continuous function (try the 1-D sets: sine, step, abs, nielsen).',
  'preset.unknown': 'unknown preset \'{preset}\' (presets: {presets})',
} as const;
