// Losses with PyTorch's default reduction ('mean'), each returning the loss and writing ∂L/∂output.
//   mse            mean over all n·k elements of (ŷ − y)²                      (nn.MSELoss)
//   cross_entropy  mean over samples of −log softmax(z)_y, by log-sum-exp       (nn.CrossEntropyLoss)
//   bce            mean over samples of max(z, 0) − z·y + log(1 + e^{−|z|})     (nn.BCEWithLogitsLoss)
import type { LossName, Task } from '../types';
import { sigmoid } from '../activations/activations';
import { coreText, type CoreText } from '../messages';

export const LOSS_NAMES: LossName[] = ['mse', 'cross_entropy', 'bce'];

/** The loss matched to a task. */
export function defaultLossFor(task: Task): LossName {
  return task === 'regression' ? 'mse' : task === 'binary' ? 'bce' : 'cross_entropy';
}

/** The problem pairing a loss with a task and an output width, as a message; undefined when they fit. */
export function lossProblem(loss: LossName, task: Task, outputs: number, classes = 0): CoreText | undefined {
  switch (loss) {
    case 'mse':
      return task === 'regression' ? undefined : coreText('train.mseNeedsRegression', { task, loss: defaultLossFor(task) });
    case 'bce':
      if (task !== 'binary') return coreText('train.bceNeedsBinary', { task, loss: defaultLossFor(task) });
      return outputs === 1 ? undefined : coreText('train.bceOneOutput', { outputs });
    case 'cross_entropy':
      if (task === 'regression') return coreText('train.ceNeedsClasses');
      return outputs === classes ? undefined : coreText('train.ceOutputs', { classes, outputs });
  }
}

/**
 * Loss of n rows of outputs (n × k) against targets, and ∂L/∂output into `grad` when given.
 * Targets: mse, n·k values (k = 1: one per row); cross_entropy, a class index per row; bce, 0/1 per row.
 */
export function computeLoss(
  name: LossName, out: Float64Array, y: Float64Array, n: number, k: number, grad: Float64Array | null,
): number {
  switch (name) {
    case 'mse': {
      const len = n * k;
      let s = 0;
      const scale = 2 / len;
      for (let i = 0; i < len; i++) {
        const d = out[i] - y[i];
        s += d * d;
        if (grad) grad[i] = scale * d;
      }
      return s / len;
    }
    case 'cross_entropy': {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const row = i * k;
        let m = -Infinity;
        for (let j = 0; j < k; j++) if (out[row + j] > m) m = out[row + j];
        let sum = 0;
        for (let j = 0; j < k; j++) sum += Math.exp(out[row + j] - m);
        const logZ = m + Math.log(sum);
        const label = y[i];
        s += logZ - out[row + label];
        if (grad) {
          for (let j = 0; j < k; j++) grad[row + j] = (Math.exp(out[row + j] - logZ) - (j === label ? 1 : 0)) / n;
        }
      }
      return s / n;
    }
    case 'bce': {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const z = out[i * k];
        const t = y[i];
        s += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
        if (grad) grad[i * k] = (sigmoid(z) - t) / n;
      }
      return s / n;
    }
  }
}

/** Rows whose predicted class matches the target (classification losses only; 0 for mse). */
export function countCorrect(name: LossName, out: Float64Array, y: Float64Array, n: number, k: number): number {
  let correct = 0;
  if (name === 'bce') {
    for (let i = 0; i < n; i++) if ((out[i * k] > 0 ? 1 : 0) === y[i]) correct++;
  } else if (name === 'cross_entropy') {
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (out[i * k + j] > out[i * k + best]) best = j;
      if (best === y[i]) correct++;
    }
  }
  return correct;
}

/** Turn n rows of network outputs into what a user reads: the value (mse) or class probabilities. */
export function outputToProbabilities(name: LossName, out: Float64Array, n: number, k: number): Float64Array {
  const p = new Float64Array(n * k);
  if (name === 'bce') for (let i = 0; i < n * k; i++) p[i] = sigmoid(out[i]);
  else if (name === 'cross_entropy') {
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let j = 0; j < k; j++) m = Math.max(m, out[i * k + j]);
      let sum = 0;
      for (let j = 0; j < k; j++) sum += Math.exp(out[i * k + j] - m);
      for (let j = 0; j < k; j++) p[i * k + j] = Math.exp(out[i * k + j] - m) / sum;
    }
  } else p.set(out.subarray(0, n * k));
  return p;
}
