// `*.nn.json` configs: JSON with comments and trailing commas, validated against the tables in configSchema.ts with
// every problem reported at once and at its exact place. This file reads the top level and hands each section to
// its reader: dataSection.ts, networkSection.ts (with activationSection.ts), trainingSection.ts.
import * as path from 'node:path';
import { parseTree, type ParseError, printParseErrorCode } from 'jsonc-parser';
import type { LossName } from '../types';
import { MAX_JSON_DEPTH, excessiveNestingOffset } from '../io/jsonLimits';
import { ActivationSection } from './activationSection';
import { ConfigReader, IssueList, describeJson, propertiesOf, syntaxMessage, type Property } from './configReader';
import { CONFIG_DEFAULTS, CONFIG_LIMITS, LOSS_NAMES, TOP_LEVEL_KEYS } from './configSchema';
import type { ConfigResult, ConfigRun, LayerLocation, ParseConfigOptions } from './configTypes';
import { DataSection } from './dataSection';
import { NetworkSection } from './networkSection';
import { TrainingSection } from './trainingSection';

export function parseConfig(text: string, configPath: string, options: ParseConfigOptions = {}): ConfigResult {
  const issues = new IssueList(text);
  const parser = new ConfigParser(issues, path.resolve(configPath), options);
  const run = parser.parse();
  issues.issues.sort((a, b) => a.offset - b.offset);
  const ok = !issues.hasErrors && run !== undefined;
  return { errors: issues.issues, ok, run: ok ? run : undefined, layerLocations: parser.layerLocations };
}

/** The top level: known keys, then each section in source-independent order (issues are sorted by place after). */
class ConfigParser extends ConfigReader {
  layerLocations: LayerLocation[] = [];

  parse(): ConfigRun | undefined {
    const text = this.issues.text;
    // parseTree recurses once per level: a config nested thousands deep would overflow the stack inside it.
    const tooDeep = excessiveNestingOffset(text, MAX_JSON_DEPTH, true);
    if (tooDeep !== undefined) {
      this.error({ offset: tooDeep, length: 1 }, [], 'config.tooDeep', { depth: MAX_JSON_DEPTH });
      return undefined;
    }
    const syntax: ParseError[] = [];
    const root = parseTree(text, syntax, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
    for (const e of syntax) {
      this.error({ offset: e.offset, length: Math.max(e.length, 1) }, [], 'config.syntax', { detail: syntaxMessage(printParseErrorCode(e.error)) });
    }
    if (!root) {
      if (syntax.length === 0) this.error({ offset: 0, length: 0 }, [], 'config.empty');
      return undefined;
    }
    if (root.type !== 'object') {
      this.error(root, [], 'config.rootNotObject', { found: describeJson(root) });
      return undefined;
    }
    const props = new Map<string, Property>();
    for (const p of propertiesOf(root)) {
      if (props.has(p.key)) this.error(p.keyNode, [p.key], 'config.givenTwice', { key: p.key });
      props.set(p.key, p);
      if (!(p.key in TOP_LEVEL_KEYS)) this.unknownKey(p, [], Object.keys(TOP_LEVEL_KEYS));
    }
    const get = (key: string) => props.get(key)?.value;
    const { issues, configPath, options } = this;

    const name = this.optionalString(get('name'), ['name']);
    this.optionalString(get('description'), ['description']);
    const data = new DataSection(issues, configPath, options).parseData(get('data'), root);
    const activations = new ActivationSection(issues, configPath, options);
    const topInit = get('init') ? activations.parseInit(get('init')!, ['init']) : undefined;
    const networkSection = new NetworkSection(issues, configPath, options, activations, topInit);
    const network = networkSection.parseNetwork(props, root);
    const loss = this.parseEnum(get('loss'), ['loss'], LOSS_NAMES, 'loss') as LossName | undefined;
    const optimizer = new TrainingSection(issues, configPath, options).parseOptimizer(get('optimizer'), get('lr'));
    const batchSize = this.integer(get('batchSize'), ['batchSize'], 1, CONFIG_LIMITS.maxBatchSize) ?? CONFIG_DEFAULTS.batchSize;
    const epochs = this.integer(get('epochs'), ['epochs'], 0, CONFIG_LIMITS.maxEpochs) ?? CONFIG_DEFAULTS.epochs;
    const seed = this.integer(get('seed'), ['seed'], -(2 ** 31), 2 ** 32 - 1) ?? CONFIG_DEFAULTS.seed;
    const snapshotEvery = this.integer(get('snapshotEvery'), ['snapshotEvery'], 0, 1e9);

    if (network) networkSection.finishLayerLocations(network);
    this.layerLocations = networkSection.layerLocations;
    if (this.issues.hasErrors || !network || !data || !optimizer) return undefined;
    return {
      name, configPath: this.configPath, data, network, loss,
      train: { optimizer, batchSize, epochs, seed, ...(snapshotEvery !== undefined ? { snapshotEvery } : {}) },
    };
  }
}
