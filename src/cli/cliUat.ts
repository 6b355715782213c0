// `gradscope uat (--data FILE | --builtin NAME) --bumps N[,N…] [--json]`: builds Nielsen's bump (1 input) or N×N
// tower (2 inputs) network for each N, with no training, and prints its mean squared error on the data and its
// weights, so the construction can be checked outside VS Code.
import { InputError } from '../core/inputError';
import {
  buildBumps, buildTowers, meanSquaredError, stepPosition, toModuleParams, towerError, towerModuleParams, type OneHiddenLayerNetwork,
} from '../core/analysis/uat';
import { builtinFunction, loadUatData, UAT_BUILTIN_SAMPLES } from '../universalApproximation/uatData';
import type { UatData, UatSource } from '../protocol';

export const UAT_USAGE = `Usage: gradscope uat (--data FILE | --builtin NAME) --bumps N[,N…] [options]

Build the universal approximation network of Nielsen's chapter 4 for each N, without training, and print its mean
squared error on the data and its weights. One input: N bumps (pairs of steep sigmoid steps at s with b = −w·s and
output weights +h, −h; heights the mean target per interval, or f(midpoint) for a built-in function). Two inputs:
N×N towers.

  --data FILE        dataset file (.csv, .tsv, .json, .jsonl); 1 or 2 input columns and a target
  --inputs A[,B]     input columns by name or 0-based index (default: every column but the target)
  --target COL       target column (default: the last)
  --builtin NAME     built-in dataset (nielsen, sine, step, abs; plane, multi-gauss … for towers)
  --samples N        built-in sets: samples (default ${UAT_BUILTIN_SAMPLES})
  --bumps N[,N…]     bumps (1 input) or towers per side (2 inputs), e.g. 5,10,100
  --steepness W      the steps' w (default: a rise over 2 % of an interval)
  --json             one JSON line per N: {"n","inputs","mse","hiddenUnits","weights",…}`;

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

export function parseUatArgs(args: string[]): UatOptions {
  let data: string | undefined;
  let builtin: string | undefined;
  let inputs: (string | number)[] | undefined;
  let target: string | number | undefined;
  let samples: number | undefined;
  let bumps: number[] | undefined;
  let steepness: number | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const take = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new InputError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--data': data = take(); break;
      case '--builtin': builtin = take(); break;
      case '--inputs': inputs = take().split(',').map(s => parseColumn(s.trim())); break;
      case '--target': target = parseColumn(take().trim()); break;
      case '--samples': {
        const text = take();
        samples = Number(text);
        if (!/^\d+$/.test(text) || samples < 2) throw new InputError(`--samples must be a whole number ≥ 2, got '${text}'`);
        break;
      }
      case '--bumps':
        bumps = take().split(',').map(part => {
          const n = Number(part.trim());
          if (!/^\d+$/.test(part.trim()) || n < 1 || n > 10_000) throw new InputError(`--bumps takes whole numbers from 1 to 10000, got '${part}'`);
          return n;
        });
        break;
      case '--steepness': {
        const text = take();
        steepness = Number(text);
        if (!(Number.isFinite(steepness) && steepness > 0)) throw new InputError(`--steepness must be a positive number, got '${text}'`);
        break;
      }
      case '--json': json = true; break;
      default:
        throw new InputError(`unknown option '${arg}'\n\n${UAT_USAGE}`);
    }
  }
  if (data !== undefined && builtin !== undefined) throw new InputError('give --data or --builtin, not both');
  if (data === undefined && builtin === undefined) throw new InputError(`no data: give --data FILE or --builtin NAME\n\n${UAT_USAGE}`);
  if (!bumps?.length) throw new InputError(`give --bumps N[,N…]\n\n${UAT_USAGE}`);
  const source: UatSource = data !== undefined ? { kind: 'file', dataPath: data, inputs, target } : { kind: 'builtin', builtin: builtin!, samples };
  return { source, bumps, steepness, json };
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
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${UAT_USAGE}\n`);
    return 0;
  }
  const options = parseUatArgs(args);
  const data = await loadUatData(options.source);
  if (!options.json) io.stdout(`${data.label}: ${data.y.length} rows, inputs ${data.inputNames.join(', ')} → ${data.targetName}\n`);
  if (data.inputs === 1) oneInput(data, options, io);
  else twoInputs(data, options, io);
  return 0;
}
