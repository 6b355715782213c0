// Loss-landscape slices around the current weights θ (Li et al., "Visualizing the Loss Landscape of Neural Nets",
// 2018): two seeded random directions δ, η with θ's shapes, filter-normalised, and the loss at θ + αδ + βη over a
// grid [−r, r]², computed row by row so a caller can stream the picture and stop between rows.
//
// Filter normalisation for a fully connected layer: each output unit's incoming weight row of the direction is
// rescaled to the norm of the same row of θ (a "filter" of a linear layer is one row of its weight). Biases, batch
// norm γ/β and PReLU slopes get a zero direction (Li et al.'s `ignore biasbn`; PReLU slopes are treated like the
// other per-unit scalars). Skip projections of residual blocks are weight matrices and are normalised row by row.
import { CoreError } from '../coreError';
import { coreText } from '../messages';
import { computeLoss } from '../nn/losses';
import { Linear, type Network, type Workspace } from '../nn/network';
import { Rng } from '../nn/rng';
import { Trainer } from '../nn/trainer';
import type { DataSplit, LossName, ModuleSpec, NetworkSpec, PreparedData, TrainSpec } from '../types';

export const LANDSCAPE_DEFAULTS = { grid: 41, range: 1, seed: 0, maxRows: 2000, sliceSize: 101 } as const;
export const LANDSCAPE_LIMITS = { minGrid: 3, maxGrid: 201, maxRange: 1000 } as const;

/** One tensor per entry of network.parameters, same lengths. */
export type Direction = Float64Array[];

/** Random stream for directions, apart from the training streams (1 … 4 in network.ts). */
const DIRECTION_STREAM = 11;

/** Each linear weight (and skip projection) by parameter index, with its shape. */
function weightShapes(network: Network): Map<number, { rows: number; cols: number }> {
  const shapes = new Map<number, { rows: number; cols: number }>();
  const add = (l: Linear): void => { shapes.set(l.weight.index, { rows: l.outWidth, cols: l.inWidth }); };
  for (const info of network.linearLayers) add(info.linear);
  for (const p of network.projections) add(p);
  return shapes;
}

/**
 * A Gaussian direction with θ's shapes, filter-normalised: row r of a weight matrix is scaled so that
 * ‖d_r‖ = ‖θ_r‖; every other parameter (bias, γ, β, PReLU slope) is zero.
 */
export function filterNormalizedDirection(network: Network, rng: Rng): Direction {
  const shapes = weightShapes(network);
  return network.parameters.map((p) => {
    const d = new Float64Array(p.value.length);
    const shape = shapes.get(p.index);
    if (!shape) return d;
    for (let i = 0; i < d.length; i++) d[i] = rng.normal();
    const theta = p.value;
    for (let r = 0; r < shape.rows; r++) {
      const start = r * shape.cols;
      let dn = 0;
      let tn = 0;
      for (let c = 0; c < shape.cols; c++) {
        dn += d[start + c] * d[start + c];
        tn += theta[start + c] * theta[start + c];
      }
      const scale = dn > 0 ? Math.sqrt(tn) / Math.sqrt(dn) : 0;
      for (let c = 0; c < shape.cols; c++) d[start + c] *= scale;
    }
    return d;
  });
}

/** δ and η from one seed (δ first), so the same seed gives the same plane. */
export function landscapeDirections(network: Network, seed: number): { delta: Direction; eta: Direction } {
  const rng = Rng.stream(seed, DIRECTION_STREAM);
  const delta = filterNormalizedDirection(network, rng);
  const eta = filterNormalizedDirection(network, rng);
  return { delta, eta };
}

/** N values from −r to r; the middle one (N odd) is exactly 0, so the grid's centre is θ itself. */
export function landscapeAxis(size: number, range: number): Float64Array {
  if (!(Number.isInteger(size) && size >= 2)) throw new CoreError(coreText('landscape.gridSize', { size: String(size) }));
  if (!(range > 0 && Number.isFinite(range))) throw new CoreError(coreText('landscape.range', { range: String(range) }));
  const axis = new Float64Array(size);
  for (let i = 0; i < size; i++) axis[i] = (range * (2 * i - (size - 1))) / (size - 1);
  return axis;
}

/**
 * Up to maxRows rows of a split, evenly strided (deterministic, covers the whole split); the split itself when it is
 * small enough.
 */
