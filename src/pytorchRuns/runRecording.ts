// A PyTorch run log as the Visualize page draws it (RunMeta with module names, frames) and as the HTML report
// embeds it. No vscode import: the CLI's `gradscope view` uses it too.
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import type { RunLogMeta, RunLogState } from '../core/runs/runLog';
import { runNoteTexts, runWarnings } from '../core/runs/runAnalysis';
import { localizeArg } from '../shared/localize';
import type { RecordedRun, RunMeta } from '../protocol';

export function runTitle(state: RunLogState, file: string): string {
  return state.meta?.name ?? path.basename(file, '.jsonl');
}

export function runMetaOf(state: RunLogState, file: string): RunMeta {
  const meta = state.meta;
  // in the display language on the host (its page, its HTML report); English in the CLI, where nothing configured l10n
  const notes = runNoteTexts(state, runWarnings(state)).map(localizeArg);
  return {
    kind: 'pytorch',
    title: runTitle(state, file),
    task: 'regression',
    inputNames: [],
    targetName: '',
    layers: state.layers.map(l => ({ index: l.index, units: l.units, activation: l.activation, path: l.name, name: l.name })),
    epochs: 0,
    batchSize: 0,
    lr: Number.NaN,
    seed: 0,
    points: { x: [], y: [], split: [] },
    notes: meta === undefined ? notes : [runHeadline(meta), ...notes],
  };
}

export function recordedRunOf(state: RunLogState, file: string): RecordedRun {
  return {
    meta: runMetaOf(state, file),
    sourceLabel: path.basename(file),
    frames: state.snapshots.map(snapshot => ({ snapshot })),
    createdAt: new Date().toISOString(),
  };
}

/** The run's first note: model, device, torch, how often it was measured, the script. */
function runHeadline(meta: RunLogMeta): string {
  const model = meta.model ?? l10n.t('model');
  const pace = meta.maxOverhead !== undefined
    ? l10n.t('{0} on {1} · torch {2} · every {3}+ steps, paced to {4} % overhead', model, meta.device ?? '?', meta.torch ?? '?', meta.every ?? '?', String(Math.round(meta.maxOverhead * 1000) / 10))
    : l10n.t('{0} on {1} · torch {2} · every {3} steps', model, meta.device ?? '?', meta.torch ?? '?', meta.every ?? '?');
  return meta.script !== undefined ? `${pace} · ${meta.script}` : pace;
}
