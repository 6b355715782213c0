// Loss landscape (issue 8): a 41×41 grid for a 10×32 network on 1,000 training rows — target under 10 s.
// Also reports the skip-connections-on/off roughness on a small case (mean |discrete Laplacian| / range).
//   npm run bench -- landscape [--rounds 2]
import os from 'node:os';
import { computeLandscape, compareSkipConnections } from '../src/core/analysis/landscape';
import { Trainer } from '../src/core/nn/trainer';
import { kernelBackend } from '../src/core/nn/kernels';
import { Rng } from '../src/core/nn/rng';
import type { PreparedData, TrainSpec } from '../src/core/types';

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

const rounds = Math.max(1, Number(option('rounds') ?? 2));
console.log(`Loss landscape — Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}, kernels ${kernelBackend()}`);
const trainer = new Trainer(deepSpec('relu', 10, 32), data(1000, 3));
trainer.runSteps(100);
const times: number[] = [];
// CPU seconds too: on a shared, loaded machine the wall time mostly measures waiting for a core.
const cpuTimes: number[] = [];
let last = 0;
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = computeLandscape(trainer.network, 'bce', trainer.data.train, { grid: 41, range: 1, maxRows: 1000 })!;
  times.push((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0);
  cpuTimes.push((cpu.user + cpu.system) / 1e6);
  last = result.lossAtTheta;
}
const best = Math.min(...times);
console.log(`41×41 grid + 101-point slice, 10×32 ReLU, 1,000 rows: best ${best.toFixed(2)} s of ${times.map(t => t.toFixed(2)).join(', ')} (${(41 * 41 / best).toFixed(0)} grid points/s; CPU ${Math.min(...cpuTimes).toFixed(2)} s; target < 10 s: ${best < 10 ? 'met' : 'NOT met'}); loss at θ ${last.toFixed(4)}`);

console.log('\nSkip connections on/off (roughness = mean |Laplacian| / range, 21×21, 300 rows, 300 steps; lower is smoother):');
console.log('net            seed   plain    residual  residual smoother?');
for (const activation of ['tanh', 'relu'] as const) {
  for (const seed of [1, 2, 3]) {
    const spec = { ...deepSpec(activation, 12, 16), seed };
    const c = compareSkipConnections(spec, data(300, seed), 300, { grid: 21, maxRows: 300 })!;
    console.log(`${`12×16 ${activation}`.padEnd(14)} ${String(seed).padEnd(6)} ${c.plain.roughness.toFixed(4).padEnd(8)} ${c.residual.roughness.toFixed(4).padEnd(9)} ${c.residual.roughness < c.plain.roughness ? 'yes' : 'no'}`);
  }
}
