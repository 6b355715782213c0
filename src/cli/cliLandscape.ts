// `gradscope landscape CONFIG [--load MODEL] [--grid N] [--range R] [--seed S] [--steps K] [--rows M] [--json]`:
// the loss around the config's weights (after K training steps, or a saved model's) on two filter-normalised random
// directions (Li et al. 2018), printed as JSON (axis, rows of losses, loss at θ, minimum, 1-D slice along δ) or as a
// small text summary with a character heatmap.
import * as path from 'node:path';
import { buildRun, loadRun } from '../core/config/config';
import { InputError } from '../core/inputError';
import { writeFileAtomicSync } from '../core/io/atomicWrite';
import { LANDSCAPE_DEFAULTS, LANDSCAPE_LIMITS, computeLandscape, landscapeRoughness, type LandscapeResult } from '../core/analysis/landscape';
import { readModelFile } from '../core/config/modelFile';
import { Trainer } from '../core/nn/trainer';
import { landscapeReportHtml } from './landscapeReport';

export const LANDSCAPE_USAGE = `Usage: gradscope landscape CONFIG.nn.json [options]

The training loss on a plane through the network's weights θ: θ + α·δ + β·η for α, β in [−R, R], with δ and η
random directions, filter-normalised (each unit's incoming weights scaled to the norm of θ's; biases, batch norm
and PReLU slopes not moved), as in Li et al., "Visualizing the Loss Landscape of Neural Nets" (2018).

  --load FILE      the weights of a gradscope-model file (default: the config's network trained --steps steps)
  --steps K        training steps before the landscape when there is no --load (default 0: at initialisation)
  --grid N         grid points per axis, odd so that the centre is θ (default ${LANDSCAPE_DEFAULTS.grid})
  --range R        half-width of the plane (default ${LANDSCAPE_DEFAULTS.range})
  --seed S         seed of the directions (default ${LANDSCAPE_DEFAULTS.seed})
  --rows M         training rows evaluated, evenly strided past M (default ${LANDSCAPE_DEFAULTS.maxRows})
  --json           one JSON object: {"axis","rows","lossAtTheta","min","max","slice",…}
  --report F.html  also write a self-contained HTML page with the heatmap, contours and the 1-D slice`;

export interface LandscapeCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface LandscapeArgs {
  config: string;
  load?: string;
  steps: number;
  grid: number;
  range: number;
  seed: number;
  rows: number;
  json: boolean;
  report?: string;
}

