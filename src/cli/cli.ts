// The `gradscope` command line: trains a config (or a preset on a data file / built-in set) headless over the core
// and prints what the panel shows as text: a per-layer table, or JSON Lines with --json; optionally an HTML report
// and a model file. Exit codes: 0 done, 1 training diverged, 2 bad input (with file:line:column). A user's mistake
// never prints a stack trace.
import * as path from 'node:path';
import { ConfigError, countParameters, loadRun, buildRun, type LoadedRun, type RunRequest, type RunOverrides } from '../core/config/config';
import { BUILTIN_DATASETS } from '../core/data/builtinDatasets';
import { functionView } from '../core/nn/functionView';
import { otherFactor, splitSentence, weakestLayer } from '../core/analysis/gradientSplit';
import { InputError, isInputError } from '../core/inputError';
import { closestName } from '../core/didYouMean';
import { commandHelp, parseCommandLine, positionalsAtMost, stringValue, wholeNumber, type CommandSpec } from './args';
import { modelFromNetwork, readModelFile, saveModelFile, type LoadedModel } from '../core/config/modelFile';
import { DEFAULT_PRESET_ID, NETWORK_PRESETS, findPreset, presetConfigText } from '../core/config/presets';
import { Trainer } from '../core/nn/trainer';
import { MAX_THREADS, defaultThreads, resolveThreads } from '../core/parallel/pool';
import type { FunctionView, LayerProbe, PreparedData, Snapshot, TrainSpec } from '../core/types';
import type { RecordedRun, RunMeta, SnapshotFrame } from '../protocol';
import { recordedLandscape, writeReport } from '../visualize/report';
import { checkOutputPath } from '../core/io/atomicWrite';
import { samplePoints } from '../visualize/trainingWorker';

const VERSION = '0.1.0';

export const EXIT = { done: 0, diverged: 1, badInput: 2, internal: 3 } as const;

export const TRAIN_COMMAND: CommandSpec = {
  name: 'train',
  synopsis: '[CONFIG.nn.json] [options]',
  description: 'Train a network headless and print per-layer gradients, saturation and dead units.',
  positionals: [{ name: 'CONFIG.nn.json', help: 'a network config (see README); without it, a preset on --data or --builtin' }],
  options: [
    { name: 'data', value: 'FILE', help: 'dataset file (.csv, .tsv, .json, .jsonl); replaces the config\'s data' },
    { name: 'builtin', value: 'NAME', help: `built-in dataset: ${BUILTIN_DATASETS.map(b => b.name).join(', ')}` },
    { name: 'preset', value: 'ID', help: `network preset when there is no config (default ${DEFAULT_PRESET_ID}); see 'gradscope presets'` },
    { name: 'epochs', value: 'N', help: 'epochs to train (0: step-0 diagnostics only, no update)' },
    { name: 'seed', value: 'N', help: 'seed for split, initialisation, shuffling and dropout' },
    { name: 'every', value: 'N', help: 'record a snapshot every N steps (default: once per epoch)' },
    { name: 'row-limit', value: 'N', help: 'sample files past N rows (default 1,000,000)' },
    { name: 'json', help: 'JSON Lines on stdout: one {"type":"snapshot",…} per snapshot, then {"type":"summary",…}' },
    { name: 'save', value: 'FILE', help: 'write the trained network as a gradscope-model JSON file' },
    { name: 'load', value: 'FILE', help: 'start from a gradscope-model file (its architecture replaces the config\'s)' },
    { name: 'report', value: 'FILE.html', help: 'write a self-contained HTML report with the panel\'s charts' },
    { name: 'landscape', help: 'with --report: add the loss landscape around the trained weights (41×41, Li et al. 2018)' },
    { name: 'threads', value: 'T', help: `threads for wide layers' products, 1 to ${MAX_THREADS} (default: half the cores, here ${defaultThreads()}); the numbers are the same whatever T` },
  ],
  epilog: 'Exit codes: 0 done, 1 training diverged, 2 bad input.',
};

