// Datasets generated from a seed, for a user without a file: the TensorFlow Playground classics (same shapes, ranges
// and noise semantics as its dataset.ts) and 1-D curves that show the universal approximation theorem at work.
import { BUILTIN_MESSAGES } from './builtinMessages';
import type { Dataset, Task } from '../types';
import { seededNormal, seededUniform } from './datasetRandom';
import { InputError } from '../inputError';
import { coreText, notesOf } from '../messages';

export interface BuiltinDataset {
  name: string;
  label: string;
  description: string;
  task: Task;
  inputs: number;
  /** Noise the set is generated with when none is given. */
  defaultNoise: number;
  /** What "noise" means for this set. */
  noiseMeaning: string;
  /** Fills x (n × inputs) and y for n samples. */
  generate(n: number, noise: number, uniform: () => number, x: Float64Array, y: Float64Array): void;
}

export const DEFAULT_BUILTIN_SAMPLES = 500;
export const MAX_BUILTIN_SAMPLES = 1_000_000;

const PLAYGROUND_NOISE = 'Playground noise level, 0 … 0.5 (shifts the point used for labelling by up to ±noise × radius)';
const CURVE_NOISE = 'standard deviation of Gaussian noise added to y';

/** Nielsen's function from "Neural Networks and Deep Learning", chapter 4. */
export function nielsenFunction(x: number): number {
  return 0.2 + 0.4 * x * x + 0.3 * x * Math.sin(15 * x) + 0.05 * Math.cos(50 * x);
}

const between = (uniform: () => number, a: number, b: number) => a + (b - a) * uniform();

/** A 1-D regression set: x uniform on [a, b], y = f(x) + N(0, noise²). */
function curve(name: string, label: string, description: string, a: number, b: number, f: (x: number) => number): BuiltinDataset {
  return {
    name, label, description, task: 'regression', inputs: 1, defaultNoise: 0, noiseMeaning: CURVE_NOISE,
    generate(n, noise, uniform, x, y) {
      const normal = seededNormal(uniform);
      for (let i = 0; i < n; i++) {
        x[i] = between(uniform, a, b);
        y[i] = f(x[i]) + (noise > 0 ? noise * normal() : 0);
      }
    },
  };
}

