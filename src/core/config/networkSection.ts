// The config's network: the shorthand (`hidden` + `activation` + `batchNorm` + `skip` + `dropout` + `output`) or an
// explicit `layers` module list (with `repeat` and `residual`), both ending as a NetworkTemplate whose output layer
// is sized once the data is known; and, per linear layer, where in the text it is written.
import type { Node as JsonNode } from 'jsonc-parser';
import { activationNames, isActivationName, lookupActivation } from '../activations/activations';
import { closestName } from '../didYouMean';
import type { ActivationName, InitSpec, ModuleSpec } from '../types';
import type { ActivationSection } from './activationSection';
import { ConfigReader, describeJson, didYouMean, pathText, propertiesOf, type IssueList, type Path, type Property } from './configReader';
import { CONFIG_DEFAULTS, CONFIG_LIMITS, MODULE_KEYS, MODULE_TYPES, MODULE_TYPE_ALIASES } from './configSchema';
import type { LayerLocation, NetworkTemplate, ParseConfigOptions } from './configTypes';

interface PendingLayer {
  /** Source node that produced the linear layer. */
  node: JsonNode;
  path: Path;
  output: boolean;
}

export class NetworkSection extends ConfigReader {
  layerLocations: LayerLocation[] = [];
  private linearSources: PendingLayer[] = [];
  private linearCount = 0;
  /** Modules that repeats add beyond their first copy, checked against maxModules before any copy is made. */
  private repeatedModules = 0;
  /** Linear modules written without units: allowed only on the output layer, checked once the list is read. */
  private pendingAutoUnits: { node: JsonNode; path: Path; ordinal: number; list: ModuleSpec[]; index: number; depth: number }[] = [];

  constructor(
    issues: IssueList, configPath: string, options: ParseConfigOptions,
    private readonly activations: ActivationSection,
    /** The config's top-level `init`, copied onto every linear layer that gives none. */
    private readonly topInit: InitSpec | undefined,
  ) {
    super(issues, configPath, options);
  }

  parseNetwork(props: Map<string, Property>, root: JsonNode): NetworkTemplate | undefined {
    const hidden = props.get('hidden');
    const layers = props.get('layers');
    const shorthandKeys = ['activation', 'output', 'batchNorm', 'skip', 'dropout'];
    if (hidden && layers) {
      this.error(layers.keyNode, ['layers'], 'config.net.hiddenAndLayers');
      return undefined;
    }
    const numericLayers = layers && layers.value.type === 'array' && (layers.value.children ?? []).length > 0
      && (layers.value.children ?? []).every(c => c.type === 'number');
    if (layers && !numericLayers) {
      for (const k of shorthandKeys) {
        const prop = props.get(k);
        if (prop) this.error(prop.keyNode, [k], 'config.net.shorthandKey', { key: k });
      }
      return this.parseLayerList(layers);
    }
    const source = hidden ?? layers;
    return this.parseShorthand(source, props, root);
  }

