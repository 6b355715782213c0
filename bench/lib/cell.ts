// Measures one library on one workload in this process and prints one JSON line (run by training.bench.ts in a
// fresh child process per cell, so no library's JIT state or garbage affects another's figures).
//   node --import tsx bench/lib/cell.ts <library> <W1|W2|W3> <windowSeconds> <windows> [bundle|sources]
import { createRequire } from 'node:module';
import { ownModule } from './bundle';
import { type BenchData, type Workload, makeData, workloads } from './workloads';
import { stepFor, type Runner } from './runner';
import type { kernelMlp as KernelMlp } from './kernelMlp';
import type { gradscopeRunner as GradscopeRunner } from './gradscope';

type Setup = (w: Workload, d: BenchData) => Runner | Promise<Runner>;

export interface CellResult {
  library: string;
  workload: string;
  samplesPerSecond: number;
  /** samples/s of each timed window, in order */
  windows: number[];
  /** Samples per second of this process's CPU time (user + system), median of the windows: less sensitive to
   * other processes competing for the cores than wall-clock samples/s. */
  samplesPerCpuSecond: number;
  setupMs: number;
  note: string;
  error?: string;
}

/** Gradscope's own code runs as the extension ships it (bundle.ts), the peers their published JavaScript. */
async function loadSetup(library: string, how: 'bundle' | 'sources'): Promise<Setup> {
  if (library === 'kernel-mlp') return ownModule<{ kernelMlp: typeof KernelMlp }>('kernelMlp.ts', how).kernelMlp;
  if (library.startsWith('gradscope')) {
    const { gradscopeRunner } = ownModule<{ gradscopeRunner: typeof GradscopeRunner }>('gradscope.ts', how);
    return (w, d) => gradscopeRunner(w, d, library);
  }
  const peers = createRequire(__filename)('./peers.cjs') as Record<string, Setup>;
  const setup = peers[library];
  if (!setup) throw new Error(`unknown library ${library}`);
  return setup;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const [library, workloadId, windowArg, windowsArg, howArg] = process.argv.slice(2);
  const how = howArg === 'sources' ? 'sources' : 'bundle';
  const w = workloads.find(x => x.id === workloadId);
  if (!w) throw new Error(`unknown workload ${workloadId}`);
  const windowMs = 1000 * Number(windowArg ?? 1);
  const windowCount = Number(windowsArg ?? 3);
  const data = makeData(w);
  const t0 = performance.now();
  const runner = await (await loadSetup(library, how))(w, data);
  // Warm-up: let the JIT settle (and synaptic/tfjs compile) before timing.
  const warmStart = performance.now();
  const warmMs = Math.max(300, windowMs / 2);
  let warmSteps = 0;
  let warmSamples = 0;
  while (performance.now() - warmStart < warmMs || warmSteps < 3) { warmSamples += runner.step(); warmSteps++; }
  const warmSeconds = (performance.now() - warmStart) / 1000;
  const setupMs = performance.now() - t0;
  // Gradscope's windows each span at least one epoch, so the once-per-epoch snapshot of `gradscope+probes` is
  // counted in every window and the two Gradscope rows compare like for like. (Peers keep the plain window: the
  // slowest would need minutes per epoch, and nothing happens at their epoch boundaries.)
  const epochMs = (1000 * w.samples * warmSeconds) / warmSamples;
  const timedMs = library.startsWith('gradscope') ? Math.max(windowMs, Math.min(1.1 * epochMs, 20_000)) : windowMs;
  const windows: number[] = [];
  const cpuWindows: number[] = [];
  for (let k = 0; k < windowCount; k++) {
    const cpuStart = process.cpuUsage();
    const { samples, elapsed } = stepFor(runner, timedMs);
    const cpu = process.cpuUsage(cpuStart);
    windows.push(samples / (elapsed / 1000));
    cpuWindows.push(samples / ((cpu.user + cpu.system) / 1e6));
  }
  const result: CellResult = {
    library, workload: w.id, samplesPerSecond: median(windows), windows, samplesPerCpuSecond: median(cpuWindows), setupMs,
    note: library.startsWith('gradscope') || library === 'kernel-mlp' ? `${runner.note}, ${how === 'bundle' ? 'bundled' : 'from the sources (tsx)'}` : runner.note,
  };
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  const [library, workload] = process.argv.slice(2);
  process.stdout.write(`\n${JSON.stringify({ library, workload, samplesPerSecond: 0, windows: [], samplesPerCpuSecond: 0, setupMs: 0, note: '', error: String(e instanceof Error ? e.message : e) })}\n`);
  process.exitCode = 1;
});