export const BUILTIN_DATASETS: readonly BuiltinDataset[] = [
  {
    name: 'circle', label: 'Circle', task: 'binary', inputs: 2, defaultNoise: 0, noiseMeaning: PLAYGROUND_NOISE,
    description: BUILTIN_MESSAGES['builtin.circle'],
    generate(n, noise, uniform, x, y) {
      const radius = 5;
      for (let i = 0; i < n; i++) {
        const inside = i < n / 2;
        const r = inside ? between(uniform, 0, radius * 0.5) : between(uniform, radius * 0.7, radius);
        const angle = between(uniform, 0, 2 * Math.PI);
        const px = r * Math.sin(angle);
        const py = r * Math.cos(angle);
        const nx = between(uniform, -radius, radius) * noise;
        const ny = between(uniform, -radius, radius) * noise;
        x[2 * i] = px;
        x[2 * i + 1] = py;
        y[i] = Math.hypot(px + nx, py + ny) < radius * 0.5 ? 1 : 0;
      }
    },
  },
  {
    name: 'xor', label: 'Exclusive or', task: 'binary', inputs: 2, defaultNoise: 0, noiseMeaning: PLAYGROUND_NOISE,
    description: BUILTIN_MESSAGES['builtin.xor'],
    generate(n, noise, uniform, x, y) {
      const padding = 0.3;
      for (let i = 0; i < n; i++) {
        let px = between(uniform, -5, 5);
        px += px > 0 ? padding : -padding;
        let py = between(uniform, -5, 5);
        py += py > 0 ? padding : -padding;
        const nx = between(uniform, -5, 5) * noise;
        const ny = between(uniform, -5, 5) * noise;
        x[2 * i] = px;
        x[2 * i + 1] = py;
        y[i] = (px + nx) * (py + ny) >= 0 ? 1 : 0;
      }
    },
  },
  {
    name: 'gauss', label: 'Two Gaussians', task: 'binary', inputs: 2, defaultNoise: 0, noiseMeaning: 'Playground noise level, 0 … 0.5 (variance grows from 0.5 to 4)',
    description: BUILTIN_MESSAGES['builtin.gauss'],
    generate(n, noise, uniform, x, y) {
      const normal = seededNormal(uniform);
      const variance = 0.5 + (3.5 * Math.min(noise, 0.5)) / 0.5;
      const sd = Math.sqrt(variance);
      for (let i = 0; i < n; i++) {
        const positive = i < n / 2;
        const c = positive ? 2 : -2;
        x[2 * i] = c + sd * normal();
        x[2 * i + 1] = c + sd * normal();
        y[i] = positive ? 1 : 0;
      }
    },
  },
  {
    name: 'spiral', label: 'Spiral', task: 'binary', inputs: 2, defaultNoise: 0, noiseMeaning: 'Playground noise level, 0 … 0.5 (uniform jitter of ±noise on each coordinate)',
    description: BUILTIN_MESSAGES['builtin.spiral'],
    generate(n, noise, uniform, x, y) {
      const half = Math.ceil(n / 2);
      for (let i = 0; i < n; i++) {
        const positive = i < half;
        const k = positive ? i : i - half;
        const count = positive ? half : n - half;
        const r = (k / count) * 5;
        const t = ((1.75 * k) / count) * 2 * Math.PI + (positive ? 0 : Math.PI);
        x[2 * i] = r * Math.sin(t) + between(uniform, -1, 1) * noise;
        x[2 * i + 1] = r * Math.cos(t) + between(uniform, -1, 1) * noise;
        y[i] = positive ? 1 : 0;
      }
    },
  },
  {
    name: 'plane', label: 'Plane', task: 'regression', inputs: 2, defaultNoise: 0, noiseMeaning: PLAYGROUND_NOISE,
    description: BUILTIN_MESSAGES['builtin.plane'],
    generate(n, noise, uniform, x, y) {
      const radius = 6;
      for (let i = 0; i < n; i++) {
        const px = between(uniform, -radius, radius);
        const py = between(uniform, -radius, radius);
        const nx = between(uniform, -radius, radius) * noise;
        const ny = between(uniform, -radius, radius) * noise;
        x[2 * i] = px;
        x[2 * i + 1] = py;
        y[i] = (px + nx + py + ny) / 10;
      }
    },
  },
  {
    name: 'multi-gauss', label: 'Multi Gaussian', task: 'regression', inputs: 2, defaultNoise: 0, noiseMeaning: PLAYGROUND_NOISE,
    description: BUILTIN_MESSAGES['builtin.multiGauss'],
    generate(n, noise, uniform, x, y) {
      const bumps: [number, number, number][] = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]];
      const radius = 6;
      const labelAt = (px: number, py: number) => {
        let label = 0;
        for (const [cx, cy, sign] of bumps) {
          // Playground's scale: distance 0 → 1, distance ≥ 2 → 0, linear between.
          const value = sign * Math.max(0, Math.min(1, 1 - Math.hypot(px - cx, py - cy) / 2));
          if (Math.abs(value) > Math.abs(label)) label = value;
        }
        return label;
      };
      for (let i = 0; i < n; i++) {
        const px = between(uniform, -radius, radius);
        const py = between(uniform, -radius, radius);
        const nx = between(uniform, -radius, radius) * noise;
        const ny = between(uniform, -radius, radius) * noise;
        x[2 * i] = px;
        x[2 * i + 1] = py;
        y[i] = labelAt(px + nx, py + ny);
      }
    },
  },
  curve('sine', 'Sine', BUILTIN_MESSAGES['builtin.sine'], -Math.PI, Math.PI, x => Math.sin(2 * x)),
  curve('step', 'Step', BUILTIN_MESSAGES['builtin.step'], -1, 1, x => (x > 0 ? 1 : 0)),
  curve('abs', 'Absolute value', BUILTIN_MESSAGES['builtin.abs'], -1, 1, Math.abs),
  curve('nielsen', "Nielsen's function", BUILTIN_MESSAGES['builtin.nielsen'], 0, 1, nielsenFunction),
];

export const BUILTIN_DATASET_NAMES: readonly string[] = BUILTIN_DATASETS.map(b => b.name);

export function findBuiltinDataset(name: string): BuiltinDataset | undefined {
  const lower = name.toLowerCase().replace(/_/g, '-');
  return BUILTIN_DATASETS.find(b => b.name === lower);
}

/** Generate a built-in dataset; the same (name, samples, noise, seed) gives the same numbers everywhere. */
export function generateBuiltinDataset(name: string, options: { samples?: number; noise?: number; seed?: number } = {}): Dataset {
  const spec = findBuiltinDataset(name);
  if (!spec) throw new InputError(coreText('data.unknownBuiltin', { name, names: BUILTIN_DATASET_NAMES.join(', ') }));
  const n = Math.floor(options.samples ?? DEFAULT_BUILTIN_SAMPLES);
  if (!(n >= 2 && n <= MAX_BUILTIN_SAMPLES)) throw new InputError(coreText('data.builtinSamples', { max: MAX_BUILTIN_SAMPLES, value: String(options.samples) }));
  const noise = options.noise ?? spec.defaultNoise;
  if (!(noise >= 0 && Number.isFinite(noise))) throw new InputError(coreText('data.builtinNoise', { value: String(options.noise) }));
  const x = new Float64Array(n * spec.inputs);
  const y = new Float64Array(n);
  spec.generate(n, noise, seededUniform(options.seed ?? 0), x, y);
  const classes = spec.task === 'regression' ? undefined : ['-1', '+1'];
  return {
    name: spec.name,
    inputNames: spec.inputs === 1 ? ['x'] : ['x1', 'x2'],
    targetName: spec.task === 'regression' ? 'y' : 'label',
    n, d: spec.inputs, x, y, task: spec.task, classes,
    ...notesOf([coreText('data.note.builtin', { name: spec.name, n, noise })]),
  };
}
