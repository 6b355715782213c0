// The network: an nn.Sequential-like stack built from a NetworkSpec, Float64 throughout. Parameters live in the
// modules; batch buffers live in Workspaces (see modules/module.ts), allocated for a batch capacity and grown
// only when a larger batch arrives.
import { coreText, formatCoreText, jsTypeText, type CoreText } from '../messages';
import { isActivationName } from '../activations/activations';
import type { Arena } from './arena';
import { defaultInitFor, initWeight } from './init';
import { Activation } from './modules/activation';
import { BatchNorm } from './modules/batchnorm';
import { Dropout } from './modules/dropout';
import { Linear } from './modules/linear';
import { type ForwardMode, type Module, type ParamTensor, Workspace } from './modules/module';
import { Residual, Sequential } from './modules/sequential';
import { Rng } from './rng';
import type { ActivationName, InitSpec, ModuleSpec, NetworkSpec } from '../types';

export { Workspace } from './modules/module';
export type { ForwardMode, ParamTensor, Module } from './modules/module';
export { Activation, BatchNorm, Dropout, Linear, Residual, Sequential };

export const BATCHNORM_MOMENTUM = 0.1;
export const BATCHNORM_EPS = 1e-5;

/** Random streams derived from one seed, so each concern draws independently of the others. */
export const RNG_STREAM = { init: 1, dropout: 2, shuffle: 3, split: 4 } as const;

/** A linear layer as the probes see it, with the modules that follow it up to the next linear layer. */
export interface LinearLayerInfo {
  index: number;
  path: string;
  linear: Linear;
  /** The activation following the layer, skipping batch norm / dropout; null when none (output layer). */
  activation: Activation | null;
  activationName: ActivationName;
  /** The first batch norm between this layer and the next one (before or after the activation). */
  batchNorm: BatchNorm | null;
  /** The next linear layer (index + 1), null for the output layer. */
  next: Linear | null;
  /**
   * What the forward pass meets between this layer's output z and the next linear layer's input, in order, across
   * residual blocks (see BackwardSplit in types.ts): the stages the backward split measures.
   */
  gradientPath: GradientStage[];
}

/** One stage between two linear layers, in forward order. */
export type GradientStage =
  | { kind: 'activation'; module: Activation }
  | { kind: 'batchnorm'; module: BatchNorm }
  | { kind: 'dropout'; module: Dropout }
  /** From a residual block's input into its body: the skip's gradient joins here (going backward). */
  | { kind: 'enterResidual'; module: Residual }
  /** From the body's output to the block's output: the same gradient (identity). */
  | { kind: 'exitResidual'; module: Residual };

/** Serialisable parameters, mirroring the model file's shape (weights as out rows of in). */
export type ModuleParams =
  | { type: 'linear'; weight: number[][]; bias: number[] | null }
  | { type: 'activation'; name: ActivationName; weight?: number[] }
  | { type: 'batchnorm'; weight: number[]; bias: number[]; runningMean: number[]; runningVar: number[] }
  | { type: 'dropout'; p: number }
  | { type: 'residual'; layers: ModuleParams[]; projection?: number[][] };

/** A spec or a parameter list that does not fit the network, with the path it is about; `text` as data. */
export class SpecError extends Error {
  readonly text: CoreText;

  constructor(message: CoreText, readonly path: string) {
    const text = coreText('spec.at', { path, message });
    super(formatCoreText(text));
    this.name = 'SpecError';
    this.text = text;
  }
}

export class Network {
  readonly inputs: number;
  readonly outputs: number;
  readonly root: Sequential;
  /** Every learned tensor, in spec order (weight, bias, γ, β, slope, projection). */
  readonly parameters: ParamTensor[] = [];
  /** Linear layers numbered 0 … L−1 from input to output, residual blocks depth-first. */
  readonly linearLayers: LinearLayerInfo[] = [];
  readonly batchNorms: BatchNorm[] = [];
  readonly dropouts: Dropout[] = [];
  readonly activations: Activation[] = [];
  /** Skip projections of residual blocks (trained, but not numbered among the linear layers). */
  readonly projections: Linear[] = [];
  private moduleCount = 0;
  private dropoutRng: Rng;
  private inferenceWs: Workspace | null = null;
  private readonly alloc: (length: number) => Float64Array;

