// What Gradscope says about a PyTorch run log: the config editor's warnings (same rules and thresholds,
// core/analysis/probeWarnings.ts) on the latest snapshot, NaN/Inf gradients by module, the notes the panel shows,
// whether the run is live, stalled or ended, and the per-module table the CLI prints. Pure: no vscode, no I/O.
import * as path from 'node:path';
import {
  DEFAULT_PROBE_THRESHOLDS, formatNumber, formatPercent, warningsFromSnapshot, type ProbeThresholds, type ProbeWarning,
} from '../analysis/probeWarnings';
import { coreText, formatCoreText, textOf, type CoreArg, type CoreText } from '../messages';
import type { Snapshot } from '../types';
import { RUN_MESSAGES } from './runMessages';
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
  /** In English (the CLI's); `text` is the same message as data, for the extension to translate. */
  message: string;
  text?: CoreText;
}

/**
 * The config editor's warnings on the latest snapshot (same rules and thresholds), split into those a run shows and
 * the names of the modules the ratio rule leaves out (RunLayerInfo.gradientCompared: a normalization layer's scale, a
 * parameter that is no weight) where it would have warned, which runReadingNotes names instead. A frozen module
 * (requires_grad=False) has no gradient by design: no vanishing warning, runReadingNotes names it apart.
 */
function latestWarnings(state: RunLogState, thresholds: ProbeThresholds): { shown: ProbeWarning[]; leftOut: string[] } {
  const latest = state.snapshots.at(-1);
  const shown: ProbeWarning[] = [];
  const leftOut: string[] = [];
  if (latest === undefined) return { shown, leftOut };
  for (const w of warningsFromSnapshot(latest, thresholds, coreText('runs.atStep', { step: latest.step }))) {
    const info = w.layerIndex === undefined ? undefined : state.layers[w.layerIndex];
    const gradient = w.kind === 'vanishing' || w.kind === 'exploding';
    if (gradient && w.layerIndex !== undefined && latest.layers[w.layerIndex]?.frozen === true) continue;
    if (gradient && info?.gradientCompared === false) leftOut.push(info.name);
    else shown.push(w);
  }
  return { shown, leftOut };
}

