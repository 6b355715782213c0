// Every message between the extension host, the training worker and the webview.
// Type-only imports: this file has no runtime code, so all three sides can share it.
import type { DivergenceInfo, FunctionView, Snapshot, Task } from './core/types';

/** Where a run's setup comes from; resolved to data + TrainSpec inside the worker (it reads the files). */
export type RunSource =
  | { kind: 'config'; configPath: string; configText?: string }
  | { kind: 'dataset'; dataPath: string; preset: string }
  | { kind: 'builtin'; builtin: string; preset: string };

/** Host → worker. */
export type ToWorker =
  | { type: 'start'; runId: number; source: RunSource; options?: { rowLimit?: number; trustedRoots?: string[] } }
  | { type: 'control'; runId: number; action: 'play' | 'pause' | 'stepBatch' | 'stepEpoch' | 'reset' | 'reseed' }
  | { type: 'set'; runId: number; lr?: number; batchSize?: number; snapshotEvery?: number }
  | { type: 'stop'; runId: number };

/** Worker → host. */
export type FromWorker =
  | { type: 'ready'; runId: number; meta: RunMeta }
  | { type: 'snapshot'; runId: number; snapshot: Snapshot; view?: FunctionView }
  | { type: 'progress'; runId: number; epoch: number; epochs: number; step: number }
  | { type: 'diverged'; runId: number; info: DivergenceInfo }
  | { type: 'done'; runId: number }
  | { type: 'error'; runId: number; message: string; location?: ErrorLocation };

export interface ErrorLocation {
  file: string;
  /** 1-based, as people read them. */
  line: number;
  column: number;
}

/** What the panel needs to know about a run before its first snapshot. */
export interface RunMeta {
  title: string;
  task: Task;
  inputNames: string[];
  targetName: string;
  classes?: string[];
  /** Per linear layer: units and the activation that follows it. */
  layers: { index: number; units: number; activation: string; path: string }[];
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Data points to draw under the function (downsampled): inputs (original units) and targets. */
  points: { x: number[][]; y: number[]; split: ('train' | 'val')[] };
  notes: string[];
}
