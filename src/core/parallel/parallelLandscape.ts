// The loss landscape on a worker pool: grid rows (and the 1-D slice, in pieces) evaluated across the pool's
// threads. Every point is computed by the same LandscapeEvaluator.lossAt from the same θ, directions and sample,
// so the numbers equal computeLandscape's bit for bit whatever the thread count; rows reach the caller in order.
import { createLandscape, landscapeResult, type LandscapeEvaluator, type LandscapeOptions, type LandscapeResult } from '../analysis/landscape';
import type { Network } from '../nn/network';
import type { DataSplit, LossName } from '../types';
import type { WorkerPool } from './pool';

let nextContext = 1;

/** Tasks in flight per thread: enough that no thread waits for its next row, few enough that a stop is quick. */
const LOOKAHEAD_PER_THREAD = 2;

/**
 * Evaluates the grid rows of `axis` (row j: β = axis[j], α over the axis) and then the slice along δ on the pool.
 * `onRow` sees rows in order as they complete and may return false to stop (null is returned then).
 */
export async function landscapeRowsOnPool(
  pool: WorkerPool, evaluator: LandscapeEvaluator, axis: Float64Array, sliceAxis: Float64Array,
  onRow?: (index: number, losses: Float64Array) => boolean | void,
): Promise<{ rows: Float64Array[]; slice: Float64Array } | null> {
  const context = nextContext++;
  // θ is the evaluator's copy (the network's values may sit moved by an evaluation), then the running statistics.
  const state = [...evaluator.theta, ...evaluator.network.saveState().slice(evaluator.theta.length)];
  pool.broadcast({
    type: 'landscapeOpen',
    context: { context, spec: evaluator.network.spec, state, loss: evaluator.loss, sample: evaluator.sample, delta: evaluator.delta, eta: evaluator.eta },
  });
  const n = axis.length;
  const pieces: { alphas: Float64Array; betas: Float64Array }[] = [];
  for (let j = 0; j < n; j++) pieces.push({ alphas: axis, betas: new Float64Array(n).fill(axis[j]) });
  // The slice in row-sized pieces, so it spreads over the threads too.
  for (let start = 0; start < sliceAxis.length; start += n) {
    const alphas = sliceAxis.slice(start, Math.min(sliceAxis.length, start + n));
    pieces.push({ alphas, betas: new Float64Array(alphas.length) });
  }
  const results: (Float64Array | undefined)[] = new Array(pieces.length);
  let submitted = 0;
  let delivered = 0;
  let stopped = false;
  try {
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      const submit = (): void => {
        while (!stopped && submitted < pieces.length && inFlight < pool.size * LOOKAHEAD_PER_THREAD) {
          const k = submitted++;
          inFlight++;
          pool.run({ kind: 'landscapePoints', context, alphas: pieces[k].alphas, betas: pieces[k].betas }).then((result) => {
            inFlight--;
            if (result.kind !== 'losses') throw new Error(`a landscape task returned ${result.kind}`);
            results[k] = result.losses;
            while (!stopped && delivered < pieces.length && results[delivered]) {
              if (delivered < n && onRow && onRow(delivered, results[delivered]!) === false) stopped = true;
              delivered++;
            }
            if (stopped ? inFlight === 0 : delivered === pieces.length) resolve();
            else submit();
          }).catch(reject);
        }
      };
      submit();
    });
  } finally {
    if (!pool.terminated) pool.broadcast({ type: 'landscapeClose', context });
  }
  if (stopped) return null;
  const slice = new Float64Array(sliceAxis.length);
  for (let k = n, at = 0; k < pieces.length; at += results[k]!.length, k++) slice.set(results[k]!, at);
  return { rows: results.slice(0, n) as Float64Array[], slice };
}

/** computeLandscape on a worker pool: the same result, bit for bit. */
export async function computeLandscapeOnPool(
  pool: WorkerPool, network: Network, loss: LossName, train: DataSplit, options: LandscapeOptions = {},
  onRow?: (index: number, losses: Float64Array) => boolean | void,
): Promise<LandscapeResult | null> {
  const made = createLandscape(network, loss, train, options);
  const lossAtTheta = made.evaluator.lossAtTheta();
  const done = await landscapeRowsOnPool(pool, made.evaluator, made.axis, made.sliceAxis, onRow);
  if (!done) return null;
  return landscapeResult(made, loss, lossAtTheta, done.rows.map(r => Array.from(r)), done.slice);
}