/** The subcommands, for the top-level help and "did you mean". */
const COMMANDS: { name: string; help: string }[] = [
  { name: 'train', help: 'train a config, or a preset on a data file or built-in set, and print per-layer gradients' },
  { name: 'uat', help: 'build Nielsen\'s universal-approximation network for N bumps and print its error' },
  { name: 'landscape', help: 'the loss on a plane through the weights (Li et al. 2018)' },
  { name: 'view', help: 'a PyTorch run logged by python/gradscope: per-module table, warnings, --report' },
  { name: 'presets', help: 'list the network presets' },
  { name: 'datasets', help: 'list the built-in datasets' },
];

const USAGE = `Usage: gradscope COMMAND [options]

See why deep networks stop learning: train headless and print per-layer gradients, saturation and dead units.

${COMMANDS.map(c => `  ${c.name.padEnd(11)}${c.help}`).join('\n')}

  gradscope COMMAND --help   the options of one command
  gradscope --version

Examples:
  gradscope train examples/deep-sigmoid.nn.json
  gradscope train --preset deep-relu-he --builtin circle --report report.html
  gradscope view .gradscope/runs/NAME.jsonl`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Draw a progress bar (stderr is a terminal). */
  progress: boolean;
}

interface TrainOptions {
  config?: string;
  data?: string;
  builtin?: string;
  preset?: string;
  epochs?: number;
  seed?: number;
  every?: number;
  rowLimit?: number;
  json: boolean;
  save?: string;
  load?: string;
  report?: string;
  landscape: boolean;
  threads?: number;
}

/** The train command's options, or undefined when --help was asked for (the help is printed). */
export function parseTrainArgs(args: string[]): TrainOptions | undefined {
  const parsed = parseCommandLine(TRAIN_COMMAND, args);
  if (parsed.help) return undefined;
  const text = (name: string) => stringValue(parsed, name);
  const whole = (name: string, min: number, max?: number) => {
    const v = text(name);
    return v === undefined ? undefined : wholeNumber(v, `--${name}`, min, max);
  };
  const options: TrainOptions = {
    config: positionalsAtMost(parsed, 1, 'config file')[0],
    data: text('data'),
    builtin: text('builtin'),
    preset: text('preset'),
    epochs: whole('epochs', 0),
    seed: whole('seed', -(2 ** 31)),
    every: whole('every', 1),
    rowLimit: whole('row-limit', 1),
    json: parsed.values.json === true,
    save: text('save'),
    load: text('load'),
    report: text('report'),
    landscape: parsed.values.landscape === true,
    threads: whole('threads', 1, MAX_THREADS),
  };
  if (options.data !== undefined && options.builtin !== undefined) throw new InputError('give --data or --builtin, not both');
  if (options.config === undefined && options.data === undefined && options.builtin === undefined) {
    throw new InputError(`nothing to train: give a config file, --data FILE or --builtin NAME (run 'gradscope train --help' for the options)`);
  }
  if (options.config !== undefined && options.preset !== undefined) throw new InputError('--preset applies only without a config file (the config is the network)');
  if (options.preset !== undefined && !findPreset(options.preset)) {
    const guess = closestName(options.preset, NETWORK_PRESETS.map(p => p.id));
    throw new InputError(`unknown preset '${options.preset}'${guess ? ` — did you mean '${guess}'?` : ''} (presets: ${NETWORK_PRESETS.map(p => p.id).join(', ')})`);
  }
  if (options.landscape && options.report === undefined) throw new InputError('--landscape goes into the report: give --report FILE.html too');
  if (options.report !== undefined && !/\.html?$/i.test(options.report)) throw new InputError(`--report writes HTML: give a file ending in .html (got '${options.report}')`);
  return options;
}

