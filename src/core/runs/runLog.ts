// A PyTorch run log written by python/gradscope (JSON Lines, format 1: python/README.md "The file"), read as a
// stream: bytes are fed as they arrive, complete lines are parsed, a last line without '\n' waits for the rest
// (the run is still writing). Each snapshot becomes a core Snapshot whose layers are the modules that own
// parameters, in model order, labelled with their qualified names, so every view of a trained run can draw it.
// Pure: no vscode, no DOM; `readRunLogFile` / `RunLogTail` are the only functions that touch the file system.
import * as fs from 'node:fs';
import { ACTIVATIONS } from '../activations/activations';
import { coreText, formatCoreText, type CoreText } from '../messages';
import { isJsonObject as isObject } from '../io/jsonLimits';
import type { ActivationName, BackwardSplit, Distribution, LayerProbe, Snapshot } from '../types';

/** The format this reader understands; a newer file is read as far as it matches, with a note. */
export const RUN_LOG_FORMAT = 1;
/** A run keeps at most this many snapshots; past it, older ones are thinned evenly (the newest always kept). */
export const DEFAULT_MAX_SNAPSHOTS = 3000;

export interface RunModule {
  name: string;
  type: string;
  params: { name: string; shape: number[] }[];
  activation?: { name: string; params?: Record<string, number>; maxSlope?: number; threshold?: number; split?: number };
}

export interface RunLogMeta {
  format: number;
  name: string;
  script?: string;
  startTime?: string;
  torch?: string;
  gradscope?: string;
  model?: string;
  device?: string;
  every?: number;
  /** watch(max_overhead=…): measured steps at least `every` apart, spaced further to keep within this share. */
  maxOverhead?: number;
  pid?: number;
  rank?: number;
  modules: RunModule[];
}

export interface RunLogEnd {
  step: number;
  steps: number;
  reason: string;
  time?: number;
}

/** A problem found while reading, located by line (1-based) in the file. */
export interface RunLogIssue {
  line: number;
  severity: 'error' | 'warning';
  /** In English (the CLI's); `text` is the same message as data, for the extension to translate. */
  message: string;
  text?: CoreText;
}

/** One parameterized module of the run as the panel labels it. */
export interface RunLayerInfo {
  index: number;
  name: string;
  type: string;
  units: number;
  fanIn: number;
  /** The activation module that follows it before the next parameterized module, if any. */
  activationModule?: string;
  /** Which of that module's `bySource` groups it feeds, when the module is called after several (one `self.act` reused). */
  activationGroup?: number;
  activation: ActivationName;
  /**
   * Whether the vanishing and exploding warnings hold its ‖∂L/∂W‖ against the output module's (the config editor's
   * rule, made for weight layers): false for a normalization layer (its gradient is its scale's) and for a module
   * whose parameter is not a weight (a position-bias table, a class token, ConvNeXt's layer scale).
   */
  gradientCompared: boolean;
}

/** Normalization layers by their class name: LayerNorm, BatchNorm2d, GroupNorm, InstanceNorm1d, RMSNorm, LayerNorm2d … */
const NORMALIZATION_TYPE = /Norm(\d+d)?$/;

export interface RunLogState {
  meta: RunLogMeta | undefined;
  layers: RunLayerInfo[];
  snapshots: Snapshot[];
  /** Snapshots read in all (before thinning). */
  snapshotCount: number;
  end: RunLogEnd | undefined;
  issues: RunLogIssue[];
  /** Meta records seen: an explicit name appends several runs to one file; the last one is shown. */
  runsInFile: number;
  /** Non-finite values (NaN, ±Infinity) by module and step, as the file recorded them. */
  nonFinite: { step: number; module: string; key: string; value: string }[];
  /** Bytes consumed (complete lines); a tail resumes from here. */
  offset: number;
  /** Bytes of an incomplete last line waiting for its '\n'. */
  pendingBytes: number;
  /**
   * Activation modules whose saturation cannot be shown: torch's elementwise activations outside the core's table
   * (python/gradscope does not measure them) and, from a newer gradscope, activations this reader does not know.
   */
  unmeasured: { module: string; type: string }[];
  /**
   * Bumped whenever the modules' layout changes: a meta record (a later run appended to the file, too) and the first
   * snapshot's pairing of each activation with the module that fed it. A view of the run starts over when it changes.
   */
  layout: number;
}

