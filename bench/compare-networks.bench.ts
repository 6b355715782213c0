// Compare Networks on the worker pool (issue 17): four presets trained side by side from one seed on one dataset,
// on this thread (interleaved, as the panel's worker does with one thread) and on pools of 1, 2, … threads up to the
// machine's cores (networks dealt round-robin). Every run's final snapshots must equal this thread's. Each run draws
// the networks' functions at the start and the end (the panel also redraws them once a second in either mode).
//   npm run bench -- compare-networks [--epochs 30] [--rounds 3]
// 30 epochs is the panel's default (networksPanel.ts); each figure is the best of its rounds.
// Target: ≥ 1.7× with 2 threads.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadChoices } from '../src/compareNetworks/networksWorker';
import { WorkerPool, availableCores } from '../src/core/parallel/pool';
import { Trainer } from '../src/core/nn/trainer';
import { functionView } from '../src/core/nn/functionView';
import { kernelBackend } from '../src/core/nn/kernels';
import type { NetworkChoice } from '../src/protocol';
import type { Snapshot } from '../src/core/types';
import { buildPoolWorker } from '../scripts/lib/poolWorkerBuild.mjs';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const PRESETS = ['deep-sigmoid', 'deep-relu-he', 'relu-batchnorm', 'residual'];

async function main(): Promise<void> {
  const epochs = Number(option('epochs') ?? 30);
  const rounds = Math.max(1, Number(option('rounds') ?? 3));
  const cores = availableCores();
  const script = await buildPoolWorker();
  const choices: NetworkChoice[] = PRESETS.map(preset => ({ kind: 'preset', preset, label: preset }));
  const runs = await loadChoices(choices, { kind: 'builtin', builtin: 'spiral' }, 1, epochs);
  const specs = runs.map(r => ({ ...r.train, snapshotEvery: 10 }));
  console.log(`Compare Networks — Node ${process.version}, ${cores} cores, load ${os.loadavg()[0].toFixed(1)}, kernels ${kernelBackend()}`);
  console.log(`${PRESETS.join(', ')} on the built-in spiral (${runs[0].data.train.n} training rows), ${epochs} epochs, seed 1:`);

  /** One thread, as networksWorker's trainSlice: one step of each network in turn until all are done. */
  const here = (): Snapshot[] => {
    const trainers = specs.map((s, i) => new Trainer(s, runs[i].data));
    const last = trainers.map(t => t.snapshot());
    for (const t of trainers) functionView(t, t.data);
    for (let running = true; running;) {
      running = false;
      trainers.forEach((t, i) => {
        if (t.done || t.diverged) return;
        running = true;
        const r = t.stepBatch();
        if (r.snapshotDue || t.done || t.diverged) last[i] = t.snapshot();
      });
    }
    for (const t of trainers) functionView(t, t.data);
    return last;
  };
  const onPool = async (pool: WorkerPool, epochCount = epochs): Promise<Snapshot[]> => {
    const last: Snapshot[] = [];
    await Promise.all(Array.from({ length: pool.size }, (_, w) => pool.run({
      kind: 'train', sliceMs: 20, progressIntervalMs: 150, functionIntervalMs: Infinity,
      networks: specs.flatMap((spec, index) => (index % pool.size === w ? [{ index, spec: { ...spec, epochs: epochCount }, data: runs[index].data }] : [])),
    }, { worker: w, onProgress: p => { for (const s of p.snapshots) last[s.index] = s.snapshot; } })));
    return last;
  };

  const reference = JSON.stringify(here());
  const time = async (label: string, run: () => Snapshot[] | Promise<Snapshot[]>): Promise<{ wall: number; cpu: number }> => {
    let best = { wall: Infinity, cpu: Infinity };
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const result = await run();
      const wall = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      if (wall < best.wall) best = { wall, cpu: (c.user + c.system) / 1e6 };
      if (JSON.stringify(result) !== reference) throw new Error(`${label}: the final snapshots differ from one thread's`);
    }
    return best;
  };
  console.log(`  ${''.padEnd(24)} ${'wall'.padStart(8)} ${'speed-up'.padStart(9)} ${'CPU'.padStart(8)} ${'cores busy'.padStart(11)}`);
  const row = (label: string, t: { wall: number; cpu: number }, speedUp: number, note = '') => console.log(
    `  ${label.padEnd(24)} ${(t.wall.toFixed(2) + ' s').padStart(8)} ${(speedUp.toFixed(2) + '×').padStart(9)} ${(t.cpu.toFixed(2) + ' s').padStart(8)} ${(t.cpu / t.wall).toFixed(2).padStart(11)}  ${note}`);
  const one = await time('this thread', here);
  row('this thread (no pool)', one, 1);
  for (let threads = 1; threads <= Math.max(2, cores); threads++) {
    const pool = new WorkerPool(threads, script);
    try {
      // Warm-up, untimed: a fresh thread compiles the engine's code again, as this one did for the reference run.
      await onPool(pool, 1);
      const t = await time(`${threads} threads`, () => onPool(pool));
      const note = threads === 2 ? `(target ≥ 1.7×: ${one.wall / t.wall >= 1.7 ? 'met' : 'NOT met'})` : '';
      row(`pool of ${threads} thread${threads > 1 ? 's' : ''}`, t, one.wall / t.wall, note);
    } finally {
      await pool.terminate();
    }
  }
  console.log(`  final snapshots identical to one thread's in every run; load average now ${os.loadavg().map(l => l.toFixed(2)).join(' ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