/** Run the command line; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? EXIT.badInput : EXIT.done;
      case '--version':
      case '-v':
        io.stdout(`gradscope ${VERSION}\n`);
        return EXIT.done;
      case 'presets':
        for (const p of NETWORK_PRESETS) io.stdout(`${p.id.padEnd(16)} ${p.label}\n${' '.repeat(17)}${p.description}\n`);
        return EXIT.done;
      case 'datasets':
        for (const b of BUILTIN_DATASETS) io.stdout(`${b.name.padEnd(12)} ${b.task.padEnd(10)} ${b.description}\n`);
        return EXIT.done;
      case 'train': {
        const options = parseTrainArgs(rest);
        if (!options) {
          io.stdout(`${commandHelp(TRAIN_COMMAND)}\n`);
          return EXIT.done;
        }
        return await train(options, io);
      }
      case 'uat': return await (await import('./cliUat')).runUat(rest, io);
      case 'landscape': return await (await import('./cliLandscape')).runLandscape(rest, io);
      case 'view': return await (await import('./cliView')).runView(rest, io);
      default: {
        const guess = command.length < 64 ? closestName(command.replace(/^-+/, ''), COMMANDS.map(c => c.name)) : undefined;
        throw new InputError(`unknown command '${command}'${guess ? ` — did you mean '${guess}'?` : ''} (commands: ${COMMANDS.map(c => c.name).join(', ')}; run 'gradscope --help')`);
      }
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.describeAll()) io.stderr(`error: ${line}\n`);
      return EXIT.badInput;
    }
    if (isInputError(error)) {
      io.stderr(`error: ${error.describe()}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}

async function train(options: TrainOptions, io: CliIo): Promise<number> {
  const started = Date.now();
  // A path that cannot be written fails now, not after the whole training.
  if (options.save !== undefined) checkOutputPath(options.save, '--save');
  if (options.report !== undefined) checkOutputPath(options.report, '--report');
  const request: RunRequest = options.config !== undefined
    ? { kind: 'config', configPath: options.config }
    : options.data !== undefined
      ? { kind: 'dataset', dataPath: options.data, preset: options.preset ?? DEFAULT_PRESET_ID }
      : { kind: 'builtin', builtin: options.builtin!, preset: options.preset ?? DEFAULT_PRESET_ID };
  const overrides: RunOverrides = { epochs: options.epochs, seed: options.seed, rowLimit: options.rowLimit, snapshotEvery: options.every };
  if (options.config !== undefined) {
    if (options.data !== undefined) overrides.dataFile = options.data;
    if (options.builtin !== undefined) overrides.builtin = options.builtin;
  }
  if (io.progress && !options.json) io.stderr('loading data…\r');
  const loaded = await loadRun(request, overrides, presetConfigText);
  for (const w of loaded.warnings) io.stderr(`warning: ${options.config ?? 'preset'}:${w.line}:${w.column}: ${w.message}\n`);

  let { data, train: spec } = loaded;
  let model: LoadedModel | undefined;
  if (options.load !== undefined) {
    model = readModelFile(options.load);
    ({ data, spec } = withModel(loaded, model, options.load));
  }
  let trainer: Trainer;
  try {
    trainer = new Trainer(spec, data, { threads: resolveThreads(options.threads) });
    if (model) trainer.network.importParams(model.params);
  } catch (error) {
    // The engine's own checks (loss vs. task, widths): a mismatch between the inputs, not a crash.
    throw new InputError(error instanceof Error ? error.message : String(error));
  }

  const recorder = new Recorder(trainer, data, options.report !== undefined);
  const emit = (snapshot: Snapshot) => {
    recorder.add(snapshot);
    if (options.json) io.stdout(`${JSON.stringify({ type: 'snapshot', ...snapshot })}\n`);
  };
  const progress = io.progress && !options.json ? new ProgressBar(io, spec.epochs) : undefined;

  let finalSnapshot: Snapshot;
  if (spec.epochs === 0) {
    finalSnapshot = trainer.step0Diagnostics();
    emit(finalSnapshot);
  } else {
    emit(trainer.snapshot());
    while (trainer.epoch < spec.epochs && !trainer.diverged) {
      const result = trainer.stepBatch();
      if (result.diverged) break;
      if (result.snapshotDue) emit(trainer.snapshot());
      progress?.update(trainer, result.loss);
    }
    if (!trainer.diverged && recorder.lastStep !== trainer.step) emit(trainer.snapshot());
    finalSnapshot = recorder.last ?? trainer.snapshot();
  }
  progress?.clear();

  const divergence = trainer.diverged ?? undefined;
  let reportPath: string | undefined;
  if (options.report !== undefined) {
    const run: RecordedRun = {
      meta: runMeta(loaded, trainer, data, recorder.frames[0]?.snapshot ?? finalSnapshot),
      sourceLabel: options.config ?? options.data ?? `builtin:${options.builtin}`,
      frames: recorder.frames,
      divergence,
      createdAt: new Date().toISOString(),
      ...(options.landscape && !divergence ? { landscape: recordedLandscape(trainer.network, spec.loss, data.train) } : {}),
    };
    try {
      writeReport(options.report, run);
    } catch (error) {
      throw new InputError(`cannot write the report ${options.report}: ${error instanceof Error ? error.message : String(error)}`);
    }
    reportPath = path.resolve(options.report);
  }
  let savedPath: string | undefined;
  if (options.save !== undefined && !divergence) {
    try {
      saveModelFile(options.save, modelFromNetwork(trainer.network, {
        inputNames: data.inputNames, targetName: data.targetName, task: data.task, ...(data.classes ? { classes: data.classes } : {}),
        standardisation: { mean: Array.from(data.mean), std: Array.from(data.std) },
      }));
    } catch (error) {
      throw new InputError(`cannot write the model file ${options.save}: ${error instanceof Error ? error.message : String(error)}`);
    }
    savedPath = path.resolve(options.save);
  }

  const seconds = (Date.now() - started) / 1000;
  if (options.json) {
    io.stdout(`${JSON.stringify(summary(loaded, trainer, data, spec, finalSnapshot, seconds, divergence?.message, reportPath, savedPath))}\n`);
  } else {
    io.stdout(humanSummary(loaded, trainer, data, spec, finalSnapshot, seconds));
    if (reportPath) io.stdout(`Report: ${reportPath}\n`);
    if (savedPath) io.stdout(`Model saved: ${savedPath}\n`);
  }
  if (divergence) {
    io.stderr(`error: ${divergence.message}\n`);
    if (options.save !== undefined) io.stderr(`The model was not saved: its weights are no longer finite.\n`);
    return EXIT.diverged;
  }
  return EXIT.done;
}

/** A loaded model replaces the config's network; its standardisation (if any) replaces the data's. */
function withModel(loaded: LoadedRun, model: LoadedModel, file: string): { data: PreparedData; spec: TrainSpec } {
  const label = path.basename(file);
  const data = model.file.standardisation
    ? buildRun(loaded.config, loaded.dataset, { standardisation: model.file.standardisation }).data
    : loaded.data;
  if (model.spec.inputs !== data.d) {
    throw new InputError(`${label} takes ${model.spec.inputs} inputs but the data has ${data.d} (${data.inputNames.join(', ')})`);
  }
  const outputs = lastLinearUnits(model.spec.layers);
  if (outputs !== data.outputs) {
    throw new InputError(`${label} has ${outputs} outputs but the data needs ${data.outputs} (${data.task}${data.classes ? `: ${data.classes.join(', ')}` : ''})`);
  }
  return { data, spec: { ...loaded.train, network: model.spec } };
}