/**
 * torch.nn's elementwise activation modules (torch/nn/modules/activation.py) that the core's table has no entry
 * for, so python/gradscope records no saturation for them; the panel names them instead of leaving a silent "—".
 */
export const UNTABLED_TORCH_ACTIVATIONS: ReadonlySet<string> = new Set([
  'Hardswish', 'CELU', 'RReLU', 'LogSigmoid', 'Tanhshrink', 'Softshrink', 'Hardshrink', 'Threshold',
]);

/** A weight's units (its first dimension) and fan-in (the product of the others), as the core counts them. */
function unitsAndFanIn(shape: number[]): { units: number; fanIn: number } {
  return { units: shape.length > 0 ? shape[0] : 1, fanIn: shape.length > 1 ? shape.slice(1).reduce((a, b) => a * b, 1) : 1 };
}

/** Parses a run log incrementally. Feed it bytes in order; `state` is always what is readable so far. */
export class RunLogParser {
  readonly state: RunLogState = {
    meta: undefined, layers: [], snapshots: [], snapshotCount: 0, end: undefined, issues: [], runsInFile: 0,
    nonFinite: [], offset: 0, pendingBytes: 0, unmeasured: [], layout: 0,
  };
  private pending: Buffer = Buffer.alloc(0);
  private line = 0;
  /** Decided by the first record: a file whose first line is not a meta record is not a run, and nothing after it is read. */
  private verdict: 'unread' | 'run' | 'notRun' = 'unread';
  /** Whether a snapshot's activations have paired them with the modules that fed them (see pairByCalls). */
  private pairedByCalls = false;
  private activationKind = new Map<string, ActivationName>();
  private unknownActivations = new Set<string>();

  constructor(private readonly maxSnapshots = DEFAULT_MAX_SNAPSHOTS) {}

