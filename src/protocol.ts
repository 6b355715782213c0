// Every message between the extension host, the training worker and the webview.
// Type-only imports: this file has no runtime code, so all three sides can share it.
import type { DivergenceInfo, FunctionView, Snapshot, Task } from './core/types';
import type { ActivationName } from './core/types';
import type { CoreText } from './core/messages';

/** Where a run's setup comes from; resolved to data + TrainSpec inside the worker (it reads the files). */
export type RunSource =
  | {
      kind: 'config';
      configPath: string;
      configText?: string;
      /** Train the config's network on another data file or built-in set ("From config file…" after a dataset). */
      dataPath?: string;
      builtin?: string;
    }
  | { kind: 'dataset'; dataPath: string; preset: string }
  | { kind: 'builtin'; builtin: string; preset: string };

/** Host → worker. */
export type ToWorker =
  | {
      type: 'start';
      runId: number;
      source: RunSource;
      options?: {
        rowLimit?: number;
        trustedRoots?: string[];
        /** Start training at once (default) or wait for a 'play' control. */
        autoplay?: boolean;
        /** Overrides of the config's settings (the panel's controls survive a reload this way). */
        lr?: number;
        batchSize?: number;
        snapshotEvery?: number;
        /** At most this many data points in RunMeta.points (default 2,000). */
        maxPoints?: number;
        /** Threads for the training steps' wide products (the `gradscope.threads` setting, resolved). */
        threads?: number;
      };
    }
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
  /** `text`, when given, is `message` as data (an InputError's), which the host shows in the display language. */
  | { type: 'error'; runId: number; message: string; text?: CoreText; location?: ErrorLocation }
  /** Play/pause state changed (after a control, the end of the epochs, or divergence). */
  | { type: 'state'; runId: number; running: boolean };

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
  layers: { index: number; units: number; activation: string; path: string; name?: string }[];
  /** 'pytorch': a run log written by python/gradscope, tailed by the host (no training controls, no function view). */
  kind?: 'trained' | 'pytorch';
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Data points to draw under the function (downsampled): inputs (original units) and targets. */
  points: { x: number[][]; y: number[]; split: ('train' | 'val')[]; /** Rows in the data (train + validation), when more than drawn. */ total?: number };
  notes: string[];
  /** The notes as messages (index for index), which the host shows in the display language. */
  noteTexts?: (string | CoreText)[];
}

// ---------------------------------------------------------------------------------------------------------------
// Host ↔ webview (the panel). The webview says `ready` first; the host answers with the run and its frames.

export type ControlAction = Extract<ToWorker, { type: 'control' }>['action'];

/** One snapshot as the panel draws it; `view` (the network's function) travels only with some of them. */
export interface SnapshotFrame {
  snapshot: Snapshot;
  view?: FunctionView;
}

export type RunState = 'loading' | 'running' | 'paused' | 'done' | 'diverged' | 'error';

/** Host → webview. */
export type ToWebview =
  /** A (new) run: the panel clears its charts. `frames` replays what was recorded so far (restore, report). */
  | {
      type: 'run';
      runId: number;
      meta: RunMeta;
      source?: RunSource;
      sourceLabel: string;
      frames: SnapshotFrame[];
      /** The worker's snapshot cadence (steps; 0 = per epoch), for the cadence control. */
      snapshotEvery?: number;
    }
  /** New snapshots since the last message: throttled to ≤ ~10 messages/s and downsampled by the host. */
  | { type: 'frames'; runId: number; frames: SnapshotFrame[] }
  | { type: 'state'; runId: number; state: RunState; detail?: string }
  | { type: 'progress'; runId: number; epoch: number; epochs: number; step: number }
  | { type: 'diverged'; runId: number; info: DivergenceInfo }
  /** Loading a run's data (before `run`): shows a placeholder instead of a blank panel. */
  | { type: 'loading'; sourceLabel: string }
  /** A PyTorch run's notes changed (how the file was read, warnings by module): replaces meta.notes. */
  | { type: 'notes'; runId: number; notes: string[] }
  /**
   * The run could not start, or its worker died. `kept`: the run on screen (charts, snapshots, exports) stays, the
   * message shows over it. `restartable`: the banner offers Restart (a crashed worker) rather than Retry.
   */
  | { type: 'error'; message: string; location?: ErrorLocation; restartable?: boolean; kept?: boolean };