  /**
   * With an arena (kernels.ts createArena: the resident engine), the linear layers' weights and biases and every
   * workspace's buffers live in it, so the products and element-wise steps run on them in place.
   */
  constructor(readonly spec: NetworkSpec, seed = 0, readonly arena: Arena | null = null) {
    this.alloc = arena ? (length) => arena.alloc(length) : (length) => new Float64Array(length);
    if (!Number.isInteger(spec.inputs) || spec.inputs < 1) throw new SpecError(coreText('spec.inputs'), 'inputs');
    this.inputs = spec.inputs;
    this.dropoutRng = Rng.stream(seed, RNG_STREAM.dropout);
    this.root = this.buildSequential(spec.layers, spec.inputs, 'layers', '');
    this.outputs = this.root.outWidth;
    this.numberLinearLayers(this.root.modules);
    this.traceGradientPaths();
    this.initialize(seed);
  }

  /** Draw every weight afresh from the seed, reset biases, batch norm and PReLU slopes, reseed dropout. */
  initialize(seed: number): void {
    const rng = Rng.stream(seed, RNG_STREAM.init);
    const visit = (mods: Module[]): void => {
      for (const m of mods) {
        if (m instanceof Linear) this.initLinear(m, rng);
        else if (m instanceof BatchNorm) m.reset();
        else if (m instanceof Activation) m.resetLearned();
        else if (m instanceof Residual) {
          visit(m.block.modules);
          if (m.projection) this.initLinear(m.projection, rng);
        }
      }
    };
    visit(this.root.modules);
    this.dropoutRng = Rng.stream(seed, RNG_STREAM.dropout);
  }

  private initLinear(l: Linear, rng: Rng): void {
    initWeight(l.weight.value, l.outWidth, l.inWidth, l.init, rng);
    l.bias?.value.fill(0);
    l.spectralNorm.reset();
  }

  private paramCounter = 0;
  private nextParamIndex = (): number => this.paramCounter++;

  private register(m: Module): void {
    for (const p of m.params) {
      if (p.index !== this.parameters.length) throw new Error('parameter numbering out of order');
      this.parameters.push(p);
    }
  }

  private buildSequential(specs: ModuleSpec[], inWidth: number, path: string, seqPath: string): Sequential {
    if (!Array.isArray(specs)) throw new SpecError(coreText('spec.layersArray'), path);
    const mods: Module[] = [];
    let width = inWidth;
    specs.forEach((s, i) => {
      const p = `${path}[${i}]`;
      const m = this.buildModule(s, width, p, specs, i);
      mods.push(m);
      width = m.outWidth;
    });
    return new Sequential(this.moduleCount++, seqPath || path, inWidth, mods);
  }

