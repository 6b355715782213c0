// What Gradscope says about a PyTorch run log: the config editor's warnings (same rules and thresholds,
// core/analysis/probeWarnings.ts) on the latest snapshot, NaN/Inf gradients by module, the notes the panel shows,
// whether the run is live, stalled or ended, and the per-module table the CLI prints. Pure: no vscode, no I/O.
import {
  DEFAULT_PROBE_THRESHOLDS, formatNumber, formatPercent, warningsFromSnapshot, type ProbeThresholds, type ProbeWarning,
} from '../analysis/probeWarnings';
import type { Snapshot } from '../types';
import type { RunLogState } from './runLog';

/** A run with no new line for this long (and no end record) is shown as stalled, not as an error. */
export const DEFAULT_STALL_SECONDS = 30;

export type RunLiveness = 'live' | 'stalled' | 'ended';

/** live: written in the last `stallSeconds` and no end record; ended: an end record; else stalled. */
export function runLiveness(state: Pick<RunLogState, 'end'>, mtimeMs: number, nowMs: number, stallSeconds = DEFAULT_STALL_SECONDS): RunLiveness {
  if (state.end !== undefined) return 'ended';
  return nowMs - mtimeMs <= stallSeconds * 1000 ? 'live' : 'stalled';
}

export interface RunWarning {
  kind: ProbeWarning['kind'] | 'nan';
  severity: 'warning' | 'information';
  /** The module it concerns (qualified name). */
  module?: string;
  message: string;
}

/** Warnings on the latest snapshot, each naming its module, plus NaN/Inf gradients wherever they were logged. */
export function runWarnings(state: RunLogState, thresholds: ProbeThresholds = DEFAULT_PROBE_THRESHOLDS): RunWarning[] {
  const latest = state.snapshots.at(-1);
  const warnings: RunWarning[] = [];
  if (latest !== undefined) {
    for (const w of warningsFromSnapshot(latest, thresholds, `at step ${latest.step}`)) {
      const layer = w.layerIndex === undefined ? undefined : latest.layers[w.layerIndex];
      // The config editor's text says "layer 3 (32 sigmoid)"; a PyTorch run names the module instead.
      const message = layer?.name === undefined ? w.message
        : w.message.split(`layer ${layer.index} (${layer.units} ${layer.activation})`).join(`module ${layer.name} (${layer.units} ${layer.activation})`);
      warnings.push({ kind: w.kind, severity: w.severity, module: layer?.name, message });
    }
  }
  const nan = new Map<string, { first: number; key: string; value: string }>();
  for (const entry of state.nonFinite) if (!nan.has(entry.module)) nan.set(entry.module, { first: entry.step, key: entry.key, value: entry.value });
  if (latest !== undefined) {
    for (const layer of latest.layers) {
      if (!nan.has(layer.path) && !Number.isFinite(layer.gradNorm) && !Number.isNaN(layer.gradNorm)) nan.set(layer.path, { first: latest.step, key: 'gradNorm', value: String(layer.gradNorm) });
    }
  }
  for (const [module, first] of nan) {
    warnings.push({
      kind: 'nan', severity: 'warning', module,
      message: `Non-finite values: ${module === '(loss)' ? 'the loss' : `module ${module}`} logged ${first.key} = ${first.value} first at step ${first.first}: training has diverged there (lower the learning rate, clip the gradient norm).`,
    });
  }
  return warnings;
}

/** The panel's notes: how the file was read, what cannot be shown, and the warnings. */
export function runNotes(state: RunLogState, warnings: readonly RunWarning[]): string[] {
  const notes: string[] = [];
  for (const issue of state.issues) notes.push(issue.message.startsWith('line') ? issue.message : `line ${issue.line}: ${issue.message}`);
  if (state.runsInFile > 1) notes.push(`this file holds ${state.runsInFile} runs (one name reused): showing the last`);
  if (state.snapshotCount > state.snapshots.length) notes.push(`${state.snapshotCount} snapshots, ${state.snapshots.length} kept (older ones thinned evenly)`);
  if (state.layers.length > 1 && !(state.snapshots.at(-1)?.layers.some(l => l.backward !== undefined) ?? false)) notes.push(SPLIT_NOTE);
  for (const w of warnings) notes.push(`⚠ ${w.message}`);
  return notes;
}

/** Why "Where the gradient is lost" has no factor bars for a PyTorch run whose latest snapshot has no split. */
export const SPLIT_NOTE = 'Where the gradient is lost: the exact split (activation × weight factors) is shown where the forward pass runs a '
  + 'module straight into an activation module and that straight into an nn.Linear, with ‖∂L/∂z‖ logged (gradscope 0.2 or later); '
  + 'this run has no such chain in its latest snapshot: the gradient norms, their decay to the last module and the saturation shares are shown instead';

/** One row per module of the latest snapshot, as `gradscope view` prints it. */
export function moduleTable(state: RunLogState): string {
  const latest: Snapshot | undefined = state.snapshots.at(-1);
  const header = ['module', 'type', 'units', 'activation', '‖∂L/∂W‖', 'vs last', 'update', 'saturated', 'dead'];
  const rows: string[][] = [header];
  if (latest !== undefined) {
    const out = latest.layers.at(-1)?.gradNorm ?? Number.NaN;
    latest.layers.forEach((layer, i) => {
      const info = state.layers[i];
      const flat = layer.lowSlopeKind === 'inactive' ? layer.inactive : layer.saturation;
      rows.push([
        layer.path, info?.type ?? '?', String(layer.units),
        info?.activationModule !== undefined ? `${layer.activation} (${info.activationModule})` : '—',
        formatNumber(layer.gradNorm), out > 0 && Number.isFinite(out) ? formatNumber(layer.gradNorm / out) : '—',
        formatNumber(layer.updateRatio),
        layer.lowSlopeKind === 'none' ? '—' : formatPercent(flat), layer.lowSlopeKind === 'none' ? '—' : formatPercent(layer.dead),
      ]);
    });
  }
  const widths = header.map((_, c) => Math.max(...rows.map(r => [...r[c]].length)));
  return rows.map(r => r.map((cell, c) => cell + ' '.repeat(widths[c] - [...cell].length)).join('  ').trimEnd()).join('\n');
}
