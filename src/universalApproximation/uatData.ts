// The data the Universal Approximation panel and `gradscope uat` work on: a file's 1 or 2 input columns and a
// target, or a built-in set, as plain arrays in original units (no split, no standardisation: the steps sit at
// positions the user reads off the x axis). No vscode import, so the CLI and the tests use it too.
import * as l10n from '@vscode/l10n';
import { BUILTIN_DATASET_NAMES, findBuiltinDataset, generateBuiltinDataset } from '../core/data/builtinDatasets';
import { readDatasetFile, type ReadDatasetOptions } from '../core/data/datasetFile';
import { InputError } from '../core/inputError';
import { coreText } from '../core/messages';
import type { Dataset } from '../core/types';
import type { UatData, UatSource } from '../protocol';

/** At most this many rows go to the panel (seeded sample): drawing and per-edit error stay instant. */
export const UAT_ROW_LIMIT = 5000;
export const UAT_BUILTIN_SAMPLES = 500;

export { knownFunctionFor as builtinFunction } from '../core/analysis/uat';

export function uatDataFromDataset(dataset: Dataset, label: string, builtin?: string): UatData {
  if (dataset.d !== 1 && dataset.d !== 2) {
    throw new InputError(l10n.t("the universal approximation view takes 1 or 2 input columns; '{0}' has {1} ({2}): choose the columns", label, dataset.d, dataset.inputNames.join(', ')));
  }
  const x: number[] = [];
  const x2: number[] = [];
  for (let i = 0; i < dataset.n; i++) {
    x.push(dataset.x[i * dataset.d]);
    if (dataset.d === 2) x2.push(dataset.x[i * 2 + 1]);
  }
  return {
    label,
    inputs: dataset.d,
    inputNames: dataset.inputNames,
    targetName: dataset.targetName,
    x,
    x2: dataset.d === 2 ? x2 : undefined,
    y: Array.from(dataset.y),
    builtin: builtin === undefined ? undefined : findBuiltinDataset(builtin)?.name,
    notes: dataset.notes,
  };
}

export async function loadUatData(source: UatSource, options: Pick<ReadDatasetOptions, 'isCancelled' | 'rowLimit'> = {}): Promise<UatData> {
  if (source.kind === 'builtin') {
    const spec = findBuiltinDataset(source.builtin);
    if (!spec) throw new InputError(coreText('data.unknownBuiltin', { name: source.builtin, names: BUILTIN_DATASET_NAMES.join(', ') }));
    const dataset = generateBuiltinDataset(spec.name, { samples: source.samples ?? UAT_BUILTIN_SAMPLES, seed: 0 });
    return uatDataFromDataset(dataset, l10n.t('{0} (built-in)', spec.name), spec.name);
  }
  const dataset = await readDatasetFile(source.dataPath, {
    inputs: source.inputs, target: source.target, task: 'regression', rowLimit: options.rowLimit ?? UAT_ROW_LIMIT, seed: 0,
    isCancelled: options.isCancelled,
  });
  const base = source.dataPath.split(/[\\/]/).pop() ?? source.dataPath;
  return uatDataFromDataset(dataset, base);
}
