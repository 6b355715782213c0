// `gradscope view RUN.jsonl [--report out.html] [--json]`: a PyTorch run log written by python/gradscope, as a
// per-module table of its latest snapshot with the config editor's warnings, and optionally the panel's offline page.
import * as fs from 'node:fs';
import { InputError } from '../core/inputError';
import { readRunLogFile, type RunLogMeta } from '../core/runs/runLog';
import { formatCoreText } from '../core/messages';
import { moduleTable, runReadingNotes, runWarnings } from '../core/runs/runAnalysis';
import { recordedRunOf } from '../pytorchRuns/runRecording';
import { loadReportAssets, renderReport } from '../visualize/report';
import { commandHelp, parseCommandLine, positionalsAtMost, stringValue, type CommandSpec } from './args';

export const VIEW_COMMAND: CommandSpec = {
  name: 'view',
  synopsis: 'RUN.jsonl [options]',
  description: `A PyTorch run logged by python/gradscope (gradscope.watch(model)): the per-module table of its latest
snapshot (gradient norm, its ratio to the last module, update ratio, saturated and dead shares) and the warnings
the config editor would give, each naming its module. A run still being written is read up to its last full line.`,
  positionals: [{ name: 'RUN.jsonl', help: 'a run log, e.g. .gradscope/runs/train-20261202-003000.jsonl' }],
  options: [
    { name: 'report', value: 'F.html', help: 'also write the panel\'s self-contained HTML page (viewable offline)' },
    { name: 'json', help: 'print {"meta","modules","steps","warnings","issues","notes"} as one JSON object instead of the table' },
  ],
  epilog: 'Exit codes: 0 read (warnings included), 2 not a run log or bad options.',
};

/** How often the run measured: `every N steps`, or for a paced run (watch(…, max_overhead=…)) `every N+ steps, paced to X % overhead`. */
function cadence(meta: RunLogMeta): string {
  const every = meta.every ?? '?';
  if (meta.maxOverhead === undefined) return `every ${every} steps`;
  return `every ${every}+ steps, paced to ${Math.round(meta.maxOverhead * 1000) / 10} % overhead`;
}

export interface ViewIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function runView(args: string[], io: ViewIo): Promise<number> {
  const parsed = parseCommandLine(VIEW_COMMAND, args);
  if (parsed.help) {
    io.stdout(`${commandHelp(VIEW_COMMAND)}\n`);
    return 0;
  }
  const file = positionalsAtMost(parsed, 1, 'run log')[0];
  if (file === undefined) throw new InputError(`give a run log (run 'gradscope view --help' for the options)`);
  const report = stringValue(parsed, 'report');
  if (report !== undefined && !/\.html?$/i.test(report)) throw new InputError(`--report writes HTML: give a file ending in .html (got '${report}')`);
  if (!fs.existsSync(file)) throw new InputError(`no such file: ${file}`);
  const state = readRunLogFile(file);
  for (const issue of state.issues) io.stderr(`${issue.severity}: ${file}:${issue.line}: ${issue.message.replace(/^line \d+:? ?/, '')}\n`);
  if (state.meta === undefined) {
    io.stderr(`error: ${file} is not a gradscope run log (its first line is a {"type":"meta",…} record)\n`);
    return 2;
  }
  const warnings = runWarnings(state);
  if (parsed.values.json === true) {
    io.stdout(`${JSON.stringify({
      meta: state.meta, modules: state.layers, steps: state.snapshotCount, end: state.end ?? null,
      latest: state.snapshots.at(-1) ?? null, warnings, issues: state.issues, notes: runReadingNotes(state).map(note => formatCoreText(note)),
    })}\n`);
  } else {
    const latest = state.snapshots.at(-1);
    const ended = state.end !== undefined ? `ended (${state.end.reason}) after ${state.end.steps} steps` : 'no end record (still running, or stopped)';
    io.stdout(`${state.meta.name} · ${state.meta.model ?? 'model'} · torch ${state.meta.torch ?? '?'} · ${cadence(state.meta)} · ${state.snapshotCount} snapshots · ${ended}\n`);
    if (latest === undefined) io.stdout('no snapshot yet\n');
    else {
      // w.step() without a loss logs none: say nothing of it (a NaN or infinite loss the run logged is printed)
      const logged = Number.isFinite(latest.loss) || state.nonFinite.some(n => n.step === latest.step && n.key === 'loss');
      const loss = !logged ? '' : ` · loss ${Number.isFinite(latest.loss) ? latest.loss.toPrecision(4) : String(latest.loss)}`;
      io.stdout(`step ${latest.step}${loss}\n\n${moduleTable(state)}\n`);
    }
    for (const w of warnings) io.stdout(`\n${w.severity}: ${w.message}\n`);
    for (const note of runReadingNotes(state)) io.stdout(`\nnote: ${formatCoreText(note)}\n`);
  }
  if (report !== undefined) {
    fs.writeFileSync(report, renderReport(recordedRunOf(state, file), loadReportAssets()));
    io.stderr(`wrote ${report}\n`);
  }
  return 0;
}
