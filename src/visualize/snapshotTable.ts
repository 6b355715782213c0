// The run's snapshots as CSV, one row per (snapshot, layer): the long format pandas and spreadsheets read.
// Pure (no vscode, no DOM) so the host's export and the HTML report's download write the same file.
import type { RecordedRun } from '../protocol';
import type { LayerProbe, Snapshot } from '../core/types';

const COLUMNS: [string, (s: Snapshot, l: LayerProbe) => number | string | undefined][] = [
  ['epoch', s => s.epoch],
  ['step', s => s.step],
  ['samplesSeen', s => s.samplesSeen],
  ['loss', s => s.loss],
  ['valLoss', s => s.valLoss],
  ['accuracy', s => s.accuracy],
  ['valAccuracy', s => s.valAccuracy],
  ['lr', s => s.lr],
  ['batchSize', s => s.batchSize],
  ['layer', (_, l) => l.index],
  ['path', (_, l) => l.path],
  ['units', (_, l) => l.units],
  ['activation', (_, l) => l.activation],
  ['gradNorm', (_, l) => l.gradNorm],
  ['biasGradNorm', (_, l) => l.biasGradNorm],
  ['gradMeanAbs', (_, l) => l.gradMeanAbs],
  ['gradMaxAbs', (_, l) => l.gradMaxAbs],
  ['deltaNorm', (_, l) => l.deltaNorm],
  ['updateRatio', (_, l) => l.updateRatio],
  ['weightNorm', (_, l) => l.weightNorm],
  ['saturation', (_, l) => l.saturation],
  ['saturatedLow', (_, l) => l.saturatedLow],
  ['saturatedHigh', (_, l) => l.saturatedHigh],
  ['dead', (_, l) => l.dead],
  ['zMean', (_, l) => l.z.mean],
  ['zStd', (_, l) => l.z.std],
  ['aMean', (_, l) => l.a.mean],
  ['aStd', (_, l) => l.a.std],
  ['preluSlopeMean', (_, l) => l.preluSlope?.mean],
  ['bnGammaMean', (_, l) => l.batchNorm?.gammaMean],
  ['bnBetaMean', (_, l) => l.batchNorm?.betaMean],
  // Appended (columns keep their positions for existing scripts): low-slope naming, then the backward split.
  ['lowSlopeKind', (_, l) => l.lowSlopeKind],
  ['inactive', (_, l) => l.inactive],
  ['inactiveLow', (_, l) => l.inactiveLow],
  ['inactiveHigh', (_, l) => l.inactiveHigh],
  ['gain', (_, l) => l.backward?.gain ?? undefined],
  ['activationFactor', (_, l) => l.backward?.activationFactor ?? undefined],
  ['weightFactor', (_, l) => l.backward?.weightFactor ?? undefined],
  ['batchNormFactor', (_, l) => l.backward?.batchNormFactor ?? undefined],
  ['dropoutFactor', (_, l) => l.backward?.dropoutFactor ?? undefined],
  ['residualFactor', (_, l) => l.backward?.residualFactor ?? undefined],
  ['maxSlope', (_, l) => l.backward?.maxSlope],
  ['weightSpectralNorm', (_, l) => l.backward?.weightSpectralNorm],
  ['cumulativeGain', (_, l) => l.backward?.cumulativeGain ?? undefined],
  ['cumulativeActivationFactor', (_, l) => l.backward?.cumulativeActivationFactor ?? undefined],
  ['activationBound', (_, l) => l.backward?.activationBound],
  ['rigorousBound', (_, l) => l.backward?.rigorousBound],
];

function csvField(value: number | string | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function snapshotsToCsv(snapshots: readonly Snapshot[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const snapshot of snapshots) {
    for (const layer of snapshot.layers) lines.push(COLUMNS.map(([, pick]) => csvField(pick(snapshot, layer))).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function recordedRunToCsv(run: RecordedRun): string {
  return snapshotsToCsv(run.frames.map(frame => frame.snapshot));
}
