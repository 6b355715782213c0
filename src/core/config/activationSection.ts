// Activations and initialisations as a config writes them: a name or { name, params, perUnit }, and an init name
// or { type, std, a }; used by the network section wherever a layer or module names one.
import type { Node as JsonNode } from 'jsonc-parser';
import { ACTIVATIONS, activationNames, activationParamProblems, isActivationName, lookupActivation } from '../activations/activations';
import { closestName } from '../didYouMean';
import { INIT_NAMES } from '../nn/init';
import type { ActivationName, InitSpec, ModuleSpec } from '../types';
import { coreText, formatCoreText } from '../messages';
import { ConfigReader, describeJson, didYouMean, pathText, propertiesOf, type Path, type Property } from './configReader';
import { INIT_ALIASES } from './configSchema';

export class ActivationSection extends ConfigReader {
  /** An activation given as a name or { name, params, perUnit }. */
  parseActivation(node: JsonNode, p: Path): Extract<ModuleSpec, { type: 'activation' }> | undefined {
    if (node.type === 'string') {
      const name = this.activationName(node, p);
      return name ? { type: 'activation', name } : undefined;
    }
    const props = this.objectProps(node, p, ['name', 'params', 'perUnit']);
    if (!props) return undefined;
    const nameNode = props.get('name')?.value;
    if (!nameNode) {
      this.error(node, p, 'config.act.needsName', { path: pathText(p) });
      return undefined;
    }
    const name = this.activationName(nameNode, [...p, 'name']);
    return name ? this.activationExtras(name, props, p) : undefined;
  }

  activationExtras(name: ActivationName, props: Map<string, Property>, p: Path): Extract<ModuleSpec, { type: 'activation' }> {
    const spec: Extract<ModuleSpec, { type: 'activation' }> = { type: 'activation', name };
    const paramsNode = props.get('params')?.value;
    if (paramsNode) {
      const params = this.activationParams(name, paramsNode, [...p, 'params']);
      if (params) spec.params = params;
    }
    const perUnitNode = props.get('perUnit');
    if (perUnitNode) {
      const perUnit = this.boolean(perUnitNode.value, [...p, 'perUnit']);
      if (perUnit !== undefined) {
        if (!ACTIVATIONS[name].learned?.perUnit) this.error(perUnitNode.keyNode, [...p, 'perUnit'], 'config.act.perUnit', { name });
        else spec.perUnit = perUnit;
      }
    }
    return spec;
  }

  private activationParams(name: ActivationName, node: JsonNode, p: Path): Record<string, number> | undefined {
    if (node.type !== 'object') {
      this.error(node, p, 'config.act.paramsNotObject', { path: pathText(p) });
      return undefined;
    }
    const params: Record<string, number> = {};
    const raw: Record<string, unknown> = {};
    const reported = new Set<string>();
    for (const prop of propertiesOf(node)) {
      raw[prop.key] = prop.value.value;
      const problems = activationParamProblems(name, { [prop.key]: prop.value.value });
      problems.forEach(m => reported.add(formatCoreText(m)));
      if (problems.length > 0) {
        const known = Object.keys(ACTIVATIONS[name].defaults);
        const unknownKey = !(prop.key in ACTIVATIONS[name].paramDocs);
        const guess = known.length > 0 && unknownKey ? closestName(prop.key, known) : undefined;
        this.error(unknownKey ? prop.keyNode : prop.value, [...p, prop.key], 'config.act.paramProblem', { problem: problems[0], suggestion: didYouMean(guess) });
      } else {
        params[prop.key] = prop.value.value as number;
      }
    }
    // Problems only the parameters together have (hardtanh's min below max), on the whole object.
    for (const m of activationParamProblems(name, raw)) if (!reported.has(formatCoreText(m))) this.error(node, p, 'config.act.paramProblem', { problem: m, suggestion: '' });
    return params;
  }

  activationName(node: JsonNode, p: Path): ActivationName | undefined {
    if (node.type !== 'string') {
      this.error(node, p, 'config.act.notText', { path: pathText(p), found: describeJson(node) });
      return undefined;
    }
    const v = String(node.value);
    if (isActivationName(v)) return v;
    const known = lookupActivation(v)?.name ?? closestName(v, activationNames());
    this.error(node, p, 'config.act.unknown', { name: v, suggestion: didYouMean(known, coreText('config.act.knownList', { list: activationNames().join(', ') })) });
    return undefined;
  }

  parseInit(node: JsonNode, p: Path): InitSpec | undefined {
    if (node.type === 'string') {
      const type = this.parseEnum(node, p, INIT_NAMES, 'initialisation', INIT_ALIASES);
      return type ? { type: type as InitSpec['type'] } : undefined;
    }
    const props = this.objectProps(node, p, ['type', 'std', 'a']);
    if (!props) return undefined;
    const typeNode = props.get('type')?.value;
    if (!typeNode) {
      this.error(node, p, 'config.act.initNeedsType', { path: pathText(p), types: INIT_NAMES.join(', ') });
      return undefined;
    }
    const type = this.parseEnum(typeNode, [...p, 'type'], INIT_NAMES, 'initialisation', INIT_ALIASES) as InitSpec['type'] | undefined;
    if (!type) return undefined;
    const spec: InitSpec = { type };
    const std = this.number(props.get('std')?.value, [...p, 'std'], { min: 0, minExclusive: true });
    const a = this.number(props.get('a')?.value, [...p, 'a'], { min: 0, minExclusive: true });
    if (std !== undefined) {
      if (type !== 'normal') this.warn(props.get('std')!.keyNode, [...p, 'std'], 'config.act.stdOnlyNormal');
      spec.std = std;
    }
    if (a !== undefined) {
      if (type !== 'uniform') this.warn(props.get('a')!.keyNode, [...p, 'a'], 'config.act.aOnlyUniform');
      spec.a = a;
    }
    return spec;
  }
}
