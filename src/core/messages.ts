// The core's user-facing messages, one catalogue keyed by id with the English text. The core stays free of
// vscode: it hands out a CoreText (id + arguments) next to the English string it has always produced (the CLI
// prints that); the extension host translates the CoreText with vscode.l10n.t, whose bundles use the English
// template as key, so a message is written once here and translated in l10n/bundle.l10n.<lang>.json.
// Arguments are already formatted (numbers as the core writes them), so every language shows the same figures.
// The catalogue is split by feature (config/configMessages.ts, config/modelMessages.ts, data/dataMessages.ts,
// activations/activationMessages.ts, runs/runMessages.ts, nn/networkMessages.ts, this file's probe and fix messages); every `const …MESSAGES = { id: 'text', … }` under
// src/core is read by scripts/l10n-strings.mjs, and CORE_MESSAGES joins them (ids are unique across them).
import { ACTIVATION_MESSAGES } from './activations/activationMessages';
import { CONFIG_MESSAGES } from './config/configMessages';
import { DATA_MESSAGES } from './data/dataMessages';
import { MODEL_MESSAGES } from './config/modelMessages';
import { PRESET_MESSAGES } from './config/presetMessages';
import { BUILTIN_MESSAGES } from './data/builtinMessages';
import { RUN_MESSAGES } from './runs/runMessages';
import { NETWORK_MESSAGES } from './nn/networkMessages';

const PROBE_MESSAGES = {
  // probe warnings (src/core/analysis/probeWarnings.ts)
  'probe.layer': 'layer {index} ({units} {activation})',
  'probe.vanishing': 'Vanishing gradient {when}: {layer} has ‖∂L/∂W‖ = {norm}, {ratio} of the output layer\'s {outputNorm} (threshold {threshold}): this layer barely learns.{split}',
  'probe.exploding': 'Exploding gradient {when}: {layer} has ‖∂L/∂W‖ = {norm}, {ratio} the output layer\'s {outputNorm} (threshold {threshold}).{split}',
  'probe.dead': 'Dead units {when}: {share} of {layer}\'s units have zero slope on every probed sample (threshold {threshold}); they pass no gradient.',
  'probe.inactive': 'Inactive {when}: {share} of {layer}\'s activations sit on a flat piece where the slope is 0 ({low} low, {high} high; threshold {threshold}); they pass no gradient.',
  'probe.saturated': 'Saturated {when}: {share} of {layer}\'s activations sit where the slope is below 5% of its peak ({low} low, {high} high; threshold {threshold}).',
  'probe.diverged': 'Training diverged at the configured learning rate {lr}: {reason}',
  'probe.alsoLayer': '{message} Also layer {layers} here.',
  'probe.alsoLayers': '{message} Also layers {layers} here.',
  'probe.atStep0Rows': 'at step 0 ({rows} rows)',
  'probe.afterSteps': 'after {steps} steps',
  // the backward split in words (src/core/analysis/gradientSplit.ts, pathSplitText)
  'split.perLayer': '{factors} per layer',
  'split.between': ' Between it and the output layer: {factors}.',
  'split.betweenOne': ' Between it and the output layer it passes on {gain} of the error signal ({factors}).',
  'split.betweenEach': ' Between it and the output layer each layer passes on {gain} of the error signal on average ({factors}).',
  // divergence (src/core/nn/trainer.ts)
  'train.diverged': 'diverged at epoch {epoch}, step {step}: {what}. Try: {advice}; batch normalization also helps.',
  'train.lossBecame': 'the loss became {loss}',
  'train.gradInfinite': 'the gradient became infinite',
  'train.weightsOverflow': 'the weights overflowed',
  'train.adviceLr': 'lower the learning rate (now {lr})',
  'train.adviceLrClip': 'lower the learning rate (now {lr}) or set clipNorm to clip the gradient',
  'train.notFinite': 'diverged at epoch {epoch}, step {step}: the loss is no longer finite. Try: lower the learning rate (now {lr}) or set clipNorm.',
  // the trainer's refusals (src/core/nn/trainer.ts, losses.ts): thrown as CoreError, shown by the workers' hosts
  'train.emptySplit': 'the training split is empty',
  'train.inputsMismatch': 'the network takes {inputs} inputs, the data has {columns}',
  'train.outputsMismatch': 'the network has {outputs} outputs, the regression target needs {needed}',
  'train.mseNeedsRegression': 'mse expects a regression target; this is a {task} task (use {loss})',
  'train.bceNeedsBinary': 'bce expects a two-class target; this is a {task} task (use {loss})',
  'train.bceOneOutput': 'bce needs 1 output (one logit), the network has {outputs}',
  'train.ceNeedsClasses': 'cross_entropy expects class labels; this is a regression task (use mse)',
  'train.ceOutputs': 'cross_entropy needs one output per class ({classes}), the network has {outputs}',
  'train.nesterovMomentum': 'Nesterov momentum requires a momentum above 0',
  // the loss landscape's refusals (src/core/analysis/landscape.ts)
  'landscape.gridSize': 'grid size must be a whole number ≥ 2, got {size}',
  'landscape.range': 'range must be a positive number, got {range}',
  'landscape.noRows': 'the landscape needs at least one data row',
  // the live probe's own problems (src/configInsight/probeWorker.ts, a worker without vscode)
  'probe.worker.cannotBuild': 'The live probe cannot build this network: {reason}',
  'probe.worker.tooLarge': 'The live probe skips networks above {max} parameters (this one has {parameters}): it would hold up the hints for seconds. Visualize Network trains it in full.',
  'probe.worker.fullBatch': 'batchSize {batchSize} is larger than the {rows} training rows: every step sees the whole training split (full-batch gradient descent).',
  'probe.worker.untrusted': 'This workspace is not trusted: the live probe reads only files inside the workspace, and {file} is outside it.',
  'probe.worker.dataAt': '{message} ({place})',
  'probe.worker.failed': 'The live probe failed: {reason}',
  // the training workers' own problems, posted to the host as messages (src/visualize/trainingWorker.ts,
  // src/universalApproximation/uatWorker.ts); the reason is the error's own text
  'worker.cannotStartRun': 'Gradscope could not start this run: {reason}',
  'worker.error': 'Gradscope worker error: {reason}',
  'worker.uatCannotTrain': 'Gradscope could not train this network: {reason}',
  'worker.lrNotPositive': 'learning rate must be a positive number, got {lr}',
  'worker.batchSizeNotPositive': 'batch size must be a positive integer, got {batchSize}',
  // Compare Networks' worker (src/compareNetworks/networksWorker.ts): its own refusal, and the prefix of a failure
  // that has no message of its own (a bug), so at least the sentence around the reason is in the display language
  'worker.networksNoConfig': 'no config chosen, so there is no config\'s data to share: pick a dataset',
  'worker.networksFailed': 'Compare Networks failed: {reason}',
  'worker.landscapeFailed': 'The loss landscape failed: {reason}',
  // the worker pool's threads (src/core/parallel/pool.ts): one that dies takes its task with it
  'pool.workerExited': 'a thread of the worker pool stopped (exit code {code})',
  'pool.workerOutOfMemory': 'a thread of the worker pool ran out of memory',
  // quick-fix titles (src/core/config/configFixes.ts)
  'fix.reluHe': 'Switch hidden activations to ReLU with He initialisation',
  'fix.seluLecun': 'Switch hidden activations to SELU with LeCun initialisation',
  'fix.batchNorm': 'Add batch normalisation to the hidden layers',
  'fix.skipEvery2': 'Add skip connections every 2 layers',
  'fix.lowerLr': 'Lower the learning rate 10×',
} as const;