export function landscapeSample(split: DataSplit, d: number, maxRows: number = LANDSCAPE_DEFAULTS.maxRows): DataSplit {
  if (split.n <= maxRows) return split;
  const n = Math.max(1, Math.floor(maxRows));
  const x = new Float64Array(n * d);
  const yWidth = split.y.length / split.n;
  const y = new Float64Array(n * yWidth);
  for (let i = 0; i < n; i++) {
    const src = Math.floor((i * split.n) / n);
    x.set(split.x.subarray(src * d, (src + 1) * d), i * d);
    y.set(split.y.subarray(src * yWidth, (src + 1) * yWidth), i * yWidth);
  }
  return { n, x, y };
}

/** Rows forwarded at once: bounds the workspace for big samples. */
const EVAL_CHUNK = 1024;

/**
 * Evaluates the loss (eval mode: batch norm running statistics, no dropout) at θ + αδ + βη on a fixed sample.
 * Writes into the network's parameters while evaluating; `restore()` puts θ back (the row generators do so
 * themselves when they finish or are stopped).
 */
export class LandscapeEvaluator {
  readonly theta: Float64Array[];
  private readonly ws: Workspace;
  private readonly k: number;
  private readonly chunks: { rows: number; x: Float64Array; y: Float64Array }[] = [];

  constructor(
    readonly network: Network,
    readonly loss: LossName,
    readonly sample: DataSplit,
    readonly delta: Direction,
    readonly eta: Direction,
  ) {
    if (sample.n < 1) throw new CoreError(coreText('landscape.noRows'));
    this.theta = network.parameters.map((p) => p.value.slice());
    this.ws = network.createWorkspace(Math.min(EVAL_CHUNK, sample.n));
    this.k = network.outputs;
    // Views of each chunk made once, so evaluating a grid point allocates nothing.
    const d = network.inputs;
    const yWidth = sample.y.length / sample.n;
    for (let start = 0; start < sample.n; start += EVAL_CHUNK) {
      const rows = Math.min(EVAL_CHUNK, sample.n - start);
      this.chunks.push({ rows, x: sample.x.subarray(start * d, (start + rows) * d), y: sample.y.subarray(start * yWidth, (start + rows) * yWidth) });
    }
  }

  /** Mean loss over the sample at the network's current parameters. */
  private currentLoss(): number {
    let sum = 0;
    for (const chunk of this.chunks) {
      const out = this.network.forward(this.ws, chunk.x, chunk.rows, 'eval');
      sum += computeLoss(this.loss, out, chunk.y, chunk.rows, this.k, null) * chunk.rows;
    }
    return sum / this.sample.n;
  }

  /** The loss at θ, with θ untouched. */
  lossAtTheta(): number {
    this.restore();
    return this.currentLoss();
  }

  /** The loss at θ + αδ + βη (the parameters stay moved until restore()). */
  lossAt(alpha: number, beta: number): number {
    const params = this.network.parameters;
    for (let t = 0; t < params.length; t++) {
      const v = params[t].value;
      const th = this.theta[t];
      const dt = this.delta[t];
      const et = this.eta[t];
      for (let i = 0; i < v.length; i++) v[i] = th[i] + alpha * dt[i] + beta * et[i];
    }
    return this.currentLoss();
  }

  restore(): void {
    const params = this.network.parameters;
    for (let t = 0; t < params.length; t++) params[t].value.set(this.theta[t]);
  }

  /**
   * Row j of the grid holds β = axis[j] and α = axis[0 … N−1]. Yields one new row per grid row; θ is restored when
   * the generator ends or is stopped early (return()).
   */
  *rows(axis: Float64Array): Generator<{ index: number; beta: number; losses: Float64Array }, void, void> {
    try {
      for (let j = 0; j < axis.length; j++) {
        const losses = new Float64Array(axis.length);
        for (let i = 0; i < axis.length; i++) losses[i] = this.lossAt(axis[i], axis[j]);
        yield { index: j, beta: axis[j], losses };
      }
    } finally {
      this.restore();
    }
  }

  /** The 1-D slice along δ: the loss at θ + αδ for each α of the axis (θ restored afterwards). */
  slice(axis: Float64Array): Float64Array {
    const out = new Float64Array(axis.length);
    try {
      for (let i = 0; i < axis.length; i++) out[i] = this.lossAt(axis[i], 0);
    } finally {
      this.restore();
    }
    return out;
  }
}