  /** Feeds the next bytes of the file; returns the snapshots added by them (before any thinning). */
  feed(chunk: Buffer): Snapshot[] {
    const added: Snapshot[] = [];
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const newline = data.indexOf(10, start);
      if (newline < 0) break;
      const text = data.subarray(start, newline).toString('utf8');
      this.state.offset += newline + 1 - start;
      start = newline + 1;
      this.line++;
      const snapshot = this.readLine(text.trim());
      if (snapshot !== undefined) added.push(snapshot);
    }
    data = data.subarray(start);
    this.pending = Buffer.from(data);
    this.state.pendingBytes = this.pending.length;
    return added;
  }

  /** The file is complete (not being written): a last line without '\n' is read as is, or reported. */
  finish(): Snapshot[] {
    if (this.pending.length === 0) return [];
    if (this.verdict === 'notRun') {
      this.pending = Buffer.alloc(0);
      this.state.pendingBytes = 0;
      return [];
    }
    const text = this.pending.toString('utf8').trim();
    this.line++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.issue('warning', coreText('runs.cutOff', { bytes: this.pending.length }));
      return [];
    } finally {
      this.pending = Buffer.alloc(0);
      this.state.pendingBytes = 0;
    }
    const snapshot = this.parseRecord(parsed);
    return snapshot === undefined ? [] : [snapshot];
  }

  private issue(severity: RunLogIssue['severity'], text: CoreText): void {
    // A garbled file would otherwise report every line: the first 20 issues are enough to see what is wrong.
    if (this.state.issues.length < 20) this.state.issues.push({ line: this.line, severity, message: formatCoreText(text), text });
  }

  /** One complete line, unless the file was found not to be a run (a CSV, a `gradscope train --json` output …):
   * then its first line's issue says so once, instead of one issue per line. */
  private readLine(text: string): Snapshot | undefined {
    if (text === '' || this.verdict === 'notRun') return undefined;
    const snapshot = this.parseLine(text);
    if (this.verdict === 'unread') this.verdict = this.state.meta !== undefined ? 'run' : 'notRun';
    return snapshot;
  }

  private parseLine(text: string): Snapshot | undefined {
    if (text === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      this.issue(this.state.meta === undefined && this.line === 1 ? 'error' : 'warning',
        // the parser's own words (V8's) stay as they are, like a system error's
        coreText('runs.notJson', { line: this.line, error: error instanceof Error ? error.message : String(error), consequence: coreText(this.line === 1 ? 'runs.notRunLog' : 'runs.skipped') }));
      return undefined;
    }
    return this.parseRecord(parsed);
  }

  private parseRecord(record: unknown): Snapshot | undefined {
    if (!isObject(record) || typeof record.type !== 'string') {
      this.issue('warning', coreText('runs.noType', { line: this.line }));
      return undefined;
    }
    switch (record.type) {
      case 'meta':
        this.readMeta(record);
        return undefined;
      case 'snapshot':
        if (this.state.meta === undefined) {
          this.issue('error', coreText('runs.snapshotBeforeMeta', { line: this.line }));
          return undefined;
        }
        return this.readSnapshot(record);
      case 'end':
        this.state.end = {
          step: num(record.step), steps: num(record.steps), reason: typeof record.reason === 'string' ? record.reason : 'close',
          time: typeof record.time === 'number' ? record.time : undefined,
        };
        return undefined;
      default:
        this.issue('warning', coreText('runs.unknownType', { line: this.line, type: String(record.type) }));
        return undefined;
    }
  }

  private readMeta(record: Record<string, unknown>): void {
    const state = this.state;
    state.runsInFile++;
    if (state.runsInFile > 1) {
      // A later run appended to the same file: show it alone.
      state.snapshots = [];
      state.snapshotCount = 0;
      state.end = undefined;
      state.nonFinite = [];
    }
    const format = typeof record.format === 'number' ? record.format : Number.NaN;
    if (!(format <= RUN_LOG_FORMAT)) {
      this.issue('warning', coreText('runs.newerFormat', { line: this.line, format: String(record.format), supported: RUN_LOG_FORMAT }));
    }
    const modules: RunModule[] = Array.isArray(record.modules) ? record.modules.filter(isObject).map(m => ({
      name: typeof m.name === 'string' ? m.name : '',
      type: typeof m.type === 'string' ? m.type : '?',
      params: Array.isArray(m.params) ? m.params.filter(isObject).map(p => ({
        name: String(p.name ?? ''), shape: Array.isArray(p.shape) ? p.shape.map(Number) : [],
      })) : [],
      activation: isObject(m.activation) && typeof m.activation.name === 'string' ? m.activation as RunModule['activation'] : undefined,
    })) : [];
    state.meta = {
      format, name: typeof record.name === 'string' ? record.name : 'run', modules,
      script: str(record.script), startTime: str(record.startTime), torch: str(record.torch), gradscope: str(record.gradscope),
      model: str(record.model), device: str(record.device), every: typeof record.every === 'number' ? record.every : undefined,
      maxOverhead: typeof record.maxOverhead === 'number' ? record.maxOverhead : undefined,
      pid: typeof record.pid === 'number' ? record.pid : undefined, rank: typeof record.rank === 'number' ? record.rank : undefined,
    };
    this.buildLayers(modules);
  }

  /** Parameterized modules in model order, each followed by the activation module (if any) before the next one. */
  private buildLayers(modules: RunModule[]): void {
    this.activationKind.clear();
    const layers: RunLayerInfo[] = [];
    const unmeasured: RunLogState['unmeasured'] = [];
    for (const module of modules) {
      if (module.activation === undefined && module.params.length === 0 && UNTABLED_TORCH_ACTIVATIONS.has(module.type)) {
        unmeasured.push({ module: module.name, type: module.type });
        continue;
      }
      if (module.activation !== undefined) {
        const kind = asActivation(module.activation.name);
        if (kind === undefined) {
          this.unknownActivations.add(module.activation.name);
          unmeasured.push({ module: module.name, type: module.type });
        }
        else this.activationKind.set(module.name, kind);
        const owner = layers.at(-1);
        if (owner !== undefined && owner.activationModule === undefined && kind !== undefined) {
          owner.activationModule = module.name;
          owner.activation = kind;
        }
        continue;
      }
      if (module.params.length === 0) continue;
      // the parameter python/gradscope reports as the weight: `weight`, an old-style reparametrization's direction
      // (nn.utils.weight_norm's weight_v, spectral_norm's weight_orig), else the first
      const weight = ['weight', 'weight_v', 'weight_orig'].map(name => module.params.find(p => p.name === name)).find(p => p !== undefined)
        ?? module.params[0];
      layers.push({
        index: layers.length, name: module.name || '(model)', type: module.type, ...unitsAndFanIn(weight.shape), activation: 'linear',
        gradientCompared: weight.name.includes('weight') && !NORMALIZATION_TYPE.test(module.type),
      });
    }
    this.state.layers = layers;
    this.state.unmeasured = unmeasured;
    this.state.layout++;
    this.pairedByCalls = false;
    if (layers.length === 0) {
      this.issue('warning', coreText('runs.noParameters', { line: this.line }));
    }
  }

  /**
   * Pairs each activation with the module its input came from, as the first snapshot with activations recorded it
   * (`from`: the module whose output was exactly the activation's input), over the guess from the modules' order:
   * nn.TransformerEncoderLayer registers its activation after norm1 and norm2 but calls it between linear1 and
   * linear2. A module called after several (`bySource`) goes on each of them with the calls it fed. An activation
   * without `from` (its input came through a functional op) keeps the guess.
   */
  private pairByCalls(activations: Map<string, Record<string, unknown>>): void {
    if (this.pairedByCalls || activations.size === 0) return;
    this.pairedByCalls = true;
    const layers = this.state.layers;
    /** The activation off the modules the guess from order (or an earlier pairing) put it on. */
    const unpair = (name: string): void => {
      for (const layer of layers) {
        if (layer.activationModule !== name) continue;
        layer.activationModule = undefined;
        layer.activationGroup = undefined;
        layer.activation = 'linear';
      }
    };
    let changed = false;
    for (const [name, entry] of activations) {
      const kind = this.activationKind.get(name);
      if (kind !== undefined && Array.isArray(entry.bySource)) {
        // one module called after several (`self.act = nn.ReLU()` after each layer): the calls each module fed, on it
        const owners = entry.bySource.map(group => (isObject(group) && typeof group.from === 'string' ? layers.find(l => l.name === group.from) : undefined));
        if (owners.some(owner => owner !== undefined)) {
          unpair(name);
          owners.forEach((owner, group) => {
            if (owner === undefined) return;
            owner.activationModule = name;
            owner.activationGroup = group;
            owner.activation = kind;
          });
          changed = true;
        }
        continue;
      }
      const owner = typeof entry.from === 'string' ? layers.find(l => l.name === entry.from) : undefined;
      if (kind === undefined || owner === undefined || owner.activationModule === name) continue;
      unpair(name);
      owner.activationModule = name;
      owner.activationGroup = undefined;
      owner.activation = kind;
      changed = true;
    }
    if (changed) this.state.layout++;
  }

  /**
   * A weight without a shape in the meta record (nn.LazyLinear before its first forward pass) gets it from the first
   * snapshot that gives one (`shape`), with the type the module became (LazyLinear → Linear).
   */
  private shapeLazyLayers(records: Map<string, Record<string, unknown>>): void {
    let changed = false;
    for (const info of this.state.layers) {
      const record = records.get(info.name === '(model)' ? '' : info.name);
      const shape = record?.shape;
      if (!Array.isArray(shape) || !shape.every(d => typeof d === 'number')) continue;
      const { units, fanIn } = unitsAndFanIn(shape);
      const type = typeof record?.type === 'string' ? record.type : info.type;
      if (units === info.units && fanIn === info.fanIn && type === info.type) continue;
      info.units = units;
      info.fanIn = fanIn;
      info.type = type;
      changed = true;
    }
    if (changed) this.state.layout++;
  }

  /** The snapshot's numbers for the activation a module feeds: the module's entry, or those of its calls this module fed. */
  private activationEntry(info: RunLayerInfo, activations: Map<string, Record<string, unknown>>): Record<string, unknown> | undefined {
    const entry = info.activationModule !== undefined ? activations.get(info.activationModule) : undefined;
    if (entry === undefined || info.activationGroup === undefined) return entry;
    const group = Array.isArray(entry.bySource) ? entry.bySource[info.activationGroup] : undefined;
    return isObject(group) ? group : undefined;
  }

  private readSnapshot(record: Record<string, unknown>): Snapshot | undefined {
    const state = this.state;
    const step = num(record.step);
    const byName = new Map<string, Record<string, unknown>>();
    if (Array.isArray(record.layers)) for (const layer of record.layers) if (isObject(layer) && typeof layer.name === 'string') byName.set(layer.name, layer);
    const activations = new Map<string, Record<string, unknown>>();
    if (Array.isArray(record.activations)) for (const a of record.activations) if (isObject(a) && typeof a.name === 'string') activations.set(a.name, a);
    this.shapeLazyLayers(byName);
    this.pairByCalls(activations);
    const layers: LayerProbe[] = [];
    for (const info of state.layers) {
      const layer = byName.get(info.name === '(model)' ? '' : info.name);
      const act = this.activationEntry(info, activations);
      layers.push(this.toProbe(info, layer, act, step));
    }
    this.addSplits(layers, byName, activations);
    const snapshot: Snapshot = {
      epoch: 0, step, samplesSeen: step, loss: this.value(record, 'loss', step, '(loss)'), lr: Number.NaN, batchSize: 0, layers,
    };
    state.snapshotCount++;
    state.snapshots.push(snapshot);
    if (state.snapshots.length > this.maxSnapshots) state.snapshots = thinSnapshots(state.snapshots, Math.floor(this.maxSnapshots * 0.75));
    return snapshot;
  }

  private toProbe(info: RunLayerInfo, layer: Record<string, unknown> | undefined, act: Record<string, unknown> | undefined, step: number): LayerProbe {
    const v = (key: string): number => (layer === undefined ? Number.NaN : this.value(layer, key, step, info.name));
    const kind = info.activation;
    const piecewise = ACTIVATIONS[kind].piecewiseLinear === true;
    const share = (key: string): number => (act === undefined ? 0 : this.value(act, key, step, info.activationModule ?? info.name));
    const lowSlopeKind: LayerProbe['lowSlopeKind'] = act === undefined || kind === 'linear' ? 'none' : piecewise ? 'inactive' : 'saturated';
    const saturation = share('saturation');
    const low = share('saturatedLow');
    const high = share('saturatedHigh');
    const probe: LayerProbe = {
      index: info.index, path: info.name, name: info.name, units: info.units, fanIn: info.fanIn, activation: kind,
      gradNorm: layer?.noGrad === true ? 0 : v('gradNorm'), biasGradNorm: layer?.biasGradNorm === null && !hasNonFinite(layer, 'biasGradNorm') ? 0 : v('biasGradNorm'),
      gradMeanAbs: v('gradMeanAbs'), gradMaxAbs: v('gradMaxAbs'),
      // ‖∂L/∂(module output)‖: logged by gradscope ≥ 0.2 (an additive field of format 1); unknown (not 0) before.
      deltaNorm: layer !== undefined && (typeof layer.deltaNorm === 'number' || hasNonFinite(layer, 'deltaNorm')) ? v('deltaNorm') : Number.NaN,
      updateRatio: layer?.updateRatio === null && !hasNonFinite(layer, 'updateRatio') ? 0 : v('updateRatio'),
      weightNorm: v('weightNorm'),
      z: distribution(act?.z), a: distribution(act?.a),
      lowSlopeKind,
      saturation: lowSlopeKind === 'saturated' ? saturation : 0,
      saturatedLow: lowSlopeKind === 'saturated' ? low : 0,
      saturatedHigh: lowSlopeKind === 'saturated' ? high : 0,
      inactive: lowSlopeKind === 'inactive' ? saturation : 0,
      inactiveLow: lowSlopeKind === 'inactive' ? low : 0,
      inactiveHigh: lowSlopeKind === 'inactive' ? high : 0,
      dead: share('dead'),
    };
    if (layer?.noGrad === true && layer.frozen === true) probe.frozen = true;
    if (act !== undefined && isObject(act.preluSlope)) {
      const p = act.preluSlope;
      probe.preluSlope = { mean: num(p.mean), min: num(p.min), max: num(p.max) };
    }
    return probe;
  }

  /**
   * The gradient-loss split (BackwardSplit, README "Where the gradient is lost") wherever the step's forward pass
   * ran a chain module i → activation → Linear i+1: the activation's record names both ends ("from", "to": its input
   * was exactly module i's output, its output exactly the Linear's input) and carries ‖∂L/∂z‖ and ‖∂L/∂a‖; the
   * modules carry ‖δ‖ (deltaNorm) and the Linear ‖W‖₂ (spectralNorm, power iteration). Then gain = ‖δ_i‖/‖δ_{i+1}‖ =
   * activationFactor (‖∂L/∂z‖/‖∂L/∂a‖) × weightFactor (‖∂L/∂a‖/‖δ_{i+1}‖), as the core computes it for its own nets.
   */
  private addSplits(layers: LayerProbe[], byName: Map<string, Record<string, unknown>>, activations: Map<string, Record<string, unknown>>): void {
    const infos = this.state.layers;
    const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
    const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);
    const out = layers.at(-1);
    const deltaOut = out !== undefined && finite(out.deltaNorm) ? out.deltaNorm : undefined;
    for (let i = 0; i + 1 < infos.length; i++) {
      const info = infos[i];
      const next = infos[i + 1];
      const act = info.activationModule !== undefined ? activations.get(info.activationModule) : undefined;
      const nextRecord = byName.get(next.name);
      if (act === undefined || nextRecord === undefined || next.type !== 'Linear') continue;
      if (act.from !== info.name || act.to !== next.name) continue;
      const deltaI = layers[i].deltaNorm;
      const deltaNext = layers[i + 1].deltaNorm;
      const gradIn = act.gradInNorm;
      const gradOut = act.gradOutNorm;
      if (!finite(deltaI) || !finite(deltaNext) || !finite(gradIn) || !finite(gradOut)) continue;
      const weightFactor = ratio(gradOut, deltaNext);
      const spectral = finite(nextRecord.spectralNorm) ? nextRecord.spectralNorm : 0;
      const maxSlope = this.maxSlopeOf(info, layers[i]);
      // both are lower estimates of ‖W‖₂ (weightFactor ≤ it exactly): the larger is the better one, as in the core
      const weightSpectralNorm = Math.max(spectral, weightFactor ?? 0);
      layers[i].backward = {
        gain: ratio(deltaI, deltaNext),
        activationFactor: ratio(gradIn, gradOut),
        weightFactor,
        weightSpectralNorm,
        maxSlope,
        gainBound: maxSlope * weightSpectralNorm,
        cumulativeGain: deltaOut !== undefined ? ratio(deltaI, deltaOut) : null,
        cumulativeActivationFactor: null,
        activationBound: maxSlope,
      };
    }
    // Products to the output module, over an unbroken run of splits reaching it (else the activations' part of the
    // cumulative gain is unknown: null, and the bound covers the run of splits that is known).
    let cumulative: number | null = 1;
    let bound = 1;
    let rigorous: number | undefined = 1;
    let reachesOutput = true;
    for (let i = layers.length - 2; i >= 0; i--) {
      const split: BackwardSplit | undefined = layers[i].backward;
      if (split === undefined) {
        reachesOutput = false;
        continue;
      }
      if (!reachesOutput) continue;
      cumulative = cumulative === null || split.activationFactor === null ? null : cumulative * split.activationFactor;
      bound *= split.maxSlope;
      rigorous = rigorous !== undefined && split.gainBound !== undefined ? rigorous * split.gainBound : undefined;
      split.cumulativeActivationFactor = cumulative;
      split.activationBound = bound;
      if (rigorous !== undefined && Number.isFinite(rigorous)) split.rigorousBound = rigorous;
    }
  }

  /** max |f′| of the activation module after a layer: the table's value, PReLU's learned slopes when logged. */
  private maxSlopeOf(info: RunLayerInfo, probe: LayerProbe): number {
    if (probe.preluSlope !== undefined) return Math.max(1, 0.25, Math.abs(probe.preluSlope.min), Math.abs(probe.preluSlope.max));
    const meta = this.state.meta?.modules.find(m => m.name === info.activationModule)?.activation;
    if (meta !== undefined && typeof meta.maxSlope === 'number' && Number.isFinite(meta.maxSlope)) return meta.maxSlope;
    return maxSlopeOfKind(info.activation);
  }

  /** A number of `record`, restoring NaN / ±Infinity written as null with a "nonFinite" note. */
  private value(record: Record<string, unknown>, key: string, step: number, module: string): number {
    const raw = record[key];
    if (typeof raw === 'number') return raw;
    const marks = isObject(record.nonFinite) ? record.nonFinite : undefined;
    const mark = marks?.[key];
    if (typeof mark === 'string') {
      if (this.state.nonFinite.length < 1000) this.state.nonFinite.push({ step, module, key, value: mark });
      return mark === 'Infinity' ? Number.POSITIVE_INFINITY : mark === '-Infinity' ? Number.NEGATIVE_INFINITY : Number.NaN;
    }
    return Number.NaN;
  }

  /** Activation names in the file the core's table does not know (their shares are not drawn). */
  get unknownActivationNames(): string[] {
    return [...this.unknownActivations];
  }
}