  private buildModule(s: ModuleSpec, width: number, path: string, siblings: ModuleSpec[], i: number): Module {
    if (!s || typeof s !== 'object') throw new SpecError(coreText('spec.layerObject'), path);
    switch (s.type) {
      case 'linear': {
        if (!Number.isInteger(s.units) || s.units < 1) throw new SpecError(coreText('spec.units'), path);
        const init: InitSpec = s.init ?? defaultInitFor(followingActivation(siblings, i));
        const l = new Linear(this.moduleCount++, path, width, s.units, s.bias !== false, init, this.nextParamIndex, 'weight', this.alloc);
        this.register(l);
        return l;
      }
      case 'activation': {
        if (!isActivationName(s.name)) throw new SpecError(coreText('spec.unknownActivation', { name: String(s.name) }), path);
        const a = new Activation(this.moduleCount++, path, width, s.name, s.params, s.perUnit === true, this.nextParamIndex);
        this.register(a);
        this.activations.push(a);
        return a;
      }
      case 'batchnorm': {
        const bn = new BatchNorm(
          this.moduleCount++, path, width, s.momentum ?? BATCHNORM_MOMENTUM, s.eps ?? BATCHNORM_EPS, this.nextParamIndex,
        );
        this.register(bn);
        this.batchNorms.push(bn);
        return bn;
      }
      case 'dropout': {
        if (!(typeof s.p === 'number' && s.p >= 0 && s.p < 1)) throw new SpecError(coreText('spec.dropoutP'), path);
        const d = new Dropout(this.moduleCount++, path, width, s.p, () => this.dropoutRng);
        this.dropouts.push(d);
        return d;
      }
      case 'residual': {
        const block = this.buildSequential(s.layers, width, `${path}.layers`, path);
        let projection: Linear | null = null;
        if (block.outWidth !== width) {
          projection = new Linear(
            this.moduleCount++, `${path}.projection`, width, block.outWidth, false, { type: 'xavier_uniform' },
            this.nextParamIndex, 'projection', this.alloc,
          );
          this.register(projection);
          this.projections.push(projection);
        }
        return new Residual(this.moduleCount++, path, block, projection);
      }
      default:
        throw new SpecError(coreText('spec.unknownLayerType', { type: String((s as { type?: unknown }).type) }), path);
    }
  }

  private numberLinearLayers(mods: Module[]): void {
    mods.forEach((m, i) => {
      if (m instanceof Linear) {
        let activation: Activation | null = null;
        let batchNorm: BatchNorm | null = null;
        for (let k = i + 1; k < mods.length; k++) {
          const next = mods[k];
          if (next instanceof BatchNorm) batchNorm ??= next;
          else if (next instanceof Dropout) continue;
          else if (next instanceof Activation && !activation) activation = next;
          else break;
        }
        m.layerIndex = this.linearLayers.length;
        this.linearLayers.push({
          index: m.layerIndex, path: m.path, linear: m, activation, activationName: activation?.name ?? 'linear', batchNorm,
          next: null, gradientPath: [],
        });
      } else if (m instanceof Residual) {
        this.numberLinearLayers(m.block.modules);
      }
    });
  }

  /** Each linear layer's next one and the stages between them, from the module tree in depth-first order. */
  private traceGradientPaths(): void {
    let open: LinearLayerInfo | null = null;
    const visit = (mods: Module[]): void => {
      for (const m of mods) {
        if (m instanceof Linear) {
          const info = this.linearLayers[m.layerIndex];
          if (open) open.next = m;
          open = info;
        } else if (m instanceof Residual) {
          open?.gradientPath.push({ kind: 'enterResidual', module: m });
          visit(m.block.modules);
          open?.gradientPath.push({ kind: 'exitResidual', module: m });
        } else if (m instanceof Activation) open?.gradientPath.push({ kind: 'activation', module: m });
        else if (m instanceof BatchNorm) open?.gradientPath.push({ kind: 'batchnorm', module: m });
        else if (m instanceof Dropout) open?.gradientPath.push({ kind: 'dropout', module: m });
      }
    };
    visit(this.root.modules);
    // The output layer's "path" runs to the network's output: not a stage between two layers.
    if (open) (open as LinearLayerInfo).gradientPath = [];
  }

  get parameterCount(): number {
    let n = 0;
    for (const p of this.parameters) n += p.value.length;
    return n;
  }

  /** A workspace for up to `capacity` rows (grown later by ensureCapacity when needed). */
  createWorkspace(capacity: number): Workspace {
    const ws = new Workspace(this.parameters.map((p) => p.value.length), this.moduleCount, this.arena);
    this.ensureCapacity(ws, Math.max(1, capacity));
    return ws;
  }