export interface LandscapeOptions {
  grid?: number;
  range?: number;
  seed?: number;
  /** Rows of the training split used (evenly strided subsample past this). */
  maxRows?: number;
  /** Points of the 1-D slice along δ. */
  sliceSize?: number;
}

export interface LandscapeResult {
  grid: number;
  range: number;
  seed: number;
  rowsUsed: number;
  loss: LossName;
  /** α (columns) and β (rows) share these values. */
  axis: number[];
  /** rows[j][i]: loss at θ + axis[i]·δ + axis[j]·η. */
  rows: number[][];
  lossAtTheta: number;
  min: { alpha: number; beta: number; loss: number };
  max: number;
  slice: { axis: number[]; losses: number[] };
}

/** A landscape evaluator for a trained network on (a subsample of) its training split. */
export function createLandscape(network: Network, loss: LossName, train: DataSplit, options: LandscapeOptions = {}): {
  evaluator: LandscapeEvaluator; axis: Float64Array; sliceAxis: Float64Array; seed: number; range: number;
} {
  const grid = options.grid ?? LANDSCAPE_DEFAULTS.grid;
  const range = options.range ?? LANDSCAPE_DEFAULTS.range;
  const seed = options.seed ?? LANDSCAPE_DEFAULTS.seed;
  const sample = landscapeSample(train, network.inputs, options.maxRows ?? LANDSCAPE_DEFAULTS.maxRows);
  const { delta, eta } = landscapeDirections(network, seed);
  return {
    evaluator: new LandscapeEvaluator(network, loss, sample, delta, eta),
    axis: landscapeAxis(grid, range),
    sliceAxis: landscapeAxis(options.sliceSize ?? LANDSCAPE_DEFAULTS.sliceSize, range),
    seed, range,
  };
}

/** The whole computation at once (CLI, tests); `onRow` sees each row as it is done and may return false to stop. */
export function computeLandscape(
  network: Network, loss: LossName, train: DataSplit, options: LandscapeOptions = {},
  onRow?: (index: number, losses: Float64Array) => boolean | void,
): LandscapeResult | null {
  const { evaluator, axis, sliceAxis, seed, range } = createLandscape(network, loss, train, options);
  const lossAtTheta = evaluator.lossAtTheta();
  const rows: number[][] = [];
  for (const row of evaluator.rows(axis)) {
    rows.push(Array.from(row.losses));
    if (onRow && onRow(row.index, row.losses) === false) return null;
  }
  const slice = evaluator.slice(sliceAxis);
  return landscapeResult({ evaluator, axis, sliceAxis, seed, range }, loss, lossAtTheta, rows, slice);
}

/** The result of a landscape computed here or on a worker pool (src/core/parallel/parallelLandscape.ts). */
export function landscapeResult(
  made: { evaluator: LandscapeEvaluator; axis: Float64Array; sliceAxis: Float64Array; seed: number; range: number },
  loss: LossName, lossAtTheta: number, rows: number[][], slice: Float64Array,
): LandscapeResult {
  const { evaluator, axis, sliceAxis, seed, range } = made;
  const stats = gridStats(rows, axis);
  return {
    grid: axis.length, range, seed, rowsUsed: evaluator.sample.n, loss,
    axis: Array.from(axis), rows, lossAtTheta, min: stats.min, max: stats.max,
    slice: { axis: Array.from(sliceAxis), losses: Array.from(slice) },
  };
}

/** The lowest finite cell and the highest finite value. */
export function gridStats(rows: ArrayLike<number>[], axis: ArrayLike<number>): { min: { alpha: number; beta: number; loss: number }; max: number } {
  let min = { alpha: NaN, beta: NaN, loss: Infinity };
  let max = -Infinity;
  rows.forEach((row, j) => {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (!Number.isFinite(v)) continue;
      if (v < min.loss) min = { alpha: axis[i], beta: axis[j], loss: v };
      if (v > max) max = v;
    }
  });
  return { min, max };
}

/**
 * Roughness of a grid: the mean |discrete Laplacian| over interior cells (4-neighbour stencil), divided by the grid's
 * range of values (max − min), so scale-free. A bowl with constant curvature scores low; a surface with many
 * bumps and ridges scores high. Non-finite cells are skipped.
 */