  /** hidden: [32, 32] or { units, repeat }, with activation, batchNorm, skip, dropout and output. */
  private parseShorthand(source: Property | undefined, props: Map<string, Property>, root: JsonNode): NetworkTemplate | undefined {
    const key = source?.key ?? 'hidden';
    type HiddenLayer = { units: number; node: JsonNode; path: Path };
    const widths: HiddenLayer[] = [];
    let ok = true;
    if (source) {
      const node = source.value;
      if (node.type === 'array') {
        (node.children ?? []).forEach((c, i) => {
          const units = this.units(c, [key, i], widths.length + 1);
          if (units === undefined) ok = false;
          else widths.push({ units, node: c, path: [key, i] });
        });
      } else if (node.type === 'object' && key === 'hidden') {
        const own = this.objectProps(node, [key], ['units', 'repeat']) ?? new Map<string, Property>();
        const unitsNode = own.get('units')?.value;
        const repeatNode = own.get('repeat')?.value;
        if (!unitsNode || !repeatNode) {
          this.error(node, [key], 'config.net.hiddenObject');
          ok = false;
        }
        const units = unitsNode ? this.units(unitsNode, [key, 'units'], 1) : undefined;
        const repeat = repeatNode ? this.integer(repeatNode, [key, 'repeat'], 1, CONFIG_LIMITS.maxRepeat) : undefined;
        if (units === undefined || repeat === undefined) ok = false;
        else for (let i = 0; i < repeat; i++) widths.push({ units, node, path: [key] });
      } else {
        if (key === 'hidden') this.error(node, [key], 'config.net.hiddenShape');
        else this.error(node, [key], 'config.net.widthList', { key });
        ok = false;
      }
    }
    if (widths.length + 1 > CONFIG_LIMITS.maxLinearLayers) {
      this.error(source!.value, [key], 'config.net.tooManyHidden', { count: widths.length, max: CONFIG_LIMITS.maxLinearLayers - 1 });
      return undefined;
    }
    const get = (k: string) => props.get(k)?.value;
    const activation = get('activation') ? this.activations.parseActivation(get('activation')!, ['activation']) : { type: 'activation' as const, name: 'relu' as ActivationName };
    const output = get('output') ? this.activations.parseActivation(get('output')!, ['output']) : undefined;
    let batchNorm: false | 'before' | 'after' = false;
    const bnNode = get('batchNorm');
    if (bnNode) {
      if (bnNode.type === 'boolean') batchNorm = bnNode.value ? CONFIG_DEFAULTS.batchNormPlacement : false;
      else if (bnNode.type === 'string' && (bnNode.value === 'before' || bnNode.value === 'after')) batchNorm = bnNode.value;
      else this.error(bnNode, ['batchNorm'], 'config.net.batchNorm', { found: describeJson(bnNode) });
    }
    const skip = this.integer(get('skip'), ['skip'], 1, CONFIG_LIMITS.maxLinearLayers);
    const dropout = this.number(get('dropout'), ['dropout'], { min: 0, max: 1, maxExclusive: true });
    if (!ok || !activation || (get('output') && !output)) return undefined;
    if (skip !== undefined && widths.length < skip + 1) {
      this.warn(props.get('skip')!.keyNode, ['skip'], 'config.net.skipTooFew', { skip, needed: skip + 1, count: widths.length });
    }
    if (!source && !props.has('activation')) {
      // No network at all: a linear model, which is legitimate (logistic or linear regression) but worth a word.
      this.warn({ offset: root.offset, length: 1 }, ['hidden'], 'config.net.noHidden');
    }

    const blockOf = (h: HiddenLayer): ModuleSpec[] => {
      const block: ModuleSpec[] = [this.linear(h.units)];
      this.linearSources.push({ node: h.node, path: h.path, output: false });
      if (batchNorm === 'before') block.push({ type: 'batchnorm' });
      block.push({ ...activation });
      if (batchNorm === 'after') block.push({ type: 'batchnorm' });
      if (dropout !== undefined && dropout > 0) block.push({ type: 'dropout', p: dropout });
      return block;
    };
    const layers: ModuleSpec[] = [];
    if (skip !== undefined && widths.length >= skip + 1) {
      layers.push(...blockOf(widths[0]));
      let i = 1;
      for (; i + skip <= widths.length; i += skip) {
        const inner: ModuleSpec[] = [];
        for (let k = 0; k < skip; k++) inner.push(...blockOf(widths[i + k]));
        layers.push({ type: 'residual', layers: inner });
      }
      for (; i < widths.length; i++) layers.push(...blockOf(widths[i]));
    } else {
      for (const h of widths) layers.push(...blockOf(h));
    }
    const outputIndex = layers.length;
    layers.push(this.linear(0));
    const outputProp = props.get('output') ?? source ?? undefined;
    this.linearSources.push({
      node: outputProp ? (props.get('output') ? outputProp.value : outputProp.keyNode) : { offset: root.offset, length: 1 } as JsonNode,
      path: props.get('output') ? ['output'] : source ? [key] : [],
      output: true,
    });
    if (output && output.name !== 'linear') layers.push(output);
    return { layers, outputIndex };
  }

