// The config's training settings: the optimizer (a name or { type, lr, momentum, nesterov, betas, eps, weightDecay,
// clipNorm }, with `lr` also allowed at the top level) and the options that apply to it.
import type { Node as JsonNode } from 'jsonc-parser';
import type { OptimizerSpec } from '../types';
import { ConfigReader, type Path } from './configReader';
import { CONFIG_DEFAULTS, OPTIMIZER_KEYS, OPTIMIZER_NAMES } from './configSchema';

export class TrainingSection extends ConfigReader {
  parseOptimizer(node: JsonNode | undefined, lrNode: JsonNode | undefined): OptimizerSpec | undefined {
    let type: OptimizerSpec['type'] = CONFIG_DEFAULTS.optimizer;
    const spec: Partial<OptimizerSpec> = {};
    let ok = true;
    if (node) {
      if (node.type === 'string') {
        const t = this.parseEnum(node, ['optimizer'], OPTIMIZER_NAMES, 'optimizer');
        if (!t) ok = false;
        else type = t as OptimizerSpec['type'];
      } else {
        const props = this.objectProps(node, ['optimizer'], Object.keys(OPTIMIZER_KEYS));
        if (!props) return undefined;
        const get = (k: string) => props.get(k)?.value;
        const p: Path = ['optimizer'];
        if (get('type')) {
          const t = this.parseEnum(get('type'), [...p, 'type'], OPTIMIZER_NAMES, 'optimizer');
          if (!t) ok = false;
          else type = t as OptimizerSpec['type'];
        }
        const lr = this.number(get('lr'), [...p, 'lr'], { min: 0, minExclusive: true });
        if (lr !== undefined) spec.lr = lr;
        if (lr !== undefined && lrNode) this.error(lrNode, ['lr'], 'config.train.lrTwice');
        const momentum = this.number(get('momentum'), [...p, 'momentum'], { min: 0, max: 1, maxExclusive: true });
        if (momentum !== undefined) spec.momentum = momentum;
        const nesterov = this.boolean(get('nesterov'), [...p, 'nesterov']);
        if (nesterov !== undefined) spec.nesterov = nesterov;
        const betasNode = get('betas');
        if (betasNode) {
          const items = betasNode.type === 'array' ? betasNode.children ?? [] : [];
          if (betasNode.type !== 'array' || items.length !== 2) this.error(betasNode, [...p, 'betas'], 'config.train.betas');
          else {
            const b1 = this.number(items[0], [...p, 'betas', 0], { min: 0, max: 1, maxExclusive: true });
            const b2 = this.number(items[1], [...p, 'betas', 1], { min: 0, max: 1, maxExclusive: true });
            if (b1 !== undefined && b2 !== undefined) spec.betas = [b1, b2];
          }
        }
        const eps = this.number(get('eps'), [...p, 'eps'], { min: 0, minExclusive: true });
        if (eps !== undefined) spec.eps = eps;
        const weightDecay = this.number(get('weightDecay'), [...p, 'weightDecay'], { min: 0 });
        if (weightDecay !== undefined) spec.weightDecay = weightDecay;
        const clipNorm = this.number(get('clipNorm'), [...p, 'clipNorm'], { min: 0, minExclusive: true });
        if (clipNorm !== undefined) spec.clipNorm = clipNorm;
        const sgdLike = type === 'sgd' || type === 'momentum';
        for (const k of ['momentum', 'nesterov'] as const) {
          if (props.has(k) && !sgdLike) this.warn(props.get(k)!.keyNode, [...p, k], 'config.train.sgdOnly', { key: k, type });
        }
        for (const k of ['betas', 'eps'] as const) {
          if (props.has(k) && sgdLike) this.warn(props.get(k)!.keyNode, [...p, k], 'config.train.adamOnly', { key: k, type });
        }
        if (spec.nesterov && type === 'sgd' && !(spec.momentum && spec.momentum > 0)) {
          this.error(props.get('nesterov')!.value, [...p, 'nesterov'], 'config.train.nesterov');
        }
      }
    }
    if (lrNode) {
      const lr = this.number(lrNode, ['lr'], { min: 0, minExclusive: true });
      if (lr !== undefined && spec.lr === undefined) spec.lr = lr;
    }
    if (!ok) return undefined;
    const out: OptimizerSpec = { type, lr: spec.lr ?? CONFIG_DEFAULTS.lr };
    if (type === 'momentum') out.momentum = spec.momentum ?? CONFIG_DEFAULTS.momentum;
    else if (type === 'sgd' && spec.momentum !== undefined) out.momentum = spec.momentum;
    if (spec.nesterov !== undefined && (type === 'sgd' || type === 'momentum')) out.nesterov = spec.nesterov;
    if (type === 'adam' || type === 'adamw') {
      if (spec.betas) out.betas = spec.betas;
      if (spec.eps !== undefined) out.eps = spec.eps;
    }
    if (spec.weightDecay !== undefined) out.weightDecay = spec.weightDecay;
    if (spec.clipNorm !== undefined) out.clipNorm = spec.clipNorm;
    return out;
  }
}
