// The built-in datasets' descriptions (builtinDatasets.ts), by id: part of the core's catalogue (src/core/messages.ts),
// so the quick picks show them in the display language while the CLI keeps the English.
export const BUILTIN_MESSAGES = {
  'builtin.circle': 'Two classes: a disc of radius 2.5 inside a ring from 3.5 to 5 (TensorFlow Playground).',
  'builtin.xor': 'Two classes by the sign of x·y over [−5, 5]² with a gap along the axes (TensorFlow Playground).',
  'builtin.gauss': 'Two Gaussian blobs centred at (2, 2) and (−2, −2) (TensorFlow Playground).',
  'builtin.spiral': 'Two interleaved spirals, 1.75 turns each (TensorFlow Playground).',
  'builtin.plane': 'Regression on a tilted plane, y = (x₁ + x₂)/10 over [−6, 6]² (TensorFlow Playground).',
  'builtin.multiGauss': 'Regression on six signed Gaussian bumps over [−6, 6]² (TensorFlow Playground).',
  'builtin.sine': 'y = sin(2x) on [−π, π]: two periods of a smooth curve.',
  'builtin.step': 'y = 1 for x > 0, else 0, on [−1, 1]: a jump a sigmoid must steepen to match.',
  'builtin.abs': 'y = |x| on [−1, 1]: a kink, exactly two ReLUs.',
  'builtin.nielsen': 'f(x) = 0.2 + 0.4x² + 0.3x·sin(15x) + 0.05·cos(50x) on [0, 1] (Nielsen, ch. 4).',
} as const;