/** Every catalogue by name, for the test that no id is given twice. */
export const CORE_CATALOGUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  PROBE_MESSAGES, CONFIG_MESSAGES, DATA_MESSAGES, ACTIVATION_MESSAGES, MODEL_MESSAGES, PRESET_MESSAGES, BUILTIN_MESSAGES, RUN_MESSAGES, NETWORK_MESSAGES,
};

export const CORE_MESSAGES = { ...PROBE_MESSAGES, ...CONFIG_MESSAGES, ...DATA_MESSAGES, ...ACTIVATION_MESSAGES, ...MODEL_MESSAGES, ...PRESET_MESSAGES, ...BUILTIN_MESSAGES, ...RUN_MESSAGES, ...NETWORK_MESSAGES } as const;

export type CoreMessageId = keyof typeof CORE_MESSAGES;
export type CoreArg = string | number | CoreText;

/** A message as data: the catalogue id and its (formatted) arguments, which may be messages themselves. */
export interface CoreText {
  id: CoreMessageId;
  args: Readonly<Record<string, CoreArg>>;
}

export function coreText(id: CoreMessageId, args: Record<string, CoreArg> = {}): CoreText {
  return { id, args };
}

/**
 * The message in English (or through `translate`, given the template and the already-translated arguments).
 * Placeholders are `{name}`, as vscode.l10n.t writes them.
 */
export function formatCoreText(text: CoreText, translate?: (template: string, args: Record<string, string | number>) => string): string {
  const args: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(text.args)) args[name] = typeof value === 'object' ? formatCoreText(value, translate) : value;
  const template = CORE_MESSAGES[text.id];
  if (translate) return translate(template, args);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in args ? String(args[name]) : whole));
}

let byEnglish: Map<string, CoreMessageId> | undefined;

/**
 * The id of a catalogue entry from its English text (the activation table keeps its summaries and notes as the
 * catalogue's English, so the host can translate a table field it is handed); undefined for text not in it.
 */
export function catalogueIdOf(english: string): CoreMessageId | undefined {
  if (!byEnglish) {
    byEnglish = new Map();
    for (const [id, text] of Object.entries(CORE_MESSAGES)) if (!byEnglish.has(text)) byEnglish.set(text, id as CoreMessageId);
  }
  return byEnglish.get(english);
}

/** Notes as the core keeps them: the English strings, and the same as messages index for index. */
export function notesOf(texts: readonly (string | CoreText)[]): { notes: string[]; noteTexts: (string | CoreText)[] } {
  return { notes: texts.map(textOf), noteTexts: [...texts] };
}

/** A string, or a message to format (functions taking a `when` accept both). */
export function textOf(value: string | CoreText): string {
  return typeof value === 'string' ? value : formatCoreText(value);
}

/** The JS type of a JSON value (`typeof`) as a message, so the display language names it ("number", "object", …). */
export function jsTypeText(value: unknown): CoreArg {
  switch (typeof value) {
    case 'number': return coreText('data.jsType.number');
    case 'string': return coreText('data.jsType.string');
    case 'boolean': return coreText('data.jsType.boolean');
    case 'object': return coreText('data.jsType.object');
    default: return typeof value;
  }
}
