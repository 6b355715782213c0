// Gradscope's own engine on a benchmark workload: the real Trainer (src/core/nn/trainer.ts) stepping batch by batch,
// exactly as the training worker drives it. `gradscope+probes` also takes a full snapshot (layer probes,
// distributions, histograms) at the end of every epoch, the panel's default cadence. `gradscope-copy` is the engine
// before the arena (kernels.ts setEngineBackend('copy'): ordinary arrays, products copied into WebAssembly memory),
// kept for the side-by-side comparison; `gradscope` and `gradscope+probes` run the default (resident) engine.
import { Trainer } from '../../src/core/nn/trainer';
import type { ModuleSpec, PreparedData, TrainSpec } from '../../src/core/types';
import { engineBackend, kernelBackend, setEngineBackend } from '../../src/core/nn/kernels';
import { type BenchData, type Workload } from './workloads';
import type { Runner } from './runner';

export function gradscopeRunner(w: Workload, data: BenchData, variant: string): Runner {
  const layers: ModuleSpec[] = [];
  for (const units of w.hidden) layers.push({ type: 'linear', units }, { type: 'activation', name: w.activation });
  layers.push({ type: 'linear', units: 1 });
  const spec: TrainSpec = {
    network: { inputs: w.inputs, layers },
    loss: 'mse',
    optimizer: { type: 'sgd', lr: w.learningRate },
    batchSize: w.batchSize,
    epochs: Number.MAX_SAFE_INTEGER,
    seed: 1,
    snapshotEvery: 0,
  };
  const prepared: PreparedData = {
    task: 'regression',
    d: w.inputs,
    outputs: 1,
    inputNames: Array.from({ length: w.inputs }, (_, i) => `x${i}`),
    targetName: 'y',
    train: { n: w.samples, x: data.x, y: data.y },
    val: { n: 0, x: new Float64Array(0), y: new Float64Array(0) },
    mean: new Float64Array(w.inputs),
    std: new Float64Array(w.inputs).fill(1),
    notes: [],
  };
  if (variant === 'gradscope-copy') setEngineBackend('copy');
  // gradscope@N: N threads for the wide products (the scaling table).
  const threads = Number(/@(\d+)$/.exec(variant)?.[1] ?? 1);
  const trainer = new Trainer(spec, prepared, { threads });
  const probes = variant.startsWith('gradscope+probes');
  const baseNote = `Trainer.stepBatch, float64, kernels ${kernelBackend()}, engine ${engineBackend()}, ${trainer.threads} thread${trainer.threads > 1 ? 's' : ''}`;
  // Time inside step() and inside snapshot(), so the probes' share is measured within one process and one
  // stretch of time (robust to other load on the machine), beside the throughput difference of the two rows.
  let stepMs = 0;
  let snapshotMs = 0;
  let snapshots = 0;
  const runner: Runner = {
    note: baseNote,
    step(): number {
      const t0 = performance.now();
      const r = trainer.stepBatch();
      if (r.diverged) throw new Error(trainer.diverged?.message ?? 'diverged');
      if (probes && r.snapshotDue) {
        const t1 = performance.now();
        trainer.snapshot();
        snapshotMs += performance.now() - t1;
        snapshots++;
        runner.note = `${baseNote}, snapshot with probes each epoch (${snapshots} taken, ` +
          `${((100 * snapshotMs) / (stepMs + performance.now() - t0)).toFixed(1)}% of the time)`;
      }
      stepMs += performance.now() - t0;
      return r.rows;
    },
  };
  return runner;
}
