// `gradscope uat (--data FILE | --builtin NAME) --bumps N[,N…] [--json]`: builds Nielsen's bump (1 input) or N×N
// tower (2 inputs) network for each N, with no training, and prints its mean squared error on the data and its
// weights, so the construction can be checked outside VS Code.
import { InputError } from '../core/inputError';
import { commandHelp, parseCommandLine, positionalsAtMost, stringValue, wholeNumber, type CommandSpec } from './args';
import {
  buildBumps, buildTowers, meanSquaredError, stepPosition, toModuleParams, towerError, towerModuleParams, type OneHiddenLayerNetwork,
} from '../core/analysis/uat';
import { builtinFunction, loadUatData, UAT_BUILTIN_SAMPLES } from '../universalApproximation/uatData';
import type { UatData, UatSource } from '../protocol';

export const UAT_COMMAND: CommandSpec = {
  name: 'uat',
  synopsis: '(--data FILE | --builtin NAME) --bumps N[,N…] [options]',
  description: `Build the universal approximation network of Nielsen's chapter 4 for each N, without training, and print its mean
squared error on the data and its weights. One input: N bumps (pairs of steep sigmoid steps at s with b = −w·s and
output weights +h, −h; heights the mean target per interval, or f(midpoint) for a built-in function). Two inputs:
N×N towers.`,
  options: [
    { name: 'data', value: 'FILE', help: 'dataset file (.csv, .tsv, .json, .jsonl); 1 or 2 input columns and a target' },
    { name: 'inputs', value: 'A[,B]', help: 'input columns by name or 0-based index (default: every column but the target)' },
    { name: 'target', value: 'COL', help: 'target column (default: the last)' },
    { name: 'builtin', value: 'NAME', help: 'built-in dataset (nielsen, sine, step, abs; plane, multi-gauss … for towers)' },
    { name: 'samples', value: 'N', help: `built-in sets: samples (default ${UAT_BUILTIN_SAMPLES})` },
    { name: 'bumps', value: 'N[,N…]', help: 'bumps (1 input) or towers per side (2 inputs), e.g. 5,10,100' },
    { name: 'steepness', value: 'W', help: 'the steps\' w (default: a rise over 2 % of an interval)' },
    { name: 'json', help: 'one JSON line per N: {"n","inputs","mse","hiddenUnits","weights",…}' },
  ],
};

export const UAT_USAGE = commandHelp(UAT_COMMAND);

interface UatOptions {
  source: UatSource;
  bumps: number[];
  steepness?: number;
  json: boolean;
}

export interface UatIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