function lastLinearUnits(layers: TrainSpec['network']['layers']): number {
  let units = 0;
  for (const m of layers) {
    if (m.type === 'linear') units = m.units;
    else if (m.type === 'residual') units = lastLinearUnits(m.layers) || units;
  }
  return units;
}

/** Keeps every snapshot (for the report) with a function view on about 100 of them. */
class Recorder {
  readonly frames: SnapshotFrame[] = [];
  last?: Snapshot;
  lastStep = -1;
  private readonly viewEvery: number;

  constructor(private readonly trainer: Trainer, private readonly data: PreparedData, private readonly withViews: boolean) {
    const every = trainer.spec.snapshotEvery ?? 0;
    const steps = trainer.spec.epochs * trainer.stepsPerEpoch;
    const snapshots = every > 0 ? steps / every : trainer.spec.epochs;
    this.viewEvery = Math.max(1, Math.ceil(snapshots / 100));
  }

  add(snapshot: Snapshot): void {
    this.last = snapshot;
    this.lastStep = snapshot.step;
    if (!this.withViews) return;
    const frame: SnapshotFrame = { snapshot };
    const index = this.frames.length;
    if (index % this.viewEvery === 0 || this.trainer.epoch >= this.trainer.spec.epochs) {
      const view: FunctionView = functionView(this.trainer, this.data);
      frame.view = view;
    }
    this.frames.push(frame);
  }
}