function hasNonFinite(record: Record<string, unknown> | undefined, key: string): boolean {
  return record !== undefined && isObject(record.nonFinite) && typeof record.nonFinite[key] === 'string';
}

const EMPTY_PERCENTILES = [0, 0, 0, 0, 0, 0, 0, 0, 0];

function distribution(value: unknown): Distribution {
  if (!isObject(value)) return { mean: 0, std: 0, percentiles: EMPTY_PERCENTILES.slice(), histogram: { min: 0, max: 0, counts: [] } };
  const percentiles = Array.isArray(value.percentiles) && value.percentiles.length === 9 ? value.percentiles.map(toNumber) : EMPTY_PERCENTILES.slice();
  const h = isObject(value.histogram) ? value.histogram : undefined;
  return {
    mean: toNumber(value.mean), std: toNumber(value.std), percentiles,
    histogram: h !== undefined && Array.isArray(h.counts)
      ? { min: toNumber(h.min), max: toNumber(h.max), counts: h.counts.map(toNumber) }
      : { min: toNumber(value.min), max: toNumber(value.max), counts: [] },
  };
}

/** Evenly thins `items` to `max`, keeping the first and the newest. */
export function thinSnapshots<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return items.slice();
  const picked: T[] = [];
  for (let k = 0; k < max; k++) picked.push(items[Math.round((k * (items.length - 1)) / (max - 1))]);
  return picked;
}

