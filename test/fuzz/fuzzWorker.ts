// Runs fuzz cases in a worker thread, so the campaign's watchdog can stop a case that hangs and survive one that runs
// out of memory. Cases go round-robin over the targets in batches: batch b of target t is fc.sample(arbitrary,
// { seed: caseSeed(seed, t, b) }), so (target, batch, index) names a case and re-running it needs no stored input.
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { TARGETS, cleanUpTargets } from './targets';

export const BATCH = 50;
/** Shared counters: [0] heartbeat, [1] target, [2] batch, [3] index; then per target: cases, accepted. */
export const SLOT = { heartbeat: 0, target: 1, batch: 2, index: 3, counts: 4 } as const;

export function caseSeed(seed: number, target: number, batch: number): number {
  // A 32-bit mix of the three, so neighbouring batches do not share streams.
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (target + 1) * 0x85ebca6b, 0xc2b2ae35) >>> 0;
  h = Math.imul(h ^ (batch + 1) * 0x27d4eb2f, 0x165667b1) >>> 0;
  return (h ^ (h >>> 15)) | 0;
}

export interface WorkerInput {
  seed: number;
  shared: SharedArrayBuffer;
  /** Where to start (after a hang or a crash the campaign restarts past the case). */
  startBatch: number;
  startTarget: number;
  startIndex: number;
  deadline: number;
  maxCases: number;
  casesBefore: number;
  only?: number[];
}

export type WorkerReport =
  | { type: 'unexpected'; target: number; batch: number; index: number; error: string; input: string }
  | { type: 'finished' };

async function main(): Promise<void> {
  const input = workerData as WorkerInput;
  const counters = new Int32Array(input.shared);
  const targets = input.only ?? TARGETS.map((_, i) => i);
  let total = input.casesBefore;
  const hangAt = process.env.GRADSCOPE_FUZZ_HANG_AT === undefined ? undefined : Number(process.env.GRADSCOPE_FUZZ_HANG_AT);
  for (let batch = input.startBatch; ; batch++) {
    for (const t of targets) {
      if (batch === input.startBatch && t < input.startTarget) continue;
      const target = TARGETS[t];
      const values = fc.sample(target.arbitrary, { seed: caseSeed(input.seed, t, batch), numRuns: BATCH });
      const first = batch === input.startBatch && t === input.startTarget ? input.startIndex : 0;
      for (let i = first; i < values.length; i++) {
        if (Date.now() >= input.deadline || total >= input.maxCases) {
          cleanUpTargets();
          parentPort!.postMessage({ type: 'finished' } satisfies WorkerReport);
          return;
        }
        Atomics.store(counters, SLOT.target, t);
        Atomics.store(counters, SLOT.batch, batch);
        Atomics.store(counters, SLOT.index, i);
        Atomics.add(counters, SLOT.heartbeat, 1);
        try {
          // Test hook (the watchdog's own test): spin forever on this case of the first batch.
          if (hangAt !== undefined && batch === 0 && i === hangAt) for (;;) { /* a hang */ }
          const outcome = await target.run(values[i]);
          if (outcome === 'accepted') Atomics.add(counters, SLOT.counts + 2 * t + 1, 1);
        } catch (error) {
          let shown: string;
          try { shown = target.show(values[i]); } catch { shown = '(the input could not be shown)'; }
          parentPort!.postMessage({
            type: 'unexpected', target: t, batch, index: i,
            error: error instanceof Error ? error.stack ?? error.message : String(error),
            input: shown.length > 200_000 ? `${shown.slice(0, 200_000)}… (${shown.length} characters)` : shown,
          } satisfies WorkerReport);
        }
        Atomics.add(counters, SLOT.counts + 2 * t, 1);
        total++;
      }
    }
  }
}

if (parentPort) void main();