export function landscapeRoughness(rows: ArrayLike<number>[]): number {
  const n = rows.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of rows) for (let i = 0; i < row.length; i++) if (Number.isFinite(row[i])) { lo = Math.min(lo, row[i]); hi = Math.max(hi, row[i]); }
  if (!(hi > lo)) return 0;
  let sum = 0;
  let count = 0;
  for (let j = 1; j < n - 1; j++) {
    const m = rows[j].length;
    for (let i = 1; i < m - 1; i++) {
      const lap = rows[j - 1][i] + rows[j + 1][i] + rows[j][i - 1] + rows[j][i + 1] - 4 * rows[j][i];
      if (Number.isFinite(lap)) { sum += Math.abs(lap); count++; }
    }
  }
  return count ? sum / count / (hi - lo) : 0;
}

// ---- Skip connections on/off -------------------------------------------------------------------------------------

/** The same layers with every residual block's contents inlined (its skip path, and any projection, removed). */
export function withoutSkipConnections(spec: NetworkSpec): NetworkSpec {
  const flatten = (layers: ModuleSpec[]): ModuleSpec[] => layers.flatMap((m) => (m.type === 'residual' ? flatten(m.layers) : [m]));
  return { inputs: spec.inputs, layers: flatten(spec.layers) };
}

/**
 * The same layers with a skip connection around every `every` hidden blocks, as the config's `skip` key builds them:
 * a block is a linear layer with the batch norm / activation / dropout after it; the first block (which maps the
 * inputs) and the output layer stay outside. A spec that already has residual blocks is returned as it is.
 */
export function withSkipConnections(spec: NetworkSpec, every = 2): NetworkSpec {
  if (spec.layers.some((m) => m.type === 'residual')) return spec;
  const blocks: ModuleSpec[][] = [];
  for (const m of spec.layers) {
    if (m.type === 'linear' || blocks.length === 0) blocks.push([m]);
    else blocks[blocks.length - 1].push(m);
  }
  // The last block is the output layer (and whatever follows it).
  if (blocks.length < every + 2) return spec;
  const layers: ModuleSpec[] = [...blocks[0]];
  let b = 1;
  const lastHidden = blocks.length - 1;
  for (; b + every <= lastHidden; b += every) {
    layers.push({ type: 'residual', layers: blocks.slice(b, b + every).flat() });
  }
  for (; b < blocks.length; b++) layers.push(...blocks[b]);
  return { inputs: spec.inputs, layers };
}

/** Plain and residual variants of one architecture (derived from whichever the config is). */
export function skipConnectionVariants(spec: NetworkSpec, every = 2): { plain: NetworkSpec; residual: NetworkSpec } {
  return { plain: withoutSkipConnections(spec), residual: withSkipConnections(withoutSkipConnections(spec), every) };
}

/** One colour scale for several grids: the lowest and highest finite loss over all of them. */
export function sharedScale(grids: { rows: ArrayLike<number>[] }[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const g of grids) for (const row of g.rows) for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (Number.isFinite(v)) { if (v < min) min = v; if (v > max) max = v; }
  }
  return { min, max };
}

export interface SkipComparison {
  steps: number;
  plain: LandscapeResult & { roughness: number; finalLoss: number };
  residual: LandscapeResult & { roughness: number; finalLoss: number };
  /** The colour scale both heatmaps use. */
  scale: { min: number; max: number };
}

/**
 * Build the config's architecture with and without skip connections, train both `steps` steps from the same seed on
 * the same split, and compute both landscapes with the same direction seed and one colour scale. Returns null when
 * `isCancelled` says stop (checked between grid rows).
 */
export function compareSkipConnections(
  spec: TrainSpec, data: PreparedData, steps: number, options: LandscapeOptions & { every?: number; isCancelled?: () => boolean } = {},
): SkipComparison | null {
  const variants = skipConnectionVariants(spec.network, options.every);
  const run = (network: NetworkSpec): (LandscapeResult & { roughness: number; finalLoss: number }) | null => {
    const trainer = new Trainer({ ...spec, network }, data);
    trainer.runSteps(steps);
    const result = computeLandscape(trainer.network, spec.loss, data.train, options, () => !options.isCancelled?.());
    if (!result) return null;
    return { ...result, roughness: landscapeRoughness(result.rows), finalLoss: result.lossAtTheta };
  };
  const plain = run(variants.plain);
  if (!plain) return null;
  const residual = run(variants.residual);
  if (!residual) return null;
  return { steps, plain, residual, scale: sharedScale([plain, residual]) };
}
