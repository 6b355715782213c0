// Loss landscape (issue 8): a 41×41 grid for a 10×32 network on 1,000 training rows — target under 10 s — and its
// scaling on the worker pool for 1, 2, … threads up to the machine's cores (issue 17: ≥ 1.8× with 2 threads).
// Also reports the skip-connections-on/off roughness on a small case (mean |discrete Laplacian| / range).
//   npm run bench -- landscape [--rounds 2] [--grid 41] [--no-skip]
import os from 'node:os';
import { computeLandscape, compareSkipConnections, type LandscapeResult } from '../src/core/analysis/landscape';
import { computeLandscapeOnPool } from '../src/core/parallel/parallelLandscape';
import { WorkerPool, availableCores } from '../src/core/parallel/pool';
import { Trainer } from '../src/core/nn/trainer';
import { kernelBackend } from '../src/core/nn/kernels';
import { Rng } from '../src/core/nn/rng';
import type { PreparedData, TrainSpec } from '../src/core/types';
import { buildPoolWorker } from '../scripts/lib/poolWorkerBuild.mjs';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Two inputs, a binary target (two interleaved spirals' worth of curvature: sign of sin(x0)·cos(x1)). */
function data(rows: number, seed: number): PreparedData {
  const rng = new Rng(seed);
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    x[2 * i] = rng.normal();
    x[2 * i + 1] = rng.normal();
    y[i] = Math.sin(2 * x[2 * i]) * Math.cos(2 * x[2 * i + 1]) > 0 ? 1 : 0;
  }
  const empty = { n: 0, x: new Float64Array(0), y: new Float64Array(0) };
  return { task: 'binary', d: 2, outputs: 1, inputNames: ['x0', 'x1'], targetName: 'y', classes: ['0', '1'], train: { n: rows, x, y }, val: empty, mean: new Float64Array(2), std: new Float64Array([1, 1]), notes: [] };
}

function deepSpec(activation: 'relu' | 'tanh', depth: number, width: number): TrainSpec {
  const layers: TrainSpec['network']['layers'] = [];
  for (let i = 0; i < depth; i++) layers.push({ type: 'linear', units: width }, { type: 'activation', name: activation });
  layers.push({ type: 'linear', units: 1 });
  return { network: { inputs: 2, layers }, loss: 'bce', optimizer: { type: 'adam', lr: 0.003 }, batchSize: 32, epochs: 10, seed: 1 };
}

async function main(): Promise<void> {
  const rounds = Math.max(1, Number(option('rounds') ?? 2));
  const cores = availableCores();
  const poolScript = await buildPoolWorker();
  console.log(`Loss landscape — Node ${process.version}, ${cores} cores, load ${os.loadavg()[0].toFixed(1)}, kernels ${kernelBackend()}`);
  const trainer = new Trainer(deepSpec('relu', 10, 32), data(1000, 3));
  trainer.runSteps(100);
  const grid = Number(option('grid') ?? 41);
  const options = { grid, range: 1, maxRows: 1000 };
  const reference = computeLandscape(trainer.network, 'bce', trainer.data.train, options)!;

  /** Best wall time of `rounds` runs, and the CPU seconds of the whole process (every thread) in that run. */
  async function timed(label: string, run: () => Promise<LandscapeResult | null>): Promise<{ wall: number; cpu: number }> {
    let best = { wall: Infinity, cpu: Infinity };
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const result = (await run())!;
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      if (wall < best.wall) best = { wall, cpu: (cpu.user + cpu.system) / 1e6 };
      if (JSON.stringify(result) !== JSON.stringify(reference)) throw new Error(`${label}: the numbers differ from one thread's`);
    }
    return best;
  }

  const points = grid * grid;
  // "cores busy" = CPU seconds / wall seconds: how many cores the run kept busy. On a machine other work shares, the
  // wall-clock ratio also measures how much of the cores the scheduler gave this process.
  console.log(`${grid}×${grid} grid + 101-point slice, 10×32 ReLU, 1,000 rows (numbers identical to one thread in every run):`);
  console.log(`  ${''.padEnd(24)} ${'wall'.padStart(7)} ${'points/s'.padStart(9)} ${'speed-up'.padStart(9)} ${'CPU'.padStart(8)} ${'cores busy'.padStart(11)}`);
  const row = (label: string, t: { wall: number; cpu: number }, speedUp: number, note: string) => console.log(
    `  ${label.padEnd(24)} ${(t.wall.toFixed(2) + ' s').padStart(7)} ${(points / t.wall).toFixed(0).padStart(9)} ${(speedUp.toFixed(2) + '×').padStart(9)} ${(t.cpu.toFixed(2) + ' s').padStart(8)} ${(t.cpu / t.wall).toFixed(2).padStart(11)}  ${note}`);
  const here = await timed('this thread', async () => computeLandscape(trainer.network, 'bce', trainer.data.train, options));
  row('this thread (no pool)', here, 1, grid === 41 ? `(target < 10 s: ${here.wall < 10 ? 'met' : 'NOT met'})` : '');
  for (let threads = 1; threads <= Math.max(2, cores); threads++) {
    const started = performance.now();
    const pool = new WorkerPool(threads, poolScript);
    const startMs = performance.now() - started;
    try {
      // Warm-up, untimed: a fresh thread compiles the engine's code again, as this one did for the reference run.
      await computeLandscapeOnPool(pool, trainer.network, 'bce', trainer.data.train, { ...options, grid: 2 * threads + 1 });
      const t = await timed(`${threads} threads`, () => computeLandscapeOnPool(pool, trainer.network, 'bce', trainer.data.train, options));
      const speedUp = here.wall / t.wall;
      const target = threads === 2 ? `target ≥ 1.8×: ${speedUp >= 1.8 ? 'met' : 'NOT met'}; ` : '';
      row(`pool of ${threads} thread${threads > 1 ? 's' : ''}`, t, speedUp, `(${target}pool start ${startMs.toFixed(0)} ms, not timed)`);
    } finally {
      await pool.terminate();
    }
  }
  console.log(`  loss at θ ${reference.lossAtTheta.toFixed(4)}; load average now ${os.loadavg().map(l => l.toFixed(2)).join(' ')}`);

  if (process.argv.includes('--no-skip')) return;
  console.log('\nSkip connections on/off (roughness = mean |Laplacian| / range, 21×21, 300 rows, 300 steps; lower is smoother):');
  console.log('net            seed   plain    residual  residual smoother?');
  for (const activation of ['tanh', 'relu'] as const) {
    for (const seed of [1, 2, 3]) {
      const spec = { ...deepSpec(activation, 12, 16), seed };
      const c = compareSkipConnections(spec, data(300, seed), 300, { grid: 21, maxRows: 300 })!;
      console.log(`${`12×16 ${activation}`.padEnd(14)} ${String(seed).padEnd(6)} ${c.plain.roughness.toFixed(4).padEnd(8)} ${c.residual.roughness.toFixed(4).padEnd(9)} ${c.residual.roughness < c.plain.roughness ? 'yes' : 'no'}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
