// Benchmark (not a test): a 100 MB PyTorch run log opened in the PyTorch run panel. The panel's host side reads
// the log in 1 MB slices (one per turn of the event loop) and, after each, works out the warnings and notes; this
// times that work per slice with the extension's own code (RunLogTail, runWarnings, runNotes), plus runMetaOf,
// which the panel runs only when the notes change: an upper bound on the longest the extension host is kept busy
// at once. Drawing in the page is left out.
// The log is written first into a temporary folder: the committed fixture's meta line (a small sigmoid MLP,
// written by test/python/make_fixture.py) and its snapshot lines repeated with increasing steps.
//   npm run bench -- pytorch-log [--mb N]     (or: npx tsx bench/pytorch-log.bench.ts)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MAX_SNAPSHOTS, RunLogTail } from '../src/core/runs/runLog';
import { runNotes, runWarnings } from '../src/core/runs/runAnalysis';
import { runMetaOf } from '../src/pytorchRuns/runRecording';

const args = process.argv.slice(2);
const at = args.indexOf('--mb');
const MEGABYTES = at >= 0 ? Number(args[at + 1]) : 100;
const SLICE_BYTES = 1 << 20; // as src/pytorchRuns/runPanel.ts reads
const FIXTURE = path.resolve(__dirname, '..', 'test', 'unit', 'pytorch', 'fixtures', 'sigmoid-mlp.jsonl');

function writeLog(file: string): { bytes: number; snapshots: number } {
  const lines = fs.readFileSync(FIXTURE, 'utf8').split('\n').filter(line => line.length > 0);
  const meta = lines.find(line => line.startsWith('{"type":"meta"'));
  const snapshots = lines.filter(line => line.startsWith('{"type":"snapshot"'));
  if (meta === undefined || snapshots.length === 0) throw new Error(`${FIXTURE}: no meta or snapshot line`);
  const every = Number(/"every":(\d+)/.exec(meta)?.[1] ?? 1);
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let count = 0;
  try {
    const write = (text: string) => { bytes += fs.writeSync(fd, text); };
    write(`${meta}\n`);
    const batch: string[] = [];
    while (bytes < MEGABYTES * 1e6) {
      const template = snapshots[count % snapshots.length];
      batch.push(template.replace(/"step":\d+/, `"step":${count * every}`));
      count++;
      if (batch.length === 50) { write(`${batch.join('\n')}\n`); batch.length = 0; }
    }
    if (batch.length > 0) write(`${batch.join('\n')}\n`);
  } finally {
    fs.closeSync(fd);
  }
  return { bytes, snapshots: count };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-log-bench-'));
  try {
    const file = path.join(dir, 'run.jsonl');
    const written = writeLog(file);
    const tail = new RunLogTail(file);
    const slices: number[] = [];
    const started = performance.now();
    let notes = 0;
    for (;;) {
      const t0 = performance.now();
      const result = tail.poll(SLICE_BYTES);
      const state = tail.parser.state;
      notes = runNotes(state, runWarnings(state)).length;
      runMetaOf(state, file);
      slices.push(performance.now() - t0);
      if (!result.more) break;
    }
    const total = performance.now() - started;
    const sorted = [...slices].sort((a, b) => a - b);
    const state = tail.parser.state;
    console.log(`PyTorch run log: ${(written.bytes / 1e6).toFixed(1)} MB, ${written.snapshots.toLocaleString('en-US')} snapshots of ${state.layers.length} modules, read as the panel does (1 MB slices), load average ${os.loadavg()[0].toFixed(1)}`);
    console.log(`  ${slices.length} slices in ${(total / 1000).toFixed(2)} s; per slice median ${quantile(sorted, 0.5).toFixed(0)} ms, p95 ${quantile(sorted, 0.95).toFixed(0)} ms, slowest ${sorted.at(-1)!.toFixed(0)} ms`);
    console.log(`  ${state.snapshots.length.toLocaleString('en-US')} snapshots kept (at most ${DEFAULT_MAX_SNAPSHOTS.toLocaleString('en-US')}, older ones thinned evenly), ${state.snapshotCount.toLocaleString('en-US')} read, ${notes} notes`);
    if (state.snapshotCount !== written.snapshots) throw new Error(`read ${state.snapshotCount} snapshots, wrote ${written.snapshots}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