  /** Grow a workspace's buffers to hold `rows` rows (no-op when it already can). */
  ensureCapacity(ws: Workspace, rows: number): void {
    if (rows <= ws.capacity) return;
    this.root.allocate(ws, rows);
    if (ws.outputGrad.length < rows * this.outputs) ws.outputGrad = ws.alloc(rows * this.outputs);
    ws.capacity = rows;
  }

  /** How many Float64 values a workspace buffers per row of batch (to size very large batches safely). */
  bufferValuesPerRow(): number {
    const ws = new Workspace(this.parameters.map(() => 0));
    this.ensureCapacity(ws, 1);
    let values = 0;
    for (const st of ws.states) {
      if (!st) continue;
      for (const v of Object.values(st as Record<string, unknown>)) if (v instanceof Float64Array) values += v.length;
    }
    return values + this.outputs;
  }

  /** Forward n rows of x (n × inputs, row-major); returns the output buffer (n × outputs, owned by ws). */
  forward(ws: Workspace, x: Float64Array, n: number, mode: ForwardMode): Float64Array {
    this.ensureCapacity(ws, n);
    ws.batch = n;
    ws.mode = mode;
    ws.hasGradients = false;
    return this.root.forward(ws, x, n, mode);
  }

  /**
   * Backpropagate ws.outputGrad (∂L/∂output of the last forward pass over x) into ws.grads (overwritten).
   * When inputGrad is given, ∂L/∂x is written there too.
   */
  backward(ws: Workspace, x: Float64Array, inputGrad: Float64Array | null = null): void {
    this.root.backward(ws, x, ws.outputGrad, inputGrad, ws.batch);
    ws.hasGradients = true;
  }

  /** Evaluation-mode predictions for n rows, computed in chunks; a new array (n × outputs). */
  predict(x: Float64Array, n: number, chunk = 256): Float64Array {
    const out = new Float64Array(n * this.outputs);
    this.inferenceWs ??= this.createWorkspace(Math.min(chunk, Math.max(1, n)));
    const ws = this.inferenceWs;
    for (let start = 0; start < n; start += chunk) {
      const rows = Math.min(chunk, n - start);
      const y = this.forward(ws, x.subarray(start * this.inputs, (start + rows) * this.inputs), rows, 'eval');
      out.set(y.subarray(0, rows * this.outputs), start * this.outputs);
    }
    return out;
  }

  /** The parameters as plain arrays, module by module (the model file's shape). */
  exportParams(): ModuleParams[] {
    return exportModules(this.root.modules);
  }

  /** Load parameters exported by exportParams (or a model file); throws SpecError naming the path on a mismatch. */
  importParams(layers: ModuleParams[]): void {
    importModules(this.root.modules, layers, 'layers');
  }

  /** Copy every parameter value and running statistic (for snapshots of the last finite state). */
  saveState(): Float64Array[] {
    const out = this.parameters.map((p) => p.value.slice());
    for (const bn of this.batchNorms) out.push(bn.runningMean.slice(), bn.runningVar.slice());
    return out;
  }

  restoreState(state: Float64Array[]): void {
    let k = 0;
    for (const p of this.parameters) p.value.set(state[k++]);
    for (const bn of this.batchNorms) {
      bn.runningMean.set(state[k++]);
      bn.runningVar.set(state[k++]);
    }
  }

  /** The dropout stream's state, so a run can be resumed bit-identically. */
  get dropoutRandom(): Rng {
    return this.dropoutRng;
  }
}

/** The activation right after position i in a layer list (skipping batch norm and dropout), for default inits. */
function followingActivation(specs: ModuleSpec[], i: number): ActivationName {
  for (let k = i + 1; k < specs.length; k++) {
    const s = specs[k];
    if (s.type === 'activation') return isActivationName(s.name) ? s.name : 'linear';
    if (s.type !== 'batchnorm' && s.type !== 'dropout') break;
  }
  return 'linear';
}

function matrixRows(v: Float64Array, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) out.push(Array.from(v.subarray(r * cols, (r + 1) * cols)));
  return out;
}