function parseColumn(text: string): string | number {
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** The uat command's options, or undefined when --help was asked for. */
export function parseUatArgs(args: string[]): UatOptions | undefined {
  const parsed = parseCommandLine(UAT_COMMAND, args);
  if (parsed.help) return undefined;
  positionalsAtMost(parsed, 0, 'file: give it as --data FILE');
  const text = (name: string) => stringValue(parsed, name);
  const data = text('data');
  const builtin = text('builtin');
  const inputs = text('inputs')?.split(',').map(s => parseColumn(s.trim()));
  const targetText = text('target');
  const target = targetText === undefined ? undefined : parseColumn(targetText.trim());
  const samplesText = text('samples');
  const samples = samplesText === undefined ? undefined : wholeNumber(samplesText, '--samples', 2);
  const bumps = text('bumps')?.split(',').map(part => wholeNumber(part.trim(), '--bumps', 1, 10_000));
  const steepnessText = text('steepness');
  let steepness: number | undefined;
  if (steepnessText !== undefined) {
    steepness = Number(steepnessText);
    if (!(Number.isFinite(steepness) && steepness > 0)) throw new InputError(`--steepness must be a positive number, got '${steepnessText}'`);
  }
  const hint = `(run 'gradscope uat --help' for the options)`;
  if (data !== undefined && builtin !== undefined) throw new InputError('give --data or --builtin, not both');
  if (data === undefined && builtin === undefined) throw new InputError(`no data: give --data FILE or --builtin NAME ${hint}`);
  if (!bumps?.length) throw new InputError(`give --bumps N[,N…] ${hint}`);
  const source: UatSource = data !== undefined ? { kind: 'file', dataPath: data, inputs, target } : { kind: 'builtin', builtin: builtin!, samples };
  return { source, bumps, steepness, json: parsed.values.json === true };
}

function format(v: number): string {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(4) : Number(v.toPrecision(6)).toString();
}

function oneInput(data: UatData, options: UatOptions, io: UatIo): void {
  const f = data.builtin ? builtinFunction(data.builtin) : undefined;
  const source = f ? { kind: 'function' as const, f } : { kind: 'data' as const, xs: data.x, ys: data.y };
  let first: number | undefined;
  const range = rangeOf(data.x);
  for (const n of options.bumps) {
    const net = buildBumps(source, n, { range, steepness: options.steepness });
    const mse = meanSquaredError(net, data.x, data.y);
    first ??= mse;
    if (options.json) {
      io.stdout(`${JSON.stringify({
        n, inputs: 1, mse, mseRatioToFirst: mse / first, heights: f ? 'f(midpoint)' : 'interval mean', hiddenUnits: net.units.length,
        bumps: bumpsOf(net), weights: toModuleParams(net),
      })}\n`);
    } else {
      io.stdout(`N = ${n}: MSE ${format(mse)} (${format(mse / first)} × N = ${options.bumps[0]}), ${net.units.length} hidden sigmoid units\n`);
      io.stdout('   bump      s1          s2          w           h\n');
      bumpsOf(net).forEach((b, k) => io.stdout(`   ${String(k).padStart(4)}  ${format(b.s1).padEnd(10)}  ${format(b.s2).padEnd(10)}  ${format(b.w).padEnd(10)}  ${format(b.h)}\n`));
      io.stdout(`   output bias ${format(net.outputBias)}; hidden unit i: w_i·x + b_i with b_i = −w_i·s_i, output weights +h, −h per bump\n`);
    }
  }
}

function bumpsOf(net: OneHiddenLayerNetwork): { s1: number; s2: number; w: number; h: number }[] {
  const out: { s1: number; s2: number; w: number; h: number }[] = [];
  for (let k = 0; 2 * k + 1 < net.units.length; k++) {
    out.push({ s1: stepPosition(net.units[2 * k]), s2: stepPosition(net.units[2 * k + 1]), w: net.units[2 * k].w, h: net.units[2 * k].v });
  }
  return out;
}

function rangeOf(xs: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) { if (x < lo) lo = x; if (x > hi) hi = x; }
  return lo < hi ? [lo, hi] : [lo - 0.5, lo + 0.5];
}

function twoInputs(data: UatData, options: UatOptions, io: UatIo): void {
  let first: number | undefined;
  for (const n of options.bumps) {
    if (n > 200) throw new InputError(`towers: at most 200 per side (${n}² towers is too many), got ${n}`);
    const net = buildTowers(data.x, data.x2!, data.y, n, { steepness: options.steepness });
    const mse = towerError(net, data.x, data.x2!, data.y);
    first ??= mse;
    if (options.json) {
      io.stdout(`${JSON.stringify({ n, inputs: 2, mse, mseRatioToFirst: mse / first, towers: n * n, hiddenUnits: [2 * (n + 1), n * n], construction: net, weights: towerModuleParams(net) })}\n`);
    } else {
      io.stdout(`N = ${n}: ${n}×${n} towers, MSE ${format(mse)} (${format(mse / first)} × N = ${options.bumps[0]}); layers 2 → ${2 * (n + 1)} steps → ${n * n} towers → 1\n`);
      io.stdout(`   x-steps ${net.xSteps.map(format).join(' ')}\n   y-steps ${net.ySteps.map(format).join(' ')}\n`);
      io.stdout(`   tower threshold K = ${net.towerSteepness}: σ(K·(X_i + Y_j − 3/2)); heights (rows = ${data.inputNames[1] ?? 'y'}):\n`);
      for (let j = n - 1; j >= 0; j--) io.stdout(`   ${net.heights.slice(j * n, j * n + n).map(h => format(h).padStart(9)).join(' ')}\n`);
    }
  }
}

/** Runs the subcommand; InputError for a user's mistake (the caller prints it and exits 2). */
export async function runUat(args: string[], io: UatIo): Promise<number> {
  const options = parseUatArgs(args);
  if (!options) {
    io.stdout(`${UAT_USAGE}\n`);
    return 0;
  }
  const data = await loadUatData(options.source);
  if (!options.json) io.stdout(`${data.label}: ${data.y.length} rows, inputs ${data.inputNames.join(', ')} → ${data.targetName}\n`);
  if (data.inputs === 1) oneInput(data, options, io);
  else twoInputs(data, options, io);
  return 0;
}