  private linear(units: number): Extract<ModuleSpec, { type: 'linear' }> {
    this.linearCount++;
    return this.topInit ? { type: 'linear', units, init: { ...this.topInit } } : { type: 'linear', units };
  }

  /** A layer width; `layerNumber` is 1-based for messages ("layer 3 has 0 units"). */
  private units(node: JsonNode, p: Path, layerNumber: number): number | undefined {
    if (node.type !== 'number' || !Number.isInteger(node.value)) {
      this.error(node, p, 'config.net.unitsNotWhole', { layer: layerNumber, found: describeJson(node) });
      return undefined;
    }
    const v = node.value as number;
    if (v < 1) {
      this.error(node, p, 'config.net.unitsTooFew', { layer: layerNumber, units: v });
      return undefined;
    }
    if (v > CONFIG_LIMITS.maxUnits) {
      this.error(node, p, 'config.net.unitsTooMany', { layer: layerNumber, units: v, max: CONFIG_LIMITS.maxUnits });
      return undefined;
    }
    return v;
  }

  /** An explicit module list; the last top-level linear module is the output layer. */
  private parseLayerList(prop: Property): NetworkTemplate | undefined {
    const node = prop.value;
    if (node.type !== 'array') {
      this.error(node, ['layers'], 'config.net.layersNotList');
      return undefined;
    }
    const errorsBefore = this.issues.issues.length;
    const layers = this.parseModules(node, ['layers'], [], 0);
    if (layers === undefined || this.issues.issues.slice(errorsBefore).some(i => i.severity === 'error')) return undefined;
    let outputIndex = -1;
    layers.forEach((m, i) => { if (m.type === 'linear') outputIndex = i; });
    if (outputIndex < 0) {
      this.error(node, ['layers'], 'config.net.noLinear');
      return undefined;
    }
    if (this.linearCount > CONFIG_LIMITS.maxLinearLayers) {
      this.error(node, ['layers'], 'config.net.tooManyLinear', { count: this.linearCount, max: CONFIG_LIMITS.maxLinearLayers });
      return undefined;
    }
    const modules = countModules(layers);
    if (modules > CONFIG_LIMITS.maxModules) {
      this.error(node, ['layers'], 'config.net.tooManyModules', { count: modules.toLocaleString('en-US'), max: CONFIG_LIMITS.maxModules.toLocaleString('en-US') });
      return undefined;
    }
    // The output layer is the last top-level linear: mark its source.
    const outputLinear = layers[outputIndex] as Extract<ModuleSpec, { type: 'linear' }>;
    const outputOrdinal = this.ordinalOf(layers, outputIndex);
    if (outputOrdinal >= 0) this.linearSources[outputOrdinal].output = true;
    const outputUnits = outputLinear.units > 0 ? outputLinear.units : undefined;
    return { layers, outputIndex, outputUnits };
  }

  /** Position among all linear layers (depth-first) of the top-level module at `index`. */
  private ordinalOf(layers: ModuleSpec[], index: number): number {
    let count = 0;
    const countIn = (mods: ModuleSpec[]): void => {
      for (const m of mods) {
        if (m.type === 'linear') count++;
        else if (m.type === 'residual') countIn(m.layers);
      }
    };
    countIn(layers.slice(0, index));
    return count;
  }

  private parseModules(node: JsonNode, p: Path, out: ModuleSpec[], depth: number): ModuleSpec[] | undefined {
    if (depth > 20) {
      this.error(node, p, 'config.net.nestedDeep');
      return undefined;
    }
    const items = node.children ?? [];
    if (items.length === 0) this.error(node, p, 'config.net.listEmpty', { path: pathText(p) });
    items.forEach((item, i) => this.parseModule(item, [...p, i], out, depth));
    return out;
  }