function exportModules(mods: Module[]): ModuleParams[] {
  return mods.map((m): ModuleParams => {
    if (m instanceof Linear) {
      return { type: 'linear', weight: matrixRows(m.weight.value, m.outWidth, m.inWidth), bias: m.bias ? Array.from(m.bias.value) : null };
    }
    if (m instanceof Activation) {
      return m.preluSlope ? { type: 'activation', name: m.name, weight: Array.from(m.preluSlope.value) } : { type: 'activation', name: m.name };
    }
    if (m instanceof BatchNorm) {
      return {
        type: 'batchnorm', weight: Array.from(m.gamma.value), bias: Array.from(m.beta.value),
        runningMean: Array.from(m.runningMean), runningVar: Array.from(m.runningVar),
      };
    }
    if (m instanceof Dropout) return { type: 'dropout', p: m.p };
    if (m instanceof Residual) {
      const r: ModuleParams = { type: 'residual', layers: exportModules(m.block.modules) };
      if (m.projection) r.projection = matrixRows(m.projection.weight.value, m.projection.outWidth, m.projection.inWidth);
      return r;
    }
    throw new Error(`cannot export ${m.kind}`);
  });
}

function setVector(target: Float64Array, src: unknown, path: string): void {
  if (!Array.isArray(src) || src.length !== target.length) {
    throw new SpecError(coreText('spec.numbers', { count: target.length, got: Array.isArray(src) ? src.length : jsTypeText(src) }), path);
  }
  src.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new SpecError(coreText('spec.notFinite', { index: i }), path);
    target[i] = v;
  });
}

function setMatrix(target: Float64Array, rows: number, cols: number, src: unknown, path: string): void {
  if (!Array.isArray(src) || src.length !== rows) {
    throw new SpecError(coreText('spec.rows', { rows, cols, got: Array.isArray(src) ? coreText('spec.rowsGot', { count: src.length }) : jsTypeText(src) }), path);
  }
  src.forEach((row, r) => setVector(target.subarray(r * cols, (r + 1) * cols), row, `${path}[${r}]`));
}

function importModules(mods: Module[], layers: ModuleParams[], path: string): void {
  if (!Array.isArray(layers) || layers.length !== mods.length) {
    throw new SpecError(coreText('spec.layers', { count: mods.length, got: Array.isArray(layers) ? layers.length : jsTypeText(layers) }), path);
  }
  mods.forEach((m, i) => {
    const p = layers[i];
    const at = `${path}[${i}]`;
    const expectType = m.kind;
    if (!p || p.type !== expectType) throw new SpecError(coreText('spec.layerType', { expected: expectType, got: p ? String(p.type) : coreText('spec.nothing') }), at);
    if (m instanceof Linear && p.type === 'linear') {
      setMatrix(m.weight.value, m.outWidth, m.inWidth, p.weight, `${at}.weight`);
      if (m.bias) setVector(m.bias.value, p.bias ?? new Array(m.outWidth).fill(0), `${at}.bias`);
    } else if (m instanceof Activation && p.type === 'activation') {
      if (p.name !== m.name) throw new SpecError(coreText('spec.activation', { expected: m.name, got: p.name }), at);
      if (m.preluSlope && p.weight) setVector(m.preluSlope.value, p.weight, `${at}.weight`);
    } else if (m instanceof BatchNorm && p.type === 'batchnorm') {
      setVector(m.gamma.value, p.weight, `${at}.weight`);
      setVector(m.beta.value, p.bias, `${at}.bias`);
      setVector(m.runningMean, p.runningMean, `${at}.runningMean`);
      setVector(m.runningVar, p.runningVar, `${at}.runningVar`);
    } else if (m instanceof Residual && p.type === 'residual') {
      importModules(m.block.modules, p.layers, `${at}.layers`);
      if (m.projection) setMatrix(m.projection.weight.value, m.projection.outWidth, m.projection.inWidth, p.projection, `${at}.projection`);
    }
  });
}