export function parseLandscapeArgs(args: string[]): LandscapeArgs {
  let config: string | undefined;
  const out: Omit<LandscapeArgs, 'config'> = {
    steps: 0, grid: LANDSCAPE_DEFAULTS.grid, range: LANDSCAPE_DEFAULTS.range, seed: LANDSCAPE_DEFAULTS.seed,
    rows: LANDSCAPE_DEFAULTS.maxRows, json: false,
  };
  const integer = (text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const n = Number(text);
    if (!/^[+-]?\d+$/.test(text.trim()) || n < min || n > max) throw new InputError(`${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const take = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = args[++i];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new InputError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--load': out.load = take(); break;
      case '--steps': out.steps = integer(take(), '--steps', 0, 10_000_000); break;
      case '--grid': out.grid = integer(take(), '--grid', LANDSCAPE_LIMITS.minGrid, LANDSCAPE_LIMITS.maxGrid); break;
      case '--seed': out.seed = integer(take(), '--seed', -(2 ** 31), 2 ** 31); break;
      case '--rows': out.rows = integer(take(), '--rows', 1, 10_000_000); break;
      case '--range': {
        const text = take();
        const r = Number(text);
        if (!(r > 0 && r <= LANDSCAPE_LIMITS.maxRange)) throw new InputError(`--range must be a number in (0, ${LANDSCAPE_LIMITS.maxRange}], got '${text}'`);
        out.range = r;
        break;
      }
      case '--json': out.json = true; break;
      case '--report': {
        out.report = take();
        if (!/\.html?$/i.test(out.report)) throw new InputError(`--report writes HTML: give a file ending in .html (got '${out.report}')`);
        break;
      }
      case '-h': case '--help': throw new InputError(LANDSCAPE_USAGE);
      default:
        if (flag.startsWith('-')) throw new InputError(`unknown option '${flag}'\n\n${LANDSCAPE_USAGE}`);
        if (config !== undefined) throw new InputError(`only one config file, got '${config}' and '${arg}'`);
        config = arg;
    }
  }
  if (config === undefined) throw new InputError(`give a config file\n\n${LANDSCAPE_USAGE}`);
  if (out.grid % 2 === 0) throw new InputError(`--grid must be odd so that the centre of the grid is θ, got ${out.grid}`);
  return { config, ...out };
}

/** Exit code as the train command's: 0 done, 2 bad input. */
export async function runLandscape(args: string[], io: LandscapeCliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${LANDSCAPE_USAGE}\n`);
    return 0;
  }
  const options = parseLandscapeArgs(args);
  const loaded = await loadRun({ kind: 'config', configPath: options.config });
  for (const w of loaded.warnings) io.stderr(`warning: ${options.config}:${w.line}:${w.column}: ${w.message}\n`);
  let { data, train: spec } = loaded;
  let trainer: Trainer;
  try {
    if (options.load !== undefined) {
      const model = readModelFile(options.load);
      if (model.file.standardisation) data = buildRun(loaded.config, loaded.dataset, { standardisation: model.file.standardisation }).data;
      if (model.spec.inputs !== data.d) throw new InputError(`${path.basename(options.load)} takes ${model.spec.inputs} inputs but the data has ${data.d}`);
      spec = { ...spec, network: model.spec };
      trainer = new Trainer(spec, data);
      trainer.network.importParams(model.params);
    } else {
      trainer = new Trainer(spec, data);
      trainer.runSteps(options.steps);
    }
  } catch (error) {
    throw error instanceof InputError ? error : new InputError(error instanceof Error ? error.message : String(error));
  }
  const started = Date.now();
  const result = computeLandscape(trainer.network, spec.loss, data.train, {
    grid: options.grid, range: options.range, seed: options.seed, maxRows: options.rows,
  });
  if (!result) return 3;
  const seconds = (Date.now() - started) / 1000;
  if (options.report !== undefined) {
    writeFileAtomicSync(options.report, landscapeReportHtml(loaded.title, result, landscapeRoughness(result.rows)));
    if (!options.json) io.stderr(`wrote ${options.report}\n`);
  }
  if (options.json) {
    io.stdout(`${JSON.stringify({
      title: loaded.title, steps: options.load ? undefined : trainer.step, load: options.load, ...result,
      roughness: landscapeRoughness(result.rows), seconds,
    })}\n`);
  } else {
    io.stdout(textSummary(loaded.title, result, seconds));
  }
  return 0;
}

const SHADES = ' .:-=+*#%@';

/** A character heatmap (low loss blank, high loss dense) and the key numbers. */
function textSummary(title: string, r: LandscapeResult, seconds: number): string {
  const lines = [`${title} — loss landscape, ${r.grid}×${r.grid} over [−${r.range}, ${r.range}]², ${r.rowsUsed} training rows, seed ${r.seed} (${seconds.toFixed(1)} s)`];
  lines.push(`loss at θ ${r.lossAtTheta.toPrecision(5)}; lowest ${r.min.loss.toPrecision(5)} at α=${r.min.alpha.toFixed(3)}, β=${r.min.beta.toFixed(3)}; highest ${r.max.toPrecision(5)}`);
  const lo = Math.log(Math.max(r.min.loss, 1e-300));
  const hi = Math.log(Math.max(r.max, 1e-300));
  for (let j = r.rows.length - 1; j >= 0; j--) {
    let line = '';
    for (const v of r.rows[j]) {
      const t = Number.isFinite(v) && hi > lo ? (Math.log(Math.max(v, 1e-300)) - lo) / (hi - lo) : 1;
      line += SHADES[Math.min(SHADES.length - 1, Math.floor(t * SHADES.length))];
    }
    lines.push(`  ${line}`);
  }
  lines.push('(log loss; β up, α right; --json for the numbers)');
  return `${lines.join('\n')}\n`;
}
