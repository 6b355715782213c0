// Two of Gradscope's trainers on one workload in one process, stepping in turn in short slices (the order alternating
// from pair to pair), each pair's samples/s ratio B ÷ A taken; prints one JSON line with the median and quartiles.
// A load that changes from second to second on a shared machine falls on both sides of a pair alike, which separate
// processes a minute apart do not give. Each variant runs in a bundle of its own (its own module state: the copying
// engine is a module-level switch).
//   node --import tsx bench/lib/interleaved.ts <W1|W2|W3> <variant A> <variant B> <sliceMs> <pairs>
import { ownModule } from './bundle';
import { makeData, workloads } from './workloads';
import type { gradscopeRunner as GradscopeRunner } from './gradscope';
import { stepFor, type Runner } from './runner';

export interface InterleavedResult {
  workload: string;
  a: string;
  b: string;
  pairs: number;
  sliceMs: number;
  /** Quartiles and median of B ÷ A over the pairs (samples/s). */
  q1: number;
  median: number;
  q3: number;
  error?: string;
}

function bundle(tag: string): typeof GradscopeRunner {
  return ownModule<{ gradscopeRunner: typeof GradscopeRunner }>('gradscope.ts', 'bundle', tag).gradscopeRunner;
}

/** Samples per second over one slice of `ms`. */
function slice(runner: Runner, ms: number): number {
  const { samples, elapsed } = stepFor(runner, ms);
  return samples / (elapsed / 1000);
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (at - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

async function main(): Promise<void> {
  const [workloadId, a, b, sliceArg, pairsArg] = process.argv.slice(2);
  const w = workloads.find(x => x.id === workloadId);
  if (!w) throw new Error(`unknown workload ${workloadId}`);
  const sliceMs = Number(sliceArg ?? 250);
  const pairs = Number(pairsArg ?? 20);
  const data = makeData(w);
  const runners = [bundle('a')(w, data, a), bundle('b')(w, data, b)];
  // Warm-up, and time for helper threads to start.
  for (let k = 0; k < 3; k++) for (const r of runners) slice(r, Math.max(300, sliceMs));
  const ratios: number[] = [];
  for (let p = 0; p < pairs; p++) {
    const order = p % 2 === 0 ? [0, 1] : [1, 0];
    const rate = [0, 0];
    for (const i of order) rate[i] = slice(runners[i], sliceMs);
    ratios.push(rate[1] / rate[0]);
  }
  ratios.sort((x, y) => x - y);
  const result: InterleavedResult = {
    workload: w.id, a, b, pairs, sliceMs, q1: quantile(ratios, 0.25), median: quantile(ratios, 0.5), q3: quantile(ratios, 0.75),
  };
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
  process.exit(0); // helper threads are unref'd, but the runners hold no way to end them
}

main().catch((e: unknown) => {
  const [workload, a, b] = process.argv.slice(2);
  process.stdout.write(`\n${JSON.stringify({ workload, a, b, pairs: 0, sliceMs: 0, q1: 0, median: 0, q3: 0, error: String(e instanceof Error ? e.message : e) })}\n`);
  process.exitCode = 1;
});
