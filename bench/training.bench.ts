// Training throughput (samples/s) of Gradscope's engine beside peer libraries on the three workloads of issue 2.
// Every (library, workload) cell runs in its own child process, one after another, within this one run.
//   npm run bench -- training [--libs a,b] [--workloads W1,W3] [--window 1] [--windows 3] [--rounds 2] [--from-sources]
//     [--slice 250] [--pairs 20]   (the interleaved one-process ratios: resident ÷ copy, N threads ÷ 1)
// Gradscope's rows run its engine bundled by esbuild, as the extension ships it; --from-sources runs the TypeScript
// through tsx instead (see cell.ts).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { flopsPerSample, workloads } from './lib/workloads';
import type { CellResult } from './lib/cell';
import type { InterleavedResult } from './lib/interleaved';

const peerLibraries = ['tfjs-cpu', 'tfjs-wasm', 'brain.js', 'synaptic', 'convnetjs'];
// gradscope-copy: the engine before the arena (operands copied into WebAssembly memory per product), measured in
// the same run so the resident engine's gain is a side-by-side ratio.
const ownLibraries = ['gradscope', 'gradscope-copy', 'gradscope+probes'];

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const libraries = option('libs')?.split(',') ?? [...ownLibraries, ...peerLibraries];
// The thread scaling of the wide products (W3 only: W1's and W2's layers are too narrow to split, so their trainers
// start no helper): gradscope@N trains with N threads, for N = 2 … the machine's cores, whenever gradscope runs.
const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
const scalingLibraries = libraries.includes('gradscope')
  ? Array.from({ length: Math.max(0, cores - 1) }, (_, i) => `gradscope@${i + 2}`).filter(l => !libraries.includes(l))
  : [];
const librariesFor = (id: string): string[] => (id === 'W3' ? [...libraries, ...scalingLibraries] : libraries);
const chosen = workloads.filter(w => (option('workloads')?.split(',') ?? [w.id]).includes(w.id));
const windowSeconds = option('window') ?? '1';
const windowCount = option('windows') ?? '3';
// Rounds spread each cell's measurement over time, so a burst of other load on a shared machine spoils one round,
// not the figure: each cell reports its best round.
const rounds = Math.max(1, Number(option('rounds') ?? 2));
const fromSources = process.argv.includes('--from-sources');
// The interleaved ratios (resident ÷ copy, N threads ÷ 1): slices per side and pairs; --pairs 0 skips them.
const interleavedSliceMs = Number(option('slice') ?? 250);
const interleavedPairs = Number(option('pairs') ?? 20);
// synaptic compiles W3 (131k connections) to straight-line JS for minutes; past this a cell reports a timeout.
// Gradscope's cells time whole epochs (see cell.ts), which on a starved machine can take longer.
const cellTimeoutMs = (library: string): number => (library.startsWith('gradscope') ? 240_000 : 60_000);

function runCell(library: string, workload: string): CellResult {
  const cell = path.join(__dirname, 'lib', 'cell.ts');
  let out = '';
  let error: string | undefined;
  try {
    out = execFileSync(process.execPath, ['--import', 'tsx', cell, library, workload, windowSeconds, windowCount, fromSources ? 'sources' : 'bundle'], {
      encoding: 'utf8', timeout: cellTimeoutMs(library), stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
    });
  } catch (e) {
    const failed = e as { stdout?: string; signal?: string; message: string };
    out = failed.stdout ?? '';
    error = failed.signal === 'SIGTERM' ? `timed out after ${cellTimeoutMs(library) / 1000} s` : failed.message.split('\n')[0];
  }
  const line = out.trim().split('\n').reverse().find(l => l.startsWith('{'));
  if (line) return JSON.parse(line) as CellResult;
  return { library, workload, samplesPerSecond: 0, windows: [], samplesPerCpuSecond: 0, setupMs: 0, note: '', error: error ?? 'no result' };
}