  private parseModule(node: JsonNode, p: Path, out: ModuleSpec[], depth: number): void {
    if (node.type === 'number') {
      this.error(node, p, 'config.net.plainNumber', { module: `{ "type": "linear", "units": ${node.value} }` });
      return;
    }
    if (node.type !== 'object') {
      this.error(node, p, 'config.net.moduleNotObject', { found: describeJson(node) });
      return;
    }
    const own = new Map(propertiesOf(node).map(pr => [pr.key, pr]));
    const typeProp = own.get('type');
    let type: string | undefined;
    if (typeProp) {
      if (typeProp.value.type !== 'string') {
        this.error(typeProp.value, [...p, 'type'], 'config.net.typeNotText', { found: describeJson(typeProp.value) });
        return;
      }
      type = String(typeProp.value.value);
    } else if (own.has('units')) type = 'linear';
    else if (own.has('count')) type = 'repeat';
    else {
      this.error(node, p, 'config.net.noType', { types: MODULE_TYPES.join(', ') });
      return;
    }
    if (isActivationName(type) && !(MODULE_TYPES as readonly string[]).includes(type)) {
      const props = this.objectProps(node, p, ['type', 'params', 'perUnit']);
      if (props) out.push(this.activations.activationExtras(type, props, p));
      return;
    }
    if (!(MODULE_TYPES as readonly string[]).includes(type)) {
      const alias = (Object.hasOwn(MODULE_TYPE_ALIASES, type.toLowerCase()) ? MODULE_TYPE_ALIASES[type.toLowerCase()] : undefined) ?? lookupActivation(type)?.name;
      const guess = alias ?? closestName(type, [...MODULE_TYPES, ...activationNames()]);
      this.error(typeProp!.value, [...p, 'type'], 'config.net.unknownType', { type, suggestion: didYouMean(guess), types: MODULE_TYPES.join(', ') });
      return;
    }
    const props = this.objectProps(node, p, Object.keys(MODULE_KEYS[type]));
    if (!props) return;
    const get = (k: string) => props.get(k)?.value;
    switch (type as (typeof MODULE_TYPES)[number]) {
      case 'linear': {
        const unitsNode = get('units');
        const ordinal = this.linearCount + 1;
        let units = 0;
        if (unitsNode && !(unitsNode.type === 'string' && unitsNode.value === 'auto')) {
          const u = this.units(unitsNode, [...p, 'units'], ordinal);
          if (u === undefined) return;
          units = u;
        }
        const spec = this.linear(units);
        this.linearSources.push({ node, path: p, output: false });
        const bias = this.boolean(get('bias'), [...p, 'bias']);
        if (bias === false) spec.bias = false;
        if (get('init')) {
          const init = this.activations.parseInit(get('init')!, [...p, 'init']);
          if (init) spec.init = init;
        }
        out.push(spec);
        if (get('activation')) {
          const act = this.activations.parseActivation(get('activation')!, [...p, 'activation']);
          if (act) out.push(act);
        }
        if (units === 0) {
          // Only the output layer may leave its width to the data; checked once the whole list is read.
          this.pendingAutoUnits.push({ node: unitsNode ?? node, path: [...p, 'units'], ordinal, list: out, index: out.indexOf(spec), depth });
        }
        return;
      }
      case 'activation': {
        const nameNode = get('name');
        if (!nameNode) {
          this.error(node, p, 'config.net.activationNeedsName');
          return;
        }
        const name = this.activations.activationName(nameNode, [...p, 'name']);
        if (name) out.push(this.activations.activationExtras(name, props, p));
        return;
      }
      case 'batchnorm': {
        const spec: Extract<ModuleSpec, { type: 'batchnorm' }> = { type: 'batchnorm' };
        const momentum = this.number(get('momentum'), [...p, 'momentum'], { min: 0, max: 1, minExclusive: true });
        const eps = this.number(get('eps'), [...p, 'eps'], { min: 0, minExclusive: true });
        if (momentum !== undefined) spec.momentum = momentum;
        if (eps !== undefined) spec.eps = eps;
        out.push(spec);
        return;
      }
      case 'dropout': {
        const pNode = get('p');
        if (!pNode) {
          this.error(node, p, 'config.net.dropoutNeedsP');
          return;
        }
        const prob = this.number(pNode, [...p, 'p'], { min: 0, max: 1, maxExclusive: true });
        if (prob !== undefined) out.push({ type: 'dropout', p: prob });
        return;
      }
      case 'residual': {
        const inner = get('layers');
        if (!inner || inner.type !== 'array') {
          this.error(inner ?? node, [...p, 'layers'], 'config.net.residualNeedsLayers');
          return;
        }
        const block = this.parseModules(inner, [...p, 'layers'], [], depth + 1);
        if (block) out.push({ type: 'residual', layers: block });
        return;
      }
      case 'repeat': {
        const count = this.integer(get('count'), [...p, 'count'], 1, CONFIG_LIMITS.maxRepeat);
        const inner = get('layers');
        if (!get('count')) this.error(node, p, 'config.net.repeatNeedsCount');
        if (!inner || inner.type !== 'array') {
          this.error(inner ?? node, [...p, 'layers'], 'config.net.repeatNeedsLayers');
          return;
        }
        if (count === undefined) return;
        // Parse once (one set of errors and sources), then copy: each copy's linear layers map back to the template.
        const sourcesBefore = this.linearSources.length;
        const linearBefore = this.linearCount;
        const block = this.parseModules(inner, [...p, 'layers'], [], depth + 1);
        if (!block) return;
        const templateSources = this.linearSources.slice(sourcesBefore);
        const perCopy = this.linearCount - linearBefore;
        if (linearBefore + perCopy * count > CONFIG_LIMITS.maxLinearLayers) {
          this.error(get('count')!, [...p, 'count'], 'config.net.repeatTooManyLinear', { count, perCopy, max: CONFIG_LIMITS.maxLinearLayers });
          return;
        }
        // Every module counts, not only linear ones: repeats of activations nested three deep would build 10⁹.
        const modulesPerCopy = countModules(block);
        if (this.repeatedModules + modulesPerCopy * count > CONFIG_LIMITS.maxModules) {
          this.error(get('count')!, [...p, 'count'], 'config.net.repeatTooManyModules',
            { count, perCopy: modulesPerCopy.toLocaleString('en-US'), max: CONFIG_LIMITS.maxModules.toLocaleString('en-US') });
          return;
        }
        this.repeatedModules += modulesPerCopy * (count - 1);
        for (let c = 0; c < count; c++) {
          // One push per module: a spread of thousands of arguments can overflow the stack.
          for (const copy of JSON.parse(JSON.stringify(block)) as ModuleSpec[]) out.push(copy);
          if (c > 0) {
            this.linearSources.push(...templateSources.map(s => ({ ...s })));
            this.linearCount += perCopy;
          }
        }
        return;
      }
    }
  }

