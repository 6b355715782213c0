// From a Dataset to what the trainer consumes: a seeded train/validation split (stratified by class for
// classification) and inputs standardised with statistics of the training split only, so no validation information
// leaks into training.
import type { DataSplit, Dataset, PreparedData } from '../types';
import { seededPermutation, seededUniform } from './datasetRandom';
import { InputError } from '../inputError';
import { coreText, notesOf } from '../messages';

export interface PrepareOptions {
  /** Fraction held out for validation, 0 … 0.9. */
  validation: number;
  normalize: boolean;
  seed: number;
  /** Use this standardisation instead of computing one (a loaded model's own statistics). */
  standardisation?: { mean: ArrayLike<number>; std: ArrayLike<number> };
}

export function prepareData(dataset: Dataset, options: PrepareOptions): PreparedData {
  const { n, d } = dataset;
  if (!(options.validation >= 0 && options.validation <= 0.9)) {
    throw new InputError(coreText('data.validation', { value: String(options.validation) }));
  }
  const uniform = seededUniform(options.seed ^ 0x5bd1e995);
  const order = seededPermutation(n, uniform);
  const isValidation = new Uint8Array(n);
  if (dataset.task === 'regression') {
    const nVal = Math.min(n - 1, Math.round(n * options.validation));
    for (let k = 0; k < nVal; k++) isValidation[order[k]] = 1;
  } else {
    // Stratified: each class gives the same share to validation, so a rare class is not left out of either side.
    const classes = dataset.classes?.length ?? 0;
    const byClass: number[][] = Array.from({ length: classes }, () => []);
    for (let k = 0; k < n; k++) byClass[dataset.y[order[k]]]?.push(order[k]);
    for (const rows of byClass) {
      const nVal = Math.min(rows.length - 1, Math.round(rows.length * options.validation));
      for (let k = 0; k < nVal; k++) isValidation[rows[k]] = 1;
    }
  }
  let nVal = 0;
  for (let i = 0; i < n; i++) nVal += isValidation[i];
  const train = emptySplit(n - nVal, d);
  const val = emptySplit(nVal, d);
  let t = 0;
  let v = 0;
  const trainSource = new Int32Array(train.n);
  const valSource = new Int32Array(val.n);
  // Rows go in the permuted order: the split is random, and the trainer reshuffles per epoch anyway.
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const target = isValidation[i] ? val : train;
    const row = isValidation[i] ? v++ : t++;
    (isValidation[i] ? valSource : trainSource)[row] = i;
    target.x.set(dataset.x.subarray(i * d, i * d + d), row * d);
    target.y[row] = dataset.y[i];
  }

  const mean = new Float64Array(d);
  const std = new Float64Array(d).fill(1);
  if (options.standardisation) {
    const given = options.standardisation;
    if (given.mean.length !== d || given.std.length !== d) {
      throw new InputError(coreText('data.standardisationWidth', { columns: given.mean.length, d }));
    }
    for (let k = 0; k < d; k++) {
      mean[k] = given.mean[k];
      std[k] = given.std[k] > 0 && Number.isFinite(given.std[k]) ? given.std[k] : 1;
    }
  } else if (options.normalize) {
    columnStatistics(train, d, mean, std);
  }
  for (const split of [train, val]) {
    const bad = standardise(split, d, mean, std);
    if (bad !== undefined) {
      const k = bad % d;
      const source = (split === train ? trainSource : valSource)[Math.floor(bad / d)];
      throw new InputError(coreText('data.standardisedOverflow', {
        column: dataset.inputNames[k], row: source + 1, value: dataset.x[source * d + k], mean: mean[k], std: std[k],
      }));
    }
  }

  const outputs = dataset.task === 'multiclass' ? dataset.classes!.length : 1;
  const texts = [...(dataset.noteTexts ?? dataset.notes)];
  texts.push(coreText(options.normalize || options.standardisation ? 'data.note.splitStandardised' : 'data.note.split', { train: train.n, val: val.n }));
  const { notes, noteTexts } = notesOf(texts);
  return {
    task: dataset.task, d, outputs,
    inputNames: dataset.inputNames, targetName: dataset.targetName, classes: dataset.classes,
    train, val, mean, std, notes, noteTexts,
  };
}

function emptySplit(n: number, d: number): DataSplit {
  return { n, x: new Float64Array(n * d), y: new Float64Array(n) };
}

/**
 * Mean and population standard deviation per column (as scikit-learn's StandardScaler). Values are scaled by the
 * column's largest magnitude first so that 1e300-sized data cannot overflow the sum of squares. A constant column
 * keeps std 1: it is centred to 0, never divided by zero.
 */
export function columnStatistics(split: DataSplit, d: number, mean: Float64Array, std: Float64Array): void {
  const n = split.n;
  for (let k = 0; k < d; k++) {
    if (n === 0) {
      mean[k] = 0;
      std[k] = 1;
      continue;
    }
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(split.x[i * d + k]));
    if (scale === 0) {
      mean[k] = 0;
      std[k] = 1;
      continue;
    }
    let sum = 0;
    for (let i = 0; i < n; i++) sum += split.x[i * d + k] / scale;
    const m = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const deviation = split.x[i * d + k] / scale - m;
      squares += deviation * deviation;
    }
    const s = Math.sqrt(squares / n);
    mean[k] = m * scale;
    // Below this relative spread the column is constant up to rounding.
    std[k] = s > 1e-12 ? s * scale : 1;
  }
}

/** Standardise in place; the index of the first value that is no longer finite, if any (it overflowed). */
function standardise(split: DataSplit, d: number, mean: Float64Array, std: Float64Array): number | undefined {
  let bad: number | undefined;
  for (let i = 0; i < split.n; i++) {
    for (let k = 0; k < d; k++) {
      const z = (split.x[i * d + k] - mean[k]) / std[k];
      split.x[i * d + k] = z;
      if (bad === undefined && !Number.isFinite(z)) bad = i * d + k;
    }
  }
  return bad;
}