/** Webview → host. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'control'; action: ControlAction }
  | { type: 'set'; lr?: number; batchSize?: number; snapshotEvery?: number }
  | { type: 'export'; format: 'json' | 'csv' | 'html' }
  | { type: 'savePng'; chart: string; dataUrl: string }
  | { type: 'saveConfig' }
  | { type: 'openLocation'; location: ErrorLocation }
  | { type: 'retry' };

/** What the webview keeps with setState, so a window reload restores the panel (and restarts the run). */
export interface WebviewState {
  source?: RunSource;
  sourceLabel?: string;
  settings?: { lr?: number; batchSize?: number; snapshotEvery?: number };
  /** The panel's own view choices. */
  ui?: { logScale?: boolean; selectedLayer?: number; distributionMode?: 'bands' | 'histogram'; distributionOf?: 'z' | 'a' };
}

/** A recorded run, as the HTML report (CLI `--report`, panel export) replays it. */
export interface RecordedRun {
  meta: RunMeta;
  sourceLabel: string;
  frames: SnapshotFrame[];
  divergence?: DivergenceInfo;
  /** ISO time the report was written. */
  createdAt?: string;
  /** `gradscope train --report … --landscape`: the loss around the trained weights (core/analysis/landscape.ts). */
  landscape?: RecordedLandscape;
}