  /** Map every linear layer to its source, and refuse "auto" widths anywhere but on the output layer. */
  finishLayerLocations(network: NetworkTemplate): void {
    const outputOrdinal = this.ordinalOf(network.layers, network.outputIndex);
    for (const pending of this.pendingAutoUnits) {
      const isOutput = pending.depth === 0 && pending.list === network.layers && pending.index === network.outputIndex;
      if (!isOutput) this.error(pending.node, pending.path, 'config.net.autoUnits', { layer: pending.ordinal });
    }
    const specPaths: string[] = [];
    const walk = (mods: ModuleSpec[], prefix: string): void => {
      mods.forEach((m, i) => {
        if (m.type === 'linear') specPaths.push(`${prefix}[${i}]`);
        else if (m.type === 'residual') walk(m.layers, `${prefix}[${i}].layers`);
      });
    };
    walk(network.layers, 'layers');
    this.layerLocations = this.linearSources.map((s, index) => {
      const start = this.issues.position(s.node.offset);
      return {
        index, path: pathText(s.path), specPath: specPaths[index] ?? '', offset: s.node.offset, length: s.node.length,
        line: start.line, column: start.column, output: index === outputOrdinal,
      };
    });
  }
}

/** Modules in a list, counting those inside residual blocks and each block itself. */
export function countModules(layers: readonly ModuleSpec[]): number {
  let count = 0;
  for (const m of layers) count += m.type === 'residual' ? 1 + countModules(m.layers) : 1;
  return count;
}