/** Two Gradscope variants stepping in turn in one process (lib/interleaved.ts): the ratio B ÷ A over the pairs. */
function runInterleaved(workload: string, a: string, b: string): InterleavedResult {
  const script = path.join(__dirname, 'lib', 'interleaved.ts');
  let out = '';
  try {
    out = execFileSync(process.execPath, ['--import', 'tsx', script, workload, a, b, String(interleavedSliceMs), String(interleavedPairs)], {
      encoding: 'utf8', timeout: 240_000, stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    out = (e as { stdout?: string }).stdout ?? '';
  }
  const line = out.trim().split('\n').reverse().find(l => l.startsWith('{'));
  return line ? (JSON.parse(line) as InterleavedResult) : { workload, a, b, pairs: 0, sliceMs: 0, q1: 0, median: 0, q3: 0, error: 'no result' };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function main(): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Training throughput — node ${process.version}, ${cpu}, ${os.cpus().length} cores, ` +
    `load average at start ${os.loadavg().map(l => l.toFixed(2)).join(' ')}`);
  console.log(`Each cell: a fresh process, warm-up, then the median of ${windowCount} timed windows of ${windowSeconds} s; ` +
    `the best of ${rounds} round${rounds > 1 ? 's' : ''} (run one after another) is shown. ` +
    `GFLOP/s counts the dense products only (forward, dW, dX).\n"per CPU-s": samples per second of the process's own ` +
    `CPU time, steadier than wall-clock figures when other work competes for the cores.\n` +
    `Gradscope's own code runs ${fromSources ? 'from its TypeScript sources through tsx (--from-sources)' : 'bundled by esbuild, as the extension ships it'}.\n`);
  const all: CellResult[] = [];
  for (const w of chosen) {
    const wLibraries = librariesFor(w.id);
    const byLibrary = new Map<string, CellResult[]>(wLibraries.map(l => [l, []]));
    for (let round = 0; round < rounds; round++) {
      for (const l of wLibraries) {
        const earlier = byLibrary.get(l) ?? [];
        if (earlier.some(r => r.error)) continue; // a library that failed or timed out is not retried
        process.stderr.write(`  ${w.id} round ${round + 1}/${rounds}: ${l}…\r`);
        const r = runCell(l, w.id);
        all.push(r);
        earlier.push(r);
      }
    }
    process.stderr.write(' '.repeat(60) + '\r');
    const roundMedians = new Map<string, number[]>();
    const results = wLibraries.map((l): CellResult => {
      const tries = byLibrary.get(l) ?? [];
      roundMedians.set(l, tries.filter(r => !r.error).map(r => r.samplesPerSecond));
      const failed = tries.find(r => r.error);
      if (failed) return failed;
      const best = tries.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
      return { ...best, samplesPerCpuSecond: Math.max(...tries.map(r => r.samplesPerCpuSecond)) };
    });
    const peers = results.filter(r => peerLibraries.includes(r.library) && !r.error);
    const fastestPeer = peers.reduce<CellResult | undefined>((best, r) => (!best || r.samplesPerSecond > best.samplesPerSecond ? r : best), undefined);
    const fastestPeerCpu = peers.reduce<CellResult | undefined>((best, r) => (!best || r.samplesPerCpuSecond > best.samplesPerCpuSecond ? r : best), undefined);
    console.log(`${w.id} ${w.title}, ${fmt(w.samples)} samples, batch ${w.batchSize}, SGD lr ${w.learningRate}` +
      `  (${fmt(flopsPerSample(w))} FLOP/sample)`);
    console.log(`  ${'library'.padEnd(18)}${'samples/s'.padStart(12)}${'GFLOP/s'.padStart(9)}${'× fastest peer'.padStart(16)}` +
      `${'per CPU-s'.padStart(12)}${'× (CPU)'.padStart(9)}  ${rounds > 1 ? 'each round' : 'windows'} (samples/s) · how it trains`);
    for (const r of results) {
      if (r.error) {
        console.log(`  ${r.library.padEnd(18)}${'—'.padStart(12)}${''.padStart(9)}${''.padStart(16)}  ${r.error}`);
        continue;
      }
      const gflops = (r.samplesPerSecond * flopsPerSample(w)) / 1e9;
      const ratio = fastestPeer ? r.samplesPerSecond / fastestPeer.samplesPerSecond : Number.NaN;
      const cpuRatio = fastestPeerCpu ? r.samplesPerCpuSecond / fastestPeerCpu.samplesPerCpuSecond : Number.NaN;
      console.log(`  ${r.library.padEnd(18)}${fmt(r.samplesPerSecond).padStart(12)}${fmt(gflops, 2).padStart(9)}` +
        `${(fmt(ratio, 2) + '×').padStart(16)}${fmt(r.samplesPerCpuSecond).padStart(12)}${(fmt(cpuRatio, 2) + '×').padStart(9)}` +
        `  ${(rounds > 1 ? roundMedians.get(r.library) ?? [] : r.windows).map(v => fmt(v)).join(' / ')} · ${r.note}`);
    }
    console.log(`  fastest peer: ${fastestPeer ? `${fastestPeer.library} (${fmt(fastestPeer.samplesPerSecond)} samples/s)` : 'none ran'}`);
    const single = results.find(r => r.library === 'gradscope' && !r.error);
    const copy = results.find(r => r.library === 'gradscope-copy' && !r.error);
    if (single && copy) {
      console.log(`  resident engine vs the copying one (gradscope / gradscope-copy): ${fmt(single.samplesPerSecond / copy.samplesPerSecond, 2)}× ` +
        `wall clock, ${fmt(single.samplesPerCpuSecond / copy.samplesPerCpuSecond, 2)}× per CPU-s`);
    }
    const threaded = results.filter(r => /^gradscope@\d+$/.test(r.library) && !r.error);
    if (single && threaded.length) {
      console.log(`  threads (wall clock, vs 1 thread): 1 → ${fmt(single.samplesPerSecond)}` +
        threaded.map(r => `; ${r.library.slice(10)} → ${fmt(r.samplesPerSecond)} (${fmt(r.samplesPerSecond / single.samplesPerSecond, 2)}×)`).join(''));
    }
    if (interleavedPairs > 0 && !fromSources) {
      // The same ratios from variants stepping in turn in one process: steadier than cells a minute apart.
      const pairsOf: [string, string, string][] = [];
      if (single && copy) pairsOf.push(['gradscope-copy', 'gradscope', 'resident ÷ copy']);
      for (const r of threaded) pairsOf.push(['gradscope', r.library, `${r.library.slice(10)} threads ÷ 1`]);
      // The harness's own bias: the same variant on both sides should give 1.
      if (pairsOf.length) pairsOf.push(['gradscope', 'gradscope', 'control, gradscope ÷ gradscope']);
      for (const [a, b, label] of pairsOf) {
        process.stderr.write(`  ${w.id} interleaved: ${label}…\r`);
        const r = runInterleaved(w.id, a, b);
        process.stderr.write(' '.repeat(60) + '\r');
        console.log(r.error
          ? `  interleaved ${label}: ${r.error}`
          : `  interleaved in one process (${r.pairs} pairs of ${r.sliceMs} ms slices, order alternating), ${label}: ` +
            `median ${fmt(r.median, 2)}× (quartiles ${fmt(r.q1, 2)} … ${fmt(r.q3, 2)}×)`);
      }
    }
    console.log('');
  }
  console.log(`load average at end ${os.loadavg().map(l => l.toFixed(2)).join(' ')}`);
  if (process.argv.includes('--json')) console.log(JSON.stringify(all));
}

main();
