// The config's `data` section: a file (resolved next to the config, with "did you mean" on a missing name) or a
// built-in dataset, the input and target columns, the task, validation share, normalisation and sampling.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node as JsonNode } from 'jsonc-parser';
import { closestName } from '../didYouMean';
import { describeFileType } from '../io/regularFile';
import { BUILTIN_DATASET_NAMES, findBuiltinDataset } from '../data/builtinDatasets';
import type { Task } from '../types';
import { coreText } from '../messages';
import { ConfigReader, describeJson, didYouMean, pathText, type Path } from './configReader';
import { CONFIG_DEFAULTS, CONFIG_LIMITS, DATA_KEYS, TASK_NAMES } from './configSchema';
import type { ConfigRun } from './configTypes';

export class DataSection extends ConfigReader {
  parseData(node: JsonNode | undefined, root: JsonNode): ConfigRun['data'] | undefined {
    const defaults = { validation: CONFIG_DEFAULTS.validation, normalize: CONFIG_DEFAULTS.normalize };
    if (!node) {
      if (this.options.dataOptional) return defaults;
      this.error({ offset: root.offset, length: 1 }, ['data'], 'config.data.missing', { builtinExample: `"data": { "builtin": "${BUILTIN_DATASET_NAMES[0]}" }` });
      return undefined;
    }
    const p: Path = ['data'];
    const props = this.objectProps(node, p, Object.keys(DATA_KEYS));
    if (!props) return undefined;
    const get = (k: string) => props.get(k)?.value;
    const data: ConfigRun['data'] = { ...defaults };
    const fileNode = get('file');
    const builtinNode = get('builtin');
    if (fileNode && builtinNode) {
      this.error(props.get('builtin')!.keyNode, ['data', 'builtin'], 'config.data.fileAndBuiltin');
    } else if (!fileNode && !builtinNode && !this.options.dataOptional) {
      this.error(node, p, 'config.data.needsSource', { builtins: BUILTIN_DATASET_NAMES.join(', ') });
    }
    if (fileNode) {
      const file = this.optionalString(fileNode, ['data', 'file']);
      if (file !== undefined) {
        const absolute = path.resolve(path.dirname(this.configPath), file);
        const exists = this.options.fileExists ?? ((f: string) => fs.existsSync(f) && fs.statSync(f).isFile());
        if (file.trim().length === 0) this.error(fileNode, ['data', 'file'], 'config.data.fileEmpty');
        else if (!this.options.fileExists && fs.existsSync(absolute) && !fs.statSync(absolute).isFile()) {
          // A folder, a FIFO, a device: refused by its type (its size says nothing, and reading it may never end).
          this.error(fileNode, ['data', 'file'], 'config.data.notAFile', { file, type: describeFileType(fs.statSync(absolute)) });
        } else if (!exists(absolute)) {
          const folder = path.dirname(absolute);
          let names: string[] = [];
          try {
            names = (this.options.listFolder ?? (f => fs.readdirSync(f)))(folder);
          } catch {
            names = [];
          }
          const guess = closestName(path.basename(file), names.filter(n => n !== path.basename(file)));
          const shown = guess ? path.join(path.dirname(file), guess) : undefined;
          this.error(fileNode, ['data', 'file'], 'config.data.notFound', {
            file, suggestion: didYouMean(shown?.replace(/\\/g, '/'), coreText('config.data.lookedIn', { folder })),
          });
        }
        data.file = absolute;
      }
    }
    if (builtinNode) {
      const builtin = this.optionalString(builtinNode, ['data', 'builtin']);
      if (builtin !== undefined) {
        if (findBuiltinDataset(builtin)?.name === builtin) data.builtin = builtin;
        else {
          const guess = closestName(builtin, BUILTIN_DATASET_NAMES);
          this.error(builtinNode, ['data', 'builtin'], 'config.data.unknownBuiltin', { name: builtin, suggestion: didYouMean(guess), builtins: BUILTIN_DATASET_NAMES.join(', ') });
        }
      }
    }
    const inputsNode = get('inputs');
    if (inputsNode) {
      if (inputsNode.type !== 'array') this.error(inputsNode, ['data', 'inputs'], 'config.data.inputsNotList');
      else {
        const inputs: (string | number)[] = [];
        (inputsNode.children ?? []).forEach((c, i) => {
          const column = this.column(c, ['data', 'inputs', i]);
          if (column !== undefined) inputs.push(column);
        });
        if (inputs.length === 0 && (inputsNode.children ?? []).length === 0) this.error(inputsNode, ['data', 'inputs'], 'config.data.inputsEmpty');
        data.inputs = inputs;
      }
    }
    const targetNode = get('target');
    if (targetNode) data.target = this.column(targetNode, ['data', 'target']);
    const task = this.parseEnum(get('task'), ['data', 'task'], TASK_NAMES, 'task');
    if (task) data.task = task as Task;
    data.validation = this.number(get('validation'), ['data', 'validation'], { min: 0, max: 0.9 }) ?? data.validation;
    data.normalize = this.boolean(get('normalize'), ['data', 'normalize']) ?? data.normalize;
    const noise = this.number(get('noise'), ['data', 'noise'], { min: 0 });
    if (noise !== undefined) data.noise = noise;
    const samples = this.integer(get('samples'), ['data', 'samples'], 2, CONFIG_LIMITS.maxSamples);
    if (samples !== undefined) data.samples = samples;
    const rowLimit = this.integer(get('rowLimit'), ['data', 'rowLimit'], 1, 1e9);
    if (rowLimit !== undefined) data.rowLimit = rowLimit;
    const header = this.boolean(get('header'), ['data', 'header']);
    if (header !== undefined) data.header = header;
    if (fileNode) {
      for (const k of ['noise', 'samples']) if (props.has(k)) this.warn(props.get(k)!.keyNode, ['data', k], 'config.data.builtinOnly', { key: k });
    }
    if (builtinNode) {
      for (const k of ['inputs', 'target', 'rowLimit', 'header']) if (props.has(k)) this.warn(props.get(k)!.keyNode, ['data', k], 'config.data.fileOnly', { key: k });
    }
    return data;
  }

  private column(node: JsonNode, p: Path): string | number | undefined {
    if (node.type === 'string') return String(node.value);
    if (node.type === 'number' && Number.isInteger(node.value) && node.value >= 0) return node.value as number;
    this.error(node, p, 'config.data.column', { path: pathText(p), found: describeJson(node) });
    return undefined;
  }
}