function runMeta(loaded: LoadedRun, trainer: Trainer, data: PreparedData, first: Snapshot): RunMeta {
  return {
    title: loaded.title,
    task: data.task,
    inputNames: data.inputNames,
    targetName: data.targetName,
    classes: data.classes,
    layers: first.layers.map(l => ({ index: l.index, units: l.units, activation: l.activation, path: l.path })),
    epochs: trainer.spec.epochs,
    batchSize: trainer.batchSize,
    lr: trainer.lr,
    seed: trainer.seed,
    points: samplePoints(data, 2000),
    notes: [...data.notes, ...loaded.warnings.map(w => `${w.message} (line ${w.line})`)],
  };
}

function summary(loaded: LoadedRun, trainer: Trainer, data: PreparedData, spec: TrainSpec, last: Snapshot, seconds: number,
  diverged: string | undefined, report: string | undefined, saved: string | undefined): Record<string, unknown> {
  const layers = last.layers;
  const output = layers[layers.length - 1];
  return {
    type: 'summary',
    status: diverged ? 'diverged' : 'done',
    title: loaded.title,
    task: data.task,
    inputs: data.d,
    outputs: data.outputs,
    trainRows: data.train.n,
    validationRows: data.val.n,
    parameters: countParameters(spec.network),
    loss: spec.loss,
    optimizer: spec.optimizer.type,
    epochs: trainer.epoch,
    steps: trainer.step,
    finalLoss: last.loss,
    finalValLoss: last.valLoss ?? null,
    finalAccuracy: last.accuracy ?? null,
    finalValAccuracy: last.valAccuracy ?? null,
    firstToOutputGradRatio: output && layers.length > 0 && output.gradNorm > 0 ? layers[0].gradNorm / output.gradNorm : null,
    seconds,
    ...(diverged ? { divergence: diverged } : {}),
    ...(report ? { report } : {}),
    ...(saved ? { saved } : {}),
    notes: data.notes,
  };
}

function formatNumber(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : v.toPrecision(3);
}

