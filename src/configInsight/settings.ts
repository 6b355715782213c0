// The `gradscope.liveProbe.*` settings, read in one place with their defaults and sane bounds.
import * as vscode from 'vscode';
import type { ProbeThresholds } from '../core/analysis/probeWarnings';
import { resolveThreads } from '../core/parallel/pool';
import type { ProbeSettings } from '../protocol';

export const LIVE_PROBE_SECTION = 'gradscope.liveProbe';
/** Also read into the probe's settings (its thread count). */
export const THREADS_SETTING = 'gradscope.threads';

export interface LiveProbeSettings {
  enabled: boolean;
  debounceMs: number;
  probe: ProbeSettings;
  thresholds: ProbeThresholds;
  retrainOnSave: boolean;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

export function readLiveProbeSettings(scope?: vscode.ConfigurationScope): LiveProbeSettings {
  const c = vscode.workspace.getConfiguration(LIVE_PROBE_SECTION, scope);
  return {
    enabled: c.get<boolean>('enabled', true),
    debounceMs: clamp(c.get<number>('debounceMs', 400), 0, 10_000),
    probe: {
      sampleSize: Math.round(clamp(c.get<number>('sampleSize', 256), 8, 100_000)),
      timeBudgetMs: clamp(c.get<number>('timeBudgetMs', 1500), 0, 60_000),
      maxSteps: Math.round(clamp(c.get<number>('maxSteps', 300), 0, 100_000)),
      threads: resolveThreads(vscode.workspace.getConfiguration('gradscope', scope).get<number>('threads', 0)),
    },
    thresholds: {
      vanishingRatio: clamp(c.get<number>('vanishingRatio', 1e-3), 1e-300, 1),
      explodingRatio: clamp(c.get<number>('explodingRatio', 1e3), 1, 1e300),
      deadShare: clamp(c.get<number>('deadShare', 0.5), 0, 1),
      saturatedShare: clamp(c.get<number>('saturatedShare', 0.5), 0, 1),
    },
    retrainOnSave: c.get<boolean>('retrainOnSave', true),
  };
}