/** The loss on the plane θ + α·δ + β·η through the trained weights (Li et al. 2018), as the report draws it. */
export interface RecordedLandscape {
  grid: number;
  range: number;
  seed: number;
  rowsUsed: number;
  loss: string;
  /** α (columns) and β (rows) share these values. */
  axis: number[];
  /** rows[j][i]: loss at θ + axis[i]·δ + axis[j]·η. */
  rows: number[][];
  lossAtTheta: number;
  min: { alpha: number; beta: number; loss: number };
  max: number;
  /** Mean |Laplacian| of log loss over its range (landscapeRoughness): higher is more chaotic. */
  roughness: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Live probe: config editor host ↔ probe worker (dist/probeWorker.js), separate from the training worker above.
// ---------------------------------------------------------------------------------------------------------------

/** How big and how long a live probe may be. */
export interface ProbeSettings {
  /** Rows of the training split used (subsampled, seeded). */
  sampleSize: number;
  /** Wall-clock budget for the training phase after step 0, in ms. */
  timeBudgetMs: number;
  /** At most this many training steps. */
  maxSteps: number;
  /** Untrusted workspace: data files must resolve inside one of these folders. Absent: no restriction. */
  trustedRoots?: string[];
  /** Threads for the probe's wide products (`gradscope.threads`); absent: 1. The numbers do not depend on it. */
  threads?: number;
}

/** Host → probe worker. A newer `probe` supersedes any running one. */
export type ToProbeWorker =
  | { type: 'probe'; probeId: number; configPath: string; configText: string; settings: ProbeSettings }
  | { type: 'cancel'; probeId: number };

/** Something wrong with the config or its data, located by JSON path (or offset) in the config text. */
export interface ProbeProblem {
  /** In English; `text`, when given, is the same message as data (the host shows it translated). */
  message: string;
  text?: CoreText;
  severity: 'error' | 'warning';
  /** e.g. ['data', 'file'] or ['data', 'inputs', 2]; the host maps it to a range. */
  jsonPath?: (string | number)[];
  offset?: number;
  length?: number;
}

/** Probe worker → host. */
export type FromProbeWorker =
  | {
      type: 'probeSnapshot';
      probeId: number;
      /** 'step0': diagnostics before any update; 'trained': after `steps` steps on the subsample. */
      phase: 'step0' | 'trained';
      snapshot: Snapshot;
      steps: number;
      rows: number;
      elapsedMs: number;
      lr: number;
      diverged?: DivergenceInfo;
    }
  | { type: 'probeProblems'; probeId: number; problems: ProbeProblem[] }
  | { type: 'probeDone'; probeId: number; cancelled: boolean; elapsedMs: number };

// ---------------------------------------------------------------------------------------------------------------
// Compare Activations panel (src/compareActivations ↔ webview/compareActivations). The webview computes curves and expected slopes
// from the core's activation table itself; the host only says which activations to show.

/** What the Compare Activations panel shows; kept in the webview's state and handed back on restore. */
export interface CompareState {
  selected: ActivationName[];
  /** Parameters per activation where they differ from the table's defaults (e.g. a leaky slope of 0.2). */
  params: Partial<Record<ActivationName, Record<string, number>>>;
  /** Number of stacked layers for E[f′(z)]ⁿ. */
  depth: number;
  showDerivatives: boolean;
}

/** Host → compare webview. */
export type ToCompareWebview =
  | { type: 'compareInit'; state: CompareState }
  /** The command ran again while the panel was open: add these (and select them). */
  | { type: 'compareAdd'; activations: ActivationName[]; params: Partial<Record<ActivationName, Record<string, number>>> };

/** Compare webview → host. */
export type FromCompareWebview =
  | { type: 'compareReady'; restored?: CompareState }
  | { type: 'compareVisualize'; activation: ActivationName; params: Record<string, number> };

// ---------------------------------------------------------------------------------------------------------------
// Universal approximation (src/universalApproximation ↔ webview/universalApproximation, and the host ↔ dist/uatWorker.js). The webview builds and edits
// the one-hidden-layer network itself (pure functions of src/core/analysis/uat.ts); only training runs in the worker.

/** Where the Universal Approximation panel's data comes from. */
export type UatSource =
  | { kind: 'file'; dataPath: string; inputs?: (string | number)[]; target?: string | number }
  | { kind: 'builtin'; builtin: string; samples?: number };

/** The data as the panel draws it: original units, 1 or 2 inputs (x2 for the second). */
export interface UatData {
  label: string;
  inputs: number;
  inputNames: string[];
  targetName: string;
  x: number[];
  x2?: number[];
  y: number[];
  /** A built-in set (its function gives the bump heights when it has one). */
  builtin?: string;
  notes: string[];
}

/** y(x) = outputBias + Σ v·σ(w·x + b); units 2k, 2k+1 are bump k. Same shape as core/uat's OneHiddenLayerNetwork. */
export interface UatNetwork {
  units: { w: number; b: number; v: number }[];
  outputBias: number;
}

/** Gradient descent from the hand-built weights, or from a random initialisation of the same size. */
export type UatTrainStart = 'handBuilt' | 'random';

export interface UatTrainedCurve {
  network: UatNetwork;
  step: number;
  loss: number;
}

/** What the panel keeps with setState (and the serializer hands back after a reload). */
export interface UatState {
  source?: UatSource;
  /** The hand-built network (absent: build `bumps` bumps when the data arrives). */
  network?: UatNetwork;
  bumps: number;
  /** Towers per side for two inputs. */
  towers: number;
  lr: number;
  trained: Partial<Record<UatTrainStart, UatTrainedCurve>>;
}

/** Host → UAT webview. */
export type ToUatWebview =
  | { type: 'uatLoading'; label: string }
  | { type: 'uatData'; source: UatSource; data: UatData }
  | { type: 'uatError'; message: string }
  | { type: 'uatTrainFrame'; start: UatTrainStart; curve: UatTrainedCurve }
  | { type: 'uatTrainState'; start: UatTrainStart; running: boolean; detail?: string };

/** UAT webview → host. */
export type FromUatWebview =
  | { type: 'uatReady'; restored?: UatState }
  | { type: 'uatChooseData' }
  | { type: 'uatTrain'; start: UatTrainStart; network: UatNetwork; lr: number; seed: number }
  | { type: 'uatStopTraining'; start: UatTrainStart };

/** Host → UAT training worker. `network` is the starting point; 'random' starts from the core's seeded init. */
export type ToUatWorker =
  | { type: 'uatTrain'; jobId: number; start: UatTrainStart; network: UatNetwork; x: number[]; y: number[]; lr: number; seed: number; maxSteps: number }
  | { type: 'uatStop'; jobId: number };

/** UAT training worker → host. Frames at most ~10 a second. */
export type FromUatWorker =
  | { type: 'uatFrame'; jobId: number; curve: UatTrainedCurve }
  | { type: 'uatDone'; jobId: number; reason: 'steps' | 'stopped' | 'diverged' }
  | { type: 'uatFailed'; jobId: number; message: string; text?: CoreText };

// ---------------------------------------------------------------------------------------------------------------------
// Compare Networks and Loss Landscape (src/compareNetworks ↔ src/compareNetworks/networksWorker ↔ webview/compareNetworks).
// One worker (interleaved) trains every network of a comparison, and computes landscapes row by row.

/** A network to compare: a config file, or a preset (both run on the comparison's one dataset). */
export type NetworkChoice = { kind: 'config'; configPath: string; label: string } | { kind: 'preset'; preset: string; label: string };

/** Where the comparison's data comes from (every network gets the same data, seed and split). */
export type NetworksDataSource = { kind: 'builtin'; builtin: string } | { kind: 'file'; dataPath: string } | { kind: 'config' };

/** Per network, what its chart series need at one measurement. */
export interface NetworkFrame {
  index: number;
  step: number;
  epoch: number;
  loss: number;
  valLoss?: number;
  accuracy?: number;
  valAccuracy?: number;
  /** Per linear layer, input to output. */
  gradNorm: number[];
  /** Smooth activations' low-slope share (0 for piecewise-linear ones: see `inactive`). */
  saturation: number[];
  /** Piecewise-linear activations' share on a flat or leaky piece (LayerProbe.inactive). */
  inactive: number[];
  dead: number[];
  /** ‖∂L/∂z‖ per linear layer: the error signal (first over last: ‖δ_0‖/‖δ_out‖). */
  deltaNorm: number[];
  /** Per hidden layer (every layer but the output): BackwardSplit.activationFactor and weightFactor. */
  activationFactor: (number | null)[];
  weightFactor: (number | null)[];
}

export interface NetworkSummary {
  index: number;
  label: string;
  parameters: number;
  layers: number;
  task: Task;
}

/** One finished or streaming landscape (rows filled in order). */
export interface LandscapeView {
  id: number;
  title: string;
  axis: number[];
  rows: number[][];
  lossAtTheta: number;
  rowsUsed: number;
  seed: number;
  range: number;
  slice?: { axis: number[]; losses: number[] };
  roughness?: number;
}

/** How the worker titles the landscape maps: `{0}` the network, `{1}` the steps it trained. */
export interface LandscapeWords {
  withoutSkip: string;
  withSkip: string;
  /** e.g. '{0} — {1} steps' */
  titled: string;
}

export interface LandscapeRequest {
  grid: number;
  range: number;
  seed: number;
  /** Training steps before the landscape (each network of a skip on/off pair takes the same). */
  steps: number;
  maxRows: number;
  /** Plain and residual variants side by side, one colour scale. */
  skipOnOff: boolean;
}

/** Host → networks worker. */
export type ToNetworksWorker =
  | {
      type: 'netsStart'; jobId: number; choices: NetworkChoice[]; data: NetworksDataSource; seed: number; epochs: number; snapshotEvery: number; threads: number;
      /** The data's label in the display language: `{0}` the set, `{1}` training rows, `{2}` validation rows, `{3}` the seed. */
      dataLabelTemplate?: string;
    }
  | { type: 'netsStop'; jobId: number }
  | {
      type: 'landscapeStart'; jobId: number; choice: NetworkChoice; data: NetworksDataSource; request: LandscapeRequest; threads: number;
      /** The maps' titles in the display language (the worker has no l10n); English when absent. */
      words?: LandscapeWords;
    }
  | { type: 'landscapeCancel'; jobId: number };

/** Networks worker → host (relayed to the webview as they are). */
export type FromNetworksWorker =
  | { type: 'netsLoaded'; jobId: number; dataLabel: string; networks: NetworkSummary[] }
  | { type: 'netsFrames'; jobId: number; frames: NetworkFrame[] }
  | { type: 'netsFunctions'; jobId: number; views: FunctionView[]; data: { x: number[]; y: number[]; d: number } }
  | { type: 'netsDone'; jobId: number; reason: 'epochs' | 'stopped' }
  | { type: 'netsFailed'; jobId: number; message: string; text?: CoreText }
  | { type: 'landscapeBegin'; jobId: number; views: LandscapeView[] }
  | { type: 'landscapeRow'; jobId: number; view: number; index: number; losses: number[] }
  | { type: 'landscapeEnd'; jobId: number; views: LandscapeView[]; cancelled: boolean; seconds: number }
  | { type: 'landscapeFailed'; jobId: number; message: string; text?: CoreText };

/** Host → Compare Networks webview. */
export type ToNetworksWebview =
  | FromNetworksWorker
  /** `restore`: what the webview keeps (setState) so the panel can run the same job again after a window reload. */
  | { type: 'netsMode'; mode: 'compare' | 'landscape'; title: string; restore?: NetworksRestore };

/** The job a Compare Networks / Loss Landscape panel shows, as its serializer restores it. */
export type NetworksRestore =
  | { kind: 'compare'; choices: NetworkChoice[]; data: NetworksDataSource; seed: number; epochs: number }
  | { kind: 'landscape'; choice: NetworkChoice; data: NetworksDataSource; request: LandscapeRequest };

/** Compare Networks webview → host. */
export type FromNetworksWebview =
  | { type: 'netsReady' }
  | { type: 'netsStop' }
  | { type: 'netsRestart' }
  | { type: 'landscapeCancel' }
  | { type: 'landscapeRun'; request: LandscapeRequest }
  | { type: 'netsExport'; format: 'json' | 'png'; name: string; content: string };