function percent(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** The per-layer table and a few lines about the run. */
export function humanSummary(loaded: LoadedRun, trainer: Trainer, data: PreparedData, spec: TrainSpec, last: Snapshot, seconds: number): string {
  const lines: string[] = [];
  lines.push(`${loaded.title} — ${data.task}${data.classes ? ` (${data.classes.length} classes)` : ''}, ${data.d} input${data.d === 1 ? '' : 's'}, ${data.train.n} train / ${data.val.n} validation rows`);
  for (const note of data.notes) lines.push(`  note: ${note}`);
  const phase = spec.epochs === 0 ? 'step-0 diagnostics (no update)' : `after ${trainer.epoch} epoch${trainer.epoch === 1 ? '' : 's'} (${trainer.step} steps, ${seconds.toFixed(1)} s)`;
  const metrics = [`loss ${formatNumber(last.loss)}`];
  if (last.valLoss !== undefined) metrics.push(`val loss ${formatNumber(last.valLoss)}`);
  if (last.accuracy !== undefined) metrics.push(`accuracy ${percent(last.accuracy)}`);
  if (last.valAccuracy !== undefined) metrics.push(`val accuracy ${percent(last.valAccuracy)}`);
  lines.push(`${phase}: ${metrics.join(', ')}`);
  lines.push('');
  lines.push(layerTable(last.layers));
  const first = last.layers[0];
  const output = last.layers[last.layers.length - 1];
  if (first && output && output.gradNorm > 0 && last.layers.length > 1) {
    const ratio = first.gradNorm / output.gradNorm;
    const verdict = ratio < 1e-3 ? ' — the first layer barely learns (vanishing gradient)' : ratio > 1e3 ? ' — the gradient grows towards the input (exploding)' : '';
    lines.push(`first layer's gradient is ${formatNumber(ratio)} × the output layer's${verdict}`);
  }
  const weakest = weakestLayer(last.layers);
  const sentence = weakest && (weakest.backward?.gain ?? 1) < 1 ? splitSentence(weakest) : undefined;
  if (sentence) lines.push(`where the gradient is lost most: ${sentence}`);
  return `${lines.join('\n')}\n`;
}

/**
 * One row per linear layer. `δ gain` = ‖δ_i‖/‖δ_{i+1}‖, the error signal passed on from the layer above, split
 * exactly into `f′ part` (the activation's slope, ≤ its max slope) × `W part` (the next layer's weights, ≤ ‖W‖₂)
 * × `BN/skip part` (batch norm, dropout, a residual block's skip; only when the network has one). See BackwardSplit.
 */
export function layerTable(layers: LayerProbe[]): string {
  const output = layers[layers.length - 1];
  const other = (l: LayerProbe): number | null | undefined => (l.backward ? otherFactor(l.backward) : undefined);
  const showOther = layers.some(l => other(l) !== undefined);
  const ratio = (v: number | null | undefined): string => (v === undefined || v === null ? '—' : formatNumber(v));
  const header = [
    'layer', 'units', 'activation', 'gradNorm', 'vs output', 'δ gain', 'f′ part', 'W part', ...(showOther ? ['BN/skip part'] : []),
    'saturated/inactive', 'dead', 'update/weight',
  ];
  const rows = layers.map(l => [
    String(l.index), String(l.units), l.activation, formatNumber(l.gradNorm),
    output && output.gradNorm > 0 ? formatNumber(l.gradNorm / output.gradNorm) : '—',
    ratio(l.backward?.gain), ratio(l.backward?.activationFactor), ratio(l.backward?.weightFactor),
    ...(showOther ? [ratio(other(l))] : []),
    lowSlopeCell(l), percent(l.dead), formatNumber(l.updateRatio),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map(r => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map(w => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/** The low-slope share under its right name: "12.0%" saturated (smooth), "48.4% inactive" (ReLU family), "—" none. */
function lowSlopeCell(l: LayerProbe): string {
  switch (l.lowSlopeKind) {
    case 'saturated': return percent(l.saturation);
    case 'inactive': return `${percent(l.inactive)} inactive`;
    case 'none': return '—';
    default: return assertNeverKind(l.lowSlopeKind);
  }
}

function assertNeverKind(kind: never): never {
  throw new Error(`unexpected low-slope kind ${String(kind)}`);
}

class ProgressBar {
  private lastDraw = 0;

  constructor(private readonly io: CliIo, private readonly epochs: number) {}

  update(trainer: Trainer, loss: number): void {
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const stepsPerEpoch = trainer.stepsPerEpoch;
    const done = Math.min(1, (trainer.epoch + ((trainer.step % stepsPerEpoch) / stepsPerEpoch)) / Math.max(1, this.epochs));
    const width = 30;
    const filled = Math.round(done * width);
    this.io.stderr(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] epoch ${Math.min(trainer.epoch + 1, this.epochs)}/${this.epochs}  loss ${formatNumber(loss)}  `);
  }

  clear(): void {
    this.io.stderr(`\r${' '.repeat(72)}\r`);
  }
}

/**
 * A reader that goes away (`gradscope presets | head -1`, a closed terminal) is the end of the conversation, not an
 * error: EPIPE on stdout or stderr ends the process quietly with exit 0. Files being written are written to a
 * temporary name and renamed, so nothing half-written is left behind.
 */
function endQuietlyWhenTheReaderLeaves(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT.done);
    throw error;
  });
}

function main(): void {
  endQuietlyWhenTheReaderLeaves(process.stdout);
  endQuietlyWhenTheReaderLeaves(process.stderr);
  const io: CliIo = {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
    progress: Boolean(process.stderr.isTTY),
  };
  runCli(process.argv.slice(2), io).then(code => {
    process.exitCode = code;
  }, (error: unknown) => {
    process.stderr.write(`gradscope: internal error (please report it): ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = EXIT.internal;
  });
}

// Run when executed: directly (node dist/cli.js, tsx src/cli/cli.ts) or through bin/gradscope.js, which requires the
// bundle; not when a test imports runCli.
const entry = require.main?.filename ?? '';
if (require.main === module || /[\\/]gradscope(\.js)?$/.test(entry)) main();