function asActivation(name: string): ActivationName | undefined {
  return Object.prototype.hasOwnProperty.call(ACTIVATIONS, name) ? name as ActivationName : undefined;
}


function num(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Tails one run log: `poll()` reads what was appended since the last call (from the last complete line). */
export class RunLogTail {
  parser: RunLogParser;
  private size = 0;
  /** Set when the file shrank or was replaced: the reader started over. */
  restarted = false;

  constructor(readonly file: string, private readonly maxSnapshots = DEFAULT_MAX_SNAPSHOTS, private readonly chunkBytes = 4 << 20) {
    this.parser = new RunLogParser(maxSnapshots);
  }

  /** Reads the new bytes (at most `maxBytes` this call, so a 100 MB log loads in slices); returns the snapshots added. */
  poll(maxBytes = Number.POSITIVE_INFINITY): { added: Snapshot[]; size: number; mtimeMs: number; more: boolean } {
    const stat = fs.statSync(this.file);
    if (stat.size < this.size) {
      this.parser = new RunLogParser(this.maxSnapshots);
      this.size = 0;
      this.restarted = true;
    }
    const added: Snapshot[] = [];
    const readUpTo = Math.min(stat.size, this.size + maxBytes);
    if (readUpTo > this.size) {
      const fd = fs.openSync(this.file, 'r');
      try {
        const buffer = Buffer.allocUnsafe(Math.min(this.chunkBytes, readUpTo - this.size));
        while (this.size < readUpTo) {
          const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, readUpTo - this.size), this.size);
          if (n <= 0) break;
          this.size += n;
          for (const s of this.parser.feed(buffer.subarray(0, n))) added.push(s);
        }
      } finally {
        fs.closeSync(fd);
      }
    }
    return { added, size: stat.size, mtimeMs: stat.mtimeMs, more: this.size < stat.size };
  }
}

/** Reads a whole run log at once (the CLI): a last line without '\n' is read if it parses, else reported. */
export function readRunLogFile(file: string, maxSnapshots = DEFAULT_MAX_SNAPSHOTS): RunLogState {
  const parser = new RunLogParser(maxSnapshots);
  parser.feed(fs.readFileSync(file));
  parser.finish();
  return parser.state;
}

/** A one-line summary of the state for messages: "3 modules · 120 snapshots · ended (close) at step 1190". */
export function describeRunState(state: RunLogState): string {
  const parts = [`${state.layers.length} parameterized module${state.layers.length === 1 ? '' : 's'}`, `${state.snapshotCount} snapshot${state.snapshotCount === 1 ? '' : 's'}`];
  if (state.end !== undefined) parts.push(`ended (${state.end.reason}) at step ${state.end.step}`);
  return parts.join(' · ');
}

function maxSlopeOfKind(kind: ActivationName): number {
  return ACTIVATIONS[kind].maxSlope.value;
}
