// The live probe's step-0 pass on a worker pool: this thread runs the forward and backward passes, then the heavy
// and independent parts of the layer probes (each layer's distributions, each weight's ‖W‖₂ by power iteration:
// nearly all of the pass on a deep or wide net) are shared out between it and the pool's workers, by estimated cost.
// Every part runs the same functions on the same inputs wherever it runs (tasks.ts layerStats), the arena's arrays
// reach the workers shared rather than copied, and each estimator continues from the state its share reached, so the
// snapshot is the one step0Diagnostics() takes on one thread, bit for bit (test/unit/configInsight/probeEngine.test.ts).
import { DISTRIBUTION_SAMPLE_LIMIT, probeWork, type PrecomputedProbes } from '../nn/probes';
import {
  SPECTRAL_COLD_BUDGET, SPECTRAL_COLD_ITERATIONS, SPECTRAL_MIN_ITERATIONS, type SpectralNormEstimator,
} from '../nn/spectralNorm';
import type { Trainer } from '../nn/trainer';
import type { Distribution, Snapshot } from '../types';
import { layerStats, type LayerStats, type LayerStatsTask } from './tasks';
import type { WorkerPool } from './pool';

/** Below this estimated cost (multiply-adds or comparisons) the whole probe stays on this thread. */
const SHARE_MIN_WORK = 2e6;

/** step0Diagnostics(), with the layer probes' heavy parts shared between this thread and `pool`. */
export async function step0DiagnosticsOnPool(trainer: Trainer, pool: WorkerPool): Promise<Snapshot> {
  const pass = trainer.step0Pass();
  const work = probeWork(trainer.network, pass.ws);
  const items: { cost: number; distribution?: number; spectral?: number }[] = [
    ...work.distributions.map((d, i) => ({ cost: sortCost(d.n), distribution: i })),
    ...work.spectral.map((s, i) => ({ cost: powerCost(s.estimator), spectral: i })),
  ];
  const total = items.reduce((sum, item) => sum + item.cost, 0);
  const shares = Math.min(pool.size + 1, items.length);
  if (pool.terminated || shares < 2 || total < SHARE_MIN_WORK) return trainer.step0Snapshot(pass);
  // Largest first, each to the least loaded share (deterministic); share 0 is this thread's.
  const load = new Array<number>(shares).fill(0);
  const tasks: LayerStatsTask[] = Array.from({ length: shares }, () => ({ kind: 'layerStats', distributions: [], spectral: [] }));
  const placed: { distributions: number[]; spectral: number[] }[] = tasks.map(() => ({ distributions: [], spectral: [] }));
  for (const item of [...items].sort((a, b) => b.cost - a.cost)) {
    let s = 0;
    for (let k = 1; k < shares; k++) if (load[k] < load[s]) s = k;
    load[s] += item.cost;
    if (item.distribution !== undefined) {
      tasks[s].distributions.push(work.distributions[item.distribution]);
      placed[s].distributions.push(item.distribution);
    } else if (item.spectral !== undefined) {
      const { estimator, w } = work.spectral[item.spectral];
      tasks[s].spectral.push({ w, rows: estimator.rows, cols: estimator.cols, state: estimator.exportState() });
      placed[s].spectral.push(item.spectral);
    }
  }
  const remote = tasks.slice(1).map(task => pool.run(task).catch(() => layerStats(task))); // a lost worker: here
  const results: LayerStats[] = [layerStats(tasks[0]), ...((await Promise.all(remote)) as LayerStats[])];
  const pre: PrecomputedProbes = { distributions: new Map<Float64Array, Distribution>(), spectral: new Map<SpectralNormEstimator, number>() };
  results.forEach((result, s) => {
    placed[s].distributions.forEach((i, k) => pre.distributions.set(work.distributions[i].values, result.distributions[k]));
    placed[s].spectral.forEach((i, k) => {
      const { estimator } = work.spectral[i];
      const { sigma, state, iterations } = result.spectral[k];
      estimator.importState(state, iterations);
      pre.spectral.set(estimator, sigma);
    });
  });
  return trainer.step0Snapshot(pass, pre);
}

/** A distribution's cost: its passes over n values and the sort of its sample. */
function sortCost(n: number): number {
  const m = Math.min(n, DISTRIBUTION_SAMPLE_LIMIT);
  return 3 * n + m * Math.log2(Math.max(2, m));
}

/** A cold power iteration's cost at its cap (it often stops sooner). */
function powerCost(e: SpectralNormEstimator): number {
  const work = 2 * e.rows * e.cols;
  return work * Math.min(SPECTRAL_COLD_ITERATIONS, Math.max(SPECTRAL_MIN_ITERATIONS, Math.floor(SPECTRAL_COLD_BUDGET / work)));
}