/** Warnings on the latest snapshot, each naming its module, plus NaN/Inf gradients wherever they were logged. */
export function runWarnings(state: RunLogState, thresholds: ProbeThresholds = DEFAULT_PROBE_THRESHOLDS): RunWarning[] {
  const latest = state.snapshots.at(-1);
  const warnings: RunWarning[] = [];
  if (latest !== undefined) {
    for (const w of latestWarnings(state, thresholds).shown) {
      const layer = w.layerIndex === undefined ? undefined : latest.layers[w.layerIndex];
      // The config editor's text says "layer 3 (32 sigmoid)"; a PyTorch run names the module instead.
      const name = layer?.name;
      if (name === undefined || layer === undefined) {
        warnings.push({ kind: w.kind, severity: w.severity, module: undefined, message: w.message, ...(w.text ? { text: w.text } : {}) });
        continue;
      }
      const text = w.text ? namedModule(w.text, layer.index, name) : undefined;
      const message = text ? formatCoreText(text)
        : w.message.split(`layer ${layer.index} (${layer.units} ${layer.activation})`).join(`module ${name} (${layer.units} ${layer.activation})`);
      warnings.push({ kind: w.kind, severity: w.severity, module: name, message, ...(text ? { text } : {}) });
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
    const text = coreText('runs.nonFinite', {
      what: module === '(loss)' ? coreText('runs.theLoss') : coreText('runs.module', { name: module }), key: first.key, value: first.value, step: first.first,
    });
    warnings.push({ kind: 'nan', severity: 'warning', module, message: formatCoreText(text), text });
  }
  return warnings;
}

/** The warning's message with the layer it is about ("layer 3 (32 sigmoid)") named by its module instead. */
function namedModule(text: CoreText, index: number, name: string): CoreText {
  if (text.id === 'probe.layer' && text.args.index === index) return coreText('runs.moduleLayer', { name, units: text.args.units, activation: text.args.activation });
  const args: Record<string, CoreArg> = {};
  for (const [key, value] of Object.entries(text.args)) args[key] = typeof value === 'object' ? namedModule(value, index, name) : value;
  return { id: text.id, args };
}

/** The panel's notes in English (the CLI's): how the file was read, what cannot be shown, and the warnings. */
export function runNotes(state: RunLogState, warnings: readonly RunWarning[]): string[] {
  return runNoteTexts(state, warnings).map(textOf);
}

/** The same notes as messages (or plain text where a message has none), for the extension to translate. */
export function runNoteTexts(state: RunLogState, warnings: readonly RunWarning[]): (string | CoreText)[] {
  const notes: (string | CoreText)[] = [];
  for (const issue of state.issues) {
    const said = issue.text ?? issue.message;
    notes.push(issue.message.startsWith('line') ? said : coreText('runs.atLine', { line: issue.line, message: said }));
  }
  if (state.runsInFile > 1) notes.push(coreText('runs.manyRuns', { runs: state.runsInFile }));
  if (state.snapshotCount > state.snapshots.length) notes.push(coreText('runs.thinned', { count: state.snapshotCount, kept: state.snapshots.length }));
  notes.push(...runReadingNotes(state));
  for (const w of warnings) notes.push(coreText('runs.warningNote', { message: w.text ?? w.message }));
  return notes;
}

/**
 * What the views cannot show for this run and why: activation modules outside the table (named), no activation
 * module at all (functional activations), no chain for the gradient-loss split. Also printed by `gradscope view`.
 */
export function runReadingNotes(state: RunLogState, thresholds: ProbeThresholds = DEFAULT_PROBE_THRESHOLDS): CoreText[] {
  const notes: CoreText[] = [];
  const latest = state.snapshots.at(-1);
  if (state.unmeasured.length > 0) {
    const named = state.unmeasured.slice(0, 8).map(u => `${u.module || '(model)'} (${u.type})`);
    const more = state.unmeasured.length > 8 ? ` (+${state.unmeasured.length - 8})` : '';
    notes.push(coreText('runs.unmeasured', { modules: named.join(', ') + more }));
  }
  // every gradient None (zero_grad(set_to_none=True), torch 2's default) or exactly 0: read after zero_grad()
  const trainable = latest?.layers.filter(l => l.frozen !== true) ?? [];
  if (latest !== undefined && trainable.length > 0 && trainable.every(l => l.gradNorm === 0)) {
    notes.push(coreText('runs.noGradients', { step: latest.step }));
  }
  const frozen = latest?.layers.filter(l => l.frozen === true).map(l => l.name ?? l.path) ?? [];
  if (frozen.length > 0) {
    const more = frozen.length > 8 ? ` (+${frozen.length - 8})` : '';
    notes.push(coreText('runs.frozen', { modules: frozen.slice(0, 8).join(', ') + more }));
  }
  // the modules left out of the ratio rule that it would have warned about (a tiny ratio in the table, no warning)
  const apart = latestWarnings(state, thresholds).leftOut;
  if (apart.length > 0) {
    const more = apart.length > 8 ? ` (+${apart.length - 8})` : '';
    notes.push(coreText('runs.notCompared', { modules: apart.slice(0, 8).join(', ') + more }));
  }
  const recorded = state.meta?.modules.some(m => m.activation !== undefined) ?? false;
  if (state.layers.length > 0 && !recorded && state.unmeasured.length === 0) notes.push(coreText('runs.noActivations'));
  if (state.layers.length > 1 && !(latest?.layers.some(l => l.backward !== undefined) ?? false)) notes.push(coreText('runs.splitNote'));
  return notes;
}

/** Why "Where the gradient is lost" has no factor bars for a PyTorch run whose latest snapshot has no split. */
export const SPLIT_NOTE: string = RUN_MESSAGES['runs.splitNote'];

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
        info?.activationModule !== undefined
          ? `${layer.activation} (${info.activationModule}${info.activationGroup !== undefined ? ', shared' : ''})` : '—',
        layer.frozen === true ? RUN_MESSAGES['runs.frozenCell'] : formatNumber(layer.gradNorm),
        out > 0 && Number.isFinite(out) && layer.frozen !== true ? formatNumber(layer.gradNorm / out) : '—',
        layer.frozen === true ? '—' : formatNumber(layer.updateRatio),
        layer.lowSlopeKind === 'none' ? '—' : formatPercent(flat), layer.lowSlopeKind === 'none' ? '—' : formatPercent(layer.dead),
      ]);
    });
  }
  const widths = header.map((_, c) => Math.max(...rows.map(r => [...r[c]].length)));
  return rows.map(r => r.map((cell, c) => cell + ' '.repeat(widths[c] - [...cell].length)).join('  ').trimEnd()).join('\n');
}

/**
 * Whether `file` lies inside one of `folders` (an untrusted workspace opens runs only there). Resolved first, so
 * `folder/../elsewhere` is outside, and a sibling sharing a prefix (`/ws2` for `/ws`) is not inside.
 */
export function isInsideFolders(file: string, folders: readonly string[]): boolean {
  const target = path.resolve(file);
  return folders.some(folder => {
    const rel = path.relative(path.resolve(folder), target);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  });
}
